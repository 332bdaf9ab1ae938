// The tracking contract: registering a message before it is sent, what the sidebar and the sent
// list read back, and the organisation's consent settings. Public pixel/click/opt-out paths are
// not part of /api/v1 (they are short paths on the tracking host) and are not in this file.
import { z } from 'zod';
import { ConsentMode, TrackingPolicy } from '../tracking/consent.ts';
import { Email, Id, Timestamp } from './common.ts';

const HostId = z.string().trim().min(1).max(998);

/** What the compose toggle needs before sending: will this message be tracked, and what will be recorded. */
export const TrackingDecisionQuery = z
  .object({
    to: z.array(Email).max(100).default([]),
    cc: z.array(Email).max(100).default([]),
    bcc: z.array(Email).max(100).default([]),
  })
  .strict()
  .meta({ id: 'TrackingDecisionQuery' });

export const TrackingDecision = z
  .object({
    track: z.boolean(),
    reason: z.enum(['no_recipients', 'opted_out', 'tracking_off', 'consent_missing', 'tracked', 'tracked_aggregate']),
    /** The sentence the compose toggle shows. */
    explanation: z.string(),
    /** Opens will be attributed to the one recipient (true) or to "a recipient" (false). */
    storeIdentity: z.boolean(),
    /** Times kept to the second (true) or cut to the day (aggregate mode). */
    storeExactTime: z.boolean(),
  })
  .meta({ id: 'TrackingDecision' });

/** Register a message right before it is sent: the API answers the body with the pixel and rewritten links. */
export const TrackedMessageCreate = TrackingDecisionQuery.extend({
  /** The HTML body as the rep wrote it. */
  html: z.string().max(900_000),
  subject: z.string().max(1000).nullish(),
  /** The host's thread id when replying in a thread (Gmail thread id, demo thread id). */
  threadId: HostId.nullish(),
  /** Append a short "stop tracking my opens" line with the recipient's opt-out link. */
  optOutLink: z.boolean().default(false),
})
  .strict()
  .meta({ id: 'TrackedMessageCreate' });

export const TrackedMessageRegistration = z
  .object({
    decision: TrackingDecision,
    /** Null when the message is not tracked (then `html` is the body unchanged). */
    trackedMessageId: Id.nullable(),
    html: z.string(),
    pixelUrl: z.string().nullable(),
    links: z.array(z.object({ index: z.number().int(), url: z.string(), trackedUrl: z.string() })),
    optOutUrl: z.string().nullable(),
  })
  .meta({ id: 'TrackedMessageRegistration' });

/** After sending: the host's ids for the sent message, so the sidebar can find it in the thread. */
export const TrackedMessageSent = z
  .object({
    /** Host message id: RFC Message-ID when known, else `gmail:<id>` / `demo:<id>`, as the email log uses. */
    messageId: HostId,
    threadId: HostId.nullish(),
    sentAt: Timestamp.optional(),
  })
  .strict()
  .meta({ id: 'TrackedMessageSent' });

/**
 * The sender's client shows its own Sent copy of a tracked message, found by the pixel in its body
 * (Outlook: compose mode has no Message-ID, and the Sent copy does not return custom headers). Ties
 * the tracked message to the copy's RFC Message-ID once, and counts as the sender viewing it now.
 */
export const SentCopyReport = z
  .object({
    /** Open-pixel URLs found in the copy's HTML body; those not signed by this API are ignored. */
    pixelUrls: z.array(z.string().trim().min(1).max(4200)).min(1).max(5),
    /** The copy's RFC 822 Message-ID. */
    messageId: HostId,
    threadId: HostId.nullish(),
    /** When the copy says it was sent. */
    sentAt: Timestamp.optional(),
  })
  .strict()
  .meta({ id: 'SentCopyReport' });

/** The sender is looking at their own sent message(s) now: hits in the next seconds are theirs. */
export const SenderViewCreate = z
  .object({ messageIds: z.array(HostId).min(1).max(100) })
  .strict()
  .meta({ id: 'SenderViewCreate' });

export const HitClassCounts = z
  .object({
    image_proxy: z.number().int(),
    apple_mpp: z.number().int(),
    scanner: z.number().int(),
    sender_self: z.number().int(),
    unknown: z.number().int(),
  })
  .meta({ id: 'HitClassCounts', description: 'Hits that did not count, by class' });

export const TrackedMessageSummary = z
  .object({
    id: Id,
    /** Host message id once the sender's client reported the send; null before. */
    messageId: z.string().nullable(),
    threadId: z.string().nullable(),
    subject: z.string().nullable(),
    sentAt: Timestamp,
    recipientCount: z.number().int(),
    /** Who counted opens/clicks are attributed to: a named recipient only for a one-recipient message in a mode that allows it. */
    attribution: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('recipient'), email: z.string() }),
      z.object({ kind: z.literal('a_recipient') }),
    ]),
    /** aggregate: times are days (00:00 UTC) and nobody is named. */
    precision: z.enum(['exact', 'day']),
    opens: z.object({ count: z.number().int(), first: Timestamp.nullable(), last: Timestamp.nullable() }),
    clicks: z.array(z.object({ linkIndex: z.number().int(), url: z.string(), count: z.number().int(), first: Timestamp, last: Timestamp })),
    machineHits: HitClassCounts,
    /** Clicks still inside the settle window (not yet classified). */
    pendingClicks: z.number().int(),
  })
  .meta({ id: 'TrackedMessageSummary' });

export const TrackedMessageListQuery = z
  .object({
    messageIds: z
      .string()
      .max(20_000)
      .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(HostId).min(1).max(100))
      .optional()
      .meta({ description: 'Comma-separated host message ids (a thread\'s messages)' }),
    threadIds: z
      .string()
      .max(20_000)
      .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(HostId).min(1).max(100))
      .optional()
      .meta({ description: 'Comma-separated host thread ids (the sent list)' }),
  })
  .strict();

export const TrackedMessageList = z.object({ data: z.array(TrackedMessageSummary) }).meta({ id: 'TrackedMessageList' });

/** Per-thread state for the sent list's labels. */
export const TrackedThreadState = z
  .object({ threadId: z.string(), state: z.enum(['opened', 'not_opened']), opens: z.number().int(), lastOpenAt: Timestamp.nullable() })
  .meta({ id: 'TrackedThreadState' });

export const TrackedThreadStateQuery = z
  .object({
    threadIds: z
      .string()
      .max(20_000)
      .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(HostId).min(1).max(100))
      .meta({ description: 'Comma-separated host thread ids (the sent list)' }),
  })
  .strict();

export const TrackedThreadStateList = z.object({ data: z.array(TrackedThreadState) }).meta({ id: 'TrackedThreadStateList' });

export const TrackingSettings = z
  .object({
    policy: TrackingPolicy,
    /** Raw hits older than this are purged; per-message summaries stay. */
    retentionDays: z.number().int(),
    /** The signed-in user's default for the compose toggle. */
    trackByDefault: z.boolean(),
    /** What the organisation's mode records, in one sentence (recipients unknown). */
    description: z.string(),
  })
  .meta({ id: 'TrackingSettings' });

export const TrackingSettingsUpdate = z
  .object({
    /** Admins only. */
    policy: TrackingPolicy.optional(),
    /** Admins only; 1..3650. */
    retentionDays: z.number().int().min(1).max(3650).optional(),
    /** Anyone, for themselves. */
    trackByDefault: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'TrackingSettingsUpdate' });

/** Record (or withdraw) a contact's consent to tracking, for `consented` mode. */
export const TrackingConsentUpdate = z
  .object({ email: Email, consented: z.boolean() })
  .strict()
  .meta({ id: 'TrackingConsentUpdate' });

export { ConsentMode };
export type TrackedMessageSummary = z.infer<typeof TrackedMessageSummary>;
export type TrackedMessageRegistration = z.infer<typeof TrackedMessageRegistration>;
export type TrackingDecision = z.infer<typeof TrackingDecision>;
export type TrackingSettings = z.infer<typeof TrackingSettings>;
export type TrackedThreadState = z.infer<typeof TrackedThreadState>;
