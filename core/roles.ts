// Who may do what. Pure, so the role matrix is tested as a table.
export const roles = ['admin', 'manager', 'rep', 'readonly'] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  orgId: string;
  /** Null for the system: scheduled jobs, event consumers, tracking. */
  userId: string | null;
  role: Role;
}

/** The system acting in an organization (jobs, consumers): sees and may change everything. */
export const systemActor = (orgId: string): Actor => ({ orgId, userId: null, role: 'admin' });

/** readonly reads everything and writes nothing. */
export const canWrite = (actor: Actor) => actor.role !== 'readonly';

/** Admins, managers and readonly users read every deal and activity; reps only their own. */
export const seesAllDealsAndActivities = (actor: Actor) => actor.role !== 'rep';

/** May this actor read a deal or activity owned by ownerId? */
export const canReadOwned = (actor: Actor, ownerId: string | null) =>
  seesAllDealsAndActivities(actor) || ownerId === actor.userId;

/** May this actor change a deal or activity owned by ownerId (including reassigning it)? */
export const canWriteOwned = (actor: Actor, ownerId: string | null) =>
  canWrite(actor) && (actor.role === 'admin' || actor.role === 'manager' || ownerId === actor.userId);

/** Contacts and companies are shared records: any writer may edit; deleting needs ownership. */
export const canDeleteShared = (actor: Actor, ownerId: string | null) =>
  actor.role === 'admin' || actor.role === 'manager' || (actor.role === 'rep' && ownerId === actor.userId);

export const isAdmin = (actor: Actor) => actor.role === 'admin';
