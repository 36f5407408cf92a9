-- #15: templates out (control/install/48_formats_template.sql, whose text this
-- repeats): template_xlsx(), template_csv(), template_checksum() and their
-- internal helpers.
-- The checksum of an item version's columns: what a filled workbook must agree
-- with to be read against another version.  Columns are the fields' names,
-- types and titles in order; constraints may change without changing it.
CREATE FUNCTION taxshare.template_checksum(item_code text, item_version integer)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
           pg_catalog.string_agg(f.name || E'\t' || f.type || E'\t' || f.title, E'\n' ORDER BY f.position),
           'UTF8')), 'hex')
    FROM taxshare.catalog_field f
   WHERE f.item_code = template_checksum.item_code AND f.item_version = template_checksum.item_version
  HAVING pg_catalog.count(*) > 0
$$;
COMMENT ON FUNCTION taxshare.template_checksum(text, integer) IS
  '目录条目某版本字段列表 (按顺序的字段名、类型、标题) 的 SHA-256 十六进制摘要, 写入模板的隐藏表 _taxshare; 版本不存在时为 NULL / '
  'hex SHA-256 of the field list of an item version (names, types and titles in order), written into the hidden sheet _taxshare of a template; NULL for an unknown version';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'template_checksum(text, integer)', 'X', 'X', 'X', 'X', 'X', 'X');

-- One field's rules in words, in Chinese (lang 'zh') or English ('en'): what
-- the instructions sheet lists and the data sheet shows when a cell is chosen.
CREATE FUNCTION taxshare._template_field_rules(f taxshare.catalog_field, lang text, in_key boolean)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  en boolean := lang = 'en';
  parts text[] := '{}';
BEGIN
  parts := parts || CASE f.type
    WHEN 'string' THEN CASE WHEN en THEN 'text' ELSE '文本' END
    WHEN 'number' THEN CASE WHEN en THEN 'a number' ELSE '数字' END
    WHEN 'integer' THEN CASE WHEN en THEN 'a whole number' ELSE '整数' END
    WHEN 'boolean' THEN CASE WHEN en THEN '是 (yes) or 否 (no), from the drop-down' ELSE '是或否, 下拉选择' END
    WHEN 'date' THEN CASE WHEN en THEN 'a date, e.g. 2024-03-05' ELSE '日期, 如 2024-03-05' END
    WHEN 'datetime' THEN CASE WHEN en THEN 'a date and time, e.g. 2024-03-05 08:30:00' ELSE '日期时间, 如 2024-03-05 08:30:00' END
    WHEN 'year' THEN CASE WHEN en THEN 'a year, e.g. 2024' ELSE '年份, 如 2024' END
    WHEN 'yearmonth' THEN CASE WHEN en THEN 'a year and month, e.g. 2024-03' ELSE '年月, 如 2024-03' END
    WHEN 'amount' THEN CASE WHEN en THEN 'an amount in yuan, at most 2 decimals' ELSE '金额 (元), 最多两位小数' END
    WHEN 'uscc' THEN CASE WHEN en THEN 'an 18-character unified social credit code' ELSE '18 位统一社会信用代码' END
    WHEN 'idcard' THEN CASE WHEN en THEN 'an 18-character resident ID number (last may be X)' ELSE '18 位居民身份证号码 (末位可为 X)' END
    WHEN 'orgcode' THEN CASE WHEN en THEN 'a 9-character organization code' ELSE '9 位组织机构代码' END
    WHEN 'division' THEN CASE WHEN en THEN 'a 6-digit division code' ELSE '6 位行政区划代码' END
    WHEN 'phone' THEN CASE WHEN en THEN 'a phone number' ELSE '电话号码' END
    ELSE f.type END;
  IF f.required OR in_key THEN
    parts := parts || CASE WHEN en THEN 'required' ELSE '必填' END;
  END IF;
  IF f.is_unique OR in_key THEN
    parts := parts || CASE WHEN en THEN 'no two rows alike' ELSE '各行不得重复' END;
  END IF;
  IF f.min_length IS NOT NULL AND f.max_length IS NOT NULL THEN
    parts := parts || format(CASE WHEN en THEN '%s to %s characters' ELSE '%s 至 %s 个字符' END,
                             f.min_length, f.max_length);
  ELSIF f.max_length IS NOT NULL THEN
    parts := parts || format(CASE WHEN en THEN 'at most %s characters' ELSE '最多 %s 个字符' END, f.max_length);
  ELSIF f.min_length IS NOT NULL THEN
    parts := parts || format(CASE WHEN en THEN 'at least %s characters' ELSE '至少 %s 个字符' END, f.min_length);
  END IF;
  IF f.minimum IS NOT NULL THEN
    parts := parts || format(CASE WHEN en THEN 'at least %s' ELSE '不小于 %s' END, f.minimum);
  END IF;
  IF f.maximum IS NOT NULL THEN
    parts := parts || format(CASE WHEN en THEN 'at most %s' ELSE '不大于 %s' END, f.maximum);
  END IF;
  IF f.enum IS NOT NULL THEN
    parts := parts || format(CASE WHEN en THEN 'one of: %s (drop-down)' ELSE '可选值: %s (下拉选择)' END,
                             array_to_string(f.enum, CASE WHEN en THEN ', ' ELSE '、' END));
  END IF;
  IF f.pattern IS NOT NULL THEN
    parts := parts || format(CASE WHEN en THEN 'must match the pattern %s' ELSE '须符合格式 %s' END, f.pattern);
  END IF;
  RETURN array_to_string(parts, CASE WHEN en THEN '; ' ELSE '; ' END);
END
$$;
COMMENT ON FUNCTION taxshare._template_field_rules(taxshare.catalog_field, text, boolean) IS
  '内部: 以中文 (zh) 或英文 (en) 文字说明一个字段的规则 (类型、必填、长度、范围、可选值、格式), 用于模板 / '
  'internal: one field''s rules in words, Chinese (zh) or English (en): type, required, length, range, allowed values, pattern; for templates';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_template_field_rules(taxshare.catalog_field, text, boolean)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The item a template is made for: its latest version, refused when unknown or
-- retired (submit() refuses new loads of a retired item).
CREATE FUNCTION taxshare._template_item(item_code text)
RETURNS taxshare.catalog_item
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  it taxshare.catalog_item;
BEGIN
  IF item_code IS NULL THEN
    RAISE EXCEPTION 'item_code must not be null'
      USING ERRCODE = '22004', HINT = 'Name a catalog item, e.g. ''ZJ-SPF-001''.';
  END IF;
  SELECT c.* INTO it FROM taxshare.catalog_item c
   WHERE c.code = _template_item.item_code ORDER BY c.version DESC LIMIT 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', item_code
      USING ERRCODE = '22023', HINT = 'See taxshare.catalog_item_current for the item codes.';
  END IF;
  IF it.valid_to IS NOT NULL AND it.valid_to < current_date THEN
    RAISE EXCEPTION 'catalog item "%" was retired on %', item_code, it.valid_to
      USING ERRCODE = '22023',
            HINT = 'A retired item takes no new reports; ask the office which item replaces it.';
  END IF;
  RETURN it;
END
$$;
COMMENT ON FUNCTION taxshare._template_item(text) IS
  '内部: 生成模板所用的目录条目最新版本; 条目不存在或已停用时报错 (22023) / '
  'internal: the latest version of the item a template is made for; 22023 when the item is unknown or retired';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_template_item(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The fields of a template's data sheet, in order, with their rules in words.
CREATE FUNCTION taxshare._template_fields(item_code text)
RETURNS TABLE (col integer, name text, title text, type text, required boolean,
               min_length integer, max_length integer, minimum text, maximum text,
               enum text[], rules_zh text, rules_en text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT (pg_catalog.row_number() OVER (ORDER BY f.position))::integer - 1, f.name, f.title, f.type,
         f.required OR f.name = ANY (i.primary_key), f.min_length, f.max_length, f.minimum, f.maximum,
         f.enum,
         taxshare._template_field_rules(f, 'zh', f.name = ANY (i.primary_key)),
         taxshare._template_field_rules(f, 'en', f.name = ANY (i.primary_key))
    FROM taxshare._template_item(_template_fields.item_code) i
    JOIN taxshare.catalog_field f ON f.item_code = i.code AND f.item_version = i.version
   ORDER BY f.position
$$;
COMMENT ON FUNCTION taxshare._template_fields(text) IS
  '内部: 模板数据表的各列 (字段按顺序, 0 起的列号, 必填含主键字段, 中英文规则说明) / '
  'internal: the columns of a template''s data sheet (fields in order, 0-based column, required including key fields, rules in Chinese and English)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_template_fields(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The instructions sheet (说明): label and value lines.  The next due date is
-- that of the earliest period, from the one before today's, whose due date is
-- today or later, under the item's own deadline rule or the active profile.
-- The liaison's name and phone come from unit_contact_current as the caller
-- may read it (its row-level security: a unit's staff their own units, the
-- office all); a caller who may not read it gets the office to ask instead.
CREATE FUNCTION taxshare._template_info(item_code text, unit text)
RETURNS TABLE (label text, value text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  en boolean := current_setting('taxshare.language', true) = 'en';
  it taxshare.catalog_item := taxshare._template_item(item_code);
  provider_name text;
  unit_name text;
  dr record;
  p record;
  c record;
  freq text;
BEGIN
  IF unit IS NOT NULL THEN
    SELECT u.name INTO unit_name FROM taxshare.unit u WHERE u.code = _template_info.unit;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'unknown unit "%"', unit
        USING ERRCODE = '22023', HINT = 'See taxshare.unit for the unit codes, or leave unit out.';
    END IF;
  END IF;
  SELECT u.name INTO provider_name FROM taxshare.unit u WHERE u.code = it.provider;
  freq := CASE it.frequency
    WHEN 'realtime' THEN CASE WHEN en THEN 'real time' ELSE '实时' END
    WHEN 'daily' THEN CASE WHEN en THEN 'daily' ELSE '每日' END
    WHEN 'weekly' THEN CASE WHEN en THEN 'weekly' ELSE '每周' END
    WHEN 'monthly' THEN CASE WHEN en THEN 'monthly' ELSE '每月' END
    WHEN 'quarterly' THEN CASE WHEN en THEN 'quarterly' ELSE '每季度' END
    WHEN 'semiannual' THEN CASE WHEN en THEN 'half-yearly' ELSE '每半年' END
    WHEN 'annual' THEN CASE WHEN en THEN 'yearly' ELSE '每年' END
    ELSE CASE WHEN en THEN 'as needed' ELSE '不定期' END END;

  label := CASE WHEN en THEN 'Item' ELSE '目录名称' END; value := it.title; RETURN NEXT;
  label := CASE WHEN en THEN 'Item code' ELSE '目录编码' END; value := it.code; RETURN NEXT;
  label := CASE WHEN en THEN 'Version' ELSE '版本' END; value := it.version::text; RETURN NEXT;
  IF it.description IS NOT NULL THEN
    label := CASE WHEN en THEN 'Description' ELSE '内容说明' END; value := it.description; RETURN NEXT;
  END IF;
  label := CASE WHEN en THEN 'Provider' ELSE '提供单位' END;
  value := coalesce(provider_name || ' (' || it.provider || ')', it.provider); RETURN NEXT;
  IF unit IS NOT NULL THEN
    label := CASE WHEN en THEN 'Reporting unit' ELSE '报送单位' END;
    value := unit_name || ' (' || unit || ')'; RETURN NEXT;
  END IF;
  label := CASE WHEN en THEN 'Frequency' ELSE '报送频次' END; value := freq; RETURN NEXT;

  label := CASE WHEN en THEN 'Next due' ELSE '下次报送截止' END;
  IF it.frequency IN ('realtime', 'adhoc') THEN
    value := CASE WHEN en THEN 'no fixed due date: report as it happens' ELSE '无固定截止日, 随时报送' END;
  ELSE
    SELECT r.profile, r.offset_days, r.offset_unit INTO dr
      FROM taxshare.deadline_rule r WHERE r.item_code = it.code;
    SELECT o.period_start, o.period_end, o.due_date, o.missing_year INTO p
      FROM taxshare._obligation_periods(it.frequency, current_date - 400, current_date, dr.profile,
                                        dr.offset_days, dr.offset_unit) o
     WHERE o.due_date >= current_date OR o.due_date IS NULL
     ORDER BY o.period_start LIMIT 1;
    IF NOT FOUND THEN
      value := NULL;
    ELSIF p.due_date IS NULL THEN
      value := format(CASE WHEN en THEN 'period %s to %s: unknown until the holidays of %s are entered'
                           ELSE '%s 至 %s 期: %s 年节假日安排录入后可知' END,
                      p.period_start, p.period_end, p.missing_year);
    ELSE
      value := format(CASE WHEN en THEN 'period %s to %s: due %s' ELSE '%s 至 %s 期: %s 前报送' END,
                      p.period_start, p.period_end, p.due_date);
    END IF;
  END IF;
  RETURN NEXT;

  label := CASE WHEN en THEN 'Whom to call' ELSE '联系人' END;
  value := NULL;
  IF unit IS NOT NULL AND pg_catalog.has_table_privilege('taxshare.unit_contact_current', 'SELECT') THEN
    SELECT cc.name, cc.phone, cc.email INTO c FROM taxshare.unit_contact_current cc
     WHERE cc.unit_code = _template_info.unit AND cc.role = 'liaison';
    IF FOUND THEN
      value := format(CASE WHEN en THEN 'liaison %s%s%s' ELSE '信息联络员 %s%s%s' END, c.name,
                      coalesce(' ' || c.phone, ''), coalesce(' ' || c.email, ''));
    END IF;
  END IF;
  IF value IS NULL THEN
    value := CASE WHEN en THEN 'your unit''s liaison; the office (市财源办) keeps the list'
                  ELSE '本单位信息联络员; 名单由市财源办掌握' END;
  END IF;
  RETURN NEXT;

  -- Cross-field rules in words (catalog.md, "Rules"); fields named by title.
  FOR c IN
    SELECT r.rule, r.total, r.tolerance, r.when_in,
           (SELECT array_agg(coalesce(f.title, x.n) ORDER BY x.o)
              FROM unnest(r.fields) WITH ORDINALITY x(n, o)
              LEFT JOIN taxshare.catalog_field f
                ON f.item_code = it.code AND f.item_version = it.version AND f.name = x.n) AS t,
           (SELECT f.title FROM taxshare.catalog_field f
             WHERE f.item_code = it.code AND f.item_version = it.version AND f.name = r.total) AS total_title,
           (SELECT f.title FROM taxshare.catalog_field f
             WHERE f.item_code = it.code AND f.item_version = it.version AND f.name = r.when_field) AS when_title,
           (SELECT f.type FROM taxshare.catalog_field f
             WHERE f.item_code = it.code AND f.item_version = it.version AND f.name = r.fields[1]) AS type1
      FROM taxshare.catalog_rule r
     WHERE r.item_code = it.code AND r.item_version = it.version
     ORDER BY r.position
  LOOP
    label := CASE WHEN en THEN 'Rule across fields' ELSE '跨字段规则' END;
    value := CASE c.rule
      WHEN 'lte' THEN format(CASE WHEN c.type1 IN ('date', 'datetime', 'yearmonth')
                                  THEN CASE WHEN en THEN '"%s" is not after "%s"' ELSE '"%s"不晚于"%s"' END
                                  ELSE CASE WHEN en THEN '"%s" is at most "%s"' ELSE '"%s"不大于"%s"' END END,
                             c.t[1], c.t[2])
      WHEN 'lt' THEN format(CASE WHEN c.type1 IN ('date', 'datetime', 'yearmonth')
                                 THEN CASE WHEN en THEN '"%s" is before "%s"' ELSE '"%s"早于"%s"' END
                                 ELSE CASE WHEN en THEN '"%s" is less than "%s"' ELSE '"%s"小于"%s"' END END,
                            c.t[1], c.t[2])
      WHEN 'idcard_birthdate' THEN format(CASE WHEN en THEN 'the birth date in "%s" equals "%s"'
                                               ELSE '"%s"中的出生日期与"%s"一致' END, c.t[1], c.t[2])
      WHEN 'sum' THEN format(CASE WHEN en THEN '%s = "%s" (within %s)' ELSE '%s = "%s" (允许误差 %s)' END,
                             (SELECT string_agg(format('"%s"', x), ' + ') FROM unnest(c.t) x),
                             c.total_title, c.tolerance)
      WHEN 'required_if' THEN format(CASE WHEN en THEN 'when "%s" is %s, "%s" is required'
                                          ELSE '"%s"为 %s 时, "%s"必填' END,
                                     c.when_title,
                                     coalesce(array_to_string(c.when_in, CASE WHEN en THEN ' or ' ELSE '或' END),
                                              CASE WHEN en THEN 'filled in' ELSE '已填写' END),
                                     array_to_string(c.t, CASE WHEN en THEN ', ' ELSE '、' END))
      ELSE c.rule END;
    RETURN NEXT;
  END LOOP;

  label := CASE WHEN en THEN 'How to fill' ELSE '填写方法' END;
  value := CASE WHEN en
    THEN 'one record per row of sheet 数据 from row 3; a title shown with * is required; choose listed values from the drop-down; keep the header rows and the sheet order'
    ELSE '在"数据"表第 3 行起每行填写一条记录; 标题前带 * 的为必填项; 有下拉列表的从列表中选择; 请勿改动表头、增删或调整工作表' END;
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION taxshare._template_info(text, text) IS
  '内部: 模板"说明"表的各行 (目录名称、提供单位、频次、下次截止日、联系人…), 按 taxshare.language 用中文或英文 / '
  'internal: the lines of a template''s instructions sheet (title, provider, frequency, next due date, whom to call ...), in Chinese or English per taxshare.language';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_template_info(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.template_xlsx(item_code text, unit text DEFAULT NULL)
RETURNS bytea
AS 'MODULE_PATHNAME', 'taxshare_template_xlsx'
LANGUAGE C STABLE;
COMMENT ON FUNCTION taxshare.template_xlsx(text, text) IS
  '生成目录条目的 Excel 报送模板 (.xlsx): "数据"表 (第 1 行字段标题, 隐藏的第 2 行字段名, 第 3 行起填数据; 下拉列表、日期与金额格式、证件号按文本), "说明"表, 隐藏表 _taxshare (条目编码、版本、校验和); 给出 unit 时写入该单位的信息联络员 / '
  'the Excel reporting template (.xlsx) of a catalog item: sheet 数据 (row 1 the field titles, hidden row 2 the field names, data from row 3; drop-downs, date and amount formats, identifiers as text), sheet 说明 (instructions), hidden sheet _taxshare (item code, version, checksum); with unit, that unit''s liaison';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'template_xlsx(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The header line of the CSV form: the titles, quoted where CSV needs it.
CREATE FUNCTION taxshare.template_csv(item_code text)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.string_agg(
           CASE WHEN f.title ~ '[",\r\n]' OR f.title <> pg_catalog.btrim(f.title)
                THEN '"' || pg_catalog.replace(f.title, '"', '""') || '"' ELSE f.title END,
           ',' ORDER BY f.col) || E'\r\n'
    FROM taxshare._template_fields(template_csv.item_code) f
$$;
COMMENT ON FUNCTION taxshare.template_csv(text) IS
  'CSV 报送模板的表头行 (字段标题, 逗号分隔, 以 CRLF 结尾) / the header line of the CSV form of a catalog item (the field titles, comma-separated, ending in CRLF)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'template_csv(text)', 'X', 'X', 'X', 'X', 'X', 'X');
SELECT taxshare._privileges_apply();
