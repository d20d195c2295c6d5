/**
 * The giving store's side effects of a pool order's step, which the platform function that wrote
 * the step on its order could not run (they belong to that store): the customer's notices and,
 * once in service, the overrun check. Queued by the taking store after its commit, run in the
 * giving store's context. Ids only: nothing of either store's people crosses over.
 */
export type PoolGiverStep = 'claim' | 'depart' | 'arrive' | 'start_service' | 'complete';

export interface PoolGiverEffectsPayload {
  /** the giving store */
  tenantId: string;
  orderId: string;
  offerId: string;
  step: PoolGiverStep;
}

export const POOL_GIVER_EFFECTS_JOB = 'pool.giver_effects';

/** The order events each step wrote on the giving store's order (a claim is assign + accept). */
export const STEP_EVENTS: Readonly<Record<PoolGiverStep, readonly string[]>> = {
  claim: ['assign', 'accept'],
  depart: ['depart'],
  arrive: ['arrive'],
  start_service: ['start_service'],
  complete: ['complete'],
};

/** One job per offer and step: a second enqueue (a retried request) is dropped by BullMQ. */
export const poolGiverEffectsJobId = (offerId: string, step: PoolGiverStep): string => `pool-giver-${offerId}-${step}`;
