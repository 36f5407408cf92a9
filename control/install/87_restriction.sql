-- Restrictions (限制类指令): what the front desk must not do for an entity
-- while a hard risk stands - supply invoices, let a person leave the country,
-- change a registration.  seeds/003: "一旦发现这类信息系统立刻进行两项推送, 一是
-- 推送到前台, 向前台发送限制类指令 ... 不予办理某类业务".  Guide: docs/risk.md,
-- "Restrictions".
--
-- A restriction rests on a basis that is checked: a point of a monitoring
-- indicator (a suspicion of the entity whose rule counts under a monitoring
-- indicator, not excluded), or the decision of an authorised person (named,
-- with the reference of the decision).  The tax bureau and the office issue
-- and lift (members of taxshare_tax or taxshare_admin; anyone else is refused
-- with 42501 and a hint).  Each issue and lift is appended to the ledger.
-- Front-desk systems read restriction_current; the table keeps the history.

CREATE TABLE taxshare.restriction (
  id             bigserial PRIMARY KEY,
  entity_id      bigint NOT NULL REFERENCES taxshare.entity (id),
  kind           text NOT NULL CHECK (kind IN ('invoice_supply', 'exit', 'registration_change')),
  suspicion_id   bigint REFERENCES taxshare.suspicion (id),
  decided_by     text,
  decision_ref   text,
  reason         text NOT NULL CHECK (btrim(reason) <> ''),
  until          date,
  issued_at      timestamptz NOT NULL,
  issued_by      text NOT NULL,
  lifted_at      timestamptz,
  lifted_by      text,
  lift_reason    text,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT restriction_basis CHECK (suspicion_id IS NOT NULL
                                      OR (btrim(decided_by) <> '' AND btrim(decision_ref) <> '')),
  CONSTRAINT restriction_lifted CHECK ((lifted_at IS NULL) = (lifted_by IS NULL)),
  CONSTRAINT restriction_lift_reason CHECK (lifted_at IS NULL OR btrim(lift_reason) <> ''),
  CONSTRAINT restriction_lifted_after CHECK (lifted_at >= issued_at)
);
CREATE INDEX restriction_entity ON taxshare.restriction (entity_id);
CREATE INDEX restriction_in_force ON taxshare.restriction (entity_id, kind) WHERE lifted_at IS NULL;
COMMENT ON TABLE taxshare.restriction IS
  '限制类指令: 对某主体限制发票供应、出境或登记变更, 有监控指标风险点或授权人员决定为依据, 可解除; 含全部历史 (滨州经验) / '
  'restrictions: invoice supply, exit or registration changes restricted for an entity, on a monitoring point or an authorised person''s decision, until lifted; the whole history (seeds/003)';
COMMENT ON COLUMN taxshare.restriction.kind IS
  '限制事项: invoice_supply 发票供应, exit 出境, registration_change 登记变更 / what is restricted: invoice supply, exit, registration changes';
COMMENT ON COLUMN taxshare.restriction.suspicion_id IS
  '依据的监控指标风险点 (疑点) / the monitoring point (suspicion) it rests on';
COMMENT ON COLUMN taxshare.restriction.decided_by IS
  '作出决定的授权人员 (无风险点依据时必填) / the authorised person who decided it (required without a monitoring point)';
COMMENT ON COLUMN taxshare.restriction.decision_ref IS
  '决定文书编号 (无风险点依据时必填) / the reference of the decision (required without a monitoring point)';
COMMENT ON COLUMN taxshare.restriction.reason IS '限制理由 / why';
COMMENT ON COLUMN taxshare.restriction.until IS
  '限制截止日 (含当日; 为空则至解除为止) / the last day restricted (empty: until lifted)';
COMMENT ON COLUMN taxshare.restriction.issued_at IS '下达时间 / when issued';
COMMENT ON COLUMN taxshare.restriction.issued_by IS '下达人 / who issued it';
COMMENT ON COLUMN taxshare.restriction.lifted_at IS '解除时间 / when lifted';
COMMENT ON COLUMN taxshare.restriction.lifted_by IS '解除人 / who lifted it';
COMMENT ON COLUMN taxshare.restriction.lift_reason IS '解除理由 / why it was lifted';
COMMENT ON COLUMN taxshare.restriction.recorded_at IS
  '登记入库时间 (补录时晚于下达时间) / when recorded (later than issued_at when entered afterwards)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.restriction', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.restriction_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'restriction', 'raw', 'r', 'raw', '', '', '');

-- Who may issue and lift: the office and the tax bureau (or the extension's owner).
CREATE FUNCTION taxshare._restriction_may(what text) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF pg_catalog.pg_has_role(current_user, 'taxshare_admin', 'MEMBER')
     OR pg_catalog.pg_has_role(current_user, 'taxshare_tax', 'MEMBER')
     OR (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
    RETURN;
  END IF;
  RAISE EXCEPTION 'role "%" may not % a restriction', current_user, what
    USING ERRCODE = '42501',
          HINT = 'Restrictions are issued and lifted by the office (taxshare_admin) and the tax bureau (taxshare_tax).';
END
$$;
COMMENT ON FUNCTION taxshare._restriction_may(text) IS
  '内部: 仅市财源办与税务部门可下达和解除限制, 否则报错 / internal: only the office and the tax bureau issue and lift restrictions; raises otherwise';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_restriction_may(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.restriction_issue(entity_id bigint, kind text, reason text,
                                           suspicion_id bigint DEFAULT NULL, decided_by text DEFAULT NULL,
                                           decision_ref text DEFAULT NULL, until date DEFAULT NULL,
                                           actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  t timestamptz := coalesce(restriction_issue.at, now());
  ind text;
  new_id bigint;
BEGIN
  PERFORM taxshare._restriction_may('issue');
  IF t > now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'cannot issue a restriction at "%", which is in the future', t
      USING ERRCODE = '22023', HINT = 'Leave "at" out to issue it now, or give the time it was issued.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM taxshare.entity e WHERE e.id = restriction_issue.entity_id) THEN
    RAISE EXCEPTION 'unknown entity %', coalesce(restriction_issue.entity_id::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Restrict an entity of taxshare.entity (the entity_id of taxshare.risk_list).';
  END IF;
  IF restriction_issue.kind IS NULL OR restriction_issue.kind NOT IN ('invoice_supply', 'exit', 'registration_change') THEN
    RAISE EXCEPTION 'unknown restriction "%"', restriction_issue.kind
      USING ERRCODE = '22023', HINT = 'Restrict invoice_supply (发票供应), exit (出境) or registration_change (登记变更).';
  END IF;
  IF btrim(coalesce(restriction_issue.reason, '')) = '' THEN
    RAISE EXCEPTION 'a restriction needs its reason'
      USING ERRCODE = '22023', HINT = 'Pass reason => why the front desk must refuse the business.';
  END IF;
  IF restriction_issue.until < taxshare._cst_day(t) THEN
    RAISE EXCEPTION 'a restriction until % would end before it is issued', restriction_issue.until
      USING ERRCODE = '22023', HINT = 'Pass until => the last day restricted, or leave it out (until lifted).';
  END IF;
  -- The basis: a monitoring point of this entity, or an authorised person's decision.
  IF restriction_issue.suspicion_id IS NOT NULL THEN
    SELECT i.code INTO ind
      FROM taxshare.suspicion s
      JOIN taxshare.match_rule m ON m.code = s.rule_code
      JOIN taxshare.indicator i ON i.code = m.indicator_code AND i.kind = 'monitoring'
     WHERE s.id = restriction_issue.suspicion_id AND s.entity_id = restriction_issue.entity_id
       AND s.status <> 'excluded';
    IF NOT FOUND THEN
      RAISE EXCEPTION 'suspicion % is not a monitoring point of entity %', restriction_issue.suspicion_id,
                      restriction_issue.entity_id
        USING ERRCODE = '22023',
              HINT = 'Name a suspicion of this entity whose rule counts under a monitoring indicator (kind monitoring) and that was not excluded, or give decided_by and decision_ref.';
    END IF;
  ELSIF btrim(coalesce(restriction_issue.decided_by, '')) = '' OR btrim(coalesce(restriction_issue.decision_ref, '')) = '' THEN
    RAISE EXCEPTION 'a restriction needs a basis'
      USING ERRCODE = '22023',
            DETAIL = 'No monitoring point and no authorised person''s decision was given.',
            HINT = 'Pass suspicion_id => a monitoring point of the entity, or decided_by => the authorised person and decision_ref => the reference of the decision.';
  END IF;
  INSERT INTO taxshare.restriction (entity_id, kind, suspicion_id, decided_by, decision_ref, reason, until,
                                    issued_at, issued_by)
  VALUES (restriction_issue.entity_id, restriction_issue.kind, restriction_issue.suspicion_id,
          nullif(btrim(restriction_issue.decided_by), ''), nullif(btrim(restriction_issue.decision_ref), ''),
          restriction_issue.reason, restriction_issue.until, t, coalesce(restriction_issue.actor, session_user))
  RETURNING id INTO new_id;
  PERFORM taxshare._restriction_ledger(new_id, 'restriction_issue');
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.restriction_issue(bigint, text, text, bigint, text, text, date, text, timestamptz) IS
  '下达限制类指令: 对主体限制发票供应 (invoice_supply)、出境 (exit) 或登记变更 (registration_change), 依据为该主体的监控指标风险点或授权人员的决定 (须有文书编号), 可设截止日; 仅市财源办与税务部门; 返回编号 / '
  'issue a restriction: invoice supply, exit or registration changes, for an entity, on a monitoring point of the entity or an authorised person''s decision (with its reference), until a day or until lifted; the office and the tax bureau only; returns the id';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'restriction_issue(bigint, text, text, bigint, text, text, date, text, timestamp with time zone)',
   'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.restriction_lift(restriction_id bigint, reason text, actor text DEFAULT NULL,
                                          at timestamptz DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  t timestamptz := coalesce(restriction_lift.at, now());
  r taxshare.restriction;
BEGIN
  PERFORM taxshare._restriction_may('lift');
  SELECT * INTO r FROM taxshare.restriction x WHERE x.id = restriction_lift.restriction_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'restriction % does not exist', restriction_lift.restriction_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.restriction.';
  END IF;
  IF r.lifted_at IS NOT NULL THEN
    RAISE EXCEPTION 'restriction % is already lifted', r.id
      USING ERRCODE = '55000', DETAIL = format('at %s by %s', r.lifted_at, r.lifted_by),
            HINT = 'A restriction is lifted once; issue a new one if needed.';
  END IF;
  IF btrim(coalesce(restriction_lift.reason, '')) = '' THEN
    RAISE EXCEPTION 'lifting a restriction needs the reason'
      USING ERRCODE = '22023', HINT = 'Pass reason => why the restriction no longer holds (e.g. 欠税已缴清).';
  END IF;
  IF t > now() + interval '5 minutes' OR t < r.issued_at THEN
    RAISE EXCEPTION 'restriction % cannot be lifted at %', r.id, t
      USING ERRCODE = '22023', HINT = 'Give a time after it was issued and not in the future, or leave "at" out.';
  END IF;
  UPDATE taxshare.restriction
     SET lifted_at = t, lifted_by = coalesce(restriction_lift.actor, session_user), lift_reason = restriction_lift.reason
   WHERE id = r.id;
  PERFORM taxshare._restriction_ledger(r.id, 'restriction_lift');
END
$$;
COMMENT ON FUNCTION taxshare.restriction_lift(bigint, text, text, timestamptz) IS
  '解除限制类指令 (须说明理由); 仅市财源办与税务部门 / lift a restriction, with the reason; the office and the tax bureau only';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'restriction_lift(bigint, text, text, timestamp with time zone)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The ledger entry of an issue or a lift, built from the row as stored.
-- SECURITY DEFINER: ledger_append() is granted to no one.
CREATE FUNCTION taxshare._restriction_ledger(restriction_id bigint, step text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  r taxshare.restriction;
BEGIN
  SELECT * INTO r FROM taxshare.restriction x WHERE x.id = restriction_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF step = 'restriction_issue' THEN
    PERFORM taxshare.ledger_append(step,
      format('restriction %s issued: %s for entity %s, basis %s, by %s', r.id, r.kind, r.entity_id,
             CASE WHEN r.suspicion_id IS NOT NULL THEN 'suspicion ' || r.suspicion_id
                  ELSE format('decision %s of %s', r.decision_ref, r.decided_by) END, r.issued_by),
      taxshare._ledger_sha256(jsonb_build_array(r.id, r.entity_id, r.kind, r.suspicion_id, r.decided_by,
                                                r.decision_ref, r.reason, r.until,
                                                taxshare._ledger_utc(r.issued_at), r.issued_by)::text));
  ELSIF step = 'restriction_lift' THEN
    PERFORM taxshare.ledger_append(step, format('restriction %s lifted by %s', r.id, r.lifted_by),
      taxshare._ledger_sha256(jsonb_build_array(r.id, r.lift_reason, taxshare._ledger_utc(r.lifted_at),
                                                r.lifted_by)::text));
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare._restriction_ledger(bigint, text) IS
  '内部: 把限制的下达或解除按表中所存记入台账 / internal: appends the issue or the lift of a restriction to the ledger, as the table holds it';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_restriction_ledger(bigint, text)', 'X', '', 'X', '', '', '');

-- What the front desk reads: the restrictions in force today (China Standard
-- Time): issued, not lifted, not past their last day.
CREATE VIEW taxshare.restriction_current WITH (security_barrier = true) AS
  SELECT r.id AS restriction_id, r.entity_id, e.kind AS entity_kind, e.name, e.uscc, e.taxpayer_id,
         r.kind, r.reason, r.until, r.issued_at
    FROM taxshare.restriction r
    JOIN taxshare.entity e ON e.id = r.entity_id
   WHERE r.lifted_at IS NULL
     AND (r.until IS NULL OR r.until >= (now() AT TIME ZONE 'Asia/Shanghai')::date);
COMMENT ON VIEW taxshare.restriction_current IS
  '现行限制类指令 (供办税服务厅等前台系统读取): 未解除且未过截止日 / the restrictions in force (what front-desk systems read): not lifted and not past their last day';
-- Front-desk systems (taxshare_frontdesk, a plan column of its own) read this
-- view and nothing else; it reads as its owner (95_security.sql).
INSERT INTO taxshare.privilege_plan VALUES ('view', 'restriction_current', 'r', 'r', 'r', '', '', '', 'r');
