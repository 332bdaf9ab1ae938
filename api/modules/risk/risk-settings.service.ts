// An organization's risk settings: everyone in it may read them; admins change them. The org keeps
// only its overrides (org_risk.settings), so an improved default reaches every org that did not
// change that field. A change rescores the open deals at once, in the same transaction.
import { eq } from 'drizzle-orm';
import { AppError, forbidden } from '../../../core/errors.ts';
import { defaultRiskSettings, mergeRiskSettingsPatch, resolveRiskSettings, RiskSettingsPatch } from '../../../core/risk/settings.ts';
import { isAdmin, type Actor } from '../../../core/roles.ts';
import type { RiskSettingsView } from '../../../core/schemas/risk.ts';
import type { Tx } from '../../../db/client.ts';
import { orgRisk } from '../../../db/schema/index.ts';
import { recordAudit } from '../records/audit.ts';
import { recomputeRisk } from './risk.service.ts';

const view = (overrides: RiskSettingsPatch): RiskSettingsView => ({ settings: resolveRiskSettings(overrides), defaults: defaultRiskSettings, overrides });

async function storedOverrides(tx: Tx, orgId: string): Promise<RiskSettingsPatch> {
  const [row] = await tx.select({ settings: orgRisk.settings }).from(orgRisk).where(eq(orgRisk.orgId, orgId));
  return row?.settings ?? {};
}

export async function getRiskSettings(tx: Tx, actor: Actor): Promise<RiskSettingsView> {
  return view(await storedOverrides(tx, actor.orgId));
}

/**
 * Applies a patch (already checked against RiskSettingsPatch at the edge) to the stored overrides.
 * `replace` drops the stored overrides first (PUT; `{}` goes back to the defaults).
 */
export async function updateRiskSettings(tx: Tx, actor: Actor, patch: RiskSettingsPatch, options: { replace?: boolean } = {}) {
  if (!isAdmin(actor)) throw forbidden('Only admins can change the risk settings');
  const before = await storedOverrides(tx, actor.orgId);
  const merged = options.replace ? patch : mergeRiskSettingsPatch(before, patch);
  // Each half may be valid alone and break a rule together (e.g. medium above a stored high).
  const checked = RiskSettingsPatch.safeParse(merged);
  if (!checked.success) {
    const details = checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('VALIDATION_FAILED', `${details[0]!.path || 'settings'}: ${details[0]!.message}`, details);
  }
  const overrides = checked.data;
  if (JSON.stringify(overrides) === JSON.stringify(before)) return { ...view(overrides), rescored: 0 };
  await tx
    .insert(orgRisk)
    .values({ orgId: actor.orgId, settings: overrides })
    .onConflictDoUpdate({ target: orgRisk.orgId, set: { settings: overrides } });
  await recordAudit(tx, actor, 'update', 'risk_settings', actor.orgId, { settings: { old: before, new: overrides } });
  const scores = await recomputeRisk(tx, actor.orgId, 'all-open');
  return { ...view(overrides), rescored: scores.size };
}
