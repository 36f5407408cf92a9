-- Persons behind enterprises (DOMAIN.md, Binzhou 003): the legal
-- representative, investors (with their shares), the finance head and the tax
-- handler of each enterprise, filled from registry-type catalog items after
-- resolve_entities() has linked their parties.

CREATE TABLE taxshare.party_link (
  id                bigserial PRIMARY KEY,
  person_id         bigint NOT NULL REFERENCES taxshare.entity (id),
  enterprise_id     bigint NOT NULL REFERENCES taxshare.entity (id),
  role              text NOT NULL CHECK (role IN ('legal_rep', 'investor', 'finance_head', 'tax_handler')),
  share             numeric CHECK (share IS NULL OR (share >= 0 AND share <= 100)),
  valid_from        date,
  valid_to          date CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from),
  source_record_id  bigint,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (person_id <> enterprise_id)
);
CREATE UNIQUE INDEX party_link_once ON taxshare.party_link
  (enterprise_id, person_id, role, coalesce(source_record_id, 0));
CREATE INDEX party_link_person ON taxshare.party_link (person_id);
COMMENT ON TABLE taxshare.party_link IS
  '企业的关键人员: 法定代表人、投资人 (出资比例)、财务负责人、办税人 / key persons of enterprises: legal representative, investors (share), finance head, tax handler';
COMMENT ON COLUMN taxshare.party_link.person_id IS
  '人员主体; 投资人也可以是企业 / the person entity; an investor may also be an enterprise';
COMMENT ON COLUMN taxshare.party_link.share IS
  '出资比例 (百分数) / share of the investment, in per cent';
COMMENT ON COLUMN taxshare.party_link.source_record_id IS
  '来源登记记录, 人工录入时为空 / the registry record it came from; NULL when entered by hand';
SELECT pg_catalog.pg_extension_config_dump('taxshare.party_link', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.party_link_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'party_link', 'rawd', 'rawd', 'r', '', '', '');

-- Which registry items say who holds which role: in item_code, the party
-- person_role holds link_role in the party enterprise_role of the same record.
CREATE TABLE taxshare.party_link_source (
  item_code         text NOT NULL,
  enterprise_role   text NOT NULL,
  person_role       text NOT NULL,
  link_role         text NOT NULL CHECK (link_role IN ('legal_rep', 'investor', 'finance_head', 'tax_handler')),
  share_field       text,
  valid_from_field  text,
  valid_to_field    text,
  PRIMARY KEY (item_code, person_role),
  CHECK (enterprise_role <> person_role)
);
COMMENT ON TABLE taxshare.party_link_source IS
  '登记类目录条目中哪个当事方担任哪个关键岗位 / which party of a registry item holds which key role in which other party';
SELECT pg_catalog.pg_extension_config_dump('taxshare.party_link_source', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'party_link_source', 'rawd', 'r', 'r', '', 'r', '');

-- Links of the records resolved so far that are not yet in party_link.
CREATE FUNCTION taxshare.party_link_refresh(since timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n bigint;
BEGIN
  INSERT INTO taxshare.party_link AS l (person_id, enterprise_id, role, share, valid_from, valid_to,
                                        source_record_id)
  SELECT pp.entity_id, ep.entity_id, s.link_role,
         CASE WHEN s.share_field IS NOT NULL
                   AND (c.payload ->> s.share_field) ~ '^[0-9]+(\.[0-9]+)?$'
              THEN (c.payload ->> s.share_field)::numeric END,
         coalesce(CASE WHEN s.valid_from_field IS NOT NULL
                            AND (c.payload ->> s.valid_from_field) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                       THEN (c.payload ->> s.valid_from_field)::date END,
                  c.period_start),
         CASE WHEN s.valid_to_field IS NOT NULL
                   AND (c.payload ->> s.valid_to_field) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
              THEN (c.payload ->> s.valid_to_field)::date END,
         c.id
    FROM taxshare.party_link_source s
    JOIN taxshare.current_record c ON c.item_code = s.item_code
    JOIN taxshare.record_party ep ON ep.record_id = c.id AND ep.role = s.enterprise_role
    JOIN taxshare.record_party pp ON pp.record_id = c.id AND pp.role = s.person_role
   WHERE ep.entity_id IS NOT NULL AND pp.entity_id IS NOT NULL AND ep.entity_id <> pp.entity_id
     AND (since IS NULL OR ep.resolved_at >= since OR pp.resolved_at >= since)
  ON CONFLICT (enterprise_id, person_id, role, coalesce(source_record_id, 0)) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION taxshare.party_link_refresh(timestamptz) IS
  '由已关联的登记记录 (since 之后关联的) 补充企业关键人员关系, 返回新增条数 / add the key-person links of registry records resolved since the given time (all when NULL); returns how many were added';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'party_link_refresh(timestamptz)', 'X', 'X', 'X', 'X', 'X', 'X');

-- The persons behind each enterprise as of today.
CREATE VIEW taxshare.enterprise_person AS
  SELECT l.enterprise_id, e.name AS enterprise_name, l.role, l.person_id, p.kind AS person_kind,
         p.name AS person_name, p.idcard, p.uscc AS person_uscc, l.share, l.valid_from, l.valid_to
    FROM taxshare.party_link l
    JOIN taxshare.entity e ON e.id = l.enterprise_id
    JOIN taxshare.entity p ON p.id = l.person_id
   WHERE l.valid_to IS NULL OR l.valid_to >= current_date;
COMMENT ON VIEW taxshare.enterprise_person IS
  '企业现任关键人员 / current key persons of each enterprise';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'enterprise_person', 'r', 'r', 'r', '', '', '');
