-- requires taxshare 0.2.0
-- Demo step 7: the units' score (考核, seeds/000 art. 30-34; docs/unit_score.md).
-- The sample month ends: the office's requests and its meeting of November,
-- the sweep of 30 November (organisation, request and meeting deductions,
-- the fiscal payment warnings of the missed reports), a dispute the office
-- decides, and the scores of October, November, the fourth quarter and the
-- year so far, with the annual notice written beside the analysis report.
SET client_min_messages = warning;

\echo
\echo '== 市财源办的工作要求与会议 (2026 年 11 月) / the office''s requests and meeting of November 2026 =='
SELECT taxshare.request_send('ZJJ', '报送 10 月新开工项目清单', sent_on => DATE '2026-11-02') AS r_zjj \gset
SELECT taxshare.request_send('RSJ', '核对社保缴费人员名单', sent_on => DATE '2026-11-02') AS r_rsj \gset
SELECT taxshare.request_send('SCJGJ', '提供注销企业清单', due => DATE '2026-11-20', sent_on => DATE '2026-11-09') AS r_scj \gset
SELECT taxshare.request_answer(:r_zjj, '已报送', DATE '2026-11-06') \g /dev/null
SELECT taxshare.request_refuse(:r_scj, '系统升级, 暂无法导出', DATE '2026-11-12') \g /dev/null
SELECT taxshare.meeting_hold(DATE '2026-11-12', '第四季度税源分析调度会',
                             ARRAY['ZJJ', 'ZRZYJ', 'SCJGJ', 'RSJ', 'CZJ', 'SWJ', 'GAJ']) AS m \gset
SELECT count(taxshare.meeting_attend(:m, u)) AS "出席 attended"
  FROM unnest(ARRAY['ZJJ', 'ZRZYJ', 'CZJ', 'SWJ', 'GAJ']) u;
SELECT taxshare.meeting_attend(:m, 'SCJGJ', false, '参加省局培训, 已书面请假') \g /dev/null
SELECT taxshare.meeting_attend(:m, 'RSJ', false) \g /dev/null
SELECT id AS "编号 id", unit_code AS "单位 unit", subject AS "事项 subject", sent_on AS "发出 sent",
       due_on AS "期限 due", status AS "状态 status", answered_on AS "办结 closed"
  FROM taxshare.office_request ORDER BY id;

\echo
\echo '== 每日巡检 2026-11-30 / the daily sweep of 30 November 2026 =='
SELECT jsonb_pretty(taxshare.daily_sweep(DATE '2026-11-30') -> 'unit_score') AS "考核与支付预警 score and payment warnings";

\echo
\echo '== 财政支付预警 / fiscal payment warnings (payment_status) =='
SELECT unit_code AS "单位 unit", unit_name AS "名称 name", status AS "状态 status", since AS "起始 since",
       warnings AS "预警 warned", suspensions AS "暂停 suspended", why AS "原因 why"
  FROM taxshare.payment_status ORDER BY unit_code;

\echo
\echo '== 扣分明细 (2026 年) / the deductions of 2026 =='
SELECT id AS "编号 id", unit_code AS "单位 unit", part AS "部分 part", event_date AS "日期 day",
       points AS "分 points", reason AS "原因 reason", source AS "证据 evidence", evidence_id AS "证据号 #"
  FROM taxshare.deduction_event
 WHERE event_date BETWEEN DATE '2026-01-01' AND DATE '2026-12-31'
 ORDER BY event_date, unit_code, id;

\echo
\echo '== 人社局对缺席会议扣分提出异议, 市财源办维持 / RSJ disputes its meeting deduction; the office upholds it =='
SELECT taxshare.deduction_dispute(id, '会议通知未送达本局') AS x
  FROM taxshare.deduction_event WHERE unit_code = 'RSJ' AND reason = 'meeting_missed' \gset
SELECT taxshare.deduction_decide(:x, 'upheld', '会议通知已于 11 月 9 日经交换平台送达并签收') \g /dev/null
SELECT id AS "编号 id", unit_code AS "单位 unit", reason AS "原因 reason", dispute_state AS "异议 dispute"
  FROM taxshare.deduction_effective WHERE dispute_id IS NOT NULL;

\echo
\echo '== 考核得分 2026 年 11 月 / the units'' scores of November 2026 =='
SELECT count(taxshare.unit_score_compute('month', m)) AS "已计算月份 months computed"
  FROM unnest(ARRAY[DATE '2026-09-01', DATE '2026-10-01', DATE '2026-11-01']) m;
SELECT taxshare.unit_score_compute('quarter', DATE '2026-10-01') AS "第四季度 Q4 units",
       taxshare.unit_score_compute('year', DATE '2026-01-01') AS "全年 year units";
SELECT s.rank AS "名次 rank", s.unit_code AS "单位 unit", u.name AS "名称 name", s.unit_kind AS "类别 kind",
       s.organisation AS "组织领导 /20", s.reporting AS "信息报送 /40", s.duty AS "履职尽责 /20",
       s.confidentiality AS "保密管理 /20", s.total AS "总分 total", s.change AS "较上月 change"
  FROM taxshare.unit_score s JOIN taxshare.unit u ON u.code = s.unit_code
 WHERE s.period_kind = 'month' AND s.period_start = DATE '2026-11-01'
 ORDER BY s.listed_apart, s.unit_kind, s.rank, s.unit_code;

\echo
\echo '== 考核得分 2026 年 (截至 11 月) / the year 2026 so far =='
SELECT s.rank AS "名次 rank", s.unit_code AS "单位 unit", s.total AS "总分 total",
       s.n_organisation + s.n_reporting + s.n_duty + s.n_confidentiality AS "扣分次数 deductions",
       CASE WHEN s.listed_apart THEN '垂直管理, 单独列示 listed apart' ELSE '' END AS "备注 note"
  FROM taxshare.unit_score s
 WHERE s.period_kind = 'year' AND s.period_start = DATE '2026-01-01'
 ORDER BY s.listed_apart, s.unit_kind, s.rank, s.unit_code;
SELECT count(*) = 0 AS "复核一致 recomputation agrees" FROM taxshare.unit_score_verify('year', DATE '2026-01-01');

\! mkdir -p out
\pset tuples_only on
\pset format unaligned
\o out/unit_score_report.html
SELECT taxshare.unit_score_report(2026);
\o
\pset format aligned
\pset tuples_only off
\echo
\echo '年度考核通报已写入 / the annual notice was written to out/unit_score_report.html'
