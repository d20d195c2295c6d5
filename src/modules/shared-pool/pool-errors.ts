import { ConflictException, ForbiddenException, HttpException, NotFoundException } from '@nestjs/common';

/**
 * SQLSTATEs raised by the platform.* pool functions (migrations/1764800000000_grab-shared-pool.sql)
 * and the answer each becomes. Messages never say which store an offer belongs to.
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
    case 'P0002':
      return new NotFoundException({ code: 'NOT_FOUND', message: 'not found' });
    default:
      return null;
  }
}
