-- #17: who approves the use of conditionally shared data is a setting,
-- taxshare.grant_approval (office, provider, either, both; src/sharing/).
-- New installs default to office (Hengyang art. 23, 28).  An installed
-- database keeps the rule of 0.1.0, either (the providing unit or the office),
-- until its DBA changes it (docs/security.md, "Grants"): the update sets
-- 'either' on this database.  Each side's approval gets columns of its own, so
-- that 'both' can wait for the second side.
ALTER TABLE taxshare.data_grant
  ADD COLUMN office_approved_by    text,
  ADD COLUMN office_approved_at    timestamptz,
  ADD COLUMN provider_approved_by  text,
  ADD COLUMN provider_approved_at  timestamptz;
COMMENT ON COLUMN taxshare.data_grant.approved_by IS
  '使授权生效的审批人 (按 taxshare.grant_approval 的最后一步) / who made the grant live (the last approval the policy taxshare.grant_approval asks for)';
COMMENT ON COLUMN taxshare.data_grant.office_approved_by IS
  '以市财源办身份审批的登录名 / the login that approved for the office';
COMMENT ON COLUMN taxshare.data_grant.provider_approved_by IS
  '以提供单位身份审批的登录名 / the login that approved for the providing unit';

CREATE FUNCTION taxshare.grant_approval_policy() RETURNS text
  LANGUAGE c STABLE PARALLEL SAFE
  AS 'MODULE_PATHNAME', 'taxshare_grant_approval_policy';
COMMENT ON FUNCTION taxshare.grant_approval_policy() IS
  '本会话生效的有条件共享审批方式 (taxshare.grant_approval: office、provider、either、both) / the approval policy in force for this session (taxshare.grant_approval: office, provider, either, both)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'grant_approval_policy()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE OR REPLACE FUNCTION taxshare._grant_decide(caller name, grant_id bigint, decision text)
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
COMMENT ON FUNCTION taxshare.grant_approve(bigint) IS
  '审批使用申请: 由谁审批见 taxshare.grant_approval (市财源办、提供单位、任一方或双方) / approve a request: who may is set by taxshare.grant_approval (the office, the providing unit, either or both)';

DO $$
BEGIN
  EXECUTE pg_catalog.format('ALTER DATABASE %I SET taxshare.grant_approval = %L',
                            pg_catalog.current_database(), 'either');
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'could not keep the approval policy of 0.1.0 for database "%"', pg_catalog.current_database()
    USING DETAIL = 'New installs of 0.2.0 let only the office approve grants (taxshare.grant_approval = office).',
          HINT = 'As a superuser: ALTER DATABASE ' || pg_catalog.quote_ident(pg_catalog.current_database())
                 || ' SET taxshare.grant_approval = either; or accept office.';
END
$$;
SELECT taxshare._privileges_apply();
