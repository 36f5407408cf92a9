-- Units: the departments and related bodies that share data, the tax bureau and
-- the platform office, with the leader in charge and the liaison each must name
-- (DOMAIN.md "Who is involved"; scoring: 000 art. 31 deducts for a change not
-- filed in time, so every change is kept with the day it was filed).

CREATE TABLE taxshare.unit (
  code        text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_.-]{1,32}$'),
  name        text NOT NULL CHECK (btrim(name) <> ''),
  kind        text NOT NULL CHECK (kind IN ('department', 'related', 'tax', 'office')),
  division    text CHECK (division ~ '^[0-9]{6}$'),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE taxshare.unit IS
  '共享单位、税务部门与市财源办 / sharing units, the tax bureau and the platform office';
COMMENT ON COLUMN taxshare.unit.kind IS
  '类别: department 共享单位, related 税费共治关联单位, tax 税务部门, office 市财源办 / kind';
COMMENT ON COLUMN taxshare.unit.division IS
  '所在行政区划代码 (GB/T 2260) / administrative division code of the unit';
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'unit', 'rawd', 'r', 'r', 'r', 'r', 'r');

-- One row per filed change: the current contact of a role is the latest row.
CREATE TABLE taxshare.unit_contact (
  id          bigserial PRIMARY KEY,
  unit_code   text NOT NULL REFERENCES taxshare.unit (code) ON UPDATE CASCADE,
  role        text NOT NULL CHECK (role IN ('leader', 'liaison')),
  name        text NOT NULL CHECK (btrim(name) <> ''),
  position    text,
  phone       text,
  email       text,
  changed_on  date NOT NULL,
  filed_at    timestamptz NOT NULL DEFAULT now(),
  filed_by    text NOT NULL DEFAULT session_user
);
CREATE INDEX unit_contact_unit_role ON taxshare.unit_contact (unit_code, role, filed_at);
COMMENT ON TABLE taxshare.unit_contact IS
  '分管领导与信息联络员的变更记录 (每次变更一行, 含报备时间) / history of leaders in charge and liaisons, one row per filed change';
COMMENT ON COLUMN taxshare.unit_contact.changed_on IS
  '人员实际变更日期 / day the person actually changed';
COMMENT ON COLUMN taxshare.unit_contact.filed_at IS
  '向市财源办报备的时间 / when the change was filed with the office';
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit_contact', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.unit_contact_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'unit_contact', 'ra', '', '', 'ra', '', '');

CREATE VIEW taxshare.unit_contact_current AS
  SELECT DISTINCT ON (c.unit_code, c.role)
         c.unit_code, c.role, c.name, c.position, c.phone, c.email,
         c.changed_on, c.filed_at
    FROM taxshare.unit_contact c
   ORDER BY c.unit_code, c.role, c.filed_at DESC, c.id DESC;
COMMENT ON VIEW taxshare.unit_contact_current IS
  '各单位现任分管领导与信息联络员 / current leader in charge and liaison of each unit';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'unit_contact_current', 'r', '', '', 'r', '', '');

CREATE FUNCTION taxshare.unit_contact_set(unit text, role text, name text,
                                          phone text DEFAULT NULL,
                                          email text DEFAULT NULL,
                                          "position" text DEFAULT NULL,
                                          changed_on date DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM taxshare.unit u WHERE u.code = unit_contact_set.unit) THEN
    RAISE EXCEPTION 'unknown unit "%"', unit_contact_set.unit
      USING ERRCODE = '22023',
            HINT = 'Register the unit in taxshare.unit first.';
  END IF;
  IF unit_contact_set.role IS NULL OR unit_contact_set.role NOT IN ('leader', 'liaison') THEN
    RAISE EXCEPTION 'invalid contact role "%"', unit_contact_set.role
      USING ERRCODE = '22023',
            HINT = 'The role is "leader" (分管领导) or "liaison" (信息联络员).';
  END IF;
  IF unit_contact_set.name IS NULL OR btrim(unit_contact_set.name) = '' THEN
    RAISE EXCEPTION 'contact name must not be empty'
      USING ERRCODE = '22023',
            HINT = 'Give the name of the person now in charge.';
  END IF;
  INSERT INTO taxshare.unit_contact (unit_code, role, name, position, phone, email, changed_on)
  VALUES (unit_contact_set.unit, unit_contact_set.role, btrim(unit_contact_set.name),
          unit_contact_set."position", unit_contact_set.phone, unit_contact_set.email,
          coalesce(unit_contact_set.changed_on, current_date))
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.unit_contact_set(text, text, text, text, text, text, date) IS
  '报备单位分管领导或信息联络员的变更, 保留历史 / file a change of a unit''s leader in charge or liaison, keeping history';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'unit_contact_set(text, text, text, text, text, text, date)', 'X', 'X', 'X', 'X', 'X', 'X');
