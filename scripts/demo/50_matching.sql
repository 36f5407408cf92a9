-- Demo step 5: matching.  Link every party of every current record to an
-- enterprise or person (identifiers first, then the Fellegi-Sunter model on
-- names, addresses and phones), derive who stands behind which enterprise,
-- and run the six cross-check rules on October (docs/matching.md).
SET client_min_messages = warning;

SELECT to_regproc('taxshare.resolve_entities') IS NOT NULL
   AND to_regproc('taxshare.run_rules') IS NOT NULL AS matching_available \gset
\if :matching_available

\echo
\echo '== 主体识别 / entity resolution =='
SELECT parties AS "当事方 parties", by_key AS "按标识 by key", probabilistic AS "概率匹配 probabilistic",
       review AS "待复核 review", new_entities AS "新主体 new entities", comparisons AS "比较次数 comparisons"
  FROM taxshare.resolve_entities();

\echo
\echo '== 当事方的匹配方法 / how the parties were linked =='
SELECT rp.method AS "方法 method", e.kind AS "主体类别 kind", count(*) AS "当事方 parties",
       count(DISTINCT rp.entity_id) AS "主体 entities"
  FROM taxshare.record_party rp
  LEFT JOIN taxshare.entity e ON e.id = rp.entity_id
 GROUP BY rp.method, e.kind
 ORDER BY count(*) DESC;

\echo
\echo '== 仅凭名称关联的记录 (无标识) / records linked on their name alone =='
SELECT k.item_code AS "条目 item", k.role AS "角色 role", k.name AS "报送名称 name as reported",
       e.name AS "关联主体 linked to", round(rp.score::numeric, 2) AS "权重 weight", rp.method AS "方法 method"
  FROM taxshare.record_party rp
  JOIN taxshare.record_party_key k ON k.record_id = rp.record_id AND k.role = rp.role
  JOIN taxshare.entity e ON e.id = rp.entity_id
 WHERE rp.method IN ('probabilistic', 'manual')
 ORDER BY k.item_code, k.name
 LIMIT 10;

\echo
\echo '== 待人工复核的匹配 / uncertain links waiting for a person =='
SELECT r.id AS "编号 id", k.item_code AS "条目 item", k.name AS "报送名称 name as reported",
       c.name AS "候选主体 candidate", round(r.weight::numeric, 2) AS "权重 weight"
  FROM taxshare.match_review r
  JOIN taxshare.entity c ON c.id = r.candidate_entity_id
  LEFT JOIN taxshare.record_party_key k ON k.record_id = r.record_id AND k.role = r.role
 WHERE r.status = 'pending'
 ORDER BY r.weight DESC
 LIMIT 10;

\echo
\echo '== 企业背后的人员 / persons behind the enterprises (party_link) =='
SELECT pl.role AS "角色 role", count(*) AS "关联 links", count(DISTINCT pl.person_id) AS "人员 persons",
       count(DISTINCT pl.enterprise_id) AS "企业 enterprises"
  FROM taxshare.party_link pl
 GROUP BY pl.role
 ORDER BY pl.role;

\echo
\echo '== 交叉比对 2026-10 / cross-checks of October 2026 =='
SELECT rule_code AS "规则 rule", points AS "疑点 points", inserted AS "新增 new", updated AS "更新 updated",
       cleared AS "清除 cleared"
  FROM taxshare.run_rules(DATE '2026-10-01');

\echo
\echo '== 各规则的疑点与涉及金额 / suspicious points per rule, with amounts =='
SELECT s.rule_code AS "规则 rule", r.title AS "名称 title", count(*) AS "疑点 points",
       sum(s.amount_involved) AS "涉及金额 amount (元)",
       max(s.amount_involved) AS "最大 largest"
  FROM taxshare.suspicion s
  JOIN taxshare.match_rule r ON r.code = s.rule_code
 WHERE s.period_start = DATE '2026-10-01'
 GROUP BY s.rule_code, r.title
 ORDER BY s.rule_code;

\echo
\echo '== 疑点举例 / examples: the largest point of each rule =='
SELECT DISTINCT ON (rule_code) rule_code AS "规则 rule", entity_name AS "主体 entity",
       amount_involved AS "金额 amount", details AS "比对数值 figures"
  FROM taxshare.suspicion_list
 WHERE period_start = DATE '2026-10-01'
 ORDER BY rule_code, amount_involved DESC NULLS LAST,
          abs((details ->> 'difference')::numeric) DESC NULLS LAST, entity_name;

\else
\echo '(主体识别与交叉比对在此版本中不可用 / matching is not available in this build)'
\endif
