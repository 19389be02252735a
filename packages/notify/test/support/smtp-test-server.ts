import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

/** One message as the server received it. */
export interface ReceivedMail {
  /** True when the DATA arrived over TLS (after STARTTLS). */
  secure: boolean;
  authenticatedUser: string | null;
  envelopeFrom: string;
  envelopeTo: string[];
  headers: Map<string, string>;
  /** The decoded text body. */
  body: string;
}

export interface SmtpTestServer {
  port: number;
  mails: ReceivedMail[];
  /** Wrong credentials offered to AUTH, so a test can assert the rejected attempt count. */
  failedLogins: number;
  close(): Promise<void>;
}

/**
 * A self-signed certificate for 127.0.0.1 / localhost made with `openssl req -x509` in a temp dir. `caFile` is the
 * certificate itself: a self-signed certificate is its own CA, which is what NOTIFY_SMTP_CA_FILE is for.
 */
export function createSelfSignedCertificate(): { directory: string; caFile: string; key: string; cert: string } {
  const directory = mkdtempSync(path.join(tmpdir(), 'notify-tls-'));
  const keyFile = path.join(directory, 'key.pem');
  const certFile = path.join(directory, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=dbbackup notify test',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'pipe' },
  );
  return { directory, caFile: certFile, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}

/**
 * An in-process smtp-server on 127.0.0.1, port 0. With `tls`, it offers STARTTLS and requires AUTH (user/password,
 * PLAIN or LOGIN, only after STARTTLS, smtp-server's default). Without, it offers neither: a plain relay.
 */
export async function startSmtpTestServer(options: {
  tls?: { key: string; cert: string };
  user?: string;
  password?: string;
}): Promise<SmtpTestServer> {
  const mails: ReceivedMail[] = [];
  const state = { failedLogins: 0 };
  const server = new SMTPServer({
    ...(options.tls === undefined
      ? { hideSTARTTLS: true, authOptional: true, disabledCommands: ['AUTH'] }
      : { key: options.tls.key, cert: options.tls.cert, authMethods: ['PLAIN', 'LOGIN'] }),
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) {
        callback(null, { user: auth.username });
      } else {
        state.failedLogins += 1;
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { headers, body } = parseMessage(Buffer.concat(chunks).toString('utf8'));
        mails.push({
          secure: session.secure,
          authenticatedUser: typeof session.user === 'string' ? session.user : null,
          envelopeFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
          headers,
          body,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    get failedLogins() {
      return state.failedLogins;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function removeDirectory(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
}

/** Just enough MIME for nodemailer's single-part text messages: unfolded headers, QP/base64 body decoded. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoded = raw.slice(split + 4);
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  let body = encoded;
  if (encoding === 'quoted-printable') {
    const bytes = encoded
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(encoded, 'base64').toString('utf8');
  }
  return { headers, body: body.replace(/\r\n/g, '\n') };
}
