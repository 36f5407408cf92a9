-- Who approves the use of conditionally shared data: the policy
-- taxshare.grant_approval (office, provider, either, both), src/sharing/ and
-- _grant_decide() in control/install/96_access.sql.  Each policy against the
-- three callers that matter: the providing unit, the office, and the
-- grantee; 'both' waits for the second side; a unit cannot loosen the policy
-- for its session; every approval is a ledger entry naming its side.
BEGIN;
SELECT plan(27);

INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('GA-P', '审批测试提供局', 'department'), ('GA-G', '审批测试使用局', 'department'),
  ('GA-O', '审批测试财源办', 'office');
SELECT taxshare.catalog_define($j${"code": "GA-COND", "title": "审批方式测试", "provider": "GA-P",
  "frequency": "monthly", "sharing": "conditional",
  "schema": {"fields": [{"name": "price", "title": "金额", "type": "amount"}]}}$j$::jsonb);
CREATE ROLE ga_provider LOGIN IN ROLE taxshare_unit;
CREATE ROLE ga_grantee LOGIN IN ROLE taxshare_unit;
CREATE ROLE ga_office LOGIN IN ROLE taxshare_unit;	-- a login of the office's own unit
INSERT INTO taxshare.unit_member (role, unit_code) VALUES
  ('ga_provider', 'GA-P'), ('ga_grantee', 'GA-G'), ('ga_office', 'GA-O');

-- A pending request of the grantee, returned by id.
CREATE FUNCTION pg_temp.ga_request() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE id bigint;
BEGIN
  SET LOCAL ROLE ga_grantee;
  id := taxshare.grant_request('GA-COND', '审批方式测试', '本局', current_date + 30);
  RESET ROLE;
  RETURN id;
END $$;
-- Approve as a role; NULL when it succeeded, else the SQLSTATE.
CREATE FUNCTION pg_temp.ga_approve(r name, id bigint) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', r);
  PERFORM taxshare.grant_approve(id);
  RESET ROLE;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  RESET ROLE;
  RETURN SQLSTATE;
END $$;
CREATE FUNCTION pg_temp.ga_status(id bigint) RETURNS text LANGUAGE sql AS
  $$ SELECT status FROM taxshare.data_grant WHERE data_grant.id = ga_status.id $$;

SELECT is((SELECT boot_val FROM pg_settings WHERE name = 'taxshare.grant_approval'), 'office',
          'a new install lets the office approve (Hengyang art. 23): the built-in default is office');
SELECT is((SELECT context FROM pg_settings WHERE name = 'taxshare.grant_approval'), 'superuser',
          'only a superuser sets the policy (per database: ALTER DATABASE ... SET)');

-- office
SET LOCAL taxshare.grant_approval = 'office';
SELECT is(taxshare.grant_approval_policy(), 'office', 'grant_approval_policy() reads the setting');
SELECT pg_temp.ga_request() AS g1 \gset
SELECT is(pg_temp.ga_approve('ga_provider', :g1), '42501', 'office: the providing unit may not approve');
SELECT is(pg_temp.ga_approve('ga_grantee', :g1), '42501', 'office: nor the grantee');
SELECT is(pg_temp.ga_status(:g1), 'requested', 'office: a refused approval changes nothing');
SELECT is(pg_temp.ga_approve('ga_office', :g1), NULL, 'office: a login of the office''s unit approves');
SELECT is((SELECT array[status, office_approved_by, coalesce(provider_approved_by, '-'), approved_by]
             FROM taxshare.data_grant WHERE id = :g1),
          ARRAY['approved', 'ga_office', '-', 'ga_office'], 'office: live, approved for the office');

-- provider
SET LOCAL taxshare.grant_approval = 'provider';
SELECT pg_temp.ga_request() AS g2 \gset
SELECT is(pg_temp.ga_approve('ga_office', :g2), '42501', 'provider: the office may not approve');
SELECT is(pg_temp.ga_approve('ga_provider', :g2), NULL, 'provider: the providing unit approves');
SELECT is((SELECT array[status, coalesce(office_approved_by, '-'), provider_approved_by]
             FROM taxshare.data_grant WHERE id = :g2),
          ARRAY['approved', '-', 'ga_provider'], 'provider: live, approved for the provider');

-- either (the rule of 0.1.0, kept by an upgraded install)
SET LOCAL taxshare.grant_approval = 'either';
SELECT pg_temp.ga_request() AS g3 \gset
SELECT pg_temp.ga_request() AS g4 \gset
SELECT is(pg_temp.ga_approve('ga_grantee', :g3), '42501', 'either: the grantee still may not approve');
SELECT is(pg_temp.ga_approve('ga_provider', :g3), NULL, 'either: the providing unit approves');
SELECT is(pg_temp.ga_approve('ga_office', :g4), NULL, 'either: so does the office');
SELECT is(pg_temp.ga_status(:g3) || pg_temp.ga_status(:g4), 'approvedapproved', 'either: one side makes the grant live');
SELECT is(pg_temp.ga_approve('ga_office', :g3), '55000', 'either: an approved grant is not approved again');

-- both
SET LOCAL taxshare.grant_approval = 'both';
SELECT pg_temp.ga_request() AS g5 \gset
SELECT is(pg_temp.ga_approve('ga_provider', :g5), NULL, 'both: the providing unit approves first');
SELECT is(pg_temp.ga_status(:g5), 'requested', 'both: one side is not enough, the request stays pending');
SELECT is(pg_temp.ga_approve('ga_provider', :g5), '55000', 'both: the same side cannot approve twice');
SET LOCAL ROLE ga_provider;
SELECT throws_like(format('SELECT taxshare.grant_approve(%s)', :g5),
                   '%already has the approval of your side%', 'both: and is told it waits for the other side');
RESET ROLE;
SELECT is(pg_temp.ga_approve('ga_office', :g5), NULL, 'both: the office approves second');
SELECT is((SELECT array[status, office_approved_by, provider_approved_by, approved_by]
             FROM taxshare.data_grant WHERE id = :g5),
          ARRAY['approved', 'ga_office', 'ga_provider', 'ga_office'], 'both: live once both sides approved');
SELECT is((SELECT array_agg(object ORDER BY seq) FROM taxshare.ledger
            WHERE action = 'grant_approve' AND object LIKE format('grant %s %%', :g5)),
          ARRAY[format('grant %s approved in part: item GA-COND for unit GA-G, by ga_provider for the provider (policy both)', :g5),
                format('grant %s approved: item GA-COND for unit GA-G, by ga_office for the office (policy both)', :g5)],
          'both: each approval is a ledger entry naming its side and the policy');

-- The office providing its own item approves for both sides at once.
SELECT taxshare.catalog_define($j${"code": "GA-OWN", "title": "财源办自有条目", "provider": "GA-O",
  "frequency": "monthly", "sharing": "conditional",
  "schema": {"fields": [{"name": "price", "title": "金额", "type": "amount"}]}}$j$::jsonb);
SET LOCAL ROLE ga_grantee;
SELECT taxshare.grant_request('GA-OWN', '审批方式测试', '本局', current_date + 30) AS g6 \gset
RESET ROLE;
SELECT is(pg_temp.ga_approve('ga_office', :g6), NULL, 'both: the office approves its own item');
SELECT is(pg_temp.ga_status(:g6), 'approved', 'both: for both sides at once');

-- A unit cannot loosen the policy for its own session.
SET LOCAL ROLE ga_provider;
SELECT throws_ok($$SET taxshare.grant_approval = either$$, '42501', NULL,
                 'a unit''s login cannot SET a laxer policy');
RESET ROLE;
SELECT throws_ok($$SET taxshare.grant_approval = anyone$$, '22023', NULL, 'an unknown policy is refused');

SELECT * FROM finish();
ROLLBACK;
