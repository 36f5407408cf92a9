-- No function builds SQL from an unquoted argument (docs/security.md,
-- "Dynamic SQL audit").  1. The functions that run dynamic SQL are exactly the
-- audited ones: a new EXECUTE fails this test until it is reviewed and listed.
-- 2. Injection strings reach every text that flows into dynamic SQL: field
-- names and titles of the catalog (catalog_view_create), rule expressions and
-- the fields, parties and items a rule names (run_rules), and each is either
-- refused or used as the literal text it is; a canary table survives.
BEGIN;
SELECT plan(17);

CREATE TABLE public.dyn_canary (x int);
INSERT INTO public.dyn_canary VALUES (1);

-- 1. The audited list (docs/security.md): plpgsql and SQL functions whose text
-- runs EXECUTE.  C functions that run SQL build it with quote_identifier /
-- quote_literal or parameters; they are reviewed in the same section.
SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
            WHERE p.pronamespace = 'taxshare'::regnamespace
              AND p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('plpgsql', 'sql'))
              AND p.prosrc ~* '\mEXECUTE\s'),
          ARRAY['_entity_prune', '_privileges_apply', 'catalog_view_create', 'revenue_refresh', 'run_rules'],
          'the functions that run dynamic SQL are exactly the audited ones');

-- 2a. Catalog field names and titles are free text (up to 63 bytes): the typed
-- view quotes them as identifiers and literals.
INSERT INTO taxshare.unit (code, name, kind) VALUES ('DY-A', '动态SQL测试局', 'department');
SELECT taxshare.catalog_define($j${"code": "DY-ITEM", "title": "x'); DROP TABLE public.dyn_canary; --",
  "provider": "DY-A", "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [
    {"name": "a\"; DROP TABLE public.dyn_canary; --", "title": "t'); DROP TABLE public.dyn_canary; --", "type": "amount"},
    {"name": "who", "title": "姓名", "type": "string"},
    {"name": "uscc", "title": "代码", "type": "uscc"}]},
  "parties": [{"role": "x' OR 1=1 --", "uscc": "uscc", "name": "who"}]}$j$::jsonb);
SELECT lives_ok($$SELECT taxshare.catalog_view_create('DY-ITEM')$$, 'a typed view over hostile field names is created');
SELECT is((SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
            WHERE a.attrelid = 'taxshare.item_dy_item'::regclass AND a.attnum > 4),
          ARRAY['a"; DROP TABLE public.dyn_canary; --', 'who', 'uscc'],
          'its columns are named exactly as the fields');
SELECT is(col_description('taxshare.item_dy_item'::regclass, 5), 't''); DROP TABLE public.dyn_canary; --',
          'a hostile title is the column''s comment, verbatim');
SELECT throws_ok($$SELECT taxshare.catalog_view_create('DY-ITEM"; DROP TABLE public.dyn_canary; --')$$,
                 '22023', NULL, 'an item code that is not an item is refused');

-- 2b. Rule expressions are parsed, never pasted: anything but field names,
-- numbers, + - * / ( ), min/max/round/abs/coalesce is refused.
SELECT throws_ok($$SELECT taxshare.rule_expr_sql('price); DROP TABLE public.dyn_canary; --')$$, '42601', NULL,
                 'a rule expression with a statement after it is refused');
SELECT throws_ok($$SELECT taxshare.rule_expr_sql('pg_sleep(1)')$$, '42601', NULL,
                 'a function outside the allowed five is refused');
SELECT throws_ok($$SELECT taxshare.rule_expr_sql('price::text')$$, '42601', NULL, 'a cast is refused');
SELECT is(taxshare.rule_expr_sql($$"a'b" * 2$$), $$(((c.payload ->> 'a''b')::numeric) * (2::numeric))$$,
          'a quoted field name becomes a literal key');

-- 2c. A rule naming the hostile field and party: the generated SQL quotes
-- them, run_rules() runs it, and the canary is still there.
SELECT taxshare.catalog_define($j${"code": "DY-TAX", "title": "动态SQL测试申报", "provider": "DY-A",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "tax", "title": "税额", "type": "amount"},
                        {"name": "who", "title": "姓名", "type": "string"},
                        {"name": "uscc", "title": "代码", "type": "uscc"}]},
  "parties": [{"role": "x' OR 1=1 --", "uscc": "uscc", "name": "who"}]}$j$::jsonb);
SELECT throws_ok($$INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind,
                                                     source_amount_field, target_amount_field)
                  VALUES ('DY-R0', '注入', 'DY-ITEM''; DROP TABLE public.dyn_canary; --', 'DY-TAX', 'x', 'amount_below', 'a', 'tax')$$,
                 '22023', NULL, 'a rule naming an item that does not exist is refused when written');
SELECT lives_ok($$INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind,
                                                    source_amount_field, target_amount_field)
                  VALUES ('DY-R1', '注入', 'DY-ITEM', 'DY-TAX', 'x'' OR 1=1 --', 'amount_below',
                          'a"; DROP TABLE public.dyn_canary; --', 'tax')$$,
                'a rule over the hostile field and party is accepted: they exist in the catalog');
SELECT ok(taxshare._match_rule_sql(r) LIKE '%c.payload ->> ''a"; DROP TABLE public.dyn_canary; --''%'
          AND taxshare._match_rule_sql(r) LIKE '%rp.role = ''x'''' OR 1=1 --''%',
          'the generated SQL has the field and the party as quoted literals')
  FROM taxshare.match_rule r WHERE r.code = 'DY-R1';
SELECT taxshare.submit('DY-ITEM', 'DY-A', '2024-01-01',
  $j$[{"a\"; DROP TABLE public.dyn_canary; --": "100", "who": "某公司", "uscc": "91350100M000100Y43"}]$j$::jsonb);
SELECT lives_ok($$SELECT taxshare.run_rules('2024-01-01')$$, 'run_rules() runs the rule');
SELECT is((SELECT count(*)::int FROM taxshare.suspicion WHERE rule_code = 'DY-R1'), 1,
          'and finds the point the data holds (100 expected, nothing declared)');
-- revenue_refresh() builds its SQL from the same rule texts (83_revenue.sql).
INSERT INTO taxshare.revenue_source (rule_code, tax_type, factor) VALUES ('DY-R1', 'x''); DROP TABLE public.dyn_canary; --', 0.03);
SELECT lives_ok($$SELECT taxshare.revenue_refresh('2024-01-01')$$, 'revenue_refresh() runs over the hostile rule');
SELECT ok((SELECT count(*) FROM taxshare.revenue_expected WHERE tax_type = 'x''); DROP TABLE public.dyn_canary; --') > 0,
          'and keeps the hostile tax type as the literal text it is');
SELECT is((SELECT count(*)::int FROM public.dyn_canary), 1, 'the canary table is still there');

SELECT * FROM finish();
ROLLBACK;
