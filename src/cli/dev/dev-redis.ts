import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './free-port';

export interface DevRedis {
  url: string;
  stop(): Promise<void>;
}

export class NoRedisError extends Error {}

/** REDIS_URL, else 127.0.0.1:6379, else a redis-server from PATH on a free port. */
export async function startDevRedis(log: (m: string) => void): Promise<DevRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  const local = 'redis://127.0.0.1:6379';
  if (await answers(local)) return { url: local, stop: async () => undefined };

  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve());
    });
  } catch {
    throw new NoRedisError(
      'Redis is required and none was found: set REDIS_URL, start Redis on 127.0.0.1:6379, ' +
        'or install redis-server (e.g. `apt-get install redis-server`) so it can be started for you.',
    );
  }
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  log(`started redis-server on 127.0.0.1:${port}`);
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
