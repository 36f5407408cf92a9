-- Cross-check rules (交叉比对): what a department reports against what was
-- declared to tax, the suspicious points (疑点) they find, and the tax
-- bureau's triage of them (DOMAIN.md "From data to risk", steps 1-2;
-- docs/matching.md "How to write a rule").

CREATE FUNCTION taxshare.rule_expr_sql(expr text, alias text DEFAULT 'c') RETURNS text
  AS 'MODULE_PATHNAME', 'rule_expr_sql'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.rule_expr_sql(text, text) IS
  '将应有金额表达式 (字段、数字、四则运算、min/max/round/abs/coalesce) 编译为 SQL / compile an expected-amount expression (fields, numbers, + - * /, min/max/round/abs/coalesce) into SQL over alias.payload';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'rule_expr_sql(text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.rule_expr_fields(expr text) RETURNS text[]
  AS 'MODULE_PATHNAME', 'rule_expr_fields'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION taxshare.rule_expr_fields(text) IS
  '表达式引用的字段名 / the field names an expression refers to';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'rule_expr_fields(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE TABLE taxshare.match_rule (
  code                 text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  title                text NOT NULL CHECK (btrim(title) <> ''),
  description          text,
  source_item          text NOT NULL,
  target_item          text NOT NULL,
  party_role           text NOT NULL,
  target_role          text,
  check_kind           text NOT NULL CHECK (check_kind IN ('missing', 'amount_below', 'count_mismatch')),
  expected_expr        text,
  source_amount_field  text,
  target_amount_field  text,
  tolerance_abs        numeric CHECK (tolerance_abs >= 0 AND tolerance_abs <> 'NaN'),
  tolerance_rel        numeric CHECK (tolerance_rel >= 0 AND tolerance_rel <= 1),
  period_window        text NOT NULL DEFAULT 'same'
                       CHECK (period_window ~ '^(same|\+[0-9]{1,2} months?)$'),
  indicator_code       text,
  active               boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.match_rule IS
  '交叉比对规则: 部门数据 (来源) 与税务申报 (目标) 按当事方主体比对 / cross-check rules: a department''s item (source) against a tax item (target), joined on the entity of a party';
COMMENT ON COLUMN taxshare.match_rule.party_role IS
  '来源条目中用于关联的当事方 / the party of the source item to join on';
COMMENT ON COLUMN taxshare.match_rule.target_role IS
  '目标条目中的当事方, 为空时同 party_role / the party of the target item; NULL: the same role as party_role';
COMMENT ON COLUMN taxshare.match_rule.check_kind IS
  'missing 目标中无记录; amount_below 申报金额低于应有金额超过容差; count_mismatch 人数/笔数不符超过容差 / missing in target; amount below the expected by more than the tolerance; count mismatch beyond the tolerance';
COMMENT ON COLUMN taxshare.match_rule.expected_expr IS
  '应有金额, 来源字段的表达式, 如 price * 3% / expected amount: an expression over source fields, e.g. price * 3%';
COMMENT ON COLUMN taxshare.match_rule.source_amount_field IS
  '来源金额或人数字段 (无表达式时的应有金额; count_mismatch 的来源人数) / source amount or count field';
COMMENT ON COLUMN taxshare.match_rule.target_amount_field IS
  '目标申报金额或人数字段 / target declared amount or count field';
COMMENT ON COLUMN taxshare.match_rule.tolerance_abs IS
  '绝对容差: 差额须超过此值 / absolute tolerance: the gap must exceed it';
COMMENT ON COLUMN taxshare.match_rule.tolerance_rel IS
  '相对容差 (0-1): 差额须超过应有值的此比例 / relative tolerance (0-1): the gap must exceed this share of the expected value';
COMMENT ON COLUMN taxshare.match_rule.period_window IS
  'same 同月; +N months 目标所属期可延后 N 个月 / same month, or the target period may be up to N months later';
COMMENT ON COLUMN taxshare.match_rule.indicator_code IS
  '对应的风险指标 (taxshare.indicator) / the risk indicator the points count towards';
SELECT pg_catalog.pg_extension_config_dump('taxshare.match_rule', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'match_rule', 'rawd', 'rawd', 'r', '', 'r', '');

-- A rule is checked against the catalog when written, so that run_rules()
-- never meets an unknown item, party or field.
CREATE FUNCTION taxshare._match_rule_check() RETURNS trigger
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
COMMENT ON FUNCTION taxshare._match_rule_check() IS
  '内部: 写入规则时按共享目录校验 / internal: check a rule against the catalog when it is written';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_match_rule_check()', 'X', 'X', 'X', 'X', 'X', 'X');
CREATE TRIGGER match_rule_check BEFORE INSERT OR UPDATE ON taxshare.match_rule
  FOR EACH ROW EXECUTE FUNCTION taxshare._match_rule_check();

CREATE TABLE taxshare.suspicion (
  id               bigserial PRIMARY KEY,
  rule_code        text NOT NULL REFERENCES taxshare.match_rule (code) ON UPDATE CASCADE,
  entity_id        bigint NOT NULL REFERENCES taxshare.entity (id),
  period_start     date NOT NULL,
  amount_involved  numeric(18, 2),
  evidence         bigint[],
  details          jsonb,
  status           text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'confirmed', 'excluded')),
  reason           text,
  triaged_by       text,
  triaged_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT suspicion_once UNIQUE (rule_code, entity_id, period_start),
  CHECK (status <> 'excluded' OR btrim(coalesce(reason, '')) <> '')
);
CREATE INDEX suspicion_entity ON taxshare.suspicion (entity_id);
CREATE INDEX suspicion_period ON taxshare.suspicion (period_start, status);
COMMENT ON TABLE taxshare.suspicion IS
  '疑点: 规则在某期对某主体的发现及税务部门的核实结论 / suspicious points: what a rule found about an entity in a period, and the tax bureau''s triage';
COMMENT ON COLUMN taxshare.suspicion.amount_involved IS
  '涉及金额: 少报差额或应有金额 / amount involved: the shortfall or the expected amount';
COMMENT ON COLUMN taxshare.suspicion.evidence IS
  '证据记录编号 (来源与目标) / ids of the records (source and target) behind the point';
COMMENT ON COLUMN taxshare.suspicion.details IS
  '比对数值: 应有、申报、人数等 / the compared figures: expected, declared, counts';
COMMENT ON COLUMN taxshare.suspicion.status IS
  'new 新发现, confirmed 税务部门确认, excluded 排除 (须说明理由) / new, confirmed by the tax bureau, or excluded (with a reason)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.suspicion', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.suspicion_id_seq', '');
-- The analysis group runs the rules; the tax bureau triages the suspicions.
INSERT INTO taxshare.privilege_plan VALUES ('table', 'suspicion', 'rawd', 'rawd', 'rw', '', '', '');

-- The SQL that finds the points of one rule in one month ($1): the source
-- records of the month, grouped by the entity of the party, against the
-- target records whose period overlaps the month and the window after it.
CREATE FUNCTION taxshare._match_rule_sql(r taxshare.match_rule)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  expected text;
  source_count text := '1::numeric';
  target_count text := '1::numeric';
  target_amount text := 'NULL::numeric';
  window_months integer := coalesce(substring(r.period_window FROM '^\+([0-9]+)')::integer, 0);
  found text;
  cond text;
  amount text;
  details text;
  evidence text;
BEGIN
  IF r.expected_expr IS NOT NULL THEN
    expected := taxshare.rule_expr_sql(r.expected_expr, 'c');
  ELSIF r.source_amount_field IS NOT NULL AND r.check_kind <> 'count_mismatch' THEN
    expected := format('((c.payload ->> %L)::numeric)', r.source_amount_field);
  ELSE
    expected := 'NULL::numeric';
  END IF;
  IF r.check_kind = 'count_mismatch' AND r.source_amount_field IS NOT NULL THEN
    source_count := format('((c.payload ->> %L)::numeric)', r.source_amount_field);
  END IF;
  IF r.target_amount_field IS NOT NULL THEN
    target_amount := format('((c.payload ->> %L)::numeric)', r.target_amount_field);
    IF r.check_kind = 'count_mismatch' THEN
      target_count := target_amount;
    END IF;
  END IF;

  found := format($f$
    WITH src AS (
      SELECT rp.entity_id, c.id AS record_id, %1$s AS expected, %2$s AS cnt
        FROM taxshare.current_record c
        JOIN taxshare.record_party rp ON rp.record_id = c.id AND rp.role = %3$L
       WHERE c.item_code = %4$L AND c.period_start >= $1 AND c.period_start < $1 + interval '1 month'
         AND rp.entity_id IS NOT NULL
    ), tgt AS (
      SELECT rp.entity_id, c.id AS record_id, %5$s AS amount, %6$s AS cnt
        FROM taxshare.current_record c
        JOIN taxshare.record_party rp ON rp.record_id = c.id AND rp.role = %7$L
       WHERE c.item_code = %8$L AND c.period_end >= $1
         AND c.period_start < $1 + make_interval(months => 1 + %9$s)
         AND rp.entity_id IN (SELECT entity_id FROM src)
    ), s AS (
      SELECT entity_id, sum(expected) AS expected, sum(cnt) AS cnt, count(*) AS records,
             array_agg(record_id ORDER BY record_id) AS evidence
        FROM src GROUP BY entity_id
    ), t AS (
      SELECT entity_id, sum(amount) AS amount, sum(cnt) AS cnt, count(*) AS records,
             array_agg(record_id ORDER BY record_id) AS evidence
        FROM tgt GROUP BY entity_id
    )$f$,
    expected, source_count, r.party_role, r.source_item,
    target_amount, target_count, coalesce(r.target_role, r.party_role), r.target_item, window_months);

  evidence := 's.evidence || coalesce(t.evidence, ''{}'')';
  IF r.check_kind = 'missing' THEN
    cond := 't.entity_id IS NULL';
    amount := 's.expected';
    evidence := 's.evidence';
    details := 'jsonb_build_object(''source_records'', s.records, ''expected'', round(s.expected, 2))';
  ELSIF r.check_kind = 'amount_below' THEN
    cond := format('s.expected - coalesce(t.amount, 0) > %L::numeric AND s.expected - coalesce(t.amount, 0) > %L::numeric * s.expected',
                   coalesce(r.tolerance_abs, 0), coalesce(r.tolerance_rel, 0));
    amount := 's.expected - coalesce(t.amount, 0)';
    details := 'jsonb_build_object(''expected'', round(s.expected, 2), ''declared'', round(coalesce(t.amount, 0), 2), '
               '''shortfall'', round(s.expected - coalesce(t.amount, 0), 2), ''source_records'', s.records, '
               '''target_records'', coalesce(t.records, 0))';
  ELSE
    cond := format('abs(s.cnt - coalesce(t.cnt, 0)) > %L::numeric AND abs(s.cnt - coalesce(t.cnt, 0)) > %L::numeric * greatest(s.cnt, coalesce(t.cnt, 0))',
                   coalesce(r.tolerance_abs, 0), coalesce(r.tolerance_rel, 0));
    amount := 's.expected';
    details := 'jsonb_build_object(''source_count'', s.cnt, ''target_count'', coalesce(t.cnt, 0), '
               '''difference'', s.cnt - coalesce(t.cnt, 0), ''source_records'', s.records, '
               '''target_records'', coalesce(t.records, 0))';
  END IF;
  RETURN found || format($f$
    SELECT s.entity_id, round(%1$s, 2) AS amount_involved, %2$s AS evidence, %3$s AS details
      FROM s LEFT JOIN t ON t.entity_id = s.entity_id
     WHERE %4$s$f$, amount, evidence, details, cond);
END
$$;
COMMENT ON FUNCTION taxshare._match_rule_sql(taxshare.match_rule) IS
  '内部: 生成某规则查找疑点的 SQL (参数 $1 为月份首日) / internal: the SQL finding the points of a rule in the month starting at $1';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', '_match_rule_sql(taxshare.match_rule)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.run_rules(period_start date, resolve boolean DEFAULT true)
RETURNS TABLE (rule_code text, points bigint, inserted bigint, updated bigint, cleared bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r taxshare.match_rule;
  p date := run_rules.period_start;
BEGIN
  IF p IS NULL OR p <> date_trunc('month', p)::date THEN
    RAISE EXCEPTION 'period start % is not the first day of a month', p
      USING ERRCODE = '22023', HINT = 'Rules run per month: pass e.g. ''2024-03-01''.';
  END IF;
  IF resolve THEN
    PERFORM taxshare.resolve_entities();
  END IF;
  -- one run per month at a time: the upserts and clean-ups of two runs must not interleave
  PERFORM pg_advisory_xact_lock(hashtext('taxshare.run_rules'), (p - date '2000-01-01'));
  FOR r IN SELECT * FROM taxshare.match_rule m WHERE m.active ORDER BY m.code LOOP
    rule_code := r.code;
    EXECUTE format($q$
      WITH found AS (%s),
      up AS (
        INSERT INTO taxshare.suspicion AS x (rule_code, entity_id, period_start, amount_involved,
                                             evidence, details)
        SELECT %L, f.entity_id, $1, f.amount_involved, f.evidence, f.details FROM found f
        ON CONFLICT ON CONSTRAINT suspicion_once DO UPDATE
           SET amount_involved = excluded.amount_involved, evidence = excluded.evidence,
               details = excluded.details, updated_at = now()
         WHERE (x.amount_involved, x.evidence, x.details)
               IS DISTINCT FROM (excluded.amount_involved, excluded.evidence, excluded.details)
        RETURNING (x.xmax = 0) AS fresh
      ),
      gone AS (
        DELETE FROM taxshare.suspicion s
         WHERE s.rule_code = %L AND s.period_start = $1 AND s.status = 'new'
           AND NOT EXISTS (SELECT 1 FROM found f WHERE f.entity_id = s.entity_id)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM found), (SELECT count(*) FILTER (WHERE fresh) FROM up),
             (SELECT count(*) FILTER (WHERE NOT fresh) FROM up), (SELECT count(*) FROM gone)$q$,
      taxshare._match_rule_sql(r), r.code, r.code)
    INTO points, inserted, updated, cleared
    USING p;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION taxshare.run_rules(date, boolean) IS
  '对某月执行全部启用的比对规则, 写入疑点 (重复执行不重复写入, 保留核实结论; 不再成立的新疑点被清除); resolve 时先关联新记录 / run every active rule for the month: upsert suspicions (re-runs add no duplicates and keep triage; new points that no longer hold are cleared); with resolve, link new records first';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'run_rules(date, boolean)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.suspicion_triage(suspicion_id bigint, status text, reason text DEFAULT NULL)
RETURNS taxshare.suspicion
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s taxshare.suspicion;
BEGIN
  IF status IS NULL OR status NOT IN ('new', 'confirmed', 'excluded') THEN
    RAISE EXCEPTION 'invalid suspicion status "%"', status
      USING ERRCODE = '22023', HINT = 'The status is "confirmed", "excluded" (with a reason) or "new".';
  END IF;
  IF status = 'excluded' AND btrim(coalesce(reason, '')) = '' THEN
    RAISE EXCEPTION 'excluding suspicion % needs a reason', suspicion_id
      USING ERRCODE = '22023',
            HINT = 'Say why the point is dropped, e.g. "已在外地申报缴纳" (declared and paid elsewhere).';
  END IF;
  UPDATE taxshare.suspicion x
     SET status = suspicion_triage.status, reason = suspicion_triage.reason,
         triaged_by = session_user, triaged_at = now(), updated_at = now()
   WHERE x.id = suspicion_id
  RETURNING x.* INTO s;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'suspicion % does not exist', suspicion_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.suspicion.';
  END IF;
  RETURN s;
END
$$;
COMMENT ON FUNCTION taxshare.suspicion_triage(bigint, text, text) IS
  '税务部门核实疑点: confirmed 确认, excluded 排除 (须说明理由), new 退回待核 / the tax bureau''s triage: confirm, exclude (a reason is required) or reset to new';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'suspicion_triage(bigint, text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- What the tax bureau reads: each point with its entity and rule.
CREATE VIEW taxshare.suspicion_list AS
  SELECT s.id, s.period_start, s.rule_code, r.title AS rule_title, r.indicator_code,
         s.entity_id, e.kind AS entity_kind, e.name AS entity_name, e.uscc, e.idcard,
         s.amount_involved, s.details, s.evidence, s.status, s.reason, s.created_at, s.updated_at
    FROM taxshare.suspicion s
    JOIN taxshare.match_rule r ON r.code = s.rule_code
    JOIN taxshare.entity e ON e.id = s.entity_id;
COMMENT ON VIEW taxshare.suspicion_list IS
  '疑点清单: 疑点及其主体和规则 / suspicious points with their entity and rule';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'suspicion_list', 'r', 'r', 'r', '', '', '');
