-- #17: a restore of a dump leaves the data as it was dumped.  Triggers that
-- stamp a row with now() or queue work on INSERT did it again when pg_restore
-- COPYed the rows back: the indicators, grading parameters and cross-check
-- rules looked changed on the day of the restore, and every restored
-- submission queued its obligation for a new evaluation.  An INSERT now keeps
-- the row's own updated_at / updated_by (the column defaults, now() and
-- session_user, when a user inserts), and the obligation queue skips a
-- restore's COPY into submission (_ledger_restoring(), as the ledger does).
CREATE OR REPLACE FUNCTION taxshare._obligation_note_change() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, taxshare, pg_temp
AS $$
BEGIN
  -- A restore (a COPY into submission) brings the obligations as they were
  -- evaluated: nothing to look at again.
  IF TG_OP = 'INSERT' AND taxshare._ledger_restoring(TG_RELID) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO taxshare.obligation_change (item_code, unit_code, period_start)
    SELECT DISTINCT c.item_code, c.unit_code, c.period_start
      FROM (SELECT n.item_code, n.unit_code, n.period_start, n.additive FROM submission_new n
            UNION ALL
            SELECT o.item_code, o.unit_code, o.period_start, o.additive FROM submission_old o) c
     WHERE NOT c.additive;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO taxshare.obligation_change (item_code, unit_code, period_start)
    SELECT DISTINCT n.item_code, n.unit_code, n.period_start FROM submission_new n WHERE NOT n.additive;
  ELSE
    INSERT INTO taxshare.obligation_change (item_code, unit_code, period_start)
    SELECT DISTINCT o.item_code, o.unit_code, o.period_start FROM submission_old o WHERE NOT o.additive;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION taxshare._match_rule_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  f text;
  item text;
  ver integer;
  numeric_types constant text[] := ARRAY['amount', 'number', 'integer'];
BEGIN
  FOREACH item IN ARRAY ARRAY[NEW.source_item, NEW.target_item] LOOP
    IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_item i WHERE i.code = item) THEN
      RAISE EXCEPTION 'rule "%": unknown catalog item "%"', NEW.code, item
        USING ERRCODE = '22023', HINT = 'Define the item with taxshare.catalog_define() first.';
    END IF;
  END LOOP;
  SELECT max(i.version) INTO ver FROM taxshare.catalog_item i WHERE i.code = NEW.source_item;
  IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_party p WHERE p.item_code = NEW.source_item
                    AND p.item_version = ver AND p.role = NEW.party_role) THEN
    RAISE EXCEPTION 'rule "%": item "%" has no party "%"', NEW.code, NEW.source_item, NEW.party_role
      USING ERRCODE = '22023', HINT = 'party_role names one of the "parties" of the source item.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_party p
                  WHERE p.item_code = NEW.target_item
                    AND p.item_version = (SELECT max(i.version) FROM taxshare.catalog_item i
                                           WHERE i.code = NEW.target_item)
                    AND p.role = coalesce(NEW.target_role, NEW.party_role)) THEN
    RAISE EXCEPTION 'rule "%": item "%" has no party "%"', NEW.code, NEW.target_item,
                    coalesce(NEW.target_role, NEW.party_role)
      USING ERRCODE = '22023', HINT = 'target_role names one of the "parties" of the target item.';
  END IF;
  IF NEW.check_kind = 'amount_below' AND (NEW.target_amount_field IS NULL
     OR (NEW.expected_expr IS NULL AND NEW.source_amount_field IS NULL)) THEN
    RAISE EXCEPTION 'rule "%": an amount_below check needs an expected amount and a target amount field', NEW.code
      USING ERRCODE = '22023',
            HINT = 'Set expected_expr (or source_amount_field) and target_amount_field.';
  END IF;
  -- every field named must exist in the item and hold a number
  FOR f, item IN
    SELECT x, NEW.source_item FROM unnest(taxshare.rule_expr_fields(NEW.expected_expr)) x
    UNION ALL SELECT NEW.source_amount_field, NEW.source_item WHERE NEW.source_amount_field IS NOT NULL
    UNION ALL SELECT NEW.target_amount_field, NEW.target_item WHERE NEW.target_amount_field IS NOT NULL
  LOOP
    IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_field c
                    WHERE c.item_code = item AND c.name = f
                      AND c.item_version = (SELECT max(i.version) FROM taxshare.catalog_item i WHERE i.code = item)
                      AND c.type = ANY (numeric_types)) THEN
      RAISE EXCEPTION 'rule "%": item "%" has no numeric field "%"', NEW.code, item, f
        USING ERRCODE = '22023', HINT = 'Name a field of type amount, number or integer of the item''s latest version.';
    END IF;
  END LOOP;
  -- An INSERT keeps its own time (now() by default; a restore's dumped one).
  IF TG_OP = 'UPDATE' THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION taxshare.indicator_replace() RETURNS trigger
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

CREATE OR REPLACE FUNCTION taxshare.risk_param_replace() RETURNS trigger
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
