-- Fails when a module adds an object to schema taxshare without joining the
-- security model (docs/security.md): every table, view and function has its
-- row in taxshare.privilege_plan (written next to it in its install part), and
-- every row names an object; every sequence belongs to a planned table; every
-- table has row-level security enabled or is listed below as metadata with the
-- reason; every table and view is granted to some taxshare role; every
-- SECURITY DEFINER function pins its search_path.
BEGIN;
SELECT plan(7);

-- The typed views of catalog_view_create() are made at run time and granted
-- by it (docs/security.md, "Rows"): they have no plan row.
SELECT is_empty($$SELECT c.relname::text FROM pg_class c
                   WHERE c.relnamespace = 'taxshare'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                     AND c.relname NOT IN (SELECT object FROM taxshare.privilege_plan WHERE kind IN ('table', 'view'))
                     AND c.relname NOT IN (SELECT view_name FROM taxshare.catalog_view)
                   UNION ALL
                  SELECT p.oid::regprocedure::text FROM pg_proc p
                   WHERE p.pronamespace = 'taxshare'::regnamespace
                     AND NOT EXISTS (SELECT 1 FROM taxshare.privilege_plan pl
                                      WHERE pl.kind = 'function' AND to_regprocedure('taxshare.' || pl.object) = p.oid)$$,
                'every table, view and function of the schema has its row in taxshare.privilege_plan');
SELECT is_empty($$SELECT kind, object FROM taxshare.privilege_plan
                   WHERE CASE kind WHEN 'function' THEN to_regprocedure('taxshare.' || object)::oid
                                   ELSE to_regclass(format('taxshare.%I', object))::oid END IS NULL$$,
                'every row of taxshare.privilege_plan names an object of the schema');
SELECT is_empty($$SELECT seq.relname::text FROM pg_class seq
                   WHERE seq.relnamespace = 'taxshare'::regnamespace AND seq.relkind = 'S'
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class tab ON tab.oid = d.refobjid
                                      WHERE d.classid = 'pg_class'::regclass AND d.objid = seq.oid
                                        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                                        AND tab.relname IN (SELECT object FROM taxshare.privilege_plan
                                                             WHERE kind = 'table'))$$,
                'every sequence belongs to a planned table (its privileges follow the table''s INSERT)');

CREATE TEMP TABLE metadata_table (name text PRIMARY KEY, reason text NOT NULL);
INSERT INTO metadata_table VALUES
  ('privilege_plan', 'who may do what with each object: the matrix of docs/security.md, read by every role'),
  ('unit', 'the list of units: names and kinds, read by every role'),
  ('division', 'public GB/T 2260 division codes'),
  ('holiday', 'the State Council holiday calendar, public'),
  ('deadline_rule', 'reporting deadlines per item, configuration'),
  ('catalog_item', 'the sharing catalog: what exists, not the data'),
  ('catalog_field', 'fields of the catalog'),
  ('catalog_rule', 'cross-field rules of the catalog'),
  ('catalog_party', 'which fields identify parties, configuration'),
  ('catalog_view', 'names of the generated typed views'),
  ('party_evidence', 'matcher configuration'),
  ('party_link_source', 'matcher configuration'),
  ('match_rule', 'rule definitions, no data'),
  ('match_parameter', 'Fellegi-Sunter parameters'),
  ('indicator', 'risk indicator definitions'),
  ('response_kind', 'response kinds per grade'),
  ('risk_param', 'grading parameters'),
  ('indicator_push', 'which monitoring indicators are pushed at once to which unit, configuration'),
  ('revenue_param', 'revenue warning thresholds per tax type, configuration'),
  ('revenue_source', 'which cross-check rules count towards which tax type, configuration'),
  ('sweep_log', 'run times and counts of the daily sweep'),
  ('ledger', 'append-only hash chain; SELECT granted to the office and operator only, writes refused by trigger'),
  ('unit_score_param', 'parameters of the units'' score, configuration'),
  ('unit_score_year', 'which years of the units'' score are closed'),
  ('meeting', 'the office''s meetings: day and subject; who was invited and attended is in meeting_invite, per unit'),
  ('inbox', 'keeps no rows (its BEFORE ROW trigger returns NULL, after checking the caller for the unit); COPY FROM refuses tables with row-level security');

SELECT is_empty($$SELECT c.relname::text FROM pg_class c
                   WHERE c.relnamespace = 'taxshare'::regnamespace AND c.relkind IN ('r', 'p')
                     AND NOT c.relrowsecurity
                     AND c.relname NOT IN (SELECT name FROM metadata_table)$$,
                'every table has row-level security or is listed as metadata with a reason');
SELECT is_empty($$SELECT c.relname::text FROM pg_class c
                   WHERE c.relnamespace = 'taxshare'::regnamespace AND c.relkind IN ('r', 'p')
                     AND c.relrowsecurity
                     AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)$$,
                'every table with row-level security has policies');
SELECT is_empty($$SELECT c.relname::text FROM pg_class c
                   WHERE c.relnamespace = 'taxshare'::regnamespace AND c.relkind IN ('r', 'p', 'v')
                     AND NOT EXISTS (SELECT 1 FROM aclexplode(c.relacl) a
                                      WHERE a.grantee IN (SELECT oid FROM pg_roles WHERE rolname LIKE 'taxshare\_%'))
                     AND c.relname NOT IN (SELECT view_name FROM taxshare.catalog_view)$$,
                'every table and view is granted explicitly to a taxshare role');
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_proc p
                   WHERE p.pronamespace = 'taxshare'::regnamespace AND p.prosecdef
                     AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=pg_catalog%')$$,
                'every SECURITY DEFINER function pins search_path to pg_catalog first');

SELECT * FROM finish();
ROLLBACK;
