import { expect, it } from 'vitest';
import { checkApiUrl, permissionPatternFor } from './api-url.ts';

it.each([
  ['http://localhost:8787', { ok: true, apiUrl: 'http://localhost:8787', origin: 'http://localhost:8787' }],
  ['  https://crm.example.com/ ', { ok: true, apiUrl: 'https://crm.example.com', origin: 'https://crm.example.com' }],
  ['https://crm.example.com/api/v1/', { ok: true, apiUrl: 'https://crm.example.com', origin: 'https://crm.example.com' }],
  ['https://example.com/crm', { ok: true, apiUrl: 'https://example.com/crm', origin: 'https://example.com' }],
  ['http://127.0.0.1:9000', { ok: true, apiUrl: 'http://127.0.0.1:9000', origin: 'http://127.0.0.1:9000' }],
  ['http://crm.example.com', { ok: false }],
  ['ftp://crm.example.com', { ok: false }],
  ['crm.example.com', { ok: false }],
  ['https://user:pw@crm.example.com', { ok: false }],
  ['https://crm.example.com/?next=evil', { ok: false }],
])('%j', (input, expected) => {
  expect(checkApiUrl(input)).toMatchObject(expected);
});

it('asks for one origin, every path on it', () => {
  expect(permissionPatternFor('http://localhost:8787')).toBe('http://localhost:8787/*');
});
