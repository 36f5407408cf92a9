-- pgTAP: the working-day calendar (control/install/50_calendar.sql, src/calendar*.c).
BEGIN;
SELECT plan(58);

SET LOCAL datestyle = 'ISO, YMD';
SET LOCAL taxshare.calendar_missing_year = error;
SET LOCAL taxshare.due_date_roll_forward = on;
SET LOCAL taxshare.deadline_profile = hengyang;

-- ---------------------------------------------------------------------------
-- Objects
-- ---------------------------------------------------------------------------
SELECT has_table('taxshare', 'holiday', 'table holiday exists');
SELECT col_is_pk('taxshare', 'holiday', 'day', 'holiday is keyed by day');
SELECT ok((SELECT 'taxshare.holiday'::regclass::oid = ANY (extconfig) FROM pg_extension WHERE extname = 'taxshare'),
          'holiday is registered with pg_extension_config_dump, so pg_dump keeps added years');
SELECT volatility_is('taxshare', 'add_working_days', ARRAY['date', 'integer'], 'stable',
                     'add_working_days is STABLE: it reads holiday and the GUCs');
SELECT volatility_is('taxshare', 'period_end', ARRAY['text', 'date'], 'immutable',
                     'period_end is IMMUTABLE');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'taxshare' AND p.proname IN ('is_working_day', 'add_working_days',
                  'working_days_between', 'next_working_day', 'due_date', 'due_date_rule', 'period_end')
              AND p.proisstrict AND p.proparallel = 's'),
          8, 'the eight calendar functions are STRICT and PARALLEL SAFE');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'taxshare'
              AND p.proname IN ('is_working_day', 'add_working_days', 'working_days_between',
                                'next_working_day', 'due_date', 'due_date_rule', 'period_end',
                                'holiday_add_year', 'holiday_changed', 'holiday_replace_day')
              AND obj_description(p.oid, 'pg_proc') LIKE '%/%'),
          11, 'every calendar function has a Chinese / English comment');

-- ---------------------------------------------------------------------------
-- The data against the notices, day by day for 2024 and 2025.  The lists
-- below are typed from the notices, independently of 51_holiday_data.sql.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE notice_2024 (day date, kind text);
-- 国办发明电〔2023〕7号: 元旦 1月1日; 春节 2月10日至17日, 2月4日(日)、2月18日(日)上班;
-- 清明 4月4日至6日, 4月7日(日)上班; 劳动节 5月1日至5日, 4月28日(日)、5月11日(六)上班;
-- 端午 6月10日, 与周末连休; 中秋 9月15日至17日, 9月14日(六)上班;
-- 国庆 10月1日至7日, 9月29日(日)、10月12日(六)上班.
INSERT INTO notice_2024
SELECT d::date, 'holiday' FROM (VALUES
    ('2024-01-01'::date, '2024-01-01'::date), ('2024-02-10', '2024-02-17'),
    ('2024-04-04', '2024-04-06'), ('2024-05-01', '2024-05-05'), ('2024-06-08', '2024-06-10'),
    ('2024-09-15', '2024-09-17'), ('2024-10-01', '2024-10-07')) AS p(a, b),
  generate_series(p.a, p.b, interval '1 day') d
UNION ALL
SELECT d, 'workday' FROM unnest(ARRAY['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28',
                                      '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12']::date[]) d;

CREATE TEMP TABLE notice_2025 (day date, kind text);
-- 国办发明电〔2024〕12号: 元旦 1月1日; 春节 1月28日至2月4日, 1月26日(日)、2月8日(六)上班;
-- 清明 4月4日至6日; 劳动节 5月1日至5日, 4月27日(日)上班; 端午 5月31日至6月2日;
-- 国庆、中秋 10月1日至8日, 9月28日(日)、10月11日(六)上班.
INSERT INTO notice_2025
SELECT d::date, 'holiday' FROM (VALUES
    ('2025-01-01'::date, '2025-01-01'::date), ('2025-01-28', '2025-02-04'),
    ('2025-04-04', '2025-04-06'), ('2025-05-01', '2025-05-05'), ('2025-05-31', '2025-06-02'),
    ('2025-10-01', '2025-10-08')) AS p(a, b),
  generate_series(p.a, p.b, interval '1 day') d
UNION ALL
SELECT d, 'workday' FROM unnest(ARRAY['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28',
                                      '2025-10-11']::date[]) d;

SELECT set_eq($$SELECT day, kind FROM taxshare.holiday WHERE day BETWEEN '2024-01-01' AND '2024-12-31'$$,
              $$SELECT day, kind FROM notice_2024$$,
              'the 2024 rows are exactly the notice''s days off and make-up working days');
SELECT set_eq($$SELECT day, kind FROM taxshare.holiday WHERE day BETWEEN '2025-01-01' AND '2025-12-31'$$,
              $$SELECT day, kind FROM notice_2025$$,
              'the 2025 rows are exactly the notice''s days off and make-up working days');
SELECT is((SELECT count(*)::int FROM generate_series(DATE '2024-01-01', DATE '2024-12-31', interval '1 day') g
            WHERE taxshare.is_working_day(g::date) IS DISTINCT FROM
                  (g::date IN (SELECT day FROM notice_2024 WHERE kind = 'workday')
                   OR (extract(isodow FROM g) < 6 AND g::date NOT IN (SELECT day FROM notice_2024 WHERE kind = 'holiday')))),
          0, 'is_working_day agrees with weekday-ness plus the 2024 notice on all 366 days');
SELECT is((SELECT count(*)::int FROM generate_series(DATE '2025-01-01', DATE '2025-12-31', interval '1 day') g
            WHERE taxshare.is_working_day(g::date) IS DISTINCT FROM
                  (g::date IN (SELECT day FROM notice_2025 WHERE kind = 'workday')
                   OR (extract(isodow FROM g) < 6 AND g::date NOT IN (SELECT day FROM notice_2025 WHERE kind = 'holiday')))),
          0, 'is_working_day agrees with weekday-ness plus the 2025 notice on all 365 days');
-- counted by hand from the notices: weekdays - weekday holidays + make-up days
SELECT is(taxshare.working_days_between('2023-12-31', '2024-12-31'), 251, '2024 has 251 working days (262 - 19 + 8)');
SELECT is(taxshare.working_days_between('2024-12-31', '2025-12-31'), 248, '2025 has 248 working days (261 - 18 + 5)');
SELECT is((SELECT array_agg(year ORDER BY year) FROM taxshare.holiday_year),
          ARRAY[2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026],
          'the notices of 2018 to 2026 are shipped, and no other year');
SELECT ok(taxshare.is_working_day('2024-02-09'), '除夕 2024-02-09 is a working day: the notice only encourages leave');
SELECT ok(NOT taxshare.is_working_day('2019-05-03') AND taxshare.is_working_day('2019-05-05'),
          '2019 Labour Day as adjusted on 2019-03-22: May 3 off, Sunday May 5 worked');
SELECT ok(NOT taxshare.is_working_day('2020-01-31') AND NOT taxshare.is_working_day('2020-02-01')
          AND taxshare.is_working_day('2020-02-03'),
          '2020 Spring Festival as extended to Feb 2 (国办发明电〔2020〕1号): the Feb 1 make-up day is gone');

-- ---------------------------------------------------------------------------
-- The arithmetic against a plain SQL implementation over holiday
-- ---------------------------------------------------------------------------
-- A working day in plain SQL: a holiday row decides, else Monday to Friday.
CREATE FUNCTION pg_temp.ref_days(a date, b date) RETURNS TABLE (day date, working boolean)
  LANGUAGE sql STABLE AS $$
  SELECT g::date, coalesce(h.kind = 'workday', extract(isodow FROM g) < 6)
    FROM generate_series(a, b, interval '1 day') g
    LEFT JOIN taxshare.holiday h ON h.day = g::date
$$;
CREATE FUNCTION pg_temp.ref_add(d date, n integer) RETURNS date LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN n > 0 THEN (SELECT r.day FROM pg_temp.ref_days(d + 1, d + 80) r WHERE r.working
                      ORDER BY r.day OFFSET n - 1 LIMIT 1)
    WHEN n < 0 THEN (SELECT r.day FROM pg_temp.ref_days(d - 80, d - 1) r WHERE r.working
                      ORDER BY r.day DESC OFFSET -n - 1 LIMIT 1)
    ELSE (SELECT r.day FROM pg_temp.ref_days(d, d + 30) r WHERE r.working ORDER BY r.day LIMIT 1)
  END
$$;
CREATE FUNCTION pg_temp.ref_between(a date, b date) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN a <= b
    THEN (SELECT count(*)::int FROM pg_temp.ref_days(a + 1, b) r WHERE r.working)
    ELSE -(SELECT count(*)::int FROM pg_temp.ref_days(b + 1, a) r WHERE r.working)
  END
$$;

SELECT setseed(0.2024);
CREATE TEMP TABLE samples AS
SELECT DATE '2018-06-01' + (random() * 2900)::int AS day,
       (random() * 80)::int - 40 AS n
  FROM generate_series(1, 2000);

SELECT is((SELECT count(*)::int FROM samples WHERE taxshare.add_working_days(day, n) <> pg_temp.ref_add(day, n)),
          0, 'add_working_days equals the SQL implementation for 2000 random dates, n in -40..40');
SELECT ok((SELECT count(DISTINCT n) FROM samples) = 81 AND (SELECT count(*) FROM samples WHERE n = 0) > 0,
          'the samples cover every n from -40 to 40, 0 included');
SELECT is((SELECT count(*)::int FROM samples
            WHERE taxshare.working_days_between(day, day + n * 3) <> pg_temp.ref_between(day, day + n * 3)),
          0, 'working_days_between equals a generate_series count, both orders, for 2000 random pairs');
SELECT is((SELECT count(*)::int FROM samples
            WHERE taxshare.next_working_day(day) <> pg_temp.ref_add(day, 1)),
          0, 'next_working_day is the first working day strictly after, for 2000 random dates');
SELECT is((SELECT count(*)::int FROM samples
            WHERE n > 0 AND taxshare.working_days_between(day, taxshare.add_working_days(day, n)) <> n),
          0, 'working_days_between(d, add_working_days(d, n)) = n for n > 0');

-- ---------------------------------------------------------------------------
-- Cache invalidation in the same session
-- ---------------------------------------------------------------------------
SELECT ok(taxshare.is_working_day('2026-03-02'), 'Monday 2026-03-02 is a working day');
INSERT INTO taxshare.holiday VALUES ('2026-03-02', 'holiday', 'pgTAP');
SELECT ok(NOT taxshare.is_working_day('2026-03-02'), 'after INSERT into holiday the cached calendar sees the new day off');
SELECT is(taxshare.add_working_days('2026-02-28', 1), DATE '2026-03-03', 'and counting skips it (from the make-up Saturday Feb 28)');
INSERT INTO taxshare.holiday VALUES ('2026-03-07', 'workday', 'pgTAP');
SELECT ok(taxshare.is_working_day('2026-03-07'), 'a Saturday inserted as a workday becomes a working day');
UPDATE taxshare.holiday SET kind = 'holiday' WHERE day = '2026-03-07';
SELECT ok(NOT taxshare.is_working_day('2026-03-07'), 'after UPDATE the cache follows');
DELETE FROM taxshare.holiday WHERE name = 'pgTAP' AND day IN ('2026-03-02', '2026-03-07');
SELECT ok(taxshare.is_working_day('2026-03-02') AND NOT taxshare.is_working_day('2026-03-07'),
          'after DELETE the cache follows');
SELECT is(taxshare.holiday_add_year(2027, '[{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}]'), 3,
          'holiday_add_year writes the days of a period');
SELECT ok(NOT taxshare.is_working_day('2027-01-01') AND taxshare.is_working_day('2027-01-04'),
          'and 2027 becomes a year with data at once');
INSERT INTO taxshare.holiday VALUES ('2027-01-02', 'holiday', '元旦（补充通知）');
SELECT is((SELECT name FROM taxshare.holiday WHERE day = '2027-01-02'), '元旦（补充通知）',
          'inserting a day already present replaces it (pg_dump restore, supplementary notices)');
SELECT is((SELECT count(*)::int FROM taxshare.holiday WHERE day = '2027-01-02'), 1, 'with no duplicate');
SELECT ok(taxshare.add_working_days('2026-12-31', 1) = DATE '2027-01-04', 'counting from 2026 into 2027 works now');
DELETE FROM taxshare.holiday WHERE day >= '2027-01-01';

-- ---------------------------------------------------------------------------
-- Due dates
-- ---------------------------------------------------------------------------
SELECT results_eq(
  $$SELECT f, taxshare.due_date(f, s, 'hengyang'), taxshare.due_date(f, s, 'zhengzhou')
      FROM (VALUES ('monthly', DATE '2025-05-01'), ('quarterly', '2025-07-01'), ('semiannual', '2025-01-01'),
                   ('annual', '2025-01-01'), ('daily', '2025-09-30'), ('weekly', '2025-09-29'),
                   ('adhoc', '2025-10-04'), ('realtime', '2025-06-03')) AS t(f, s)$$,
  $$VALUES ('monthly', DATE '2025-06-10', DATE '2025-06-10'),
           ('quarterly', '2025-10-20', '2025-10-10'),     -- ZZ: Oct 10 is a working Friday
           ('semiannual', '2025-07-30', '2025-07-30'),
           ('annual', '2026-02-02', '2026-01-30'),        -- HY: Sat Jan 31 -> Mon Feb 2; ZZ: Dec 31 + 30 = Fri Jan 30
           ('daily', '2025-10-09', '2025-10-09'),         -- National Day + Mid-autumn Oct 1-8
           ('weekly', '2025-10-09', '2025-10-13'),        -- HY: next working day after Sun Oct 5; ZZ: Sun Oct 12 -> Mon Oct 13
           ('adhoc', '2025-10-09', '2025-10-09'),
           ('realtime', '2025-06-03', '2025-06-03')$$,
  'every frequency in both profiles for 2025 periods');
SELECT is(taxshare.due_date('semiannual', '2025-07-01', 'zhengzhou'), DATE '2026-01-30',
          'ZZ semiannual H2 2025: 30 days after Dec 31 is Friday Jan 30 2026');
SELECT is(taxshare.due_date('monthly', '2025-09-01'), DATE '2025-10-10',
          'HY monthly Sep 2025: Friday Oct 10, two days after the 8-day holiday');
SELECT is(set_config('taxshare.due_date_roll_forward', 'off', true), 'off', 'roll-forward off');
SELECT is(taxshare.due_date('annual', '2025-01-01'), DATE '2026-01-31', 'without roll-forward: Saturday Jan 31 2026');
SELECT is(set_config('taxshare.due_date_roll_forward', 'on', true), 'on', 'roll-forward on again');
SELECT is(taxshare.due_date_rule('2025-09-30', 3, 'working'), DATE '2025-10-11',
          'three working days after Sep 30 2025: Oct 9, Oct 10 and the make-up Saturday Oct 11');

-- ---------------------------------------------------------------------------
-- Errors, each with its SQLSTATE
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT taxshare.is_working_day('2027-03-01')$$, '22023',
                 'no holiday data for year 2027', 'a year without data is an error naming the year');
SELECT throws_ok($$SELECT taxshare.add_working_days('2018-01-03', -5)$$, '22023',
                 'no holiday data for year 2017', 'counting back into 2017 is an error naming 2017');
SELECT throws_ok($$SELECT taxshare.due_date('monthly', '2024-01-15')$$, '22023',
                 'period start "2024-01-15" does not start a period of frequency "monthly"',
                 'a monthly period starts on the 1st');
SELECT throws_ok($$SELECT taxshare.due_date('quarterly', '2024-05-01')$$, '22023', NULL,
                 'a quarter starts in January, April, July or October');
SELECT throws_ok($$SELECT taxshare.period_end('weekly', '2024-09-29')$$, '22023', NULL,
                 'a week starts on Monday');
SELECT throws_ok($$SELECT taxshare.due_date('fortnightly', '2024-01-01')$$, '22023',
                 'unknown reporting frequency "fortnightly"', 'an unknown frequency is refused');
SELECT throws_ok($$SELECT taxshare.due_date('monthly', '2024-01-01', 'beijing')$$, '22023',
                 'unknown deadline profile "beijing"', 'an unknown profile is refused');
SELECT throws_ok($$SELECT taxshare.due_date_rule('2024-01-31', 5, 'weeks')$$, '22023', NULL,
                 'an unknown offset unit is refused');
SELECT throws_ok($$SELECT taxshare.due_date_rule('2024-01-31', -5, 'working')$$, '22023', NULL,
                 'a negative offset is refused');
SELECT throws_ok($$SELECT taxshare.add_working_days('infinity', 1)$$, '22008', NULL,
                 'infinite dates are refused');
SELECT throws_ok($$SELECT taxshare.holiday_add_year(2027, '[{"name": "元旦", "from": "2027-01-04", "workdays": ["2027-01-05"]}]')$$,
                 '22023', NULL, 'holiday_add_year refuses a make-up working day on a weekday');
SELECT throws_ok($$INSERT INTO taxshare.holiday VALUES ('2027-01-05', 'sometimes', 'x')$$, '23514', NULL,
                 'kind is holiday or workday');
SELECT lives_ok($$SELECT set_config('taxshare.calendar_missing_year', 'weekends', true)$$, 'weekends mode');
SELECT is(taxshare.add_working_days('2026-12-31', 1), DATE '2027-01-01',
          'in weekends mode New Year''s Day 2027 (a Friday) counts as a working day');

-- A release ships a new year's notice with _holiday_ship_year(): only into a
-- database that has no data for that year (the DBA's own entry wins).
SELECT is(taxshare._holiday_ship_year(2031, '[{"name": "元旦", "from": "2031-01-01"}]'), 1,
          '_holiday_ship_year writes a year that has no data');
SELECT is(taxshare.holiday_add_year(2032, '[{"name": "元旦", "from": "2032-01-01", "to": "2032-01-03"}]'), 3,
          'a DBA enters 2032 before a release ships it');
SELECT is(taxshare._holiday_ship_year(2032, '[{"name": "元旦", "from": "2032-01-01", "to": "2032-01-05"}]'), 0,
          '_holiday_ship_year leaves a year the DBA entered alone');
SELECT is((SELECT count(*)::int FROM taxshare.holiday WHERE day BETWEEN '2032-01-01' AND '2032-12-31'), 3,
          'the DBA''s days of that year are as the DBA entered them');
SELECT * FROM finish();
ROLLBACK;
