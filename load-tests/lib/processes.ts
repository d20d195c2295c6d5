import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A server process of the bench (the API or the baseline). Its peak resident memory is sampled
 * from /proc while it runs and read again from VmHWM (the kernel's own high-water mark) at the end.
 */
export class ServerProcess {
  private readonly child: ChildProcess;
  private readonly output: string[] = [];
  private peakRssKb = 0;
  private readonly sampler: NodeJS.Timeout;
  private exited = false;
  /** Bytes written to stdout/stderr: a server that logs per request pays for it under load. */
  outputBytes = 0;

  constructor(
    readonly label: string,
    readonly port: number,
    command: string,
    args: string[],
    env: Record<string, string>,
  ) {
    this.child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.outputBytes += chunk.length;
      this.output.push(chunk.toString('utf8'));
      if (this.output.length > 200) this.output.shift();
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    // BENCH_SERVER_LOG_DIR keeps each server's whole output (e.g. with --trace-gc in BENCH_API_NODE_ARGS).
    const logDir = process.env.BENCH_SERVER_LOG_DIR;
    if (logDir) {
      const file = createWriteStream(join(logDir, `${label}-${Date.now()}.log`));
      this.child.stdout?.pipe(file);
      this.child.stderr?.pipe(file);
    }
    this.child.once('exit', () => (this.exited = true));
    this.sampler = setInterval(() => this.sample(), 250);
    this.sampler.unref();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The last lines the process wrote (for failure messages). */
  tail(): string {
    return this.output.join('').split('\n').slice(-30).join('\n');
  }

  async waitForHealth(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.label} exited during start-up:\n${this.tail()}`);
      try {
        const res = await fetch(`${this.baseUrl}/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(150);
    }
    throw new Error(`${this.label} did not become healthy in ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** Resident memory right now, in MB (taken after start-up, to tell boot size from growth under load). */
  rssMb(): number {
    return Math.round((readStatusKb(this.pid, 'VmRSS') / 1024) * 10) / 10;
  }

  /** Peak RSS in MB: the larger of the samples and VmHWM. */
  peakRssMb(): number {
    this.sample();
    const hwm = readStatusKb(this.pid, 'VmHWM');
    return Math.round((Math.max(this.peakRssKb, hwm) / 1024) * 10) / 10;
  }

  /**
   * CPU seconds the process has used so far (user + system, from /proc/<pid>/stat). CPU per request
   * stays meaningful when the machine is shared and wall-clock throughput is not.
   */
  /**
   * Waits until the server has drained what a previous phase left queued: its CPU use over a
   * quarter second falls below 5 % (at most `timeoutMs`). A closed-loop phase ends with its
   * connections closed but their requests still being served; the next phase must not pay for them.
   */
  async settle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let before = this.cpuSeconds();
    while (Date.now() < deadline) {
      await sleep(250);
      const now = this.cpuSeconds();
      if (now - before < 0.0125) return;
      before = now;
    }
  }

  cpuSeconds(): number {
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the command name: state is field 3, utime 14 and stime 15 (1-based) → indexes 11, 12.
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      return 0;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timedOut = await Promise.race([gone.then(() => false), sleep(5_000).then(() => true)]);
    if (timedOut && !this.exited) {
      this.child.kill('SIGKILL');
      await gone;
    }
  }

  private sample(): void {
    if (this.exited) return;
    this.peakRssKb = Math.max(this.peakRssKb, readStatusKb(this.pid, 'VmRSS'));
  }
}

/** USER_HZ: 100 on every mainstream Linux build. */
const CLOCK_TICKS = 100;

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited, or not Linux
  }
}

/** A port free right now on 127.0.0.1 (the bench's servers must not collide with anyone's fixed ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
