-- objection: data objections against shared records, filed and resolved as
-- explained or corrected, tracked with timestamps.  Codes start with TO_ / TO-.
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';
\set SHOW_CONTEXT never
-- Errors whose message holds ids or times: the SQLSTATE and the message with
-- every number replaced by N.
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '[0-9]+', 'N', 'g');
END $$;

INSERT INTO taxshare.unit (code, name, kind) VALUES ('TO_GTJ', '衡阳市自然资源和规划局', 'department');
SELECT taxshare.catalog_define($${
  "code": "TO-TDCR", "title": "土地出让信息", "provider": "TO_GTJ", "frequency": "monthly",
  "schema": {"fields": [
      {"name": "parcel", "title": "宗地编号", "type": "string", "constraints": {"required": true}},
      {"name": "buyer_uscc", "title": "受让人统一社会信用代码", "type": "uscc"},
      {"name": "price", "title": "出让价款(元)", "type": "amount"}]}}$$) AS version;
SELECT taxshare.submit('TO-TDCR', 'TO_GTJ', '2024-03-01', $$[
  {"parcel": "HY2024-001", "buyer_uscc": "91350100M000100Y43", "price": "12,000,000"},
  {"parcel": "", "price": 1},
  {"parcel": "HY2024-002", "buyer_uscc": "91430400MA4L12345R", "price": 8000000}
]$$) AS sub \gset
SELECT (:sub::bigint << 32) + 1 AS rec1, (:sub::bigint << 32) + 2 AS rec2, (:sub::bigint << 32) + 3 AS rec3 \gset

-- Filing: against a shared record, with a reason
SELECT taxshare.objection_file(:rec1, '出让价款与合同不符, 合同约定为 1,250 万元') AS obj1 \gset
SELECT taxshare.objection_file(:rec3, '  受让人应为衡阳华湘置业有限公司  ') AS obj2 \gset
SELECT pg_temp.try(format('SELECT taxshare.objection_file(%s, %L)', :rec2, '行被退回'));
SELECT taxshare.objection_file(-1, '没有这条记录');
SELECT taxshare.objection_file(:rec1, '   ');
SELECT taxshare.objection_file(:rec1, NULL);
SELECT id = :obj1 AS first, record_id = :rec1 AS on_rec1, reason, status, outcome, filed_by = session_user AS by_me,
       filed_at IS NOT NULL AS filed, resolved_at IS NULL AS unresolved
  FROM taxshare.objection WHERE id IN (:obj1, :obj2) ORDER BY id;

-- Resolving: explained or corrected, once
SELECT taxshare.objection_resolve(:obj1, 'ignored', '不予处理');
SELECT taxshare.objection_resolve(-1, 'explained', '无此异议');
SELECT taxshare.objection_resolve(:obj1, 'explained', '价款以出让合同补充协议为准, 已书面答复');
SELECT pg_temp.try(format('SELECT taxshare.objection_resolve(%s, %L, %L)', :obj1, 'corrected', '再次答复'));
-- the provider corrects by resubmitting the period, then closes the objection
SELECT taxshare.submit('TO-TDCR', 'TO_GTJ', '2024-03-01', $$[
  {"parcel": "HY2024-001", "buyer_uscc": "91350100M000100Y43", "price": "12,000,000"},
  {"parcel": "HY2024-002", "buyer_uscc": "91350100M000100Y43", "price": 8000000}
]$$) IS NOT NULL AS resubmitted;
SELECT taxshare.objection_resolve(:obj2, 'corrected', '已于重报中更正受让人');
SELECT id = :obj1 AS first, status, outcome, note, resolved_by = session_user AS by_me,
       resolved_at >= filed_at AS in_order
  FROM taxshare.objection WHERE id IN (:obj1, :obj2) ORDER BY id;
SELECT objection_id = :obj1 AS first, item_code, provider, period_start, status, outcome, age >= interval '0'
  FROM taxshare.objection_status WHERE objection_id IN (:obj1, :obj2) ORDER BY objection_id;
-- a closed objection cannot be reopened by hand
SELECT pg_temp.try(format('UPDATE taxshare.objection SET status = %L WHERE id = %s', 'open', :obj1));
