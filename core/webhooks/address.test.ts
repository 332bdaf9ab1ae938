import { describe, expect, it } from 'vitest';
import { classifyAddress, refuseAddress, refuseUrl, type AddressClass } from './address.ts';

const production = { httpsOnly: true, allowLoopback: false };
const development = { httpsOnly: false, allowLoopback: true };

describe('classifyAddress', () => {
  it.each<[string, AddressClass]>([
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.20', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.7', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:93.184.216.34', 'public'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['[::1]', 'loopback'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['example.com', 'invalid'],
    ['256.1.1.1', 'invalid'],
    ['1.2.3', 'invalid'],
    ['1::2::3', 'invalid'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('refuseAddress', () => {
  it.each([
    ['93.184.216.34', production, null],
    ['127.0.0.1', production, '127.0.0.1 is a loopback address'],
    ['127.0.0.1', development, null],
    ['::1', development, null],
    ['10.0.0.5', development, '10.0.0.5 is a private address'],
    ['169.254.169.254', development, '169.254.169.254 is a metadata address'],
  ])('%s → %s', (address, policy, expected) => {
    expect(refuseAddress(address, policy)).toBe(expected);
  });
});

describe('refuseUrl', () => {
  it.each([
    ['https://hooks.example.com/crm', production, null],
    ['http://hooks.example.com/crm', production, 'must be https'],
    ['http://hooks.example.com/crm', development, null],
    ['ftp://hooks.example.com/crm', development, 'must be http or https'],
    ['https://127.0.0.1/hook', production, '127.0.0.1 is a loopback address'],
    ['https://10.0.0.8/hook', production, '10.0.0.8 is a private address'],
    ['https://169.254.169.254/latest/meta-data', production, '169.254.169.254 is a metadata address'],
    ['https://[::ffff:a9fe:a9fe]/', production, '::ffff:a9fe:a9fe is a metadata address'],
    ['https://localhost/hook', production, 'localhost is not reachable from outside'],
    ['http://localhost:3000/hook', development, null],
    ['https://intranet/hook', production, 'must be a fully qualified host name'],
    ['https://user:pw@hooks.example.com/', production, 'must not carry a user name or password'],
    ['not a url', production, 'not a URL'],
  ])('%s → %s', (url, policy, expected) => {
    expect(refuseUrl(url, policy)).toBe(expected);
  });
});
