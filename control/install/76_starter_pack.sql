-- The starter pack: catalog items and cross-check rules for six of the
-- comparisons DOMAIN.md lists ("From data to risk"): property sales vs deed
-- tax, land transfers vs land-use tax, construction permits vs construction
-- VAT, new registrations vs tax registration, social-insurance headcount vs
-- wage withholding, government payments vs invoices.  Plus the registry
-- items that say who stands behind each enterprise (party_link).
--
-- It is a function, not rows written by CREATE EXTENSION: the tables it
-- fills are configuration tables that pg_dump saves, and rows written at
-- CREATE EXTENSION would be restored twice.  Run it once per database; it is
-- idempotent (catalog_define returns the current version for an identical
-- definition, the other rows are inserted ON CONFLICT DO NOTHING), so running
-- it again after an upgrade adds what is new and changes nothing else.

CREATE FUNCTION taxshare.starter_pack_install()
RETURNS TABLE (kind text, code text, title text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d jsonb;
BEGIN
  INSERT INTO taxshare.unit (code, name, kind) VALUES
    ('ZJJ',   '住房和城乡建设局',     'department'),
    ('ZRZYJ', '自然资源和规划局',     'department'),
    ('SCJGJ', '市场监督管理局',       'department'),
    ('RSJ',   '人力资源和社会保障局', 'department'),
    ('CZJ',   '财政局',               'department'),
    ('SWJ',   '税务局',               'tax')
  ON CONFLICT DO NOTHING;

  -- The tax bureau's taxpayer IDs are of every era (USCC, legacy
  -- 15-character, resident ID + 00), so they are text fields its parties name
  -- as taxpayer_id for the resolver; addresses and phones help with names.
  FOR d IN SELECT x FROM jsonb_array_elements($items$[
  {"code": "ZJ-SPF-001", "title": "商品房网签备案信息", "provider": "ZJJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "契税、增值税征管比对",
   "description": "新建商品房买卖合同网签备案, 每月 10 日前报送上月数据",
   "schema": {"fields": [
     {"name": "contract_no", "title": "合同备案号", "type": "string", "constraints": {"required": true}},
     {"name": "project_name", "title": "项目名称", "type": "string"},
     {"name": "seller_uscc", "title": "出卖人统一社会信用代码", "type": "uscc"},
     {"name": "seller_name", "title": "出卖人名称", "type": "string", "constraints": {"required": true}},
     {"name": "buyer_name", "title": "买受人名称", "type": "string", "constraints": {"required": true}},
     {"name": "buyer_idcard", "title": "买受人身份证号码", "type": "idcard"},
     {"name": "buyer_uscc", "title": "买受人统一社会信用代码", "type": "uscc"},
     {"name": "house_address", "title": "房屋坐落", "type": "string"},
     {"name": "house_use", "title": "房屋用途", "type": "string", "constraints": {"enum": ["住宅", "商业", "办公", "车位", "其他"]}},
     {"name": "area", "title": "建筑面积(平方米)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "price", "title": "合同总价(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "sign_date", "title": "签约日期", "type": "date", "constraints": {"required": true}},
     {"name": "record_date", "title": "备案日期", "type": "date"}],
    "primaryKey": "contract_no"},
   "parties": [{"role": "seller", "uscc": "seller_uscc", "name": "seller_name"},
               {"role": "buyer", "idcard": "buyer_idcard", "uscc": "buyer_uscc", "name": "buyer_name"}],
   "rules": [{"rule": "lte", "fields": ["sign_date", "record_date"]}]},

  {"code": "SW-QS-001", "title": "契税申报信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional", "scope": "契税征管比对",
   "schema": {"fields": [
     {"name": "declaration_no", "title": "申报表编号", "type": "string", "constraints": {"required": true}},
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string"},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "property_address", "title": "房屋坐落", "type": "string"},
     {"name": "contract_no", "title": "合同编号", "type": "string"},
     {"name": "tax_base", "title": "计税依据(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "tax_rate", "title": "适用税率", "type": "number", "constraints": {"minimum": 0, "maximum": 0.05}},
     {"name": "tax_amount", "title": "应纳税额(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "declared_on", "title": "申报日期", "type": "date"}],
    "primaryKey": "declaration_no"},
   "parties": [{"role": "taxpayer", "taxpayer_id": "taxpayer_id", "name": "taxpayer_name"}]},

  {"code": "ZRZY-CR-001", "title": "国有建设用地使用权出让信息", "provider": "ZRZYJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "城镇土地使用税、契税征管比对",
   "schema": {"fields": [
     {"name": "contract_no", "title": "出让合同编号", "type": "string", "constraints": {"required": true}},
     {"name": "parcel_no", "title": "宗地编号", "type": "string"},
     {"name": "location", "title": "宗地坐落", "type": "string"},
     {"name": "land_use", "title": "土地用途", "type": "string"},
     {"name": "area", "title": "出让面积(平方米)", "type": "number", "constraints": {"required": true, "minimum": 0}},
     {"name": "price", "title": "成交价款(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "transferee_uscc", "title": "受让人统一社会信用代码", "type": "uscc"},
     {"name": "transferee_name", "title": "受让人名称", "type": "string", "constraints": {"required": true}},
     {"name": "sign_date", "title": "合同签订日期", "type": "date"},
     {"name": "delivery_date", "title": "约定交地日期", "type": "date"}],
    "primaryKey": "contract_no"},
   "parties": [{"role": "transferee", "uscc": "transferee_uscc", "name": "transferee_name"}]},

  {"code": "SW-TDSYS-001", "title": "城镇土地使用税申报信息", "provider": "SWJ", "frequency": "quarterly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string"},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "parcel_location", "title": "土地坐落", "type": "string"},
     {"name": "taxable_area", "title": "应税面积(平方米)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "unit_tax", "title": "单位税额(元/平方米)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "tax_amount", "title": "本期应纳税额(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "taxpayer", "taxpayer_id": "taxpayer_id", "name": "taxpayer_name"}]},

  {"code": "ZJ-SGXK-001", "title": "建筑工程施工许可信息", "provider": "ZJJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "建筑业增值税征管比对",
   "schema": {"fields": [
     {"name": "permit_no", "title": "施工许可证编号", "type": "string", "constraints": {"required": true}},
     {"name": "project_name", "title": "工程名称", "type": "string"},
     {"name": "project_address", "title": "建设地址", "type": "string"},
     {"name": "owner_uscc", "title": "建设单位统一社会信用代码", "type": "uscc"},
     {"name": "owner_name", "title": "建设单位名称", "type": "string"},
     {"name": "builder_uscc", "title": "施工单位统一社会信用代码", "type": "uscc"},
     {"name": "builder_name", "title": "施工单位名称", "type": "string", "constraints": {"required": true}},
     {"name": "contract_amount", "title": "合同价格(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "floor_area", "title": "建筑面积(平方米)", "type": "number"},
     {"name": "issue_date", "title": "发证日期", "type": "date"}],
    "primaryKey": "permit_no"},
   "parties": [{"role": "owner", "kind": "enterprise", "uscc": "owner_uscc", "name": "owner_name"},
               {"role": "builder", "kind": "enterprise", "uscc": "builder_uscc", "name": "builder_name"}]},

  {"code": "SW-JZYZZS-001", "title": "建筑服务增值税预缴申报信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string"},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "project_name", "title": "项目名称", "type": "string"},
     {"name": "project_address", "title": "项目地址", "type": "string"},
     {"name": "sales_amount", "title": "含税销售额(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "prepaid_tax", "title": "预缴税款(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "taxpayer", "kind": "enterprise", "taxpayer_id": "taxpayer_id",
                "name": "taxpayer_name"}]},

  {"code": "SCJG-DJ-001", "title": "企业设立登记信息", "provider": "SCJGJ", "frequency": "monthly",
   "sharing": "unconditional", "scope": "税务登记、关联人员管理",
   "schema": {"fields": [
     {"name": "uscc", "title": "统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
     {"name": "name", "title": "企业名称", "type": "string", "constraints": {"required": true}},
     {"name": "enterprise_type", "title": "企业类型", "type": "string"},
     {"name": "address", "title": "住所", "type": "string"},
     {"name": "region", "title": "住所所在行政区划", "type": "division"},
     {"name": "phone", "title": "联系电话", "type": "phone"},
     {"name": "registered_capital", "title": "注册资本(万元)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "established_on", "title": "成立日期", "type": "date", "constraints": {"required": true}},
     {"name": "legal_rep_name", "title": "法定代表人", "type": "string"},
     {"name": "legal_rep_idcard", "title": "法定代表人身份证号码", "type": "idcard"},
     {"name": "finance_head_name", "title": "财务负责人", "type": "string"},
     {"name": "finance_head_idcard", "title": "财务负责人身份证号码", "type": "idcard"},
     {"name": "tax_handler_name", "title": "办税人", "type": "string"},
     {"name": "tax_handler_idcard", "title": "办税人身份证号码", "type": "idcard"}],
    "primaryKey": "uscc"},
   "parties": [{"role": "enterprise", "kind": "enterprise", "uscc": "uscc", "name": "name",
                "region": "region", "address": "address", "phone": "phone"},
               {"role": "legal_rep", "kind": "person", "idcard": "legal_rep_idcard", "name": "legal_rep_name"},
               {"role": "finance_head", "kind": "person", "idcard": "finance_head_idcard", "name": "finance_head_name"},
               {"role": "tax_handler", "kind": "person", "idcard": "tax_handler_idcard", "name": "tax_handler_name"}]},

  {"code": "SCJG-GD-001", "title": "企业股东及出资信息", "provider": "SCJGJ", "frequency": "monthly",
   "sharing": "unconditional", "scope": "关联人员管理",
   "schema": {"fields": [
     {"name": "uscc", "title": "企业统一社会信用代码", "type": "uscc", "constraints": {"required": true}},
     {"name": "name", "title": "企业名称", "type": "string"},
     {"name": "investor_name", "title": "股东名称", "type": "string", "constraints": {"required": true}},
     {"name": "investor_idcard", "title": "股东身份证号码", "type": "idcard"},
     {"name": "investor_uscc", "title": "股东统一社会信用代码", "type": "uscc"},
     {"name": "share", "title": "出资比例(%)", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
     {"name": "subscribed", "title": "认缴出资额(万元)", "type": "number", "constraints": {"minimum": 0}},
     {"name": "changed_on", "title": "变更日期", "type": "date"}]},
   "parties": [{"role": "enterprise", "uscc": "uscc", "name": "name"},
               {"role": "investor", "idcard": "investor_idcard", "uscc": "investor_uscc", "name": "investor_name"}]},

  {"code": "SW-DJ-001", "title": "税务登记信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "taxpayer_id", "title": "纳税人识别号", "type": "string", "constraints": {"required": true}},
     {"name": "taxpayer_name", "title": "纳税人名称", "type": "string", "constraints": {"required": true}},
     {"name": "taxpayer_status", "title": "纳税人状态", "type": "string"},
     {"name": "address", "title": "生产经营地址", "type": "string"},
     {"name": "phone", "title": "联系电话", "type": "string"},
     {"name": "registered_on", "title": "登记日期", "type": "date"}]},
   "parties": [{"role": "taxpayer", "taxpayer_id": "taxpayer_id", "name": "taxpayer_name",
                "address": "address", "phone": "phone"}]},

  {"code": "RS-SB-001", "title": "社会保险参保缴费信息", "provider": "RSJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "个人所得税扣缴比对",
   "schema": {"fields": [
     {"name": "employer_uscc", "title": "单位统一社会信用代码", "type": "uscc"},
     {"name": "employer_name", "title": "单位名称", "type": "string", "constraints": {"required": true}},
     {"name": "insured_count", "title": "参保人数", "type": "integer", "constraints": {"required": true, "minimum": 0}},
     {"name": "wage_base_total", "title": "缴费基数合计(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "paid_amount", "title": "实缴金额(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "employer", "kind": "enterprise", "uscc": "employer_uscc", "name": "employer_name"}]},

  {"code": "SW-GSKJ-001", "title": "个人所得税扣缴申报信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "withholder_id", "title": "扣缴义务人纳税人识别号", "type": "string"},
     {"name": "withholder_name", "title": "扣缴义务人名称", "type": "string", "constraints": {"required": true}},
     {"name": "withheld_count", "title": "扣缴申报人数", "type": "integer", "constraints": {"required": true, "minimum": 0}},
     {"name": "income_total", "title": "收入额合计(元)", "type": "amount", "constraints": {"minimum": 0}},
     {"name": "tax_withheld", "title": "已扣缴税额(元)", "type": "amount", "constraints": {"minimum": 0}}]},
   "parties": [{"role": "withholder", "kind": "enterprise", "taxpayer_id": "withholder_id",
                "name": "withholder_name"}]},

  {"code": "CZ-GKZF-001", "title": "国库集中支付信息", "provider": "CZJ", "frequency": "monthly",
   "sharing": "conditional", "users": ["SWJ"], "scope": "发票开具比对",
   "schema": {"fields": [
     {"name": "voucher_no", "title": "支付凭证号", "type": "string", "constraints": {"required": true}},
     {"name": "budget_unit", "title": "预算单位", "type": "string"},
     {"name": "payee_uscc", "title": "收款人统一社会信用代码", "type": "uscc"},
     {"name": "payee_name", "title": "收款人全称", "type": "string", "constraints": {"required": true}},
     {"name": "payee_account", "title": "收款人账号", "type": "string"},
     {"name": "amount", "title": "支付金额(元)", "type": "amount", "constraints": {"required": true, "minimum": 0}},
     {"name": "purpose", "title": "用途", "type": "string"},
     {"name": "paid_on", "title": "支付日期", "type": "date"}],
    "primaryKey": "voucher_no"},
   "parties": [{"role": "payee", "kind": "enterprise", "uscc": "payee_uscc", "name": "payee_name"}]},

  {"code": "SW-FP-001", "title": "增值税发票开具汇总信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "conditional",
   "schema": {"fields": [
     {"name": "seller_id", "title": "销售方纳税人识别号", "type": "string"},
     {"name": "seller_name", "title": "销售方名称", "type": "string", "constraints": {"required": true}},
     {"name": "invoice_count", "title": "开具份数", "type": "integer", "constraints": {"minimum": 0}},
     {"name": "amount_total", "title": "金额合计(不含税, 元)", "type": "amount"},
     {"name": "tax_total", "title": "税额合计(元)", "type": "amount"},
     {"name": "amount_with_tax", "title": "价税合计(元)", "type": "amount", "constraints": {"required": true}}]},
   "parties": [{"role": "seller", "kind": "enterprise", "taxpayer_id": "seller_id", "name": "seller_name"}]},

  {"code": "SW-RK-001", "title": "税收收入入库信息", "provider": "SWJ", "frequency": "monthly",
   "sharing": "unconditional", "scope": "收入监控、入库预警、收入预测",
   "description": "按税种、区域汇总的当月入库税款, 由税务局或国库报送, 每月 10 日前报送上月数据",
   "schema": {"fields": [
     {"name": "tax_type", "title": "税种", "type": "string", "constraints": {"required": true, "enum":
       ["增值税", "企业所得税", "个人所得税", "契税", "城镇土地使用税", "土地增值税", "房产税", "印花税",
        "车船税", "耕地占用税", "资源税", "其他"]}},
     {"name": "region", "title": "区域(行政区划代码)", "type": "division"},
     {"name": "amount", "title": "入库金额(元)", "type": "amount", "constraints": {"required": true}},
     {"name": "source", "title": "数据来源", "type": "string", "constraints": {"enum": ["税务局", "国库"]}}],
    "primaryKey": ["tax_type", "region", "source"]}}
  ]$items$::jsonb) AS a(x)
  LOOP
    PERFORM taxshare.catalog_define(d);
    kind := 'item';
    code := d ->> 'code';
    title := d ->> 'title';
    RETURN NEXT;
  END LOOP;


  INSERT INTO taxshare.party_link_source (item_code, enterprise_role, person_role, link_role,
                                          share_field, valid_from_field, valid_to_field)
  VALUES ('SCJG-DJ-001', 'enterprise', 'legal_rep', 'legal_rep', NULL, 'established_on', NULL),
         ('SCJG-DJ-001', 'enterprise', 'finance_head', 'finance_head', NULL, 'established_on', NULL),
         ('SCJG-DJ-001', 'enterprise', 'tax_handler', 'tax_handler', NULL, 'established_on', NULL),
         ('SCJG-GD-001', 'enterprise', 'investor', 'investor', 'share', 'changed_on', NULL)
  ON CONFLICT DO NOTHING;

  -- The rules.  Rule codes equal the risk indicator codes they count towards.
  INSERT INTO taxshare.match_rule AS m (code, title, description, source_item, target_item, party_role,
                                        target_role, check_kind, expected_expr, source_amount_field,
                                        target_amount_field, tolerance_abs, tolerance_rel,
                                        period_window, indicator_code)
  VALUES
    ('A01_PROPERTY_DEED_TAX', '商品房网签与契税申报比对',
     '买受人当月网签的合同总价, 应在当月或次月的契税申报中作为计税依据申报; 申报计税依据低于合同价超过容差的, 疑为少报 (契税法 第四条: 计税依据为成交价格) / the buyer''s contract prices of the month should be declared as the deed-tax base this month or the next',
     'ZJ-SPF-001', 'SW-QS-001', 'buyer', 'taxpayer', 'amount_below', 'price', NULL, 'tax_base',
     1000, 0.01, '+1 month', 'A01_PROPERTY_DEED_TAX'),
    ('A02_LAND_USE_TAX', '土地出让与城镇土地使用税比对',
     '受让国有建设用地后三个月内无城镇土地使用税申报的, 疑为未申报; 涉及金额按最低年税额 0.6 元/平方米估算 (城镇土地使用税暂行条例 第四条) / a land transferee with no land-use tax declaration within three months; amount at the lowest annual rate',
     'ZRZY-CR-001', 'SW-TDSYS-001', 'transferee', 'taxpayer', 'missing', 'area * 0.6', NULL, NULL,
     NULL, NULL, '+3 months', 'A02_LAND_USE_TAX'),
    ('A03_CONSTRUCTION_VAT', '施工许可与建筑业增值税预缴比对',
     '取得施工许可后两个月内, 预缴税款低于合同价格 (含税) 按 9% 税率换算的不含税销售额的 2% 的一半以上的, 疑为未足额预缴 (财税〔2016〕36 号, 国家税务总局公告 2016 年第 17 号) / prepaid construction VAT within two months of the permit below half of 2% of the contract price net of 9% VAT',
     'ZJ-SGXK-001', 'SW-JZYZZS-001', 'builder', 'taxpayer', 'amount_below',
     'contract_amount / (1 + 9%) * 2%', NULL, 'prepaid_tax', 100, 0.5, '+2 months', 'A03_CONSTRUCTION_VAT'),
    ('A04_UNREGISTERED_TAXPAYER', '新设企业与税务登记比对',
     '市场监管部门当月新设立的企业, 次月底前在税务登记信息中没有记录的, 疑为未办理涉税信息确认 (税收征收管理法 第十五条) / an enterprise registered this month with no tax registration by the end of next month',
     'SCJG-DJ-001', 'SW-DJ-001', 'enterprise', 'taxpayer', 'missing', NULL, NULL, NULL,
     NULL, NULL, '+1 month', 'A04_UNREGISTERED_TAXPAYER'),
    ('A05_SOCIAL_INSURANCE_WITHHOLDING', '社保参保人数与个税扣缴人数比对',
     '单位当月社会保险参保人数与个人所得税扣缴申报人数相差超过 2 人且超过 10% 的, 疑为未全员全额扣缴申报 (个人所得税法 第九条、第十条) / insured headcount and withholding headcount of the month differ by more than 2 and more than 10%',
     'RS-SB-001', 'SW-GSKJ-001', 'employer', 'withholder', 'count_mismatch', NULL, 'insured_count',
     'withheld_count', 2, 0.1, 'same', 'A05_SOCIAL_INSURANCE_WITHHOLDING'),
    ('A06_GOVT_PAYMENT_INVOICE', '国库支付与发票开具比对',
     '财政当月支付给单位的款项, 收款单位当月及次月开具发票价税合计少于支付金额超过 1000 元且超过 5% 的, 疑为未开票收入 / treasury payments of the month not covered by invoices issued this month or the next (more than 1000 yuan and 5% short)',
     'CZ-GKZF-001', 'SW-FP-001', 'payee', 'seller', 'amount_below', 'amount', NULL, 'amount_with_tax',
     1000, 0.05, '+1 month', 'A06_GOVT_PAYMENT_INVOICE')
  ON CONFLICT ON CONSTRAINT match_rule_pkey DO NOTHING;

  -- Revenue watch (83_revenue.sql, docs/revenue.md): which rules' amounts are
  -- tax, and the thresholds of the receipts warning per tax type.
  INSERT INTO taxshare.revenue_source (rule_code, tax_type, factor, description) VALUES
    ('A01_PROPERTY_DEED_TAX', '契税', 0.03,
     '合同总价 (计税依据) × 3% (契税法 第三条: 税率 3%-5%, 按最低税率估计) / contract price (the tax base) times 3%, the lowest rate of the Deed Tax Law art. 3'),
    ('A03_CONSTRUCTION_VAT', '增值税', 1,
     '规则比较的已是预缴税款 / the rule already compares the VAT to prepay')
  ON CONFLICT DO NOTHING;
  INSERT INTO taxshare.revenue_param (tax_type, shortfall_rel, shortfall_abs, description)
  SELECT t, 0.10, 10000, '入门包默认: 短收超过应有的 10% 且超过 1 万元 / starter default: more than 10% and 10,000 yuan short'
    FROM unnest(ARRAY['增值税', '企业所得税', '个人所得税', '契税', '城镇土地使用税', '土地增值税', '房产税',
                      '印花税', '车船税', '耕地占用税', '资源税', '其他']) t
  ON CONFLICT DO NOTHING;

  RETURN QUERY SELECT 'rule'::text, r.code, r.title FROM taxshare.match_rule r
                WHERE r.code LIKE 'A0%' ORDER BY r.code;
END
$$;
COMMENT ON FUNCTION taxshare.starter_pack_install() IS
  '安装入门包: 六项交叉比对的共享目录条目、提供单位、当事方及比对规则, 税收入库条目与收入监控参数 (可重复执行) / install the starter pack: catalog items, provider units, parties and rules of six cross-checks, the tax receipts item and the revenue watch settings (idempotent)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'starter_pack_install()', 'X', 'X', 'X', 'X', 'X', 'X');
