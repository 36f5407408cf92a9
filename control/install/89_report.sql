-- The monthly analysis report (DOMAIN.md "From data to risk"; seeds/000 art.
-- 15 "市财源办推送的分析报告"): analysis_report(period_start) returns one
-- self-contained HTML page (inline CSS and SVG, no script, no external
-- resource) with the counts by grade, by indicator and by department, the
-- top risks, the prescribed responses and the overdue warnings.  Every text
-- from the data goes through html_escape().  Guide: docs/risk.md, "Report".

CREATE FUNCTION taxshare.html_escape(s text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT replace(replace(replace(replace(replace(s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
                                        '"', '&quot;'), '''', '&#39;') $$;
COMMENT ON FUNCTION taxshare.html_escape(text) IS
  'HTML 转义 (& < > " '') / escape a text for HTML (& < > " '')';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'html_escape(text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- A number with thousands separators and at most two decimals.
CREATE FUNCTION taxshare._report_num(x numeric) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT CASE WHEN x IS NULL THEN '-'
                    WHEN x = trunc(x) THEN btrim(to_char(x, 'FM999,999,999,999,990'))
                    ELSE btrim(to_char(x, 'FM999,999,999,999,990.00')) END $$;
COMMENT ON FUNCTION taxshare._report_num(numeric) IS
  '内部: 报告中的数字格式 (千分位) / internal: a number as the report prints it (thousands separators)';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_report_num(numeric)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The middle dot that separates parts of a line.  The install script is
-- plain UTF-8 read in the database's encoding (EUC_CN, GBK ... too), and
-- U+00B7 has no EUC_CN code, so the source spells it chr(183) - which
-- exists only in a UTF8 database - and other databases get the numeric
-- character reference, which HTML and SVG show the same.
-- (plpgsql, not a sql CASE: the planner would fold chr(183) in every database.)
CREATE FUNCTION taxshare._report_dot() RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF pg_catalog.getdatabaseencoding() = 'UTF8' THEN
    RETURN pg_catalog.chr(183);
  END IF;
  RETURN '&#183;';
END
$$;
COMMENT ON FUNCTION taxshare._report_dot() IS
  '内部: 报告中的分隔点 (UTF8 库为 U+00B7, 其他编码为 &#183;) / internal: the separating middle dot of the report (U+00B7 in a UTF8 database, &#183; otherwise)';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_report_dot()', 'X', 'X', 'X', 'X', 'X', 'X');

-- Horizontal bars: one row per label, the bar proportional to the largest value.
CREATE FUNCTION taxshare._svg_bars(labels text[], vals numeric[], colors text[], caption text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer := coalesce(cardinality(labels), 0);
  row_h constant integer := 26;
  label_w constant integer := 300;
  bar_w constant integer := 380;
  top constant integer := 8;
  h integer;
  mx numeric := 0;
  w numeric;
  out text;
  i integer;
BEGIN
  IF n = 0 THEN
    RETURN '<p class="empty">无数据 / no data</p>';
  END IF;
  FOR i IN 1 .. n LOOP
    mx := greatest(mx, coalesce(vals[i], 0));
  END LOOP;
  h := top * 2 + n * row_h;
  out := format('<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s"><title>%s</title>',
                label_w + bar_w + 110, h, label_w + bar_w + 110, h, taxshare.html_escape(caption));
  FOR i IN 1 .. n LOOP
    w := CASE WHEN mx > 0 THEN round(coalesce(vals[i], 0) / mx * bar_w, 1) ELSE 0 END;
    out := out || format(
      '<text x="%s" y="%s" text-anchor="end" class="lbl">%s</text>'
      '<rect class="bar" x="%s" y="%s" width="%s" height="%s" rx="3" fill="%s"/>'
      '<text x="%s" y="%s" class="val">%s</text>',
      label_w - 8, top + (i - 1) * row_h + 17,
      taxshare.html_escape(CASE WHEN length(labels[i]) > 22 THEN left(labels[i], 21) || '…' ELSE labels[i] END),
      label_w, top + (i - 1) * row_h + 4, w, row_h - 8,
      taxshare.html_escape(coalesce(colors[1 + (i - 1) % greatest(cardinality(colors), 1)], '#2c7fb8')),
      label_w + w + 6, top + (i - 1) * row_h + 17, taxshare._report_num(vals[i]));
  END LOOP;
  RETURN out || '</svg>';
END
$$;
COMMENT ON FUNCTION taxshare._svg_bars(text[], numeric[], text[], text) IS
  '内部: 内联 SVG 横向条形图 / internal: an inline SVG horizontal bar chart';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_svg_bars(text[], numeric[], text[], text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- A pie with its legend.
CREATE FUNCTION taxshare._svg_pie(labels text[], vals numeric[], colors text[], caption text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer := coalesce(cardinality(labels), 0);
  total numeric := 0;
  cx constant numeric := 110;
  cy constant numeric := 110;
  r constant numeric := 100;
  a0 double precision := 0;
  a1 double precision;
  color text;
  out text;
  h integer;
  i integer;
BEGIN
  FOR i IN 1 .. n LOOP
    total := total + greatest(coalesce(vals[i], 0), 0);
  END LOOP;
  IF n = 0 OR total = 0 THEN
    RETURN '<p class="empty">无数据 / no data</p>';
  END IF;
  h := greatest(230, 20 + n * 22);
  out := format('<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 %s" width="640" height="%s"><title>%s</title>',
                h, h, taxshare.html_escape(caption));
  FOR i IN 1 .. n LOOP
    color := taxshare.html_escape(colors[1 + (i - 1) % cardinality(colors)]);
    a1 := a0 + 2 * pi() * greatest(coalesce(vals[i], 0), 0) / total;
    IF greatest(coalesce(vals[i], 0), 0) = total THEN
      out := out || format('<circle class="slice" cx="%s" cy="%s" r="%s" fill="%s"/>', cx, cy, r, color);
    ELSIF a1 > a0 THEN
      out := out || format('<path class="slice" d="M %s %s L %s %s A %s %s 0 %s 1 %s %s Z" fill="%s" stroke="#fff" stroke-width="1"/>',
                           cx, cy,
                           round((cx + r * sin(a0))::numeric, 2), round((cy - r * cos(a0))::numeric, 2),
                           r, r, CASE WHEN a1 - a0 > pi() THEN 1 ELSE 0 END,
                           round((cx + r * sin(a1))::numeric, 2), round((cy - r * cos(a1))::numeric, 2), color);
    END IF;
    out := out || format('<rect x="240" y="%s" width="14" height="14" rx="2" fill="%s"/>'
                         '<text x="262" y="%s" class="lbl">%s %s %s (%s%%)</text>',
                         12 + (i - 1) * 22, color, 24 + (i - 1) * 22,
                         taxshare.html_escape(CASE WHEN length(labels[i]) > 20 THEN left(labels[i], 19) || '…'
                                                   ELSE labels[i] END), taxshare._report_dot(),
                         taxshare._report_num(vals[i]), round(100 * greatest(coalesce(vals[i], 0), 0) / total, 1));
    a0 := a1;
  END LOOP;
  RETURN out || '</svg>';
END
$$;
COMMENT ON FUNCTION taxshare._svg_pie(text[], numeric[], text[], text) IS
  '内部: 内联 SVG 饼图及图例 / internal: an inline SVG pie chart with its legend';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_svg_pie(text[], numeric[], text[], text)', 'X', 'X', 'X', 'X', 'X', 'X');


-- Vertical columns grouped by label, one column per series (the trends by
-- month of the quarterly and annual reports).  vals holds the groups one
-- after the other: vals[(i - 1) * cardinality(series) + j] is series j of label i.
CREATE FUNCTION taxshare._svg_columns(labels text[], series text[], vals numeric[], colors text[], caption text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer := coalesce(cardinality(labels), 0);
  m integer := greatest(coalesce(cardinality(series), 0), 1);
  left_w constant integer := 110;
  top constant integer := 34;
  plot_h constant integer := 180;
  gap constant integer := 14;
  bar_w integer;
  w integer;
  h integer := 34 + 180 + 36;
  mx numeric := 0;
  v numeric;
  bh numeric;
  x integer;
  out text;
  i integer;
  j integer;
BEGIN
  IF n = 0 THEN
    RETURN '<p class="empty">无数据 / no data</p>';
  END IF;
  IF coalesce(cardinality(vals), 0) <> n * m THEN
    RAISE EXCEPTION '_svg_columns: % values for % labels of % series', coalesce(cardinality(vals), 0), n, m
      USING ERRCODE = '22023', HINT = 'Pass one value per label and series, the labels one after the other.';
  END IF;
  FOR i IN 1 .. n * m LOOP
    mx := greatest(mx, coalesce(vals[i], 0));
  END LOOP;
  bar_w := greatest(6, least(28, 660 / (n * m)));
  w := greatest(left_w + n * (m * bar_w + gap) + 10, left_w + m * 150);
  out := format('<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s"><title>%s</title>',
                w, h, w, h, taxshare.html_escape(caption));
  -- legend, axis and the largest value
  FOR j IN 1 .. m LOOP
    out := out || format('<rect class="key" x="%s" y="8" width="12" height="12" rx="2" fill="%s"/><text x="%s" y="19" class="lbl">%s</text>',
                         left_w + (j - 1) * 150, taxshare.html_escape(coalesce(colors[1 + (j - 1) % greatest(cardinality(colors), 1)], '#2c7fb8')),
                         left_w + (j - 1) * 150 + 17, taxshare.html_escape(coalesce(series[j], '')));
  END LOOP;
  out := out || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#999"/>', left_w - 4, top + plot_h, w - 6, top + plot_h)
             || format('<text x="%s" y="%s" text-anchor="end" class="val">%s</text>', left_w - 8, top + 10, taxshare._report_num(mx))
             || format('<text x="%s" y="%s" text-anchor="end" class="val">0</text>', left_w - 8, top + plot_h);
  FOR i IN 1 .. n LOOP
    x := left_w + (i - 1) * (m * bar_w + gap);
    FOR j IN 1 .. m LOOP
      v := coalesce(vals[(i - 1) * m + j], 0);
      bh := CASE WHEN mx > 0 THEN round(greatest(v, 0) / mx * plot_h, 1) ELSE 0 END;
      out := out || format('<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %s: %s</title></rect>',
                           x + (j - 1) * bar_w, top + plot_h - bh, bar_w - 1, bh,
                           taxshare.html_escape(coalesce(colors[1 + (j - 1) % greatest(cardinality(colors), 1)], '#2c7fb8')),
                           taxshare.html_escape(labels[i]), taxshare.html_escape(coalesce(series[j], '')),
                           taxshare._report_num(v));
    END LOOP;
    out := out || format('<text x="%s" y="%s" text-anchor="middle" class="lbl">%s</text>',
                         x + (m * bar_w) / 2, top + plot_h + 18, taxshare.html_escape(labels[i]));
  END LOOP;
  RETURN out || '</svg>';
END
$$;
COMMENT ON FUNCTION taxshare._svg_columns(text[], text[], numeric[], text[], text) IS
  '内部: 内联 SVG 分组柱状图 (按月趋势) / internal: an inline SVG chart of grouped columns (trends by month)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_svg_columns(text[], text[], numeric[], text[], text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The period a report covers: [p_from, p_to).  A month, a quarter or a year,
-- each given by its first day (seeds/000 art. 14: the office reports to the
-- city monthly, and sums up by quarter and year).
CREATE FUNCTION taxshare._report_period(period_start date, period_kind text, OUT p_from date, OUT p_to date)
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF period_start IS NULL THEN
    RAISE EXCEPTION 'period_start must not be null'
      USING ERRCODE = '22023', HINT = 'Pass the first day of the month, quarter or year, e.g. ''2025-07-01''.';
  END IF;
  IF period_start IN ('infinity', '-infinity') THEN
    RAISE EXCEPTION 'period_start must be a day, not %', period_start
      USING ERRCODE = '22023', HINT = 'Pass the first day of the month, quarter or year, e.g. ''2025-07-01''.';
  END IF;
  CASE period_kind
  WHEN 'month' THEN
    p_from := date_trunc('month', period_start)::date;
    p_to := (p_from + interval '1 month')::date;
  WHEN 'quarter' THEN
    p_from := date_trunc('quarter', period_start)::date;
    p_to := (p_from + interval '3 months')::date;
  WHEN 'year' THEN
    p_from := date_trunc('year', period_start)::date;
    p_to := (p_from + interval '1 year')::date;
  ELSE
    RAISE EXCEPTION 'unknown period kind "%"', period_kind
      USING ERRCODE = '22023',
            HINT = 'The period kind is month, quarter or year (top_n is the third argument: analysis_report(day, ''month'', 5)).';
  END CASE;
  IF p_from <> period_start THEN
    RAISE EXCEPTION '% is not the first day of a %', period_start, period_kind
      USING ERRCODE = '22023', HINT = format('Pass %s, the first day of that %s.', p_from, period_kind);
  END IF;
END
$$;
COMMENT ON FUNCTION taxshare._report_period(date, text) IS
  '内部: 报告期间 [起, 止) (月、季、年, 须为首日) / internal: the period [from, to) of a report (month, quarter or year, given by its first day)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_report_period(date, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The revenue section (83_revenue.sql, docs/revenue.md): expected, declared
-- and received tax of the period by tax type for the whole city, with a
-- chart, the warnings of the period, and the forecast of the next three
-- months after it.
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

-- The report's referrals (85_referral.sql): the cases opened in the period,
-- by receiving body and result, the amounts recovered and penalised, the
-- deadlines missed, and each case.
CREATE FUNCTION taxshare._report_referrals(p_from date, p_to date)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  body text;
  rec record;
  n integer := 0;
BEGIN
  body := '<section><h2>移送案件 <small>Referrals opened in the period</small></h2>';
  FOR rec IN
    SELECT l.to_agency, count(*) AS cases,
           count(*) FILTER (WHERE l.result IS NULL) AS pending,
           count(*) FILTER (WHERE l.result = 'filed') AS filed,
           count(*) FILTER (WHERE l.result = 'not_filed') AS not_filed,
           count(*) FILTER (WHERE l.result = 'recovered') AS recovered,
           count(*) FILTER (WHERE l.result = 'penalized') AS penalized,
           coalesce(sum(l.amount) FILTER (WHERE l.result = 'recovered'), 0) AS amount_recovered,
           coalesce(sum(l.amount) FILTER (WHERE l.result = 'penalized'), 0) AS amount_penalized,
           count(*) FILTER (WHERE l.state IN ('receipt_overdue', 'result_overdue')
                               OR l.receive_met = false OR l.result_met = false) AS late
      FROM taxshare.referral_ledger l
     WHERE (l.opened_at AT TIME ZONE 'Asia/Shanghai')::date >= p_from
       AND (l.opened_at AT TIME ZONE 'Asia/Shanghai')::date < p_to
     GROUP BY l.to_agency ORDER BY l.to_agency
  LOOP
    IF n = 0 THEN
      body := body || '<table><thead><tr><th>接收机关<br><small>to</small></th><th class="num">案件<br><small>cases</small></th>'
                   || '<th class="num">未有结果<br><small>pending</small></th><th class="num">立案<br><small>filed</small></th>'
                   || '<th class="num">不予立案<br><small>not filed</small></th><th class="num">追缴<br><small>recovered</small></th>'
                   || '<th class="num">处罚<br><small>penalised</small></th><th class="num">追缴金额 (元)<br><small>recovered</small></th>'
                   || '<th class="num">罚款金额 (元)<br><small>penalties</small></th><th class="num">逾期<br><small>late</small></th></tr></thead><tbody>';
    END IF;
    n := n + 1;
    body := body || format('<tr><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>'
                           '<td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>'
                           '<td class="num">%s</td><td class="num">%s</td></tr>',
                           taxshare.html_escape(rec.to_agency), rec.cases, rec.pending, rec.filed, rec.not_filed,
                           rec.recovered, rec.penalized, taxshare._report_num(rec.amount_recovered),
                           taxshare._report_num(rec.amount_penalized), rec.late);
  END LOOP;
  IF n = 0 THEN
    RETURN body || '<p class="empty">本期没有移送案件 / no referral was opened in the period</p></section>';
  END IF;
  RETURN body || '</tbody></table></section>';
END
$$;
COMMENT ON FUNCTION taxshare._report_referrals(date, date) IS
  '内部: 报告的移送部分 (本期移送案件按接收机关与结果, 追缴与罚款金额, 逾期) / internal: the report''s referral section (cases opened in the period by receiving body and result, amounts recovered and penalised, deadlines missed)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_report_referrals(date, date)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The report of a month, a quarter or a year.  A month gives what the
-- monthly report always gave; a quarter and a year roll the same sections up
-- over their months (an entity counts once, under its highest grade of the
-- period; the top risks are ranked by each entity's highest score of the
-- period) and add the trends by month.  Every kind lists the warnings of the
-- period with their outcomes and the taxes recovered.  period_kind has no
-- default, so that analysis_report(day) and analysis_report(day, top_n) still
-- name the two-argument function alone.
CREATE FUNCTION taxshare.analysis_report(period_start date, period_kind text, top_n integer DEFAULT 20)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  per record;
  p date;
  q date;
  kind text := analysis_report.period_kind;
  rolled boolean;
  kind_zh text;
  period_zh text;
  period_en text;
  run record;
  n_months integer;
  graded_months integer;
  n_entities bigint;
  n_high bigint;
  n_medium bigint;
  n_low bigint;
  n_points bigint;
  n_raised bigint;
  amount numeric;
  w_count bigint;
  w_tasks bigint;
  w_open bigint;
  w_recovered_n bigint;
  w_dismissed bigint;
  w_referred bigint;
  w_no_action bigint;
  w_disputed bigint;
  recovered numeric;
  html text;
  body text := '';
  rec record;
  labels text[];
  vals numeric[];
  colors text[];
  grade_colors constant text[] := ARRAY['#c0392b', '#e67e22', '#27ae60'];
  palette constant text[] := ARRAY['#2c7fb8', '#e6550d', '#31a354', '#756bb1', '#d6616b', '#636363',
                                    '#8c6d31', '#3182bd', '#fd8d3c', '#74c476', '#9e9ac8', '#bdbdbd'];
  n_rows integer;
BEGIN
  per := taxshare._report_period(analysis_report.period_start, kind);
  p := per.p_from;
  q := per.p_to;
  IF analysis_report.top_n IS NULL OR analysis_report.top_n < 1 OR analysis_report.top_n > 1000 THEN
    RAISE EXCEPTION 'top_n must be between 1 and 1000, not %', analysis_report.top_n
      USING ERRCODE = '22023', HINT = 'Pass how many of the top risks to list (20 by default).';
  END IF;
  rolled := kind <> 'month';
  n_months := CASE kind WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 ELSE 12 END;
  kind_zh := CASE kind WHEN 'month' THEN '月度' WHEN 'quarter' THEN '季度' ELSE '年度' END;
  period_zh := CASE kind WHEN 'month' THEN format('%s 年 %s 月', to_char(p, 'YYYY'), extract(month FROM p)::int)
                         WHEN 'quarter' THEN format('%s 年第 %s 季度', to_char(p, 'YYYY'), extract(quarter FROM p)::int)
                         ELSE format('%s 年', to_char(p, 'YYYY')) END;
  period_en := CASE kind WHEN 'month' THEN to_char(p, 'YYYY-MM')
                         WHEN 'quarter' THEN format('%s Q%s', to_char(p, 'YYYY'), extract(quarter FROM p)::int)
                         ELSE to_char(p, 'YYYY') END;

  -- The gradings of the period: the latest one's parameters go in the footer.
  SELECT * INTO run FROM taxshare.risk_grading g
   WHERE g.period_start >= p AND g.period_start < q ORDER BY g.period_start DESC LIMIT 1;
  SELECT count(*), coalesce(sum(g.points), 0), coalesce(sum(g.raised), 0)
    INTO graded_months, n_points, n_raised
    FROM taxshare.risk_grading g WHERE g.period_start >= p AND g.period_start < q;
  IF rolled THEN
    -- each entity once, under its highest grade of the period
    SELECT count(*), count(*) FILTER (WHERE x.g = 'high'), count(*) FILTER (WHERE x.g = 'medium'),
           count(*) FILTER (WHERE x.g = 'low')
      INTO n_entities, n_high, n_medium, n_low
      FROM (SELECT s.entity_id, max(s.grade) AS g FROM taxshare.risk_score s
             WHERE s.period_start >= p AND s.period_start < q GROUP BY s.entity_id) x;
  ELSE
    n_entities := coalesce(run.entities, 0);
    n_high := coalesce(run.high, 0);
    n_medium := coalesce(run.medium, 0);
    n_low := coalesce(run.low, 0);
  END IF;
  SELECT sum(s.amount) INTO amount FROM taxshare.risk_score s WHERE s.period_start >= p AND s.period_start < q;
  -- The warnings pushed for the months of the period, and what became of their tasks.
  SELECT count(DISTINCT w.id), count(t.id), count(t.id) FILTER (WHERE t.status = 'open'),
         count(t.id) FILTER (WHERE t.outcome = 'recovered'), count(t.id) FILTER (WHERE t.outcome = 'dismissed'),
         count(t.id) FILTER (WHERE t.outcome = 'referred'), count(t.id) FILTER (WHERE t.outcome = 'no_action'),
         count(t.id) FILTER (WHERE t.status = 'disputed' AND t.outcome IS NULL),
         coalesce(sum(t.amount_recovered), 0)
    INTO w_count, w_tasks, w_open, w_recovered_n, w_dismissed, w_referred, w_no_action, w_disputed, recovered
    FROM taxshare.warning w
    LEFT JOIN taxshare.warning_task t ON t.warning_id = w.id
   WHERE w.period_start >= p AND w.period_start < q;

  -- Summary cards
  body := body || '<section class="cards">'
    || format('<div class="card"><div class="n">%s</div><div class="k">评级主体 entities graded</div></div>',
              taxshare._report_num(n_entities))
    || format('<div class="card high"><div class="n">%s</div><div class="k">高风险 high</div></div>',
              taxshare._report_num(n_high))
    || format('<div class="card medium"><div class="n">%s</div><div class="k">中风险 medium</div></div>',
              taxshare._report_num(n_medium))
    || format('<div class="card low"><div class="n">%s</div><div class="k">低风险 low</div></div>',
              taxshare._report_num(n_low))
    || format('<div class="card"><div class="n">%s</div><div class="k">风险点 suspicious points</div></div>',
              taxshare._report_num(n_points))
    || format('<div class="card"><div class="n">%s</div><div class="k">涉及金额 (元) amount involved (yuan)</div></div>',
              taxshare._report_num(coalesce(amount, 0)))
    || format('<div class="card"><div class="n">%s</div><div class="k">关联传导提级 raised through links</div></div>',
              taxshare._report_num(n_raised))
    || format('<div class="card"><div class="n">%s</div><div class="k">查补税款 (元) taxes recovered (yuan)</div></div>',
              taxshare._report_num(recovered))
    || CASE WHEN rolled
            THEN format('<div class="card"><div class="n">%s / %s</div><div class="k">已评级月份 months graded</div></div>',
                        graded_months, n_months)
            ELSE '' END
    || '</section>';
  IF graded_months = 0 THEN
    body := body || '<p class="notice">本期尚未评级: 请先运行 grade_risks() / this period has not been graded: run grade_risks() first.</p>';
  ELSIF graded_months < n_months THEN
    body := body || format('<p class="notice">本期 %s 个月中已评级 %s 个月 / %s of the %s months of the period are graded.</p>',
                           n_months, graded_months, graded_months, n_months);
  END IF;
  IF rolled THEN
    body := body || '<p class="note">主体按本期最高等级计一次; 应对方式按主体·月计 / '
                 || 'each entity counts once, under its highest grade of the period; responses count entity-months.</p>';
  END IF;

  -- Trends by month (a quarter or a year)
  IF rolled THEN
    SELECT array_agg(to_char(m.m, 'YYYY-MM') ORDER BY m.m) INTO labels
      FROM generate_series(p, q - 1, interval '1 month') m(m);
    SELECT array_agg(x.v ORDER BY m.m, x.ord) INTO vals
      FROM generate_series(p, q - 1, interval '1 month') m(m)
      LEFT JOIN taxshare.risk_grading g ON g.period_start = m.m::date
      CROSS JOIN LATERAL (VALUES (1, coalesce(g.high, 0)::numeric), (2, coalesce(g.medium, 0)::numeric),
                                 (3, coalesce(g.low, 0)::numeric)) x(ord, v);
    body := body || '<section><h2>按月趋势 <small>Trends by month: entities by grade</small></h2>'
      || taxshare._svg_columns(labels, ARRAY['高风险 high', '中风险 medium', '低风险 low'], vals, grade_colors,
                               '按月风险等级趋势 / entities by grade, month by month')
      || '</section>';
  END IF;

  -- By grade
  body := body || '<section><h2>风险等级分布 <small>Risks by grade</small></h2>'
    || taxshare._svg_bars(ARRAY['高风险 high', '中风险 medium', '低风险 low'],
                          ARRAY[n_high, n_medium, n_low]::numeric[],
                          grade_colors, '风险等级分布 / risks by grade')
    || '</section>';

  -- By indicator
  SELECT array_agg(x.label ORDER BY x.points DESC, x.label), array_agg(x.points ORDER BY x.points DESC, x.label),
         array_agg(x.color ORDER BY x.points DESC, x.label)
    INTO labels, vals, colors
    FROM (SELECT coalesce(i.name || CASE WHEN i.kind = 'monitoring' THEN ' (监控)' ELSE '' END,
                          r.indicator_code, '(未对应指标)') AS label,
                 count(*)::numeric AS points,
                 CASE WHEN i.kind = 'monitoring' THEN '#c0392b' ELSE '#2c7fb8' END AS color
            FROM taxshare.suspicion s
            JOIN taxshare.match_rule r ON r.code = s.rule_code
            LEFT JOIN taxshare.indicator i ON i.code = r.indicator_code
           WHERE s.period_start >= p AND s.period_start < q AND s.status IN ('new', 'confirmed')
           GROUP BY 1, 3
           ORDER BY 2 DESC, 1
           LIMIT 15) x;
  body := body || '<section><h2>按指标的风险点 <small>Points by indicator (red: monitoring)</small></h2>'
    || taxshare._svg_bars(labels, vals, colors, '按指标的风险点 / points by indicator') || '</section>';

  -- By department: the unit that provides the rule's source item
  SELECT array_agg(x.dept ORDER BY x.points DESC, x.dept), array_agg(x.points ORDER BY x.points DESC, x.dept)
    INTO labels, vals
    FROM (SELECT coalesce(u.name, c.provider, r.source_item) AS dept, count(*)::numeric AS points
            FROM taxshare.suspicion s
            JOIN taxshare.match_rule r ON r.code = s.rule_code
            LEFT JOIN LATERAL (SELECT ci.provider FROM taxshare.catalog_item ci
                                WHERE ci.code = r.source_item ORDER BY ci.version DESC LIMIT 1) c ON true
            LEFT JOIN taxshare.unit u ON u.code = c.provider
           WHERE s.period_start >= p AND s.period_start < q AND s.status IN ('new', 'confirmed')
           GROUP BY 1) x;
  body := body || '<section><h2>按数据来源部门的风险点 <small>Points by the department whose data raised them</small></h2>'
    || taxshare._svg_pie(labels, vals, palette, '按部门的风险点 / points by department') || '</section>';

  -- Prescribed responses
  SELECT array_agg(x.label ORDER BY x.ord), array_agg(x.cnt ORDER BY x.ord), array_agg(x.color ORDER BY x.ord)
    INTO labels, vals, colors
    FROM (SELECT k.name || ' ' || k.code AS label, count(s.entity_id)::numeric AS cnt,
                 array_position(ARRAY['referral', 'audit', 'assessment', 'verification', 'reminder'], k.code) AS ord,
                 CASE k.grade WHEN 'high' THEN '#c0392b' WHEN 'medium' THEN '#e67e22' ELSE '#27ae60' END AS color
            FROM taxshare.response_kind k
            LEFT JOIN taxshare.risk_score s ON s.period_start >= p AND s.period_start < q AND s.response = k.code
           GROUP BY k.code, k.name, k.grade) x;
  body := body || '<section><h2>规定应对方式 <small>Prescribed responses</small></h2>'
    || taxshare._svg_bars(labels, vals, colors, '规定应对方式 / prescribed responses') || '</section>';

  -- Top risks (names only: the report leaves the platform, identifiers stay in it)
  body := body || format('<section><h2>重点风险 (前 %s 名) <small>Top risks</small></h2>', analysis_report.top_n)
    || '<table><thead><tr><th>排名<br><small>rank</small></th><th>名称<br><small>name</small></th>'
    || CASE WHEN rolled THEN '<th>最高月份<br><small>peak month</small></th>' ELSE '' END
    || '<th>等级<br><small>grade</small></th><th class="num">分数<br><small>score</small></th>'
    || '<th class="num">风险点<br><small>points</small></th><th class="num">金额 (元)<br><small>amount</small></th>'
    || '<th>应对<br><small>response</small></th><th>依据<br><small>reason</small></th></tr></thead><tbody>';
  IF NOT rolled THEN
    -- one index scan per grade (risk_score_list), not a sort of the whole period
    FOR rec IN
      SELECT x.* FROM (
        (SELECT l.rank, l.name, l.grade, l.score, l.points, l.amount, l.response, l.response_reason,
                l.monitoring, l.propagated, l.period_start
           FROM taxshare.risk_list l WHERE l.period_start = p AND l.grade = 'high'
          ORDER BY l.rank LIMIT analysis_report.top_n)
        UNION ALL
        (SELECT l.rank, l.name, l.grade, l.score, l.points, l.amount, l.response, l.response_reason,
                l.monitoring, l.propagated, l.period_start
           FROM taxshare.risk_list l WHERE l.period_start = p AND l.grade = 'medium'
          ORDER BY l.rank LIMIT analysis_report.top_n)
        UNION ALL
        (SELECT l.rank, l.name, l.grade, l.score, l.points, l.amount, l.response, l.response_reason,
                l.monitoring, l.propagated, l.period_start
           FROM taxshare.risk_list l WHERE l.period_start = p AND l.grade = 'low'
          ORDER BY l.rank LIMIT analysis_report.top_n)) x
       ORDER BY x.rank
       LIMIT analysis_report.top_n
    LOOP
      body := body || format('<tr><td>%s</td><td>%s%s%s</td><td><span class="tag %s">%s</span></td><td class="num">%s</td>'
                             '<td class="num">%s</td><td class="num">%s</td><td>%s</td><td class="reason">%s</td></tr>',
                             rec.rank, taxshare.html_escape(coalesce(rec.name, '-')),
                             CASE WHEN rec.monitoring THEN ' <span class="flag">监控</span>' ELSE '' END,
                             CASE WHEN rec.propagated THEN ' <span class="flag link">传导</span>' ELSE '' END,
                             rec.grade, CASE rec.grade WHEN 'high' THEN '高' WHEN 'medium' THEN '中' ELSE '低' END,
                             taxshare._report_num(rec.score::numeric), rec.points, taxshare._report_num(rec.amount),
                             taxshare.html_escape(rec.response), taxshare.html_escape(rec.response_reason));
    END LOOP;
  ELSE
    -- each entity at its highest score of the period (the latest month on a tie)
    FOR rec IN
      SELECT row_number() OVER (ORDER BY x.score DESC, x.grade DESC, x.amount DESC, x.entity_id) AS rank,
             e.name, x.grade, x.score, x.points, x.amount, x.response,
             taxshare.risk_reason(x.reason_code, x.amount, x.monitoring, x.detail) AS response_reason,
             x.monitoring, x.propagated, x.period_start
        FROM (SELECT DISTINCT ON (s.entity_id) s.*
                FROM taxshare.risk_score s
               WHERE s.period_start >= p AND s.period_start < q
               ORDER BY s.entity_id, s.score DESC, s.period_start DESC) x
        JOIN taxshare.entity e ON e.id = x.entity_id
       ORDER BY x.score DESC, x.grade DESC, x.amount DESC, x.entity_id
       LIMIT analysis_report.top_n
    LOOP
      body := body || format('<tr><td>%s</td><td>%s%s%s</td><td>%s</td><td><span class="tag %s">%s</span></td><td class="num">%s</td>'
                             '<td class="num">%s</td><td class="num">%s</td><td>%s</td><td class="reason">%s</td></tr>',
                             rec.rank, taxshare.html_escape(coalesce(rec.name, '-')),
                             CASE WHEN rec.monitoring THEN ' <span class="flag">监控</span>' ELSE '' END,
                             CASE WHEN rec.propagated THEN ' <span class="flag link">传导</span>' ELSE '' END,
                             to_char(rec.period_start, 'YYYY-MM'),
                             rec.grade, CASE rec.grade WHEN 'high' THEN '高' WHEN 'medium' THEN '中' ELSE '低' END,
                             taxshare._report_num(rec.score::numeric), rec.points, taxshare._report_num(rec.amount),
                             taxshare.html_escape(rec.response), taxshare.html_escape(rec.response_reason));
    END LOOP;
  END IF;
  body := body || '</tbody></table></section>';

  -- The warnings of the period and their outcomes (seeds/000 art. 19-20)
  body := body || '<section><h2>本期预警及结果 <small>Warnings of the period and their outcomes</small></h2>';
  IF w_count = 0 THEN
    body := body || '<p class="empty">本期没有推送预警 / no warning was pushed for this period</p>';
  ELSE
    body := body || format('<p>预警 %s 个, 任务 %s 项; 查补税款 %s 元 / %s warnings, %s tasks; %s yuan recovered</p>',
                           w_count, w_tasks, taxshare._report_num(recovered), w_count, w_tasks,
                           taxshare._report_num(recovered))
      || taxshare._svg_bars(ARRAY['查补税款 recovered', '移送 referred', '疑点排除 dismissed', '无需应对 no action',
                                  '异议 disputed', '待反馈 open'],
                            ARRAY[w_recovered_n, w_referred, w_dismissed, w_no_action, w_disputed, w_open]::numeric[],
                            ARRAY['#27ae60', '#c0392b', '#2c7fb8', '#636363', '#756bb1', '#e67e22'],
                            '预警任务结果 / outcomes of the warning tasks')
      || '<table><thead><tr><th>预警<br><small>warning</small></th><th>期间<br><small>period</small></th>'
      || '<th>单位<br><small>unit</small></th><th>标题<br><small>title</small></th>'
      || '<th class="num">任务<br><small>tasks</small></th><th class="num">已反馈<br><small>answered</small></th>'
      || '<th class="num">查补税款 (元)<br><small>recovered</small></th><th>状态<br><small>state</small></th></tr></thead><tbody>';
    FOR rec IN
      SELECT l.warning_id, l.period_start, l.unit_name, l.title, l.tasks, l.answered_tasks, l.disputed_tasks,
             l.recovered, l.state
        FROM taxshare.warning_ledger l
       WHERE l.period_start >= p AND l.period_start < q
       ORDER BY l.period_start, l.warning_id
    LOOP
      body := body || format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class="num">%s</td><td class="num">%s</td>'
                             '<td class="num">%s</td><td>%s</td></tr>',
                             rec.warning_id, to_char(rec.period_start, 'YYYY-MM'), taxshare.html_escape(rec.unit_name),
                             taxshare.html_escape(coalesce(rec.title, '')), rec.tasks,
                             rec.answered_tasks + rec.disputed_tasks, taxshare._report_num(rec.recovered),
                             CASE rec.state WHEN 'answered' THEN '已按期反馈 answered'
                                            WHEN 'answered_late' THEN '逾期反馈 answered late'
                                            WHEN 'overdue' THEN '反馈逾期 overdue'
                                            WHEN 'in_progress' THEN '办理中 in progress'
                                            WHEN 'receipt_overdue' THEN '接收逾期 receipt overdue'
                                            ELSE '待接收 awaiting receipt' END);
    END LOOP;
    body := body || '</tbody></table>';
  END IF;
  body := body || '</section>';
  -- Revenue (83_revenue.sql)
  body := body || taxshare._report_revenue(p, q);
  -- Referrals (85_referral.sql)
  body := body || taxshare._report_referrals(p, q);

  -- Overdue warnings, whatever their period
  body := body || '<section><h2>逾期预警 <small>Overdue warnings</small></h2>';
  n_rows := 0;
  FOR rec IN
    SELECT l.warning_id, l.period_start, l.unit_name, l.title, l.tasks, l.open_tasks, l.state, l.receive_due,
           l.feedback_due, l.deduction_event_id
      FROM taxshare.warning_ledger l
     WHERE l.state IN ('overdue', 'receipt_overdue')
     ORDER BY l.feedback_due, l.warning_id
  LOOP
    IF n_rows = 0 THEN
      body := body || '<table><thead><tr><th>预警<br><small>warning</small></th><th>期间<br><small>period</small></th>'
        || '<th>单位<br><small>unit</small></th><th>标题<br><small>title</small></th>'
        || '<th class="num">未反馈任务<br><small>open tasks</small></th><th>状态<br><small>state</small></th>'
        || '<th>接收期限<br><small>receive by</small></th><th>反馈期限<br><small>feed back by</small></th>'
        || '<th>扣分<br><small>deduction</small></th></tr></thead><tbody>';
    END IF;
    n_rows := n_rows + 1;
    body := body || format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class="num">%s / %s</td>'
                           '<td><span class="tag high">%s</span></td><td>%s</td><td>%s</td><td>%s</td></tr>',
                           rec.warning_id, to_char(rec.period_start, 'YYYY-MM'), taxshare.html_escape(rec.unit_name),
                           taxshare.html_escape(coalesce(rec.title, '')), rec.open_tasks, rec.tasks,
                           CASE rec.state WHEN 'overdue' THEN '反馈逾期 overdue' ELSE '接收逾期 receipt overdue' END,
                           to_char(rec.receive_due, 'YYYY-MM-DD'), to_char(rec.feedback_due, 'YYYY-MM-DD'),
                           CASE WHEN rec.deduction_event_id IS NOT NULL THEN '&minus;2' ELSE '' END);
  END LOOP;
  IF n_rows = 0 THEN
    body := body || '<p class="empty">没有逾期预警 / no overdue warnings</p>';
  ELSE
    body := body || '</tbody></table>';
  END IF;
  body := body || '</section>';

  html := '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    || format('<title>%s风险分析报告 %s / risk analysis report</title>', kind_zh, period_en)
    || '<style>'
    || 'body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f6f8;color:#222}'
    || 'header{background:#1f3a5f;color:#fff;padding:24px 40px}header h1{margin:0;font-size:26px}'
    || 'header p{margin:6px 0 0;opacity:.85}main{padding:20px 40px;max-width:1100px}'
    || 'section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}'
    || 'h2{font-size:18px;margin:0 0 12px}h2 small,th small{color:#777;font-weight:normal}'
    || '.cards{display:flex;flex-wrap:wrap;gap:12px;background:none;box-shadow:none;padding:0}'
    || '.card{flex:1 1 130px;background:#fff;border-radius:8px;padding:14px;box-shadow:0 1px 3px rgba(0,0,0,.08);border-top:4px solid #1f3a5f}'
    || '.card .n{font-size:24px;font-weight:bold}.card .k{font-size:12px;color:#666;margin-top:4px}'
    || '.card.high{border-color:#c0392b}.card.medium{border-color:#e67e22}.card.low{border-color:#27ae60}'
    || 'table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #e5e5e5;text-align:left;vertical-align:top}'
    || 'th{background:#f0f3f6}td.num,th.num{text-align:right;white-space:nowrap}td.reason{color:#555;font-size:12px}'
    || '.tag{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px}'
    || '.tag.high{background:#c0392b}.tag.medium{background:#e67e22}.tag.low{background:#27ae60}'
    || '.flag{font-size:11px;color:#c0392b;border:1px solid #c0392b;border-radius:3px;padding:0 3px}.flag.link{color:#756bb1;border-color:#756bb1}'
    || 'svg.chart{max-width:100%;height:auto}svg .lbl{font-size:13px;fill:#333}svg .val{font-size:12px;fill:#555}'
    || '.empty{color:#888}.note{color:#666;font-size:12px}.notice{background:#fff3cd;border:1px solid #ffe08a;padding:10px;border-radius:6px}'
    || 'footer{color:#888;font-size:12px;padding:0 40px 30px}'
    || '@media print{body{background:#fff}section{box-shadow:none;border:1px solid #ddd;break-inside:avoid}'
    || 'header{-webkit-print-color-adjust:exact;print-color-adjust:exact}.card{box-shadow:none;border:1px solid #ddd}}'
    || '</style></head><body>'
    || format('<header><h1>财税综合信息平台 %s风险分析报告</h1><p>%s %s Risk analysis report for %s %s 生成于 %s</p></header>',
              kind_zh, period_zh, taxshare._report_dot(), period_en, taxshare._report_dot(),
              to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'))
    || '<main>' || body || '</main>'
    || format('<footer>taxshare analysis_report() %s 评级于 graded at %s %s 参数 parameters: %s</footer>',
              taxshare._report_dot(),
              coalesce(to_char(run.graded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '-'),
              taxshare._report_dot(),
              taxshare.html_escape(coalesce(run.params::text, '-')))
    || '</body></html>';
  RETURN html;
END
$$;
COMMENT ON FUNCTION taxshare.analysis_report(date, text, integer) IS
  '月度、季度或年度风险分析报告 (period_kind: month, quarter, year; period_start 为期间首日): 自包含的 HTML 页面 (内联 SVG 图表), 含等级、指标、部门分布, 按月趋势, 重点风险, 本期预警及结果与查补税款, 逾期预警 (衡阳办法第十四条) / '
  'the analysis report of a month, quarter or year (period_kind month, quarter or year; period_start its first day): a self-contained HTML page with inline SVG charts: counts by grade, indicator and department, trends by month, the top risks, the warnings of the period with their outcomes and the taxes recovered, the overdue warnings (seeds/000 art. 14)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'analysis_report(date, text, integer)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The monthly report of 0.1.0: analysis_report(day) and analysis_report(day, top_n).
CREATE FUNCTION taxshare.analysis_report(period_start date, top_n integer DEFAULT 20)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$ SELECT taxshare.analysis_report(period_start, 'month', top_n) $$;
COMMENT ON FUNCTION taxshare.analysis_report(date, integer) IS
  '月度风险分析报告, 即 analysis_report(period_start, ''month'', top_n) / '
  'the monthly analysis report: analysis_report(period_start, ''month'', top_n)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'analysis_report(date, integer)', 'X', 'X', 'X', 'X', 'X', 'X');
