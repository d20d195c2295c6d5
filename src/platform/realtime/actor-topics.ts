import type { Actor } from '../auth/actor';
import { isStaffRole } from '../auth/actor';
import type { Topic } from './realtime-hub';

/** The topics a signed-in principal may listen to in its own store. */
export function topicsFor(actor: Actor): Topic[] {
  if (actor.kind === 'customer') return [`customer:${actor.id}`];
  if (actor.kind === 'technician') return [`technician:${actor.id}`, 'technicians'];
  // `staff` is the store-wide console feed; `staff:{id}` carries one member's own notifications.
  if (isStaffRole(actor.role)) return ['staff', `staff:${actor.id}`];
  return [];
}
