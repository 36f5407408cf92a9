-- ident: Chinese identifiers and canonical forms (docs/identifiers.md)
SET datestyle = 'ISO, YMD';

-- Unified social credit code (GB 32100-2015): the standard's example and
-- real codes from public business licences; a changed character, lower case,
-- a letter outside the alphabet, wrong lengths, non-ASCII are all false.
SELECT code, taxshare.uscc_valid(code)
  FROM (VALUES ('91350100M000100Y43'), ('914403001922038216'),
               ('9144030071526726XG'), ('91330100716105852F'),
               ('91350100M000100Y44'), ('91350100M000100Y34'),
               ('91350100m000100y43'), ('91350100MO00100Y43'),
               ('91350100M000100Y4'), ('91350100M000100Y433'),
               ('9135 0100M000100Y4'), ('91350100M000100Y4３'), ('')) AS t(code);
SELECT taxshare.uscc_valid(NULL) IS NULL AS strict;

-- Organization code (GB 11714-1997): characters 9-17 of a USCC.
SELECT taxshare.uscc_orgcode('91350100M000100Y43');
SELECT code, taxshare.orgcode_valid(code)
  FROM (VALUES ('M000100Y4'), ('71526726X'), ('71526726-X'), ('71526726x'),
               ('M000100Y5'), ('M000C00Y4'), ('')) AS t(code);

-- Resident identity number (GB 11643-1999): the standard's two examples,
-- then a wrong check digit, lower-case x, a province that does not exist,
-- dates that do not exist or are out of range, and the legacy 15-digit form
-- (not valid as an 18-character number).
SELECT code, taxshare.idcard_valid(code)
  FROM (VALUES ('11010519491231002X'), ('440524188001010014'),
               ('110105194912310021'), ('11010519491231002x'),
               ('990105194912310023'), ('110105190002290017'),
               ('110105200002290013'), ('110105179912310016'),
               ('110105491231002'), ('')) AS t(code);

-- Decoding: 18 characters, or a valid legacy 15-digit number.
SELECT taxshare.idcard_birthdate('11010519491231002X') AS birthdate,
       taxshare.idcard_sex('11010519491231002X') AS sex,
       taxshare.idcard_region('11010519491231002X') AS region;
SELECT taxshare.idcard_birthdate('440524800101001') AS birthdate,
       taxshare.idcard_sex('440524800101001') AS sex,
       taxshare.idcard_region('440524800101001') AS region;
SELECT taxshare.idcard_upgrade('110105491231002') AS from_15,
       taxshare.idcard_upgrade('440524800101001') AS from_15_b,
       taxshare.idcard_upgrade('11010519491231002X') AS unchanged_18;

-- Canonical forms of what people type.
SELECT taxshare.normalize_ident(' 9135 0100－ｍ000100y43　') AS uscc,
       taxshare.normalize_ident('110105-19491231-002x') AS idcard,
       taxshare.normalize_ident('７１５２６７２６－Ｘ') AS orgcode,
       taxshare.normalize_ident('粤B 12345') AS other_characters_kept;
SELECT taxshare.uscc_valid(taxshare.normalize_ident(' 9135 0100－ｍ000100y43　'));
SELECT name, taxshare.normalize_name(name)
  FROM (VALUES ('  衡阳 华湘置业（衡阳）有限责任公司 '),
               ('中国平安保险（集团）股份有限公司'),
               ('衡阳某某建设有限责任公司雁峰分公司'),
               ('某某（中国）有限公司'),
               ('衡阳某某投资合伙企业（有限合伙）'),
               ('【测试】[x] ﹙y﹚'),
               ('阿依古丽・买买提'),
               ('ＡＢＣ Ｔｒａｄｉｎｇ')) AS t(name);
SELECT taxshare.normalize_name(taxshare.normalize_name('股份有限责任公司')) =
       taxshare.normalize_name('股份有限责任公司') AS idempotent;

-- Domains accept the canonical valid form only.
CREATE TEMP TABLE party (
  uscc taxshare.uscc,
  idcard taxshare.idcard,
  orgcode taxshare.orgcode
);
INSERT INTO party VALUES ('91350100M000100Y43', '11010519491231002X', 'M000100Y4');
INSERT INTO party (uscc) VALUES (taxshare.normalize_ident('91350100m000100y43'));
INSERT INTO party (uscc) VALUES ('91350100m000100y43');
INSERT INTO party (idcard) VALUES ('110105491231002');
INSERT INTO party (idcard) VALUES (taxshare.idcard_upgrade('110105491231002'));
INSERT INTO party (orgcode) VALUES ('M000100Y4 ');
SELECT * FROM party;

-- Error paths: SQLSTATE 22023, the value, why, and what is accepted.
\set VERBOSITY sqlstate
SELECT taxshare.idcard_sex('1234');
\set VERBOSITY default
SELECT taxshare.idcard_sex('1234');
SELECT taxshare.idcard_birthdate('11010519491231002x');
SELECT taxshare.idcard_birthdate('1101051949123100２X');
SELECT taxshare.idcard_region('11010519491231O02X');
SELECT taxshare.idcard_region('990105194912310023');
SELECT taxshare.idcard_birthdate('110105194913310021');
SELECT taxshare.idcard_birthdate('110105179912310016');
SELECT taxshare.idcard_sex('110105194912310021');
SELECT taxshare.idcard_upgrade('110105490229002');
SELECT taxshare.idcard_upgrade('');
SELECT taxshare.uscc_orgcode('91350100M000100Y4');
SELECT taxshare.uscc_orgcode('91350100M000100Y4中');
SELECT taxshare.uscc_orgcode('91350100MO00100Y43');
SELECT taxshare.uscc_orgcode('91350100M000100Y44');
SELECT taxshare.uscc_orgcode(repeat('中', 100));
