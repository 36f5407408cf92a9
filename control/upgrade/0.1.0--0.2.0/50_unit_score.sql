-- #18: the units' score (control/install/92_unit_score.sql, whose text this repeats).

-- The units' score (考核, seeds/000 art. 30-34; DOMAIN.md "Scoring the units"):
-- 100 points a year in four parts, counted monthly, evaluated quarterly,
-- totalled yearly.  Every deduction is one row of deduction_event (61), with
-- the evidence it comes from; this part records the facts the organisation,
-- duty and confidentiality parts need (contacts are in unit_contact, 20),
-- the disputes of deductions and the office's decisions on them, and the
-- stored score unit_score written by unit_score_compute().  Guide:
-- docs/unit_score.md.
--
--   organisation 组织领导 20: no leader in charge -5, no liaison -10 (once a
--                year each), a change not filed within the window -5 each
--                (art. 10, 31 (一));
--   reporting    信息报送 40: -2 per item and time not put right within 5
--                working days (art. 31 (二); written by refresh_obligations);
--   duty         履职尽责 20: -2 per unanswered warning (warning_sweep), per
--                unanswered or refused office request, per missed meeting
--                (art. 31 (三));
--   confidentiality 保密管理 20: a serious incident takes the whole part
--                (art. 29, 31 (四)).
-- Each part is floored at 0 ("扣完为止"), over the period scored.

-- The evidence of a deduction: the id of the row it comes from, in the table
-- that source names (unit_contact, office_request, meeting_invite, incident).
-- The detail text, which the ledger's deduction entry covers, names it too.
ALTER TABLE taxshare.deduction_event ADD COLUMN evidence_id bigint;
COMMENT ON COLUMN taxshare.deduction_event.evidence_id IS
  '证据行的编号, 所在表由 source 指明 (unit_contact, office_request, meeting_invite, incident); 报送义务的证据为 (item_code, period_start, episode) / '
  'id of the evidence row in the table named by source; an obligation''s evidence is (item_code, period_start, episode)';
COMMENT ON COLUMN taxshare.deduction_event.reason IS
  '原因代码: missing 逾期未报, rejected 报送被退回, accepted_with_errors 报送有错误, warning_unanswered 预警未按期反馈, '
  'no_leader 未明确分管领导, no_liaison 未明确信息联络员, contact_late 人员变更未及时报备, request_unanswered 工作要求未按期办理, '
  'request_refused 拒不办理工作要求, meeting_missed 无故缺席会议, incident_serious 严重泄密或数据管理事故 / reason code';
COMMENT ON COLUMN taxshare.deduction_event.source IS
  '产生事件的模块或证据表: obligation, warning, organisation, unit_contact, office_request, meeting_invite, incident / module or evidence table that recorded the event';
-- One deduction per piece of evidence and reason, however often the sweep runs.
CREATE UNIQUE INDEX deduction_event_evidence ON taxshare.deduction_event (source, reason, evidence_id)
  WHERE evidence_id IS NOT NULL;
-- The organisation conditions count once a year (period_start: 1 January).
CREATE UNIQUE INDEX deduction_event_yearly ON taxshare.deduction_event (unit_code, reason, period_start)
  WHERE source = 'organisation';
CREATE INDEX deduction_event_date ON taxshare.deduction_event (event_date);

-- Parameters of the score: the office's choices where the measures leave one.
CREATE TABLE taxshare.unit_score_param (
  name         text PRIMARY KEY CHECK (name IN ('contact.filing_working_days', 'dispute.working_days',
                                                'request.working_days', 'meeting.record_working_days',
                                                'score.exclude_related')),
  value        integer NOT NULL CHECK (value >= 0 AND value <= 366),
  description  text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  updated_by   text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE taxshare.unit_score_param IS
  '单位考核参数 (市财源办确定) / parameters of the units'' score, chosen by the office';
COMMENT ON COLUMN taxshare.unit_score_param.name IS '参数名 / parameter name';
COMMENT ON COLUMN taxshare.unit_score_param.value IS '参数值 (整数) / value (a whole number)';
COMMENT ON COLUMN taxshare.unit_score_param.description IS '说明 / what it means';
COMMENT ON COLUMN taxshare.unit_score_param.updated_at IS '修改时间 / when it was last changed';
COMMENT ON COLUMN taxshare.unit_score_param.updated_by IS '修改人 / who changed it';
INSERT INTO taxshare.unit_score_param (name, value, description) VALUES
  ('contact.filing_working_days', 5,
   '分管领导或联络员变更须在变更后几个工作日内报备 (第十条"及时", 市财源办确定为 5) / working days after a change of leader or liaison within which it must be filed (art. 10 says "in time"; the office''s choice: 5)'),
  ('dispute.working_days', 10,
   '单位对扣分提出异议的期限 (工作日, 自扣分登记起) / working days a unit has to dispute a deduction, from when it was recorded'),
  ('request.working_days', 5,
   '工作要求未指定期限时的办理期限 (工作日) / working days to answer an office request when no due date is given'),
  ('meeting.record_working_days', 2,
   '会后登记出席情况的期限 (工作日), 逾期未登记视为缺席 / working days after a meeting to record attendance; unrecorded invitees then count as absent'),
  ('score.exclude_related', 0,
   '1: 税费共治关联单位不参加考核; 0: 参加 / 1: related units (kind related) are not scored; 0: they are');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'unit_score_param', 'rw', 'r', 'r', 'r', 'r', '');

-- pg_dump keeps the parameters (the office may have changed them); restoring
-- them into a fresh install, which has the defaults, updates those rows.
CREATE FUNCTION taxshare._unit_score_param_replace() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE taxshare.unit_score_param
       SET value = NEW.value, description = NEW.description, updated_at = NEW.updated_at, updated_by = NEW.updated_by
     WHERE name = NEW.name;
    IF FOUND THEN
      RETURN NULL;
    END IF;
  ELSIF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    -- A change: stamped now.  The UPDATE above, a restore's INSERT of an
    -- existing name, brings the row's own time and author instead.
    NEW.updated_at := now();
    NEW.updated_by := session_user;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare._unit_score_param_replace() IS
  '触发器: 插入已有参数名即更新该行 (pg_dump 恢复不冲突), 修改时记录修改人和时间 / '
  'trigger: inserting an existing name updates that row (a pg_dump restore never conflicts); an update records who changed it when';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_unit_score_param_replace()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER unit_score_param_replace BEFORE INSERT OR UPDATE ON taxshare.unit_score_param
  FOR EACH ROW EXECUTE FUNCTION taxshare._unit_score_param_replace();
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit_score_param', '');

CREATE FUNCTION taxshare._unit_score_setting(name text) RETURNS integer
  LANGUAGE sql STABLE STRICT
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT p.value FROM taxshare.unit_score_param p WHERE p.name = _unit_score_setting.name $$;
COMMENT ON FUNCTION taxshare._unit_score_setting(text) IS
  '内部: 考核参数的值 / internal: the value of a unit score parameter';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_unit_score_setting(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Whether the caller may act for a unit: the office, or a member of the unit.
-- The public functions where a unit acts are SECURITY INVOKER wrappers that
-- pass current_user to a SECURITY DEFINER worker (as in 96_access.sql: a
-- definer sees itself as current_user); the worker asks this first.
CREATE FUNCTION taxshare._unit_score_may_act(caller name, unit text) RETURNS boolean
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, taxshare, pg_temp
  AS $$
BEGIN
  PERFORM taxshare._caller_check(caller);
  RETURN taxshare._office_of(caller) OR _unit_score_may_act.unit = ANY (taxshare._units_of(caller));
END
$$;
COMMENT ON FUNCTION taxshare._unit_score_may_act(name, text) IS
  '内部: 调用角色是否为市财源办或该单位成员 (会话用户须可代表该角色) / internal: whether the calling role is the office or a member of the unit (the session user must be able to act as it)';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_unit_score_may_act(name, text)', '', '', '', '', '', '');

CREATE FUNCTION taxshare._unit_score_check_unit(unit text) RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF unit IS NULL OR NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = _unit_score_check_unit.unit) THEN
    RAISE EXCEPTION 'unknown unit "%"', unit
      USING ERRCODE = '22023',
            HINT = 'Give the code of a unit registered in taxshare.unit.';
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare._unit_score_check_unit(text) IS
  '内部: 单位不存在时报错 (22023) / internal: raises 22023 for an unknown unit';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_unit_score_check_unit(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- ---------------------------------------------------------------------------
-- Organisation: the check of contacts (art. 10, 31 (一))
-- ---------------------------------------------------------------------------
-- A unit must have one current leader in charge and one current liaison
-- (unit_contact_current keeps at most one per role); a change is filed in
-- time when filed within contact.filing_working_days working days of the day
-- the person changed.  The first naming of a role is not a change.
CREATE VIEW taxshare.unit_contact_check WITH (security_invoker = true) AS
  SELECT u.code AS unit_code, u.name AS unit_name, u.kind,
         l.name AS leader, l.filed_at AS leader_filed_at,
         s.name AS liaison, s.filed_at AS liaison_filed_at,
         (l.name IS NOT NULL AND s.name IS NOT NULL) AS complete,
         (SELECT count(*) FROM taxshare.unit_contact c
           WHERE c.unit_code = u.code
             AND EXISTS (SELECT 1 FROM taxshare.unit_contact p
                          WHERE p.unit_code = c.unit_code AND p.role = c.role
                            AND (p.filed_at, p.id) < (c.filed_at, c.id))
             AND taxshare._cst_day(c.filed_at)
                 > taxshare.add_working_days(c.changed_on, taxshare._unit_score_setting('contact.filing_working_days')))
           AS late_changes
    FROM taxshare.unit u
    LEFT JOIN taxshare.unit_contact_current l ON l.unit_code = u.code AND l.role = 'leader'
    LEFT JOIN taxshare.unit_contact_current s ON s.unit_code = u.code AND s.role = 'liaison'
   WHERE u.active AND u.kind <> 'office';
COMMENT ON VIEW taxshare.unit_contact_check IS
  '各单位是否有现任分管领导与信息联络员, 及未及时报备的变更数 (衡阳办法第十条、第三十一条第(一)项) / '
  'whether each unit has a current leader in charge and liaison, and how many changes were filed late (seeds/000 art. 10, 31 (一))';
COMMENT ON COLUMN taxshare.unit_contact_check.complete IS
  '分管领导与联络员均已明确 / both a leader in charge and a liaison are named';
COMMENT ON COLUMN taxshare.unit_contact_check.late_changes IS
  '超过报备期限才报备的变更数 / changes filed after the filing window';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'unit_contact_check', 'r', '', '', '', '', '');

-- ---------------------------------------------------------------------------
-- Duty: office requests (art. 8 ad hoc data, art. 17 assigned work, art. 31 (三))
-- ---------------------------------------------------------------------------
CREATE TABLE taxshare.office_request (
  id              bigserial PRIMARY KEY,
  unit_code       text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  subject         text NOT NULL CHECK (btrim(subject) <> ''),
  detail          text,
  sent_on         date NOT NULL,
  due_on          date NOT NULL,
  sent_by         text NOT NULL DEFAULT session_user,
  sent_at         timestamptz NOT NULL DEFAULT now(),
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'refused')),
  answered_on     date,
  answer          text,
  refused_reason  text,
  closed_by       text,
  closed_at       timestamptz,
  CONSTRAINT office_request_due CHECK (due_on >= sent_on),
  CONSTRAINT office_request_closed CHECK ((status = 'open') = (answered_on IS NULL)),
  CONSTRAINT office_request_refusal CHECK ((status = 'refused') = (refused_reason IS NOT NULL))
);
CREATE INDEX office_request_unit ON taxshare.office_request (unit_code, due_on);
COMMENT ON TABLE taxshare.office_request IS
  '市财源办的工作要求 (临时数据报送、交办的分析工作等), 有按工作日计算的办理期限 (衡阳办法第八、十七、三十一条) / '
  'the office''s requests (ad hoc data, assigned analysis work) with a due date on the working-day calendar (seeds/000 art. 8, 17, 31)';
COMMENT ON COLUMN taxshare.office_request.id IS '编号 / id';
COMMENT ON COLUMN taxshare.office_request.unit_code IS '被要求的单位 / unit asked';
COMMENT ON COLUMN taxshare.office_request.subject IS '事项 / subject';
COMMENT ON COLUMN taxshare.office_request.detail IS '具体要求 / what is asked';
COMMENT ON COLUMN taxshare.office_request.sent_on IS '发出日 / day sent';
COMMENT ON COLUMN taxshare.office_request.due_on IS '办理期限 (当日办结为按期) / due day (answering on it is in time)';
COMMENT ON COLUMN taxshare.office_request.sent_by IS '发出人 / who sent it';
COMMENT ON COLUMN taxshare.office_request.sent_at IS '登记时间 / when it was recorded';
COMMENT ON COLUMN taxshare.office_request.status IS 'open 待办, answered 已办结, refused 拒绝办理 / open, answered, refused';
COMMENT ON COLUMN taxshare.office_request.answered_on IS '办结或拒绝之日 / day answered or refused';
COMMENT ON COLUMN taxshare.office_request.answer IS '办理结果 / the answer';
COMMENT ON COLUMN taxshare.office_request.refused_reason IS '拒绝理由 / reason given for refusing';
COMMENT ON COLUMN taxshare.office_request.closed_by IS '办结或拒绝的登记人 / who recorded the answer or refusal';
COMMENT ON COLUMN taxshare.office_request.closed_at IS '办结或拒绝的登记时间 / when the answer or refusal was recorded';
SELECT pg_catalog.pg_extension_config_dump('taxshare.office_request', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.office_request_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'office_request', 'rawd', 'r', 'r', 'r', '', '');

CREATE FUNCTION taxshare.request_send(unit text, subject text, due date DEFAULT NULL,
                                      detail text DEFAULT NULL, sent_on date DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  sent date := coalesce(request_send.sent_on, taxshare._cst_day(now()));
  d date;
  new_id bigint;
BEGIN
  PERFORM taxshare._unit_score_check_unit(request_send.unit);
  IF request_send.subject IS NULL OR btrim(request_send.subject) = '' THEN
    RAISE EXCEPTION 'request subject must not be empty'
      USING ERRCODE = '22023', HINT = 'Say what the unit is asked to do.';
  END IF;
  d := coalesce(request_send.due, taxshare.add_working_days(sent, taxshare._unit_score_setting('request.working_days')));
  IF d < sent THEN
    RAISE EXCEPTION 'request due % is before it was sent (%)', d, sent
      USING ERRCODE = '22008',
            HINT = 'Give a due day on or after the day sent, or leave it out for the default number of working days.';
  END IF;
  INSERT INTO taxshare.office_request (unit_code, subject, detail, sent_on, due_on)
  VALUES (request_send.unit, btrim(request_send.subject), request_send.detail, sent, d)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.request_send(text, text, date, text, date) IS
  '市财源办向单位发出工作要求; 未给期限时为 request.working_days 个工作日后; 返回编号 / '
  'the office sends a unit a request; without a due day it is due request.working_days working days later; returns its id';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'request_send(text, text, date, text, date)', 'X', '', '', '', '', '');

-- The unit (or the office on its behalf) closes a request: answered, or
-- refused with a reason.  SECURITY DEFINER: a unit writes no table directly.
CREATE FUNCTION taxshare._request_close(caller name, request_id bigint, refuse boolean, note text, on_day date)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  r taxshare.office_request;
  day date := coalesce(on_day, taxshare._cst_day(now()));
BEGIN
  SELECT * INTO r FROM taxshare.office_request x WHERE x.id = request_id FOR UPDATE;
  IF NOT FOUND OR NOT taxshare._unit_score_may_act(caller, r.unit_code) THEN
    RAISE EXCEPTION 'no office request %', request_id
      USING ERRCODE = '22023', HINT = 'Give the id of a request sent to your unit (taxshare.office_request).';
  END IF;
  IF r.status <> 'open' THEN
    RAISE EXCEPTION 'office request % is already %', request_id, r.status
      USING ERRCODE = '55000', HINT = 'A request is answered or refused once.';
  END IF;
  IF day < r.sent_on THEN
    RAISE EXCEPTION 'request % cannot be closed on % before it was sent (%)', request_id, day, r.sent_on
      USING ERRCODE = '22008', HINT = 'Give the day it was answered, on or after the day sent.';
  END IF;
  IF refuse AND (note IS NULL OR btrim(note) = '') THEN
    RAISE EXCEPTION 'a refusal of request % needs a reason', request_id
      USING ERRCODE = '22023', HINT = 'Say why the unit cannot do what is asked.';
  END IF;
  UPDATE taxshare.office_request
     SET status = CASE WHEN refuse THEN 'refused' ELSE 'answered' END,
         answered_on = day,
         answer = CASE WHEN refuse THEN NULL ELSE note END,
         refused_reason = CASE WHEN refuse THEN btrim(note) END,
         closed_by = session_user, closed_at = now()
   WHERE id = request_id;
END
$$;
COMMENT ON FUNCTION taxshare._request_close(name, bigint, boolean, text, date) IS
  '内部: 办结或拒绝工作要求 / internal: closes a request, answered or refused';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_request_close(name, bigint, boolean, text, date)', 'X', '', 'X', 'X', '', '');

CREATE FUNCTION taxshare.request_answer(request_id bigint, answer text DEFAULT NULL, answered_on date DEFAULT NULL)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._request_close(current_user, request_id, false, answer, answered_on) $$;
COMMENT ON FUNCTION taxshare.request_answer(bigint, text, date) IS
  '单位办结工作要求 (晚于期限办结仍计未按期) / the unit answers a request (answered after the due day it still counts as unanswered)';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'request_answer(bigint, text, date)', 'X', '', 'X', 'X', '', '');

CREATE FUNCTION taxshare.request_refuse(request_id bigint, reason text, refused_on date DEFAULT NULL)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._request_close(current_user, request_id, true, reason, refused_on) $$;
COMMENT ON FUNCTION taxshare.request_refuse(bigint, text, date) IS
  '单位拒绝办理工作要求, 须说明理由 (计履职尽责扣分, 可提出异议) / the unit refuses a request with a reason (a duty deduction, which it may dispute)';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'request_refuse(bigint, text, date)', 'X', '', 'X', 'X', '', '');

-- ---------------------------------------------------------------------------
-- Duty: meetings (art. 31 (三) "无故不参加会议")
-- ---------------------------------------------------------------------------
CREATE TABLE taxshare.meeting (
  id           bigserial PRIMARY KEY,
  held_on      date NOT NULL,
  subject      text NOT NULL CHECK (btrim(subject) <> ''),
  held_by      text NOT NULL DEFAULT session_user,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.meeting IS
  '市财源办召集的会议 / meetings called by the office';
COMMENT ON COLUMN taxshare.meeting.id IS '编号 / id';
COMMENT ON COLUMN taxshare.meeting.held_on IS '会议日期 / day of the meeting';
COMMENT ON COLUMN taxshare.meeting.subject IS '议题 / subject';
COMMENT ON COLUMN taxshare.meeting.held_by IS '登记人 / who recorded it';
COMMENT ON COLUMN taxshare.meeting.recorded_at IS '登记时间 / when it was recorded';
SELECT pg_catalog.pg_extension_config_dump('taxshare.meeting', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.meeting_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'meeting', 'rawd', 'r', 'r', 'r', '', '');

CREATE TABLE taxshare.meeting_invite (
  id           bigserial PRIMARY KEY,
  meeting_id   bigint NOT NULL REFERENCES taxshare.meeting (id),
  unit_code    text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  attendance   text CHECK (attendance IN ('attended', 'excused', 'absent')),
  excuse       text,
  recorded_by  text,
  recorded_at  timestamptz,
  UNIQUE (meeting_id, unit_code),
  CONSTRAINT meeting_invite_excuse CHECK ((attendance = 'excused') = (excuse IS NOT NULL AND btrim(excuse) <> ''))
);
CREATE INDEX meeting_invite_unit ON taxshare.meeting_invite (unit_code);
COMMENT ON TABLE taxshare.meeting_invite IS
  '会议通知的单位及出席情况 / the units invited to a meeting and whether each attended';
COMMENT ON COLUMN taxshare.meeting_invite.id IS '编号 (扣分证据) / id (evidence of a deduction)';
COMMENT ON COLUMN taxshare.meeting_invite.meeting_id IS '会议 / the meeting';
COMMENT ON COLUMN taxshare.meeting_invite.unit_code IS '受邀单位 / unit invited';
COMMENT ON COLUMN taxshare.meeting_invite.attendance IS
  'attended 出席, excused 请假 (有理由), absent 无故缺席; 空为尚未登记 / attended, excused (with a reason), absent; NULL not yet recorded';
COMMENT ON COLUMN taxshare.meeting_invite.excuse IS '请假理由 / reason of an excused absence';
COMMENT ON COLUMN taxshare.meeting_invite.recorded_by IS '出席情况登记人 / who recorded the attendance';
COMMENT ON COLUMN taxshare.meeting_invite.recorded_at IS '出席情况登记时间 / when the attendance was recorded';
SELECT pg_catalog.pg_extension_config_dump('taxshare.meeting_invite', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.meeting_invite_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'meeting_invite', 'rawd', 'r', 'r', 'r', '', '');

CREATE FUNCTION taxshare.meeting_hold(held_on date, subject text, units text[])
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  bad text;
  new_id bigint;
BEGIN
  IF held_on IS NULL THEN
    RAISE EXCEPTION 'meeting day must be given' USING ERRCODE = '22023', HINT = 'Give the day of the meeting.';
  END IF;
  IF subject IS NULL OR btrim(subject) = '' THEN
    RAISE EXCEPTION 'meeting subject must not be empty' USING ERRCODE = '22023', HINT = 'Say what the meeting is about.';
  END IF;
  IF units IS NULL OR cardinality(units) = 0 THEN
    RAISE EXCEPTION 'a meeting needs invited units' USING ERRCODE = '22023', HINT = 'List the codes of the units invited.';
  END IF;
  SELECT x INTO bad FROM unnest(units) x
   WHERE x IS NULL OR NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = x) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'unknown unit "%"', bad
      USING ERRCODE = '22023', HINT = 'Invite units registered in taxshare.unit.';
  END IF;
  INSERT INTO taxshare.meeting (held_on, subject) VALUES (meeting_hold.held_on, btrim(meeting_hold.subject))
  RETURNING id INTO new_id;
  INSERT INTO taxshare.meeting_invite (meeting_id, unit_code)
  SELECT DISTINCT new_id, x FROM unnest(units) x;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.meeting_hold(date, text, text[]) IS
  '登记市财源办召集的会议及受邀单位; 返回编号 / records a meeting of the office and the units invited; returns its id';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'meeting_hold(date, text, text[])', 'X', '', '', '', '', '');

CREATE FUNCTION taxshare.meeting_attend(meeting_id bigint, unit text, attended boolean DEFAULT true,
                                        excuse text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  PERFORM taxshare._unit_score_check_unit(unit);
  IF attended IS NULL THEN
    RAISE EXCEPTION 'attended must be true or false' USING ERRCODE = '22023',
      HINT = 'true: the unit attended; false: absent, excused when a reason is given.';
  END IF;
  UPDATE taxshare.meeting_invite i
     SET attendance = CASE WHEN meeting_attend.attended THEN 'attended'
                           WHEN btrim(coalesce(meeting_attend.excuse, '')) <> '' THEN 'excused'
                           ELSE 'absent' END,
         excuse = CASE WHEN NOT meeting_attend.attended AND btrim(coalesce(meeting_attend.excuse, '')) <> ''
                       THEN btrim(meeting_attend.excuse) END,
         recorded_by = session_user, recorded_at = now()
   WHERE i.meeting_id = meeting_attend.meeting_id AND i.unit_code = meeting_attend.unit;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unit "%" was not invited to meeting %', unit, meeting_id
      USING ERRCODE = '22023', HINT = 'Record attendance for the units listed by meeting_hold() (taxshare.meeting_invite).';
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare.meeting_attend(bigint, text, boolean, text) IS
  '登记单位出席情况: 出席, 请假 (给出理由), 或无故缺席 (扣 2 分) / records a unit''s attendance: attended, excused (with a reason) or absent (-2)';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'meeting_attend(bigint, text, boolean, text)', 'X', '', '', '', '', '');

-- ---------------------------------------------------------------------------
-- Confidentiality: the incident register (art. 29, 31 (四))
-- ---------------------------------------------------------------------------
CREATE TABLE taxshare.incident (
  id            bigserial PRIMARY KEY,
  unit_code     text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  occurred_on   date NOT NULL,
  description   text NOT NULL CHECK (btrim(description) <> ''),
  serious       boolean NOT NULL,
  measures      text,
  referral      text,
  recorded_by   text NOT NULL DEFAULT session_user,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_unit ON taxshare.incident (unit_code, occurred_on);
COMMENT ON TABLE taxshare.incident IS
  '泄密与数据管理事故登记 (衡阳办法第二十九条、第三十一条第(四)项); 造成严重后果的该部分不得分 / '
  'register of leaks and data mismanagement (seeds/000 art. 29, 31 (四)); one with serious consequences takes the whole confidentiality part';
COMMENT ON COLUMN taxshare.incident.id IS '编号 / id';
COMMENT ON COLUMN taxshare.incident.unit_code IS '责任单位 / unit responsible';
COMMENT ON COLUMN taxshare.incident.occurred_on IS '发生日 / day it happened';
COMMENT ON COLUMN taxshare.incident.description IS '经过 / what happened';
COMMENT ON COLUMN taxshare.incident.serious IS '是否造成严重后果 / whether it had serious consequences';
COMMENT ON COLUMN taxshare.incident.measures IS '采取的措施 / measures taken';
COMMENT ON COLUMN taxshare.incident.referral IS '移送情况 (如移送纪检监察机关) / referral, e.g. to the discipline authorities';
COMMENT ON COLUMN taxshare.incident.recorded_by IS '登记人 / who recorded it';
COMMENT ON COLUMN taxshare.incident.recorded_at IS '登记时间 / when it was recorded';
SELECT pg_catalog.pg_extension_config_dump('taxshare.incident', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.incident_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'incident', 'rawd', '', '', 'r', '', '');

CREATE FUNCTION taxshare.incident_record(unit text, occurred_on date, description text, serious boolean,
                                         measures text DEFAULT NULL, referral text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  new_id bigint;
  en boolean := current_setting('taxshare.language', true) = 'en';
BEGIN
  PERFORM taxshare._unit_score_check_unit(unit);
  IF occurred_on IS NULL OR occurred_on > taxshare._cst_day(now()) THEN
    RAISE EXCEPTION 'incident day % is missing or in the future', occurred_on
      USING ERRCODE = '22008', HINT = 'Give the day the incident happened.';
  END IF;
  IF description IS NULL OR btrim(description) = '' THEN
    RAISE EXCEPTION 'incident description must not be empty' USING ERRCODE = '22023', HINT = 'Say what happened.';
  END IF;
  IF serious IS NULL THEN
    RAISE EXCEPTION 'say whether the incident was serious' USING ERRCODE = '22023',
      HINT = 'serious => true takes the whole confidentiality part (art. 31 (四)).';
  END IF;
  INSERT INTO taxshare.incident (unit_code, occurred_on, description, serious, measures, referral)
  VALUES (unit, occurred_on, btrim(description), serious, measures, referral)
  RETURNING id INTO new_id;
  IF serious THEN
    INSERT INTO taxshare.deduction_event (unit_code, part, event_date, reason, points, source, evidence_id, detail)
    VALUES (unit, 'confidentiality', occurred_on, 'incident_serious', -20, 'incident', new_id,
            CASE WHEN en THEN format('incident %s on %s with serious consequences: the confidentiality part is 0 (art. 31 (4))',
                                     new_id, to_char(occurred_on, 'YYYY-MM-DD'))
                 ELSE format('事故 %s (%s) 造成严重后果, 保密管理部分不得分 (衡阳办法第三十一条第(四)项)',
                             new_id, to_char(occurred_on, 'YYYY-MM-DD')) END);
  END IF;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.incident_record(text, date, text, boolean, text, text) IS
  '登记泄密或数据管理事故 (仅市财源办与管理员); 严重的扣完保密管理 20 分; 返回编号 / '
  'records a leak or data mismanagement (the office and administrators only); a serious one takes the 20 points of the confidentiality part; returns its id';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'incident_record(text, date, text, boolean, text, text)', 'X', '', '', '', '', '');

-- ---------------------------------------------------------------------------
-- Disputes and the office's decisions
-- ---------------------------------------------------------------------------
CREATE TABLE taxshare.deduction_dispute (
  id            bigserial PRIMARY KEY,
  deduction_id  bigint NOT NULL UNIQUE REFERENCES taxshare.deduction_event (id),
  unit_code     text NOT NULL,
  reason        text NOT NULL CHECK (btrim(reason) <> ''),
  filed_by      text NOT NULL DEFAULT session_user,
  filed_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.deduction_dispute IS
  '单位对扣分的异议 (每个扣分至多一次, 须在 dispute.working_days 个工作日内) / a unit''s dispute of a deduction (once per deduction, within dispute.working_days working days)';
COMMENT ON COLUMN taxshare.deduction_dispute.id IS '编号 / id';
COMMENT ON COLUMN taxshare.deduction_dispute.deduction_id IS '被异议的扣分 / the deduction disputed';
COMMENT ON COLUMN taxshare.deduction_dispute.unit_code IS '提出异议的单位 / unit disputing';
COMMENT ON COLUMN taxshare.deduction_dispute.reason IS '异议理由 / grounds';
COMMENT ON COLUMN taxshare.deduction_dispute.filed_by IS '提出人 / who filed it';
COMMENT ON COLUMN taxshare.deduction_dispute.filed_at IS '提出时间 / when it was filed';
SELECT pg_catalog.pg_extension_config_dump('taxshare.deduction_dispute', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.deduction_dispute_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'deduction_dispute', 'rawd', 'r', 'r', 'r', '', '');

CREATE TABLE taxshare.deduction_decision (
  dispute_id  bigint PRIMARY KEY REFERENCES taxshare.deduction_dispute (id),
  decision    text NOT NULL CHECK (decision IN ('upheld', 'cancelled')),
  reason      text NOT NULL CHECK (btrim(reason) <> ''),
  decided_by  text NOT NULL DEFAULT session_user,
  decided_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.deduction_decision IS
  '市财源办对扣分异议的决定: upheld 维持, cancelled 撤销 (该扣分不再计分) / the office''s decision on a dispute: upheld, or cancelled (the deduction no longer counts)';
COMMENT ON COLUMN taxshare.deduction_decision.dispute_id IS '异议 / the dispute';
COMMENT ON COLUMN taxshare.deduction_decision.decision IS 'upheld 维持, cancelled 撤销 / upheld or cancelled';
COMMENT ON COLUMN taxshare.deduction_decision.reason IS '决定理由 / reason of the decision';
COMMENT ON COLUMN taxshare.deduction_decision.decided_by IS '决定人 / who decided';
COMMENT ON COLUMN taxshare.deduction_decision.decided_at IS '决定时间 / when';
SELECT pg_catalog.pg_extension_config_dump('taxshare.deduction_decision', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'deduction_decision', 'rawd', 'r', 'r', 'r', '', '');

-- The deductions that count: every event except those the office cancelled.
CREATE VIEW taxshare.deduction_effective WITH (security_invoker = true) AS
  SELECT d.id, d.unit_code, d.part, d.event_date, d.reason, d.points, d.source, d.evidence_id,
         d.item_code, d.period_start, d.episode, d.detail, d.created_at,
         x.id AS dispute_id, coalesce(c.decision, CASE WHEN x.id IS NOT NULL THEN 'open' END) AS dispute_state
    FROM taxshare.deduction_event d
    LEFT JOIN taxshare.deduction_dispute x ON x.deduction_id = d.id
    LEFT JOIN taxshare.deduction_decision c ON c.dispute_id = x.id
   WHERE c.decision IS DISTINCT FROM 'cancelled';
COMMENT ON VIEW taxshare.deduction_effective IS
  '计分的扣分事件 (撤销的除外), 含异议状态 / the deductions that count (cancelled ones left out), with the state of any dispute';
COMMENT ON COLUMN taxshare.deduction_effective.dispute_state IS
  '异议状态: 空 无异议, open 待决定, upheld 维持 / dispute: none, open, upheld';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'deduction_effective', 'r', 'r', 'r', 'r', '', '');

-- SECURITY DEFINER: a unit files for its own deductions and writes no table
-- directly; the ledger records the dispute (ledger_append is granted to no one).
CREATE FUNCTION taxshare._deduction_dispute(caller name, deduction_id bigint, reason text)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  d taxshare.deduction_event;
  last_day date;
  prior text;
  new_id bigint;
BEGIN
  SELECT * INTO d FROM taxshare.deduction_event e WHERE e.id = _deduction_dispute.deduction_id;
  IF NOT FOUND OR NOT taxshare._unit_score_may_act(caller, d.unit_code) THEN
    RAISE EXCEPTION 'no deduction %', deduction_id
      USING ERRCODE = '22023', HINT = 'Give the id of a deduction of your unit (taxshare.deduction_effective).';
  END IF;
  PERFORM 1 FROM taxshare.deduction_event e WHERE e.id = d.id FOR KEY SHARE;
  SELECT coalesce(c.decision, 'open') INTO prior
    FROM taxshare.deduction_dispute x LEFT JOIN taxshare.deduction_decision c ON c.dispute_id = x.id
   WHERE x.deduction_id = d.id;
  IF prior = 'cancelled' THEN
    RAISE EXCEPTION 'deduction % is cancelled', d.id
      USING ERRCODE = '55000', HINT = 'A cancelled deduction no longer counts; there is nothing to dispute.';
  ELSIF prior IS NOT NULL THEN
    RAISE EXCEPTION 'deduction % is already disputed (%)', d.id, prior
      USING ERRCODE = '55000', HINT = 'A deduction is disputed once; the office''s decision is final here.';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'a dispute needs its grounds' USING ERRCODE = '22023',
      HINT = 'Say why the deduction is wrong.';
  END IF;
  last_day := taxshare.add_working_days(greatest(d.event_date, taxshare._cst_day(d.created_at)),
                                        taxshare._unit_score_setting('dispute.working_days'));
  IF taxshare._cst_day(now()) > last_day THEN
    RAISE EXCEPTION 'the time to dispute deduction % ended on %', d.id, last_day
      USING ERRCODE = '55000',
            HINT = format('Disputes are filed within %s working days of the deduction (parameter dispute.working_days).',
                          taxshare._unit_score_setting('dispute.working_days'));
  END IF;
  INSERT INTO taxshare.deduction_dispute (deduction_id, unit_code, reason)
  VALUES (d.id, d.unit_code, btrim(reason))
  RETURNING id INTO new_id;
  PERFORM taxshare.ledger_append('deduction_dispute',
                                 format('deduction dispute %s on deduction %s by unit %s', new_id, d.id, d.unit_code),
                                 taxshare._ledger_sha256(jsonb_build_array(new_id, d.id, d.unit_code, btrim(reason),
                                                                           session_user)::text));
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare._deduction_dispute(name, bigint, text) IS
  '内部: 登记扣分异议 / internal: files a dispute of a deduction';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_deduction_dispute(name, bigint, text)', 'X', '', 'X', 'X', '', '');

CREATE FUNCTION taxshare.deduction_dispute(deduction_id bigint, reason text)
RETURNS bigint
LANGUAGE sql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._deduction_dispute(current_user, deduction_id, reason) $$;
COMMENT ON FUNCTION taxshare.deduction_dispute(bigint, text) IS
  '单位对本单位的扣分提出异议 (dispute.working_days 个工作日内, 每个扣分一次); 返回编号 / '
  'a unit disputes one of its deductions (within dispute.working_days working days, once per deduction); returns the dispute id';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'deduction_dispute(bigint, text)', 'X', '', 'X', 'X', '', '');

CREATE FUNCTION taxshare._deduction_decide(caller name, dispute_id bigint, decision text, reason text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  x taxshare.deduction_dispute;
BEGIN
  PERFORM taxshare._caller_check(caller);
  IF NOT taxshare._office_of(caller) THEN
    RAISE EXCEPTION 'only the office decides disputes of deductions'
      USING ERRCODE = '42501', HINT = 'Ask the city finance office (taxshare_admin).';
  END IF;
  SELECT * INTO x FROM taxshare.deduction_dispute d WHERE d.id = _deduction_decide.dispute_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no deduction dispute %', dispute_id
      USING ERRCODE = '22023', HINT = 'Give an id of taxshare.deduction_dispute.';
  END IF;
  IF decision IS NULL OR decision NOT IN ('upheld', 'cancelled') THEN
    RAISE EXCEPTION 'invalid decision "%"', decision
      USING ERRCODE = '22023', HINT = 'The decision is "upheld" (维持) or "cancelled" (撤销).';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'a decision needs its reason' USING ERRCODE = '22023', HINT = 'Say why.';
  END IF;
  IF EXISTS (SELECT 1 FROM taxshare.deduction_decision c WHERE c.dispute_id = x.id) THEN
    RAISE EXCEPTION 'dispute % is already decided', x.id
      USING ERRCODE = '55000', HINT = 'A dispute is decided once.';
  END IF;
  INSERT INTO taxshare.deduction_decision (dispute_id, decision, reason) VALUES (x.id, decision, btrim(reason));
  PERFORM taxshare.ledger_append('deduction_decision',
                                 format('deduction dispute %s on deduction %s: %s', x.id, x.deduction_id, decision),
                                 taxshare._ledger_sha256(jsonb_build_array(x.id, x.deduction_id, decision, btrim(reason),
                                                                           session_user)::text));
END
$$;
COMMENT ON FUNCTION taxshare._deduction_decide(name, bigint, text, text) IS
  '内部: 登记对扣分异议的决定 / internal: records the decision on a dispute';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_deduction_decide(name, bigint, text, text)', 'X', '', '', '', '', '');

CREATE FUNCTION taxshare.deduction_decide(dispute_id bigint, decision text, reason text)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._deduction_decide(current_user, dispute_id, decision, reason) $$;
COMMENT ON FUNCTION taxshare.deduction_decide(bigint, text, text) IS
  '市财源办对扣分异议作出决定: upheld 维持, cancelled 撤销 (该扣分不再计分), 须说明理由 / '
  'the office decides a dispute: upheld, or cancelled (the deduction no longer counts), with a reason';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'deduction_decide(bigint, text, text)', 'X', '', '', '', '', '');

-- ---------------------------------------------------------------------------
-- The facts the sweep turns into deductions
-- ---------------------------------------------------------------------------
-- Organisation, requests, meetings as of a day; idempotent (the unique
-- indexes above).  Returns the number of deductions added per reason.
CREATE FUNCTION taxshare.unit_score_sweep(as_of date DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  day date := coalesce(unit_score_sweep.as_of, taxshare._cst_day(now()));
  y date := date_trunc('year', coalesce(unit_score_sweep.as_of, taxshare._cst_day(now())))::date;
  win integer := taxshare._unit_score_setting('contact.filing_working_days');
  en boolean := current_setting('taxshare.language', true) = 'en';
  n_leader integer;
  n_liaison integer;
  n_late integer;
  n_req integer;
  n_meet integer;
  n_pay jsonb;
BEGIN
  -- no leader / no liaison named at some day of the year up to as_of: once a
  -- year, dated the first day without one (a new unit has the filing window
  -- to name them).  Contacts are never removed, so "without one" is "before
  -- the first filing".
  WITH cond AS (
    SELECT u.code, r.role, r.reason, r.points,
           greatest(y, taxshare.add_working_days(taxshare._cst_day(u.created_at), win) + 1) AS arose_on,
           (SELECT min(taxshare._cst_day(c.filed_at)) FROM taxshare.unit_contact c
             WHERE c.unit_code = u.code AND c.role = r.role) AS first_filed
      FROM taxshare.unit u
     CROSS JOIN (VALUES ('leader', 'no_leader', -5), ('liaison', 'no_liaison', -10)) r(role, reason, points)
     WHERE u.active AND u.kind <> 'office'
  ), ins AS (
    INSERT INTO taxshare.deduction_event (unit_code, part, period_start, event_date, reason, points, source, detail)
    SELECT c.code, 'organisation', y, c.arose_on, c.reason, c.points, 'organisation',
           CASE WHEN en THEN format('%s: no %s named from %s (art. 31 (1)), counted once in %s',
                                    c.code, CASE c.role WHEN 'leader' THEN 'leader in charge' ELSE 'liaison' END,
                                    to_char(c.arose_on, 'YYYY-MM-DD'), to_char(y, 'YYYY'))
                ELSE format('%s 自 %s 起未明确%s (衡阳办法第三十一条第(一)项), %s 年扣一次',
                            c.code, to_char(c.arose_on, 'YYYY-MM-DD'),
                            CASE c.role WHEN 'leader' THEN '分管领导' ELSE '信息联络员' END, to_char(y, 'YYYY')) END
      FROM cond c
     WHERE c.arose_on <= day AND extract(year FROM c.arose_on) = extract(year FROM y)
       AND (c.first_filed IS NULL OR c.first_filed > c.arose_on)
    ON CONFLICT DO NOTHING
    RETURNING reason
  )
  SELECT count(*) FILTER (WHERE reason = 'no_leader'), count(*) FILTER (WHERE reason = 'no_liaison')
    INTO n_leader, n_liaison FROM ins;

  -- a change filed after the window: -5 each, dated the day after the window
  WITH late AS (
    SELECT c.*, taxshare.add_working_days(c.changed_on, win) AS last_day
      FROM taxshare.unit_contact c
     WHERE taxshare._cst_day(c.filed_at) <= day
       AND EXISTS (SELECT 1 FROM taxshare.unit_contact p
                    WHERE p.unit_code = c.unit_code AND p.role = c.role AND (p.filed_at, p.id) < (c.filed_at, c.id))
       AND NOT EXISTS (SELECT 1 FROM taxshare.deduction_event e
                        WHERE e.source = 'unit_contact' AND e.reason = 'contact_late' AND e.evidence_id = c.id)
  ), ins AS (
    INSERT INTO taxshare.deduction_event (unit_code, part, period_start, event_date, reason, points, source,
                                          evidence_id, detail)
    SELECT l.unit_code, 'organisation', date_trunc('year', l.last_day + 1)::date, l.last_day + 1, 'contact_late', -5,
           'unit_contact', l.id,
           CASE WHEN en THEN format('contact change %s (%s, changed %s) filed on %s, after the window ending %s',
                                    l.id, l.role, to_char(l.changed_on, 'YYYY-MM-DD'),
                                    to_char(taxshare._cst_day(l.filed_at), 'YYYY-MM-DD'), to_char(l.last_day, 'YYYY-MM-DD'))
                ELSE format('人员变更 %s (%s, %s 变更) 于 %s 报备, 超过报备期限 %s',
                            l.id, CASE l.role WHEN 'leader' THEN '分管领导' ELSE '信息联络员' END,
                            to_char(l.changed_on, 'YYYY-MM-DD'), to_char(taxshare._cst_day(l.filed_at), 'YYYY-MM-DD'),
                            to_char(l.last_day, 'YYYY-MM-DD')) END
      FROM late l
     WHERE taxshare._cst_day(l.filed_at) > l.last_day
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT count(*) INTO n_late FROM ins;

  -- office requests not answered by their due day, or refused: -2 each
  WITH ins AS (
    INSERT INTO taxshare.deduction_event (unit_code, part, period_start, event_date, reason, points, source,
                                          evidence_id, detail)
    SELECT r.unit_code, 'duty', r.sent_on, x.ev_date, x.reason, -2, 'office_request', r.id,
           CASE WHEN en THEN format('office request %s "%s" (due %s) %s', r.id, r.subject, to_char(r.due_on, 'YYYY-MM-DD'),
                                    CASE x.reason WHEN 'request_refused' THEN 'refused' ELSE 'not answered in time' END)
                ELSE format('工作要求 %s "%s" (期限 %s) %s', r.id, r.subject, to_char(r.due_on, 'YYYY-MM-DD'),
                            CASE x.reason WHEN 'request_refused' THEN '拒不办理' ELSE '未按期办理' END) END
      FROM taxshare.office_request r
     CROSS JOIN LATERAL (
       SELECT CASE WHEN r.status = 'refused' AND r.answered_on <= day THEN 'request_refused'
                   WHEN r.due_on < day AND (r.answered_on IS NULL OR r.answered_on > r.due_on) THEN 'request_unanswered'
              END AS reason,
              CASE WHEN r.status = 'refused' AND r.answered_on <= r.due_on THEN r.answered_on ELSE r.due_on + 1 END AS ev_date) x
     WHERE x.reason IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM taxshare.deduction_event e
                        WHERE e.source = 'office_request' AND e.evidence_id = r.id)
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT count(*) INTO n_req FROM ins;

  -- meetings missed without excuse (or not recorded within the window): -2
  WITH ins AS (
    INSERT INTO taxshare.deduction_event (unit_code, part, period_start, event_date, reason, points, source,
                                          evidence_id, detail)
    SELECT i.unit_code, 'duty', m.held_on, m.held_on, 'meeting_missed', -2, 'meeting_invite', i.id,
           CASE WHEN en THEN format('meeting %s "%s" on %s missed without excuse', m.id, m.subject, to_char(m.held_on, 'YYYY-MM-DD'))
                ELSE format('会议 %s "%s" (%s) 无故缺席', m.id, m.subject, to_char(m.held_on, 'YYYY-MM-DD')) END
      FROM taxshare.meeting_invite i
      JOIN taxshare.meeting m ON m.id = i.meeting_id
     WHERE m.held_on <= day
       AND (i.attendance = 'absent'
            OR (i.attendance IS NULL
                AND taxshare.add_working_days(m.held_on, taxshare._unit_score_setting('meeting.record_working_days')) < day))
       AND NOT EXISTS (SELECT 1 FROM taxshare.deduction_event e
                        WHERE e.source = 'meeting_invite' AND e.evidence_id = i.id)
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT count(*) INTO n_meet FROM ins;

  n_pay := taxshare.payment_warning_sweep(day);

  RETURN jsonb_build_object('no_leader', n_leader, 'no_liaison', n_liaison, 'contact_late', n_late,
                            'requests', n_req, 'meetings', n_meet, 'payment_warnings', n_pay);
END
$$;
COMMENT ON FUNCTION taxshare.unit_score_sweep(date) IS
  '考核巡检 (由 daily_sweep() 调用): 记录组织领导扣分 (未明确分管领导 -5、联络员 -10, 每年一次; 变更未及时报备 -5)、未按期办理或拒绝的工作要求与无故缺席会议 (-2), 并更新财政支付预警; 可重复执行 / '
  'the score sweep (called by daily_sweep()): records organisation deductions (no leader -5, no liaison -10, once a year; a change filed late -5), unanswered or refused requests and missed meetings (-2), and brings the payment warnings up to date; idempotent';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'unit_score_sweep(date)', 'X', '', '', '', '', '');

-- ---------------------------------------------------------------------------
-- The stored score
-- ---------------------------------------------------------------------------
CREATE TABLE taxshare.unit_score (
  period_kind          text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
  period_start         date NOT NULL,
  unit_code            text NOT NULL,
  unit_kind            text NOT NULL,
  listed_apart         boolean NOT NULL,
  organisation         integer NOT NULL CHECK (organisation BETWEEN 0 AND 20),
  reporting            integer NOT NULL CHECK (reporting BETWEEN 0 AND 40),
  duty                 integer NOT NULL CHECK (duty BETWEEN 0 AND 20),
  confidentiality      integer NOT NULL CHECK (confidentiality BETWEEN 0 AND 20),
  total                integer NOT NULL CHECK (total BETWEEN 0 AND 100),
  n_organisation       integer NOT NULL,
  n_reporting          integer NOT NULL,
  n_duty               integer NOT NULL,
  n_confidentiality    integer NOT NULL,
  rank                 integer NOT NULL,
  change               integer,
  computed_at          timestamptz NOT NULL,
  computed_by          text NOT NULL DEFAULT session_user,
  PRIMARY KEY (period_kind, period_start, unit_code)
);
CREATE INDEX unit_score_rank ON taxshare.unit_score (period_kind, period_start, unit_kind, rank);
-- No foreign key: the rows are generated from taxshare.unit by
-- unit_score_compute(), and a per-row check would cost a third of the
-- computation (bench/unit_score.sql).
COMMENT ON TABLE taxshare.unit_score IS
  '单位考核得分: 每单位每期 (月、季、年) 一行, 四部分各自扣完为止, 满分 100 (衡阳办法第三十至三十四条), 由 unit_score_compute() 写入 / '
  'the units'' score: one row per unit and period (month, quarter, year), each of the four parts floored at 0, out of 100 (seeds/000 art. 30-34), written by unit_score_compute()';
COMMENT ON COLUMN taxshare.unit_score.period_kind IS 'month 月, quarter 季, year 年 / kind of period';
COMMENT ON COLUMN taxshare.unit_score.period_start IS '期间第一天 / first day of the period';
COMMENT ON COLUMN taxshare.unit_score.unit_code IS '单位 / unit';
COMMENT ON COLUMN taxshare.unit_score.unit_kind IS '单位类别 (排名按类别分别进行) / kind of unit (ranks are within a kind)';
COMMENT ON COLUMN taxshare.unit_score.listed_apart IS '垂直管理单位 (税务部门), 单独列示 (第三十三条) / vertically managed (the tax bureau), listed apart (art. 33)';
COMMENT ON COLUMN taxshare.unit_score.organisation IS '组织领导 (满分 20) / organisation, out of 20';
COMMENT ON COLUMN taxshare.unit_score.reporting IS '信息报送 (满分 40) / reporting, out of 40';
COMMENT ON COLUMN taxshare.unit_score.duty IS '履职尽责 (满分 20) / duty, out of 20';
COMMENT ON COLUMN taxshare.unit_score.confidentiality IS '保密管理 (满分 20) / confidentiality, out of 20';
COMMENT ON COLUMN taxshare.unit_score.total IS '总分 (满分 100) / total out of 100';
COMMENT ON COLUMN taxshare.unit_score.n_organisation IS '组织领导扣分次数 / number of organisation deductions';
COMMENT ON COLUMN taxshare.unit_score.n_reporting IS '信息报送扣分次数 / number of reporting deductions';
COMMENT ON COLUMN taxshare.unit_score.n_duty IS '履职尽责扣分次数 / number of duty deductions';
COMMENT ON COLUMN taxshare.unit_score.n_confidentiality IS '保密管理扣分次数 / number of confidentiality deductions';
COMMENT ON COLUMN taxshare.unit_score.rank IS '同类单位中的名次 (同分同名次, 1, 1, 3) / rank among units of the same kind (ties share a rank: 1, 1, 3)';
COMMENT ON COLUMN taxshare.unit_score.change IS '较上一期总分的变化 (上一期未计算时为空) / change of the total from the previous period (NULL when that was not computed)';
COMMENT ON COLUMN taxshare.unit_score.computed_at IS '计算时间: 计入此前登记的事实 / when computed: facts recorded up to then count';
COMMENT ON COLUMN taxshare.unit_score.computed_by IS '计算人 / who computed it';
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit_score', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'unit_score', 'rawd', 'r', 'r', 'r', 'r', '');

-- Closed years: their scores no longer move.
CREATE TABLE taxshare.unit_score_year (
  year         integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2200),
  closed       boolean NOT NULL,
  changed_at   timestamptz NOT NULL DEFAULT now(),
  changed_by   text NOT NULL DEFAULT session_user,
  reason       text
);
COMMENT ON TABLE taxshare.unit_score_year IS
  '考核年度的关闭状态: 关闭后得分不再变动, 除非市财源办重新开启 / whether a year''s scores are closed: a closed year does not move unless the office reopens it';
COMMENT ON COLUMN taxshare.unit_score_year.year IS '年度 / year';
COMMENT ON COLUMN taxshare.unit_score_year.closed IS '是否已关闭 / closed';
COMMENT ON COLUMN taxshare.unit_score_year.changed_at IS '关闭或重新开启的时间 / when closed or reopened';
COMMENT ON COLUMN taxshare.unit_score_year.changed_by IS '操作人 / by whom';
COMMENT ON COLUMN taxshare.unit_score_year.reason IS '重新开启的理由 / reason for reopening';
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit_score_year', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'unit_score_year', 'rawd', 'r', 'r', 'r', 'r', '');

CREATE FUNCTION taxshare._unit_score_step(period_kind text) RETURNS interval
  LANGUAGE sql IMMUTABLE STRICT
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT CASE period_kind WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months'
                                WHEN 'year' THEN interval '1 year' END $$;
COMMENT ON FUNCTION taxshare._unit_score_step(text) IS
  '内部: 考核期间的长度 / internal: the length of a scoring period';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_unit_score_step(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare._unit_score_period_end(period_kind text, period_start date) RETURNS date
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF period_kind IS NULL OR period_kind NOT IN ('month', 'quarter', 'year') THEN
    RAISE EXCEPTION 'invalid period kind "%"', period_kind
      USING ERRCODE = '22023', HINT = 'The period kind is "month", "quarter" or "year".';
  END IF;
  IF period_start IS NULL OR period_start <> date_trunc(period_kind, period_start)::date THEN
    RAISE EXCEPTION '% is not the first day of a %', period_start, period_kind
      USING ERRCODE = '22007',
            HINT = 'Give the first day of the period: 2026-01-01, 2026-04-01, ... (date_trunc).';
  END IF;
  RETURN (period_start + taxshare._unit_score_step(period_kind))::date - 1;
END
$$;
COMMENT ON FUNCTION taxshare._unit_score_period_end(text, date) IS
  '内部: 考核期间的最后一天, 期间不合法时报错 / internal: the last day of a scoring period; raises for a bad period';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_unit_score_period_end(text, date)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The score of a period from the stored evidence, counting the facts
-- recorded (and the decisions taken) up to facts_until.  One statement:
-- bench/unit_score.sql holds it to 1.5x a plain GROUP BY of the same rows.
CREATE FUNCTION taxshare.unit_score_calc(period_kind text, period_start date,
                                         facts_until timestamptz DEFAULT NULL)
RETURNS TABLE (unit_code text, unit_kind text, listed_apart boolean,
               organisation integer, reporting integer, duty integer, confidentiality integer, total integer,
               n_organisation integer, n_reporting integer, n_duty integer, n_confidentiality integer,
               rank integer)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
SET plan_cache_mode = force_custom_plan
SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
  -- the bounds are computed first, so that the query is planned with them
  -- (the index on event_date; the planner's estimates); no parallel workers:
  -- starting them costs more than the one pass over a year's rows
  s date := unit_score_calc.period_start;
  e date := taxshare._unit_score_period_end(unit_score_calc.period_kind, unit_score_calc.period_start);
  t timestamptz := coalesce(unit_score_calc.facts_until, 'infinity'::timestamptz);
  no_related boolean := taxshare._unit_score_setting('score.exclude_related') = 1;
BEGIN
  RETURN QUERY
  WITH g AS (
    -- per unit and part first (the cheap grouping of the rows), pivoted
    -- below; the few cancelled deductions are taken off afterwards, which is
    -- cheaper than an anti-join of every row
    SELECT d.unit_code, d.part, sum(d.points) AS pts, count(*) AS n
      FROM taxshare.deduction_event d
     WHERE d.event_date BETWEEN s AND e AND d.created_at <= t
     GROUP BY d.unit_code, d.part
    UNION ALL
    SELECT d.unit_code, d.part, -sum(d.points), -count(*)
      FROM taxshare.deduction_decision c
      JOIN taxshare.deduction_dispute x ON x.id = c.dispute_id
      JOIN taxshare.deduction_event d ON d.id = x.deduction_id
     WHERE c.decision = 'cancelled' AND c.decided_at <= t
       AND d.event_date BETWEEN s AND e AND d.created_at <= t
     GROUP BY d.unit_code, d.part
  ), p AS (
    SELECT g.unit_code,
           sum(g.pts) FILTER (WHERE g.part = 'organisation') AS p_o,
           sum(g.pts) FILTER (WHERE g.part = 'reporting') AS p_r,
           sum(g.pts) FILTER (WHERE g.part = 'duty') AS p_d,
           sum(g.pts) FILTER (WHERE g.part = 'confidentiality') AS p_c,
           sum(g.n) FILTER (WHERE g.part = 'organisation') AS n_o,
           sum(g.n) FILTER (WHERE g.part = 'reporting') AS n_r,
           sum(g.n) FILTER (WHERE g.part = 'duty') AS n_d,
           sum(g.n) FILTER (WHERE g.part = 'confidentiality') AS n_c
      FROM g
     GROUP BY g.unit_code
  ), f AS (
    SELECT u.code, u.kind,
           greatest(20 + coalesce(p.p_o, 0), 0)::integer AS o,
           greatest(40 + coalesce(p.p_r, 0), 0)::integer AS r,
           greatest(20 + coalesce(p.p_d, 0), 0)::integer AS du,
           greatest(20 + coalesce(p.p_c, 0), 0)::integer AS c,
           coalesce(p.n_o, 0)::integer AS n_o, coalesce(p.n_r, 0)::integer AS n_r,
           coalesce(p.n_d, 0)::integer AS n_d, coalesce(p.n_c, 0)::integer AS n_c
      FROM taxshare.unit u
      LEFT JOIN p ON p.unit_code = u.code
     WHERE u.active AND u.kind <> 'office' AND NOT (no_related AND u.kind = 'related')
  )
  SELECT f.code, f.kind, f.kind = 'tax', f.o, f.r, f.du, f.c, f.o + f.r + f.du + f.c,
         f.n_o, f.n_r, f.n_d, f.n_c,
         (rank() OVER (PARTITION BY f.kind ORDER BY f.o + f.r + f.du + f.c DESC))::integer
    FROM f;
END
$$;
COMMENT ON FUNCTION taxshare.unit_score_calc(text, date, timestamptz) IS
  '按已登记的扣分事实计算一个期间的得分 (不写表): 计入 facts_until 之前登记的事实与异议决定; 每部分以满分减本期扣分, 扣完为止 / '
  'the score of a period from the stored evidence, without writing it: facts and dispute decisions recorded up to facts_until count; each part is its full points minus the period''s deductions, floored at 0';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'unit_score_calc(text, date, timestamptz)', 'X', 'X', 'X', '', '', '');

CREATE FUNCTION taxshare.unit_score_compute(period_kind text, period_start date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  e date := taxshare._unit_score_period_end(unit_score_compute.period_kind, unit_score_compute.period_start);
  prev date := (unit_score_compute.period_start - taxshare._unit_score_step(unit_score_compute.period_kind))::date;
  n integer;
BEGIN
  PERFORM 1 FROM taxshare.unit_score_year y
   WHERE y.year = extract(year FROM unit_score_compute.period_start) AND y.closed FOR SHARE;
  IF FOUND THEN
    RAISE EXCEPTION 'the scores of % are closed', extract(year FROM unit_score_compute.period_start)
      USING ERRCODE = '55000',
            HINT = 'A closed year does not move; the office reopens it with taxshare.unit_score_reopen(year, reason).';
  END IF;
  DELETE FROM taxshare.unit_score s
   WHERE s.period_kind = unit_score_compute.period_kind AND s.period_start = unit_score_compute.period_start;
  INSERT INTO taxshare.unit_score (period_kind, period_start, unit_code, unit_kind, listed_apart,
                                   organisation, reporting, duty, confidentiality, total,
                                   n_organisation, n_reporting, n_duty, n_confidentiality, rank, change, computed_at)
  SELECT unit_score_compute.period_kind, unit_score_compute.period_start, c.unit_code, c.unit_kind, c.listed_apart,
         c.organisation, c.reporting, c.duty, c.confidentiality, c.total,
         c.n_organisation, c.n_reporting, c.n_duty, c.n_confidentiality, c.rank,
         c.total - p.total, now()
    FROM taxshare.unit_score_calc(unit_score_compute.period_kind, unit_score_compute.period_start, now()) c
    LEFT JOIN taxshare.unit_score p
      ON p.period_kind = unit_score_compute.period_kind AND p.period_start = prev AND p.unit_code = c.unit_code;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare.unit_score_compute(text, date) IS
  '计算并保存一个期间 (month, quarter, year; period_start 为期初) 全部单位的得分、同类排名与较上期变化; 已关闭的年度报错; 返回行数 / '
  'computes and stores the score of every unit for a period (month, quarter or year starting at period_start), with the rank within its kind and the change from the previous period; refuses a closed year; returns the number of rows';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'unit_score_compute(text, date)', 'X', '', '', '', '', '');

-- Rows where the stored score and a recomputation from the stored evidence
-- (facts recorded up to when it was computed) disagree: empty when they agree.
CREATE FUNCTION taxshare.unit_score_verify(period_kind text, period_start date)
RETURNS TABLE (unit_code text, stored integer, recomputed integer)
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
  WITH st AS (
    SELECT s.* FROM taxshare.unit_score s
     WHERE s.period_kind = unit_score_verify.period_kind AND s.period_start = unit_score_verify.period_start
  ), re AS (
    SELECT c.* FROM taxshare.unit_score_calc(unit_score_verify.period_kind, unit_score_verify.period_start,
                                              (SELECT max(st.computed_at) FROM st)) c
     WHERE EXISTS (SELECT 1 FROM st)
  )
  SELECT coalesce(st.unit_code, re.unit_code), st.total, re.total
    FROM st FULL JOIN re ON re.unit_code = st.unit_code
   WHERE (st.organisation, st.reporting, st.duty, st.confidentiality, st.total,
          st.n_organisation, st.n_reporting, st.n_duty, st.n_confidentiality, st.rank)
         IS DISTINCT FROM
         (re.organisation, re.reporting, re.duty, re.confidentiality, re.total,
          re.n_organisation, re.n_reporting, re.n_duty, re.n_confidentiality, re.rank)
$$;
COMMENT ON FUNCTION taxshare.unit_score_verify(text, date) IS
  '复核: 按计算时已登记的事实重新计算, 列出与保存得分不一致的单位 (一致时为空) / '
  'recomputes a stored period from the facts recorded up to when it was computed and lists the units whose score differs (empty when all agree)';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'unit_score_verify(text, date)', 'X', 'X', 'X', '', '', '');

CREATE FUNCTION taxshare.unit_score_close(year integer)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  IF NOT EXISTS (SELECT 1 FROM taxshare.unit_score s
                  WHERE s.period_kind = 'year' AND s.period_start = make_date(unit_score_close.year, 1, 1)) THEN
    RAISE EXCEPTION 'the scores of % are not computed', year
      USING ERRCODE = '55000', HINT = format('Run taxshare.unit_score_compute(''year'', ''%s-01-01'') first.', year);
  END IF;
  INSERT INTO taxshare.unit_score_year AS y (year, closed) VALUES (unit_score_close.year, true)
  ON CONFLICT (year) DO UPDATE SET closed = true, changed_at = now(), changed_by = session_user, reason = NULL;
END
$$;
COMMENT ON FUNCTION taxshare.unit_score_close(integer) IS
  '关闭考核年度: 此后该年得分不再变动 / closes a year: its scores no longer move';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'unit_score_close(integer)', 'X', '', '', '', '', '');

CREATE FUNCTION taxshare.unit_score_reopen(year integer, reason text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'reopening % needs a reason', year USING ERRCODE = '22023', HINT = 'Say why the year is reopened.';
  END IF;
  UPDATE taxshare.unit_score_year y SET closed = false, changed_at = now(), changed_by = session_user,
         reason = btrim(unit_score_reopen.reason)
   WHERE y.year = unit_score_reopen.year AND y.closed;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the scores of % are not closed', year
      USING ERRCODE = '55000', HINT = 'Only a closed year is reopened (taxshare.unit_score_year).';
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare.unit_score_reopen(integer, text) IS
  '市财源办重新开启已关闭的考核年度 (须说明理由) / the office reopens a closed year, with a reason';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'unit_score_reopen(integer, text)', 'X', '', '', '', '', '');

-- Rows (control/install/95_unit_score_rls.sql).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['office_request', 'meeting_invite', 'incident', 'deduction_dispute', 'unit_score'] LOOP
    EXECUTE format('ALTER TABLE taxshare.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT'
                   ' TO taxshare_analyst, taxshare_tax, taxshare_operator USING (true)',
                   t || '_staff_read', t);
    EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT TO taxshare_unit'
                   ' USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]))',
                   t || '_unit_read', t);
    EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR ALL TO taxshare_admin USING (true) WITH CHECK (true)',
                   t || '_office_write', t);
  END LOOP;
END
$$;
-- A decision is read by whoever may read its dispute.
ALTER TABLE taxshare.deduction_decision ENABLE ROW LEVEL SECURITY;
CREATE POLICY deduction_decision_read ON taxshare.deduction_decision FOR SELECT
  TO taxshare_analyst, taxshare_tax, taxshare_unit
  USING (dispute_id IN (SELECT x.id FROM taxshare.deduction_dispute x));
CREATE POLICY deduction_decision_office_write ON taxshare.deduction_decision FOR ALL TO taxshare_admin
  USING (true) WITH CHECK (true);

SELECT taxshare._privileges_apply();
