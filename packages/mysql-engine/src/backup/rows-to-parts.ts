import type { MysqlSession } from '../connection/connect.js';
import { type EncodedPart, PartEncoder, type PartEncoderOptions } from './part-encoder.js';
import { readRawRows } from './raw-rows.js';

export interface RowsToPartsOptions {
  partSizeBytes: number;
  reuseBuffers: boolean;
  /** See PartEncoderOptions.enumTokenFields. */
  enumTokenFields?: PartEncoderOptions['enumTokenFields'];
}

/**
 * Runs a data SELECT on `session` and delivers its rows as encoded parts (see PartEncoder). Resolves when the last
 * part was handed off; rejects on the first query or handoff error, after which the session is mid-query and must
 * be destroyed by the caller.
 */
export async function readRowsToParts(
  session: MysqlSession,
  sql: string,
  columnCount: number,
  options: RowsToPartsOptions,
  onPart: (part: EncodedPart) => Promise<void>,
): Promise<void> {
  let fail: (error: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failure.catch(() => undefined);
  const encoder = new PartEncoder({
    ...options,
    onPart,
    onFailure: (error) => fail(error),
    flow: { pause: () => session.core.pause(), resume: () => session.core.resume() },
  });
  await Promise.race([readRawRows(session.core, sql, encoder, columnCount), failure]);
  await Promise.race([encoder.finish(), failure]);
}
