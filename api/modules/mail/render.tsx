// A queued mail made into its two parts: the template's blocks (core/notify/templates.ts) rendered
// to HTML with React's server renderer (inline styles: mail clients ignore style sheets) and to
// plain text by core/notify/mail-document.ts, plus the unsubscribe footer of non-essential mail.
import { renderToStaticMarkup } from 'react-dom/server';
import { mailText, type MailBlock, type MailDocument } from '../../../core/notify/mail-document.ts';
import { renderMailDocument, type MailContext, type MailTemplateName, type MailTemplates } from '../../../core/notify/templates.ts';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

const font = '-apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';

function Block({ block }: { block: MailBlock }) {
  switch (block.type) {
    case 'heading':
      return <h2 style={{ fontSize: '18px', margin: '24px 0 8px', color: '#111827' }}>{block.text}</h2>;
    case 'paragraph':
      return <p style={{ margin: '0 0 12px', lineHeight: '1.5' }}>{block.text}</p>;
    case 'note':
      return <p style={{ margin: '0 0 12px', lineHeight: '1.5', color: '#6b7280', fontSize: '13px' }}>{block.text}</p>;
    case 'button':
      return (
        <p style={{ margin: '16px 0 20px' }}>
          <a href={block.url} style={{ background: '#2563eb', color: '#ffffff', padding: '10px 18px', borderRadius: '6px', textDecoration: 'none', fontWeight: 600, display: 'inline-block' }}>
            {block.label}
          </a>
        </p>
      );
    case 'list':
      return (
        <ul style={{ margin: '0 0 12px', paddingLeft: '20px', lineHeight: '1.5' }}>
          {block.items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      );
    case 'table':
      return (
        <table cellPadding={6} style={{ borderCollapse: 'collapse', margin: '0 0 12px', fontSize: '14px' }}>
          <thead>
            <tr>
              {block.columns.map((c) => (
                <th key={c} style={{ textAlign: 'left', borderBottom: '1px solid #d1d5db' }}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j} style={{ borderBottom: '1px solid #f3f4f6' }}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
}

function MailHtml({ doc, footer, unsubscribeUrl }: { doc: MailDocument; footer: string[]; unsubscribeUrl: string | null }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width" />
        <title>{doc.subject}</title>
      </head>
      <body style={{ margin: 0, background: '#f3f4f6', fontFamily: font, color: '#1f2937' }}>
        <div style={{ display: 'none', maxHeight: 0, overflow: 'hidden' }}>{doc.preview}</div>
        <div style={{ maxWidth: '560px', margin: '0 auto', padding: '24px' }}>
          <div style={{ background: '#ffffff', borderRadius: '8px', padding: '24px' }}>
            {doc.blocks.map((b, i) => (
              <Block key={i} block={b} />
            ))}
          </div>
          <div style={{ color: '#6b7280', fontSize: '12px', padding: '12px 4px', lineHeight: '1.5' }}>
            {footer.map((f, i) => (
              <div key={i}>{f}</div>
            ))}
            {unsubscribeUrl && (
              <div>
                <a href={unsubscribeUrl} style={{ color: '#6b7280' }}>Unsubscribe from these emails</a>
              </div>
            )}
          </div>
        </div>
      </body>
    </html>
  );
}

export function renderMail<K extends MailTemplateName>(template: K, data: MailTemplates[K], ctx: MailContext & { unsubscribeUrl?: string | null }): RenderedMail {
  const doc = renderMailDocument(template, data, ctx);
  const footer = ['Inbox CRM'];
  const unsubscribeUrl = ctx.unsubscribeUrl ?? null;
  const text = mailText(doc, unsubscribeUrl ? [...footer, `Stop these emails: ${unsubscribeUrl}`] : footer);
  const html = `<!doctype html>${renderToStaticMarkup(<MailHtml doc={doc} footer={footer} unsubscribeUrl={unsubscribeUrl} />)}`;
  return { subject: doc.subject, html, text };
}
