-- pgTAP tests of the inbox row trigger running as the caller: it is not
-- SECURITY DEFINER, and becomes the owner with a pinned search_path only for
-- the steps of a load that run SQL or touch tables (src/intake/intake_owner.c).
-- What must hold: a hostile search_path of the caller is never used, the
-- caller is still checked and recorded, the rows are still written as the
-- owner (the caller has no privilege on record), and the caller's identity
-- and search_path are back after the statement, and after an error caught in
-- the middle of a load.  Codes start with IO_ / IO- to meet no other test.
BEGIN;
SELECT plan(12);
SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;

-- That inbox_row is no definer while inbox_finish and submit() are is
-- asserted in security_matrix.sql with the rest of the definer functions.

INSERT INTO taxshare.unit (code, name, kind) VALUES ('IO_U', '切换测试单位', 'department'),
  ('IO_V', '另一单位', 'department');
SELECT taxshare.catalog_define($j${"code": "IO-T", "title": "切换测试", "provider": "IO_U",
  "frequency": "monthly",
  "schema": {"fields": [{"name": "no", "type": "string", "constraints": {"pattern": "N[0-9]+"}},
                        {"name": "uscc", "type": "uscc"},
                        {"name": "amount", "type": "amount", "constraints": {"minimum": 0}}],
             "primaryKey": ["no"]}}$j$::jsonb);
CREATE ROLE io_unit LOGIN IN ROLE taxshare_unit;
INSERT INTO taxshare.unit_member (role, unit_code) VALUES ('io_unit', 'IO_U');

-- A trap: text = text and the intake's helper names, in a schema the caller
-- puts before pg_catalog.  Any of them called by the intake raises.
CREATE SCHEMA io_evil;
GRANT USAGE ON SCHEMA io_evil TO io_unit;
CREATE FUNCTION io_evil.trap(a text, b text) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN RAISE EXCEPTION 'search_path hijacked'; END$$;
CREATE OPERATOR io_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = io_evil.trap);
CREATE FUNCTION io_evil._may_submit_for(name, text) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN RAISE EXCEPTION 'search_path hijacked'; END$$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA io_evil TO io_unit;

-- The caller's statements run in functions that put the trap first in
-- search_path (pgTAP's own functions must not see it); each returns the
-- caller's current_user and search_path as they are afterwards.
CREATE FUNCTION io_trap() RETURNS text LANGUAGE plpgsql
  SET search_path = io_evil, pg_catalog, public AS $$
BEGIN
  PERFORM 'a'::text = 'a'::text;
  RETURN 'not trapped';
EXCEPTION WHEN raise_exception THEN
  RETURN SQLERRM;
END$$;
CREATE FUNCTION io_load(period date, n int) RETURNS text LANGUAGE plpgsql
  SET search_path = io_evil, pg_catalog, public AS $$
BEGIN
  INSERT INTO taxshare.inbox (item, unit, period_start, payload)
  SELECT 'IO-T', 'IO_U', period,
         jsonb_build_object('no', 'N' || i, 'uscc', '91350100M000100Y43',
                            'amount', CASE WHEN i % 100 = 0 THEN '-1' ELSE '1.5' END)
    FROM generate_series(1, n) i;
  RETURN current_user || ' | ' || current_setting('search_path');
END$$;
-- An inbox statement that fails inside a load (unknown unit: the error is
-- raised while the load is opened as the owner), caught in a subtransaction.
CREATE FUNCTION io_caught() RETURNS text LANGUAGE plpgsql
  SET search_path = io_evil, pg_catalog, public AS $$
BEGIN
  BEGIN
    INSERT INTO taxshare.inbox (item, unit, period_start, payload)
    VALUES ('IO-T', 'IO_NONE', '2024-03-01', '{"no": "N1"}');
  EXCEPTION WHEN invalid_parameter_value THEN
    NULL;
  END;
  RETURN current_user || ' | ' || current_setting('search_path');
END$$;
-- The same for a load of another unit (42501 when the load opens).
CREATE FUNCTION io_forge() RETURNS text LANGUAGE plpgsql
  SET search_path = io_evil, pg_catalog, public AS $$
BEGIN
  INSERT INTO taxshare.inbox (item, unit, period_start, payload)
  VALUES ('IO-T', 'IO_V', '2024-02-01', '{"no": "N1"}');
  RETURN 'loaded';
EXCEPTION WHEN insufficient_privilege THEN
  RETURN SQLERRM;
END$$;
GRANT EXECUTE ON FUNCTION io_trap(), io_load(date, int), io_caught(), io_forge() TO io_unit;

SET LOCAL ROLE io_unit;
SELECT is(io_trap(), 'search_path hijacked', 'the trap is live: the caller''s text = text is the hostile one');
SELECT is(io_load('2024-01-01', 300), 'io_unit | io_evil, pg_catalog, public',
          'a load of 300 rows (three chunks) with a hostile search_path never calls the caller''s objects, '
          'and leaves the caller itself with its own search_path');
SELECT is(io_caught(), 'io_unit | io_evil, pg_catalog, public',
          'after an error raised as the owner and caught, the caller is itself with its own search_path');
SELECT is(io_forge(), 'role "io_unit" may not submit for unit "IO_V"',
          'the caller is still checked when its load opens');
SELECT throws_ok($$INSERT INTO taxshare.record (id, submission_id, row_no, status) VALUES (1, 0, 1, 'accepted')$$,
                 '42501', NULL, 'the caller itself cannot write record');
RESET ROLE;

SELECT results_eq($$SELECT submitted_by, status, rows_total::int, rows_accepted::int, rows_rejected::int
                      FROM taxshare.submission WHERE item_code = 'IO-T'$$,
                  $$VALUES ('io_unit'::text, 'accepted_with_errors'::text, 300, 297, 3)$$,
                  'the submission is the caller''s, with every row counted');
SELECT is((SELECT count(*)::int FROM taxshare.record r JOIN taxshare.submission s ON s.id = r.submission_id
            WHERE s.item_code = 'IO-T'), 300, 'every row was written, as the owner');
SELECT is((SELECT count(*)::int FROM taxshare.record_error e JOIN taxshare.submission s ON s.id = e.submission_id
            WHERE s.item_code = 'IO-T' AND e.code = 'minimum'), 3, 'the rejected rows keep their errors');
SELECT is((SELECT count(*)::int FROM taxshare.record WHERE uscc @> ARRAY['91350100M000100Y43']
            AND submission_id = (SELECT id FROM taxshare.submission WHERE item_code = 'IO-T')), 297,
          'the identifier index written at the load''s end finds the accepted rows');
SELECT ok((taxshare.ledger_verify()).ok, 'the ledger verifies');

-- A superuser caller: the switch is to the owner all the same.
SELECT is(io_load('2024-04-01', 1), current_user || ' | io_evil, pg_catalog, public',
          'a superuser caller with a hostile search_path loads too, and keeps its search_path');
SELECT is((SELECT count(*)::int FROM taxshare.submission WHERE item_code = 'IO-T' AND period_start = '2024-04-01'), 1,
          'that load made its submission');

SELECT * FROM finish();
ROLLBACK;
