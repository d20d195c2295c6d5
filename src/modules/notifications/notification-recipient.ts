import type { Actor } from '../../platform/auth/actor';

export type RecipientType = 'customer' | 'technician' | 'staff';
export type NotificationChannel = 'in_app' | 'email' | 'sms';
export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = ['in_app', 'email', 'sms'];

/** Who receives a notification inside the current store. */
export interface Recipient {
  type: RecipientType;
  id: string;
}

/** The principal's own inbox key; operators have none in a store. */
export function recipientOf(actor: Actor): Recipient | null {
  return actor.kind === 'operator' ? null : { type: actor.kind, id: actor.id };
}

/** The realtime topic only this recipient listens to (see platform/realtime/actor-topics.ts). */
export function personalTopic(r: Recipient): string {
  return `${r.type}:${r.id}`;
}
