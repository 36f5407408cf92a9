-- ledger: the tamper-evident hash chain (docs/ledger.md).  A catalog item, a
-- submission and its correction, an objection: each leaves an entry; the chain
-- links, the digest and verification; UPDATE, DELETE and TRUNCATE refused.
-- Other test files add entries too, so entries are shown from this file's
-- first one on, numbered from 1, and the ids and the user are named, not printed.
-- Codes start with TL_ / TL-.
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';
SET timezone = 'UTC';
\set SHOW_CONTEXT never

SELECT coalesce(max(seq), 0) AS start FROM taxshare.ledger \gset

INSERT INTO taxshare.unit (code, name, kind) VALUES ('TL_ZJJ', '衡阳市住房和城乡建设局', 'department');

SELECT taxshare.catalog_define($${
  "code": "TL-SALE", "title": "商品房销售备案", "provider": "TL_ZJJ", "frequency": "monthly",
  "schema": {"fields": [
      {"name": "contract_no", "title": "合同编号", "type": "string", "constraints": {"required": true}},
      {"name": "price", "title": "成交金额(元)", "type": "amount"}],
    "primaryKey": "contract_no"}}$$) AS version;

-- The same document again is no new version, hence no new entry; a document
-- that fails is rolled back with its entry.
SELECT taxshare.catalog_define(definition) AS version
  FROM taxshare.catalog_item WHERE code = 'TL-SALE';
SELECT taxshare.catalog_define('{"code": "TL-BAD", "title": "坏", "provider": "TL_NOBODY", "frequency": "monthly",
                                 "schema": {"fields": [{"name": "a", "title": "甲", "type": "string"}]}}');

SELECT taxshare.submit('TL-SALE', 'TL_ZJJ', '2024-03-01',
  '[{"contract_no": "HT1", "price": "100.50"}, {"contract_no": "HT2", "price": "一百"}]') AS first \gset
SELECT taxshare.submit('TL-SALE', 'TL_ZJJ', '2024-03-01',
  '[{"contract_no": "HT1", "price": "100.50"}, {"contract_no": "HT2", "price": "100"}]') AS second \gset
SELECT taxshare.objection_file(id, '成交金额与合同不符') AS objection
  FROM taxshare.record WHERE submission_id = :second AND row_no = 2 \gset
SELECT taxshare.objection_resolve(:objection, 'explained', '金额已核实无误');

-- This file's entries.  Each links to the one before it; a submission's digest
-- is the Merkle root of its records; the actor is the session user.
SELECT (SELECT id FROM taxshare.record WHERE submission_id = :second AND row_no = 2) AS record \gset
SELECT l.seq - :start AS n, l.action,
       replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(l.object,
         '^submission ' || :first || '\M', 'submission <first>'),
         '^submission ' || :second || '\M', 'submission <second>'),
         ' superseded by ' || :second || '$', ' superseded by <second>'),
         '^objection ' || :objection || '\M', 'objection <objection>'),
         ' on record ' || :record || '$', ' on record <record>'),
         ', by ' || session_user || ',', ', by <me>,') AS object,
       CASE WHEN l.digest IS NULL THEN '-'
            WHEN l.action = 'submission'
            THEN (l.digest = taxshare.submission_digest(substring(l.object FROM '^submission ([0-9]+):')::bigint))::text
            ELSE octet_length(l.digest) || ' bytes' END AS digest,
       l.actor = session_user AS by_me,
       l.prev_hash = coalesce((SELECT p.hash FROM taxshare.ledger p WHERE p.seq = l.seq - 1),
                              '\x0000000000000000000000000000000000000000000000000000000000000000') AS linked,
       octet_length(l.hash) AS hash_bytes
  FROM taxshare.ledger l
 WHERE l.seq > :start
 ORDER BY l.seq;

-- The head to keep outside the database, and the chain verified with it.
SELECT d.seq = (SELECT max(seq) FROM taxshare.ledger) AS is_head,
       d.hash = encode((SELECT hash FROM taxshare.ledger ORDER BY seq DESC LIMIT 1), 'hex') AS head_hash,
       length(d.hash) AS hex_digits
  FROM taxshare.ledger_digest() d;
SELECT ok, verified = (SELECT count(*) FROM taxshare.ledger) AS all_verified, seq, problem
  FROM taxshare.ledger_verify();
SELECT v.ok, v.problem
  FROM taxshare.ledger_digest() d, taxshare.ledger_verify(d.seq, d.hash) v;
-- A digest that does not match the entry it names.
SELECT v.ok, v.seq = :start + 1 AS names_it, v.problem
  FROM taxshare.ledger_verify(:start + 1, repeat('0', 64)) v;

-- The ledger is append-only.
UPDATE taxshare.ledger SET actor = 'mallory' WHERE seq = :start + 1;
DELETE FROM taxshare.ledger WHERE seq = :start + 1;
TRUNCATE taxshare.ledger;
SELECT count(*) AS entries_of_this_file FROM taxshare.ledger WHERE seq > :start;
