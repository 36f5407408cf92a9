-- What later modules and the units' liaisons read of the intake: the current
-- accepted records, the parties of each record, and a report per submission.

CREATE VIEW taxshare.current_record AS
  SELECT r.id, r.submission_id, r.row_no, s.item_code, s.item_version, s.unit_code,
         s.period_start, s.period_end, r.payload, r.uscc, r.idcard, r.orgcode
    FROM taxshare.record r
    JOIN taxshare.submission s
      ON s.id = r.submission_id
     AND r.id >= s.id << 32 AND r.id < (s.id + 1) << 32	-- lets the planner use record's key
   WHERE r.status = 'accepted'
     AND s.superseded_by IS NULL
     AND s.status <> 'loading';
COMMENT ON VIEW taxshare.current_record IS
  '现行有效的已通过记录 (未被整改重报替代) / accepted records of current submissions (not superseded by a resubmission)';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'current_record', 'r', 'r', 'r', '', '', '');

-- One row per party of each current record, as the catalog's "parties" name them.
CREATE VIEW taxshare.record_party_key AS
  SELECT c.id AS record_id, c.item_code, c.unit_code, c.period_start, p.role,
         c.payload ->> p.uscc_field AS uscc,
         c.payload ->> p.idcard_field AS idcard,
         c.payload ->> p.orgcode_field AS orgcode,
         c.payload ->> p.name_field AS name,
         taxshare.normalize_name(c.payload ->> p.name_field) AS name_normalized
    FROM taxshare.current_record c
    JOIN taxshare.catalog_party p ON p.item_code = c.item_code AND p.item_version = c.item_version
   WHERE c.payload ?| ARRAY[p.uscc_field, p.idcard_field, p.orgcode_field, p.name_field];
COMMENT ON VIEW taxshare.record_party_key IS
  '现行记录中的各当事方及其标识, 供比对使用 / the parties of current records with their identifiers, for the matcher';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'record_party_key', 'r', 'r', 'r', '', '', '');

CREATE VIEW taxshare.submission_report AS
  SELECT s.id AS submission_id, s.item_code, s.item_version, s.unit_code, s.period_start,
         s.channel, s.received_at, s.status, s.superseded_by IS NULL AS current,
         s.rows_total, s.rows_accepted, s.rows_rejected,
         e.severity, e.code, e.field, e.rows, e.first_rows, e.example
    FROM taxshare.submission s
    LEFT JOIN LATERAL (
      SELECT 'error'::text AS severity, re.code, re.field, count(DISTINCT re.row_no) AS rows,
             (array_agg(DISTINCT re.row_no ORDER BY re.row_no))[1:10] AS first_rows,
             (array_agg(re.message ORDER BY re.row_no))[1] AS example
        FROM taxshare.record_error re
       WHERE re.submission_id = s.id
       GROUP BY re.code, re.field
      UNION ALL
      SELECT 'ignored', 'unknown_field', u.key, u.value::bigint, NULL::integer[],
             NULL::text
        FROM jsonb_each_text(s.unknown_fields) u
    ) e ON true;
COMMENT ON VIEW taxshare.submission_report IS
  '报送批次问题汇总: 按错误代码和字段计数, 供信息联络员整改 / per submission: rows by error code and field, for the unit''s liaison to correct';
COMMENT ON COLUMN taxshare.submission_report.severity IS
  'error 行被退回; ignored 目录外的键被忽略 / error: rows rejected; ignored: keys outside the catalog were dropped';
COMMENT ON COLUMN taxshare.submission_report.rows IS
  '涉及行数 / number of rows with this problem';
COMMENT ON COLUMN taxshare.submission_report.first_rows IS
  '前 10 个行号 (从 1 起) / the first ten row numbers (1-based)';
COMMENT ON COLUMN taxshare.submission_report.example IS
  '第一条错误说明 / message of the first such error';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'submission_report', 'r', 'r', 'r', 'r', 'r', 'r');
