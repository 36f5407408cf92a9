-- #16: matching that holds on data we did not write (docs/matching.md).
--
-- The division table carries the full GB/T 2260 list (rows in
-- 31_matching_division_data.sql, generated like control/install/13_division_data.sql)
-- with the short form of each name and the abolished or renamed codes.
ALTER TABLE taxshare.division ADD COLUMN short_name text,
                              ADD COLUMN abolished boolean NOT NULL DEFAULT false;
COMMENT ON TABLE taxshare.division IS
  '行政区划代码表 (GB/T 2260): 全国省、地、县级区划, 含 2016 年以来撤销或更名的区划 / '
  'administrative division codes (GB/T 2260): every province-, prefecture- and county-level division, with those abolished or renamed since 2016';
COMMENT ON COLUMN taxshare.division.short_name IS
  '企业名称中使用的简称 (去掉"区""县""市"等后缀: 珠晖区 -> 珠晖); 无后缀可去时为空 / the short form used in company names (the name without its suffix), NULL when there is none';
COMMENT ON COLUMN taxshare.division.abolished IS
  '已撤销或更名的区划 (旧登记记录仍在使用) / abolished or renamed division (old registrations still carry it)';
SELECT taxshare._privileges_apply();
