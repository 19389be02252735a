/** Thrown when the user presses Ctrl-C or Ctrl-D at a passphrase prompt. */
export class PromptCancelledError extends Error {
  constructor() {
    super('passphrase prompt cancelled');
    this.name = 'PromptCancelledError';
  }
}

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Whether a person can be asked: stdin and stderr (where the prompt goes) are both terminals. */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/**
 * Reads one line from the terminal without echoing it (raw mode), writing `prompt` to stderr. Only call it when
 * canPrompt(). Ctrl-C / Ctrl-D reject with PromptCancelledError.
 */
export function readHiddenLine(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let line = '';
    const wasRaw = stdin.isRaw;
    const finish = (error: Error | undefined) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: Buffer) => {
      for (const character of chunk.toString('utf8')) {
        if (ENTER.has(character)) return finish(undefined);
        if (character === CTRL_C || character === CTRL_D) return finish(new PromptCancelledError());
        if (BACKSPACE.has(character)) line = [...line].slice(0, -1).join('');
        else line += character;
      }
      return undefined;
    };
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
