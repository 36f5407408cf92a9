-- #15: files in.  Workbooks (.xlsx) and CSV files become submissions through
-- the same load as submit() (src/formats/, docs/exchange.md); errors name the
-- file's cell; the file itself is kept.

ALTER TABLE taxshare.record_error ADD COLUMN cell text;
COMMENT ON COLUMN taxshare.record_error.cell IS
  '文件报送时出错的单元格 (如 D12; 行为文件中的行), JSON 报送为空 / the cell of the uploaded file (e.g. D12, the file''s own row), NULL for JSON';

CREATE TABLE taxshare.submission_file (
  submission_id  bigint PRIMARY KEY REFERENCES taxshare.submission (id),
  channel        text NOT NULL CHECK (channel IN ('xlsx', 'csv', 'xml')),
  content        bytea NOT NULL,
  sha256         bytea NOT NULL,
  size           bigint NOT NULL
);
COMMENT ON TABLE taxshare.submission_file IS
  '以文件报送的批次所上传的原文件, 原样保存 / the file of a submission made by upload, kept as sent';
COMMENT ON COLUMN taxshare.submission_file.submission_id IS
  '报送批次号 / the submission';
COMMENT ON COLUMN taxshare.submission_file.channel IS
  '文件类型: xlsx, csv 或 xml / the file''s kind: xlsx, csv or xml';
COMMENT ON COLUMN taxshare.submission_file.content IS
  '上传的原始字节 / the bytes as uploaded';
COMMENT ON COLUMN taxshare.submission_file.sha256 IS
  '原文件的 SHA-256 摘要 / SHA-256 digest of the bytes';
COMMENT ON COLUMN taxshare.submission_file.size IS
  '字节数 / size in bytes';
SELECT pg_catalog.pg_extension_config_dump('taxshare.submission_file', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'submission_file', 'r', '', '', 'r', '', '');
-- Row-level security: 95_security.sql, beside record_error's (the roles exist from there on).

-- SECURITY DEFINER like submit(): the load checks the caller once
-- (taxshare._may_submit_for()) and writes as the extension owner.
CREATE FUNCTION taxshare.submit_xlsx(item_code text, unit text, period_start date, workbook bytea,
                                     client_ref text DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'submit_xlsx'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp;
COMMENT ON FUNCTION taxshare.submit_xlsx(text, text, date, bytea, text) IS
  '接收一个 Excel 工作簿 (.xlsx): 首行为字段标题或字段名, 每行按共享目录校验, 错误注明单元格; 返回报送批次号 / accept an Excel workbook (.xlsx): the first row holds the fields'' titles or names, each row is checked against the catalog as submit() checks it, errors name their cell; returns the submission id; a retry with the same client_ref returns the submission already made';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'submit_xlsx(text, text, date, bytea, text)', 'X', '', '', 'X', '', 'X');

CREATE FUNCTION taxshare.submit_csv(item_code text, unit text, period_start date, data bytea,
                                    encoding text DEFAULT NULL, client_ref text DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'submit_csv'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp;
COMMENT ON FUNCTION taxshare.submit_csv(text, text, date, bytea, text, text) IS
  '接收一个 CSV 文件 (UTF-8 或 GBK/GB18030, 不指定编码时自动识别): 首行为字段标题或字段名; 返回报送批次号 / accept a CSV file (UTF-8 or GBK/GB18030, detected when encoding is NULL): the first line holds the fields'' titles or names; returns the submission id; a retry with the same client_ref returns the submission already made';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'submit_csv(text, text, date, bytea, text, text)', 'X', '', '', 'X', '', 'X');

-- The liaison's workbook given back with its faulty cells marked.  SECURITY
-- INVOKER: the caller reads submission_file and record_error under their
-- row-level security, so a unit gets its own submissions only.
CREATE FUNCTION taxshare.error_xlsx(submission_id bigint)
RETURNS bytea
AS 'MODULE_PATHNAME', 'error_xlsx'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, taxshare, pg_temp;
COMMENT ON FUNCTION taxshare.error_xlsx(bigint) IS
  '退回报送单位上传的工作簿: 出错的单元格标红并以批注写明错误, 另附错误清单工作表 / the workbook a unit uploaded, given back with every faulty cell filled red and its message as a comment, and a sheet listing the errors';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'error_xlsx(bigint)', 'X', '', '', 'X', '', '');
