// @casl/prisma bound to our generated client (Prisma 7 writes the client outside node_modules).
import type { Ability } from '@casl/ability';
import {
  accessibleBy,
  createPrismaAbility,
  type PrismaQueryOf,
  type Subjects,
  type WhereInputOf,
} from '@casl/prisma/runtime';
import type { Prisma } from '../../generated/prisma/client';
import type {
  AuditEvent,
  AuthSession,
  Customer,
  StaffAccount,
  Technician,
  TechnicianCertificate,
  TechnicianTier,
  TechnicianBusy,
  Service,
  ServiceAddon,
  ServiceCategory,
  ServiceDuration,
  StoredFile,
  TravelFeeRule,
  ShiftTemplate,
  ShiftOverride,
  BookingSettings,
  Tenant,
  CustomerAddress,
  Order,
  OrderEvent,
  Quote,
  Payment,
  PaymentMismatch,
  MerchantCredential,
  Refund,
  JournalEntry,
  Review,
  ReviewReport,
  Notification,
  DispatchSettings,
  DispatchRun,
  DispatchOffer,
  DispatchLog,
  DispatchAppeal,
  CustomerTechnicianBlock,
  SosAlert,
  Withdrawal,
} from '../../generated/prisma/client';

export { accessibleBy, createPrismaAbility };

export type PrismaQuery = PrismaQueryOf<Prisma.TypeMap>;
export type WhereInput<M extends Prisma.ModelName> = WhereInputOf<Prisma.TypeMap, M>;

export type ModelSubjects = Subjects<{
  Tenant: Tenant;
  StaffAccount: StaffAccount;
  Customer: Customer;
  Technician: Technician;
  TechnicianTier: TechnicianTier;
  TechnicianCertificate: TechnicianCertificate;
  TechnicianBusy: TechnicianBusy;
  AuthSession: AuthSession;
  AuditEvent: AuditEvent;
  StoredFile: StoredFile;
  ServiceCategory: ServiceCategory;
  Service: Service;
  ServiceDuration: ServiceDuration;
  ServiceAddon: ServiceAddon;
  TravelFeeRule: TravelFeeRule;
  ShiftTemplate: ShiftTemplate;
  ShiftOverride: ShiftOverride;
  BookingSettings: BookingSettings;
  CustomerAddress: CustomerAddress;
  Quote: Quote;
  Order: Order;
  OrderEvent: OrderEvent;
  Payment: Payment;
  PaymentMismatch: PaymentMismatch;
  MerchantCredential: MerchantCredential;
  Refund: Refund;
  JournalEntry: JournalEntry;
  Review: Review;
  ReviewReport: ReviewReport;
  Notification: Notification;
  DispatchSettings: DispatchSettings;
  DispatchRun: DispatchRun;
  DispatchOffer: DispatchOffer;
  DispatchLog: DispatchLog;
  DispatchAppeal: DispatchAppeal;
  CustomerTechnicianBlock: CustomerTechnicianBlock;
  SosAlert: SosAlert;
  Withdrawal: Withdrawal;
}>;

export type PrismaAbility<S extends string> = Ability<[Action, S | ModelSubjects | 'all'], PrismaQuery>;
export type Action =
  | 'manage'
  | 'create'
  | 'read'
  | 'update'
  | 'delete'
  | 'approve'
  | 'cancel'
  | 'collect'
  | 'reply'
  | 'hide'
  | 'report'
  | 'resolve';
