-- taxshare install script, assembled by the Makefile from control/install/*.sql.
\echo Use "CREATE EXTENSION taxshare" to load this file. \quit

-- The schema is created by CREATE EXTENSION (control file: schema = taxshare).
-- This part also holds the privilege plan, which every later part fills with
-- a row next to each object it creates (docs/security.md, "Privileges").
COMMENT ON SCHEMA taxshare IS
  '财税综合信息平台核心 / core of the tax-related information sharing platform';

-- The privilege plan: one row per table, view and function of the schema,
-- with what each group role may do with it.  The row is written right after
-- the object's CREATE and COMMENT, so a module declares its objects'
-- privileges in one place; 97_privileges.sql applies the plan at the end of
-- the install, and an upgrade script that adds objects adds their rows and
-- applies it again.  docs/security.md keeps the same matrix for review, and
-- test/pgtap/security_matrix.sql checks that the catalog, this table and the
-- docs agree.  The role columns are named after the roles without their
-- "taxshare_" prefix; a new group role is a new column (default '').
CREATE TABLE taxshare.privilege_plan (
  kind      text NOT NULL CHECK (kind IN ('table', 'view', 'function')),
  object    text PRIMARY KEY,
  admin     text NOT NULL DEFAULT '',
  analyst   text NOT NULL DEFAULT '',
  tax       text NOT NULL DEFAULT '',
  unit      text NOT NULL DEFAULT '',
  operator  text NOT NULL DEFAULT '',
  exchange  text NOT NULL DEFAULT '',
  frontdesk text NOT NULL DEFAULT ''
);
COMMENT ON TABLE taxshare.privilege_plan IS
  '权限计划: 每个表、视图、函数对各角色授予的权限 / privilege plan: what each group role may do with each table, view and function';
COMMENT ON COLUMN taxshare.privilege_plan.kind IS
  '对象类别: table, view, function / kind of object';
COMMENT ON COLUMN taxshare.privilege_plan.object IS
  '对象名 (不含模式); 函数为 名称(参数类型) / name without the schema; for a function name(argument types), stored as the catalog spells them';
COMMENT ON COLUMN taxshare.privilege_plan.admin IS
  'taxshare_admin 的权限: 表与视图为 rawd 中的字母 (SELECT, INSERT, UPDATE, DELETE, 按此顺序), 函数为 X (EXECUTE), 空为无 / privileges of taxshare_admin: letters of rawd in that order for tables and views, X for functions, empty for none (likewise the other role columns)';

-- Checks a plan row as it is written: the object exists with the kind given,
-- and each role column holds privilege letters that fit the kind, in order.
-- A function's signature is stored as the catalog spells it (types qualified
-- unless in pg_catalog), so that any spelling of the same function is one row.
CREATE FUNCTION taxshare._privilege_plan_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  rk "char";
  fn oid;
  allowed text;
  col name;
  v text;
BEGIN
  IF NEW.kind = 'function' THEN
    fn := pg_catalog.to_regprocedure('taxshare.' || NEW.object);
    IF fn IS NULL THEN
      RAISE EXCEPTION 'privilege plan names function taxshare.%, which does not exist', NEW.object
        USING ERRCODE = '42883',
              HINT = 'Write the plan row after the CREATE FUNCTION, with the argument types as in its COMMENT ON '
                     'FUNCTION (types of schema taxshare qualified).';
    END IF;
    SELECT pg_catalog.format('%s(%s)', pg_catalog.quote_ident(p.proname::text),
                             pg_catalog.oidvectortypes(p.proargtypes))
      INTO NEW.object
      FROM pg_catalog.pg_proc p WHERE p.oid = fn;
    allowed := '^X?$';
  ELSE
    SELECT c.relkind INTO rk
      FROM pg_catalog.pg_class c
     WHERE c.relnamespace = 'taxshare'::regnamespace AND c.relname = NEW.object;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'privilege plan names % taxshare.%, which does not exist', NEW.kind, NEW.object
        USING ERRCODE = '42P01',
              HINT = 'Write the plan row after the CREATE statement, naming the object without its schema.';
    END IF;
    IF (NEW.kind = 'table') <> (rk IN ('r', 'p')) OR (NEW.kind = 'view') <> (rk IN ('v', 'm')) THEN
      RAISE EXCEPTION 'privilege plan calls taxshare.% a %, which it is not', NEW.object, NEW.kind
        USING ERRCODE = '42809',
              HINT = 'The kind is "table" for a table, "view" for a view or materialized view.';
    END IF;
    allowed := '^r?a?w?d?$';
  END IF;
  FOR col IN SELECT a.attname FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
                AND a.attname NOT IN ('kind', 'object')
              ORDER BY a.attnum LOOP
    v := pg_catalog.to_jsonb(NEW) ->> col;
    IF v !~ allowed THEN
      RAISE EXCEPTION 'privileges "%" of taxshare_% on % taxshare.% are not a privilege set of a %',
                      v, col, NEW.kind, NEW.object, NEW.kind
        USING ERRCODE = '22023',
              HINT = 'Tables and views take letters of "rawd" (SELECT, INSERT, UPDATE, DELETE) in that order, '
                     'functions "X" (EXECUTE); '''' grants nothing.';
    END IF;
  END LOOP;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare._privilege_plan_check() IS
  '内部: 检查权限计划的行 (对象存在、类别相符、权限字母合法) / internal: checks a privilege plan row (the object exists, has that kind, the letters fit)';
CREATE TRIGGER privilege_plan_check BEFORE INSERT OR UPDATE ON taxshare.privilege_plan
  FOR EACH ROW EXECUTE FUNCTION taxshare._privilege_plan_check();

-- Applies the plan.  Nothing of the schema is left to PUBLIC, planned or not
-- (an object without a row is reachable by no role, and
-- test/pgtap/security_completeness.sql fails until it has one).  For its roles
-- the plan is the whole truth: each planned object first loses whatever they
-- held, so a changed row takes effect when an upgrade script applies the plan
-- again.  Grants to other roles (a DBA's audit role, say) are left alone.  A
-- sequence owned by a planned table goes to the roles that may insert into
-- the table (resolve_entities draws entity ids with nextval() as well: the
-- analysts may insert into entity).  Runs as the caller, and only the
-- extension's owner may call it: it grants on objects only their owner may.
CREATE FUNCTION taxshare._privileges_apply()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  roles name[];
  everyone text;
  p record;
  fn oid;
  target text;
  r name;
  words text;
  s record;
BEGIN
  SELECT pg_catalog.array_agg(a.attname ORDER BY a.attnum) INTO roles
    FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = 'taxshare.privilege_plan'::regclass AND a.attnum > 0 AND NOT a.attisdropped
     AND a.attname NOT IN ('kind', 'object');
  SELECT pg_catalog.string_agg(pg_catalog.quote_ident('taxshare_' || x.r), ', ') INTO everyone
    FROM pg_catalog.unnest(roles) x(r);

  REVOKE ALL ON ALL TABLES IN SCHEMA taxshare FROM PUBLIC;
  REVOKE ALL ON ALL SEQUENCES IN SCHEMA taxshare FROM PUBLIC;
  REVOKE ALL ON ALL ROUTINES IN SCHEMA taxshare FROM PUBLIC;

  FOR p IN SELECT * FROM taxshare.privilege_plan ORDER BY kind, object LOOP
    IF p.kind = 'function' THEN
      fn := pg_catalog.to_regprocedure('taxshare.' || p.object);
      IF fn IS NULL THEN
        RAISE EXCEPTION 'privilege plan names function taxshare.%, which does not exist', p.object
          USING ERRCODE = '42883',
                HINT = 'The script that drops a function deletes its row from taxshare.privilege_plan.';
      END IF;
      target := 'FUNCTION ' || fn::regprocedure::text;	-- qualified and quoted by the catalog
    ELSE
      IF pg_catalog.to_regclass(pg_catalog.format('taxshare.%I', p.object)) IS NULL THEN
        RAISE EXCEPTION 'privilege plan names % taxshare.%, which does not exist', p.kind, p.object
          USING ERRCODE = '42P01',
                HINT = 'The script that drops a table or view deletes its row from taxshare.privilege_plan.';
      END IF;
      target := pg_catalog.format('TABLE taxshare.%I', p.object);
    END IF;
    EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM %s', target, everyone);
    FOREACH r IN ARRAY roles LOOP
      SELECT pg_catalog.string_agg(w.word, ', ' ORDER BY w.ord) INTO words
        FROM (VALUES ('r', 'SELECT', 1), ('a', 'INSERT', 2), ('w', 'UPDATE', 3), ('d', 'DELETE', 4),
                     ('X', 'EXECUTE', 5)) w(letter, word, ord)
       WHERE pg_catalog.strpos(pg_catalog.to_jsonb(p) ->> r, w.letter) > 0;
      IF words IS NOT NULL THEN
        EXECUTE pg_catalog.format('GRANT %s ON %s TO %I', words, target, 'taxshare_' || r);
      END IF;
    END LOOP;
  END LOOP;

  FOR s IN SELECT seq.oid::regclass AS seq, pg_catalog.to_jsonb(pl) AS plan
             FROM pg_catalog.pg_depend d
             JOIN pg_catalog.pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
             JOIN pg_catalog.pg_class tab ON tab.oid = d.refobjid AND d.refclassid = 'pg_catalog.pg_class'::regclass
             JOIN taxshare.privilege_plan pl ON pl.kind = 'table' AND pl.object = tab.relname
            WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
              AND seq.relnamespace = 'taxshare'::regnamespace AND tab.relnamespace = 'taxshare'::regnamespace
            ORDER BY seq.relname LOOP
    EXECUTE pg_catalog.format('REVOKE ALL ON SEQUENCE %s FROM %s', s.seq, everyone);
    FOREACH r IN ARRAY roles LOOP
      IF pg_catalog.strpos(s.plan ->> r, 'a') > 0 THEN
        EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', s.seq, 'taxshare_' || r);
      END IF;
    END LOOP;
  END LOOP;
END
$$;
COMMENT ON FUNCTION taxshare._privileges_apply() IS
  '内部: 按权限计划授权 (撤销 PUBLIC 的一切权限, 计划中的角色只保留计划所列) / internal: applies the privilege plan (nothing to PUBLIC; the planned roles hold exactly what the plan says)';

INSERT INTO taxshare.privilege_plan VALUES ('table', 'privilege_plan', 'r', 'r', 'r', 'r', 'r', 'r');
INSERT INTO taxshare.privilege_plan VALUES ('function', '_privilege_plan_check()', '', '', '', '', '', '');
INSERT INTO taxshare.privilege_plan VALUES ('function', '_privileges_apply()', '', '', '', '', '', '');

CREATE FUNCTION taxshare.taxshare_version() RETURNS text
  AS 'MODULE_PATHNAME', 'taxshare_version'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.taxshare_version() IS
  '已加载的共享库版本 / version of the loaded shared library';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'taxshare_version()', 'X', 'X', 'X', 'X', 'X', 'X');
