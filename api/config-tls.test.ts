// Serving https directly (TLS_CERT_FILE, TLS_KEY_FILE): what the Outlook add-in needs from a
// development API, with a certificate made the way outlook-addin/README.md says (here by openssl).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

let dir: string;
const base = { AUTH_SECRET: 'auth-secret-that-is-long-enough-0123456789', DATA_DIR: '/tmp/inbox-crm-config-test', PUBLIC_URL: 'https://localhost:8787' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'localhost.key'), '-out', join(dir, 'localhost.crt')], { stdio: 'ignore' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TLS configuration', () => {
  it('is off unless both files are given', () => {
    expect(loadConfig(base).tls).toBeUndefined();
  });

  it.each([
    ['only the certificate', { TLS_CERT_FILE: 'x.crt' }, /set both, or neither/],
    ['only the key', { TLS_KEY_FILE: 'x.key' }, /set both, or neither/],
    ['files that are not there', { TLS_CERT_FILE: '/nonexistent/localhost.crt', TLS_KEY_FILE: '/nonexistent/localhost.key' }, /TLS_CERT_FILE: cannot read \/nonexistent\/localhost\.crt/],
    ['an add-in id that is no GUID', { OUTLOOK_ADDIN_ID: 'inbox-crm' }, /OUTLOOK_ADDIN_ID: must be a GUID/],
  ])('refuses to start with %s', (_case, env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('makes the default PUBLIC_URL https when serving https, so the Outlook manifest can be made', () => {
    const { PUBLIC_URL: _unset, ...noUrl } = base;
    const files = { TLS_CERT_FILE: join(dir, 'localhost.crt'), TLS_KEY_FILE: join(dir, 'localhost.key') };
    expect(loadConfig({ ...noUrl, ...files, PORT: '8443' }).publicUrl).toBe('https://localhost:8443');
    expect(loadConfig({ ...noUrl, PORT: '8443' }).publicUrl).toBe('http://localhost:8443');
    expect(loadConfig({ ...base, ...files }).publicUrl).toBe('https://localhost:8787');
  });

  it('reads the files, and a server made as npm start makes it answers over https', async () => {
    const config = loadConfig({ ...base, TLS_CERT_FILE: join(dir, 'localhost.crt'), TLS_KEY_FILE: join(dir, 'localhost.key'), OUTLOOK_ADDIN_ID: '5d9a8c2e-1111-4222-8333-944455556666' });
    expect(config.outlookAddinId).toBe('5d9a8c2e-1111-4222-8333-944455556666');
    const server = serve({ fetch: new Hono().get('/', (c) => c.text('over tls')).fetch, port: 0, hostname: '127.0.0.1', createServer, serverOptions: config.tls });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/', ca: config.tls!.cert, servername: 'localhost' }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toBe('over tls');
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
