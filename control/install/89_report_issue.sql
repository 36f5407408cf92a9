-- Reports approved and sent (seeds/000 art. 14: "市财源办 ... 形成分析报告, 经审核
-- 后报送市政府领导和有关部门"): each report the office issues is kept as it
-- was approved - the very HTML, its SHA-256, who approved it and when - and
-- each sending of it: to whom, how and when.  Both are ledger entries
-- (90_ledger.sql: report_approve, report_send) carrying the report's hash, so
-- the office can show what it sent and that it was not changed afterwards.
-- Guide: docs/risk.md, "Approving and sending a report".

CREATE TABLE taxshare.report_issue (
  id            bigserial PRIMARY KEY,
  period_start  date NOT NULL,
  period_kind   text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
  top_n         integer NOT NULL CHECK (top_n BETWEEN 1 AND 1000),
  html          text NOT NULL,
  sha256        bytea NOT NULL CHECK (octet_length(sha256) = 32),
  approved_by   text NOT NULL CHECK (btrim(approved_by) <> ''),
  approved_at   timestamptz NOT NULL,
  note          text,
  recorded_by   text NOT NULL DEFAULT session_user,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT report_issue_hash CHECK (sha256 = pg_catalog.sha256(pg_catalog.convert_to(html, 'UTF8')))
);
CREATE INDEX report_issue_period ON taxshare.report_issue (period_kind, period_start);
COMMENT ON TABLE taxshare.report_issue IS
  '已审核的分析报告: 审核时的 HTML 原文及其 SHA-256, 审核人与审核时间 (衡阳办法第十四条) / '
  'analysis reports as approved: the HTML itself and its SHA-256, who approved it and when (seeds/000 art. 14)';
COMMENT ON COLUMN taxshare.report_issue.period_start IS '报告期间首日 / first day of the period reported on';
COMMENT ON COLUMN taxshare.report_issue.period_kind IS 'month 月度, quarter 季度, year 年度 / the kind of period';
COMMENT ON COLUMN taxshare.report_issue.top_n IS '列出的重点风险数 / how many top risks the report lists';
COMMENT ON COLUMN taxshare.report_issue.html IS '审核的报告原文 (analysis_report() 的输出) / the report as approved (the output of analysis_report())';
COMMENT ON COLUMN taxshare.report_issue.sha256 IS '报告原文 (UTF-8) 的 SHA-256, 记入台账 / SHA-256 of the report text in UTF-8, recorded in the ledger';
COMMENT ON COLUMN taxshare.report_issue.approved_by IS '审核人 (分管领导) / who approved it (the leader in charge)';
COMMENT ON COLUMN taxshare.report_issue.approved_at IS '审核时间 / when it was approved';
COMMENT ON COLUMN taxshare.report_issue.note IS '审核意见 / the approver''s note';
COMMENT ON COLUMN taxshare.report_issue.recorded_by IS '登记的会话用户 / session user that recorded the approval';
COMMENT ON COLUMN taxshare.report_issue.recorded_at IS '登记时间 / when the approval was recorded';
SELECT pg_catalog.pg_extension_config_dump('taxshare.report_issue', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.report_issue_id_seq', '');
-- Written once, never changed: the office inserts (report_approve), nobody updates.
INSERT INTO taxshare.privilege_plan VALUES ('table', 'report_issue', 'ra', 'r', '', '', '', '');
-- Row-level security: 95_security.sql (the office, and the analysis group reading).

CREATE TABLE taxshare.report_distribution (
  id          bigserial PRIMARY KEY,
  report_id   bigint NOT NULL REFERENCES taxshare.report_issue (id),
  recipient   text NOT NULL CHECK (btrim(recipient) <> ''),
  unit_code   text REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  channel     text NOT NULL CHECK (channel IN ('paper', 'electronic')),
  sent_at     timestamptz NOT NULL,
  sent_by     text NOT NULL CHECK (btrim(sent_by) <> ''),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT report_distribution_once UNIQUE (report_id, recipient)
);
COMMENT ON TABLE taxshare.report_distribution IS
  '分析报告的报送: 报送对象 (市政府领导、有关部门)、方式与时间 (衡阳办法第十四条) / '
  'where each approved report was sent: to whom (the city leadership, departments), how and when (seeds/000 art. 14)';
COMMENT ON COLUMN taxshare.report_distribution.report_id IS '报告 (report_issue) / the report sent';
COMMENT ON COLUMN taxshare.report_distribution.recipient IS '报送对象 / the recipient';
COMMENT ON COLUMN taxshare.report_distribution.unit_code IS
  '报送对象为共享单位时的单位代码 / the unit''s code when the recipient is a unit';
COMMENT ON COLUMN taxshare.report_distribution.channel IS 'paper 纸质, electronic 电子 / on paper or electronically';
COMMENT ON COLUMN taxshare.report_distribution.sent_at IS '报送时间 / when it was sent';
COMMENT ON COLUMN taxshare.report_distribution.sent_by IS '报送人 / who sent it';
COMMENT ON COLUMN taxshare.report_distribution.recorded_at IS
  '登记时间 (补录时晚于报送时间) / when the sending was recorded (later than sent_at when entered afterwards)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.report_distribution', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.report_distribution_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'report_distribution', 'ra', 'r', '', '', '', '');

-- Approve the report of a period: render it, keep it with its hash; returns its id.
CREATE FUNCTION taxshare.report_approve(period_start date, period_kind text, approved_by text,
                                        note text DEFAULT NULL, top_n integer DEFAULT 20,
                                        at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  t timestamptz := coalesce(report_approve.at, now());
  doc text;
  new_id bigint;
BEGIN
  IF t > now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'cannot record a report step at "%", which is in the future', t
      USING ERRCODE = '22023', HINT = 'Leave "at" out to record the step now, or give the time it happened.';
  END IF;
  IF btrim(coalesce(report_approve.approved_by, '')) = '' THEN
    RAISE EXCEPTION 'a report needs the name of who approved it'
      USING ERRCODE = '22023',
            HINT = 'Pass approved_by => the leader in charge who approved the report (审核人).';
  END IF;
  -- renders the report (and checks the period, its kind and top_n)
  doc := taxshare.analysis_report(report_approve.period_start, report_approve.period_kind, report_approve.top_n);
  INSERT INTO taxshare.report_issue (period_start, period_kind, top_n, html, sha256, approved_by, approved_at, note)
  VALUES (report_approve.period_start, report_approve.period_kind, report_approve.top_n, doc,
          pg_catalog.sha256(pg_catalog.convert_to(doc, 'UTF8')), btrim(report_approve.approved_by), t,
          report_approve.note)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.report_approve(date, text, text, text, integer, timestamp with time zone) IS
  '审核报告: 生成该期 (月、季、年) 的分析报告, 连同 SHA-256、审核人与时间保存并记入台账; 返回报告编号 / '
  'approve a report: render the analysis report of the period (month, quarter, year), keep it with its SHA-256, the approver and the time, and record it in the ledger; returns the report id';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'report_approve(date, text, text, text, integer, timestamp with time zone)', 'X', '', '', '', '', '');

-- Send an approved report to one or more recipients; returns how many.
CREATE FUNCTION taxshare.report_send(report_id bigint, recipients text[], channel text DEFAULT 'paper',
                                     actor text DEFAULT NULL, at timestamptz DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  t timestamptz := coalesce(report_send.at, now());
  r taxshare.report_issue;
  who text := coalesce(report_send.actor, session_user);
  dup text;
  n integer;
BEGIN
  IF t > now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'cannot record a report step at "%", which is in the future', t
      USING ERRCODE = '22023', HINT = 'Leave "at" out to record the step now, or give the time it happened.';
  END IF;
  SELECT * INTO r FROM taxshare.report_issue x WHERE x.id = report_send.report_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'report % does not exist', report_send.report_id
      USING ERRCODE = 'P0002', HINT = 'Approve the report first (taxshare.report_approve) and send the id it returns.';
  END IF;
  IF report_send.recipients IS NULL OR cardinality(report_send.recipients) = 0
     OR EXISTS (SELECT 1 FROM unnest(report_send.recipients) x WHERE btrim(coalesce(x, '')) = '') THEN
    RAISE EXCEPTION 'report % needs recipients, not %', r.id, coalesce(report_send.recipients::text, 'NULL')
      USING ERRCODE = '22023',
            HINT = 'Name each recipient, e.g. ARRAY[''市政府办公室'', ''SWJ''] (a unit''s code names that unit).';
  END IF;
  IF report_send.channel IS NULL OR report_send.channel NOT IN ('paper', 'electronic') THEN
    RAISE EXCEPTION 'invalid channel "%"', report_send.channel
      USING ERRCODE = '22023', HINT = 'The channel is paper or electronic.';
  END IF;
  IF t < r.approved_at THEN
    RAISE EXCEPTION 'report % cannot be sent at %, before it was approved at %', r.id, t, r.approved_at
      USING ERRCODE = '22023', HINT = 'Give the time the report was actually sent.';
  END IF;
  SELECT x INTO dup
    FROM unnest(report_send.recipients) x
   WHERE EXISTS (SELECT 1 FROM taxshare.report_distribution d WHERE d.report_id = r.id AND d.recipient = btrim(x))
      OR (SELECT count(*) FROM unnest(report_send.recipients) y WHERE btrim(y) = btrim(x)) > 1
   LIMIT 1;
  IF dup IS NOT NULL THEN
    RAISE EXCEPTION 'report % was already sent to "%"', r.id, dup
      USING ERRCODE = '55000', HINT = 'A report is sent to each recipient once; see taxshare.report_ledger.';
  END IF;
  INSERT INTO taxshare.report_distribution (report_id, recipient, unit_code, channel, sent_at, sent_by)
  SELECT r.id, btrim(x.x), u.code, report_send.channel, t, who
    FROM unnest(report_send.recipients) WITH ORDINALITY x(x, ord)
    LEFT JOIN taxshare.unit u ON u.code = btrim(x.x)
   ORDER BY x.ord;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare.report_send(bigint, text[], text, text, timestamp with time zone) IS
  '报送已审核的报告: 每个报送对象一行 (单位代码即指该单位), 记入台账; 返回报送对象数 / '
  'send an approved report: one row per recipient (a unit''s code names that unit), each recorded in the ledger; returns the number of recipients';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'report_send(bigint, text[], text, text, timestamp with time zone)', 'X', '', '', '', '', '');

-- What was approved and sent, with the hash that the ledger holds.
CREATE VIEW taxshare.report_ledger WITH (security_invoker = true) AS
  SELECT r.id AS report_id, r.period_kind, r.period_start, encode(r.sha256, 'hex') AS sha256,
         r.approved_by, r.approved_at, r.note,
         d.id AS distribution_id, d.recipient, d.unit_code, d.channel, d.sent_at, d.sent_by
    FROM taxshare.report_issue r
    LEFT JOIN taxshare.report_distribution d ON d.report_id = r.id;
COMMENT ON VIEW taxshare.report_ledger IS
  '报告台账: 每份已审核报告 (期间、SHA-256、审核人与时间) 及其每次报送 (对象、方式、时间); 未报送的报告一行, 报送列为空 / '
  'the report ledger: each approved report (period, SHA-256, approver and time) with each sending (recipient, channel, time); a report not sent yet has one row with empty sending columns';
COMMENT ON COLUMN taxshare.report_ledger.sha256 IS '报告原文的 SHA-256 (十六进制) / SHA-256 of the report, in hex';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'report_ledger', 'r', 'r', '', '', '', '');
