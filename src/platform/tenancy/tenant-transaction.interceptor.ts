import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { appRequest } from '../http/request-context';
import { TenantContext } from '../database/tenant-context';

/** Runs a tenant-scoped handler as one unit of work inside its store's RLS context. */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(private readonly tenantContext: TenantContext) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tenant = appRequest(ctx).tenant;
    if (!tenant) return next.handle();
    return from(this.tenantContext.run(tenant.id, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
