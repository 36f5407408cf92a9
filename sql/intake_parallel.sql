-- intake_parallel: a submit() of at least taxshare.parallel_intake_min_rows
-- rows is checked by a parallel worker while the backend writes it; what it
-- stores must be exactly what the same batch checked in the backend stores:
-- records, errors (every kind, in order), counts, unknown keys, the ledger.
-- Codes start with TP_ / TP-.
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';
SET timezone = 'Asia/Shanghai';
\set SHOW_CONTEXT never
SET taxshare.language = zh;

INSERT INTO taxshare.unit (code, name, kind) VALUES ('TP_ZJJ', '衡阳市住房和城乡建设局', 'department');

-- How two submissions of the same rows differ: records by row number (status,
-- payload, raw row, identifiers), errors as a multiset (row, field, code, message).
CREATE FUNCTION pg_temp.tp_differ(a bigint, b bigint, OUT records bigint, OUT records_differ bigint,
                                  OUT errors bigint, OUT errors_differ bigint)
LANGUAGE sql AS $$
  SELECT (SELECT count(*) FROM taxshare.record WHERE submission_id = a),
         (SELECT count(*)
            FROM (SELECT * FROM taxshare.record WHERE submission_id = a) x
            FULL JOIN (SELECT * FROM taxshare.record WHERE submission_id = b) y USING (row_no)
           WHERE (x.status, x.payload, x.raw, x.uscc, x.idcard, x.orgcode)
                 IS DISTINCT FROM (y.status, y.payload, y.raw, y.uscc, y.idcard, y.orgcode)),
         (SELECT count(*) FROM taxshare.record_error WHERE submission_id = a),
         (SELECT count(*) FROM (SELECT row_no, field, code, message FROM taxshare.record_error WHERE submission_id = a
                                EXCEPT ALL
                                SELECT row_no, field, code, message FROM taxshare.record_error WHERE submission_id = b) d)
         + (SELECT count(*) FROM (SELECT row_no, field, code, message FROM taxshare.record_error WHERE submission_id = b
                                  EXCEPT ALL
                                  SELECT row_no, field, code, message FROM taxshare.record_error WHERE submission_id = a) d)
$$;

SELECT taxshare.catalog_define($${
  "code": "TP-SPF", "title": "商品房网签备案 (并行校验)", "provider": "TP_ZJJ", "frequency": "monthly",
  "schema": {"fields": [
      {"name": "contract_no", "title": "合同编号", "type": "string", "constraints": {"pattern": "HT[0-9]+"}},
      {"name": "serial", "title": "备案序号", "type": "integer", "constraints": {"unique": true}},
      {"name": "seller_uscc", "title": "出卖人统一社会信用代码", "type": "uscc"},
      {"name": "seller_name", "title": "出卖人名称", "type": "string", "constraints": {"maxLength": 20}},
      {"name": "buyer_type", "title": "买受人类型", "type": "string", "constraints": {"enum": ["个人", "单位"]}},
      {"name": "buyer_idcard", "title": "买受人身份证号码", "type": "idcard"},
      {"name": "buyer_birth", "title": "买受人出生日期", "type": "date"},
      {"name": "agent_orgcode", "title": "经纪机构代码", "type": "orgcode"},
      {"name": "price", "title": "成交金额", "type": "amount", "constraints": {"minimum": 0}},
      {"name": "tax", "title": "税额", "type": "amount"},
      {"name": "net", "title": "不含税金额", "type": "amount"},
      {"name": "area", "title": "面积", "type": "number", "constraints": {"minimum": 1, "maximum": 10000}},
      {"name": "sign_date", "title": "签约日期", "type": "date", "constraints": {"required": true}},
      {"name": "record_date", "title": "备案日期", "type": "date"},
      {"name": "district", "title": "行政区划", "type": "division"},
      {"name": "phone", "title": "联系电话", "type": "phone"},
      {"name": "first_home", "title": "首套", "type": "boolean"}],
    "primaryKey": ["contract_no"]},
  "rules": [
    {"rule": "lte", "fields": ["sign_date", "record_date"]},
    {"rule": "idcard_birthdate", "fields": ["buyer_idcard", "buyer_birth"]},
    {"rule": "sum", "fields": ["tax", "net"], "total": "price", "tolerance": 0.01},
    {"rule": "required_if", "fields": ["buyer_idcard"], "when": "buyer_type", "in": ["个人"]}]}$$) AS version;

-- 3000 rows as departments write them, one in three with a mistake of some
-- kind, duplicates of the unique and primary-key fields far apart (one side in
-- the first chunk, the other in a later one), keys that are not fields, and
-- elements that are not objects.
CREATE TEMP TABLE tp_batch AS
SELECT jsonb_agg(elem ORDER BY i) AS doc FROM (
  SELECT i, CASE
      WHEN i % 500 = 7 THEN to_jsonb('not a row'::text)
      WHEN i % 500 = 8 THEN '[1, 2]'::jsonb
      WHEN i % 500 = 9 THEN 'null'::jsonb
      WHEN i % 500 = 10 THEN '42'::jsonb
      ELSE jsonb_strip_nulls(jsonb_build_object(
        'contract_no', CASE WHEN i % 97 = 0 THEN 'HT1' WHEN i % 89 = 0 THEN 'XX' || i ELSE 'HT' || i END,
        'serial', CASE WHEN i % 83 = 0 THEN '5' WHEN i % 79 = 0 THEN 'abc' ELSE i::text END,
        'seller_uscc', CASE WHEN i % 71 = 0 THEN '91350100M000100Y44' WHEN i % 3 = 0 THEN lower('91350100M000100Y43')
                            ELSE '91350100M000100Y43' END,
        'seller_name', CASE WHEN i % 67 = 0 THEN repeat('长', 21) ELSE ' 衡阳华湘置业有限公司 ' END,
        'buyer_type', CASE WHEN i % 61 = 0 THEN '其他' WHEN i % 2 = 0 THEN '个人' ELSE '单位' END,
        'buyer_idcard', CASE WHEN i % 59 = 0 THEN NULL WHEN i % 53 = 0 THEN '110105194912310021'
                             ELSE '11010519491231002x' END,
        'buyer_birth', CASE WHEN i % 47 = 0 THEN '1950-01-01' ELSE '1949年12月31日' END,
        'agent_orgcode', CASE WHEN i % 43 = 0 THEN 'M000100Y5' ELSE 'm000100y-4' END,
        'price', CASE WHEN i % 41 = 0 THEN '-1' WHEN i % 37 = 0 THEN '1,000.00' ELSE '1,100.50' END,
        'tax', 100.5, 'net', '1000',
        'area', CASE WHEN i % 31 = 0 THEN '0.5' ELSE (50 + i % 100)::text END,
        'sign_date', CASE WHEN i % 29 = 0 THEN '' WHEN i % 4 = 0 THEN '2024/3/5' ELSE '20240305' END,
        'record_date', CASE WHEN i % 23 = 0 THEN '2024-03-01' ELSE '2024-03-08' END,
        'district', CASE WHEN i % 19 = 0 THEN '439999' ELSE '430405' END,
        'phone', CASE WHEN i % 17 = 0 THEN '12345' ELSE '0734-8888888' END,
        'first_home', CASE WHEN i % 13 = 0 THEN 'maybe' ELSE 'true' END,
        'note', CASE WHEN i % 11 = 0 THEN 'x' END,
        'remark', CASE WHEN i % 101 = 0 THEN 'y' END))
    END AS elem
  FROM generate_series(1, 3000) i) g;

-- The same batch checked in the backend and by a worker.
SET taxshare.parallel_intake_min_rows = -1;
SELECT taxshare.submit('TP-SPF', 'TP_ZJJ', '2024-03-01', doc) AS s_serial FROM tp_batch \gset
SET taxshare.parallel_intake_min_rows = 1000;
SET client_min_messages = debug1;
SELECT taxshare.submit('TP-SPF', 'TP_ZJJ', '2024-04-01', doc) AS s_parallel FROM tp_batch \gset
SET client_min_messages = warning;

SELECT id = :s_serial AS serial, status, rows_total, rows_accepted, rows_rejected, errors, unknown_fields
  FROM taxshare.submission WHERE id IN (:s_serial, :s_parallel) ORDER BY id;
-- the same records and errors
SELECT * FROM pg_temp.tp_differ(:s_serial, :s_parallel);
-- every kind of mistake the batch holds went through the worker
SELECT code, count(*) FROM taxshare.record_error WHERE submission_id = :s_parallel GROUP BY code ORDER BY code;
SELECT row_no, field, code, message FROM taxshare.record_error
 WHERE submission_id = :s_parallel AND code IN ('unique', 'primary_key', 'row') ORDER BY row_no LIMIT 6;
-- what a reader sees: the identifier index finds the worker's records
SET enable_seqscan = off;
SELECT count(*) FROM taxshare.record
 WHERE submission_id = :s_parallel AND uscc @> ARRAY['91350100M000100Y43'];
RESET enable_seqscan;
SELECT ok, problem FROM taxshare.ledger_verify();

-- No worker to be had: the batch is checked in the backend, with the same result.
SET max_parallel_workers = 0;
SET client_min_messages = debug1;
SELECT taxshare.submit('TP-SPF', 'TP_ZJJ', '2024-05-01', doc) AS s_fallback FROM tp_batch \gset
SET client_min_messages = warning;
RESET max_parallel_workers;
SELECT rows_total, rows_accepted, rows_rejected, errors, unknown_fields
  FROM taxshare.submission WHERE id = :s_fallback;
SELECT * FROM pg_temp.tp_differ(:s_serial, :s_fallback);

-- Below the threshold no worker is started.
SET client_min_messages = debug1;
SET taxshare.parallel_intake_min_rows = 5000;
SELECT taxshare.submit('TP-SPF', 'TP_ZJJ', '2024-06-01', doc) IS NOT NULL AS submitted FROM tp_batch;
SET client_min_messages = warning;

-- The inbox: a COPY's load goes parallel once it has taken 1000 rows, handing
-- the worker the keys of its first rows; the first line of another period
-- (another load, opened by SQL) takes them back, and the load goes on.  The
-- last line repeats row 1200, which the worker checked: its keys came back.
-- (Submission ids from here on do not depend on the tests before: the inbox's
-- notices name them.)
SELECT setval(pg_get_serial_sequence('taxshare.submission', 'id'), 100000) IS NOT NULL AS renumbered;
SET taxshare.parallel_intake_min_rows = 1000;
\copy (SELECT 'TP-SPF', 'TP_ZJJ', CASE WHEN n = 0 THEN '2024-09-01' ELSE '2024-08-01' END, e FROM (SELECT e, n, CASE WHEN n = 0 THEN 1500.5 WHEN n = -1 THEN 3001 ELSE n END AS pos FROM tp_batch, LATERAL (SELECT e, n FROM jsonb_array_elements(doc) WITH ORDINALITY a(e, n) UNION ALL SELECT '{}', 0 UNION ALL SELECT doc -> 1199, -1) x) y ORDER BY pos) TO 'results/tp_inbox_parallel.tsv'
\copy (SELECT 'TP-SPF', 'TP_ZJJ', CASE WHEN n = 0 THEN '2024-11-01' ELSE '2024-10-01' END, e FROM (SELECT e, n, CASE WHEN n = 0 THEN 1500.5 WHEN n = -1 THEN 3001 ELSE n END AS pos FROM tp_batch, LATERAL (SELECT e, n FROM jsonb_array_elements(doc) WITH ORDINALITY a(e, n) UNION ALL SELECT '{}', 0 UNION ALL SELECT doc -> 1199, -1) x) y ORDER BY pos) TO 'results/tp_inbox_serial.tsv'
SET client_min_messages = debug1;
\copy taxshare.inbox (item, unit, period_start, payload) FROM 'results/tp_inbox_parallel.tsv'
SET taxshare.parallel_intake_min_rows = -1;
\copy taxshare.inbox (item, unit, period_start, payload) FROM 'results/tp_inbox_serial.tsv'
SET client_min_messages = warning;
SELECT id AS i_parallel FROM taxshare.submission WHERE item_code = 'TP-SPF' AND period_start = '2024-08-01' \gset
SELECT id AS i_serial FROM taxshare.submission WHERE item_code = 'TP-SPF' AND period_start = '2024-10-01' \gset
SELECT period_start, channel, rows_total, rows_accepted, rows_rejected, errors, unknown_fields
  FROM taxshare.submission WHERE item_code = 'TP-SPF' AND period_start >= '2024-08-01' ORDER BY period_start;
SELECT * FROM pg_temp.tp_differ(:i_serial, :i_parallel);
-- the repeated row (the load's 3001st): its contract and serial were first
-- seen by the worker (row 1200)
SELECT row_no, field, code, message FROM taxshare.record_error
 WHERE submission_id = :i_parallel AND row_no = 3001 ORDER BY field;
-- rows 1001 on went through the worker: a duplicate of row 1 found there
SELECT row_no, field, code FROM taxshare.record_error
 WHERE submission_id = :i_parallel AND code = 'primary_key' AND row_no BETWEEN 1001 AND 1500 ORDER BY row_no LIMIT 2;

-- A department's login: the worker reads the catalog as the inbox's owner, as
-- the load's own SQL does, and stores the same.
CREATE ROLE regress_tp_member LOGIN IN ROLE taxshare_unit;
INSERT INTO taxshare.unit_member (role, unit_code) VALUES ('regress_tp_member', 'TP_ZJJ');
SET ROLE regress_tp_member;
SET taxshare.parallel_intake_min_rows = 1000;
SET client_min_messages = debug1;
\copy taxshare.inbox (item, unit, period_start, payload) FROM 'results/tp_inbox_parallel.tsv'
SET client_min_messages = warning;
RESET ROLE;
SELECT id AS i_member, submitted_by FROM taxshare.submission
 WHERE item_code = 'TP-SPF' AND period_start = '2024-08-01' AND superseded_by IS NULL \gset
SELECT :'submitted_by' AS submitted_by, * FROM pg_temp.tp_differ(:i_serial, :i_member);
DELETE FROM taxshare.unit_member WHERE role = 'regress_tp_member';
DROP ROLE regress_tp_member;

-- An INSERT into the inbox stays in the backend (its query could call what
-- parallel mode forbids), however many rows it brings.
SET client_min_messages = debug1;
INSERT INTO taxshare.inbox (item, unit, period_start, payload)
SELECT 'TP-SPF', 'TP_ZJJ', '2024-12-01', e FROM tp_batch, jsonb_array_elements(doc) e;
SET client_min_messages = warning;
SELECT rows_total, errors FROM taxshare.submission WHERE item_code = 'TP-SPF' AND period_start = '2024-12-01';

-- A cancelled parallel submit leaves nothing behind, and the next one works.
SET taxshare.parallel_intake_min_rows = 1000;
CREATE TEMP TABLE tp_big AS
SELECT jsonb_agg(jsonb_build_object('contract_no', 'HT' || i, 'serial', i, 'sign_date', '2024-03-05',
                                    'seller_uscc', '91350100M000100Y43', 'price', 10, 'tax', 1, 'net', 9))
       AS doc
  FROM generate_series(1, 200000) i;
SELECT count(*) AS submissions_before FROM taxshare.submission WHERE item_code = 'TP-SPF' \gset
SET statement_timeout = '300ms';
SELECT taxshare.submit('TP-SPF', 'TP_ZJJ', '2024-07-01', doc) FROM tp_big;
RESET statement_timeout;
SELECT count(*) - :submissions_before AS submissions_added,
       (SELECT count(*) FROM taxshare.record r JOIN taxshare.submission s ON s.id = r.submission_id
         WHERE s.item_code = 'TP-SPF' AND s.period_start = '2024-07-01') AS records_added
  FROM taxshare.submission WHERE item_code = 'TP-SPF';
SELECT taxshare.submit('TP-SPF', 'TP_ZJJ', '2024-07-01', doc) AS s_after FROM tp_batch \gset
SELECT rows_total, rows_accepted FROM taxshare.submission WHERE id = :s_after;
SELECT ok, problem FROM taxshare.ledger_verify();
