-- #17: what the catalog says about sharing is enforced (docs/security.md,
-- "Conditional and sensitive items").  An item that names its users
-- (catalog_item.users) is requested and read by those units only, checked
-- again at each read against the current version of the item; an item
-- classified sensitive needs a grant whatever its sharing type: it is no
-- longer read directly as an unconditional item (_open_items), and
-- read_records() asks for the grant and logs the read.
CREATE OR REPLACE FUNCTION taxshare._open_items(r name)
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

CREATE OR REPLACE FUNCTION taxshare._grant_request(caller name, item text, purpose text, scope text, until date,
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

CREATE OR REPLACE FUNCTION taxshare._read_records(caller name, item text, period date)
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

COMMENT ON FUNCTION taxshare.read_records(text, date) IS
  '读取某条目 (某报送期) 的现行记录: 有条件共享与敏感条目须持有效授权 (且为所列使用单位) 并记入 access_log; 无权限者敏感字段脱敏 / read the current records of an item (and period): conditional and sensitive items need a live grant (of a listed user unit) and are logged in access_log; sensitive fields masked without clearance';

COMMENT ON FUNCTION taxshare.grant_request(text, text, text, date, date, date, text) IS
  '申请使用有条件共享或敏感的目录条目 (用途、范围、截止日; 可限定报送期; 条目列有使用单位时仅限所列单位), 返回申请号 / request the use of a conditionally shared or sensitive item (purpose, scope, end date; optionally a range of periods; only for a listed unit where the item names its users); returns the request id';

