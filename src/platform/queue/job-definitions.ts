import type { MailJobPayload } from '../mail/mail-message';
import type { TechnicianReviewNoticePayload } from '../../modules/technicians/technician-notice';
import type { OrderTimerPayload } from '../../modules/orders/order-timers';
import type {
  DispatchStartPayload,
  GrabStepPayload,
  OfferTimeoutPayload,
  PoolTimeoutPayload,
} from '../../modules/dispatch/dispatch-jobs';
import type { ReconcilePayload } from '../../modules/payments/reconciliation.scheduler';
import type { NotificationSmsPayload } from '../../modules/notifications/notification-sms.job';
import type { FilesCleanupPayload } from '../files/orphan-cleanup.job';
import type { PoolGiverEffectsPayload } from '../../modules/shared-pool/pool-giver-effects';

/**
 * Whose data a job touches. `tenant` jobs carry `tenantId` and run inside that store's RLS
 * context (the same runner as HTTP); `platform` jobs run before a store exists or across none
 * (sign-up e-mail) and get no tenant context at all, so they cannot read tenant tables.
 */
export type JobScope = 'tenant' | 'platform';

export interface JobDefinition {
  /** BullMQ queue the job goes to; one worker per queue. */
  queue: string;
  scope: JobScope;
  attempts: number;
  /** Base delay of the exponential backoff, as a multiple of QUEUE_BACKOFF_MS. */
  backoffFactor?: number;
  /** Completed jobs kept for inspection (count). */
  keepCompleted?: number;
  /** Failed jobs kept for inspection (count). */
  keepFailed?: number;
  /** Builds a dedupe id from the payload: a second enqueue with the same id is ignored. */
  dedupeId?: (payload: never) => string;
  concurrency?: number;
  /**
   * The handler opens its own units of work (TenantContext.run with the payload's tenantId)
   * instead of running inside one: for handlers that call out over the network (payment
   * providers), which must not hold a transaction open meanwhile. The tenantId is still checked.
   */
  ownUnitsOfWork?: boolean;
}

/**
 * Payload type of each job name. Features add their job here (declaration merging also lets a
 * test add its own). Tenant-scoped payloads must include `tenantId`.
 */
export interface JobPayloads {
  'mail.send': MailJobPayload;
  'technician.review_notice': TechnicianReviewNoticePayload;
  'order.unpaid_timeout': OrderTimerPayload;
  'order.start_reminder': OrderTimerPayload;
  'order.overrun_check': OrderTimerPayload;
  'dispatch.start': DispatchStartPayload;
  'dispatch.offer_timeout': OfferTimeoutPayload;
  'dispatch.grab_step': GrabStepPayload;
  'dispatch.pool_timeout': PoolTimeoutPayload;
  'payments.reconcile': ReconcilePayload;
  'notification.sms': NotificationSmsPayload;
  'files.cleanup': FilesCleanupPayload;
  'pool.giver_effects': PoolGiverEffectsPayload;
}

export type JobName = keyof JobPayloads;
export type JobPayload<N extends JobName> = JobPayloads[N];
export type JobDefinitions = Readonly<Record<string, JobDefinition>>;

/** Every job of the application and its options, in one place. */
export const JOB_DEFINITIONS: JobDefinitions = {
  // Platform-scoped: sign-up verification goes out before the store exists.
  'mail.send': {
    queue: 'mail',
    scope: 'platform',
    attempts: 5,
    backoffFactor: 1,
    keepCompleted: 1000,
    keepFailed: 5000,
  },
  // Tenant-scoped: tells a technician the store's review decision (SMS).
  'technician.review_notice': { queue: 'notifications', scope: 'tenant', attempts: 5, backoffFactor: 1 },
  // Tenant-scoped order timers (delayed, deterministic job ids; handlers re-check the order).
  'order.unpaid_timeout': { queue: 'order-timers', scope: 'tenant', attempts: 5, backoffFactor: 1 },
  'order.start_reminder': { queue: 'order-timers', scope: 'tenant', attempts: 5, backoffFactor: 1 },
  'order.overrun_check': { queue: 'order-timers', scope: 'tenant', attempts: 5, backoffFactor: 1 },
  // Dispatch chain (deterministic ids; handlers re-check under the order's dispatch-run lock).
  'dispatch.start': { queue: 'dispatch', scope: 'tenant', attempts: 5, backoffFactor: 1, concurrency: 10 },
  'dispatch.offer_timeout': { queue: 'dispatch', scope: 'tenant', attempts: 5, backoffFactor: 1 },
  'dispatch.grab_step': { queue: 'dispatch', scope: 'tenant', attempts: 5, backoffFactor: 1 },
  'dispatch.pool_timeout': { queue: 'dispatch', scope: 'tenant', attempts: 5, backoffFactor: 1 },
  // Tenant-scoped repeatable job (one scheduler per store): provider queries for overdue payments
  // and refunds, each between units of work of its own.
  'payments.reconcile': {
    queue: 'payments',
    scope: 'tenant',
    attempts: 3,
    backoffFactor: 1,
    concurrency: 2,
    ownUnitsOfWork: true,
  },
  // Tenant-scoped: one notification by SMS (the phone is decrypted in the worker).
  'notification.sms': { queue: 'notifications', scope: 'tenant', attempts: 5, backoffFactor: 1 },
  // Tenant-scoped repeatable job (one scheduler per store): deletes uploads nothing references.
  'files.cleanup': { queue: 'maintenance', scope: 'tenant', attempts: 3, backoffFactor: 1, concurrency: 1 },
  // Tenant-scoped (the giving store): a shared-pool step's notices and timers there, queued by the
  // taking store after its commit (deterministic id per offer and step; the handler sends once).
  'pool.giver_effects': { queue: 'notifications', scope: 'tenant', attempts: 5, backoffFactor: 1 },
};
