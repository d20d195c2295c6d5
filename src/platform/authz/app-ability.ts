import type { PrismaAbility } from './casl-prisma';

/**
 * Subjects without a table of their own: `Platform` is the platform console (tenant approval,
 * network statistics), `TenantApplication` a franchise sign-up, `StoreSettings` branding etc.
 */
export type VirtualSubject = 'Platform' | 'TenantApplication' | 'StoreSettings' | 'GrabHall' | 'SharedPool';

export type AppAbility = PrismaAbility<VirtualSubject>;
