import { AsyncResource } from 'node:async_hooks';
import type { ContextType, NestInterceptor } from '@nestjs/common';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import { defer, mergeAll, type Observable, type ObservableInput } from 'rxjs';

type Intercept = InterceptorsConsumer['intercept'];

/**
 * Nest's `InterceptorsConsumer.intercept` (11.x), identical except that each deferred step runs
 * through `new AsyncResource(…).runInAsyncScope` where Nest calls `AsyncResource.bind` — the same
 * async context (the one current when the step is created). On Node 20, `AsyncResource.bind`
 * defines two deprecated accessor properties on every bound function, which gives each its own
 * hidden class, allocated in the old generation: two per request, the largest remaining source of
 * old-generation growth (and so of full collections, the latency tail) on the read paths.
 * Installed by createApp (idempotent), before the routes are built; the spec beside this file
 * pins the behaviour.
 */
export function installInterceptorsConsumer(): void {
  const intercept: Intercept = async function (
    this: InterceptorsConsumer,
    interceptors,
    args,
    instance,
    callback,
    next,
    type,
  ) {
    if (interceptors.length === 0) return next();
    const context = this.createContext(args, instance, callback);
    context.setType<ContextType | string>(type ?? 'http');
    const inScope = <T>(factory: () => ObservableInput<T>): Observable<T> => {
      const resource = new AsyncResource('NestInterceptor');
      return defer(() => resource.runInAsyncScope(factory));
    };
    const nextFn = async (i = 0): Promise<Observable<unknown>> => {
      if (i >= interceptors.length) return inScope(() => this.transformDeferred(next));
      const interceptor: NestInterceptor = interceptors[i]!;
      return interceptor.intercept(context, { handle: () => inScope(() => nextFn(i + 1)).pipe(mergeAll()) });
    };
    return defer(() => nextFn()).pipe(mergeAll());
  };
  InterceptorsConsumer.prototype.intercept = intercept;
}
