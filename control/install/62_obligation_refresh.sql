-- refresh_obligations(as_of): creates the obligations owed up to as_of and
-- brings their state, rectification windows and deductions up to date
-- (docs/deadlines.md).  C helpers in src/deadline/deadline_fmgr.c, rules in
-- src/deadline/deadline.c.

CREATE FUNCTION taxshare._obligation_periods(frequency text, first_day date, last_day date,
                                             profile text DEFAULT NULL,
                                             offset_days integer DEFAULT NULL,
                                             offset_unit text DEFAULT NULL,
                                             as_of date DEFAULT NULL,
                                             have_min date DEFAULT NULL,
                                             have_max date DEFAULT NULL,
                                             have_count bigint DEFAULT NULL,
                                             item_code text DEFAULT NULL,
                                             unit_code text DEFAULT NULL)
RETURNS TABLE (period_start date, period_end date, due_date date, missing_year integer,
               is_new boolean, status text, submissions integer, last_submission_id bigint,
               first_submitted_on date, current_submission_id bigint,
               current_submission_status text, days_late integer, working_days_late integer,
               next_change_on date, w_reason text[], w_opened date[], w_closes date[],
               w_state text[], w_rectified date[], w_by bigint[])
AS 'MODULE_PATHNAME', 'taxshare_obligation_periods'
LANGUAGE C STABLE ROWS 60;
COMMENT ON FUNCTION taxshare._obligation_periods(text, date, date, text, integer, text, date, date, date, bigint, text, text) IS
  '内部: 某频度从含 first_day 的周期到含 last_day 的周期, 各期的期末与截止日 (缺节假日数据时截止日为空并给出年份); 刷新时只返回新周期 (附截至 as_of 的状态) 与截止日可能需重算的周期 / '
  'internal: the periods of a frequency from the one containing first_day to the one containing last_day, with end and due date (NULL due date and the year when the calendar lacks data); for a refresh, only the new periods (with their state as of as_of) and those whose due date may need recomputing';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_obligation_periods(text, date, date, text, integer, text, date, date, date, bigint, text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare._obligation_evaluate(as_of date)
RETURNS TABLE (item_code text, unit_code text, period_start date, old_status text, status text,
               submissions integer, last_submission_id bigint, first_submitted_on date,
               current_submission_id bigint, current_submission_status text,
               days_late integer, working_days_late integer, next_change_on date,
               w_reason text[], w_opened date[], w_closes date[],
               w_state text[], w_rectified date[], w_by bigint[])
AS 'MODULE_PATHNAME', 'taxshare_obligation_evaluate'
LANGUAGE C STABLE;
COMMENT ON FUNCTION taxshare._obligation_evaluate(date) IS
  '内部: 计算状态可能已变化的报送义务的新状态及整改期 / '
  'internal: the new state and rectification windows of the obligations whose state may have changed';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_obligation_evaluate(date)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.refresh_obligations(as_of date DEFAULT current_date,
                                             OUT created bigint, OUT removed bigint,
                                             OUT due_changed bigint, OUT evaluated bigint,
                                             OUT status_changed bigint, OUT deductions bigint,
                                             OUT open_windows bigint, OUT due_unknown bigint)
RETURNS record
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  lang text := coalesce(nullif(current_setting('taxshare.language', true), ''), 'zh');
  first_unknown integer;
  new_changed bigint;
BEGIN
  IF as_of IS NULL OR NOT isfinite(as_of) THEN
    RAISE EXCEPTION 'as_of must be a finite date, not %', coalesce(as_of::text, 'NULL')
      USING ERRCODE = '22023',
            HINT = 'Pass the day to bring the obligations up to, e.g. current_date.';
  END IF;
  -- One refresh at a time: two would evaluate the same rows.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('taxshare.refresh_obligations'));

  -- 0. Obligations whose submissions changed are evaluated again.
  WITH consumed AS (
    DELETE FROM taxshare.obligation_change RETURNING item_code, unit_code, period_start
  )
  UPDATE taxshare.obligation o SET next_change_on = '-infinity'
    FROM (SELECT DISTINCT c.item_code, c.unit_code, c.period_start FROM consumed c) c
   WHERE o.item_code = c.item_code AND o.unit_code = c.unit_code
     AND o.period_start = c.period_start AND o.next_change_on IS DISTINCT FROM '-infinity';

  -- 1. The plan: per catalog item version, the span of days it is in force
  -- (from its validFrom to the day before the next version's validFrom, or
  -- its validTo), and the periods of its frequency from the one containing
  -- that first day up to as_of, owed by its provider if the unit is active.
  -- Where versions overlap in a period, the later version owes it.  New
  -- obligations are written once, with their state; due dates not yet passed
  -- follow the calendar, the profile and the item's rule as they are now;
  -- periods no longer owed go while nothing was reported for them and they
  -- are not yet due.
  WITH v AS (
    SELECT i.code, i.version, i.provider, i.frequency, i.valid_from,
           least(i.valid_to, lead(i.valid_from) OVER w - 1) AS valid_until,
           count(*) OVER (PARTITION BY i.code) AS nversions
      FROM taxshare.catalog_item i
    WINDOW w AS (PARTITION BY i.code ORDER BY i.version)
  ), seg AS (
    SELECT v.*, r.profile, r.offset_days, r.offset_unit
      FROM v
      JOIN taxshare.unit u ON u.code = v.provider AND u.active
      LEFT JOIN taxshare.deadline_rule r ON r.item_code = v.code
     WHERE v.frequency NOT IN ('realtime', 'adhoc')
       AND v.valid_from <= refresh_obligations.as_of
       AND (v.valid_until IS NULL OR v.valid_until >= v.valid_from)
  ), have AS (
    SELECT o.item_code, o.unit_code, min(o.period_start) AS mn, max(o.period_start) AS mx,
           count(*) AS n
      FROM taxshare.obligation o
     GROUP BY o.item_code, o.unit_code
  ), plan AS MATERIALIZED (
    SELECT seg.code AS item_code, seg.provider AS unit_code, seg.version, seg.frequency, p.*
      FROM seg
      LEFT JOIN have h ON h.item_code = seg.code AND h.unit_code = seg.provider
     CROSS JOIN LATERAL taxshare._obligation_periods(seg.frequency, seg.valid_from,
                                                     least(seg.valid_until, refresh_obligations.as_of),
                                                     seg.profile, seg.offset_days, seg.offset_unit,
                                                     refresh_obligations.as_of, h.mn, h.mx, h.n,
                                                     seg.code, seg.provider) p
     WHERE seg.nversions = 1
    UNION ALL
    -- several versions: every period, the latest version in force owes it
    (SELECT DISTINCT ON (seg.code, p.period_start)
            seg.code, seg.provider, seg.version, seg.frequency, p.*
       FROM seg
      CROSS JOIN LATERAL taxshare._obligation_periods(seg.frequency, seg.valid_from,
                                                      least(seg.valid_until, refresh_obligations.as_of),
                                                      seg.profile, seg.offset_days, seg.offset_unit,
                                                      refresh_obligations.as_of, NULL, NULL, NULL,
                                                      seg.code, seg.provider) p
      WHERE seg.nversions > 1
      ORDER BY seg.code, p.period_start, seg.version DESC)
  ), ins AS (
    INSERT INTO taxshare.obligation AS o (item_code, unit_code, period_start, period_end, frequency,
                                          item_version, due_date, due_missing_year, status,
                                          submissions, last_submission_id, first_submitted_on,
                                          current_submission_id, current_submission_status,
                                          days_late, working_days_late, next_change_on,
                                          evaluated_as_of, w_reason, w_opened, w_closes, w_state,
                                          w_rectified, w_by)
    SELECT p.item_code, p.unit_code, p.period_start, p.period_end, p.frequency, p.version,
           p.due_date, p.missing_year, p.status, p.submissions, p.last_submission_id,
           p.first_submitted_on, p.current_submission_id, p.current_submission_status,
           p.days_late, p.working_days_late, p.next_change_on, refresh_obligations.as_of,
           p.w_reason, p.w_opened, p.w_closes, p.w_state, p.w_rectified, p.w_by
      FROM plan p
     WHERE p.is_new
    ON CONFLICT (item_code, unit_code, period_start) DO NOTHING
    RETURNING o.status
  ), upd AS (
    UPDATE taxshare.obligation o
       SET due_date = p.due_date, due_missing_year = p.missing_year, item_version = p.version,
           next_change_on = '-infinity', updated_at = now()
      FROM plan p
     WHERE o.item_code = p.item_code AND o.unit_code = p.unit_code AND o.period_start = p.period_start
       AND (o.due_date IS NULL
            OR (o.status = 'pending' AND o.due_date >= refresh_obligations.as_of))
       AND (o.due_date IS DISTINCT FROM p.due_date
            OR o.due_missing_year IS DISTINCT FROM p.missing_year)
    RETURNING 1
  ), del AS (
    DELETE FROM taxshare.obligation o
     WHERE o.status = 'pending' AND o.submissions = 0
       AND (o.due_date IS NULL OR o.due_date >= refresh_obligations.as_of)
       AND NOT EXISTS (SELECT 1 FROM seg
                        WHERE seg.code = o.item_code AND seg.provider = o.unit_code
                          AND seg.frequency = o.frequency
                          AND o.period_end >= seg.valid_from
                          AND o.period_start <= least(seg.valid_until, refresh_obligations.as_of))
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM ins WHERE ins.status <> 'pending'),
         (SELECT count(*) FROM del), (SELECT count(*) FROM upd)
    INTO created, new_changed, removed, due_changed;

  -- 2. The state of every other obligation that may have changed: never
  -- evaluated, its submissions or due date changed, evaluated as of a later
  -- day, or reaching a day when time alone changes it.
  WITH ev AS (
    SELECT * FROM taxshare._obligation_evaluate(refresh_obligations.as_of)
  ), upd AS (
    UPDATE taxshare.obligation o
       SET status = ev.status, submissions = ev.submissions,
           last_submission_id = ev.last_submission_id,
           first_submitted_on = ev.first_submitted_on,
           current_submission_id = ev.current_submission_id,
           current_submission_status = ev.current_submission_status,
           days_late = ev.days_late, working_days_late = ev.working_days_late,
           next_change_on = ev.next_change_on, evaluated_as_of = refresh_obligations.as_of,
           w_reason = ev.w_reason, w_opened = ev.w_opened, w_closes = ev.w_closes,
           w_state = ev.w_state, w_rectified = ev.w_rectified, w_by = ev.w_by,
           updated_at = now()
      FROM ev
     WHERE o.item_code = ev.item_code AND o.unit_code = ev.unit_code
       AND o.period_start = ev.period_start
    RETURNING ev.old_status IS DISTINCT FROM ev.status AS changed
  )
  SELECT count(*), count(*) FILTER (WHERE upd.changed) INTO evaluated, status_changed FROM upd;
  evaluated := evaluated + created;
  status_changed := status_changed + new_changed;

  -- 3. One deduction per missed window: the key is the obligation and the
  -- episode, so each gives one event however often this runs.  Only rows
  -- written by this transaction can have a window newly missed.
  WITH ded AS (
    INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode,
                                          event_date, reason, points, source, detail)
    SELECT w.unit_code, 'reporting', w.item_code, w.period_start, w.episode,
           w.closes_on + 1, w.reason, -2, 'obligation',
           CASE WHEN lang = 'en' THEN
             format('%s, period from %s: %s; not put right within 5 working days (%s to %s)',
                    w.item_code, w.period_start,
                    CASE w.reason WHEN 'missing' THEN 'nothing reported by the due date'
                                  WHEN 'rejected' THEN 'submission rejected'
                                  ELSE 'submission accepted with errors' END,
                    w.opened_on, w.closes_on)
           ELSE
             format('%s 报送期 %s 起: %s, 整改期 %s 至 %s 内未整改到位',
                    w.item_code, w.period_start,
                    CASE w.reason WHEN 'missing' THEN '逾期未报'
                                  WHEN 'rejected' THEN '报送被退回'
                                  ELSE '报送有错误' END,
                    w.opened_on, w.closes_on)
           END
      FROM taxshare.obligation o
     CROSS JOIN LATERAL (
       SELECT o.item_code, o.unit_code, o.period_start, x.episode::integer AS episode, x.reason,
              x.opened_on, x.closes_on, x.state
         FROM unnest(o.w_reason, o.w_opened, o.w_closes, o.w_state)
              WITH ORDINALITY AS x(reason, opened_on, closes_on, state, episode)) w
     WHERE o.evaluated_as_of = refresh_obligations.as_of AND o.updated_at = now()
       AND 'missed' = ANY (o.w_state) AND w.state = 'missed'
    ON CONFLICT ON CONSTRAINT deduction_event_once DO NOTHING
    RETURNING 1
  )
  SELECT count(*) INTO deductions FROM ded;

  -- an open window always has a next_change_on
  SELECT count(*) INTO open_windows
    FROM taxshare.obligation o WHERE o.next_change_on IS NOT NULL AND 'open' = ANY (o.w_state);

  SELECT count(*), min(o.due_missing_year) INTO due_unknown, first_unknown
    FROM taxshare.obligation o WHERE o.due_date IS NULL;
  IF due_unknown > 0 THEN
    IF first_unknown <= extract(year FROM refresh_obligations.as_of) THEN
      RAISE WARNING 'no holiday data for year %: % obligations have no due date', first_unknown, due_unknown
        USING HINT = format('Add the State Council General Office''s holiday notice for %s with taxshare.holiday_add_year() (docs/calendar.md).', first_unknown);
    ELSE
      RAISE NOTICE '% obligations have no due date until the holiday notice for % is added', due_unknown, first_unknown
        USING HINT = format('Add it with taxshare.holiday_add_year(%s, ...) when it is published (docs/calendar.md).', first_unknown);
    END IF;
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare.refresh_obligations(date) IS
  '生成截至 as_of 应报的报送义务 (各有效目录条目 x 提供单位 x 已开始的报送期), 并按报送情况更新状态、整改期与扣分事件; 可重复执行 / '
  'creates the obligations owed up to as_of (each catalog item in force x its providing unit x each period started by as_of) and brings their status, rectification windows and deduction events up to date from the submissions; idempotent';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'refresh_obligations(date)', 'X', 'X', 'X', 'X', 'X', 'X');
