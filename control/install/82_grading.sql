-- Risk grading (分析研判, seeds/000 art. 20 (三); DOMAIN.md "From data to
-- risk" step 3): the parameters, the scores of each period and grade_risks().
-- Arithmetic: src/risk/risk_score.c (pure core); data access: src/risk/risk_read.c and risk_write.c, the steps in risk_grade.c.
-- Guide with a worked example: docs/risk.md.

CREATE TABLE taxshare.risk_param (
  name         text PRIMARY KEY CHECK (name IN (
                 'weight.points', 'weight.amount', 'weight.severity', 'weight.social',
                 'points.full', 'amount.floor', 'amount.full',
                 'grade.medium', 'grade.high',
                 'propagation.decay', 'propagation.hops', 'propagation.min', 'propagation.blacklist',
                 'propagation.role.legal_rep', 'propagation.role.finance_head',
                 'propagation.role.tax_handler', 'propagation.role.investor',
                 'response.verification_amount',
                 'warning.push_before_day', 'warning.push_month_offset',
                 'warning.receive_working_days', 'warning.cycle_days', 'warning.max_cycles',
                 'warning.deduction_points',
                 'referral.receive_working_days', 'referral.result_days')),
  value        float8 NOT NULL CHECK (value >= 0 AND value < 'Infinity'),
  description  text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  updated_by   text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE taxshare.risk_param IS
  '风险评级与预警参数: 因素权重、等级阈值、风险传导、应对与预警时限 (调整方法见 docs/risk.md) / '
  'parameters of grading and warnings: factor weights, grade thresholds, propagation, responses and warning deadlines (tuning: docs/risk.md)';
COMMENT ON COLUMN taxshare.risk_param.value IS '参数值 / the value';
-- Units read the grading parameters: the deadlines of the warnings pushed to them.
INSERT INTO taxshare.privilege_plan VALUES ('table', 'risk_param', 'rawd', 'rawd', 'r', 'r', 'r', '');

CREATE FUNCTION taxshare.risk_param_replace() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE taxshare.risk_param
       SET value = NEW.value, description = NEW.description, updated_at = NEW.updated_at, updated_by = NEW.updated_by
     WHERE name = NEW.name;
    IF FOUND THEN
      RETURN NULL;
    END IF;
  ELSIF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    -- A change: stamped now.  The UPDATE above, a restore's INSERT of an
    -- existing name, brings the row's own time and author instead.
    NEW.updated_at := now();
    NEW.updated_by := session_user;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare.risk_param_replace() IS
  '触发器: 插入已有参数名即更新其值 (pg_dump 恢复不冲突), 并记录修改人和时间 / '
  'trigger: inserting an existing name updates its value (a pg_dump restore never conflicts), and records who changed it when';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'risk_param_replace()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER risk_param_replace BEFORE INSERT OR UPDATE ON taxshare.risk_param
  FOR EACH ROW EXECUTE FUNCTION taxshare.risk_param_replace();
SELECT pg_catalog.pg_extension_config_dump('taxshare.risk_param', '');

INSERT INTO taxshare.risk_param (name, value, description) VALUES
  ('weight.points', 0.25, '风险点数量因素的权重 / weight of the number of risk points'),
  ('weight.amount', 0.35, '涉税涉费金额因素的权重 / weight of the amount involved'),
  ('weight.severity', 0.25, '违法违规程度因素的权重 / weight of the degree of violation'),
  ('weight.social', 0.15, '社会影响力因素的权重 / weight of the social influence'),
  ('points.full', 5, '风险点 (按指标权重) 达到此数时该因素为满分 / weighted points at which the points factor is full'),
  ('amount.floor', 10000, '金额 (元) 不超过此数时金额因素为 0 / amount (yuan) at or below which the amount factor is 0'),
  ('amount.full', 10000000, '金额 (元) 达到此数时金额因素为满分, 其间按对数 / amount at which the factor is full; logarithmic in between'),
  ('grade.medium', 40, '中风险的最低分 / lowest score graded medium'),
  ('grade.high', 70, '高风险的最低分 / lowest score graded high'),
  ('propagation.decay', 0.7, '风险每经一层关联的衰减系数 (0 关闭传导) / factor per link passed (0 turns propagation off)'),
  ('propagation.hops', 2, '风险传导的最大层数 / most links risk passes along'),
  ('propagation.min', 10, '无自身风险点的主体因传导入列的最低传导分 / smallest propagated score that lists an entity without points of its own'),
  ('propagation.blacklist', 100, '黑名单主体向关联主体传导的分值 / score a blacklisted entity passes on'),
  ('propagation.role.legal_rep', 1.0, '法定代表人关联的传导系数 / link factor of a legal representative'),
  ('propagation.role.finance_head', 0.8, '财务负责人关联的传导系数 / link factor of a finance head'),
  ('propagation.role.tax_handler', 0.8, '办税人关联的传导系数 / link factor of a tax handler'),
  ('propagation.role.investor', 0.6, '投资人关联的传导系数 / link factor of an investor'),
  ('response.verification_amount', 100000, '低风险且涉及金额达到此数 (元) 时应对为税费核查而非提示提醒 / low with at least this amount: verification rather than a reminder'),
  ('warning.push_before_day', 10, '预警推送的最后一日 (含当日, 遇休息日顺延; 衡阳办法第二十条: 每月10日前) / the last day of the month a warning may be pushed, that day included, moved off a day off (art. 20: by the 10th)'),
  ('warning.push_month_offset', 1, '某期的预警在该期之后第几个月推送 / the month after the period in which its warnings are pushed'),
  ('warning.receive_working_days', 3, '推送后接收的工作日时限 (第二十条: 3个工作日内) / working days to receive a push (art. 20: within 3)'),
  ('warning.cycle_days', 30, '反馈周期天数 (第十八条: 30天为一个周期) / days of a feedback cycle (art. 18: 30)'),
  ('warning.max_cycles', 2, '反馈周期上限, 含首个周期 (第十八条: 最长不超过2个周期) / most feedback cycles including the first (art. 18: at most 2)'),
  ('warning.deduction_points', 2, '每个未反馈预警扣分 (第三十一条第(三)项) / points deducted per unanswered warning (art. 31 (三))'),
  ('referral.receive_working_days', 3, '移送后接收机关接收的工作日时限 (参照第二十条第(二)项 3个工作日) / working days the receiving body has to receive a referral (as art. 20 (二): 3)'),
  ('referral.result_days', 60, '接收后反馈处理结果的天数 (两个 30 天周期, 参照第十八条) / days from the receipt to the result (two 30-day cycles, as art. 18)');

-- What is wrong with the parameters as they stand, or NULL.
CREATE FUNCTION taxshare.risk_param_problem() RETURNS text
  AS 'MODULE_PATHNAME', 'risk_param_problem'
  LANGUAGE C STABLE;
COMMENT ON FUNCTION taxshare.risk_param_problem() IS
  '检查风险参数的整体一致性, 无问题返回 NULL, 否则返回说明 / checks the parameters together: NULL when usable, else what is wrong';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'risk_param_problem()', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.risk_param_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  problem text := taxshare.risk_param_problem();
BEGIN
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'invalid risk parameters: %', problem
      USING ERRCODE = '22023',
            HINT = 'See docs/risk.md, "Tuning"; taxshare.risk_param holds one row per parameter.';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION taxshare.risk_param_check() IS
  '触发器: 修改参数后整体检查, 不一致则拒绝 / trigger: after a change the parameters are checked together and an inconsistent set is refused';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'risk_param_check()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER risk_param_check AFTER INSERT OR UPDATE OR DELETE ON taxshare.risk_param
  FOR EACH STATEMENT EXECUTE FUNCTION taxshare.risk_param_check();

-- Grades as an enum: ordered (low < medium < high) and compared as numbers,
-- which halves the cost of the list index on a million rows compared with
-- text under a locale such as C.UTF-8.
CREATE TYPE taxshare.risk_grade AS ENUM ('low', 'medium', 'high');
COMMENT ON TYPE taxshare.risk_grade IS
  '风险等级: low 低, medium 中, high 高 (有序) / risk grade, ordered low < medium < high';

-- The scores.  grade_risks(p) replaces the rows of period p.  No foreign key
-- to entity: a million checks would cost as much as the grading, and the list
-- view joins entity anyway.
CREATE TABLE taxshare.risk_score (
  period_start     date NOT NULL,
  entity_id        bigint NOT NULL,
  score            float8 NOT NULL CHECK (score >= 0 AND score <= 100),
  grade            taxshare.risk_grade NOT NULL,
  rank             integer NOT NULL CHECK (rank > 0),
  points           integer NOT NULL CHECK (points >= 0),
  amount           numeric(20,2) NOT NULL,
  own_score        float8 NOT NULL,
  own_grade        taxshare.risk_grade,
  severity         smallint NOT NULL,
  social_impact    smallint NOT NULL,
  monitoring       boolean NOT NULL,
  blacklisted      boolean NOT NULL,
  propagated       boolean NOT NULL,
  response         text NOT NULL CHECK (response IN ('reminder', 'verification', 'assessment', 'audit', 'referral')),
  reason_code      smallint NOT NULL CHECK (reason_code BETWEEN 1 AND 8),
  detail           bytea NOT NULL,
  graded_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity_id, period_start)
);
-- The list is read per period and grade in rank order (risk_list top N), and
-- a period is replaced through the same index.  Every index costs a good
-- part of the write of a million rows (bench/risk.sql), so there is only this
-- one beside the key (which also serves an entity's history): the
-- once-a-year assessment rule finds the year's earlier assessments through
-- it too, as only a medium grade is prescribed an assessment.
CREATE INDEX risk_score_list ON taxshare.risk_score (period_start, grade, rank);
COMMENT ON TABLE taxshare.risk_score IS
  '各期风险评级结果: 每个有风险点或受传导的主体一行, 含分数、等级、排名、应对方式和评分明细 (grade_risks() 生成) / '
  'risk grades per period: one row per entity with points or raised by propagation, with score, grade, rank, response and breakdown (written by grade_risks())';
COMMENT ON COLUMN taxshare.risk_score.score IS '风险分 0-100 (含传导) / score 0-100, propagation included';
COMMENT ON COLUMN taxshare.risk_score.grade IS 'low 低 | medium 中 | high 高 / grade';
COMMENT ON COLUMN taxshare.risk_score.rank IS '本期排名 (等级、分数、金额降序) / rank in the period (grade, score, amount, descending)';
COMMENT ON COLUMN taxshare.risk_score.points IS '本期自身风险点数 / number of own risk points in the period';
COMMENT ON COLUMN taxshare.risk_score.amount IS '涉税涉费金额合计 (元) / total amount involved (yuan)';
COMMENT ON COLUMN taxshare.risk_score.own_score IS '仅按自身风险点的分数 / score of the entity''s own points alone';
COMMENT ON COLUMN taxshare.risk_score.own_grade IS '仅按自身风险点的等级 (无风险点为空) / grade of the own points (NULL without points)';
COMMENT ON COLUMN taxshare.risk_score.monitoring IS '命中监控指标 / a monitoring indicator was hit';
COMMENT ON COLUMN taxshare.risk_score.blacklisted IS '本期在黑名单上 / on the blacklist during the period';
COMMENT ON COLUMN taxshare.risk_score.propagated IS '分数或等级因关联传导而提高 / score or grade raised by propagation';
COMMENT ON COLUMN taxshare.risk_score.response IS
  '规定应对方式: reminder 提示提醒, verification 税费核查, assessment 纳税评估, audit 税务稽查, referral 移送 / prescribed response';
COMMENT ON COLUMN taxshare.risk_score.reason_code IS
  '应对方式依据的代码; 文字由 risk_reason() 按 taxshare.language 生成 (risk_list.response_reason) / '
  'code of why this response; risk_reason() renders it in the language of taxshare.language (risk_list.response_reason)';
COMMENT ON COLUMN taxshare.risk_score.detail IS
  '评分明细的紧凑形式; risk_breakdown() 将其展开为 jsonb (risk_list.breakdown): 各因素加分, 风险点 (按金额), 命中的监控指标, 传导来源, 本年度已评估日期 / '
  'the breakdown in compact form; risk_breakdown() renders the jsonb (risk_list.breakdown): what each factor added, the points (largest amounts first), monitoring hits, propagation, the assessment that decided the response';
SELECT pg_catalog.pg_extension_config_dump('taxshare.risk_score', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'risk_score', 'rawd', 'rawd', 'r', '', '', '');

-- The breakdown and the response reason are stored compactly (a million rows
-- per period: the jsonb and the text were four fifths of each row and of the
-- write) and rendered only for the rows read.
CREATE FUNCTION taxshare.risk_breakdown(detail bytea) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'risk_breakdown'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.risk_breakdown(bytea) IS
  '将 risk_score.detail 展开为评分明细 jsonb (风险清单的 breakdown 列) / '
  'renders risk_score.detail as the breakdown jsonb (the breakdown column of risk_list)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'risk_breakdown(bytea)', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE FUNCTION taxshare.risk_reason(reason_code smallint, amount numeric, monitoring boolean, detail bytea)
RETURNS text
  AS 'MODULE_PATHNAME', 'risk_reason'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.risk_reason(smallint, numeric, boolean, bytea) IS
  '按 taxshare.language 生成应对方式的依据 (风险清单的 response_reason 列) / '
  'renders why a response was prescribed, in the language of taxshare.language (the response_reason column of risk_list)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'risk_reason(smallint, numeric, boolean, bytea)', 'X', 'X', 'X', 'X', 'X', 'X');

-- One row per graded period: when, by whom, with which parameters.
CREATE TABLE taxshare.risk_grading (
  period_start     date PRIMARY KEY,
  graded_at        timestamptz NOT NULL DEFAULT now(),
  graded_by        text NOT NULL DEFAULT session_user,
  params           jsonb NOT NULL,
  entities         bigint NOT NULL,
  high             bigint NOT NULL,
  medium           bigint NOT NULL,
  low              bigint NOT NULL,
  raised           bigint NOT NULL,
  points           bigint NOT NULL,
  unmapped_points  bigint NOT NULL DEFAULT 0,
  compute_seconds  float8,
  write_seconds    float8
);
COMMENT ON TABLE taxshare.risk_grading IS
  '各期最近一次评级: 时间、执行人、所用参数和各等级主体数 / the latest grading of each period: when, by whom, the parameters used and the counts';
COMMENT ON COLUMN taxshare.risk_grading.raised IS '因传导提高的主体数 / entities raised by propagation';
COMMENT ON COLUMN taxshare.risk_grading.unmapped_points IS
  '所属规则未对应指标的风险点数 (按严重程度 1 计) / points of rules without an indicator (counted with severity 1)';
COMMENT ON COLUMN taxshare.risk_grading.compute_seconds IS
  '读取风险点、评分、传导、排名所用时间 (秒) / seconds spent reading the points, scoring, propagating and ranking';
COMMENT ON COLUMN taxshare.risk_grading.write_seconds IS
  '清除旧结果并写入 risk_score 所用时间 (秒) / seconds spent replacing the period''s rows of risk_score';
SELECT pg_catalog.pg_extension_config_dump('taxshare.risk_grading', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'risk_grading', 'rawd', 'rawd', 'r', '', '', '');

CREATE FUNCTION taxshare.grade_risks(period_start date,
                                     OUT entities bigint, OUT high bigint, OUT medium bigint,
                                     OUT low bigint, OUT raised bigint, OUT points bigint)
RETURNS record
  AS 'MODULE_PATHNAME', 'grade_risks'
  LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION taxshare.grade_risks(date) IS
  '对该期所有新的或已确认的风险点评分定级: 按风险点数量、金额、违法程度、社会影响力加权, 监控指标直接定为高风险, 沿企业-人员关联传导 (最多提高一级), 排名并给出应对方式; 返回各等级主体数 / '
  'grade the period''s new and confirmed suspicious points: weighted on number of points, amount, degree of violation and social influence, monitoring indicators high outright, risk passed along person-enterprise links (one grade at most), ranked, with prescribed responses; returns counts';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'grade_risks(date)', 'X', 'X', 'X', 'X', 'X', 'X');
