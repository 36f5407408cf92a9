-- Entities: the enterprises and persons the records are about, which entity each
-- party of each record is (record_party), the review queue of uncertain links
-- and the parameters of the probabilistic model (docs/matching.md,
-- "Resolution").  resolve_entities() in src/resolve*.c fills these tables.

CREATE TABLE taxshare.entity (
  id               bigserial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('enterprise', 'person')),
  uscc             text,
  idcard           text,
  orgcode          text,
  taxpayer_id      text,
  name             text,
  name_normalized  text,
  region           text CHECK (region ~ '^[0-9]{6}$'),
  address          text,
  phone            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- A key names one entity: the resolver relies on it, the indexes enforce it.
CREATE UNIQUE INDEX entity_uscc ON taxshare.entity (uscc) WHERE uscc IS NOT NULL;
CREATE UNIQUE INDEX entity_idcard ON taxshare.entity (idcard) WHERE idcard IS NOT NULL;
CREATE UNIQUE INDEX entity_orgcode ON taxshare.entity (orgcode) WHERE orgcode IS NOT NULL;
CREATE INDEX entity_taxpayer_id ON taxshare.entity (taxpayer_id) WHERE taxpayer_id IS NOT NULL;
CREATE INDEX entity_name_normalized ON taxshare.entity (name_normalized);
COMMENT ON TABLE taxshare.entity IS
  '主体: 记录所涉及的企业和个人 / entities: the enterprises and persons that records are about';
COMMENT ON COLUMN taxshare.entity.kind IS
  'enterprise 企业 (含个体工商户以外的组织), person 个人 / enterprise or person';
COMMENT ON COLUMN taxshare.entity.uscc IS
  '统一社会信用代码 / unified social credit code';
COMMENT ON COLUMN taxshare.entity.idcard IS
  '居民身份证号码 (18 位) / resident identity number, 18-character form';
COMMENT ON COLUMN taxshare.entity.orgcode IS
  '组织机构代码 (统一社会信用代码第 9-17 位) / organization code (characters 9-17 of the USCC)';
COMMENT ON COLUMN taxshare.entity.taxpayer_id IS
  '旧纳税人识别号 (15/18/20 位), 如有 / legacy taxpayer identification number, if seen';
COMMENT ON COLUMN taxshare.entity.name_normalized IS
  '规范化名称 (normalize_name) / normalised name';
COMMENT ON COLUMN taxshare.entity.region IS
  '行政区划代码 (GB/T 2260), 来自报送字段或统一社会信用代码第 3-8 位 / division code, from a reported field or USCC characters 3-8';
SELECT pg_catalog.pg_extension_config_dump('taxshare.entity', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.entity_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'entity', 'rawd', 'rawd', 'r', '', '', '');

-- Everything seen of an entity across sources: every name, address and phone
-- under which a linked record reported it.  The probabilistic comparison
-- takes the best agreement over these.
CREATE TABLE taxshare.entity_attribute (
  entity_id   bigint NOT NULL REFERENCES taxshare.entity (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('name', 'address', 'phone', 'identifier')),
  value       text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity_id, kind, value)
);
COMMENT ON TABLE taxshare.entity_attribute IS
  '主体在各来源中出现过的名称、地址、电话及未通过校验的标识 (规范化后) / every normalised name, address, phone and unverified identifier (kind:text) under which sources reported an entity';
SELECT pg_catalog.pg_extension_config_dump('taxshare.entity_attribute', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'entity_attribute', 'rawd', 'rawd', 'r', '', '', '');

-- Which entity each party of each record is.
CREATE TABLE taxshare.record_party (
  record_id    bigint NOT NULL,
  role         text NOT NULL,
  entity_id    bigint REFERENCES taxshare.entity (id),
  score        float8,
  method       text CHECK (method IN ('uscc', 'idcard', 'orgcode', 'taxpayer_id', 'probabilistic', 'manual')),
  explanation  jsonb,
  resolved_at  timestamptz NOT NULL DEFAULT now(),
  provisional  boolean NOT NULL DEFAULT false,
  PRIMARY KEY (record_id, role)
);
CREATE INDEX record_party_entity ON taxshare.record_party (entity_id);
COMMENT ON TABLE taxshare.record_party IS
  '每条记录的每个当事方对应的主体, 及其置信度和方法 / the entity of each party of each record, with confidence and method';
COMMENT ON COLUMN taxshare.record_party.score IS
  '确定性标识为 1; 概率匹配为 Fellegi-Sunter 权重 (log2) / 1 for a deterministic key; the Fellegi-Sunter weight (log2) for a probabilistic link';
COMMENT ON COLUMN taxshare.record_party.method IS
  'uscc, idcard, orgcode, taxpayer_id: 确定性标识; probabilistic: 概率匹配; manual: 人工确认 / the key used, probabilistic, or manual';
COMMENT ON COLUMN taxshare.record_party.explanation IS
  '匹配依据: 所用标识, 或各比较项的权重 / why: the key used, or each comparison''s weight';
COMMENT ON COLUMN taxshare.record_party.provisional IS
  '暂定关联: 待人工复核 (match_review), 规则和评级照常使用, 但该当事方的名称等不并入主体、不作为后续匹配的候选依据 / provisional link waiting for a review (match_review): rules and grading see it, but what the party says is not taken into the entity nor offered to later parties';
SELECT pg_catalog.pg_extension_config_dump('taxshare.record_party', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'record_party', 'rawd', 'rawd', 'r', '', '', '');

-- Pairs between the two thresholds (or two candidates too close to tell) wait
-- here for a person to decide.  The party is meanwhile linked provisionally to
-- its best candidate (record_party.provisional), so downstream work finds the
-- entity it most likely is and no duplicate is made; parties that say the same
-- share one case (case_key) and one decision.  Reviews written by 0.1.0 linked
-- the party to a provisional entity of its own (entity_id); deciding "link"
-- merges that entity into the candidate.
CREATE TABLE taxshare.match_review (
  id                   bigserial PRIMARY KEY,
  record_id            bigint NOT NULL,
  role                 text NOT NULL,
  candidate_entity_id  bigint NOT NULL REFERENCES taxshare.entity (id) ON DELETE CASCADE,
  entity_id            bigint REFERENCES taxshare.entity (id) ON DELETE SET NULL,
  weight               float8 NOT NULL,
  explanation          jsonb NOT NULL,
  status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'linked', 'rejected')),
  decided_by           text,
  decided_at           timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  case_key             text,
  UNIQUE (record_id, role, candidate_entity_id)
);
CREATE INDEX match_review_pending ON taxshare.match_review (created_at) WHERE status = 'pending';
CREATE INDEX match_review_by_case ON taxshare.match_review (case_key) WHERE status = 'pending';
COMMENT ON TABLE taxshare.match_review IS
  '待人工复核的匹配 (权重介于上下阈值之间) / uncertain links waiting for a person (weight between the two thresholds)';
COMMENT ON COLUMN taxshare.match_review.candidate_entity_id IS
  '可能相同的已有主体 / the existing entity the party may be';
COMMENT ON COLUMN taxshare.match_review.entity_id IS
  '0.1.0 写入的复核: 复核前暂用的新主体; 此后为空 (当事方暂定关联到候选主体) / reviews written by 0.1.0: the provisional entity of its own the party is linked to until decided; NULL since (the party is linked provisionally to the candidate)';
COMMENT ON COLUMN taxshare.match_review.case_key IS
  '复核案件: 候选主体与规范化名称相同的当事方共用一个案件, 一次决定全部适用 / the case: parties with the same candidate and normalised name share it, and one decision settles them all';
COMMENT ON COLUMN taxshare.match_review.status IS
  'pending 待复核, linked 确认为同一主体, rejected 确认为不同主体 / pending, linked (same entity) or rejected (different)';
SELECT pg_catalog.pg_extension_config_dump('taxshare.match_review', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.match_review_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'match_review', 'rawd', 'rawd', 'r', '', '', '');

-- A party's kind and evidence fields (a taxpayer ID of any era in a text
-- field, the division code, address and phone) set apart from the catalog:
-- for an item defined without them, or to correct them without a new
-- version.  A row here replaces what the item's parties say of them.
CREATE TABLE taxshare.party_evidence (
  item_code          text NOT NULL,
  role               text NOT NULL,
  kind               text CHECK (kind IN ('enterprise', 'person')),
  taxpayer_id_field  text,
  region_field       text,
  address_field      text,
  phone_field        text,
  PRIMARY KEY (item_code, role)
);
COMMENT ON TABLE taxshare.party_evidence IS
  '当事方的补充匹配字段: 主体类别、纳税人识别号 (任意时期格式)、行政区划、地址、电话; 设置后取代目录中的同类字段 / extra matching fields of a party: kind, taxpayer ID of any era, division, address, phone; a row replaces what the catalog says of them';
COMMENT ON COLUMN taxshare.party_evidence.kind IS
  '主体类别; 为空时按标识和名称判断 / kind of the party; NULL: judged from its identifiers and name';
COMMENT ON COLUMN taxshare.party_evidence.taxpayer_id_field IS
  '文本字段, 可含统一社会信用代码、15 位旧税号、身份证号 (+00) 等, 校验不通过的仅作证据 / a text field holding a USCC, a legacy 15-character ID, a resident ID (+00) ...; one that fails its check is evidence only';
SELECT pg_catalog.pg_extension_config_dump('taxshare.party_evidence', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'party_evidence', 'rawd', 'r', 'r', '', 'r', '');

CREATE FUNCTION taxshare.party_evidence_set(item text, role text, kind text DEFAULT NULL,
                                            taxpayer_id text DEFAULT NULL,
                                            region text DEFAULT NULL,
                                            address text DEFAULT NULL,
                                            phone text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_version integer;
  f text;
BEGIN
  SELECT i.version INTO v_version FROM taxshare.catalog_item i
   WHERE i.code = party_evidence_set.item ORDER BY i.version DESC LIMIT 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown catalog item "%"', party_evidence_set.item
      USING ERRCODE = '22023', HINT = 'Define the item with taxshare.catalog_define() first.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM taxshare.catalog_party p
                  WHERE p.item_code = party_evidence_set.item AND p.item_version = v_version
                    AND p.role = party_evidence_set.role) THEN
    RAISE EXCEPTION 'item "%" has no party "%"', party_evidence_set.item, party_evidence_set.role
      USING ERRCODE = '22023', HINT = 'Name one of the roles in the item''s "parties".';
  END IF;
  IF kind IS NOT NULL AND kind NOT IN ('enterprise', 'person') THEN
    RAISE EXCEPTION 'invalid party kind "%"', kind
      USING ERRCODE = '22023', HINT = 'The kind is "enterprise", "person" or NULL.';
  END IF;
  FOREACH f IN ARRAY ARRAY[taxpayer_id, region, address, phone] LOOP
    IF f IS NOT NULL AND NOT EXISTS (SELECT 1 FROM taxshare.catalog_field c
                                      WHERE c.item_code = party_evidence_set.item
                                        AND c.item_version = v_version AND c.name = f) THEN
      RAISE EXCEPTION 'item "%" has no field "%"', party_evidence_set.item, f
        USING ERRCODE = '22023', HINT = 'Name a field of the item''s latest version.';
    END IF;
  END LOOP;
  INSERT INTO taxshare.party_evidence AS e (item_code, role, kind, taxpayer_id_field, region_field,
                                            address_field, phone_field)
  VALUES (item, role, kind, taxpayer_id, region, address, phone)
  ON CONFLICT ON CONSTRAINT party_evidence_pkey DO UPDATE
     SET kind = excluded.kind, taxpayer_id_field = excluded.taxpayer_id_field,
         region_field = excluded.region_field, address_field = excluded.address_field,
         phone_field = excluded.phone_field;
END
$$;
COMMENT ON FUNCTION taxshare.party_evidence_set(text, text, text, text, text, text, text) IS
  '设置当事方的补充匹配字段 / set the extra matching fields of a party of a catalog item';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'party_evidence_set(text, text, text, text, text, text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Every party of every current record with all it offers the matcher: the
-- fields the catalog's parties name (the typed identifiers, as in the
-- intake's record_party_key, and the evidence fields), except that a
-- party_evidence row, where one was set, replaces the catalog's kind and
-- evidence fields of that party.
CREATE VIEW taxshare.record_party_source AS
  SELECT c.id AS record_id, c.item_code, c.unit_code, c.period_start, p.role,
         x.kind,
         c.payload ->> p.uscc_field AS uscc,
         c.payload ->> p.idcard_field AS idcard,
         c.payload ->> p.orgcode_field AS orgcode,
         c.payload ->> x.taxpayer_id_field AS taxpayer_id,
         c.payload ->> p.name_field AS name,
         c.payload ->> x.region_field AS region,
         c.payload ->> x.address_field AS address,
         c.payload ->> x.phone_field AS phone
    FROM taxshare.current_record c
    JOIN taxshare.catalog_party p ON p.item_code = c.item_code AND p.item_version = c.item_version
    LEFT JOIN taxshare.party_evidence e ON e.item_code = c.item_code AND e.role = p.role
    CROSS JOIN LATERAL (
      SELECT CASE WHEN e.role IS NULL THEN p.kind ELSE e.kind END AS kind,
             CASE WHEN e.role IS NULL THEN p.taxpayer_id_field ELSE e.taxpayer_id_field END AS taxpayer_id_field,
             CASE WHEN e.role IS NULL THEN p.region_field ELSE e.region_field END AS region_field,
             CASE WHEN e.role IS NULL THEN p.address_field ELSE e.address_field END AS address_field,
             CASE WHEN e.role IS NULL THEN p.phone_field ELSE e.phone_field END AS phone_field) x
   WHERE c.payload ?| ARRAY[p.uscc_field, p.idcard_field, p.orgcode_field, p.name_field,
                            x.taxpayer_id_field];
COMMENT ON VIEW taxshare.record_party_source IS
  '现行记录的各当事方及全部匹配字段 (目录当事方所列字段; 设有 party_evidence 时以其为准) / parties of current records with every matching field (the catalog party''s fields; a party_evidence row replaces its kind and evidence fields)';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'record_party_source', 'r', 'r', 'r', '', '', '');

-- The model's m and u per field and level, and the prior, per entity kind.
-- Missing rows take the built-in defaults (docs/matching.md, "Parameters").
CREATE TABLE taxshare.match_parameter (
  kind        text NOT NULL CHECK (kind IN ('enterprise', 'person')),
  field       text NOT NULL,
  level       text NOT NULL,
  m           float8 NOT NULL CHECK (m > 0 AND m < 1),
  u           float8 NOT NULL CHECK (u > 0 AND u < 1),
  source      text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'em')),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, field, level)
);
COMMENT ON TABLE taxshare.match_parameter IS
  'Fellegi-Sunter 模型参数 m、u (按主体类别、比较项、等级); field = ''prior'' 行的 m 为先验概率 / m and u per kind, field and level; the row with field ''prior'' holds the prior in m';
COMMENT ON COLUMN taxshare.match_parameter.source IS
  'manual 人工设定, em 由 match_estimate() 估计 / set by hand or estimated by match_estimate()';
SELECT pg_catalog.pg_extension_config_dump('taxshare.match_parameter', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'match_parameter', 'rawd', 'rawd', 'r', '', 'r', '');

CREATE FUNCTION taxshare.match_model(kind text DEFAULT 'enterprise')
RETURNS TABLE (field text, level text, m float8, u float8, weight float8)
AS 'MODULE_PATHNAME', 'match_model'
LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION taxshare.match_model(text) IS
  '当前生效的匹配模型: 各比较项各等级的 m、u 和权重 log2(m/u) / the model in force: m, u and weight log2(m/u) of each level of each comparison';
INSERT INTO taxshare.privilege_plan VALUES ('function', 'match_model(text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.resolve_entities(rebuild boolean DEFAULT false,
                                          OUT parties bigint, OUT by_key bigint,
                                          OUT probabilistic bigint, OUT review bigint,
                                          OUT new_entities bigint, OUT comparisons bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'resolve_entities'
LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION taxshare.resolve_entities(boolean) IS
  '将记录的当事方关联到主体: 默认只处理尚未关联的记录, rebuild 重建全部非人工关联 / link the parties of records to entities: only unlinked records by default, all non-manual links with rebuild';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'resolve_entities(boolean)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.match_compare(name_a text, name_b text, kind text DEFAULT 'enterprise',
                                       region_a text DEFAULT NULL, region_b text DEFAULT NULL,
                                       address_a text DEFAULT NULL, address_b text DEFAULT NULL,
                                       phone_a text DEFAULT NULL, phone_b text DEFAULT NULL,
                                       ident_a text DEFAULT NULL, ident_b text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'match_compare'
LANGUAGE C STABLE;
COMMENT ON FUNCTION taxshare.match_compare(text, text, text, text, text, text, text, text, text, text, text) IS
  '按当前模型比较两个当事方, 返回权重、判定和各比较项的贡献 / compare two parties with the model in force: weight, decision and what each comparison contributed';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'match_compare(text, text, text, text, text, text, text, text, text, text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.match_estimate(sample integer DEFAULT 20000, store boolean DEFAULT true)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'match_estimate'
LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION taxshare.match_estimate(integer, boolean) IS
  '用 EM 算法从候选记录对样本估计 m、u 并 (store 时) 写入 match_parameter / estimate m and u by EM over a sample of candidate record pairs and (with store) save them in match_parameter';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'match_estimate(integer, boolean)', 'X', 'X', 'X', 'X', 'X', 'X');

-- A person decides a pending review.
CREATE FUNCTION taxshare.match_review_decide(review_id bigint, decision text,
                                             decided_by text DEFAULT session_user)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r taxshare.match_review;
  c taxshare.match_review;
  target bigint;
  fresh bigint;
  party_name text;
BEGIN
  SELECT * INTO r FROM taxshare.match_review WHERE id = review_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'match review % does not exist', review_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.match_review where status = ''pending''.';
  END IF;
  IF r.status <> 'pending' THEN
    RAISE EXCEPTION 'match review % is already decided (%)', review_id, r.status
      USING ERRCODE = '55000', HINT = 'Only pending reviews can be decided.';
  END IF;
  IF decision IS NULL OR decision NOT IN ('link', 'reject') THEN
    RAISE EXCEPTION 'invalid review decision "%"', decision
      USING ERRCODE = '22023', HINT = 'Decide "link" (same entity) or "reject" (different entities).';
  END IF;
  -- Every pending review of the case: the parties that said the same of the same candidate.
  FOR c IN SELECT * FROM taxshare.match_review m
            WHERE m.status = 'pending'
              AND (m.id = r.id OR (r.case_key IS NOT NULL AND m.case_key = r.case_key))
            ORDER BY m.id FOR UPDATE LOOP
    SELECT s.name INTO party_name FROM taxshare.record_party_source s
     WHERE s.record_id = c.record_id AND s.role = c.role;
    IF decision = 'link' THEN
      target := c.candidate_entity_id;
      IF c.entity_id IS NOT NULL AND c.entity_id <> target THEN
        -- a review written by 0.1.0: the party's provisional entity joins the candidate
        PERFORM taxshare.entity_merge(c.entity_id, target);
      END IF;
      UPDATE taxshare.record_party
         SET entity_id = target, method = 'manual', provisional = false,
             explanation = jsonb_build_object('method', 'manual', 'review', c.id, 'decided_by', decided_by,
                                              'probabilistic', c.explanation)
       WHERE record_id = c.record_id AND role = c.role;
      -- what the party says is now the entity's, offered to later parties
      IF party_name IS NOT NULL AND btrim(party_name) <> '' THEN
        INSERT INTO taxshare.entity_attribute (entity_id, kind, value)
        VALUES (target, 'name', taxshare.normalize_name(party_name)) ON CONFLICT DO NOTHING;
      END IF;
    ELSE
      IF c.entity_id IS NOT NULL THEN
        target := c.entity_id;  -- 0.1.0: the party keeps its provisional entity
      ELSE
        IF fresh IS NULL THEN
          -- one new entity for all the parties of the case
          INSERT INTO taxshare.entity (kind, name, name_normalized)
          SELECT e.kind, party_name, taxshare.normalize_name(party_name)
            FROM taxshare.entity e WHERE e.id = c.candidate_entity_id
          RETURNING id INTO fresh;
          IF party_name IS NOT NULL AND btrim(party_name) <> '' THEN
            INSERT INTO taxshare.entity_attribute (entity_id, kind, value)
            VALUES (fresh, 'name', taxshare.normalize_name(party_name)) ON CONFLICT DO NOTHING;
          END IF;
        END IF;
        target := fresh;
      END IF;
      UPDATE taxshare.record_party
         SET entity_id = target, method = 'manual', provisional = false,
             explanation = jsonb_build_object('method', 'manual', 'review', c.id, 'decided_by', decided_by,
                                              'rejected_candidate', c.candidate_entity_id,
                                              'probabilistic', c.explanation)
       WHERE record_id = c.record_id AND role = c.role;
    END IF;
    UPDATE taxshare.match_review
       SET status = CASE decision WHEN 'link' THEN 'linked' ELSE 'rejected' END,
           decided_by = match_review_decide.decided_by, decided_at = now()
     WHERE id = c.id;
  END LOOP;
  RETURN target;
END
$$;
COMMENT ON FUNCTION taxshare.match_review_decide(bigint, text, text) IS
  '复核决定, 适用于同一案件的全部当事方: link 确认为候选主体, reject 另建一个主体; 返回当事方的主体 / decide a review for every party of its case: link confirms the candidate, reject gives them one new entity of their own; returns their entity';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'match_review_decide(bigint, text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Merge one entity into another: every reference moves, identifiers and
-- attributes the target lacks are kept, and the merged entity is removed if
-- nothing else refers to it.
CREATE FUNCTION taxshare.entity_merge(from_id bigint, into_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a taxshare.entity;
  b taxshare.entity;
BEGIN
  IF from_id = into_id THEN
    RETURN into_id;
  END IF;
  SELECT * INTO a FROM taxshare.entity WHERE id = from_id FOR UPDATE;
  SELECT * INTO b FROM taxshare.entity WHERE id = into_id FOR UPDATE;
  IF a.id IS NULL OR b.id IS NULL THEN
    RAISE EXCEPTION 'entity % does not exist', CASE WHEN a.id IS NULL THEN from_id ELSE into_id END
      USING ERRCODE = 'P0002', HINT = 'Pick ids from taxshare.entity.';
  END IF;
  IF a.kind <> b.kind THEN
    RAISE EXCEPTION 'cannot merge % entity % into % entity %', a.kind, from_id, b.kind, into_id
      USING ERRCODE = '22023', HINT = 'An enterprise and a person are never the same entity.';
  END IF;
  IF (a.uscc <> b.uscc) OR (a.idcard <> b.idcard) OR (a.orgcode <> b.orgcode) THEN
    RAISE EXCEPTION 'entities % and % have different identifiers', from_id, into_id
      USING ERRCODE = '22023',
            DETAIL = format('uscc %s / %s, idcard %s / %s, orgcode %s / %s', a.uscc, b.uscc, a.idcard,
                            b.idcard, a.orgcode, b.orgcode),
            HINT = 'Entities with different valid identifiers are different entities.';
  END IF;
  UPDATE taxshare.record_party SET entity_id = into_id WHERE entity_id = from_id;
  UPDATE taxshare.match_review SET entity_id = into_id WHERE entity_id = from_id;
  DELETE FROM taxshare.match_review WHERE candidate_entity_id = from_id AND status = 'pending'
     AND entity_id = into_id;
  UPDATE taxshare.match_review SET candidate_entity_id = into_id
   WHERE candidate_entity_id = from_id
     AND NOT EXISTS (SELECT 1 FROM taxshare.match_review x
                      WHERE x.record_id = match_review.record_id AND x.role = match_review.role
                        AND x.candidate_entity_id = into_id);
  INSERT INTO taxshare.entity_attribute (entity_id, kind, value, first_seen)
  SELECT into_id, kind, value, first_seen FROM taxshare.entity_attribute WHERE entity_id = from_id
  ON CONFLICT DO NOTHING;
  DELETE FROM taxshare.entity_attribute WHERE entity_id = from_id;
  IF to_regclass('taxshare.party_link') IS NOT NULL THEN
    UPDATE taxshare.party_link SET person_id = into_id WHERE person_id = from_id;
    UPDATE taxshare.party_link SET enterprise_id = into_id WHERE enterprise_id = from_id;
  END IF;
  IF to_regclass('taxshare.suspicion') IS NOT NULL THEN
    -- A point of the merged entity that the target already has for the same
    -- rule and period adds its evidence there; the others move.
    UPDATE taxshare.suspicion t
       SET evidence = ARRAY(SELECT DISTINCT x FROM unnest(t.evidence || s.evidence) x ORDER BY x),
           updated_at = now()
      FROM taxshare.suspicion s
     WHERE s.entity_id = from_id AND t.entity_id = into_id
       AND t.rule_code = s.rule_code AND t.period_start = s.period_start;
    DELETE FROM taxshare.suspicion s
     WHERE s.entity_id = from_id
       AND EXISTS (SELECT 1 FROM taxshare.suspicion t WHERE t.entity_id = into_id
                      AND t.rule_code = s.rule_code AND t.period_start = s.period_start);
    UPDATE taxshare.suspicion SET entity_id = into_id WHERE entity_id = from_id;
  END IF;
  -- Identifiers the target lacks move with the merged entity; the unique
  -- indexes need them gone from the merged one first.
  UPDATE taxshare.entity SET uscc = NULL, idcard = NULL, orgcode = NULL WHERE id = from_id;
  UPDATE taxshare.entity
     SET uscc = coalesce(b.uscc, a.uscc), idcard = coalesce(b.idcard, a.idcard),
         orgcode = coalesce(b.orgcode, a.orgcode), taxpayer_id = coalesce(b.taxpayer_id, a.taxpayer_id),
         name = coalesce(b.name, a.name), name_normalized = coalesce(b.name_normalized, a.name_normalized),
         region = coalesce(b.region, a.region), address = coalesce(b.address, a.address),
         phone = coalesce(b.phone, a.phone), updated_at = now()
   WHERE id = into_id;
  BEGIN
    DELETE FROM taxshare.entity WHERE id = from_id;
  EXCEPTION WHEN foreign_key_violation THEN
    -- Another module still refers to it: keep the empty shell.
    NULL;
  END;
  RETURN into_id;
END
$$;
COMMENT ON FUNCTION taxshare.entity_merge(bigint, bigint) IS
  '将一个主体并入另一个: 迁移所有引用并合并标识和属性 / merge one entity into another: move every reference and keep identifiers and attributes';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'entity_merge(bigint, bigint)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Records that say which entity a party is, by hand.
CREATE FUNCTION taxshare.record_party_set(record_id bigint, role text, entity_id bigint,
                                          note text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM taxshare.entity e WHERE e.id = record_party_set.entity_id) THEN
    RAISE EXCEPTION 'entity % does not exist', record_party_set.entity_id
      USING ERRCODE = 'P0002', HINT = 'Pick an id from taxshare.entity.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM taxshare.record_party_source s
                  WHERE s.record_id = record_party_set.record_id AND s.role = record_party_set.role) THEN
    RAISE EXCEPTION 'record % has no party "%"', record_party_set.record_id, record_party_set.role
      USING ERRCODE = '22023', HINT = 'Pick a record_id and role from taxshare.record_party_source.';
  END IF;
  INSERT INTO taxshare.record_party AS rp (record_id, role, entity_id, score, method, explanation)
  VALUES (record_id, role, entity_id, 1, 'manual',
          jsonb_build_object('method', 'manual', 'decided_by', session_user, 'note', note))
  ON CONFLICT ON CONSTRAINT record_party_pkey DO UPDATE
     SET entity_id = excluded.entity_id, score = 1, method = 'manual',
         explanation = excluded.explanation, resolved_at = now();
END
$$;
COMMENT ON FUNCTION taxshare.record_party_set(bigint, text, bigint, text) IS
  '人工指定某记录当事方的主体 (重建时保留) / say by hand which entity a party of a record is (kept by rebuilds)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'record_party_set(bigint, text, bigint, text)', 'X', 'X', 'X', 'X', 'X', 'X');

-- Entities nothing refers to any more (after a rebuild dropped the links):
-- every foreign key to taxshare.entity that neither cascades nor nulls is
-- checked, whichever module declared it.
CREATE FUNCTION taxshare._entity_prune()
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  refs text;
  n bigint;
BEGIN
  SELECT string_agg(format('NOT EXISTS (SELECT 1 FROM %s x WHERE x.%I = e.id)',
                           c.conrelid::regclass, a.attname), ' AND ' ORDER BY c.oid)
    INTO refs
    FROM pg_catalog.pg_constraint c
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
   WHERE c.contype = 'f' AND c.confrelid = 'taxshare.entity'::regclass
     AND cardinality(c.conkey) = 1 AND c.confdeltype NOT IN ('c', 'n');
  EXECUTE 'DELETE FROM taxshare.entity e WHERE ' || coalesce(refs, 'true');
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare._entity_prune() IS
  '内部: 删除不再被任何表引用的主体 / internal: delete the entities nothing refers to any more';
INSERT INTO taxshare.privilege_plan VALUES ('function', '_entity_prune()', 'X', 'X', 'X', 'X', 'X', 'X');
