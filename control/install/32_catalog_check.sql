-- Helpers of catalog_define(): each refuses a wrong part of a definition with
-- the JSON path of the offending part (docs/catalog.md, "Definition errors").

CREATE FUNCTION taxshare._catalog_fail(path text, problem text, hint text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'invalid catalog definition at %: %', path, problem
    USING ERRCODE = '22023',
          HINT = coalesce(hint, 'See docs/catalog.md for the definition format.');
END
$$;
COMMENT ON FUNCTION taxshare._catalog_fail(text, text, text) IS
  '内部: 报告目录定义错误及其 JSON 路径 / internal: raise a catalog definition error at a JSON path';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_fail(text, text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Refuse keys that the format does not know: a misspelt "contraints" must not
-- silently drop the constraints.
CREATE FUNCTION taxshare._catalog_keys(obj jsonb, allowed text[], path text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text;
BEGIN
  IF jsonb_typeof(obj) <> 'object' THEN
    PERFORM taxshare._catalog_fail(path, format('expected a JSON object, found %s', jsonb_typeof(obj)));
  END IF;
  FOR k IN SELECT jsonb_object_keys(obj) LOOP
    IF NOT k = ANY (allowed) THEN
      PERFORM taxshare._catalog_fail(path || '.' || k, format('unknown key "%s"', k),
                                     'Allowed keys here: ' || array_to_string(allowed, ', ') || '.');
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION taxshare._catalog_keys(jsonb, text[], text) IS
  '内部: 拒绝目录定义中的未知键 / internal: refuse unknown keys of a catalog definition object';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_keys(jsonb, text[], text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- A string member, or NULL when absent; anything but a string is refused.
CREATE FUNCTION taxshare._catalog_string(obj jsonb, key text, path text, required boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v jsonb := obj -> key;
BEGIN
  IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
    IF required THEN
      PERFORM taxshare._catalog_fail(path || '.' || key, 'required key is missing');
    END IF;
    RETURN NULL;
  END IF;
  IF jsonb_typeof(v) <> 'string' THEN
    PERFORM taxshare._catalog_fail(path || '.' || key, format('expected a string, found %s', jsonb_typeof(v)));
  END IF;
  IF required AND btrim(v #>> '{}') = '' THEN
    PERFORM taxshare._catalog_fail(path || '.' || key, 'must not be empty');
  END IF;
  RETURN v #>> '{}';
END
$$;
COMMENT ON FUNCTION taxshare._catalog_string(jsonb, text, text, boolean) IS
  '内部: 读取目录定义中的字符串成员 / internal: read a string member of a catalog definition';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_string(jsonb, text, text, boolean)', 'X', 'X', 'X', 'X', 'X', 'X');

-- A field name member naming an existing field of the version being defined.
CREATE FUNCTION taxshare._catalog_field_ref(v jsonb, path text, item text, ver integer,
                                            types text[] DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n text;
  t text;
BEGIN
  IF v IS NULL OR jsonb_typeof(v) <> 'string' THEN
    PERFORM taxshare._catalog_fail(path, 'expected a field name (a string)');
  END IF;
  n := v #>> '{}';
  SELECT f.type INTO t FROM taxshare.catalog_field f
   WHERE f.item_code = item AND f.item_version = ver AND f.name = n;
  IF NOT FOUND THEN
    PERFORM taxshare._catalog_fail(path, format('no field named "%s"', n),
                                   'Name a field declared in $.schema.fields.');
  END IF;
  IF types IS NOT NULL AND NOT t = ANY (types) THEN
    PERFORM taxshare._catalog_fail(path, format('field "%s" has type %s, expected %s', n, t,
                                                array_to_string(types, ' or ')));
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare._catalog_field_ref(jsonb, text, text, integer, text[]) IS
  '内部: 校验目录定义中对字段的引用 / internal: check a reference to a field in a catalog definition';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_field_ref(jsonb, text, text, integer, text[])', 'X', 'X', 'X', 'X', 'X', 'X');

-- The canonical form of a constraint value given as a JSON string or number.
CREATE FUNCTION taxshare._catalog_value(v jsonb, type text, path text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c text;
BEGIN
  IF v IS NULL OR jsonb_typeof(v) NOT IN ('string', 'number', 'boolean') THEN
    PERFORM taxshare._catalog_fail(path, 'expected a string, number or boolean value');
  END IF;
  c := taxshare.catalog_canonical(type, v #>> '{}');
  IF c IS NULL THEN
    PERFORM taxshare._catalog_fail(path, format('"%s" is not a valid %s value', v #>> '{}', type));
  END IF;
  RETURN c;
END
$$;
COMMENT ON FUNCTION taxshare._catalog_value(jsonb, text, text) IS
  '内部: 规范化目录定义中的约束值 / internal: canonical form of a constraint value in a catalog definition';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_value(jsonb, text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Compare two canonical values of one ordered type.
CREATE FUNCTION taxshare._catalog_less(a text, b text, type text)
RETURNS boolean
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN type IN ('number', 'integer', 'amount', 'year')
              THEN a::numeric < b::numeric
              ELSE a COLLATE "C" < b COLLATE "C" END
$$;
COMMENT ON FUNCTION taxshare._catalog_less(text, text, text) IS
  '内部: 比较同一有序类型的两个规范值 / internal: order of two canonical values of one ordered type';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_less(text, text, text)', 'X', 'X', 'X', 'X', 'X', 'X');
