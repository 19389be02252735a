import type { BuildInfo } from '@dbbackup/metrics';
import { CLI_VERSION } from '../../version.js';

/** Replaced by the commit hash at build time (tsup `define`, see tsup.config.ts). */
declare const __DBBACKUP_COMMIT__: string | undefined;

/** dbbackup_build_info of the metrics this CLI writes or serves. */
export const CLI_BUILD: BuildInfo = {
  version: CLI_VERSION,
  // Sources run without a build (in-process tests) have no define: the commit is then unknown, not an error.
  commit: typeof __DBBACKUP_COMMIT__ === 'string' ? __DBBACKUP_COMMIT__ : 'unknown',
};
