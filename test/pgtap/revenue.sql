-- pgTAP: revenue watch (control/install/83_revenue.sql): expected tax from the
-- cross-check rules, the receipts item, the warning at its thresholds, the
-- forecast on a known series, and the report's revenue section.
BEGIN;
SELECT plan(34);

SET LOCAL client_min_messages = warning;
SET LOCAL taxshare.language = en;

SELECT count(*) FROM taxshare.starter_pack_install();
SELECT ok(EXISTS (SELECT 1 FROM taxshare.catalog_item WHERE code = 'SW-RK-001' AND provider = 'SWJ'
                                                     AND sharing = 'unconditional'),
          'the starter pack has the tax receipts item SW-RK-001, from the tax bureau');
SELECT results_eq($$SELECT rule_code, tax_type, factor FROM taxshare.revenue_source ORDER BY rule_code$$,
                  $$VALUES ('A01_PROPERTY_DEED_TAX', '契税', 0.03), ('A03_CONSTRUCTION_VAT', '增值税', 1)$$,
                  'deed tax and construction VAT are counted from their cross-check rules');
SELECT is((SELECT count(*)::int FROM taxshare.revenue_param), 12, 'every tax type of the item has its thresholds');

-- Expected from the rules: two contracts of March 2033 (one of another month
-- does not count), one deed-tax declaration.
SELECT taxshare.submit('ZJ-SPF-001', 'ZJJ', '2033-03-01', $$[
  {"contract_no": "RV-1", "seller_name": "甲置业有限公司", "buyer_name": "张三", "price": 1000000, "sign_date": "2033-03-02"},
  {"contract_no": "RV-2", "seller_name": "甲置业有限公司", "buyer_name": "李四", "price": 2000000, "sign_date": "2033-03-05"}]$$);
SELECT taxshare.submit('ZJ-SPF-001', 'ZJJ', '2033-02-01', $$[
  {"contract_no": "RV-0", "seller_name": "甲置业有限公司", "buyer_name": "王五", "price": 5000000, "sign_date": "2033-02-02"}]$$);
SELECT taxshare.submit('SW-QS-001', 'SWJ', '2033-03-01', $$[
  {"declaration_no": "QS-1", "taxpayer_name": "张三", "tax_base": 900000}]$$);
SELECT results_eq($$SELECT tax_type, region, expected, declared FROM taxshare.revenue_refresh('2033-03-01')$$,
                  $$VALUES ('契税'::text, ''::text, 90000.00::numeric, 27000.00::numeric)$$,
                  'revenue_refresh: expected 3% of the contract prices, declared 3% of the declared base');
SELECT results_eq($$SELECT source_records, target_records FROM taxshare.revenue_expected WHERE period_start = '2033-03-01'$$,
                  $$VALUES (2::bigint, 1::bigint)$$, 'from two contracts and one declaration of the month');
SELECT results_eq($$SELECT tax_type, expected FROM taxshare.revenue_refresh('2033-03-01')$$,
                  $$VALUES ('契税'::text, 90000.00::numeric)$$, 'a second refresh replaces the month, adds nothing');
SELECT throws_ok($$SELECT * FROM taxshare.revenue_refresh('2033-03-15')$$, '22023',
                 'period start 2033-03-15 is not the first day of a month', 'a month starts on its first day');

-- Thresholds.  契税: more than 10% short (no absolute floor); 增值税: more than
-- 500 yuan short (no relative floor).  Three regions each: just under, at, just over.
UPDATE taxshare.revenue_param SET shortfall_rel = 0.10, shortfall_abs = 0 WHERE tax_type = '契税';
UPDATE taxshare.revenue_param SET shortfall_rel = 0, shortfall_abs = 500 WHERE tax_type = '增值税';
INSERT INTO taxshare.revenue_expected (period_start, tax_type, region, expected, declared, source_records, target_records)
SELECT '2033-04-01', t, r, e, NULL, 1, 0
  FROM (VALUES ('契税', '430405', 1000), ('契税', '430406', 1000), ('契税', '430407', 1000),
               ('增值税', '430405', 10000), ('增值税', '430406', 10000), ('增值税', '430407', 10000)) v(t, r, e);
SELECT taxshare.submit('SW-RK-001', 'SWJ', '2033-04-01', $$[
  {"tax_type": "契税", "region": "430405", "amount": 901, "source": "国库"},
  {"tax_type": "契税", "region": "430406", "amount": 900, "source": "国库"},
  {"tax_type": "契税", "region": "430407", "amount": 899, "source": "国库"},
  {"tax_type": "增值税", "region": "430405", "amount": 9501, "source": "国库"},
  {"tax_type": "增值税", "region": "430406", "amount": 9500, "source": "国库"},
  {"tax_type": "增值税", "region": "430407", "amount": 9499, "source": "国库"},
  {"tax_type": "印花税", "region": "430405", "amount": 300, "source": "税务局"}]$$);
SELECT results_eq($$SELECT region, shortfall, warning FROM taxshare.revenue_watch
                     WHERE period_start = '2033-04-01' AND tax_type = '契税' AND region IS NOT NULL ORDER BY region$$,
                  $$VALUES ('430405'::text, 99.00::numeric, false), ('430406', 100.00, false), ('430407', 101.00, true)$$,
                  'deed tax: 9.9% short no warning, 10% short (at the threshold) none, 10.1% short a warning');
SELECT results_eq($$SELECT region, shortfall, warning FROM taxshare.revenue_watch
                     WHERE period_start = '2033-04-01' AND tax_type = '增值税' AND region IS NOT NULL ORDER BY region$$,
                  $$VALUES ('430405'::text, 499.00::numeric, false), ('430406', 500.00, false), ('430407', 501.00, true)$$,
                  'VAT: 499 yuan short no warning, 500 (at the threshold) none, 501 a warning');
SELECT results_eq($$SELECT expected, received, shortfall_rate, warning FROM taxshare.revenue_watch
                     WHERE period_start = '2033-04-01' AND tax_type = '契税' AND region IS NULL$$,
                  $$VALUES (3000.00::numeric, 2700::numeric, 0.1000::numeric, false)$$,
                  'the city row adds the regions up: 10% short, at the threshold, no warning');
SELECT results_eq($$SELECT expected, received, warning FROM taxshare.revenue_watch
                     WHERE period_start = '2033-04-01' AND tax_type = '印花税' AND region = '430405'$$,
                  $$VALUES (NULL::numeric, 300::numeric, false)$$,
                  'receipts without an expected amount are shown, never warned');
UPDATE taxshare.revenue_param SET shortfall_rel = 0.05 WHERE tax_type = '契税';
SELECT is((SELECT count(*)::int FROM taxshare.revenue_watch
            WHERE period_start = '2033-04-01' AND tax_type = '契税' AND warning), 4,
          'with a 5% threshold all three regions and the city are warned');
UPDATE taxshare.revenue_param SET shortfall_rel = 0.10 WHERE tax_type = '契税';
SELECT throws_ok($$UPDATE taxshare.revenue_param SET shortfall_rel = 1.5 WHERE tax_type = '契税'$$, '23514', NULL,
                 'a relative threshold above 1 is refused');
SELECT throws_ok($$INSERT INTO taxshare.revenue_source VALUES ('NO_SUCH_RULE', '契税', 1)$$, '23503', NULL,
                 'a revenue source names an existing rule');

-- The forecast on a known series: 增值税 of region 430408, 2031 month m = 1000 m,
-- 2032 ten percent more.
SELECT count(taxshare.submit('SW-RK-001', 'SWJ', d::date,
                             jsonb_build_array(jsonb_build_object('tax_type', '增值税', 'region', '430408', 'source', '国库',
                                                                  'amount', 1000 * extract(month FROM d) *
                                                                            CASE WHEN d >= '2032-01-01' THEN 1.1 ELSE 1 END))))
  FROM generate_series('2031-01-01'::date, '2032-12-01', interval '1 month') d;
SELECT results_eq($$SELECT period_start, forecast, method FROM taxshare.revenue_forecast('增值税', '430408')$$,
                  $$VALUES ('2033-01-01'::date, 1210.00::numeric, 'seasonal_naive'::text),
                           ('2033-02-01', 2420.00, 'seasonal_naive'), ('2033-03-01', 3630.00, 'seasonal_naive')$$,
                  'seasonal naive: last year''s month times the year''s growth (1.1)');
SELECT ok((SELECT basis FROM taxshare.revenue_forecast('增值税', '430408', 1)) = '2032-01 入库 1100.00 × 增长率 1.100000 (近 12 个月 85800.00 / 前 12 个月 78000.00) / '
                                                                   'receipts of 2032-01 times the growth 1.100000 (last 12 months 85800.00 over the 12 before 78000.00)',
          'the basis says which month and which growth');
SELECT results_eq($$SELECT period_start, forecast FROM taxshare.revenue_forecast('增值税', '430408', 2, '2031-12-01')$$,
                  $$VALUES ('2032-01-01'::date, 1000.00::numeric), ('2032-02-01', 2000.00)$$,
                  'with one year of history only: last year''s month, no growth');
SELECT results_eq($$SELECT forecast, method FROM taxshare.revenue_forecast('增值税', '430408', 1, '2031-03-01')$$,
                  $$VALUES (2000.00::numeric, 'mean_3'::text)$$,
                  'without last year''s month: the mean of the last three known months (1000, 2000, 3000)');
SELECT is((SELECT count(*)::int FROM taxshare.revenue_forecast('增值税', '430408', 12)), 12, 'up to a year ahead');
SELECT throws_ok($$SELECT * FROM taxshare.revenue_forecast('增值税', NULL, 13)$$, '22023',
                 'horizon must be between 1 and 12 months, not 13', 'no more than a year ahead');
SELECT throws_ok($$SELECT * FROM taxshare.revenue_forecast('无此税', NULL)$$, 'P0002',
                 'no receipts of tax type "无此税"', 'a tax type without receipts');
SELECT throws_ok($$SELECT * FROM taxshare.revenue_forecast(NULL)$$, '22023', NULL, 'a null tax type');
SELECT results_eq($$SELECT period_start, forecast, method FROM taxshare.revenue_forecast('增值税', NULL, 1)$$,
                  $$VALUES ('2033-05-01'::date, 5500.00::numeric, 'seasonal_naive'::text)$$,
                  'the whole city''s series ends in April 2033 after a gap: May is May 2032, without growth');

-- The report's revenue section
CREATE TEMP TABLE rpt AS SELECT taxshare.analysis_report('2033-04-01', 'month') AS html;
SELECT ok((SELECT html LIKE '%<h2>收入监控 <small>%' FROM rpt), 'the monthly report has the revenue section');
SELECT is((SELECT count(*)::int FROM rpt, regexp_split_to_table(html, '</svg>') x(piece),
                  regexp_matches(substring(x.piece FROM '<svg [^>]*><title>按税种的应有.*$'), 'class="bar"', 'g')),
          9, 'its chart: expected, declared and received of three tax types');
SELECT ok((SELECT html ~ '<td>2033-04</td><td>契税</td><td>430407</td><td class="num">1,000</td><td class="num">899</td>' FROM rpt),
          'the warned region is listed');
SELECT ok((SELECT html NOT LIKE '%<td>2033-04</td><td>契税</td><td>430406</td>%' FROM rpt),
          'the region at the threshold is not');
SELECT ok((SELECT html LIKE '%入库预测%' AND html LIKE '%<th class="num">2033-05</th>%' FROM rpt),
          'the forecast of the next three months follows');
SELECT ok(taxshare.analysis_report('2033-01-01', 'year') LIKE '%<h2>收入监控 <small>%', 'the year has it too');
SELECT ok(taxshare.analysis_report('2030-01-01', 'month') LIKE '%本期没有收入数据%', 'a month without revenue data says so');

-- Privileges: the analysis group refreshes; the tax bureau reads; units see nothing.
SELECT ok(has_function_privilege('taxshare_analyst', 'taxshare.revenue_refresh(date)', 'EXECUTE')
          AND NOT has_function_privilege('taxshare_tax', 'taxshare.revenue_refresh(date)', 'EXECUTE')
          AND has_table_privilege('taxshare_tax', 'taxshare.revenue_watch', 'SELECT')
          AND NOT has_table_privilege('taxshare_unit', 'taxshare.revenue_watch', 'SELECT'),
          'the office and analysts refresh, the tax bureau reads, units see nothing');
SELECT is((SELECT relrowsecurity FROM pg_class WHERE oid = 'taxshare.revenue_expected'::regclass), true,
          'revenue_expected has row-level security');
SELECT is((SELECT count(*)::int FROM pg_policies WHERE schemaname = 'taxshare' AND tablename = 'revenue_expected'), 1,
          'with the analysis tables'' policy');
SELECT ok(EXISTS (SELECT 1 FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'taxshare'
                   AND c = 'taxshare.revenue_param'::regclass), 'the thresholds are dumped by pg_dump');

SELECT * FROM finish();
ROLLBACK;
