import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { NO_TRANSACTION, SQL_UNIT_OF_WORK } from '../http/route-metadata';
import { appRequest } from '../http/request-context';
import { TenantContext } from '../database/tenant-context';
import { keepsWrites } from '../database/keep-writes';

type Outcome = { value: unknown } | { error: unknown };

/**
 * Runs a tenant-scoped handler as one unit of work inside its store's RLS context. An error rolls
 * the work back, except one marked with KEEP_WRITES: then the work commits and the error is
 * rethrown afterwards, so it reaches the exception filter like any other.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly tenantContext: TenantContext,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tenant = appRequest(ctx).tenant;
    if (!tenant) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(NO_TRANSACTION, [ctx.getHandler(), ctx.getClass()])) {
      return next.handle();
    }
    const work = async (): Promise<Outcome> => {
      try {
        return { value: await lastValueFrom(next.handle(), { defaultValue: undefined }) };
      } catch (error) {
        if (keepsWrites(error)) return { error };
        throw error;
      }
    };
    const sqlOnly = this.reflector.getAllAndOverride<boolean>(SQL_UNIT_OF_WORK, [ctx.getHandler(), ctx.getClass()]);
    const outcome = sqlOnly ? this.tenantContext.runSql(tenant.id, work) : this.tenantContext.run(tenant.id, work);
    return from(
      outcome.then((o) => {
        if ('error' in o) throw o.error;
        return o.value;
      }),
    );
  }
}
