// Weights and thresholds of the risk score. An org stores only its overrides (a RiskSettingsPatch),
// so improving a default reaches every org that did not change it.
import { z } from 'zod';

export interface RiskSettings {
  /** score >= medium → medium band; score >= high → high band. */
  bands: { medium: number; high: number };
  /** Time since the last two-way touch (buyer reply, call or meeting). */
  noReply: {
    weight: number;
    /** Threshold when the org has no reply history. */
    defaultDays: number;
    /** With history the threshold is max(minDays, team norm × normMultiplier). */
    minDays: number;
    normMultiplier: number;
    /** Full weight at threshold × fullAtMultiple. */
    fullAtMultiple: number;
  };
  /** Time in the current stage against the median of won deals there. */
  stalled: {
    weight: number;
    thresholdRatio: number;
    fullAtRatio: number;
    /** Fewer won deals than this in the stage → the median is not trusted and fallbackDays applies. */
    minWonDeals: number;
    /** Fires above this many days, full weight at twice as many. */
    fallbackDays: number;
  };
  /** Engagement in the last window against the window before. */
  engagementDown: {
    weight: number;
    windowDays: number;
    /** Below this much earlier engagement there is no trend to speak of. */
    minPreviousPoints: number;
    /** Fires when engagement fell by more than this fraction; full weight when it fell to nothing. */
    dropThreshold: number;
    points: { inboundEmail: number; outboundEmail: number; call: number; meeting: number; open: number; click: number };
  };
  closeDatePassed: { weight: number; fullAtDays: number };
  singleThreaded: { weight: number };
  /** Warning signs count this much more in the last open stage (ramping up from the pipeline's midpoint). */
  lateStage: { boost: number };
  /** Warning signs count up to this much more for large deals, full at fullAtRatio × the median won deal. */
  highValue: { boost: number; fullAtRatio: number };
}

export const defaultRiskSettings: RiskSettings = {
  // Calibrated on the backtest (README, "Deal risk"): below 0.4 deals were won about 70% of the
  // time and above it 5–20%, so 0.4 is where a deal needs a look; 0.75 is where several signs fire
  // at once and strongly (silent past twice the norm, stalled, single-threaded), the few deals
  // worth acting on today: about a tenth of open deals in the demo pipeline, not a third.
  bands: { medium: 0.4, high: 0.75 },
  noReply: { weight: 0.35, defaultDays: 10, minDays: 5, normMultiplier: 2, fullAtMultiple: 3 },
  stalled: { weight: 0.3, thresholdRatio: 1.5, fullAtRatio: 3, minWonDeals: 3, fallbackDays: 30 },
  engagementDown: {
    weight: 0.2,
    windowDays: 14,
    minPreviousPoints: 4,
    dropThreshold: 0.5,
    // A buyer's reply or a meeting says far more than one more email from the rep.
    points: { inboundEmail: 3, outboundEmail: 1, call: 2, meeting: 3, open: 0.5, click: 1 },
  },
  closeDatePassed: { weight: 0.15, fullAtDays: 30 },
  singleThreaded: { weight: 0.15 },
  lateStage: { boost: 0.3 },
  highValue: { boost: 0.2, fullAtRatio: 3 },
};

const weight = z.number().min(0).max(1);
const days = z.number().positive().max(3650);
const multiple = z.number().gt(1).max(100);
const points = z.number().min(0).max(100);

// One schema per section, complete; the patch is the same with every field optional.
const sections = {
  bands: z.object({ medium: weight, high: weight }).strict(),
  noReply: z.object({ weight, defaultDays: days, minDays: days, normMultiplier: z.number().positive().max(100), fullAtMultiple: multiple }).strict(),
  stalled: z.object({ weight, thresholdRatio: z.number().positive().max(100), fullAtRatio: multiple, minWonDeals: z.number().int().min(1).max(10_000), fallbackDays: days }).strict(),
  engagementDown: z
    .object({
      weight,
      windowDays: z.number().int().min(1).max(365),
      minPreviousPoints: z.number().positive().max(1000),
      dropThreshold: z.number().min(0).lt(1),
      points: z.object({ inboundEmail: points, outboundEmail: points, call: points, meeting: points, open: points, click: points }).strict(),
    })
    .strict(),
  closeDatePassed: z.object({ weight, fullAtDays: days }).strict(),
  singleThreaded: z.object({ weight }).strict(),
  lateStage: z.object({ boost: z.number().min(0).max(5) }).strict(),
  highValue: z.object({ boost: z.number().min(0).max(5), fullAtRatio: multiple }).strict(),
};

/** Every weight and threshold, as the API shows an org's resolved settings and the defaults. */
export const RiskSettingsSchema = z.object(sections).strict().meta({ id: 'RiskSettings' });

/** An org's overrides, validated at the edge; every field optional. */
export const RiskSettingsPatch = z
  .object({
    bands: sections.bands.partial().strict(),
    noReply: sections.noReply.partial().strict(),
    stalled: sections.stalled.partial().strict(),
    engagementDown: sections.engagementDown.extend({ points: sections.engagementDown.shape.points.partial().strict() }).partial().strict(),
    closeDatePassed: sections.closeDatePassed.partial().strict(),
    singleThreaded: sections.singleThreaded.partial().strict(),
    lateStage: sections.lateStage.partial().strict(),
    highValue: sections.highValue.partial().strict(),
  })
  .partial()
  .strict()
  // Rules between fields are checked on the merged result, so a patch cannot break them either.
  .superRefine((patch, ctx) => {
    const s = resolveRiskSettings(patch);
    if (s.bands.medium >= s.bands.high) {
      ctx.addIssue({ code: 'custom', path: ['bands'], message: 'bands.medium must be below bands.high' });
    }
    if (s.stalled.fullAtRatio <= s.stalled.thresholdRatio) {
      ctx.addIssue({ code: 'custom', path: ['stalled'], message: 'stalled.fullAtRatio must be above stalled.thresholdRatio' });
    }
  })
  .meta({ id: 'RiskSettingsPatch' });

export type RiskSettingsPatch = z.infer<typeof RiskSettingsPatch>;

/**
 * Stored overrides with a new patch on top, field by field (what PATCH does). The result still
 * has to pass RiskSettingsPatch: rules between fields may break only once both are combined.
 */
export function mergeRiskSettingsPatch(stored: RiskSettingsPatch, patch: RiskSettingsPatch): RiskSettingsPatch {
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, section] of Object.entries(patch) as [keyof RiskSettingsPatch, Record<string, unknown> | undefined][]) {
    if (!section) continue;
    const before = (stored[key] ?? {}) as Record<string, unknown>;
    const next: Record<string, unknown> = { ...before, ...defined(section) };
    if (key === 'engagementDown' && 'points' in section) next.points = { ...(before.points as object | undefined), ...defined(section.points as object) };
    merged[key] = next;
  }
  return merged as RiskSettingsPatch;
}

/** Defaults with an org's (already validated) overrides on top. */
export function resolveRiskSettings(patch: RiskSettingsPatch, base: RiskSettings = defaultRiskSettings): RiskSettings {
  return {
    bands: { ...base.bands, ...defined(patch.bands) },
    noReply: { ...base.noReply, ...defined(patch.noReply) },
    stalled: { ...base.stalled, ...defined(patch.stalled) },
    engagementDown: {
      ...base.engagementDown,
      ...defined(patch.engagementDown),
      points: { ...base.engagementDown.points, ...defined(patch.engagementDown?.points) },
    },
    closeDatePassed: { ...base.closeDatePassed, ...defined(patch.closeDatePassed) },
    singleThreaded: { ...base.singleThreaded, ...defined(patch.singleThreaded) },
    lateStage: { ...base.lateStage, ...defined(patch.lateStage) },
    highValue: { ...base.highValue, ...defined(patch.highValue) },
  };
}

// `{ weight: undefined }` must not erase a default.
function defined<T extends object>(section: T | undefined): Partial<T> {
  if (!section) return {};
  return Object.fromEntries(Object.entries(section).filter(([, v]) => v !== undefined)) as Partial<T>;
}
