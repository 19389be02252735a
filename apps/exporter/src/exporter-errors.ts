/** The command line of dbbackup-exporter is wrong (an unknown flag, a bad port). Exit 2. */
export class ExporterUsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`${message}; see dbbackup-exporter --help`, options);
    this.name = new.target.name;
  }
}
