-- Revenue watch (收入预测 / 入库预警, seeds/001 "收入预测", seeds/004 art. 23):
-- the point of sharing data is tax collected.  Three figures by tax type,
-- region and month:
--   expected  what the departments' data imply: the cross-check rules'
--             expected amounts (74_match_rule.sql, _match_rule_sql: the
--             expected_expr or source_amount_field of each source record),
--             turned into tax by a factor per rule (revenue_source);
--   declared  what was declared to tax: the same rules' target amounts
--             (target_amount_field of the target records), by the same factor;
--   received  what reached the treasury (入库): the receipts item SW-RK-001
--             of the starter pack, sent by the tax bureau or the treasury.
-- revenue_refresh(month) computes expected and declared into
-- revenue_expected; the view revenue_watch sets them against the receipts
-- and warns when the receipts fall short of the expected by more than the
-- tax type's threshold (revenue_param); revenue_forecast() projects the
-- receipts of the next months by a seasonal naive forecast.
-- Guide: docs/revenue.md.

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
