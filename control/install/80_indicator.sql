-- Risk indicators and the blacklist (DOMAIN.md "From data to risk"; seeds/003
-- the Binzhou monitoring and analysis indicators; seeds/000 art. 20).  Every
-- match_rule names the indicator its points count under; grade_risks()
-- (82_grading.sql, src/risk/risk_read.c) reads kind, severity, social_impact,
-- weight and response from here.  Guide: docs/risk.md.

CREATE TABLE taxshare.indicator (
  code           text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,63}$'),
  name           text NOT NULL CHECK (btrim(name) <> ''),
  name_en        text NOT NULL CHECK (btrim(name_en) <> ''),
  kind           text NOT NULL CHECK (kind IN ('monitoring', 'analysis')),
  severity       integer NOT NULL CHECK (severity BETWEEN 1 AND 5),
  social_impact  integer NOT NULL CHECK (social_impact BETWEEN 1 AND 5),
  weight         float8 NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 100),
  subject        text NOT NULL DEFAULT 'any' CHECK (subject IN ('enterprise', 'person', 'any')),
  response       text CHECK (response IN ('verification', 'referral')),
  description    text,
  source         text,
  active         boolean NOT NULL DEFAULT true,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.indicator IS
  '风险指标: monitoring 监控指标 (硬性, 命中即为高风险) 与 analysis 分析指标 (软性, 按因素评分); 每条比对规则对应一个指标 / '
  'risk indicators: monitoring (hard: any hit makes the grade high) and analysis (soft: scored on the factors); every match rule maps to one';
COMMENT ON COLUMN taxshare.indicator.code IS
  '指标代码, 监控指标 M 开头, 分析指标 A 开头 / indicator code (M.. monitoring, A.. analysis by convention)';
COMMENT ON COLUMN taxshare.indicator.name IS '指标名称 (中文) / name in Chinese';
COMMENT ON COLUMN taxshare.indicator.name_en IS '指标名称 (英文) / name in English';
COMMENT ON COLUMN taxshare.indicator.kind IS
  'monitoring 监控指标 (硬性) | analysis 分析指标 (软性) / hard or soft indicator';
COMMENT ON COLUMN taxshare.indicator.severity IS
  '违法违规程度 1 (轻) .. 5 (重), 评分因素之一 / degree of violation 1..5, a scoring factor';
COMMENT ON COLUMN taxshare.indicator.social_impact IS
  '社会影响力 1 .. 5, 评分因素之一 / social influence 1..5, a scoring factor';
COMMENT ON COLUMN taxshare.indicator.weight IS
  '每个风险点按此权重计入风险点数量因素 / each point of this indicator counts this much towards the number-of-points factor';
COMMENT ON COLUMN taxshare.indicator.subject IS
  '适用主体: enterprise 企业, person 个人, any 均可 (说明性) / whom the indicator is about (informative)';
COMMENT ON COLUMN taxshare.indicator.response IS
  '指标要求的应对方式: verification 低风险时也须核查, referral 高风险时移送而非稽查; 为空按等级默认 / '
  'response the indicator asks for: verification (even when low), referral (instead of an audit when high); NULL: the grade''s default';
COMMENT ON COLUMN taxshare.indicator.source IS
  '出处 (种子文件与条款) / where the indicator comes from (seed document and article)';
COMMENT ON COLUMN taxshare.indicator.active IS
  '停用的指标不参与评分 / points of an inactive indicator are not graded';
INSERT INTO taxshare.privilege_plan VALUES ('table', 'indicator', 'rawd', 'rawd', 'r', '', 'r', '');

-- Every row is dumped (tuned weights must survive pg_dump), and on restore
-- CREATE EXTENSION has already inserted the starter set: an INSERT of an
-- existing code therefore updates that row (the pattern of taxshare.holiday),
-- with the row's own updated_at (now() by default; the dumped time when a
-- dump is restored, which must not look like a change made today).
CREATE FUNCTION taxshare.indicator_replace() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  UPDATE taxshare.indicator
     SET name = NEW.name, name_en = NEW.name_en, kind = NEW.kind, severity = NEW.severity,
         social_impact = NEW.social_impact, weight = NEW.weight, subject = NEW.subject,
         response = NEW.response, description = NEW.description, source = NEW.source,
         active = NEW.active, updated_at = NEW.updated_at
   WHERE code = NEW.code;
  IF FOUND THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare.indicator_replace() IS
  '触发器: 插入已有指标代码时改为更新该行 (pg_dump 恢复不会主键冲突) / '
  'trigger: inserting an existing indicator code updates that row instead (a pg_dump restore never fails on the key)';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'indicator_replace()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER indicator_replace BEFORE INSERT ON taxshare.indicator
  FOR EACH ROW EXECUTE FUNCTION taxshare.indicator_replace();
SELECT pg_catalog.pg_extension_config_dump('taxshare.indicator', '');

-- The starter set.  Monitoring: the Binzhou system's 21 hard indicators
-- (seeds/003: "重点监控指标为硬性指标 ... 对公安立案、稽查立案等重大风险信息
-- 进行监控"; the report names only some, the rest are the hard facts of the
-- same kind the tax law names: art. 20 (四) of seeds/000 lists 逃避缴纳税款、
-- 逃避追缴欠税、骗取出口退税、抗税 as grounds for referral).  Analysis: the
-- Binzhou example and the cross-checks of DOMAIN.md; A01..A06 are the codes
-- the matcher's starter rules use.
INSERT INTO taxshare.indicator (code, name, name_en, kind, severity, social_impact, weight, subject, response, source, description) VALUES
  ('M01_POLICE_CASE', '公安机关涉税立案', 'police case filed on a tax matter', 'monitoring', 5, 5, 1, 'any', 'referral', '003',
   '公安机关已对涉税违法犯罪立案 / the police have opened a case of a tax offence'),
  ('M02_INSPECTION_CASE', '税务稽查立案', 'tax inspection case filed', 'monitoring', 5, 4, 1, 'any', NULL, '003',
   '税务稽查部门已立案检查 / the tax inspection bureau has opened a case'),
  ('M03_ABNORMAL_TAXPAYER', '非正常户', 'abnormal taxpayer (非正常户)', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '未按期申报且税务机关无法联系, 被认定为非正常户 / failed to file and could not be reached: declared an abnormal taxpayer'),
  ('M04_ABSCONDED', '走逃(失联)企业', 'absconded (unreachable) enterprise', 'monitoring', 5, 4, 1, 'enterprise', 'referral', '003',
   '经实地核查查无下落的走逃企业 / not found at any known address on a field check'),
  ('M05_INVOICE_FRAUD', '虚开发票', 'issuing false invoices', 'monitoring', 5, 5, 1, 'enterprise', 'referral', '003',
   '虚开增值税专用发票或普通发票 / issued VAT or ordinary invoices without real transactions'),
  ('M06_FALSE_INVOICE_RECEIVED', '接受虚开发票', 'receiving false invoices', 'monitoring', 4, 4, 1, 'enterprise', NULL, '003',
   '取得并抵扣虚开发票 / received and deducted falsely issued invoices'),
  ('M07_BLACKLIST_KEY_ROLE', '黑名单人员担任关键岗位', 'blacklisted person in a key role', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '法定代表人、财务负责人或办税人员在黑名单上 / the legal representative, finance head or tax handler is blacklisted'),
  ('M08_MAJOR_VIOLATION', '重大税收违法失信主体', 'listed major tax violator', 'monitoring', 5, 5, 1, 'any', NULL, '003',
   '已公布为重大税收违法失信主体 / published as a major tax violator'),
  ('M09_EXPORT_REFUND_FRAUD', '骗取出口退税', 'export tax refund fraud', 'monitoring', 5, 5, 1, 'enterprise', 'referral', '000 art. 20',
   '以假报出口等手段骗取出口退税 / obtained export refunds by false exports'),
  ('M10_TAX_RESISTANCE', '抗税', 'resisting taxation', 'monitoring', 5, 5, 1, 'any', 'referral', '000 art. 20',
   '以暴力、威胁方法拒不缴纳税款 / refused to pay by violence or threats'),
  ('M11_EVADING_ARREARS', '逃避追缴欠税', 'evading recovery of tax arrears', 'monitoring', 5, 4, 1, 'any', NULL, '000 art. 20',
   '转移、隐匿财产致使无法追缴欠税 / moved or hid assets so that arrears cannot be recovered'),
  ('M12_LARGE_ARREARS', '大额欠税', 'large tax arrears', 'monitoring', 4, 3, 1, 'any', NULL, '003',
   '欠税达到公告标准 / arrears large enough to be published'),
  ('M13_IDENTITY_FRAUD', '冒用他人身份办税', 'tax handling under another''s identity', 'monitoring', 4, 4, 1, 'person', 'referral', '003',
   '实名办税核验发现冒名办税 / real-name verification found someone acting under another''s identity'),
  ('M14_FALSE_REGISTRATION', '虚假登记注册', 'false registration', 'monitoring', 4, 4, 1, 'enterprise', 'referral', '003',
   '冒用他人身份证件或虚假材料登记注册 / registered with borrowed identity documents or false papers'),
  ('M15_ABNORMAL_VAT_VOUCHER', '异常增值税扣税凭证', 'abnormal VAT deduction vouchers', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '取得列入异常凭证范围的增值税扣税凭证 / holds VAT vouchers listed as abnormal'),
  ('M16_INVOICE_SURGE', '发票领用量异常激增', 'abnormal surge in invoice use', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '短期内发票领用或开具量激增 / invoice supply or issuance jumped within a short time'),
  ('M17_JUDGMENT_DEFAULTER', '失信被执行人', 'dishonest judgment defaulter', 'monitoring', 3, 4, 1, 'any', NULL, '003',
   '人民法院公布的失信被执行人 / listed by the courts as a dishonest judgment defaulter'),
  ('M18_LICENCE_REVOKED', '吊销营业执照仍经营开票', 'trading after the business licence was revoked', 'monitoring', 4, 3, 1, 'enterprise', NULL, '003',
   '营业执照已吊销仍有开票或申报 / invoicing or filing after the licence was revoked'),
  ('M19_SUBSIDY_FRAUD', '骗取财政补贴', 'fiscal subsidy fraud', 'monitoring', 5, 4, 1, 'enterprise', 'referral', '003',
   '以虚假材料骗取财政补贴或专项资金 / obtained subsidies or special funds with false papers'),
  ('M20_SOCIAL_INSURANCE_FRAUD', '骗取社会保险基金', 'social insurance fund fraud', 'monitoring', 5, 4, 1, 'any', 'referral', '003',
   '骗取社会保险基金或待遇 / obtained social insurance funds or benefits by fraud'),
  ('M21_EXIT_RESTRICTED', '欠税阻止出境', 'exit restriction for tax arrears', 'monitoring', 4, 3, 1, 'person', NULL, '003',
   '欠税人或其法定代表人被阻止出境 / the debtor or its legal representative is barred from leaving the country'),
  ('A01_PROPERTY_DEED_TAX', '不动产交易未缴契税', 'property sold, deed tax not paid', 'analysis', 3, 2, 1, 'any', NULL, 'DOMAIN cross-check',
   '住建网签或不动产登记有交易而无契税缴纳 / a housing contract or property registration without deed tax'),
  ('A02_LAND_USE_TAX', '土地出让后未申报城镇土地使用税', 'land transferred, land-use tax not declared', 'analysis', 3, 2, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '自然资源部门土地出让而无城镇土地使用税申报 / a land transfer without land-use tax declarations'),
  ('A03_CONSTRUCTION_VAT', '施工许可项目未申报建筑业增值税', 'construction permit without construction VAT', 'analysis', 3, 2, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '施工许可项目在项目所在地无建筑业增值税预缴 / a permitted construction project without VAT prepaid where it is built'),
  ('A04_UNREGISTERED_TAXPAYER', '新设立登记未办理税务登记', 'registered business without tax registration', 'analysis', 2, 2, 1, 'enterprise', 'verification', 'DOMAIN cross-check',
   '市场监管新设立登记而无税务登记信息确认 / a new business registration not followed by tax registration'),
  ('A05_SOCIAL_INSURANCE_WITHHOLDING', '社保缴费人数远超个税扣缴人数', 'social-insurance headcount far above wage-tax withholding', 'analysis', 3, 3, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '人社部门参保人数明显多于个人所得税全员全额扣缴人数 / more insured employees than persons the wage tax is withheld for'),
  ('A06_GOVT_PAYMENT_INVOICE', '财政支付未开具发票', 'government payment without an invoice', 'analysis', 3, 3, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '财政国库支付给企业的款项无对应发票 / treasury payments to an enterprise without matching invoices'),
  ('A07_LOSS_INVESTOR_PROPERTY', '长期亏损企业投资人购置高价房产', 'investor of loss-making companies buys high-value property', 'analysis', 3, 3, 1, 'person', 'verification', '003',
   '投资的企业一直亏损, 投资人却购入高价房产 (滨州示例) / the companies invested in always lose money, yet the investor buys expensive property (the Binzhou example)'),
  ('A08_ELECTRICITY_REVENUE', '用电量高而申报收入低', 'high electricity use with low declared revenue', 'analysis', 3, 2, 1, 'enterprise', NULL, 'DOMAIN cross-check',
   '供电部门用电量与申报收入明显不匹配 / electricity use out of proportion with declared revenue'),
  ('A09_VEHICLE_TAX', '车辆登记未缴车船税或车辆购置税', 'vehicle registered, vehicle taxes not paid', 'analysis', 2, 1, 1, 'any', NULL, 'DOMAIN cross-check',
   '公安交管车辆登记而无车船税、车辆购置税 / a vehicle registration without vehicle and vessel tax or purchase tax'),
  ('A10_COURT_AUCTION_TAX', '司法拍卖未缴转让环节税费', 'court auction without transfer taxes', 'analysis', 3, 2, 1, 'any', NULL, 'DOMAIN cross-check',
   '法院司法拍卖成交而无转让环节税费 / a court auction sale without the taxes due on the transfer'),
  ('A11_EQUITY_TRANSFER_IIT', '股权转让未申报个人所得税', 'equity transfer without income tax on the gain', 'analysis', 4, 3, 1, 'person', NULL, 'DOMAIN cross-check',
   '市场监管股权变更而无财产转让所得个人所得税 / an equity change without income tax on the gain');

-- The matcher's rules name their indicator (schema contract): the key is added
-- here, after the starter set exists, because the matcher's files come first.
DO $$
BEGIN
  IF pg_catalog.to_regclass('taxshare.match_rule') IS NOT NULL THEN
    ALTER TABLE taxshare.match_rule
      ADD CONSTRAINT match_rule_indicator_fkey FOREIGN KEY (indicator_code)
      REFERENCES taxshare.indicator (code) ON UPDATE CASCADE;
  END IF;
END
$$;

-- The blacklist (黑名单, seeds/003: "实现黑名单纳税人和办税人员的维护监控").
-- An entry names an entity directly or by identifier; entries by identifier
-- find their entity when it appears (view blacklist_entity).
CREATE TABLE taxshare.blacklist (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('person', 'enterprise')),
  entity_id    bigint REFERENCES taxshare.entity (id),
  uscc         text,
  idcard       text,
  orgcode      text,
  name         text,
  reason       text NOT NULL CHECK (btrim(reason) <> ''),
  listed_on    date NOT NULL,
  delisted_on  date,
  source       text NOT NULL CHECK (btrim(source) <> ''),
  note         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL DEFAULT session_user,
  CONSTRAINT blacklist_names_someone
    CHECK (entity_id IS NOT NULL OR uscc IS NOT NULL OR idcard IS NOT NULL OR orgcode IS NOT NULL),
  CONSTRAINT blacklist_dates CHECK (delisted_on IS NULL OR delisted_on >= listed_on),
  CONSTRAINT blacklist_idcard_person CHECK (idcard IS NULL OR kind = 'person')
);
CREATE INDEX blacklist_by_entity ON taxshare.blacklist (entity_id) WHERE entity_id IS NOT NULL;
CREATE INDEX blacklist_by_uscc ON taxshare.blacklist (uscc) WHERE uscc IS NOT NULL;
CREATE INDEX blacklist_by_idcard ON taxshare.blacklist (idcard) WHERE idcard IS NOT NULL;
COMMENT ON TABLE taxshare.blacklist IS
  '黑名单: 列入的个人和企业, 含原因、来源和起止日期; 在名单期内的主体在风险评级中向关联主体传导风险 / '
  'blacklist of persons and enterprises with reason, source and dates; while listed, an entity raises the entities linked to it in grade_risks()';
COMMENT ON COLUMN taxshare.blacklist.entity_id IS
  '主体 (可为空, 按标识匹配) / the entity, or NULL to match by identifier';
COMMENT ON COLUMN taxshare.blacklist.reason IS '列入原因 / why listed';
COMMENT ON COLUMN taxshare.blacklist.listed_on IS '列入日期 / listed on';
COMMENT ON COLUMN taxshare.blacklist.delisted_on IS '移出日期 (当日起不在名单) / delisted on (not listed from that day)';
COMMENT ON COLUMN taxshare.blacklist.source IS '来源 (如 税务局、法院、公安) / who listed it';
SELECT pg_catalog.pg_extension_config_dump('taxshare.blacklist', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.blacklist_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'blacklist', 'rawd', 'rawd', 'r', '', '', '');

CREATE FUNCTION taxshare.blacklist_normalize() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
DECLARE
  k text;
BEGIN
  NEW.uscc := nullif(taxshare.normalize_ident(NEW.uscc), '');
  NEW.idcard := nullif(taxshare.normalize_ident(NEW.idcard), '');
  NEW.orgcode := nullif(replace(taxshare.normalize_ident(NEW.orgcode), '-', ''), '');
  IF NEW.idcard IS NOT NULL AND length(NEW.idcard) = 15 THEN
    NEW.idcard := coalesce(taxshare.idcard_upgrade(NEW.idcard), NEW.idcard);
  END IF;
  IF NEW.entity_id IS NOT NULL THEN
    SELECT e.kind INTO k FROM taxshare.entity e WHERE e.id = NEW.entity_id;
    IF k IS DISTINCT FROM NEW.kind THEN
      RAISE EXCEPTION 'blacklist entry of kind "%" names % entity %', NEW.kind, coalesce(k, 'no'), NEW.entity_id
        USING ERRCODE = '22023',
              HINT = 'The kind must be the kind of the entity (person or enterprise).';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION taxshare.blacklist_normalize() IS
  '触发器: 规范化黑名单标识 (全角、大小写、15 位身份证升位) 并检查主体类别 / '
  'trigger: normalise blacklist identifiers (full width, case, 15-digit IDs upgraded) and check the entity''s kind';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'blacklist_normalize()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER blacklist_normalize BEFORE INSERT OR UPDATE ON taxshare.blacklist
  FOR EACH ROW EXECUTE FUNCTION taxshare.blacklist_normalize();

-- Each entry with the entity it names: directly, or by USCC, resident ID or
-- organization code.  Equality joins (one per identifier) so that the
-- entity's unique indexes are used.
CREATE VIEW taxshare.blacklist_entity AS
  SELECT b.id AS blacklist_id, b.entity_id, b.kind, b.reason, b.listed_on, b.delisted_on, b.source
    FROM taxshare.blacklist b WHERE b.entity_id IS NOT NULL
  UNION ALL
  SELECT b.id, e.id, b.kind, b.reason, b.listed_on, b.delisted_on, b.source
    FROM taxshare.blacklist b JOIN taxshare.entity e ON e.uscc = b.uscc
   WHERE b.entity_id IS NULL AND b.uscc IS NOT NULL
  UNION ALL
  SELECT b.id, e.id, b.kind, b.reason, b.listed_on, b.delisted_on, b.source
    FROM taxshare.blacklist b JOIN taxshare.entity e ON e.idcard = b.idcard
   WHERE b.entity_id IS NULL AND b.uscc IS NULL AND b.idcard IS NOT NULL
  UNION ALL
  SELECT b.id, e.id, b.kind, b.reason, b.listed_on, b.delisted_on, b.source
    FROM taxshare.blacklist b JOIN taxshare.entity e ON e.orgcode = b.orgcode
   WHERE b.entity_id IS NULL AND b.uscc IS NULL AND b.idcard IS NULL AND b.orgcode IS NOT NULL;
COMMENT ON VIEW taxshare.blacklist_entity IS
  '黑名单条目及其对应主体 (直接指定或按统一社会信用代码、身份证号、组织机构代码匹配) / '
  'blacklist entries with the entity each names (directly or by USCC, resident ID or organization code)';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'blacklist_entity', 'r', 'r', 'r', '', '', '');
