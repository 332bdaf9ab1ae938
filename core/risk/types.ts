// Inputs to the risk score, shaped after db/schema.ts but as plain values, so scoring stays pure:
// the caller loads rows, the score never reads the clock or the database.
export const DAY_MS = 86_400_000;

export type ActivityType = 'email' | 'call' | 'meeting' | 'note' | 'task';
export type Direction = 'inbound' | 'outbound';
export type RiskBand = 'low' | 'medium' | 'high';
export type Outcome = 'won' | 'lost';

export interface RiskStage {
  id: string;
  name: string;
  position: number;
  isWon: boolean;
  isLost: boolean;
}

export interface RiskDeal {
  id: string;
  valueCents: number;
  /** ISO 4217; values are only ever compared within one currency. */
  currency: string;
  stage: RiskStage;
  /** 'YYYY-MM-DD', read as a UTC calendar day. */
  expectedCloseDate: string | null;
  createdAt: Date;
  /** When the deal entered its current stage. */
  stageChangedAt: Date;
  /** People linked to the deal (deal_contacts). */
  contactCount: number;
}

export interface StageChange {
  fromStageId: string | null;
  toStageId: string;
  changedAt: Date;
}

export interface RiskActivity {
  type: ActivityType;
  direction: Direction | null;
  occurredAt: Date;
}

/** A human open or click of a tracked email (proxies, prefetch and scanners already removed). */
export interface EngagementEvent {
  kind: 'open' | 'click';
  at: Date;
}

export interface StageNorm {
  /** Median days that eventually-won deals spent in this stage. */
  medianDays: number;
  /** How many won deals the median is based on. */
  wonDeals: number;
}

/** Org history the score compares a deal against; computed by computeOrgRiskStats. */
export interface OrgRiskStats {
  /** Keyed by stage id. */
  wonStageDays: Record<string, StageNorm>;
  /** Median gap in days between buyer touches (see isTwoWayTouch) on won deals; null without history. */
  replyGapNormDays: number | null;
  /** Median value of won deals, keyed by currency. */
  medianWonValueCents: Record<string, number>;
}

export const emptyOrgRiskStats: OrgRiskStats = { wonStageDays: {}, replyGapNormDays: null, medianWonValueCents: {} };

export interface RiskInput {
  deal: RiskDeal;
  /** All stages of the deal's pipeline, to tell how late the deal's stage is (and, in backtests, to rewind it). */
  pipelineStages: readonly RiskStage[];
  stageHistory: readonly StageChange[];
  activities: readonly RiskActivity[];
  engagement: readonly EngagementEvent[];
  stats: OrgRiskStats;
}

/** A touch that needed the buyer: a reply from them, or a call or meeting with them. */
export const isTwoWayTouch = (a: RiskActivity): boolean =>
  (a.type === 'email' && a.direction === 'inbound') || a.type === 'call' || a.type === 'meeting';

export const isClosedStage = (s: RiskStage): boolean => s.isWon || s.isLost;
