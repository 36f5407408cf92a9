-- pgTAP tests of the ledger (docs/ledger.md): the byte layouts recomputed here
-- in plain SQL, the refusals, and the tamper tests: as superuser with the
-- triggers off (session_replication_role = replica), change a record, a
-- submission, a catalog item, an objection, a deduction, a ledger row, and
-- ledger_verify() must name the right entry.  Each tamper is undone by a
-- rollback to a savepoint.  Codes start with TP_ / TP-.
BEGIN;
SELECT plan(58);
SET LOCAL client_min_messages = warning;
SET LOCAL timezone = 'UTC';
SET LOCAL datestyle = 'ISO, YMD';

SELECT coalesce(max(seq), 0) AS start FROM taxshare.ledger \gset

-- The entry hash, written from docs/ledger.md "The entry hash, byte by byte".
CREATE FUNCTION pg_temp.field(b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN b IS NULL THEN '\xffffffff'::bytea ELSE int4send(octet_length(b)) || b END
$$;
CREATE FUNCTION pg_temp.entry_hash(l taxshare.ledger) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT sha256('\x54534c31'::bytea || int8send(l.seq)
                || int8send((extract(epoch FROM l.at) * 1000000)::bigint)
                || pg_temp.field(convert_to(l.actor, 'UTF8')) || pg_temp.field(convert_to(l.action, 'UTF8'))
                || pg_temp.field(convert_to(l.object, 'UTF8')) || pg_temp.field(l.digest)
                || pg_temp.field(l.prev_hash))
$$;

SELECT has_table('taxshare', 'ledger', 'table taxshare.ledger');
SELECT has_function('taxshare', 'ledger_verify', ARRAY['bigint', 'text'], 'ledger_verify(digest_seq, digest_hash)');
SELECT has_function('taxshare', 'ledger_digest', 'ledger_digest()');
SELECT has_function('taxshare', 'submission_digest', ARRAY['bigint'], 'submission_digest(submission_id)');

-- Setup: an item, a submission with a rejected row, its correction (which
-- supersedes it), an objection filed and resolved.
INSERT INTO taxshare.unit (code, name, kind) VALUES ('TP_LG', '台账测试单位', 'department');
SELECT taxshare.catalog_define($${"code": "TP-LG", "title": "台账测试", "provider": "TP_LG", "frequency": "monthly",
  "schema": {"fields": [{"name": "name", "title": "姓名", "type": "string", "constraints": {"required": true}},
                        {"name": "price", "title": "金额", "type": "amount"}]}}$$) \g /dev/null
SELECT taxshare.submit('TP-LG', 'TP_LG', '2024-03-01',
  '[{"name": "张三", "price": "100.50"}, {"name": "李四", "price": "abc"}]') AS s1 \gset
SELECT taxshare.submit('TP-LG', 'TP_LG', '2024-03-01',
  '[{"name": "张三", "price": "100.50"}, {"name": "李四", "price": 7}]') AS s2 \gset
SELECT taxshare.objection_file(id, '姓名有误') AS obj FROM taxshare.record WHERE submission_id = :s2 AND row_no = 2 \gset
SELECT taxshare.objection_resolve(:obj, 'corrected', '已更正') \g /dev/null

SELECT seq AS e_cat FROM taxshare.ledger WHERE action = 'catalog_define' AND object = 'TP-LG@1' \gset
SELECT seq AS e_s1 FROM taxshare.ledger WHERE action = 'submission' AND object LIKE 'submission ' || :s1 || ':%' \gset
SELECT seq AS e_sup FROM taxshare.ledger WHERE action = 'supersede' AND object = 'submission ' || :s1 || ' superseded by ' || :s2 \gset
SELECT seq AS e_s2 FROM taxshare.ledger WHERE action = 'submission' AND object LIKE 'submission ' || :s2 || ':%' \gset
SELECT seq AS e_of FROM taxshare.ledger WHERE action = 'objection_file' AND object LIKE 'objection ' || :obj || ' %' \gset
SELECT seq AS e_or FROM taxshare.ledger WHERE action = 'objection_resolve' AND object = 'objection ' || :obj || ' resolved: corrected' \gset

SELECT results_eq(
  format('SELECT action FROM taxshare.ledger WHERE seq > %s ORDER BY seq', :start),
  $$VALUES ('catalog_define'), ('submission'), ('supersede'), ('submission'), ('objection_file'), ('objection_resolve')$$,
  'one entry each: the catalog version, both submissions, the supersession, the objection filed and resolved');
SELECT is(:e_s2 - :e_s1, 2, 'the supersession is recorded between the two submissions');
SELECT is(object, format('submission %s: item TP-LG@1, unit TP_LG, period 2024-03-01..2024-03-31, by %s, status accepted_with_errors, rows 2 (1 accepted, 1 rejected)',
                         :s1, session_user),
          'the submission entry names item, unit, period, submitter, outcome and counts')
  FROM taxshare.ledger WHERE seq = :e_s1;

-- The stored hashes against the SQL implementation of the layout.
SELECT is((SELECT count(*) FROM taxshare.ledger l WHERE l.hash IS DISTINCT FROM pg_temp.entry_hash(l)), 0::bigint,
          'every stored hash is SHA-256 of the documented serialization');
SELECT is((SELECT count(*) FROM taxshare.ledger l
            WHERE l.prev_hash IS DISTINCT FROM coalesce((SELECT p.hash FROM taxshare.ledger p WHERE p.seq = l.seq - 1),
                                                        '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)),
          0::bigint, 'every prev_hash is the previous hash, 32 zero bytes for the first');
SELECT is(digest, sha256(convert_to(definition::text, 'UTF8')), 'catalog_define digest: SHA-256 of the definition text')
  FROM taxshare.ledger, taxshare.catalog_item WHERE seq = :e_cat AND code = 'TP-LG' AND version = 1;
SELECT ok(actor = session_user AND at <= clock_timestamp() AND at > now() - interval '1 minute',
          'actor is the session user, at the time of the append')
  FROM taxshare.ledger WHERE seq = :e_s2;

-- The Merkle root, written from docs/ledger.md "The submission digest": two
-- accepted records {"name": ..., "price": ...} (jsonb order: "name" before
-- "price", both 4 and 5 bytes long), raw NULL.
CREATE FUNCTION pg_temp.leaf(r taxshare.record) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT sha256('\x00'::bytea || int8send(r.id) || int4send(r.row_no) || pg_temp.field(convert_to(r.status, 'UTF8'))
                || '\x01'::bytea || 'o'::bytea || int4send(2)
                || pg_temp.field('name'::bytea) || 's'::bytea || pg_temp.field(convert_to(r.payload ->> 'name', 'UTF8'))
                || pg_temp.field('price'::bytea) || 'n'::bytea || pg_temp.field(numeric_send((r.payload ->> 'price')::numeric))
                || '\x00'::bytea)
$$;
SELECT is(taxshare.submission_digest(:s2),
          sha256('\x01'::bytea || (SELECT pg_temp.leaf(r) FROM taxshare.record r WHERE r.submission_id = :s2 AND r.row_no = 1)
                               || (SELECT pg_temp.leaf(r) FROM taxshare.record r WHERE r.submission_id = :s2 AND r.row_no = 2)),
          'submission digest of two records: node(leaf 1, leaf 2) of the documented leaves');
SELECT is(digest, taxshare.submission_digest(:s2), 'the submission entry carries that digest')
  FROM taxshare.ledger WHERE seq = :e_s2;

SELECT is(ok, true, 'ledger_verify() passes') FROM taxshare.ledger_verify();
SELECT is(verified, (SELECT count(*) FROM taxshare.ledger), 'and has verified every entry') FROM taxshare.ledger_verify();
SET LOCAL timezone = 'America/New_York';
SET LOCAL datestyle = 'SQL, DMY';
SELECT is(ok, true, 'ledger_verify() passes whatever the session time zone and date style') FROM taxshare.ledger_verify();
SET LOCAL timezone = 'UTC';
SET LOCAL datestyle = 'ISO, YMD';

-- Refusals.
SELECT throws_ok(format('UPDATE taxshare.ledger SET actor = %L WHERE seq = %s', 'mallory', :e_cat),
                 '55000', 'cannot update entries of taxshare.ledger', 'UPDATE of the ledger is refused');
SELECT throws_ok(format('DELETE FROM taxshare.ledger WHERE seq = %s', :e_cat),
                 '55000', 'cannot delete entries of taxshare.ledger', 'DELETE from the ledger is refused');
SELECT throws_ok('TRUNCATE taxshare.ledger', '55000', 'cannot truncate taxshare.ledger', 'TRUNCATE of the ledger is refused');
SELECT throws_ok($$SELECT taxshare.ledger_append(NULL, 'x', NULL)$$, '22004', NULL, 'ledger_append: the action must not be null');
SELECT throws_ok($$SELECT taxshare.ledger_append('', 'x', NULL)$$, '22023', NULL, 'ledger_append: the action must not be empty');
SELECT throws_ok('SELECT taxshare.submission_digest(999999999)', '22023', 'unknown submission 999999999',
                 'submission_digest of an unknown submission');
SELECT throws_ok($$SELECT * FROM taxshare.ledger_verify(1, 'xyz')$$, '22023', 'invalid digest hash "xyz"',
                 'ledger_verify: a digest hash that is not 64 hex digits');
SELECT throws_ok('SELECT * FROM taxshare.ledger_verify(1, NULL)', '22023', 'digest_seq and digest_hash go together',
                 'ledger_verify: digest_seq without digest_hash');
SELECT throws_ok(format('SELECT * FROM taxshare.ledger_verify(0, %L)', repeat('ab', 32)), '22023', 'invalid digest seq 0',
                 'ledger_verify: digest seq 0');

-- Nobody but the hooks appends, yet the hooks work for any role that may
-- write the data: they run as the extension's owner.  (catalog_item is used
-- because row-level security, where installed, does not cover it.)
CREATE ROLE tp_ledger_user NOLOGIN;
GRANT USAGE ON SCHEMA taxshare TO tp_ledger_user;
GRANT INSERT ON taxshare.catalog_item TO tp_ledger_user;
SELECT count(*) AS before_role FROM taxshare.ledger \gset
SET LOCAL ROLE tp_ledger_user;
SELECT throws_ok($$SELECT taxshare.ledger_append('forged', 'x', NULL)$$, '42501',
                 'permission denied for function ledger_append', 'a role without the grant cannot call ledger_append');
SELECT throws_ok('SELECT * FROM taxshare.ledger', '42501', 'permission denied for table ledger',
                 'nor read the ledger');
SELECT throws_ok('SELECT * FROM taxshare.ledger_verify()', '42501', 'permission denied for function ledger_verify',
                 'nor verify it');
SELECT lives_ok($$INSERT INTO taxshare.catalog_item (code, version, title, provider, frequency, sharing, classification,
                                                     valid_from, definition)
                  VALUES ('TP-LG', 7, '台账测试 (角色)', 'TP_LG', 'monthly', 'conditional', 'internal', '2024-01-01',
                          '{"code": "TP-LG", "title": "台账测试 (角色)"}')$$,
                'a role allowed to write catalog items writes one');
RESET ROLE;
SELECT results_eq(format('SELECT action, object, actor = session_user FROM taxshare.ledger WHERE seq > %s', :before_role),
                  $$VALUES ('catalog_define', 'TP-LG@7', true)$$, 'and its entry is in the ledger, by the session user');

-- Tamper tests: each in its own savepoint, triggers off as a superuser could.
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.record SET payload = jsonb_set(payload, '{price}', '1000.50') WHERE submission_id = :s2 AND row_no = 1;
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'submission %s records changed: digest mismatch')$$, :e_s2, :s2),
                  'a changed payload: the submission''s entry is named');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.record SET raw = '{"name": "李四", "price": "ABC"}' WHERE submission_id = :s1 AND row_no = 2;
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'submission %s records changed: digest mismatch')$$, :e_s1, :s1),
                  'a changed raw value of a rejected row: the superseded submission''s entry is named');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.record SET status = 'accepted' WHERE submission_id = :s1 AND row_no = 2;
SELECT is(problem, format('submission %s records changed: digest mismatch', :s1), 'a record''s status changed: named')
  FROM taxshare.ledger_verify();
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM taxshare.objection WHERE id = :obj;
DELETE FROM taxshare.record WHERE submission_id = :s2 AND row_no = 2;
SELECT is(seq, :e_s2::bigint, 'a record removed: the submission''s entry is named') FROM taxshare.ledger_verify();
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
INSERT INTO taxshare.record (id, submission_id, row_no, status, payload)
VALUES ((:s2::bigint << 32) + 3, :s2, 3, 'accepted', '{"name": "王五", "price": 1.00}');
SELECT is(problem, format('submission %s records changed: digest mismatch', :s2), 'a record slipped in: named')
  FROM taxshare.ledger_verify();
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.submission SET period_end = '2024-04-30' WHERE id = :s1;
SELECT is(seq, :e_s1::bigint, 'a submission''s period changed: its entry is named') FROM taxshare.ledger_verify();
SELECT matches(problem, format('^submission %s changed: now "submission %s: .*period 2024-03-01\.\.2024-04-30,', :s1, :s1),
               'and the problem shows what the submission says now') FROM taxshare.ledger_verify();
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.submission SET rows_accepted = 2, rows_rejected = 0 WHERE id = :s1;
SELECT results_eq('SELECT ok, seq FROM taxshare.ledger_verify()', format('VALUES (false, %s::bigint)', :e_s1),
                  'a submission''s counts changed: its entry is named');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.submission SET submitted_by = 'someone_else' WHERE id = :s2;
SELECT is(seq, :e_s2::bigint, 'a submission''s submitter changed: named') FROM taxshare.ledger_verify();
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.submission SET superseded_by = :s1 WHERE id = :s1;
SELECT results_eq('SELECT seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (%s::bigint, 'submission %s changed: now "submission %s superseded by %s"')$$, :e_sup, :s1, :s1, :s1),
                  'a supersession rewritten: the supersede entry is named');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.catalog_item SET definition = jsonb_set(definition, '{title}', '"改过的"') WHERE code = 'TP-LG';
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'catalog item TP-LG@1 changed: definition digest mismatch')$$, :e_cat),
                  'a catalog definition changed: its entry is named');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.objection SET reason = '无异议' WHERE id = :obj;
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'objection %s changed: digest mismatch')$$, :e_of, :obj),
                  'an objection''s reason changed: the filing entry is named');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.objection SET outcome = 'explained' WHERE id = :obj;
SELECT is(seq, :e_or::bigint, 'an objection''s outcome changed: the resolution entry is named') FROM taxshare.ledger_verify();
ROLLBACK TO SAVEPOINT t;

-- The ledger rows themselves.
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.ledger SET action = 'catalog_definf' WHERE seq = :e_cat;
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'hash mismatch: the stored hash is not the hash of the entry''s fields')$$, :e_cat),
                  'a ledger row''s action changed: it is the first broken entry');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.ledger SET digest = set_byte(digest, 0, get_byte(digest, 0) # 1) WHERE seq = :e_s2;
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'hash mismatch: the stored hash is not the hash of the entry''s fields')$$, :e_s2),
                  'one bit of a ledger row''s digest changed: named');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.ledger SET hash = set_byte(hash, 31, get_byte(hash, 31) # 128) WHERE seq = :e_sup;
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'hash mismatch: the stored hash is not the hash of the entry''s fields')$$, :e_sup),
                  'a ledger row''s hash changed: named');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.ledger SET prev_hash = sha256('x') WHERE seq = :e_of;
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'chain broken (prev_hash): it is not the hash of the previous entry')$$, :e_of),
                  'a ledger row''s prev_hash changed: named');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.ledger SET at = at + interval '1 microsecond' WHERE seq = :e_or;
SELECT is(seq, :e_or::bigint, 'a ledger row''s time moved by one microsecond: named') FROM taxshare.ledger_verify();
ROLLBACK TO SAVEPOINT t;

-- An entry rewritten with a hash recomputed to match: the next entry's link breaks.
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE taxshare.ledger l SET actor = 'mallory' WHERE seq = :e_cat;
UPDATE taxshare.ledger l SET hash = pg_temp.entry_hash(l) WHERE seq = :e_cat;
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'chain broken (prev_hash): it is not the hash of the previous entry')$$, :e_cat + 1),
                  'an entry rehashed after a change: the next entry is the first broken one');
ROLLBACK TO SAVEPOINT t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM taxshare.ledger WHERE seq = :e_sup;
SELECT results_eq('SELECT ok, seq, problem FROM taxshare.ledger_verify()',
                  format($$VALUES (false, %s::bigint, 'gap in seq: entry %s is missing (the next entry is %s)')$$, :e_sup, :e_sup, :e_sup + 1),
                  'a ledger row deleted: the gap is named');
ROLLBACK TO SAVEPOINT t;

-- What the chain alone cannot show, and what the external digest shows.
SELECT seq AS head_seq, hash AS head_hash FROM taxshare.ledger_digest() \gset
SELECT encode(hash, 'hex') AS sup_hash FROM taxshare.ledger WHERE seq = :e_sup \gset
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM taxshare.ledger WHERE seq = :head_seq;
SELECT is(ok, true, 'the newest entry removed: the chain alone still verifies') FROM taxshare.ledger_verify();
SELECT results_eq(format('SELECT ok, seq, problem FROM taxshare.ledger_verify(%s, %L)', :head_seq, :'head_hash'),
                  format($$VALUES (false, %s::bigint, 'entry %s of the external digest is missing: the ledger ends at entry %s')$$,
                         :head_seq, :head_seq, :head_seq - 1),
                  'but the external digest names the missing entry');
ROLLBACK TO SAVEPOINT t;

-- A consistent rewrite from the supersession on: every hash recomputed.
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
SET LOCAL tp.e_sup = :e_sup;
DO $$
DECLARE
  e taxshare.ledger;
  prev bytea;
BEGIN
  FOR e IN SELECT * FROM taxshare.ledger WHERE seq >= current_setting('tp.e_sup')::bigint ORDER BY seq LOOP
    IF prev IS NOT NULL THEN
      e.prev_hash := prev;
    END IF;
    IF e.action = 'supersede' THEN
      e.at := e.at - interval '1 day';
    END IF;
    e.hash := pg_temp.entry_hash(e);
    UPDATE taxshare.ledger SET at = e.at, prev_hash = e.prev_hash, hash = e.hash WHERE seq = e.seq;
    prev := e.hash;
  END LOOP;
END
$$;
SELECT is(ok, true, 'the chain rewritten consistently by a superuser still verifies on its own') FROM taxshare.ledger_verify();
SELECT results_eq(format('SELECT ok, seq, problem FROM taxshare.ledger_verify(%s, %L)', :e_sup, :'sup_hash'),
                  format($$VALUES (false, %s::bigint, 'hash differs from the external digest: the chain up to this entry was rewritten')$$, :e_sup),
                  'the digest kept outside names the rewritten entry');
SELECT results_eq(format('SELECT ok, seq, problem FROM taxshare.ledger_verify(%s, %L)', :head_seq, :'head_hash'),
                  format($$VALUES (false, %s::bigint, 'hash differs from the external digest: the chain up to this entry was rewritten')$$, :head_seq),
                  'and so does the later head digest');
ROLLBACK TO SAVEPOINT t;
SELECT is(ok, true, 'after every rollback the ledger verifies again') FROM taxshare.ledger_verify(:head_seq, :'head_hash');

-- A restore loads rows with COPY into the table: no entry (the restored
-- ledger has them); the same kind of row by INSERT is an entry.
SELECT count(*) AS before_copy FROM taxshare.ledger \gset
COPY taxshare.catalog_item (code, version, title, provider, frequency, sharing, classification, valid_from, definition) FROM stdin;
TP-LG	2	台账测试 (恢复)	TP_LG	monthly	conditional	internal	2024-01-01	{"code": "TP-LG", "title": "台账测试 (恢复)"}
\.
SELECT is((SELECT count(*) FROM taxshare.ledger), :before_copy::bigint, 'a COPY into catalog_item (a restore) adds no entry');
INSERT INTO taxshare.catalog_item (code, version, title, provider, frequency, sharing, classification, valid_from, definition)
VALUES ('TP-LG', 3, '台账测试 (插入)', 'TP_LG', 'monthly', 'conditional', 'internal', '2024-01-01',
        '{"code": "TP-LG", "title": "台账测试 (插入)"}');
SELECT results_eq(format('SELECT action, object FROM taxshare.ledger WHERE seq > %s', :before_copy),
                  $$VALUES ('catalog_define', 'TP-LG@3')$$, 'an INSERT into catalog_item is an entry');

SELECT * FROM finish();
ROLLBACK;
