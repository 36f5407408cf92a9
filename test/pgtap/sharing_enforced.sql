-- What the catalog says about sharing, enforced (docs/security.md,
-- "Conditional and sensitive items"): an item that names its users is
-- requested and read by those units only, checked again at each read against
-- the item's current version; an item classified sensitive needs a grant
-- whatever its sharing type, and its reads are logged.
BEGIN;
SELECT plan(18);

INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('SE-P', '共享执行测试提供局', 'department'), ('SE-U', '共享执行测试使用局', 'department'),
  ('SE-X', '共享执行测试他局', 'department');
CREATE ROLE se_p LOGIN IN ROLE taxshare_unit;
CREATE ROLE se_u LOGIN IN ROLE taxshare_unit;
CREATE ROLE se_x LOGIN IN ROLE taxshare_unit;
CREATE ROLE se_two LOGIN IN ROLE taxshare_unit;	-- a login of two units
CREATE ROLE se_analyst LOGIN IN ROLE taxshare_analyst;
INSERT INTO taxshare.unit_member (role, unit_code) VALUES
  ('se_p', 'SE-P'), ('se_u', 'SE-U'), ('se_x', 'SE-X'), ('se_two', 'SE-U'), ('se_two', 'SE-X');
SET LOCAL taxshare.grant_approval = 'either';

-- A conditional item for SE-U only, and an unconditional one classified sensitive.
SELECT taxshare.catalog_define($j${"code": "SE-COND", "title": "限定使用单位测试", "provider": "SE-P",
  "frequency": "monthly", "sharing": "conditional", "users": ["SE-U"],
  "schema": {"fields": [{"name": "price", "title": "金额", "type": "amount"}]}}$j$::jsonb);
SELECT taxshare.catalog_define($j${"code": "SE-SENS", "title": "敏感条目测试", "provider": "SE-P",
  "frequency": "monthly", "sharing": "unconditional", "classification": "sensitive",
  "schema": {"fields": [{"name": "price", "title": "金额", "type": "amount"}]}}$j$::jsonb);
SELECT taxshare.catalog_define($j${"code": "SE-OPEN", "title": "无条件非敏感测试", "provider": "SE-P",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "price", "title": "金额", "type": "amount"}]}}$j$::jsonb);
SELECT taxshare.submit('SE-COND', 'SE-P', '2024-01-01', '[{"price": "1"}, {"price": "2"}]');
SELECT taxshare.submit('SE-SENS', 'SE-P', '2024-01-01', '[{"price": "3"}]');
SELECT taxshare.submit('SE-OPEN', 'SE-P', '2024-01-01', '[{"price": "4"}]');

-- users
SET LOCAL ROLE se_x;
SELECT throws_ok($$SELECT taxshare.grant_request('SE-COND', '核查', '本局', current_date + 30)$$, '42501',
                 'unit "SE-X" is not among the users of catalog item "SE-COND"',
                 'a unit the item does not list cannot request it');
RESET ROLE;
SET LOCAL ROLE se_two;
SELECT throws_ok($$SELECT taxshare.grant_request('SE-COND', '核查', '本局', current_date + 30)$$, '42501', NULL,
                 'a login of several units must name a listed one: no grant to a login as such');
SELECT throws_ok($$SELECT taxshare.grant_request('SE-COND', '核查', '本局', current_date + 30, for_unit => 'SE-X')$$,
                 '42501', NULL, 'nor for its unit that is not listed');
SELECT ok(taxshare.grant_request('SE-COND', '核查', '本局', current_date + 30, for_unit => 'SE-U') > 0,
          'but for its listed unit');
RESET ROLE;
SET LOCAL ROLE se_u;
SELECT taxshare.grant_request('SE-COND', '核查', '本局', current_date + 30) AS g_cond \gset
RESET ROLE;
SET LOCAL ROLE se_p;
SELECT lives_ok(format('SELECT taxshare.grant_approve(%s)', :g_cond), 'the provider approves the listed unit''s request');
RESET ROLE;
SET LOCAL ROLE se_u;
SELECT is((SELECT count(*)::int FROM taxshare.read_records('SE-COND')), 2, 'the listed unit reads with its grant');
RESET ROLE;
-- The provider revises the item: SE-U is no longer a user.  The grant stays
-- approved, but a read is checked against the users of today.
SELECT taxshare.catalog_define($j${"code": "SE-COND", "title": "限定使用单位测试", "provider": "SE-P",
  "frequency": "monthly", "sharing": "conditional", "users": ["SE-X"],
  "schema": {"fields": [{"name": "price", "title": "金额", "type": "amount"}]}}$j$::jsonb);
SET LOCAL ROLE se_u;
SELECT throws_ok($$SELECT * FROM taxshare.read_records('SE-COND')$$, '42501', NULL,
                 'a unit dropped from the users cannot read, even with a grant approved before');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM taxshare.access_log WHERE item_code = 'SE-COND'), 1,
          'only the allowed read is in the access log');

-- sensitive
SET LOCAL ROLE se_u;
SELECT is((SELECT count(*)::int FROM taxshare.record_visible WHERE item_code = 'SE-SENS'), 0,
          'a sensitive item is not read directly by other units, although unconditional');
SELECT is((SELECT count(*)::int FROM taxshare.record_visible WHERE item_code = 'SE-OPEN'), 1,
          'an unconditional item that is not sensitive still is');
SELECT throws_ok($$SELECT * FROM taxshare.read_records('SE-SENS')$$, '42501', NULL,
                 'read_records() asks a grant for a sensitive item');
SELECT taxshare.grant_request('SE-SENS', '核查', '本局', current_date + 30) AS g_sens \gset
RESET ROLE;
SELECT ok(:g_sens > 0, 'a sensitive unconditional item can be requested (no "no grant is needed")');
SET LOCAL ROLE se_p;
SELECT is((SELECT count(*)::int FROM taxshare.record_visible WHERE item_code = 'SE-SENS'), 1,
          'the provider reads its own sensitive item directly');
SELECT lives_ok(format('SELECT taxshare.grant_approve(%s)', :g_sens), 'and approves the request');
RESET ROLE;
SET LOCAL ROLE se_u;
SELECT is((SELECT count(*)::int FROM taxshare.read_records('SE-SENS')), 1, 'with the grant the sensitive item is read');
RESET ROLE;
SELECT is((SELECT array[role::text, item_code, rows::text, (grant_id = :g_sens)::text] FROM taxshare.access_log
            WHERE item_code = 'SE-SENS'),
          ARRAY['se_u', 'SE-SENS', '1', 'true'], 'and the read is logged with its grant');
SET LOCAL ROLE se_analyst;
SELECT is((SELECT count(*)::int FROM taxshare.record r JOIN taxshare.submission s ON s.id = r.submission_id
            WHERE s.item_code = 'SE-SENS'), 0, 'an analyst does not read a sensitive item from the table either');
SELECT is((SELECT count(*)::int FROM taxshare.record r JOIN taxshare.submission s ON s.id = r.submission_id
            WHERE s.item_code = 'SE-OPEN'), 1, 'while it reads an unconditional one');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
