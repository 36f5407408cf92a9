-- Demo step 6: the ledger (台账).  Every catalog definition, submission,
-- supersession, status change and deduction of the month was chained into
-- taxshare.ledger as it happened; verify the whole chain and print its head,
-- the digest to copy out of the database (docs/ledger.md).
SET client_min_messages = warning;

SELECT to_regproc('taxshare.ledger_verify') IS NOT NULL
   AND to_regproc('taxshare.ledger_digest') IS NOT NULL AS ledger_available \gset
\if :ledger_available

\echo
\echo '== 台账条目 / what the ledger recorded =='
SELECT action AS "动作 action", count(*) AS "条目 entries", min(seq) AS "首条 first", max(seq) AS "末条 last"
  FROM taxshare.ledger
 GROUP BY action
 ORDER BY min(seq);

\echo
\echo '== 台账校验 / ledger verification =='
SELECT ok AS "完整 intact", verified AS "已校验条目 entries verified", seq AS "问题条目 first bad entry",
       problem AS "问题 problem"
  FROM taxshare.ledger_verify();

\echo
\echo '== 台账链头 (请保存在数据库之外) / the ledger head, to keep outside the database =='
SELECT seq AS "序号 seq", hash AS "哈希 SHA-256", at AS "时间 at"
  FROM taxshare.ledger_digest();

\else
\echo '(台账在此版本中不可用 / the ledger is not available in this build)'
\endif
