-- division: administrative division codes (GB/T 2260), the code list that
-- values of catalog type "division" are checked against (the syntax and the
-- province part are checked in C, src/validate/value.c; membership in this list by the
-- validation glue).
--
-- Shipped: the 34 province-level divisions, and the whole of Hunan province
-- (430000) down to county level as coded in 2023: 14 prefecture-level
-- divisions and their 122 districts, counties and county-level cities,
-- including the changes of 2017-2021 (宁乡市 430182, 渌口区 430212,
-- 邵东市 430582, 祁阳市 431181).  A DBA adds other provinces with INSERT or
-- COPY; those rows (shipped = false) are kept by pg_dump.  Shipped rows are
-- recreated by CREATE EXTENSION and are not dumped, so an edit to a shipped
-- row does not survive dump and restore: add a corrected row instead, or
-- report the correction upstream.

CREATE TABLE taxshare.division (
  code     text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name     text NOT NULL CHECK (btrim(name) <> ''),
  -- no foreign key to code: a self-reference makes every pg_dump warn about
  -- circular constraints; the regression test checks the shipped parents
  parent   text CONSTRAINT division_parent_check
             CHECK (parent ~ '^[0-9]{6}$' AND parent <> code),
  shipped  boolean NOT NULL DEFAULT false
);
CREATE INDEX division_parent ON taxshare.division (parent);
COMMENT ON TABLE taxshare.division IS
  '行政区划代码表 (GB/T 2260): 全国省级及湖南省全部地、县级区划 / '
  'administrative division codes (GB/T 2260): all province-level divisions and all of Hunan province down to county level';
COMMENT ON COLUMN taxshare.division.code IS
  '6 位行政区划代码 / 6-digit division code';
COMMENT ON COLUMN taxshare.division.name IS
  '区划名称 / name of the division';
COMMENT ON COLUMN taxshare.division.parent IS
  '上级区划代码 (省级为空) / code of the enclosing division (null for a province)';
COMMENT ON COLUMN taxshare.division.shipped IS
  '随扩展安装的行 (不由 pg_dump 导出) / row installed with the extension (not dumped by pg_dump)';
INSERT INTO taxshare.privilege_plan VALUES ('table', 'division', 'rawd', 'r', 'r', 'r', 'r', 'r');
-- Only rows added by the DBA are dumped: the shipped ones come back with
-- CREATE EXTENSION, and dumping them too would make the restore fail on the
-- primary key.
SELECT pg_catalog.pg_extension_config_dump('taxshare.division', 'WHERE NOT shipped');

INSERT INTO taxshare.division (code, name, parent, shipped) VALUES
  ('110000', '北京市', NULL, true),
  ('120000', '天津市', NULL, true),
  ('130000', '河北省', NULL, true),
  ('140000', '山西省', NULL, true),
  ('150000', '内蒙古自治区', NULL, true),
  ('210000', '辽宁省', NULL, true),
  ('220000', '吉林省', NULL, true),
  ('230000', '黑龙江省', NULL, true),
  ('310000', '上海市', NULL, true),
  ('320000', '江苏省', NULL, true),
  ('330000', '浙江省', NULL, true),
  ('340000', '安徽省', NULL, true),
  ('350000', '福建省', NULL, true),
  ('360000', '江西省', NULL, true),
  ('370000', '山东省', NULL, true),
  ('410000', '河南省', NULL, true),
  ('420000', '湖北省', NULL, true),
  ('430000', '湖南省', NULL, true),
  ('440000', '广东省', NULL, true),
  ('450000', '广西壮族自治区', NULL, true),
  ('460000', '海南省', NULL, true),
  ('500000', '重庆市', NULL, true),
  ('510000', '四川省', NULL, true),
  ('520000', '贵州省', NULL, true),
  ('530000', '云南省', NULL, true),
  ('540000', '西藏自治区', NULL, true),
  ('610000', '陕西省', NULL, true),
  ('620000', '甘肃省', NULL, true),
  ('630000', '青海省', NULL, true),
  ('640000', '宁夏回族自治区', NULL, true),
  ('650000', '新疆维吾尔自治区', NULL, true),
  ('710000', '台湾省', NULL, true),
  ('810000', '香港特别行政区', NULL, true),
  ('820000', '澳门特别行政区', NULL, true);

-- Hunan: prefecture level.
INSERT INTO taxshare.division (code, name, parent, shipped) VALUES
  ('430100', '长沙市', '430000', true),
  ('430200', '株洲市', '430000', true),
  ('430300', '湘潭市', '430000', true),
  ('430400', '衡阳市', '430000', true),
  ('430500', '邵阳市', '430000', true),
  ('430600', '岳阳市', '430000', true),
  ('430700', '常德市', '430000', true),
  ('430800', '张家界市', '430000', true),
  ('430900', '益阳市', '430000', true),
  ('431000', '郴州市', '430000', true),
  ('431100', '永州市', '430000', true),
  ('431200', '怀化市', '430000', true),
  ('431300', '娄底市', '430000', true),
  ('433100', '湘西土家族苗族自治州', '430000', true);

-- Hunan: county level.
INSERT INTO taxshare.division (code, name, parent, shipped) VALUES
  -- 长沙市
  ('430102', '芙蓉区', '430100', true),
  ('430103', '天心区', '430100', true),
  ('430104', '岳麓区', '430100', true),
  ('430105', '开福区', '430100', true),
  ('430111', '雨花区', '430100', true),
  ('430112', '望城区', '430100', true),
  ('430121', '长沙县', '430100', true),
  ('430181', '浏阳市', '430100', true),
  ('430182', '宁乡市', '430100', true),
  -- 株洲市
  ('430202', '荷塘区', '430200', true),
  ('430203', '芦淞区', '430200', true),
  ('430204', '石峰区', '430200', true),
  ('430211', '天元区', '430200', true),
  ('430212', '渌口区', '430200', true),
  ('430223', '攸县', '430200', true),
  ('430224', '茶陵县', '430200', true),
  ('430225', '炎陵县', '430200', true),
  ('430281', '醴陵市', '430200', true),
  -- 湘潭市
  ('430302', '雨湖区', '430300', true),
  ('430304', '岳塘区', '430300', true),
  ('430321', '湘潭县', '430300', true),
  ('430381', '湘乡市', '430300', true),
  ('430382', '韶山市', '430300', true),
  -- 衡阳市
  ('430405', '珠晖区', '430400', true),
  ('430406', '雁峰区', '430400', true),
  ('430407', '石鼓区', '430400', true),
  ('430408', '蒸湘区', '430400', true),
  ('430412', '南岳区', '430400', true),
  ('430421', '衡阳县', '430400', true),
  ('430422', '衡南县', '430400', true),
  ('430423', '衡山县', '430400', true),
  ('430424', '衡东县', '430400', true),
  ('430426', '祁东县', '430400', true),
  ('430481', '耒阳市', '430400', true),
  ('430482', '常宁市', '430400', true),
  -- 邵阳市
  ('430502', '双清区', '430500', true),
  ('430503', '大祥区', '430500', true),
  ('430511', '北塔区', '430500', true),
  ('430522', '新邵县', '430500', true),
  ('430523', '邵阳县', '430500', true),
  ('430524', '隆回县', '430500', true),
  ('430525', '洞口县', '430500', true),
  ('430527', '绥宁县', '430500', true),
  ('430528', '新宁县', '430500', true),
  ('430529', '城步苗族自治县', '430500', true),
  ('430581', '武冈市', '430500', true),
  ('430582', '邵东市', '430500', true),
  -- 岳阳市
  ('430602', '岳阳楼区', '430600', true),
  ('430603', '云溪区', '430600', true),
  ('430611', '君山区', '430600', true),
  ('430621', '岳阳县', '430600', true),
  ('430623', '华容县', '430600', true),
  ('430624', '湘阴县', '430600', true),
  ('430626', '平江县', '430600', true),
  ('430681', '汨罗市', '430600', true),
  ('430682', '临湘市', '430600', true),
  -- 常德市
  ('430702', '武陵区', '430700', true),
  ('430703', '鼎城区', '430700', true),
  ('430721', '安乡县', '430700', true),
  ('430722', '汉寿县', '430700', true),
  ('430723', '澧县', '430700', true),
  ('430724', '临澧县', '430700', true),
  ('430725', '桃源县', '430700', true),
  ('430726', '石门县', '430700', true),
  ('430781', '津市市', '430700', true),
  -- 张家界市
  ('430802', '永定区', '430800', true),
  ('430811', '武陵源区', '430800', true),
  ('430821', '慈利县', '430800', true),
  ('430822', '桑植县', '430800', true),
  -- 益阳市
  ('430902', '资阳区', '430900', true),
  ('430903', '赫山区', '430900', true),
  ('430921', '南县', '430900', true),
  ('430922', '桃江县', '430900', true),
  ('430923', '安化县', '430900', true),
  ('430981', '沅江市', '430900', true),
  -- 郴州市
  ('431002', '北湖区', '431000', true),
  ('431003', '苏仙区', '431000', true),
  ('431021', '桂阳县', '431000', true),
  ('431022', '宜章县', '431000', true),
  ('431023', '永兴县', '431000', true),
  ('431024', '嘉禾县', '431000', true),
  ('431025', '临武县', '431000', true),
  ('431026', '汝城县', '431000', true),
  ('431027', '桂东县', '431000', true),
  ('431028', '安仁县', '431000', true),
  ('431081', '资兴市', '431000', true),
  -- 永州市
  ('431102', '零陵区', '431100', true),
  ('431103', '冷水滩区', '431100', true),
  ('431122', '东安县', '431100', true),
  ('431123', '双牌县', '431100', true),
  ('431124', '道县', '431100', true),
  ('431125', '江永县', '431100', true),
  ('431126', '宁远县', '431100', true),
  ('431127', '蓝山县', '431100', true),
  ('431128', '新田县', '431100', true),
  ('431129', '江华瑶族自治县', '431100', true),
  ('431181', '祁阳市', '431100', true),
  -- 怀化市
  ('431202', '鹤城区', '431200', true),
  ('431221', '中方县', '431200', true),
  ('431222', '沅陵县', '431200', true),
  ('431223', '辰溪县', '431200', true),
  ('431224', '溆浦县', '431200', true),
  ('431225', '会同县', '431200', true),
  ('431226', '麻阳苗族自治县', '431200', true),
  ('431227', '新晃侗族自治县', '431200', true),
  ('431228', '芷江侗族自治县', '431200', true),
  ('431229', '靖州苗族侗族自治县', '431200', true),
  ('431230', '通道侗族自治县', '431200', true),
  ('431281', '洪江市', '431200', true),
  -- 娄底市
  ('431302', '娄星区', '431300', true),
  ('431321', '双峰县', '431300', true),
  ('431322', '新化县', '431300', true),
  ('431381', '冷水江市', '431300', true),
  ('431382', '涟源市', '431300', true),
  -- 湘西土家族苗族自治州
  ('433101', '吉首市', '433100', true),
  ('433122', '泸溪县', '433100', true),
  ('433123', '凤凰县', '433100', true),
  ('433124', '花垣县', '433100', true),
  ('433125', '保靖县', '433100', true),
  ('433126', '古丈县', '433100', true),
  ('433127', '永顺县', '433100', true),
  ('433130', '龙山县', '433100', true);
