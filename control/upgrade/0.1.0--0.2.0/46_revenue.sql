-- #19 §4: revenue watch (control/install/83_revenue.sql, whose text this
-- repeats; the receipts item and the revenue settings of the starter pack,
-- 76_starter_pack.sql; the revenue section of the report, 89_report.sql).
-- An installed database gets the receipts item when the DBA runs
-- taxshare.starter_pack_install() again (docs/revenue.md).

CREATE TABLE taxshare.revenue_param (
  tax_type       text PRIMARY KEY CHECK (btrim(tax_type) <> ''),
  shortfall_rel  numeric NOT NULL CHECK (shortfall_rel >= 0 AND shortfall_rel <= 1),
  shortfall_abs  numeric NOT NULL CHECK (shortfall_abs >= 0 AND shortfall_abs <> 'NaN'),
  description    text,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE taxshare.revenue_param IS
  '入库预警阈值 (按税种): 入库低于应有税额的差额同时超过相对与绝对阈值时预警 / '
  'revenue warning thresholds per tax type: a warning when receipts fall short of the expected by more than both';
COMMENT ON COLUMN taxshare.revenue_param.tax_type IS '税种 (与入库信息的 tax_type 相同) / tax type, as in the receipts item';
COMMENT ON COLUMN taxshare.revenue_param.shortfall_rel IS
  '相对阈值 (0-1): 差额须超过应有税额的此比例 / relative threshold: the shortfall must exceed this share of the expected';
COMMENT ON COLUMN taxshare.revenue_param.shortfall_abs IS
  '绝对阈值 (元): 差额须超过此值 / absolute threshold in yuan: the shortfall must exceed it';
COMMENT ON COLUMN taxshare.revenue_param.description IS '说明 / note';
COMMENT ON COLUMN taxshare.revenue_param.updated_at IS '修改时间 / when last changed';
COMMENT ON COLUMN taxshare.revenue_param.updated_by IS '修改人 / who last changed it';
SELECT pg_catalog.pg_extension_config_dump('taxshare.revenue_param', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'revenue_param', 'rawd', 'rawd', 'r', '', 'r', '');

CREATE TABLE taxshare.revenue_source (
  rule_code    text PRIMARY KEY REFERENCES taxshare.match_rule (code) ON UPDATE CASCADE ON DELETE CASCADE,
  tax_type     text NOT NULL CHECK (btrim(tax_type) <> ''),
  factor       numeric NOT NULL CHECK (factor > 0 AND factor <> 'NaN' AND factor < 'Infinity'),
  description  text
);
COMMENT ON TABLE taxshare.revenue_source IS
  '应有税额的来源: 哪条比对规则的应有金额与申报金额乘以系数计入哪个税种 / '
  'where expected tax comes from: the cross-check rule whose expected and declared amounts, times a factor, count towards a tax type';
COMMENT ON COLUMN taxshare.revenue_source.rule_code IS '比对规则 (match_rule) / the cross-check rule';
COMMENT ON COLUMN taxshare.revenue_source.tax_type IS '计入的税种 / the tax type it counts towards';
COMMENT ON COLUMN taxshare.revenue_source.factor IS
  '系数: 规则金额换算为税额 (如计税依据乘税率 0.03; 规则金额已是税额时为 1) / factor turning the rule''s amounts into tax (e.g. a tax base times the rate 0.03; 1 when the rule compares tax)';
COMMENT ON COLUMN taxshare.revenue_source.description IS '说明 (系数的依据) / note (what the factor rests on)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.revenue_source', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'revenue_source', 'rawd', 'rawd', 'r', '', 'r', '');

CREATE TABLE taxshare.revenue_expected (
  period_start    date NOT NULL,
  tax_type        text NOT NULL,
  region          text NOT NULL,
  expected        numeric(20,2) NOT NULL,
  declared        numeric(20,2),
  source_records  bigint NOT NULL,
  target_records  bigint NOT NULL,
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (period_start, tax_type, region)
);
COMMENT ON TABLE taxshare.revenue_expected IS
  '各月按税种、区域的应有税额与申报税额 (revenue_refresh() 写入) / expected and declared tax by month, tax type and region, written by revenue_refresh()';
COMMENT ON COLUMN taxshare.revenue_expected.region IS
  '区域: 来源当事方主体的行政区划代码, 未知为空串 / region: the division code of the source party''s entity, '''' when unknown';
COMMENT ON COLUMN taxshare.revenue_expected.expected IS '应有税额 (元) / expected tax in yuan';
COMMENT ON COLUMN taxshare.revenue_expected.declared IS '申报税额 (元), 规则无申报金额字段时为空 / declared tax in yuan, NULL when the rule has no target amount';
COMMENT ON COLUMN taxshare.revenue_expected.source_records IS '来源记录数 / source records counted';
COMMENT ON COLUMN taxshare.revenue_expected.target_records IS '申报记录数 / target (declaration) records counted';
COMMENT ON COLUMN taxshare.revenue_expected.computed_at IS '计算时间 / when computed';
SELECT pg_catalog.pg_extension_config_dump('taxshare.revenue_expected', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'revenue_expected', 'rawd', 'rawd', 'r', '', '', '');

-- The receipts item of the starter pack (76_starter_pack.sql).
CREATE FUNCTION taxshare._revenue_item() RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT 'SW-RK-001'::text $$;
COMMENT ON FUNCTION taxshare._revenue_item() IS
  '内部: 税收入库信息的目录条目代码 / internal: the catalog code of the tax receipts item';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_revenue_item()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.revenue_refresh(period_start date)
RETURNS TABLE (tax_type text, region text, expected numeric, declared numeric)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  p date := revenue_refresh.period_start;
  src record;
  expected_sql text;
  target_sql text;
BEGIN
  IF p IS NULL OR p <> date_trunc('month', p)::date THEN
    RAISE EXCEPTION 'period start % is not the first day of a month', p
      USING ERRCODE = '22023', HINT = 'Revenue is watched per month: pass e.g. ''2025-03-01''.';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('taxshare.revenue_refresh'), (p - date '2000-01-01'));
  DELETE FROM taxshare.revenue_expected x WHERE x.period_start = p;
  FOR src IN
    SELECT s.tax_type, s.factor, r.*
      FROM taxshare.revenue_source s JOIN taxshare.match_rule r ON r.code = s.rule_code
     ORDER BY s.rule_code
  LOOP
    -- the expected amount of each source record, as _match_rule_sql reads it
    IF src.expected_expr IS NOT NULL THEN
      expected_sql := taxshare.rule_expr_sql(src.expected_expr, 'c');
    ELSIF src.source_amount_field IS NOT NULL THEN
      expected_sql := format('((c.payload ->> %L)::numeric)', src.source_amount_field);
    ELSE
      CONTINUE;		-- a rule without an expected amount says nothing about revenue
    END IF;
    target_sql := CASE WHEN src.target_amount_field IS NOT NULL
                       THEN format('((c.payload ->> %L)::numeric)', src.target_amount_field)
                       ELSE 'NULL::numeric' END;
    EXECUTE format($q$
      WITH s AS (
        SELECT coalesce(e.region, '') AS region, sum(%1$s) AS amount, count(*) AS records
          FROM taxshare.current_record c
          LEFT JOIN taxshare.record_party rp ON rp.record_id = c.id AND rp.role = %2$L
          LEFT JOIN taxshare.entity e ON e.id = rp.entity_id
         WHERE c.item_code = %3$L AND c.period_start >= $1 AND c.period_start < $1 + interval '1 month'
         GROUP BY 1
      ), t AS (
        SELECT coalesce(e.region, '') AS region, sum(%4$s) AS amount, count(*) AS records
          FROM taxshare.current_record c
          LEFT JOIN taxshare.record_party rp ON rp.record_id = c.id AND rp.role = %5$L
          LEFT JOIN taxshare.entity e ON e.id = rp.entity_id
         WHERE c.item_code = %6$L AND c.period_start >= $1 AND c.period_start < $1 + interval '1 month'
         GROUP BY 1
      )
      INSERT INTO taxshare.revenue_expected AS x (period_start, tax_type, region, expected, declared,
                                                  source_records, target_records)
      SELECT $1, $2, coalesce(s.region, t.region), round(coalesce(s.amount, 0) * $3, 2),
             round(t.amount * $3, 2), coalesce(s.records, 0), coalesce(t.records, 0)
        FROM s FULL JOIN t ON t.region = s.region
      ON CONFLICT (period_start, tax_type, region) DO UPDATE
         SET expected = x.expected + excluded.expected,
             declared = CASE WHEN x.declared IS NULL AND excluded.declared IS NULL THEN NULL
                             ELSE coalesce(x.declared, 0) + coalesce(excluded.declared, 0) END,
             source_records = x.source_records + excluded.source_records,
             target_records = x.target_records + excluded.target_records$q$,
      expected_sql, src.party_role, src.source_item,
      target_sql, coalesce(src.target_role, src.party_role), src.target_item)
    USING p, src.tax_type, src.factor;
  END LOOP;
  RETURN QUERY SELECT x.tax_type, x.region, x.expected::numeric, x.declared::numeric
                 FROM taxshare.revenue_expected x WHERE x.period_start = p ORDER BY x.tax_type, x.region;
END
$$;
COMMENT ON FUNCTION taxshare.revenue_refresh(date) IS
  '计算某月按税种、区域的应有税额与申报税额 (比对规则的应有金额与申报金额乘以 revenue_source 系数), 替换该月结果 / '
  'compute the expected and declared tax of a month by tax type and region (the cross-check rules'' expected and declared amounts times the revenue_source factor), replacing the month''s figures';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'revenue_refresh(date)', 'X', 'X', '', '', '', '');

-- Expected, declared and received by month, tax type and region, and the
-- same for the whole city (region NULL); warning when the receipts fall
-- short of the expected by more than both thresholds of the tax type.
CREATE VIEW taxshare.revenue_watch WITH (security_invoker = true) AS
  WITH received AS (
    SELECT c.period_start, c.payload ->> 'tax_type' AS tax_type, coalesce(c.payload ->> 'region', '') AS region,
           sum((c.payload ->> 'amount')::numeric) AS received
      FROM taxshare.current_record c
     WHERE c.item_code = taxshare._revenue_item()
     GROUP BY 1, 2, 3
  ), joined AS (
    SELECT coalesce(x.period_start, r.period_start) AS period_start, coalesce(x.tax_type, r.tax_type) AS tax_type,
           coalesce(x.region, r.region) AS region, x.expected, x.declared, r.received
      FROM taxshare.revenue_expected x
      FULL JOIN received r ON r.period_start = x.period_start AND r.tax_type = x.tax_type AND r.region = x.region
  ), rolled AS (
    SELECT j.period_start, j.tax_type, j.region, sum(j.expected) AS expected, sum(j.declared) AS declared,
           sum(j.received) AS received
      FROM joined j
     GROUP BY GROUPING SETS ((j.period_start, j.tax_type, j.region), (j.period_start, j.tax_type))
  )
  SELECT r.period_start, r.tax_type, r.region, r.expected, r.declared, coalesce(r.received, 0) AS received,
         r.expected - coalesce(r.received, 0) AS shortfall,
         CASE WHEN r.expected > 0 THEN round((r.expected - coalesce(r.received, 0)) / r.expected, 4) END AS shortfall_rate,
         p.shortfall_rel, p.shortfall_abs,
         coalesce(r.expected - coalesce(r.received, 0) > p.shortfall_abs
                  AND r.expected - coalesce(r.received, 0) > p.shortfall_rel * r.expected, false) AS warning
    FROM rolled r
    LEFT JOIN taxshare.revenue_param p ON p.tax_type = r.tax_type;
COMMENT ON VIEW taxshare.revenue_watch IS
  '收入监控: 按月、税种、区域 (region 为空为全市合计) 的应有、申报与入库税额, 入库低于应有超过阈值时 warning 为真 / '
  'revenue watch: expected, declared and received tax by month, tax type and region (region NULL: the whole city); warning when receipts fall short of the expected by more than the thresholds';
COMMENT ON COLUMN taxshare.revenue_watch.region IS
  '区域代码; 空串为区域未知; NULL 为全市合计 / division code; '''' unknown; NULL the whole city';
COMMENT ON COLUMN taxshare.revenue_watch.expected IS '应有税额 (元), 无比对数据时为空 / expected tax in yuan, NULL without cross-check data';
COMMENT ON COLUMN taxshare.revenue_watch.declared IS '申报税额 (元) / declared tax in yuan';
COMMENT ON COLUMN taxshare.revenue_watch.received IS '入库税额 (元) / tax received by the treasury, in yuan';
COMMENT ON COLUMN taxshare.revenue_watch.shortfall IS '短收: 应有减入库 / shortfall: expected minus received';
COMMENT ON COLUMN taxshare.revenue_watch.shortfall_rate IS '短收率: 短收除以应有 / shortfall over expected';
COMMENT ON COLUMN taxshare.revenue_watch.warning IS
  '入库预警: 短收同时超过 shortfall_abs 与 shortfall_rel × 应有 / warning: the shortfall exceeds both shortfall_abs and shortfall_rel times the expected';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'revenue_watch', 'r', 'r', 'r', '', '', '');

-- Monthly receipts of a tax type (a region, or the whole city), the series
-- the forecast reads.
CREATE FUNCTION taxshare._revenue_series(tax_type text, region text)
RETURNS TABLE (period_start date, received numeric)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT c.period_start, sum((c.payload ->> 'amount')::numeric)
    FROM taxshare.current_record c
   WHERE c.item_code = taxshare._revenue_item()
     AND c.payload ->> 'tax_type' = $1
     AND ($2 IS NULL OR coalesce(c.payload ->> 'region', '') = $2)
   GROUP BY c.period_start
$$;
COMMENT ON FUNCTION taxshare._revenue_series(text, text) IS
  '内部: 某税种 (某区域或全市) 各月入库税额 / internal: monthly receipts of a tax type (a region, or the whole city)';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_revenue_series(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The forecast of the next months: seasonal naive with the year's growth.
-- A month is forecast as the same month a year before, times the growth of
-- the last twelve months over the twelve before them (when all 24 are known;
-- else no growth); without that month of last year, as the mean of the last
-- three known months.  docs/revenue.md says why this and not Holt-Winters.
CREATE FUNCTION taxshare.revenue_forecast(tax_type text, region text DEFAULT NULL, horizon integer DEFAULT 3,
                                          as_of date DEFAULT NULL)
RETURNS TABLE (period_start date, forecast numeric, method text, basis text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  hist jsonb;
  last_m date;
  g numeric := 1;
  g_zh text := '增长率 1 (已知月份不足 24 个)';
  g_en text := 'growth 1 (fewer than 24 months known)';
  a numeric;
  b numeric;
  m date;
  prev numeric;
  i integer;
BEGIN
  IF revenue_forecast.tax_type IS NULL THEN
    RAISE EXCEPTION 'tax_type must not be null'
      USING ERRCODE = '22023', HINT = 'Name a tax type of the receipts item, e.g. 增值税.';
  END IF;
  IF revenue_forecast.horizon IS NULL OR revenue_forecast.horizon < 1 OR revenue_forecast.horizon > 12 THEN
    RAISE EXCEPTION 'horizon must be between 1 and 12 months, not %', revenue_forecast.horizon
      USING ERRCODE = '22023', HINT = 'A seasonal naive forecast looks at most a year ahead.';
  END IF;
  SELECT jsonb_object_agg(to_char(s.period_start, 'YYYY-MM-DD'), s.received), max(s.period_start)
    INTO hist, last_m
    FROM taxshare._revenue_series(revenue_forecast.tax_type, revenue_forecast.region) s
   WHERE revenue_forecast.as_of IS NULL OR s.period_start <= revenue_forecast.as_of;
  IF last_m IS NULL THEN
    RAISE EXCEPTION 'no receipts of tax type "%"%', revenue_forecast.tax_type,
                    CASE WHEN revenue_forecast.region IS NULL THEN '' ELSE format(' in region %s', revenue_forecast.region) END
      USING ERRCODE = 'P0002',
            HINT = format('Load the tax receipts (catalog item %s) first; tax types are named as in the item.',
                          taxshare._revenue_item());
  END IF;
  -- growth: the last 12 months over the 12 before them, when all 24 are known
  SELECT sum((hist ->> to_char((last_m - make_interval(months => k))::date, 'YYYY-MM-DD'))::numeric)
           FILTER (WHERE k < 12),
         sum((hist ->> to_char((last_m - make_interval(months => k))::date, 'YYYY-MM-DD'))::numeric)
           FILTER (WHERE k >= 12)
    INTO a, b
    FROM generate_series(0, 23) k
  HAVING count(hist ->> to_char((last_m - make_interval(months => k))::date, 'YYYY-MM-DD')) = 24;
  IF b > 0 THEN
    g := round(a / b, 6);
    g_zh := format('增长率 %s (近 12 个月 %s / 前 12 个月 %s)', g, a, b);
    g_en := format('growth %s (last 12 months %s over the 12 before %s)', g, a, b);
  END IF;
  FOR i IN 1 .. revenue_forecast.horizon LOOP
    m := (last_m + make_interval(months => i))::date;
    prev := (hist ->> to_char((m - interval '12 months')::date, 'YYYY-MM-DD'))::numeric;
    period_start := m;
    IF prev IS NOT NULL THEN
      forecast := round(prev * g, 2);
      method := 'seasonal_naive';
      basis := format('%s 入库 %s × %s / receipts of %s times the %s',
                      to_char(m - interval '12 months', 'YYYY-MM'), prev, g_zh,
                      to_char(m - interval '12 months', 'YYYY-MM'), g_en);
    ELSE
      SELECT round(avg(v.x), 2), string_agg(v.k, ', ' ORDER BY v.k)
        INTO forecast, basis
        FROM (SELECT e.key AS k, e.value::numeric AS x FROM jsonb_each_text(hist) e
               ORDER BY e.key DESC LIMIT 3) v;
      method := 'mean_3';
      basis := format('近 3 个已知月份的均值 (%s) / mean of the last three known months', basis);
    END IF;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION taxshare.revenue_forecast(text, text, integer, date) IS
  '入库税额预测 (季节性朴素法): 某月 = 上年同月入库 × 近 12 个月对前 12 个月的增长; 无上年同月时为近 3 个已知月份的均值; horizon 1-12 个月 / '
  'forecast of tax receipts (seasonal naive): a month = the same month a year before times the growth of the last 12 months over the 12 before; without it, the mean of the last three known months; horizon 1-12 months';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'revenue_forecast(text, text, integer, date)', 'X', 'X', 'X', '', '', '');

ALTER TABLE taxshare.revenue_expected ENABLE ROW LEVEL SECURITY;
CREATE POLICY revenue_expected_analysis ON taxshare.revenue_expected FOR ALL
  TO taxshare_admin, taxshare_analyst, taxshare_tax USING (true) WITH CHECK (true);

CREATE OR REPLACE FUNCTION taxshare.starter_pack_install()
RETURNS TABLE (kind text, code text, title text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d jsonb;
BEGIN
  INSERT INTO taxshare.unit (code, name, kind) VALUES
    ('ZJJ',   '住房和城乡建设局',     'department'),
    ('ZRZYJ', '自然资源和规划局',     'department'),
    ('SCJGJ', '市场监督管理局',       'department'),
    ('RSJ',   '人力资源和社会保障局', 'department'),
    ('CZJ',   '财政局',               'department'),
    ('SWJ',   '税务局',               'tax')
  ON CONFLICT DO NOTHING;

  -- The tax bureau's taxpayer IDs are of every era (USCC, legacy
  -- 15-character, resident ID + 00), so they are text fields its parties name
  -- as taxpayer_id for the resolver; addresses and phones help with names.
  FOR d IN SELECT x FROM jsonb_array_elements($items$[
  {"code": "ZJ-SPF-001", "title": "商品房网签备案信息", "provider": "ZJJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "契税、增值税征管比对",
   "description": "新建商品房买卖合同网签备案, 每月 10 日前报送上月数据",
   "schema": {"fields": [
     {"name": "contract_no", "title": "合同备案号", "type": "string", "constraints": {"required": true}},
     {"name": "project_name", "title": "项目名称", "type": "string"},
     {"name": "seller_uscc", "title": "出卖人统一社会信用代码", "type": "uscc"},
     {"name": "seller_name", "title": "出卖人名称", "type": "string", "constraints": {"required": true}},
     {"name": "buyer_name", "title": "买受人名称", "type": "string", "constraints": {"required": true}},
     {"name": "buyer_idcard", "title": "买受人身份证号码", "type": "idcard"},
     {"name": "buyer_uscc", "title": "买受人统一社会信用代码", "type": "uscc"},
     {"name": "house_address", "title": "房屋坐落", "type": "string"},
     {"name": "house_use", "title": "房屋用途", "type": "string", "constraints": {"enum": ["住宅", "商业", "办公", "车位", "其他"]}},
     {"name": "area", "title": "建筑面积(平方米)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "price", "title": "合同总价(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "sign_date", "title": "签约日期", "type": "date", "constraints": {"required": true}},
     {"name": "record_date", "title": "备案日期", "type": "date"}],
    "primaryKey": "contract_no"},
   "parties": [{"role": "seller", "uscc": "seller_uscc", "name": "seller_name"},
               {"role": "buyer", "idcard": "buyer_idcard", "uscc": "buyer_uscc", "name": "buyer_name"}],
   "rules": [{"rule": "lte", "fields": ["sign_date", "record_date"]}]},

  {"code": "SW-QS-001", "title": "契税申报信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional", "scope": "契税征管比对",
   "schema": {"fields": [
     {"name": "declaration_no", "title": "申报表编号", "type": "string", "constraints": {"required": true}},
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string"},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "property_address", "title": "房屋坐落", "type": "string"},
     {"name": "contract_no", "title": "合同编号", "type": "string"},
     {"name": "tax_base", "title": "计税依据(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "tax_rate", "title": "适用税率", "type": "number", "constraints": {"minimum": 0, "maximum": 0.05}},
     {"name": "tax_amount", "title": "应纳税额(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "declared_on", "title": "申报日期", "type": "date"}],
    "primaryKey": "declaration_no"},
   "parties": [{"role": "taxpayer", "taxpayer_id": "taxpayer_id", "name": "taxpayer_name"}]},

  {"code": "ZRZY-CR-001", "title": "国有建设用地使用权出让信息", "provider": "ZRZYJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "城镇土地使用税、契税征管比对",
   "schema": {"fields": [
     {"name": "contract_no", "title": "出让合同编号", "type": "string", "constraints": {"required": true}},
     {"name": "parcel_no", "title": "宗地编号", "type": "string"},
     {"name": "location", "title": "宗地坐落", "type": "string"},
     {"name": "land_use", "title": "土地用途", "type": "string"},
     {"name": "area", "title": "出让面积(平方米)", "type": "number", "constraints": {"required": true, "minimum": 0}},
     {"name": "price", "title": "成交价款(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "transferee_uscc", "title": "受让人统一社会信用代码", "type": "uscc"},
     {"name": "transferee_name", "title": "受让人名称", "type": "string", "constraints": {"required": true}},
     {"name": "sign_date", "title": "合同签订日期", "type": "date"},
     {"name": "delivery_date", "title": "约定交地日期", "type": "date"}],
    "primaryKey": "contract_no"},
   "parties": [{"role": "transferee", "uscc": "transferee_uscc", "name": "transferee_name"}]},

  {"code": "SW-TDSYS-001", "title": "城镇土地使用税申报信息", "provider": "SWJ", "frequency": "quarterly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string"},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "parcel_location", "title": "土地坐落", "type": "string"},
     {"name": "taxable_area", "title": "应税面积(平方米)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "unit_tax", "title": "单位税额(元/平方米)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "tax_amount", "title": "本期应纳税额(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "taxpayer", "taxpayer_id": "taxpayer_id", "name": "taxpayer_name"}]},

  {"code": "ZJ-SGXK-001", "title": "建筑工程施工许可信息", "provider": "ZJJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "建筑业增值税征管比对",
   "schema": {"fields": [
     {"name": "permit_no", "title": "施工许可证编号", "type": "string", "constraints": {"required": true}},
     {"name": "project_name", "title": "工程名称", "type": "string"},
     {"name": "project_address", "title": "建设地址", "type": "string"},
     {"name": "owner_uscc", "title": "建设单位统一社会信用代码", "type": "uscc"},
     {"name": "owner_name", "title": "建设单位名称", "type": "string"},
     {"name": "builder_uscc", "title": "施工单位统一社会信用代码", "type": "uscc"},
     {"name": "builder_name", "title": "施工单位名称", "type": "string", "constraints": {"required": true}},
     {"name": "contract_amount", "title": "合同价格(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "floor_area", "title": "建筑面积(平方米)", "type": "number"},
     {"name": "issue_date", "title": "发证日期", "type": "date"}],
    "primaryKey": "permit_no"},
   "parties": [{"role": "owner", "kind": "enterprise", "uscc": "owner_uscc", "name": "owner_name"},
               {"role": "builder", "kind": "enterprise", "uscc": "builder_uscc", "name": "builder_name"}]},

  {"code": "SW-JZYZZS-001", "title": "建筑服务增值税预缴申报信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string"},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "project_name", "title": "项目名称", "type": "string"},
     {"name": "project_address", "title": "项目地址", "type": "string"},
     {"name": "sales_amount", "title": "含税销售额(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "prepaid_tax", "title": "预缴税款(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "taxpayer", "kind": "enterprise", "taxpayer_id": "taxpayer_id",
                "name": "taxpayer_name"}]},

  {"code": "SCJG-DJ-001", "title": "企业设立登记信息", "provider": "SCJGJ", "frequency": "monthly",
   "sharing": "unconditional", "scope": "税务登记、关联人员管理",
   "schema": {"fields": [
     {"name": "uscc", "title": "统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
     {"name": "name", "title": "企业名称", "type": "string", "constraints": {"required": true}},
     {"name": "enterprise_type", "title": "企业类型", "type": "string"},
     {"name": "address", "title": "住所", "type": "string"},
     {"name": "region", "title": "住所所在行政区划", "type": "division"},
     {"name": "phone", "title": "联系电话", "type": "phone"},
     {"name": "registered_capital", "title": "注册资本(万元)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "established_on", "title": "成立日期", "type": "date", "constraints": {"required": true}},
     {"name": "legal_rep_name", "title": "法定代表人", "type": "string"},
     {"name": "legal_rep_idcard", "title": "法定代表人身份证号码", "type": "idcard"},
     {"name": "finance_head_name", "title": "财务负责人", "type": "string"},
     {"name": "finance_head_idcard", "title": "财务负责人身份证号码", "type": "idcard"},
     {"name": "tax_handler_name", "title": "办税人", "type": "string"},
     {"name": "tax_handler_idcard", "title": "办税人身份证号码", "type": "idcard"}],
    "primaryKey": "uscc"},
   "parties": [{"role": "enterprise", "kind": "enterprise", "uscc": "uscc", "name": "name",
                "region": "region", "address": "address", "phone": "phone"},
               {"role": "legal_rep", "kind": "person", "idcard": "legal_rep_idcard", "name": "legal_rep_name"},
               {"role": "finance_head", "kind": "person", "idcard": "finance_head_idcard", "name": "finance_head_name"},
               {"role": "tax_handler", "kind": "person", "idcard": "tax_handler_idcard", "name": "tax_handler_name"}]},

  {"code": "SCJG-GD-001", "title": "企业股东及出资信息", "provider": "SCJGJ", "frequency": "monthly",
   "sharing": "unconditional", "scope": "关联人员管理",
   "schema": {"fields": [
     {"name": "uscc", "title": "企业统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
     {"name": "name", "title": "企业名称", "type": "string"},
     {"name": "investor_name", "title": "股东名称", "type": "string", "constraints": {"required": true}},
     {"name": "investor_idcard", "title": "股东身份证号码", "type": "idcard"},
     {"name": "investor_uscc", "title": "股东统一社会信用代码", "type": "uscc"},
     {"name": "share", "title": "出资比例(%)", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
     {"name": "subscribed", "title": "认缴出资额(万元)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "changed_on", "title": "变更日期", "type": "date"}]},
   "parties": [{"role": "enterprise", "uscc": "uscc", "name": "name"},
               {"role": "investor", "idcard": "investor_idcard", "uscc": "investor_uscc", "name": "investor_name"}]},

  {"code": "SW-DJ-001", "title": "税务登记信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string", "constraints": {"required": true}},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "taxpayer_status", "title": "纳税人状态", "type": "string"},
     {"name": "address", "title": "生产经营地址", "type": "string"},
     {"name": "phone", "title": "联系电话", "type": "string"},
     {"name": "registered_on", "title": "登记日期", "type": "date"}]},
   "parties": [{"role": "taxpayer", "taxpayer_id": "taxpayer_id", "name": "taxpayer_name",
                "address": "address", "phone": "phone"}]},

  {"code": "RS-SB-001", "title": "社会保险参保缴费信息", "provider": "RSJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "个人所得税扣缴比对",
   "schema": {"fields": [
     {"name": "employer_uscc", "title": "单位统一社会信用代码", "type": "uscc"},
     {"name": "employer_name", "title": "单位名称", "type": "string", "constraints": {"required": true}},
     {"name": "insured_count", "title": "参保人数", "type": "integer", "constraints": {"required": true, "minimum": 0}},
     {"name": "wage_base_total", "title": "缴费基数合计(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "paid_amount", "title": "实缴金额(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "employer", "kind": "enterprise", "uscc": "employer_uscc", "name": "employer_name"}]},

  {"code": "SW-GSKJ-001", "title": "个人所得税扣缴申报信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "withholder_id", "title": "扣缴义务人纳税人识别号", "type": "string"},
     {"name": "withholder_name", "title": "扣缴义务人名称", "type": "string", "constraints": {"required": true}},
     {"name": "withheld_count", "title": "扣缴申报人数", "type": "integer", "constraints": {"required": true, "minimum": 0}},
     {"name": "income_total", "title": "收入额合计(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "tax_withheld", "title": "已扣缴税额(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "withholder", "kind": "enterprise", "taxpayer_id": "withholder_id",
                "name": "withholder_name"}]},

  {"code": "CZ-GKZF-001", "title": "国库集中支付信息", "provider": "CZJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "发票开具比对",
   "schema": {"fields": [
     {"name": "voucher_no", "title": "支付凭证号", "type": "string", "constraints": {"required": true}},
     {"name": "budget_unit", "title": "预算单位", "type": "string"},
     {"name": "payee_uscc", "title": "收款人统一社会信用代码", "type": "uscc"},
     {"name": "payee_name", "title": "收款人全称", "type": "string", "constraints": {"required": true}},
     {"name": "payee_account", "title": "收款人账号", "type": "string"},
     {"name": "amount", "title": "支付金额(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "purpose", "title": "用途", "type": "string"},
     {"name": "paid_on", "title": "支付日期", "type": "date"}],
    "primaryKey": "voucher_no"},
   "parties": [{"role": "payee", "kind": "enterprise", "uscc": "payee_uscc", "name": "payee_name"}]},

  {"code": "SW-FP-001", "title": "增值税发票开具汇总信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "seller_id", "title": "销售方纳税人识别号", "type": "string"},
     {"name": "seller_name", "title": "销售方名称", "type": "string", "constraints": {"required": true}},
     {"name": "invoice_count", "title": "开具份数", "type": "integer", "constraints": {"minimum": 0}},
     {"name": "amount_total", "title": "金额合计(不含税, 元)", "type": "amount"},
     {"name": "tax_total", "title": "税额合计(元)", "type": "amount"},
     {"name": "amount_with_tax", "title": "价税合计(元)", "type": "amount", "constraints": {"required": true}}]},
   "parties": [{"role": "seller", "kind": "enterprise", "taxpayer_id": "seller_id", "name": "seller_name"}]},

  {"code": "SW-RK-001", "title": "税收收入入库信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "unconditional", "scope": "收入监控、入库预警、收入预测",
   "description": "按税种、区域汇总的当月入库税款, 由税务局或国库报送, 每月 10 日前报送上月数据",
   "schema": {"fields": [
     {"name": "tax_type", "title": "税种", "type": "string", "constraints": {"required": true, "enum":
       ["增值税", "企业所得税", "个人所得税", "契税", "城镇土地使用税", "土地增值税", "房产税", "印花税",
        "车船税", "耕地占用税", "资源税", "其他"]}},
     {"name": "region", "title": "区域(行政区划代码)", "type": "division"},
     {"name": "amount", "title": "入库金额(元)", "type": "amount", "constraints": {"required": true}},
     {"name": "source", "title": "数据来源", "type": "string", "constraints": {"enum": ["税务局", "国库"]}}],
    "primaryKey": ["tax_type", "region", "source"]}}
  ]$items$::jsonb) AS a(x)
  LOOP
    PERFORM taxshare.catalog_define(d);
    kind := 'item';
    code := d ->> 'code';
    title := d ->> 'title';
    RETURN NEXT;
  END LOOP;


  INSERT INTO taxshare.party_link_source (item_code, enterprise_role, person_role, link_role,
                                          share_field, valid_from_field, valid_to_field)
  VALUES ('SCJG-DJ-001', 'enterprise', 'legal_rep', 'legal_rep', NULL, 'established_on', NULL),
         ('SCJG-DJ-001', 'enterprise', 'finance_head', 'finance_head', NULL, 'established_on', NULL),
         ('SCJG-DJ-001', 'enterprise', 'tax_handler', 'tax_handler', NULL, 'established_on', NULL),
         ('SCJG-GD-001', 'enterprise', 'investor', 'investor', 'share', 'changed_on', NULL)
  ON CONFLICT DO NOTHING;

  -- The rules.  Rule codes equal the risk indicator codes they count towards.
  INSERT INTO taxshare.match_rule AS m (code, title, description, source_item, target_item, party_role,
                                        target_role, check_kind, expected_expr, source_amount_field,
                                        target_amount_field, tolerance_abs, tolerance_rel,
                                        period_window, indicator_code)
  VALUES
    ('A01_PROPERTY_DEED_TAX', '商品房网签与契税申报比对',
     '买受人当月网签的合同总价, 应在当月或次月的契税申报中作为计税依据申报; 申报计税依据低于合同价超过容差的, 疑为少报 (契税法 第四条: 计税依据为成交价格) / the buyer''s contract prices of the month should be declared as the deed-tax base this month or the next',
     'ZJ-SPF-001', 'SW-QS-001', 'buyer', 'taxpayer', 'amount_below', 'price', NULL, 'tax_base',
     1000, 0.01, '+1 month', 'A01_PROPERTY_DEED_TAX'),
    ('A02_LAND_USE_TAX', '土地出让与城镇土地使用税比对',
     '受让国有建设用地后三个月内无城镇土地使用税申报的, 疑为未申报; 涉及金额按最低年税额 0.6 元/平方米估算 (城镇土地使用税暂行条例 第四条) / a land transferee with no land-use tax declaration within three months; amount at the lowest annual rate',
     'ZRZY-CR-001', 'SW-TDSYS-001', 'transferee', 'taxpayer', 'missing', 'area * 0.6', NULL, NULL,
     NULL, NULL, '+3 months', 'A02_LAND_USE_TAX'),
    ('A03_CONSTRUCTION_VAT', '施工许可与建筑业增值税预缴比对',
     '取得施工许可后两个月内, 预缴税款低于合同价格 (含税) 按 9% 税率换算的不含税销售额的 2% 的一半以上的, 疑为未足额预缴 (财税〔2016〕36 号, 国家税务总局公告 2016 年第 17 号) / prepaid construction VAT within two months of the permit below half of 2% of the contract price net of 9% VAT',
     'ZJ-SGXK-001', 'SW-JZYZZS-001', 'builder', 'taxpayer', 'amount_below',
     'contract_amount / (1 + 9%) * 2%', NULL, 'prepaid_tax', 100, 0.5, '+2 months', 'A03_CONSTRUCTION_VAT'),
    ('A04_UNREGISTERED_TAXPAYER', '新设企业与税务登记比对',
     '市场监管部门当月新设立的企业, 次月底前在税务登记信息中没有记录的, 疑为未办理涉税信息确认 (税收征收管理法 第十五条) / an enterprise registered this month with no tax registration by the end of next month',
     'SCJG-DJ-001', 'SW-DJ-001', 'enterprise', 'taxpayer', 'missing', NULL, NULL, NULL,
     NULL, NULL, '+1 month', 'A04_UNREGISTERED_TAXPAYER'),
    ('A05_SOCIAL_INSURANCE_WITHHOLDING', '社保参保人数与个税扣缴人数比对',
     '单位当月社会保险参保人数与个人所得税扣缴申报人数相差超过 2 人且超过 10% 的, 疑为未全员全额扣缴申报 (个人所得税法 第九条、第十条) / insured headcount and withholding headcount of the month differ by more than 2 and more than 10%',
     'RS-SB-001', 'SW-GSKJ-001', 'employer', 'withholder', 'count_mismatch', NULL, 'insured_count',
     'withheld_count', 2, 0.1, 'same', 'A05_SOCIAL_INSURANCE_WITHHOLDING'),
    ('A06_GOVT_PAYMENT_INVOICE', '国库支付与发票开具比对',
     '财政当月支付给单位的款项, 收款单位当月及次月开具发票价税合计少于支付金额超过 1000 元且超过 5% 的, 疑为未开票收入 / treasury payments of the month not covered by invoices issued this month or the next (more than 1000 yuan and 5% short)',
     'CZ-GKZF-001', 'SW-FP-001', 'payee', 'seller', 'amount_below', 'amount', NULL, 'amount_with_tax',
     1000, 0.05, '+1 month', 'A06_GOVT_PAYMENT_INVOICE')
  ON CONFLICT ON CONSTRAINT match_rule_pkey DO NOTHING;

  -- Revenue watch (83_revenue.sql, docs/revenue.md): which rules' amounts are
  -- tax, and the thresholds of the receipts warning per tax type.
  INSERT INTO taxshare.revenue_source (rule_code, tax_type, factor, description) VALUES
    ('A01_PROPERTY_DEED_TAX', '契税', 0.03,
     '合同总价 (计税依据) × 3% (契税法 第三条: 税率 3%-5%, 按最低税率估计) / contract price (the tax base) times 3%, the lowest rate of the Deed Tax Law art. 3'),
    ('A03_CONSTRUCTION_VAT', '增值税', 1,
     '规则比较的已是预缴税款 / the rule already compares the VAT to prepay')
  ON CONFLICT DO NOTHING;
  INSERT INTO taxshare.revenue_param (tax_type, shortfall_rel, shortfall_abs, description)
  SELECT t, 0.10, 10000, '入门包默认: 短收超过应有的 10% 且超过 1 万元 / starter default: more than 10% and 10,000 yuan short'
    FROM unnest(ARRAY['增值税', '企业所得税', '个人所得税', '契税', '城镇土地使用税', '土地增值税', '房产税',
                      '印花税', '车船税', '耕地占用税', '资源税', '其他']) t
  ON CONFLICT DO NOTHING;

  RETURN QUERY SELECT 'rule'::text, r.code, r.title FROM taxshare.match_rule r
                WHERE r.code LIKE 'A0%' ORDER BY r.code;
END
$$;
COMMENT ON FUNCTION taxshare.starter_pack_install() IS
  '安装入门包: 六项交叉比对的共享目录条目、提供单位、当事方及比对规则, 税收入库条目与收入监控参数 (可重复执行) / install the starter pack: catalog items, provider units, parties and rules of six cross-checks, the tax receipts item and the revenue watch settings (idempotent)';

CREATE FUNCTION taxshare._report_revenue(p_from date, p_to date)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  body text;
  rec record;
  f record;
  labels text[];
  vals numeric[];
  n integer := 0;
BEGIN
  body := '<section><h2>收入监控 <small>Revenue watch: expected, declared and received tax</small></h2>';
  SELECT array_agg(DISTINCT x.tax_type ORDER BY x.tax_type),
         array_agg(v.v ORDER BY x.tax_type, v.ord)
    INTO labels, vals
    FROM (SELECT w.tax_type, sum(w.expected) AS expected, sum(w.declared) AS declared, sum(w.received) AS received
            FROM taxshare.revenue_watch w
           WHERE w.region IS NULL AND w.period_start >= p_from AND w.period_start < p_to
           GROUP BY w.tax_type) x
    CROSS JOIN LATERAL (VALUES (1, coalesce(x.expected, 0)), (2, coalesce(x.declared, 0)),
                               (3, coalesce(x.received, 0))) v(ord, v);
  IF labels IS NULL THEN
    RETURN body || '<p class="empty">本期没有收入数据 (先运行 revenue_refresh() 并报送税收入库信息) / '
                || 'no revenue data for the period (run revenue_refresh() and load the tax receipts)</p></section>';
  END IF;
  body := body || taxshare._svg_columns(labels, ARRAY['应有 expected', '申报 declared', '入库 received'], vals,
                                        ARRAY['#756bb1', '#2c7fb8', '#31a354'],
                                        '按税种的应有、申报与入库税额 / expected, declared and received tax by tax type')
    || '<table><thead><tr><th>税种<br><small>tax type</small></th><th class="num">应有 (元)<br><small>expected</small></th>'
    || '<th class="num">申报 (元)<br><small>declared</small></th><th class="num">入库 (元)<br><small>received</small></th>'
    || '<th class="num">短收 (元)<br><small>shortfall</small></th><th class="num">预警月数<br><small>months warned</small></th>'
    || '</tr></thead><tbody>';
  FOR rec IN
    SELECT w.tax_type, sum(w.expected) AS expected, sum(w.declared) AS declared, sum(w.received) AS received,
           sum(w.shortfall) AS shortfall, count(*) FILTER (WHERE w.warning) AS warned
      FROM taxshare.revenue_watch w
     WHERE w.region IS NULL AND w.period_start >= p_from AND w.period_start < p_to
     GROUP BY w.tax_type ORDER BY w.tax_type
  LOOP
    body := body || format('<tr><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>'
                           '<td class="num">%s</td><td class="num">%s</td></tr>',
                           taxshare.html_escape(rec.tax_type), taxshare._report_num(rec.expected),
                           taxshare._report_num(rec.declared), taxshare._report_num(rec.received),
                           taxshare._report_num(rec.shortfall),
                           CASE WHEN rec.warned > 0 THEN format('<span class="tag high">%s</span>', rec.warned) ELSE '0' END);
  END LOOP;
  body := body || '</tbody></table>';

  -- the warnings: receipts short of the expected by more than the thresholds
  body := body || '<h3>入库预警 <small>Receipts short of the expected</small></h3>';
  FOR rec IN
    SELECT w.* FROM taxshare.revenue_watch w
     WHERE w.warning AND w.period_start >= p_from AND w.period_start < p_to
     ORDER BY w.period_start, w.tax_type, w.region NULLS FIRST
  LOOP
    IF n = 0 THEN
      body := body || '<table><thead><tr><th>月份<br><small>month</small></th><th>税种<br><small>tax type</small></th>'
        || '<th>区域<br><small>region</small></th><th class="num">应有 (元)<br><small>expected</small></th>'
        || '<th class="num">入库 (元)<br><small>received</small></th><th class="num">短收率<br><small>short by</small></th>'
        || '<th>阈值<br><small>threshold</small></th></tr></thead><tbody>';
    END IF;
    n := n + 1;
    body := body || format('<tr><td>%s</td><td>%s</td><td>%s</td><td class="num">%s</td><td class="num">%s</td>'
                           '<td class="num"><span class="tag high">%s%%</span></td><td>&gt; %s%% 且 &gt; %s 元</td></tr>',
                           to_char(rec.period_start, 'YYYY-MM'), taxshare.html_escape(rec.tax_type),
                           CASE WHEN rec.region IS NULL THEN '全市 city' WHEN rec.region = '' THEN '未知 unknown'
                                ELSE taxshare.html_escape(rec.region) END,
                           taxshare._report_num(rec.expected), taxshare._report_num(rec.received),
                           round(100 * rec.shortfall_rate, 1), round(100 * rec.shortfall_rel, 1),
                           taxshare._report_num(rec.shortfall_abs));
  END LOOP;
  body := body || CASE WHEN n = 0 THEN '<p class="empty">没有入库预警 / no receipts warning</p>' ELSE '</tbody></table>' END;

  -- the forecast of the three months after the period, per tax type with receipts
  body := body || '<h3>入库预测 <small>Forecast of the receipts (seasonal naive)</small></h3>';
  n := 0;
  FOR rec IN
    SELECT DISTINCT c.payload ->> 'tax_type' AS tax_type
      FROM taxshare.current_record c
     WHERE c.item_code = taxshare._revenue_item() AND c.period_start < p_to AND c.payload ? 'tax_type'
     ORDER BY 1
  LOOP
    IF n = 0 THEN
      body := body || '<table><thead><tr><th>税种<br><small>tax type</small></th>'
        || (SELECT string_agg(format('<th class="num">%s</th>', to_char(p_to + make_interval(months => k), 'YYYY-MM')), '' ORDER BY k)
              FROM generate_series(0, 2) k)
        || '<th>方法<br><small>method</small></th></tr></thead><tbody>';
    END IF;
    n := n + 1;
    body := body || format('<tr><td>%s</td>', taxshare.html_escape(rec.tax_type));
    FOR f IN
      SELECT x.period_start, x.forecast, x.method FROM taxshare.revenue_forecast(rec.tax_type, NULL, 3, p_to - 1) x
    LOOP
      body := body || format('<td class="num">%s</td>', taxshare._report_num(f.forecast));
    END LOOP;
    body := body || format('<td>%s</td></tr>', CASE f.method WHEN 'seasonal_naive' THEN '上年同月 × 增长 seasonal naive'
                                                             ELSE '近 3 月均值 mean of 3 months' END);
  END LOOP;
  body := body || CASE WHEN n = 0 THEN '<p class="empty">没有入库数据可供预测 / no receipts to forecast from</p>' ELSE '</tbody></table>' END;
  RETURN body || '</section>';
END
$$;
COMMENT ON FUNCTION taxshare._report_revenue(date, date) IS
  '内部: 报告的收入监控部分 (按税种的应有、申报、入库, 入库预警, 入库预测) / internal: the report''s revenue section (expected, declared and received by tax type, the warnings, the forecast)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_report_revenue(date, date)', 'X', 'X', 'X', 'X', 'X', 'X');

SELECT taxshare._privileges_apply();
