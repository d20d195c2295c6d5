import { z } from 'zod';
import { WEEKDAYS, type Weekday } from '../store-profile/opening-hours';
import { STORE_PHONE } from '../store-profile/store-phone';
import { catalogSchema } from './catalog-file.schema';
import { technicianSchema, tierSchema } from './team-file.schema';
import { hhmm, lat, latLng, lng, refineUnique } from './yaml-fields';

/**
 * The shape of `tenants/<slug>/tenant.yaml` and `tenants/platform.yaml`. Messages are written to
 * read after the field path: `branding.themeColor must be #rrggbb`.
 */
const timeRange = z
  .strictObject({ open: hhmm, close: hhmm })
  .refine((r) => r.open !== r.close, { message: 'open and close must differ', path: ['close'] });

const openingHours = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(timeRange).max(4).default([])])) as Record<
    Weekday,
    z.ZodDefault<z.ZodArray<typeof timeRange>>
  >,
);

const serviceArea = z.union(
  [
    z.strictObject({
      center: latLng,
      radiusKm: z.number().gt(0, 'must be greater than 0').max(100, 'must be at most 100'),
    }),
    z.strictObject({
      polygon: z
        .array(z.tuple([lat, lng]))
        .min(3, 'needs at least 3 points')
        .max(200),
    }),
  ],
  { error: 'must be { center, radiusKm } or { polygon: [[lat, lng], ...] }' },
);

const email = z.email('must be an e-mail address').refine((e) => e === e.toLowerCase(), 'must be lower case');
const secret = {
  /** A literal password: only allowed in demo files. */
  password: z.string().min(10, 'must be at least 10 characters').optional(),
  /** Name of an environment variable holding the password (real stores). */
  passwordEnv: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name')
    .optional(),
};

export const STAFF_ROLES = ['tenant_owner', 'store_manager', 'store_staff'] as const;
const staff = z.strictObject({
  name: z.string().min(1).max(40),
  email,
  role: z.enum(STAFF_ROLES, { error: `must be one of ${STAFF_ROLES.join(', ')}` }),
  phone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, 'must be a mainland mobile number (11 digits)')
    .optional(),
  ...secret,
});

const tenantObject = z.strictObject({
  /** Demo stores carry their passwords in the file and are refused in production. */
  demo: z.boolean().default(false),
  slug: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,28}[a-z0-9]$/, 'must be 3–30 lower-case letters, digits or -, starting with a letter'),
  name: z.string().min(1).max(60),
  displayName: z.string().min(1).max(60),
  city: z.string().min(1).max(30),
  address: z.string().min(1).max(200),
  location: latLng,
  phone: z.string().regex(STORE_PHONE, 'must be a landline (021-62881234), mobile or 400 number'),
  timezone: z.string().refine(validZone, 'must be an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
  locale: z.enum(['zh-CN', 'en'], { error: 'must be zh-CN or en' }).default('zh-CN'),
  status: z.enum(['pending', 'active', 'suspended'], { error: 'must be pending, active or suspended' }),
  statusReason: z.string().min(1).max(200).optional(),
  branding: z.strictObject({
    themeColor: z.string().regex(/^#[0-9a-f]{6}$/, 'must be #rrggbb (lower-case hex)'),
    /** File name of the logo inside the store's folder (svg or png). */
    logo: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*\.(svg|png)$/, 'must be a file name in this folder ending .svg or .png')
      .optional(),
  }),
  introduction: z.string().max(2000).optional(),
  photos: z.array(z.string().max(500)).max(20).default([]),
  openingHours: openingHours.default(Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as Record<Weekday, []>),
  serviceArea: serviceArea.optional(),
  staff: z.array(staff).min(1, 'needs at least one account (the owner)'),
  /** Service catalog, add-ons and travel fee (optional; rows the app created are left alone). */
  catalog: catalogSchema.optional(),
  tiers: z.array(tierSchema).max(10).default([]),
  /** Demo files only: technicians sign in with the phone numbers written here. */
  technicians: z.array(technicianSchema).max(50).default([]),
});

export const tenantFileSchema = tenantObject.superRefine((t, ctx) => {
  if (!t.staff.some((s) => s.role === 'tenant_owner')) {
    ctx.addIssue({ code: 'custom', path: ['staff'], message: 'needs a tenant_owner account' });
  }
  const seen = new Set<string>();
  t.staff.forEach((s, i) => {
    if (seen.has(s.email)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'email'], message: 'is listed twice' });
    seen.add(s.email);
    checkSecret(s, t.demo, ['staff', i], ctx);
  });
  if (t.status === 'suspended' && !t.statusReason) {
    ctx.addIssue({ code: 'custom', path: ['statusReason'], message: 'is required when status is suspended' });
  }
  checkTeam(t, ctx);
});

export const platformFileSchema = z
  .strictObject({
    demo: z.boolean().default(false),
    operators: z.array(z.strictObject({ name: z.string().min(1).max(40), email, ...secret })).default([]),
  })
  .superRefine((p, ctx) => p.operators.forEach((o, i) => checkSecret(o, p.demo, ['operators', i], ctx)));

export type TenantFile = z.infer<typeof tenantFileSchema>;
export type PlatformFile = z.infer<typeof platformFileSchema>;

function checkSecret(
  a: { password?: string; passwordEnv?: string },
  demo: boolean,
  path: Array<string | number>,
  ctx: z.RefinementCtx,
): void {
  if ((a.password === undefined) === (a.passwordEnv === undefined)) {
    ctx.addIssue({ code: 'custom', path, message: 'needs exactly one of password or passwordEnv' });
  } else if (a.password !== undefined && !demo) {
    // A real store's password never lives in a committed file.
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'password'],
      message: 'is only allowed in demo files; use passwordEnv',
    });
  }
}

/** Technicians: demo files only, unique keys and phones, known tiers, and every service staffable. */
function checkTeam(t: z.infer<typeof tenantObject>, ctx: z.RefinementCtx): void {
  refineUnique(
    t.tiers,
    (x) => x.code,
    (i) => ['tiers', i, 'code'],
    ctx,
  );
  if (t.technicians.length === 0) return;
  if (!t.demo) {
    // A phone number in a committed file is a login anyone can use.
    ctx.addIssue({ code: 'custom', path: ['technicians'], message: 'are only allowed in demo files' });
  }
  refineUnique(
    t.technicians,
    (x) => x.key,
    (i) => ['technicians', i, 'key'],
    ctx,
  );
  refineUnique(
    t.technicians,
    (x) => x.phone,
    (i) => ['technicians', i, 'phone'],
    ctx,
  );
  const tiers = new Set(t.tiers.map((x) => x.code));
  t.technicians.forEach((x, i) => {
    if (x.tier !== undefined && !tiers.has(x.tier)) {
      ctx.addIssue({
        code: 'custom',
        path: ['technicians', i, 'tier'],
        message: 'must be the code of a tier in tiers',
      });
    }
  });
  t.catalog?.categories.forEach((c, i) =>
    c.services.forEach((s, j) => {
      if (!t.technicians.some((x) => s.requiredSkills.every((k) => x.skills.includes(k)))) {
        ctx.addIssue({
          code: 'custom',
          path: ['catalog', 'categories', i, 'services', j, 'requiredSkills'],
          message: 'no technician in this file has all of these skills',
        });
      }
    }),
  );
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
