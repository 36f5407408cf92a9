-- The risk list (DOMAIN.md "From data to risk"): what analysts and BI tools
-- read.  A plain join of risk_score and entity, so that "the top 100 of one
-- grade" is an index scan of risk_score_list (period_start, grade, rank) and
-- 100 primary-key probes into entity.  Two functions render what risk_score
-- stores compactly (the breakdown and the response reason), once per row
-- returned and only for those.
--
-- MASKING HOOK (security issue): the identifier columns uscc, idcard,
-- orgcode and taxpayer_id are passed through as stored.  When row-level
-- clearance lands, the security module replaces this view (CREATE OR
-- REPLACE VIEW with the same columns in the same order) wrapping exactly
-- these four columns in its masking expression; nothing else reads them from
-- here.  Keep the masking a cheap expression (a CASE on a session-level
-- flag), not a per-row lookup, or the top-100 goal of bench/risk.sql fails.
-- The last column, the entity's open referral (85_referral.sql), is one probe
-- of a small partial index, computed only when a query reads the column.

CREATE VIEW taxshare.risk_list AS
  SELECT s.period_start,
         s.rank,
         s.grade,
         s.score,
         s.entity_id,
         e.kind,
         e.name,
         e.uscc,            -- masking hook
         e.idcard,          -- masking hook
         e.orgcode,         -- masking hook
         e.taxpayer_id,     -- masking hook
         e.region,
         s.points,
         s.amount,
         s.severity,
         s.social_impact,
         s.monitoring,
         s.blacklisted,
         s.propagated,
         s.own_score,
         s.own_grade,
         s.response,
         taxshare.risk_reason(s.reason_code, s.amount, s.monitoring, s.detail) AS response_reason,
         taxshare.risk_breakdown(s.detail) AS breakdown,
         s.graded_at,
         (SELECT max(r.id) FROM taxshare.referral r
           WHERE r.entity_id = s.entity_id AND r.status <> 'closed') AS open_referral_id
    FROM taxshare.risk_score s
    JOIN taxshare.entity e ON e.id = s.entity_id;
COMMENT ON VIEW taxshare.risk_list IS
  '风险清单: 各期每个主体的等级、分数、排名、风险点数、金额、应对方式和评分明细 (标识将按权限脱敏) / '
  'the risk list: grade, score, rank, points, amount, response and breakdown of each entity per period (identifiers to be masked by clearance)';
COMMENT ON COLUMN taxshare.risk_list.open_referral_id IS
  '该主体未结案的移送案件 (最近一件, 见 referral_ledger) / the entity''s open referral (the latest; see referral_ledger)';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'risk_list', 'r', 'r', 'r', '', '', '');
