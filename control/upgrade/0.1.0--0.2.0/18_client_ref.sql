-- #17: an idempotent retry.  After a kill or a broken connection a client
-- cannot tell whether its submit() committed, and a second call superseded
-- the first.  submit() takes the client's reference of the batch
-- (client_ref): a retry under the same reference returns the submission
-- already made, and the same reference with another period or other content
-- is refused.  The signature gains an argument, so the function is replaced
-- (with its plan row); the library's submit() still serves 0.1.0's six
-- arguments between a package upgrade and this update.
ALTER TABLE taxshare.submission
  ADD COLUMN client_ref    text,
  ADD COLUMN client_digest bytea;
CREATE UNIQUE INDEX submission_client_ref ON taxshare.submission (unit_code, item_code, client_ref)
  WHERE client_ref IS NOT NULL;
COMMENT ON COLUMN taxshare.submission.client_ref IS
  '报送方给本批次的编号 (如有): 以同一编号重试时返回本批次而不重复接收 / the client''s reference of the batch, if given: a retry under the same reference returns this submission instead of loading again';
COMMENT ON COLUMN taxshare.submission.client_digest IS
  '随编号收到的内容的 SHA-256, 用于识别同一编号的不同内容 / SHA-256 of what came with the reference, to tell a retry from other content under the same reference';
DELETE FROM taxshare.privilege_plan WHERE kind = 'function' AND object = 'submit(text, text, date, jsonb, timestamp with time zone, text)';
DROP FUNCTION taxshare.submit(text, text, date, jsonb, timestamptz, text);
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
SELECT taxshare._privileges_apply();
