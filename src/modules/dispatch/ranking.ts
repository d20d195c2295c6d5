/** Relative weights of the ranking criteria (0..100 each, from dispatch_settings). */
export interface RankingWeights {
  eta: number;
  rating: number;
  tier: number;
  fairness: number;
}

export interface RankInput {
  technicianId: string;
  etaMinutes: number;
  /** 0..5; null = not rated yet */
  ratingAvg: number | null;
  /** the technician's tier as 0..1 (lowest tier 0, highest 1; no tier 0) */
  tierRank: number;
  /** assignments in the last 24 h */
  recentAssignments: number;
}

/** Each criterion normalised to 0..1 (higher is better) and the weighted total, 0..1. */
export interface ScoreBreakdown {
  eta: number;
  rating: number;
  tier: number;
  fairness: number;
  total: number;
}

export interface Ranked extends RankInput {
  score: ScoreBreakdown;
}

/** Travel beyond this counts as the worst ETA. */
export const ETA_CAP_MINUTES = 120;
/** An unrated technician is treated as a 3-star one: neither favoured nor buried. */
export const UNRATED = 3;

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * Normalises against fixed scales (not the other candidates), so a technician's score does not
 * depend on who else is around and the log can explain it on its own. Parts are rounded before
 * summing, so equal inputs give bit-equal totals.
 */
export function score(c: RankInput, w: RankingWeights): ScoreBreakdown {
  const eta = round4(1 - Math.min(Math.max(c.etaMinutes, 0), ETA_CAP_MINUTES) / ETA_CAP_MINUTES);
  const rating = round4(Math.min(Math.max(c.ratingAvg ?? UNRATED, 0), 5) / 5);
  const tier = round4(Math.min(Math.max(c.tierRank, 0), 1));
  const fairness = round4(1 / (1 + Math.max(c.recentAssignments, 0)));
  const sum = w.eta + w.rating + w.tier + w.fairness;
  const total = sum === 0 ? 0 : round4((w.eta * eta + w.rating * rating + w.tier * tier + w.fairness * fairness) / sum);
  return { eta, rating, tier, fairness, total };
}

/** Best first. Ties: shorter ETA, then fewer recent assignments, then technician id (stable, deterministic). */
export function rank(candidates: readonly RankInput[], w: RankingWeights): Ranked[] {
  return candidates
    .map((c) => ({ ...c, score: score(c, w) }))
    .sort(
      (a, b) =>
        b.score.total - a.score.total ||
        a.etaMinutes - b.etaMinutes ||
        a.recentAssignments - b.recentAssignments ||
        (a.technicianId < b.technicianId ? -1 : a.technicianId > b.technicianId ? 1 : 0),
    );
}
