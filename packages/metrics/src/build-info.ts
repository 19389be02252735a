/** Which dbbackup produced the metrics: `dbbackup_build_info{version,commit}`. */
export interface BuildInfo {
  /** The package version, e.g. 0.1.0. */
  version: string;
  /** Short git commit the program was built from, 'unknown' when it was not built from a git checkout. */
  commit: string;
}
