-- The review queue as an official reads it (docs/matching.md, "Reviews"): one
-- row per case (the parties that said the same of the same candidate), and why
-- in words, in Chinese and English, from the comparison stored with the review.

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
