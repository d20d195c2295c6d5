import { z } from 'zod';
import { WEEKDAYS } from '../store-profile/opening-hours';
import { hhmm, latLng, refineUnique, skill, syncKey } from './yaml-fields';

/**
 * The `tiers` and `technicians` sections of tenant.yaml. Tiers (commission rates) are store
 * settings and allowed anywhere; technicians sign in with the phone number written here, so they
 * are allowed in demo files only (which the sync refuses in production).
 */
export const tierSchema = z.strictObject({
  /** Stable code, also the tier's sync key. */
  code: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be lower-case letters, digits or _ (e.g. gold)'),
  name: z.string().min(1).max(20),
  /** What the technician earns of an order, in basis points (6000 = 60%). */
  commissionBps: z.number().int().min(0).max(10_000, 'must be at most 10000 (100%)'),
});

const shift = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }))
      .min(1, 'needs at least one weekday'),
    start: hhmm,
    /** Earlier than `start`: the shift runs past midnight. */
    end: hhmm,
  })
  .refine((s) => s.start !== s.end, { message: 'start and end must differ', path: ['end'] });

export const technicianSchema = z
  .strictObject({
    key: syncKey,
    /** The name the store knows (an obviously made-up one in demo files). */
    name: z.string().min(1).max(40),
    /** What customers see (e.g. 林技师); defaults to surname + 技师. */
    displayName: z.string().min(1).max(20).optional(),
    /** Sign-in number (SMS code); stored encrypted like any technician's. */
    phone: z.string().regex(/^1[3-9]\d{9}$/, 'must be a mainland mobile number (11 digits)'),
    gender: z.enum(['female', 'male'], { error: 'must be female or male' }),
    /** Code of a tier in `tiers`. */
    tier: z.string().optional(),
    skills: z.array(skill).min(1, 'needs at least one skill').max(10),
    experienceYears: z.number().int().min(0).max(60).optional(),
    introduction: z.string().max(2000).optional(),
    /** Where a shift starts from (WGS-84), in the store's city. */
    home: latLng,
    /** On duty when first created; afterwards the technician switches it in the app. */
    online: z.boolean().default(true),
    /** The weekly template 排班, in store time. */
    shifts: z.array(shift).min(1, 'needs at least one weekly shift').max(14),
  })
  .superRefine((t, ctx) =>
    refineUnique(
      t.skills,
      (s) => s,
      (i) => ['skills', i],
      ctx,
    ),
  );

export type TierSpec = z.infer<typeof tierSchema>;
export type TechnicianSpec = z.infer<typeof technicianSchema>;
