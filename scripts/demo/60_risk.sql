-- Demo step 7: risk.  Grade the October points (number of points, amount,
-- degree of violation, social influence; monitoring indicators and the
-- blacklist), push the graded tasks to the tax bureau, write the analysis
-- report, and print the risk list: the main output of the demo.
SET client_min_messages = warning;

SELECT to_regproc('taxshare.grade_risks') IS NOT NULL AS risk_available,
       to_regproc('taxshare.warning_push') IS NOT NULL AS warning_available,
       to_regproc('taxshare.analysis_report') IS NOT NULL AS report_available \gset
\if :risk_available

\echo
\echo '== 风险评级 2026-10 / grading the risks of October 2026 =='
SELECT entities AS "主体 entities", high AS "高 high", medium AS "中 medium", low AS "低 low",
       raised AS "关联传导提级 raised by links", points AS "风险点 points"
  FROM taxshare.grade_risks(DATE '2026-10-01');

\if :warning_available
\echo
\echo '== 预警推送至税务局 / warning pushed to the tax bureau (SWJ) =='
SELECT taxshare.warning_push(DATE '2026-10-01', 'SWJ', title => '2026 年 10 月综合治税风险预警',
                             at => TIMESTAMPTZ '2026-11-23 17:00:00+08') AS warning_id \gset
SELECT w.id AS "预警 warning", w.unit_code AS "接收单位 unit", w.title AS "标题 title",
       t.grade AS "等级 grade", count(*) AS "任务 tasks", sum(t.amount) AS "涉及金额 amount"
  FROM taxshare.warning w
  JOIN taxshare.warning_task t ON t.warning_id = w.id
 WHERE w.id = :warning_id
 GROUP BY w.id, w.unit_code, w.title, t.grade
 ORDER BY t.grade DESC;
\endif

\if :report_available
\! mkdir -p out
\pset tuples_only on
\pset format unaligned
\o out/analysis_report.html
SELECT taxshare.analysis_report(DATE '2026-10-01');
\o
\pset format aligned
\pset tuples_only off
\echo
\echo '分析报告已写入 / the analysis report was written to out/analysis_report.html'
\endif

\echo
\echo '== 风险清单 2026-10 (前 20 名) / the risk list of October 2026, top 20 =='
SELECT rank AS "排名 rank", name AS "名称 name",
       coalesce(uscc, idcard) AS "标识 identifier",
       grade AS "等级 grade", round(score::numeric, 1) AS "分数 score", points AS "风险点 points",
       amount AS "涉及金额 amount", response AS "应对 response",
       CASE WHEN blacklisted THEN '黑名单 ' ELSE '' END
       || CASE WHEN propagated THEN '关联传导 ' ELSE '' END
       || CASE WHEN monitoring THEN '监控指标' ELSE '' END AS "标记 flags"
  FROM taxshare.risk_list
 WHERE period_start = DATE '2026-10-01'
 ORDER BY rank
 LIMIT 20;

\else
\echo '(风险评级在此版本中不可用 / risk grading is not available in this build)'
\endif
