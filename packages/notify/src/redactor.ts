/** Replaces secrets in a line of text; applied to every log line and transcript line the package produces. */
export type Redactor = (text: string) => string;

/** The user name sent with AUTH, so the SASL PLAIN token ("\0user\0password" in base64) can be recognised too. */
export interface RedactorSecrets {
  secrets: readonly string[];
  smtpUser?: string | null;
  /** Full URLs that carry tokens, each mapped to the description shown instead. */
  urls?: ReadonlyArray<{ url: string; description: string }>;
}

/**
 * Defence in depth: nodemailer already writes "/* secret *\/" instead of passwords in its transcript, and our own
 * messages never include secrets; this still replaces each secret wherever it might appear (plain, base64, URL
 * encoded, inside an AUTH PLAIN token). The SMTP transcript also hides the argument of every client AUTH command.
 */
export function createRedactor({ secrets, smtpUser, urls = [] }: RedactorSecrets): Redactor {
  const replacements: Array<[string, string]> = [];
  for (const { url, description } of urls) replacements.push([url, description]);
  for (const secret of secrets) {
    if (secret === '') continue;
    const forms = new Set([
      secret,
      Buffer.from(secret, 'utf8').toString('base64'),
      encodeURIComponent(secret),
      Buffer.from(`\0${smtpUser ?? ''}\0${secret}`, 'utf8').toString('base64'),
    ]);
    for (const form of forms) replacements.push([form, '***']);
  }
  // Longest first, so a token containing a shorter secret is replaced whole.
  replacements.sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    let result = text;
    for (const [secret, replacement] of replacements) result = result.split(secret).join(replacement);
    return result;
  };
}

/** Folds a multi-line text (an error message, a server answer) into one line for a log callback. */
export function oneLine(text: string, maxLength = 1000): string {
  const folded = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return folded.length > maxLength ? `${folded.slice(0, maxLength - 1)}…` : folded;
}
