// A new organization: its row, its first admin and a default sales pipeline, in one transaction.
import type { Role } from '../../../core/roles.ts';
import type { Tx } from '../../../db/client.ts';
import { memberships, organizations, pipelines, pipelineStages } from '../../../db/schema/index.ts';
import { inTenant, type Clock, type Scope } from '../../platform/tenancy/scope.ts';
import { startTrial } from '../billing/billing.service.ts';
import { getPipeline } from '../pipelines/pipelines.service.ts';
import { memberSnapshot } from './members.service.ts';

export const defaultStages = [
  { name: 'Discovery', defaultProbability: 10 },
  { name: 'Qualification', defaultProbability: 25 },
  { name: 'Proposal', defaultProbability: 50 },
  { name: 'Negotiation', defaultProbability: 75 },
  { name: 'Closed Won', defaultProbability: 100, isWon: true },
  { name: 'Closed Lost', defaultProbability: 0, isLost: true },
];

export type JoinedVia = 'signup' | 'invitation' | 'admin_cli';

/**
 * Creates the organization and runs its set-up as `adminUserId`, its first admin, in the caller's
 * transaction (sign-up makes the account in it too). The organization does not exist before this
 * runs, so its row is written outside any tenant scope; the rest runs in the new tenant's scope.
 */
export async function createOrganization(tx: Tx, clock: Clock, input: { name: string; adminUserId: string; via: JoinedVia }) {
  const [org] = await tx.insert(organizations).values({ name: input.name }).returning();
  const actor = { orgId: org!.id, userId: input.adminUserId, role: 'admin' as const };
  await inTenant(tx, clock, actor, async (s) => {
    await addMember(s, input.adminUserId, 'admin', input.via);
    // Every new organization starts with 14 days of Pro, no card needed.
    await startTrial(s);
    const [pipeline] = await s.db.insert(pipelines).values({ orgId: s.orgId, name: 'Sales', isDefault: true }).returning();
    await s.db
      .insert(pipelineStages)
      .values(defaultStages.map((stage, position) => ({ orgId: s.orgId, pipelineId: pipeline!.id, position, isWon: false, isLost: false, ...stage })));
    await s.emit({ type: 'pipeline.created', recordId: pipeline!.id, changes: { name: { old: null, new: 'Sales' } }, data: { pipeline: await getPipeline(s, pipeline!.id) } });
  });
  return org!;
}

/** Makes `userId` a member with `role` (nothing if they already are) and says so with member.added. */
export async function addMember(s: Scope, userId: string, role: Role, via: JoinedVia): Promise<boolean> {
  const [added] = await s.db.insert(memberships).values({ orgId: s.orgId, userId, role }).onConflictDoNothing().returning({ userId: memberships.userId });
  if (!added) return false;
  await s.emit({ type: 'member.added', recordId: userId, changes: { role: { old: null, new: role } }, data: { member: await memberSnapshot(s, userId), via } });
  return true;
}
