-- requires taxshare 0.2.0
-- Demo step 7c: a restriction (限制类指令) for the front desk.  The entity
-- referred in step 7b may get no more invoices while the case stands, on the
-- decision of the tax bureau's head (an authorised person's decision is one
-- of the two bases a restriction may rest on; the other is a point of a
-- monitoring indicator).  Front-desk systems read restriction_current.
SET client_min_messages = warning;

SELECT t.entity_id
  FROM taxshare.warning_task t
 WHERE t.period_start = DATE '2026-10-01' AND t.grade = 'high'
 ORDER BY t.rank LIMIT 1 \gset

\echo
\echo '== 限制类指令 / a restriction for the front desk =='
SELECT taxshare.restriction_issue(:entity_id, 'invoice_supply', '涉嫌虚开已移送公安, 暂停发票供应',
                                  decided_by => '市税务局 局长', decision_ref => '税限〔2026〕12号',
                                  actor => '税务局 征管科', at => TIMESTAMPTZ '2026-11-25 11:00:00+08') AS restriction_id \gset
SELECT name AS "名称 name", kind AS "限制事项 restricted", reason AS "理由 reason",
       coalesce(until::text, '至解除 until lifted') AS "截止 until"
  FROM taxshare.restriction_current WHERE restriction_id = :restriction_id;
