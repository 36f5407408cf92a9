-- pgTAP: the annual notice unit_score_report(year) (control/install/94_unit_score_report.sql):
-- a self-contained page with the ranking, the units listed apart, each
-- unit's four parts, the best units, the serious findings and the months.
BEGIN;
SELECT plan(17);

SET LOCAL TimeZone = 'Asia/Shanghai';
SET LOCAL taxshare.language = 'en';
SET LOCAL client_min_messages = warning;

INSERT INTO taxshare.unit (code, name, kind, created_at) VALUES
  ('NA', '通报单位<甲>', 'department', '2024-01-01'),
  ('NB', '通报单位乙', 'department', '2024-01-01'),
  ('NC', '通报单位丙', 'department', '2024-01-01'),
  ('NT', '通报税务局', 'tax', '2024-01-01');
INSERT INTO taxshare.unit_contact (unit_code, role, name, changed_on, filed_at)
SELECT u, r, 'x', '2024-01-01', '2024-01-01' FROM unnest(ARRAY['NA', 'NB', 'NC', 'NT']) u, unnest(ARRAY['leader', 'liaison']) r;
INSERT INTO taxshare.deduction_event (unit_code, part, item_code, period_start, episode, event_date, reason, points, source, detail)
VALUES ('NB', 'reporting', 'I1', '2025-02-01', 1, '2025-03-14', 'missing', -2, 'obligation', 'x'),
       ('NB', 'reporting', 'I2', '2025-04-01', 1, '2025-05-14', 'missing', -2, 'obligation', 'x');
SELECT taxshare.incident_record('NC', '2025-06-02', '数据外泄', true, referral => '移送纪检监察');

SELECT throws_ok($$SELECT taxshare.unit_score_report(2025)$$, 'P0002', NULL, 'a year not computed has no notice');
SELECT throws_ok($$SELECT taxshare.unit_score_report(2025, 0)$$, '22023', NULL, 'best_n from 1');
SELECT taxshare.unit_score_compute('month', make_date(2025, m, 1)) FROM generate_series(1, 12) m;
SELECT taxshare.unit_score_compute('year', '2025-01-01');
CREATE TEMP TABLE page AS SELECT taxshare.unit_score_report(2025, 1) AS html;

SELECT ok((SELECT html LIKE '<!DOCTYPE html>%</html>' FROM page), 'one HTML page');
SELECT ok((SELECT html !~* '<script|<link|src=|https?://(?!www\.w3\.org/2000/svg)' FROM page),
          'self-contained: no script, no link, no external resource');
SELECT ok((SELECT strpos(html, '通报单位&lt;甲&gt;') > 0 AND strpos(html, '通报单位<甲>') = 0 FROM page),
          'names from the data are escaped');
SELECT ok((SELECT html ~ '<td class="num">1</td><td>通报单位&lt;甲&gt;</td><td>department</td><td class="num">20</td><td class="num">40</td><td class="num">20</td><td class="num">20</td><td class="num"><b>100</b></td>' FROM page),
          'the ranking row of the best unit: rank 1, four full parts, 100');
SELECT ok((SELECT html ~ '<td class="num">2</td><td>通报单位乙</td><td>department</td><td class="num">20</td><td class="num">36</td>' FROM page),
          'NB second with reporting 36 (two deductions in the year)');
SELECT ok((SELECT html ~ '<td class="num">3</td><td>通报单位丙</td><td>department</td><td class="num">20</td><td class="num">40</td><td class="num">20</td><td class="num">0</td><td class="num"><b>80</b></td>' FROM page),
          'NC third: the serious incident took its confidentiality part');
SELECT ok((SELECT html ~ '垂直管理单位.*<td>通报税务局</td><td>tax</td>' FROM page), 'the tax bureau is listed apart');
SELECT ok((SELECT html !~ '考核排名.*<td>通报税务局</td>.*垂直管理单位' FROM page), 'and not in the ranking of the sharing units');
SELECT ok((SELECT html ~ '优秀单位.*<svg[^>]*>.*通报单位&lt;甲&gt;.*</svg>.*</section>' FROM page),
          'the best unit is published with a chart');
SELECT ok((SELECT html !~ '优秀单位 <small>Units published as best</small></h2><svg.*通报单位乙.*</svg></section><section><h2>考核排名' FROM page),
          'best_n 1: only the first');
SELECT is((SELECT (regexp_match(html, '各单位四项得分.*?</section>'))[1] FROM page) ~ '<title>保密管理 confidentiality: 20</title>', true,
          'the four parts chart has a segment per part');
SELECT is((SELECT array_length(regexp_split_to_array((regexp_match(html, '各单位四项得分.*?</svg>'))[1], '<text x="232"'), 1) - 1 FROM page), 4,
          'one bar per unit');
SELECT ok((SELECT html ~ '严重问题.*<td>通报单位丙</td><td>2025-06-02</td><td>严重泄密或数据管理事故.*移送纪检监察</td>' FROM page),
          'the serious incident is among the serious findings');
SELECT ok((SELECT html ~ '<tr><td>通报单位乙</td><td class="num">100</td><td class="num">100</td><td class="num">98</td><td class="num">100</td><td class="num">98</td>' FROM page),
          'month by month: NB loses 2 in March and 2 in May');
SELECT ok((SELECT html ~ '本年度尚未关闭' FROM page), 'an open year says its scores may change');

SELECT * FROM finish();
ROLLBACK;
