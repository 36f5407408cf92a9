-- pgTAP: the monthly analysis report (control/install/89_report.sql).
BEGIN;
SELECT plan(24);

SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;

SELECT has_function('taxshare', 'analysis_report', ARRAY['date', 'integer'], 'analysis_report(date, integer) exists');
SELECT is(taxshare.html_escape($$<a href="x">&'$$), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;',
          'html_escape escapes & < > " and ''');

-- Fixtures: two departments' items, three entities (one with markup in its
-- name), an overdue warning.
INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('RPT-A', '报告测试住建局', 'department'), ('RPT-B', '报告测试人社局', 'department'), ('RPT-TAX', '报告测试税务局', 'tax');
SELECT taxshare.catalog_define(format('{"code": "%s", "title": "报告测试 %s", "provider": "%s",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "uscc", "title": "统一社会信用代码", "type": "uscc"},
                        {"name": "name", "title": "名称", "type": "string"}]},
  "parties": [{"role": "party", "uscc": "uscc", "name": "name"}]}', c, c, u)::jsonb)
  FROM (VALUES ('RPT-SRC-A', 'RPT-A'), ('RPT-SRC-B', 'RPT-B'), ('RPT-DST', 'RPT-TAX')) v(c, u);
INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind, indicator_code) VALUES
  ('RPT_A01', 'report test deed tax', 'RPT-SRC-A', 'RPT-DST', 'party', 'missing', 'A01_PROPERTY_DEED_TAX'),
  ('RPT_M05', 'report test invoices', 'RPT-SRC-A', 'RPT-DST', 'party', 'missing', 'M05_INVOICE_FRAUD'),
  ('RPT_A05', 'report test headcount', 'RPT-SRC-B', 'RPT-DST', 'party', 'missing', 'A05_SOCIAL_INSURANCE_WITHHOLDING');
INSERT INTO taxshare.entity (kind, name) VALUES
  ('enterprise', '<script>alert(1)</script>某公司'), ('enterprise', '报告测试甲公司'), ('enterprise', '报告测试乙公司');
INSERT INTO taxshare.suspicion (rule_code, entity_id, period_start, amount_involved)
SELECT v.r, e.id, '2033-05-01', v.a
  FROM (VALUES ('<script>alert(1)</script>某公司', 'RPT_M05', 1000000),
               ('报告测试甲公司', 'RPT_A01', 300000), ('报告测试甲公司', 'RPT_A05', 20000),
               ('报告测试乙公司', 'RPT_A05', 5000)) v(n, r, a)
  JOIN taxshare.entity e ON e.name = v.n;
SELECT taxshare.grade_risks('2033-05-01');
-- a warning of 2024 that nobody received
INSERT INTO taxshare.risk_score (period_start, entity_id, score, grade, rank, points, amount, own_score, severity,
                                 social_impact, monitoring, blacklisted, propagated, response, reason_code, detail)
SELECT '2024-05-01', e.id, 20, 'low', 1, 1, 0, 20, 1, 1, false, false, false, 'reminder', 1, '\x0100'
  FROM taxshare.entity e WHERE e.name = '报告测试乙公司';
SELECT taxshare.warning_push('2024-05-01', 'RPT-TAX', title => '报告测试逾期预警', at => '2024-06-03 10:00+08');

CREATE TEMP TABLE rpt AS SELECT taxshare.analysis_report('2033-05-01') AS html;

SELECT ok((SELECT html LIKE '<!DOCTYPE html>%</html>' FROM rpt), 'a whole HTML document');
SELECT ok((SELECT html LIKE '%<meta charset="utf-8">%' FROM rpt), 'declared UTF-8');
SELECT ok((SELECT html LIKE '%<style>%' FROM rpt), 'with inline CSS');
SELECT cmp_ok((SELECT count(*)::int FROM rpt, regexp_matches(html, '<svg ', 'g')), '>=', 4,
              'at least four inline SVG charts');
SELECT ok((SELECT bool_and(xml_is_well_formed_document(m[1])) FROM rpt, regexp_matches(html, '(<svg .*?</svg>)', 'g') m),
          'every chart is well-formed SVG');
SELECT is((SELECT count(*)::int FROM rpt, regexp_matches(lower(html), '(<script|<link|<img|<iframe| src=| href=|url\(|@import)', 'g')), 0,
          'no script and no external resource');
SELECT is((SELECT count(*)::int FROM rpt, regexp_matches(html, 'https?://(?!www\.w3\.org/2000/svg)', 'g')), 0,
          'no URL but the SVG namespace');
SELECT ok((SELECT html LIKE '%&lt;script&gt;alert(1)&lt;/script&gt;某公司%' FROM rpt),
          'a name with markup is shown escaped');
SELECT ok((SELECT html LIKE '%报告测试住建局%' AND html LIKE '%报告测试人社局%' FROM rpt),
          'points by department name the providing units');
SELECT ok((SELECT html LIKE '%虚开发票 (监控)%' AND html LIKE '%不动产交易未缴契税%' FROM rpt),
          'points by indicator use the Chinese names, monitoring ones marked');
SELECT ok((SELECT html ~ '报告测试住建局 · 2 \(50\.0%\)' FROM rpt), 'the pie legend gives count and share (2 of 4 points)');
SELECT ok((SELECT position('&lt;script&gt;' IN html) < position('报告测试甲公司</td>' IN html)
                  AND position('报告测试甲公司</td>' IN html) < position('报告测试乙公司</td>' IN html) FROM rpt),
          'top risks in rank order: the monitoring hit, then the two analysis risks');
SELECT ok((SELECT html LIKE '%<div class="n">1</div><div class="k">高风险 high</div>%' FROM rpt),
          'the high card counts one');
SELECT ok((SELECT html LIKE '%<div class="n">1,325,000</div>%' FROM rpt), 'the amount card sums 1,325,000 yuan');
SELECT ok((SELECT html LIKE '%报告测试逾期预警%' AND html LIKE '%反馈逾期 overdue%' FROM rpt),
          'the overdue warning of 2024 is listed');
SELECT ok((SELECT html LIKE '%移送%' FROM rpt), 'prescribed responses are shown');
SELECT ok((SELECT html NOT LIKE '%本期尚未评级%' FROM rpt), 'no "not graded" notice for a graded period');
SELECT ok(taxshare.analysis_report('2033-06-01') LIKE '%本期尚未评级%', 'an ungraded period says so');
SELECT is((SELECT count(*)::int FROM regexp_matches(taxshare.analysis_report('2033-05-01', 1), '<tr><td>[0-9]+</td>', 'g')),
          2, 'top_n 1 lists one risk (plus the one overdue warning row)');
SELECT throws_ok($$SELECT taxshare.analysis_report(NULL)$$, '22023', NULL, 'a null period is refused');
SELECT throws_ok($$SELECT taxshare.analysis_report('2033-05-01', 0)$$, '22023', NULL, 'top_n must be at least 1');
SELECT is(taxshare._svg_bars(ARRAY[]::text[], ARRAY[]::numeric[], ARRAY['#000000'], 'x'),
          '<p class="empty">无数据 / no data</p>', 'an empty chart says so');

SELECT * FROM finish();
ROLLBACK;
