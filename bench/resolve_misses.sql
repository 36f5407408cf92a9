-- Diagnosis of the parties resolve_entities() kept apart from their
-- enterprise (docs/matching.md, "Resolution benchmark").  Included by
-- bench/resolve.sql with -v misses=1, after the run with the built-in
-- parameters: it needs that file's temp tables ent (the generated
-- enterprises, with their registered names) and truth (party -> enterprise).
-- The truth is used here only to score and classify; the matcher never sees it.
--
-- An enterprise's main entity is the entity holding most of its parties; a
-- party elsewhere is a miss, and the pairs it loses are those with the
-- parties of its enterprise in the main entity (recall is pairwise).  Prints:
--   misses: M of P parties outside their enterprise's main entity, L of A true pairs lost
--   miss by cause: one line per (decision, what the party had, its 字号 against the enterprise's)
--   ceiling: parties with nothing but a name that is as close to another real
--            enterprise as to their own, the pairs they hold, and the recall
--            a matcher that links every other party right would reach
SET client_min_messages = warning;

CREATE TEMP TABLE mp AS
SELECT t.record_id, t.role, t.enterprise, rp.entity_id AS entity, rp.method,
       CASE WHEN rp.method <> 'probabilistic' THEN 'key' ELSE rp.explanation ->> 'decision' END AS decision,
       coalesce((rp.explanation ->> 'ambiguous')::boolean, false) AS ambiguous,
       coalesce((rp.explanation ->> 'candidates')::int, 0) AS candidates,
       (rp.explanation #>> '{best,entity}')::bigint AS best_entity,
       (SELECT f ->> 'level' FROM jsonb_array_elements(rp.explanation #> '{best,comparison,fields}') f
         WHERE f ->> 'field' = 'name') AS best_name_level,
       (SELECT f ->> 'level' FROM jsonb_array_elements(rp.explanation #> '{best,comparison,fields}') f
         WHERE f ->> 'field' = 'region') AS best_region_level,
       s.item_code, s.name, s.address, s.phone,
       rp.method <> 'probabilistic' OR rp.explanation ? 'new_key' AS has_key,
       rp.explanation ? 'unverified_identifier' AS has_broken
  FROM truth t
  JOIN taxshare.record_party rp USING (record_id, role)
  JOIN taxshare.record_party_source s USING (record_id, role);
CREATE TEMP TABLE mp_main AS
SELECT DISTINCT ON (enterprise) enterprise, entity AS main, n AS main_n, total
  FROM (SELECT enterprise, entity, count(*) AS n, sum(count(*)) OVER (PARTITION BY enterprise) AS total
          FROM mp GROUP BY enterprise, entity) x
 ORDER BY enterprise, n DESC, entity;
CREATE TEMP TABLE miss AS
SELECT mp.*, m.main, m.main_n, m.total, e.brand, e.industry, e.city, e.name AS true_name,
       taxshare.company_name_key(mp.name) AS party_key,
       (taxshare.company_name_parts(mp.name)).region IS NOT NULL AS name_has_region,
       mp.best_entity = m.main AS best_is_main,
       -- evidence beyond the name that another party of the enterprise shares
       EXISTS (SELECT 1 FROM mp o WHERE o.enterprise = mp.enterprise AND o.record_id <> mp.record_id
                                    AND o.phone = mp.phone) AS shared_phone,
       EXISTS (SELECT 1 FROM mp o WHERE o.enterprise = mp.enterprise AND o.record_id <> mp.record_id
                                    AND taxshare.name_similarity(o.address, mp.address) >= 0.85) AS shared_address
  FROM mp JOIN mp_main m USING (enterprise) JOIN ent e ON e.id = mp.enterprise
 WHERE mp.entity <> m.main;

SELECT format('misses: %s of %s parties outside their enterprise''s main entity, %s of %s true pairs lost',
              (SELECT count(*) FROM miss), (SELECT count(*) FROM mp), (SELECT sum(main_n) FROM miss),
              (SELECT sum(total * (total - 1) / 2) FROM mp_main));

SELECT format('miss by cause: %s%s, best candidate %s (name %s, region %s), %s; 字号 %s (%s chars), region in name %s: %s parties, %s pairs',
              decision, CASE WHEN ambiguous THEN ' (ambiguous)' ELSE '' END,
              CASE WHEN candidates = 0 THEN 'none' WHEN best_is_main THEN 'its own' ELSE 'another' END,
              coalesce(best_name_level, '-'), coalesce(best_region_level, 'missing'),
              concat_ws('+', CASE WHEN has_key THEN 'key' END, CASE WHEN has_broken THEN 'broken id' END,
                        CASE WHEN shared_phone THEN 'phone' END, CASE WHEN shared_address THEN 'address' END,
                        CASE WHEN NOT (has_key OR has_broken OR shared_phone OR shared_address) THEN 'name only' END),
              CASE WHEN party_key = brand THEN 'right' ELSE 'mistyped' END, char_length(brand),
              name_has_region, count(*), sum(main_n))
  FROM miss
 GROUP BY decision, ambiguous, candidates = 0, best_is_main, best_name_level, best_region_level, has_key, has_broken,
          shared_phone, shared_address, party_key = brand, char_length(brand), name_has_region
 ORDER BY sum(main_n) DESC
 LIMIT 25;

-- The ceiling.  A party with no identifier and no phone or address that
-- another party of its enterprise shares has only its name; when another
-- generated enterprise's registered name is at least as close to it
-- (name_similarity, which caps another city or industry at 0.5) no evidence
-- can tell the two apart.  Such a party can at best stand alone: the pairs
-- it holds are lost to any matcher that keeps precision.
CREATE TEMP TABLE only_name AS
SELECT mp.record_id, mp.role, mp.enterprise, mp.name, taxshare.name_similarity(mp.name, e.name) AS own_sim,
       taxshare.company_name_key(mp.name) AS party_key, e.brand, e.industry
  FROM mp JOIN ent e ON e.id = mp.enterprise
 WHERE NOT mp.has_key AND NOT mp.has_broken
   AND NOT EXISTS (SELECT 1 FROM mp o WHERE o.enterprise = mp.enterprise AND o.record_id <> mp.record_id
                                        AND (o.phone = mp.phone OR taxshare.name_similarity(o.address, mp.address) >= 0.85));
-- rivals: enterprises of the same industry whose 字号 is the party's or one
-- character from it, found through the 字号 with each character masked
CREATE TEMP TABLE brand_mask AS
SELECT e.id, e.industry, overlay(e.brand PLACING '?' FROM i FOR 1) AS mask
  FROM ent e, generate_series(1, 3) i WHERE i <= char_length(e.brand);
CREATE INDEX ON brand_mask (mask, industry);
ANALYZE brand_mask;
CREATE TEMP TABLE tied AS
SELECT o.record_id, o.role, o.enterprise, o.party_key = o.brand AS right_key, char_length(o.brand) AS brand_chars,
       count(DISTINCT x.id) FILTER (WHERE taxshare.name_similarity(o.name, x.name) >= o.own_sim) AS rivals
  FROM only_name o
  CROSS JOIN LATERAL generate_series(1, char_length(o.party_key)) i
  JOIN brand_mask m ON m.mask = overlay(o.party_key PLACING '?' FROM i FOR 1) AND m.industry = o.industry
  JOIN ent x ON x.id = m.id AND x.id <> o.enterprise
 WHERE char_length(o.party_key) BETWEEN 1 AND 3
 GROUP BY o.record_id, o.role, o.enterprise, o.party_key, o.brand;
DELETE FROM tied WHERE rivals = 0;
SELECT format('ceiling: %s of %s parties have only a name (%s of them mistyped), %s of those are as close to another enterprise (%s mistyped: %s with a 2-character 字号, %s with 3; %s exact names of an enterprise in another city)',
              (SELECT count(*) FROM only_name), (SELECT count(*) FROM mp),
              (SELECT count(*) FROM only_name WHERE party_key IS DISTINCT FROM brand),
              count(*), count(*) FILTER (WHERE NOT right_key),
              count(*) FILTER (WHERE NOT right_key AND brand_chars = 2),
              count(*) FILTER (WHERE NOT right_key AND brand_chars = 3),
              count(*) FILTER (WHERE right_key))
  FROM tied;
-- pairs that need a tied party: lost however well the rest is matched
SELECT format('ceiling: pairs that need a party tied by name: %s of %s; recall at most %s (mistyped 字号 alone: at most %s)',
              lost, actual, round(1 - lost / actual, 4), round(1 - lost_typo / actual, 4))
  FROM (SELECT (SELECT sum(total * (total - 1) / 2) FROM mp_main)::numeric AS actual,
               (SELECT count(*) FROM mp a JOIN mp b ON a.enterprise = b.enterprise AND (a.record_id, a.role) < (b.record_id, b.role)
                 WHERE EXISTS (SELECT 1 FROM tied t WHERE (t.record_id, t.role) IN ((a.record_id, a.role), (b.record_id, b.role)))) AS lost,
               (SELECT count(*) FROM mp a JOIN mp b ON a.enterprise = b.enterprise AND (a.record_id, a.role) < (b.record_id, b.role)
                 WHERE EXISTS (SELECT 1 FROM tied t WHERE NOT t.right_key
                                 AND (t.record_id, t.role) IN ((a.record_id, a.role), (b.record_id, b.role)))) AS lost_typo) x;
DROP TABLE mp, mp_main, miss, only_name, brand_mask, tied;
