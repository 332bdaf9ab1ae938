// Where a rendered mail goes: an SMTP server through nodemailer (SMTP_URL), or, in development
// without one, a folder in DATA_DIR that /dev/mail shows, so a newcomer sees what would have been sent.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMessage {
  /** The outbox row's id: the Message-ID is derived from it, so a retried mail is recognisably the same. */
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export interface MailTransport {
  /** Resolves once the server accepted the message; rejects (and the worker retries) otherwise. */
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

const messageId = (message: OutgoingMessage) => `<${message.id}@${message.from.replace(/^.*@/, '').replace(/[>\s]/g, '') || 'inbox-crm'}>`;

const nodemailerFields = (message: OutgoingMessage) => ({
  from: message.from,
  to: message.to,
  subject: message.subject,
  html: message.html,
  text: message.text,
  headers: message.headers,
  messageId: messageId(message),
});

/** SMTP, e.g. `smtp://user:pass@smtp.example.com:587` or `smtps://…:465`. */
export function smtpTransport(url: string, options: { timeoutMs?: number } = {}): MailTransport {
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport(url, { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout } as never);
  return {
    async send(message) {
      await transporter.sendMail(nodemailerFields(message));
    },
    close: () => transporter.close(),
  };
}

export interface StoredMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  storedAt: string;
}

/** Development without SMTP_URL: each mail as `<time>-<id>.eml` (the raw message) and `.json`. */
export function folderTransport(dir: string): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      await mkdir(dir, { recursive: true });
      const info = await builder.sendMail(nodemailerFields(message));
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.id}`;
      const stored: StoredMail = { id: message.id, from: message.from, to: message.to, subject: message.subject, html: message.html, text: message.text, headers: message.headers, storedAt: new Date().toISOString() };
      await writeFile(join(dir, `${name}.eml`), info.message as Buffer);
      await writeFile(join(dir, `${name}.json`), JSON.stringify(stored, null, 2));
    },
    close: () => builder.close(),
  };
}

/** The mail a folder transport kept, newest first. */
export async function storedMails(dir: string): Promise<StoredMail[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort().reverse();
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as StoredMail));
}
