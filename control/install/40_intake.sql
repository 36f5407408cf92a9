-- Intake: submissions, their records and record errors, submit() and the inbox
-- (docs/intake.md).  The C code in src/intake_*.c writes these tables.

CREATE TABLE taxshare.submission (
  id                    bigserial PRIMARY KEY,
  item_code             text NOT NULL,
  item_version          integer NOT NULL,
  unit_code             text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  period_start          date NOT NULL,
  period_end            date NOT NULL,
  channel               text NOT NULL CHECK (channel IN ('api', 'inbox', 'xlsx', 'xml', 'csv')),
  received_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  received_at_exchange  timestamptz,
  finished_at           timestamptz,
  submitted_by          text NOT NULL DEFAULT session_user,
  language              text NOT NULL CHECK (language IN ('zh', 'en')),
  status                text NOT NULL DEFAULT 'loading'
                        CHECK (status IN ('loading', 'accepted', 'accepted_with_errors', 'rejected')),
  additive              boolean NOT NULL DEFAULT false,
  superseded_by         bigint REFERENCES taxshare.submission (id),
  rows_total            bigint NOT NULL DEFAULT 0,
  rows_accepted         bigint NOT NULL DEFAULT 0,
  rows_rejected         bigint NOT NULL DEFAULT 0,
  errors                bigint NOT NULL DEFAULT 0,
  unknown_fields        jsonb NOT NULL DEFAULT '{}',
  FOREIGN KEY (item_code, item_version) REFERENCES taxshare.catalog_item (code, version),
  client_ref            text,
  client_digest         bytea
);
CREATE INDEX submission_key ON taxshare.submission (item_code, unit_code, period_start);
-- A client's reference names one batch of a unit and item (a retry returns it).
CREATE UNIQUE INDEX submission_client_ref ON taxshare.submission (unit_code, item_code, client_ref)
  WHERE client_ref IS NOT NULL;
-- At most one current submission per item, unit and period (additive items excepted).
CREATE UNIQUE INDEX submission_current ON taxshare.submission (item_code, unit_code, period_start)
  WHERE superseded_by IS NULL AND status <> 'loading' AND NOT additive;
COMMENT ON TABLE taxshare.submission IS
  '报送批次: 一次 submit() 调用或一条 COPY/INSERT 语句 / submissions: one submit() call or one COPY/INSERT statement into the inbox';
COMMENT ON COLUMN taxshare.submission.item_version IS
  '校验所用的目录版本 / catalog item version the rows were checked against';
COMMENT ON COLUMN taxshare.submission.period_start IS
  '报送期起始日 / first day of the reporting period';
COMMENT ON COLUMN taxshare.submission.received_at IS
  '平台接收时间 / when the platform received the batch';
COMMENT ON COLUMN taxshare.submission.received_at_exchange IS
  '交换平台接收时间 (如有) / when the exchange platform received it, if given';
COMMENT ON COLUMN taxshare.submission.submitted_by IS
  '报送人: 调用 submit() 或写入收件箱的角色 (会话用户, 或 SET ROLE 切换后的角色) / who submitted: the role that called submit() or wrote to the inbox (the session user, or the role set with SET ROLE)';
COMMENT ON COLUMN taxshare.submission.status IS
  'accepted 全部通过, accepted_with_errors 部分退回, rejected 全部退回 / outcome of the validation';
COMMENT ON COLUMN taxshare.submission.additive IS
  '实时、临时条目的批次相互补充而不替代 / realtime and adhoc submissions add up instead of replacing each other';
COMMENT ON COLUMN taxshare.submission.superseded_by IS
  '替代本批次的后续报送 (整改重报) / the later submission that replaced this one (rectification)';
COMMENT ON COLUMN taxshare.submission.unknown_fields IS
  '目录中没有的键及其出现次数 (已忽略) / keys that are not fields of the item, with counts (ignored)';
COMMENT ON COLUMN taxshare.submission.client_ref IS
  '报送方给本批次的编号 (如有): 以同一编号重试时返回本批次而不重复接收 / the client''s reference of the batch, if given: a retry under the same reference returns this submission instead of loading again';
COMMENT ON COLUMN taxshare.submission.client_digest IS
  '随编号收到的内容的 SHA-256, 用于识别同一编号的不同内容 / SHA-256 of what came with the reference, to tell a retry from other content under the same reference';
SELECT pg_catalog.pg_extension_config_dump('taxshare.submission', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.submission_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'submission', 'r', 'r', 'r', 'r', 'r', 'r');

-- id = (submission_id << 32) + row_no: no sequence per row, and the primary key
-- alone finds a record and the records of a submission (an id range).  No
-- foreign key to submission: the C intake writes both, and a per-row foreign-key
-- check would cost as much as the validation (docs/performance.md).
CREATE TABLE taxshare.record (
  id             bigint PRIMARY KEY CHECK (id = (submission_id << 32) + row_no),
  submission_id  bigint NOT NULL,
  row_no         integer NOT NULL,
  status         text NOT NULL CHECK (status IN ('accepted', 'rejected')),
  payload        jsonb,
  raw            jsonb,
  uscc           text[],
  idcard         text[],
  orgcode        text[]
);
-- One GIN index over the three identifier arrays: "records about this
-- taxpayer" (uscc @> ARRAY[...]) is an index scan; half the cost of three.
-- Partial: rejected rows and rows of items without identifier fields have no
-- arrays, and a multicolumn GIN index would still insert a NULL entry per
-- column for each of them.  @> and && imply the predicate (they are strict),
-- so the planner uses the index for them as before.
CREATE INDEX record_idents ON taxshare.record USING gin (uscc, idcard, orgcode)
  WHERE uscc IS NOT NULL OR idcard IS NOT NULL OR orgcode IS NOT NULL;
COMMENT ON TABLE taxshare.record IS
  '报送的每一行, 含被退回的行 / every reported row, rejected ones included';
COMMENT ON COLUMN taxshare.record.id IS
  '记录编号 = 批次号 × 2^32 + 行号 / record id = submission id * 2^32 + row number';
COMMENT ON COLUMN taxshare.record.row_no IS
  '在批次中的位置 (从 1 起) / 1-based position in the batch';
COMMENT ON COLUMN taxshare.record.payload IS
  '规范化后的类型化值 / normalised, typed values of the fields that parsed';
COMMENT ON COLUMN taxshare.record.raw IS
  '被退回行的原始内容 / the row as sent, kept for rejected rows only';
COMMENT ON COLUMN taxshare.record.uscc IS
  '本行的统一社会信用代码 (已通过行) / unified social credit codes of the row (accepted rows)';
COMMENT ON COLUMN taxshare.record.idcard IS
  '本行的居民身份证号码 (18 位) / resident identity numbers of the row, 18-character form';
COMMENT ON COLUMN taxshare.record.orgcode IS
  '本行的组织机构代码 / organization codes of the row';
SELECT pg_catalog.pg_extension_config_dump('taxshare.record', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'record', 'r', 'r', 'r', '', '', '');

CREATE TABLE taxshare.record_error (
  submission_id  bigint NOT NULL,
  row_no         integer NOT NULL,
  field          text,
  code           text NOT NULL,
  message        text NOT NULL
);
CREATE INDEX record_error_submission ON taxshare.record_error (submission_id, row_no);
COMMENT ON TABLE taxshare.record_error IS
  '被退回行的错误 / errors of the rejected rows';
COMMENT ON COLUMN taxshare.record_error.field IS
  '字段名, 跨字段规则为空 / field name, NULL for a row-level rule';
COMMENT ON COLUMN taxshare.record_error.code IS
  '稳定的错误代码, 见 docs/catalog.md / stable error code word, see docs/catalog.md';
COMMENT ON COLUMN taxshare.record_error.message IS
  '按 taxshare.language 的中文或英文说明 / message in Chinese or English per taxshare.language';
SELECT pg_catalog.pg_extension_config_dump('taxshare.record_error', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'record_error', 'r', '', '', 'r', '', '');

-- submit() and the inbox statement trigger are SECURITY DEFINER, and the inbox
-- row trigger switches to its owner for every step that touches a table (see
-- inbox_row below): they write submission, record and record_error as the
-- extension owner, which no row-level security policy applies to, so records
-- always take the table_multi_insert path (the policies' per-row checks cost
-- more than the validation).  In exchange the C code checks the caller once
-- per load (taxshare._may_submit_for() of 95_security.sql: the outer user --
-- session user or SET ROLE -- must be a member of the unit, the office or the
-- exchange platform; else 42501) and records that caller as submitted_by.  No
-- role may write the three tables directly (their privilege_plan rows), so
-- validation cannot be bypassed.
CREATE FUNCTION taxshare.submit(item text, unit text, period_start date, rows jsonb,
                                received_at_exchange timestamptz DEFAULT NULL,
                                channel text DEFAULT 'api', client_ref text DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'submit'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp;
COMMENT ON FUNCTION taxshare.submit(text, text, date, jsonb, timestamptz, text, text) IS
  '按共享目录校验并接收一批数据 (JSON 对象数组), 返回报送批次号; 调用者须为该单位成员、市财源办或交换平台; 带 client_ref 重试时返回已收的批次而不重复接收 / validate a batch (a JSON array of objects) against the catalog and record it; returns the submission id; the caller must be a member of the unit, the office or the exchange platform; a retry with the same client_ref returns the submission already made instead of loading again';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'submit(text, text, date, jsonb, timestamptz, text, text)', 'X', '', '', 'X', '', 'X');

-- The inbox keeps nothing: its trigger validates each row into a submission.
CREATE TABLE taxshare.inbox (
  item                  text,
  unit                  text,
  period_start          date,
  payload               jsonb,
  received_at_exchange  timestamptz,
  channel               text DEFAULT 'inbox'
);
COMMENT ON TABLE taxshare.inbox IS
  '批量接收入口: COPY/INSERT 到此表的行经触发器校验后写入 submission/record, 本表始终为空 / bulk intake: rows COPYed or INSERTed here are validated by a trigger into submission/record; the table stays empty';
-- The submitting roles load through the inbox; its trigger checks the unit.
INSERT INTO taxshare.privilege_plan VALUES ('table', 'inbox', 'a', '', '', 'a', '', 'a');

-- The row trigger is not SECURITY DEFINER: a definer function with a SET clause
-- saves and restores search_path on every call, some 8 % of a COPY.  Per row it
-- only reads the row and validates it in memory (no SQL, no table) as the
-- caller; the C code becomes the function's owner with search_path pinned to
-- pg_catalog, taxshare, pg_temp for each step that runs SQL or touches a table:
-- opening a load (the caller check), writing each chunk of 128 records, and
-- finishing (src/intake/intake_owner.c, docs/security.md).
CREATE FUNCTION taxshare.inbox_row() RETURNS trigger
  AS 'MODULE_PATHNAME', 'inbox_row' LANGUAGE C;
COMMENT ON FUNCTION taxshare.inbox_row() IS
  '收件箱逐行校验触发器 / inbox trigger validating each row';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'inbox_row()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE FUNCTION taxshare.inbox_finish() RETURNS trigger
  AS 'MODULE_PATHNAME', 'inbox_finish' LANGUAGE C SECURITY DEFINER
  SET search_path = pg_catalog, taxshare, pg_temp;
COMMENT ON FUNCTION taxshare.inbox_finish() IS
  '收件箱语句结束触发器, 完成本语句的报送批次 / inbox statement trigger closing the submissions of the statement';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'inbox_finish()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE TRIGGER inbox_validate BEFORE INSERT ON taxshare.inbox
  FOR EACH ROW EXECUTE FUNCTION taxshare.inbox_row();
CREATE TRIGGER inbox_finish AFTER INSERT ON taxshare.inbox
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare.inbox_finish();
