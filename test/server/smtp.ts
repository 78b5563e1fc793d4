/** A real SMTP server on loopback that keeps what it receives, parsed. */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Inbox {
  url: string;
  messages: ParsedMail[];
  /** Resolves with the next message to `to` (already received or still to come). */
  next(to: string, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<Inbox> {
  const messages: ParsedMail[] = [];
  const waiting: { to: string; resolve: (m: ParsedMail) => void }[] = [];
  const taken = new Set<ParsedMail>();
  const recipient = (m: ParsedMail): string =>
    (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address ?? '')).join(',');

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          const i = waiting.findIndex((w) => recipient(mail).includes(w.to));
          if (i >= 0) {
            taken.add(mail);
            waiting.splice(i, 1)[0]!.resolve(mail);
          }
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    next(to, timeoutMs = 5000) {
      const ready = messages.find((m) => !taken.has(m) && recipient(m).includes(to));
      if (ready) {
        taken.add(ready);
        return Promise.resolve(ready);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${timeoutMs} ms`)), timeoutMs);
        waiting.push({ to, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** The one-time token from the link in a mail's text part. */
export function linkToken(mail: ParsedMail, purpose: 'invite' | 'reset'): string {
  const m = new RegExp(`#portal-${purpose}=([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!m) throw new Error(`no ${purpose} link in: ${mail.text}`);
  return m[1]!;
}
