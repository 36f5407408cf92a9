-- Obligations: one row per catalog item x providing unit x reporting period,
-- with its due date and its state from the submissions, and the
-- rectification windows of each (DOMAIN.md "Reporting deadlines"; seeds/000
-- art. 8 deadlines, art. 31 (二) the 5-working-day window).  Written only by
-- refresh_obligations() (62_obligation_refresh.sql); rules in
-- docs/deadlines.md, pure C core in src/deadline/deadline.c.

-- An item's own deadline, where the catalog item states one (issue: "catalog
-- items may override the profile with their own rule").
CREATE TABLE taxshare.deadline_rule (
  item_code    text PRIMARY KEY CHECK (item_code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  profile      text CHECK (profile IN ('hengyang', 'zhengzhou')),
  offset_days  integer CHECK (offset_days >= 0),
  offset_unit  text CHECK (offset_unit IN ('calendar', 'working')),
  note         text,
  CONSTRAINT deadline_rule_one_kind CHECK (
    (profile IS NOT NULL AND offset_days IS NULL AND offset_unit IS NULL)
    OR (profile IS NULL AND offset_days IS NOT NULL AND offset_unit IS NOT NULL))
);
COMMENT ON TABLE taxshare.deadline_rule IS
  '目录条目自定的报送时限: 指定时限方案, 或周期末后若干自然日/工作日; 未列出的条目按 taxshare.deadline_profile / '
  'a catalog item''s own deadline: a named profile, or a number of calendar or working days after the period end; items not listed follow taxshare.deadline_profile';
COMMENT ON COLUMN taxshare.deadline_rule.profile IS
  '时限方案 hengyang 衡阳 | zhengzhou 郑州 / built-in deadline profile for this item';
COMMENT ON COLUMN taxshare.deadline_rule.offset_days IS
  '周期末之后的天数 / days after the last day of the period';
COMMENT ON COLUMN taxshare.deadline_rule.offset_unit IS
  'calendar 自然日 (遇休息日按 taxshare.due_date_roll_forward 顺延) | working 工作日 / calendar days (rolled forward per taxshare.due_date_roll_forward) or working days';
SELECT pg_catalog.pg_extension_config_dump('taxshare.deadline_rule', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'deadline_rule', 'rawd', 'r', 'r', 'r', 'r', 'r');

-- No foreign keys: the rows are generated from catalog_item and unit by
-- refresh_obligations(), and a per-row check would cost as much as the
-- generation itself (bench/obligations.sql).
CREATE TABLE taxshare.obligation (
  item_code                  text NOT NULL,
  unit_code                  text NOT NULL,
  period_start               date NOT NULL,
  period_end                 date NOT NULL,
  frequency                  text NOT NULL,
  item_version               integer NOT NULL,
  due_date                   date,
  due_missing_year           integer,
  status                     text NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'on_time', 'late', 'missing', 'rectified', 'defective')),
  submissions                integer NOT NULL DEFAULT 0,
  last_submission_id         bigint,
  first_submitted_on         date,
  current_submission_id      bigint,
  current_submission_status  text,
  days_late                  integer,
  working_days_late          integer,
  next_change_on             date,
  evaluated_as_of            date,
  -- the rectification windows, one array element per episode (view rectification_window)
  w_reason                   text[] NOT NULL DEFAULT '{}',
  w_opened                   date[] NOT NULL DEFAULT '{}',
  w_closes                   date[] NOT NULL DEFAULT '{}',
  w_state                    text[] NOT NULL DEFAULT '{}',
  w_rectified                date[] NOT NULL DEFAULT '{}',
  w_by                       bigint[] NOT NULL DEFAULT '{}',
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_code, unit_code, period_start),
  CHECK (period_end >= period_start),
  CHECK (due_date IS NOT NULL OR due_missing_year IS NOT NULL)
);
-- What a refresh looks for: rows to evaluate again (next_change_on,
-- evaluated_as_of), not yet due or with an unknown due date.
CREATE INDEX obligation_next_change ON taxshare.obligation (next_change_on)
  WHERE next_change_on IS NOT NULL;
CREATE INDEX obligation_evaluated ON taxshare.obligation (evaluated_as_of);
CREATE INDEX obligation_due ON taxshare.obligation (due_date);
CREATE INDEX obligation_due_unknown ON taxshare.obligation (due_missing_year)
  WHERE due_date IS NULL;
COMMENT ON TABLE taxshare.obligation IS
  '报送义务: 每个目录条目 x 提供单位 x 报送期一行, 含截止日与按报送情况得出的状态 (由 refresh_obligations() 维护) / '
  'reporting obligations: one row per catalog item x providing unit x period, with the due date and the state derived from the submissions (maintained by refresh_obligations())';
COMMENT ON COLUMN taxshare.obligation.item_version IS
  '产生该义务的目录版本 (该期开始时有效的版本) / catalog item version in force that made the period owed';
COMMENT ON COLUMN taxshare.obligation.due_date IS
  '报送截止日 (当日报送为按时); 为空表示所需年份尚无节假日数据 / due date (reporting on it is on time); NULL while the calendar lacks a year it needs';
COMMENT ON COLUMN taxshare.obligation.due_missing_year IS
  '截止日未定时缺少节假日数据的年份 / the year without holiday data that leaves the due date unknown';
COMMENT ON COLUMN taxshare.obligation.status IS
  'pending 未到期未报, on_time 按时, late 超过整改期限才报送或改正, missing 逾期未报, rectified 在 5 个工作日内整改到位, defective 当前报送被退回或有错误 / see docs/deadlines.md';
COMMENT ON COLUMN taxshare.obligation.submissions IS
  '评估时计入的报送批次数 (截至 evaluated_as_of 平台已接收) / submissions counted at the last evaluation (received by the platform by evaluated_as_of)';
COMMENT ON COLUMN taxshare.obligation.first_submitted_on IS
  '单位首次报送日 (交换平台接收日, 无则平台接收日); 迟报天数由此计算 / day the unit first reported (exchange receipt, else platform receipt); lateness counts from it';
COMMENT ON COLUMN taxshare.obligation.days_late IS
  '迟报自然日数 (未报时计至评估日) / calendar days late (up to the evaluation day while nothing is reported)';
COMMENT ON COLUMN taxshare.obligation.working_days_late IS
  '迟报工作日数 = working_days_between(due_date, 报送日) / working days late';
COMMENT ON COLUMN taxshare.obligation.next_change_on IS
  '状态仅因时间推移而变化的最早日期 (到期次日、整改期满次日); -infinity 表示报送或截止日已变、待重新评估 / earliest day on which time alone changes the state; -infinity: submissions or due date changed, to be evaluated again';
COMMENT ON COLUMN taxshare.obligation.evaluated_as_of IS
  '最近一次评估所依据的日期 / the as_of day of the last evaluation';
SELECT pg_catalog.pg_extension_config_dump('taxshare.obligation', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'obligation', 'rawd', 'r', 'r', 'r', 'r', '');

COMMENT ON COLUMN taxshare.obligation.w_reason IS
  '各整改期的原因 (见 rectification_window) / reason of each rectification window (see rectification_window)';

CREATE VIEW taxshare.rectification_window AS
  SELECT o.item_code, o.unit_code, o.period_start, w.episode::integer AS episode, w.reason,
         w.opened_on, w.closes_on, w.state, w.rectified_on, w.rectified_by
    FROM taxshare.obligation o
   CROSS JOIN LATERAL unnest(o.w_reason, o.w_opened, o.w_closes, o.w_state, o.w_rectified, o.w_by)
         WITH ORDINALITY AS w(reason, opened_on, closes_on, state, rectified_on, rectified_by, episode);
COMMENT ON VIEW taxshare.rectification_window IS
  '整改期: 逾期未报或报送被退回/有错误时开启, 5 个工作日内须整改 (衡阳办法第三十一条第(二)项) / '
  'rectification windows: opened when a due date passes with nothing reported or a submission is rejected or has errors; must be put right within 5 working days (seeds/000 art. 31 (二))';
COMMENT ON COLUMN taxshare.rectification_window.episode IS
  '同一义务的第几次需整改 / number of the defect episode within the obligation';
COMMENT ON COLUMN taxshare.rectification_window.reason IS
  'missing 逾期未报, rejected 报送被退回, accepted_with_errors 报送有错误 / what opened the window';
COMMENT ON COLUMN taxshare.rectification_window.opened_on IS
  '开启日: 逾期未报为截止日, 退回为平台接收日 / opening day: the due date when nothing was reported, the platform''s receipt day of a rejected or error-laden submission';
COMMENT ON COLUMN taxshare.rectification_window.closes_on IS
  '整改期最后一天 = add_working_days(opened_on, 5); 为空表示所需年份尚无节假日数据 / last day to put it right; NULL while the calendar lacks the year';
COMMENT ON COLUMN taxshare.rectification_window.state IS
  'open 整改中, met 按期整改, missed 未按期整改 (扣分) / open, met (put right in time), missed (a deduction)';
COMMENT ON COLUMN taxshare.rectification_window.rectified_on IS
  '整改到位日 (单位重新报送日) / day it was put right (the unit''s resubmission day)';
COMMENT ON COLUMN taxshare.rectification_window.rectified_by IS
  '整改到位的报送批次 / the accepted submission that put it right';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'rectification_window', 'r', 'r', 'r', 'r', 'r', '');

-- Which obligations' submissions changed since the last refresh.  Statement
-- triggers on taxshare.submission only append keys here (no lock on the
-- obligation, so the intake never waits for a running refresh);
-- refresh_obligations() deletes what it sees and evaluates those obligations
-- again.  Rows of transactions still in progress stay for the next refresh.
CREATE TABLE taxshare.obligation_change (
  item_code     text NOT NULL,
  unit_code     text NOT NULL,
  period_start  date NOT NULL
);
COMMENT ON TABLE taxshare.obligation_change IS
  '内部队列: 报送批次变更过的 (条目, 单位, 报送期), 由 refresh_obligations() 消费 / '
  'internal queue: the (item, unit, period) keys whose submissions changed, consumed by refresh_obligations()';
INSERT INTO taxshare.privilege_plan VALUES ('table', 'obligation_change', 'rawd', 'r', 'r', 'r', 'r', '');

-- SECURITY DEFINER: whoever may submit may queue the key, without any right
-- on the queue itself.
CREATE FUNCTION taxshare._obligation_note_change() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  -- A restore (a COPY into submission) brings the obligations as they were
  -- evaluated: nothing to look at again.
  IF TG_OP = 'INSERT' AND taxshare._ledger_restoring(TG_RELID) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO taxshare.obligation_change (item_code, unit_code, period_start)
    SELECT DISTINCT c.item_code, c.unit_code, c.period_start
      FROM (SELECT n.item_code, n.unit_code, n.period_start, n.additive FROM submission_new n
            UNION ALL
            SELECT o.item_code, o.unit_code, o.period_start, o.additive FROM submission_old o) c
     WHERE NOT c.additive;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO taxshare.obligation_change (item_code, unit_code, period_start)
    SELECT DISTINCT n.item_code, n.unit_code, n.period_start FROM submission_new n WHERE NOT n.additive;
  ELSE
    INSERT INTO taxshare.obligation_change (item_code, unit_code, period_start)
    SELECT DISTINCT o.item_code, o.unit_code, o.period_start FROM submission_old o WHERE NOT o.additive;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare._obligation_note_change() IS
  '触发器: 记下报送批次变更涉及的报送义务, 供下次 refresh_obligations() 重新评估 / '
  'trigger: notes the obligations whose submissions changed, for the next refresh_obligations() to evaluate again';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_obligation_note_change()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE TRIGGER submission_obligation_insert AFTER INSERT ON taxshare.submission
  REFERENCING NEW TABLE AS submission_new
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare._obligation_note_change();
CREATE TRIGGER submission_obligation_update AFTER UPDATE ON taxshare.submission
  REFERENCING OLD TABLE AS submission_old NEW TABLE AS submission_new
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare._obligation_note_change();
CREATE TRIGGER submission_obligation_delete AFTER DELETE ON taxshare.submission
  REFERENCING OLD TABLE AS submission_old
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare._obligation_note_change();
