import { describe, expect, it } from 'vitest';
import {
  classifyHit,
  type ClassifiedHit,
  type Classification,
  type HitContext,
  type MessageContext,
  settleClicks,
  summarizeHits,
  type TrackingHit,
} from './classify.ts';
import { networkOfAsn, networkOfIp, networkOfOrganisation, truncateIp, type NetworkOperator } from './networks.ts';
import { identifyAgent } from './user-agents.ts';

// Real user-agent strings, as sent by the clients named (sources in user-agents.ts).
const UA = {
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  yahooProxy: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
  appleMpp: 'Mozilla/5.0',
  appleMailMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  appleMailIos: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  outlookDesktop: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17126; Pro)',
  outlookWordEngine:
    'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/7.0; SLCC2; .NET CLR 2.0.50727; .NET CLR 3.5.30729; .NET CLR 3.0.30729; .NET4.0C; .NET4.0E; BCP 1.2 GPO; Microsoft Outlook 16.0.9029; Microsoft Outlook 16.0.9029; ms-office; MSOffice 16)',
  officeExistence: 'Microsoft Office Existence Discovery',
  // Seen from Safe Links detonations (nextauth/laravel-passwordless-login and opencollective issue threads).
  safeLinksChrome97: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/97.0.4692.99 Safari/537.36',
  safeLinksChrome72: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/72.0.3626.109 Safari/537.36',
  ie11: 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
  barracuda: 'Barracuda Sentinel (EE)',
  curl: 'curl/8.4.0',
  pythonRequests: 'python-requests/2.31.0',
  goHttp: 'Go-http-client/1.1',
  wget: 'Wget/1.21.4',
  headlessChrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  slackbot: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  iphoneSafari: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  iphoneChrome: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
  androidChrome: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  androidCubot: 'Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  samsungInternet: 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  androidWebView: 'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36',
  thunderbird: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.6.0',
};

const SENT = Date.parse('2026-05-04T09:00:00Z');
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

interface Case {
  kind?: 'open' | 'click';
  ua: string | null;
  after: number;
  network?: NetworkOperator | null;
  method?: string;
  honeypot?: boolean;
  fromSenderNetwork?: boolean;
  context?: Partial<HitContext>;
}

const hitOf = (c: Case) => ({
  kind: c.kind ?? 'open',
  honeypot: c.honeypot ?? false,
  at: SENT + c.after,
  method: c.method ?? 'GET',
  userAgent: c.ua,
  network: c.network ?? null,
  fromSenderNetwork: c.fromSenderNetwork,
});
const contextOf = (c: Case): HitContext => ({ sentAt: SENT, ...c.context });

function classify(c: Case): Classification {
  return classifyHit(hitOf(c), contextOf(c));
}

type Expected = Pick<Classification, 'class' | 'counts' | 'confidence' | 'reason'>;
const counted = (cls: Expected['class'], confidence: Expected['confidence'], reason: Expected['reason']): Expected => ({ class: cls, counts: true, confidence, reason });
const ignored = (cls: Expected['class'], confidence: Expected['confidence'], reason: Expected['reason']): Expected => ({ class: cls, counts: false, confidence, reason });

const settled = { settled: true };

const cases: [string, Case, Expected][] = [
  // Gmail
  ['Gmail image proxy, two hours after sending', { ua: UA.gmailProxy, after: 2 * HOUR, network: 'google' }, counted('image_proxy', 'probable', 'image_proxy_open')],
  ['Gmail image proxy, 3 s after sending (the sent copy shown to the sender)', { ua: UA.gmailProxy, after: 3 * S, network: 'google' }, ignored('image_proxy', 'probable', 'image_proxy_at_send')],
  ['Gmail image proxy while the sender looks at the sent message', { ua: UA.gmailProxy, after: 3 * HOUR, network: 'google', context: { senderViewsAt: [SENT + 3 * HOUR - 4 * S] } }, ignored('sender_self', 'probable', 'sender_viewing')],
  ['Gmail image proxy shortly before the sender-view report arrives', { ua: UA.gmailProxy, after: 3 * HOUR, network: 'google', context: { senderViewsAt: [SENT + 3 * HOUR + 2 * S] } }, ignored('sender_self', 'probable', 'sender_viewing')],
  ['Gmail image proxy a minute after an old sender view', { ua: UA.gmailProxy, after: 3 * HOUR, network: 'google', context: { senderViewsAt: [SENT + 3 * HOUR - MIN] } }, counted('image_proxy', 'probable', 'image_proxy_open')],
  ['Gmail image proxy UA following a link', { kind: 'click', ua: UA.gmailProxy, after: HOUR, network: 'google' }, ignored('scanner', 'certain', 'mail_provider_link_check')],
  ['Chrome UA clicking from Google’s mail servers', { kind: 'click', ua: UA.chromeWindows, after: HOUR, network: 'google', context: settled }, ignored('scanner', 'probable', 'mail_provider_link_check')],
  // Yahoo
  ['Yahoo Mail proxy open', { ua: UA.yahooProxy, after: HOUR }, counted('image_proxy', 'probable', 'image_proxy_open')],
  ['Yahoo Mail proxy fetching a link', { kind: 'click', ua: UA.yahooProxy, after: HOUR }, ignored('scanner', 'certain', 'mail_provider_link_check')],
  // Apple
  ['Apple MPP prefetch from Apple’s network', { ua: UA.appleMpp, after: 40 * S, network: 'apple' }, ignored('apple_mpp', 'certain', 'apple_mpp_prefetch')],
  ['Apple MPP prefetch through a Private Relay partner we do not know', { ua: UA.appleMpp, after: 2 * MIN }, ignored('apple_mpp', 'probable', 'apple_mpp_prefetch')],
  ['Apple Mail (macOS) UA from Apple’s network', { ua: UA.appleMailMac, after: HOUR, network: 'apple' }, ignored('apple_mpp', 'probable', 'apple_network_open')],
  ['Apple Mail on macOS without MPP (home network)', { ua: UA.appleMailMac, after: HOUR }, counted('human', 'probable', 'client_open')],
  ['Apple Mail on iOS without MPP', { ua: UA.appleMailIos, after: 5 * HOUR }, counted('human', 'probable', 'client_open')],
  ['a bare "Mozilla/5.0" following a link', { kind: 'click', ua: UA.appleMpp, after: HOUR }, ignored('scanner', 'probable', 'bare_user_agent')],
  ['iPhone Safari click through iCloud Private Relay', { kind: 'click', ua: UA.iphoneSafari, after: HOUR, network: 'apple', context: settled }, counted('human', 'certain', 'browser_click')],
  // Outlook / Microsoft
  ['Outlook for Windows loading images itself', { ua: UA.outlookDesktop, after: 30 * MIN }, counted('human', 'probable', 'client_open')],
  ['Outlook’s Word engine (ms-office) loading images', { ua: UA.outlookWordEngine, after: 30 * MIN }, counted('human', 'probable', 'client_open')],
  ['Outlook.com / Outlook on the web proxy (Edge UA from Microsoft)', { ua: UA.edgeWindows, after: 30 * MIN, network: 'microsoft' }, counted('image_proxy', 'probable', 'image_proxy_open')],
  ['Office 365 fetch 5 s after sending (delivery-time)', { ua: UA.edgeWindows, after: 5 * S, network: 'microsoft' }, ignored('image_proxy', 'probable', 'image_proxy_at_send')],
  ['Microsoft fetching the pixel with no User-Agent', { ua: null, after: 30 * MIN, network: 'microsoft' }, ignored('scanner', 'probable', 'provider_fetch_without_agent')],
  ['Safe Links detonation: old Chrome from Exchange Online Protection', { kind: 'click', ua: UA.safeLinksChrome97, after: 8 * MIN, network: 'microsoft', context: settled }, ignored('scanner', 'probable', 'scanner_network')],
  ['Safe Links detonation: no User-Agent from 104.47.x', { kind: 'click', ua: '', after: 40 * S, network: 'microsoft' }, ignored('scanner', 'certain', 'scanner_network')],
  ['Safe Links HEAD check', { kind: 'click', ua: UA.safeLinksChrome72, after: 20 * S, method: 'HEAD', network: 'microsoft' }, ignored('scanner', 'certain', 'non_get_request')],
  ['Office checking a link before opening the browser', { kind: 'click', ua: UA.officeExistence, after: 2 * HOUR }, ignored('scanner', 'certain', 'office_link_check')],
  // Security vendors
  ['Proofpoint URL Defense with an IE11 UA from its network', { kind: 'click', ua: UA.ie11, after: 2 * MIN, network: 'proofpoint' }, ignored('scanner', 'certain', 'scanner_network')],
  ['Proofpoint network with a current Chrome (browser isolation could carry a person)', { kind: 'click', ua: UA.chromeWindows, after: 3 * HOUR, network: 'proofpoint', context: settled }, ignored('scanner', 'probable', 'scanner_network')],
  ['Mimecast rendering the message (pixel) from its network', { ua: UA.chromeWindows, after: 90 * S, network: 'mimecast' }, ignored('scanner', 'probable', 'scanner_network')],
  ['Mimecast following a link with an empty UA', { kind: 'click', ua: null, after: 90 * S, network: 'mimecast' }, ignored('scanner', 'certain', 'scanner_network')],
  ['Barracuda Sentinel naming itself', { kind: 'click', ua: UA.barracuda, after: 10 * MIN }, ignored('scanner', 'certain', 'scanner_agent')],
  ['Barracuda Sentinel fetching the pixel', { ua: UA.barracuda, after: 10 * MIN, network: 'barracuda' }, ignored('scanner', 'certain', 'scanner_agent')],
  // Scripts and bots
  ['curl fetching the pixel', { ua: UA.curl, after: HOUR }, ignored('scanner', 'certain', 'http_library')],
  ['python-requests following a link', { kind: 'click', ua: UA.pythonRequests, after: HOUR }, ignored('scanner', 'certain', 'http_library')],
  ['Go HTTP client following a link', { kind: 'click', ua: UA.goHttp, after: HOUR }, ignored('scanner', 'certain', 'http_library')],
  ['wget fetching the pixel', { ua: UA.wget, after: HOUR }, ignored('scanner', 'certain', 'http_library')],
  ['headless Chrome following a link', { kind: 'click', ua: UA.headlessChrome, after: HOUR }, ignored('scanner', 'certain', 'headless_browser')],
  ['Googlebot following a link', { kind: 'click', ua: UA.googlebot, after: HOUR }, ignored('scanner', 'certain', 'crawler_agent')],
  ['Slack unfurling a forwarded link', { kind: 'click', ua: UA.slackbot, after: HOUR }, ignored('scanner', 'certain', 'crawler_agent')],
  // People's browsers
  ['Chrome on Windows, click after the settle window', { kind: 'click', ua: UA.chromeWindows, after: 20 * MIN, context: settled }, counted('human', 'certain', 'browser_click')],
  ['Chrome on Windows, click not yet settled', { kind: 'click', ua: UA.chromeWindows, after: 20 * MIN }, counted('human', 'probable', 'browser_click')],
  ['Firefox on Windows', { kind: 'click', ua: UA.firefoxWindows, after: 20 * MIN, context: settled }, counted('human', 'certain', 'browser_click')],
  ['Firefox on Linux', { kind: 'click', ua: UA.firefoxLinux, after: 20 * MIN, context: settled }, counted('human', 'certain', 'browser_click')],
  ['Safari on macOS', { kind: 'click', ua: UA.safariMac, after: 20 * MIN, context: settled }, counted('human', 'certain', 'browser_click')],
  ['Edge on Windows', { kind: 'click', ua: UA.edgeWindows, after: 20 * MIN, context: settled }, counted('human', 'certain', 'browser_click')],
  ['Chrome on iPhone', { kind: 'click', ua: UA.iphoneChrome, after: 20 * MIN, context: settled }, counted('human', 'certain', 'browser_click')],
  ['Chrome on Android', { kind: 'click', ua: UA.androidChrome, after: 20 * MIN, context: settled }, counted('human', 'certain', 'browser_click')],
  ['Chrome on a CUBOT phone (no "bot" false alarm)', { kind: 'click', ua: UA.androidCubot, after: 20 * MIN, context: settled }, counted('human', 'certain', 'browser_click')],
  ['Samsung Internet', { kind: 'click', ua: UA.samsungInternet, after: 20 * MIN, context: settled }, counted('human', 'certain', 'browser_click')],
  ['an Android app’s built-in browser', { kind: 'click', ua: UA.androidWebView, after: 20 * MIN, context: settled }, counted('human', 'probable', 'app_click')],
  ['Thunderbird loading remote content', { ua: UA.thunderbird, after: 2 * HOUR }, counted('human', 'probable', 'client_open')],
  // Timing, bursts, honeypot, sender
  ['a browser click 4 s after sending', { kind: 'click', ua: UA.chromeWindows, after: 4 * S, context: settled }, ignored('scanner', 'probable', 'click_right_after_send')],
  ['a browser click with two other links hit within seconds', { kind: 'click', ua: UA.chromeWindows, after: 10 * MIN, context: { settled: true, otherLinksHitWithinBurst: 2 } }, ignored('scanner', 'probable', 'link_burst')],
  ['a browser click with one other link hit within seconds (a person correcting)', { kind: 'click', ua: UA.chromeWindows, after: 10 * MIN, context: { settled: true, otherLinksHitWithinBurst: 1 } }, counted('human', 'certain', 'browser_click')],
  ['the hidden honeypot link, even with a browser UA', { kind: 'click', ua: UA.chromeWindows, after: 10 * MIN, honeypot: true, context: settled }, ignored('scanner', 'certain', 'honeypot_link')],
  ['a HEAD request on the pixel', { ua: UA.chromeWindows, after: HOUR, method: 'HEAD' }, ignored('scanner', 'certain', 'non_get_request')],
  ['a browser open from the sender’s own network', { ua: UA.chromeWindows, after: HOUR, fromSenderNetwork: true }, ignored('sender_self', 'probable', 'sender_network')],
  ['a browser open 5 s after sending', { ua: UA.firefoxWindows, after: 5 * S }, ignored('unknown', 'probable', 'open_right_after_send')],
  ['an open without User-Agent', { ua: null, after: HOUR }, ignored('unknown', 'probable', 'missing_user_agent')],
  ['a click without User-Agent', { kind: 'click', ua: '  ', after: HOUR }, ignored('scanner', 'probable', 'missing_user_agent')],
  ['an Internet Explorer 11 click from an unknown network', { kind: 'click', ua: UA.ie11, after: HOUR, context: settled }, ignored('scanner', 'probable', 'outdated_browser')],
  ['an agent nobody knows', { ua: 'FooMail/3.2', after: HOUR }, ignored('unknown', 'probable', 'unrecognised_agent')],
];

describe('classifyHit', () => {
  it('has a real case table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s', (_name, input, expected) => {
    const result = classify(input);
    expect({ class: result.class, counts: result.counts, confidence: result.confidence, reason: result.reason }).toEqual(expected);
    expect(result.explanation).toMatch(/^\S.{20,}\.$/);
  });

  it('never counts apple_mpp, scanner, sender_self or unknown hits', () => {
    for (const [, input] of cases) {
      const result = classify(input);
      if (['apple_mpp', 'scanner', 'sender_self', 'unknown'].includes(result.class)) expect(result.counts).toBe(false);
    }
  });

  it('treats a lower-case method like its upper-case form', () => {
    expect(classify({ kind: 'click', ua: UA.chromeWindows, after: HOUR, method: 'get', context: settled }).class).toBe('human');
  });

  it('lets the caller widen the send window', () => {
    const hit = { ua: UA.gmailProxy, after: 20 * S, network: 'google' as const };
    expect(classify(hit).counts).toBe(true);
    expect(classifyHit({ kind: 'open', honeypot: false, at: SENT + 20 * S, method: 'GET', userAgent: UA.gmailProxy, network: 'google' }, { sentAt: SENT }, { sendWindowMs: 30 * S }).counts).toBe(false);
  });
});

describe('classifyHit from a stored agent family', () => {
  // Stored hits keep identifyAgent's result, not the raw string: classifying from it must agree.
  it.each(cases)('%s', (_name, input) => {
    const fromString = classify(input);
    const { userAgent, ...rest } = hitOf(input);
    const fromFamily = classifyHit({ ...rest, userAgent: null, agent: identifyAgent(userAgent) }, contextOf(input));
    expect(fromFamily).toEqual(fromString);
  });
});

describe('identifyAgent', () => {
  it.each([
    [UA.gmailProxy, 'gmail_image_proxy'],
    [UA.yahooProxy, 'yahoo_mail_proxy'],
    [UA.appleMpp, 'apple_mpp_proxy'],
    [UA.appleMailMac, 'apple_mail'],
    [UA.outlookDesktop, 'outlook_desktop'],
    [UA.outlookWordEngine, 'outlook_desktop'],
    [UA.ie11, 'outdated_browser'],
    [UA.barracuda, 'link_scanner'],
    [UA.safariMac, 'browser_desktop'],
    [UA.iphoneSafari, 'browser_mobile'],
    [UA.androidWebView, 'webview'],
    [UA.thunderbird, 'email_client'],
    [UA.slackbot, 'crawler'],
    ['', 'empty'],
  ])('%s → %s', (ua, family) => {
    expect(identifyAgent(ua).family).toBe(family);
  });

  it.each([
    [UA.edgeWindows, 'Edge'],
    [UA.chromeWindows, 'Chrome'],
    [UA.firefoxWindows, 'Firefox'],
    [UA.safariMac, 'Safari'],
    [UA.iphoneChrome, 'Chrome'],
    [UA.samsungInternet, 'Samsung Internet'],
  ])('names the browser of %s', (ua, vendor) => {
    expect(identifyAgent(ua).vendor).toBe(vendor);
  });
});

describe('known networks', () => {
  it.each([
    ['66.249.84.222', 'google'], // a Gmail proxy address from an ESP open event
    ['17.58.63.1', 'apple'],
    ['::ffff:17.1.2.3', 'apple'],
    ['104.47.1.254', 'microsoft'], // Safe Links, reported in a public issue
    ['40.94.16.10', 'microsoft'],
    ['40.107.235.7', 'microsoft'],
    ['2a01:111:f400:7e1c::5', 'microsoft'],
    ['148.163.150.2', 'proofpoint'],
    ['205.139.110.61', 'mimecast'],
    ['209.222.82.10', 'barracuda'],
    ['8.8.8.8', null],
    ['20.72.100.79', null], // plain Azure: people run VPNs there too
    ['192.168.1.10', null],
    ['not an ip', null],
  ])('%s → %s', (ip, operator) => {
    expect(networkOfIp(ip)).toBe(operator);
  });

  it('maps ASNs and organisation names', () => {
    expect(networkOfAsn(15169)).toBe('google');
    expect(networkOfAsn(714)).toBe('apple');
    expect(networkOfAsn(64512)).toBeNull();
    expect(networkOfOrganisation('MICROSOFT-CORP-MSN-AS-BLOCK')).toBe('microsoft');
    expect(networkOfOrganisation('Proofpoint, Inc.')).toBe('proofpoint');
    expect(networkOfOrganisation('Zscaler, Inc.')).toBeNull();
  });

  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['bogus', null],
  ])('truncates %s to %s', (ip, truncated) => {
    expect(truncateIp(ip)).toBe(truncated);
  });
});

describe('settleClicks', () => {
  const MESSAGE = 'm-1';
  const context: MessageContext = { sentAt: SENT };
  const click = (id: string, linkIndex: number | null, after: number, extra: Partial<TrackingHit> = {}): TrackingHit & { id: string } => ({
    id,
    kind: 'click',
    messageId: MESSAGE,
    recipient: null,
    linkIndex,
    honeypot: false,
    at: SENT + after,
    method: 'GET',
    userAgent: UA.chromeWindows,
    network: null,
    ...extra,
  });
  const summary = (result: ReturnType<typeof settleClicks<TrackingHit & { id: string }>>) => ({
    final: Object.fromEntries(result.final.map(({ hit, classification }) => [hit.id, `${classification.class}/${classification.reason}`])),
    pending: result.pending.map((hit) => hit.id),
  });

  it('keeps a fresh click pending, then makes it a certain human click', () => {
    const hits = [click('a', 0, 5 * MIN)];
    expect(summary(settleClicks(hits, SENT + 5 * MIN + 5 * S, () => context))).toEqual({ final: {}, pending: ['a'] });
    const later = settleClicks(hits, SENT + 5 * MIN + 20 * S, () => context);
    expect(later.final[0]?.classification).toMatchObject({ class: 'human', counts: true, confidence: 'certain' });
  });

  it('recognises a scanner burst across links, whatever its order', () => {
    const hits = [click('c', 2, 3 * MIN + 1500), click('a', 0, 3 * MIN), click('b', 1, 3 * MIN + 800)];
    expect(summary(settleClicks(hits, SENT + 10 * MIN, () => context))).toEqual({
      final: { a: 'scanner/link_burst', b: 'scanner/link_burst', c: 'scanner/link_burst' },
      pending: [],
    });
  });

  it('counts the honeypot as one of the links of a burst', () => {
    const hits = [click('a', 0, 3 * MIN), click('b', 1, 3 * MIN + S), click('h', null, 3 * MIN + 2 * S, { honeypot: true })];
    expect(summary(settleClicks(hits, SENT + 10 * MIN, () => context)).final).toEqual({
      a: 'scanner/link_burst',
      b: 'scanner/link_burst',
      h: 'scanner/honeypot_link',
    });
  });

  it('does not treat a person clicking the same link twice, or links far apart, as a burst', () => {
    const hits = [click('a', 0, 3 * MIN), click('a2', 0, 3 * MIN + 2 * S), click('b', 1, 6 * MIN)];
    expect(summary(settleClicks(hits, SENT + 10 * MIN, () => context)).final).toEqual({
      a: 'human/browser_click',
      a2: 'human/browser_click',
      b: 'human/browser_click',
    });
  });

  it('does not mix the links of different messages', () => {
    const hits = [click('a', 0, 3 * MIN), click('b', 1, 3 * MIN + S, { messageId: 'm-2' }), click('c', 2, 3 * MIN + 2 * S, { messageId: 'm-3' })];
    expect(Object.values(summary(settleClicks(hits, SENT + 10 * MIN, () => context)).final)).toEqual(['human/browser_click', 'human/browser_click', 'human/browser_click']);
  });

  it('waits at least the burst window even if asked to settle sooner', () => {
    const hits = [click('a', 0, 3 * MIN)];
    expect(settleClicks(hits, SENT + 3 * MIN + 5 * S, () => context, { settleMs: 1000 }).pending).toHaveLength(1);
  });

  it('classifies opens at once', () => {
    const open: TrackingHit & { id: string } = { ...click('o', null, HOUR), kind: 'open', userAgent: UA.gmailProxy, network: 'google' };
    expect(summary(settleClicks([open], SENT + HOUR, () => context))).toEqual({ final: { o: 'image_proxy/image_proxy_open' }, pending: [] });
  });
});

describe('summarizeHits', () => {
  const hit = (messageId: string, recipient: string | null, kind: 'open' | 'click', at: number, cls: ClassifiedHit['class'], counts: boolean, linkIndex: number | null = null): ClassifiedHit => ({
    messageId,
    recipient,
    kind,
    linkIndex,
    at,
    class: cls,
    counts,
  });

  it('attributes a shared pixel to "a recipient" and keeps machines apart', () => {
    const [summary] = summarizeHits([
      hit('m', null, 'open', SENT + 2 * S, 'apple_mpp', false),
      hit('m', null, 'open', SENT + 3 * HOUR, 'image_proxy', true),
      hit('m', null, 'open', SENT + HOUR, 'human', true),
      hit('m', null, 'click', SENT + 5 * S, 'scanner', false, 0),
      hit('m', null, 'click', SENT + 2 * HOUR, 'human', true, 1),
      hit('m', null, 'click', SENT + 4 * HOUR, 'human', true, 1),
      hit('m', null, 'click', SENT + 3 * HOUR, 'human', true, 0),
      hit('m', null, 'open', SENT + 5 * HOUR, 'sender_self', false),
    ]);
    expect(summary).toEqual({
      messageId: 'm',
      attribution: { kind: 'a_recipient' },
      opens: { count: 2, first: SENT + HOUR, last: SENT + 3 * HOUR },
      clicks: [
        { linkIndex: 0, count: 1, first: SENT + 3 * HOUR, last: SENT + 3 * HOUR },
        { linkIndex: 1, count: 2, first: SENT + 2 * HOUR, last: SENT + 4 * HOUR },
      ],
      machineHits: { human: 0, image_proxy: 0, apple_mpp: 1, scanner: 1, sender_self: 1, unknown: 0, repeat: 0 },
    });
  });

  it('names the recipient of a one-recipient message', () => {
    const [summary] = summarizeHits([hit('m', 'r-1', 'open', SENT + HOUR, 'human', true)]);
    expect(summary?.attribution).toEqual({ kind: 'recipient', recipient: 'r-1' });
  });

  it('never names a person for a message that went to several recipients', () => {
    const [summary] = summarizeHits([hit('m', 'r-1', 'open', SENT + HOUR, 'human', true)], { recipientCounts: { m: 3 } });
    expect(summary?.attribution).toEqual({ kind: 'a_recipient' });
  });

  it('reports a message with only machine hits as not opened', () => {
    const [summary] = summarizeHits([hit('m', 'r-1', 'open', SENT + S, 'apple_mpp', false), hit('m', 'r-1', 'click', SENT + S, 'scanner', false, 0)]);
    expect(summary?.opens).toEqual({ count: 0, first: null, last: null });
    expect(summary?.clicks).toEqual([]);
  });

  it('summarises each message apart', () => {
    const summaries = summarizeHits([hit('a', null, 'open', SENT + HOUR, 'human', true), hit('b', null, 'open', SENT + HOUR, 'scanner', false)]);
    expect(summaries.map((s) => [s.messageId, s.opens.count])).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
  });
});

describe('a day in the life of one tracked message', () => {
  it('counts only the recipient, not Apple, the scanner or the sender', () => {
    const base = { messageId: 'm', recipient: 'r-1', honeypot: false, method: 'GET', linkIndex: null, fromSenderNetwork: false };
    const hits: (TrackingHit & { id: string })[] = [
      { ...base, id: 'mpp', kind: 'open', at: SENT + 2 * S, userAgent: UA.appleMpp, network: 'apple' },
      { ...base, id: 's0', kind: 'click', linkIndex: 0, at: SENT + 6 * S, userAgent: UA.safeLinksChrome97, network: 'microsoft' },
      { ...base, id: 's1', kind: 'click', linkIndex: 1, at: SENT + 6 * S, userAgent: UA.safeLinksChrome97, network: 'microsoft' },
      { ...base, id: 'trap', kind: 'click', honeypot: true, at: SENT + 7 * S, userAgent: UA.safeLinksChrome97, network: 'microsoft' },
      { ...base, id: 'own', kind: 'open', at: SENT + 10 * MIN, userAgent: UA.gmailProxy, network: 'google' },
      { ...base, id: 'read', kind: 'open', at: SENT + 2 * HOUR, userAgent: UA.gmailProxy, network: 'google' },
      { ...base, id: 'click', kind: 'click', linkIndex: 1, at: SENT + 2 * HOUR + MIN, userAgent: UA.iphoneSafari, network: null },
    ];
    const { final, pending } = settleClicks(hits, SENT + 3 * HOUR, () => ({ sentAt: SENT, senderViewsAt: [SENT + 10 * MIN - S] }));
    expect(pending).toEqual([]);
    const [summary] = summarizeHits(final.map(({ hit, classification }) => ({ ...hit, class: classification.class, counts: classification.counts })), { recipientCounts: { m: 1 } });
    expect(summary).toEqual({
      messageId: 'm',
      attribution: { kind: 'recipient', recipient: 'r-1' },
      opens: { count: 1, first: SENT + 2 * HOUR, last: SENT + 2 * HOUR },
      clicks: [{ linkIndex: 1, count: 1, first: SENT + 2 * HOUR + MIN, last: SENT + 2 * HOUR + MIN }],
      machineHits: { human: 0, image_proxy: 0, apple_mpp: 1, scanner: 3, sender_self: 1, unknown: 0, repeat: 0 },
    });
  });
});
