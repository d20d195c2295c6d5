import { AbilityBuilder } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import type { AppAbility } from './app-ability';
import { createPrismaAbility } from './casl-prisma';

type CatalogSubject = 'ServiceCategory' | 'Service' | 'ServiceDuration' | 'ServiceAddon' | 'TravelFeeRule';
const CATALOG_SUBJECTS: CatalogSubject[] = [
  'ServiceCategory',
  'Service',
  'ServiceDuration',
  'ServiceAddon',
  'TravelFeeRule',
];

/** Abilities kept for the most recently seen principals (one is a few KB). */
const CACHED_ABILITIES = 2000;

/**
 * Roles inside a store. RLS already confines every query to the request's store; these rules
 * decide what each role may do there (and, for `accessibleBy`, which of the store's rows).
 *
 * The rules depend on nothing but the role and the principal's id, and an ability is never
 * updated once built, so one is built per principal and reused (least recently used evicted):
 * building it was the largest allocation of a simple authenticated read.
 */
@Injectable()
export class AbilityFactory {
  private readonly cache = new Map<string, AppAbility>();

  createFor(actor: Actor | undefined): AppAbility {
    const key = actor ? `${actor.role}:${actor.id}` : 'anonymous';
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key); // most recently used goes last
      this.cache.set(key, hit);
      return hit;
    }
    const ability = this.build(actor);
    this.cache.set(key, ability);
    if (this.cache.size > CACHED_ABILITIES) this.cache.delete(this.cache.keys().next().value!);
    return ability;
  }

  private build(actor: Actor | undefined): AppAbility {
    const { can, cannot, build } = new AbilityBuilder<AppAbility>(createPrismaAbility);
    // Anyone may read a store's public profile.
    can('read', 'Tenant');
    // Anyone may browse the active catalog (public endpoints filter to active items as well).
    can('read', ['ServiceCategory', 'Service', 'ServiceAddon'], { active: true });
    can('read', ['ServiceDuration', 'TravelFeeRule']);

    switch (actor?.role) {
      case 'platform_operator':
        can('manage', 'Platform');
        can('approve', 'TenantApplication');
        break;
      case 'tenant_owner':
        can('manage', 'all');
        cannot('manage', 'Platform');
        cannot('approve', 'TenantApplication');
        break;
      case 'store_manager':
        can('manage', ['ShiftTemplate', 'ShiftOverride', 'BookingSettings']);
        // Manual busy blocks (training, an errand); bookings and holds are the orders' own.
        can(['create', 'read', 'delete'], 'TechnicianBusy', { kind: 'block' });
        can('manage', ['Order', 'OrderEvent', 'Quote']);
        can('read', 'CustomerAddress');
        // Dispatch: rules, assignment and reassignment (转派), the log, appeals.
        can('manage', ['DispatchSettings', 'DispatchRun', 'DispatchLog', 'DispatchAppeal']);
        can('read', 'DispatchOffer');
        can('manage', CATALOG_SUBJECTS);
        can('manage', ['Customer', 'Technician', 'TechnicianTier', 'TechnicianCertificate']);
        can('read', ['StaffAccount', 'AuditEvent', 'StoreSettings']);
        can(['create', 'update'], 'StaffAccount', { role: 'store_staff' });
        // Money: reconciliation (closing its findings), refunds (incl. approving beyond policy), 到付 corrections.
        can('read', ['Payment', 'PaymentMismatch', 'JournalEntry']);
        can('resolve', 'PaymentMismatch');
        can(['create', 'read', 'approve'], 'Refund');
        // Reviews: answer them, and hide abusive ones (hidden reviews leave the rating).
        can(['read', 'reply', 'hide'], 'Review');
        can('read', 'ReviewReport');
        can('collect', 'Payment');
        // Puts orders into / takes them out of the grab hall; the store's shared-pool membership.
        can('manage', 'GrabHall');
        can('read', 'SharedPool');
        // Safety alerts and technicians' withdrawals (review, payout).
        can(['read', 'update'], 'SosAlert');
        can(['read', 'approve'], 'Withdrawal');
        break;
      case 'store_staff':
        can('read', ['ShiftTemplate', 'ShiftOverride']);
        can(['create', 'read', 'delete'], 'TechnicianBusy', { kind: 'block' });
        // Staff dispatch by hand and read the log; the rules and appeals are the managers'.
        can('read', ['DispatchSettings', 'DispatchLog', 'DispatchAppeal', 'DispatchOffer']);
        can('update', 'DispatchRun');
        can('read', ['Order', 'OrderEvent', 'Quote']);
        can('read', CATALOG_SUBJECTS);
        can('read', ['Customer', 'Technician', 'StoreSettings', 'TechnicianTier']);
        can('read', 'StaffAccount', { id: actor.id });
        // ID numbers and certificates are for the owner and managers only (masked form otherwise).
        cannot('read', 'Technician', 'idNumber');
        // Refunds they enter wait for a manager's approval.
        can('read', ['Payment', 'PaymentMismatch']);
        can(['create', 'read'], 'Refund');
        // Reviews: they may answer, not moderate.
        can(['read', 'reply'], 'Review');
        can('read', 'ReviewReport');
        // Staff answer SOS alerts; withdrawals are the managers' to decide.
        can(['read', 'update'], 'SosAlert');
        break;
      case 'technician':
        can('read', ['ShiftTemplate', 'ShiftOverride'], { technicianId: actor.id });
        can('read', 'TechnicianBusy', { technicianId: actor.id, kind: 'block' });
        // Their own offers and their own lines of the dispatch log; appeals about them.
        can(['read', 'update'], 'DispatchOffer', { technicianId: actor.id });
        can('read', 'DispatchLog', { technicianId: actor.id });
        can(['create', 'read'], 'DispatchAppeal', { technicianId: actor.id });
        // Orders assigned to them once paid (the address only while the job is active: OrdersService).
        can('read', 'Order', { technicianId: actor.id, status: { notIn: ['pending_payment'] } });
        can('read', 'Technician', { id: actor.id });
        // Self-service only (application while unreviewed, location, duty status); tier,
        // status and the approved profile are the store's to change.
        can('update', 'Technician', ['application', 'location', 'online'], { id: actor.id });
        cannot('read', 'Technician', 'idNumber');
        can('read', 'TechnicianCertificate', { technicianId: actor.id });
        can('read', 'TechnicianTier');
        // 到付: confirms the cash of an order assigned to them (the service checks whose it is).
        can('collect', 'Payment');
        // 抢单: browse and claim (update) grab orders and shared-pool offers.
        can(['read', 'update'], ['GrabHall', 'SharedPool']);
        // SOS and withdrawals of their own (the workflow endpoints check the order is theirs).
        can('create', 'SosAlert', { technicianId: actor.id });
        can(['create', 'read'], 'Withdrawal', { technicianId: actor.id });
        break;
      case 'customer':
        can(['read', 'update'], 'Customer', { id: actor.id });
        // Their own "never send me this technician" list.
        can(['create', 'read', 'delete'], 'CustomerTechnicianBlock', { customerId: actor.id });
        // Orders: own address book, own quotes and orders (and their event log), nobody else's.
        can('manage', 'CustomerAddress', { customerId: actor.id });
        can(['create', 'read'], 'Quote', { customerId: actor.id });
        can(['create', 'read'], 'Order', { customerId: actor.id });
        can('cancel', 'Order', { customerId: actor.id });
        can('read', 'OrderEvent');
        // Pays and asks refunds of own orders (the services filter to the customer's orders).
        can('create', 'Payment');
        can(['create', 'read'], 'Refund');
        // Reviews their own completed orders (the service checks the order), reports abusive ones.
        can(['create', 'read'], 'Review', { customerId: actor.id });
        can('report', 'Review');
        can('create', 'ReviewReport', { customerId: actor.id });
        break;
      case undefined:
        break;
    }
    if (actor && actor.kind !== 'customer') {
      // Quotes, orders and address books are made by customers for themselves; staff work on
      // orders through their own endpoints (transitions, cancel), never by booking as someone.
      cannot(['create', 'update', 'delete'], 'CustomerAddress');
      cannot('create', ['Quote', 'Order']);
      // Only the customer who was served reviews an order, and only customers report reviews.
      cannot(['create', 'report'], 'Review');
      cannot('create', 'ReviewReport');
      // Paying is for the customer who owns the order (merchant settings stay owner-only: `manage all`).
      cannot('create', 'Payment');
    }
    if (actor && actor.kind !== 'technician') {
      // Only the technician an offer was made to answers it; only technicians appeal.
      cannot('update', 'DispatchOffer');
      cannot('create', 'DispatchAppeal');
      // Only technicians raise SOS alerts and ask for their own money.
      cannot('create', ['SosAlert', 'Withdrawal']);
    }
    // A block list is the customer's own (the owner's `manage all` does not reach it either).
    if (actor && actor.kind !== 'customer') cannot('manage', 'CustomerTechnicianBlock');
    if (actor && actor.kind !== 'operator') {
      // Everyone manages their own sign-in sessions, nobody else's (not even the owner's
      // `manage all`: the `cannot` cuts it off, the later `can` takes precedence over both).
      cannot('manage', 'AuthSession');
      can(['read', 'delete'], 'AuthSession', { principalId: actor.id, principalType: actor.kind });
      // Everyone's notification centre is their own (the owner's `manage all` is cut off too).
      cannot('manage', 'Notification');
      can(['read', 'update'], 'Notification', { recipientType: actor.kind, recipientId: actor.id });
      // Uploads: anyone signed in to the store may upload (customers images only, for reviews);
      // everyone reads their own uploads; sensitive ones (certificates) otherwise only managers.
      if (actor.kind === 'customer') can('create', 'StoredFile', { kind: 'image' });
      else can('create', 'StoredFile');
      can('read', 'StoredFile', { uploaderType: actor.kind, uploadedBy: actor.id });
      if (actor.role === 'store_manager') can('read', 'StoredFile');
    }
    // Non-sensitive files (service photos, technician portraits, review photos) are public.
    can('read', 'StoredFile', { sensitive: false });
    return build();
  }
}
