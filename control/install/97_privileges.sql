-- Security model, part 3: privileges.  Nothing in the schema is PUBLIC; each
-- group role gets what its work needs (the role-by-object table is in
-- docs/security.md; test/pgtap/security_matrix.sql asserts it).  Row-level
-- security (95_security.sql) then narrows the rows.  Runs last: objects of a
-- module installed after this file are reachable by no role until listed here,
-- and test/pgtap/security_completeness.sql fails until they are.

REVOKE ALL ON ALL TABLES IN SCHEMA taxshare FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA taxshare FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA taxshare FROM PUBLIC;
GRANT USAGE ON SCHEMA taxshare TO taxshare_admin, taxshare_analyst, taxshare_tax, taxshare_unit,
                                   taxshare_operator, taxshare_exchange;

-- tbl: table or view; then the privileges of admin, analyst, tax, unit,
-- operator, exchange (r = SELECT, a = INSERT, w = UPDATE, d = DELETE).
CREATE TEMP TABLE taxshare_privilege_plan (tbl text, admin text, analyst text, tax text,
                                           unit text, operator text, exchange text);
INSERT INTO taxshare_privilege_plan VALUES
  -- metadata: the catalog, units, calendars, rule and indicator settings
  -- (units read risk_param: the deadlines of the warnings pushed to them)
  ('unit',                 'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('division',             'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('holiday',              'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('deadline_rule',        'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_item',         'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_field',        'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_rule',         'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_party',        'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('catalog_view',         'rawd', 'r',    'r',  'r',   'r', ''),
  ('party_evidence',       'rawd', 'r',    'r',  '',    'r', ''),
  ('party_link_source',    'rawd', 'r',    'r',  '',    'r', ''),
  ('match_rule',           'rawd', 'rawd', 'r',  '',    'r', ''),
  ('match_parameter',      'rawd', 'rawd', 'r',  '',    'r', ''),
  ('indicator',            'rawd', 'rawd', 'r',  '',    'r', ''),
  ('response_kind',        'rawd', 'r',    'r',  '',    'r', ''),
  ('risk_param',           'rawd', 'rawd', 'r',  'r',   'r', ''),
  ('sweep_log',            'rawd', 'r',    'r',  '',    'r', ''),
  -- security and ledger
  ('unit_member',          'rawd', 'r',    'r',  'r',   'r', 'r'),
  ('data_grant',           'r',    'r',    'r',  'r',   '',  ''),
  ('access_log',           'r',    'r',    'r',  'r',   '',  ''),
  ('ledger',               'r',    '',     '',   '',    'r', ''),
  -- intake (rows narrowed by row-level security).  submission, record and
  -- record_error are written only by submit() and the inbox triggers (as the
  -- extension owner, the caller checked once per load): nobody writes them directly.
  ('unit_contact',         'ra',   '',     '',   'ra',  '',  ''),
  ('submission',           'r',    'r',    'r',  'r',   'r', 'r'),
  ('record',               'r',    'r',    'r',  '',    '',  ''),
  ('record_error',         'r',    '',     '',   'r',   '',  ''),
  ('inbox',                'a',    '',     '',   'a',   '',  'a'),
  ('objection',            'raw',  'ra',   'ra', 'raw', '',  ''),
  -- obligations, deductions (a unit: its own rows)
  ('obligation',           'rawd', 'r',    'r',  'r',   'r', ''),
  ('obligation_change',    'rawd', 'r',    'r',  'r',   'r', ''),
  ('deduction_event',      'rawd', 'r',    'r',  'r',   'r', ''),
  -- analysis products: the analysis group runs the engine; the tax bureau
  -- triages suspicions and logs assessments
  ('entity',               'rawd', 'rawd', 'r',  '',    '',  ''),
  ('entity_attribute',     'rawd', 'rawd', 'r',  '',    '',  ''),
  ('record_party',         'rawd', 'rawd', 'r',  '',    '',  ''),
  ('party_link',           'rawd', 'rawd', 'r',  '',    '',  ''),
  ('match_review',         'rawd', 'rawd', 'r',  '',    '',  ''),
  ('suspicion',            'rawd', 'rawd', 'rw', '',    '',  ''),
  ('risk_score',           'rawd', 'rawd', 'r',  '',    '',  ''),
  ('risk_grading',         'rawd', 'rawd', 'r',  '',    '',  ''),
  ('blacklist',            'rawd', 'rawd', 'r',  '',    '',  ''),
  ('assessment_log',       'rawd', 'rawd', 'ra', '',    '',  ''),
  -- warnings: the office pushes, the recipient (tax bureau or unit, its own
  -- rows by row-level security) receives, answers, extends and disputes
  ('warning',              'rawd', 'r',    'rw', 'rw',  '',  ''),
  ('warning_task',         'rawd', 'r',    'rw', 'rw',  '',  ''),
  ('warning_extension',    'rawd', 'r',    'ra', 'ra',  '',  ''),
  ('warning_dispute',      'rawd', 'r',    'ra', 'ra',  '',  ''),
  -- views
  ('catalog_item_current', 'r',    'r',    'r',  'r',   'r', 'r'),
  ('holiday_year',         'r',    'r',    'r',  'r',   'r', 'r'),
  ('unit_contact_current', 'r',    '',     '',   'r',   '',  ''),
  ('record_visible',       'r',    'r',    'r',  'r',   '',  ''),
  ('current_record',       'r',    'r',    'r',  '',    '',  ''),
  ('record_party_key',     'r',    'r',    'r',  '',    '',  ''),
  ('record_party_source',  'r',    'r',    'r',  '',    '',  ''),
  ('submission_report',    'r',    'r',    'r',  'r',   'r', 'r'),
  ('objection_status',     'r',    'r',    'r',  'r',   '',  ''),
  ('obligation_status',    'r',    'r',    'r',  'r',   'r', ''),
  ('rectification_window', 'r',    'r',    'r',  'r',   'r', ''),
  ('forwarding_delay',     'r',    'r',    'r',  'r',   'r', ''),
  ('monthly_upload_stats', 'r',    'r',    'r',  'r',   'r', ''),
  ('enterprise_person',    'r',    'r',    'r',  '',    '',  ''),
  ('blacklist_entity',     'r',    'r',    'r',  '',    '',  ''),
  ('suspicion_list',       'r',    'r',    'r',  '',    '',  ''),
  ('assessment_year',      'r',    'r',    'r',  '',    '',  ''),
  ('risk_list',            'r',    'r',    'r',  '',    '',  ''),
  ('warning_ledger',       'r',    'r',    'r',  'r',   '',  '');

DO $$
DECLARE
  p record;
  col text;
  role text;
  privs text;
  list text;
BEGIN
  FOR p IN SELECT * FROM pg_temp.taxshare_privilege_plan LOOP
    IF pg_catalog.to_regclass('taxshare.' || p.tbl) IS NULL THEN
      CONTINUE;	-- a module not installed in this build
    END IF;
    FOREACH col IN ARRAY ARRAY['admin', 'analyst', 'tax', 'unit', 'operator', 'exchange'] LOOP
      privs := CASE col WHEN 'admin' THEN p.admin WHEN 'analyst' THEN p.analyst WHEN 'tax' THEN p.tax
                        WHEN 'unit' THEN p.unit WHEN 'operator' THEN p.operator ELSE p.exchange END;
      SELECT string_agg(x.priv, ', ' ORDER BY x.ord) INTO list
        FROM (VALUES ('r', 'SELECT', 1), ('a', 'INSERT', 2), ('w', 'UPDATE', 3), ('d', 'DELETE', 4))
             AS x(letter, priv, ord)
       WHERE strpos(privs, x.letter) > 0;
      role := 'taxshare_' || col;
      IF list IS NOT NULL THEN
        EXECUTE format('GRANT %s ON taxshare.%I TO %I', list, p.tbl, role);
      END IF;
    END LOOP;
  END LOOP;
END
$$;
DROP TABLE pg_temp.taxshare_privilege_plan;

-- Sequences: whoever may insert into the table.
DO $$
DECLARE
  s record;
  r text;
BEGIN
  FOR s IN SELECT seq.relname AS seq, tab.relname AS tbl
             FROM pg_catalog.pg_depend d
             JOIN pg_catalog.pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
             JOIN pg_catalog.pg_class tab ON tab.oid = d.refobjid
            WHERE seq.relnamespace = 'taxshare'::regnamespace AND d.deptype IN ('a', 'i') LOOP
    FOREACH r IN ARRAY ARRAY['taxshare_admin', 'taxshare_analyst', 'taxshare_tax', 'taxshare_unit',
                             'taxshare_exchange'] LOOP
      IF pg_catalog.has_table_privilege(r, format('taxshare.%I', s.tbl), 'INSERT') THEN
        EXECUTE format('GRANT USAGE ON SEQUENCE taxshare.%I TO %I', s.seq, r);
      END IF;
    END LOOP;
  END LOOP;
  -- resolve_entities draws entity ids with nextval() outside an INSERT.
  IF pg_catalog.to_regclass('taxshare.entity_id_seq') IS NOT NULL THEN
    GRANT USAGE ON SEQUENCE taxshare.entity_id_seq TO taxshare_admin, taxshare_analyst;
  END IF;
END
$$;

-- Functions: the roles' functions run as the caller (table privileges and
-- row-level security above are the gate), and the policies call the helper
-- functions as the caller, so every member role may execute them - except the
-- ledger's internals, which the ledger module keeps to itself, and submit(),
-- which only the submitting roles get (it checks the unit itself as well).
DO $$
DECLARE
  f record;
BEGIN
  FOR f IN SELECT p.oid::regprocedure AS sig
             FROM pg_catalog.pg_proc p
            WHERE p.pronamespace = 'taxshare'::regnamespace
              AND p.proname NOT IN ('ledger_append', 'submission_digest', 'ledger_verify', 'ledger_digest',
                                    'submit')
              AND p.proname NOT LIKE '\_ledger\_%' LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO taxshare_admin, taxshare_analyst, taxshare_tax,'
                   ' taxshare_unit, taxshare_operator, taxshare_exchange', f.sig);
  END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION taxshare.ledger_verify(bigint, text), taxshare.ledger_digest()
  TO taxshare_admin, taxshare_operator;
GRANT EXECUTE ON FUNCTION taxshare.submit(text, text, date, jsonb, timestamptz, text)
  TO taxshare_admin, taxshare_unit, taxshare_exchange;
