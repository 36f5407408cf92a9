-- daily_sweep(): everything time-driven in one idempotent call, for pg_cron or
-- a system crontab (docs/deadlines.md "Scheduling").

CREATE TABLE taxshare.sweep_log (
  id           bigserial PRIMARY KEY,
  as_of        date NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz NOT NULL,
  run_by       text NOT NULL DEFAULT session_user,
  summary      jsonb NOT NULL
);
CREATE INDEX sweep_log_as_of ON taxshare.sweep_log (as_of);
COMMENT ON TABLE taxshare.sweep_log IS
  '每日巡检 daily_sweep() 的运行记录 / one row per run of daily_sweep()';
SELECT pg_catalog.pg_extension_config_dump('taxshare.sweep_log', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.sweep_log_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'sweep_log', 'rawd', 'r', 'r', '', 'r', '');

CREATE FUNCTION taxshare.daily_sweep(as_of date DEFAULT current_date)
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
COMMENT ON FUNCTION taxshare.daily_sweep(date) IS
  '每日巡检: 生成报送义务、更新状态、开启和关闭整改期、生成扣分事件 (含未按期反馈的预警)、统计交换平台转发超时; 可重复执行, 每次记入 sweep_log / '
  'the daily time-driven work: create obligations, update statuses, open and close rectification windows, record deductions (unanswered warnings included), count late forwarding by the exchange; idempotent, each run logged in sweep_log';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'daily_sweep(date)', 'X', 'X', 'X', 'X', 'X', 'X');
