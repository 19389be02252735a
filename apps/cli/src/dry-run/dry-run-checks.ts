import { CliError } from '../errors/cli-errors.js';
import { renderTable } from '../output/render-table.js';

export type CheckStatus = 'ok' | 'fail' | 'skipped';

export interface DryRunCheck {
  name: string;
  status: CheckStatus;
  detail: string;
}

/** A --dry-run check failed; the message is that check's message. Exit 2 (after the checks were printed). */
export class DryRunCheckFailedError extends CliError {
  constructor(check: DryRunCheck) {
    super(check.detail, 2);
  }
}

/**
 * The checks of a --dry-run, run in order. A failing check records its error's message; checks that depend on an
 * earlier one can be skipped with the reason.
 */
export class DryRunChecklist {
  readonly checks: DryRunCheck[] = [];

  /** Runs one check; returns its value, or undefined when it failed. */
  async run<T>(name: string, check: () => Promise<{ value: T; detail: string }>): Promise<T | undefined> {
    try {
      const { value, detail } = await check();
      this.checks.push({ name, status: 'ok', detail });
      return value;
    } catch (error) {
      this.checks.push({ name, status: 'fail', detail: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  fail(name: string, detail: string): void {
    this.checks.push({ name, status: 'fail', detail });
  }

  skip(name: string, reason: string): void {
    this.checks.push({ name, status: 'skipped', detail: reason });
  }

  get firstFailure(): DryRunCheck | undefined {
    return this.checks.find((check) => check.status === 'fail');
  }

  /** Throws the first failure (call after printing the checks). */
  assertPassed(): void {
    const failure = this.firstFailure;
    if (failure) throw new DryRunCheckFailedError(failure);
  }
}

/** The checks as an aligned table, then what the real run would do. */
export function renderChecks(checks: readonly DryRunCheck[], plan: readonly string[]): string {
  const table = renderTable(checks, [
    { header: 'CHECK', value: (check) => check.name },
    { header: 'RESULT', value: (check) => check.status },
    { header: 'DETAIL', value: (check) => check.detail },
  ]);
  return plan.length > 0 ? `${table}\n${plan.join('\n')}\n` : table;
}
