-- pgTAP tests of the intake: every type with its accepted variants and its
-- rejections, every constraint and rule, statuses, superseding, the inbox.
-- Expected canonical values and codes are written out by hand below.
-- Codes start with PI_ / PI- so that they meet no other test's data.
BEGIN;
SELECT plan(54);
SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;

SELECT has_table('taxshare', t, 'table taxshare.' || t)
  FROM unnest(ARRAY['submission', 'record', 'record_error', 'inbox', 'objection']) t;
SELECT has_view('taxshare', v, 'view taxshare.' || v)
  FROM unnest(ARRAY['current_record', 'record_party_key', 'submission_report', 'objection_status']) v;
SELECT has_function('taxshare', 'submit', ARRAY['text', 'text', 'date', 'jsonb', 'timestamp with time zone', 'text', 'text'],
                    'submit(item, unit, period_start, rows, received_at_exchange, channel, client_ref)');
SELECT has_index('taxshare', 'record', 'record_idents', ARRAY['uscc', 'idcard', 'orgcode'],
                 'the identifiers of a record are indexed');

INSERT INTO taxshare.unit (code, name, kind) VALUES ('PI_U', '测试单位', 'department'), ('PI_V', '另一单位', 'related');
SELECT is(taxshare.catalog_define($${"code": "PI-T", "title": "类型", "provider": "PI_U", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "string", "type": "string"}, {"name": "number", "type": "number"},
    {"name": "integer", "type": "integer"}, {"name": "boolean", "type": "boolean"},
    {"name": "date", "type": "date"}, {"name": "datetime", "type": "datetime"},
    {"name": "year", "type": "year"}, {"name": "yearmonth", "type": "yearmonth"},
    {"name": "amount", "type": "amount"}, {"name": "uscc", "type": "uscc"},
    {"name": "idcard", "type": "idcard"}, {"name": "orgcode", "type": "orgcode"},
    {"name": "division", "type": "division"}, {"name": "phone", "type": "phone"}],
  "missingValues": ["", "/"]}}$$), 1, 'an item with every type');

-- One case per row: the field, the value as sent, and what must come out:
-- the canonical text, "missing", or "!" and the error code.
CREATE TEMP TABLE tcase (n serial, field text, sent jsonb, expect text);
INSERT INTO tcase (field, sent, expect) VALUES
  ('string', '"  衡阳华湘  "', '衡阳华湘'), ('string', '"/"', 'missing'), ('string', '{"x": 1}', '!type'),
  ('number', '"1.50"', '1.5'), ('number', '2.25', '2.25'), ('number', '"-0.5"', '-0.5'), ('number', '"1,5"', '!type'),
  ('number', '"abc"', '!type'),
  ('integer', '"42"', '42'), ('integer', '-7', '-7'), ('integer', '"1.5"', '!type'),
  ('integer', '"99999999999999999999"', '!type'),
  ('boolean', 'true', 'true'), ('boolean', '"false"', 'false'), ('boolean', '"perhaps"', '!type'),
  ('date', '"2024-03-05"', '2024-03-05'), ('date', '"2024/3/5"', '2024-03-05'), ('date', '"20240305"', '2024-03-05'),
  ('date', '"2024年3月5日"', '2024-03-05'), ('date', '"2024-02-29"', '2024-02-29'), ('date', '"2023-02-29"', '!type'),
  ('date', '"05/03/2024"', '!type'), ('date', 'null', 'missing'),
  ('datetime', '"2024-03-05 08:30:00"', '2024-03-05T08:30:00'), ('datetime', '"2024/3/5 8:30"', '2024-03-05T08:30:00'),
  ('datetime', '"2024-03-05 24:30"', '!type'),
  ('year', '"2024"', '2024'), ('year', '2024', '2024'), ('year', '"24"', '!type'),
  ('yearmonth', '"2024-03"', '2024-03'), ('yearmonth', '"2024年3月"', '2024-03'), ('yearmonth', '"2024-13"', '!type'),
  ('amount', '"1,234,567.00"', '1234567.00'), ('amount', '1234567', '1234567.00'), ('amount', '"1234.5"', '1234.50'),
  ('amount', '"12.345"', '!decimals'), ('amount', '"1,23"', '!type'), ('amount', '"1e3"', '!type'),
  ('uscc', '"91350100M000100Y43"', '91350100M000100Y43'), ('uscc', '"91350100m000100y43"', '91350100M000100Y43'),
  ('uscc', '" 9135 0100 M000 100Y 43 "', '91350100M000100Y43'), ('uscc', '"９１３５０１００Ｍ０００１００Ｙ４３"', '91350100M000100Y43'),
  ('uscc', '"91350100M000100Y44"', '!uscc'), ('uscc', '"91350100M000100Y4"', '!uscc'),
  ('idcard', '"11010519491231002X"', '11010519491231002X'), ('idcard', '"11010519491231002x"', '11010519491231002X'),
  ('idcard', '"430405850312123"', '430405198503121235'), ('idcard', '"110105194912310021"', '!idcard'),
  ('orgcode', '"M000100Y4"', 'M000100Y4'), ('orgcode', '"m000100y-4"', 'M000100Y4'), ('orgcode', '"M000100Y5"', '!orgcode'),
  ('division', '"430405"', '430405'), ('division', '"110105"', '110105'), ('division', '"430499"', '!division'),
  ('division', '"4304"', '!division'),
  ('phone', '"13800000000"', '13800000000'), ('phone', '"0734-8888888"', '07348888888'), ('phone', '"12345"', '!phone');
CREATE TEMP TABLE tsub AS
SELECT taxshare.submit('PI-T', 'PI_U', '2024-01-01',
                       (SELECT jsonb_agg(jsonb_build_object(field, sent) ORDER BY n) FROM tcase)) AS id;
CREATE TEMP TABLE tgot AS
SELECT c.field, c.n, c.expect,
       CASE WHEN e.code IS NOT NULL THEN '!' || e.code
            WHEN r.payload ? c.field THEN r.payload ->> c.field
            ELSE 'missing' END AS got
  FROM tcase c
  JOIN tsub ON true
  JOIN taxshare.record r ON r.submission_id = tsub.id AND r.row_no = c.n
  LEFT JOIN taxshare.record_error e ON e.submission_id = tsub.id AND e.row_no = c.n AND e.field = c.field;
SELECT is((SELECT string_agg(format('%s %s: got %s', field, (SELECT sent FROM tcase t WHERE t.n = g.n), got), '; ')
             FROM tgot g WHERE g.field = f AND g.got IS DISTINCT FROM g.expect),
          NULL, format('type %s: %s cases as expected', f, (SELECT count(*) FROM tcase WHERE field = f)))
  FROM unnest(ARRAY['string', 'number', 'integer', 'boolean', 'date', 'datetime', 'year', 'yearmonth', 'amount',
                    'uscc', 'idcard', 'orgcode', 'division', 'phone']) f;
SELECT is((SELECT count(*)::int FROM tgot), (SELECT count(*)::int FROM tcase), 'every case was recorded as a row');
SELECT results_eq($$SELECT uscc, idcard, orgcode FROM taxshare.record r JOIN tsub ON r.submission_id = tsub.id
                     WHERE r.row_no IN (39, 45, 49) ORDER BY r.row_no$$,
                  $$VALUES ('{91350100M000100Y43}'::text[], NULL::text[], NULL::text[]),
                           (NULL, '{11010519491231002X}', NULL), (NULL, NULL, '{M000100Y4}')$$,
                  'identifiers land in their indexed columns');

-- The identifier index is written in bulk when a load ends (and whenever the
-- keys held pass work_mem, here 64kB, so several times): an index search
-- finds exactly the rows that carry the identifier, counted from the input.
-- Valid USCCs: 17 base-31 digits of j, the check character by GB 32100 in SQL.
CREATE TEMP TABLE gcode AS
SELECT j, body || substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
                         (31 - (SELECT sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(body, k, 1)) - 1)
                                           * (power(3, k - 1)::bigint % 31)) FROM generate_series(1, 17) k)::int % 31) % 31 + 1, 1) AS code
  FROM (SELECT j, '9143' || lpad(upper(to_hex(j * 7919)), 13, '0') AS body FROM generate_series(0, 1999) j) x;
CREATE TEMP TABLE grow AS
SELECT i, CASE WHEN i % 10 = 0 THEN NULL ELSE (SELECT code FROM gcode WHERE j = i % 2000) END AS a,
          CASE WHEN i % 10 = 0 THEN NULL WHEN i % 3 = 0 THEN (SELECT code FROM gcode WHERE j = i % 2000)
               ELSE (SELECT code FROM gcode WHERE j = (i + 1) % 2000) END AS b
  FROM generate_series(1, 3000) i;
SELECT is(taxshare.catalog_define($${"code": "PI-G", "title": "标识", "provider": "PI_U", "frequency": "monthly",
  "schema": {"fields": [{"name": "a", "type": "uscc"}, {"name": "b", "type": "uscc"}, {"name": "p", "type": "idcard"}]}}$$), 1,
          'an item with two identifier fields of one type');
SET LOCAL work_mem = '64kB';
CREATE TEMP TABLE gsub AS
SELECT taxshare.submit('PI-G', 'PI_U', '2024-01-01',
                       (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('a', a, 'b', b)) ORDER BY i) FROM grow)) AS id;
SELECT is((SELECT status FROM taxshare.submission s JOIN gsub USING (id)), 'accepted',
          'a load of 3000 rows with 2000 identifiers');
INSERT INTO taxshare.inbox (item, unit, period_start, payload)
SELECT 'PI-G', 'PI_U', '2024-02-01', jsonb_strip_nulls(jsonb_build_object('a', a, 'b', b)) FROM grow ORDER BY i;
RESET work_mem;
SET LOCAL enable_seqscan = off;
CREATE TEMP TABLE gfound AS
SELECT g.code, s.period_start,
       (SELECT count(*) FROM taxshare.record r WHERE r.uscc @> ARRAY[g.code] AND r.submission_id = s.id) AS n
  FROM gcode g, taxshare.submission s WHERE s.item_code = 'PI-G';
RESET enable_seqscan;
SELECT is((SELECT count(*)::int FROM gfound f
            WHERE f.n <> (SELECT count(*) FROM grow WHERE a = f.code OR b = f.code)), 0,
          'every identifier finds its rows through record_idents, after submit() and the inbox');
SELECT is((SELECT count(*)::int FROM taxshare.submission s
             JOIN taxshare.ledger l ON l.action = 'submission' AND l.object LIKE 'submission ' || s.id || ':%'
            WHERE s.item_code = 'PI-G' AND l.digest = taxshare.submission_digest(s.id)), 2,
          'the ledger''s digests of both loads, taken while writing, are those of the records read back');
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; plan text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP plan := plan || line || E'\n'; END LOOP;
  RETURN plan;
END $$;
SELECT matches(pg_temp.plan_of($$SELECT id FROM taxshare.record WHERE uscc @> ARRAY['91350100M000100Y43']$$),
               'Bitmap Index Scan on record_idents',
               '"every record about this taxpayer" is a search of record_idents');

-- Constraints and rules
SELECT is(taxshare.catalog_define($${"code": "PI-C", "title": "约束", "provider": "PI_U", "frequency": "monthly",
  "schema": {"fields": [
    {"name": "k", "type": "string", "constraints": {"required": true, "pattern": "K[0-9]+", "minLength": 2, "maxLength": 4}},
    {"name": "u", "type": "string", "constraints": {"unique": true}},
    {"name": "e", "type": "string", "constraints": {"enum": ["甲", "乙"]}},
    {"name": "a", "type": "amount", "constraints": {"minimum": 0, "maximum": 100}},
    {"name": "p1", "type": "amount"}, {"name": "p2", "type": "amount"},
    {"name": "d1", "type": "date"}, {"name": "d2", "type": "date"},
    {"name": "id", "type": "idcard"}, {"name": "born", "type": "date"},
    {"name": "kind", "type": "string"}, {"name": "org", "type": "orgcode"}],
   "primaryKey": ["k", "e"]},
  "rules": [{"rule": "lte", "fields": ["d1", "d2"]}, {"rule": "lt", "fields": ["p1", "p2"]},
            {"rule": "idcard_birthdate", "fields": ["id", "born"]},
            {"rule": "sum", "fields": ["p1", "p2"], "total": "a", "tolerance": 0.01},
            {"rule": "required_if", "fields": ["org"], "when": "kind", "in": ["单位"]}]}$$), 1,
          'an item with every constraint and rule');
CREATE TEMP TABLE csub AS SELECT taxshare.submit('PI-C', 'PI_U', '2024-01-01', $$[
  {"k": "K1", "u": "x", "e": "甲", "a": 30, "p1": 10, "p2": 20, "d1": "2024-01-01", "d2": "2024-01-01",
   "id": "11010519491231002X", "born": "1949-12-31", "kind": "单位", "org": "M000100Y4"},
  {"k": "K2", "u": "y", "e": "乙", "a": 30.01, "p1": 10, "p2": 20, "kind": "个人"},
  {"k": "K1", "u": "x", "e": "甲"},
  {"k": "K12345", "e": "丙", "a": 101},
  {"k": "X9", "a": -1},
  {"e": "乙", "d1": "2024-01-02", "d2": "2024-01-01", "p1": 20, "p2": 20, "a": 40.02,
   "id": "11010519491231002X", "born": "1950-01-01", "kind": "单位"}
]$$) AS id;
SELECT results_eq($$SELECT e.row_no, e.field, e.code FROM taxshare.record_error e JOIN csub ON e.submission_id = csub.id
                     ORDER BY 1, 3, 2$$,
                  $$VALUES (3, NULL::text, 'primary_key'::text), (3, 'u', 'unique'),
                           (4, 'e', 'enum'), (4, 'k', 'max_length'), (4, 'a', 'maximum'),
                           (5, 'a', 'minimum'), (5, 'k', 'pattern'), (5, 'e', 'required'),
                           (6, NULL, 'idcard_birthdate'), (6, NULL, 'lt'), (6, NULL, 'lte'),
                           (6, 'k', 'required'), (6, 'org', 'required_if'), (6, NULL, 'sum')$$,
                  'each constraint and rule reports its code on the right row and field');
SELECT results_eq($$SELECT r.row_no, r.status FROM taxshare.record r JOIN csub ON r.submission_id = csub.id ORDER BY 1$$,
                  $$VALUES (1, 'accepted'::text), (2, 'accepted'), (3, 'rejected'), (4, 'rejected'),
                           (5, 'rejected'), (6, 'rejected')$$,
                  'rows without errors are accepted, the others kept as rejected');
SELECT results_eq($$SELECT status, rows_total::int, rows_accepted::int, rows_rejected::int, errors::int
                     FROM taxshare.submission s JOIN csub USING (id)$$,
                  $$VALUES ('accepted_with_errors'::text, 6, 2, 4, 14)$$, 'the submission counts rows and errors');
SELECT is((SELECT message FROM taxshare.record_error e JOIN csub ON e.submission_id = csub.id
            WHERE e.row_no = 5 AND e.code = 'minimum'),
          'a: "-1.00" is less than the minimum 0.00', 'messages name the field and quote the value');
SET LOCAL taxshare.language = zh;
CREATE TEMP TABLE zsub AS SELECT taxshare.submit('PI-C', 'PI_U', '2024-02-01', '[{"k": "K1", "a": -1}]') AS id;
SELECT is((SELECT message FROM taxshare.record_error e JOIN zsub ON e.submission_id = zsub.id
            WHERE e.code = 'minimum'),
          'a 的值“-1.00”小于最小值 0.00', 'taxshare.language = zh gives Chinese messages');

-- Statuses and superseding
CREATE TEMP TABLE ssub (n int, id bigint);
INSERT INTO ssub SELECT 1, taxshare.submit('PI-C', 'PI_U', '2024-03-01', '[{"k": "K1", "e": "甲"}]');
INSERT INTO ssub SELECT 2, taxshare.submit('PI-C', 'PI_U', '2024-03-01', '[{"k": "X"}]');
INSERT INTO ssub SELECT 3, taxshare.submit('PI-C', 'PI_U', '2024-03-01', '[]');
SELECT results_eq($$SELECT o.n, s.status, s.superseded_by = (SELECT i.id FROM ssub i WHERE i.n = o.n + 1)
                     FROM ssub o JOIN taxshare.submission s USING (id) ORDER BY o.n$$,
                  $$VALUES (1, 'accepted'::text, true), (2, 'rejected', true), (3, 'accepted', NULL)$$,
                  'each resubmission supersedes the one before; [] is an accepted empty report');
SELECT is((SELECT count(*)::int FROM taxshare.current_record WHERE item_code = 'PI-C' AND period_start = '2024-03-01'),
          0, 'the current state of the period is the last submission');
SELECT is((SELECT count(*)::int FROM taxshare.record r WHERE r.submission_id IN (SELECT id FROM ssub)), 2,
          'superseded records stay in history');

-- The inbox
INSERT INTO taxshare.inbox (item, unit, period_start, payload, received_at_exchange)
SELECT 'PI-C', 'PI_U', '2024-04-01', jsonb_build_object('k', 'K' || g, 'e', '甲', 'a', g % 50),
       '2024-04-03 09:00+08'
  FROM generate_series(1, 999) g;
SELECT results_eq($$SELECT channel, status, rows_total::int, rows_accepted::int, received_at_exchange
                     FROM taxshare.submission WHERE item_code = 'PI-C' AND period_start = '2024-04-01'$$,
                  $$VALUES ('inbox'::text, 'accepted'::text, 999, 999, '2024-04-03 09:00+08'::timestamptz)$$,
                  'one INSERT statement into the inbox makes one submission');
SELECT is((SELECT count(*)::int FROM taxshare.inbox), 0, 'the inbox keeps nothing');
SELECT throws_ok($$INSERT INTO taxshare.inbox (item, unit, period_start, payload) VALUES ('PI-C', 'PI_U', NULL, '{}')$$,
                 '23502', NULL, 'an inbox row without a period is refused');
SELECT throws_ok($$INSERT INTO taxshare.inbox (item, unit, period_start, payload) VALUES ('PI-C', 'PI_V', '2024-04-01', '{}')$$,
                 '22023', 'unit "PI_V" is not the provider of catalog item "PI-C"', 'the inbox checks the provider');

-- The write path (intake_write_fast.c): a bulk writer open across a load's
-- chunks is dropped with a statement that fails, and a table the bulk writer
-- must not write goes through the executor.
SELECT throws_ok($$INSERT INTO taxshare.inbox (item, unit, period_start, payload)
                   SELECT 'PI-C', 'PI_U', CASE WHEN g = 1400 THEN NULL ELSE date '2024-05-01' END,
                          jsonb_build_object('k', 'K' || g, 'e', '甲', 'a', g % 50)
                     FROM generate_series(1, 1500) g$$,
                 '23502', NULL, 'an inbox statement failing at its 1400th row is refused whole');
INSERT INTO taxshare.inbox (item, unit, period_start, payload)
SELECT 'PI-C', 'PI_U', '2024-05-01', jsonb_build_object('k', 'K' || g, 'e', '甲', 'a', g % 50)
  FROM generate_series(1, 1500) g;
SELECT results_eq($$SELECT s.rows_total::int, s.rows_accepted::int,
                            (SELECT count(*)::int FROM taxshare.record r WHERE r.submission_id = s.id),
                            (SELECT count(*)::int FROM taxshare.record_error e WHERE e.submission_id = s.id)
                       FROM taxshare.submission s WHERE s.item_code = 'PI-C' AND s.period_start = '2024-05-01'$$,
                  $$VALUES (1500, 999, 1500, 501)$$,
                  'after it, the same load goes through once: 1500 records (K1000 on too long), 501 errors, nothing of the failed one');
CREATE TEMP TABLE seen (id bigint);
CREATE FUNCTION pg_temp.record_seen() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN INSERT INTO pg_temp.seen VALUES (NEW.id); RETURN NEW; END$$;
CREATE TRIGGER pi_seen AFTER INSERT ON taxshare.record FOR EACH ROW EXECUTE FUNCTION pg_temp.record_seen();
CREATE TEMP TABLE tsub6 AS
SELECT taxshare.submit('PI-C', 'PI_U', '2024-06-01',
                       (SELECT jsonb_agg(jsonb_build_object('k', 'K' || g, 'e', '甲', 'a', g % 50)) FROM generate_series(1, 300) g)) AS id;
DROP TRIGGER pi_seen ON taxshare.record;
SELECT is((SELECT count(DISTINCT t.id)::int FROM pg_temp.seen t JOIN tsub6 s ON t.id >> 32 = s.id), 300,
          'with an INSERT trigger on taxshare.record the records go through the executor, which fires it');
SELECT is((SELECT l.digest = taxshare.submission_digest(s.id) FROM taxshare.ledger l, tsub6 s
            WHERE l.action = 'submission' AND l.object LIKE 'submission ' || s.id || ':%'), true,
          'the ledger''s digest of that load is still that of the records read back');

-- Caller errors
SELECT throws_ok($$SELECT taxshare.submit('PI-NONE', 'PI_U', '2024-01-01', '[]')$$, '22023',
                 'unknown catalog item "PI-NONE"', 'unknown item');
SELECT throws_ok($$SELECT taxshare.submit('PI-C', 'PI_NONE', '2024-01-01', '[]')$$, '22023',
                 'unknown unit "PI_NONE"', 'unknown unit');
SELECT throws_ok($$SELECT taxshare.submit('PI-C', 'PI_U', '2024-01-15', '[]')$$, '22023', NULL,
                 'a monthly period starts on the 1st');
SELECT throws_ok($$SELECT taxshare.submit(NULL, 'PI_U', '2024-01-01', '[]')$$, '22004', 'item must not be null',
                 'a NULL item is refused');

SELECT * FROM finish();
ROLLBACK;
