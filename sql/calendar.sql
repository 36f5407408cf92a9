-- calendar: the statutory working-day calendar and due dates (docs/calendar.md)
SET datestyle = 'ISO, YMD';
SET taxshare.calendar_missing_year = error;
SET taxshare.due_date_roll_forward = on;
SET taxshare.deadline_profile = hengyang;

-- The shipped years, with the working days each notice leaves.
SELECT * FROM taxshare.holiday_year ORDER BY year;

-- National Day 2024 (国办发明电〔2023〕7号): 10月1日至7日放假调休，共7天。
-- 9月29日（星期日）、10月12日（星期六）上班.  Every day from Sep 28 to Oct 14:
SELECT d::date AS day, to_char(d, 'Dy') AS dow,
       taxshare.is_working_day(d::date) AS working,
       (SELECT kind || ' ' || name FROM taxshare.holiday h WHERE h.day = d::date) AS notice
  FROM generate_series(DATE '2024-09-28', DATE '2024-10-14', interval '1 day') d;

-- Spring Festival 2024: Feb 10-17 off, Sunday Feb 4 and Sunday Feb 18 worked;
-- 除夕 Feb 9 is a working day (the notice only encourages leave).
SELECT day, taxshare.is_working_day(day) AS working
  FROM (VALUES (DATE '2024-02-04'), ('2024-02-09'), ('2024-02-10'), ('2024-02-17'),
               ('2024-02-18'), ('2024-02-19')) AS t(day);

-- add_working_days: forwards, backwards, 0, over holidays and year boundaries.
SELECT day, n, taxshare.add_working_days(day, n) AS result
  FROM (VALUES (DATE '2024-09-30', 1),   -- over National Day
               ('2024-10-11', 1),        -- Friday -> make-up Saturday
               ('2024-10-12', 1),        -- make-up Saturday -> Monday
               ('2024-10-08', -1),       -- back over National Day
               ('2024-10-03', 0),        -- a holiday: the next working day
               ('2024-10-12', 0),        -- a working Saturday: itself
               ('2024-10-13', 0),        -- a plain Sunday: Monday
               ('2024-12-31', 1),        -- over New Year's Day 2025
               ('2025-01-02', -2),       -- back into 2024
               ('2025-01-27', 1),        -- over the 8-day Spring Festival 2025
               ('2019-04-30', 1),        -- 2019 Labour Day as adjusted: May 1-4 off, Sunday May 5 worked
               ('2020-01-23', 1),        -- 2020 Spring Festival as extended to Feb 2
               ('2023-12-29', 1),        -- New Year 2024 with the weekend: Dec 30 - Jan 1
               ('2024-06-07', 1),        -- Dragon Boat 2024: Jun 8-10
               ('2024-01-02', 250),      -- a whole year of working days later
               ('2024-01-02', -250)) AS t(day, n);

-- working_days_between(a, b): working days d with a < d <= b, negative when b < a.
SELECT a, b, taxshare.working_days_between(a, b) AS n
  FROM (VALUES (DATE '2024-09-30', DATE '2024-10-12'),
               ('2024-10-12', '2024-09-30'),
               ('2024-10-01', '2024-10-07'),
               ('2024-10-07', '2024-10-08'),
               ('2024-10-08', '2024-10-08'),
               ('2023-12-31', '2024-12-31'),
               ('2024-12-31', '2023-12-31')) AS t(a, b);

-- next_working_day is strictly after the day.
SELECT day, taxshare.next_working_day(day) AS next
  FROM (VALUES (DATE '2024-04-03'), ('2024-04-08'), ('2024-09-30'), ('2025-12-31')) AS t(day);

-- Due dates, Hengyang profile (seeds/000 art. 8), every frequency.
SELECT frequency, period_start, taxshare.period_end(frequency, period_start) AS period_end,
       taxshare.due_date(frequency, period_start) AS due
  FROM (VALUES ('monthly', DATE '2024-09-01'),    -- Oct 10
               ('monthly', '2024-01-01'),         -- Feb 10 is in Spring Festival: Sunday Feb 18 (make-up day)
               ('monthly', '2024-12-01'),         -- Jan 10, next year
               ('quarterly', '2024-07-01'),       -- Oct 20 is a Sunday: Oct 21
               ('quarterly', '2024-10-01'),       -- Jan 20, 2025
               ('semiannual', '2024-01-01'),      -- Jun 30 + 30 days = Jul 30
               ('semiannual', '2024-07-01'),      -- Jan 30, 2025 is in Spring Festival: Feb 5
               ('annual', '2024-01-01'),          -- Jan 31, 2025: Feb 5
               ('annual', '2019-01-01'),          -- Jan 31, 2020 as extended: Feb 3
               ('daily', '2024-09-30'),           -- the next working day: Oct 8
               ('daily', '2024-10-11'),           -- the make-up Saturday
               ('weekly', '2024-09-23'),          -- week ends Sunday Sep 29 (worked): Monday Sep 30
               ('weekly', '2024-09-30'),          -- week ends Oct 6: Oct 8
               ('adhoc', '2024-10-03'),           -- the event day, a holiday: Oct 8
               ('realtime', '2024-10-12')) AS t(frequency, period_start);

-- The same periods, Zhengzhou profile (seeds/002 art. 9).
SELECT frequency, period_start, taxshare.due_date(frequency, period_start, 'zhengzhou') AS due
  FROM (VALUES ('monthly', DATE '2024-09-01'),    -- not in art. 9: the 10th, as Hengyang
               ('quarterly', '2024-07-01'),       -- first 10 days of the next quarter: Oct 10
               ('quarterly', '2024-04-01'),       -- Jul 10
               ('semiannual', '2024-01-01'),      -- 30 days after Jun 30: Jul 30
               ('annual', '2024-01-01'),          -- 30 days after Dec 31: Jan 30, 2025 -> Feb 5
               ('daily', '2024-10-11'),           -- the next day: the make-up Saturday
               ('daily', '2024-10-12'),           -- the next day is Sunday: Monday
               ('weekly', '2024-09-16'),          -- end of the next week: Sunday Sep 29, worked
               ('weekly', '2024-09-23'),          -- Sunday Oct 6 is off: Oct 8
               ('adhoc', '2024-10-03'),
               ('realtime', '2024-10-12')) AS t(frequency, period_start);

-- The profile GUC switches due_date(frequency, period_start).
SET taxshare.deadline_profile = zhengzhou;
SELECT taxshare.due_date('quarterly', '2024-07-01') AS zhengzhou_q3;
RESET taxshare.deadline_profile;
SELECT taxshare.due_date('quarterly', '2024-07-01') AS hengyang_q3;

-- Roll-forward off: the nominal dates; working-day rules are unaffected.
SET taxshare.due_date_roll_forward = off;
SELECT taxshare.due_date('monthly', '2024-01-01') AS monthly_jan,
       taxshare.due_date('quarterly', '2024-07-01') AS q3,
       taxshare.due_date('annual', '2024-01-01', 'zhengzhou') AS zz_annual,
       taxshare.due_date('daily', '2024-09-30') AS hy_daily,
       taxshare.due_date_rule('2024-09-30', 5, 'calendar') AS rule_calendar;
SET taxshare.due_date_roll_forward = on;

-- A catalog item's own rule: calendar or working days after the period end.
SELECT taxshare.due_date_rule('2024-09-30', 5, 'calendar') AS five_calendar_days,
       taxshare.due_date_rule('2024-09-30', 5, 'working') AS five_working_days,
       taxshare.due_date_rule('2024-10-06', 0, 'working') AS zero_working_days,
       taxshare.due_date_rule(taxshare.period_end('monthly', '2024-09-01'), 15, 'calendar') AS sep_plus_15;

-- Errors: period starts that do not start a period, unknown words, negative offsets.
SELECT taxshare.due_date('monthly', '2024-01-15');
SELECT taxshare.due_date('quarterly', '2024-02-01');
SELECT taxshare.due_date('semiannual', '2024-04-01');
SELECT taxshare.due_date('annual', '2024-07-01');
SELECT taxshare.due_date('weekly', '2024-09-29');
SELECT taxshare.due_date('month', '2024-01-01');
SELECT taxshare.due_date('monthly', '2024-01-01', 'beijing');
SELECT taxshare.due_date_rule('2024-09-30', 5, 'days');
SELECT taxshare.due_date_rule('2024-09-30', -1, 'working');
SELECT taxshare.is_working_day('infinity');
SELECT taxshare.add_working_days('5874897-12-31', 1);

-- Years without data: an error naming the year, by default ...
SELECT taxshare.is_working_day('2027-03-01');
SELECT taxshare.add_working_days('2026-12-30', 3);
SELECT taxshare.add_working_days('2018-01-03', -3);
SELECT taxshare.working_days_between('2017-06-30', '2018-06-30');
SELECT taxshare.due_date('annual', '2026-01-01');
-- ... but counting that stays inside years with data is fine,
SELECT taxshare.add_working_days('2026-12-30', 1) AS last_working_day_2026,
       taxshare.add_working_days('2017-12-31', 1) AS first_working_day_2018;
-- and in weekends mode a year without data is Monday to Friday.
SET taxshare.calendar_missing_year = weekends;
SELECT taxshare.is_working_day('2027-01-01') AS new_year_2027_is_a_friday,
       taxshare.add_working_days('2026-12-30', 3) AS into_2027,
       taxshare.working_days_between('2017-06-30', '2018-06-30') AS across_2017,
       taxshare.due_date('annual', '2026-01-01') AS annual_2026;
RESET taxshare.calendar_missing_year;

-- STRICT: NULL in, NULL out.
SELECT taxshare.is_working_day(NULL) IS NULL AS a, taxshare.add_working_days('2024-01-01', NULL) IS NULL AS b,
       taxshare.due_date(NULL, '2024-01-01') IS NULL AS c;

-- Adding a year: holiday_add_year with the notice's periods (a made-up 2199
-- notice here, so no real year is touched), then the cache sees it at once.
SELECT taxshare.holiday_add_year(2199, '[
  {"name": "元旦", "from": "2199-01-01", "to": "2199-01-03", "workdays": ["2198-12-30", "2199-01-05"]},
  {"name": "国庆节", "from": "2199-10-01", "to": "2199-10-07", "workdays": ["2199-09-28", "2199-10-12"]}
]');
SELECT * FROM taxshare.holiday WHERE day >= '2198-12-01' ORDER BY day;
SELECT taxshare.is_working_day('2199-01-02') AS jan_2, taxshare.is_working_day('2198-12-30') AS dec_30_sunday,
       taxshare.add_working_days('2199-09-30', 1) AS after_national_day;
-- Running it again replaces the same days (a corrected notice): nothing is duplicated.
SELECT taxshare.holiday_add_year(2199, '[{"name": "元旦（更正）", "from": "2199-01-01", "to": "2199-01-03"}]');
SELECT day, kind, name FROM taxshare.holiday WHERE day BETWEEN '2198-12-30' AND '2199-01-05' ORDER BY day;
-- Mistakes are refused.
SELECT taxshare.holiday_add_year(2199, '{"name": "元旦"}');
SELECT taxshare.holiday_add_year(2199, '[{"name": "元旦", "from": "2199-01-03", "to": "2199-01-01"}]');
SELECT taxshare.holiday_add_year(2199, '[{"name": "元旦", "from": "2199-01-01", "to": "2199-10-03"}]');
SELECT taxshare.holiday_add_year(2199, '[{"name": "春节", "from": "2197-02-01"}]');
SELECT taxshare.holiday_add_year(2199, '[{"name": "春节", "from": "2199-02-01", "workdays": ["2199-02-11"]}]');
SELECT taxshare.holiday_add_year(2199, '[{"name": "春节", "from": "2199-02-01", "days": 3}]');
SELECT taxshare.holiday_add_year(1900, '[{"name": "元旦", "from": "1900-01-01"}]');
-- The table itself refuses a make-up working day on a weekday and days out of range.
INSERT INTO taxshare.holiday VALUES ('2199-03-04', 'workday', '春节');
INSERT INTO taxshare.holiday VALUES ('2200-01-01', 'holiday', '元旦');
DELETE FROM taxshare.holiday WHERE day >= '2198-12-01';
-- and once the rows are gone, 2199 is a year without data again.
SELECT taxshare.is_working_day('2199-01-02') AS jan_2_after_delete;
