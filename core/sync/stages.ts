// Which inbox stage a CRM stage lands in, per pipeline. The CRM's own won/lost flags decide won
// and lost (a stage named "Closed" means nothing by itself); open stages match by name, then by
// position; an admin's choice overrides any default.
export interface CrmStage {
  id: string;
  label: string;
  /** Order within its pipeline. */
  displayOrder: number;
  /** Salesforce IsClosed/IsWon; HubSpot metadata.isClosed and probability 1.0 (won) or 0 (lost). */
  isClosed: boolean;
  isWon: boolean;
}

export interface LocalStage {
  id: string;
  name: string;
  position: number;
  isWon: boolean;
  isLost: boolean;
}

export interface StageMappingEntry {
  crmStageId: string;
  localStageId: string;
  /** default: chosen by the rules below; admin: chosen by a person. */
  source: 'admin' | 'default';
}

const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** HubSpot sends stage metadata as strings: `isClosed: 'true'`, `probability: '1.0'`. */
export function hubSpotStageFlags(metadata: Record<string, string | undefined>): Pick<CrmStage, 'isClosed' | 'isWon'> {
  const isClosed = metadata.isClosed === 'true';
  const probability = Number(metadata.probability);
  return { isClosed, isWon: isClosed && probability >= 1 };
}

/**
 * A local stage for every CRM stage of one pipeline. `overrides` (CRM stage id → local stage id)
 * win when they name a stage of the same kind: an admin cannot map a CRM-won stage to an open or
 * lost one, since the deal's outcome would then contradict the CRM.
 */
export function mapStages(crm: readonly CrmStage[], local: readonly LocalStage[], overrides: Readonly<Record<string, string>> = {}): StageMappingEntry[] {
  const kindOf = (s: { isWon: boolean }, lost: boolean) => (s.isWon ? 'won' : lost ? 'lost' : 'open');
  const crmKind = (s: CrmStage) => kindOf(s, s.isClosed && !s.isWon);
  const localKind = (s: LocalStage) => kindOf(s, s.isLost);
  const byPosition = [...local].sort((a, b) => a.position - b.position);
  const openLocal = byPosition.filter((s) => localKind(s) === 'open');
  const openCrm = [...crm].filter((s) => crmKind(s) === 'open').sort((a, b) => a.displayOrder - b.displayOrder);

  return crm.map((stage) => {
    const kind = crmKind(stage);
    const chosen = overrides[stage.id] ? local.find((s) => s.id === overrides[stage.id]) : undefined;
    if (chosen && localKind(chosen) === kind) return { crmStageId: stage.id, localStageId: chosen.id, source: 'admin' };
    const sameKind = byPosition.filter((s) => localKind(s) === kind);
    const named = sameKind.find((s) => nameKey(s.name) === nameKey(stage.label));
    if (named) return { crmStageId: stage.id, localStageId: named.id, source: 'default' };
    if (kind !== 'open') {
      if (!sameKind[0]) throw new RangeError(`The local pipeline has no ${kind} stage for "${stage.label}"`);
      return { crmStageId: stage.id, localStageId: sameKind[0].id, source: 'default' };
    }
    if (!openLocal[0]) throw new RangeError('The local pipeline has no open stage');
    // The same share of the way through the pipeline: the 3rd of 6 CRM stages → about the middle.
    const share = openCrm.length > 1 ? openCrm.findIndex((s) => s.id === stage.id) / (openCrm.length - 1) : 0;
    const index = Math.round(share * (openLocal.length - 1));
    return { crmStageId: stage.id, localStageId: openLocal[index]!.id, source: 'default' };
  });
}
