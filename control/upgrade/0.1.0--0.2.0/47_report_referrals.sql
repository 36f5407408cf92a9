-- #19 §1 with §3: the reports count the referrals opened in their period
-- (_report_referrals, called by analysis_report in 45_reports.sql).
-- The report's referrals (85_referral.sql): the cases opened in the period,
-- by receiving body and result, the amounts recovered and penalised, the
-- deadlines missed, and each case.
CREATE FUNCTION taxshare._report_referrals(p_from date, p_to date)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  body text;
  rec record;
  n integer := 0;
BEGIN
  body := '<section><h2>移送案件 <small>Referrals opened in the period</small></h2>';
  FOR rec IN
    SELECT l.to_agency, count(*) AS cases,
           count(*) FILTER (WHERE l.result IS NULL) AS pending,
           count(*) FILTER (WHERE l.result = 'filed') AS filed,
           count(*) FILTER (WHERE l.result = 'not_filed') AS not_filed,
           count(*) FILTER (WHERE l.result = 'recovered') AS recovered,
           count(*) FILTER (WHERE l.result = 'penalized') AS penalized,
           coalesce(sum(l.amount) FILTER (WHERE l.result = 'recovered'), 0) AS amount_recovered,
           coalesce(sum(l.amount) FILTER (WHERE l.result = 'penalized'), 0) AS amount_penalized,
           count(*) FILTER (WHERE l.state IN ('receipt_overdue', 'result_overdue')
                               OR l.receive_met = false OR l.result_met = false) AS late
      FROM taxshare.referral_ledger l
     WHERE (l.opened_at AT TIME ZONE 'Asia/Shanghai')::date >= p_from
       AND (l.opened_at AT TIME ZONE 'Asia/Shanghai')::date < p_to
     GROUP BY l.to_agency ORDER BY l.to_agency
  LOOP
    IF n = 0 THEN
      body := body || '<table><thead><tr><th>接收机关<br><small>to</small></th><th class="num">案件<br><small>cases</small></th>'
                   || '<th class="num">未有结果<br><small>pending</small></th><th class="num">立案<br><small>filed</small></th>'
                   || '<th class="num">不予立案<br><small>not filed</small></th><th class="num">追缴<br><small>recovered</small></th>'
                   || '<th class="num">处罚<br><small>penalised</small></th><th class="num">追缴金额 (元)<br><small>recovered</small></th>'
                   || '<th class="num">罚款金额 (元)<br><small>penalties</small></th><th class="num">逾期<br><small>late</small></th></tr></thead><tbody>';
    END IF;
    n := n + 1;
    body := body || format('<tr><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>'
                           '<td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>'
                           '<td class="num">%s</td><td class="num">%s</td></tr>',
                           taxshare.html_escape(rec.to_agency), rec.cases, rec.pending, rec.filed, rec.not_filed,
                           rec.recovered, rec.penalized, taxshare._report_num(rec.amount_recovered),
                           taxshare._report_num(rec.amount_penalized), rec.late);
  END LOOP;
  IF n = 0 THEN
    RETURN body || '<p class="empty">本期没有移送案件 / no referral was opened in the period</p></section>';
  END IF;
  RETURN body || '</tbody></table></section>';
END
$$;
COMMENT ON FUNCTION taxshare._report_referrals(date, date) IS
  '内部: 报告的移送部分 (本期移送案件按接收机关与结果, 追缴与罚款金额, 逾期) / internal: the report''s referral section (cases opened in the period by receiving body and result, amounts recovered and penalised, deadlines missed)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_report_referrals(date, date)', 'X', 'X', 'X', 'X', 'X', 'X');
SELECT taxshare._privileges_apply();
