import { AclParseError } from './errors.js';
import type { Quoter } from './quote.js';

/**
 * GRANT/REVOKE generation from aclitem[] values, following pg_dump's buildACLCommands() (dumputils.c): revoke what
 * the base ACL (acldefault() or pg_init_privs) has and the object lacks, then grant what the object has beyond the
 * base, in the array's own order so grants that depend on WITH GRANT OPTION replay correctly, owner's grants first.
 */
export type AclObjectType =
  | 'TABLE'
  | 'SEQUENCE'
  | 'FUNCTION'
  | 'PROCEDURE'
  | 'LANGUAGE'
  | 'SCHEMA'
  | 'DATABASE'
  | 'TABLESPACE'
  | 'TYPE'
  | 'FOREIGN DATA WRAPPER'
  | 'FOREIGN SERVER'
  | 'LARGE OBJECT'
  | 'TABLES'
  | 'SEQUENCES'
  | 'FUNCTIONS'
  | 'TYPES'
  | 'SCHEMAS';

export interface AclCommandRequest {
  type: AclObjectType;
  /** Object name as it appears after `ON TYPE`, already quoted (empty for default privileges). */
  name: string;
  /** Column name, already quoted, for column privileges. */
  column?: string;
  /** aclitem[] text of the object; null means "the default", nothing to do. */
  acl: string | null;
  /** aclitem[] text to diff against: pg_init_privs entry, else acldefault(). */
  baseAcl: string;
  /** Raw owner name; grants made by someone else run under SET SESSION AUTHORIZATION. */
  owner: string | null;
  /** Prepended to each GRANT/REVOKE, e.g. `ALTER DEFAULT PRIVILEGES FOR ROLE x `. */
  prefix?: string;
  /** Used in error messages. */
  description: string;
}

interface ParsedAclItem {
  grantee: string;
  grantor: string;
  privileges: string;
  privilegesWithGrantOption: string;
}

export function buildAclCommands(request: AclCommandRequest, quoter: Quoter, serverVersionNum: number): string {
  if (request.acl === null || request.acl === '') return '';
  const aclItems = parsePgArray(request.acl);
  const baseItems = parsePgArray(request.baseAcl);
  if (aclItems === null || baseItems === null) throw new AclParseError(request.acl, request.description);

  const owner = request.owner === '' ? null : request.owner;
  const prefix = request.prefix ?? '';
  const target = request.name === '' ? request.type : `${request.type} ${request.name}`;
  const toGrant = aclItems.filter((item) => !baseItems.includes(item));
  const toRevoke = baseItems.filter((item) => !aclItems.includes(item));
  const granteeSql = (grantee: string) => (grantee === '' ? 'PUBLIC' : quoter.ident(grantee));

  let first = '';
  let second = '';
  for (const item of toRevoke) {
    const parsed = parseAclItem(item, request.type, request.column, serverVersionNum, false);
    if (parsed === null) throw new AclParseError(request.acl, request.description);
    if (parsed.privileges !== '') {
      first += `${prefix}REVOKE ${parsed.privileges} ON ${target} FROM ${granteeSql(parsed.grantee)};\n`;
    }
  }
  for (const item of toGrant) {
    const parsed = parseAclItem(item, request.type, request.column, serverVersionNum, true);
    if (parsed === null) throw new AclParseError(request.acl, request.description);
    if (parsed.privileges === '' && parsed.privilegesWithGrantOption === '') continue;
    const grantor = parsed.grantor === '' && owner ? owner : parsed.grantor;
    const switchUser = grantor !== '' && (!owner || owner !== grantor);
    let sql = '';
    if (switchUser) sql += `SET SESSION AUTHORIZATION ${quoter.ident(grantor)};\n`;
    if (parsed.privileges !== '') {
      sql += `${prefix}GRANT ${parsed.privileges} ON ${target} TO ${granteeSql(parsed.grantee)};\n`;
    }
    if (parsed.privilegesWithGrantOption !== '') {
      sql += `${prefix}GRANT ${parsed.privilegesWithGrantOption} ON ${target} TO ${granteeSql(parsed.grantee)} WITH GRANT OPTION;\n`;
    }
    if (switchUser) sql += 'RESET SESSION AUTHORIZATION;\n';
    if (owner && parsed.grantee === owner && grantor === owner) first += sql;
    else second += sql;
  }
  return first + second;
}

/** Privilege letters each object type knows, in pg_dump's output order. */
function privilegeLetters(type: AclObjectType, column: string | undefined, serverVersionNum: number) {
  switch (type) {
    case 'TABLE':
    case 'TABLES': {
      const letters: Array<[string, string]> = [
        ['r', 'SELECT'],
        ['a', 'INSERT'],
        ['x', 'REFERENCES'],
      ];
      if (column === undefined) {
        letters.push(['d', 'DELETE'], ['t', 'TRIGGER'], ['D', 'TRUNCATE']);
        if (serverVersionNum >= 170000) letters.push(['m', 'MAINTAIN']);
      }
      letters.push(['w', 'UPDATE']);
      return letters;
    }
    case 'SEQUENCE':
    case 'SEQUENCES':
      return [
        ['r', 'SELECT'],
        ['U', 'USAGE'],
        ['w', 'UPDATE'],
      ] as Array<[string, string]>;
    case 'FUNCTION':
    case 'FUNCTIONS':
    case 'PROCEDURE':
      return [['X', 'EXECUTE']] as Array<[string, string]>;
    case 'SCHEMA':
    case 'SCHEMAS':
      return [
        ['C', 'CREATE'],
        ['U', 'USAGE'],
      ] as Array<[string, string]>;
    case 'DATABASE':
      return [
        ['C', 'CREATE'],
        ['c', 'CONNECT'],
        ['T', 'TEMPORARY'],
      ] as Array<[string, string]>;
    case 'TABLESPACE':
      return [['C', 'CREATE']] as Array<[string, string]>;
    case 'LARGE OBJECT':
      return [
        ['r', 'SELECT'],
        ['w', 'UPDATE'],
      ] as Array<[string, string]>;
    default:
      // TYPE(S), LANGUAGE, FOREIGN DATA WRAPPER, FOREIGN SERVER
      return [['U', 'USAGE']] as Array<[string, string]>;
  }
}

/**
 * Parses `grantee=privs/grantor`. The grantee is '' for PUBLIC. With `splitGrantOption` the privileges held WITH
 * GRANT OPTION come back separately; a complete set becomes ALL, as pg_dump writes it.
 */
export function parseAclItem(
  item: string,
  type: AclObjectType,
  column: string | undefined,
  serverVersionNum: number,
  splitGrantOption: boolean,
): ParsedAclItem | null {
  const granteePart = readAclRoleName(item, 0);
  if (item[granteePart.end] !== '=') return null;
  const slash = item.indexOf('/', granteePart.end + 1);
  if (slash < 0) return null;
  const codes = item.slice(granteePart.end + 1, slash);
  const grantorPart = readAclRoleName(item, slash + 1);
  if (grantorPart.end !== item.length) return null;

  const plain: string[] = [];
  const withGrant: string[] = [];
  let allWithGrant = true;
  let allWithoutGrant = true;
  const suffix = column === undefined ? '' : `(${column})`;
  for (const [letter, keyword] of privilegeLetters(type, column, serverVersionNum)) {
    const at = codes.indexOf(letter);
    if (at < 0) {
      allWithGrant = false;
      allWithoutGrant = false;
    } else if (codes[at + 1] === '*' && splitGrantOption) {
      withGrant.push(keyword + suffix);
      allWithoutGrant = false;
    } else {
      plain.push(keyword + suffix);
      allWithGrant = false;
    }
  }
  let privileges = plain.join(',');
  let privilegesWithGrantOption = withGrant.join(',');
  if (allWithGrant) {
    privileges = '';
    privilegesWithGrantOption = `ALL${suffix}`;
  } else if (allWithoutGrant) {
    privileges = `ALL${suffix}`;
    privilegesWithGrantOption = '';
  }
  return { grantee: granteePart.name, grantor: grantorPart.name, privileges, privilegesWithGrantOption };
}

/** Reads a role name that may be double-quoted ("" escapes a quote), ending at an unquoted '=' or '/' or the end. */
function readAclRoleName(text: string, start: number): { name: string; end: number } {
  let name = '';
  let index = start;
  while (index < text.length && text[index] !== '=' && text[index] !== '/') {
    if (text[index] !== '"') {
      name += text[index];
      index++;
      continue;
    }
    index++;
    while (index < text.length) {
      if (text[index] === '"') {
        if (text[index + 1] === '"') {
          name += '"';
          index += 2;
          continue;
        }
        index++;
        break;
      }
      name += text[index];
      index++;
    }
  }
  return { name, end: index };
}

/** Splits the text form of a one-dimensional array (`{a,"b c"}`) into its elements; null when malformed. */
export function parsePgArray(text: string): string[] | null {
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  const items: string[] = [];
  let index = 1;
  const end = text.length - 1;
  if (index === end) return items;
  while (index <= end) {
    let value = '';
    if (text[index] === '"') {
      index++;
      while (index < end && text[index] !== '"') {
        if (text[index] === '\\') index++;
        value += text[index];
        index++;
      }
      if (text[index] !== '"') return null;
      index++;
    } else {
      while (index < end && text[index] !== ',') {
        value += text[index];
        index++;
      }
    }
    items.push(value);
    if (index === end) break;
    if (text[index] !== ',') return null;
    index++;
  }
  return items;
}
