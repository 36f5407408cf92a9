-- pgTAP: entities, resolution, key persons, rules and suspicions
-- (control/install/72_entity.sql .. 76_starter_pack.sql, src/resolve*.c, src/rule_expr*.c).
-- Everything runs on the starter pack's items with data made up here, inside
-- one transaction that is rolled back.
BEGIN;
SELECT plan(101);

SET LOCAL client_min_messages = warning;
SET LOCAL datestyle = 'ISO, YMD';

-- ---------------------------------------------------------------------------
-- Objects
-- ---------------------------------------------------------------------------
SELECT has_table('taxshare', t, 'table ' || t || ' exists')
  FROM unnest(ARRAY['entity', 'record_party', 'match_review', 'party_link', 'match_rule',
                    'suspicion', 'match_parameter']) t;
SELECT col_is_pk('taxshare', 'record_party', ARRAY['record_id', 'role'], 'record_party is keyed by record and role');
SELECT has_function('taxshare', 'resolve_entities', ARRAY['boolean'], 'resolve_entities(rebuild) exists');
SELECT has_function('taxshare', 'run_rules', ARRAY['date', 'boolean'], 'run_rules(period_start) exists');
SELECT has_function('taxshare', 'suspicion_triage', ARRAY['bigint', 'text', 'text'], 'suspicion_triage exists');
SELECT ok((SELECT bool_and(c::regclass::oid = ANY (e.extconfig))
             FROM pg_extension e,
                  unnest(ARRAY['taxshare.entity', 'taxshare.record_party', 'taxshare.match_rule',
                               'taxshare.suspicion', 'taxshare.party_link', 'taxshare.match_parameter',
                               'taxshare.party_evidence', 'taxshare.match_review']) c
            WHERE e.extname = 'taxshare'),
          'the tables are registered with pg_extension_config_dump');

-- ---------------------------------------------------------------------------
-- The starter pack
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*)::int FROM taxshare.starter_pack_install()), 20,
          'the starter pack installs 14 items (those of the cross-checks, the registries and the tax receipts) and 6 rules');
SELECT is((SELECT count(*)::int FROM taxshare.starter_pack_install()), 20, 'installing it again ...');
SELECT is((SELECT max(i.version) FROM taxshare.catalog_item i
            WHERE i.code IN (SELECT v.item FROM taxshare.match_rule r, LATERAL (VALUES (r.source_item), (r.target_item)) v(item))),
          1, '... makes no new catalog versions');
SELECT set_eq('SELECT indicator_code FROM taxshare.match_rule WHERE code LIKE ''A0%''',
              ARRAY['A01_PROPERTY_DEED_TAX', 'A02_LAND_USE_TAX', 'A03_CONSTRUCTION_VAT', 'A04_UNREGISTERED_TAXPAYER',
                    'A05_SOCIAL_INSURANCE_WITHHOLDING', 'A06_GOVT_PAYMENT_INVOICE'],
              'the six rules carry the agreed indicator codes');
SELECT set_eq('SELECT DISTINCT check_kind FROM taxshare.match_rule WHERE code LIKE ''A0%''',
              ARRAY['missing', 'amount_below', 'count_mismatch'], 'the pack uses every check kind');

-- An item with an organization-code party, for the one path the pack lacks
SELECT taxshare.catalog_define($${"code": "TP-ORG", "title": "组织机构代码登记", "provider": "SCJGJ",
  "frequency": "monthly", "schema": {"fields": [
    {"name": "orgcode", "title": "组织机构代码", "type": "orgcode"},
    {"name": "name", "title": "机构名称", "type": "string"}]},
  "parties": [{"role": "organisation", "orgcode": "orgcode", "name": "name"}]}$$);

-- ---------------------------------------------------------------------------
-- Deterministic keys
-- ---------------------------------------------------------------------------
SELECT taxshare.submit('SCJG-DJ-001', 'SCJGJ', '2024-01-01', $$[
  {"uscc": "91430400MA4P000157", "name": "衡阳玉麟置业有限公司", "region": "430406",
   "address": "衡阳市雁峰区雁城路1号", "phone": "0734-8555001", "established_on": "2024-01-08",
   "legal_rep_name": "黄一", "legal_rep_idcard": "430402196606061118",
   "finance_head_name": "黄二", "finance_head_idcard": "43040619770707222X",
   "tax_handler_name": "黄三", "tax_handler_idcard": "43042119880808333X"},
  {"uscc": "91430400MA4P000232", "name": "衡阳玉麟物业有限公司", "region": "430406",
   "address": "衡阳市雁峰区雁城路1号", "phone": "0734-8555002", "established_on": "2024-01-09",
   "legal_rep_name": "黄一", "legal_rep_idcard": "430402196606061118"}]$$);
SELECT taxshare.submit('TP-ORG', 'SCJGJ', '2024-01-01', $$[
  {"orgcode": "66012345-2", "name": "衡阳市石鼓运输有限公司"}]$$);
SELECT taxshare.submit('SW-DJ-001', 'SWJ', '2024-02-01', $$[
  {"taxpayer_id": "91430400MA4P000157", "taxpayer_name": "衡阳玉麟置业有限责任公司"},
  {"taxpayer_id": "914304056601234522", "taxpayer_name": "衡阳市石鼓运输有限公司"},
  {"taxpayer_id": "430405660123452", "taxpayer_name": "石鼓运输"}]$$);
SELECT taxshare.submit('SW-QS-001', 'SWJ', '2024-02-01', $$[
  {"declaration_no": "D1", "taxpayer_id": "430402196606061118", "taxpayer_name": "黄一", "tax_base": "1"},
  {"declaration_no": "D2", "taxpayer_id": "430406770707222", "taxpayer_name": "黄二", "tax_base": "1"},
  {"declaration_no": "D3", "taxpayer_id": "43042119880808333X00", "taxpayer_name": "黄三", "tax_base": "1"}]$$);

SELECT is((SELECT by_key::int FROM taxshare.resolve_entities()), 13, 'every party with a key is linked by it');

CREATE TEMP VIEW tp AS
  SELECT c.item_code, (rp.record_id & 4294967295)::int AS row_no, rp.role, rp.method, rp.score,
         rp.explanation, e.id AS entity_id, e.kind, e.name AS entity, e.uscc, e.orgcode, e.idcard,
         c.period_start
    FROM taxshare.record_party rp
    JOIN taxshare.current_record c ON c.id = rp.record_id
    JOIN taxshare.entity e ON e.id = rp.entity_id;

SELECT is((SELECT method FROM tp WHERE item_code = 'SW-DJ-001' AND row_no = 1), 'uscc', 'a USCC links by USCC');
SELECT is((SELECT entity FROM tp WHERE item_code = 'SW-DJ-001' AND row_no = 1), '衡阳玉麟置业有限公司',
          '... to the registered enterprise, whatever the legal form written');
SELECT is((SELECT method FROM tp WHERE item_code = 'TP-ORG'), 'orgcode', 'an organization code links by orgcode');
SELECT is((SELECT method || ' ' || (explanation ->> 'uscc') FROM tp WHERE item_code = 'SW-DJ-001' AND row_no = 2),
          'orgcode 914304056601234522',
          'a new USCC finds the entity known by the organization code inside it');
SELECT is((SELECT uscc FROM taxshare.entity WHERE orgcode = '660123452'), '914304056601234522',
          '... which then keeps the USCC');
SELECT is((SELECT method || ' ' || (explanation ->> 'read_as') FROM tp WHERE item_code = 'SW-DJ-001' AND row_no = 3),
          'taxpayer_id legacy15', 'a legacy 15-character taxpayer ID links by its organization code');
SELECT is((SELECT count(DISTINCT entity_id)::int FROM tp WHERE item_code IN ('TP-ORG', 'SW-DJ-001') AND row_no >= 1
             AND (item_code = 'TP-ORG' OR row_no IN (2, 3))), 1, 'orgcode, USCC and legacy ID meet in one entity');
SELECT is((SELECT method FROM tp WHERE item_code = 'SCJG-DJ-001' AND role = 'legal_rep' AND row_no = 1), 'idcard',
          'a resident ID links by idcard');
SELECT is((SELECT method || ' ' || (explanation ->> 'read_as') FROM tp WHERE item_code = 'SW-QS-001' AND row_no = 2),
          'taxpayer_id idcard15', 'a 15-digit resident ID is upgraded');
SELECT is((SELECT method || ' ' || (explanation ->> 'read_as') FROM tp WHERE item_code = 'SW-QS-001' AND row_no = 3),
          'taxpayer_id personal', 'a personal taxpayer ID (ID + 00) links by the resident ID');
SELECT is((SELECT count(DISTINCT t.row_no)::int FROM tp t JOIN tp r ON r.entity_id = t.entity_id
            WHERE t.item_code = 'SW-QS-001' AND r.item_code = 'SCJG-DJ-001' AND r.role <> 'enterprise'),
          3, 'each declaring person is the registered key person');

-- Key persons
SELECT set_eq($$SELECT role || ' ' || person_name FROM taxshare.enterprise_person
                 WHERE enterprise_name = '衡阳玉麟置业有限公司'$$,
              ARRAY['legal_rep 黄一', 'finance_head 黄二', 'tax_handler 黄三'],
              'the registry fills legal representative, finance head and tax handler');
SELECT is((SELECT count(DISTINCT enterprise_id)::int FROM taxshare.party_link l JOIN taxshare.entity p ON p.id = l.person_id
            WHERE p.idcard = '430402196606061118' AND l.role = 'legal_rep'), 2,
          'one person is legal representative of both namesakes');
SELECT is((SELECT valid_from FROM taxshare.enterprise_person WHERE enterprise_name = '衡阳玉麟置业有限公司'
             AND role = 'legal_rep'), '2024-01-08'::date, 'valid from the day of establishment');

-- ---------------------------------------------------------------------------
-- Probabilistic links
-- ---------------------------------------------------------------------------
SELECT taxshare.submit('SW-DJ-001', 'SWJ', '2024-03-01', $$[
  {"taxpayer_id": "91430400MA4P000158", "taxpayer_name": "玉麟置业(衡阳)有限公司", "address": "衡阳市雁峰区雁城路1号"},
  {"taxpayer_id": "-", "taxpayer_name": "衡阳玉麟物业有限公司"},
  {"taxpayer_id": "-", "taxpayer_name": "衡阳玉麒置业有限公司", "address": "衡阳市雁峰区雁城路1号"},
  {"taxpayer_id": "-", "taxpayer_name": "衡阳珠晖五金有限公司"},
  {"taxpayer_id": "-", "taxpayer_name": "衡阳玉麟置业有限公司", "phone": "0734-8555002"}]$$);
SELECT results_eq('SELECT parties::int, by_key::int, probabilistic::int, review::int, new_entities::int FROM taxshare.resolve_entities()',
                  'VALUES (5, 0, 3, 1, 1)', 'an incremental run looks at the five new parties only (the review makes no entity)');
SELECT is((SELECT entity || ' ' || (explanation ->> 'decision') FROM tp WHERE item_code = 'SW-DJ-001' AND row_no = 1
             AND explanation ->> 'method' = 'probabilistic'),
          '衡阳玉麟置业有限公司 link', 'a mistyped USCC, the region in brackets and the address: a link');
SELECT is((SELECT f ->> 'level' FROM tp, jsonb_array_elements(explanation #> '{best,comparison,fields}') f
            WHERE item_code = 'SW-DJ-001' AND row_no = 1 AND explanation ->> 'method' = 'probabilistic'
              AND f ->> 'field' = 'identifier' AND tp.explanation ->> 'name' LIKE '玉麟%'),
          'near', '... the broken USCC counted as a near identifier');
SELECT ok((SELECT abs(sum((f ->> 'weight')::float8) - (explanation #>> '{best,comparison,weight}')::float8) < 1e-3
             FROM tp, jsonb_array_elements(explanation #> '{best,comparison,fields}') f
            WHERE item_code = 'SW-DJ-001' AND row_no = 1 AND tp.explanation ->> 'name' LIKE '玉麟%'
            GROUP BY explanation),
          'the explanation''s field weights add up to the total weight');
SELECT is((SELECT jsonb_array_length(explanation #> '{best,comparison,fields}') FROM tp
            WHERE item_code = 'SW-DJ-001' AND row_no = 1 AND tp.explanation ->> 'name' LIKE '玉麟%'),
          7, 'every comparison field is explained');
SELECT is((SELECT round(score::numeric, 3) FROM tp WHERE item_code = 'SW-DJ-001' AND row_no = 1
             AND explanation ->> 'name' LIKE '玉麟%'),
          (SELECT round((explanation #>> '{best,comparison,weight}')::numeric, 3) FROM tp
            WHERE item_code = 'SW-DJ-001' AND row_no = 1 AND explanation ->> 'name' LIKE '玉麟%'),
          'record_party.score is the weight');
SELECT is((SELECT entity FROM tp WHERE item_code = 'SW-DJ-001' AND explanation ->> 'name' = '衡阳玉麟物业有限公司'),
          '衡阳玉麟物业有限公司', 'the property manager links to the property manager');
SELECT is((SELECT entity FROM tp WHERE item_code = 'SW-DJ-001' AND explanation ->> 'name' = '衡阳玉麟置业有限公司'
             AND explanation ->> 'method' = 'probabilistic'),
          '衡阳玉麟置业有限公司',
          'the similar-name trap: 玉麟置业 with 玉麟物业''s phone still links to 玉麟置业');
SELECT ok((SELECT (explanation #>> '{runner_up,comparison,weight}')::float8 < 4 FROM tp
            WHERE item_code = 'SW-DJ-001' AND explanation ->> 'name' = '衡阳玉麟置业有限公司'
              AND explanation ->> 'method' = 'probabilistic'),
          '... and 玉麟物业 stays below the lower threshold for it');
SELECT is((SELECT explanation ->> 'decision' FROM tp WHERE item_code = 'SW-DJ-001'
             AND explanation ->> 'name' = '衡阳玉麒置业有限公司'),
          'review', 'a one-character typo at the same address is between the thresholds');
SELECT is((SELECT c.name FROM taxshare.match_review r JOIN taxshare.entity c ON c.id = r.candidate_entity_id
            WHERE r.status = 'pending'), '衡阳玉麟置业有限公司', '... and waits in the review queue with its candidate');
SELECT is((SELECT entity FROM tp WHERE item_code = 'SW-DJ-001' AND explanation ->> 'name' = '衡阳玉麒置业有限公司'),
          '衡阳玉麟置业有限公司', '... linked meanwhile provisionally to its candidate, not to an entity of its own');
SELECT is((SELECT (explanation ->> 'decision') || ' ' || (explanation ->> 'candidates') FROM tp WHERE item_code = 'SW-DJ-001'
             AND explanation ->> 'name' = '衡阳珠晖五金有限公司'),
          'new 0', 'an unknown name with no candidate becomes a new entity');
SELECT ok((SELECT comparisons FROM taxshare.resolve_entities()) = 0, 'nothing left to compare');

-- The thresholds are GUCs: with a lower upper threshold the typo links
SELECT taxshare.submit('SW-DJ-001', 'SWJ', '2024-04-01', $$[
  {"taxpayer_id": "-", "taxpayer_name": "衡阳玉麒置业有限公司", "address": "衡阳市雁峰区雁城路1号"}]$$);
SET LOCAL taxshare.match_upper = 5;
SELECT is((SELECT probabilistic::int FROM taxshare.resolve_entities()), 1, 'with match_upper = 5 the typo links');
RESET taxshare.match_upper;
SET LOCAL taxshare.match_lower = 11;
SELECT throws_ok('SELECT taxshare.resolve_entities()', '22023', NULL, 'a lower threshold above the upper one is refused');
RESET taxshare.match_lower;

-- The review queue
SELECT throws_ok('SELECT taxshare.match_review_decide(-1, ''link'')', 'P0002', NULL, 'an unknown review');
SELECT throws_ok(format('SELECT taxshare.match_review_decide(%s, %L)', (SELECT id FROM taxshare.match_review WHERE status = 'pending'), 'perhaps'),
                 '22023', NULL, 'a decision that is neither link nor reject');
CREATE TEMP TABLE decided AS
  SELECT taxshare.match_review_decide((SELECT id FROM taxshare.match_review WHERE status = 'pending'), 'reject', 'tester')
         AS entity_id;
SELECT is((SELECT entity_id FROM decided),
          (SELECT entity_id FROM tp WHERE item_code = 'SW-DJ-001' AND row_no = 3 AND explanation ->> 'method' = 'manual'),
          'reject keeps the party on its own entity');
SELECT is((SELECT method FROM tp WHERE item_code = 'SW-DJ-001' AND entity = '衡阳玉麒置业有限公司' AND row_no = 3), 'manual',
          '... and records the decision as manual');
SELECT throws_ok(format('SELECT taxshare.match_review_decide(%s, %L)', (SELECT max(id) FROM taxshare.match_review), 'link'),
                 '55000', NULL, 'a review is decided once');

-- Rebuild: the same links again, the manual one kept
CREATE TEMP TABLE before_rebuild AS SELECT item_code, row_no, role, method, entity, period_start FROM tp;
SELECT ok((SELECT parties > 0 FROM taxshare.resolve_entities(rebuild => true)), 'rebuild resolves again');
-- (but the April 玉麒 declaration, linked while the March one waited for review:
-- the reviewer has since said 玉麒 is a company of its own, and it goes there)
SELECT set_eq('SELECT item_code, row_no, role, method, entity FROM tp
                WHERE NOT (item_code = ''SW-DJ-001'' AND period_start = ''2024-04-01'')',
              'SELECT item_code, row_no, role, method, entity FROM before_rebuild
                WHERE NOT (item_code = ''SW-DJ-001'' AND period_start = ''2024-04-01'')',
              'rebuild gives the same links');
SELECT is((SELECT entity FROM tp WHERE item_code = 'SW-DJ-001' AND period_start = '2024-04-01'),
          '衡阳玉麒置业有限公司', '... and the later 玉麒 goes to the company the reviewer set apart');
SELECT is((SELECT count(*)::int FROM taxshare.party_link), 4, 'and the same key persons, once each');

-- Comparing by hand; the errors of the helpers
SELECT is(taxshare.match_compare('衡阳华湘置业有限公司', '衡阳华湘物业有限公司') ->> 'decision', 'nonlink',
          'match_compare: 华湘置业 is not 华湘物业');
SELECT is(taxshare.match_compare('衡阳华湘置业有限责任公司', '华湘置业（衡阳）有限公司') ->> 'decision', 'link',
          'match_compare: legal form and bracketed region do not matter');
SELECT throws_ok('SELECT taxshare.match_compare(''a'', ''b'', ''firm'')', '22023', NULL, 'an unknown kind');
SELECT throws_ok('SELECT taxshare.party_evidence_set(''TP-NONE'', ''x'')', '22023', NULL, 'party_evidence_set: unknown item');
SELECT throws_ok('SELECT taxshare.party_evidence_set(''TP-ORG'', ''x'')', '22023', NULL, 'party_evidence_set: unknown party');
SELECT throws_ok('SELECT taxshare.party_evidence_set(''TP-ORG'', ''organisation'', phone => ''tel'')', '22023', NULL,
                 'party_evidence_set: unknown field');
SELECT throws_ok(format('SELECT taxshare.entity_merge(%s, %s)',
                        (SELECT id FROM taxshare.entity WHERE uscc = '91430400MA4P000157'),
                        (SELECT id FROM taxshare.entity WHERE idcard = '430402196606061118')),
                 '22023', NULL, 'an enterprise never merges into a person');
SELECT throws_ok('SELECT taxshare.record_party_set(1, ''x'', -5)', 'P0002', NULL, 'record_party_set: unknown entity');

-- ---------------------------------------------------------------------------
-- Rules
-- ---------------------------------------------------------------------------
-- March 2024: the 玉麟 enterprises and a new one that never registers for tax
SELECT taxshare.submit('SCJG-DJ-001', 'SCJGJ', '2024-03-01', $$[
  {"uscc": "91430400MA4P00031W", "name": "湖南蒸水商贸有限公司", "established_on": "2024-03-03"}]$$);
SELECT taxshare.submit('ZJ-SPF-001', 'ZJJ', '2024-03-01', $$[
  {"contract_no": "C1", "seller_uscc": "91430400MA4P000157", "seller_name": "衡阳玉麟置业有限公司",
   "buyer_name": "黄二", "buyer_idcard": "43040619770707222X", "price": "900,000", "sign_date": "2024-03-02"},
  {"contract_no": "C2", "seller_uscc": "91430400MA4P000157", "seller_name": "衡阳玉麟置业有限公司",
   "buyer_name": "黄三", "buyer_idcard": "43042119880808333X", "price": "600,000", "sign_date": "2024-03-05"}]$$);
SELECT taxshare.submit('SW-QS-001', 'SWJ', '2024-04-01', $$[
  {"declaration_no": "D4", "taxpayer_id": "43040619770707222X", "taxpayer_name": "黄二", "tax_base": "900000"},
  {"declaration_no": "D5", "taxpayer_id": "43042119880808333X", "taxpayer_name": "黄三", "tax_base": "400000"}]$$);
SELECT taxshare.submit('RS-SB-001', 'RSJ', '2024-03-01', $$[
  {"employer_uscc": "91430400MA4P000157", "employer_name": "衡阳玉麟置业有限公司", "insured_count": 30},
  {"employer_uscc": "91430400MA4P000232", "employer_name": "衡阳玉麟物业有限公司", "insured_count": 12}]$$);
SELECT taxshare.submit('SW-GSKJ-001', 'SWJ', '2024-03-01', $$[
  {"withholder_id": "91430400MA4P000157", "withholder_name": "衡阳玉麟置业有限公司", "withheld_count": 29},
  {"withholder_id": "91430400MA4P000232", "withholder_name": "衡阳玉麟物业有限公司", "withheld_count": 6}]$$);

SELECT set_eq($$SELECT rule_code, points::int FROM taxshare.run_rules('2024-03-01') WHERE points > 0$$,
              $$VALUES ('A01_PROPERTY_DEED_TAX', 1), ('A04_UNREGISTERED_TAXPAYER', 1),
                       ('A05_SOCIAL_INSURANCE_WITHHOLDING', 1)$$,
              'run_rules finds one point for each of three rules');
CREATE TEMP VIEW sp AS SELECT * FROM taxshare.suspicion_list WHERE period_start = '2024-03-01';
SELECT is((SELECT entity_name || ' ' || amount_involved FROM sp WHERE rule_code = 'A01_PROPERTY_DEED_TAX'),
          '黄三 200000.00', 'amount_below: 黄三 declared 400000 of 600000 (黄二 declared in full)');
SELECT is((SELECT entity_name FROM sp WHERE rule_code = 'A04_UNREGISTERED_TAXPAYER'), '湖南蒸水商贸有限公司',
          'missing: the enterprise without a tax registration (the others registered in February)');
SELECT is((SELECT entity_name || ' ' || (details ->> 'difference') FROM sp WHERE rule_code = 'A05_SOCIAL_INSURANCE_WITHHOLDING'),
          '衡阳玉麟物业有限公司 6', 'count_mismatch: 12 insured, 6 withheld (30 vs 29 is within the tolerance)');
SELECT is((SELECT cardinality(evidence) FROM sp WHERE rule_code = 'A01_PROPERTY_DEED_TAX'), 2,
          'the evidence names the source and the target record');
SELECT is((SELECT status FROM sp WHERE rule_code = 'A01_PROPERTY_DEED_TAX'), 'new', 'a point starts as new');
SELECT results_eq($$SELECT sum(inserted)::int, sum(updated)::int, sum(cleared)::int FROM taxshare.run_rules('2024-03-01')$$,
                  'VALUES (0, 0, 0)', 'running the rules again writes nothing');
SELECT is((SELECT count(*)::int FROM sp), 3, 'and duplicates nothing');

-- Triage
SELECT is((taxshare.suspicion_triage((SELECT id FROM sp WHERE rule_code = 'A01_PROPERTY_DEED_TAX'), 'confirmed')).status,
          'confirmed', 'the tax bureau confirms a point');
SELECT throws_ok(format('SELECT taxshare.suspicion_triage(%s, %L)', (SELECT id FROM sp WHERE rule_code = 'A04_UNREGISTERED_TAXPAYER'), 'excluded'),
                 '22023', NULL, 'excluding needs a reason');
SELECT is((taxshare.suspicion_triage((SELECT id FROM sp WHERE rule_code = 'A04_UNREGISTERED_TAXPAYER'), 'excluded',
                                     '跨区域经营, 已在注册地登记')).reason,
          '跨区域经营, 已在注册地登记', 'an exclusion keeps its reason');
SELECT throws_ok('SELECT taxshare.suspicion_triage(1, ''dropped'')', '22023', NULL, 'an unknown status');
SELECT throws_ok('SELECT taxshare.suspicion_triage(-1, ''confirmed'')', 'P0002', NULL, 'an unknown suspicion');
SELECT taxshare.submit('SW-QS-001', 'SWJ', '2024-04-01', $$[
  {"declaration_no": "D4", "taxpayer_id": "43040619770707222X", "taxpayer_name": "黄二", "tax_base": "900000"},
  {"declaration_no": "D5", "taxpayer_id": "43042119880808333X", "taxpayer_name": "黄三", "tax_base": "600000"}]$$);
SELECT results_eq($$SELECT points::int, cleared::int FROM taxshare.run_rules('2024-03-01') WHERE rule_code = 'A01_PROPERTY_DEED_TAX'$$,
                  'VALUES (0, 0)', 'a corrected declaration removes the finding ...');
SELECT is((SELECT status FROM sp WHERE rule_code = 'A01_PROPERTY_DEED_TAX'), 'confirmed',
          '... but a confirmed point stays with its status');
SELECT is((SELECT status FROM sp WHERE rule_code = 'A04_UNREGISTERED_TAXPAYER'), 'excluded',
          'an excluded point stays excluded on re-runs');
SELECT throws_ok('SELECT * FROM taxshare.run_rules(''2024-03-15'')', '22023', NULL, 'rules run on whole months');

-- Rules are checked when written
SELECT throws_ok($$INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role,
                     check_kind, expected_expr, target_amount_field)
                   VALUES ('TP_X', 'x', 'ZJ-SPF-001', 'SW-QS-001', 'buyer', 'taxpayer', 'amount_below', 'price *', 'tax_base')$$,
                 '42601', NULL, 'an expression that does not parse');
SELECT throws_ok($$INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role,
                     check_kind, expected_expr, target_amount_field)
                   VALUES ('TP_X', 'x', 'ZJ-SPF-001', 'SW-QS-001', 'buyer', 'taxpayer', 'amount_below', 'price * house_use', 'tax_base')$$,
                 '22023', NULL, 'an expression over a text field');
SELECT throws_ok($$INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, check_kind)
                   VALUES ('TP_X', 'x', 'ZJ-SPF-001', 'SW-QS-001', 'lender', 'missing')$$,
                 '22023', NULL, 'a party the source item does not have');
SELECT throws_ok($$INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind)
                   VALUES ('TP_X', 'x', 'ZJ-SPF-001', 'SW-QS-999', 'buyer', 'taxpayer', 'missing')$$,
                 '22023', NULL, 'an unknown target item');
SELECT throws_ok($$INSERT INTO taxshare.match_rule (code, title, source_item, target_item, party_role, target_role, check_kind, period_window)
                   VALUES ('TP_X', 'x', 'ZJ-SPF-001', 'SW-QS-001', 'buyer', 'taxpayer', 'missing', 'next year')$$,
                 '23514', NULL, 'an unknown period window');
SELECT is(taxshare.rule_expr_fields('contract_amount / (1 + 9%) * min(rate, 2%)'), ARRAY['contract_amount', 'rate'],
          'rule_expr_fields lists the fields an expression uses');

-- ---------------------------------------------------------------------------
-- Keys first, then names; an exact name without a region, but no namesake
-- ---------------------------------------------------------------------------
-- The tax record without an identifier comes first in record order, the
-- registration with the USCC after it: the first pass files the registration,
-- the second compares the bare name with it.
SELECT taxshare.catalog_define($${"code": "TP-NAME", "title": "缴费单位", "provider": "SWJ",
  "frequency": "monthly", "schema": {"fields": [{"name": "payer", "title": "缴费单位名称", "type": "string"}]},
  "parties": [{"role": "payer", "name": "payer"}]}$$);
SELECT taxshare.submit('TP-NAME', 'SWJ', '2024-05-01', $$[{"payer": "金鼎机械有限公司"}]$$);
SELECT taxshare.submit('SCJG-DJ-001', 'SCJGJ', '2024-05-01', format($$[
  {"uscc": %s, "name": "衡阳金鼎机械有限公司", "region": "430406", "established_on": "2024-05-06"}]$$,
  to_json((SELECT u FROM (SELECT '91430400MA4P00099' || c AS u
                            FROM unnest(string_to_array('0123456789ABCDEFGHJKLMNPQRTUWXY', NULL)) c) x
            WHERE taxshare.uscc_valid(u) LIMIT 1)))::jsonb);
SELECT is((SELECT probabilistic::int FROM taxshare.resolve_entities()), 1,
          'the bare name is linked by weight');
SELECT is((SELECT count(DISTINCT rp.entity_id)::int FROM taxshare.record_party rp
             JOIN taxshare.record_party_source s USING (record_id, role)
            WHERE s.name IN ('金鼎机械有限公司', '衡阳金鼎机械有限公司')),
          1, 'to the entity its registration made, although the registration came later');
SELECT is((SELECT rp.explanation #>> '{best,sole_namesake}' FROM taxshare.record_party rp
             JOIN taxshare.record_party_source s USING (record_id, role)
            WHERE s.name = '金鼎机械有限公司'),
          'true', 'the explanation says the name counted as exact because it has no namesake');

-- ---------------------------------------------------------------------------
-- Estimating m and u
-- ---------------------------------------------------------------------------
SELECT throws_ok('SELECT taxshare.match_estimate(0)', '22023', NULL, 'a sample must be positive');
SELECT ok((taxshare.match_estimate(1000, store => false) -> 'enterprise' ->> 'pairs')::int > 0,
          'match_estimate compares candidate pairs found by blocking');
SELECT is((SELECT count(*)::int FROM taxshare.match_parameter), 0, 'store => false writes nothing');
CREATE TEMP TABLE estimate AS SELECT taxshare.match_estimate(1000) AS e;
SELECT is((SELECT count(*) > 0 FROM taxshare.match_parameter WHERE kind = 'enterprise' AND source = 'em'),
          (SELECT (e -> 'enterprise' ->> 'estimated')::boolean FROM estimate),
          'an estimate is stored exactly when EM succeeded');

-- ---------------------------------------------------------------------------
-- A party's kind and evidence fields named by the catalog, and party_evidence
-- over them (last: its record would change the resolution counts above)
-- ---------------------------------------------------------------------------
SELECT is(taxshare.catalog_define($${"code": "TP-EVID", "title": "欠税公告", "provider": "SWJ",
  "frequency": "monthly", "schema": {"fields": [
    {"name": "tpid", "title": "纳税人识别号", "type": "string"},
    {"name": "name", "title": "纳税人名称", "type": "string"},
    {"name": "region", "title": "行政区划", "type": "division"},
    {"name": "address", "title": "经营地址", "type": "string"},
    {"name": "tel", "title": "联系电话", "type": "phone"},
    {"name": "debt", "title": "欠税金额", "type": "amount"}]},
  "parties": [{"role": "debtor", "kind": "enterprise", "taxpayer_id": "tpid", "name": "name",
               "region": "region", "address": "address", "phone": "tel"}]}$$), 1,
          'a catalog party may name its kind and evidence fields');
SELECT results_eq($$SELECT kind, taxpayer_id_field, region_field, address_field, phone_field
                      FROM taxshare.catalog_party WHERE item_code = 'TP-EVID'$$,
                  $$VALUES ('enterprise', 'tpid', 'region', 'address', 'tel')$$,
                  'catalog_party keeps them');
SELECT ok(taxshare.submit('TP-EVID', 'SWJ', '2024-06-01', $$[
  {"tpid": "430405770123453", "name": "衡阳市雁城五金有限公司", "region": "430405",
   "address": "衡阳市石鼓区人民路1号", "tel": "0734-8222333", "debt": "1000"}]$$) > 0, 'a record of the item');
SELECT results_eq($$SELECT kind, taxpayer_id, name, region, address, phone
                      FROM taxshare.record_party_source WHERE item_code = 'TP-EVID'$$,
                  $$VALUES ('enterprise', '430405770123453', '衡阳市雁城五金有限公司', '430405',
                            '衡阳市石鼓区人民路1号', '07348222333')$$,
                  'record_party_source offers the matcher what the catalog party names');
SELECT lives_ok($$SELECT taxshare.party_evidence_set('TP-EVID', 'debtor', taxpayer_id => 'tpid',
                                                     address => 'address')$$,
                'party_evidence_set on a party that names evidence fields itself');
SELECT results_eq($$SELECT kind, taxpayer_id, region, address, phone
                      FROM taxshare.record_party_source WHERE item_code = 'TP-EVID'$$,
                  $$VALUES (NULL::text, '430405770123453', NULL::text, '衡阳市石鼓区人民路1号', NULL::text)$$,
                  'a party_evidence row replaces the catalog party''s kind and evidence fields');

SELECT * FROM finish();
ROLLBACK;
