-- pgTAP: the quarterly and annual reports, their approval and distribution
-- (control/install/89_report.sql, 89_report_issue.sql; the ledger entries of
-- 90_ledger.sql).
BEGIN;
SELECT plan(50);

SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;

SELECT has_function('taxshare', 'analysis_report', ARRAY['date', 'text', 'integer'],
                    'analysis_report(period_start, period_kind, top_n) exists');
SELECT has_function('taxshare', 'analysis_report', ARRAY['date', 'integer'], 'the monthly analysis_report(date, integer) is kept');

-- Fixtures: the second quarter of 2033.  RPQ甲 is high in April (a monitoring
-- hit) and low in May; RPQ乙 is low in April, May and June; June is graded,
-- with one point of 乙.
INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('RPQ-A', '季报测试住建局', 'department'), ('RPQ-TAX', '季报测试税务局', 'tax');
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "季报测试 %s", "provider": "%s",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c, u)::jsonb)
  FROM (VALUES ('RPQ-SRC', 'RPQ-A'), ('RPQ-DST', 'RPQ-TAX')) v(c, u);
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code) VALUES
  ('RPQ_M05', 'quarter test invoices', 'RPQ-SRC', 'RPQ-DST', 'party', 'missing', 'M05_INVOICE_FRAUD'),
  ('RPQ_A01', 'quarter test deed tax', 'RPQ-SRC', 'RPQ-DST', 'party', 'missing', 'A01_PROPERTY_DEED_TAX');
INSERT INTO taxshare.entity (kind, name) VALUES ('enterprise', 'RPQ甲公司'), ('enterprise', 'RPQ乙公司');
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved)
SELECT v.r, e.id, v.p::date, v.a
  FROM (VALUES ('RPQ甲公司', 'RPQ_M05', '2033-04-01', 800000), ('RPQ乙公司', 'RPQ_A01', '2033-04-01', 1000),
               ('RPQ甲公司', 'RPQ_A01', '2033-05-01', 2000), ('RPQ乙公司', 'RPQ_A01', '2033-05-01', 1000),
               ('RPQ乙公司', 'RPQ_A01', '2033-06-01', 3000)) v(n, r, p, a)
  JOIN taxshare.entity e ON e.name = v.n;
SELECT taxshare.grade_risks(d::date) FROM (VALUES ('2033-04-01'), ('2033-05-01'), ('2033-06-01')) v(d);
-- a warning for April: one task recovered, one dismissed
SELECT taxshare.warning_push('2033-04-01', 'RPQ-TAX', title => 'RPQ四月预警', at => now() - interval '2 days') AS wid \gset
SELECT taxshare.warning_receive(:wid, at => now() - interval '1 day');
SELECT taxshare.warning_feedback(t.id, 'recovered', amount_recovered => 5000)
  FROM taxshare.warning_task t JOIN taxshare.entity e ON e.id = t.entity_id
 WHERE t.warning_id = :wid AND e.name = 'RPQ甲公司';
SELECT taxshare.warning_feedback(t.id, 'dismissed', note => '已在外地申报')
  FROM taxshare.warning_task t JOIN taxshare.entity e ON e.id = t.entity_id
 WHERE t.warning_id = :wid AND e.name = 'RPQ乙公司';

CREATE TEMP TABLE rpt AS
  SELECT k AS kind, taxshare.analysis_report(d::date, k) AS html
    FROM (VALUES ('2033-04-01', 'month'), ('2033-04-01', 'quarter'), ('2033-01-01', 'year')) v(d, k);
-- the SVG of the chart whose <title> starts with $2, in the report of kind $1
CREATE FUNCTION pg_temp.chart(kind text, caption text) RETURNS text LANGUAGE sql AS $$
  SELECT substring(x.piece FROM '<svg [^>]*><title>.*$') || '</svg>'
    FROM rpt, regexp_split_to_table(rpt.html, '</svg>') x(piece)
   WHERE rpt.kind = chart.kind AND strpos(x.piece, '<title>' || caption) > 0 LIMIT 1 $$;
CREATE FUNCTION pg_temp.marks(svg text, cls text) RETURNS integer LANGUAGE sql AS $$
  SELECT count(*)::int FROM regexp_matches(svg, 'class="' || cls || '"', 'g') $$;

-- Calls that existed before period_kind still resolve to the monthly report.
SELECT ok(taxshare.analysis_report('2033-04-01') LIKE '%月度风险分析报告%', 'analysis_report(''day'') is the monthly report');
SELECT ok(taxshare.analysis_report('2033-04-01', 1) LIKE '%月度风险分析报告%', 'analysis_report(''day'', 1) too');
SELECT ok(taxshare.analysis_report('2033-04-01', top_n => 1) LIKE '%月度风险分析报告%', 'and with top_n named');
SELECT is(regexp_replace(taxshare.analysis_report('2033-05-01', 5), '生成于 [0-9: -]+', ''),
          regexp_replace(taxshare.analysis_report('2033-05-01', 'month', 5), '生成于 [0-9: -]+', ''),
          'the two-argument report is the month of the three-argument one');

SELECT ok((SELECT html LIKE '%<h1>财税综合信息平台 季度风险分析报告</h1>%' AND html LIKE '%2033 年第 2 季度%' FROM rpt WHERE kind = 'quarter'),
          'the quarter report says so in its heading');
SELECT ok((SELECT html LIKE '%<h1>财税综合信息平台 年度风险分析报告</h1>%' AND html LIKE '%2033 年 %' FROM rpt WHERE kind = 'year'),
          'the year report says so in its heading');
SELECT is(pg_temp.marks(pg_temp.chart('quarter', '按月风险等级趋势'), 'bar'), 9,
          'the quarter''s trend chart has 3 months x 3 grades columns');
SELECT is(pg_temp.marks(pg_temp.chart('year', '按月风险等级趋势'), 'bar'), 36,
          'the year''s trend chart has 12 months x 3 grades columns');
SELECT is(pg_temp.chart('month', '按月风险等级趋势'), NULL, 'the month has no trend chart');
SELECT ok(pg_temp.chart('quarter', '按月风险等级趋势') ~ '2033-04 高风险 high: 1</title>.*2033-05 高风险 high: 0</title>',
          'the trend counts April''s high entity in April only');
SELECT ok((SELECT html LIKE '%<div class="n">2</div><div class="k">评级主体 entities graded</div>%' FROM rpt WHERE kind = 'quarter'),
          'the quarter counts each entity once (2 entities over 3 months)');
SELECT ok((SELECT html LIKE '%<div class="n">1</div><div class="k">高风险 high</div>%'
              AND html LIKE '%<div class="n">1</div><div class="k">低风险 low</div>%' FROM rpt WHERE kind = 'quarter'),
          'an entity counts under its highest grade of the quarter (甲 high, 乙 low)');
SELECT ok((SELECT html LIKE '%<div class="n">5</div><div class="k">风险点 suspicious points</div>%' FROM rpt WHERE kind = 'quarter'),
          'the points of the three months add up (5)');
SELECT ok((SELECT html LIKE '%<div class="n">3 / 3</div><div class="k">已评级月份 months graded</div>%' FROM rpt WHERE kind = 'quarter'),
          'three of the quarter''s three months are graded');
SELECT ok((SELECT html LIKE '%本期 12 个月中已评级 3 个月%' FROM rpt WHERE kind = 'year'),
          'the year says only 3 of its 12 months are graded');
SELECT is(pg_temp.marks(pg_temp.chart('quarter', '按指标的风险点'), 'bar'), 2, 'points by indicator over the quarter: 2 indicators');
SELECT ok(pg_temp.chart('quarter', '按指标的风险点') ~ '不动产交易未缴契税</text><rect class="bar"[^>]*/><text[^>]*>4</text>',
          'the deed-tax indicator counts its 4 points of the quarter');
SELECT ok((SELECT html ~ '<tr><td>1</td><td>RPQ甲公司 <span class="flag">监控</span></td><td>2033-04</td><td><span class="tag high">'
           FROM rpt WHERE kind = 'quarter'),
          'the top risk of the quarter is 甲 at its peak month, April');
SELECT ok((SELECT html ~ '<tr><td>2</td><td>RPQ乙公司</td><td>2033-0[456]</td>' FROM rpt WHERE kind = 'quarter'),
          '乙 is second, once');
SELECT ok((SELECT html LIKE '%<div class="n">5,000</div><div class="k">查补税款 (元) taxes recovered (yuan)</div>%' FROM rpt WHERE kind = 'quarter'),
          'the quarter''s taxes recovered are those of its warnings (5,000)');
SELECT ok((SELECT html LIKE '%<td>RPQ四月预警</td><td class="num">2</td><td class="num">2</td><td class="num">5,000</td>%'
             FROM rpt WHERE kind = 'year'),
          'the year lists the April warning: 2 tasks, 2 answered, 5,000 recovered');
SELECT ok(pg_temp.chart('quarter', '预警任务结果') ~ '查补税款 recovered</text><rect class="bar" [^>]*width="380[.0]*"',
          'the outcome chart has the recovered task');
SELECT is(pg_temp.marks(pg_temp.chart('quarter', '预警任务结果'), 'bar'), 6, 'the outcome chart has its six outcomes');
SELECT ok(taxshare.analysis_report('2033-07-01', 'quarter') LIKE '%本期没有推送预警%', 'a quarter without warnings says so');
SELECT ok((SELECT bool_and(xml_is_well_formed_document(m[1])) FROM rpt, regexp_matches(html, '(<svg .*?</svg>)', 'g') m),
          'every chart of every kind is well-formed SVG');

-- Bad input
SELECT throws_ok($$SELECT taxshare.analysis_report('2033-04-01', 'week')$$, '22023', 'unknown period kind "week"',
                 'an unknown period kind is refused');
SELECT throws_ok($$SELECT taxshare.analysis_report('2033-04-01', '5')$$, '22023', 'unknown period kind "5"',
                 'a quoted top_n is read as a period kind, and refused');
SELECT throws_ok($$SELECT taxshare.analysis_report('2033-05-01', 'quarter')$$, '22023',
                 '2033-05-01 is not the first day of a quarter', 'a quarter starts on its first day');
SELECT throws_ok($$SELECT taxshare.analysis_report('2033-04-01', 'year')$$, '22023',
                 '2033-04-01 is not the first day of a year', 'a year starts on 1 January');
SELECT throws_ok($$SELECT taxshare.analysis_report(NULL, 'year')$$, '22023', NULL, 'a null period is refused');

-- Approval and distribution
SELECT taxshare.report_approve('2033-04-01', 'quarter', '王分管', note => '同意报送') AS rid \gset
SELECT is((SELECT sha256 FROM taxshare.report_issue WHERE id = :rid),
          (SELECT sha256(convert_to(html, 'UTF8')) FROM taxshare.report_issue WHERE id = :rid),
          'the approved report is kept with its SHA-256');
SELECT ok((SELECT html LIKE '%季度风险分析报告%' AND approved_by = '王分管' AND period_kind = 'quarter'
             FROM taxshare.report_issue WHERE id = :rid), 'with the report, its period and who approved it');
SELECT is((SELECT digest FROM taxshare.ledger WHERE action = 'report_approve' ORDER BY seq DESC LIMIT 1),
          (SELECT sha256 FROM taxshare.report_issue WHERE id = :rid), 'the ledger entry of the approval carries the report''s hash');
SELECT is((SELECT object FROM taxshare.ledger WHERE action = 'report_approve' ORDER BY seq DESC LIMIT 1),
          format('report %s approved: quarter 2033-04-01, by 王分管', :rid), 'and names the report, its period and approver');
SELECT is(taxshare.report_send(:rid, ARRAY['市政府办公室', 'RPQ-TAX'], 'paper', actor => '李秘书'), 2,
          'report_send records two recipients');
SELECT results_eq($$SELECT recipient, unit_code, channel, sent_by FROM taxshare.report_ledger WHERE report_id = $$ || :rid || $$ ORDER BY distribution_id$$,
                  $$VALUES ('市政府办公室', NULL, 'paper', '李秘书'), ('RPQ-TAX', 'RPQ-TAX', 'paper', '李秘书')$$,
                  'report_ledger shows to whom, how and by whom; a unit code names the unit');
SELECT is((SELECT count(*)::int FROM taxshare.ledger
            WHERE action = 'report_send'
              AND object LIKE format('%% report %s (sha256 %s) to %%', :rid,
                                     (SELECT encode(sha256, 'hex') FROM taxshare.report_issue WHERE id = :rid))),
          2, 'each sending is a ledger entry naming the report''s hash');
SELECT is(ok, true, 'the ledger verifies') FROM taxshare.ledger_verify();
SELECT throws_ok(format($$SELECT taxshare.report_send(%s, ARRAY['市政府办公室'])$$, :rid), '55000',
                 format('report %s was already sent to "市政府办公室"', :rid), 'a report is sent to a recipient once');
SELECT throws_ok($$SELECT taxshare.report_send(-1, ARRAY['x'])$$, 'P0002', 'report -1 does not exist', 'an unknown report');
SELECT throws_ok(format($$SELECT taxshare.report_send(%s, ARRAY[]::text[])$$, :rid), '22023', NULL, 'no recipients');
SELECT throws_ok(format($$SELECT taxshare.report_send(%s, ARRAY['甲', ' 甲 '])$$, :rid), '55000', NULL,
                 'the same recipient twice in one call');
SELECT throws_ok(format($$SELECT taxshare.report_send(%s, ARRAY['乙'], at => now() - interval '1 day')$$, :rid), '22023', NULL,
                 'a sending before the approval');
SELECT throws_ok($$SELECT taxshare.report_approve('2033-04-01', 'quarter', ' ')$$, '22023',
                 'a report needs the name of who approved it', 'an approval needs the approver');
SELECT throws_ok($$SELECT taxshare.report_approve('2033-04-01', 'quarter', '王', at => now() + interval '1 day')$$, '22023', NULL,
                 'an approval in the future');
SELECT is((SELECT count(*)::int FROM taxshare.report_issue), 1, 'nothing half-written by the refused calls');

-- The office approves and sends; the analysis group reads; nobody changes a report.
SELECT ok(has_function_privilege('taxshare_admin', 'taxshare.report_send(bigint, text[], text, text, timestamptz)', 'EXECUTE')
          AND NOT has_function_privilege('taxshare_analyst', 'taxshare.report_approve(date, text, text, text, integer, timestamptz)', 'EXECUTE')
          AND NOT has_table_privilege('taxshare_admin', 'taxshare.report_issue', 'UPDATE')
          AND NOT has_table_privilege('taxshare_unit', 'taxshare.report_distribution', 'SELECT'),
          'only the office approves and sends; no role may change a kept report');

-- Changing the kept report afterwards is found by ledger_verify().
UPDATE taxshare.report_issue SET html = html || ' ', sha256 = sha256(convert_to(html || ' ', 'UTF8')) WHERE id = :rid;
SELECT is(problem, format('report %s changed: digest mismatch', :rid), 'a report changed afterwards breaks the ledger')
  FROM taxshare.ledger_verify();

SELECT * FROM finish();
ROLLBACK;
