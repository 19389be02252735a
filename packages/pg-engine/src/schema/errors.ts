import { PgEngineError } from '../errors.js';

/**
 * Base class of the errors only the schema module throws. (A missing database and a server older than 12 are the
 * engine's DatabaseNotFoundError and UnsupportedServerVersionError, the same classes wherever they are detected.)
 */
export class SchemaDumpError extends PgEngineError {
  override readonly name: string = 'SchemaDumpError';
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
