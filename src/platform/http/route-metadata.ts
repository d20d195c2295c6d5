import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'route:public';
export const TENANT_SCOPED = 'route:tenant-scoped';
export const ALLOW_CLOSED_STORE = 'route:allow-closed-store';
export const NO_TRANSACTION = 'route:no-transaction';
export const SQL_UNIT_OF_WORK = 'route:sql-unit-of-work';

/** No sign-in needed. A valid token, if sent, still identifies the actor. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The route acts on one store's data: the tenant is resolved and the handler runs in its context. */
export const TenantScoped = () => SetMetadata(TENANT_SCOPED, true);

/** Reachable even when the store is not open (its status page, sign-out, token refresh). */
export const AllowClosedStore = () => SetMetadata(ALLOW_CLOSED_STORE, true);

/**
 * The handler manages its own units of work (long-lived streams): the store is still resolved and
 * checked, but no transaction is held open for the whole request.
 */
export const NoTransaction = () => SetMetadata(NO_TRANSACTION, true);

/** The handler's unit of work is TenantContext.runSql (plain pg, same RLS): for hot read paths. */
export const SqlUnitOfWork = () => SetMetadata(SQL_UNIT_OF_WORK, true);
