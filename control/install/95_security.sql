-- Security model, part 1: roles, who belongs to which unit, data grants and
-- row-level security (DOMAIN.md "Security"; 000 art. 22-29, 002 art. 13-15:
-- "whoever owns it classifies it; whoever uses it manages it").  docs/security.md
-- explains the model; 96_access.sql holds grants, masking and the access log;
-- 97_privileges.sql applies the privileges each object's privilege_plan row
-- declares (00_schema.sql).  This file runs after every
-- other module's file, so it may enable row-level security on their tables.

-- Group roles.  Roles belong to the cluster, not to the database: a second
-- database (or a re-install) finds them already there, and DROP EXTENSION leaves
-- them (drop them by hand when no database uses taxshare any more).
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['taxshare_admin', 'taxshare_analyst', 'taxshare_tax', 'taxshare_unit',
                           'taxshare_operator', 'taxshare_exchange', 'taxshare_clearance',
                           'taxshare_frontdesk'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END
$$;
COMMENT ON ROLE taxshare_admin IS '市财源办: 目录、单位、授权、考核 / the platform office: catalog, units, grants, scoring';
COMMENT ON ROLE taxshare_analyst IS '分析小组: 按授权读取, 执行比对与分级 / analysis group: read per grants, run rules and grading';
COMMENT ON ROLE taxshare_tax IS '税务部门: 预警、疑点核实 / tax bureau: warnings, suspicion triage';
COMMENT ON ROLE taxshare_unit IS '共享单位工作人员: 报送并读取本单位数据 / a sharing unit''s staff: submit and read its own data';
COMMENT ON ROLE taxshare_operator IS '服务机构: 运维, 仅见元数据与计数 / the vendor: operates, sees metadata and counts, never payloads';
COMMENT ON ROLE taxshare_exchange IS '交换平台服务账号: 可代任何单位报送 / the exchange platform''s service role: may submit on behalf of any unit';
COMMENT ON ROLE taxshare_frontdesk IS '前台系统 (办税服务厅等) 只读账号: 仅见现行限制类指令 / front-desk systems (service halls ...), read-only: the restrictions in force, nothing else';
COMMENT ON ROLE taxshare_clearance IS '可见未脱敏敏感字段 / may see sensitive fields unmasked';

-- Login roles -> units.  A login role may serve several units (a liaison
-- covering two bureaus) and a unit has many staff; rows are closed, not
-- deleted, when someone leaves, so that the history stays.
CREATE TABLE taxshare.unit_member (
  role        name NOT NULL,
  unit_code   text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  clearance   boolean NOT NULL DEFAULT false,
  valid_from  date NOT NULL DEFAULT current_date,
  valid_to    date CHECK (valid_to IS NULL OR valid_to >= valid_from),
  note        text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL DEFAULT session_user,
  PRIMARY KEY (role, unit_code, valid_from)
);
COMMENT ON TABLE taxshare.unit_member IS
  '登录角色所属单位 (含有效期与是否可见敏感字段) / which login role belongs to which unit, with validity and clearance for sensitive fields';
COMMENT ON COLUMN taxshare.unit_member.clearance IS
  '可见未脱敏的敏感字段 / sees sensitive fields unmasked';
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit_member', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'unit_member', 'rawd', 'r', 'r', 'r', 'r', 'r');

-- Conditional sharing (有条件共享): a unit or a role asks for an item, for a
-- purpose and a scope, until a day; the item's owner unit or the office approves.
CREATE TABLE taxshare.data_grant (
  id            bigserial PRIMARY KEY,
  item_code     text NOT NULL,
  grantee_unit  text REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  grantee_role  name,
  purpose       text NOT NULL CHECK (btrim(purpose) <> ''),
  scope         text,
  period_from   date,
  period_to     date,
  valid_from    date NOT NULL DEFAULT current_date,
  valid_to      date NOT NULL CHECK (valid_to >= valid_from),
  status        text NOT NULL DEFAULT 'requested'
                CHECK (status IN ('requested', 'approved', 'revoked')),
  requested_by  text NOT NULL DEFAULT session_user,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  approved_by   text,
  approved_at   timestamptz,
  revoked_by    text,
  revoked_at    timestamptz,
  CHECK ((grantee_unit IS NULL) <> (grantee_role IS NULL)),
  CHECK (period_to IS NULL OR period_from IS NULL OR period_to >= period_from),
  office_approved_by    text,
  office_approved_at    timestamptz,
  provider_approved_by  text,
  provider_approved_at  timestamptz
);
-- The grant lookup of every conditional read: live grants of an item.
CREATE INDEX data_grant_live ON taxshare.data_grant (item_code, valid_to) WHERE status = 'approved';
COMMENT ON TABLE taxshare.data_grant IS
  '有条件共享的申请与授权 (用途、范围、期限) / requests and grants for conditionally shared items (purpose, scope, validity)';
COMMENT ON COLUMN taxshare.data_grant.scope IS
  '使用范围 (说明) / scope of use, as stated';
COMMENT ON COLUMN taxshare.data_grant.period_from IS
  '可读取的报送期起 (空为不限) / first reporting period the grant covers (NULL: any)';
COMMENT ON COLUMN taxshare.data_grant.valid_to IS
  '授权截止日 (含) / last day the grant may be used';
COMMENT ON COLUMN taxshare.data_grant.approved_by IS
  '使授权生效的审批人 (按 taxshare.grant_approval 的最后一步) / who made the grant live (the last approval the policy taxshare.grant_approval asks for)';
COMMENT ON COLUMN taxshare.data_grant.office_approved_by IS
  '以市财源办身份审批的登录名 / the login that approved for the office';
COMMENT ON COLUMN taxshare.data_grant.provider_approved_by IS
  '以提供单位身份审批的登录名 / the login that approved for the providing unit';
SELECT pg_catalog.pg_extension_config_dump('taxshare.data_grant', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.data_grant_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'data_grant', 'r', 'r', 'r', 'r', '', '');

-- Who is calling.  The definer helpers are plpgsql, not sql: a SECURITY
-- DEFINER sql function is planned again on every call, plpgsql keeps its plans.
--  A SECURITY DEFINER function sees its owner as current_user,
-- so the caller's role is passed in by a thin SQL wrapper; the definer side
-- answers only for roles the session user may become (pg_has_role MEMBER), so
-- nobody learns another login's units through it.
CREATE FUNCTION taxshare._units_of(r name)
RETURNS text[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(DISTINCT m.unit_code), '{}')
      FROM taxshare.unit_member m
     WHERE m.role = r
       AND m.valid_from <= current_date AND (m.valid_to IS NULL OR m.valid_to >= current_date)
       AND pg_catalog.pg_has_role(session_user, r, 'MEMBER'));
END
$$;
COMMENT ON FUNCTION taxshare._units_of(name) IS
  '某登录角色当前所属单位 (仅限本会话可切换到的角色) / current units of a role the session user may become';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_units_of(name)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.current_units()
RETURNS text[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._units_of(current_user) $$;
COMMENT ON FUNCTION taxshare.current_units() IS
  '当前角色所属单位 (unit_member, 有效期内); 策略中写作 (SELECT taxshare.current_units()) 每条语句只算一次 / the units of the current role; in policies write (SELECT taxshare.current_units()) so it runs once per statement';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'current_units()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare._office_of(r name)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN (SELECT pg_catalog.pg_has_role(r, 'taxshare_admin', 'MEMBER')
        OR EXISTS (SELECT 1 FROM taxshare.unit u
                    WHERE u.kind = 'office' AND u.code = ANY (taxshare._units_of(r))));
END
$$;
COMMENT ON FUNCTION taxshare._office_of(name) IS
  '角色是否属于市财源办 (taxshare_admin 或 office 类单位成员) / whether a role is the office (taxshare_admin or member of a unit of kind office)';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_office_of(name)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.is_office()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._office_of(current_user) $$;
COMMENT ON FUNCTION taxshare.is_office()
  IS '当前角色是否为市财源办 / whether the current role acts for the office';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'is_office()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare._clearance_of(r name)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN (SELECT pg_catalog.pg_has_role(r, 'taxshare_clearance', 'MEMBER')
        OR EXISTS (SELECT 1 FROM taxshare.unit_member m
                    WHERE m.role = r AND m.clearance
                      AND m.valid_from <= current_date AND (m.valid_to IS NULL OR m.valid_to >= current_date)
                      AND pg_catalog.pg_has_role(session_user, r, 'MEMBER')));
END
$$;
COMMENT ON FUNCTION taxshare._clearance_of(name) IS
  '角色是否可见未脱敏的敏感字段 / whether a role may see sensitive fields unmasked';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_clearance_of(name)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.has_clearance()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._clearance_of(current_user) $$;
COMMENT ON FUNCTION taxshare.has_clearance() IS
  '当前角色是否可见未脱敏的敏感字段 (taxshare_clearance 成员或 unit_member.clearance) / whether the current role sees sensitive fields unmasked';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'has_clearance()', 'X', 'X', 'X', 'X', 'X', 'X');

-- The office and the exchange platform submit for any unit; a unit's staff for
-- their own units only.  submit() and the inbox triggers write as the
-- extension owner (SECURITY DEFINER, or the row trigger's switch to its owner,
-- 40_intake.sql): their C code asks _may_submit_for() once per load about the
-- outer user (the session user or its SET ROLE), which is the forgery check.
CREATE FUNCTION taxshare._may_submit_for(r name, unit text)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN r IS NOT NULL AND unit IS NOT NULL
     AND pg_catalog.pg_has_role(session_user, r, 'MEMBER')
     AND (pg_catalog.pg_has_role(r, 'taxshare_exchange', 'MEMBER')
          OR taxshare._office_of(r)
          OR (pg_catalog.pg_has_role(r, 'taxshare_unit', 'MEMBER') AND unit = ANY (taxshare._units_of(r))));
END
$$;
COMMENT ON FUNCTION taxshare._may_submit_for(name, text) IS
  '角色可否为该单位报送 (本单位成员、市财源办或交换平台; 仅限本会话可切换到的角色) / whether a role may submit for the unit (its staff, the office or the exchange platform); answers only for roles the session user may become';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_may_submit_for(name, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.submits_for_all()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
  SELECT pg_catalog.pg_has_role(current_user, 'taxshare_exchange', 'MEMBER')
      OR taxshare._office_of(current_user)
$$;
COMMENT ON FUNCTION taxshare.submits_for_all() IS
  '当前角色可否代任何单位报送 (市财源办或交换平台) / whether the current role may submit on behalf of any unit (the office or the exchange platform)';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'submits_for_all()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.may_submit_for(unit text)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._may_submit_for(current_user, unit) $$;
COMMENT ON FUNCTION taxshare.may_submit_for(text) IS
  '当前角色可否为该单位报送 (本单位成员、市财源办或交换平台) / whether the current role may submit for the unit (its staff, the office or the exchange platform)';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'may_submit_for(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Items whose records a role reads directly (tables and views): the items its
-- units provide, and unconditionally shared ones that are not classified
-- sensitive.  Conditionally shared and sensitive data is read only through
-- read_records() (96_access.sql), which checks the grant and writes the access
-- log; 'none' only by the owner.
CREATE FUNCTION taxshare._open_items(r name)
RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN QUERY SELECT c.code
      FROM taxshare.catalog_item_current c
     WHERE (c.sharing = 'unconditional' AND c.classification <> 'sensitive')
        OR c.provider = ANY (taxshare._units_of(r));
END
$$;
COMMENT ON FUNCTION taxshare._open_items(name) IS
  '角色可直接读取记录的目录条目: 本单位提供的与无条件共享且非敏感的 / items whose records a role reads directly: those its units provide and unconditionally shared ones not classified sensitive';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_open_items(name)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Submissions whose records the current role reads directly: its units' own
-- and those of open items.  A set, so that a policy "submission_id IN (SELECT
-- ...)" becomes one hashed subplan per statement, not a lookup per row.
CREATE FUNCTION taxshare._readable_submissions(r name)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN QUERY SELECT s.id
      FROM taxshare.submission s
     WHERE s.unit_code = ANY (taxshare._units_of(r))
        OR s.item_code IN (SELECT taxshare._open_items(r));
END
$$;
COMMENT ON FUNCTION taxshare._readable_submissions(name) IS
  '角色可直接读取其记录的报送批次 / submissions whose records a role reads directly';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_readable_submissions(name)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.readable_submissions()
RETURNS SETOF bigint
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._readable_submissions(current_user) $$;
COMMENT ON FUNCTION taxshare.readable_submissions() IS
  '当前角色可直接读取其记录的报送批次 / submissions whose records the current role reads directly';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'readable_submissions()', 'X', 'X', 'X', 'X', 'X', 'X');

-- Submissions whose records and errors count as the role's own: its units'
-- (the office: all).  Used for record_error and objections.
CREATE FUNCTION taxshare._own_submissions(r name)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  RETURN QUERY SELECT s.id
      FROM taxshare.submission s
     WHERE s.unit_code = ANY (taxshare._units_of(r))
        OR taxshare._office_of(r);
END
$$;
COMMENT ON FUNCTION taxshare._own_submissions(name) IS
  '角色本单位的报送批次 (市财源办为全部) / submissions of the role''s units (all of them for the office)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_own_submissions(name)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.own_submissions()
RETURNS SETOF bigint
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._own_submissions(current_user) $$;
COMMENT ON FUNCTION taxshare.own_submissions() IS
  '当前角色本单位的报送批次 / submissions of the current role''s units';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'own_submissions()', 'X', 'X', 'X', 'X', 'X', 'X');

-- ---------------------------------------------------------------------------
-- Row-level security.  Policies name the roles they serve (TO ...), so a role
-- outside the list sees nothing even if a privilege were granted by mistake.
-- Superusers and the tables' owner (the role that ran CREATE EXTENSION)
-- bypass them: run batch jobs as that owner, not as an everyday login.

-- Intake.  Only submit() and the inbox triggers write submission, record and
-- record_error, as the extension owner (SECURITY DEFINER, or the row trigger's
-- switch to its owner, 40_intake.sql) after checking the caller once; no role
-- holds INSERT, UPDATE or DELETE on them (their privilege_plan rows in
-- 40_intake.sql) and no policy allows a write, so a direct INSERT is refused
-- twice over (privilege, then row-level security's default deny) and nobody
-- can put unvalidated rows into a submission.  Reads are narrowed here.
ALTER TABLE taxshare.submission ENABLE ROW LEVEL SECURITY;
CREATE POLICY submission_staff_read ON taxshare.submission FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_operator, taxshare_exchange
  USING (true);
CREATE POLICY submission_unit_read ON taxshare.submission FOR SELECT TO taxshare_unit
  USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]));

ALTER TABLE taxshare.record ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_read ON taxshare.record FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  USING (submission_id IN (SELECT taxshare.readable_submissions()));

ALTER TABLE taxshare.record_error ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_error_read ON taxshare.record_error FOR SELECT
  TO taxshare_admin, taxshare_unit
  USING (submission_id IN (SELECT taxshare.own_submissions()));

-- The file of an upload (47_formats.sql): like record_error, the office and
-- the unit that sent it.
ALTER TABLE taxshare.submission_file ENABLE ROW LEVEL SECURITY;
CREATE POLICY submission_file_read ON taxshare.submission_file FOR SELECT
  TO taxshare_admin, taxshare_unit
  USING (submission_id IN (SELECT taxshare.own_submissions()));

-- The inbox keeps no rows (its BEFORE ROW trigger returns NULL) and has no
-- row-level security: COPY FROM refuses a table with policies for any role
-- they apply to, and a WITH CHECK would never run anyway (it is evaluated
-- after the BEFORE ROW trigger, on a row the trigger dropped).  The trigger
-- checks the caller against the unit of each load.

-- Objections: the filer, the provider of the record and the office.  The
-- record id carries its submission id (id = submission_id << 32 + row_no).
ALTER TABLE taxshare.objection ENABLE ROW LEVEL SECURITY;
CREATE POLICY objection_read ON taxshare.objection FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  USING (filed_by = session_user OR (record_id >> 32) IN (SELECT taxshare.own_submissions()));
CREATE POLICY objection_file ON taxshare.objection FOR INSERT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  WITH CHECK (filed_by = session_user AND status = 'open');
CREATE POLICY objection_resolve ON taxshare.objection FOR UPDATE
  TO taxshare_admin, taxshare_unit
  USING ((record_id >> 32) IN (SELECT taxshare.own_submissions()));

-- Units and their contacts: unit is metadata (read by every role); contacts
-- hold phones, so a unit sees its own and the office all.
ALTER TABLE taxshare.unit_contact ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_contact_read ON taxshare.unit_contact FOR SELECT
  TO taxshare_admin, taxshare_unit
  USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]) OR (SELECT taxshare.is_office()));
CREATE POLICY unit_contact_file ON taxshare.unit_contact FOR INSERT
  TO taxshare_admin, taxshare_unit
  WITH CHECK (unit_code = ANY ((SELECT taxshare.current_units())::text[]) OR (SELECT taxshare.is_office()));

ALTER TABLE taxshare.unit_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_member_office ON taxshare.unit_member FOR ALL TO taxshare_admin
  USING (true) WITH CHECK (true);
CREATE POLICY unit_member_self ON taxshare.unit_member FOR SELECT
  TO taxshare_analyst, taxshare_tax, taxshare_unit, taxshare_operator, taxshare_exchange
  USING (role = current_user);

-- Grants: seen by the grantee, the owner unit of the item and the office;
-- written only through grant_request/grant_approve/grant_revoke.
ALTER TABLE taxshare.data_grant ENABLE ROW LEVEL SECURITY;
CREATE POLICY data_grant_read ON taxshare.data_grant FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  USING ((SELECT taxshare.is_office())
         OR grantee_unit = ANY ((SELECT taxshare.current_units())::text[])
         OR (grantee_role IS NOT NULL AND pg_catalog.pg_has_role(current_user, grantee_role, 'MEMBER'))
         OR item_code IN (SELECT c.code FROM taxshare.catalog_item_current c
                           WHERE c.provider = ANY ((SELECT taxshare.current_units())::text[])));

-- Obligations, deductions and their history: a unit sees its own; the office,
-- analysts, the tax bureau and the operator (counts, not payloads) all.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['obligation', 'obligation_change', 'deduction_event'] LOOP
    IF pg_catalog.to_regclass('taxshare.' || t) IS NOT NULL THEN
      EXECUTE format('ALTER TABLE taxshare.%I ENABLE ROW LEVEL SECURITY', t);
      EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT'
                     ' TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_operator USING (true)',
                     t || '_staff_read', t);
      EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT TO taxshare_unit'
                     ' USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]))',
                     t || '_unit_read', t);
      EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR ALL TO taxshare_admin USING (true) WITH CHECK (true)',
                     t || '_office_write', t);
    END IF;
  END LOOP;
END
$$;

-- Analysis products: entities (people's IDs, names, phones), their links,
-- suspicions, scores, the blacklist.  Derived across items, so no unit owns a
-- row: the analysis group, the tax bureau and the office only; never units,
-- never the operator.  Writers: the office and analysts (resolve_entities,
-- run_rules, grade_risks); the tax bureau triages suspicions and logs
-- assessments.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['entity', 'entity_attribute', 'record_party', 'party_link', 'match_review',
                           'suspicion', 'risk_score', 'risk_grading', 'blacklist', 'assessment_log',
                           'revenue_expected'] LOOP
    IF pg_catalog.to_regclass('taxshare.' || t) IS NOT NULL THEN
      EXECUTE format('ALTER TABLE taxshare.%I ENABLE ROW LEVEL SECURITY', t);
      EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR ALL'
                     ' TO taxshare_admin, taxshare_analyst, taxshare_tax USING (true) WITH CHECK (true)',
                     t || '_analysis', t);
    END IF;
  END LOOP;
END
$$;

-- Warnings (88_warning.sql): the office pushes them and reads them all (it
-- also decides disputes and runs the sweep); the analysis group reads them
-- all (analysis_report()); the recipient - the tax bureau or a sharing unit,
-- through its members (unit_member) - reads, receives, answers, extends and
-- disputes the warnings pushed to its units.  Other units see nothing, nor
-- the operator or the exchange platform (tasks name entities and amounts).
-- The steps are the warning_* functions, run as the caller.
DO $$
BEGIN
  IF pg_catalog.to_regclass('taxshare.warning') IS NULL THEN
    RETURN;
  END IF;
  ALTER TABLE taxshare.warning ENABLE ROW LEVEL SECURITY;
  CREATE POLICY warning_office ON taxshare.warning FOR ALL TO taxshare_admin USING (true) WITH CHECK (true);
  CREATE POLICY warning_analyst_read ON taxshare.warning FOR SELECT TO taxshare_analyst USING (true);
  CREATE POLICY warning_recipient_read ON taxshare.warning FOR SELECT TO taxshare_tax, taxshare_unit
    USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]));
  CREATE POLICY warning_recipient_answer ON taxshare.warning FOR UPDATE TO taxshare_tax, taxshare_unit
    USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]))
    WITH CHECK (unit_code = ANY ((SELECT taxshare.current_units())::text[]));

  ALTER TABLE taxshare.warning_task ENABLE ROW LEVEL SECURITY;
  CREATE POLICY warning_task_office ON taxshare.warning_task FOR ALL TO taxshare_admin USING (true) WITH CHECK (true);
  CREATE POLICY warning_task_analyst_read ON taxshare.warning_task FOR SELECT TO taxshare_analyst USING (true);
  CREATE POLICY warning_task_recipient_read ON taxshare.warning_task FOR SELECT TO taxshare_tax, taxshare_unit
    USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]));
  CREATE POLICY warning_task_recipient_answer ON taxshare.warning_task FOR UPDATE TO taxshare_tax, taxshare_unit
    USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]))
    WITH CHECK (unit_code = ANY ((SELECT taxshare.current_units())::text[]));

  -- Extensions and disputes belong to the warning (task) they are about; the
  -- subquery reads warning and warning_task under their own policies.
  ALTER TABLE taxshare.warning_extension ENABLE ROW LEVEL SECURITY;
  CREATE POLICY warning_extension_office ON taxshare.warning_extension FOR ALL TO taxshare_admin
    USING (true) WITH CHECK (true);
  CREATE POLICY warning_extension_analyst_read ON taxshare.warning_extension FOR SELECT TO taxshare_analyst
    USING (true);
  CREATE POLICY warning_extension_recipient_read ON taxshare.warning_extension FOR SELECT
    TO taxshare_tax, taxshare_unit
    USING (warning_id IN (SELECT w.id FROM taxshare.warning w
                           WHERE w.unit_code = ANY ((SELECT taxshare.current_units())::text[])));
  CREATE POLICY warning_extension_recipient_file ON taxshare.warning_extension FOR INSERT
    TO taxshare_tax, taxshare_unit
    WITH CHECK (warning_id IN (SELECT w.id FROM taxshare.warning w
                                WHERE w.unit_code = ANY ((SELECT taxshare.current_units())::text[])));

  ALTER TABLE taxshare.warning_dispute ENABLE ROW LEVEL SECURITY;
  CREATE POLICY warning_dispute_office ON taxshare.warning_dispute FOR ALL TO taxshare_admin
    USING (true) WITH CHECK (true);
  CREATE POLICY warning_dispute_analyst_read ON taxshare.warning_dispute FOR SELECT TO taxshare_analyst
    USING (true);
  CREATE POLICY warning_dispute_recipient_read ON taxshare.warning_dispute FOR SELECT
    TO taxshare_tax, taxshare_unit
    USING (task_id IN (SELECT t.id FROM taxshare.warning_task t
                        WHERE t.unit_code = ANY ((SELECT taxshare.current_units())::text[])));
  CREATE POLICY warning_dispute_recipient_file ON taxshare.warning_dispute FOR INSERT
    TO taxshare_tax, taxshare_unit
    WITH CHECK (decision IS NULL
                AND task_id IN (SELECT t.id FROM taxshare.warning_task t
                                 WHERE t.unit_code = ANY ((SELECT taxshare.current_units())::text[])));
END
$$;

-- Reports approved and sent (89_report_issue.sql): the office approves and
-- sends them and reads them all; the analysis group, which drafts them, reads
-- them.  Nobody else: the report names the taxpayers at risk.
DO $$
BEGIN
  IF pg_catalog.to_regclass('taxshare.report_issue') IS NULL THEN
    RETURN;
  END IF;
  ALTER TABLE taxshare.report_issue ENABLE ROW LEVEL SECURITY;
  CREATE POLICY report_issue_office ON taxshare.report_issue FOR ALL TO taxshare_admin USING (true) WITH CHECK (true);
  CREATE POLICY report_issue_analyst_read ON taxshare.report_issue FOR SELECT TO taxshare_analyst USING (true);
  ALTER TABLE taxshare.report_distribution ENABLE ROW LEVEL SECURITY;
  CREATE POLICY report_distribution_office ON taxshare.report_distribution FOR ALL TO taxshare_admin
    USING (true) WITH CHECK (true);
  CREATE POLICY report_distribution_analyst_read ON taxshare.report_distribution FOR SELECT TO taxshare_analyst
    USING (true);
END
$$;

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

-- Restrictions (87_restriction.sql): the office and the tax bureau issue and
-- lift them; the analysis group reads them.  Front-desk systems read
-- restriction_current.
DO $$
BEGIN
  IF pg_catalog.to_regclass('taxshare.restriction') IS NULL THEN
    RETURN;
  END IF;
  ALTER TABLE taxshare.restriction ENABLE ROW LEVEL SECURITY;
  CREATE POLICY restriction_office ON taxshare.restriction FOR ALL TO taxshare_admin, taxshare_tax
    USING (true) WITH CHECK (true);
  CREATE POLICY restriction_analyst_read ON taxshare.restriction FOR SELECT TO taxshare_analyst USING (true);
END
$$;

-- Views over row-level-secured tables run with the caller's rights (PG 15
-- security_invoker), or they would read as their owner and bypass every policy.
DO $$
DECLARE
  v record;
BEGIN
  FOR v IN SELECT c.relname FROM pg_catalog.pg_class c
            WHERE c.relnamespace = 'taxshare'::regnamespace AND c.relkind = 'v' LOOP
    EXECUTE format('ALTER VIEW taxshare.%I SET (security_invoker = true)', v.relname);
  END LOOP;
END
$$;
-- But for restriction_current (87_restriction.sql): front-desk systems
-- (taxshare_frontdesk) read the restrictions in force through it and nothing
-- else, so it reads as its owner (security_barrier, no caller-dependent filter).
ALTER VIEW taxshare.restriction_current RESET (security_invoker);
