export const ROLES = [
  'platform_operator',
  'tenant_owner',
  'store_manager',
  'store_staff',
  'technician',
  'customer',
] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ['tenant_owner', 'store_manager', 'store_staff'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type PrincipalKind = 'operator' | 'staff' | 'customer' | 'technician';

/** Who is making the request, from a verified access token. */
export interface Actor {
  readonly kind: PrincipalKind;
  readonly id: string;
  readonly role: Role;
  /** The store the principal belongs to; null for platform operators. */
  readonly tenantId: string | null;
  readonly sessionId: string;
}

export function isStaffRole(role: string): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role);
}
