import { describe, expect, it } from 'vitest';
import { alterConfigSql, splitGucList } from '../src/schema/config.js';
import { globToRegExp, ObjectFilter } from '../src/schema/filter.js';
import { buildAclCommands, parseAclItem, parsePgArray, Quoter, quoteLiteral } from '../src/schema/index.js';
import { compareSchemas, normaliseSchemaDump, withClient } from './helpers/index.js';

const quoter = new Quoter(new Set(['select', 'user', 'table', 'from', 'group']));

describe('identifier and literal quoting', () => {
  it('leaves plain lower-case names bare and quotes everything else', () => {
    expect(quoter.ident('film')).toBe('film');
    expect(quoter.ident('_x1')).toBe('_x1');
    expect(quoter.ident('select')).toBe('"select"');
    expect(quoter.ident('Film')).toBe('"Film"');
    expect(quoter.ident('1st')).toBe('"1st"');
    expect(quoter.ident('we"ird')).toBe('"we""ird"');
    expect(quoter.ident('has space')).toBe('"has space"');
    expect(quoter.ident('Ünïcødé 表')).toBe('"Ünïcødé 表"');
    expect(quoter.ident('a$b')).toBe('"a$b"');
    expect(quoter.qualify('public', 'user')).toBe('public."user"');
    expect(quoteLiteral("it's \\ fine")).toBe("'it''s \\ fine'");
  });

  it('uses the server keyword list and agrees with quote_ident()', async () => {
    const names = ['select', 'user', 'film', 'Film', 'we"ird', 'Ünïcødé 表', 'between', 'name', 'abort', 'x y'];
    await withClient('postgres', async (client) => {
      const serverQuoter = await Quoter.load(client);
      const { rows } = await client.query<{ q: string }>('SELECT quote_ident(n) AS q FROM unnest($1::text[]) AS n', [
        names,
      ]);
      expect(names.map((name) => serverQuoter.ident(name))).toEqual(rows.map((row) => row.q));
    });
  });
});

describe('ACL commands (pg_dump buildACLCommands semantics)', () => {
  it('parses arrays with quoted elements', () => {
    expect(parsePgArray('{}')).toEqual([]);
    expect(parsePgArray('{a=r/b,"=r/b","\\"we\\"\\"ird\\"=r/b"}')).toEqual(['a=r/b', '=r/b', '"we""ird"=r/b']);
    expect(parsePgArray('not an array')).toBeNull();
  });

  it('splits privileges with and without grant option and collapses full sets to ALL', () => {
    expect(parseAclItem('"we""ird"=r*w/owner', 'TABLE', undefined, 150000, true)).toEqual({
      grantee: 'we"ird',
      grantor: 'owner',
      privileges: 'UPDATE',
      privilegesWithGrantOption: 'SELECT',
    });
    expect(parseAclItem('=arwdDxt/o', 'TABLE', undefined, 150000, true)?.privileges).toBe('ALL');
    expect(parseAclItem('=arwdDxt/o', 'TABLE', undefined, 170000, true)?.privileges).not.toBe('ALL');
    expect(parseAclItem('r=r/o', 'TABLE', '"Col"', 150000, true)?.privileges).toBe('SELECT("Col")');
  });

  it('revokes missing defaults, grants extras in order, owner first, switching to other grantors', () => {
    const sql = buildAclCommands(
      {
        type: 'TABLE',
        name: 'app.t',
        acl: '{writer=r*/owner,reader=r/writer,owner=ar/owner}',
        baseAcl: '{owner=arwdDxt/owner}',
        owner: 'owner',
        description: 'TABLE app.t',
      },
      quoter,
      150000,
    );
    expect(sql).toBe(
      [
        'REVOKE ALL ON TABLE app.t FROM owner;',
        'GRANT SELECT,INSERT ON TABLE app.t TO owner;',
        'GRANT SELECT ON TABLE app.t TO writer WITH GRANT OPTION;',
        'SET SESSION AUTHORIZATION writer;',
        'GRANT SELECT ON TABLE app.t TO reader;',
        'RESET SESSION AUTHORIZATION;',
        '',
      ].join('\n'),
    );
  });

  it('does nothing for a NULL acl and writes default privileges with their prefix', () => {
    expect(
      buildAclCommands(
        { type: 'TABLE', name: 't', acl: null, baseAcl: '{}', owner: 'o', description: 't' },
        quoter,
        150000,
      ),
    ).toBe('');
    expect(
      buildAclCommands(
        {
          type: 'FUNCTIONS',
          name: '',
          acl: '{o=X/o}',
          baseAcl: '{=X/o,o=X/o}',
          owner: 'o',
          prefix: 'ALTER DEFAULT PRIVILEGES FOR ROLE o ',
          description: 'default privileges',
        },
        quoter,
        150000,
      ),
    ).toBe('ALTER DEFAULT PRIVILEGES FOR ROLE o REVOKE ALL ON FUNCTIONS FROM PUBLIC;\n');
  });
});

describe('filters and settings', () => {
  it('matches globs literally apart from * and ?', () => {
    expect(globToRegExp('user*').test('users')).toBe(true);
    expect(globToRegExp('a.b').test('aXb')).toBe(false);
    expect(globToRegExp('t?').test('t1')).toBe(true);
    const filter = new ObjectFilter({ excludeSchemas: ['tmp*'], includeTables: ['public.user*', 'orders'] });
    expect(filter.schemaIncluded('tmp_1')).toBe(false);
    expect(filter.schemaIncluded('pg_catalog')).toBe(false);
    expect(filter.relationIncluded('public', 'users')).toBe(true);
    expect(filter.relationIncluded('sales', 'orders')).toBe(true);
    expect(filter.relationIncluded('sales', 'users')).toBe(false);
    expect(filter.everything).toBe(false);
    expect(new ObjectFilter({}).everything).toBe(true);
  });

  it('splits list settings and quotes each element', () => {
    expect(splitGucList('a, "b c", "d""e"')).toEqual(['a', 'b c', 'd"e']);
    expect(alterConfigSql(quoter, 'search_path=app, "$user"', { type: 'ROLE', name: 'user' })).toBe(
      `ALTER ROLE "user" SET search_path TO 'app', '$user';`,
    );
    expect(
      alterConfigSql(quoter, 'work_mem=64MB', { type: 'ROLE', name: 'r' }, { type: 'DATABASE', name: 'My DB' }),
    ).toBe(`ALTER ROLE r IN DATABASE "My DB" SET work_mem TO '64MB';`);
  });
});

describe('pg_dump -s comparison helpers', () => {
  it('drops comments, restrict lines, blank runs and the database name', () => {
    const raw =
      '--\n-- PostgreSQL database dump\n--\n\\restrict abc\n\nSET x = 1;\n\n\n\nCOMMENT ON DATABASE shop_1 IS NULL;\n\\unrestrict abc\n';
    expect(normaliseSchemaDump(raw, 'shop_1')).toBe('SET x = 1;\n\nCOMMENT ON DATABASE <database> IS NULL;');
  });

  it('reports equal texts as equal and shows a readable diff otherwise', () => {
    expect(compareSchemas('a\nb', 'a\nb')).toEqual({ equal: true, diff: '' });
    const { equal, diff } = compareSchemas('a\nb\nc\nd', 'a\nx\nc\nd\ne');
    expect(equal).toBe(false);
    expect(diff).toContain('- b');
    expect(diff).toContain('+ x');
    expect(diff).toContain('+ e');
    expect(diff).toContain('  c');
  });
});
