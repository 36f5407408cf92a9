-- Deduction events: the facts the unit scoring reads (seeds/000 art. 30-34;
-- DOMAIN.md "Scoring the units").  This module writes the reporting part
-- (信息报送, 40 points): one event per item and per time a defect was not put
-- right within 5 working days, -2 points (art. 31 (二)).  Scoring (floors,
-- monthly counting, quarterly evaluation) is not done here.  Events are never
-- updated or deleted by taxshare: they are history.

CREATE TABLE taxshare.deduction_event (
  id            bigserial PRIMARY KEY,
  unit_code     text NOT NULL,
  part          text NOT NULL CHECK (part IN ('organisation', 'reporting', 'duty', 'confidentiality')),
  item_code     text,
  period_start  date,
  episode       integer,
  event_date    date NOT NULL,
  reason        text NOT NULL,
  points        integer NOT NULL CHECK (points < 0),
  source        text NOT NULL,
  detail        text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- an obligation's episode gives at most one event, however often the sweep runs
  CONSTRAINT deduction_event_once UNIQUE (source, unit_code, item_code, period_start, episode)
);
CREATE INDEX deduction_event_unit_date ON taxshare.deduction_event (unit_code, event_date);
COMMENT ON TABLE taxshare.deduction_event IS
  '考核扣分事件 (供单位考核使用): 信息报送部分每项每次 5 个工作日内未整改到位扣 2 分 (衡阳办法第三十一条) / '
  'scoring deduction events for the unit scoring to read: in the reporting part, -2 per item and time not put right within 5 working days (seeds/000 art. 31)';
COMMENT ON COLUMN taxshare.deduction_event.part IS
  '考核部分: organisation 组织领导, reporting 信息报送, duty 履职尽责, confidentiality 保密管理 / part of the 100-point score';
COMMENT ON COLUMN taxshare.deduction_event.episode IS
  '该报送义务的第几次需整改 (rectification_window.episode) / defect episode of the obligation';
COMMENT ON COLUMN taxshare.deduction_event.event_date IS
  '扣分发生日: 整改期最后一天的次日 / day the deduction was incurred: the day after the window''s last day';
COMMENT ON COLUMN taxshare.deduction_event.reason IS
  '原因代码: missing 逾期未报, rejected 报送被退回, accepted_with_errors 报送有错误 / reason code';
COMMENT ON COLUMN taxshare.deduction_event.points IS
  '分值变化 (负数) / change to the score (negative)';
COMMENT ON COLUMN taxshare.deduction_event.source IS
  '产生事件的模块, 本模块为 obligation / module that recorded the event (obligation here)';
COMMENT ON COLUMN taxshare.deduction_event.detail IS
  '按 taxshare.language 的中文或英文说明 / explanation in Chinese or English per taxshare.language';
SELECT pg_catalog.pg_extension_config_dump('taxshare.deduction_event', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.deduction_event_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'deduction_event', 'rawd', 'r', 'r', 'r', 'r', '');
