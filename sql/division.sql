-- division: the GB/T 2260 code list shipped with the extension.

-- 34 province-level divisions, none with a parent
SELECT count(*) AS provinces FROM taxshare.division WHERE parent IS NULL;
SELECT count(*) AS provinces_by_code FROM taxshare.division WHERE code ~ '^[0-9]{2}0000$';

-- a handful of known codes
SELECT code, name, parent FROM taxshare.division
 WHERE code IN ('110000', '650000', '820000', '430000', '430100', '430182',
                '430212', '430400', '430407', '430482', '430582', '431181',
                '433100', '433130')
 ORDER BY code;

-- Hengyang in full
SELECT code, name FROM taxshare.division WHERE parent = '430400' ORDER BY code;

-- Hunan: 14 prefecture-level divisions, 122 county-level ones, per prefecture
SELECT count(*) AS prefectures FROM taxshare.division WHERE parent = '430000';
SELECT count(*) AS counties FROM taxshare.division d
  JOIN taxshare.division p ON p.code = d.parent
 WHERE p.parent = '430000';
SELECT p.code, p.name, count(d.code) AS counties
  FROM taxshare.division p
  LEFT JOIN taxshare.division d ON d.parent = p.code
 WHERE p.parent = '430000'
 GROUP BY p.code, p.name
 ORDER BY p.code;

-- every parent exists
SELECT d.code, d.parent FROM taxshare.division d
 WHERE d.parent IS NOT NULL
   AND NOT EXISTS (SELECT FROM taxshare.division p WHERE p.code = d.parent);

-- every county's code starts with its prefecture's first four digits
SELECT d.code, d.parent FROM taxshare.division d
  JOIN taxshare.division p ON p.code = d.parent
 WHERE p.parent IS NOT NULL AND left(d.code, 4) <> left(p.code, 4);

-- all shipped; no name twice within one prefecture
SELECT count(*) FILTER (WHERE NOT shipped) AS not_shipped FROM taxshare.division;
SELECT parent, name, count(*) FROM taxshare.division GROUP BY parent, name HAVING count(*) > 1;

-- pg_dump keeps only the rows a DBA added
SELECT c.relname, x.cond
  FROM pg_extension e,
       unnest(e.extconfig, e.extcondition) AS x(oid, cond)
  JOIN pg_class c ON c.oid = x.oid
 WHERE e.extname = 'taxshare' AND c.relname = 'division';

-- constraints
BEGIN;
INSERT INTO taxshare.division (code, name, parent) VALUES ('43040', '五位', '430400');
ROLLBACK;
BEGIN;
INSERT INTO taxshare.division (code, name, parent) VALUES ('430499', '自身', '430499');
ROLLBACK;
BEGIN;
INSERT INTO taxshare.division (code, name, parent) VALUES ('430499', ' ', '430400');
ROLLBACK;
BEGIN;
INSERT INTO taxshare.division (code, name, parent) VALUES ('450100', '南宁市', '450000');
SELECT code, name, parent, shipped FROM taxshare.division WHERE code = '450100';
ROLLBACK;
