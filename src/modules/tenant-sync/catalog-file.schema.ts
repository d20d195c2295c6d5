import { z } from 'zod';
import { fen, hhmm, refineUnique, skill, syncKey } from './yaml-fields';

/**
 * The `catalog` section of tenant.yaml: what the store sells. Allowed in real stores too (it holds
 * no secrets). Every entry has a stable `key`; the sync manages only rows carrying one.
 */
const addon = z
  .strictObject({
    key: syncKey,
    /** extension = 加钟 (adds `minutes` per unit); material = 物料 (takes no time). */
    kind: z.enum(['extension', 'material'], { error: 'must be extension or material' }),
    nameZh: z.string().min(1).max(40),
    nameEn: z.string().min(1).max(60).optional(),
    minutes: z.number().int().min(5, 'must be at least 5').max(240, 'must be at most 240').optional(),
    priceFen: fen,
    maxQuantity: z.number().int().min(1).max(20).default(1),
  })
  .superRefine((a, ctx) => {
    if (a.kind === 'extension' && a.minutes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'is required for an extension (加钟)' });
    }
    if (a.kind === 'material' && a.minutes !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'must be left out for a material' });
    }
  });

const duration = z.strictObject({
  minutes: z.number().int().min(15, 'must be at least 15').max(480, 'must be at most 480'),
  priceFen: fen,
});

const service = z
  .strictObject({
    key: syncKey,
    nameZh: z.string().min(1).max(60),
    nameEn: z.string().min(1).max(100).optional(),
    description: z.string().max(4000).optional(),
    /** Skill codes a technician must hold to be offered this service. */
    requiredSkills: z.array(skill).max(10).default([]),
    durations: z.array(duration).min(1, 'needs at least one duration with its price').max(12),
    /** Add-ons of this service only; store-wide ones go in `catalog.addons`. */
    addons: z.array(addon).max(20).default([]),
  })
  .superRefine((s, ctx) => {
    refineUnique(
      s.durations,
      (d) => String(d.minutes),
      (i) => ['durations', i, 'minutes'],
      ctx,
    );
    refineUnique(
      s.requiredSkills,
      (k) => k,
      (i) => ['requiredSkills', i],
      ctx,
    );
  });

const category = z.strictObject({
  key: syncKey,
  nameZh: z.string().min(1).max(40),
  nameEn: z.string().min(1).max(60).optional(),
  /** A Vant icon name or an https URL. */
  icon: z.string().min(1).max(500).optional(),
  services: z.array(service).min(1, 'needs at least one service').max(50),
});

const travelFee = z.strictObject({
  /** No fee within this distance of the technician's start. */
  freeRadiusKm: z.number().min(0).max(200).default(0),
  pricePerKmFen: z.number().int().min(0).max(100_000).default(0),
  /** 夜间服务费: a window in store time; `end` earlier than `start` runs past midnight. */
  night: z
    .strictObject({ start: hhmm, end: hhmm, surchargeFen: fen })
    .refine((n) => n.start !== n.end, { message: 'start and end must differ', path: ['end'] })
    .optional(),
  minimumOrderFen: fen.default(0),
});

export const catalogSchema = z
  .strictObject({
    categories: z.array(category).max(20).default([]),
    /** Store-wide add-ons, offered with every service (e.g. 加钟30分钟). */
    addons: z.array(addon).max(20).default([]),
    travelFee: travelFee.optional(),
  })
  .superRefine((c, ctx) => {
    refineUnique(
      c.categories,
      (x) => x.key,
      (i) => ['categories', i, 'key'],
      ctx,
    );
    refineUnique(
      c.categories,
      (x) => x.nameZh,
      (i) => ['categories', i, 'nameZh'],
      ctx,
    );
    const services = c.categories.flatMap((cat, i) =>
      cat.services.map((s, j) => ({ s, path: ['categories', i, 'services', j] })),
    );
    refineUnique(
      services,
      (x) => x.s.key,
      (i) => [...services[i]!.path, 'key'],
      ctx,
    );
    const addons = [
      ...services.flatMap(({ s, path }) => s.addons.map((a, k) => ({ a, path: [...path, 'addons', k] }))),
      ...c.addons.map((a, k) => ({ a, path: ['addons', k] })),
    ];
    refineUnique(
      addons,
      (x) => x.a.key,
      (i) => [...addons[i]!.path, 'key'],
      ctx,
    );
  });

export type CatalogSpec = z.infer<typeof catalogSchema>;
export type AddonSpec = z.infer<typeof addon>;
