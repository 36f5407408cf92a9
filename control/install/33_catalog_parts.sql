-- The parts of a catalog definition: one field, one cross-field rule, one
-- party.  Each checks its part and writes it for the version being defined.

CREATE FUNCTION taxshare._catalog_define_field(item text, ver integer, pos integer,
                                               f jsonb, path text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n text;
  t text;
  c jsonb;
  k text;
  v jsonb;
  req boolean := false;
  uniq boolean := false;
  minlen integer;
  maxlen integer;
  mn text;
  mx text;
  pat text;
  en text[];
  e jsonb;
  ei bigint;
  ordered CONSTANT text[] := ARRAY['number', 'integer', 'amount', 'year', 'date', 'datetime', 'yearmonth'];
BEGIN
  PERFORM taxshare._catalog_keys(f, ARRAY['name', 'title', 'description', 'type', 'constraints', 'example'], path);
  n := taxshare._catalog_string(f, 'name', path, true);
  IF octet_length(n) > 63 THEN
    PERFORM taxshare._catalog_fail(path || '.name', format('field name "%s" is longer than 63 bytes', n),
                                   'Field names become column names of the typed view; shorten it.');
  END IF;
  IF EXISTS (SELECT 1 FROM taxshare.catalog_field x
              WHERE x.item_code = item AND x.item_version = ver AND x.name = n) THEN
    PERFORM taxshare._catalog_fail(path || '.name', format('duplicate field "%s"', n),
                                   'Each field name may appear once in $.schema.fields.');
  END IF;
  t := taxshare._catalog_string(f, 'type', path, true);
  IF NOT t = ANY (taxshare.catalog_types()) THEN
    PERFORM taxshare._catalog_fail(path || '.type', format('unknown type "%s"', t),
                                   'Valid types: ' || array_to_string(taxshare.catalog_types(), ', ') || '.');
  END IF;

  c := f -> 'constraints';
  IF c IS NOT NULL THEN
    PERFORM taxshare._catalog_keys(c, ARRAY['required', 'unique', 'minLength', 'maxLength', 'minimum',
                                            'maximum', 'pattern', 'enum'], path || '.constraints');
    FOR k IN SELECT unnest(ARRAY['required', 'unique']) LOOP
      v := c -> k;
      IF v IS NOT NULL AND jsonb_typeof(v) <> 'boolean' THEN
        PERFORM taxshare._catalog_fail(path || '.constraints.' || k, 'expected true or false');
      END IF;
    END LOOP;
    req := coalesce((c ->> 'required')::boolean, false);
    uniq := coalesce((c ->> 'unique')::boolean, false);
    FOR k IN SELECT unnest(ARRAY['minLength', 'maxLength']) LOOP
      v := c -> k;
      IF v IS NOT NULL THEN
        IF jsonb_typeof(v) <> 'number' THEN
          PERFORM taxshare._catalog_fail(path || '.constraints.' || k, 'expected a non-negative integer');
        END IF;
        IF (v #>> '{}')::numeric < 0 OR (v #>> '{}')::numeric <> trunc((v #>> '{}')::numeric)
           OR (v #>> '{}')::numeric > 2147483647 THEN
          PERFORM taxshare._catalog_fail(path || '.constraints.' || k, 'expected a non-negative integer');
        END IF;
      END IF;
    END LOOP;
    minlen := (c ->> 'minLength')::integer;
    maxlen := (c ->> 'maxLength')::integer;
    IF minlen > maxlen THEN
      PERFORM taxshare._catalog_fail(path || '.constraints.minLength',
                                     format('minLength %s is greater than maxLength %s', minlen, maxlen));
    END IF;
    FOR k IN SELECT unnest(ARRAY['minimum', 'maximum']) LOOP
      IF c ? k AND NOT t = ANY (ordered) THEN
        PERFORM taxshare._catalog_fail(path || '.constraints.' || k, format('type %s has no order', t),
                                       'minimum and maximum apply to ' || array_to_string(ordered, ', ') || '.');
      END IF;
    END LOOP;
    IF c ? 'minimum' THEN
      mn := taxshare._catalog_value(c -> 'minimum', t, path || '.constraints.minimum');
    END IF;
    IF c ? 'maximum' THEN
      mx := taxshare._catalog_value(c -> 'maximum', t, path || '.constraints.maximum');
    END IF;
    IF mn IS NOT NULL AND mx IS NOT NULL AND taxshare._catalog_less(mx, mn, t) THEN
      PERFORM taxshare._catalog_fail(path || '.constraints.minimum',
                                     format('minimum %s is greater than maximum %s', mn, mx));
    END IF;
    IF c ? 'pattern' THEN
      pat := taxshare._catalog_string(c, 'pattern', path || '.constraints', true);
      BEGIN
        PERFORM '' ~ ('^(?:' || pat || ')$');
      EXCEPTION WHEN invalid_regular_expression THEN
        PERFORM taxshare._catalog_fail(path || '.constraints.pattern',
                                       format('bad pattern "%s": %s', pat, SQLERRM),
                                       'Patterns are PostgreSQL regular expressions (ARE).');
      END;
    END IF;
    IF c ? 'enum' THEN
      IF jsonb_typeof(c -> 'enum') <> 'array' OR jsonb_array_length(c -> 'enum') = 0 THEN
        PERFORM taxshare._catalog_fail(path || '.constraints.enum', 'expected a non-empty array of values');
      END IF;
      en := '{}';
      FOR e, ei IN SELECT x, o - 1 FROM jsonb_array_elements(c -> 'enum') WITH ORDINALITY AS a(x, o) LOOP
        en := en || taxshare._catalog_value(e, t, format('%s.constraints.enum[%s]', path, ei));
      END LOOP;
    END IF;
  END IF;

  INSERT INTO taxshare.catalog_field (item_code, item_version, position, name, title, description, type,
                                      required, is_unique, min_length, max_length, minimum, maximum,
                                      pattern, enum)
  VALUES (item, ver, pos, n, coalesce(taxshare._catalog_string(f, 'title', path), n),
          taxshare._catalog_string(f, 'description', path), t, req, uniq, minlen, maxlen, mn, mx, pat, en);
END
$$;
COMMENT ON FUNCTION taxshare._catalog_define_field(text, integer, integer, jsonb, text) IS
  '内部: 校验并写入目录定义的一个字段 / internal: check and store one field of a catalog definition';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_define_field(text, integer, integer, jsonb, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare._catalog_define_rule(item text, ver integer, pos integer, r jsonb, path text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  kind text;
  fs text[] := '{}';
  e jsonb;
  ei bigint;
  numeric_types CONSTANT text[] := ARRAY['number', 'integer', 'amount', 'year'];
  time_types CONSTANT text[] := ARRAY['date', 'datetime', 'yearmonth'];
  t1 text;
  t2 text;
  tot text;
  tol numeric := 0;
  wf text;
  wt text;
  wi text[];
  arity_ok boolean;
BEGIN
  kind := taxshare._catalog_string(r, 'rule', path, true);
  IF NOT kind = ANY (ARRAY['lte', 'lt', 'idcard_birthdate', 'sum', 'required_if']) THEN
    PERFORM taxshare._catalog_fail(path || '.rule', format('unknown rule "%s"', kind),
                                   'Valid rules: lte, lt, idcard_birthdate, sum, required_if.');
  END IF;
  PERFORM taxshare._catalog_keys(r, CASE kind
                                      WHEN 'sum' THEN ARRAY['rule', 'fields', 'total', 'tolerance', 'description']
                                      WHEN 'required_if' THEN ARRAY['rule', 'fields', 'when', 'in', 'description']
                                      ELSE ARRAY['rule', 'fields', 'description'] END, path);
  IF jsonb_typeof(r -> 'fields') IS DISTINCT FROM 'array' THEN
    PERFORM taxshare._catalog_fail(path || '.fields', 'expected an array of field names');
  END IF;
  FOR e, ei IN SELECT x, o - 1 FROM jsonb_array_elements(r -> 'fields') WITH ORDINALITY AS a(x, o) LOOP
    fs := fs || taxshare._catalog_field_ref(e, format('%s.fields[%s]', path, ei), item, ver,
                                            CASE kind WHEN 'sum' THEN numeric_types
                                                      WHEN 'lte' THEN numeric_types || time_types
                                                      WHEN 'lt' THEN numeric_types || time_types
                                                      WHEN 'idcard_birthdate' THEN
                                                        CASE ei WHEN 0 THEN ARRAY['idcard'] ELSE ARRAY['date'] END
                                                      ELSE NULL END);
  END LOOP;
  arity_ok := CASE WHEN kind IN ('lte', 'lt', 'idcard_birthdate') THEN cardinality(fs) = 2
                   ELSE cardinality(fs) >= 1 END;
  IF NOT arity_ok THEN
    PERFORM taxshare._catalog_fail(path || '.fields',
                                   format('rule %s takes %s, found %s', kind,
                                          CASE WHEN kind IN ('lte', 'lt', 'idcard_birthdate')
                                               THEN 'exactly 2 fields' ELSE 'at least 1 field' END,
                                          cardinality(fs)));
  END IF;
  IF kind IN ('lte', 'lt') THEN
    SELECT f.type INTO t1 FROM taxshare.catalog_field f
     WHERE f.item_code = item AND f.item_version = ver AND f.name = fs[1];
    SELECT f.type INTO t2 FROM taxshare.catalog_field f
     WHERE f.item_code = item AND f.item_version = ver AND f.name = fs[2];
    IF (t1 = ANY (numeric_types)) <> (t2 = ANY (numeric_types)) THEN
      PERFORM taxshare._catalog_fail(path || '.fields',
                                     format('cannot compare %s (%s) with %s (%s)', fs[1], t1, fs[2], t2),
                                     'Compare numbers with numbers and dates with dates.');
    END IF;
  ELSIF kind = 'sum' THEN
    tot := taxshare._catalog_field_ref(r -> 'total', path || '.total', item, ver, numeric_types);
    IF r ? 'tolerance' THEN
      IF jsonb_typeof(r -> 'tolerance') <> 'number' OR (r ->> 'tolerance')::numeric < 0 THEN
        PERFORM taxshare._catalog_fail(path || '.tolerance', 'expected a non-negative number');
      END IF;
      tol := (r ->> 'tolerance')::numeric;
    END IF;
  ELSIF kind = 'required_if' THEN
    wf := taxshare._catalog_field_ref(r -> 'when', path || '.when', item, ver);
    IF r ? 'in' THEN
      SELECT f.type INTO wt FROM taxshare.catalog_field f
       WHERE f.item_code = item AND f.item_version = ver AND f.name = wf;
      IF jsonb_typeof(r -> 'in') <> 'array' OR jsonb_array_length(r -> 'in') = 0 THEN
        PERFORM taxshare._catalog_fail(path || '.in', 'expected a non-empty array of values');
      END IF;
      wi := '{}';
      FOR e, ei IN SELECT x, o - 1 FROM jsonb_array_elements(r -> 'in') WITH ORDINALITY AS a(x, o) LOOP
        wi := wi || taxshare._catalog_value(e, wt, format('%s.in[%s]', path, ei));
      END LOOP;
    END IF;
  END IF;
  INSERT INTO taxshare.catalog_rule (item_code, item_version, position, rule, fields, total, tolerance,
                                     when_field, when_in)
  VALUES (item, ver, pos, kind, fs, tot, tol, wf, wi);
END
$$;
COMMENT ON FUNCTION taxshare._catalog_define_rule(text, integer, integer, jsonb, text) IS
  '内部: 校验并写入目录定义的一条跨字段规则 / internal: check and store one cross-field rule of a catalog definition';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_define_rule(text, integer, integer, jsonb, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare._catalog_define_party(item text, ver integer, p jsonb, path text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r text;
  k text;
  -- the fields a party may name, and the types each may have
  keys constant text[] := ARRAY['uscc', 'idcard', 'orgcode', 'taxpayer_id', 'name', 'region', 'address', 'phone'];
  types constant text[] := ARRAY['uscc', 'idcard', 'orgcode', 'string', 'string', 'division,string', 'string',
                                 'phone,string'];
  f text[] := ARRAY[NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL];
  j integer;
BEGIN
  PERFORM taxshare._catalog_keys(p, ARRAY['role', 'kind'] || keys, path);
  r := taxshare._catalog_string(p, 'role', path, true);
  IF EXISTS (SELECT 1 FROM taxshare.catalog_party x
              WHERE x.item_code = item AND x.item_version = ver AND x.role = r) THEN
    PERFORM taxshare._catalog_fail(path || '.role', format('duplicate party role "%s"', r));
  END IF;
  k := taxshare._catalog_string(p, 'kind', path);
  IF k IS NOT NULL AND k NOT IN ('enterprise', 'person') THEN
    PERFORM taxshare._catalog_fail(path || '.kind', format('unknown party kind "%s"', k),
                                   'The kind is "enterprise" or "person"; leave it out to judge each party from its identifiers and name.');
  END IF;
  FOR j IN 1..cardinality(keys) LOOP
    IF p ? keys[j] THEN
      f[j] := taxshare._catalog_field_ref(p -> keys[j], path || '.' || keys[j], item, ver,
                                          string_to_array(types[j], ','));
    END IF;
  END LOOP;
  -- what identifies a party: an identifier or a name; the rest only helps compare
  IF f[1] IS NULL AND f[2] IS NULL AND f[3] IS NULL AND f[4] IS NULL AND f[5] IS NULL THEN
    PERFORM taxshare._catalog_fail(path, format('party "%s" names no identifying field', r),
                                   'Give at least one of uscc, idcard, orgcode, taxpayer_id, name.');
  END IF;
  INSERT INTO taxshare.catalog_party (item_code, item_version, role, uscc_field, idcard_field,
                                      orgcode_field, taxpayer_id_field, name_field, region_field,
                                      address_field, phone_field, kind)
  VALUES (item, ver, r, f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], k);
END
$$;
COMMENT ON FUNCTION taxshare._catalog_define_party(text, integer, jsonb, text) IS
  '内部: 校验并写入目录定义的一个当事方 / internal: check and store one party of a catalog definition';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_catalog_define_party(text, integer, jsonb, text)', 'X', 'X', 'X', 'X', 'X', 'X');
