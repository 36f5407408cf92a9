-- Security model, part 3: privileges.  Nothing in the schema is PUBLIC's;
-- each group role gets what its work needs, as the row written next to each
-- object in taxshare.privilege_plan says (00_schema.sql explains the plan;
-- docs/security.md keeps the same matrix, and test/pgtap/security_matrix.sql
-- checks that catalog, plan and docs agree).  Row-level security
-- (95_security.sql) then narrows the rows.  Runs last, once every part has
-- written its rows; an object without a row is reachable by no role, and
-- test/pgtap/security_completeness.sql fails until it has one.

GRANT USAGE ON SCHEMA taxshare TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit,
                                   taxshare_operator, taxshare_exchange, taxshare_frontdesk;
SELECT taxshare._privileges_apply();
