-- What the office, the units and BI tools read of the deadlines: the state of
-- each obligation, the exchange platform's forwarding delays, and the monthly
-- upload statistics (docs/deadlines.md).

-- seeds/000 art. 8: the exchange (市行政审批服务局) uploads what it receives to
-- the platform within 3 working days.
CREATE VIEW taxshare.forwarding_delay AS
  SELECT s.id AS submission_id, s.item_code, s.unit_code, s.period_start,
         s.received_at_exchange, s.received_at,
         taxshare.add_working_days(s.received_at_exchange::date, 3) AS forward_by,
         taxshare.working_days_between(s.received_at_exchange::date, s.received_at::date)
           AS working_days,
         taxshare.working_days_between(s.received_at_exchange::date, s.received_at::date) > 3
           AS late
    FROM taxshare.submission s
   WHERE s.received_at_exchange IS NOT NULL
     AND s.status <> 'loading';
COMMENT ON VIEW taxshare.forwarding_delay IS
  '交换平台转发时效: 交换平台接收后须在 3 个工作日内上传至本平台 (衡阳办法第八条), 超过者 late / '
  'forwarding by the exchange platform: what it receives must reach the platform within 3 working days (seeds/000 art. 8); later ones are late';
COMMENT ON COLUMN taxshare.forwarding_delay.forward_by IS
  '最迟应转达日 = add_working_days(交换平台接收日, 3) / last day allowed for forwarding';
COMMENT ON COLUMN taxshare.forwarding_delay.working_days IS
  '转发用时 (工作日): 交换平台接收日之后到平台接收日 (含) 的工作日数 / working days d with exchange day < d <= platform day';
COMMENT ON COLUMN taxshare.forwarding_delay.late IS
  '转发超过 3 个工作日 / forwarded later than 3 working days';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'forwarding_delay', 'r', 'r', 'r', 'r', 'r', '');

CREATE VIEW taxshare.obligation_status AS
  SELECT o.item_code, ci.title AS item_title, o.unit_code, u.name AS unit_name, o.frequency,
         o.period_start, o.period_end, o.due_date, o.status,
         o.first_submitted_on,
         coalesce(s.received_at_exchange, s.received_at) AS submitted_at,
         o.current_submission_id, o.current_submission_status, o.submissions,
         o.days_late, o.working_days_late,
         o.w_reason[cardinality(o.w_reason)] AS window_reason,
         o.w_opened[cardinality(o.w_opened)] AS window_opened_on,
         o.w_closes[cardinality(o.w_closes)] AS window_closes_on,
         o.w_state[cardinality(o.w_state)] AS window_state,
         coalesce(d.events, 0) AS deductions, coalesce(d.points, 0) AS points,
         s.received_at_exchange, s.received_at,
         CASE WHEN s.received_at_exchange IS NOT NULL
              THEN taxshare.working_days_between(s.received_at_exchange::date, s.received_at::date) END
           AS forwarding_working_days,
         CASE WHEN s.received_at_exchange IS NOT NULL
              THEN taxshare.working_days_between(s.received_at_exchange::date, s.received_at::date) > 3 END
           AS forwarded_late,
         o.due_missing_year, o.evaluated_as_of
    FROM taxshare.obligation o
    LEFT JOIN taxshare.unit u ON u.code = o.unit_code
    LEFT JOIN taxshare.catalog_item ci ON ci.code = o.item_code AND ci.version = o.item_version
    LEFT JOIN taxshare.submission s ON s.id = o.current_submission_id
    LEFT JOIN LATERAL (
      SELECT count(*) AS events, sum(de.points) AS points
        FROM taxshare.deduction_event de
       WHERE de.source = 'obligation' AND de.unit_code = o.unit_code
         AND de.item_code = o.item_code AND de.period_start = o.period_start) d ON true;
COMMENT ON VIEW taxshare.obligation_status IS
  '各报送义务的状态 (截至最近一次 refresh_obligations/daily_sweep): 截止日、状态、迟报天数、最近整改期、扣分、交换平台转发时效 / '
  'state of each obligation as of the last refresh_obligations/daily_sweep: due date, status, lateness, latest rectification window, deductions, exchange forwarding';
COMMENT ON COLUMN taxshare.obligation_status.submitted_at IS
  '当前报送批次的报送时间 (交换平台接收时间, 无则平台接收时间) / when the current submission was made (exchange receipt, else platform receipt)';
COMMENT ON COLUMN taxshare.obligation_status.window_state IS
  '最近一次整改期的状态 open | met | missed / state of the latest rectification window';
COMMENT ON COLUMN taxshare.obligation_status.deductions IS
  '该义务产生的扣分事件数 / deduction events of this obligation';
COMMENT ON COLUMN taxshare.obligation_status.forwarded_late IS
  '当前报送批次经交换平台转发超过 3 个工作日 / the current submission was forwarded later than 3 working days';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'obligation_status', 'r', 'r', 'r', 'r', 'r', '');

-- seeds/000 art. 8: by the 20th of each month the exchange sends the office
-- "上月信息上传统计表".  A month here is the month in which the items were due.
CREATE VIEW taxshare.monthly_upload_stats AS
  SELECT o.unit_code, u.name AS unit_name,
         date_trunc('month', o.due_date)::date AS month,
         count(*) AS items_due,
         count(*) FILTER (WHERE o.status = 'on_time') AS on_time,
         count(*) FILTER (WHERE o.status = 'rectified') AS rectified,
         count(*) FILTER (WHERE o.status = 'late') AS late,
         count(*) FILTER (WHERE o.status = 'missing') AS missing,
         count(*) FILTER (WHERE o.status = 'defective') AS defective,
         count(*) FILTER (WHERE o.status = 'pending') AS pending,
         count(*) FILTER (WHERE o.first_submitted_on > o.due_date) AS reported_after_due,
         coalesce(sum(sub.uploads), 0) AS uploads,
         coalesce(sum(sub.records), 0) AS records,
         coalesce(sum(sub.rejected_rows), 0) AS rejected_rows,
         round(coalesce(sum(sub.rejected_rows), 0)::numeric
               / nullif(sum(sub.records), 0), 4) AS error_rate,
         coalesce(sum(cur.rows_accepted), 0) AS records_current,
         coalesce(sum(sub.forwarded_late), 0) AS forwarded_late
    FROM taxshare.obligation o
    LEFT JOIN taxshare.unit u ON u.code = o.unit_code
    LEFT JOIN taxshare.submission cur ON cur.id = o.current_submission_id
    LEFT JOIN (
      SELECT s.item_code, s.unit_code, s.period_start,
             count(*) AS uploads, sum(s.rows_total) AS records, sum(s.rows_rejected) AS rejected_rows,
             count(*) FILTER (WHERE s.received_at_exchange IS NOT NULL
                                AND taxshare.working_days_between(s.received_at_exchange::date,
                                                                  s.received_at::date) > 3)
               AS forwarded_late
        FROM taxshare.submission s
       WHERE s.status <> 'loading' AND NOT s.additive
       GROUP BY s.item_code, s.unit_code, s.period_start) sub
      ON sub.item_code = o.item_code AND sub.unit_code = o.unit_code
     AND sub.period_start = o.period_start
   WHERE o.due_date IS NOT NULL
   GROUP BY o.unit_code, u.name, date_trunc('month', o.due_date)::date;
COMMENT ON VIEW taxshare.monthly_upload_stats IS
  '信息上传统计表: 每单位每月 (按截止日所在月) 应报条目、按时、整改、迟报、漏报、记录数、退回行数、差错率 (衡阳办法第八条, 每月 20 日前报市财源办) / '
  'monthly upload statistics per unit and month (the month the items were due): items due, on time, rectified, late, missing, records, rejected rows, error rate (seeds/000 art. 8: sent to the office by the 20th)';
COMMENT ON COLUMN taxshare.monthly_upload_stats.month IS
  '截止日所在月的第一天 / first day of the month in which the items were due';
COMMENT ON COLUMN taxshare.monthly_upload_stats.items_due IS
  '该月到期的报送义务数 / obligations due in the month';
COMMENT ON COLUMN taxshare.monthly_upload_stats.reported_after_due IS
  '首次报送晚于截止日的义务数 (含整改期内补报) / obligations first reported after the due date (in the window or not)';
COMMENT ON COLUMN taxshare.monthly_upload_stats.uploads IS
  '这些义务的全部报送批次数 (含整改重报) / all submissions for these obligations, resubmissions included';
COMMENT ON COLUMN taxshare.monthly_upload_stats.records IS
  '全部批次上传的行数 / rows uploaded in all those submissions';
COMMENT ON COLUMN taxshare.monthly_upload_stats.rejected_rows IS
  '全部批次中被退回的行数 / rows rejected in all those submissions';
COMMENT ON COLUMN taxshare.monthly_upload_stats.error_rate IS
  '差错率 = 退回行数 / 上传行数 / rejected rows / rows uploaded';
COMMENT ON COLUMN taxshare.monthly_upload_stats.records_current IS
  '当前有效批次中通过的行数 / accepted rows of the current submissions';
COMMENT ON COLUMN taxshare.monthly_upload_stats.forwarded_late IS
  '交换平台转发超过 3 个工作日的批次数 / submissions forwarded later than 3 working days';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'monthly_upload_stats', 'r', 'r', 'r', 'r', 'r', '');
