-- #19 §5: one reading of "每月10日前", and warnings keep their deadlines.
--
-- 1. warning.push_before_day now means the last day a push is on time, that
--    day included ("每月10日前" read as the reporting deadline is read, the
--    10th included), and the push deadline moves to the next working day like
--    every other deadline.  In 0.1.0 the value was the first day too late (10:
--    last day the 9th).  What an installed value becomes:
--      10 (the 0.1.0 default) stays 10, now read "by the 10th": the 0.1.0
--         reading of the article was the mistake this release corrects;
--      any other value v was a DBA's deliberate choice of the last day v - 1
--         (docs/risk.md told a DBA who read "by the 10th" to set 11): it
--         becomes v - 1, so that DBA's deadline is unchanged.
-- 2. Each warning stores its push, receipt and feedback deadlines when they
--    are fixed (push; receipt; extension), and warning_deadlines(warning_id),
--    the ledger and the sweep read the stored values.  Existing warnings get
--    their deadlines as 0.1.0 reads them today (push on the (v - 1)th, not
--    moved off a day off): the upgrade does not rewrite whether a past
--    warning was on time.  This is done with 0.1.0's warning_deadlines()
--    before it is replaced.
ALTER TABLE taxshare.warning ADD COLUMN push_due date, ADD COLUMN receive_due date, ADD COLUMN feedback_due date;
COMMENT ON COLUMN taxshare.warning.push_due IS
  '推送期限 (推送时确定并保存, 之后参数或节假日的修改不改变它) / the push deadline, fixed and stored when pushed (later changes of parameters or holidays leave it alone)';
COMMENT ON COLUMN taxshare.warning.receive_due IS
  '接收期限 (推送时确定并保存; 当时缺少该年节假日安排则为空, 由 warning_sweep() 补记) / the receipt deadline, stored when pushed (empty while the calendar lacked the year; warning_sweep() fills it in)';
COMMENT ON COLUMN taxshare.warning.feedback_due IS
  '反馈期限 (推送时按接收期限确定, 接收和延期时重新确定并保存) / the feedback deadline, stored when pushed (from the receipt deadline) and again at the receipt and at each extension';

UPDATE taxshare.warning w
   SET push_due = d.push_due, receive_due = d.receive_due, feedback_due = d.feedback_due
  FROM taxshare.warning y
 CROSS JOIN LATERAL taxshare.warning_deadlines(y.period_start, y.pushed_at, y.received_at, y.cycles) d
 WHERE w.id = y.id;

UPDATE taxshare.risk_param SET value = value - 1
 WHERE name = 'warning.push_before_day' AND value <> 10;
UPDATE taxshare.risk_param
   SET description = '预警推送的最后一日 (含当日, 遇休息日顺延; 衡阳办法第二十条: 每月10日前) / the last day of the month a warning may be pushed, that day included, moved off a day off (art. 20: by the 10th)'
 WHERE name = 'warning.push_before_day';

CREATE FUNCTION taxshare._warning_feedback_due(received_at timestamptz, receive_due date, cycles integer)
RETURNS date
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  d date;
BEGIN
  IF receive_due IS NULL THEN
    RETURN NULL;
  END IF;
  d := least(coalesce(taxshare._cst_day(received_at), receive_due), receive_due)
       + taxshare._warning_param('warning.cycle_days') * greatest(cycles, 1);
  IF current_setting('taxshare.due_date_roll_forward', true) IS DISTINCT FROM 'off' THEN
    d := taxshare.add_working_days(d, 0);
  END IF;
  RETURN d;
EXCEPTION WHEN invalid_parameter_value THEN
  IF SQLERRM NOT LIKE 'no holiday data for year %' THEN
    RAISE;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare._warning_feedback_due(timestamptz, date, integer) IS
  '内部: 反馈期限 (自接收日起, 最迟自接收期限起, 每周期 warning.cycle_days 天, 遇休息日顺延; 缺少该年节假日安排时为空) / '
  'internal: the feedback deadline (cycles of warning.cycle_days from the receipt, at the latest from the receipt deadline, moved off a day off; empty while the calendar lacks the year)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_warning_feedback_due(timestamptz, date, integer)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE OR REPLACE FUNCTION taxshare.warning_deadlines(period_start date, pushed_at timestamptz,
                                           received_at timestamptz DEFAULT NULL, cycles integer DEFAULT 1,
                                           OUT push_due date, OUT receive_due date, OUT feedback_due date)
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  m date := (date_trunc('month', period_start)
             + make_interval(months => taxshare._warning_param('warning.push_month_offset')))::date;
BEGIN
  -- A deadline in a year the calendar has no holiday notice for stays empty
  -- (with taxshare.calendar_missing_year = error) until the notice is loaded,
  -- rather than making the whole ledger unreadable.
  BEGIN
    -- art. 20 (一) "每月10日前": by the 10th, the 10th included, as the
    -- reporting deadline "每月10日前" of art. 8 is read (calendar.c), and moved
    -- to the next working day like every other deadline.
    push_due := make_date(extract(year FROM m)::int, extract(month FROM m)::int,
                          taxshare._warning_param('warning.push_before_day'));
    IF current_setting('taxshare.due_date_roll_forward', true) IS DISTINCT FROM 'off' THEN
      push_due := taxshare.add_working_days(push_due, 0);
    END IF;
  EXCEPTION WHEN invalid_parameter_value THEN
    IF SQLERRM NOT LIKE 'no holiday data for year %' THEN
      RAISE;
    END IF;
    push_due := NULL;
  END;
  IF pushed_at IS NULL THEN
    RETURN;
  END IF;
  BEGIN
    -- art. 20 (二): within 3 working days of the push
    receive_due := taxshare.add_working_days(taxshare._cst_day(pushed_at),
                                             taxshare._warning_param('warning.receive_working_days'));
  EXCEPTION WHEN invalid_parameter_value THEN
    IF SQLERRM NOT LIKE 'no holiday data for year %' THEN
      RAISE;
    END IF;
    receive_due := NULL;
  END;
  -- art. 18: 30 days a cycle from the receipt, at the latest from the receipt deadline
  feedback_due := taxshare._warning_feedback_due(received_at, receive_due, cycles);
END
$$;
COMMENT ON FUNCTION taxshare.warning_deadlines(date, timestamptz, timestamptz, integer) IS
  '按当前参数和工作日历计算预警的推送、接收、反馈期限 (最后一个按时的日期; 缺少该年节假日安排时为空); 各步骤据此确定并保存期限, 已有预警的期限用 warning_deadlines(预警编号) 读取 / '
  'the push, receipt and feedback deadlines of a warning as today''s parameters and calendar make them (last day on time; empty while the calendar lacks the year); the steps store them, and a warning''s own deadlines are read with warning_deadlines(warning_id)';

CREATE FUNCTION taxshare.warning_deadlines(warning_id bigint,
                                           OUT push_due date, OUT receive_due date, OUT feedback_due date)
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  w taxshare.warning;
  d record;
BEGIN
  SELECT * INTO w FROM taxshare.warning x WHERE x.id = warning_deadlines.warning_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  push_due := w.push_due;
  receive_due := w.receive_due;
  feedback_due := w.feedback_due;
  IF push_due IS NULL OR receive_due IS NULL OR feedback_due IS NULL THEN
    d := taxshare.warning_deadlines(w.period_start, w.pushed_at, NULL, 1);
    push_due := coalesce(push_due, d.push_due);
    receive_due := coalesce(receive_due, d.receive_due);
    feedback_due := coalesce(feedback_due, taxshare._warning_feedback_due(w.received_at, receive_due, w.cycles));
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare.warning_deadlines(bigint) IS
  '预警已保存的推送、接收、反馈期限 (推送、接收、延期时确定; 参数或节假日之后的修改不改变历史); 当时缺少节假日安排而为空的按当前日历计算 / '
  'a warning''s push, receipt and feedback deadlines as stored by its push, receipt and extensions (later changes of parameters or holidays do not rewrite history); one left empty for lack of the year''s holidays is computed now';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'warning_deadlines(bigint)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE OR REPLACE FUNCTION taxshare.warning_push(period_start date, unit text,
                                      grades text[] DEFAULT ARRAY['high', 'medium', 'low'],
                                      entity_ids bigint[] DEFAULT NULL, title text DEFAULT NULL,
                                      actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  t timestamptz := taxshare._warning_at(warning_push.at);
  g taxshare.risk_grade[];
  new_id bigint;
  n bigint;
  d record;
BEGIN
  IF warning_push.period_start IS NULL THEN
    RAISE EXCEPTION 'period_start must not be null'
      USING ERRCODE = '22023', HINT = 'Pass the period that grade_risks() graded.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = warning_push.unit AND u.active) THEN
    RAISE EXCEPTION 'unknown or inactive unit "%"', warning_push.unit
      USING ERRCODE = '22023', HINT = 'Push to the code of an active unit in taxshare.unit (the tax bureau, or a sharing unit).';
  END IF;
  IF warning_push.grades IS NULL OR cardinality(warning_push.grades) = 0
     OR EXISTS (SELECT 1 FROM unnest(warning_push.grades) x WHERE x IS NULL OR x NOT IN ('low', 'medium', 'high')) THEN
    RAISE EXCEPTION 'invalid grades %', coalesce(warning_push.grades::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Name one or more of high, medium and low.';
  END IF;
  g := warning_push.grades::taxshare.risk_grade[];

  -- The deadlines as they read at the push, kept with the warning.
  d := taxshare.warning_deadlines(warning_push.period_start, t);
  INSERT INTO taxshare.warning (period_start, unit_code, title, grades, pushed_at, pushed_by,
                                push_due, receive_due, feedback_due)
  VALUES (warning_push.period_start, warning_push.unit, warning_push.title, g, t,
          coalesce(warning_push.actor, session_user), d.push_due, d.receive_due, d.feedback_due)
  RETURNING id INTO new_id;

  -- Every graded entity of those grades not yet pushed to this unit for the period.
  INSERT INTO taxshare.warning_task (warning_id, unit_code, period_start, entity_id, grade, score, rank,
                                     points, amount, response, response_reason)
  SELECT new_id, warning_push.unit, s.period_start, s.entity_id, s.grade, s.score, s.rank, s.points,
         s.amount, s.response, taxshare.risk_reason(s.reason_code, s.amount, s.monitoring, s.detail)
    FROM taxshare.risk_score s
   WHERE s.period_start = warning_push.period_start
     AND s.grade = ANY (g)
     AND (warning_push.entity_ids IS NULL OR s.entity_id = ANY (warning_push.entity_ids))
     AND NOT EXISTS (SELECT 1 FROM taxshare.warning_task x
                      WHERE x.entity_id = s.entity_id AND x.period_start = s.period_start
                        AND x.unit_code = warning_push.unit)
   ORDER BY s.rank;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'no graded risks of period % to push to unit "%"', warning_push.period_start, warning_push.unit
      USING ERRCODE = 'P0002',
            DETAIL = format('grades %s%s', warning_push.grades,
                            CASE WHEN warning_push.entity_ids IS NOT NULL
                                 THEN format(', entities %s', warning_push.entity_ids) ELSE '' END),
            HINT = 'Run taxshare.grade_risks() for the period first; risks already pushed to the unit are not pushed again.';
  END IF;
  RETURN new_id;
END
$$;

CREATE OR REPLACE FUNCTION taxshare.warning_receive(warning_id bigint, actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  t timestamptz := taxshare._warning_at(warning_receive.at);
  w taxshare.warning;
  d record;
BEGIN
  SELECT * INTO w FROM taxshare.warning x WHERE x.id = warning_receive.warning_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'warning % does not exist', warning_receive.warning_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.warning_ledger.';
  END IF;
  IF w.status <> 'pushed' THEN
    RAISE EXCEPTION 'warning % was already received', w.id
      USING ERRCODE = '55000', DETAIL = format('received at %s by %s', w.received_at, w.received_by),
            HINT = 'A warning is received once.';
  END IF;
  IF t < w.pushed_at THEN
    RAISE EXCEPTION 'warning % cannot be received at %, before it was pushed at %', w.id, t, w.pushed_at
      USING ERRCODE = '22023', HINT = 'Give the time the unit actually received it.';
  END IF;
  -- The receipt fixes the start of the feedback cycles.
  d := taxshare.warning_deadlines(w.id);
  UPDATE taxshare.warning
     SET status = 'received', received_at = t, received_by = coalesce(warning_receive.actor, session_user),
         receive_recorded_at = now(), push_due = d.push_due, receive_due = d.receive_due,
         feedback_due = taxshare._warning_feedback_due(t, d.receive_due, w.cycles)
   WHERE id = w.id;
  RETURN taxshare._cst_day(t) <= d.receive_due;
END
$$;

CREATE OR REPLACE FUNCTION taxshare.warning_feedback(task_id bigint, outcome text, note text DEFAULT NULL,
                                          amount_recovered numeric DEFAULT NULL, referred_to text DEFAULT NULL,
                                          signed_off_by text DEFAULT NULL, response_taken text DEFAULT NULL,
                                          actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  tm timestamptz := taxshare._warning_at(warning_feedback.at);
  r record;
  taken text;
  d record;
BEGIN
  r := taxshare._warning_open_task(warning_feedback.task_id);
  IF warning_feedback.outcome IS NULL
     OR warning_feedback.outcome NOT IN ('recovered', 'dismissed', 'referred', 'no_action') THEN
    RAISE EXCEPTION 'invalid feedback outcome "%"', warning_feedback.outcome
      USING ERRCODE = '22023', HINT = 'The outcome is recovered, dismissed, referred or no_action.';
  END IF;
  IF warning_feedback.outcome = 'recovered' AND coalesce(warning_feedback.amount_recovered, 0) <= 0 THEN
    RAISE EXCEPTION 'outcome "recovered" needs the amount recovered'
      USING ERRCODE = '22023', HINT = 'Pass amount_recovered => the taxes and fees recovered, in yuan.';
  END IF;
  IF warning_feedback.outcome = 'dismissed' AND btrim(coalesce(warning_feedback.note, '')) = '' THEN
    RAISE EXCEPTION 'outcome "dismissed" needs the reason the points were dismissed'
      USING ERRCODE = '22023', HINT = 'Pass note => why the suspicious points do not hold.';
  END IF;
  IF warning_feedback.outcome = 'referred' AND btrim(coalesce(warning_feedback.referred_to, '')) = '' THEN
    RAISE EXCEPTION 'outcome "referred" needs the body it was referred to'
      USING ERRCODE = '22023', HINT = 'Pass referred_to => e.g. 稽查局 (inspection bureau) or 公安局 (police).';
  END IF;
  -- art. 15: "须以书面形式说明理由和原因, 经分管领导审核签字盖章"
  IF warning_feedback.outcome = 'no_action'
     AND (btrim(coalesce(warning_feedback.note, '')) = '' OR btrim(coalesce(warning_feedback.signed_off_by, '')) = '') THEN
    RAISE EXCEPTION 'a no-action answer needs a written reason and the leader who signed it off'
      USING ERRCODE = '22023',
            DETAIL = '经核实不需要实施风险应对的, 须以书面形式说明理由, 经分管领导审核签字 (衡阳办法第十五条)',
            HINT = 'Pass note => the reason and signed_off_by => the leader in charge.';
  END IF;
  IF warning_feedback.response_taken IS NOT NULL AND warning_feedback.response_taken NOT IN
     ('reminder', 'verification', 'assessment', 'audit', 'referral') THEN
    RAISE EXCEPTION 'invalid response "%"', warning_feedback.response_taken
      USING ERRCODE = '22023', HINT = 'The response is reminder, verification, assessment, audit or referral.';
  END IF;
  taken := coalesce(warning_feedback.response_taken,
                    CASE warning_feedback.outcome WHEN 'referred' THEN 'referral'
                                                  WHEN 'no_action' THEN NULL
                                                  ELSE (r.t).response END);

  UPDATE taxshare.warning_task
     SET status = 'answered', outcome = warning_feedback.outcome, response_taken = taken,
         amount_recovered = warning_feedback.amount_recovered, referred_to = warning_feedback.referred_to,
         note = warning_feedback.note, signed_off_by = warning_feedback.signed_off_by,
         answered_at = tm, answered_by = coalesce(warning_feedback.actor, session_user),
         answer_recorded_at = now()
   WHERE id = (r.t).id;
  IF taken = 'assessment' THEN
    INSERT INTO taxshare.assessment_log (entity_id, assessed_on, source, warning_task_id, note)
    VALUES ((r.t).entity_id, taxshare._cst_day(tm), 'feedback', (r.t).id, warning_feedback.note);
  END IF;
  PERFORM taxshare._warning_close((r.w).id);
  d := taxshare.warning_deadlines((r.w).id);
  RETURN taxshare._cst_day(tm) <= d.feedback_due;
END
$$;

CREATE OR REPLACE FUNCTION taxshare.warning_extend(warning_id bigint, reason text, actor text DEFAULT NULL,
                                        at timestamptz DEFAULT NULL)
RETURNS date
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  t timestamptz := taxshare._warning_at(warning_extend.at);
  w taxshare.warning;
  d record;
  due date;
  max_cycles integer := taxshare._warning_param('warning.max_cycles');
BEGIN
  SELECT * INTO w FROM taxshare.warning x WHERE x.id = warning_extend.warning_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'warning % does not exist', warning_extend.warning_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.warning_ledger.';
  END IF;
  IF btrim(coalesce(warning_extend.reason, '')) = '' THEN
    RAISE EXCEPTION 'an extension needs the special circumstances that justify it'
      USING ERRCODE = '22023', HINT = 'Pass reason => why one 30-day cycle is not enough.';
  END IF;
  IF w.status = 'answered' THEN
    RAISE EXCEPTION 'warning % is already answered', w.id
      USING ERRCODE = '55000', HINT = 'Only a warning with open tasks can be extended.';
  END IF;
  IF w.cycles >= max_cycles THEN
    RAISE EXCEPTION 'warning % already has % feedback cycles', w.id, w.cycles
      USING ERRCODE = '55000',
            DETAIL = '特殊情况最长不超过2个周期 (衡阳办法第十八条) / at most 2 cycles in special cases (seeds/000 art. 18)',
            HINT = format('At most %s cycles of %s days are allowed (warning.max_cycles).', max_cycles,
                          taxshare._warning_param('warning.cycle_days'));
  END IF;
  d := taxshare.warning_deadlines(w.id);
  IF taxshare._cst_day(t) > d.feedback_due THEN
    RAISE EXCEPTION 'warning % cannot be extended after its feedback deadline %', w.id, d.feedback_due
      USING ERRCODE = '55000', HINT = 'Ask for the extension within the current cycle.';
  END IF;
  INSERT INTO taxshare.warning_extension (warning_id, cycle, reason, requested_at, requested_by)
  VALUES (w.id, w.cycles + 1, warning_extend.reason, t, coalesce(warning_extend.actor, session_user));
  -- One more cycle from the same start (the stored receipt deadline caps it).
  UPDATE taxshare.warning
     SET cycles = cycles + 1, push_due = d.push_due, receive_due = d.receive_due,
         feedback_due = taxshare._warning_feedback_due(w.received_at, d.receive_due, w.cycles + 1)
   WHERE id = w.id
  RETURNING feedback_due INTO due;
  RETURN due;
END
$$;

CREATE OR REPLACE VIEW taxshare.warning_ledger AS
  SELECT w.id AS warning_id, w.period_start, w.unit_code, u.name AS unit_name, w.title, w.grades,
         coalesce(k.tasks, 0) AS tasks, coalesce(k.open_tasks, 0) AS open_tasks,
         coalesce(k.answered_tasks, 0) AS answered_tasks, coalesce(k.disputed_tasks, 0) AS disputed_tasks,
         coalesce(k.no_action_tasks, 0) AS no_action_tasks, coalesce(k.amount, 0) AS amount,
         coalesce(k.recovered, 0) AS recovered,
         w.status,
         CASE
           WHEN w.status = 'answered' AND taxshare._cst_day(w.answered_at) <= d.feedback_due THEN 'answered'
           WHEN w.status = 'answered' THEN 'answered_late'
           WHEN c.today > d.feedback_due THEN 'overdue'
           WHEN w.status = 'received' THEN 'in_progress'
           WHEN c.today > d.receive_due THEN 'receipt_overdue'
           ELSE 'awaiting_receipt'
         END AS state,
         w.pushed_at, w.pushed_by, d.push_due,
         taxshare._cst_day(w.pushed_at) <= d.push_due AS push_met,
         w.received_at, w.received_by, d.receive_due,
         CASE WHEN w.received_at IS NOT NULL THEN taxshare._cst_day(w.received_at) <= d.receive_due
              WHEN c.today > d.receive_due THEN false END AS receive_met,
         w.cycles, coalesce(x.extensions, 0) AS extensions, x.last_reason AS extension_reason,
         d.feedback_due,
         w.answered_at,
         CASE WHEN w.answered_at IS NOT NULL THEN taxshare._cst_day(w.answered_at) <= d.feedback_due
              WHEN c.today > d.feedback_due THEN false END AS feedback_met,
         w.deduction_event_id,
         (w.push_recorded_at - w.pushed_at > interval '1 hour'
          OR w.receive_recorded_at - w.received_at > interval '1 hour'
          OR coalesce(k.backdated, false)) AS backdated
    FROM taxshare.warning w
    JOIN taxshare.unit u ON u.code = w.unit_code
    CROSS JOIN LATERAL (SELECT taxshare._cst_day(now()) AS today) c
    CROSS JOIN LATERAL taxshare.warning_deadlines(w.id) d
    LEFT JOIN LATERAL (
      SELECT count(*) AS tasks, count(*) FILTER (WHERE t.status = 'open') AS open_tasks,
             count(*) FILTER (WHERE t.status = 'answered') AS answered_tasks,
             count(*) FILTER (WHERE t.status = 'disputed') AS disputed_tasks,
             count(*) FILTER (WHERE t.outcome = 'no_action') AS no_action_tasks,
             sum(t.amount) AS amount, sum(t.amount_recovered) AS recovered,
             bool_or(t.answer_recorded_at - t.answered_at > interval '1 hour') AS backdated
        FROM taxshare.warning_task t WHERE t.warning_id = w.id) k ON true
    LEFT JOIN LATERAL (
      SELECT count(*) AS extensions, (array_agg(e.reason ORDER BY e.cycle DESC))[1] AS last_reason
        FROM taxshare.warning_extension e WHERE e.warning_id = w.id) x ON true;

-- CREATE OR REPLACE VIEW resets the options 95_security.sql set.
ALTER VIEW taxshare.warning_ledger SET (security_invoker = true);

CREATE OR REPLACE FUNCTION taxshare.warning_sweep(as_of date DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  day date := coalesce(warning_sweep.as_of, taxshare._cst_day(now()));
  pts integer := taxshare._warning_param('warning.deduction_points');
  en boolean := current_setting('taxshare.language', true) = 'en';
  w record;
  ev bigint;
  n integer := 0;
BEGIN
  -- Deadlines left empty at a step because the calendar lacked the year are
  -- stored once the year's notice is loaded.
  UPDATE taxshare.warning x
     SET push_due = d.push_due, receive_due = d.receive_due, feedback_due = d.feedback_due
    FROM taxshare.warning y
   CROSS JOIN LATERAL taxshare.warning_deadlines(y.id) d
   WHERE x.id = y.id
     AND (y.push_due IS NULL OR y.receive_due IS NULL OR y.feedback_due IS NULL)
     AND (d.push_due IS NOT NULL OR d.receive_due IS NOT NULL OR d.feedback_due IS NOT NULL);
  IF pts = 0 THEN
    RETURN 0;
  END IF;
  -- art. 31 (三): each warning not answered within its (last) feedback cycle costs the unit 2 points
  FOR w IN
    SELECT x.*, d.feedback_due
      FROM taxshare.warning x
     CROSS JOIN LATERAL taxshare.warning_deadlines(x.id) d
     WHERE x.deduction_event_id IS NULL
       AND d.feedback_due < day
       AND (x.answered_at IS NULL OR taxshare._cst_day(x.answered_at) > d.feedback_due)
     ORDER BY x.id
     FOR UPDATE OF x
  LOOP
    INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode, event_date,
                                          reason, points, source, detail)
    VALUES (w.unit_code, 'duty', NULL, w.period_start, NULL, w.feedback_due + 1, 'warning_unanswered', -pts,
            'warning',
            CASE WHEN en
                 THEN format('warning %s (period %s, tasks: %s) not answered by its feedback deadline %s',
                             w.id, to_char(w.period_start, 'YYYY-MM-DD'),
                             (SELECT count(*) FROM taxshare.warning_task t WHERE t.warning_id = w.id),
                             to_char(w.feedback_due, 'YYYY-MM-DD'))
                 ELSE format('预警 %s (%s 期, %s 项任务) 未在反馈期限 %s 前反馈 (衡阳办法第三十一条第(三)项)',
                             w.id, to_char(w.period_start, 'YYYY-MM-DD'),
                             (SELECT count(*) FROM taxshare.warning_task t WHERE t.warning_id = w.id),
                             to_char(w.feedback_due, 'YYYY-MM-DD')) END)
    RETURNING id INTO ev;
    UPDATE taxshare.warning SET deduction_event_id = ev WHERE id = w.id;
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare.warning_sweep(date) IS
  '预警巡检: 补记当时因缺少节假日安排而为空的期限; 反馈期限已过仍未 (按期) 反馈的预警, 为责任单位记履职尽责扣分 (每个 -2 分, 第三十一条第(三)项); 可重复执行; 返回新增扣分数 / '
  'the warning sweep: stores deadlines left empty for lack of a year''s holidays; a duty deduction (-2 each, art. 31 (三)) for every warning not answered by its feedback deadline; idempotent; returns how many were added';
SELECT taxshare._privileges_apply();
