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
      '<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="%s"/>'
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
      out := out || format('<circle cx="%s" cy="%s" r="%s" fill="%s"/>', cx, cy, r, color);
    ELSIF a1 > a0 THEN
      out := out || format('<path d="M %s %s L %s %s A %s %s 0 %s 1 %s %s Z" fill="%s" stroke="#fff" stroke-width="1"/>',
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

CREATE FUNCTION taxshare.analysis_report(period_start date, top_n integer DEFAULT 20)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  p date := analysis_report.period_start;
  run record;
  amount numeric;
  html text;
  body text := '';
  rec record;
  labels text[];
  vals numeric[];
  colors text[];
  grade_colors constant text[] := ARRAY['#c0392b', '#e67e22', '#27ae60'];
  palette constant text[] := ARRAY['#2c7fb8', '#e6550d', '#31a354', '#756bb1', '#d6616b', '#636363',
                                    '#8c6d31', '#3182bd', '#fd8d3c', '#74c476', '#9e9ac8', '#bdbdbd'];
  n_overdue integer;
BEGIN
  IF p IS NULL THEN
    RAISE EXCEPTION 'period_start must not be null'
      USING ERRCODE = '22023', HINT = 'Pass the first day of the graded period, e.g. ''2025-09-01''.';
  END IF;
  IF analysis_report.top_n IS NULL OR analysis_report.top_n < 1 OR analysis_report.top_n > 1000 THEN
    RAISE EXCEPTION 'top_n must be between 1 and 1000, not %', analysis_report.top_n
      USING ERRCODE = '22023', HINT = 'Pass how many of the top risks to list (20 by default).';
  END IF;
  SELECT * INTO run FROM taxshare.risk_grading g WHERE g.period_start = p;
  SELECT sum(s.amount) INTO amount FROM taxshare.risk_score s WHERE s.period_start = p;

  -- Summary cards
  body := body || '<section class="cards">'
    || format('<div class="card"><div class="n">%s</div><div class="k">评级主体 entities graded</div></div>',
              taxshare._report_num(coalesce(run.entities, 0)))
    || format('<div class="card high"><div class="n">%s</div><div class="k">高风险 high</div></div>',
              taxshare._report_num(coalesce(run.high, 0)))
    || format('<div class="card medium"><div class="n">%s</div><div class="k">中风险 medium</div></div>',
              taxshare._report_num(coalesce(run.medium, 0)))
    || format('<div class="card low"><div class="n">%s</div><div class="k">低风险 low</div></div>',
              taxshare._report_num(coalesce(run.low, 0)))
    || format('<div class="card"><div class="n">%s</div><div class="k">风险点 suspicious points</div></div>',
              taxshare._report_num(coalesce(run.points, 0)))
    || format('<div class="card"><div class="n">%s</div><div class="k">涉及金额 (元) amount involved (yuan)</div></div>',
              taxshare._report_num(coalesce(amount, 0)))
    || format('<div class="card"><div class="n">%s</div><div class="k">关联传导提级 raised through links</div></div>',
              taxshare._report_num(coalesce(run.raised, 0)))
    || '</section>';
  IF run IS NULL THEN
    body := body || '<p class="notice">本期尚未评级: 请先运行 grade_risks() / this period has not been graded: run grade_risks() first.</p>';
  END IF;

  -- By grade
  body := body || '<section><h2>风险等级分布 <small>Risks by grade</small></h2>'
    || taxshare._svg_bars(ARRAY['高风险 high', '中风险 medium', '低风险 low'],
                          ARRAY[coalesce(run.high, 0), coalesce(run.medium, 0), coalesce(run.low, 0)]::numeric[],
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
           WHERE s.period_start = p AND s.status IN ('new', 'confirmed')
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
           WHERE s.period_start = p AND s.status IN ('new', 'confirmed')
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
            LEFT JOIN taxshare.risk_score s ON s.period_start = p AND s.response = k.code
           GROUP BY k.code, k.name, k.grade) x;
  body := body || '<section><h2>规定应对方式 <small>Prescribed responses</small></h2>'
    || taxshare._svg_bars(labels, vals, colors, '规定应对方式 / prescribed responses') || '</section>';

  -- Top risks (names only: the report leaves the platform, identifiers stay in it)
  body := body || format('<section><h2>重点风险 (前 %s 名) <small>Top risks</small></h2>', analysis_report.top_n)
    || '<table><thead><tr><th>排名<br><small>rank</small></th><th>名称<br><small>name</small></th>'
    || '<th>等级<br><small>grade</small></th><th class="num">分数<br><small>score</small></th>'
    || '<th class="num">风险点<br><small>points</small></th><th class="num">金额 (元)<br><small>amount</small></th>'
    || '<th>应对<br><small>response</small></th><th>依据<br><small>reason</small></th></tr></thead><tbody>';
  -- one index scan per grade (risk_score_list), not a sort of the whole period
  FOR rec IN
    SELECT x.* FROM (
      (SELECT l.rank, l.name, l.grade, l.score, l.points, l.amount, l.response, l.response_reason,
              l.monitoring, l.propagated
         FROM taxshare.risk_list l WHERE l.period_start = p AND l.grade = 'high'
        ORDER BY l.rank LIMIT analysis_report.top_n)
      UNION ALL
      (SELECT l.rank, l.name, l.grade, l.score, l.points, l.amount, l.response, l.response_reason,
              l.monitoring, l.propagated
         FROM taxshare.risk_list l WHERE l.period_start = p AND l.grade = 'medium'
        ORDER BY l.rank LIMIT analysis_report.top_n)
      UNION ALL
      (SELECT l.rank, l.name, l.grade, l.score, l.points, l.amount, l.response, l.response_reason,
              l.monitoring, l.propagated
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
  body := body || '</tbody></table></section>';

  -- Overdue warnings, whatever their period
  body := body || '<section><h2>逾期预警 <small>Overdue warnings</small></h2>';
  n_overdue := 0;
  FOR rec IN
    SELECT l.warning_id, l.period_start, l.unit_name, l.title, l.tasks, l.open_tasks, l.state, l.receive_due,
           l.feedback_due, l.deduction_event_id
      FROM taxshare.warning_ledger l
     WHERE l.state IN ('overdue', 'receipt_overdue')
     ORDER BY l.feedback_due, l.warning_id
  LOOP
    IF n_overdue = 0 THEN
      body := body || '<table><thead><tr><th>预警<br><small>warning</small></th><th>期间<br><small>period</small></th>'
        || '<th>单位<br><small>unit</small></th><th>标题<br><small>title</small></th>'
        || '<th class="num">未反馈任务<br><small>open tasks</small></th><th>状态<br><small>state</small></th>'
        || '<th>接收期限<br><small>receive by</small></th><th>反馈期限<br><small>feed back by</small></th>'
        || '<th>扣分<br><small>deduction</small></th></tr></thead><tbody>';
    END IF;
    n_overdue := n_overdue + 1;
    body := body || format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class="num">%s / %s</td>'
                           '<td><span class="tag high">%s</span></td><td>%s</td><td>%s</td><td>%s</td></tr>',
                           rec.warning_id, to_char(rec.period_start, 'YYYY-MM'), taxshare.html_escape(rec.unit_name),
                           taxshare.html_escape(coalesce(rec.title, '')), rec.open_tasks, rec.tasks,
                           CASE rec.state WHEN 'overdue' THEN '反馈逾期 overdue' ELSE '接收逾期 receipt overdue' END,
                           to_char(rec.receive_due, 'YYYY-MM-DD'), to_char(rec.feedback_due, 'YYYY-MM-DD'),
                           CASE WHEN rec.deduction_event_id IS NOT NULL THEN '&minus;2' ELSE '' END);
  END LOOP;
  IF n_overdue = 0 THEN
    body := body || '<p class="empty">没有逾期预警 / no overdue warnings</p>';
  ELSE
    body := body || '</tbody></table>';
  END IF;
  body := body || '</section>';

  html := '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    || format('<title>风险分析报告 %s / risk analysis report</title>', to_char(p, 'YYYY-MM'))
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
    || '.empty{color:#888}.notice{background:#fff3cd;border:1px solid #ffe08a;padding:10px;border-radius:6px}'
    || 'footer{color:#888;font-size:12px;padding:0 40px 30px}'
    || '</style></head><body>'
    || format('<header><h1>财税综合信息平台 风险分析报告</h1><p>%s 年 %s 月 %s Risk analysis report for %s %s 生成于 %s</p></header>',
              to_char(p, 'YYYY'), extract(month FROM p)::int, taxshare._report_dot(), to_char(p, 'YYYY-MM'),
              taxshare._report_dot(),
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
COMMENT ON FUNCTION taxshare.analysis_report(date, integer) IS
  '月度 (或季度) 风险分析报告: 自包含的 HTML 页面 (内联 SVG 图表), 含等级、指标、部门分布, 重点风险与逾期预警 / '
  'the monthly (or quarterly) analysis report: a self-contained HTML page with inline SVG charts: counts by grade, indicator and department, the top risks and the overdue warnings';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'analysis_report(date, integer)', 'X', 'X', 'X', 'X', 'X', 'X');
