-- Benchmark: template_xlsx() for a catalog item of 50 fields (every field type,
-- enums short and long, required fields, a liaison), against the SQL that
-- gathers what the workbook holds (_template_fields and _template_info, the
-- same catalog reads) in the same run.  Usage (taxshare installed):
--   psql -X -v ON_ERROR_STOP=1 [-v runs=50] -f bench/template.sql
-- Prints:
--   template_xlsx: 50 fields, best of N: baseline (the catalog reads) B ms, template_xlsx T ms (goal < 100 ms), ratio R, workbook S bytes
\set QUIET on
\set ON_ERROR_STOP on
\if :{?runs}
\else
\set runs 50
\endif
SET client_min_messages = notice;

INSERT INTO taxshare.unit (code, name, kind) VALUES ('BENCH', '基准测试单位', 'department');
SELECT taxshare.unit_contact_set('BENCH', 'liaison', '基准联络员', '0734-0000000') \g /dev/null
SELECT taxshare.catalog_define(jsonb_build_object(
  'code', 'BENCH-50F', 'title', '基准: 50 个字段的目录条目', 'provider', 'BENCH', 'frequency', 'monthly',
  'schema', jsonb_build_object('fields', (
    SELECT jsonb_agg(jsonb_build_object(
             'name', 'f' || i, 'title', '第' || i || '个字段名称', 'type', t,
             'constraints', CASE
               WHEN i % 10 = 1 THEN jsonb_build_object('required', true)
               WHEN t = 'string' AND i % 4 = 0 THEN jsonb_build_object('enum', jsonb_build_array('甲', '乙', '丙'))
               WHEN t = 'string' AND i % 4 = 2 THEN jsonb_build_object('enum',
                 (SELECT jsonb_agg('长列表选项' || k) FROM generate_series(1, 60) k))
               WHEN t IN ('amount', 'integer') THEN jsonb_build_object('minimum', 0)
               ELSE '{}'::jsonb END) ORDER BY i)
      FROM generate_series(1, 50) i,
           LATERAL (SELECT (ARRAY['string', 'uscc', 'idcard', 'date', 'amount', 'integer', 'number',
                                  'boolean', 'datetime', 'phone', 'string', 'division'])[1 + i % 12] AS t) x))))
  \g /dev/null

SELECT set_config('bench.runs', :'runs', false) \g /dev/null
DO $$
DECLARE
  runs integer := current_setting('bench.runs')::integer;
  t0 timestamptz;
  best_base double precision := 'Infinity';
  best_xlsx double precision := 'Infinity';
  ms double precision;
  size integer;
  n integer;
BEGIN
  FOR r IN 1 .. runs LOOP
    t0 := clock_timestamp();
    SELECT count(*) INTO n FROM (SELECT * FROM taxshare._template_fields('BENCH-50F')
                                 UNION ALL SELECT NULL, NULL, label, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
                                   FROM taxshare._template_info('BENCH-50F', 'BENCH')) s;
    ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    best_base := least(best_base, ms);
    t0 := clock_timestamp();
    size := length(taxshare.template_xlsx('BENCH-50F', 'BENCH'));
    ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    best_xlsx := least(best_xlsx, ms);
  END LOOP;
  RAISE NOTICE 'template_xlsx: 50 fields, best of %: baseline (the catalog reads) % ms, template_xlsx % ms (goal < 100 ms), ratio %, workbook % bytes',
    runs, round(best_base::numeric, 2), round(best_xlsx::numeric, 2),
    round((best_xlsx / nullif(best_base, 0))::numeric, 1), size;
END
$$;
