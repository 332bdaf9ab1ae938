import { describe, expect, it } from 'vitest';
import { domainOf, isFreeMailDomain, normalizeEmail } from './email-address.ts';

describe('normalizeEmail', () => {
  it.each([
    ['Jane@Acme.COM', 'jane@acme.com'],
    ['  jane@acme.com ', 'jane@acme.com'],
    ['"Jane Doe" <Jane.Doe@acme.com>', 'jane.doe@acme.com'],
    ['Jane Doe <jane@acme.co.uk>', 'jane@acme.co.uk'],
    ['not an address', null],
    ['jane@localhost', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });
});

describe('domains', () => {
  it.each([
    ['jane@Acme.com', 'acme.com', false],
    ['bob@gmail.com', 'gmail.com', true],
    ['x@outlook.com', 'outlook.com', true],
  ])('%s', (email, domain, free) => {
    expect(domainOf(email)).toBe(domain);
    expect(isFreeMailDomain(domainOf(email))).toBe(free);
  });
});
