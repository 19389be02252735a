import { describe, expect, it } from 'vitest';
import type { CatalogColumn, CatalogIndex } from '../src/schema/catalog.js';
import { joinCreateTable, splitCreateTable } from '../src/schema/create-table-parts.js';
import { stripDatabaseQualifier } from '../src/schema/database-qualifier.js';
import { planIndexDeferral } from '../src/schema/deferred-indexes.js';
import {
  createDatabaseSql,
  type MysqlSchemaDump,
  parseServerVersion,
  quoteIdentifier,
  restoreSessionSetup,
  retargetSchemaDump,
} from '../src/schema/index.js';
import { wrapStoredObject } from '../src/schema/stored-object.js';
import { headerDatabaseQualifiers } from '../src/schema/triggers.js';
import { normaliseDump } from './helpers/index.js';

const CREATE_TABLE = [
  'CREATE TABLE `we``ird (t)` (',
  "  `a,b` int(11) NOT NULL DEFAULT 0 COMMENT 'x, (y)',",
  "  `c` enum('p,q','r)') DEFAULT 'r)',",
  '  `d` int(11) GENERATED ALWAYS AS (`a,b` + 1) VIRTUAL,',
  '  PRIMARY KEY (`a,b`),',
  '  UNIQUE KEY `u` (`c`),',
  '  KEY `k` (`d`),',
  '  FULLTEXT KEY `f` (`c`),',
  '  CONSTRAINT `fk` FOREIGN KEY (`d`) REFERENCES `other` (`id`),',
  '  CONSTRAINT `CONSTRAINT_1` CHECK (`a,b` > 0)',
  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='a (b), c'",
].join('\n');

describe('splitCreateTable', () => {
  it('cuts at top-level commas only and classifies each definition', () => {
    const parts = splitCreateTable('t', CREATE_TABLE);
    expect(parts.head).toBe('CREATE TABLE `we``ird (t)` (');
    expect(parts.tail).toBe(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='a (b), c'");
    expect(parts.elements.map((element) => [element.kind, element.name])).toEqual([
      ['column', 'a,b'],
      ['column', 'c'],
      ['column', 'd'],
      ['primary-key', null],
      ['unique-key', 'u'],
      ['key', 'k'],
      ['fulltext-key', 'f'],
      ['constraint', 'fk'],
      ['constraint', 'CONSTRAINT_1'],
    ]);
    expect(joinCreateTable(parts)).toBe(CREATE_TABLE);
  });
});

describe('planIndexDeferral', () => {
  const column = (name: string, autoIncrement = false): CatalogColumn => ({
    table: 't',
    name,
    dataType: 'int',
    columnType: 'int(11)',
    characterSet: null,
    collation: null,
    nullable: true,
    columnDefault: null,
    generated: false,
    invisible: false,
    autoIncrement,
    period: null,
  });
  const index = (name: string, columns: string[], type = 'BTREE'): CatalogIndex => ({
    table: 't',
    name,
    unique: false,
    type,
    columns: columns.map((columnName) => ({ name: columnName, subPart: null })),
  });
  const sql = (keys: string[]) =>
    splitCreateTable(
      't',
      `CREATE TABLE \`t\` (\n  \`id\` int,\n  PRIMARY KEY (\`id\`),\n  ${keys.join(',\n  ')}\n) ENGINE=InnoDB`,
    ).elements;
  const indexes = [index('PRIMARY', ['id']), index('k_a', ['a']), index('k_p', ['p', 'a']), index('k_b', ['b'])];
  const elements = sql(['KEY `k_a` (`a`)', 'KEY `k_p` (`p`,`a`)', 'KEY `k_b` (`b`)']);
  const deferredNames = (plan: ReturnType<typeof planIndexDeferral>) => plan.deferred.map((element) => element.name);

  it('defers every secondary key when nothing needs one', () => {
    expect(deferredNames(planIndexDeferral(elements, indexes, [column('id')], []))).toEqual(['k_a', 'k_p', 'k_b']);
  });

  it('keeps the first key led by a foreign key, and everything printed before it', () => {
    const plan = planIndexDeferral(elements, indexes, [column('id')], [['p']]);
    expect(deferredNames(plan)).toEqual(['k_b']);
    expect(plan.kept.map((element) => element.name)).toEqual(['id', null, 'k_a', 'k_p']);
  });

  it('needs no secondary key when the primary key serves the foreign key', () => {
    expect(deferredNames(planIndexDeferral(elements, indexes, [column('id')], [['id']]))).toEqual([
      'k_a',
      'k_p',
      'k_b',
    ]);
  });

  it('keeps the key holding an AUTO_INCREMENT column first', () => {
    const plan = planIndexDeferral(elements, indexes, [column('id'), column('b', true)], []);
    expect(deferredNames(plan)).toEqual([]);
  });

  it('defers nothing when no key can serve a foreign key', () => {
    expect(deferredNames(planIndexDeferral(elements, indexes, [column('id')], [['zzz']]))).toEqual([]);
  });

  it('keeps MariaDB long unique (HASH) keys', () => {
    const hashed = [
      index('PRIMARY', ['id']),
      index('k_a', ['a']),
      index('k_p', ['p', 'a'], 'HASH'),
      index('k_b', ['b']),
    ];
    expect(deferredNames(planIndexDeferral(elements, hashed, [column('id')], []))).toEqual(['k_b']);
  });
});

describe('stripDatabaseQualifier', () => {
  it('drops the dumped database from two-part names only', () => {
    const statement =
      "CREATE TABLE `t` (\n  `id` int DEFAULT nextval(`db`.`s`),\n  `x` int DEFAULT nextval(`other`.`s`),\n  `c` varchar(9) DEFAULT '`db`.`s`'\n)";
    expect(stripDatabaseQualifier(statement, 'db')).toBe(
      "CREATE TABLE `t` (\n  `id` int DEFAULT nextval(`s`),\n  `x` int DEFAULT nextval(`other`.`s`),\n  `c` varchar(9) DEFAULT '`db`.`s`'\n)",
    );
    expect(stripDatabaseQualifier('select `db`.`t`.`c` from `db`.`t`', 'db')).toBe('select `db`.`t`.`c` from `t`');
  });
});

describe('trigger headers naming the database', () => {
  it('finds the qualifier of the trigger name and of its table, quoted or bare', () => {
    const statement =
      'CREATE DEFINER=`root`@`%` TRIGGER shop.trg BEFORE INSERT ON `shop`.`order` FOR EACH ROW SET @x = shop.f()';
    const spans = headerDatabaseQualifiers(statement, 'shop');
    expect(spans.map((span) => statement.slice(span.offset, span.offset + span.length))).toEqual(['shop', '`shop`']);
  });

  it('retargets those places and nothing else', () => {
    const statement =
      'CREATE DEFINER=`root`@`%` TRIGGER shop.trg BEFORE INSERT ON `shop`.`order` FOR EACH ROW SET @x = 1';
    const dump = {
      postData: [
        {
          id: 'trigger:order:trg',
          kind: 'trigger',
          statements: ["SET sql_mode = ''", statement],
          dependsOn: [],
          databaseReferences: headerDatabaseQualifiers(statement, 'shop').map((span) => ({ statement: 1, ...span })),
        },
      ],
    } as unknown as MysqlSchemaDump;
    const once = retargetSchemaDump(dump, 'shop copy');
    expect(once.postData[0]?.statements[1]).toBe(
      'CREATE DEFINER=`root`@`%` TRIGGER `shop copy`.trg BEFORE INSERT ON `shop copy`.`order` FOR EACH ROW SET @x = 1',
    );
    expect(once.postData[0]?.databaseReferences).toEqual([
      { statement: 1, offset: 34, length: 11 },
      { statement: 1, offset: 67, length: 11 },
    ]);
    // A bare name stays bare when the new one needs no quotes.
    const bare = retargetSchemaDump(dump, 'shop2');
    expect(bare.postData[0]?.statements[1]).toBe(
      'CREATE DEFINER=`root`@`%` TRIGGER shop2.trg BEFORE INSERT ON `shop2`.`order` FOR EACH ROW SET @x = 1',
    );
  });
});

describe('wrapStoredObject', () => {
  const context = {
    sqlMode: 'ANSI_QUOTES',
    characterSetClient: 'latin1',
    collationConnection: 'latin1_swedish_ci',
    databaseCollation: 'utf8mb4_bin',
  };

  it('frames the CREATE in its recorded settings and puts the session back, sql_mode first', () => {
    const wrapped = wrapStoredObject('CREATE PROCEDURE p() SELECT 1', context, 'utf8mb4_unicode_ci', 'procedure p');
    expect(wrapped.statements).toEqual([
      'ALTER DATABASE COLLATE utf8mb4_bin',
      'SET character_set_client = latin1',
      'SET collation_connection = latin1_swedish_ci',
      "SET sql_mode = 'ANSI_QUOTES'",
      'CREATE PROCEDURE p() SELECT 1',
      "SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
      'SET NAMES utf8mb4',
      'ALTER DATABASE COLLATE utf8mb4_unicode_ci',
    ]);
    expect(wrapped.createIndex).toBe(4);
    expect(wrapped.warning).toBeNull();
  });

  it('sends non-ASCII text from a non-UTF-8 client as utf8mb4, with a warning', () => {
    const wrapped = wrapStoredObject("CREATE PROCEDURE p() SELECT 'é'", context, 'utf8mb4_bin', 'procedure p');
    expect(wrapped.statements.slice(0, 2)).toEqual([
      'SET character_set_client = utf8mb4',
      'SET collation_connection = latin1_swedish_ci',
    ]);
    expect(wrapped.warning).toContain('character_set_client latin1');
  });
});

describe('small helpers', () => {
  it('parses server versions and picks flavor-specific restore settings', () => {
    const mariadb = parseServerVersion('10.11.19-MariaDB-0+deb12u1');
    expect(mariadb).toEqual({ flavor: 'mariadb', version: '10.11.19-MariaDB-0+deb12u1', versionNum: 101119 });
    expect(restoreSessionSetup(mariadb)).toContain('SET system_versioning_insert_history = 1');
    const mysql = parseServerVersion('8.0.36');
    expect(mysql.flavor).toBe('mysql');
    expect(restoreSessionSetup(mysql)).toContain('SET sql_generate_invisible_primary_key = 0');
    expect(restoreSessionSetup(mysql).some((statement) => statement.includes('check_constraint'))).toBe(false);
  });

  it('quotes identifiers and writes CREATE DATABASE under any name', () => {
    expect(quoteIdentifier('we`ird')).toBe('`we``ird`');
    expect(createDatabaseSql('new`db', { characterSet: 'latin1', collation: 'latin1_bin', comment: "it's" })).toBe(
      "CREATE DATABASE `new``db` CHARACTER SET latin1 COLLATE latin1_bin COMMENT 'it''s'",
    );
  });
});

describe('normaliseDump (test helper)', () => {
  const dump = [
    '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB',
    '-- Host: 127.0.0.1    Database: shop_1',
    '-- Server version\t10.11.19-MariaDB',
    'CREATE TABLE `t` (`id` int) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4;',
    'ALTER DATABASE `shop_1` COLLATE utf8mb4_bin ;',
    'TRIGGER shop_1.trg BEFORE INSERT ON shop_1.t FOR EACH ROW SET @a = shop_10.f()',
  ].join('\n');

  it('drops the header, names the database DB and strips AUTO_INCREMENT only when asked', () => {
    expect(normaliseDump(dump, 'shop_1').split('\n')).toEqual([
      'CREATE TABLE `t` (`id` int) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4;',
      'ALTER DATABASE `DB` COLLATE utf8mb4_bin ;',
      'TRIGGER DB.trg BEFORE INSERT ON DB.t FOR EACH ROW SET @a = shop_10.f()',
    ]);
    expect(normaliseDump(dump, 'shop_1', { stripAutoIncrement: true }).split('\n')[0]).toBe(
      'CREATE TABLE `t` (`id` int) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
    );
  });
});
