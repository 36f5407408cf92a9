-- pgTAP tests of bad input: malformed JSON, a non-array, unknown item or
-- unit, a period that starts no period, a 10 MB value, invalid UTF-8, a
-- catalog revised during a load.  Each gets a clear error or a recorded row
-- error, the backend survives, and nothing is half-written.  Codes start with
-- PB_ / PB- so that they meet no other test's data.
BEGIN;
SELECT plan(30);
SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;

INSERT INTO taxshare.unit (code, name, kind) VALUES ('PB_U', '测试单位', 'department');
SELECT is(taxshare.catalog_define($${"code": "PB-T", "title": "坏输入", "provider": "PB_U", "frequency": "monthly",
  "schema": {"fields": [{"name": "k", "type": "string", "constraints": {"required": true}},
                        {"name": "a", "type": "amount"}, {"name": "n", "type": "number"},
                        {"name": "d", "type": "date"}, {"name": "u", "type": "uscc"}]}}$$), 1, 'the test item');
CREATE TEMP TABLE before AS
SELECT (SELECT count(*) FROM taxshare.submission) AS submissions, (SELECT count(*) FROM taxshare.record) AS records;
CREATE FUNCTION pg_temp.unchanged() RETURNS boolean LANGUAGE sql AS $$
  SELECT (SELECT count(*) FROM taxshare.submission) = b.submissions AND (SELECT count(*) FROM taxshare.record) = b.records
    FROM before b $$;

-- Refused batches: a clear error and nothing written
SELECT throws_ok($$SELECT taxshare.submit('PB-T', 'PB_U', '2024-01-01', '[{"k": 1,]')$$, '22P02', NULL,
                 'malformed JSON is refused by the jsonb input');
SELECT throws_ok($$SELECT taxshare.submit('PB-T', 'PB_U', '2024-01-01', '{"k": "1"}')$$, '22023',
                 'rows must be a JSON array of objects, not an object', 'a bare object is not a batch');
SELECT throws_ok($$SELECT taxshare.submit('PB-T', 'PB_U', '2024-01-01', '42')$$, '22023',
                 'rows must be a JSON array of objects, not a scalar', 'a scalar is not a batch');
SELECT throws_ok($$SELECT taxshare.submit('PB-NONE', 'PB_U', '2024-01-01', '[]')$$, '22023',
                 'unknown catalog item "PB-NONE"', 'an unknown item');
SELECT throws_ok($$SELECT taxshare.submit('PB-T', 'PB_NONE', '2024-01-01', '[]')$$, '22023',
                 'unknown unit "PB_NONE"', 'an unknown unit');
SELECT throws_ok($$SELECT taxshare.submit('PB-T', 'PB_U', '2024-01-31', '[]')$$, '22023',
                 '2024-01-31 does not start a period of catalog item "PB-T" (monthly)', 'a period that starts no period');
SELECT throws_ok($$SELECT taxshare.submit('PB-T', 'PB_U', '2024-01-01', E'[{"k": "\xff"}]')$$, '22021', NULL,
                 'invalid UTF-8 is refused before it reaches the intake');
SELECT throws_ok($$SELECT taxshare.submit('PB-T', 'PB_U', '2024-01-01', '[{"k": "\u0000"}]')$$, '22P05', NULL,
                 'a NUL character is refused by the jsonb input');
SELECT throws_ok($$INSERT INTO taxshare.inbox (item, unit, period_start, payload)
                   SELECT 'PB-T', CASE WHEN g = 250 THEN NULL ELSE 'PB_U' END, '2024-01-01', jsonb_build_object('k', g)
                     FROM generate_series(1, 300) g$$, '23502', NULL,
                 'an inbox statement failing at row 250 ...');
SELECT ok(pg_temp.unchanged(), '... and all the refused batches left no submission and no record');

-- An inbox load aborted in a subtransaction leaves no state behind
INSERT INTO taxshare.inbox (item, unit, period_start, payload)
SELECT 'PB-T', 'PB_U', '2024-01-01', jsonb_build_object('k', g) FROM generate_series(1, 10) g;
SELECT results_eq($$SELECT rows_total::int, status FROM taxshare.submission WHERE item_code = 'PB-T'$$,
                  $$VALUES (10, 'accepted'::text)$$, 'the next inbox statement starts a fresh submission');

-- Values that are wrong are row errors, not batch failures
CREATE TEMP TABLE big AS SELECT taxshare.submit('PB-T', 'PB_U', '2024-02-01',
  jsonb_build_array(jsonb_build_object('k', repeat('长', 3500000)),
                    jsonb_build_object('k', 'x', 'a', repeat('9', 10485760)),
                    jsonb_build_object('k', 'y', 'n', 1e400::numeric),
                    jsonb_build_object('k', 'z', 'd', '{"nested": [[[[[[[[1]]]]]]]]}'::jsonb),
                    jsonb_build_object('k', 'w', repeat('x', 1000), 1),
                    jsonb_build_object('k', 'v', 'a', 'x', 'n', 'x', 'd', 'x', 'u', 'x'),
                    jsonb_build_object('k', repeat('ok', 100)))) AS id;
SELECT results_eq($$SELECT e.row_no, e.field, e.code FROM taxshare.record_error e JOIN big ON e.submission_id = big.id
                     ORDER BY 1, 2$$,
                  $$VALUES (1, 'k'::text, 'too_long'::text), (2, 'a', 'too_long'), (3, 'n', 'type'), (4, 'd', 'type'),
                           (6, 'a', 'type'), (6, 'd', 'type'), (6, 'n', 'type'), (6, 'u', 'uscc')$$,
                  'a 10 MB value, an out-of-range number, a nested value: each a row error');
SELECT results_eq($$SELECT r.row_no, r.status FROM taxshare.record r JOIN big ON r.submission_id = big.id ORDER BY 1$$,
                  $$VALUES (1, 'rejected'::text), (2, 'rejected'), (3, 'rejected'), (4, 'rejected'), (5, 'accepted'),
                           (6, 'rejected'), (7, 'accepted')$$,
                  'the other rows of the batch are unaffected');
SELECT is((SELECT octet_length(r.raw ->> 'k') FROM taxshare.record r JOIN big ON r.submission_id = big.id
            WHERE r.row_no = 1), 10500000, 'the rejected 10 MB row is kept as sent');
SELECT is((SELECT message FROM taxshare.record_error e JOIN big ON e.submission_id = big.id WHERE e.row_no = 1),
            'k: the value is 10500000 bytes long, over the limit of 1048576 bytes',
            'the message gives the size, not the value');
SELECT is((SELECT octet_length(jsonb_object_keys(unknown_fields)) FROM taxshare.submission s JOIN big USING (id)),
          64, 'an unknown 1000-byte key is counted under its first 64 bytes');
SELECT is((SELECT count(*)::int FROM taxshare.record_error e JOIN big ON e.submission_id = big.id WHERE e.row_no = 6),
          4, 'every error of a row is kept');

-- Many distinct unknown keys are counted without growing without bound
CREATE TEMP TABLE keys AS SELECT taxshare.submit('PB-T', 'PB_U', '2024-03-01',
  (SELECT jsonb_agg(jsonb_build_object('k', g, 'extra_' || g, g)) FROM generate_series(1, 100) g)) AS id;
SELECT is((SELECT count(*)::int FROM jsonb_object_keys((SELECT unknown_fields FROM taxshare.submission s
                                                         JOIN keys USING (id)))), 33,
          '32 unknown keys by name and the rest together');
SELECT is((SELECT (unknown_fields ->> '...')::int FROM taxshare.submission s JOIN keys USING (id)), 68,
          'the rest are counted under "..."');

-- A catalog revised during a load: the load keeps the version it started with
CREATE FUNCTION pg_temp.revise_at(g int, r jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  IF g = 3 THEN
    PERFORM taxshare.catalog_define($d${"code": "PB-T", "title": "坏输入 (修订)", "provider": "PB_U",
      "frequency": "monthly",
      "schema": {"fields": [{"name": "k", "type": "string", "constraints": {"required": true}},
                            {"name": "a", "type": "amount", "constraints": {"required": true}},
                            {"name": "n", "type": "number"}, {"name": "d", "type": "date"},
                            {"name": "u", "type": "uscc"}]}}$d$);
  END IF;
  RETURN r;
END $$;
INSERT INTO taxshare.inbox (item, unit, period_start, payload)
SELECT 'PB-T', 'PB_U', '2024-04-01', pg_temp.revise_at(g, jsonb_build_object('k', g)) FROM generate_series(1, 5) g;
SELECT is((SELECT max(version) FROM taxshare.catalog_item WHERE code = 'PB-T'), 2, 'the item was revised mid-load');
SELECT results_eq($$SELECT item_version, rows_total::int, rows_accepted::int FROM taxshare.submission
                     WHERE item_code = 'PB-T' AND period_start = '2024-04-01'$$,
                  $$VALUES (1, 5, 5)$$, 'the load finished against version 1, all rows checked the same way');
CREATE TEMP TABLE after_rev AS SELECT taxshare.submit('PB-T', 'PB_U', '2024-05-01', '[{"k": "1"}]') AS id;
SELECT results_eq($$SELECT s.item_version, e.field, e.code FROM after_rev JOIN taxshare.submission s USING (id)
                     JOIN taxshare.record_error e ON e.submission_id = s.id$$,
                  $$VALUES (2, 'a'::text, 'required'::text)$$, 'the next load uses version 2');

-- A retired item takes no more data
SELECT is(taxshare.catalog_define((SELECT jsonb_set(definition, '{validTo}', '"2020-12-31"') ||
                                          '{"validFrom": "2020-01-01"}'
                                     FROM taxshare.catalog_item WHERE code = 'PB-T' AND version = 2)), 3,
          'version 3 retires the item');
SELECT throws_ok($$SELECT taxshare.submit('PB-T', 'PB_U', '2024-06-01', '[]')$$, '22023',
                 'catalog item "PB-T" was retired on 2020-12-31', 'a retired item is refused');

-- The backend is still there and the trigger functions refuse misuse
SELECT is((SELECT 1), 1, 'the backend survived all of it');
SELECT throws_ok($$SELECT taxshare.inbox_row()$$, '39P01', NULL, 'the trigger function is not callable directly');
SELECT throws_ok($$CREATE TEMP TABLE t (x int); CREATE TRIGGER t BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION taxshare.inbox_row();
                   INSERT INTO t VALUES (1); UPDATE t SET x = 2$$,
                 '39P01', NULL, 'the inbox trigger refuses to run on UPDATE');
SELECT throws_ok($$SELECT taxshare.catalog_canonical('amout', '1')$$, '22023', 'unknown field type "amout"',
                 'catalog_canonical refuses an unknown type');
SELECT is(taxshare.catalog_canonical('amount', repeat('1', 10485760)), NULL, 'a 10 MB amount is not an amount');

SELECT * FROM finish();
ROLLBACK;
