-- calendar: the statutory working-day calendar and reporting due dates
-- (DOMAIN.md "Reporting deadlines"; seeds/000 art. 8, seeds/002 art. 9).
-- C: src/calendar/calendar.c (pure core), src/calendar/calendar_fmgr.c (SQL glue, cache, GUCs).
-- Data: 51_holiday_data.sql.  Guide: docs/calendar.md.

CREATE TABLE taxshare.holiday (
  day   date PRIMARY KEY,
  kind  text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name  text NOT NULL CHECK (name <> ''),
  CONSTRAINT holiday_day_range
    CHECK (day >= DATE '1950-01-01' AND day < DATE '2200-01-01'),
  CONSTRAINT holiday_workday_is_weekend
    CHECK (kind <> 'workday' OR extract(isodow FROM day) IN (6, 7))
);
COMMENT ON TABLE taxshare.holiday IS
  '法定节假日与调休上班日 (国务院办公厅每年的部分节假日安排通知); 未列出的日子周一至周五上班、周六周日休息 / '
  'statutory holidays and make-up working days from the State Council General Office''s yearly notices; '
  'days not listed are working days Monday to Friday and days off at weekends';
COMMENT ON COLUMN taxshare.holiday.day IS '日期 / the day';
COMMENT ON COLUMN taxshare.holiday.kind IS
  'holiday: 放假日 (含假期内的周六周日); workday: 调休上班的周六或周日 / '
  'holiday: a day off, including the weekend days inside a holiday period; workday: a Saturday or Sunday made a working day';
COMMENT ON COLUMN taxshare.holiday.name IS
  '节日名称, 按通知原文 (如 春节, 国庆节、中秋节) / name of the holiday as the notice writes it';
SELECT pg_catalog.pg_extension_config_dump('taxshare.holiday', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'holiday', 'rawd', 'r', 'r', 'r', 'r', 'r');

-- Inserting a day that is already there replaces its kind and name.  This is
-- what makes the table dumpable with all its rows: pg_dump writes every row
-- (shipped or added), and on restore CREATE EXTENSION has already inserted the
-- shipped ones, so the restored copies must replace them rather than fail on
-- the primary key.  It also lets a corrected or supplementary notice simply be
-- inserted again.
CREATE FUNCTION taxshare.holiday_replace_day() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  UPDATE taxshare.holiday SET kind = NEW.kind, name = NEW.name WHERE day = NEW.day;
  IF FOUND THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare.holiday_replace_day() IS
  '触发器: 插入已有日期时改为更新该行 (pg_dump 恢复与补充通知不会主键冲突) / '
  'trigger: inserting a day that already exists updates that row instead (so a pg_dump restore or a supplementary notice never fails on the primary key)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'holiday_replace_day()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER holiday_replace_day BEFORE INSERT ON taxshare.holiday
  FOR EACH ROW EXECUTE FUNCTION taxshare.holiday_replace_day();
COMMENT ON TRIGGER holiday_replace_day ON taxshare.holiday IS
  '插入已有日期即替换 / inserting an existing day replaces it';

CREATE FUNCTION taxshare.holiday_changed() RETURNS trigger
  AS 'MODULE_PATHNAME', 'taxshare_holiday_changed'
  LANGUAGE C;
COMMENT ON FUNCTION taxshare.holiday_changed() IS
  '触发器: holiday 变更后使各会话缓存的工作日历失效 / '
  'trigger: after any change to holiday, every session''s cached working-day calendar is dropped';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'holiday_changed()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER holiday_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON taxshare.holiday
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare.holiday_changed();
COMMENT ON TRIGGER holiday_changed ON taxshare.holiday IS
  '通知所有会话重建工作日历缓存 / tells every session to rebuild its cached calendar';

-- The arithmetic.  STABLE: they read holiday (through the cache) and the GUCs.
CREATE FUNCTION taxshare.is_working_day(day date) RETURNS boolean
  AS 'MODULE_PATHNAME', 'taxshare_is_working_day'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.is_working_day(date) IS
  '是否工作日 (法定节假日休息, 调休的周末上班) / is this day a working day (statutory holidays off, make-up weekend days on)?';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'is_working_day(date)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.add_working_days(day date, n integer) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_add_working_days'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.add_working_days(date, integer) IS
  '该日之后第 n 个工作日 (n 为负则之前第 |n| 个; n = 0 时为当日或其后第一个工作日) / '
  'the n-th working day after the day (before it for negative n; for n = 0 the day itself if it is a working day, else the next working day)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'add_working_days(date, integer)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.working_days_between(a date, b date) RETURNS integer
  AS 'MODULE_PATHNAME', 'taxshare_working_days_between'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.working_days_between(date, date) IS
  '满足 a < d <= b 的工作日 d 的个数; b < a 时为负 / '
  'number of working days d with a < d <= b; when b < a, minus the number with b < d <= a';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'working_days_between(date, date)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.next_working_day(day date) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_next_working_day'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.next_working_day(date) IS
  '该日之后 (不含当日) 的第一个工作日 / the first working day strictly after the day';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'next_working_day(date)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Periods and due dates.
CREATE FUNCTION taxshare.period_end(frequency text, period_start date) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_period_end'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.period_end(text, date) IS
  '报送周期的最后一天 (周期须从周一、月初、季初、半年初或年初开始) / '
  'last day of the reporting period that starts at period_start (a Monday, the 1st of a month, quarter, half-year or year)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'period_end(text, date)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.due_date(frequency text, period_start date) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_due_date'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.due_date(text, date) IS
  '按当前时限方案 (taxshare.deadline_profile, 默认衡阳) 计算报送截止日, 遇休息日顺延 / '
  'reporting due date of the period under the active profile (taxshare.deadline_profile, Hengyang by default), moved to the next working day if it falls on a day off';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'due_date(text, date)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.due_date(frequency text, period_start date, profile text) RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_due_date_profile'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.due_date(text, date, text) IS
  '按指定时限方案 (hengyang 衡阳 | zhengzhou 郑州) 计算报送截止日 / '
  'reporting due date of the period under the named profile (hengyang | zhengzhou)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'due_date(text, date, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.due_date_rule(period_end date, offset_days integer, unit text)
  RETURNS date
  AS 'MODULE_PATHNAME', 'taxshare_due_date_rule'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.due_date_rule(date, integer, text) IS
  '目录条目自定时限: 周期末之后 offset_days 个自然日 (calendar, 遇休息日顺延) 或工作日 (working) / '
  'a catalog item''s own deadline: offset_days calendar days (calendar, then moved to a working day) or working days (working) after the period end';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'due_date_rule(date, integer, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Administration.
CREATE FUNCTION taxshare.holiday_add_year(year integer, days jsonb) RETURNS integer
  LANGUAGE plpgsql
  SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  item        jsonb;
  period_name text;
  first_day   date;
  last_day    date;
  work        jsonb;
  d           date;
  off_days    date[] := '{}';
  work_days   date[] := '{}';
  written     integer := 0;
  lo          date;
  hi          date;
BEGIN
  IF year IS NULL OR year < 1950 OR year > 2199 THEN
    RAISE EXCEPTION 'holiday year % is out of range', year
      USING ERRCODE = '22023', HINT = 'Pass the year of the notice, between 1950 and 2199.';
  END IF;
  lo := make_date(year - 1, 12, 1);
  hi := make_date(year, 12, 31);
  IF jsonb_typeof(days) IS DISTINCT FROM 'array' OR jsonb_array_length(days) = 0 THEN
    RAISE EXCEPTION 'holiday periods must be a non-empty JSON array, not %', days
      USING ERRCODE = '22023',
            HINT = 'Pass one object per holiday of the notice: [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03", "workdays": ["2027-01-04"]}, ...].';
  END IF;

  FOR item IN SELECT value FROM jsonb_array_elements(days) LOOP
    IF jsonb_typeof(item) IS DISTINCT FROM 'object'
       OR jsonb_typeof(item -> 'name') IS DISTINCT FROM 'string' OR item ->> 'name' = ''
       OR jsonb_typeof(item -> 'from') IS DISTINCT FROM 'string'
       OR (item ? 'to' AND jsonb_typeof(item -> 'to') IS DISTINCT FROM 'string')
       OR (item ? 'workdays' AND jsonb_typeof(item -> 'workdays') IS DISTINCT FROM 'array')
       OR EXISTS (SELECT FROM jsonb_object_keys(item) k WHERE k NOT IN ('name', 'from', 'to', 'workdays')) THEN
      RAISE EXCEPTION 'holiday period % is not of the expected form', item
        USING ERRCODE = '22023',
              HINT = 'Each period is {"name": text, "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" (optional, default "from"), "workdays": ["YYYY-MM-DD", ...] (optional)}.';
    END IF;
    period_name := item ->> 'name';
    first_day := (item ->> 'from')::date;
    last_day := coalesce((item ->> 'to')::date, first_day);
    IF last_day < first_day OR last_day - first_day > 14 THEN
      RAISE EXCEPTION 'holiday period "%" from % to % is not a holiday period', period_name, first_day, last_day
        USING ERRCODE = '22023', HINT = '"to" must be on or after "from", and a period is at most 15 days.';
    END IF;
    IF first_day < lo OR last_day > hi THEN
      RAISE EXCEPTION 'holiday period "%" from % to % is outside the notice for %', period_name, first_day, last_day, year
        USING ERRCODE = '22023', HINT = format('The notice for %s covers days from %s to %s.', year, lo, hi);
    END IF;
    FOR d IN SELECT g::date FROM generate_series(first_day, last_day, interval '1 day') g LOOP
      IF d = ANY (off_days) THEN
        RAISE EXCEPTION 'day % is listed twice', d USING ERRCODE = '22023', HINT = 'List each day off in one period only.';
      END IF;
      off_days := off_days || d;
      INSERT INTO taxshare.holiday (day, kind, name) VALUES (d, 'holiday', period_name);
      written := written + 1;
    END LOOP;
    FOR work IN SELECT value FROM jsonb_array_elements(coalesce(item -> 'workdays', '[]')) LOOP
      IF jsonb_typeof(work) IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'make-up working day % of "%" is not a date string', work, period_name
          USING ERRCODE = '22023', HINT = 'Write each make-up working day as "YYYY-MM-DD".';
      END IF;
      d := (work #>> '{}')::date;
      IF extract(isodow FROM d) < 6 THEN
        RAISE EXCEPTION 'make-up working day % of "%" is not a Saturday or Sunday', d, period_name
          USING ERRCODE = '22023', HINT = 'Only weekend days are made working days (调休上班); check the date against the notice.';
      END IF;
      IF d < lo OR d > hi THEN
        RAISE EXCEPTION 'make-up working day % of "%" is outside the notice for %', d, period_name, year
          USING ERRCODE = '22023', HINT = format('The notice for %s covers days from %s to %s.', year, lo, hi);
      END IF;
      IF d = ANY (off_days) OR d = ANY (work_days) THEN
        RAISE EXCEPTION 'day % is listed twice', d USING ERRCODE = '22023', HINT = 'A day is either off or a make-up working day, once.';
      END IF;
      work_days := work_days || d;
      INSERT INTO taxshare.holiday (day, kind, name) VALUES (d, 'workday', period_name);
      written := written + 1;
    END LOOP;
  END LOOP;
  IF EXISTS (SELECT FROM unnest(work_days) w WHERE w = ANY (off_days)) THEN
    RAISE EXCEPTION 'a day is both off and a make-up working day'
      USING ERRCODE = '22023', HINT = 'Check the notice: each day is one or the other.';
  END IF;
  RETURN written;
END
$$;
COMMENT ON FUNCTION taxshare.holiday_add_year(integer, jsonb) IS
  '录入某年的国务院办公厅节假日安排通知 (每个节日: name, from, to, workdays); 已有的日期被替换; 返回写入行数 / '
  'records a year''s State Council General Office holiday notice (per holiday: name, from, to, workdays); days already present are replaced; returns the number of rows written';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'holiday_add_year(integer, jsonb)', 'X', 'X', 'X', 'X', 'X', 'X');

-- How a release ships the holidays of a new year (docs/calendar.md, "Holidays in
-- releases"): the upgrade script of the first release after the State Council's
-- notice calls this with the notice's days.  A year the DBA has already typed in
-- with holiday_add_year() is left exactly as the DBA has it.
CREATE FUNCTION taxshare._holiday_ship_year(year integer, days jsonb) RETURNS integer
  LANGUAGE plpgsql
  SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF EXISTS (SELECT FROM taxshare.holiday h WHERE h.day BETWEEN make_date(year, 1, 1) AND make_date(year, 12, 31)) THEN
    RETURN 0;
  END IF;
  RETURN taxshare.holiday_add_year(year, days);
END
$$;
COMMENT ON FUNCTION taxshare._holiday_ship_year(integer, jsonb) IS
  '升级脚本随版本发布某年的节假日安排: 该年已有数据 (管理员已录入) 时不作改动; 返回写入行数 / '
  'ships a year''s holiday notice in an upgrade script: leaves a year that already has data (entered by the DBA) untouched; returns the number of rows written';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_holiday_ship_year(integer, jsonb)', 'X', '', '', '', '', '');

CREATE VIEW taxshare.holiday_year AS
SELECT extract(year FROM day)::integer AS year,
       count(*) FILTER (WHERE kind = 'holiday') AS days_off,
       count(*) FILTER (WHERE kind = 'workday') AS make_up_workdays,
       taxshare.working_days_between(make_date(extract(year FROM day)::integer - 1, 12, 31),
                                     make_date(extract(year FROM day)::integer, 12, 31)) AS working_days
  FROM taxshare.holiday
 GROUP BY extract(year FROM day)::integer;
COMMENT ON VIEW taxshare.holiday_year IS
  '已录入节假日数据的年份: 放假天数、调休上班天数、全年工作日数 / '
  'years with holiday data: days off, make-up working days, working days in the year';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'holiday_year', 'r', 'r', 'r', 'r', 'r', 'r');
