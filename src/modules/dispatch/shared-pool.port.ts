/**
 * The seam to the platform's shared pool (共享订单池, src/modules/shared-pool): dispatch decides
 * *when* an order it could not place at home goes out to other stores; the shared-pool module
 * publishes it through the audited platform path (platform.publish_to_pool, the same as a manual
 * publish) and tells taking stores' technicians. Without a provider dispatch asks staff instead.
 */
export const SHARED_POOL = Symbol('SHARED_POOL');

export interface PoolPublication {
  offerId: string;
  status: string;
  takerShareFen: number;
}

export interface SharedPoolPort {
  /** The platform pool is on (the store's own role is in its dispatch settings). */
  enabled(): Promise<boolean>;
  /** Publishes a dispatching order of the current store, as the system; idempotent per order. */
  publish(orderId: string): Promise<PoolPublication>;
}
