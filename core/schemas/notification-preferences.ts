import { z } from 'zod';
import { notificationChannelIds, notificationKinds, patchProblems } from '../notify/preferences.ts';

const Kind = z.enum(notificationKinds);
const Channel = z.enum(notificationChannelIds);

export const NotificationPreferenceChannel = z.object({
  channel: Channel,
  enabled: z.boolean().meta({ description: 'Whether this kind goes to this channel (for you, or for the organization on the defaults page)' }),
  organizationDefault: z.boolean().meta({ description: 'The organization\'s default, set by its admins' }),
  organizationLevel: z.boolean().meta({ description: 'Set for the whole organization by its admins (Slack); members cannot change it' }),
});

export const NotificationPreferences = z
  .object({
    kinds: z.array(
      z.object({
        kind: Kind,
        label: z.string(),
        /** False when the member's role does not receive it (the digest goes to managers and admins). */
        applies: z.boolean(),
        channels: z.array(NotificationPreferenceChannel),
      }),
    ),
  })
  .meta({ id: 'NotificationPreferences' });

const patchShape = z.partialRecord(Kind, z.partialRecord(Channel, z.boolean().nullable()));

const checked = (who: 'member' | 'organization') =>
  z
    .object({
      preferences: patchShape.superRefine((value, ctx) => {
        for (const [kind, channel, message] of patchProblems(value, who)) ctx.addIssue({ code: 'custom', path: [kind, channel], message });
      }),
    })
    .strict()
    .meta({ description: 'kind → channel → true (on), false (off) or null (back to the default)' });

export const MemberPreferencePatch = checked('member').meta({ id: 'MemberPreferencePatch' });
export const OrganizationPreferencePatch = checked('organization').meta({ id: 'OrganizationPreferencePatch' });

export type NotificationPreferences = z.infer<typeof NotificationPreferences>;
