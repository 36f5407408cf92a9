-- Demo step 1: identifiers as departments actually send them.
-- A handful of values copied the way liaisons type them: lower case, spaces,
-- full-width characters, legacy 15-digit resident IDs, wrong check characters.
\echo
\echo '== 标识符检查 / identifier checks on sample data =='

CREATE TEMP TABLE sample_ident(source text, kind text, raw text);
INSERT INTO sample_ident VALUES
  ('住建局 网签', 'uscc',    '91350100M000100Y43'),
  ('住建局 网签', 'uscc',    ' 91350100m000100y43 '),
  ('住建局 网签', 'uscc',    '９１３５０１００Ｍ０００１００Ｙ４３'),
  ('住建局 网签', 'uscc',    '91350100M000100Y44'),
  ('市场监管局',  'orgcode', 'M000100Y-4'),
  ('市场监管局',  'orgcode', 'M000100Y-5'),
  ('人社局 社保', 'idcard',  '11010519491231002X'),
  ('人社局 社保', 'idcard',  '11010519491231002x'),
  ('人社局 社保', 'idcard',  '110105491231002'),
  ('人社局 社保', 'idcard',  '110105194912310021'),
  ('人社局 社保', 'idcard',  '11010519490231002X');

SELECT source AS "来源 source",
       kind,
       raw AS "原值 raw",
       taxshare.normalize_ident(raw) AS "规范 canonical",
       CASE kind
         WHEN 'uscc' THEN taxshare.uscc_valid(taxshare.normalize_ident(raw))
         WHEN 'orgcode' THEN taxshare.orgcode_valid(taxshare.normalize_ident(raw))
         WHEN 'idcard' THEN
           CASE WHEN length(taxshare.normalize_ident(raw)) = 15
                THEN taxshare.idcard_valid(taxshare.idcard_upgrade(taxshare.normalize_ident(raw)))
                ELSE taxshare.idcard_valid(taxshare.normalize_ident(raw)) END
       END AS "有效 valid"
  FROM sample_ident
 ORDER BY source, kind;

\echo
\echo '== 居民身份证解码 / resident ID decoded =='
SELECT id, taxshare.idcard_region(id) AS region, taxshare.idcard_birthdate(id) AS born,
       taxshare.idcard_sex(id) AS sex
  FROM (VALUES ('11010519491231002X'), (taxshare.idcard_upgrade('110105491231002'))) v(id);

\echo
\echo '== 名称规范化 / company names made comparable =='
SELECT raw AS "原名称 as reported", taxshare.normalize_name(raw) AS "规范名称 normalised"
  FROM (VALUES ('衡阳市华湘置业有限责任公司'),
               ('衡阳市华湘置业有限公司 '),
               ('华湘置业（衡阳）有限公司'),
               ('衡阳市华湘物业有限公司'),
               ('湖南雁城建设股份有限公司衡阳分公司')) v(raw);
