// The OAuth consent page both stand-ins show, and what a user's browser does with it.
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function consentPage(input: { provider: string; appName: string; scopes: string[]; action: string; fields: Record<string, string> }): string {
  const hidden = Object.entries(input.fields)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(input.provider)} sandbox: allow access?</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;color:#1f2933}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}</style></head>
<body><h1>Allow access?</h1><p><strong>${escape(input.appName)}</strong> asks to reach your ${escape(input.provider)} sandbox data:</p>
<ul>${input.scopes.map((s) => `<li>${escape(s)}</li>`).join('')}</ul>
<p>This is a local stand-in for development and tests; no real account is involved.</p>
<form method="post" action="${escape(input.action)}">${hidden}<button name="decision" value="allow" type="submit">Allow</button><button name="decision" value="deny" type="submit">Deny</button></form>
</body></html>`;
}

/** GETs the consent page, submits its form with the user's decision and returns the redirect Location. */
export async function submitConsent(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html}`);
  const action = html.match(/<form method="post" action="([^"]+)"/)?.[1];
  if (!action) throw new Error('no consent form on the page');
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(unescape(m[1]!), unescape(m[2]!));
  form.set('decision', decision);
  const answer = await fetch(new URL(unescape(action), authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  const location = answer.headers.get('location');
  if (!location) throw new Error(`consent answered ${answer.status} without a redirect: ${await answer.text()}`);
  return location;
}

const unescape = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
