-- The tamper-evident ledger (台账: "data sent and received is recorded ... and
-- afterwards it can be traced", 000 art. 7, 004 art. 22; DOMAIN.md "Ledger").
-- An append-only hash chain of what mattered: catalog versions, finished
-- submissions with a Merkle root over their records, supersessions,
-- objections, obligation states, deductions (and what later modules append
-- through ledger_append(), e.g. grants).  The byte layouts, the checks and how
-- to keep the head outside the database are in docs/ledger.md.  This file sorts
-- after the modules it hooks: its triggers sit on their tables without those
-- modules knowing about the ledger.

CREATE TABLE taxshare.ledger (
  seq        bigint PRIMARY KEY CHECK (seq > 0),
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL CHECK (action <> ''),
  object     text NOT NULL,
  digest     bytea,
  prev_hash  bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
  hash       bytea NOT NULL CHECK (octet_length(hash) = 32)
);
COMMENT ON TABLE taxshare.ledger IS
  '防篡改台账: 只增不改的哈希链, 记录目录变更、报送、替代、异议、报送义务状态、扣分与授权 / tamper-evident ledger: an append-only hash chain of catalog changes, submissions, supersessions, objections, obligation states, deductions and grants';
COMMENT ON COLUMN taxshare.ledger.seq IS
  '序号, 从 1 起连续 / sequence number, from 1 without gaps';
COMMENT ON COLUMN taxshare.ledger.at IS
  '记账时间 (微秒) / when the entry was appended, to the microsecond';
COMMENT ON COLUMN taxshare.ledger.actor IS
  '会话用户 / session user that caused the entry';
COMMENT ON COLUMN taxshare.ledger.action IS
  '事项, 如 catalog_define, submission, supersede, objection_file, objection_resolve, obligation_status, deduction / what happened (docs/ledger.md lists the actions)';
COMMENT ON COLUMN taxshare.ledger.object IS
  '对象的可读描述 (含可复核的键) / readable description of the object, starting with its key';
COMMENT ON COLUMN taxshare.ledger.digest IS
  '对象内容的 SHA-256 或默克尔根, 无则为空 / SHA-256 or Merkle root of the object''s content, NULL when the object text says it all';
COMMENT ON COLUMN taxshare.ledger.prev_hash IS
  '前一条的哈希, 第一条为 32 个零字节 / hash of the previous entry, 32 zero bytes for the first';
COMMENT ON COLUMN taxshare.ledger.hash IS
  '本条的 SHA-256 (格式见 docs/ledger.md) / SHA-256 of this entry, format in docs/ledger.md';
SELECT pg_catalog.pg_extension_config_dump('taxshare.ledger', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'ledger', 'r', '', '', '', 'r', '');

-- Append-only: UPDATE, DELETE and TRUNCATE are refused with SQLSTATE 55000
-- (object_not_in_prerequisite_state).  INSERT is not refused by a trigger, so
-- that pg_restore can load the table; only the extension owner may insert, and
-- ledger_verify() finds an inserted or edited entry.
CREATE FUNCTION taxshare._ledger_refuse() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    RAISE EXCEPTION 'cannot % entries of taxshare.ledger', lower(TG_OP)
      USING ERRCODE = '55000',
            DETAIL = 'The ledger is append-only.',
            HINT = 'Entries are never changed or removed. taxshare.ledger_verify() reports a wrong entry; correct the data with a new operation, which adds its own entry.';
  END IF;
  RAISE EXCEPTION 'cannot truncate taxshare.ledger'
    USING ERRCODE = '55000',
          DETAIL = 'The ledger is append-only.',
          HINT = 'Entries are never changed or removed. taxshare.ledger_verify() reports a wrong entry; correct the data with a new operation, which adds its own entry.';
END
$$;
COMMENT ON FUNCTION taxshare._ledger_refuse() IS
  '拒绝修改、删除、清空台账的触发器 / trigger refusing UPDATE, DELETE and TRUNCATE on the ledger';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_ledger_refuse()', '', '', '', '', '', '');

CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON taxshare.ledger
  FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_refuse();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON taxshare.ledger
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare._ledger_refuse();

-- The C functions (src/ledger/ledger_fmgr.c).
CREATE FUNCTION taxshare.ledger_append(action text, object text, digest bytea)
RETURNS bigint
AS 'MODULE_PATHNAME', 'ledger_append'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION taxshare.ledger_append(text, text, bytea) IS
  '追加一条台账 (内部, 由触发器调用), 返回序号 / append the next ledger entry (internal, called by the ledger triggers); returns its seq';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'ledger_append(text, text, bytea)', '', '', '', '', '', '');

CREATE FUNCTION taxshare.submission_digest(submission_id bigint)
RETURNS bytea
AS 'MODULE_PATHNAME', 'submission_digest'
LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION taxshare.submission_digest(bigint) IS
  '报送批次全部记录 (按行号) 的默克尔根 / Merkle root over the records of a submission in row order';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'submission_digest(bigint)', '', '', '', '', '', '');

CREATE FUNCTION taxshare._ledger_restoring(relid oid)
RETURNS boolean
AS 'MODULE_PATHNAME', 'ledger_restoring'
LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION taxshare._ledger_restoring(oid) IS
  '当前语句是否为向该表的 COPY FROM (即恢复转储) / whether the running statement is a COPY FROM into that table, as when a dump is restored';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_ledger_restoring(oid)', '', '', '', '', '', '');

-- Canonical texts of the subjects.  They must not depend on session settings
-- (DateStyle, TimeZone, lc_*): dates and times are formatted explicitly, and
-- jsonb renders dates in ISO 8601 whatever DateStyle says.
CREATE FUNCTION taxshare._ledger_sha256(t text)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.sha256(pg_catalog.convert_to(t, 'UTF8'))
$$;
COMMENT ON FUNCTION taxshare._ledger_sha256(text) IS
  '文本 (UTF-8) 的 SHA-256 / SHA-256 of a text in UTF-8';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_ledger_sha256(text)', '', '', '', '', '', '');

CREATE FUNCTION taxshare._ledger_utc(ts timestamptz)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
COMMENT ON FUNCTION taxshare._ledger_utc(timestamptz) IS
  '与会话时区无关的 UTC 时间文本 / ISO 8601 UTC text of a time, whatever the session time zone';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_ledger_utc(timestamptz)', '', '', '', '', '', '');

-- The one place that says what an entry records: the object text and digest
-- of a subject as the tables hold it now.  The hooks append what it returns,
-- and ledger_verify() calls it again to see whether the data still agree.
-- Unknown key: object NULL.  (plpgsql parses each branch when it first runs, so
-- a branch for a table another module has not installed costs nothing.)
CREATE FUNCTION taxshare._ledger_subject(action text, key text, OUT object text, OUT digest bytea)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text[];
  s record;
BEGIN
  CASE action
  WHEN 'catalog_define' THEN
    -- key: code@version; digest: SHA-256 of the definition document.
    k := regexp_match(key, '^(.+)@([0-9]+)$');
    SELECT format('%s@%s', i.code, i.version), taxshare._ledger_sha256(i.definition::text)
      INTO object, digest
      FROM taxshare.catalog_item i WHERE i.code = k[1] AND i.version = k[2]::integer;
  WHEN 'submission', 'supersede' THEN
    SELECT * INTO s FROM taxshare.submission x WHERE x.id = key::bigint;
    IF FOUND AND action = 'supersede' THEN
      object := format('submission %s superseded by %s', s.id, s.superseded_by);
    ELSIF FOUND THEN
      -- The item, unit, period, submitter, outcome and counts are in the text,
      -- the records in the digest (a Merkle root, docs/ledger.md).
      object := format('submission %s: item %s@%s, unit %s, period %s..%s, by %s, status %s,'
                       ' rows %s (%s accepted, %s rejected)',
                       s.id, s.item_code, s.item_version, s.unit_code,
                       to_char(s.period_start, 'YYYY-MM-DD'), to_char(s.period_end, 'YYYY-MM-DD'),
                       s.submitted_by, s.status, s.rows_total, s.rows_accepted, s.rows_rejected);
      digest := taxshare.submission_digest(s.id);
    END IF;
  WHEN 'objection_file' THEN
    SELECT format('objection %s on record %s', o.id, o.record_id),
           taxshare._ledger_sha256(jsonb_build_array(o.id, o.record_id, o.filed_by,
                                                     taxshare._ledger_utc(o.filed_at), o.reason)::text)
      INTO object, digest
      FROM taxshare.objection o WHERE o.id = key::bigint;
  WHEN 'objection_resolve' THEN
    SELECT format('objection %s resolved: %s', o.id, o.outcome),
           taxshare._ledger_sha256(jsonb_build_array(o.id, o.outcome, o.note, o.resolved_by,
                                                     taxshare._ledger_utc(o.resolved_at))::text)
      INTO object, digest
      FROM taxshare.objection o WHERE o.id = key::bigint;
  WHEN 'deduction' THEN
    SELECT format('deduction %s: unit %s, %s points (%s), item %s, period %s, %s',
                  d.id, d.unit_code, d.points, d.part, coalesce(d.item_code, '-'),
                  coalesce(to_char(d.period_start, 'YYYY-MM-DD'), '-'), d.reason),
           taxshare._ledger_sha256(jsonb_build_array(d.id, d.unit_code, d.part, d.item_code,
                                                     d.period_start, d.episode, d.event_date,
                                                     d.reason, d.points, d.source, d.detail)::text)
      INTO object, digest
      FROM taxshare.deduction_event d WHERE d.id = key::bigint;
  -- Warnings (88_warning.sql): the five steps of seeds/000 art. 19-20.  Each
  -- entry covers what its step wrote and no later step changes.
  WHEN 'warning_push' THEN
    SELECT format('warning %s pushed: unit %s, period %s, grades %s, by %s',
                  w.id, w.unit_code, to_char(w.period_start, 'YYYY-MM-DD'), array_to_string(w.grades, ','),
                  w.pushed_by),
           taxshare._ledger_sha256(jsonb_build_array(w.id, w.unit_code, w.period_start, w.title, w.grades,
                                                     taxshare._ledger_utc(w.pushed_at), w.pushed_by)::text)
      INTO object, digest
      FROM taxshare.warning w WHERE w.id = key::bigint;
  WHEN 'warning_receive' THEN
    SELECT format('warning %s received by %s', w.id, w.received_by),
           taxshare._ledger_sha256(jsonb_build_array(w.id, w.received_by,
                                                     taxshare._ledger_utc(w.received_at))::text)
      INTO object, digest
      FROM taxshare.warning w WHERE w.id = key::bigint AND w.received_at IS NOT NULL;
  WHEN 'warning_feedback' THEN
    SELECT format('warning task %s of warning %s answered: %s', t.id, t.warning_id, t.outcome),
           taxshare._ledger_sha256(jsonb_build_array(t.id, t.warning_id, t.entity_id, t.outcome, t.response_taken,
                                                     t.amount_recovered, t.referred_to, t.note, t.signed_off_by,
                                                     t.answered_by, taxshare._ledger_utc(t.answered_at))::text)
      INTO object, digest
      FROM taxshare.warning_task t WHERE t.id = key::bigint AND t.status = 'answered';
  WHEN 'warning_extend' THEN
    SELECT format('warning extension %s of warning %s: cycle %s', e.id, e.warning_id, e.cycle),
           taxshare._ledger_sha256(jsonb_build_array(e.id, e.warning_id, e.cycle, e.reason, e.requested_by,
                                                     taxshare._ledger_utc(e.requested_at))::text)
      INTO object, digest
      FROM taxshare.warning_extension e WHERE e.id = key::bigint;
  WHEN 'warning_dispute' THEN
    SELECT format('warning dispute %s on task %s to %s', x.id, x.task_id, x.escalated_to),
           taxshare._ledger_sha256(jsonb_build_array(x.id, x.task_id, x.reason, x.escalated_to, x.filed_by,
                                                     taxshare._ledger_utc(x.filed_at))::text)
      INTO object, digest
      FROM taxshare.warning_dispute x WHERE x.id = key::bigint;
  -- Reports (89_report_issue.sql, seeds/000 art. 14): the digest of an
  -- approval is the report's own SHA-256; a sending names that hash too.
  WHEN 'report_approve' THEN
    SELECT format('report %s approved: %s %s, by %s', r.id, r.period_kind, to_char(r.period_start, 'YYYY-MM-DD'),
                  r.approved_by),
           taxshare._ledger_sha256(r.html)
      INTO object, digest
      FROM taxshare.report_issue r WHERE r.id = key::bigint;
  WHEN 'report_send' THEN
    SELECT format('report distribution %s: report %s (sha256 %s) to %s, %s, by %s', d.id, r.id,
                  encode(taxshare._ledger_sha256(r.html), 'hex'), d.recipient, d.channel, d.sent_by),
           taxshare._ledger_sha256(jsonb_build_array(d.id, d.report_id, d.recipient, d.unit_code, d.channel,
                                                     d.sent_by, taxshare._ledger_utc(d.sent_at))::text)
      INTO object, digest
      FROM taxshare.report_distribution d JOIN taxshare.report_issue r ON r.id = d.report_id
     WHERE d.id = key::bigint;
  ELSE
    RAISE EXCEPTION 'unknown ledger action "%"', action
      USING ERRCODE = '22023',
            HINT = 'The actions with a subject are catalog_define, submission, supersede, objection_file, objection_resolve, deduction, warning_push, warning_receive, warning_feedback, warning_extend, warning_dispute, report_approve and report_send.';
  END CASE;
END
$$;
COMMENT ON FUNCTION taxshare._ledger_subject(text, text) IS
  '台账条目所记对象的当前文本与摘要 (记账与校验共用) / object text and digest of a ledger subject as the tables hold it now, used both to append and to verify';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_ledger_subject(text, text)', '', '', '', '', '', '');

-- The hooks.  SECURITY DEFINER: whoever submits or defines must be able to
-- append (ledger_append is granted to no one) and the digest must see every
-- record of the submission whatever row-level security the caller is under.
-- The actor recorded is the session user, which SECURITY DEFINER leaves alone.
-- TG_ARGV[0] is the action; the key is the row's id (code@version for the
-- catalog).  INSERT hooks skip a COPY into their own table (a restore: see
-- _ledger_restoring); UPDATE hooks cannot fire in a restore.
CREATE FUNCTION taxshare._ledger_hook() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  action text := TG_ARGV[0];
  key text;
  subject record;
BEGIN
  IF TG_OP = 'INSERT' AND taxshare._ledger_restoring(TG_RELID) THEN
    RETURN NULL;
  END IF;
  IF action = 'obligation_status' THEN
    -- Obligation states move on (pending -> missing -> rectified ...): each
    -- change is an entry of its own whose text says it all, and there is no
    -- lasting subject to recompute.
    PERFORM taxshare.ledger_append(action,
                                   format('obligation %s/%s/%s: %s -> %s', NEW.item_code, NEW.unit_code,
                                          to_char(NEW.period_start, 'YYYY-MM-DD'), OLD.status, NEW.status),
                                   NULL);
    RETURN NULL;
  END IF;
  IF action = 'suspicion_status' THEN
    -- The tax bureau's triage of a suspicion (74_match_rule.sql): like an
    -- obligation state, each change is an entry whose text says it all.
    PERFORM taxshare.ledger_append(action,
                                   format('suspicion %s: rule %s, entity %s, period %s: %s -> %s by %s',
                                          NEW.id, NEW.rule_code, NEW.entity_id,
                                          to_char(NEW.period_start, 'YYYY-MM-DD'), OLD.status, NEW.status,
                                          coalesce(NEW.triaged_by, '-')),
                                   NULL);
    RETURN NULL;
  END IF;
  -- Separate statements: plpgsql resolves NEW.code only where the row has it.
  IF action = 'catalog_define' THEN
    key := format('%s@%s', NEW.code, NEW.version);
  ELSE
    key := NEW.id::text;
  END IF;
  subject := taxshare._ledger_subject(action, key);
  PERFORM taxshare.ledger_append(action, subject.object, subject.digest);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare._ledger_hook() IS
  '把目录变更、报送、替代、异议、义务状态、扣分、预警各环节与疑点核实记入台账的触发器 (参数为事项) / trigger appending ledger entries for catalog versions, submissions, supersessions, objections, obligation states, deductions, warning steps and suspicion triage (argument: the action)';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_ledger_hook()', '', '', '', '', '', '');

CREATE TRIGGER ledger_catalog_define AFTER INSERT ON taxshare.catalog_item
  FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('catalog_define');
CREATE TRIGGER ledger_submission AFTER UPDATE OF status ON taxshare.submission
  FOR EACH ROW WHEN (OLD.status = 'loading' AND NEW.status <> 'loading')
  EXECUTE FUNCTION taxshare._ledger_hook('submission');
CREATE TRIGGER ledger_supersede AFTER UPDATE OF superseded_by ON taxshare.submission
  FOR EACH ROW WHEN (NEW.superseded_by IS NOT NULL AND OLD.superseded_by IS DISTINCT FROM NEW.superseded_by)
  EXECUTE FUNCTION taxshare._ledger_hook('supersede');

-- Tables of other modules, hooked when they are installed (this file is
-- assembled after theirs).
DO $$
BEGIN
  IF pg_catalog.to_regclass('taxshare.objection') IS NOT NULL THEN
    CREATE TRIGGER ledger_objection_file AFTER INSERT ON taxshare.objection
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('objection_file');
    CREATE TRIGGER ledger_objection_resolve AFTER UPDATE OF status ON taxshare.objection
      FOR EACH ROW WHEN (OLD.status = 'open' AND NEW.status = 'resolved')
      EXECUTE FUNCTION taxshare._ledger_hook('objection_resolve');
  END IF;
  IF pg_catalog.to_regclass('taxshare.obligation') IS NOT NULL THEN
    CREATE TRIGGER ledger_obligation_status AFTER UPDATE OF status ON taxshare.obligation
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION taxshare._ledger_hook('obligation_status');
  END IF;
  IF pg_catalog.to_regclass('taxshare.deduction_event') IS NOT NULL THEN
    CREATE TRIGGER ledger_deduction AFTER INSERT ON taxshare.deduction_event
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('deduction');
  END IF;
  -- Warnings: push, receive, feedback, extension, dispute (88_warning.sql).
  -- The push entry covers the warning row; its tasks are inserted after it
  -- and are covered by their feedback entries.
  IF pg_catalog.to_regclass('taxshare.warning') IS NOT NULL THEN
    CREATE TRIGGER ledger_warning_push AFTER INSERT ON taxshare.warning
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('warning_push');
    CREATE TRIGGER ledger_warning_receive AFTER UPDATE OF received_at ON taxshare.warning
      FOR EACH ROW WHEN (OLD.received_at IS NULL AND NEW.received_at IS NOT NULL)
      EXECUTE FUNCTION taxshare._ledger_hook('warning_receive');
    CREATE TRIGGER ledger_warning_feedback AFTER UPDATE OF status ON taxshare.warning_task
      FOR EACH ROW WHEN (OLD.status = 'open' AND NEW.status = 'answered')
      EXECUTE FUNCTION taxshare._ledger_hook('warning_feedback');
    CREATE TRIGGER ledger_warning_extend AFTER INSERT ON taxshare.warning_extension
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('warning_extend');
    CREATE TRIGGER ledger_warning_dispute AFTER INSERT ON taxshare.warning_dispute
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('warning_dispute');
  END IF;
  -- Reports approved and sent (89_report_issue.sql).
  IF pg_catalog.to_regclass('taxshare.report_issue') IS NOT NULL THEN
    CREATE TRIGGER ledger_report_approve AFTER INSERT ON taxshare.report_issue
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('report_approve');
    CREATE TRIGGER ledger_report_send AFTER INSERT ON taxshare.report_distribution
      FOR EACH ROW EXECUTE FUNCTION taxshare._ledger_hook('report_send');
  END IF;
  IF pg_catalog.to_regclass('taxshare.suspicion') IS NOT NULL THEN
    CREATE TRIGGER ledger_suspicion_status AFTER UPDATE OF status ON taxshare.suspicion
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION taxshare._ledger_hook('suspicion_status');
  END IF;
END
$$;

-- What ledger_verify() asks of each entry: does its subject, as the tables
-- hold it now, still give the entry's object and digest?  NULL when it does or
-- when the action has no lasting subject (obligation_status, suspicion_status,
-- and actions of later versions); else the problem.  The key is the start of the object text.
CREATE FUNCTION taxshare._ledger_check(action text, object text, digest bytea)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  key text;
  name text;
  cur record;
BEGIN
  CASE action
  WHEN 'catalog_define' THEN
    key := substring(object FROM '^(.+@[0-9]+)$');
    name := 'catalog item ' || key;
  WHEN 'submission', 'supersede' THEN
    key := substring(object FROM '^submission ([0-9]+)[: ]');
    name := 'submission ' || key;
  WHEN 'objection_file', 'objection_resolve' THEN
    key := substring(object FROM '^objection ([0-9]+) ');
    name := 'objection ' || key;
  WHEN 'deduction' THEN
    key := substring(object FROM '^deduction ([0-9]+):');
    name := 'deduction ' || key;
  WHEN 'warning_push', 'warning_receive' THEN
    key := substring(object FROM '^warning ([0-9]+) ');
    name := 'warning ' || key;
  WHEN 'warning_feedback' THEN
    key := substring(object FROM '^warning task ([0-9]+) ');
    name := 'warning task ' || key;
  WHEN 'warning_extend' THEN
    key := substring(object FROM '^warning extension ([0-9]+) ');
    name := 'warning extension ' || key;
  WHEN 'warning_dispute' THEN
    key := substring(object FROM '^warning dispute ([0-9]+) ');
    name := 'warning dispute ' || key;
  WHEN 'report_approve' THEN
    key := substring(object FROM '^report ([0-9]+) ');
    name := 'report ' || key;
  WHEN 'report_send' THEN
    key := substring(object FROM '^report distribution ([0-9]+):');
    name := 'report distribution ' || key;
  ELSE
    RETURN NULL;
  END CASE;
  IF key IS NULL THEN
    RETURN format('malformed object "%s"', object);
  END IF;
  cur := taxshare._ledger_subject(action, key);
  IF cur.object IS NULL THEN
    RETURN format('%s is missing', name);
  ELSIF cur.object <> object THEN
    RETURN format('%s changed: now "%s"', name, cur.object);
  ELSIF cur.digest IS DISTINCT FROM digest THEN
    RETURN format(CASE action WHEN 'submission' THEN '%s records changed: digest mismatch'
                              WHEN 'catalog_define' THEN '%s changed: definition digest mismatch'
                              ELSE '%s changed: digest mismatch' END, name);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare._ledger_check(text, text, bytea) IS
  '复核台账条目所记对象是否仍与记账时一致, 一致返回 NULL / recompute the subject of a ledger entry: NULL when it still matches, else the problem';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_ledger_check(text, text, bytea)', '', '', '', '', '', '');

CREATE FUNCTION taxshare.ledger_verify(digest_seq bigint DEFAULT NULL, digest_hash text DEFAULT NULL,
                                       OUT ok boolean, OUT verified bigint, OUT seq bigint,
                                       OUT problem text)
RETURNS record
AS 'MODULE_PATHNAME', 'ledger_verify'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp;
COMMENT ON FUNCTION taxshare.ledger_verify(bigint, text) IS
  '校验整条哈希链及各条目对应的数据 (可附外部保存的摘要), 返回第一个有问题的条目 / verify the whole hash chain and every entry''s data (optionally against a digest kept outside), reporting the first broken entry';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'ledger_verify(bigint, text)', 'X', '', '', '', 'X', '');

CREATE FUNCTION taxshare.ledger_digest()
RETURNS TABLE (seq bigint, hash text, at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT l.seq, encode(l.hash, 'hex'), l.at
    FROM taxshare.ledger l
   ORDER BY l.seq DESC
   LIMIT 1
$$;
COMMENT ON FUNCTION taxshare.ledger_digest() IS
  '台账链头 (序号、哈希、时间), 供保存在数据库之外 / the head of the ledger (seq, hash, time), to keep outside the database';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'ledger_digest()', 'X', '', '', '', 'X', '');
