// An organization's risk settings: everyone in it may read them; admins change them. The org keeps
// only its overrides (org_risk.settings), so an improved default reaches every org that did not
// change that field. A change rescores the open deals at once, in the same transaction.
import { AppError, forbidden } from '../../../core/errors.ts';
import { defaultRiskSettings, mergeRiskSettingsPatch, resolveRiskSettings, RiskSettingsPatch } from '../../../core/risk/settings.ts';
import { isAdmin } from '../../../core/roles.ts';
import type { RiskSettingsPreview, RiskSettingsView } from '../../../core/schemas/risk.ts';
import type { RiskBand } from '../../../core/risk/types.ts';
import { dealRisk } from '../../../db/schema/index.ts';
import { orgRisk } from '../../../db/schema/index.ts';
import { recordAudit } from '../records/audit.ts';
import { recomputeRisk, riskPoints, scoreOpenDealsWith } from './risk.service.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

const view = (overrides: RiskSettingsPatch): RiskSettingsView => ({ settings: resolveRiskSettings(overrides), defaults: defaultRiskSettings, overrides });

async function storedOverrides(s: Scope): Promise<RiskSettingsPatch> {
  const [row] = await s.db.select({ settings: orgRisk.settings }).from(orgRisk);
  return row?.settings ?? {};
}

export async function getRiskSettings(s: Scope): Promise<RiskSettingsView> {
  return view(await storedOverrides(s));
}

/** The overrides a patch would leave (merged, or replacing them all), checked as a whole. */
function nextOverrides(before: RiskSettingsPatch, patch: RiskSettingsPatch, replace: boolean): RiskSettingsPatch {
  const merged = replace ? patch : mergeRiskSettingsPatch(before, patch);
  // Each half may be valid alone and break a rule together (e.g. medium above a stored high).
  const checked = RiskSettingsPatch.safeParse(merged);
  if (!checked.success) {
    const details = checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('VALIDATION_FAILED', `${details[0]!.path || 'settings'}: ${details[0]!.message}`, details);
  }
  return checked.data;
}

/**
 * What saving a patch (as PATCH would merge it, or PUT replace) would do to the open deals' bands,
 * computed now and stored nowhere, so an admin sees the consequence before saving (admins only).
 */
export async function previewRiskSettings(s: Scope, patch: RiskSettingsPatch, options: { replace?: boolean } = {}): Promise<RiskSettingsPreview> {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can change the risk settings');
  const overrides = nextOverrides(await storedOverrides(s), patch, options.replace ?? false);
  const [after, stored] = [await scoreOpenDealsWith(s, resolveRiskSettings(overrides)), await s.db.select({ dealId: dealRisk.dealId, band: dealRisk.band, score: dealRisk.score }).from(dealRisk)];
  const now = new Map(stored.map((r) => [r.dealId, r]));
  const bandsNow = { low: 0, medium: 0, high: 0 };
  const bandsAfter = { low: 0, medium: 0, high: 0 };
  const transitions = new Map<string, { from: RiskBand | null; to: RiskBand; deals: number }>();
  const moved: RiskSettingsPreview['examples'] = [];
  for (const deal of after) {
    const before = now.get(deal.id) ?? null;
    if (before) bandsNow[before.band]++;
    bandsAfter[deal.risk.band]++;
    if (before?.band === deal.risk.band) continue;
    const key = `${before?.band ?? ''}>${deal.risk.band}`;
    const t = transitions.get(key) ?? { from: before?.band ?? null, to: deal.risk.band, deals: 0 };
    t.deals++;
    transitions.set(key, t);
    moved.push({ dealId: deal.id, dealName: deal.name, from: before?.band ?? null, to: deal.risk.band, scoreNow: before ? riskPoints(before.score) : null, scoreAfter: riskPoints(deal.risk.score) });
  }
  const scoreMove = (e: RiskSettingsPreview['examples'][number]) => Math.abs(e.scoreAfter - (e.scoreNow ?? 0));
  return {
    openDeals: after.length,
    changed: moved.length,
    bandsNow,
    bandsAfter,
    transitions: [...transitions.values()].sort((a, b) => b.deals - a.deals),
    examples: moved.sort((a, b) => scoreMove(b) - scoreMove(a) || a.dealName.localeCompare(b.dealName)).slice(0, 10),
  };
}

/**
 * Applies a patch (already checked against RiskSettingsPatch at the edge) to the stored overrides.
 * `replace` drops the stored overrides first (PUT; `{}` goes back to the defaults).
 */
export async function updateRiskSettings(s: Scope, patch: RiskSettingsPatch, options: { replace?: boolean } = {}) {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can change the risk settings');
  const before = await storedOverrides(s);
  const overrides = nextOverrides(before, patch, options.replace ?? false);
  if (JSON.stringify(overrides) === JSON.stringify(before)) return { ...view(overrides), rescored: 0 };
  await s.db
    .insert(orgRisk)
    .values({ orgId: s.orgId, settings: overrides })
    .onConflictDoUpdate({ target: orgRisk.orgId, set: { settings: overrides } });
  const changes = { settings: { old: before, new: overrides } };
  await recordAudit(s, 'update', 'risk_settings', s.orgId, changes);
  await s.emit({ type: 'risk_settings.updated', recordId: s.orgId, changes });
  // At once, in this transaction: the admin's next look at the board shows the new bands.
  const scores = await recomputeRisk(s, 'all-open');
  return { ...view(overrides), rescored: scores.size };
}
