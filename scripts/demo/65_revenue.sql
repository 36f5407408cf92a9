-- requires taxshare 0.2.0
-- Demo step 8: revenue watch, and the report approved and sent.  The tax
-- bureau sends the tax receipts (入库) of the past year by tax type and
-- district; the platform sets October's expected deed tax (3% of the
-- contract prices the housing bureau reported) against what reached the
-- treasury, warns where too little did, forecasts the next three months,
-- writes the month's report again with its revenue section, and the office
-- approves the fourth quarter's report and sends it to the city government
-- and the tax bureau (seeds/000 art. 14).
SET client_min_messages = warning;

SELECT to_regproc('taxshare.revenue_refresh') IS NOT NULL AS revenue_available,
       to_regproc('taxshare.report_approve') IS NOT NULL AS approval_available \gset
\if :revenue_available

-- Expected and declared tax of October from the cross-check rules.
SELECT sum(expected) AS deed_expected FROM taxshare.revenue_refresh(DATE '2026-10-01') WHERE tax_type = '契税' \gset

-- Receipts of October 2025 to October 2026: 契税 and 增值税 in four districts,
-- with a season (more in spring and autumn) and 6% growth over the year.
-- October's deed tax falls 18% short of what the contracts imply.
SELECT count(taxshare.submit('SW-RK-001', 'SWJ', mm.m, r.rows,
                             received_at_exchange => (mm.m + interval '1 month 8 days')::timestamptz))
         AS "入库批次 receipts batches"
  FROM generate_series(DATE '2025-10-01', DATE '2026-10-01', interval '1 month') g(ts)
 CROSS JOIN LATERAL (SELECT g.ts::date AS m) mm
 CROSS JOIN LATERAL (
   SELECT jsonb_agg(jsonb_build_object(
            'tax_type', t.tax_type, 'region', d.code, 'source', '国库',
            'amount', CASE WHEN t.tax_type = '契税' AND mm.m = DATE '2026-10-01'
                           THEN round(:deed_expected * 0.82 * d.share, 2)
                           ELSE round((t.base * d.share * (1 + 0.25 * cos(2 * pi() * (extract(month FROM mm.m) - 4) / 6))
                                      * (1 + 0.06 * (mm.m - DATE '2025-10-01') / 365.0))::numeric, 2) END)
            ORDER BY t.tax_type, d.code) AS rows
     FROM (VALUES ('契税', 4800000), ('增值税', 15000000)) t(tax_type, base)
     CROSS JOIN (VALUES ('430405', 0.2), ('430406', 0.3), ('430407', 0.3), ('430408', 0.2)) d(code, share)) r;

\echo
\echo '== 收入监控 2026-10 (全市) / revenue watch, October 2026, the whole city =='
SELECT tax_type AS "税种 tax type", expected AS "应有 expected", declared AS "申报 declared",
       received AS "入库 received", shortfall AS "短收 shortfall",
       round(100 * shortfall_rate, 1) AS "短收率% short by", warning AS "预警 warning"
  FROM taxshare.revenue_watch
 WHERE period_start = DATE '2026-10-01' AND region IS NULL
 ORDER BY tax_type;

\echo
\echo '== 入库预测 (季节性朴素法) / forecast of the receipts (seasonal naive) =='
SELECT f.tax_type AS "税种 tax type", to_char(x.period_start, 'YYYY-MM') AS "月份 month",
       x.forecast AS "预测 forecast", x.method AS "方法 method"
  FROM (VALUES ('契税'), ('增值税')) f(tax_type)
  CROSS JOIN LATERAL taxshare.revenue_forecast(f.tax_type, NULL, 3) x
 ORDER BY 1, 2;

\! mkdir -p out
\pset tuples_only on
\pset format unaligned
\o out/analysis_report.html
SELECT taxshare.analysis_report(DATE '2026-10-01', 'month');
\o
\pset format aligned
\pset tuples_only off
\echo
\echo '月度分析报告 (含收入监控) 已写入 / the monthly report, with its revenue section, was written to out/analysis_report.html'
\endif

\if :approval_available
\echo
\echo '== 季度报告的审核与报送 / the fourth quarter''s report approved and sent =='
SELECT taxshare.report_approve(DATE '2026-10-01', 'quarter', '刘分管', note => '同意报送',
                               at => TIMESTAMPTZ '2026-11-27 09:30:00+08') AS report_id \gset
SELECT taxshare.report_send(:report_id, ARRAY['市人民政府办公室', 'SWJ'], 'paper',
                            actor => '市财源办', at => TIMESTAMPTZ '2026-11-27 15:00:00+08') AS "报送 sent";
\pset tuples_only on
\pset format unaligned
\o out/analysis_report_quarter.html
SELECT html FROM taxshare.report_issue WHERE id = :report_id;
\o
\pset format aligned
\pset tuples_only off
SELECT period_kind AS "类别 kind", period_start AS "期间 period", approved_by AS "审核 approved by",
       recipient AS "报送对象 recipient", channel AS "方式 channel", left(sha256, 16) || '…' AS "SHA-256"
  FROM taxshare.report_ledger WHERE report_id = :report_id ORDER BY distribution_id;
SELECT ok AS "台账校验 ledger verifies" FROM taxshare.ledger_verify();
\echo '季度报告 (审核时的原文) 已写入 / the quarter''s report as approved was written to out/analysis_report_quarter.html'
\endif
