import type { RankingWeights } from './ranking';

export const DISPATCH_MODES = ['manual', 'auto', 'grab', 'auto_then_grab'] as const;
export type DispatchMode = (typeof DISPATCH_MODES)[number];

export const POOL_PARTICIPATION = ['none', 'giver', 'taker', 'both'] as const;
export type PoolParticipation = (typeof POOL_PARTICIPATION)[number];

/**
 * A store's dispatch rules. "How many see an offer at once" follows from the mode: `auto` offers
 * to one technician at a time (the best ranked; on decline or timeout the next); `grab` shows the
 * order to every eligible technician inside the current radius step.
 */
export interface DispatchSettingsView {
  mode: DispatchMode;
  offerTimeoutSeconds: number;
  radiusStepsM: number[];
  poolParticipation: PoolParticipation;
  weights: RankingWeights;
}

/** The column defaults of dispatch_settings: what a store that never saved its rules gets. */
export const DEFAULT_DISPATCH_SETTINGS: Readonly<DispatchSettingsView> = Object.freeze({
  mode: 'auto_then_grab',
  offerTimeoutSeconds: 60,
  radiusStepsM: [3000, 6000, 10000],
  poolParticipation: 'none',
  weights: { eta: 40, rating: 25, tier: 15, fairness: 20 },
});
