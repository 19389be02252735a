/** A database full of values that are easy to get wrong in a text round trip. */
export const EXACTNESS_FIXTURE_SQL = String.raw`
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE SCHEMA "Odd Schema";
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE public.exact (
  id integer PRIMARY KEY,
  f4 real, f8 double precision, num numeric, num_scaled numeric(20, 6),
  d date, ts timestamp, tstz timestamptz, t time, ttz timetz,
  b bytea, txt text, vc varchar(20), ch char(5),
  ints integer[], texts text[], matrix integer[][],
  j json, jb jsonb, r int4range, tr tstzrange, nr numrange,
  m money, iv interval, u uuid, bits bit varying(16), addr inet, net cidr, mac macaddr,
  pt point, hs hstore, mo mood, tsv tsvector, x xml, bool boolean, bi bigint, si smallint, oid_ oid
);

INSERT INTO public.exact VALUES
  (1, 'NaN', 'NaN', 'NaN', 0, '4713-01-01 BC', 'infinity', '-infinity', '24:00', '24:00:00+14',
   (SELECT decode(string_agg(lpad(to_hex(i), 2, '0'), '' ORDER BY i), 'hex') FROM generate_series(0, 255) i),
   E'tab\there\nnewline\\backslash\r\ncrlf', '', '', '{1,NULL,3}', '{"a b","c,d","e\"f","NULL",NULL,""}',
   '{{1,2},{3,4}}', '{"k": [1, 2.50, "x"], "k": "dup"}', '{"b": 1, "a": [true, null]}', '[1,10)', '[2020-01-01 00:00+00,infinity)',
   '(,)', '-92233720368547758.08', '1 year 2 mons -3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
   B'1010', '::1', '10.0.0.0/8', '08:00:2b:01:02:03', '(1.5,-2)', '"a"=>"1", "b"=>NULL', 'happy',
   'a fat cat', '<a>x</a>', true, 9223372036854775807, -32768, 4294967295),
  (2, 'Infinity', '-Infinity', 'Infinity', -0.000001, '0001-01-01 BC', '-infinity', 'infinity', '00:00', '00:00:00-12',
   '\x00', 'ünïcödé ☃ 😀 — 日本語', 'x', 'a', '{}', '{}', '{}', '[]', '[]', 'empty', 'empty',
   '[-1.5,2.25]', '92233720368547758.07', '-178000000 years', '00000000-0000-0000-0000-000000000000',
   B'', '2001:db8::1/64', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', '(0,0)', '', 'sad', '', '', false,
   -9223372036854775808, 32767, 0),
  (3, '-Infinity', 1e308, '-Infinity', 123456789012.123456, '294276-12-31', '294276-12-31 23:59:59.999999',
   '4713-01-01 00:00:00+00 BC', '23:59:59.999999', '12:00+05:30', '', '', NULL, NULL, NULL, NULL, NULL, 'null',
   'null', NULL, NULL, NULL, NULL, '0', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL),
  (4, 1.17549435e-38, 4.9e-324, 0.1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL),
  (5, -0, -0, 0.000000000000000000000000000001, NULL, NULL, NULL, NULL, NULL, NULL, '\\', E'\\N', '\N', NULL, NULL,
   '{"\\\\","\\N"}', NULL, '"\u0000 is not allowed but \u00e9 is"', '{"nul": "\u00e9\t"}', NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- One 2 MB row (the COPY cutter must keep it whole).
INSERT INTO public.exact (id, txt, b)
  SELECT 6, string_agg(chr(32 + (i % 90)) || CASE WHEN i % 1000 = 0 THEN E'\n\t\\' ELSE '' END, ''), '\xdeadbeef'
  FROM generate_series(1, 2000000) i;

CREATE TABLE "Odd Schema"."Mixed ""Quoted"" Name" (
  "Id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "Value Column" text NOT NULL DEFAULT '',
  doubled bigint GENERATED ALWAYS AS ("Id" * 2) STORED,
  "select" integer
);
INSERT INTO "Odd Schema"."Mixed ""Quoted"" Name" ("Value Column", "select")
  SELECT 'row ' || i, i FROM generate_series(1, 1000) i;

CREATE TABLE public.parent_inh (id integer, note text);
CREATE TABLE public.child_inh (extra text) INHERITS (public.parent_inh);
INSERT INTO public.parent_inh VALUES (1, 'parent only');
INSERT INTO public.child_inh VALUES (2, 'child', 'x');

CREATE UNLOGGED TABLE public.scratch (k text PRIMARY KEY, v integer);
INSERT INTO public.scratch VALUES ('a', 1), ('b', 2);

CREATE TABLE public.no_columns ();
INSERT INTO public.no_columns DEFAULT VALUES;
INSERT INTO public.no_columns DEFAULT VALUES;

CREATE TABLE public.empty_table (id serial PRIMARY KEY, ref integer REFERENCES public.exact (id));

CREATE TABLE public.orders (id serial PRIMARY KEY, exact_id integer REFERENCES public.exact (id), total numeric);
INSERT INTO public.orders (exact_id, total) SELECT 1 + i % 5, i * 1.5 FROM generate_series(1, 2000) i;
CREATE INDEX orders_total_idx ON public.orders (total);

CREATE TABLE public.measurements (city integer, at date, v double precision) PARTITION BY RANGE (at);
CREATE TABLE public.measurements_2020 PARTITION OF public.measurements FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE public.measurements_2021 PARTITION OF public.measurements FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
INSERT INTO public.measurements SELECT i % 10, '2020-01-01'::date + i % 700, i / 7.0 FROM generate_series(1, 3000) i;
CREATE INDEX measurements_at_idx ON public.measurements (at);

CREATE MATERIALIZED VIEW public.order_totals AS SELECT exact_id, sum(total) AS total FROM public.orders GROUP BY exact_id;
CREATE MATERIALIZED VIEW public.never_filled AS SELECT 1 AS one WITH NO DATA;

SELECT setval('public.orders_id_seq', 5000);
CREATE SEQUENCE public.unused_seq;
SELECT lo_from_bytea(424242, decode(repeat('0123456789abcdef', 200000), 'hex'));
SELECT lo_from_bytea(424243, '');
`;
