-- Demo step 3: a sample month, October 2026, in Hengyang (衡阳市, 4304xx).
-- A pool of enterprises and persons with valid identifiers, then one batch per
-- monthly item of the catalog, as each unit sends it through the exchange
-- platform in early November: with the mistakes people make (accepted after
-- normalisation, or rejected), and with the gaps the cross-check rules are
-- there to find.  docs/demo.md lists every mistake and gap.
SET client_min_messages = warning;
SELECT setseed(0.42) \g /dev/null

-- Check characters, computed here rather than by the extension so that the
-- extension's own checks below verify independent arithmetic.
-- GB 32100-2015: weights 3^i mod 31, check = (31 - sum mod 31) mod 31.
CREATE FUNCTION pg_temp.uscc_check(b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT substr(cs, ((31 - sum((strpos(cs, substr(b, i, 1)) - 1) * w[i]) % 31) % 31 + 1)::int, 1)
    FROM (VALUES ('0123456789ABCDEFGHJKLMNPQRTUWXY',
                  ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])) AS k(cs, w),
         generate_series(1, 17) AS i
   GROUP BY cs
$$;
-- GB 11714-1997: weights 3 7 9 10 5 8 4 2, check = 11 - sum mod 11 (10 is X, 11 is 0).
CREATE FUNCTION pg_temp.orgcode_check(b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END
    FROM (SELECT 11 - sum(CASE WHEN substr(b, i, 1) ~ '[0-9]' THEN substr(b, i, 1)::int
                                ELSE ascii(substr(b, i, 1)) - 55 END
                           * (ARRAY[3, 7, 9, 10, 5, 8, 4, 2])[i]) % 11 AS c
            FROM generate_series(1, 8) AS i) s
$$;
-- GB 11643-1999 (ISO 7064 MOD 11-2).
CREATE FUNCTION pg_temp.idcard_check(b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT substr('10X98765432', (sum(substr(b, i, 1)::int
                                   * (ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[i]) % 11 + 1)::int, 1)
    FROM generate_series(1, 17) AS i
$$;
-- A wrong check character: the next one in the character set.
CREATE FUNCTION pg_temp.wrong_check(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT left(s, -1) || CASE WHEN length(s) = 18 AND s ~ '^[0-9]{17}[0-9X]$'
                             THEN substr('1234567890', strpos('0123456789X', right(s, 1)), 1)
                             ELSE substr('123456789ABCDEFGHJKLMNPQRTUWXY0',
                                         strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', right(s, 1)), 1) END
$$;
CREATE FUNCTION pg_temp.fullwidth(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT translate(s, '0123456789ABCDEFGHJKLMNPQRTUWXYX', '０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹＸ')
$$;

-- A batch as the exchange platform forwards it: submit() with the time the
-- exchange received it; the platform's own receipt time is set to the day the
-- batch reached it in this story (the demo runs all of November in a minute).
CREATE FUNCTION pg_temp.send(item text, unit text, rows jsonb, exchange_at timestamptz,
                             platform_at timestamptz, period date DEFAULT DATE '2026-10-01')
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  sid bigint;
BEGIN
  sid := taxshare.submit(item, unit, period, rows, received_at_exchange => exchange_at);
  UPDATE taxshare.submission SET received_at = platform_at WHERE id = sid;
  RETURN sid;
END
$$;

\echo
\echo '== 样本主体 / the sample pool: Hengyang enterprises and residents =='
CREATE TEMP TABLE region_code AS
  SELECT row_number() OVER (ORDER BY code) AS i, code, name
    FROM taxshare.division WHERE code ~ '^4304[0-9][1-9]$';
SELECT count(*) AS nreg FROM region_code \gset

CREATE TEMP TABLE trade AS
  SELECT i::int, t FROM unnest(ARRAY[
    '华湘', '雁城', '衡岳', '湘江', '蒸水', '耒水', '回雁', '船山', '来雁', '湘南',
    '衡州', '云锦', '金源', '鑫达', '恒泰', '宏远', '瑞丰', '佳和', '博雅', '天利',
    '中衡', '华耀', '振兴', '盛世', '永安', '祥和', '汇通', '顺达', '长盛', '兴隆',
    '鼎立', '华信', '众诚', '安居', '锦程', '泰和', '万家', '百川', '德润', '丰源',
    '国联', '和泰', '嘉禾', '凯达', '利民', '明远', '欣荣', '星辰', '远航', '正元',
    '志诚', '中天', '新湘', '立信', '广源', '恒通', '鹏程', '福盛', '东方', '创新']) WITH ORDINALITY AS a(t, i);

CREATE TEMP TABLE industry(g int, word text, cls text, k int);
INSERT INTO industry VALUES
  (1, '置业', 'developer', 16), (2, '物业管理', 'property', 12), (3, '建筑工程', 'builder', 24),
  (4, '商贸', 'trade', 50), (5, '科技', 'tech', 45), (6, '餐饮管理', 'catering', 20),
  (7, '物流', 'logistics', 20), (8, '医药', 'pharma', 15), (9, '劳务', 'labour', 15),
  (10, '文化传媒', 'media', 20), (11, '农业开发', 'agri', 15), (12, '建材', 'materials', 20),
  (13, '机械设备', 'machinery', 18);

CREATE TEMP TABLE co AS
  SELECT row_number() OVER (ORDER BY i.g, j)::int AS n, i.g, j, i.cls, t.t AS trade, i.word,
         '衡阳市' || t.t || i.word || CASE WHEN j % 9 = 0 THEN '有限责任公司' ELSE '有限公司' END AS name,
         NULL::text AS uscc, NULL::text AS region, false AS new_in_month, NULL::date AS established_on
    FROM industry i
    CROSS JOIN generate_series(1, i.k) AS j
    JOIN trade t ON t.i = (j - 1 + CASE WHEN i.g <= 2 THEN 0 ELSE i.g * 7 END) % 60 + 1;
UPDATE co SET region = (SELECT code FROM region_code r WHERE r.i = co.n % :nreg + 1);
UPDATE co SET uscc = b || pg_temp.uscc_check(b)
  FROM (SELECT n AS m, '91' || region || o || pg_temp.orgcode_check(o) AS b
          FROM (SELECT n, region, lpad(((n * 104729) % 90000000 + 10000000)::text, 8, '0') AS o FROM co) x) y
 WHERE co.n = y.m;
-- About fifty were set up in October: the registry batch of the month.
UPDATE co SET new_in_month = true, established_on = DATE '2026-10-08' + (n * 7) % 21
 WHERE g IN (4, 5, 6, 9, 10) AND j % 3 = 1;
UPDATE co SET established_on = DATE '2008-01-01' + (n * 397) % 6000 WHERE NOT new_in_month;

CREATE TEMP TABLE person AS
  SELECT n,
         (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','高','林','罗',
                '郑','梁','谢','宋','唐','许','韩','冯','邓','曹','彭','曾','肖','田','董','袁','潘','蒋','蔡','余',
                '谭','廖','贺','龙','阳','刘','李','王','陈','欧阳'])[1 + (random() * 49)::int]
         || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀英',
                   '霞','平','刚','桂英','建华','志强','海燕','小红','文','斌','浩','宇','欣怡','子轩','梓涵',
                   '俊杰','晓东','国庆','红梅','春花','立新','建国','湘云','雁','卫东','丽君','志明','振宇'])
            [1 + (random() * 45)::int] AS name,
         b || pg_temp.idcard_check(b) AS idcard
    FROM (SELECT n, (SELECT code FROM region_code r WHERE r.i = n % :nreg + 1)
                    || to_char(DATE '1962-01-01' + (random() * 14000)::int, 'YYYYMMDD')
                    || lpad(n::text, 3, '0') AS b
            FROM generate_series(1, 500) AS n) x;

-- The shell company: set up in October, its legal representative on the blacklist.
CREATE TEMP TABLE newco AS
  SELECT row_number() OVER (ORDER BY n)::int AS idx, co.* FROM co WHERE new_in_month;
SELECT n AS shell_n, name AS shell_name FROM newco WHERE idx = 1 \gset
SELECT 200 + 1 * 3 AS shell_rep \gset
UPDATE person SET name = '龙建波' WHERE n = :shell_rep;

SELECT '企业 enterprises' AS "主体 pool", count(*) AS "数量 count",
       count(*) FILTER (WHERE taxshare.uscc_valid(uscc)) AS "标识有效 valid",
       count(DISTINCT uscc) AS "不重复 distinct",
       count(*) FILTER (WHERE new_in_month) AS "本月新设 new in October"
  FROM co
UNION ALL
SELECT '个人 persons', count(*), count(*) FILTER (WHERE taxshare.idcard_valid(idcard)),
       count(DISTINCT idcard), NULL
  FROM person;

SELECT name AS "名称相近的企业 look-alike names", uscc, region
  FROM co WHERE trade = '华湘' ORDER BY n;

-- ---------------------------------------------------------------------------
-- 住建局 ZJJ: property sales (ZJ-SPF-001), sellers the developers, buyers
-- mostly residents; 税务局 SWJ: deed tax declarations (SW-QS-001).
CREATE TEMP TABLE sale AS
  SELECT k, dev.name AS seller_name, dev.uscc AS seller_uscc,
         CASE WHEN k % 20 = 10 THEN b.name ELSE p.name END AS buyer_name,
         CASE WHEN k % 20 = 10 THEN NULL ELSE p.idcard END AS buyer_idcard,
         CASE WHEN k % 20 = 10 THEN b.uscc END AS buyer_uscc,
         CASE WHEN k % 20 = 10 THEN '商业' WHEN k % 11 = 4 THEN '车位' ELSE '住宅' END AS house_use,
         round((70 + random() * 90)::numeric, 2) AS area,
         (5200 + random() * 3600)::int AS unit_price,
         DATE '2026-10-01' + (random() * 29)::int AS sign_date,
         dev.trade AS project
    FROM generate_series(1, 220) AS k
    JOIN co dev ON dev.g = 1 AND dev.j = (k * 7) % 16 + 1
    JOIN person p ON p.n = (k * 37) % 500 + 1
    LEFT JOIN co b ON b.g = 4 AND b.j = k % 40 + 2 AND NOT b.new_in_month;
ALTER TABLE sale ADD COLUMN price numeric;
UPDATE sale SET price = CASE house_use WHEN '车位' THEN 60000 + (k * 1373) % 90000
                                      ELSE round(area * unit_price, -2) END,
                area = CASE house_use WHEN '车位' THEN 13.2 ELSE area END;

-- a buyer whose ID ends in X, to be typed in lower case
SELECT min(k) AS xk FROM sale
 WHERE buyer_idcard LIKE '%X' AND k NOT IN (17, 29, 41, 52, 66, 74, 88, 93, 111, 120, 131, 148, 158, 171, 176, 187, 199, 203)
   AND k % 50 NOT IN (19, 33) AND k % 45 NOT IN (3, 8, 13) AND k % 30 <> 5 \gset
-- The batch as ZJJ's system exports it; "fixed" is the corrected resubmission.
CREATE FUNCTION pg_temp.spf_rows(fixed boolean, xk integer) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
         'contract_no', format('YS2026100%s', lpad(k::text, 4, '0')),
         'project_name', project || CASE WHEN house_use = '商业' THEN '商业广场' ELSE '花园' END,
         'seller_uscc', seller_uscc,
         'seller_name', seller_name,
         'buyer_name', CASE WHEN k IN (52, 148) AND NOT fixed THEN '' ELSE buyer_name END,
         'buyer_idcard', CASE WHEN buyer_idcard IS NULL THEN NULL
                              WHEN k IN (88, 171) AND NOT fixed THEN pg_temp.wrong_check(buyer_idcard)
                              WHEN k = xk THEN lower(buyer_idcard)
                              WHEN k % 50 = 19 THEN pg_temp.fullwidth(buyer_idcard)
                              WHEN k % 50 = 33 THEN substr(buyer_idcard, 1, 6) || ' ' || substr(buyer_idcard, 7, 8)
                                                    || ' ' || substr(buyer_idcard, 15)
                              ELSE buyer_idcard END,
         'buyer_uscc', CASE WHEN k % 60 = 30 THEN lower(buyer_uscc) ELSE buyer_uscc END,
         'house_address', format('衡阳市%s%s栋%s室', project, 1 + k % 12, 101 + k % 28),
         'house_use', CASE WHEN k = 111 AND NOT fixed THEN '商住' ELSE house_use END,
         'area', area,
         'price', CASE WHEN k % 30 = 5 THEN to_char(price, 'FM9,999,999,999.00') ELSE price::text END,
         'sign_date', CASE WHEN k % 45 = 3 THEN to_char(sign_date, 'YYYY/FMMM/FMDD')
                           WHEN k % 45 = 8 THEN to_char(sign_date, 'YYYYMMDD')
                           WHEN k % 45 = 13 THEN to_char(sign_date, 'YYYY"年"FMMM"月"FMDD"日"')
                           ELSE sign_date::text END,
         'record_date', (sign_date + 2)::text)) ORDER BY k)
    FROM sale
$$;
SELECT pg_temp.send('ZJ-SPF-001', 'ZJJ', pg_temp.spf_rows(false, :xk),
       TIMESTAMPTZ '2026-11-05 10:12:00+08', TIMESTAMPTZ '2026-11-06 09:30:00+08') AS spf_id \gset
-- ZJJ corrects the five rows sent back and resubmits the month within its
-- rectification window (it closes on the 5th working day after the receipt).
SELECT pg_temp.send('ZJ-SPF-001', 'ZJJ', pg_temp.spf_rows(true, :xk),
       TIMESTAMPTZ '2026-11-12 16:00:00+08', TIMESTAMPTZ '2026-11-13 09:00:00+08') AS spf_fixed_id \gset

-- Deed tax: one declaration per sale, except eight never declared and five
-- declared on a fraction of the price.
SELECT pg_temp.send('SW-QS-001', 'SWJ', jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
         'declaration_no', format('QS4304202610%s', lpad(k::text, 5, '0')),
         'taxpayer_id', coalesce(buyer_idcard, buyer_uscc),
         'taxpayer_name', buyer_name,
         'property_address', format('衡阳市%s%s栋%s室', project, 1 + k % 12, 101 + k % 28),
         'contract_no', format('YS2026100%s', lpad(k::text, 4, '0')),
         'tax_base', base,
         'tax_rate', rate,
         'tax_amount', round(base * rate, 2),
         'declared_on', (sign_date + 5)::text)) ORDER BY k),
       TIMESTAMPTZ '2026-11-09 16:40:00+08', TIMESTAMPTZ '2026-11-10 09:10:00+08') AS qs_id
  FROM (SELECT s.*, CASE WHEN k IN (29, 74, 131, 176, 199) THEN round(price * 0.45, -2) ELSE price END AS base,
               CASE WHEN house_use <> '住宅' THEN 0.03 WHEN area <= 90 THEN 0.01 ELSE 0.015 END AS rate
          FROM sale s WHERE k NOT IN (17, 41, 66, 93, 120, 158, 187, 203)) d \gset

-- ---------------------------------------------------------------------------
-- 自然资源和规划局 ZRZYJ: land transfers (ZRZY-CR-001), reported late; 税务局:
-- land-use tax of the fourth quarter (SW-TDSYS-001) for nine of the twelve.
CREATE TEMP TABLE land AS
  SELECT k, c.name, c.uscc, round((8000 + random() * 60000)::numeric, 2) AS area, c.trade
    FROM generate_series(1, 12) AS k JOIN co c ON c.g = 1 AND c.j = k;
SELECT pg_temp.send('ZRZY-CR-001', 'ZRZYJ', jsonb_agg(jsonb_build_object(
         'contract_no', format('衡自然资出让〔2026〕%s号', 40 + k),
         'parcel_no', format('HY2026-%s', lpad((110 + k)::text, 3, '0')),
         'location', format('衡阳市%s片区 %s 号地块', (ARRAY['白沙洲', '酃湖', '来雁新城', '松木'])[1 + k % 4], k),
         'land_use', CASE WHEN k % 4 = 0 THEN '商业用地' ELSE '城镇住宅用地' END,
         'area', area,
         'price', round(area * (2800 + k * 150), -3),
         'transferee_uscc', uscc,
         'transferee_name', name,
         'sign_date', (DATE '2026-10-09' + k)::text,
         'delivery_date', (DATE '2026-12-01' + k * 5)::text) ORDER BY k),
       TIMESTAMPTZ '2026-11-19 15:05:00+08', TIMESTAMPTZ '2026-11-20 10:00:00+08') AS cr_id
  FROM land \gset

SELECT pg_temp.send('SW-TDSYS-001', 'SWJ', jsonb_agg(jsonb_build_object(
         'taxpayer_id', uscc, 'taxpayer_name', name, 'parcel_location', loc,
         'taxable_area', area, 'unit_tax', 6, 'tax_amount', round(area * 6 / 4, 2)) ORDER BY uscc),
       TIMESTAMPTZ '2026-11-09 16:45:00+08', TIMESTAMPTZ '2026-11-10 09:12:00+08') AS tdsys_id
  FROM (SELECT uscc, name, area, '衡阳市 ' || trade || ' 项目地块' AS loc FROM land WHERE k NOT IN (1, 6, 11)
        UNION ALL
        SELECT uscc, name, round((2000 + random() * 20000)::numeric, 2), '衡阳市 ' || trade || ' 厂区'
          FROM co WHERE g IN (12, 13) AND j <= 15) t \gset

-- ---------------------------------------------------------------------------
-- 住建局: construction permits (ZJ-SGXK-001); 税务局: construction VAT prepaid
-- where the work is done (SW-JZYZZS-001): three builders prepaid nothing, two
-- a fifth of what is due.
CREATE TEMP TABLE permit AS
  SELECT k, o.name AS owner_name, o.uscc AS owner_uscc, b.j AS bj, b.name AS builder_name,
         b.uscc AS builder_uscc, round((8000000 + random() * 52000000)::numeric, -4) AS contract_amount,
         o.trade || (ARRAY['花园', '广场', '学府', '名城'])[1 + k % 4] || ' ' || (1 + k % 3) || ' 期' AS project
    FROM generate_series(1, 28) AS k
    JOIN co o ON o.g = 1 AND o.j = (k - 1) % 16 + 1
    JOIN co b ON b.g = 3 AND b.j = (k - 1) % 22 + 1;
SELECT pg_temp.send('ZJ-SGXK-001', 'ZJJ', jsonb_agg(jsonb_build_object(
         'permit_no', format('430400202610%s0101', lpad(k::text, 4, '0')),
         'project_name', project, 'project_address', '衡阳市' || project,
         'owner_uscc', owner_uscc, 'owner_name', owner_name,
         'builder_uscc', builder_uscc, 'builder_name', builder_name,
         'contract_amount', contract_amount,
         'floor_area', round(contract_amount / 2600),
         'issue_date', (DATE '2026-10-08' + k % 20)::text) ORDER BY k),
       TIMESTAMPTZ '2026-11-05 10:20:00+08', TIMESTAMPTZ '2026-11-06 09:35:00+08') AS sgxk_id
  FROM permit \gset
SELECT pg_temp.send('SW-JZYZZS-001', 'SWJ', jsonb_agg(jsonb_build_object(
         'taxpayer_id', builder_uscc, 'taxpayer_name', builder_name,
         'project_name', project, 'project_address', '衡阳市' || project,
         'sales_amount', contract_amount,
         'prepaid_tax', round(contract_amount / 1.09 * 0.02 * CASE WHEN bj IN (8, 16) THEN 0.2 ELSE 1 END, 2))
         ORDER BY k),
       TIMESTAMPTZ '2026-11-09 16:50:00+08', TIMESTAMPTZ '2026-11-10 09:14:00+08') AS jzyzzs_id
  FROM permit WHERE bj NOT IN (5, 13, 19) \gset

-- ---------------------------------------------------------------------------
-- 市场监督管理局 SCJGJ: October's new enterprises (SCJG-DJ-001) with the persons
-- behind them, and investors (SCJG-GD-001); 税务局: tax registrations
-- (SW-DJ-001) for all but five of them.
CREATE TEMP TABLE reg AS
  SELECT c.*, lr.name AS rep_name, lr.idcard AS rep_idcard,
         fh.name AS fin_name, fh.idcard AS fin_idcard,
         th.name AS th_name, th.idcard AS th_idcard
    FROM newco c
    JOIN person lr ON lr.n = 200 + c.idx * 3
    JOIN person fh ON fh.n = 201 + c.idx * 3
    JOIN person th ON th.n = CASE WHEN c.idx % 2 = 0 THEN 201 ELSE 202 END + c.idx * 3;
SELECT pg_temp.send('SCJG-DJ-001', 'SCJGJ', jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
         'uscc', uscc, 'name', name,
         'enterprise_type', CASE WHEN idx % 4 = 0 THEN '有限责任公司(自然人投资或控股)' ELSE '有限责任公司(自然人独资)' END,
         'address', format('衡阳市%s路%s号', (ARRAY['解放', '蒸湘', '船山', '先锋', '华新'])[1 + idx % 5], 10 + idx),
         'region', region,
         'phone', '0734-8' || lpad(((idx * 7919) % 1000000)::text, 6, '0'),
         'registered_capital', (ARRAY[50, 100, 200, 500, 1000])[1 + idx % 5],
         'established_on', CASE WHEN idx % 10 = 4 THEN to_char(established_on, 'YYYY"年"FMMM"月"FMDD"日"')
                                ELSE established_on::text END,
         'legal_rep_name', rep_name, 'legal_rep_idcard', rep_idcard,
         'finance_head_name', fin_name, 'finance_head_idcard', fin_idcard,
         'tax_handler_name', th_name,
         'tax_handler_idcard', CASE WHEN idx = 23 THEN pg_temp.wrong_check(th_idcard) ELSE th_idcard END))
         ORDER BY idx),
       TIMESTAMPTZ '2026-11-03 11:00:00+08', TIMESTAMPTZ '2026-11-04 09:00:00+08') AS dj_id
  FROM reg \gset

-- Investors: the legal representative, often a second person, sometimes a
-- developer; and the shareholders of four developers, filed in October.
SELECT pg_temp.send('SCJG-GD-001', 'SCJGJ', jsonb_agg(jsonb_strip_nulls(r) ORDER BY ord),
       TIMESTAMPTZ '2026-11-03 11:05:00+08', TIMESTAMPTZ '2026-11-04 09:02:00+08') AS gd_id
  FROM (SELECT idx * 10 AS ord, jsonb_build_object('uscc', uscc, 'name', name, 'investor_name', rep_name,
                 'investor_idcard', rep_idcard, 'share', CASE WHEN idx % 2 = 0 THEN 60 ELSE 100 END,
                 'subscribed', 30, 'changed_on', established_on::text) AS r
          FROM reg
        UNION ALL
        SELECT idx * 10 + 1, jsonb_build_object('uscc', r.uscc, 'name', r.name, 'investor_name', p.name,
                 'investor_idcard', p.idcard, 'share', 40, 'subscribed', 20,
                 'changed_on', r.established_on::text)
          FROM reg r JOIN person p ON p.n = 400 + r.idx
         WHERE r.idx % 2 = 0
        UNION ALL
        SELECT 1000 + 10 * k, jsonb_build_object('uscc', d.uscc, 'name', d.name, 'investor_name', p.name,
                 'investor_idcard', p.idcard, 'share', CASE WHEN k % 2 = 1 THEN 70 ELSE 30 END,
                 'subscribed', CASE WHEN k % 2 = 1 THEN 3500 ELSE 1500 END,
                 'changed_on', (DATE '2026-10-10' + k)::text)
          FROM generate_series(1, 8) AS k
          JOIN co d ON d.g = 1 AND d.j = (k + 1) / 2
          JOIN person p ON p.n = 460 + k
        UNION ALL
        -- the blacklisted person also holds 30% of another new company
        SELECT 5000, jsonb_build_object('uscc', r.uscc, 'name', r.name, 'investor_name', p.name,
                 'investor_idcard', p.idcard, 'share', 30, 'subscribed', 15, 'changed_on', r.established_on::text)
          FROM reg r JOIN person p ON p.n = :shell_rep WHERE r.idx = 9) x \gset

SELECT pg_temp.send('SW-DJ-001', 'SWJ', jsonb_agg(jsonb_build_object(
         'taxpayer_id', CASE WHEN idx % 11 = 0 THEN lower(uscc) ELSE uscc END,
         'taxpayer_name', CASE WHEN idx % 5 = 0 THEN trade || word || '（衡阳）有限责任公司' ELSE name END,
         'taxpayer_status', '正常',
         'address', format('衡阳市%s路%s号', (ARRAY['解放', '蒸湘', '船山', '先锋', '华新'])[1 + idx % 5], 10 + idx),
         'phone', '0734-8' || lpad(((idx * 7919) % 1000000)::text, 6, '0'),
         'registered_on', (established_on + 3 + idx % 9)::text) ORDER BY idx),
       TIMESTAMPTZ '2026-11-09 16:55:00+08', TIMESTAMPTZ '2026-11-10 09:16:00+08') AS swdj_id
  FROM reg WHERE idx NOT IN (1, 7, 19, 33, 44) \gset

-- ---------------------------------------------------------------------------
-- 人力资源和社会保障局 RSJ: insured headcount per employer (RS-SB-001).  The
-- first batch is rejected whole (the export cut the last character off every
-- code); the corrected batch follows three days later.  税务局: wage-tax
-- withholding headcount (SW-GSKJ-001): six employers withhold for far fewer.
CREATE TEMP TABLE employer AS
  SELECT c.n, c.j, c.g, c.name, c.uscc, c.trade, c.word, 5 + (random() * 120)::int AS insured,
         (random() * 2)::int AS drift
    FROM co c WHERE NOT c.new_in_month AND (c.n % 3 = 0 OR (c.g = 1 AND c.j = 1));
ALTER TABLE employer ADD COLUMN gap boolean NOT NULL DEFAULT false;
UPDATE employer SET gap = true, insured = greatest(insured, 40)
 WHERE (g = 1 AND j = 1) OR n IN (SELECT n FROM employer ORDER BY n OFFSET 5 LIMIT 5);
SELECT pg_temp.send('RS-SB-001', 'RSJ', jsonb_agg(jsonb_build_object(
         'employer_uscc', left(uscc, 17), 'employer_name', name, 'insured_count', insured,
         'wage_base_total', insured * 4650, 'paid_amount', round(insured * 4650 * 0.296, 2)) ORDER BY n),
       TIMESTAMPTZ '2026-11-06 10:00:00+08', TIMESTAMPTZ '2026-11-09 09:00:00+08') AS sb_rejected_id
  FROM employer \gset
SELECT pg_temp.send('RS-SB-001', 'RSJ', jsonb_agg(jsonb_build_object(
         'employer_uscc', CASE WHEN n % 13 = 0 THEN ' ' || lower(uscc) ELSE uscc END,
         'employer_name', name, 'insured_count', insured,
         'wage_base_total', to_char(insured * 4650, 'FM9,999,999.00'),
         'paid_amount', round(insured * 4650 * 0.296, 2)) ORDER BY n),
       TIMESTAMPTZ '2026-11-12 14:30:00+08', TIMESTAMPTZ '2026-11-13 09:00:00+08') AS sb_id
  FROM employer \gset
SELECT pg_temp.send('SW-GSKJ-001', 'SWJ', jsonb_agg(jsonb_build_object(
         'withholder_id', uscc, 'withholder_name', name,
         'withheld_count', CASE WHEN gap THEN insured * 3 / 10 ELSE insured - drift END,
         'income_total', (CASE WHEN gap THEN insured * 3 / 10 ELSE insured - drift END) * 6200,
         'tax_withheld', round((CASE WHEN gap THEN insured * 3 / 10 ELSE insured - drift END) * 6200 * 0.012, 2))
         ORDER BY n),
       TIMESTAMPTZ '2026-11-09 17:00:00+08', TIMESTAMPTZ '2026-11-10 09:18:00+08') AS gskj_id
  FROM employer WHERE n <> (SELECT max(n) FROM employer WHERE NOT gap) \gset

-- ---------------------------------------------------------------------------
-- 财政局 CZJ: treasury payments (CZ-GKZF-001), forwarded late by the exchange;
-- 税务局: invoices issued per seller (SW-FP-001).  The shell company and four
-- others invoiced nothing or too little; three sellers are reported without
-- their taxpayer ID, under another spelling of their name.
CREATE TEMP TABLE payee AS
  SELECT row_number() OVER (ORDER BY c.n)::int AS k, c.n, c.name, c.uscc, c.trade, c.word,
         round((50000 + random() * 1950000)::numeric, -2) AS amount
    FROM co c
   WHERE (c.g IN (2, 3, 5, 8, 10) AND c.n % 5 = 1 AND NOT c.new_in_month) OR c.n = :shell_n
      OR (c.g = 2 AND c.j = 1);
UPDATE payee SET amount = 860000 WHERE n = :shell_n;
SELECT pg_temp.send('CZ-GKZF-001', 'CZJ', jsonb_agg(jsonb_build_object(
         'voucher_no', format('GKZF20261%s', lpad(k::text, 5, '0')),
         'budget_unit', (ARRAY['衡阳市教育局', '衡阳市卫生健康委员会', '衡阳市城市管理和综合执法局',
                               '衡阳市交通运输局', '衡阳市文化旅游广电体育局'])[1 + k % 5],
         'payee_uscc', CASE WHEN k = 11 THEN pg_temp.wrong_check(uscc) ELSE uscc END,
         'payee_name', name,
         'payee_account', '4300' || lpad(((n * 7340033) % 100000000)::text, 8, '0') || '0521',
         'amount', amount,
         'purpose', (ARRAY['设备采购', '工程进度款', '物业服务费', '信息化运维服务', '宣传服务费'])[1 + k % 5],
         'paid_on', (DATE '2026-10-09' + k % 20)::text) ORDER BY k),
       TIMESTAMPTZ '2026-11-04 15:20:00+08', TIMESTAMPTZ '2026-11-10 08:50:00+08') AS gkzf_id
  FROM payee \gset
SELECT k AS gap_a, n AS gap_a_n FROM payee ORDER BY k OFFSET 3 LIMIT 1 \gset
SELECT pg_temp.send('SW-FP-001', 'SWJ', jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
         'seller_id', seller_id, 'seller_name', seller_name,
         'invoice_count', 3 + (total / 90000)::int,
         'amount_total', round(total / 1.06, 2), 'tax_total', total - round(total / 1.06, 2),
         'amount_with_tax', total)) ORDER BY seller_name),
       TIMESTAMPTZ '2026-11-09 17:05:00+08', TIMESTAMPTZ '2026-11-10 09:20:00+08') AS fp_id
  FROM (SELECT CASE WHEN k IN (6, 10) OR (trade = '华湘') THEN NULL ELSE uscc END AS seller_id,
               CASE WHEN k IN (6, 10) THEN trade || word || '有限责任公司'
                    WHEN trade = '华湘' THEN '华湘物业管理（衡阳）有限公司' ELSE name END AS seller_name,
               round(amount * CASE WHEN k = :gap_a + 4 THEN 0.5 ELSE 1.08 END, 2) AS total
          FROM payee
         WHERE n <> :shell_n AND k NOT IN (:gap_a, :gap_a + 8, :gap_a + 12)
        UNION ALL
        SELECT uscc, name, round((30000 + random() * 900000)::numeric, 2)
          FROM co WHERE n % 4 = 2 AND NOT new_in_month AND n NOT IN (SELECT n FROM payee)) f \gset

-- The blacklist (risk module): the shell company's legal representative.
SELECT to_regclass('taxshare.blacklist') IS NOT NULL AS has_blacklist \gset
\if :has_blacklist
INSERT INTO taxshare.blacklist (kind, idcard, name, reason, listed_on, source)
SELECT 'person', idcard, name, '虚开增值税发票案件当事人 (2025 年结案) / party to a false-invoicing case closed in 2025',
       DATE '2025-06-18', '衡阳市公安局经济犯罪侦查支队'
  FROM person WHERE n = :shell_rep;
\endif

\echo
\echo '== 报送批次 / the month''s submissions (as the exchange platform forwarded them) =='
SELECT s.id AS "批次 id", s.item_code AS "条目 item", s.unit_code AS "单位 unit",
       to_char(s.received_at_exchange, 'MM-DD HH24:MI') AS "交换平台 exchange",
       to_char(s.received_at, 'MM-DD') AS "平台 platform",
       s.status AS "状态 status", CASE WHEN s.superseded_by IS NULL THEN '' ELSE '已被 ' || s.superseded_by || ' 替代' END
         AS "替代 superseded",
       s.rows_accepted AS "通过 accepted", s.rows_rejected AS "退回 rejected",
       coalesce((SELECT string_agg(format('%s:%s×%s', r.field, r.code, r.rows), ', ' ORDER BY r.rows DESC, r.code)
                   FROM (SELECT * FROM taxshare.submission_report x
                          WHERE x.submission_id = s.id AND x.severity = 'error'
                          ORDER BY x.rows DESC, x.code LIMIT 3) r), '') AS "主要错误 top errors"
  FROM taxshare.submission s
 WHERE s.period_start = DATE '2026-10-01'
 ORDER BY s.received_at, s.id;

\echo
\echo '== 住建局网签批次的退回行 / rows of the property-sales batch sent back to ZJJ =='
SELECT code AS "错误代码 code", field AS "字段 field", rows AS "行数 rows", first_rows AS "行号 rows no.",
       example AS "说明 message"
  FROM taxshare.submission_report
 WHERE submission_id = :spf_id AND severity = 'error'
 ORDER BY rows DESC, code;

\echo
\echo '== 规范化后接收的写法 / values accepted after normalisation (ZJ-SPF-001) =='
SELECT r.row_no AS "行 row", x.raw AS "报送值 as sent", r.payload ->> x.field AS "入库值 stored"
  FROM (VALUES (:xk, 'buyer_idcard'), (19, 'buyer_idcard'), (33, 'buyer_idcard'), (3, 'sign_date'),
               (8, 'sign_date'), (13, 'sign_date'), (5, 'price')) AS v(k, field)
  JOIN sale s ON s.k = v.k
  CROSS JOIN LATERAL (SELECT v.field, CASE v.field
           WHEN 'buyer_idcard' THEN CASE v.k WHEN :xk THEN lower(s.buyer_idcard) WHEN 19 THEN pg_temp.fullwidth(s.buyer_idcard)
                                    ELSE substr(s.buyer_idcard, 1, 6) || ' ' || substr(s.buyer_idcard, 7, 8) || ' ' || substr(s.buyer_idcard, 15) END
           WHEN 'sign_date' THEN CASE v.k WHEN 3 THEN to_char(s.sign_date, 'YYYY/FMMM/FMDD') WHEN 8 THEN to_char(s.sign_date, 'YYYYMMDD')
                                 ELSE to_char(s.sign_date, 'YYYY"年"FMMM"月"FMDD"日"') END
           ELSE to_char(s.price, 'FM9,999,999,999.00') END AS raw) x
  JOIN taxshare.record r ON r.submission_id = :spf_id AND r.row_no = v.k
 ORDER BY v.field, v.k;
