-- Demo step 2: the sharing catalog.  The starter pack registers six sharing
-- units and the catalog items and match rules of six cross-checks; each unit
-- then files its leader in charge and its liaison (DOMAIN.md "Who is involved").
--
-- The demo plays October and November 2026.  The starter pack's items take
-- effect on the day they are defined; the demo dates them to 1 October 2026
-- so that October is the first month the units owe (docs/deadlines.md, "Which
-- periods are owed"), whatever day the demo is run.  Days are judged in
-- Beijing time, so the database's time zone is set as docs/deadlines.md asks.
\echo
\echo '== 共享目录入门包 / installing the starter pack =='
SELECT kind AS "类别 kind", code AS "代码 code", title AS "名称 title"
  FROM taxshare.starter_pack_install();

UPDATE taxshare.catalog_item SET valid_from = DATE '2026-10-01'
 WHERE version = 1 AND valid_from > DATE '2026-10-01';

SELECT current_database() AS demo_db \gset
ALTER DATABASE :"demo_db" SET TimeZone = 'Asia/Shanghai';

\echo
\echo '== 各单位分管领导与信息联络员 / leaders in charge and liaisons (filed in September 2026) =='
SELECT count(taxshare.unit_contact_set(c.unit, c.role, c.name, c.phone, NULL, c.pos, DATE '2026-09-15'))
         AS "报备条数 contacts filed"
  FROM (VALUES
    ('ZJJ',   'leader',  '周建国', '0734-8221001', '副局长'),
    ('ZJJ',   'liaison', '李晓燕', '0734-8221016', '信息科科员'),
    ('ZRZYJ', 'leader',  '邓志明', '0734-8336002', '副局长'),
    ('ZRZYJ', 'liaison', '彭丽',   '0734-8336118', '信息中心工程师'),
    ('SCJGJ', 'leader',  '曾庆华', '0734-8163003', '副局长'),
    ('SCJGJ', 'liaison', '罗文静', '0734-8163127', '登记注册科科员'),
    ('RSJ',   'leader',  '谭卫东', '0734-8875004', '副局长'),
    ('RSJ',   'liaison', '刘洋',   '0734-8875139', '社保中心科员'),
    ('CZJ',   'leader',  '贺新民', '0734-8212005', '副局长'),
    ('CZJ',   'liaison', '王婷',   '0734-8212140', '国库科科员'),
    ('SWJ',   'leader',  '陈立军', '0734-8169006', '副局长'),
    ('SWJ',   'liaison', '蒋敏',   '0734-8169151', '税收风险管理局科员')
  ) AS c(unit, role, name, phone, pos);

-- The liaison of the land bureau changed in October: a change is filed, the
-- history stays (unit_contact keeps every row, unit_contact_current the latest).
SELECT taxshare.unit_contact_set('ZRZYJ', 'liaison', '欧阳晨', '0734-8336121', NULL,
                                 '信息中心工程师', DATE '2026-10-12') IS NOT NULL AS "变更已报备 change filed";

SELECT u.code AS "单位 unit", u.name AS "名称 name",
       l.name AS "分管领导 leader", c.name AS "联络员 liaison", c.phone AS "电话 phone",
       c.changed_on AS "任职日期 since"
  FROM taxshare.unit u
  LEFT JOIN taxshare.unit_contact_current l ON l.unit_code = u.code AND l.role = 'leader'
  LEFT JOIN taxshare.unit_contact_current c ON c.unit_code = u.code AND c.role = 'liaison'
 ORDER BY u.code;

\echo
\echo '== 另一共享单位与条目: 公安局交警支队的机动车登记 (本月将漏报) / one more unit and item: vehicle registrations (to be missed this month) =='
INSERT INTO taxshare.unit (code, name, kind, division)
VALUES ('GAJ', '公安局交通警察支队', 'department', '430400');
SELECT count(taxshare.unit_contact_set(c.unit, c.role, c.name, c.phone, NULL, c.pos, DATE '2026-09-15'))
         AS "报备条数 contacts filed"
  FROM (VALUES ('GAJ', 'leader', '黄振华', '0734-8185007', '副支队长'),
               ('GAJ', 'liaison', '朱海涛', '0734-8185162', '车管所科员')) AS c(unit, role, name, phone, pos);
SELECT taxshare.catalog_define($item${
  "code": "GA-JDC-001", "title": "机动车注册登记信息", "provider": "GAJ", "frequency": "monthly",
  "sharing": "conditional", "users": ["SWJ"], "scope": "车船税、车辆购置税征管比对",
  "validFrom": "2026-10-01",
  "schema": {"fields": [
    {"name": "plate_no", "title": "号牌号码", "type": "string", "constraints": {"required": true}},
    {"name": "vin", "title": "车辆识别代号", "type": "string", "constraints": {"required": true}},
    {"name": "owner_name", "title": "所有人", "type": "string", "constraints": {"required": true}},
    {"name": "owner_idcard", "title": "所有人身份证号码", "type": "idcard"},
    {"name": "owner_uscc", "title": "所有人统一社会信用代码", "type": "uscc"},
    {"name": "registered_on", "title": "注册登记日期", "type": "date", "constraints": {"required": true}}],
   "primaryKey": "plate_no"},
  "parties": [{"role": "owner", "idcard": "owner_idcard", "uscc": "owner_uscc", "name": "owner_name"}]
}$item$::jsonb) AS "GA-JDC-001 版本 version";

\echo
\echo '== 共享目录 / the sharing catalog =='
SELECT i.code AS "代码 code", i.title AS "名称 title", i.provider AS "提供单位 provider",
       i.frequency AS "频度 frequency", i.sharing AS "共享类型 sharing",
       (SELECT count(*) FROM taxshare.catalog_field f
         WHERE f.item_code = i.code AND f.item_version = i.version) AS "字段数 fields",
       i.valid_from AS "生效 from"
  FROM taxshare.catalog_item_current i
 ORDER BY i.provider, i.code;

\echo
\echo '== 交叉比对规则 / cross-check rules =='
SELECT code AS "规则 rule", source_item AS "来源 source", target_item AS "比对 target",
       check_kind AS "比对方式 check", period_window AS "期间 window"
  FROM taxshare.match_rule
 ORDER BY code;
