-- Security model, part 2: grants for conditionally shared items, masking of
-- sensitive fields, and the access log (docs/security.md).  Reading
-- conditionally shared records is possible only through read_records(), which
-- checks a live grant, writes access_log and masks; the tables' policies
-- (95_security.sql) never show another unit's conditional records.
--
-- Public functions are SECURITY INVOKER wrappers that pass current_user to a
-- SECURITY DEFINER worker (a definer sees itself as current_user); each worker
-- first checks that the session user may act as that role.

CREATE FUNCTION taxshare._caller_check(caller name)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF caller IS NULL OR NOT pg_catalog.pg_has_role(session_user, caller, 'MEMBER') THEN
    RAISE EXCEPTION 'session user "%" cannot act as role "%"', session_user, caller
      USING ERRCODE = '42501',
            HINT = 'Call the public function (grant_request, read_records ...), not its worker.';
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare._caller_check(name) IS
  '确认会话用户可以代表该角色 / check that the session user may act as the role';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_caller_check(name)', 'X', 'X', 'X', 'X', 'X', 'X');

-- ---------------------------------------------------------------------------
-- Grants (有条件共享的申请与审批).

CREATE FUNCTION taxshare._grant_request(caller name, item text, purpose text, scope text, until date,
                                        period_from date, period_to date, for_unit text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  it record;
  units text[];
  g_unit text;
  g_role name;
  new_id bigint;
BEGIN
  PERFORM taxshare._caller_check(caller);
  SELECT c.code, c.sharing, c.provider, c.classification, c.users INTO it
    FROM taxshare.catalog_item_current c WHERE c.code = item;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', item
      USING ERRCODE = '22023', HINT = 'See taxshare.catalog_item_current for the item codes.';
  END IF;
  IF it.sharing = 'none' THEN
    RAISE EXCEPTION 'catalog item "%" is not shared', item
      USING ERRCODE = '42501',
            DETAIL = '该目录条目不予共享, 仅提供单位可用.',
            HINT = 'Ask the providing unit to reclassify the item (whoever owns it classifies it).';
  ELSIF it.sharing = 'unconditional' AND it.classification <> 'sensitive' THEN
    RAISE EXCEPTION 'catalog item "%" is shared unconditionally', item
      USING ERRCODE = '22023', HINT = 'No grant is needed: read it from taxshare.record_visible.';
  END IF;
  IF purpose IS NULL OR btrim(purpose) = '' THEN
    RAISE EXCEPTION 'a grant request needs a purpose'
      USING ERRCODE = '22023', HINT = 'State the duty the data is needed for (conditional data is used only for the stated duty).';
  END IF;
  IF until IS NULL OR until < current_date THEN
    RAISE EXCEPTION 'grant end date "%" is not in the future', until
      USING ERRCODE = '22023', HINT = 'Pass the last day the grant should be valid, today or later.';
  END IF;
  units := taxshare._units_of(caller);
  IF for_unit IS NOT NULL THEN
    IF NOT (for_unit = ANY (units) OR taxshare._office_of(caller)) THEN
      RAISE EXCEPTION 'role "%" cannot request a grant for unit "%"', caller, for_unit
        USING ERRCODE = '42501', HINT = 'Request for one of your own units (taxshare.current_units()).';
    END IF;
    g_unit := for_unit;
  ELSIF cardinality(units) = 1 THEN
    g_unit := units[1];
  ELSE
    g_role := caller;
  END IF;
  -- An item that names its users (catalog_item.users) is used by those units
  -- only: a grant goes to a listed unit, never to a login as such.
  IF cardinality(it.users) > 0 AND (g_unit IS NULL OR g_unit <> ALL (it.users)) THEN
    RAISE EXCEPTION 'unit "%" is not among the users of catalog item "%"', coalesce(g_unit, caller), item
      USING ERRCODE = '42501',
            DETAIL = '该目录条目仅限所列使用单位申请使用: ' || array_to_string(it.users, ', ') || '.',
            HINT = CASE WHEN g_unit IS NULL
                        THEN 'Request for one of the listed units (for_unit) that you belong to.'
                        ELSE 'The providing unit lists the users in the catalog (users); ask it to add your unit.' END;
  END IF;
  INSERT INTO taxshare.data_grant (item_code, grantee_unit, grantee_role, purpose, scope,
                                   period_from, period_to, valid_to)
  VALUES (item, g_unit, g_role, btrim(purpose), scope, period_from, period_to, until)
  RETURNING id INTO new_id;
  PERFORM taxshare.ledger_append('grant_request',
                                 format('grant %s requested: item %s for %s, purpose %s, until %s',
                                        new_id, item, coalesce('unit ' || g_unit, 'role ' || g_role),
                                        btrim(purpose), until),
                                 NULL);
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare._grant_request(name, text, text, text, date, date, date, text) IS
  'grant_request 的执行体 (检查调用者) / worker of grant_request, checks the caller';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_grant_request(name, text, text, text, date, date, date, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.grant_request(item text, purpose text, scope text, until date,
                                       period_from date DEFAULT NULL, period_to date DEFAULT NULL,
                                       for_unit text DEFAULT NULL)
RETURNS bigint
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._grant_request(current_user, item, purpose, scope, until, period_from, period_to, for_unit) $$;
COMMENT ON FUNCTION taxshare.grant_request(text, text, text, date, date, date, text) IS
  '申请使用有条件共享或敏感的目录条目 (用途、范围、截止日; 可限定报送期; 条目列有使用单位时仅限所列单位), 返回申请号 / request the use of a conditionally shared or sensitive item (purpose, scope, end date; optionally a range of periods; only for a listed unit where the item names its users); returns the request id';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'grant_request(text, text, text, date, date, date, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.grant_approval_policy() RETURNS text
  LANGUAGE c STABLE PARALLEL SAFE
  AS 'MODULE_PATHNAME', 'taxshare_grant_approval_policy';
COMMENT ON FUNCTION taxshare.grant_approval_policy() IS
  '本会话生效的有条件共享审批方式 (taxshare.grant_approval: office、provider、either、both) / the approval policy in force for this session (taxshare.grant_approval: office, provider, either, both)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'grant_approval_policy()', 'X', 'X', 'X', 'X', 'X', 'X');

-- The approval policy (taxshare.grant_approval, read through
-- grant_approval_policy() so that the library and the database's setting are
-- loaded): office, provider, either or both.  Each side's approval is kept in
-- its own columns; the grant goes live when the policy's sides have approved.
CREATE FUNCTION taxshare._grant_decide(caller name, grant_id bigint, decision text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  g record;
  provider text;
  policy text;
  as_office boolean;
  as_provider boolean;
  is_owner boolean;
  is_grantee boolean;
  sides text[] := '{}';
  live boolean;
BEGIN
  PERFORM taxshare._caller_check(caller);
  SELECT * INTO g FROM taxshare.data_grant d WHERE d.id = grant_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown grant %', grant_id
      USING ERRCODE = '22023', HINT = 'See taxshare.data_grant for the grants you may see.';
  END IF;
  SELECT c.provider INTO provider FROM taxshare.catalog_item_current c WHERE c.code = g.item_code;
  as_office := taxshare._office_of(caller);
  as_provider := provider = ANY (taxshare._units_of(caller));
  is_owner := as_office OR as_provider;
  is_grantee := g.grantee_unit = ANY (taxshare._units_of(caller))
                OR (g.grantee_role IS NOT NULL AND pg_catalog.pg_has_role(caller, g.grantee_role, 'MEMBER'));
  IF decision = 'approve' THEN
    policy := taxshare.grant_approval_policy();
    IF as_office AND policy IN ('office', 'either', 'both') THEN
      sides := sides || 'office'::text;
    END IF;
    IF as_provider AND policy IN ('provider', 'either', 'both') THEN
      sides := sides || 'provider'::text;
    END IF;
    IF cardinality(sides) = 0 THEN
      RAISE EXCEPTION 'role "%" cannot approve grant % on item "%" under the approval policy "%"',
                      caller, grant_id, g.item_code, policy
        USING ERRCODE = '42501',
              DETAIL = CASE policy
                         WHEN 'office' THEN '按本库的审批方式, 有条件共享数据须经市财源办审批.'
                         WHEN 'provider' THEN '按本库的审批方式, 仅目录条目的提供单位可以审批.'
                         ELSE '仅目录条目的提供单位与市财源办可以审批.'
                       END,
              HINT = CASE policy
                       WHEN 'office' THEN 'Ask the office to approve it (taxshare.grant_approval = office).'
                       WHEN 'provider' THEN 'Ask the providing unit ("' || coalesce(provider, '?') || '") to approve it (taxshare.grant_approval = provider).'
                       ELSE 'Ask the providing unit ("' || coalesce(provider, '?') || '") or the office to approve it.'
                     END;
    END IF;
    IF g.status <> 'requested' THEN
      RAISE EXCEPTION 'grant % is %, not requested', grant_id, g.status
        USING ERRCODE = '55000', HINT = 'Only a pending request can be approved; file a new request.';
    END IF;
    IF policy = 'both' THEN
      -- Each side approves once; a login that acts for both sides (the office
      -- providing its own item) approves for both at once.
      sides := ARRAY(SELECT s FROM unnest(sides) s
                      WHERE (s = 'office' AND g.office_approved_at IS NULL)
                         OR (s = 'provider' AND g.provider_approved_at IS NULL));
      IF cardinality(sides) = 0 THEN
        RAISE EXCEPTION 'grant % already has the approval of your side', grant_id
          USING ERRCODE = '55000',
                HINT = CASE WHEN g.office_approved_at IS NULL THEN 'It waits for the office (taxshare.grant_approval = both).'
                            ELSE 'It waits for the providing unit ("' || coalesce(provider, '?') || '") (taxshare.grant_approval = both).' END;
      END IF;
    END IF;
    UPDATE taxshare.data_grant d
       SET office_approved_by = CASE WHEN 'office' = ANY (sides) THEN caller ELSE d.office_approved_by END,
           office_approved_at = CASE WHEN 'office' = ANY (sides) THEN now() ELSE d.office_approved_at END,
           provider_approved_by = CASE WHEN 'provider' = ANY (sides) THEN caller ELSE d.provider_approved_by END,
           provider_approved_at = CASE WHEN 'provider' = ANY (sides) THEN now() ELSE d.provider_approved_at END
     WHERE d.id = grant_id
    RETURNING policy <> 'both' OR (d.office_approved_at IS NOT NULL AND d.provider_approved_at IS NOT NULL)
      INTO live;
    IF live THEN
      UPDATE taxshare.data_grant SET status = 'approved', approved_by = caller, approved_at = now()
       WHERE id = grant_id;
    END IF;
    PERFORM taxshare.ledger_append('grant_approve',
                                   format('grant %s %s: item %s for %s, by %s for the %s (policy %s)', grant_id,
                                          CASE WHEN live THEN 'approved' ELSE 'approved in part' END,
                                          g.item_code,
                                          coalesce('unit ' || g.grantee_unit, 'role ' || g.grantee_role), caller,
                                          array_to_string(sides, ' and '), policy),
                                   NULL);
    RETURN;
  END IF;
  IF NOT (is_owner OR is_grantee) THEN
    RAISE EXCEPTION 'role "%" cannot revoke grant %', caller, grant_id
      USING ERRCODE = '42501', HINT = 'The providing unit, the office or the grantee may revoke a grant.';
  END IF;
  IF g.status = 'revoked' THEN
    RAISE EXCEPTION 'grant % is already revoked', grant_id
      USING ERRCODE = '55000', HINT = 'Nothing to do.';
  END IF;
  UPDATE taxshare.data_grant SET status = 'revoked', revoked_by = caller, revoked_at = now()
   WHERE id = grant_id;
  PERFORM taxshare.ledger_append('grant_revoke',
                                 format('grant %s revoked: item %s for %s, by %s', grant_id, g.item_code,
                                        coalesce('unit ' || g.grantee_unit, 'role ' || g.grantee_role), caller),
                                 NULL);
END
$$;
COMMENT ON FUNCTION taxshare._grant_decide(name, bigint, text) IS
  'grant_approve/grant_revoke 的执行体 (检查调用者与审批方式 taxshare.grant_approval) / worker of grant_approve and grant_revoke, checks the caller against the approval policy taxshare.grant_approval';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_grant_decide(name, bigint, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.grant_approve(id bigint)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._grant_decide(current_user, id, 'approve') $$;
COMMENT ON FUNCTION taxshare.grant_approve(bigint) IS
  '审批使用申请: 由谁审批见 taxshare.grant_approval (市财源办、提供单位、任一方或双方) / approve a request: who may is set by taxshare.grant_approval (the office, the providing unit, either or both)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'grant_approve(bigint)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.grant_revoke(id bigint)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._grant_decide(current_user, id, 'revoke') $$;
COMMENT ON FUNCTION taxshare.grant_revoke(bigint) IS
  '撤销授权 (提供单位、市财源办或被授权方) / revoke a grant (the providing unit, the office or the grantee)';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'grant_revoke(bigint)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The live grant a role holds for an item and a period (NULL: any), the one
-- ending last.  Uses data_grant_live.
CREATE FUNCTION taxshare._live_grant(r name, item text, period date)
RETURNS taxshare.data_grant
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
  SELECT g.*
    FROM taxshare.data_grant g
   WHERE g.item_code = item AND g.status = 'approved'
     AND g.valid_to >= current_date AND g.valid_from <= current_date
     AND (g.grantee_unit = ANY (taxshare._units_of(r))
          OR (g.grantee_role IS NOT NULL AND pg_catalog.pg_has_role(r, g.grantee_role, 'MEMBER')))
     AND (period IS NULL OR ((g.period_from IS NULL OR period >= g.period_from)
                             AND (g.period_to IS NULL OR period <= g.period_to)))
   ORDER BY g.valid_to DESC, g.id
   LIMIT 1
$$;
COMMENT ON FUNCTION taxshare._live_grant(name, text, date) IS
  '角色对某条目 (某报送期) 现行有效的授权 / the live grant a role holds for an item (and period)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_live_grant(name, text, date)', 'X', 'X', 'X', 'X', 'X', 'X');

-- ---------------------------------------------------------------------------
-- Masking.  A field is sensitive when catalog_field.sensitive says so; NULL
-- (the default) means by type: resident IDs and phones, and the name field of
-- a party identified by a resident ID (a person).

ALTER TABLE taxshare.catalog_field ADD COLUMN sensitive boolean;
COMMENT ON COLUMN taxshare.catalog_field.sensitive IS
  '敏感字段 (对无权限者脱敏); 空为按类型默认: 身份证号、电话、自然人当事方的姓名 / sensitive field, masked for roles without clearance; NULL: by default (resident IDs, phones, names of person parties)';

CREATE FUNCTION taxshare.mask_idcard(v text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN char_length(v) <= 10 THEN repeat('*', char_length(v))
              ELSE left(v, 6) || repeat('*', char_length(v) - 10) || right(v, 4) END
$$;
COMMENT ON FUNCTION taxshare.mask_idcard(text) IS
  '身份证号脱敏: 保留前 6 位与后 4 位 (430405********1234) / mask a resident ID keeping the first 6 and last 4 characters';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'mask_idcard(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.mask_name(v text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN char_length(v) <= 1 THEN v
              ELSE left(v, 1) || repeat('*', char_length(v) - 1) END
$$;
COMMENT ON FUNCTION taxshare.mask_name(text) IS
  '姓名脱敏: 只保留姓 (王*) / mask a person''s name keeping the first character';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'mask_name(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.mask_phone(v text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN char_length(v) <= 7 THEN repeat('*', char_length(v))
              ELSE left(v, 3) || repeat('*', char_length(v) - 7) || right(v, 4) END
$$;
COMMENT ON FUNCTION taxshare.mask_phone(text) IS
  '电话号码脱敏: 保留前 3 位与后 4 位 (138****5678) / mask a phone number keeping the first 3 and last 4 characters';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'mask_phone(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.mask_value(type text, v text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE type WHEN 'idcard' THEN taxshare.mask_idcard(v)
                   WHEN 'phone' THEN taxshare.mask_phone(v)
                   ELSE taxshare.mask_name(v) END
$$;
COMMENT ON FUNCTION taxshare.mask_value(text, text) IS
  '按字段类型脱敏 (身份证、电话, 其余按姓名) / mask a value by field type (resident ID, phone, else as a name)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'mask_value(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.sensitive_fields(item text, version integer)
RETURNS TABLE (name text, type text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
  SELECT f.name, f.type
    FROM taxshare.catalog_field f
   WHERE f.item_code = item AND f.item_version = version
     AND coalesce(f.sensitive,
                  f.type IN ('idcard', 'phone')
                  OR EXISTS (SELECT 1 FROM taxshare.catalog_party p
                              WHERE p.item_code = f.item_code AND p.item_version = f.item_version
                                AND p.idcard_field IS NOT NULL AND p.name_field = f.name))
$$;
COMMENT ON FUNCTION taxshare.sensitive_fields(text, integer) IS
  '目录条目某版本的敏感字段 / the sensitive fields of a catalog item version';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'sensitive_fields(text, integer)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.mask_payload(item text, version integer, payload jsonb)
RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
  SELECT payload || coalesce(jsonb_object_agg(s.name, taxshare.mask_value(s.type, payload ->> s.name)), '{}')
    FROM taxshare.sensitive_fields(item, version) s
   WHERE payload ? s.name AND jsonb_typeof(payload -> s.name) = 'string'
$$;
COMMENT ON FUNCTION taxshare.mask_payload(text, integer, jsonb) IS
  '对记录中的敏感字段脱敏 / mask the sensitive fields of a record payload';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'mask_payload(text, integer, jsonb)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare._catalog_field_set_sensitive(caller name, item text, field text, sensitive boolean)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  provider text;
  n integer;
BEGIN
  PERFORM taxshare._caller_check(caller);
  SELECT c.provider INTO provider FROM taxshare.catalog_item_current c WHERE c.code = item;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', item
      USING ERRCODE = '22023', HINT = 'See taxshare.catalog_item_current for the item codes.';
  END IF;
  IF NOT (taxshare._office_of(caller) OR provider = ANY (taxshare._units_of(caller))) THEN
    RAISE EXCEPTION 'role "%" cannot classify fields of item "%"', caller, item
      USING ERRCODE = '42501', HINT = 'The providing unit or the office classifies an item''s fields.';
  END IF;
  UPDATE taxshare.catalog_field f SET sensitive = _catalog_field_set_sensitive.sensitive
   WHERE f.item_code = item AND f.name = field;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'catalog item "%" has no field "%"', item, field
      USING ERRCODE = '22023', HINT = 'See taxshare.catalog_field for the field names.';
  END IF;
  PERFORM taxshare.ledger_append('field_sensitive',
                                 format('item %s field %s sensitive %s, by %s', item, field,
                                        coalesce(sensitive::text, 'default'), caller),
                                 NULL);
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare._catalog_field_set_sensitive(name, text, text, boolean) IS
  'catalog_field_set_sensitive 的执行体 (检查调用者) / worker of catalog_field_set_sensitive, checks the caller';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_field_set_sensitive(name, text, text, boolean)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.catalog_field_set_sensitive(item text, field text, sensitive boolean)
RETURNS integer
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._catalog_field_set_sensitive(current_user, item, field, sensitive) $$;
COMMENT ON FUNCTION taxshare.catalog_field_set_sensitive(text, text, boolean) IS
  '设定字段是否敏感 (各版本; NULL 恢复按类型默认), 仅提供单位与市财源办; 返回涉及的版本数 / mark a field sensitive or not in every version (NULL: back to the default by type); the providing unit or the office only; returns the versions changed';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'catalog_field_set_sensitive(text, text, boolean)', 'X', 'X', 'X', 'X', 'X', 'X');

-- What units and BI tools read of the records: the current accepted records
-- the role may read directly (its units' own and unconditionally shared items),
-- sensitive fields masked without clearance.  It runs as its owner, like a
-- plain view, over the tables (not the security_invoker view current_record)
-- with the filter written out (current_user inside a view is the caller): units are granted this view and not the record table, so masking
-- cannot be bypassed.  security_barrier keeps callers' functions from seeing
-- rows before the filter.  The clearance is one subquery per statement.
CREATE VIEW taxshare.record_visible WITH (security_barrier = true) AS
  SELECT r.id, r.submission_id, r.row_no, s.item_code, s.item_version, s.unit_code,
         s.period_start, s.period_end,
         CASE WHEN (SELECT taxshare.has_clearance()) THEN r.payload
              ELSE taxshare.mask_payload(s.item_code, s.item_version, r.payload) END AS payload,
         r.uscc,
         CASE WHEN (SELECT taxshare.has_clearance()) THEN r.idcard
              ELSE ARRAY(SELECT taxshare.mask_idcard(x) FROM unnest(r.idcard) x) END AS idcard,
         r.orgcode
    FROM taxshare.record r
    JOIN taxshare.submission s
      ON s.id = r.submission_id
     AND r.id >= s.id << 32 AND r.id < (s.id + 1) << 32
   WHERE r.status = 'accepted'
     AND s.superseded_by IS NULL
     AND s.status <> 'loading'
     AND r.submission_id IN (SELECT taxshare.readable_submissions());
COMMENT ON VIEW taxshare.record_visible IS
  '当前角色可直接读取的现行记录 (本单位的与无条件共享的), 无权限者敏感字段脱敏 / the current records the role reads directly (its units'' own and unconditionally shared ones), sensitive fields masked without clearance';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'record_visible', 'r', 'r', 'r', 'r', '', '');

-- The risk list with the masking the risk module left a hook for: the same
-- columns, identifiers of persons masked without clearance (USCC and
-- organization codes identify enterprises and stay).
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

-- ---------------------------------------------------------------------------
-- The access log: every read of conditionally shared data through
-- read_records() and every export (log_export, for the exchange module).
CREATE TABLE taxshare.access_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor         text NOT NULL DEFAULT session_user,
  role          name NOT NULL,
  action        text NOT NULL CHECK (action IN ('read', 'export')),
  item_code     text NOT NULL,
  period_start  date,
  rows          bigint NOT NULL CHECK (rows >= 0),
  grant_id      bigint REFERENCES taxshare.data_grant (id),
  purpose       text
);
CREATE INDEX access_log_item ON taxshare.access_log (item_code, at);
COMMENT ON TABLE taxshare.access_log IS
  '有条件共享数据的读取与导出日志 (谁、何时、哪个条目、多少行、所用授权的用途) / log of reads and exports of conditionally shared data: who, when, item, rows, purpose of the grant used';
COMMENT ON COLUMN taxshare.access_log.actor IS
  '会话用户 (登录角色) / session user (the login)';
COMMENT ON COLUMN taxshare.access_log.role IS
  '执行时的当前角色 / current role at the time';
SELECT pg_catalog.pg_extension_config_dump('taxshare.access_log', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.access_log_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'access_log', 'r', 'r', 'r', 'r', '', '');

ALTER TABLE taxshare.access_log ENABLE ROW LEVEL SECURITY;
-- The office sees every entry; a unit the reads of the items it provides and
-- its own reads.
CREATE POLICY access_log_read ON taxshare.access_log FOR SELECT
  TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit
  USING ((SELECT taxshare.is_office())
         OR role = current_user
         OR item_code IN (SELECT c.code FROM taxshare.catalog_item_current c
                           WHERE c.provider = ANY ((SELECT taxshare.current_units())::text[])));

CREATE FUNCTION taxshare._read_records(caller name, item text, period date)
RETURNS TABLE (record_id bigint, unit_code text, period_start date, payload jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  it record;
  g taxshare.data_grant;
  units text[];
  own boolean;
  clear boolean;
  n bigint;
BEGIN
  PERFORM taxshare._caller_check(caller);
  SELECT c.code, c.sharing, c.provider, c.classification, c.users INTO it
    FROM taxshare.catalog_item_current c WHERE c.code = item;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', item
      USING ERRCODE = '22023', HINT = 'See taxshare.catalog_item_current for the item codes.';
  END IF;
  units := taxshare._units_of(caller);
  own := it.provider = ANY (units);
  clear := taxshare._clearance_of(caller);
  -- Conditional items, and sensitive ones however shared, need a live grant.
  IF NOT own AND (it.sharing <> 'unconditional' OR it.classification = 'sensitive') THEN
    IF it.sharing = 'none' THEN
      RAISE EXCEPTION 'catalog item "%" is not shared', item
        USING ERRCODE = '42501', DETAIL = '该目录条目不予共享, 仅提供单位可用.',
              HINT = 'Only the providing unit reads it.';
    END IF;
    g := taxshare._live_grant(caller, item, period);
    IF g.id IS NULL THEN
      RAISE EXCEPTION 'role "%" holds no live grant for item "%"', caller, item
        USING ERRCODE = '42501',
              DETAIL = '有条件共享的数据须经审批后按申请用途使用.',
              HINT = 'Request one with taxshare.grant_request() and have it approved (taxshare.grant_approval).';
    END IF;
    -- The users the item names now, not when the grant was given.
    IF cardinality(it.users) > 0 AND (g.grantee_unit IS NULL OR g.grantee_unit <> ALL (it.users)) THEN
      RAISE EXCEPTION 'grant % is for %, which catalog item "%" does not list among its users', g.id,
                      coalesce('unit ' || g.grantee_unit, 'role ' || g.grantee_role), item
        USING ERRCODE = '42501',
              DETAIL = '该目录条目现仅限所列使用单位使用: ' || array_to_string(it.users, ', ') || '.',
              HINT = 'The providing unit lists the users in the catalog (users); ask it to add your unit.';
    END IF;
  ELSIF NOT own AND NOT (pg_catalog.pg_has_role(caller, 'taxshare_unit', 'MEMBER')
                         OR pg_catalog.pg_has_role(caller, 'taxshare_analyst', 'MEMBER')
                         OR pg_catalog.pg_has_role(caller, 'taxshare_tax', 'MEMBER')
                         OR pg_catalog.pg_has_role(caller, 'taxshare_admin', 'MEMBER')) THEN
    RAISE EXCEPTION 'role "%" may not read records', caller
      USING ERRCODE = '42501', HINT = 'Records are read by units, analysts, the tax bureau and the office.';
  END IF;
  RETURN QUERY
    SELECT c.id, c.unit_code, c.period_start,
           CASE WHEN clear THEN c.payload ELSE taxshare.mask_payload(c.item_code, c.item_version, c.payload) END
      FROM taxshare.current_record c
     WHERE c.item_code = item
       AND (period IS NULL OR c.period_start = period)
       AND (g.id IS NULL OR ((g.period_from IS NULL OR c.period_start >= g.period_from)
                             AND (g.period_to IS NULL OR c.period_start <= g.period_to)))
     ORDER BY c.id;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF g.id IS NOT NULL THEN
    INSERT INTO taxshare.access_log (role, action, item_code, period_start, rows, grant_id, purpose)
    VALUES (caller, 'read', item, period, n, g.id, g.purpose);
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare._read_records(name, text, date) IS
  'read_records 的执行体 (检查授权与使用单位并记录访问) / worker of read_records: checks the grant and the item''s users, and logs the access';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_read_records(name, text, date)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.read_records(item text, period date DEFAULT NULL)
RETURNS TABLE (record_id bigint, unit_code text, period_start date, payload jsonb)
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT * FROM taxshare._read_records(current_user, item, period) $$;
COMMENT ON FUNCTION taxshare.read_records(text, date) IS
  '读取某条目 (某报送期) 的现行记录: 有条件共享与敏感条目须持有效授权 (且为所列使用单位) 并记入 access_log; 无权限者敏感字段脱敏 / read the current records of an item (and period): conditional and sensitive items need a live grant (of a listed user unit) and are logged in access_log; sensitive fields masked without clearance';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'read_records(text, date)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare._log_export(caller name, item text, period date, rows bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  g taxshare.data_grant;
  new_id bigint;
BEGIN
  PERFORM taxshare._caller_check(caller);
  IF rows IS NULL OR rows < 0 THEN
    RAISE EXCEPTION 'invalid row count %', rows USING ERRCODE = '22023', HINT = 'Pass the number of rows exported.';
  END IF;
  g := taxshare._live_grant(caller, item, period);
  INSERT INTO taxshare.access_log (role, action, item_code, period_start, rows, grant_id, purpose)
  VALUES (caller, 'export', item, period, rows, g.id, g.purpose)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare._log_export(name, text, date, bigint) IS
  'log_export 的执行体 / worker of log_export';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_log_export(name, text, date, bigint)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.log_export(item text, period date, rows bigint)
RETURNS bigint
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare._log_export(current_user, item, period, rows) $$;
COMMENT ON FUNCTION taxshare.log_export(text, date, bigint) IS
  '记录一次导出 (供导出功能调用) / log an export (called by the export functions)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'log_export(text, date, bigint)', 'X', 'X', 'X', 'X', 'X', 'X');
