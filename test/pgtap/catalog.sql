-- pgTAP tests of units, catalog_define() and the compiled-catalog cache.
-- The runner has created pgtap and taxshare in this database.  Codes start
-- with PC_ / PC- so that they meet no other test's data.
BEGIN;
SELECT plan(47);
SET LOCAL client_min_messages = warning;

-- The objects of the module
SELECT has_table('taxshare', t, 'table taxshare.' || t)
  FROM unnest(ARRAY['unit', 'unit_contact', 'catalog_item', 'catalog_field', 'catalog_rule',
                    'catalog_party', 'catalog_view']) t;
SELECT has_view('taxshare', v, 'view taxshare.' || v)
  FROM unnest(ARRAY['unit_contact_current', 'catalog_item_current']) v;
SELECT has_function('taxshare', 'catalog_define', ARRAY['jsonb'], 'catalog_define(jsonb)');
SELECT has_function('taxshare', 'catalog_view_create', ARRAY['text'], 'catalog_view_create(text)');
SELECT function_returns('taxshare', 'catalog_define', ARRAY['jsonb'], 'integer', 'catalog_define returns the version');
SELECT is((SELECT count(*)::int FROM pg_class c
            WHERE c.relnamespace = 'taxshare'::regnamespace
              AND c.relname IN ('unit', 'unit_contact', 'catalog_item', 'catalog_field', 'catalog_rule',
                                'catalog_party', 'catalog_view', 'unit_contact_current', 'catalog_item_current')
              AND coalesce(obj_description(c.oid, 'pg_class'), '') !~ ' / '),
          0, 'every table and view carries a Chinese / English comment');
SELECT ok((SELECT bool_and(('taxshare.' || c.relname)::regclass = ANY (e.extconfig::regclass[]))
             FROM pg_extension e,
                  (VALUES ('unit'), ('unit_contact'), ('catalog_item'), ('catalog_field'),
                          ('catalog_rule'), ('catalog_party'), ('catalog_view')) c(relname)
            WHERE e.extname = 'taxshare'),
          'the catalog tables are registered with pg_extension_config_dump');

-- Units and contacts
INSERT INTO taxshare.unit (code, name, kind) VALUES ('PC_ZJJ', '住建局', 'department'), ('PC_SWJ', '税务局', 'tax');
SELECT throws_ok($$INSERT INTO taxshare.unit (code, name, kind) VALUES ('PC_X', 'x', 'club')$$, '23514',
                 NULL, 'a unit kind outside department/related/tax/office is refused');
SELECT lives_ok($$SELECT taxshare.unit_contact_set('PC_ZJJ', 'liaison', '甲', changed_on => '2024-01-01')$$,
                'a liaison is filed');
SELECT lives_ok($$SELECT taxshare.unit_contact_set('PC_ZJJ', 'liaison', '乙', changed_on => '2024-02-01')$$,
                'a change of liaison is filed');
SELECT results_eq($$SELECT name, changed_on FROM taxshare.unit_contact_current WHERE unit_code = 'PC_ZJJ'$$,
                  $$VALUES ('乙'::text, '2024-02-01'::date)$$, 'the current liaison is the last filed');
SELECT is((SELECT count(*)::int FROM taxshare.unit_contact WHERE unit_code = 'PC_ZJJ'), 2,
          'the history keeps both');
SELECT throws_ok($$SELECT taxshare.unit_contact_set('PC_NONE', 'leader', '丙')$$, '22023',
                 'unknown unit "PC_NONE"', 'a contact of an unknown unit is refused');
SELECT throws_ok($$SELECT taxshare.unit_contact_set('PC_ZJJ', 'director', '丙')$$, '22023',
                 'invalid contact role "director"', 'an unknown role is refused');

-- Defining, revising, idempotence
CREATE TEMP TABLE pdef AS SELECT $${
  "code": "PC-ITEM", "title": "测试条目", "provider": "PC_ZJJ", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "no", "title": "编号", "type": "string", "constraints": {"required": true}},
    {"name": "amount", "title": "金额", "type": "amount", "constraints": {"minimum": 0}},
    {"name": "day", "title": "日期", "type": "date"}]},
  "rules": [{"rule": "required_if", "fields": ["day"], "when": "amount"}]}$$::jsonb AS d;
SELECT is(taxshare.catalog_define(d), 1, 'a new item is version 1') FROM pdef;
SELECT is(taxshare.catalog_define(d), 1, 'the same document again gives the same version') FROM pdef;
SELECT is(taxshare.catalog_define(jsonb_set(d, '{title}', '"测试条目 (修订)"')), 2, 'a changed document gives version 2')
  FROM pdef;
SELECT is((SELECT count(*)::int FROM taxshare.catalog_item WHERE code = 'PC-ITEM'), 2, 'both versions are kept');
SELECT is((SELECT version FROM taxshare.catalog_item_current WHERE code = 'PC-ITEM'), 2,
          'catalog_item_current shows the latest');
SELECT results_eq($$SELECT name, type, required, minimum FROM taxshare.catalog_field
                     WHERE item_code = 'PC-ITEM' AND item_version = 2 ORDER BY position$$,
                  $$VALUES ('no'::text, 'string'::text, true, NULL::text), ('amount', 'amount', false, '0.00'),
                           ('day', 'date', false, NULL)$$,
                  'the fields of version 2, minimum in canonical form');

-- Refused definitions: SQLSTATE 22023, the message names the JSON path
SELECT throws_ok(format('SELECT taxshare.catalog_define(%L)', jsonb_set(d, '{schema,fields,1,type}', '"amout"')),
                 '22023', 'invalid catalog definition at $.schema.fields[1].type: unknown type "amout"',
                 'an unknown type is refused at its path') FROM pdef;
SELECT throws_ok(format('SELECT taxshare.catalog_define(%L)', jsonb_set(d, '{schema,fields,2,name}', '"no"')),
                 '22023', 'invalid catalog definition at $.schema.fields[2].name: duplicate field "no"',
                 'a duplicate field is refused') FROM pdef;
SELECT throws_ok(format('SELECT taxshare.catalog_define(%L)',
                        jsonb_set(d, '{schema,fields,0,constraints}', '{"pattern": "(a"}')),
                 '22023', NULL, 'a bad pattern is refused') FROM pdef;
SELECT throws_like(format('SELECT taxshare.catalog_define(%L)',
                          jsonb_set(d, '{schema,fields,0,constraints}', '{"pattern": "(a"}')),
                   'invalid catalog definition at $.schema.fields[0].constraints.pattern: bad pattern %',
                   'the bad pattern is named at its path') FROM pdef;
SELECT throws_ok(format('SELECT taxshare.catalog_define(%L)', jsonb_set(d, '{rules,0,when}', '"when"')),
                 '22023', 'invalid catalog definition at $.rules[0].when: no field named "when"',
                 'a rule naming a missing field is refused') FROM pdef;
SELECT throws_ok(format('SELECT taxshare.catalog_define(%L)', jsonb_set(d, '{schema,fields,1,constraints,minimum}', '"零"')),
                 '22023', 'invalid catalog definition at $.schema.fields[1].constraints.minimum: "零" is not a valid amount value',
                 'a minimum that is not of the field type is refused') FROM pdef;
SELECT throws_ok(format('SELECT taxshare.catalog_define(%L)', jsonb_set(d, '{schema,fields,0,contraints}', '{}')),
                 '22023', 'invalid catalog definition at $.schema.fields[0].contraints: unknown key "contraints"',
                 'a misspelt key is refused, not ignored') FROM pdef;
SELECT throws_ok(format('SELECT taxshare.catalog_define(%L)', jsonb_set(d, '{provider}', '"PC_NONE"')),
                 '22023', 'invalid catalog definition at $.provider: unknown unit "PC_NONE"',
                 'an unknown provider is refused') FROM pdef;
SELECT throws_ok($$SELECT taxshare.catalog_define('"just a string"')$$, '22023',
                 'invalid catalog definition at $: expected a JSON object, found string',
                 'a definition that is not an object is refused');
SELECT is((SELECT count(*)::int FROM taxshare.catalog_item WHERE code = 'PC-ITEM'), 2,
          'refused definitions wrote no version');

-- Submissions keep the version they were checked against; the cache follows
-- revisions and hand edits within the same transaction
CREATE TEMP TABLE psub1 AS SELECT taxshare.submit('PC-ITEM', 'PC_ZJJ', '2024-01-01', '[{"no": "1"}]') AS id;
SELECT is((SELECT item_version FROM taxshare.submission s JOIN psub1 USING (id)), 2,
          'a submission records the version it used');
SELECT is(taxshare.catalog_define(jsonb_set(d, '{schema,fields,2,constraints}', '{"required": true}')), 3,
          'version 3 makes day required') FROM pdef;
CREATE TEMP TABLE psub AS SELECT taxshare.submit('PC-ITEM', 'PC_ZJJ', '2024-02-01', '[{"no": "1"}]') AS id;
SELECT results_eq($$SELECT s.item_version, e.field, e.code FROM psub JOIN taxshare.submission s ON s.id = psub.id
                     JOIN taxshare.record_error e ON e.submission_id = s.id$$,
                  $$VALUES (3, 'day'::text, 'required'::text)$$,
                  'the next submission is checked against version 3');
SELECT is((SELECT item_version FROM taxshare.submission s
            WHERE s.item_code = 'PC-ITEM' AND s.period_start = '2024-01-01'), 2,
          'the earlier submission still says version 2');
UPDATE taxshare.catalog_field SET required = false WHERE item_code = 'PC-ITEM' AND item_version = 3 AND name = 'day';
CREATE TEMP TABLE psub3 AS SELECT taxshare.submit('PC-ITEM', 'PC_ZJJ', '2024-03-01', '[{"no": "1"}]') AS id;
SELECT is((SELECT rows_accepted::int FROM taxshare.submission s JOIN psub3 USING (id)), 1,
          'a hand edit of the catalog reaches the compiled cache');

-- The typed view
SELECT is(taxshare.catalog_view_create('PC-ITEM')::text, 'taxshare.item_pc_item', 'the typed view is created');
SELECT is(col_description('taxshare.item_pc_item'::regclass,
                          (SELECT attnum FROM pg_attribute WHERE attrelid = 'taxshare.item_pc_item'::regclass
                              AND attname = 'amount')), '金额', 'its columns carry the field titles');
SELECT col_type_is('taxshare', 'item_pc_item', 'amount', 'numeric(18,2)', 'amount is numeric(18,2)');
SELECT col_type_is('taxshare', 'item_pc_item', 'day', 'date', 'date is date');
SELECT throws_ok($$SELECT taxshare.catalog_view_create('PC-NONE')$$, '22023', 'unknown catalog item "PC-NONE"',
                 'no view for an unknown item');

SELECT * FROM finish();
ROLLBACK;
