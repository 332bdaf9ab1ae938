// Pages about mail that need no sign-in: the one-click unsubscribe (RFC 8058: a POST from the mail
// client, or the page a person reaches from the link) and, in development only, /dev/mail, which
// shows what would have been sent.
import { Hono } from 'hono';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactNode } from 'react';
import { notificationCatalogue } from '../../../core/notify/preferences.ts';
import { verifyUnsubscribe } from '../../../core/notify/unsubscribe-token.ts';
import { systemActor } from '../../../core/roles.ts';
import type { AppEnv } from '../../env.ts';
import { inTenant } from '../../platform/tenancy/scope.ts';
import { unsubscribeFromEmail } from '../notification-preferences/notification-preferences.service.ts';
import { storedMails } from './transport.ts';

const page = (title: string, body: ReactNode) =>
  `<!doctype html>${renderToStaticMarkup(
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
      </head>
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '720px', margin: '40px auto', padding: '0 16px', color: '#1f2937' }}>{body}</body>
    </html>,
  )}`;

const pageHeaders = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

export function unsubscribeRoutes(secret: string) {
  const notFoundPage = page('Link not valid', <p>This unsubscribe link is not valid. Sign in to Inbox CRM to change which emails you receive.</p>);
  return (
    new Hono<AppEnv>()
      // A link scanner may fetch the link: the GET only asks, the POST unsubscribes.
      .get('/mail/unsubscribe/:token', (c) => {
        const target = verifyUnsubscribe(c.req.param('token'), secret);
        if (!target) return c.html(notFoundPage, 404, pageHeaders);
        const label = notificationCatalogue[target.kind].label;
        return c.html(
          page(
            'Unsubscribe',
            <>
              <h1 style={{ fontSize: '22px' }}>Stop these emails?</h1>
              <p>You will no longer receive emails for: {label}.</p>
              <form method="post">
                <input type="hidden" name="List-Unsubscribe" value="One-Click" />
                <button type="submit" style={{ padding: '8px 16px' }}>Unsubscribe</button>
              </form>
            </>,
          ),
          200,
          pageHeaders,
        );
      })
      .post('/mail/unsubscribe/:token', async (c) => {
        const target = verifyUnsubscribe(c.req.param('token'), secret);
        if (!target) return c.html(notFoundPage, 404, pageHeaders);
        const { db, clock } = c.var.deps;
        await inTenant(db, clock, systemActor(target.orgId), (s) => unsubscribeFromEmail(s, target.userId, target.kind));
        return c.html(
          page(
            'Unsubscribed',
            <>
              <h1 style={{ fontSize: '22px' }}>You are unsubscribed</h1>
              <p>You will no longer receive emails for: {notificationCatalogue[target.kind].label}. You can turn them back on in Inbox CRM, under your notification preferences.</p>
            </>,
          ),
          200,
          pageHeaders,
        );
      })
  );
}

/** Development only (never mounted in production): the mail kept in DATA_DIR/mail. */
export function devMailRoutes(folder: string) {
  return new Hono<AppEnv>()
    .get('/dev/mail', async (c) => {
      const mails = await storedMails(folder);
      return c.html(
        page(
          'Development mail',
          <>
            <h1 style={{ fontSize: '22px' }}>Mail that would have been sent</h1>
            <p>No SMTP_URL is set, so mail is kept in {folder}. Newest first.</p>
            {mails.length === 0 ? <p>No mail yet.</p> : null}
            <table cellPadding={6} style={{ borderCollapse: 'collapse', width: '100%' }}>
              <tbody>
                {mails.map((m) => (
                  <tr key={m.id} style={{ borderBottom: '1px solid #e5e7eb' }}>
                    <td style={{ whiteSpace: 'nowrap', color: '#6b7280' }}>{m.storedAt.replace('T', ' ').slice(0, 19)}</td>
                    <td>{m.to}</td>
                    <td>{m.subject}</td>
                    <td style={{ whiteSpace: 'nowrap' }}>
                      <a href={`/dev/mail/${m.id}/html`}>HTML</a> · <a href={`/dev/mail/${m.id}/text`}>text</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>,
        ),
        200,
        pageHeaders,
      );
    })
    .get('/dev/mail/:id/:part{html|text}', async (c) => {
      const mail = (await storedMails(folder)).find((m) => m.id === c.req.param('id'));
      if (!mail) return c.text('No such mail', 404);
      // The mail's own HTML, as a mail client would show it; scripts could not run there either.
      if (c.req.param('part') === 'html') return c.html(mail.html, 200, { ...pageHeaders, 'content-security-policy': "script-src 'none'" });
      return c.text(`To: ${mail.to}\nSubject: ${mail.subject}\n${Object.entries(mail.headers).map(([k, v]) => `${k}: ${v}\n`).join('')}\n${mail.text}`, 200, pageHeaders);
    });
}
