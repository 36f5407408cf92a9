-- Prescribed responses (风险应对, seeds/000 art. 20 (四); DOMAIN.md "From data
-- to risk" step 4).  grade_risks() prescribes one per graded entity (the
-- rules are in src/risk/risk_score.c, risk_response()):
--   low    -> reminder (提示提醒), or verification (税费核查) when an indicator
--             asks for it, the amount reaches response.verification_amount,
--             or the entity is listed through a link only;
--   medium -> assessment (纳税评估); "原则上同一年度内不得对同一纳税人实施多次
--             评估": when the taxpayer was already assessed in the calendar
--             year (an earlier period's prescribed assessment, or a row of
--             assessment_log), verification instead, with that reason;
--   high   -> audit (税务稽查), or referral (移送, 部门执法) when an
--             indicator asks for it.

CREATE TABLE taxshare.response_kind (
  code         text PRIMARY KEY,
  grade        text NOT NULL CHECK (grade IN ('low', 'medium', 'high')),
  name         text NOT NULL,
  name_en      text NOT NULL,
  description  text NOT NULL
);
COMMENT ON TABLE taxshare.response_kind IS
  '风险应对方式及其适用等级 (衡阳办法第二十条第(四)项) / the responses and the grade each belongs to (seeds/000 art. 20 (四))';
INSERT INTO taxshare.privilege_plan VALUES ('table', 'response_kind', 'rawd', 'r', 'r', '', 'r', '');
INSERT INTO taxshare.response_kind VALUES
  ('reminder', 'low', '提示提醒', 'reminder',
   '通过电子税务局、办税服务厅、电话、短信或《税务事项通知书》告知风险点, 辅导纳税人自行整改 / '
   'tell the taxpayer of the risk point (e-tax bureau, service hall, phone, text, notice) and guide it to correct itself'),
  ('verification', 'low', '税费核查', 'verification',
   '对申报数据比对不符、涉税疑点等信息和资料进行核查比对纠正 / check and correct mismatched declarations and suspicious data'),
  ('assessment', 'medium', '纳税评估', 'tax assessment',
   '案头分析、约谈、实地核查; 原则上同一年度内不得对同一纳税人实施多次评估 / desk analysis, interviews, field checks; in principle once a year per taxpayer'),
  ('audit', 'high', '税务稽查', 'tax audit',
   '移送稽查部门立案查处 / passed to the inspection bureau for a case'),
  ('referral', 'high', '移送 (部门执法)', 'referral to law enforcement',
   '移送公安等执法部门 / passed to the police or another enforcement body');

-- Assessments actually carried out, whatever prescribed them: the tax bureau
-- records them here (warning_feedback() does when the response taken was an
-- assessment).  grade_risks() reads them for the once-a-year rule.
CREATE TABLE taxshare.assessment_log (
  id               bigserial PRIMARY KEY,
  entity_id        bigint NOT NULL REFERENCES taxshare.entity (id),
  assessed_on      date NOT NULL,
  source           text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'feedback')),
  warning_task_id  bigint,
  note             text,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  recorded_by      text NOT NULL DEFAULT session_user
);
CREATE INDEX assessment_log_entity ON taxshare.assessment_log (entity_id, assessed_on);
CREATE INDEX assessment_log_day ON taxshare.assessment_log (assessed_on);
COMMENT ON TABLE taxshare.assessment_log IS
  '已实施的纳税评估 (同一年度不重复评估规则的依据) / tax assessments carried out, the basis of the once-a-year rule';
COMMENT ON COLUMN taxshare.assessment_log.source IS
  'manual 人工录入, feedback 预警反馈时记录 / entered by hand or recorded by warning feedback';
SELECT pg_catalog.pg_extension_config_dump('taxshare.assessment_log', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.assessment_log_id_seq', '');
-- The tax bureau logs its assessments; units answer with another response.
INSERT INTO taxshare.privilege_plan VALUES ('table', 'assessment_log', 'rawd', 'rawd', 'ra', '', '', '');

-- The first assessment of each entity in each calendar year, prescribed or
-- done: what the once-a-year rule looks at.
CREATE VIEW taxshare.assessment_year AS
  SELECT entity_id, year, min(first_on) AS first_on, bool_or(done) AS done
    FROM (SELECT s.entity_id, extract(year FROM s.period_start)::int AS year,
                 s.period_start AS first_on, false AS done
            FROM taxshare.risk_score s WHERE s.response = 'assessment'
          UNION ALL
          SELECT a.entity_id, extract(year FROM a.assessed_on)::int, a.assessed_on, true
            FROM taxshare.assessment_log a) x
   GROUP BY entity_id, year;
COMMENT ON VIEW taxshare.assessment_year IS
  '各主体各年度首次纳税评估 (规定的或已实施的) / each entity''s first assessment of each calendar year, prescribed or done';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'assessment_year', 'r', 'r', 'r', '', '', '');
