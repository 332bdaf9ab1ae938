// An organization's risk settings: everyone in it may read them; admins change them. The org keeps
// only its overrides (org_risk.settings), so an improved default reaches every org that did not
// change that field. A change rescores the open deals at once, in the same transaction.
import { AppError, forbidden } from '../../../core/errors.ts';
import { defaultRiskSettings, mergeRiskSettingsPatch, resolveRiskSettings, RiskSettingsPatch } from '../../../core/risk/settings.ts';
import { isAdmin } from '../../../core/roles.ts';
import type { RiskSettingsView } from '../../../core/schemas/risk.ts';
import { orgRisk } from '../../../db/schema/index.ts';
import { recordAudit } from '../records/audit.ts';
import { recomputeRisk } from './risk.service.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

const view = (overrides: RiskSettingsPatch): RiskSettingsView => ({ settings: resolveRiskSettings(overrides), defaults: defaultRiskSettings, overrides });

async function storedOverrides(s: Scope): Promise<RiskSettingsPatch> {
  const [row] = await s.db.select({ settings: orgRisk.settings }).from(orgRisk);
  return row?.settings ?? {};
}

export async function getRiskSettings(s: Scope): Promise<RiskSettingsView> {
  return view(await storedOverrides(s));
}

/**
 * Applies a patch (already checked against RiskSettingsPatch at the edge) to the stored overrides.
 * `replace` drops the stored overrides first (PUT; `{}` goes back to the defaults).
 */
export async function updateRiskSettings(s: Scope, patch: RiskSettingsPatch, options: { replace?: boolean } = {}) {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can change the risk settings');
  const before = await storedOverrides(s);
  const merged = options.replace ? patch : mergeRiskSettingsPatch(before, patch);
  // Each half may be valid alone and break a rule together (e.g. medium above a stored high).
  const checked = RiskSettingsPatch.safeParse(merged);
  if (!checked.success) {
    const details = checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('VALIDATION_FAILED', `${details[0]!.path || 'settings'}: ${details[0]!.message}`, details);
  }
  const overrides = checked.data;
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
