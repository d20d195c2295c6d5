import 'reflect-metadata';
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import { from, isObservable, lastValueFrom, map, type Observable } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installInterceptorsConsumer } from './interceptors-consumer';

installInterceptorsConsumer();
const als = new AsyncLocalStorage<string>();
class Controller {}
const handler = () => undefined;

async function call(interceptors: NestInterceptor[], next: () => Promise<unknown>): Promise<unknown> {
  const out = await new InterceptorsConsumer().intercept(
    interceptors,
    [{}, {}],
    new Controller(),
    handler,
    next,
    'http',
  );
  return isObservable(out) ? lastValueFrom(out as Observable<unknown>) : out;
}

/** Like TenantTransactionInterceptor: runs the rest of the chain inside a context of its own. */
const inContext = (store: string): NestInterceptor => ({
  intercept: (_ctx: ExecutionContext, next: CallHandler) => from(als.run(store, () => lastValueFrom(next.handle()))),
});
const tag = (label: string, seen: string[]): NestInterceptor => ({
  intercept: (ctx: ExecutionContext, next: CallHandler) => {
    seen.push(`${label}:${ctx.getType()}:${ctx.getClass().name}`);
    return next.handle().pipe(map((v) => `${label}(${String(v)})`));
  },
});

describe('installInterceptorsConsumer', () => {
  afterEach(() => vi.restoreAllMocks());

  it('calls the handler directly when there is no interceptor', async () => {
    expect(await call([], async () => 'plain')).toBe('plain');
  });

  it('runs interceptors outermost first, results back out in reverse, with the execution context', async () => {
    const seen: string[] = [];
    expect(await call([tag('a', seen), tag('b', seen)], async () => 'h')).toBe('a(b(h))');
    expect(seen).toEqual(['a:http:Controller', 'b:http:Controller']);
  });

  it('the handler runs in the async context the interceptor opened (the tenant unit of work)', async () => {
    const inner = await call([inContext('tenant-a')], async () => als.getStore());
    expect(inner).toBe('tenant-a');
    // and a context opened around handle() reaches through a further interceptor
    expect(await call([inContext('tenant-b'), tag('t', [])], async () => als.getStore())).toBe('t(tenant-b)');
  });

  it('errors from the handler reach the caller; no AsyncResource.bind (old-generation hidden classes)', async () => {
    const bind = vi.spyOn(AsyncResource, 'bind');
    await expect(
      call([tag('x', [])], async () => {
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(bind).not.toHaveBeenCalled();
  });
});
