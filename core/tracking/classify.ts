// Classifies pixel and click hits: which were a person, which were machines, and whether they count.
//
// Every hit gets a class, whether it counts as a human open/click, a confidence and a stable reason
// code with a plain explanation. The rules run in a fixed order (first match wins); HEURISTICS.md
// describes each one and its limits. Pure: `now` and all times are passed in, as epoch milliseconds.
import { networkInfo, type NetworkOperator } from './networks.ts';
import { identifyAgent, isMachineAgent, isPersonalAgent, type AgentInfo } from './user-agents.ts';

// `repeat`: a person's reload within the repeat window of a hit that counted (see repeats.ts): kept
// for audit, not counted again, and not a machine either.
export const hitClasses = ['human', 'image_proxy', 'apple_mpp', 'scanner', 'sender_self', 'unknown', 'repeat'] as const;
export type HitClass = (typeof hitClasses)[number];
export type Confidence = 'certain' | 'probable';
export type HitKind = 'open' | 'click';

export const hitReasons = [
  'non_get_request',
  'honeypot_link',
  'sender_viewing',
  'sender_network',
  'scanner_agent',
  'office_link_check',
  'headless_browser',
  'http_library',
  'crawler_agent',
  'apple_mpp_prefetch',
  'apple_network_open',
  'bare_user_agent',
  'image_proxy_open',
  'image_proxy_at_send',
  'mail_provider_link_check',
  'provider_fetch_without_agent',
  'scanner_network',
  'missing_user_agent',
  'open_right_after_send',
  'click_right_after_send',
  'link_burst',
  'outdated_browser',
  'client_open',
  'browser_click',
  'app_click',
  'unrecognised_agent',
  'repeated_load',
] as const;
export type HitReason = (typeof hitReasons)[number];

export interface Classification {
  class: HitClass;
  /** Counts as a human open (kind open) or a human click (kind click). */
  counts: boolean;
  confidence: Confidence;
  reason: HitReason;
  /** One plain sentence for the sidebar's "why?" tooltip. */
  explanation: string;
}

/** What the classifier needs to know about one request. */
export interface ClassifiableHit {
  kind: HitKind;
  /** Click tokens of kind `honeypot` (the hidden link). Always false for opens. */
  honeypot: boolean;
  /** When the request arrived (epoch ms). */
  at: number;
  /** HTTP method as received ('GET', 'HEAD', …). */
  method: string;
  userAgent: string | null;
  /**
   * The agent as identifyAgent already recognised it. Stored hits keep only this (never the raw
   * string), so they are classified from it; when given, `userAgent` is not read.
   */
  agent?: AgentInfo;
  /**
   * Which known network the request came from, or null. Derive it with `networkOfIp` (before the
   * address is truncated), or `networkOfAsn` / `networkOfOrganisation` from an IP database.
   */
  network: NetworkOperator | null;
  /**
   * The request came from the address the sender's own extension/API calls came from recently
   * (compare keyed hashes; never store the raw address).
   */
  fromSenderNetwork?: boolean;
}

/** A stored hit: the classifiable facts plus what the token said. */
export interface TrackingHit extends ClassifiableHit {
  messageId: string;
  /** From the token: the one recipient, or null for a pixel/links shared by several recipients. */
  recipient: string | null;
  /** From the click token; null for opens and the honeypot. */
  linkIndex: number | null;
}

/** Facts about the message the hit belongs to. */
export interface MessageContext {
  /** When the message was sent (epoch ms). */
  sentAt: number;
  /**
   * When the sender's extension reported the sender looking at this sent message (epoch ms). Gmail
   * fetches images through its proxy without cookies, so the server cannot recognise the sender's own
   * view; the extension can, and tells the API. Hits within `senderViewWindowMs` of such a report are
   * the sender's own.
   */
  senderViewsAt?: readonly number[];
}

export interface HitContext extends MessageContext {
  /** Clicks: distinct other links of the same message hit within `burstWindowMs` (settleClicks fills it). */
  otherLinksHitWithinBurst?: number;
  /** Clicks: the settle window has passed, so a burst would have been seen (settleClicks sets it). */
  settled?: boolean;
}

export interface ClassifyOptions {
  /** Opens this soon after sending are the sender's own client or a delivery-time fetch. */
  sendWindowMs: number;
  /** Clicks this soon after sending are a delivery-time scan. */
  instantClickWindowMs: number;
  /** Clicks on several links of one message within this window are a scanner's burst. */
  burstWindowMs: number;
  /** How many other links hit within the burst window make a burst. */
  burstMinOtherLinks: number;
  /** Hits this close (before or after) to a sender-view report are the sender's own. */
  senderViewWindowMs: number;
  /** settleClicks: a click is final only after this long (at least burstWindowMs). */
  settleMs: number;
}

export const defaultClassifyOptions: Readonly<ClassifyOptions> = Object.freeze({
  sendWindowMs: 15_000,
  instantClickWindowMs: 10_000,
  burstWindowMs: 10_000,
  burstMinOtherLinks: 2,
  senderViewWindowMs: 20_000,
  settleMs: 15_000,
});

export function classifyHit(hit: ClassifiableHit, context: HitContext, options: Partial<ClassifyOptions> = {}): Classification {
  const o = { ...defaultClassifyOptions, ...options };
  const agent = hit.agent ?? identifyAgent(hit.userAgent);
  const network = hit.network ? networkInfo(hit.network) : null;
  const sinceSent = Math.max(0, hit.at - context.sentAt);
  const isOpen = hit.kind === 'open';

  // 1. Browsers and mail apps fetch images and follow links with GET. HEAD/OPTIONS are link checkers.
  if (hit.method.trim().toUpperCase() !== 'GET') return machine('non_get_request', 'certain');

  // 2. The honeypot has no text and is not displayed: nobody can click it.
  if (!isOpen && hit.honeypot) return machine('honeypot_link', 'certain');

  // 3. Software that says what it is.
  if (isMachineAgent(agent.family)) return machine(machineReason(agent), 'certain', agent);

  // 4. The sender's own views.
  if (context.senderViewsAt?.some((viewAt) => Math.abs(hit.at - viewAt) <= o.senderViewWindowMs)) {
    return result('sender_self', false, 'probable', 'sender_viewing');
  }
  if (hit.fromSenderNetwork) return result('sender_self', false, 'probable', 'sender_network');

  // 5. Apple Mail Privacy Protection prefetch: the bare "Mozilla/5.0".
  if (agent.family === 'apple_mpp_proxy') {
    if (isOpen) return result('apple_mpp', false, hit.network === 'apple' ? 'certain' : 'probable', 'apple_mpp_prefetch');
    return machine('bare_user_agent', 'probable');
  }

  // 6. Mail providers' image proxies, recognised by their agent.
  if (agent.family === 'gmail_image_proxy' || agent.family === 'yahoo_mail_proxy') {
    const via = agent.family === 'gmail_image_proxy' ? 'Gmail’s image proxy' : 'Yahoo Mail’s proxy';
    if (isOpen) return imageProxy(via);
    return machine('mail_provider_link_check', 'certain', agent, via);
  }

  // 7. Known networks.
  if (network) {
    const personal = isPersonalAgent(agent.family);
    if (isOpen) {
      if (network.openRole === 'apple_mpp') return result('apple_mpp', false, 'probable', 'apple_network_open');
      if (network.openRole === 'image_proxy') {
        if (agent.family === 'empty') return machine('provider_fetch_without_agent', 'probable', agent, network.label);
        return imageProxy(network.label);
      }
      return machine('scanner_network', personal ? 'probable' : 'certain', agent, network.label, personal && network.browserIsolation);
    }
    if (network.clickRole === 'scanner') {
      if (network.openRole === 'image_proxy' && network.operator !== 'microsoft') {
        return machine('mail_provider_link_check', personal ? 'probable' : 'certain', agent, network.label);
      }
      return machine('scanner_network', personal ? 'probable' : 'certain', agent, network.label, personal && network.browserIsolation);
    }
  }

  // 8. No User-Agent: every browser and mail app sends one.
  if (agent.family === 'empty') return isOpen ? result('unknown', false, 'probable', 'missing_user_agent') : machine('missing_user_agent', 'probable');

  // 9. Timing.
  if (isOpen && sinceSent < o.sendWindowMs) return result('unknown', false, 'probable', 'open_right_after_send');
  if (!isOpen && sinceSent < o.instantClickWindowMs) return machine('click_right_after_send', 'probable');
  if (!isOpen && (context.otherLinksHitWithinBurst ?? 0) >= o.burstMinOtherLinks) return machine('link_burst', 'probable');

  // 10. A person's own browser or mail app.
  if (agent.family === 'outdated_browser') {
    return isOpen ? result('unknown', false, 'probable', 'unrecognised_agent', agent) : machine('outdated_browser', 'probable', agent);
  }
  if (isPersonalAgent(agent.family)) {
    if (isOpen) return result('human', true, 'probable', 'client_open', agent);
    if (agent.family === 'browser_desktop' || agent.family === 'browser_mobile') {
      return result('human', true, context.settled ? 'certain' : 'probable', 'browser_click', agent);
    }
    return result('human', true, 'probable', 'app_click', agent);
  }
  return result('unknown', false, 'probable', 'unrecognised_agent', agent);

  function imageProxy(via: string): Classification {
    // A proxy fetch seconds after sending is the sender's own mailbox showing the sent message, or a
    // delivery-time fetch; later fetches happen when a recipient displays the message.
    if (sinceSent < o.sendWindowMs) return result('image_proxy', false, 'probable', 'image_proxy_at_send', agent, via);
    return result('image_proxy', true, 'probable', 'image_proxy_open', agent, via);
  }

  function machine(reason: HitReason, confidence: Confidence, who?: AgentInfo, via?: string, isolation = false): Classification {
    return result('scanner', false, confidence, reason, who, via, isolation);
  }

  function result(cls: HitClass, counts: boolean, confidence: Confidence, reason: HitReason, who?: AgentInfo, via?: string, isolation = false): Classification {
    return { class: cls, counts, confidence, reason, explanation: explain(reason, hit.kind, who?.vendor ?? null, via ?? null, isolation) };
  }
}

/** What a reload within the repeat window of a counted hit becomes (see repeats.ts). */
export const repeatedLoad = (kind: HitKind): Classification => ({
  class: 'repeat',
  counts: false,
  confidence: 'certain',
  reason: 'repeated_load',
  explanation: explain('repeated_load', kind, null, null, false),
});

function machineReason(agent: AgentInfo): HitReason {
  switch (agent.family) {
    case 'office_link_check':
      return 'office_link_check';
    case 'headless_browser':
      return 'headless_browser';
    case 'http_library':
      return 'http_library';
    case 'crawler':
      return 'crawler_agent';
    default:
      return 'scanner_agent';
  }
}

function explain(reason: HitReason, kind: HitKind, vendor: string | null, via: string | null, isolation: boolean): string {
  const thing = kind === 'open' ? 'open' : 'click';
  switch (reason) {
    case 'non_get_request':
      return 'A HEAD or OPTIONS request only checks that the address exists; browsers and mail apps fetch with GET, so this was a link checker.';
    case 'honeypot_link':
      return 'This hidden link cannot be seen or clicked by a person; only software that follows every link reaches it.';
    case 'sender_viewing':
      return 'You were looking at this sent message at that moment, so this was your own view, not the recipient’s.';
    case 'sender_network':
      return 'This came from the same network as your own recent activity, so it was most likely your own view.';
    case 'scanner_agent':
      return `${vendor ?? 'A security scanner'} checked this link for threats before or instead of the recipient; scanners are not counted.`;
    case 'office_link_check':
      return 'Microsoft Office checked the link before opening it in the browser; the browser’s own visit is counted separately.';
    case 'headless_browser':
      return 'An automated browser without a screen made this request, not a person.';
    case 'http_library':
      return 'A script or command-line tool made this request, not a person’s browser or mail app.';
    case 'crawler_agent':
      return 'A crawler or link-preview bot fetched this address, not a person.';
    case 'apple_mpp_prefetch':
      return 'Apple Mail Privacy Protection downloads images when a message arrives, whether or not it is read, so this says nothing about an open.';
    case 'apple_network_open':
      return 'This came through Apple’s privacy proxy, which downloads images on arrival, so it says nothing about an open.';
    case 'bare_user_agent':
      return 'The request identified itself only as "Mozilla/5.0", which no browser does; it was automated.';
    case 'image_proxy_open':
      return `The image was fetched through ${via ?? 'a mail provider’s proxy'} when the message was displayed; the proxy hides the device, so this is probably, not certainly, an open.`;
    case 'image_proxy_at_send':
      return `The image was fetched through ${via ?? 'a mail provider’s proxy'} seconds after sending: that is the sent copy being displayed or delivery-time processing, not a recipient reading it.`;
    case 'mail_provider_link_check':
      return `The link was fetched by ${via ?? 'a mail provider’s servers'}, not by a person’s browser, which is how providers check links.`;
    case 'provider_fetch_without_agent':
      return `${via ?? 'A mail provider'} fetched this without identifying itself, which its security scans do; it is not counted.`;
    case 'scanner_network':
      return isolation
        ? `This came from ${via ?? 'a security vendor’s network'}; it is most likely a scan, though the vendor’s browser isolation can also carry a person, so it is not counted.`
        : `This came from ${via ?? 'a security vendor’s network'}, where link scanners run; a person’s ${thing} comes from their own network.`;
    case 'missing_user_agent':
      return kind === 'open'
        ? 'The request did not say what program made it, so it cannot be counted as an open.'
        : 'The request did not say what program made it; every browser does, so it was automated.';
    case 'open_right_after_send':
      return 'The image was fetched seconds after sending, before a recipient could plausibly read the message, so it is not counted.';
    case 'click_right_after_send':
      return 'The link was followed seconds after sending, which is what security scanners do on delivery.';
    case 'link_burst':
      return 'Several links of this message were followed within seconds of each other, which is how scanners behave, not people.';
    case 'outdated_browser':
      return 'Internet Explorer was retired in 2022; link scanners still announce it, so this click is not counted.';
    case 'client_open':
      return `${vendor ? `${vendor} ` : 'The recipient’s mail app '}loaded the image directly; this is probably a real open (images can also load when a message is previewed).`;
    case 'browser_click':
      return `The link was opened in ${vendor ?? 'a'} browser after the scanner window had passed: a person clicked it.`;
    case 'app_click':
      return 'The link was opened in a mail app’s built-in browser: probably a person.';
    case 'unrecognised_agent':
      return `This ${thing} came from a program we do not recognise, so it is not counted.`;
    case 'repeated_load':
      return kind === 'open'
        ? 'The same recipient loaded this message again from the same network moments after an open that counted; reloads are counted once.'
        : 'The same recipient followed this link again from the same network moments after a click that counted; repeats are counted once.';
  }
}

export interface SettledHit<H> {
  hit: H;
  classification: Classification;
}

/**
 * Decides which clicks are final. A click younger than `settleMs` stays pending: a scanner hits every
 * link within seconds, and only once the window has passed can a burst be told from one person's
 * click. Pass every click of the messages concerned from at least `burstWindowMs` before the oldest
 * pending one (clicks already final may be passed again; the caller keeps its own record of which
 * it has stored). Opens need no settling and are classified at once.
 */
export function settleClicks<H extends TrackingHit>(
  hits: readonly H[],
  now: number,
  contextOf: (hit: H) => MessageContext,
  options: Partial<ClassifyOptions> = {},
): { final: SettledHit<H>[]; pending: H[] } {
  const o = { ...defaultClassifyOptions, ...options };
  const settleMs = Math.max(o.settleMs, o.burstWindowMs);
  const final: SettledHit<H>[] = [];
  const pending: H[] = [];
  const linkKey = (hit: TrackingHit) => (hit.honeypot ? 'honeypot' : `link:${hit.linkIndex ?? '?'}`);

  for (const hit of hits) {
    if (hit.kind !== 'click') {
      final.push({ hit, classification: classifyHit(hit, contextOf(hit), o) });
      continue;
    }
    if (now - hit.at < settleMs) {
      pending.push(hit);
      continue;
    }
    const ownKey = linkKey(hit);
    const others = new Set<string>();
    for (const other of hits) {
      if (other === hit || other.kind !== 'click' || other.messageId !== hit.messageId) continue;
      if (Math.abs(other.at - hit.at) > o.burstWindowMs) continue;
      const key = linkKey(other);
      if (key !== ownKey) others.add(key);
    }
    const context: HitContext = { ...contextOf(hit), otherLinksHitWithinBurst: others.size, settled: true };
    final.push({ hit, classification: classifyHit(hit, context, o) });
  }
  return { final, pending };
}

/** A hit as stored after classification: what summarizeHits reads. */
export interface ClassifiedHit {
  messageId: string;
  recipient: string | null;
  kind: HitKind;
  linkIndex: number | null;
  at: number;
  class: HitClass;
  counts: boolean;
}

export type Attribution = { kind: 'recipient'; recipient: string } | { kind: 'a_recipient' };

export interface LinkClicks {
  linkIndex: number;
  count: number;
  first: number;
  last: number;
}

export interface MessageTrackingSummary {
  messageId: string;
  /** Who the counted opens and clicks are attributed to: a named recipient only when the message went to exactly one. */
  attribution: Attribution;
  opens: { count: number; first: number | null; last: number | null };
  /** Counted clicks per link, by link index. */
  clicks: LinkClicks[];
  /** Hits that did not count, by class (human never appears here). */
  machineHits: Record<HitClass, number>;
}

/**
 * Per-message summaries (in order of first appearance). `recipientCounts` (messageId → number of
 * recipients) makes the attribution rule explicit: a message to several recipients is attributed to
 * "a recipient" even if a hit's token named one.
 */
export function summarizeHits(
  hits: readonly ClassifiedHit[],
  options: { recipientCounts?: Readonly<Record<string, number>> } = {},
): MessageTrackingSummary[] {
  const summaries = new Map<string, MessageTrackingSummary>();
  const named = new Map<string, Set<string | null>>();
  for (const hit of hits) {
    let summary = summaries.get(hit.messageId);
    if (!summary) {
      summary = {
        messageId: hit.messageId,
        attribution: { kind: 'a_recipient' },
        opens: { count: 0, first: null, last: null },
        clicks: [],
        machineHits: { human: 0, image_proxy: 0, apple_mpp: 0, scanner: 0, sender_self: 0, unknown: 0, repeat: 0 },
      };
      summaries.set(hit.messageId, summary);
      named.set(hit.messageId, new Set());
    }
    named.get(hit.messageId)!.add(hit.recipient);
    if (!hit.counts) {
      summary.machineHits[hit.class] += 1;
      continue;
    }
    if (hit.kind === 'open') {
      summary.opens.count += 1;
      summary.opens.first = summary.opens.first === null ? hit.at : Math.min(summary.opens.first, hit.at);
      summary.opens.last = summary.opens.last === null ? hit.at : Math.max(summary.opens.last, hit.at);
    } else if (hit.linkIndex !== null) {
      let link = summary.clicks.find((c) => c.linkIndex === hit.linkIndex);
      if (!link) {
        link = { linkIndex: hit.linkIndex, count: 0, first: hit.at, last: hit.at };
        summary.clicks.push(link);
      }
      link.count += 1;
      link.first = Math.min(link.first, hit.at);
      link.last = Math.max(link.last, hit.at);
    }
  }
  for (const summary of summaries.values()) {
    summary.clicks.sort((a, b) => a.linkIndex - b.linkIndex);
    const recipients = [...named.get(summary.messageId)!];
    const counts = options.recipientCounts;
    const count = counts && Object.hasOwn(counts, summary.messageId) ? counts[summary.messageId] : undefined;
    const only = recipients.length === 1 ? recipients[0] : null;
    if (only && (count === undefined || count === 1)) summary.attribution = { kind: 'recipient', recipient: only };
  }
  return [...summaries.values()];
}
