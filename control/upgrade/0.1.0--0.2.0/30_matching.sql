-- #16: matching that holds on data we did not write (docs/matching.md).
--
-- The division table carries the full GB/T 2260 list (rows in
-- 31_matching_division_data.sql, generated like control/install/13_division_data.sql)
-- with the short form of each name and the abolished or renamed codes.
ALTER TABLE taxshare.division ADD COLUMN short_name text,
                              ADD COLUMN abolished boolean NOT NULL DEFAULT false;
COMMENT ON TABLE taxshare.division IS
  '行政区划代码表 (GB/T 2260): 全国省、地、县级区划, 含 2016 年以来撤销或更名的区划 / '
  'administrative division codes (GB/T 2260): every province-, prefecture- and county-level division, with those abolished or renamed since 2016';
COMMENT ON COLUMN taxshare.division.short_name IS
  '企业名称中使用的简称 (去掉"区""县""市"等后缀: 珠晖区 -> 珠晖); 无后缀可去时为空 / the short form used in company names (the name without its suffix), NULL when there is none';
COMMENT ON COLUMN taxshare.division.abolished IS
  '已撤销或更名的区划 (旧登记记录仍在使用) / abolished or renamed division (old registrations still carry it)';

-- A party in the review band is linked provisionally to its best candidate
-- instead of a provisional entity of its own, and parties that say the same
-- share one case (72_entity.sql).
ALTER TABLE taxshare.record_party ADD COLUMN provisional boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN taxshare.record_party.provisional IS
  '暂定关联: 待人工复核 (match_review), 规则和评级照常使用, 但该当事方的名称等不并入主体、不作为后续匹配的候选依据 / provisional link waiting for a review (match_review): rules and grading see it, but what the party says is not taken into the entity nor offered to later parties';
ALTER TABLE taxshare.match_review ADD COLUMN case_key text;
CREATE INDEX match_review_by_case ON taxshare.match_review (case_key) WHERE status = 'pending';
COMMENT ON COLUMN taxshare.match_review.entity_id IS
  '0.1.0 写入的复核: 复核前暂用的新主体; 此后为空 (当事方暂定关联到候选主体) / reviews written by 0.1.0: the provisional entity of its own the party is linked to until decided; NULL since (the party is linked provisionally to the candidate)';
COMMENT ON COLUMN taxshare.match_review.case_key IS
  '复核案件: 候选主体与规范化名称相同的当事方共用一个案件, 一次决定全部适用 / the case: parties with the same candidate and normalised name share it, and one decision settles them all';
-- The links of the pending reviews 0.1.0 wrote are provisional too (to the
-- party's provisional entity, which match_review_decide still merges on "link").
UPDATE taxshare.record_party rp SET provisional = true
  FROM taxshare.match_review m
 WHERE m.status = 'pending' AND m.record_id = rp.record_id AND m.role = rp.role
   AND m.entity_id = rp.entity_id AND rp.method <> 'manual';
CREATE OR REPLACE FUNCTION taxshare.match_review_decide(review_id bigint, decision text,
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

-- The review queue by case, explained (control/install/75_match_review_case.sql).
CREATE FUNCTION taxshare.match_explain(explanation jsonb, OUT zh text, OUT en text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  best jsonb := explanation -> 'best';
  party text := explanation ->> 'name';
  cand text := best ->> 'name';
  lv jsonb := '{}';
  f jsonb;
  pr text;
  cr text;
  zs text[] := '{}';
  es text[] := '{}';
  sim float8;
  region_cmp text;
BEGIN
  IF best IS NULL THEN
    zh := '没有可比的候选主体';
    en := 'no candidate to compare with';
    RETURN;
  END IF;
  FOR f IN SELECT * FROM jsonb_array_elements(best #> '{comparison,fields}') LOOP
    lv := lv || jsonb_build_object(f ->> 'field', f -> 'level');
  END LOOP;
  pr := (taxshare.company_name_parts(party)).region;
  cr := (taxshare.company_name_parts(cand)).region;
  -- the names apart from their regions (the region is said on its own below)
  SELECT c.name_similarity, c.region INTO sim, region_cmp FROM taxshare.company_name_compare(party, cand) c;
  IF sim IS NULL THEN
    NULL;
  ELSIF sim >= 0.9999 THEN
    zs := zs || '名称相同'::text; es := es || 'the names are the same'::text;
  ELSIF sim >= 0.92 THEN
    zs := zs || '名称几乎相同'::text; es := es || 'the names are almost the same'::text;
  ELSIF sim >= 0.75 THEN
    zs := zs || '名称相差一两个字'::text; es := es || 'the names differ in a character or two'::text;
  ELSE
    zs := zs || '名称不同'::text; es := es || 'the names differ'::text;
  END IF;
  IF region_cmp = 'different' THEN
    zs := zs || format('但一方为%s, 一方为%s', pr, cr);
    es := es || format('but one states %s, the other %s', pr, cr);
  ELSIF (pr IS NULL) <> (cr IS NULL) THEN
    zs := zs || '但一方名称未写明地区'::text;
    es := es || 'but one of the names states no region'::text;
  ELSIF lv ->> 'region' = 'different' THEN
    zs := zs || '所在地区不同'::text; es := es || 'they are in different regions'::text;
  END IF;
  IF lv ->> 'industry' = 'different' THEN
    zs := zs || '行业不同'::text; es := es || 'their industries differ'::text;
  END IF;
  IF lv ->> 'address' = 'agree' THEN
    zs := zs || '地址相同'::text; es := es || 'the same address'::text;
  END IF;
  IF lv ->> 'phone' = 'agree' THEN
    zs := zs || '电话相同'::text; es := es || 'the same phone'::text;
  END IF;
  IF lv ->> 'person' = 'agree' THEN
    zs := zs || '有相同的关键人员'::text; es := es || 'a key person in common'::text;
  END IF;
  IF lv ->> 'identifier' = 'near' THEN
    zs := zs || '纳税人识别号仅差一位'::text; es := es || 'the identifiers differ in one character'::text;
  ELSIF lv ->> 'identifier' = 'different' THEN
    zs := zs || '纳税人识别号不同'::text; es := es || 'the identifiers differ'::text;
  END IF;
  IF (explanation ->> 'ambiguous')::boolean THEN
    zs := zs || format('另一候选主体 (%s) 同样接近', explanation #>> '{runner_up,name}');
    es := es || format('another candidate (%s) is as close', explanation #>> '{runner_up,name}');
  END IF;
  zh := array_to_string(zs, ', ');
  en := array_to_string(es, ', ');
END
$$;
COMMENT ON FUNCTION taxshare.match_explain(jsonb) IS
  '用办税人员能读懂的话解释一次匹配比较 (名称相同, 但一方为耒阳, 一方为衡阳) / explain a match comparison in words an official follows (the names are the same, but one states 耒阳, the other 衡阳)';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'match_explain(jsonb)', 'X', 'X', 'X', '', '', '');

CREATE VIEW taxshare.match_review_case AS
  SELECT min(r.id) AS review_id, r.case_key, r.candidate_entity_id, c.name AS candidate_name,
         min(r.explanation ->> 'name') AS party_name, count(*) AS parties,
         round(max(r.weight)::numeric, 2) AS weight,
         (taxshare.match_explain((array_agg(r.explanation ORDER BY r.id))[1])).zh AS explanation_zh,
         (taxshare.match_explain((array_agg(r.explanation ORDER BY r.id))[1])).en AS explanation_en,
         min(r.created_at) AS created_at
    FROM taxshare.match_review r
    JOIN taxshare.entity c ON c.id = r.candidate_entity_id
   WHERE r.status = 'pending'
   GROUP BY coalesce(r.case_key, r.id::text), r.case_key, r.candidate_entity_id, c.name;
COMMENT ON VIEW taxshare.match_review_case IS
  '待复核案件: 说法相同的当事方合为一个案件, 附中英文说明; 用 match_review_decide(review_id, ...) 一次决定 / pending review cases: parties that say the same are one case, explained in Chinese and English; decide with match_review_decide(review_id, ...)';
COMMENT ON COLUMN taxshare.match_review_case.review_id IS
  '案件中第一条复核的编号, 传给 match_review_decide / the first review of the case, to pass to match_review_decide';
COMMENT ON COLUMN taxshare.match_review_case.case_key IS
  '案件键: 候选主体编号:规范化名称 (0.1.0 写入的复核为空) / case key: candidate id:normalised name (NULL for reviews written by 0.1.0)';
COMMENT ON COLUMN taxshare.match_review_case.candidate_entity_id IS
  '候选主体 / the candidate entity';
COMMENT ON COLUMN taxshare.match_review_case.candidate_name IS
  '候选主体名称 / name of the candidate';
COMMENT ON COLUMN taxshare.match_review_case.party_name IS
  '当事方名称 (规范化) / the parties'' name, normalised';
COMMENT ON COLUMN taxshare.match_review_case.parties IS
  '案件中的当事方数 / number of parties in the case';
COMMENT ON COLUMN taxshare.match_review_case.weight IS
  '匹配权重 (log2) / match weight (log2)';
COMMENT ON COLUMN taxshare.match_review_case.explanation_zh IS
  '中文说明 / explanation in Chinese';
COMMENT ON COLUMN taxshare.match_review_case.explanation_en IS
  '英文说明 / explanation in English';
COMMENT ON COLUMN taxshare.match_review_case.created_at IS
  '最早一条复核的时间 / when the first review of the case was written';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'match_review_case', 'r', 'r', 'r', '', '', '');
-- every view reads with the caller's rights (95_security.sql does this for a fresh install)
ALTER VIEW taxshare.match_review_case SET (security_invoker = true);
SELECT taxshare._privileges_apply();
