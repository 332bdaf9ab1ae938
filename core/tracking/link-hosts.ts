// The hosts a tracked message's links point at, for the per-organization quota on new link hosts
// (api/modules/tracking/tracking-protection.service.ts): an account registering messages to link
// to hundreds of unrelated sites is using the tracking host as a redirector.
export function linkHosts(links: readonly { url: string }[]): string[] {
  const hosts = new Set<string>();
  for (const { url } of links) {
    try {
      // URL lower-cases the host and decodes IDNA to punycode, so one site is one host.
      hosts.add(new URL(url).hostname.replace(/\.$/, ''));
    } catch {
      // decorateHtml only rewrites absolute http(s) URLs, which parse.
    }
  }
  return [...hosts].sort();
}
