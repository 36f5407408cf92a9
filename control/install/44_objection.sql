-- Data objections (异议, DOMAIN.md "Data objections"; 002 art. 12, 004 art. 22):
-- a user who finds a shared record wrong files an objection, the provider
-- explains or corrects it, and the result is kept with timestamps.

CREATE TABLE taxshare.objection (
  id           bigserial PRIMARY KEY,
  record_id    bigint NOT NULL REFERENCES taxshare.record (id),
  filed_by     text NOT NULL DEFAULT session_user,
  filed_at     timestamptz NOT NULL DEFAULT now(),
  reason       text NOT NULL CHECK (btrim(reason) <> ''),
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  outcome      text CHECK (outcome IN ('explained', 'corrected')),
  note         text,
  resolved_at  timestamptz,
  resolved_by  text,
  CHECK ((status = 'open') = (outcome IS NULL AND resolved_at IS NULL AND resolved_by IS NULL))
);
CREATE INDEX objection_record ON taxshare.objection (record_id);
CREATE INDEX objection_open ON taxshare.objection (filed_at) WHERE status = 'open';
COMMENT ON TABLE taxshare.objection IS
  '数据异议: 使用方对共享记录提出, 提供方解释或更正 / data objections: raised by a user against a shared record, explained or corrected by the provider';
COMMENT ON COLUMN taxshare.objection.outcome IS
  'explained 已解释, corrected 已更正 / how the provider resolved it';
SELECT pg_catalog.pg_extension_config_dump('taxshare.objection', '');
SELECT pg_catalog.pg_extension_config_dump('taxshare.objection_id_seq', '');
INSERT INTO taxshare.privilege_plan VALUES ('table', 'objection', 'raw', 'ra', 'ra', 'raw', '', '');

CREATE FUNCTION taxshare.objection_file(record_id bigint, reason text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  st text;
  new_id bigint;
BEGIN
  SELECT r.status INTO st FROM taxshare.record r WHERE r.id = objection_file.record_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown record %', coalesce(objection_file.record_id::text, 'NULL')
      USING ERRCODE = '22023',
            HINT = 'Give the id of a record in taxshare.current_record.';
  END IF;
  IF st <> 'accepted' THEN
    RAISE EXCEPTION 'record % was rejected at intake and is not shared', objection_file.record_id
      USING ERRCODE = '22023',
            HINT = 'Objections concern shared (accepted) records; rejected rows are listed in taxshare.submission_report.';
  END IF;
  IF objection_file.reason IS NULL OR btrim(objection_file.reason) = '' THEN
    RAISE EXCEPTION 'the reason of an objection must not be empty'
      USING ERRCODE = '22023',
            HINT = 'Say what is wrong with the record.';
  END IF;
  INSERT INTO taxshare.objection (record_id, reason)
  VALUES (objection_file.record_id, btrim(objection_file.reason))
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;
COMMENT ON FUNCTION taxshare.objection_file(bigint, text) IS
  '对一条共享记录提出异议, 返回异议编号 / file an objection against a shared record; returns the objection id';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'objection_file(bigint, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE FUNCTION taxshare.objection_resolve(objection_id bigint, outcome text, note text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o record;
BEGIN
  IF objection_resolve.outcome IS NULL OR objection_resolve.outcome NOT IN ('explained', 'corrected') THEN
    RAISE EXCEPTION 'unknown objection outcome "%"', coalesce(objection_resolve.outcome, 'NULL')
      USING ERRCODE = '22023',
            HINT = 'The outcome is "explained" (已解释) or "corrected" (已更正).';
  END IF;
  SELECT * INTO o FROM taxshare.objection x WHERE x.id = objection_resolve.objection_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown objection %', coalesce(objection_resolve.objection_id::text, 'NULL')
      USING ERRCODE = '22023',
            HINT = 'Give the id returned by taxshare.objection_file().';
  END IF;
  IF o.status = 'resolved' THEN
    RAISE EXCEPTION 'objection % was already resolved on %', o.id, o.resolved_at
      USING ERRCODE = '55000',
            DETAIL = format('Outcome: %s.', o.outcome),
            HINT = 'File a new objection if the answer is disputed.';
  END IF;
  UPDATE taxshare.objection x
     SET status = 'resolved', outcome = objection_resolve.outcome, note = objection_resolve.note,
         resolved_at = now(), resolved_by = session_user
   WHERE x.id = o.id;
END
$$;
COMMENT ON FUNCTION taxshare.objection_resolve(bigint, text, text) IS
  '答复异议: explained 解释或 corrected 更正, 附书面说明 / resolve an objection as explained or corrected, with a written note';
INSERT INTO taxshare.privilege_plan VALUES
  ('function', 'objection_resolve(bigint, text, text)', 'X', 'X', 'X', 'X', 'X', 'X');

CREATE VIEW taxshare.objection_status AS
  SELECT o.id AS objection_id, o.record_id, s.item_code, s.unit_code AS provider, s.period_start,
         o.filed_by, o.filed_at, o.reason, o.status, o.outcome, o.note, o.resolved_at, o.resolved_by,
         coalesce(o.resolved_at, now()) - o.filed_at AS age
    FROM taxshare.objection o
    JOIN taxshare.record r ON r.id = o.record_id
    JOIN taxshare.submission s ON s.id = r.submission_id;
COMMENT ON VIEW taxshare.objection_status IS
  '异议办理情况, 含提供单位与办理时长 / objections with the providing unit and how long they took or have been open';
INSERT INTO taxshare.privilege_plan VALUES ('view', 'objection_status', 'r', 'r', 'r', 'r', '', '');
