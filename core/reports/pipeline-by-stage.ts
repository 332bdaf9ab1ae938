// Open pipeline per stage: how many deals, their value, and their value weighted by probability.
import { openStagesInOrder, type CurrencyOption, type ReportDeal, type ReportStage } from './types.ts';

export interface PipelineStageRow {
  stageId: string;
  stageName: string;
  deals: number;
  valueCents: number;
  /** Σ value × probability / 100, rounded to a cent per stage. */
  weightedValueCents: number;
}

export interface PipelineByStage {
  currency: string;
  /** Every open stage in pipeline order, empty ones included. */
  rows: PipelineStageRow[];
  /** Sums of the rows, so a CSV's total line matches its rows. */
  total: { deals: number; valueCents: number; weightedValueCents: number };
}

/** Open deals of one stage (in the report's currency) added up: what a database can sum. */
export interface StageTotals {
  stageId: string;
  deals: number;
  valueCents: number;
  /** Σ value × probability (in percent); divided by 100 once, at the end. */
  valueTimesProbability: number;
}

export function pipelineByStage(stages: readonly ReportStage[], deals: readonly ReportDeal[], option: CurrencyOption): PipelineByStage {
  const totals = new Map<string, StageTotals>();
  for (const d of deals) {
    if (d.outcome !== null || d.currency !== option.currency) continue;
    const t = totals.get(d.stageId) ?? { stageId: d.stageId, deals: 0, valueCents: 0, valueTimesProbability: 0 };
    t.deals++;
    t.valueCents += d.valueCents;
    t.valueTimesProbability += d.valueCents * d.probability;
    totals.set(d.stageId, t);
  }
  return pipelineByStageFromTotals(stages, [...totals.values()], option);
}

export function pipelineByStageFromTotals(stages: readonly ReportStage[], totals: readonly StageTotals[], { currency }: CurrencyOption): PipelineByStage {
  const byStage = new Map(totals.map((t) => [t.stageId, t]));
  const rows = openStagesInOrder(stages).map((stage) => {
    const t = byStage.get(stage.id);
    return {
      stageId: stage.id,
      stageName: stage.name,
      deals: t?.deals ?? 0,
      valueCents: t?.valueCents ?? 0,
      weightedValueCents: Math.round((t?.valueTimesProbability ?? 0) / 100),
    };
  });
  const total = {
    deals: rows.reduce((s, r) => s + r.deals, 0),
    valueCents: rows.reduce((s, r) => s + r.valueCents, 0),
    weightedValueCents: rows.reduce((s, r) => s + r.weightedValueCents, 0),
  };
  return { currency, rows, total };
}
