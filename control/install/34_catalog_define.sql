-- catalog_define(jsonb): create or revise a catalog item from one JSON document
-- (docs/catalog.md).  Returns the version: a new one when the document differs
-- from the latest version's, the latest one when it is identical (idempotent).

CREATE FUNCTION taxshare.catalog_define(definition jsonb)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d jsonb := definition;
  v_code text;
  v_provider text;
  v_frequency text;
  v_sharing text;
  v_class text;
  v_from date;
  v_to date;
  v_users text[] := '{}';
  v_missing text[] := ARRAY[''];
  v_pk text[] := '{}';
  latest record;
  ver integer;
  s jsonb;
  e jsonb;
  ei bigint;
BEGIN
  IF d IS NULL THEN
    PERFORM taxshare._catalog_fail('$', 'the definition is NULL');
  END IF;
  PERFORM taxshare._catalog_keys(d, ARRAY['code', 'title', 'description', 'provider', 'frequency',
                                          'sharing', 'classification', 'users', 'scope', 'validFrom',
                                          'validTo', 'schema', 'parties', 'rules'], '$');
  v_code := taxshare._catalog_string(d, 'code', '$', true);
  IF v_code !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' THEN
    PERFORM taxshare._catalog_fail('$.code', format('bad item code "%s"', v_code),
                                   'Use letters, digits, "-", "_" and "." (at most 64), e.g. "ZJ-SPF-001".');
  END IF;
  PERFORM taxshare._catalog_string(d, 'title', '$', true);
  PERFORM taxshare._catalog_string(d, 'description', '$');
  PERFORM taxshare._catalog_string(d, 'scope', '$');

  v_provider := taxshare._catalog_string(d, 'provider', '$', true);
  IF NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = v_provider) THEN
    PERFORM taxshare._catalog_fail('$.provider', format('unknown unit "%s"', v_provider),
                                   'Register the unit in taxshare.unit first.');
  END IF;
  v_frequency := taxshare._catalog_string(d, 'frequency', '$', true);
  IF NOT v_frequency = ANY (ARRAY['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual',
                                  'annual', 'adhoc']) THEN
    PERFORM taxshare._catalog_fail('$.frequency', format('unknown frequency "%s"', v_frequency),
                                   'Valid frequencies: realtime, daily, weekly, monthly, quarterly, semiannual, annual, adhoc.');
  END IF;
  v_sharing := coalesce(taxshare._catalog_string(d, 'sharing', '$'), 'conditional');
  IF NOT v_sharing = ANY (ARRAY['unconditional', 'conditional', 'none']) THEN
    PERFORM taxshare._catalog_fail('$.sharing', format('unknown sharing type "%s"', v_sharing),
                                   'Valid sharing types: unconditional, conditional, none.');
  END IF;
  v_class := coalesce(taxshare._catalog_string(d, 'classification', '$'), 'internal');
  IF NOT v_class = ANY (ARRAY['public', 'internal', 'sensitive']) THEN
    PERFORM taxshare._catalog_fail('$.classification', format('unknown classification "%s"', v_class),
                                   'Valid classifications: public, internal, sensitive.');
  END IF;
  IF d ? 'users' THEN
    IF jsonb_typeof(d -> 'users') <> 'array' THEN
      PERFORM taxshare._catalog_fail('$.users', 'expected an array of unit codes');
    END IF;
    FOR e, ei IN SELECT u, o - 1 FROM jsonb_array_elements(d -> 'users') WITH ORDINALITY AS a(u, o) LOOP
      IF jsonb_typeof(e) <> 'string'
         OR NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = e #>> '{}') THEN
        PERFORM taxshare._catalog_fail(format('$.users[%s]', ei), format('unknown unit %s', e),
                                       'Register the unit in taxshare.unit first.');
      END IF;
      v_users := v_users || (e #>> '{}');
    END LOOP;
  END IF;
  v_from := current_date;
  IF d ? 'validFrom' THEN
    v_from := taxshare._catalog_value(d -> 'validFrom', 'date', '$.validFrom')::date;
  END IF;
  IF d ? 'validTo' THEN
    v_to := taxshare._catalog_value(d -> 'validTo', 'date', '$.validTo')::date;
    IF v_to < v_from THEN
      PERFORM taxshare._catalog_fail('$.validTo', format('validTo %s is before validFrom %s', v_to, v_from));
    END IF;
  END IF;

  s := d -> 'schema';
  IF s IS NULL THEN
    PERFORM taxshare._catalog_fail('$.schema', 'required key is missing');
  END IF;
  PERFORM taxshare._catalog_keys(s, ARRAY['fields', 'primaryKey', 'missingValues'], '$.schema');
  IF jsonb_typeof(s -> 'fields') IS DISTINCT FROM 'array' OR jsonb_array_length(s -> 'fields') = 0 THEN
    PERFORM taxshare._catalog_fail('$.schema.fields', 'expected a non-empty array of fields');
  END IF;
  IF s ? 'missingValues' THEN
    IF jsonb_typeof(s -> 'missingValues') <> 'array' THEN
      PERFORM taxshare._catalog_fail('$.schema.missingValues', 'expected an array of strings');
    END IF;
    v_missing := '{}';
    FOR e, ei IN SELECT m, o - 1 FROM jsonb_array_elements(s -> 'missingValues') WITH ORDINALITY AS a(m, o) LOOP
      IF jsonb_typeof(e) <> 'string' THEN
        PERFORM taxshare._catalog_fail(format('$.schema.missingValues[%s]', ei), 'expected a string');
      END IF;
      v_missing := v_missing || (e #>> '{}');
    END LOOP;
  END IF;
  IF d ? 'parties' AND jsonb_typeof(d -> 'parties') <> 'array' THEN
    PERFORM taxshare._catalog_fail('$.parties', 'expected an array of parties');
  END IF;
  IF d ? 'rules' AND jsonb_typeof(d -> 'rules') <> 'array' THEN
    PERFORM taxshare._catalog_fail('$.rules', 'expected an array of rules');
  END IF;

  -- One definer of an item at a time; versions are numbered without gaps.
  PERFORM pg_advisory_xact_lock(hashtext('taxshare.catalog_define'), hashtext(v_code));
  SELECT i.version, i.definition INTO latest
    FROM taxshare.catalog_item i WHERE i.code = v_code ORDER BY i.version DESC LIMIT 1;
  IF FOUND AND latest.definition = d THEN
    RETURN latest.version;
  END IF;
  ver := coalesce(latest.version, 0) + 1;

  -- The item row first so that the parts can reference it; the parts check
  -- themselves and any error undoes the whole definition.
  INSERT INTO taxshare.catalog_item (code, version, title, description, provider, frequency, sharing,
                                     classification, users, scope, valid_from, valid_to,
                                     missing_values, primary_key, definition)
  VALUES (v_code, ver, d ->> 'title', d ->> 'description', v_provider, v_frequency, v_sharing,
          v_class, v_users, d ->> 'scope', v_from, v_to, v_missing, '{}', d);

  FOR e, ei IN SELECT f, o FROM jsonb_array_elements(s -> 'fields') WITH ORDINALITY AS a(f, o) LOOP
    PERFORM taxshare._catalog_define_field(v_code, ver, ei::integer, e,
                                           format('$.schema.fields[%s]', ei - 1));
  END LOOP;

  IF s ? 'primaryKey' THEN
    e := s -> 'primaryKey';
    IF jsonb_typeof(e) = 'string' THEN
      e := jsonb_build_array(e);
    ELSIF jsonb_typeof(e) <> 'array' OR jsonb_array_length(e) = 0 THEN
      PERFORM taxshare._catalog_fail('$.schema.primaryKey', 'expected a field name or an array of field names');
    END IF;
    SELECT array_agg(taxshare._catalog_field_ref(k, CASE WHEN jsonb_typeof(s -> 'primaryKey') = 'string'
                                                          THEN '$.schema.primaryKey'
                                                          ELSE format('$.schema.primaryKey[%s]', o - 1) END,
                                                 v_code, ver) ORDER BY o)
      INTO v_pk
      FROM jsonb_array_elements(e) WITH ORDINALITY AS a(k, o);
    IF cardinality(v_pk) <> (SELECT count(DISTINCT p) FROM unnest(v_pk) p) THEN
      PERFORM taxshare._catalog_fail('$.schema.primaryKey', 'a field appears twice in the primary key');
    END IF;
    UPDATE taxshare.catalog_item SET primary_key = v_pk WHERE code = v_code AND version = ver;
  END IF;

  FOR e, ei IN SELECT p, o - 1 FROM jsonb_array_elements(coalesce(d -> 'parties', '[]')) WITH ORDINALITY AS a(p, o) LOOP
    PERFORM taxshare._catalog_define_party(v_code, ver, e, format('$.parties[%s]', ei));
  END LOOP;
  FOR e, ei IN SELECT r, o FROM jsonb_array_elements(coalesce(d -> 'rules', '[]')) WITH ORDINALITY AS a(r, o) LOOP
    PERFORM taxshare._catalog_define_rule(v_code, ver, ei::integer, e, format('$.rules[%s]', ei - 1));
  END LOOP;
  RETURN ver;
END
$$;
COMMENT ON FUNCTION taxshare.catalog_define(jsonb) IS
  '由一个 JSON 文档新建或修订目录条目, 返回版本号; 相同文档不产生新版本 / create or revise a catalog item from one JSON document and return its version; an identical document returns the current version';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'catalog_define(jsonb)', 'X', 'X', 'X', 'X', 'X', 'X');
