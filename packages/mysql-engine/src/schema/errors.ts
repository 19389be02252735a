/** Base of every error the schema dump raises. */
export class MysqlSchemaError extends Error {
  override readonly name: string = 'MysqlSchemaError';
}

export class MysqlDatabaseNotFoundError extends MysqlSchemaError {
  override readonly name = 'MysqlDatabaseNotFoundError';
  constructor(readonly database: string) {
    super(`database "${database}" does not exist on this server; list databases with SHOW DATABASES or check the name`);
  }
}

/** A SHOW CREATE ... came back without a definition: the dumping account lacks a privilege. */
export class MysqlDefinitionUnreadableError extends MysqlSchemaError {
  override readonly name = 'MysqlDefinitionUnreadableError';
  constructor(
    readonly objectType: string,
    readonly objectName: string,
  ) {
    super(
      `cannot read the definition of ${objectType} ${objectName}: the account needs SELECT on mysql.proc (MariaDB) or SHOW_ROUTINE / global SELECT; grant it or back up as a more privileged user`,
    );
  }
}

/** SHOW CREATE TABLE printed something the splitter does not understand (caught: the table is dumped as printed). */
export class MysqlCreateTableParseError extends MysqlSchemaError {
  override readonly name = 'MysqlCreateTableParseError';
  constructor(
    readonly table: string,
    detail: string,
  ) {
    super(`cannot parse SHOW CREATE TABLE of ${table}: ${detail}`);
  }
}
