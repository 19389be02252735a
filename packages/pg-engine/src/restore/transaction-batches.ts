import type pg from 'pg';

/**
 * Runs statements in transactions of at most `objectsPerTransaction` statements: BEGIN before the first, COMMIT
 * after every `objectsPerTransaction`-th and at commit(). Every lock a statement takes is held until its COMMIT and
 * the server's lock table is shared and finite (max_locks_per_transaction), so creating or dropping thousands of
 * tables in one transaction fails with "out of shared memory"; a small schema still runs in one transaction.
 */
export class TransactionBatches {
  private open = false;
  private inTransaction = 0;

  constructor(
    private readonly client: pg.Client,
    readonly objectsPerTransaction: number,
  ) {}

  async run(sql: string): Promise<void> {
    try {
      if (!this.open) {
        await this.client.query('BEGIN');
        this.open = true;
      }
      await this.client.query(sql);
    } catch (error) {
      await this.abandon();
      throw error;
    }
    if (++this.inTransaction >= this.objectsPerTransaction) await this.commit();
  }

  /** The first column of a query's rows as text, read inside the current transaction (seeing its changes). */
  async list(sql: string): Promise<string[]> {
    try {
      const result = await this.client.query<string[]>({ text: sql, rowMode: 'array' });
      return result.rows.map((row) => String(row[0]));
    } catch (error) {
      await this.abandon();
      throw error;
    }
  }

  async commit(): Promise<void> {
    if (this.open) await this.client.query('COMMIT');
    this.open = false;
    this.inTransaction = 0;
  }

  private async abandon(): Promise<void> {
    if (this.open) await this.client.query('ROLLBACK').catch(() => undefined);
    this.open = false;
    this.inTransaction = 0;
  }
}
