-- Rows of the units' score (92_unit_score.sql, 93_payment_warning.sql): a unit
-- reads its own score, deductions' disputes, requests, meetings, incidents
-- and payment warnings; the office writes them (directly or through the
-- functions, which are SECURITY DEFINER where a unit acts); analysts, the tax
-- bureau and the operator read what the privilege plan grants them.  After
-- 95_security.sql, whose current_units() and is_office() the policies use.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['office_request', 'meeting_invite', 'incident', 'deduction_dispute',
                           'payment_warning', 'unit_score'] LOOP
    EXECUTE format('ALTER TABLE taxshare.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT'
                   ' TO taxshare_analyst, taxshare_tax, taxshare_operator USING (true)',
                   t || '_staff_read', t);
    EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR SELECT TO taxshare_unit'
                   ' USING (unit_code = ANY ((SELECT taxshare.current_units())::text[]))',
                   t || '_unit_read', t);
    EXECUTE format('CREATE POLICY %I ON taxshare.%I FOR ALL TO taxshare_admin USING (true) WITH CHECK (true)',
                   t || '_office_write', t);
  END LOOP;
END
$$;
-- A decision is read by whoever may read its dispute.
ALTER TABLE taxshare.deduction_decision ENABLE ROW LEVEL SECURITY;
CREATE POLICY deduction_decision_read ON taxshare.deduction_decision FOR SELECT
  TO taxshare_analyst, taxshare_tax, taxshare_unit
  USING (dispute_id IN (SELECT x.id FROM taxshare.deduction_dispute x));
CREATE POLICY deduction_decision_office_write ON taxshare.deduction_decision FOR ALL TO taxshare_admin
  USING (true) WITH CHECK (true);
