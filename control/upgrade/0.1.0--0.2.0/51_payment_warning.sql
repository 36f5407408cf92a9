-- #18: fiscal payment warnings (control/install/93_payment_warning.sql, whose text this
-- repeats), and the daily sweep that calls the score's sweep (64_daily_sweep.sql).

-- Fiscal payment warnings (财政支付预警, seeds/000 art. 30 (一)): a unit that
-- does not report, or reports late or wrong, is warned at once; if it does
-- not put it right within the rectification window (5 working days, art. 31
-- (二)) the deduction follows and its payments are flagged for suspension
-- (暂停支付) until it has put it right.  One warning per rectification window
-- of an obligation (rectification_window, 60_obligation.sql), brought up to
-- date by the daily sweep (unit_score_sweep -> payment_warning_sweep):
--
--   issued     the day the window opened (the due date, or the receipt of a
--              rejected or error-laden submission);
--   rectified  put right within the window: the warning ends;
--   suspended  the window was missed: from the day after its last day, the
--              day of the reporting deduction;
--   lifted     put right later: the suspension ends that day.
-- Each transition keeps its day and who ran the sweep that saw it.
-- Guide: docs/unit_score.md, "Payment warnings".

CREATE TABLE taxshare.payment_warning (
  id                  bigserial PRIMARY KEY,
  unit_code           text NOT NULL,
  item_code           text NOT NULL,
  period_start        date NOT NULL,
  episode             integer NOT NULL,
  reason              text NOT NULL,
  state               text NOT NULL CHECK (state IN ('issued', 'rectified', 'suspended', 'lifted')),
  issued_on           date NOT NULL,
  issued_by           text NOT NULL,
  rectified_on        date,
  rectified_by        text,
  suspended_on        date,
  suspended_by        text,
  deduction_event_id  bigint,
  lifted_on           date,
  lifted_by           text,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (item_code, unit_code, period_start, episode),
  CONSTRAINT payment_warning_rectified CHECK ((state = 'rectified') = (rectified_on IS NOT NULL)),
  CONSTRAINT payment_warning_suspended CHECK ((state IN ('suspended', 'lifted')) = (suspended_on IS NOT NULL)),
  CONSTRAINT payment_warning_lifted CHECK ((state = 'lifted') = (lifted_on IS NOT NULL))
);
CREATE INDEX payment_warning_unit ON taxshare.payment_warning (unit_code, state);
CREATE INDEX payment_warning_open ON taxshare.payment_warning (state) WHERE state IN ('issued', 'suspended');
COMMENT ON TABLE taxshare.payment_warning IS
  '财政支付预警: 未报、迟报、错报即预警, 整改期内未整改到位则扣分并暂停支付, 整改后解除 (衡阳办法第三十条第(一)项) / '
  'fiscal payment warnings: issued when a unit does not report or reports late or wrong, escalated to suspension of payments when not put right within the window, lifted when put right (seeds/000 art. 30 (一))';
COMMENT ON COLUMN taxshare.payment_warning.id IS '编号 / id';
COMMENT ON COLUMN taxshare.payment_warning.unit_code IS '被预警单位 / unit warned';
COMMENT ON COLUMN taxshare.payment_warning.item_code IS '目录条目 / catalog item';
COMMENT ON COLUMN taxshare.payment_warning.period_start IS '报送期 / reporting period';
COMMENT ON COLUMN taxshare.payment_warning.episode IS '该报送义务的第几个整改期 / rectification window of the obligation';
COMMENT ON COLUMN taxshare.payment_warning.reason IS
  'missing 逾期未报, rejected 报送被退回, accepted_with_errors 报送有错误 / what opened the window';
COMMENT ON COLUMN taxshare.payment_warning.state IS
  'issued 已预警, rectified 已按期整改, suspended 暂停支付, lifted 已解除暂停 / issued, rectified in time, payments suspended, suspension lifted';
COMMENT ON COLUMN taxshare.payment_warning.issued_on IS '预警日 (整改期开启日) / day issued (the window''s opening day)';
COMMENT ON COLUMN taxshare.payment_warning.issued_by IS '发出预警的巡检执行人 / who ran the sweep that issued it';
COMMENT ON COLUMN taxshare.payment_warning.rectified_on IS '按期整改到位日 / day put right within the window';
COMMENT ON COLUMN taxshare.payment_warning.rectified_by IS '登记整改的巡检执行人 / who ran the sweep that saw it put right';
COMMENT ON COLUMN taxshare.payment_warning.suspended_on IS '暂停支付起始日 (整改期满次日) / first day of suspension (the day after the window)';
COMMENT ON COLUMN taxshare.payment_warning.suspended_by IS '升级为暂停支付的巡检执行人 / who ran the sweep that escalated it';
COMMENT ON COLUMN taxshare.payment_warning.deduction_event_id IS '随之而来的信息报送扣分 / the reporting deduction that came with the suspension';
COMMENT ON COLUMN taxshare.payment_warning.lifted_on IS '解除暂停之日 (逾期整改到位日) / day the suspension was lifted (put right late)';
COMMENT ON COLUMN taxshare.payment_warning.lifted_by IS '解除暂停的巡检执行人 / who ran the sweep that lifted it';
COMMENT ON COLUMN taxshare.payment_warning.updated_at IS '最后变更时间 / last change';
SELECT pg_catalog.pg_extension_config_dump('taxshare.payment_warning', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.payment_warning_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'payment_warning', 'rawd', 'r', 'r', 'r', 'r', '');

CREATE FUNCTION taxshare.payment_warning_sweep(as_of date DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  day date := coalesce(payment_warning_sweep.as_of, taxshare._cst_day(now()));
  n_issued integer;
  n_rectified integer;
  n_suspended integer;
  n_lifted integer;
  n_gone integer;
BEGIN
  -- issue: every window opened by as_of that has no warning yet
  INSERT INTO taxshare.payment_warning (unit_code, item_code, period_start, episode, reason, state, issued_on, issued_by)
  SELECT w.unit_code, w.item_code, w.period_start, w.episode, w.reason, 'issued', w.opened_on, session_user
    FROM taxshare.obligation o
   CROSS JOIN LATERAL (
     SELECT o.item_code, o.unit_code, o.period_start, x.episode::integer AS episode, x.reason, x.opened_on
       FROM unnest(o.w_reason, o.w_opened) WITH ORDINALITY AS x(reason, opened_on, episode)) w
   WHERE cardinality(o.w_opened) > 0 AND w.opened_on <= day
  ON CONFLICT (item_code, unit_code, period_start, episode) DO NOTHING;
  GET DIAGNOSTICS n_issued = ROW_COUNT;

  -- rectified within the window
  UPDATE taxshare.payment_warning p
     SET state = 'rectified', rectified_on = w.rectified_on, rectified_by = session_user, updated_at = now()
    FROM taxshare.rectification_window w
   WHERE p.state = 'issued'
     AND w.item_code = p.item_code AND w.unit_code = p.unit_code AND w.period_start = p.period_start
     AND w.episode = p.episode AND w.state = 'met' AND w.rectified_on <= day;
  GET DIAGNOSTICS n_rectified = ROW_COUNT;

  -- a window that is gone (the obligation, evaluated again, turned out met:
  -- a receipt by the exchange on the due day, say) ends its warning that day
  UPDATE taxshare.payment_warning p
     SET state = 'rectified', rectified_on = day, rectified_by = session_user, updated_at = now()
   WHERE p.state = 'issued'
     AND NOT EXISTS (SELECT 1 FROM taxshare.rectification_window w
                      WHERE w.item_code = p.item_code AND w.unit_code = p.unit_code
                        AND w.period_start = p.period_start AND w.episode = p.episode);
  GET DIAGNOSTICS n_gone = ROW_COUNT;
  n_rectified := n_rectified + n_gone;

  -- window missed: suspended from the day after its last day
  UPDATE taxshare.payment_warning p
     SET state = 'suspended', suspended_on = w.closes_on + 1, suspended_by = session_user, updated_at = now(),
         deduction_event_id = (SELECT e.id FROM taxshare.deduction_event e
                                WHERE e.source = 'obligation' AND e.unit_code = p.unit_code
                                  AND e.item_code = p.item_code AND e.period_start = p.period_start
                                  AND e.episode = p.episode)
    FROM taxshare.rectification_window w
   WHERE p.state = 'issued'
     AND w.item_code = p.item_code AND w.unit_code = p.unit_code AND w.period_start = p.period_start
     AND w.episode = p.episode AND w.state = 'missed' AND w.closes_on < day;
  GET DIAGNOSTICS n_suspended = ROW_COUNT;

  -- put right after the window: the suspension is lifted that day
  UPDATE taxshare.payment_warning p
     SET state = 'lifted', lifted_on = greatest(w.rectified_on, p.suspended_on), lifted_by = session_user,
         updated_at = now()
    FROM taxshare.rectification_window w
   WHERE p.state = 'suspended'
     AND w.item_code = p.item_code AND w.unit_code = p.unit_code AND w.period_start = p.period_start
     AND w.episode = p.episode AND w.rectified_on IS NOT NULL AND w.rectified_on <= day;
  GET DIAGNOSTICS n_lifted = ROW_COUNT;

  RETURN jsonb_build_object('issued', n_issued, 'rectified', n_rectified,
                            'suspended', n_suspended, 'lifted', n_lifted);
END
$$;
COMMENT ON FUNCTION taxshare.payment_warning_sweep(date) IS
  '财政支付预警巡检 (由每日巡检调用): 按整改期发出预警, 按期整改的结束, 逾期未整改的升级为暂停支付, 逾期整改后解除; 可重复执行; 返回各类变化数 / '
  'the payment warning sweep (run by the daily sweep): issues a warning per rectification window, ends it when put right in time, escalates a missed window to suspension, lifts the suspension once put right; idempotent; returns the counts of each transition';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'payment_warning_sweep(date)', 'X', '', '', '', '', '');

-- What the finance side reads: which units are warned or suspended (as of
-- the last sweep), since when and why.
CREATE VIEW taxshare.payment_status WITH (security_invoker = true) AS
  SELECT p.unit_code, u.name AS unit_name,
         CASE WHEN bool_or(p.state = 'suspended') THEN 'suspended' ELSE 'warned' END AS status,
         coalesce(min(p.suspended_on) FILTER (WHERE p.state = 'suspended'), min(p.issued_on)) AS since,
         count(*) FILTER (WHERE p.state = 'issued')::integer AS warnings,
         count(*) FILTER (WHERE p.state = 'suspended')::integer AS suspensions,
         string_agg(format('%s %s #%s %s', p.item_code, to_char(p.period_start, 'YYYY-MM-DD'), p.episode, p.reason),
                    '; ' ORDER BY p.issued_on, p.item_code, p.period_start, p.episode) AS why
    FROM taxshare.payment_warning p
    JOIN taxshare.unit u ON u.code = p.unit_code
   WHERE p.state IN ('issued', 'suspended')
   GROUP BY p.unit_code, u.name;
COMMENT ON VIEW taxshare.payment_status IS
  '当前被财政支付预警或暂停支付的单位, 起始日与原因 (按最近一次巡检) / the units warned or with payments suspended now, since when and why (as of the last sweep)';
COMMENT ON COLUMN taxshare.payment_status.status IS 'warned 已预警, suspended 暂停支付 / warned or suspended';
COMMENT ON COLUMN taxshare.payment_status.since IS
  '暂停支付时为最早的暂停日, 否则为最早的预警日 / first day of suspension when suspended, else of the earliest warning';
COMMENT ON COLUMN taxshare.payment_status.warnings IS '未结束的预警数 / open warnings';
COMMENT ON COLUMN taxshare.payment_status.suspensions IS '未解除的暂停数 / suspensions not lifted';
COMMENT ON COLUMN taxshare.payment_status.why IS '条目、报送期、整改期与原因 / item, period, window and reason of each';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'payment_status', 'r', 'r', 'r', 'r', 'r', '');

-- Rows (control/install/95_unit_score_rls.sql).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment_warning'] LOOP
    EXECUTE format('ALTER TABLE taxshare.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT'
                   ' TO taxshare_analyst, taxshare_tax, taxshare_operator USING (true)',
                   t || '_staff_read', t);
    EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT TO taxshare_unit'
                   ' USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]))',
                   t || '_unit_read', t);
    EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR ALL TO taxshare_admin USING (true) WITH CHECK (true)',
                   t || '_office_write', t);
  END LOOP;
END
$$;

-- daily_sweep() calls unit_score_sweep() (control/install/64_daily_sweep.sql).
CREATE OR REPLACE FUNCTION taxshare.daily_sweep(as_of date DEFAULT current_date)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  started timestamptz := clock_timestamp();
  r record;
  prev date;
  summary jsonb;
  warned integer;
  scored jsonb;
BEGIN
  r := taxshare.refresh_obligations(daily_sweep.as_of);

  -- Warnings not answered by their feedback deadline become duty deductions
  -- (art. 31 (三)).  warning_sweep() is defined in 88_warning.sql, which is
  -- installed after this file: plpgsql resolves the call when it runs, not
  -- when the function is created, so the order of the files does not matter.
  -- Its deductions count in deductions_created with those of the obligations
  -- (both are rows of deduction_event).
  warned := taxshare.warning_sweep(daily_sweep.as_of);

  -- The units' score (92_unit_score.sql): organisation, request and meeting
  -- deductions, and the fiscal payment warnings of the obligations' windows.
  scored := taxshare.unit_score_sweep(daily_sweep.as_of);

  -- Forwarding delays of what reached the platform since the previous sweep.
  SELECT max(l.as_of) INTO prev FROM taxshare.sweep_log l WHERE l.as_of < daily_sweep.as_of;

  SELECT jsonb_build_object(
           'as_of', daily_sweep.as_of,
           'obligations_created', r.created,
           'obligations_removed', r.removed,
           'due_dates_changed', r.due_changed,
           'evaluated', r.evaluated,
           'status_changed', r.status_changed,
           'deductions_created', r.deductions + coalesce(warned, 0),
           'open_windows', r.open_windows,
           'due_unknown', r.due_unknown,
           'pending', count(*) FILTER (WHERE o.status = 'pending'),
           'missing', count(*) FILTER (WHERE o.status = 'missing'),
           'defective', count(*) FILTER (WHERE o.status = 'defective'),
           'forwarded_late', (SELECT count(*) FROM taxshare.forwarding_delay f
                               WHERE f.late AND f.received_at < (daily_sweep.as_of + 1)::timestamptz
                                 AND (prev IS NULL OR f.received_at >= (prev + 1)::timestamptz)))
    INTO summary
    FROM taxshare.obligation o
   WHERE o.status IN ('pending', 'missing', 'defective');

  summary := summary || jsonb_build_object('unit_score', scored);
  INSERT INTO taxshare.sweep_log (as_of, started_at, finished_at, summary)
  VALUES (daily_sweep.as_of, started, clock_timestamp(), summary);
  RETURN summary;
END
$$;

SELECT taxshare._privileges_apply();
