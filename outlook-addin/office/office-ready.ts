/// <reference types="office-js" />
// Whether the page runs inside Outlook. office.js (from Microsoft's CDN) calls Office.onReady with
// the host once it has talked to Outlook; opened in a plain browser tab it answers with no host, and
// offline or blocked it never loads at all. The pages show a notice in those cases, never a blank page.
import type { OfficeApi } from './office-api.ts';

export type OfficeReadiness =
  | { kind: 'outlook'; office: OfficeApi }
  | { kind: 'outside'; reason: 'no-office-js' | 'not-outlook' | 'no-answer'; host?: string | null };

interface OfficeGlobal {
  onReady?: () => Promise<{ host: unknown; platform: unknown }>;
  HostType?: { Outlook?: unknown };
}

export async function officeReady(win: { Office?: unknown }, timeoutMs = 10_000): Promise<OfficeReadiness> {
  const office = win.Office as (OfficeGlobal & OfficeApi) | undefined;
  if (!office || typeof office.onReady !== 'function') return { kind: 'outside', reason: 'no-office-js' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    const info = await Promise.race([office.onReady().catch(() => null), gaveUp]);
    if (!info) return { kind: 'outside', reason: 'no-answer' };
    const outlook = office.HostType?.Outlook ?? 'Outlook';
    if (info.host !== outlook || !office.context?.mailbox) return { kind: 'outside', reason: 'not-outlook', host: info.host == null ? null : String(info.host) };
    return { kind: 'outlook', office };
  } finally {
    clearTimeout(timer);
  }
}

/** The API's address as seen from a page under <PUBLIC_URL>/outlook/: PUBLIC_URL itself. */
export function apiBaseFrom(pageUrl: string): string {
  return new URL('../', pageUrl).href.replace(/\/+$/, '');
}
