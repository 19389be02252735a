import type { BuildInfo } from '@dbbackup/metrics';
import packageJson from '../package.json' with { type: 'json' };

/** Replaced by the commit hash at build time (tsup `define`, see tsup.config.ts). */
declare const __DBBACKUP_COMMIT__: string | undefined;

/** Version and commit of this exporter: dbbackup_build_info, --version and the startup line. */
export const EXPORTER_BUILD: BuildInfo = {
  version: packageJson.version,
  // Unbuilt sources (a test importing src/) have no define: the commit is then unknown, not an error.
  commit: typeof __DBBACKUP_COMMIT__ === 'string' ? __DBBACKUP_COMMIT__ : 'unknown',
};
