// A stand-in SMTP server for tests and development: enough of RFC 5321 for nodemailer's SMTP
// transport (EHLO/HELO, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT), keeping
// every message it accepted. It can refuse mail for a while (`failNext`) like a busy server (451),
// and can be stopped and started again on the same port, like a server going down.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message as sent (headers and body, CRLF line ends). */
  raw: string;
  receivedAt: Date;
}

export interface SmtpSandbox {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Answers the next `n` messages' DATA with 451 (a temporary failure: the sender should retry). */
  failNext(n: number): void;
  /** Stops accepting connections (the port stays reserved for `start`). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface SmtpSandboxOptions {
  port?: number;
  host?: string;
}

export async function startSmtpSandbox(options: SmtpSandboxOptions = {}): Promise<SmtpSandbox> {
  const host = options.host ?? '127.0.0.1';
  const received: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  let failures = 0;
  let server: Server | null = null;
  let port = options.port ?? 0;

  const handle = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let envelope: { from: string; to: string[] } = { from: '', to: [] };
    let data: string[] | null = null;
    reply('220 smtp-sandbox ESMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === '.') {
            const raw = data.join('\r\n');
            data = null;
            if (failures > 0) {
              failures--;
              reply('451 4.3.0 Try again later');
            } else {
              received.push({ ...envelope, raw, receivedAt: new Date() });
              reply('250 2.0.0 Ok: queued');
            }
            envelope = { from: '', to: [] };
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-smtp-sandbox\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n');
        else if (verb === 'HELO') reply('250 smtp-sandbox');
        else if (/^MAIL FROM:/i.test(line)) {
          envelope = { from: line.replace(/^MAIL FROM:\s*<?([^>\s]*)>?.*$/i, '$1'), to: [] };
          reply('250 2.1.0 Ok');
        } else if (/^RCPT TO:/i.test(line)) {
          envelope.to.push(line.replace(/^RCPT TO:\s*<?([^>\s]*)>?.*$/i, '$1'));
          reply('250 2.1.5 Ok');
        } else if (verb === 'DATA') {
          if (envelope.to.length === 0) reply('554 5.5.1 No valid recipients');
          else {
            data = [];
            reply('354 End data with <CR><LF>.<CR><LF>');
          }
        } else if (verb === 'RSET') {
          envelope = { from: '', to: [] };
          reply('250 2.0.0 Ok');
        } else if (verb === 'NOOP') reply('250 2.0.0 Ok');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 Bye');
          socket.end();
        } else reply('502 5.5.2 Command not recognized');
      }
    });
  };

  const start = async () => {
    server = createServer(handle);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, host, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    if (!server) return;
    const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closing;
    server = null;
  };

  await start();
  return {
    get url() {
      return `smtp://${host}:${port}`;
    },
    get port() {
      return port;
    },
    received,
    failNext: (n) => {
      failures = n;
    },
    stop,
    start,
    close: stop,
  };
}

/** A header of a received message, unfolded (e.g. `List-Unsubscribe`); undefined when absent. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The decoded body of the message's first part of `type` (text/plain, text/html). */
export function partOf(raw: string, type: 'text/plain' | 'text/html'): string | undefined {
  const start = raw.search(new RegExp(`Content-Type: ${type.replace('/', '\\/')}`, 'i'));
  if (start < 0) return undefined;
  const rest = raw.slice(start);
  const headersEnd = rest.indexOf('\r\n\r\n');
  const headers = rest.slice(0, headersEnd);
  const marker = raw.match(/boundary="?([^";\r\n]+)"?/i)?.[1];
  const end = marker ? rest.indexOf(`\r\n--${marker}`, headersEnd) : -1;
  const body = end < 0 ? rest.slice(headersEnd + 4) : rest.slice(headersEnd + 4, end);
  if (/Content-Transfer-Encoding: base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) {
    const unfolded = body.replace(/=\r\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < unfolded.length; i++) {
      const hex = unfolded[i] === '=' ? unfolded.slice(i + 1, i + 3) : '';
      if (/^[0-9A-F]{2}$/i.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else bytes.push(...Buffer.from(unfolded[i]!));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}
