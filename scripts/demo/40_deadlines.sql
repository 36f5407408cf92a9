-- Demo step 4: deadlines.  The daily sweep of 23 November 2026 judges every
-- unit's October reports against the Hengyang due date (10 November), the
-- 5-working-day rectification windows and the exchange's 3-working-day
-- forwarding limit (docs/deadlines.md).
SET client_min_messages = warning;

\echo
\echo '== 每日巡检 2026-11-23 / the daily sweep of 23 November 2026 =='
SELECT jsonb_pretty(taxshare.daily_sweep(DATE '2026-11-23')) AS "巡检结果 sweep";

\echo
\echo '== 2026 年 10 月的报送义务 / obligations of October 2026 =='
SELECT unit_code AS "单位 unit", item_code AS "条目 item", due_date AS "截止 due",
       first_submitted_on AS "首次报送 first report", status AS "状态 status",
       days_late AS "迟报天数 days late", window_reason AS "整改原因 window",
       window_closes_on AS "整改截止 window ends", window_state AS "整改 state",
       points AS "扣分 points"
  FROM taxshare.obligation_status
 WHERE period_start = DATE '2026-10-01'
 ORDER BY CASE status WHEN 'missing' THEN 0 WHEN 'late' THEN 1 WHEN 'defective' THEN 2
                      WHEN 'rectified' THEN 3 ELSE 4 END, unit_code, item_code;

\echo
\echo '== 11 月到期报送统计 (交换平台每月 20 日前报市财源办) / upload statistics of reports due in November 2026 =='
SELECT unit_code AS "单位 unit", items_due AS "应报 due", on_time AS "按时 on time",
       rectified AS "已整改 rectified", late AS "超期 late", missing AS "未报 missing",
       reported_after_due AS "逾期报送 after due", uploads AS "批次 uploads", records AS "行数 rows",
       rejected_rows AS "退回行 rejected", error_rate AS "差错率 error rate",
       forwarded_late AS "转发超时 forwarded late"
  FROM taxshare.monthly_upload_stats
 WHERE month = DATE '2026-11-01'
 ORDER BY unit_code;

\echo
\echo '== 交换平台转发超过 3 个工作日 / batches the exchange forwarded in more than 3 working days =='
SELECT submission_id AS "批次 id", item_code AS "条目 item", unit_code AS "单位 unit",
       received_at_exchange::date AS "交换平台接收 exchange", forward_by AS "应转发 forward by",
       received_at::date AS "平台接收 platform", working_days AS "工作日 working days"
  FROM taxshare.forwarding_delay
 WHERE late
 ORDER BY submission_id;

\echo
\echo '== 扣分事件 (信息报送, 每项每次 -2 分) / deductions (reporting part, -2 per item and time) =='
SELECT unit_code AS "单位 unit", item_code AS "条目 item", period_start AS "所属期 period",
       event_date AS "扣分日 date", reason AS "原因 reason", points AS "分值 points",
       detail AS "说明 detail"
  FROM taxshare.deduction_event
 ORDER BY event_date, unit_code, item_code;
