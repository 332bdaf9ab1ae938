// Who hears of what, and how: per member, per kind of notification, per channel. A member stores
// only their overrides, an organization only its defaults' overrides, so a better default reaches
// everyone who did not choose otherwise. Pure: the API reads and writes the overrides.
export const notificationKinds = [
  'deal_high_risk', 'email_opened', 'deal_assigned', 'task_due', 'task_overdue', 'weekly_digest',
  'deal_created', 'deal_stage_changed', 'deal_won', 'deal_lost',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** in_app: the bell; browser: a desktop notification from the extension; email; slack: the organization's Slack connections. */
export const notificationChannelIds = ['in_app', 'browser', 'email', 'slack'] as const;
export type NotificationChannelId = (typeof notificationChannelIds)[number];

/** Slack belongs to the organization (its connections), the others to each member. */
export const organizationChannels: readonly NotificationChannelId[] = ['slack'];

interface KindInfo {
  label: string;
  /** The channels this kind can go to, each with its default. */
  defaults: Partial<Record<NotificationChannelId, boolean>>;
  /** Only these roles receive it at all (the digest is a manager's). */
  roles?: readonly string[];
}

export const notificationCatalogue: Record<NotificationKind, KindInfo> = {
  deal_high_risk: { label: 'A deal of yours (or your team’s) entered high risk', defaults: { in_app: true, browser: true, email: true, slack: true } },
  email_opened: { label: 'A tracked email of yours was opened for the first time', defaults: { in_app: true, browser: true, email: false } },
  deal_assigned: { label: 'A deal was assigned to you', defaults: { email: true } },
  task_due: { label: 'A task of yours is due today', defaults: { email: true } },
  task_overdue: { label: 'A task of yours is overdue', defaults: { email: true } },
  weekly_digest: { label: 'Weekly digest of the team’s pipeline (managers and admins)', defaults: { email: true }, roles: ['manager', 'admin'] },
  // The team's pipeline as it moves: for the organization's Slack channels only.
  deal_created: { label: 'A deal was created', defaults: { slack: true } },
  deal_stage_changed: { label: 'A deal moved to another stage', defaults: { slack: true } },
  deal_won: { label: 'A deal was won', defaults: { slack: true } },
  deal_lost: { label: 'A deal was lost', defaults: { slack: true } },
};

/** The kinds a Slack connection can subscribe to: those the catalogue sends to Slack. */
export const slackKinds = notificationKinds.filter((kind) => 'slack' in notificationCatalogue[kind].defaults);

/** Kinds a member has a say in (some channel of theirs); the others are the organization's alone. */
export const memberKinds = notificationKinds.filter((kind) => Object.keys(notificationCatalogue[kind].defaults).some((c) => !organizationChannels.includes(c as NotificationChannelId)));

/** Overrides: kind → channel → on/off. */
export type PreferenceOverrides = Partial<Record<NotificationKind, Partial<Record<NotificationChannelId, boolean>>>>;

export type PreferenceMatrix = Record<NotificationKind, Partial<Record<NotificationChannelId, boolean>>>;

/** The organization's defaults: the product's, with the admins' overrides on top. */
export function organizationDefaults(org: PreferenceOverrides = {}): PreferenceMatrix {
  const out = {} as PreferenceMatrix;
  for (const kind of notificationKinds) {
    out[kind] = {};
    for (const [channel, on] of Object.entries(notificationCatalogue[kind].defaults) as [NotificationChannelId, boolean][]) {
      out[kind][channel] = org[kind]?.[channel] ?? on;
    }
  }
  return out;
}

/**
 * What one member receives: the organization's defaults with their own choices on top. An
 * organization-level channel (Slack) is the admins' choice alone, so a member cannot change it.
 */
export function memberPreferences(org: PreferenceOverrides = {}, member: PreferenceOverrides = {}): PreferenceMatrix {
  const out = organizationDefaults(org);
  for (const kind of notificationKinds) {
    for (const channel of Object.keys(out[kind]) as NotificationChannelId[]) {
      if (organizationChannels.includes(channel)) continue;
      out[kind][channel] = member[kind]?.[channel] ?? out[kind][channel];
    }
  }
  return out;
}

/** Whether `kind` reaches a member with `role` on `channel`. */
export function wants(matrix: PreferenceMatrix, kind: NotificationKind, channel: NotificationChannelId, role?: string): boolean {
  const roles = notificationCatalogue[kind].roles;
  if (role && roles && !roles.includes(role)) return false;
  return matrix[kind][channel] === true;
}

export type PreferencePatch = Partial<Record<NotificationKind, Partial<Record<NotificationChannelId, boolean | null>>>>;

/**
 * What is wrong with a patch, as [kind, channel, message] (empty: nothing): a channel the kind is
 * not sent to, or (for a member) an organization channel, which only admins set.
 */
export function patchProblems(patch: PreferencePatch, who: 'member' | 'organization'): [string, string, string][] {
  const problems: [string, string, string][] = [];
  for (const [kind, channels] of Object.entries(patch) as [NotificationKind, Record<string, unknown>][]) {
    for (const channel of Object.keys(channels ?? {}) as NotificationChannelId[]) {
      if (!(channel in notificationCatalogue[kind].defaults)) problems.push([kind, channel, `${kind} is not sent to ${channel}`]);
      else if (who === 'member' && organizationChannels.includes(channel)) problems.push([kind, channel, `${channel} is set for the whole organization by its admins`]);
    }
  }
  return problems;
}

/** Merges a patch into stored overrides (null removes a choice: back to the default). */
export function mergeOverrides(
  stored: PreferenceOverrides,
  patch: PreferencePatch,
): PreferenceOverrides {
  const out: PreferenceOverrides = structuredClone(stored);
  for (const [kind, channels] of Object.entries(patch) as [NotificationKind, Partial<Record<NotificationChannelId, boolean | null>>][]) {
    const next = { ...(out[kind] ?? {}) };
    for (const [channel, on] of Object.entries(channels ?? {}) as [NotificationChannelId, boolean | null][]) {
      if (on === null) delete next[channel];
      else next[channel] = on;
    }
    if (Object.keys(next).length) out[kind] = next;
    else delete out[kind];
  }
  return out;
}
