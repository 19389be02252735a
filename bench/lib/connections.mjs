// Where the servers are, from the usual client variables with this machine's defaults, and how each tool is told.
// Every command of a suite (ours and the references) gets the same server the same way, so only the tool differs.

/** The environment every child starts from. DBBACKUP_* is removed so "defaults" really are dbbackup's defaults. */
export function baseEnvironment(env = process.env) {
  const clean = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('DBBACKUP_')) clean[name] = value;
  }
  return clean;
}

/** PGHOST (a host name or a socket directory), PGPORT, PGUSER; PGPASSWORD / ~/.pgpass reach the tools unchanged. */
export function postgresConnection(env = process.env) {
  return { host: env.PGHOST || '127.0.0.1', port: env.PGPORT || '5432', user: env.PGUSER || 'postgres' };
}

/** psql, pg_dump, pg_restore, createdb, pgbench and the make script all read these. */
export function postgresToolEnvironment(connection, env = process.env) {
  return { ...baseEnvironment(env), PGHOST: connection.host, PGPORT: connection.port, PGUSER: connection.user };
}

/** Our CLI takes a PostgreSQL socket directory as --socket, a host as --host. */
export function postgresCliFlags(connection) {
  const where = connection.host.startsWith('/') ? ['--socket', connection.host] : ['--host', connection.host];
  return [...where, '--port', connection.port, '--user', connection.user];
}

/**
 * MYSQL_HOST and MYSQL_TCP_PORT; the user is root because the mariadb client has no user variable (it would use
 * the login name), so the make script and our commands agree. MYSQL_PWD reaches every tool unchanged.
 */
export function mariadbConnection(env = process.env) {
  return { host: env.MYSQL_HOST || '127.0.0.1', port: env.MYSQL_TCP_PORT || '3306', user: 'root' };
}

/** MYSQL_UNIX_PORT is dropped: every tool gets -h/-P, so all of them use the same TCP connection. */
export function mariadbToolEnvironment(connection, env = process.env) {
  const clean = { ...baseEnvironment(env), MYSQL_HOST: connection.host, MYSQL_TCP_PORT: connection.port };
  delete clean.MYSQL_UNIX_PORT;
  return clean;
}

/** mariadb, mariadb-dump, mydumper and myloader all accept these short options. */
export function mariadbToolArgs(connection) {
  return ['-h', connection.host, '-P', connection.port, '-u', connection.user];
}

export function mariadbCliFlags(connection) {
  return ['--host', connection.host, '--port', connection.port, '--user', connection.user];
}
