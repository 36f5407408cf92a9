-- pgTAP: fiscal payment warnings (control/install/93_payment_warning.sql),
-- issued, rectified, suspended and lifted by the daily sweep from the
-- obligations' rectification windows, on the 2024 calendar: a September
-- report is due Thursday 10 October; its window (5 working days) runs 11,
-- 12 (make-up Saturday), 14, 15, 16 October.
BEGIN;
SELECT plan(27);

SET LOCAL TimeZone = 'Asia/Shanghai';
SET LOCAL datestyle = 'ISO, YMD';
SET LOCAL taxshare.calendar_missing_year = error;
SET LOCAL taxshare.due_date_roll_forward = on;
SET LOCAL taxshare.deadline_profile = hengyang;
SET LOCAL taxshare.language = 'en';
SET LOCAL client_min_messages = warning;

SELECT has_table('taxshare', 'payment_warning', 'table payment_warning exists');
SELECT has_view('taxshare', 'payment_status', 'view payment_status exists');

INSERT INTO taxshare.unit (code, name, kind) VALUES ('PW', '支付预警测试单位', 'department');
CREATE FUNCTION pg_temp.item(code text) RETURNS integer LANGUAGE sql AS $$
  SELECT taxshare.catalog_define(jsonb_build_object(
    'code', code, 'title', code, 'provider', 'PW', 'frequency', 'monthly', 'validFrom', '2024-09-01',
    'schema', jsonb_build_object('fields', jsonb_build_array(
      jsonb_build_object('name', 'n', 'title', '编号', 'type', 'integer',
                         'constraints', jsonb_build_object('required', true)))))) $$;
CREATE FUNCTION pg_temp.sub(item text, at timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  sid bigint;
BEGIN
  sid := taxshare.submit(item, 'PW', '2024-09-01', '[{"n": 1}, {"n": 2}]'::jsonb);
  UPDATE taxshare.submission SET received_at = at WHERE id = sid;
  RETURN sid;
END
$$;
CREATE FUNCTION pg_temp.pw(item text) RETURNS taxshare.payment_warning LANGUAGE sql AS $$
  SELECT p FROM taxshare.payment_warning p WHERE p.item_code = item AND p.unit_code = 'PW' AND p.period_start = '2024-09-01' $$;
SELECT pg_temp.item(c) FROM unnest(ARRAY['PW-A', 'PW-B', 'PW-C', 'PW-D']) c;
SELECT pg_temp.sub('PW-D', '2024-10-09 10:00+08');

-- 10 October, the due day: nothing yet
SELECT taxshare.daily_sweep('2024-10-10');
SELECT is((SELECT count(*)::int FROM taxshare.payment_warning), 0, 'on the due day no unit is warned');

-- 11 October: three reports missing -> three warnings, issued on the due day
SELECT taxshare.daily_sweep('2024-10-11') -> 'unit_score' -> 'payment_warnings' AS s11 \gset
SELECT is(:'s11'::jsonb ->> 'issued', '3', 'the sweep reports three warnings issued');
SELECT results_eq($$SELECT item_code, state, issued_on, issued_by = session_user, reason FROM taxshare.payment_warning ORDER BY item_code$$,
                  $$VALUES ('PW-A', 'issued', '2024-10-10'::date, true, 'missing'),
                           ('PW-B', 'issued', '2024-10-10'::date, true, 'missing'),
                           ('PW-C', 'issued', '2024-10-10'::date, true, 'missing')$$,
                  'issued at once for each report missing, dated the day the window opened, with the actor');
SELECT results_eq($$SELECT unit_code, status, since, warnings, suspensions FROM taxshare.payment_status$$,
                  $$VALUES ('PW', 'warned', '2024-10-10'::date, 3, 0)$$,
                  'payment_status: PW warned since 10 October');
SELECT lives_ok($$SELECT taxshare.daily_sweep('2024-10-11')$$, 'the sweep runs again the same day');
SELECT is((SELECT count(*)::int FROM taxshare.payment_warning), 3, 'and issues nothing twice');

-- PW-A reported on the 15th, within the window; PW-B after it
SELECT pg_temp.sub('PW-A', '2024-10-15 11:00+08');
SELECT taxshare.daily_sweep('2024-10-14');
SELECT is((pg_temp.pw('PW-A')).state, 'issued', 'as of the 14th the report of the 15th is not yet seen');
SELECT taxshare.daily_sweep('2024-10-16');
SELECT is((pg_temp.pw('PW-A')).state, 'rectified', 'put right within the window: issued -> rectified');
SELECT is((pg_temp.pw('PW-A')).rectified_on, '2024-10-15'::date, 'dated the day it was put right');
SELECT ok((pg_temp.pw('PW-A')).rectified_by = session_user, 'with the actor');
SELECT is((pg_temp.pw('PW-B')).state, 'issued', 'on the window''s last day PW-B is still only warned');

-- 17 October: the windows of PW-B and PW-C are missed
SELECT taxshare.daily_sweep('2024-10-17');
SELECT is((pg_temp.pw('PW-B')).state, 'suspended', 'window missed: issued -> suspended');
SELECT is((pg_temp.pw('PW-B')).suspended_on, '2024-10-17'::date, 'from the day after the window''s last day');
SELECT is((pg_temp.pw('PW-B')).deduction_event_id,
          (SELECT id FROM taxshare.deduction_event WHERE item_code = 'PW-B' AND unit_code = 'PW'),
          'the reporting deduction of the missed window goes with it');
SELECT is((SELECT points FROM taxshare.deduction_event WHERE id = (pg_temp.pw('PW-B')).deduction_event_id), -2,
          'which is -2');
SELECT results_eq($$SELECT unit_code, status, since, warnings, suspensions FROM taxshare.payment_status$$,
                  $$VALUES ('PW', 'suspended', '2024-10-17'::date, 0, 2)$$,
                  'payment_status: PW suspended since 17 October, two suspensions');
SELECT ok((SELECT why FROM taxshare.payment_status) LIKE 'PW-B 2024-09-01 #1 missing; PW-C%', 'and says why');

-- PW-B reported on Monday 21 October: lifted that day
SELECT pg_temp.sub('PW-B', '2024-10-21 09:00+08');
SELECT taxshare.daily_sweep('2024-10-18');
SELECT is((pg_temp.pw('PW-B')).state, 'suspended', 'still suspended before the report');
SELECT taxshare.daily_sweep('2024-10-21');
SELECT is((pg_temp.pw('PW-B')).state, 'lifted', 'put right after the window: suspended -> lifted');
SELECT is((pg_temp.pw('PW-B')).lifted_on, '2024-10-21'::date, 'dated the day it was put right');
SELECT is((pg_temp.pw('PW-B')).suspended_on, '2024-10-17'::date, 'the suspension keeps its start');
SELECT is((pg_temp.pw('PW-C')).state, 'suspended', 'PW-C, never reported, stays suspended');
SELECT results_eq($$SELECT status, since, suspensions FROM taxshare.payment_status$$,
                  $$VALUES ('suspended', '2024-10-17'::date, 1)$$, 'payment_status: one suspension left');
SELECT is((pg_temp.pw('PW-D')), NULL::taxshare.payment_warning, 'a report on time is never warned');

-- a catch-up run over several days applies every transition at once, with the facts' days
DELETE FROM taxshare.payment_warning;
SELECT taxshare.payment_warning_sweep('2024-10-21');
SELECT results_eq($$SELECT item_code, state, issued_on, rectified_on, suspended_on, lifted_on
                      FROM taxshare.payment_warning ORDER BY item_code$$,
                  $$VALUES ('PW-A', 'rectified', '2024-10-10'::date, '2024-10-15'::date, NULL::date, NULL::date),
                           ('PW-B', 'lifted', '2024-10-10'::date, NULL, '2024-10-17'::date, '2024-10-21'::date),
                           ('PW-C', 'suspended', '2024-10-10'::date, NULL, '2024-10-17'::date, NULL)$$,
                  'one late sweep gives the same days as the daily ones');

SELECT * FROM finish();
ROLLBACK;
