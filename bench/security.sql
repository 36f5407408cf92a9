-- Benchmark: the cost of the security model on submit() (docs/security.md).
-- The same 100k-row batch is submitted as the superuser with row-level
-- security disabled on submission/record/record_error, and as a login of
-- taxshare_unit with the security model on (policies enabled; submit() is
-- SECURITY DEFINER and checks the caller once, so the records take the same
-- table_multi_insert path).  Three rounds, the two sides alternating, the best
-- of each side counted.  Usage (superuser, taxshare installed):
--   psql -X -v ON_ERROR_STOP=1 [-v rows=100000] -f bench/security.sql
-- Prints:
--   security: submit N rows, without RLS X s, with RLS Y s, overhead Z% (goal <= 10%)
\set QUIET on
\set ON_ERROR_STOP on
\if :{?rows}
\else
\set rows 100000
\endif
SET client_min_messages = warning;
SET taxshare.progress_interval = 0;
\pset tuples_only on
\pset format unaligned

INSERT INTO taxshare.unit (code, name, kind) VALUES ('BENCH-SEC', '安全基准单位', 'department');
SELECT taxshare.catalog_define($$
{"code": "BENCH-SEC", "title": "基准: 安全开销", "provider": "BENCH-SEC", "frequency": "monthly",
 "sharing": "conditional",
 "schema": {"fields": [
   {"name": "contract_no", "title": "合同编号", "type": "string"},
   {"name": "buyer_idcard", "title": "买受人身份证号码", "type": "idcard", "constraints": {"required": true}},
   {"name": "buyer_name", "title": "买受人姓名", "type": "string"},
   {"name": "price", "title": "成交金额(元)", "type": "amount"},
   {"name": "sign_date", "title": "签约日期", "type": "date"}]},
 "parties": [{"role": "buyer", "idcard": "buyer_idcard", "name": "buyer_name"}]}
$$::jsonb) \g /dev/null

CREATE TEMP TABLE bench_rows AS
SELECT jsonb_agg(jsonb_build_object('contract_no', 'HT' || g, 'buyer_idcard', '430405199001010011',
                                    'buyer_name', '王小明', 'price', (g % 1000) || '.50',
                                    'sign_date', '2024-01-15')) AS rows
  FROM generate_series(1, :rows) g;

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'taxshare_bench_unit') THEN
    CREATE ROLE taxshare_bench_unit NOLOGIN IN ROLE taxshare_unit;
  END IF;
END $$;
INSERT INTO taxshare.unit_member (role, unit_code) VALUES ('taxshare_bench_unit', 'BENCH-SEC');
GRANT SELECT ON bench_rows TO taxshare_bench_unit;

-- One round: without (policies off, superuser), then with (the unit's login,
-- policies on), each into a period of its own.
CREATE TEMP TABLE bench_time (side text, secs float8);
GRANT INSERT ON bench_time TO taxshare_bench_unit;
\set round 1
\ir security_round.psql
\set round 2
\ir security_round.psql
\set round 3
\ir security_round.psql
SELECT min(secs) FILTER (WHERE side = 'without') AS without_rls,
       min(secs) FILTER (WHERE side = 'with') AS with_rls FROM bench_time \gset

SELECT format('security: submit %s rows, without RLS %s s, with RLS %s s, overhead %s%% (goal <= 10%%)',
              :rows, round(:without_rls::numeric, 2), round(:with_rls::numeric, 2),
              round((100 * (:with_rls / :without_rls - 1))::numeric, 1));

DELETE FROM taxshare.unit_member WHERE role = 'taxshare_bench_unit';
DROP OWNED BY taxshare_bench_unit;
DROP ROLE taxshare_bench_unit;
