-- pgTAP: what the SPI batch writer (src/common/spi_batch.c) writes for its users:
-- grade_risks() on its SQL path, in batches of taxshare.risk_write_batch rows, and
-- resolve_entities() over more parties than one batch holds.
-- A statement trigger with a transition table on risk_score both makes
-- grade_risks() take its SQL path (bulk_insert refuses a table with INSERT
-- triggers) and records the rows of each statement: one per batch.  What the
-- SQL path writes is compared with what the bulk path wrote before the
-- trigger was made.
BEGIN;
SELECT plan(11);

SET LOCAL client_min_messages = warning;
SET LOCAL datestyle = 'ISO, YMD';

INSERT INTO taxshare.unit (code, name, kind) VALUES ('SPBTEST', 'SPI 批量写入测试单位', 'department');

CREATE TEMP TABLE spb_statement (seq serial, tbl text, n int);
CREATE FUNCTION pg_temp.spb_count() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN INSERT INTO pg_temp.spb_statement (tbl, n) SELECT TG_TABLE_NAME, count(*) FROM new_rows; RETURN NULL; END$$;

-- ---------------------------------------------------------------------------
-- grade_risks(): batches of taxshare.risk_write_batch rows
-- 1991-01: 200 enterprises with points, two batches of exactly 100 rows;
-- 1993-01: 250, two full batches and one of 50 (another year: a grading
-- reads the assessments of the year's earlier periods).
-- ---------------------------------------------------------------------------
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "SPI 批量测试 %s", "provider": "SPBTEST",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c)::jsonb)
  FROM unnest(ARRAY['SPBTEST-SRC', 'SPBTEST-DST']) c;
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code)
VALUES ('SPB_A09', 'spi batch test A09', 'SPBTEST-SRC', 'SPBTEST-DST', 'party', 'missing', 'A09_VEHICLE_TAX'),
       ('SPB_A01', 'spi batch test A01', 'SPBTEST-SRC', 'SPBTEST-DST', 'party', 'missing', 'A01_PROPERTY_DEED_TAX');

CREATE TEMP TABLE spb_ent (n int PRIMARY KEY, id bigint);
WITH e AS (
  INSERT INTO taxshare.entity (kind, name)
  SELECT 'enterprise', 'SPB-' || n FROM generate_series(1, 250) n
  RETURNING id, name)
INSERT INTO spb_ent SELECT substr(name, 5)::int, id FROM e;
-- amounts and a second indicator on every third, so scores, grades and ranks differ
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved)
SELECT r, id, p, n * 1000 + 0.25
  FROM spb_ent, (VALUES (DATE '1991-01-01', 200), (DATE '1993-01-01', 250)) v(p, last),
       unnest(ARRAY['SPB_A09', 'SPB_A01']) r
 WHERE n <= last AND (r = 'SPB_A09' OR n % 3 = 0);

SELECT taxshare.grade_risks('1991-01-01');
SELECT taxshare.grade_risks('1993-01-01');
CREATE TEMP TABLE spb_bulk AS
  SELECT period_start, entity_id, score, grade, rank, points, amount, own_score, own_grade, severity,
         social_impact, monitoring, blacklisted, propagated, response, reason_code, detail
    FROM taxshare.risk_score WHERE period_start IN ('1991-01-01', '1993-01-01');
SELECT ok((SELECT count(DISTINCT grade) > 1 AND count(DISTINCT response) > 1 FROM spb_bulk),
          'the graded rows differ in grade and response');

CREATE TRIGGER spb_count AFTER INSERT ON taxshare.risk_score
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.spb_count();
SET LOCAL taxshare.risk_write_batch = 100;
SELECT taxshare.grade_risks('1991-01-01');
SELECT results_eq($$SELECT n FROM spb_statement WHERE tbl = 'risk_score' ORDER BY seq$$, ARRAY[100, 100],
                  '200 rows in batches of 100: two statements of exactly 100 rows, no empty third');
DELETE FROM spb_statement;
SELECT taxshare.grade_risks('1993-01-01');
SELECT results_eq($$SELECT n FROM spb_statement WHERE tbl = 'risk_score' ORDER BY seq$$, ARRAY[100, 100, 50],
                  '250 rows in batches of 100: 100, 100, then the last 50');
SELECT set_eq($$SELECT period_start, entity_id, score, grade, rank, points, amount, own_score, own_grade, severity,
                       social_impact, monitoring, blacklisted, propagated, response, reason_code, detail
                  FROM taxshare.risk_score WHERE period_start IN ('1991-01-01', '1993-01-01')$$,
              'SELECT * FROM spb_bulk',
              'the SQL path in batches writes the very rows of the bulk path');
DROP TRIGGER spb_count ON taxshare.risk_score;
RESET taxshare.risk_write_batch;

-- ---------------------------------------------------------------------------
-- resolve_entities(): 2600 persons, more than one batch (RESOLVE_BATCH, 2000
-- parties) and more rows than a writer first holds (256)
-- ---------------------------------------------------------------------------
SELECT taxshare.catalog_define($${"code": "SPBTEST-P", "title": "SPI 批量测试 人员", "provider": "SPBTEST",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "idcard", "title": "身份证号码", "type": "idcard"},
                        {"name": "name", "title": "姓名", "type": "string"},
                        {"name": "phone", "title": "联系电话", "type": "phone"}]},
  "parties": [{"role": "person", "idcard": "idcard", "name": "name", "phone": "phone"}]}$$);
-- resident IDs with their check characters computed here (GB 11643-1999)
CREATE TEMP TABLE spb_person AS
SELECT n, body || substr('10X98765432',
                         (SELECT sum(substr(body, k, 1)::int * ((2 ^ (18 - k))::bigint % 11))
                            FROM generate_series(1, 17) k)::int % 11 + 1, 1) AS idcard
  FROM (SELECT n, '430405' || to_char(DATE '1950-01-01' + n, 'YYYYMMDD') || '001' AS body
          FROM generate_series(1, 2600) n) b;
SELECT ok((SELECT bool_and(taxshare.idcard_valid(idcard)) FROM spb_person), 'the 2600 resident IDs are valid');
SELECT taxshare.submit('SPBTEST-P', 'SPBTEST', '1991-01-01',
                       (SELECT jsonb_agg(jsonb_build_object('idcard', idcard, 'name', '测试人' || n) ORDER BY n)
                          FROM spb_person));
CREATE TRIGGER spb_count AFTER INSERT ON taxshare.record_party
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.spb_count();
CREATE TRIGGER spb_count AFTER INSERT ON taxshare.entity
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.spb_count();
DELETE FROM spb_statement;
SELECT results_eq('SELECT parties::int, by_key::int, new_entities::int FROM taxshare.resolve_entities()',
                  $$VALUES (2600, 2600, 2600)$$, '2600 persons, each a new entity by its key');
DROP TRIGGER spb_count ON taxshare.record_party;
DROP TRIGGER spb_count ON taxshare.entity;
SELECT results_eq($$SELECT tbl, n FROM spb_statement ORDER BY seq$$,
                  $$VALUES ('entity', 2000), ('record_party', 2000), ('entity', 600), ('record_party', 600)$$,
                  'written every 2000 parties, entities before the links that refer to them');
SELECT results_eq($$SELECT count(*)::int, count(*) FILTER (WHERE e.idcard = p.idcard AND e.name = '测试人' || p.n
                                                          AND e.phone IS NULL AND rp.explanation IS NOT NULL)::int
                      FROM spb_person p
                      JOIN taxshare.record r ON r.payload ->> 'idcard' = p.idcard
                      JOIN taxshare.record_party rp ON rp.record_id = r.id
                      JOIN taxshare.entity e ON e.id = rp.entity_id$$,
                  $$VALUES (2600, 2600)$$,
                  'each record is linked to its own entity, written with its identifier and name');
SELECT is((SELECT count(*)::int FROM taxshare.entity_attribute a JOIN taxshare.entity e ON e.id = a.entity_id
            WHERE a.kind = 'name' AND e.idcard IN (SELECT idcard FROM spb_person)),
          2600, 'each entity''s name is among its attributes');
-- the same persons again, now with phones: enriched entities (the UPDATE ... FROM unnest writer)
SELECT taxshare.submit('SPBTEST-P', 'SPBTEST', '1991-02-01',
                       (SELECT jsonb_agg(jsonb_build_object('idcard', idcard, 'name', '测试人' || n,
                                                            'phone', '138' || lpad(n::text, 8, '0')) ORDER BY n)
                          FROM spb_person));
SELECT results_eq('SELECT parties::int, by_key::int, new_entities::int FROM taxshare.resolve_entities()',
                  $$VALUES (2600, 2600, 0)$$, 'the second time, the same 2600 entities');
SELECT is((SELECT count(*)::int FROM taxshare.entity e JOIN spb_person p ON p.idcard = e.idcard
            WHERE e.phone = '138' || lpad(p.n::text, 8, '0')),
          2600, 'each entity took its phone');

SELECT * FROM finish();
ROLLBACK;
