import { describe, expect, it } from 'vitest';
import { linkHosts } from './link-hosts.ts';

describe('linkHosts', () => {
  it.each<[string, string[], string[]]>([
    ['one host for several paths', ['https://example.com/a', 'https://example.com/b?x=1'], ['example.com']],
    ['case and a trailing dot do not make another host', ['https://Example.COM/a', 'https://example.com./b'], ['example.com']],
    ['subdomains are hosts of their own', ['https://www.example.com/', 'https://go.example.com/x'], ['go.example.com', 'www.example.com']],
    ['ports and credentials are not part of the host', ['https://user:pw@example.com:8443/x'], ['example.com']],
    ['international names become punycode', ['https://bücher.example/x'], ['xn--bcher-kva.example']],
    ['no links, no hosts', [], []],
  ])('%s', (_name, urls, hosts) => {
    expect(linkHosts(urls.map((url) => ({ url })))).toEqual(hosts);
  });
});
