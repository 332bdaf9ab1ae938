// The user-agent families the classifier knows, and how each is recognised.
//
// The family (not the raw string) is what gets stored with a hit. User agents are trivially forged;
// a family is evidence, not proof, and the classifier weighs it with the method, the network and the
// timing. Sources for each pattern are in the comments; HEURISTICS.md lists the limits.

export const agentFamilies = [
  'empty', // no User-Agent header at all
  'apple_mpp_proxy', // exactly "Mozilla/5.0": Apple Mail Privacy Protection's prefetch
  'gmail_image_proxy',
  'yahoo_mail_proxy',
  'link_scanner', // a security vendor that names itself (Barracuda, Mimecast, Proofpoint, …)
  'office_link_check', // Office apps probing a link before handing it to the browser
  'headless_browser',
  'http_library', // curl, python-requests, Go, Java, …
  'crawler', // search engines and chat/social link previews
  'outlook_desktop',
  'apple_mail', // Apple Mail on macOS/iOS, and iOS in-app web views (same string)
  'email_client', // Thunderbird and other desktop mail programs
  'browser_desktop',
  'browser_mobile',
  'webview', // Android in-app web view
  'outdated_browser', // Internet Explorer: retired in 2022, still worn by scanners
  'other',
] as const;
export type AgentFamily = (typeof agentFamilies)[number];

export interface AgentInfo {
  family: AgentFamily;
  /** Who the string names, when it names someone: "Barracuda", "Gmail", "Chrome", … */
  vendor: string | null;
}

interface AgentRule {
  family: AgentFamily;
  pattern: RegExp;
  vendor: string | null;
  /** Where the pattern comes from. */
  source: string;
}

// Order matters: the first rule that matches wins.
export const agentRules: readonly AgentRule[] = [
  {
    family: 'apple_mpp_proxy',
    pattern: /^Mozilla\/5\.0$/,
    vendor: 'Apple',
    // ua-parser/uap-core issue #509 (Sept 2021): MPP forces the bare string "Mozilla/5.0".
    source: 'ua-parser/uap-core#509',
  },
  {
    family: 'gmail_image_proxy',
    pattern: /GoogleImageProxy/,
    vendor: 'Gmail',
    // "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
    // seen in ESP webhooks (SparkPost open events) since Gmail proxied images in Dec 2013.
    source: 'Gmail image proxy announcement (2013); ESP open-event logs',
  },
  {
    family: 'yahoo_mail_proxy',
    pattern: /YahooMailProxy/,
    vendor: 'Yahoo Mail',
    // "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"
    source: 'help.yahoo.com SLN28749',
  },
  { family: 'link_scanner', pattern: /Barracuda/i, vendor: 'Barracuda', source: 'observed UA "Barracuda Sentinel (EE)" (bot lists, ESP filters)' },
  { family: 'link_scanner', pattern: /Mimecast/i, vendor: 'Mimecast', source: 'vendor name; Mimecast usually sends a browser UA, so its network matters more' },
  { family: 'link_scanner', pattern: /Proofpoint|urldefense/i, vendor: 'Proofpoint', source: 'vendor name; URL Defense usually sends a browser UA' },
  { family: 'link_scanner', pattern: /safelinks|Safe ?Links/i, vendor: 'Microsoft Defender', source: 'vendor name; Safe Links usually sends a browser UA or none' },
  { family: 'link_scanner', pattern: /IronPort|Cisco Secure Email/i, vendor: 'Cisco', source: 'vendor name' },
  { family: 'link_scanner', pattern: /Trend ?Micro/i, vendor: 'Trend Micro', source: 'vendor name' },
  { family: 'link_scanner', pattern: /Sophos/i, vendor: 'Sophos', source: 'vendor name' },
  { family: 'link_scanner', pattern: /Symantec|MessageLabs/i, vendor: 'Broadcom (Symantec)', source: 'vendor name' },
  { family: 'link_scanner', pattern: /Forcepoint/i, vendor: 'Forcepoint', source: 'vendor name' },
  { family: 'link_scanner', pattern: /FireEye|Trellix/i, vendor: 'Trellix', source: 'vendor name' },
  { family: 'link_scanner', pattern: /FortiMail|FortiGuard|Fortinet/i, vendor: 'Fortinet', source: 'vendor name' },
  {
    family: 'office_link_check',
    // Office apps send these (often HEAD/OPTIONS) before opening a clicked link in the browser.
    pattern: /Microsoft Office (?:Existence|Protocol) Discovery/i,
    vendor: 'Microsoft Office',
    source: 'Microsoft support article on "Microsoft Office Existence Discovery" requests',
  },
  { family: 'headless_browser', pattern: /HeadlessChrome|PhantomJS|SlimerJS|Puppeteer|Playwright|Selenium/i, vendor: null, source: 'self-named automation' },
  {
    family: 'http_library',
    pattern:
      /^(?:curl|Wget|python-requests|Python-urllib|python-httpx|Python\/[\d.]+ aiohttp|aiohttp|Go-http-client|Java\/|Apache-HttpClient|okhttp|node-fetch|axios|undici|node|libwww-perl|lwp-|PHP|GuzzleHttp|Ruby|Faraday|Dart\/|Deno\/|Bun\/|PostmanRuntime|insomnia|HTTPie|reqwest|Scrapy|WinHttp|Microsoft-CryptoAPI|colly)/i,
    vendor: null,
    source: 'default agents of common HTTP libraries and tools',
  },
  {
    family: 'crawler',
    pattern:
      /Googlebot|bingbot|Slackbot|Twitterbot|LinkedInBot|Discordbot|TelegramBot|facebookexternalhit|Facebot|WhatsApp\/|SkypeUriPreview|Applebot|redditbot|Embedly|Iframely|YandexBot|DuckDuckBot|Baiduspider|AhrefsBot|SemrushBot|MJ12bot|DotBot|PetalBot|GPTBot|ClaudeBot|Bytespider|Amazonbot|CCBot|ia_archiver|\+https?:\/\//i,
    vendor: null,
    source: 'self-declared crawlers and link-preview agents (each documents its UA)',
  },
  {
    family: 'outlook_desktop',
    // "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17126; Pro)" and, for images
    // rendered by Word's engine, "Mozilla/4.0 (compatible; MSIE 7.0; …; ms-office; MSOffice 16)".
    pattern: /Microsoft Outlook|ms-office|MSOffice|Microsoft Office\//i,
    vendor: 'Outlook',
    source: 'UA strings of Outlook for Windows/Mac in public UA test fixtures',
  },
  {
    family: 'email_client',
    pattern: /Thunderbird\/|Windows-Mail|Windows Live Mail|Postbox\/|eM Client|Evolution\/|KMail|Mailbird|Airmail|Canary Mail/i,
    vendor: null,
    source: 'desktop mail programs that name themselves',
  },
  {
    family: 'apple_mail',
    // Apple Mail omits the Safari and Version tokens: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)
    // AppleWebKit/605.1.15 (KHTML, like Gecko)" and "… (iPhone; CPU iPhone OS 17_5 like Mac OS X) … Mobile/15E148".
    pattern: /^Mozilla\/5\.0 \((?:Macintosh|iPhone|iPad|iPod)[^)]*\) AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?: Mobile\/\w+)?$/,
    vendor: 'Apple Mail',
    source: 'ua-parser/uap-core#528, medama-io/go-useragent#10',
  },
  { family: 'outdated_browser', pattern: /MSIE |Trident\//, vendor: 'Internet Explorer', source: 'IE was retired in June 2022' },
  { family: 'webview', pattern: /^Mozilla\/5\.0 \(Linux; Android[^)]*; wv\)/, vendor: 'Android WebView', source: 'Chrome docs: WebView UA carries "; wv)"' },
  { family: 'browser_mobile', pattern: /^Mozilla\/5\.0 \((?:iPhone|iPad|iPod|Linux; Android|Android)[^)]*\).*(?:Safari|Firefox)\//, vendor: null, source: 'mobile browser UA shape' },
  { family: 'browser_desktop', pattern: /^Mozilla\/5\.0 \((?:Windows|Macintosh|X11)[^)]*\).*(?:Chrome|Firefox|Safari|Edg|OPR)\/\d/, vendor: null, source: 'desktop browser UA shape' },
];

const browserNames: readonly [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];

/** Recognises a user agent. Never throws; anything unrecognised is `other`. */
export function identifyAgent(userAgent: string | null | undefined): AgentInfo {
  const ua = (userAgent ?? '').trim();
  if (ua === '') return { family: 'empty', vendor: null };
  for (const rule of agentRules) {
    if (!rule.pattern.test(ua)) continue;
    if (rule.family === 'browser_desktop' || rule.family === 'browser_mobile') {
      const name = browserNames.find(([pattern]) => pattern.test(ua));
      return { family: rule.family, vendor: name ? name[1] : null };
    }
    return { family: rule.family, vendor: rule.vendor };
  }
  return { family: 'other', vendor: null };
}

/** Families that are a person's own browser or mail program (as far as a UA can tell). */
export const isPersonalAgent = (family: AgentFamily) =>
  family === 'browser_desktop' ||
  family === 'browser_mobile' ||
  family === 'webview' ||
  family === 'apple_mail' ||
  family === 'outlook_desktop' ||
  family === 'email_client';

/** Families that are software acting on its own, whatever network they come from. */
export const isMachineAgent = (family: AgentFamily) =>
  family === 'link_scanner' ||
  family === 'office_link_check' ||
  family === 'headless_browser' ||
  family === 'http_library' ||
  family === 'crawler';
