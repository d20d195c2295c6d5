/**
 * Dispatch's delayed jobs. Ids are deterministic (`offer:{offerId}`, `grab:{orderId}:{step}`,
 * `pool:{orderId}:{at}`, `dispatch-start:{orderId}:{at}`), so a replayed enqueue schedules once;
 * every handler re-reads its rows under the order's dispatch-run lock and does nothing when the
 * chain has moved on.
 */
export interface DispatchStartPayload {
  tenantId: string;
  orderId: string;
}

export interface OfferTimeoutPayload {
  tenantId: string;
  offerId: string;
}

export interface GrabStepPayload {
  tenantId: string;
  orderId: string;
  stepIndex: number;
}

export interface PoolTimeoutPayload {
  tenantId: string;
  orderId: string;
}

export const DISPATCH_JOBS = {
  start: 'dispatch.start',
  offerTimeout: 'dispatch.offer_timeout',
  grabStep: 'dispatch.grab_step',
  poolTimeout: 'dispatch.pool_timeout',
} as const;

export const DISPATCH_QUEUE = 'dispatch';

export const offerJobId = (offerId: string) => `offer:${offerId}`;
export const grabJobId = (orderId: string, stepIndex: number) => `grab:${orderId}:${stepIndex}`;
export const poolJobId = (orderId: string, publishedAt: number) => `pool:${orderId}:${publishedAt}`;
