/** The part of a process stream the CLI writes to; tests pass a small in-memory one. */
export interface OutputStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  /** Terminal width when isTTY. */
  readonly columns?: number;
}
