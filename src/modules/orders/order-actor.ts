import type { Actor } from '../../platform/auth/actor';

/** Who caused an order event: a signed-in principal, or the system (timers, payment callbacks). */
export interface OrderActor {
  type: 'staff' | 'customer' | 'technician' | 'system';
  id: string | null;
}

export const SYSTEM: OrderActor = { type: 'system', id: null };

export function orderActorOf(actor: Actor): OrderActor {
  if (actor.kind === 'operator') return { type: 'system', id: `operator:${actor.id}` };
  return { type: actor.kind, id: actor.id };
}
