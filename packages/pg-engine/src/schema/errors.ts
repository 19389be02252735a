/** Base class of every error the schema module throws. */
export class SchemaDumpError extends Error {
  override readonly name: string = 'SchemaDumpError';
}

/** The server is older than the oldest version whose catalogs we read. */
export class UnsupportedServerVersionError extends SchemaDumpError {
  override readonly name = 'UnsupportedServerVersionError';
  constructor(readonly serverVersion: string) {
    super(`PostgreSQL ${serverVersion} is not supported: the native schema dump needs PostgreSQL 12 or newer`);
  }
}

/** An aclitem[] value the parser did not understand. */
export class AclParseError extends SchemaDumpError {
  override readonly name = 'AclParseError';
  constructor(
    readonly acl: string,
    readonly objectDescription: string,
  ) {
    super(`could not parse the privileges ${acl} of ${objectDescription}; report it with the output of \\dp`);
  }
}

/** Objects depend on each other in a loop that none of the known repairs (split CHECK, dummy view) breaks. */
export class DependencyCycleError extends SchemaDumpError {
  override readonly name = 'DependencyCycleError';
  constructor(readonly objects: string[]) {
    super(
      `cannot order the schema: these objects depend on each other in a loop: ${objects.join(' -> ')}; ` +
        'break the loop in the source database or use --fallback-tools (pg_dump)',
    );
  }
}
