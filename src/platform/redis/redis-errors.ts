import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

const logger = new Logger('Redis');

/**
 * ioredis reconnects by itself after a dropped connection, but an `error` event with no listener
 * is printed as "Unhandled error event" with a stack; every connection the app opens logs it
 * instead, as one warning naming the connection.
 */
export function logRedisErrors<T extends Redis>(connection: T, name: string): T {
  connection.on('error', (err: Error) => logger.warn(`${name}: ${err.message}`));
  return connection;
}
