-- pgTAP: grade_risks() while its entity array grows (src/risk/risk_grade.c).
-- Entity RGW-0 is the blacklisted enterprise, RGW--1 the person, RGW-1..1024
-- the enterprises with points.
-- The array of entities starts at 1024 and doubles when full; an entity met
-- first on the blacklist, or first reached through a link, is added at the
-- moment the array moves.  Two periods of 1990 (no other file's blacklist
-- entry is in force that early) with exactly 1024 entities at that moment:
--   1990-01: 1024 enterprises with points, then a blacklisted enterprise
--            without points (the 1025th entity, added by the blacklist);
--   1990-02: 1023 enterprises with points and the blacklisted one, then the
--            person it passes its risk to (the 1025th, added by propagation).
-- Either way the person is listed low at 39.99 (100 x 0.7 x 1.0 = 70,
-- capped one grade above "no points"), through a link from the blacklisted
-- enterprise.
BEGIN;
SELECT plan(6);

SET LOCAL client_min_messages = warning;

INSERT INTO taxshare.unit (code, name, kind) VALUES ('RGWTEST', '风险扩容测试单位', 'department');
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "风险扩容测试 %s", "provider": "RGWTEST",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c)::jsonb)
  FROM unnest(ARRAY['RGWTEST-SRC', 'RGWTEST-DST']) c;
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code)
VALUES ('RGW_A09', 'growth test A09', 'RGWTEST-SRC', 'RGWTEST-DST', 'party', 'missing', 'A09_VEHICLE_TAX');

CREATE TEMP TABLE rgw (n int PRIMARY KEY, id bigint);
WITH e AS (
  INSERT INTO taxshare.entity (kind, name)
  SELECT CASE WHEN n = -1 THEN 'person' ELSE 'enterprise' END, 'RGW-' || n FROM generate_series(-1, 1024) n
  RETURNING id, name)
INSERT INTO rgw SELECT substr(name, 5)::int, id FROM e;

INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved)
SELECT 'RGW_A09', id, p, 1000
  FROM rgw, (VALUES (DATE '1990-01-01', 1024), (DATE '1990-02-01', 1023)) v(p, last)
 WHERE n BETWEEN 1 AND last;
INSERT INTO taxshare.blacklist (kind, entity_id, reason, listed_on, source)
SELECT 'enterprise', id, 'growth test', DATE '1989-12-01', 'test' FROM rgw WHERE n = 0;
INSERT INTO taxshare.party_link (person_id, enterprise_id, role)
SELECT p.id, e.id, 'legal_rep' FROM rgw p, rgw e WHERE p.n = -1 AND e.n = 0;

SELECT is((SELECT count(*)::int FROM taxshare.blacklist_entity
            WHERE listed_on < DATE '1990-03-01' AND (delisted_on IS NULL OR delisted_on > DATE '1990-01-01')),
          1, 'the one blacklist entry in force in early 1990 is the test''s');

SELECT is((SELECT (entities, low) FROM taxshare.grade_risks('1990-01-01')), (1025::bigint, 1025::bigint),
          '1990-01: the 1024 enterprises and the person are graded');
SELECT is((SELECT (s.score, s.grade::text, s.propagated, (taxshare.risk_breakdown(s.detail) #>> '{propagation,origin}')::bigint)
             FROM taxshare.risk_score s JOIN rgw ON rgw.id = s.entity_id
            WHERE s.period_start = '1990-01-01' AND rgw.n = -1),
          (39.99::float8, 'low'::text, true, (SELECT id FROM rgw WHERE n = 0)),
          '1990-01: the blacklisted enterprise added as the array grew still passes its risk on');

SELECT is((SELECT (entities, low) FROM taxshare.grade_risks('1990-02-01')), (1024::bigint, 1024::bigint),
          '1990-02: the 1023 enterprises and the person are graded');
SELECT is((SELECT (s.score, s.grade::text, s.propagated, (taxshare.risk_breakdown(s.detail) #>> '{propagation,origin}')::bigint)
             FROM taxshare.risk_score s JOIN rgw ON rgw.id = s.entity_id
            WHERE s.period_start = '1990-02-01' AND rgw.n = -1),
          (39.99::float8, 'low'::text, true, (SELECT id FROM rgw WHERE n = 0)),
          '1990-02: the person added by propagation as the array grew is listed');
SELECT is((SELECT count(*)::int FROM taxshare.risk_score s JOIN rgw ON rgw.id = s.entity_id
            WHERE s.period_start = '1990-02-01' AND rgw.n = 0),
          0, 'the blacklisted enterprise, without points of its own, is not listed itself');

SELECT * FROM finish();
ROLLBACK;
