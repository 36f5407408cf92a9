-- requires taxshare 0.2.0
-- Demo step 7b: a referral (移送).  The highest-ranked task of the month's
-- warning is referred to the police's economic crime unit on the basis of
-- that warning task, received within its deadline, and the referral ledger
-- shows each step with its deadline.
SET client_min_messages = warning;

SELECT t.id AS task_id, t.entity_id
  FROM taxshare.warning_task t
 WHERE t.period_start = DATE '2026-10-01' AND t.grade = 'high'
 ORDER BY t.rank LIMIT 1 \gset

\echo
\echo '== 移送公安经侦 / a referral to the police (economic crime unit) =='
SELECT taxshare.referral_open(:entity_id, 'police', '涉嫌虚开增值税专用发票, 移送公安机关经侦部门',
                              warning_task_ids => ARRAY[:task_id::bigint], actor => '税务局 风险管理科',
                              at => TIMESTAMPTZ '2026-11-25 10:00:00+08') AS referral_id \gset
SELECT taxshare.referral_receive(:referral_id, actor => '市公安局经侦支队',
                                 at => TIMESTAMPTZ '2026-11-26 15:00:00+08') AS "按期接收 received on time";
SELECT referral_id AS "移送 referral", entity_name AS "主体 entity", to_agency AS "接收机关 agency",
       warning_task_ids AS "依据任务 tasks", state AS "状态 state", receive_due AS "接收期限 receive due",
       receive_met AS "按期 met", result_due AS "结果期限 result due"
  FROM taxshare.referral_ledger WHERE referral_id = :referral_id;
\echo '(结果期限为接收后 60 天, 落在 2027 年; 该年节假日安排录入前为空 / the result deadline, 60 days after the receipt, falls in 2027 and stays empty until that year''s holiday notice is loaded)'
SELECT rank AS "排名 rank", name AS "名称 name", grade AS "等级 grade", open_referral_id AS "未结移送 open referral"
  FROM taxshare.risk_list
 WHERE period_start = DATE '2026-10-01' AND entity_id = :entity_id;
