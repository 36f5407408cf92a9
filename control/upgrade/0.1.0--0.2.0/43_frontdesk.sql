-- #19 §2: a read-only group role for front-desk systems, taxshare_frontdesk,
-- that sees the restrictions in force (restriction_current) and nothing else:
-- a new column of taxshare.privilege_plan (00_schema.sql), created with the
-- other roles (95_security.sql) and given USAGE on the schema
-- (97_privileges.sql).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'taxshare_frontdesk') THEN
    CREATE ROLE taxshare_frontdesk NOLOGIN;
  END IF;
END
$$;
COMMENT ON ROLE taxshare_frontdesk IS '前台系统 (办税服务厅等) 只读账号: 仅见现行限制类指令 / front-desk systems (service halls ...), read-only: the restrictions in force, nothing else';
ALTER TABLE taxshare.privilege_plan ADD COLUMN frontdesk text NOT NULL DEFAULT '';
GRANT USAGE ON SCHEMA taxshare TO taxshare_frontdesk;
UPDATE taxshare.privilege_plan SET frontdesk = 'r' WHERE kind = 'view' AND object = 'restriction_current';
SELECT taxshare._privileges_apply();
