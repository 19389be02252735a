/**
 * Logs when the catalog becomes unreadable (or the reason changes) and when it is readable again, once each:
 * scrapes every 15 s of a broken catalog must not fill the journal with the same line.
 */
export class CatalogStateLog {
  readonly #log: (line: string) => void;
  readonly #path: string;
  #lastProblem: string | null = null;

  constructor(path: string, log: (line: string) => void) {
    this.#path = path;
    this.#log = log;
  }

  report(problem: string | null): void {
    if (problem === this.#lastProblem) return;
    if (problem === null) this.#log(`the backup catalog ${this.#path} is readable again`);
    else this.#log(`serving dbbackup_catalog_up 0: ${problem}`);
    this.#lastProblem = problem;
  }
}
