-- #18: the annual notice of the units' score (control/install/94_unit_score_report.sql,
-- whose text this repeats).

-- The annual notice (通报, seeds/000 art. 34): unit_score_report(year) returns
-- one self-contained HTML page (inline CSS and SVG, no script, no external
-- resource) like analysis_report() (89_report.sql, whose helpers it uses):
-- the ranking of the sharing units and, listed apart, of the vertically
-- managed units (art. 33), each unit's four parts as a stacked bar, the units
-- published as best, the serious findings, and the totals month by month.
-- It reads the stored scores (unit_score_compute) only.  Every text from the
-- data goes through html_escape().  Guide: docs/unit_score.md, "The notice".

-- Stacked horizontal bars: one row per unit, one segment per part, the full
-- bar 100 points.
CREATE FUNCTION taxshare._svg_score_bars(labels text[], organisation integer[], reporting integer[],
                                         duty integer[], confidentiality integer[], caption text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer := coalesce(cardinality(labels), 0);
  row_h constant integer := 22;
  label_w constant integer := 240;
  bar_w constant integer := 600;
  top constant integer := 30;
  colors constant text[] := ARRAY['#1f3a5f', '#2c7fb8', '#31a354', '#e6550d'];
  names constant text[] := ARRAY['组织领导 organisation', '信息报送 reporting', '履职尽责 duty', '保密管理 confidentiality'];
  h integer;
  out text;
  x numeric;
  w numeric;
  v integer[];
  i integer;
  k integer;
BEGIN
  IF n = 0 THEN
    RETURN '<p class="empty">无数据 / no data</p>';
  END IF;
  h := top + n * row_h + 8;
  out := format('<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s"><title>%s</title>',
                label_w + bar_w + 60, h, label_w + bar_w + 60, h, taxshare.html_escape(caption));
  FOR k IN 1 .. 4 LOOP
    out := out || format('<rect x="%s" y="6" width="12" height="12" fill="%s"/><text x="%s" y="16" class="val">%s</text>',
                         label_w + (k - 1) * 160, colors[k], label_w + (k - 1) * 160 + 16, names[k]);
  END LOOP;
  FOR i IN 1 .. n LOOP
    v := ARRAY[coalesce(organisation[i], 0), coalesce(reporting[i], 0), coalesce(duty[i], 0), coalesce(confidentiality[i], 0)];
    out := out || format('<text x="%s" y="%s" text-anchor="end" class="lbl">%s</text>', label_w - 8, top + (i - 1) * row_h + 15,
                         taxshare.html_escape(CASE WHEN length(labels[i]) > 18 THEN left(labels[i], 17) || '…' ELSE labels[i] END));
    x := label_w;
    FOR k IN 1 .. 4 LOOP
      w := round(v[k] / 100.0 * bar_w, 1);
      IF w > 0 THEN
        out := out || format('<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>',
                             x, top + (i - 1) * row_h + 3, w, row_h - 6, colors[k], names[k], v[k]);
      END IF;
      x := x + w;
    END LOOP;
    out := out || format('<text x="%s" y="%s" class="val">%s</text>', x + 6, top + (i - 1) * row_h + 15,
                         v[1] + v[2] + v[3] + v[4]);
  END LOOP;
  RETURN out || '</svg>';
END
$$;
COMMENT ON FUNCTION taxshare._svg_score_bars(text[], integer[], integer[], integer[], integer[], text) IS
  '内部: 内联 SVG 堆叠条形图, 每单位一行, 四个部分各一段 / internal: an inline SVG stacked bar chart, one row per unit, one segment per part';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_svg_score_bars(text[], integer[], integer[], integer[], integer[], text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.unit_score_report(year integer, best_n integer DEFAULT 3)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  y date;
  body text := '';
  rec record;
  html text;
  n_units integer;
  closed boolean;
  computed timestamptz;
  m integer;
  months text;
  dot text := taxshare._report_dot();
BEGIN
  IF unit_score_report.year IS NULL OR unit_score_report.year NOT BETWEEN 2000 AND 2200 THEN
    RAISE EXCEPTION 'invalid year %', unit_score_report.year
      USING ERRCODE = '22023', HINT = 'Pass the year of the scores, e.g. 2025.';
  END IF;
  IF unit_score_report.best_n IS NULL OR unit_score_report.best_n NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'best_n must be between 1 and 100, not %', unit_score_report.best_n
      USING ERRCODE = '22023', HINT = 'Pass how many units to publish as best (3 by default).';
  END IF;
  y := make_date(unit_score_report.year, 1, 1);
  SELECT count(*), max(s.computed_at) INTO n_units, computed
    FROM taxshare.unit_score s WHERE s.period_kind = 'year' AND s.period_start = y;
  IF n_units = 0 THEN
    RAISE EXCEPTION 'the scores of % are not computed', unit_score_report.year
      USING ERRCODE = 'P0002',
            HINT = format('Run taxshare.unit_score_compute(''year'', ''%s-01-01'') first.', unit_score_report.year);
  END IF;
  SELECT coalesce(bool_or(x.closed), false) INTO closed FROM taxshare.unit_score_year x WHERE x.year = unit_score_report.year;

  -- Summary cards
  SELECT '<section class="cards">'
         || format('<div class="card"><div class="n">%s</div><div class="k">参评单位 units scored</div></div>', count(*))
         || format('<div class="card"><div class="n">%s</div><div class="k">平均分 average</div></div>',
                   taxshare._report_num(round(avg(s.total), 1)))
         || format('<div class="card"><div class="n">%s</div><div class="k">扣分次数 deductions</div></div>',
                   sum(s.n_organisation + s.n_reporting + s.n_duty + s.n_confidentiality))
         || format('<div class="card high"><div class="n">%s</div><div class="k">保密管理不得分 confidentiality lost</div></div>',
                   count(*) FILTER (WHERE s.confidentiality = 0))
         || '</section>'
    INTO body
    FROM taxshare.unit_score s WHERE s.period_kind = 'year' AND s.period_start = y;
  IF NOT closed THEN
    body := body || '<p class="notice">本年度尚未关闭, 得分可能变动 / the year is not closed: the scores may still change.</p>';
  END IF;

  -- Best units (art. 34): the first best_n of the sharing units
  body := body || '<section><h2>优秀单位 <small>Units published as best</small></h2>';
  SELECT body || coalesce(taxshare._svg_bars(array_agg(u.name ORDER BY s.rank, u.name),
                                             array_agg(s.total::numeric ORDER BY s.rank, u.name),
                                             ARRAY['#31a354'], '优秀单位 / best units'), '')
    INTO body
    FROM taxshare.unit_score s JOIN taxshare.unit u ON u.code = s.unit_code
   WHERE s.period_kind = 'year' AND s.period_start = y AND s.unit_kind = 'department' AND s.rank <= unit_score_report.best_n;
  body := body || '</section>';

  -- Rankings: the sharing and related units, then the vertically managed ones apart
  FOR rec IN SELECT * FROM (VALUES (false, '考核排名 <small>Ranking of the sharing units</small>'),
                                   (true, '垂直管理单位 (单独列示) <small>Vertically managed units, listed apart (art. 33)</small>')) t(apart, title) LOOP
    body := body || '<section><h2>' || rec.title || '</h2><table><thead><tr>'
      || '<th class="num">名次<br><small>rank</small></th><th>单位<br><small>unit</small></th><th>类别<br><small>kind</small></th>'
      || '<th class="num">组织领导<br><small>organisation /20</small></th><th class="num">信息报送<br><small>reporting /40</small></th>'
      || '<th class="num">履职尽责<br><small>duty /20</small></th><th class="num">保密管理<br><small>confidentiality /20</small></th>'
      || '<th class="num">总分<br><small>total</small></th><th class="num">较上年<br><small>change</small></th></tr></thead><tbody>';
    SELECT body || coalesce(string_agg(format('<tr><td class="num">%s</td><td>%s</td><td>%s</td><td class="num">%s</td><td class="num">%s</td>'
                                              '<td class="num">%s</td><td class="num">%s</td><td class="num"><b>%s</b></td><td class="num">%s</td></tr>',
                                              s.rank, taxshare.html_escape(u.name), s.unit_kind, s.organisation, s.reporting,
                                              s.duty, s.confidentiality, s.total,
                                              coalesce(CASE WHEN s.change > 0 THEN '+' ELSE '' END || s.change, '-')),
                                       '' ORDER BY s.unit_kind, s.rank, u.name), '')
      INTO body
      FROM taxshare.unit_score s JOIN taxshare.unit u ON u.code = s.unit_code
     WHERE s.period_kind = 'year' AND s.period_start = y AND s.listed_apart = rec.apart;
    body := body || '</tbody></table></section>';
  END LOOP;

  -- Each unit's four parts
  body := body || '<section><h2>各单位四项得分 <small>Each unit''s four parts</small></h2>';
  SELECT body || taxshare._svg_score_bars(array_agg(u.name ORDER BY s.listed_apart, s.unit_kind, s.rank, u.name),
                                          array_agg(s.organisation ORDER BY s.listed_apart, s.unit_kind, s.rank, u.name),
                                          array_agg(s.reporting ORDER BY s.listed_apart, s.unit_kind, s.rank, u.name),
                                          array_agg(s.duty ORDER BY s.listed_apart, s.unit_kind, s.rank, u.name),
                                          array_agg(s.confidentiality ORDER BY s.listed_apart, s.unit_kind, s.rank, u.name),
                                          format('%s 年各单位四项得分 / the four parts of each unit', unit_score_report.year))
    INTO body
    FROM taxshare.unit_score s JOIN taxshare.unit u ON u.code = s.unit_code
   WHERE s.period_kind = 'year' AND s.period_start = y;
  body := body || '</section>';

  -- Serious findings: serious incidents, and parts lost entirely
  body := body || '<section><h2>严重问题 <small>Serious findings</small></h2>';
  SELECT body || coalesce('<table><thead><tr><th>单位<br><small>unit</small></th><th>日期<br><small>day</small></th>'
                          || '<th>问题<br><small>finding</small></th></tr></thead><tbody>'
                          || string_agg(format('<tr><td>%s</td><td>%s</td><td>%s</td></tr>',
                                               taxshare.html_escape(f.name), f.day, taxshare.html_escape(f.what)),
                                        '' ORDER BY f.day, f.name)
                          || '</tbody></table>',
                          '<p class="empty">无 / none</p>')
    INTO body
    FROM (SELECT u.name, to_char(i.occurred_on, 'YYYY-MM-DD') AS day,
                 '严重泄密或数据管理事故, 保密管理不得分 / serious incident, confidentiality part lost'
                 || coalesce(' ' || dot || ' ' || i.referral, '') AS what
            FROM taxshare.incident i JOIN taxshare.unit u ON u.code = i.unit_code
           WHERE i.serious AND i.occurred_on BETWEEN y AND make_date(unit_score_report.year, 12, 31)
          UNION ALL
          SELECT u.name, '-', concat_ws(', ',
                   CASE WHEN s.organisation = 0 THEN '组织领导 0 分 / organisation 0' END,
                   CASE WHEN s.reporting = 0 THEN '信息报送 0 分 / reporting 0' END,
                   CASE WHEN s.duty = 0 THEN '履职尽责 0 分 / duty 0' END)
            FROM taxshare.unit_score s JOIN taxshare.unit u ON u.code = s.unit_code
           WHERE s.period_kind = 'year' AND s.period_start = y
             AND (s.organisation = 0 OR s.reporting = 0 OR s.duty = 0)) f;
  body := body || '</section>';

  -- Month by month
  months := '';
  FOR m IN 1 .. 12 LOOP
    months := months || format('<th class="num">%s月</th>', m);
  END LOOP;
  body := body || '<section><h2>逐月得分 <small>Month by month (totals of the months computed)</small></h2><table><thead><tr>'
    || '<th>单位<br><small>unit</small></th>' || months || '</tr></thead><tbody>';
  SELECT body || coalesce(string_agg(t.line, '' ORDER BY t.listed_apart, t.unit_kind, t.rank, t.name), '')
    INTO body
    FROM (SELECT a.listed_apart, a.unit_kind, a.rank, u.name,
                 '<tr><td>' || taxshare.html_escape(u.name) || '</td>'
                 || (SELECT string_agg(coalesce('<td class="num">' || s.total || '</td>', '<td class="num">-</td>'), '' ORDER BY g)
                       FROM generate_series(1, 12) g
                       LEFT JOIN taxshare.unit_score s
                         ON s.period_kind = 'month' AND s.period_start = make_date(unit_score_report.year, g, 1)
                        AND s.unit_code = a.unit_code)
                 || '</tr>' AS line
            FROM taxshare.unit_score a JOIN taxshare.unit u ON u.code = a.unit_code
           WHERE a.period_kind = 'year' AND a.period_start = y) t;
  body := body || '</tbody></table></section>';

  html := '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    || format('<title>%s 年度单位考核通报 / Units'' score %s</title>', unit_score_report.year, unit_score_report.year)
    || '<style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f7fa;color:#222}'
    || 'header{background:#1f3a5f;color:#fff;padding:24px 40px}header h1{margin:0;font-size:26px}'
    || 'header p{margin:6px 0 0;opacity:.85}main{padding:20px 40px;max-width:1100px}'
    || 'section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}'
    || 'h2{font-size:18px;margin:0 0 12px}h2 small,th small{color:#777;font-weight:normal}'
    || '.cards{display:flex;flex-wrap:wrap;gap:12px;background:none;box-shadow:none;padding:0}'
    || '.card{flex:1 1 130px;background:#fff;border-radius:8px;padding:14px;box-shadow:0 1px 3px rgba(0,0,0,.08);border-top:4px solid #1f3a5f}'
    || '.card .n{font-size:24px;font-weight:bold}.card .k{font-size:12px;color:#666;margin-top:4px}.card.high{border-color:#c0392b}'
    || 'table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #e5e5e5;text-align:left;vertical-align:top}'
    || 'th{background:#f0f3f6}td.num,th.num{text-align:right;white-space:nowrap}'
    || 'svg.chart{max-width:100%;height:auto}svg .lbl{font-size:13px;fill:#333}svg .val{font-size:12px;fill:#555}'
    || '.empty{color:#888}.notice{background:#fff3cd;border:1px solid #ffe08a;padding:10px;border-radius:6px}'
    || 'footer{color:#888;font-size:12px;padding:0 40px 30px}'
    || '</style></head><body>'
    || format('<header><h1>财税综合信息平台 %s 年度单位考核通报</h1><p>Units'' score %s %s 满分 100 分 out of 100 (衡阳办法第三十至三十四条 seeds/000 art. 30-34) %s 生成于 %s</p></header>',
              unit_score_report.year, unit_score_report.year, dot, dot,
              to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'))
    || '<main>' || body || '</main>'
    || format('<footer>taxshare unit_score_report() %s 计算于 computed at %s %s %s</footer>', dot,
              to_char(computed AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), dot,
              CASE WHEN closed THEN '已关闭 closed' ELSE '未关闭 open' END)
    || '</body></html>';
  RETURN html;
END
$$;
COMMENT ON FUNCTION taxshare.unit_score_report(integer, integer) IS
  '年度考核通报 (衡阳办法第三十四条): 自包含的 HTML 页面, 含排名 (垂直管理单位单独列示)、各单位四项得分条形图、优秀单位、严重问题、逐月得分 / '
  'the annual notice (seeds/000 art. 34): a self-contained HTML page with the ranking (vertically managed units apart), each unit''s four parts as a bar chart, the best units, the serious findings and the month by month totals';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'unit_score_report(integer, integer)', 'X', '', '', '', '', '');

SELECT taxshare._privileges_apply();
