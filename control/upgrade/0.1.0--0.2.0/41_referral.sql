-- #19 §1: referrals (移送) as cases, with receipt, result and closure
-- (control/install/85_referral.sql, whose text this repeats), their two
-- parameters in taxshare.risk_param, the key to warning_task
-- (88_warning.sql), their row-level security (95_security.sql), and the
-- risk list's last column, the entity's open referral (86_risk_list.sql,
-- 96_access.sql: the view is recreated as 96_access.sql leaves it).
ALTER TABLE taxshare.risk_param DROP CONSTRAINT risk_param_name_check;
ALTER TABLE taxshare.risk_param ADD CONSTRAINT risk_param_name_check CHECK (name IN (
                 'weight.points', 'weight.amount', 'weight.severity', 'weight.social',
                 'points.full', 'amount.floor', 'amount.full',
                 'grade.medium', 'grade.high',
                 'propagation.decay', 'propagation.hops', 'propagation.min', 'propagation.blacklist',
                 'propagation.role.legal_rep', 'propagation.role.finance_head',
                 'propagation.role.tax_handler', 'propagation.role.investor',
                 'response.verification_amount',
                 'warning.push_before_day', 'warning.push_month_offset',
                 'warning.receive_working_days', 'warning.cycle_days', 'warning.max_cycles',
                 'warning.deduction_points',
                 'referral.receive_working_days', 'referral.result_days'));
INSERT INTO taxshare.risk_param (name, value, description) VALUES
  ('referral.receive_working_days', 3, '移送后接收机关接收的工作日时限 (参照第二十条第(二)项 3个工作日) / working days the receiving body has to receive a referral (as art. 20 (二): 3)'),
  ('referral.result_days', 60, '接收后反馈处理结果的天数 (两个 30 天周期, 参照第十八条) / days from the receipt to the result (two 30-day cycles, as art. 18)');

CREATE TABLE taxshare.referral (
  id                  bigserial PRIMARY KEY,
  entity_id           bigint NOT NULL REFERENCES taxshare.entity (id),
  to_agency           text NOT NULL CHECK (to_agency IN ('inspection', 'police', 'court', 'department')),
  to_unit             text REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  reason              text NOT NULL CHECK (btrim(reason) <> ''),
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received', 'decided', 'closed')),
  opened_at           timestamptz NOT NULL,
  opened_by           text NOT NULL,
  receive_due         date,
  received_at         timestamptz,
  received_by         text,
  result_due          date,
  result              text CHECK (result IN ('filed', 'not_filed', 'recovered', 'penalized')),
  result_reason       text,
  amount              numeric(18,2) CHECK (amount >= 0),
  result_at           timestamptz,
  result_by           text,
  closed_at           timestamptz,
  closed_by           text,
  close_note          text,
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT referral_department_unit CHECK (to_agency <> 'department' OR to_unit IS NOT NULL),
  CONSTRAINT referral_received CHECK ((status = 'open') = (received_at IS NULL)),
  CONSTRAINT referral_received_after CHECK (received_at >= opened_at),
  CONSTRAINT referral_decided CHECK ((status IN ('decided', 'closed')) = (result IS NOT NULL)),
  CONSTRAINT referral_result_after CHECK (result_at >= received_at),
  CONSTRAINT referral_not_filed_reason CHECK (result IS DISTINCT FROM 'not_filed' OR btrim(result_reason) <> ''),
  CONSTRAINT referral_recovered_amount CHECK (result IS DISTINCT FROM 'recovered' OR amount > 0),
  CONSTRAINT referral_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CONSTRAINT referral_closed_after CHECK (closed_at >= result_at)
);
CREATE INDEX referral_entity_open ON taxshare.referral (entity_id) WHERE status <> 'closed';
COMMENT ON TABLE taxshare.referral IS
  '移送案件: 向税务稽查、公安经侦、法院或其他部门移送的风险案源, 含接收、处理结果和结案 (衡阳办法第二十条第(四)项, 税费共治意见第六条) / '
  'referrals: risk cases referred to the tax inspection bureau, the police, a court or another department, with receipt, result and closure (seeds/000 art. 20 (四), seeds/004 art. 6)';
COMMENT ON COLUMN taxshare.referral.entity_id IS '被移送的主体 / the entity referred';
COMMENT ON COLUMN taxshare.referral.to_agency IS
  '接收机关: inspection 税务稽查, police 公安经侦, court 法院, department 其他部门 (须指明单位) / the receiving body: tax inspection, police, court, or another department (named in to_unit)';
COMMENT ON COLUMN taxshare.referral.to_unit IS
  '接收单位代码 (其他部门必填) / the receiving unit in taxshare.unit (required for another department)';
COMMENT ON COLUMN taxshare.referral.reason IS '移送理由 / why the case is referred';
COMMENT ON COLUMN taxshare.referral.status IS
  'open 已移送, received 已接收, decided 已有处理结果, closed 已结案 / referred, received, result known, closed';
COMMENT ON COLUMN taxshare.referral.opened_at IS '移送时间 / when referred';
COMMENT ON COLUMN taxshare.referral.opened_by IS '移送人 / who referred it';
COMMENT ON COLUMN taxshare.referral.receive_due IS
  '接收期限 (移送时确定并保存) / the receipt deadline, stored when referred';
COMMENT ON COLUMN taxshare.referral.received_at IS '接收时间 / when the receiving body received it';
COMMENT ON COLUMN taxshare.referral.received_by IS '接收人 / who received it';
COMMENT ON COLUMN taxshare.referral.result_due IS
  '处理结果期限 (接收时确定并保存) / the result deadline, stored when received';
COMMENT ON COLUMN taxshare.referral.result IS
  '处理结果: filed 立案, not_filed 不予立案 (须说明理由), recovered 追缴 (须填金额), penalized 处罚 / '
  'the result: case filed, not filed (with the reason), taxes recovered (with the amount), penalty imposed';
COMMENT ON COLUMN taxshare.referral.result_reason IS '结果说明 (不予立案的理由) / the result''s explanation (why not filed)';
COMMENT ON COLUMN taxshare.referral.amount IS
  '追缴税款或罚款金额 (元) / the amount recovered or the penalty imposed (yuan)';
COMMENT ON COLUMN taxshare.referral.result_at IS '结果时间 / when the result was given';
COMMENT ON COLUMN taxshare.referral.result_by IS '登记结果的人 / who recorded the result';
COMMENT ON COLUMN taxshare.referral.closed_at IS '结案时间 / when closed';
COMMENT ON COLUMN taxshare.referral.closed_by IS '结案人 / who closed it';
COMMENT ON COLUMN taxshare.referral.close_note IS '结案说明 / closing note';
COMMENT ON COLUMN taxshare.referral.recorded_at IS
  '移送登记入库时间 (补录时晚于移送时间) / when the referral was recorded (later than opened_at when entered afterwards)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.referral', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.referral_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'referral', 'rawd', 'r', 'raw', '', '', '');

-- What a referral rests on: suspicions (疑点) and warning tasks, of the entity
-- referred.  The key to warning_task is added in 88_warning.sql, after that
-- table exists.
CREATE TABLE taxshare.referral_basis (
  referral_id      bigint NOT NULL REFERENCES taxshare.referral (id) ON DELETE CASCADE,
  suspicion_id     bigint REFERENCES taxshare.suspicion (id),
  warning_task_id  bigint,
  CONSTRAINT referral_basis_one CHECK ((suspicion_id IS NULL) <> (warning_task_id IS NULL)),
  CONSTRAINT referral_basis_suspicion_once UNIQUE (referral_id, suspicion_id),
  CONSTRAINT referral_basis_task_once UNIQUE (referral_id, warning_task_id)
);
COMMENT ON TABLE taxshare.referral_basis IS
  '移送依据: 所依据的疑点或预警任务 (每行一个) / what a referral rests on: one suspicion or warning task per row';
COMMENT ON COLUMN taxshare.referral_basis.suspicion_id IS '依据的疑点 / a suspicion the referral rests on';
COMMENT ON COLUMN taxshare.referral_basis.warning_task_id IS '依据的预警任务 / a warning task the referral rests on';
SELECT pg_catalog.pg_extension_config_dump('taxshare.referral_basis', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'referral_basis', 'rawd', 'r', 'ra', '', '', '');

-- ---------------------------------------------------------------------------
-- Deadlines and checks
-- ---------------------------------------------------------------------------

-- A referral parameter as an integer.
CREATE FUNCTION taxshare._referral_param(name text) RETURNS integer
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT p.value::integer FROM taxshare.risk_param p WHERE p.name = $1 $$;
COMMENT ON FUNCTION taxshare._referral_param(text) IS
  '内部: 移送参数 (整数) / internal: a referral parameter as an integer';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_referral_param(text)', 'X', 'X', 'X', '', '', '');

-- A deadline: n working days after a day (working) or n days after it moved
-- off a day off (calendar); empty while the calendar lacks the year.
CREATE FUNCTION taxshare._referral_due(day date, n integer, working boolean) RETURNS date
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF day IS NULL THEN
    RETURN NULL;
  END IF;
  IF working THEN
    RETURN taxshare.add_working_days(day, n);
  ELSIF current_setting('taxshare.due_date_roll_forward', true) IS DISTINCT FROM 'off' THEN
    RETURN taxshare.add_working_days(day + n, 0);
  END IF;
  RETURN day + n;
EXCEPTION WHEN invalid_parameter_value THEN
  IF SQLERRM NOT LIKE 'no holiday data for year %' THEN
    RAISE;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare._referral_due(date, integer, boolean) IS
  '内部: 移送期限 (n 个工作日后, 或 n 天后遇休息日顺延; 缺少该年节假日安排时为空) / '
  'internal: a referral deadline (n working days after, or n days after moved off a day off; empty while the calendar lacks the year)';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_referral_due(date, integer, boolean)', 'X', 'X', 'X', '', '', '');

-- A step's time: now, or when it happened (never in the future).
CREATE FUNCTION taxshare._referral_at(at timestamptz) RETURNS timestamptz
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF at IS NULL THEN
    RETURN now();
  END IF;
  IF at > now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'cannot record a referral step at "%", which is in the future', at
      USING ERRCODE = '22023', HINT = 'Leave "at" out to record the step now, or give the time it happened.';
  END IF;
  RETURN at;
END
$$;
COMMENT ON FUNCTION taxshare._referral_at(timestamptz) IS
  '内部: 步骤时间 (默认当前, 补录时为实际时间, 不得晚于当前) / internal: the time of a step (now, or when it happened; never in the future)';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_referral_at(timestamptz)', 'X', '', 'X', '', '', '');

-- The referral, locked, or an error.
CREATE FUNCTION taxshare._referral_get(referral_id bigint) RETURNS taxshare.referral
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r taxshare.referral;
BEGIN
  SELECT * INTO r FROM taxshare.referral x WHERE x.id = referral_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'referral % does not exist', referral_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.referral_ledger.';
  END IF;
  RETURN r;
END
$$;
COMMENT ON FUNCTION taxshare._referral_get(bigint) IS
  '内部: 锁定并返回移送案件, 不存在时报错 / internal: lock and return a referral, or raise that it does not exist';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_referral_get(bigint)', 'X', '', 'X', '', '', '');

-- ---------------------------------------------------------------------------
-- The steps
-- ---------------------------------------------------------------------------
CREATE FUNCTION taxshare.referral_open(entity_id bigint, to_agency text, reason text,
                                       suspicion_ids bigint[] DEFAULT NULL, warning_task_ids bigint[] DEFAULT NULL,
                                       to_unit text DEFAULT NULL, actor text DEFAULT NULL,
                                       at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  t timestamptz := taxshare._referral_at(referral_open.at);
  bad bigint;
  new_id bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM taxshare.entity e WHERE e.id = referral_open.entity_id) THEN
    RAISE EXCEPTION 'unknown entity %', coalesce(referral_open.entity_id::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Refer an entity of taxshare.entity (the entity_id of taxshare.risk_list).';
  END IF;
  IF referral_open.to_agency IS NULL
     OR referral_open.to_agency NOT IN ('inspection', 'police', 'court', 'department') THEN
    RAISE EXCEPTION 'unknown receiving agency "%"', referral_open.to_agency
      USING ERRCODE = '22023',
            HINT = 'The agency is inspection (税务稽查), police (公安经侦), court (法院) or department (another department, named by to_unit).';
  END IF;
  IF referral_open.to_unit IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = referral_open.to_unit AND u.active) THEN
    RAISE EXCEPTION 'unknown or inactive unit "%"', referral_open.to_unit
      USING ERRCODE = '22023', HINT = 'Name the receiving body by the code of an active unit in taxshare.unit.';
  END IF;
  IF referral_open.to_agency = 'department' AND referral_open.to_unit IS NULL THEN
    RAISE EXCEPTION 'a referral to another department needs the department'
      USING ERRCODE = '22023', HINT = 'Pass to_unit => the code of the receiving unit in taxshare.unit.';
  END IF;
  IF btrim(coalesce(referral_open.reason, '')) = '' THEN
    RAISE EXCEPTION 'a referral needs its reason'
      USING ERRCODE = '22023', HINT = 'Pass reason => the suspected offence (e.g. 逃避缴纳税款, 虚开发票).';
  END IF;
  IF coalesce(cardinality(referral_open.suspicion_ids), 0) + coalesce(cardinality(referral_open.warning_task_ids), 0) = 0 THEN
    RAISE EXCEPTION 'a referral needs the suspicions or warning tasks it rests on'
      USING ERRCODE = '22023',
            HINT = 'Pass suspicion_ids => ids of taxshare.suspicion and/or warning_task_ids => ids of taxshare.warning_task, of this entity.';
  END IF;
  SELECT x INTO bad FROM unnest(referral_open.suspicion_ids) x
   WHERE x IS NULL OR NOT EXISTS (SELECT 1 FROM taxshare.suspicion s
                                   WHERE s.id = x AND s.entity_id = referral_open.entity_id)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'suspicion % is not a suspicion of entity %', coalesce(bad::text, 'NULL'), referral_open.entity_id
      USING ERRCODE = '22023', HINT = 'Name suspicions of the entity referred (taxshare.suspicion.entity_id).';
  END IF;
  SELECT x INTO bad FROM unnest(referral_open.warning_task_ids) x
   WHERE x IS NULL OR NOT EXISTS (SELECT 1 FROM taxshare.warning_task k
                                   WHERE k.id = x AND k.entity_id = referral_open.entity_id)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'warning task % is not a task of entity %', coalesce(bad::text, 'NULL'), referral_open.entity_id
      USING ERRCODE = '22023', HINT = 'Name warning tasks about the entity referred (taxshare.warning_task.entity_id).';
  END IF;

  INSERT INTO taxshare.referral (entity_id, to_agency, to_unit, reason, opened_at, opened_by, receive_due)
  VALUES (referral_open.entity_id, referral_open.to_agency, referral_open.to_unit, referral_open.reason, t,
          coalesce(referral_open.actor, session_user),
          taxshare._referral_due(taxshare._cst_day(t), taxshare._referral_param('referral.receive_working_days'), true))
  RETURNING id INTO new_id;
  INSERT INTO taxshare.referral_basis (referral_id, suspicion_id)
  SELECT DISTINCT new_id, x FROM unnest(referral_open.suspicion_ids) x;
  INSERT INTO taxshare.referral_basis (referral_id, warning_task_id)
  SELECT DISTINCT new_id, x FROM unnest(referral_open.warning_task_ids) x;
  PERFORM taxshare._referral_ledger(new_id, 'referral_open');
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.referral_open(bigint, text, text, bigint[], bigint[], text, text, timestamptz) IS
  '移送: 将主体按所依据的疑点或预警任务移送税务稽查 (inspection)、公安经侦 (police)、法院 (court) 或其他部门 (department, 须指明单位); 返回移送编号 / '
  'refer an entity, on the suspicions or warning tasks named, to the tax inspection bureau, the police, a court or another department (named by to_unit); returns the referral id';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'referral_open(bigint, text, text, bigint[], bigint[], text, text, timestamp with time zone)', 'X', '', 'X', '', '', '');

CREATE FUNCTION taxshare.referral_receive(referral_id bigint, actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  t timestamptz := taxshare._referral_at(referral_receive.at);
  r taxshare.referral := taxshare._referral_get(referral_receive.referral_id);
  due date;
BEGIN
  IF r.status <> 'open' THEN
    RAISE EXCEPTION 'referral % was already received', r.id
      USING ERRCODE = '55000', DETAIL = format('received at %s by %s', r.received_at, r.received_by),
            HINT = 'A referral is received once.';
  END IF;
  IF t < r.opened_at THEN
    RAISE EXCEPTION 'referral % cannot be received at %, before it was referred at %', r.id, t, r.opened_at
      USING ERRCODE = '22023', HINT = 'Give the time the receiving body actually received it.';
  END IF;
  due := coalesce(r.receive_due,
                  taxshare._referral_due(taxshare._cst_day(r.opened_at),
                                         taxshare._referral_param('referral.receive_working_days'), true));
  UPDATE taxshare.referral
     SET status = 'received', received_at = t, received_by = coalesce(referral_receive.actor, session_user),
         receive_due = due,
         result_due = taxshare._referral_due(taxshare._cst_day(t), taxshare._referral_param('referral.result_days'), false)
   WHERE id = r.id;
  PERFORM taxshare._referral_ledger(r.id, 'referral_receive');
  RETURN taxshare._cst_day(t) <= due;
END
$$;
COMMENT ON FUNCTION taxshare.referral_receive(bigint, text, timestamptz) IS
  '接收: 登记接收机关接收移送案件; 返回是否在期限内 (referral.receive_working_days 个工作日) / '
  'record that the receiving body received a referral; returns whether within referral.receive_working_days working days';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'referral_receive(bigint, text, timestamp with time zone)', 'X', '', 'X', '', '', '');

CREATE FUNCTION taxshare.referral_result(referral_id bigint, result text, reason text DEFAULT NULL,
                                         amount numeric DEFAULT NULL, actor text DEFAULT NULL,
                                         at timestamptz DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  t timestamptz := taxshare._referral_at(referral_result.at);
  r taxshare.referral := taxshare._referral_get(referral_result.referral_id);
BEGIN
  IF r.status = 'open' THEN
    RAISE EXCEPTION 'referral % has not been received yet', r.id
      USING ERRCODE = '55000', HINT = 'Record the receipt with taxshare.referral_receive() first.';
  END IF;
  IF r.status <> 'received' THEN
    RAISE EXCEPTION 'referral % already has its result (%)', r.id, r.result
      USING ERRCODE = '55000', DETAIL = format('at %s by %s', r.result_at, r.result_by),
            HINT = 'A referral has one result; close it with taxshare.referral_close().';
  END IF;
  IF referral_result.result IS NULL OR referral_result.result NOT IN ('filed', 'not_filed', 'recovered', 'penalized') THEN
    RAISE EXCEPTION 'invalid referral result "%"', referral_result.result
      USING ERRCODE = '22023',
            HINT = 'The result is filed (立案), not_filed (不予立案, with the reason), recovered (追缴, with the amount) or penalized (处罚).';
  END IF;
  IF referral_result.result = 'not_filed' AND btrim(coalesce(referral_result.reason, '')) = '' THEN
    RAISE EXCEPTION 'result "not_filed" needs the reason the case was not filed'
      USING ERRCODE = '22023', HINT = 'Pass reason => why the receiving body did not open a case.';
  END IF;
  IF referral_result.result = 'recovered' AND coalesce(referral_result.amount, 0) <= 0 THEN
    RAISE EXCEPTION 'result "recovered" needs the amount recovered'
      USING ERRCODE = '22023', HINT = 'Pass amount => the taxes, late fees and fines recovered, in yuan.';
  END IF;
  IF referral_result.amount < 0 THEN
    RAISE EXCEPTION 'invalid amount %', referral_result.amount
      USING ERRCODE = '22023', HINT = 'An amount is zero or more yuan.';
  END IF;
  IF t < r.received_at THEN
    RAISE EXCEPTION 'referral % cannot have a result at %, before it was received at %', r.id, t, r.received_at
      USING ERRCODE = '22023', HINT = 'Give the time the result was given.';
  END IF;
  UPDATE taxshare.referral
     SET status = 'decided', result = referral_result.result, result_reason = referral_result.reason,
         amount = referral_result.amount, result_at = t,
         result_by = coalesce(referral_result.actor, session_user)
   WHERE id = r.id;
  PERFORM taxshare._referral_ledger(r.id, 'referral_result');
  RETURN taxshare._cst_day(t) <= coalesce(r.result_due,
                                          taxshare._referral_due(taxshare._cst_day(r.received_at),
                                                                 taxshare._referral_param('referral.result_days'), false));
END
$$;
COMMENT ON FUNCTION taxshare.referral_result(bigint, text, text, numeric, text, timestamptz) IS
  '处理结果: filed 立案, not_filed 不予立案 (须说明理由), recovered 追缴 (须填金额), penalized 处罚 (可填罚款金额); 返回是否在期限内 / '
  'record the result: case filed, not filed (with the reason), taxes recovered (with the amount), penalty imposed (with the amount if known); returns whether within the result deadline';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'referral_result(bigint, text, text, numeric, text, timestamp with time zone)', 'X', '', 'X', '', '', '');

CREATE FUNCTION taxshare.referral_close(referral_id bigint, note text DEFAULT NULL, actor text DEFAULT NULL,
                                        at timestamptz DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  t timestamptz := taxshare._referral_at(referral_close.at);
  r taxshare.referral := taxshare._referral_get(referral_close.referral_id);
BEGIN
  IF r.status = 'closed' THEN
    RAISE EXCEPTION 'referral % is already closed', r.id
      USING ERRCODE = '55000', DETAIL = format('at %s by %s', r.closed_at, r.closed_by),
            HINT = 'A referral is closed once.';
  END IF;
  IF r.status <> 'decided' THEN
    RAISE EXCEPTION 'referral % has no result yet', r.id
      USING ERRCODE = '55000', HINT = 'Record the receipt and the result (referral_receive, referral_result) first.';
  END IF;
  IF t < r.result_at THEN
    RAISE EXCEPTION 'referral % cannot be closed at %, before its result at %', r.id, t, r.result_at
      USING ERRCODE = '22023', HINT = 'Give the time the case was closed.';
  END IF;
  UPDATE taxshare.referral
     SET status = 'closed', closed_at = t, closed_by = coalesce(referral_close.actor, session_user),
         close_note = referral_close.note
   WHERE id = r.id;
  PERFORM taxshare._referral_ledger(r.id, 'referral_close');
END
$$;
COMMENT ON FUNCTION taxshare.referral_close(bigint, text, text, timestamptz) IS
  '结案: 有处理结果后关闭移送案件 / close a referral once its result is known';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'referral_close(bigint, text, text, timestamp with time zone)', 'X', '', 'X', '', '', '');

-- The ledger entry of a step, built from the referral as stored (so a caller
-- can only record what the table holds).  SECURITY DEFINER: ledger_append()
-- is granted to no one.  The entry's text says it all and its digest covers
-- the step's data; ledger_verify() checks the chain.
CREATE FUNCTION taxshare._referral_ledger(referral_id bigint, step text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  r taxshare.referral;
  basis jsonb;
BEGIN
  SELECT * INTO r FROM taxshare.referral x WHERE x.id = referral_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  CASE step
  WHEN 'referral_open' THEN
    SELECT jsonb_build_object('suspicions', coalesce(jsonb_agg(b.suspicion_id ORDER BY b.suspicion_id)
                                                     FILTER (WHERE b.suspicion_id IS NOT NULL), '[]'),
                              'tasks', coalesce(jsonb_agg(b.warning_task_id ORDER BY b.warning_task_id)
                                                FILTER (WHERE b.warning_task_id IS NOT NULL), '[]'))
      INTO basis FROM taxshare.referral_basis b WHERE b.referral_id = r.id;
    PERFORM taxshare.ledger_append(step,
      format('referral %s opened: entity %s to %s%s, by %s', r.id, r.entity_id, r.to_agency,
             coalesce(' ' || r.to_unit, ''), r.opened_by),
      taxshare._ledger_sha256(jsonb_build_array(r.id, r.entity_id, r.to_agency, r.to_unit, r.reason, basis,
                                                taxshare._ledger_utc(r.opened_at), r.opened_by, r.receive_due)::text));
  WHEN 'referral_receive' THEN
    PERFORM taxshare.ledger_append(step, format('referral %s received by %s', r.id, r.received_by),
      taxshare._ledger_sha256(jsonb_build_array(r.id, taxshare._ledger_utc(r.received_at), r.received_by,
                                                r.receive_due, r.result_due)::text));
  WHEN 'referral_result' THEN
    PERFORM taxshare.ledger_append(step, format('referral %s result: %s%s, by %s', r.id, r.result,
                                                coalesce(' ' || r.amount, ''), r.result_by),
      taxshare._ledger_sha256(jsonb_build_array(r.id, r.result, r.result_reason, r.amount,
                                                taxshare._ledger_utc(r.result_at), r.result_by)::text));
  WHEN 'referral_close' THEN
    PERFORM taxshare.ledger_append(step, format('referral %s closed by %s', r.id, r.closed_by),
      taxshare._ledger_sha256(jsonb_build_array(r.id, r.close_note, taxshare._ledger_utc(r.closed_at),
                                                r.closed_by)::text));
  END CASE;
END
$$;
COMMENT ON FUNCTION taxshare._referral_ledger(bigint, text) IS
  '内部: 把移送案件的一个环节 (移送、接收、结果、结案) 按表中所存记入台账 / internal: appends a referral step (open, receive, result, close) to the ledger, as the table holds it';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_referral_ledger(bigint, text)', 'X', '', 'X', '', '', '');

-- ---------------------------------------------------------------------------
-- The ledger of referrals (台账).  Days in China Standard Time, written out
-- (taxshare._cst_day() is created later, in 88_warning.sql).
-- ---------------------------------------------------------------------------
CREATE VIEW taxshare.referral_ledger AS
  SELECT r.id AS referral_id, r.entity_id, e.name AS entity_name, r.to_agency, r.to_unit, r.reason,
         b.suspicion_ids, b.warning_task_ids,
         r.status,
         CASE
           WHEN r.status = 'closed' THEN 'closed'
           WHEN r.status = 'decided' THEN 'decided'
           WHEN r.status = 'received' AND c.today > d.result_due THEN 'result_overdue'
           WHEN r.status = 'received' THEN 'in_progress'
           WHEN c.today > d.receive_due THEN 'receipt_overdue'
           ELSE 'awaiting_receipt'
         END AS state,
         r.opened_at, r.opened_by,
         d.receive_due, r.received_at, r.received_by,
         CASE WHEN r.received_at IS NOT NULL THEN (r.received_at AT TIME ZONE 'Asia/Shanghai')::date <= d.receive_due
              WHEN c.today > d.receive_due THEN false END AS receive_met,
         d.result_due, r.result, r.result_reason, r.amount, r.result_at, r.result_by,
         CASE WHEN r.result_at IS NOT NULL THEN (r.result_at AT TIME ZONE 'Asia/Shanghai')::date <= d.result_due
              WHEN c.today > d.result_due THEN false END AS result_met,
         r.closed_at, r.closed_by, r.close_note
    FROM taxshare.referral r
    JOIN taxshare.entity e ON e.id = r.entity_id
    CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS today) c
    CROSS JOIN LATERAL (
      SELECT coalesce(r.receive_due,
                      taxshare._referral_due((r.opened_at AT TIME ZONE 'Asia/Shanghai')::date,
                                             taxshare._referral_param('referral.receive_working_days'), true))
               AS receive_due,
             coalesce(r.result_due,
                      taxshare._referral_due((r.received_at AT TIME ZONE 'Asia/Shanghai')::date,
                                             taxshare._referral_param('referral.result_days'), false))
               AS result_due) d
    LEFT JOIN LATERAL (
      SELECT array_agg(x.suspicion_id ORDER BY x.suspicion_id) FILTER (WHERE x.suspicion_id IS NOT NULL)
               AS suspicion_ids,
             array_agg(x.warning_task_id ORDER BY x.warning_task_id) FILTER (WHERE x.warning_task_id IS NOT NULL)
               AS warning_task_ids
        FROM taxshare.referral_basis x WHERE x.referral_id = r.id) b ON true;
COMMENT ON VIEW taxshare.referral_ledger IS
  '移送台账: 每个移送案件的依据、接收机关、各环节时间与经办人、接收和结果期限及是否按期、处理结果与金额 / '
  'the referral ledger: each referral with its basis, receiving body, each step''s time and actor, the receipt and result deadlines and whether they were met, the result and the amount';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'referral_ledger', 'r', 'r', 'r', '', '', '');

-- A referral (85_referral.sql) may rest on warning tasks: the key is added
-- here, after warning_task exists.
ALTER TABLE taxshare.referral_basis
  ADD CONSTRAINT referral_basis_warning_task_id_fkey FOREIGN KEY (warning_task_id) REFERENCES taxshare.warning_task (id);

-- Referrals (85_referral.sql): the office and the tax bureau open them and
-- record their steps (the receiving bodies - inspection, police, courts - are
-- not users); the analysis group reads them.  Units see nothing.
DO $$
BEGIN
  IF pg_catalog.to_regclass('taxshare.referral') IS NULL THEN
    RETURN;
  END IF;
  ALTER TABLE taxshare.referral ENABLE ROW LEVEL SECURITY;
  CREATE POLICY referral_office ON taxshare.referral FOR ALL TO taxshare_admin, taxshare_tax
    USING (true) WITH CHECK (true);
  CREATE POLICY referral_analyst_read ON taxshare.referral FOR SELECT TO taxshare_analyst USING (true);
  ALTER TABLE taxshare.referral_basis ENABLE ROW LEVEL SECURITY;
  CREATE POLICY referral_basis_office ON taxshare.referral_basis FOR ALL TO taxshare_admin, taxshare_tax
    USING (true) WITH CHECK (true);
  CREATE POLICY referral_basis_analyst_read ON taxshare.referral_basis FOR SELECT TO taxshare_analyst USING (true);
END
$$;

CREATE OR REPLACE VIEW taxshare.risk_list WITH (security_invoker = true) AS
  SELECT s.period_start,
         s.rank,
         s.grade,
         s.score,
         s.entity_id,
         e.kind,
         CASE WHEN e.kind = 'person' AND NOT (SELECT taxshare.has_clearance())
              THEN taxshare.mask_name(e.name) ELSE e.name END AS name,
         e.uscc,
         CASE WHEN (SELECT taxshare.has_clearance()) THEN e.idcard
              ELSE taxshare.mask_idcard(e.idcard) END AS idcard,
         e.orgcode,
         CASE WHEN e.kind = 'person' AND NOT (SELECT taxshare.has_clearance())
              THEN taxshare.mask_idcard(e.taxpayer_id) ELSE e.taxpayer_id END AS taxpayer_id,
         e.region,
         s.points,
         s.amount,
         s.severity,
         s.social_impact,
         s.monitoring,
         s.blacklisted,
         s.propagated,
         s.own_score,
         s.own_grade,
         s.response,
         taxshare.risk_reason(s.reason_code, s.amount, s.monitoring, s.detail) AS response_reason,
         taxshare.risk_breakdown(s.detail) AS breakdown,
         s.graded_at,
         (SELECT max(r.id) FROM taxshare.referral r
           WHERE r.entity_id = s.entity_id AND r.status <> 'closed') AS open_referral_id
    FROM taxshare.risk_score s
    JOIN taxshare.entity e ON e.id = s.entity_id;
COMMENT ON COLUMN taxshare.risk_list.open_referral_id IS
  '该主体未结案的移送案件 (最近一件, 见 referral_ledger) / the entity''s open referral (the latest; see referral_ledger)';

-- Views run with the caller's rights (95_security.sql sets this on every view).
ALTER VIEW taxshare.referral_ledger SET (security_invoker = true);

SELECT taxshare._privileges_apply();
