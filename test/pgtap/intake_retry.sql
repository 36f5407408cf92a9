-- An idempotent retry (docs/intake.md, "Retrying safely: client_ref"): a
-- retry under the same client_ref returns the first submission and loads
-- nothing; the same reference with another period or other rows is
-- refused; another unit's reference is its own; without a reference every
-- call is a submission.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(17);

INSERT INTO taxshare.unit (code, name, kind) VALUES
  ('RT-A', '重试测试甲局', 'department'), ('RT-B', '重试测试乙局', 'department');
SELECT taxshare.catalog_define($j${"code": "RT-ITEM", "title": "重试测试", "provider": "RT-A",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "no", "title": "编号", "type": "string"},
                        {"name": "amount", "title": "金额", "type": "amount"}]}}$j$::jsonb);
SELECT taxshare.catalog_define($j${"code": "RT-ITEM-B", "title": "重试测试乙", "provider": "RT-B",
  "frequency": "monthly", "sharing": "unconditional",
  "schema": {"fields": [{"name": "no", "title": "编号", "type": "string"}]}}$j$::jsonb);

SELECT taxshare.submit('RT-ITEM', 'RT-A', '2024-01-01', '[{"no": "1", "amount": "5"}, {"no": "2", "amount": "x"}]',
                       client_ref => 'RT-2024-01') AS first \gset
SELECT ledger_before FROM (SELECT max(seq) AS ledger_before FROM taxshare.ledger) l \gset
SELECT is(taxshare.submit('RT-ITEM', 'RT-A', '2024-01-01', '[{"no": "1", "amount": "5"}, {"no": "2", "amount": "x"}]',
                          client_ref => 'RT-2024-01'), :first::bigint,
          'a retry under the same reference returns the first submission');
SELECT is((SELECT count(*)::int FROM taxshare.submission WHERE item_code = 'RT-ITEM'), 1, 'and makes no second one');
SELECT is((SELECT superseded_by FROM taxshare.submission WHERE id = :first), NULL,
          'the first is not superseded by its retry');
SELECT is((SELECT count(*)::int FROM taxshare.record WHERE submission_id = :first), 2, 'its two rows are there once');
SELECT is((SELECT max(seq) FROM taxshare.ledger), :ledger_before::bigint, 'the retry writes no ledger entry');
SELECT is(taxshare.submit('RT-ITEM', 'RT-A', '2024-01-01', '[{"amount": "5", "no": "1"}, {"no": "2", "amount": "x"}]',
                          client_ref => 'RT-2024-01'), :first::bigint,
          'the same rows with their keys in another order are the same content');
SELECT throws_ok($$SELECT taxshare.submit('RT-ITEM', 'RT-A', '2024-01-01', '[{"no": "1", "amount": "6"}]',
                                          client_ref => 'RT-2024-01')$$, '22023',
                 format('client_ref "RT-2024-01" already names submission %s of unit "RT-A", item "RT-ITEM", with other content', :first),
                 'the same reference with other rows is refused');
SELECT throws_ok($$SELECT taxshare.submit('RT-ITEM', 'RT-A', '2024-02-01', '[{"no": "1", "amount": "5"}, {"no": "2", "amount": "x"}]',
                                          client_ref => 'RT-2024-01')$$, '22023', NULL,
                 'the same reference for another period is refused');
SELECT throws_ok($$SELECT taxshare.submit('RT-ITEM', 'RT-A', '2024-02-01', '[]', client_ref => '')$$, '22023', NULL,
                 'an empty reference is refused');

-- A new reference is a new batch: it supersedes as any resubmission does.
SELECT taxshare.submit('RT-ITEM', 'RT-A', '2024-01-01', '[{"no": "1", "amount": "5"}, {"no": "2", "amount": "7"}]',
                       client_ref => 'RT-2024-01-fix') AS fixed \gset
SELECT is((SELECT superseded_by FROM taxshare.submission WHERE id = :first), :fixed::bigint,
          'a corrected batch under a new reference supersedes the first');
SELECT is(taxshare.submit('RT-ITEM', 'RT-A', '2024-01-01', '[{"no": "1", "amount": "5"}, {"no": "2", "amount": "x"}]',
                          client_ref => 'RT-2024-01'), :first::bigint,
          'a late retry of the first batch still returns it, and does not supersede the correction');
SELECT is((SELECT count(*)::int FROM taxshare.current_record c JOIN taxshare.submission s ON s.id = c.submission_id
            WHERE s.id = :fixed), 2, 'the correction stays current');

-- References are per unit and item; no reference, no retry.
SELECT isnt(taxshare.submit('RT-ITEM-B', 'RT-B', '2024-01-01', '[{"no": "1"}]', client_ref => 'RT-2024-01'),
            :first::bigint, 'another unit''s batch with the same reference is its own');
SELECT isnt(taxshare.submit('RT-ITEM', 'RT-A', '2024-03-01', '[{"no": "1", "amount": "5"}]'),
            taxshare.submit('RT-ITEM', 'RT-A', '2024-03-01', '[{"no": "1", "amount": "5"}]'),
            'without a reference every call is a submission');

-- The file channels take the same reference; the file's bytes are the content.
SELECT taxshare.submit_csv('RT-ITEM', 'RT-A', '2024-04-01', convert_to(E'编号,金额\n1,5\n', 'UTF8'),
                           client_ref => 'RT-CSV-04') AS csv_first \gset
SELECT is(taxshare.submit_csv('RT-ITEM', 'RT-A', '2024-04-01', convert_to(E'编号,金额\n1,5\n', 'UTF8'),
                              client_ref => 'RT-CSV-04'), :csv_first::bigint,
          'submit_csv(): a retry of the same file returns the first submission');
SELECT throws_ok($$SELECT taxshare.submit_csv('RT-ITEM', 'RT-A', '2024-04-01', convert_to(E'编号,金额\n1,6\n', 'UTF8'),
                                              client_ref => 'RT-CSV-04')$$, '22023', NULL,
                 'submit_csv(): another file under the same reference is refused');
SELECT is((SELECT count(*)::int FROM taxshare.submission WHERE item_code = 'RT-ITEM' AND period_start = '2024-04-01'), 1,
          'submit_csv(): one submission for the period');

SELECT * FROM finish();
ROLLBACK;
