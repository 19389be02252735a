/** The help text of --verify-restore, which every archive-writing backup command offers. */
export const VERIFY_RESTORE_DESCRIPTION =
  'afterwards restore into temporary databases and compare every table’s rows and checksum (dropped afterwards)';
