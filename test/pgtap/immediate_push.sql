-- pgTAP: hard events pushed at once (control/install/88_warning.sql,
-- indicator_push and the trigger suspicion_push).
BEGIN;
SELECT plan(16);

SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;
SET LOCAL TimeZone = 'UTC';

SELECT has_table('taxshare', 'indicator_push', 'table indicator_push exists');
SELECT has_trigger('taxshare', 'suspicion', 'suspicion_push', 'suspicion has the push trigger');

INSERT INTO taxshare.unit (code, name, kind) VALUES ('PTAX', '即时推送测试税务局', 'tax'), ('PDEP', '即时推送测试单位', 'department');
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "即时推送测试 %s", "provider": "PDEP",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c)::jsonb)
  FROM unnest(ARRAY['PTEST-SRC', 'PTEST-DST']) c;
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code) VALUES
  ('PR_M02', 'push test M02', 'PTEST-SRC', 'PTEST-DST', 'party', 'missing', 'M02_INSPECTION_CASE'),
  ('PR_M12', 'push test M12', 'PTEST-SRC', 'PTEST-DST', 'party', 'missing', 'M12_LARGE_ARREARS'),
  ('PR_A09', 'push test A09', 'PTEST-SRC', 'PTEST-DST', 'party', 'missing', 'A09_VEHICLE_TAX');
CREATE FUNCTION pg_temp.id(n text) RETURNS bigint
  LANGUAGE sql STABLE AS $$ SELECT id FROM taxshare.entity WHERE name = n $$;
INSERT INTO taxshare.entity (kind, name) VALUES ('enterprise', 'P-case'), ('enterprise', 'P-arrears'), ('enterprise', 'P-soft');

SELECT throws_ok($$INSERT INTO taxshare.indicator_push VALUES ('A09_VEHICLE_TAX', 'PTAX')$$, '22023', NULL,
                 'an analysis indicator is not pushed at once');
INSERT INTO taxshare.indicator_push (indicator_code, unit_code) VALUES ('M02_INSPECTION_CASE', 'PTAX');
INSERT INTO taxshare.indicator_push (indicator_code, unit_code, active) VALUES ('M12_LARGE_ARREARS', 'PTAX', false);

-- a point of M02 inserted by the analysis group (who may not write warnings)
SET LOCAL ROLE taxshare_analyst;
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved)
VALUES ('PR_M02', (SELECT id FROM taxshare.entity WHERE name = 'P-case'), '2026-11-01', 250000);
RESET ROLE;
SELECT id AS w FROM taxshare.warning WHERE unit_code = 'PTAX' \gset
SELECT is((SELECT count(*)::int FROM taxshare.warning WHERE unit_code = 'PTAX'), 1, 'the point went out at once as a warning');
SELECT results_eq(format($$SELECT entity_id, grade::text, score, rank, amount, response FROM taxshare.warning_task WHERE warning_id = %s$$, :w),
                  format($$VALUES (%s::bigint, 'high'::text, 100::float8, 0, 250000.00::numeric, 'audit'::text)$$, pg_temp.id('P-case')),
                  'one high task for the entity, with the amount, not yet ranked');
SELECT is((SELECT taxshare._cst_day(pushed_at) FROM taxshare.warning WHERE id = :w), taxshare._cst_day(now()),
          'pushed the same day');
SELECT results_eq(format($$SELECT status, state, push_met FROM taxshare.warning_ledger WHERE warning_id = %s$$, :w),
                  $$VALUES ('pushed'::text, 'awaiting_receipt'::text, true)$$, 'in the warning ledger, awaiting receipt');
SELECT ok((SELECT receive_due IS NOT NULL AND push_due IS NOT NULL FROM taxshare.warning WHERE id = :w),
          'with its deadlines stored');
SELECT is((SELECT count(*)::int FROM taxshare.ledger WHERE action = 'warning_push' AND object LIKE format('warning %s pushed%%', :w)), 1,
          'and in the ledger');
SELECT ok((SELECT response_reason LIKE '%M02_INSPECTION_CASE%' FROM taxshare.warning_task WHERE warning_id = :w),
          'the task says which indicator pushed it');

-- not pushed: an inactive configuration, an analysis point
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved) VALUES
  ('PR_M12', pg_temp.id('P-arrears'), '2026-11-01', 900000),
  ('PR_A09', pg_temp.id('P-soft'), '2026-11-01', 3000);
SELECT is((SELECT count(*)::int FROM taxshare.warning WHERE unit_code = 'PTAX'), 1,
          'an inactive push and an analysis point wait for the monthly push');
UPDATE taxshare.indicator_push SET active = true WHERE indicator_code = 'M12_LARGE_ARREARS';
DELETE FROM taxshare.suspicion WHERE rule_code = 'PR_M12';
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved)
VALUES ('PR_M12', pg_temp.id('P-arrears'), '2026-11-01', 900000);
SELECT is((SELECT count(*)::int FROM taxshare.warning WHERE unit_code = 'PTAX'), 2, 'switched on, the next point goes out at once');
-- a second point of the same entity and period: one task per entity, period and unit
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved)
VALUES ('PR_M12', pg_temp.id('P-case'), '2026-11-01', 10);
SELECT is((SELECT count(*)::int FROM taxshare.warning_task WHERE unit_code = 'PTAX' AND entity_id = pg_temp.id('P-case')), 1,
          'an entity already pushed for the period is not pushed again');

-- the monthly push takes the rest, not the entities pushed at once
SELECT taxshare.grade_risks('2026-11-01');
SELECT taxshare.warning_push('2026-11-01', 'PTAX') AS wm \gset
SELECT is((SELECT array_agg(e.name ORDER BY e.name) FROM taxshare.warning_task t JOIN taxshare.entity e ON e.id = t.entity_id
            WHERE t.warning_id = :wm), ARRAY['P-soft'::text], 'the monthly push carries only the entity not pushed at once');
SELECT throws_ok($$SELECT taxshare.warning_push('2026-11-01', 'PTAX', ARRAY['high'])$$, 'P0002', NULL,
                 'the high risks pushed at once are not pushed twice');
SELECT ok((SELECT ok FROM taxshare.ledger_verify()), 'the ledger verifies');

SELECT * FROM finish();
ROLLBACK;
