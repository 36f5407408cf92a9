-- Typed views per catalog item for BI tools: one column per field, typed, with
-- the field title as the column comment, over the current accepted records.
-- They run with the caller's rights (security_invoker, PostgreSQL 15+), so the
-- row-level security of record and submission applies to whoever reads them,
-- and are granted to the roles that may read current_record (the office,
-- analysts, the tax bureau).  PostgreSQL 13-14 have no security_invoker: there
-- a view reads as its owner and would bypass every policy, so the view is
-- created ungranted and the DBA grants it only to roles that may read every
-- record of the item (docs/security.md).

CREATE TABLE taxshare.catalog_view (
  item_code     text PRIMARY KEY,
  view_name     text NOT NULL UNIQUE,
  item_version  integer NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.catalog_view IS
  '为目录条目生成的类型化视图 / typed views generated for catalog items';
SELECT pg_catalog.pg_extension_config_dump('taxshare.catalog_view', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'catalog_view', 'rawd', 'r', 'r', 'r', 'r', '');

-- The SQL type of a catalog field type in the typed views.
CREATE FUNCTION taxshare.catalog_sql_type(type text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE type
           WHEN 'number' THEN 'numeric'
           WHEN 'integer' THEN 'bigint'
           WHEN 'amount' THEN 'numeric(18,2)'
           WHEN 'boolean' THEN 'boolean'
           WHEN 'date' THEN 'date'
           WHEN 'datetime' THEN 'timestamp without time zone'
           WHEN 'year' THEN 'integer'
           ELSE 'text' END
$$;
COMMENT ON FUNCTION taxshare.catalog_sql_type(text) IS
  '目录字段类型对应的 SQL 类型 / SQL type of a catalog field type in typed views';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'catalog_sql_type(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.catalog_view_create(item text)
RETURNS regclass
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  it record;
  f record;
  vname text;
  owner text;
  cols text := '';
  excluded integer[];
  invoker boolean;
BEGIN
  SELECT * INTO it FROM taxshare.catalog_item_current c WHERE c.code = catalog_view_create.item;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', catalog_view_create.item
      USING ERRCODE = '22023',
            HINT = 'Define the item with taxshare.catalog_define() first.';
  END IF;
  vname := 'item_' || lower(regexp_replace(it.code, '[^A-Za-z0-9]+', '_', 'g'));
  SELECT v.item_code INTO owner FROM taxshare.catalog_view v WHERE v.view_name = vname;
  IF FOUND AND owner <> it.code THEN
    RAISE EXCEPTION 'view name "%" of item "%" is already used by item "%"', vname, it.code, owner
      USING ERRCODE = '42P07',
            HINT = 'Item codes that differ only in punctuation or case share a view name; drop the other view first.';
  END IF;

  FOR f IN SELECT cf.name, cf.title, cf.type FROM taxshare.catalog_field cf
            WHERE cf.item_code = it.code AND cf.item_version = it.version ORDER BY cf.position LOOP
    IF f.name IN ('_record_id', '_submission_id', '_unit_code', '_period_start') THEN
      RAISE EXCEPTION 'field "%" of item "%" clashes with a column of the typed view', f.name, it.code
        USING ERRCODE = '42701',
              HINT = 'Rename the field; the typed view has the columns _record_id, _submission_id, _unit_code and _period_start.';
    END IF;
    cols := cols || format(', (r.payload ->> %L)::%s AS %I', f.name, taxshare.catalog_sql_type(f.type), f.name);
  END LOOP;

  -- Records checked against a version that gave a field another type would not
  -- cast; they stay out of the view.
  SELECT coalesce(array_agg(DISTINCT old.item_version), '{}') INTO excluded
    FROM taxshare.catalog_field old
    JOIN taxshare.catalog_field cur
      ON cur.item_code = old.item_code AND cur.item_version = it.version AND cur.name = old.name
   WHERE old.item_code = it.code
     AND taxshare.catalog_sql_type(old.type) <> taxshare.catalog_sql_type(cur.type);

  invoker := pg_catalog.current_setting('server_version_num')::integer >= 150000;
  EXECUTE format('DROP VIEW IF EXISTS taxshare.%I', vname);
  EXECUTE format('CREATE VIEW taxshare.%I%s AS SELECT r.id AS _record_id, r.submission_id AS _submission_id,'
                 ' r.unit_code AS _unit_code, r.period_start AS _period_start%s'
                 ' FROM taxshare.current_record r WHERE r.item_code = %L AND r.item_version <> ALL (%L::integer[])',
                 vname, CASE WHEN invoker THEN ' WITH (security_invoker = true)' ELSE '' END,
                 cols, it.code, excluded);
  IF invoker THEN
    EXECUTE format('GRANT SELECT ON taxshare.%I TO taxshare_admin, taxshare_analyst, taxshare_tax', vname);
  END IF;
  EXECUTE format('COMMENT ON VIEW taxshare.%I IS %L', vname,
                 format('%s (%s) / typed view of catalog item %s', it.title, it.code, it.code));
  FOR f IN SELECT cf.name, cf.title FROM taxshare.catalog_field cf
            WHERE cf.item_code = it.code AND cf.item_version = it.version LOOP
    EXECUTE format('COMMENT ON COLUMN taxshare.%I.%I IS %L', vname, f.name, f.title);
  END LOOP;
  EXECUTE format('COMMENT ON COLUMN taxshare.%I._record_id IS %L', vname, '记录编号 / record id');
  EXECUTE format('COMMENT ON COLUMN taxshare.%I._submission_id IS %L', vname, '报送批次号 / submission id');
  EXECUTE format('COMMENT ON COLUMN taxshare.%I._unit_code IS %L', vname, '报送单位 / reporting unit');
  EXECUTE format('COMMENT ON COLUMN taxshare.%I._period_start IS %L', vname, '报送期起始日 / period start');

  INSERT INTO taxshare.catalog_view (item_code, view_name, item_version)
  VALUES (it.code, vname, it.version)
  ON CONFLICT (item_code) DO UPDATE SET view_name = EXCLUDED.view_name,
                                        item_version = EXCLUDED.item_version, created_at = now();
  RETURN format('taxshare.%I', vname)::regclass;
END
$$;
COMMENT ON FUNCTION taxshare.catalog_view_create(text) IS
  '为目录条目生成类型化视图 (列名为字段名, 列注释为字段标题), 供 BI 工具使用; 修订条目后重新调用; 视图以读取者的权限执行 (security_invoker), 行级安全照常生效 / create the typed view of a catalog item for BI tools (columns named by field, commented with the title); call again after revising the item; the view runs with the reader''s rights (security_invoker), so row-level security applies';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'catalog_view_create(text)', 'X', 'X', 'X', 'X', 'X', 'X');
