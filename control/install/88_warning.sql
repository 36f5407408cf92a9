-- Warnings (预警) and their feedback: the five steps of seeds/000 art. 19-20
-- (预警推送、信息接收、分析研判、风险应对、结果反馈) with the deadlines of art. 18
-- and 20 on the working-day calendar, the written no-action answer of art. 15,
-- disputes to the office, and the duty deduction of art. 31 (三) for an
-- unanswered warning.  Guide: docs/risk.md, "Warnings".
--
-- The deadlines (parameters warning.* in taxshare.risk_param):
--   push      by the 10th of the month after the period (art. 20 (一)
--             "市财源办于每月10日前 ... 推送"), read as the reporting deadline
--             "每月10日前" is read (calendar.c): the 10th included
--             (warning.push_before_day 10 is the last day on time), moved to
--             the next working day like every other deadline;
--   receive   within 3 working days of the push (art. 20 (二) "应在3个工作日内
--             接收"): the 3rd working day after the push day;
--   feedback  a 30-day cycle (art. 18 "一般情况以30天为一个周期进行反馈, 特殊
--             情况最长不超过2个周期"), counted from the receipt (at the latest
--             from the receipt deadline); "at most 2 cycles" is read as two
--             in all, the first included: one extension (warning.max_cycles 2).
--             A deadline on a day off moves to the next working day when
--             taxshare.due_date_roll_forward is on (the calendar's setting).
-- Days are days in China Standard Time (Asia/Shanghai), whatever the session's
-- TimeZone.  Every step keeps who did it and when; a step may be recorded
-- later than it happened (at => ...), and recorded_at says when it was.
-- The deadlines are stored on the warning when the step that fixes them is
-- recorded (push: all three; receipt and extension: the feedback deadline),
-- so that a later change of a parameter or of the holidays never rewrites
-- whether a past warning was on time (the history the unit scores rest on).

CREATE TABLE taxshare.warning (
  id                  bigserial PRIMARY KEY,
  period_start        date NOT NULL,
  unit_code           text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  title               text,
  grades              taxshare.risk_grade[] NOT NULL,
  status              text NOT NULL DEFAULT 'pushed' CHECK (status IN ('pushed', 'received', 'answered')),
  pushed_at           timestamptz NOT NULL,
  pushed_by           text NOT NULL,
  push_recorded_at    timestamptz NOT NULL DEFAULT now(),
  received_at         timestamptz,
  received_by         text,
  receive_recorded_at timestamptz,
  answered_at         timestamptz,
  cycles              integer NOT NULL DEFAULT 1 CHECK (cycles >= 1),
  deduction_event_id  bigint,
  note                text,
  push_due            date,
  receive_due         date,
  feedback_due        date,
  CONSTRAINT warning_received_after_push CHECK (received_at IS NULL OR received_at >= pushed_at),
  CONSTRAINT warning_received_with_actor CHECK ((received_at IS NULL) = (received_by IS NULL))
);
CREATE INDEX warning_period_unit ON taxshare.warning (period_start, unit_code);
CREATE INDEX warning_unanswered ON taxshare.warning (pushed_at) WHERE status <> 'answered';
COMMENT ON TABLE taxshare.warning IS
  '风险预警: 市财源办向税务部门或共享单位推送的一批分级任务及其接收、延期、反馈 (衡阳办法第十八至二十条) / '
  'risk warnings: a batch of graded tasks pushed to the tax bureau or a unit, with receipt, extension and feedback (seeds/000 art. 18-20)';
COMMENT ON COLUMN taxshare.warning.status IS
  'pushed 已推送, received 已接收, answered 全部任务已反馈 / pushed, received, every task answered';
COMMENT ON COLUMN taxshare.warning.pushed_at IS '推送时间 / when pushed';
COMMENT ON COLUMN taxshare.warning.push_recorded_at IS
  '推送登记入库时间 (补录时晚于推送时间) / when the push was recorded (later than pushed_at when entered afterwards)';
COMMENT ON COLUMN taxshare.warning.answered_at IS
  '最后一个任务反馈的时间 / when the last task was answered';
COMMENT ON COLUMN taxshare.warning.cycles IS
  '反馈周期数 (含首个周期, 每次延期加 1) / feedback cycles granted, the first included';
COMMENT ON COLUMN taxshare.warning.deduction_event_id IS
  '未按期反馈的扣分事件 (deduction_event) / the duty deduction for not answering in time';
COMMENT ON COLUMN taxshare.warning.push_due IS
  '推送期限 (推送时确定并保存, 之后参数或节假日的修改不改变它) / the push deadline, fixed and stored when pushed (later changes of parameters or holidays leave it alone)';
COMMENT ON COLUMN taxshare.warning.receive_due IS
  '接收期限 (推送时确定并保存; 当时缺少该年节假日安排则为空, 由 warning_sweep() 补记) / the receipt deadline, stored when pushed (empty while the calendar lacked the year; warning_sweep() fills it in)';
COMMENT ON COLUMN taxshare.warning.feedback_due IS
  '反馈期限 (推送时按接收期限确定, 接收和延期时重新确定并保存) / the feedback deadline, stored when pushed (from the receipt deadline) and again at the receipt and at each extension';
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'warning', 'rawd', 'r', 'rw', 'rw', '', '');

CREATE TABLE taxshare.warning_task (
  id                  bigserial PRIMARY KEY,
  warning_id          bigint NOT NULL REFERENCES taxshare.warning (id) ON DELETE CASCADE,
  unit_code           text NOT NULL,
  period_start        date NOT NULL,
  entity_id           bigint NOT NULL REFERENCES taxshare.entity (id),
  grade               taxshare.risk_grade NOT NULL,
  score               float8 NOT NULL,
  rank                integer NOT NULL,
  points              integer NOT NULL,
  amount              numeric(20,2) NOT NULL,
  response            text NOT NULL,
  response_reason     text NOT NULL,
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'disputed')),
  outcome             text CHECK (outcome IN ('recovered', 'dismissed', 'referred', 'no_action')),
  response_taken      text CHECK (response_taken IN ('reminder', 'verification', 'assessment', 'audit', 'referral')),
  amount_recovered    numeric(18,2) CHECK (amount_recovered >= 0),
  referred_to         text,
  note                text,
  signed_off_by       text,
  answered_at         timestamptz,
  answered_by         text,
  answer_recorded_at  timestamptz,
  CONSTRAINT warning_task_once UNIQUE (entity_id, period_start, unit_code),
  CONSTRAINT warning_task_answer CHECK ((status = 'open') = (answered_at IS NULL)),
  CONSTRAINT warning_task_no_action CHECK (outcome IS DISTINCT FROM 'no_action'
                                           OR (btrim(note) <> '' AND btrim(signed_off_by) <> ''))
);
CREATE INDEX warning_task_warning ON taxshare.warning_task (warning_id, status);
COMMENT ON TABLE taxshare.warning_task IS
  '预警任务: 每个推送的风险主体一行, 含推送时的等级、分数和规定应对方式, 以及反馈结果 / '
  'warning tasks: one per entity pushed, with the grade, score and prescribed response at push time, and the feedback';
COMMENT ON COLUMN taxshare.warning_task.status IS
  'open 待反馈, answered 已反馈, disputed 有异议已提交市财源办 / open, answered, or disputed (escalated to the office)';
COMMENT ON COLUMN taxshare.warning_task.outcome IS
  'recovered 查补税款, dismissed 疑点排除 (须说明理由), referred 移送, no_action 无需应对 (须书面理由及分管领导签字) / '
  'taxes recovered, points dismissed (with a reason), referred, or no action needed (written reason signed off by the leader)';
COMMENT ON COLUMN taxshare.warning_task.response_taken IS
  '实际采取的应对方式 (纳税评估记入 assessment_log) / the response actually taken (an assessment is recorded in assessment_log)';
COMMENT ON COLUMN taxshare.warning_task.signed_off_by IS
  '审核签字的分管领导 (无需应对时必填, 衡阳办法第十五条) / the leader in charge who signed the no-action answer (seeds/000 art. 15)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_task', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_task_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'warning_task', 'rawd', 'r', 'rw', 'rw', '', '');

CREATE TABLE taxshare.warning_extension (
  id            bigserial PRIMARY KEY,
  warning_id    bigint NOT NULL REFERENCES taxshare.warning (id) ON DELETE CASCADE,
  cycle         integer NOT NULL CHECK (cycle >= 2),
  reason        text NOT NULL CHECK (btrim(reason) <> ''),
  requested_at  timestamptz NOT NULL,
  requested_by  text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (warning_id, cycle)
);
COMMENT ON TABLE taxshare.warning_extension IS
  '反馈延期: 每次增加一个 30 天周期, 须说明特殊情况 / feedback extensions: one more 30-day cycle each, with the special circumstances';
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_extension', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_extension_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'warning_extension', 'rawd', 'r', 'ra', 'ra', '', '');

CREATE TABLE taxshare.warning_dispute (
  id             bigserial PRIMARY KEY,
  task_id        bigint NOT NULL REFERENCES taxshare.warning_task (id) ON DELETE CASCADE,
  reason         text NOT NULL CHECK (btrim(reason) <> ''),
  escalated_to   text NOT NULL CHECK (escalated_to IN ('office', 'city_government')),
  filed_at       timestamptz NOT NULL,
  filed_by       text NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  decision       text CHECK (decision IN ('upheld', 'overturned')),
  decision_note  text,
  decided_at     timestamptz,
  decided_by     text,
  CONSTRAINT warning_dispute_decided CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX warning_dispute_task ON taxshare.warning_dispute (task_id);
COMMENT ON TABLE taxshare.warning_dispute IS
  '预警异议: 提交市财源办, 重大异议提交市人民政府; 含处理决定 / disputes about warning tasks: to the office, major ones to the city government; with the decision';
COMMENT ON COLUMN taxshare.warning_dispute.decision IS
  'upheld 维持预警 (如需应对由市财源办重新推送), overturned 撤销 (任务视为疑点排除) / upheld (the office pushes again if action is needed) or overturned (the task counts as dismissed)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_dispute', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.warning_dispute_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'warning_dispute', 'rawd', 'r', 'ra', 'ra', '', '');

-- ---------------------------------------------------------------------------
-- Deadlines
-- ---------------------------------------------------------------------------

-- A day in China Standard Time.
CREATE FUNCTION taxshare._cst_day(ts timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT (ts AT TIME ZONE 'Asia/Shanghai')::date $$;
COMMENT ON FUNCTION taxshare._cst_day(timestamptz) IS
  '北京时间的日期 / the day of a time in China Standard Time';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_cst_day(timestamptz)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare._warning_param(name text) RETURNS integer
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT p.value::integer FROM taxshare.risk_param p WHERE p.name = $1 $$;
COMMENT ON FUNCTION taxshare._warning_param(text) IS
  '预警参数 (整数) / a warning parameter as an integer';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_warning_param(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The feedback deadline: cycles of warning.cycle_days from the receipt, at
-- the latest from the receipt deadline (art. 18), moved off a day off.
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

-- The deadlines as today's parameters and calendar make them.  The steps call
-- it when they fix a warning's deadlines; reading a warning's deadlines is
-- warning_deadlines(warning_id), which returns what was stored.
CREATE FUNCTION taxshare.warning_deadlines(period_start date, pushed_at timestamptz,
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
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'warning_deadlines(date, timestamptz, timestamptz, integer)', 'X', 'X', 'X', 'X', 'X', 'X');

-- A warning's deadlines as stored when its steps were recorded.  A deadline
-- left empty because the calendar lacked the year is computed now (and
-- stored by the next warning_sweep()).
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

-- ---------------------------------------------------------------------------
-- The steps
-- ---------------------------------------------------------------------------

-- A step's time: now, or when it happened if recorded afterwards (never in the future).
CREATE FUNCTION taxshare._warning_at(at timestamptz) RETURNS timestamptz
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF at IS NULL THEN
    RETURN now();
  END IF;
  IF at > now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'cannot record a warning step at "%", which is in the future', at
      USING ERRCODE = '22023', HINT = 'Leave "at" out to record the step now, or give the time it happened.';
  END IF;
  RETURN at;
END
$$;
COMMENT ON FUNCTION taxshare._warning_at(timestamptz) IS
  '内部: 步骤时间 (默认当前, 补录时为实际时间, 不得晚于当前) / internal: the time of a step (now, or when it happened; never in the future)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_warning_at(timestamptz)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.warning_push(period_start date, unit text,
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
COMMENT ON FUNCTION taxshare.warning_push(date, text, text[], bigint[], text, text, timestamptz) IS
  '预警推送: 将该期指定等级 (或指定主体) 的风险作为一批任务推送给单位, 已推送的不再推送; 返回预警编号 (第二十条第(一)项) / '
  'push a warning: the period''s risks of the given grades (or entities) as a batch of tasks to a unit, none twice; returns the warning id (art. 20 (一))';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'warning_push(date, text, text[], bigint[], text, text, timestamptz)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.warning_receive(warning_id bigint, actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
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
COMMENT ON FUNCTION taxshare.warning_receive(bigint, text, timestamptz) IS
  '信息接收: 登记单位接收预警, 返回是否在 3 个工作日内 (第二十条第(二)项) / record that the unit received a warning; returns whether within 3 working days (art. 20 (二))';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'warning_receive(bigint, text, timestamptz)', 'X', 'X', 'X', 'X', 'X', 'X');

-- After a task is answered or disputed: the warning is answered when no task is open.
CREATE FUNCTION taxshare._warning_close(wid bigint) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
  UPDATE taxshare.warning w
     SET status = 'answered',
         answered_at = (SELECT max(t.answered_at) FROM taxshare.warning_task t WHERE t.warning_id = w.id)
   WHERE w.id = wid AND w.status = 'received'
     AND NOT EXISTS (SELECT 1 FROM taxshare.warning_task t WHERE t.warning_id = w.id AND t.status = 'open')
$$;
COMMENT ON FUNCTION taxshare._warning_close(bigint) IS
  '内部: 无待反馈任务时将预警标记为已反馈 / internal: mark a warning answered once no task is open';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_warning_close(bigint)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The open task, locked, with its warning received; or an error.
CREATE FUNCTION taxshare._warning_open_task(task_id bigint, OUT t taxshare.warning_task, OUT w taxshare.warning)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  SELECT * INTO t FROM taxshare.warning_task x WHERE x.id = task_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'warning task % does not exist', task_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.warning_task.';
  END IF;
  SELECT * INTO w FROM taxshare.warning x WHERE x.id = t.warning_id FOR UPDATE;
  IF w.status = 'pushed' THEN
    RAISE EXCEPTION 'warning % has not been received yet', w.id
      USING ERRCODE = '55000', HINT = 'Record the receipt with taxshare.warning_receive() first.';
  END IF;
  IF t.status <> 'open' THEN
    RAISE EXCEPTION 'warning task % is already %', t.id, t.status
      USING ERRCODE = '55000', DETAIL = format('at %s by %s', t.answered_at, t.answered_by),
            HINT = 'A task is answered once; a dispute goes to the office (warning_dispute_resolve).';
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare._warning_open_task(bigint) IS
  '内部: 锁定待反馈任务及其预警, 不可反馈时报错 / internal: lock an open task and its warning, or raise why it cannot be answered';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_warning_open_task(bigint)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.warning_feedback(task_id bigint, outcome text, note text DEFAULT NULL,
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
COMMENT ON FUNCTION taxshare.warning_feedback(bigint, text, text, numeric, text, text, text, text, timestamptz) IS
  '结果反馈: 登记一个任务的应对结果 (recovered 查补税款, dismissed 疑点排除, referred 移送, no_action 无需应对须书面理由和领导签字); 返回是否在反馈期限内 / '
  'feed back one task: taxes recovered, points dismissed with a reason, referred, or no action (written reason and the leader''s sign-off); returns whether within the feedback deadline';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'warning_feedback(bigint, text, text, numeric, text, text, text, text, timestamptz)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.warning_extend(warning_id bigint, reason text, actor text DEFAULT NULL,
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
COMMENT ON FUNCTION taxshare.warning_extend(bigint, text, text, timestamptz) IS
  '反馈延期: 特殊情况增加一个 30 天周期, 须说明理由, 共不超过 2 个周期 (第十八条); 返回新的反馈期限 / '
  'extend a warning by one 30-day cycle for special circumstances, with a reason, at most 2 cycles in all (art. 18); returns the new feedback deadline';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'warning_extend(bigint, text, text, timestamptz)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.warning_dispute(task_id bigint, reason text, major boolean DEFAULT false,
                                         actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  tm timestamptz := taxshare._warning_at(warning_dispute.at);
  r record;
  new_id bigint;
  who text := coalesce(warning_dispute.actor, session_user);
BEGIN
  r := taxshare._warning_open_task(warning_dispute.task_id);
  IF btrim(coalesce(warning_dispute.reason, '')) = '' THEN
    RAISE EXCEPTION 'a dispute needs its reason'
      USING ERRCODE = '22023', HINT = 'Pass reason => what in the warning is disputed and why.';
  END IF;
  INSERT INTO taxshare.warning_dispute (task_id, reason, escalated_to, filed_at, filed_by)
  VALUES ((r.t).id, warning_dispute.reason,
          CASE WHEN warning_dispute.major THEN 'city_government' ELSE 'office' END, tm, who)
  RETURNING id INTO new_id;
  -- The dispute is the unit's answer: it stops the clock of the task.
  UPDATE taxshare.warning_task
     SET status = 'disputed', note = warning_dispute.reason, answered_at = tm, answered_by = who,
         answer_recorded_at = now()
   WHERE id = (r.t).id;
  PERFORM taxshare._warning_close((r.w).id);
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.warning_dispute(bigint, text, boolean, text, timestamptz) IS
  '对预警任务提出异议: 提交市财源办, 重大异议 (major) 提交市人民政府; 异议即为该任务的答复; 返回异议编号 / '
  'dispute a warning task: escalated to the office, a major one to the city government; the dispute answers the task; returns the dispute id';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'warning_dispute(bigint, text, boolean, text, timestamptz)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.warning_dispute_resolve(dispute_id bigint, decision text, note text DEFAULT NULL,
                                                 actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  tm timestamptz := taxshare._warning_at(warning_dispute_resolve.at);
  x taxshare.warning_dispute;
BEGIN
  SELECT * INTO x FROM taxshare.warning_dispute d WHERE d.id = warning_dispute_resolve.dispute_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'warning dispute % does not exist', warning_dispute_resolve.dispute_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.warning_dispute.';
  END IF;
  IF x.decision IS NOT NULL THEN
    RAISE EXCEPTION 'warning dispute % is already decided (%)', x.id, x.decision
      USING ERRCODE = '55000', HINT = 'A dispute is decided once.';
  END IF;
  IF warning_dispute_resolve.decision IS NULL OR warning_dispute_resolve.decision NOT IN ('upheld', 'overturned') THEN
    RAISE EXCEPTION 'invalid dispute decision "%"', warning_dispute_resolve.decision
      USING ERRCODE = '22023', HINT = 'Decide "upheld" (the warning stands) or "overturned" (the points are dismissed).';
  END IF;
  IF tm < x.filed_at THEN
    RAISE EXCEPTION 'dispute % cannot be decided before it was filed (%)', x.id, x.filed_at
      USING ERRCODE = '22023', HINT = 'Give the time the decision was made.';
  END IF;
  UPDATE taxshare.warning_dispute
     SET decision = warning_dispute_resolve.decision, decision_note = warning_dispute_resolve.note,
         decided_at = tm, decided_by = coalesce(warning_dispute_resolve.actor, session_user)
   WHERE id = x.id;
  IF warning_dispute_resolve.decision = 'overturned' THEN
    UPDATE taxshare.warning_task SET outcome = 'dismissed' WHERE id = x.task_id;
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare.warning_dispute_resolve(bigint, text, text, text, timestamptz) IS
  '市财源办 (或市人民政府) 对异议作出决定: upheld 维持 (需应对时重新推送), overturned 撤销 (疑点排除) / '
  'the office (or the city government) decides a dispute: upheld (push again if action is needed) or overturned (points dismissed)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'warning_dispute_resolve(bigint, text, text, text, timestamptz)', 'X', 'X', 'X', 'X', 'X', 'X');

-- ---------------------------------------------------------------------------
-- The ledger (台账) and the duty deductions
-- ---------------------------------------------------------------------------
CREATE VIEW taxshare.warning_ledger AS
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
COMMENT ON VIEW taxshare.warning_ledger IS
  '预警台账: 每个预警的推送、接收、反馈期限及是否按期, 任务数与反馈情况, 延期与扣分 (衡阳办法第十九条 "实行台账管理") / '
  'the warning ledger: each warning with its push, receipt and feedback deadlines and whether each was met, tasks and answers, extensions and deductions (seeds/000 art. 19)';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'warning_ledger', 'r', 'r', 'r', 'r', '', '');

CREATE FUNCTION taxshare.warning_sweep(as_of date DEFAULT NULL)
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
INSERT INTO taxshare.privilege_plan VALUES ('function', 'warning_sweep(date)', 'X', 'X', 'X', 'X', 'X', 'X');

-- A referral (85_referral.sql) may rest on warning tasks: the key is added
-- here, after warning_task exists.
ALTER TABLE taxshare.referral_basis
  ADD CONSTRAINT referral_basis_warning_task_id_fkey FOREIGN KEY (warning_task_id) REFERENCES taxshare.warning_task (id);

-- ---------------------------------------------------------------------------
-- Hard events pushed at once (seeds/003: "对公安立案、稽查立案等重大风险信息进行
-- 监控, 一旦发现这类信息系统立刻 ... 推送到基层管理机关").  A point of a
-- monitoring indicator configured here becomes, the moment it is created (by
-- run_rules() or any INSERT into suspicion), a warning of one task to the
-- configured unit, without waiting for the monthly grading and push.  The
-- task is graded high (a monitoring hit grades high outright) with score 100
-- and rank 0 (not ranked yet); the monthly push does not push the entity of
-- that period to the same unit again.
-- ---------------------------------------------------------------------------
CREATE TABLE taxshare.indicator_push (
  indicator_code  text PRIMARY KEY REFERENCES taxshare.indicator (code) ON UPDATE CASCADE ON DELETE CASCADE,
  unit_code       text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  active          boolean NOT NULL DEFAULT true,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE taxshare.indicator_push IS
  '即时推送配置: 哪些监控指标的风险点一经产生即推送给哪个单位 (滨州经验) / immediate pushes: the monitoring indicators whose points are pushed to a unit the moment they are created (seeds/003)';
COMMENT ON COLUMN taxshare.indicator_push.indicator_code IS '监控指标 / the monitoring indicator';
COMMENT ON COLUMN taxshare.indicator_push.unit_code IS '接收单位 (一般为税务部门) / the unit pushed to (usually the tax bureau)';
COMMENT ON COLUMN taxshare.indicator_push.active IS '是否启用 / whether the push is on';
SELECT pg_catalog.pg_extension_config_dump('taxshare.indicator_push', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'indicator_push', 'rawd', 'r', 'r', '', '', '');

CREATE FUNCTION taxshare._indicator_push_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM taxshare.indicator i WHERE i.code = NEW.indicator_code AND i.kind = 'monitoring') THEN
    RAISE EXCEPTION 'indicator "%" is not a monitoring indicator', NEW.indicator_code
      USING ERRCODE = '22023', HINT = 'Only points of monitoring indicators (kind monitoring) are pushed at once.';
  END IF;
  NEW.updated_at := now();
  NEW.updated_by := session_user;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare._indicator_push_check() IS
  '触发器: 只有监控指标可配置即时推送, 并记录修改人和时间 / trigger: only monitoring indicators are pushed at once; records who changed the row when';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_indicator_push_check()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER indicator_push_check BEFORE INSERT OR UPDATE ON taxshare.indicator_push
  FOR EACH ROW EXECUTE FUNCTION taxshare._indicator_push_check();

-- SECURITY DEFINER: whoever runs the rules (the analysis group) pushes the
-- warning, which only the office may write.  A restore (COPY into suspicion)
-- pushes nothing.
CREATE FUNCTION taxshare._suspicion_push() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  cfg record;
  t timestamptz := now();
  d record;
  wid bigint;
BEGIN
  IF taxshare._ledger_restoring(TG_RELID) THEN
    RETURN NULL;
  END IF;
  SELECT i.code, i.name, i.name_en, i.response, p.unit_code INTO cfg
    FROM taxshare.match_rule m
    JOIN taxshare.indicator i ON i.code = m.indicator_code AND i.kind = 'monitoring' AND i.active
    JOIN taxshare.indicator_push p ON p.indicator_code = i.code AND p.active
    JOIN taxshare.unit u ON u.code = p.unit_code AND u.active
   WHERE m.code = NEW.rule_code AND m.active;
  IF NOT FOUND OR EXISTS (SELECT 1 FROM taxshare.warning_task x
                           WHERE x.entity_id = NEW.entity_id AND x.period_start = NEW.period_start
                             AND x.unit_code = cfg.unit_code) THEN
    RETURN NULL;
  END IF;
  d := taxshare.warning_deadlines(NEW.period_start, t);
  INSERT INTO taxshare.warning (period_start, unit_code, title, grades, pushed_at, pushed_by,
                                push_due, receive_due, feedback_due, note)
  VALUES (NEW.period_start, cfg.unit_code, format('即时推送 / pushed at once: %s', cfg.name), ARRAY['high']::taxshare.risk_grade[],
          t, session_user, d.push_due, d.receive_due, d.feedback_due, format('suspicion %s', NEW.id))
  RETURNING id INTO wid;
  INSERT INTO taxshare.warning_task (warning_id, unit_code, period_start, entity_id, grade, score, rank,
                                     points, amount, response, response_reason)
  VALUES (wid, cfg.unit_code, NEW.period_start, NEW.entity_id, 'high', 100, 0, 1,
          coalesce(NEW.amount_involved, 0), coalesce(cfg.response, 'audit'),
          format('监控指标 %s (%s) 风险点, 即时推送, 尚未评级排名 / a point of monitoring indicator %s (%s), pushed at once, not yet graded and ranked',
                 cfg.code, cfg.name, cfg.code, cfg.name_en));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare._suspicion_push() IS
  '触发器: 已配置即时推送的监控指标风险点一经产生, 当即作为一个高风险任务推送给配置的单位 / '
  'trigger: a point of a monitoring indicator configured in indicator_push is pushed at once, as one high task, to the configured unit';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_suspicion_push()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER suspicion_push AFTER INSERT ON taxshare.suspicion
  FOR EACH ROW EXECUTE FUNCTION taxshare._suspicion_push();
