import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  NotFoundException,
} from '@nestjs/common';
import { postgresCode } from '../scheduling/busy-time.service';

/**
 * SQLSTATEs raised by the platform.* pool functions (migrations/1764800000000_grab-shared-pool.sql,
 * 1765432000000_pool-order-workflow.sql) and the answer each becomes. Messages never say which
 * store an offer belongs to.
 */
export function poolError(sqlstate: string | undefined): HttpException | null {
  switch (sqlstate) {
    case 'PT409':
      return new ConflictException({
        code: 'ALREADY_TAKEN',
        message: '订单已被抢 / this offer has already been taken',
      });
    case 'PT403':
      return new ForbiddenException({
        code: 'POOL_NOT_ALLOWED',
        message: '共享订单池未开启或本店未加入 / the shared pool is off or this store has not joined it',
      });
    case 'PT422':
      return new ConflictException({ code: 'NOT_DISPATCHING', message: 'only a dispatching order can go to the pool' });
    case 'PT412':
      return new ConflictException({
        code: 'ILLEGAL_TRANSITION',
        message: '订单当前状态不能执行该操作 / the order is not at that step',
      });
    case 'PT420':
      return new ConflictException({
        code: 'EXTENSION_NOT_OFFERED',
        message: '该服务不提供加钟 / no extension offered',
      });
    case 'PT400':
      return new BadRequestException({
        code: 'ADDON_QUANTITY_OUT_OF_RANGE',
        message: 'too many units',
        fields: [{ field: 'units', messages: ['超出可加钟数量 / more units than offered'] }],
      });
    case 'P0002':
      return new NotFoundException({ code: 'NOT_FOUND', message: 'not found' });
    default:
      return null;
  }
}

/** Runs a pool function call, turning its SQLSTATEs into HTTP answers. */
export async function callPool<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw poolError(postgresCode(e)) ?? e;
  }
}
