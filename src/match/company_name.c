/*
 * company_name.c
 *		The parts of a Chinese company name.  Pure core: see company_name.h.
 *
 * The parser works from both ends of a normalised name, in this order:
 *	1. a branch marker at the very end (分公司 ...): the head office's name
 *	   ends with the last organisation form before it, and everything after
 *	   that form is the branch's own part;
 *	2. the organisation form at the end of the head's name (longest match);
 *	3. region levels at the start (a table of names, then a generic rule);
 *	4. bracket groups after that: (中国), (集团), or a region in brackets;
 *	5. industry words at the end of what remains (longest match, then up to
 *	   two more words before it); what is left is the 字号.
 * All matching is on UTF-8 bytes at character boundaries; every index stays
 * inside [0, len), whatever the bytes are.
 */
#include "match/company_name.h"

#include <stdint.h>
#include <string.h>

#include "match/similarity.h"

#define W(word) {word, sizeof(word) - 1, NULL}
#define WC(word, cls) {word, sizeof(word) - 1, cls}
#define LIT(word) word, (sizeof(word) - 1)

/*
 * 组织形式, after normalize_name() (so 有限责任公司 and 股份有限公司 are
 * already 有限公司 and 股份公司).  Companies (公司法 art. 7), partnerships
 * (合伙企业法 art. 15, 62: the bracketed forms), sole proprietorships,
 * co-operatives, and the forms individual businesses may use (个体工商户名称
 * 登记管理办法: 厂、店、馆、部、行、中心、工作室 ...; 部 and 行 only in
 * longer words, since they end many words that are not forms).  The parser
 * takes the longest match at the end of the name.
 */
const CompanyWord company_forms[] = {
	W("集团股份公司"), W("集团有限公司"), W("股份公司"), W("有限公司"), W("公司"),
	W("合伙企业(特殊普通合伙)"), W("合伙企业(普通合伙)"), W("合伙企业(有限合伙)"),
	W("(特殊普通合伙)"), W("(普通合伙)"), W("(有限合伙)"),
	W("特殊普通合伙"), W("普通合伙"), W("有限合伙"), W("合伙企业"),
	W("个人独资企业"), W("个体工商户"),
	W("农民专业合作社联合社"), W("农民专业合作社"), W("专业合作社"),
	W("股份经济合作社"), W("经济合作社"), W("合作社"), W("联合社"),
	W("集团"), W("事务所"), W("工作室"), W("中心"),
	W("商行"), W("经营部"), W("门市部"), W("服务部"), W("商店"),
	W("店"), W("厂"), W("馆"),
};
#define company_forms_count_c (sizeof(company_forms) / sizeof(company_forms[0]))
const size_t company_forms_count = company_forms_count_c;

/*
 * 分支机构: a branch's name is its head office's name, the place and 字号 of
 * the branch, and one of these words.
 */
const CompanyWord company_branch_markers[] = {
	W("分公司"), W("支公司"), W("分店"), W("营业部"), W("分部"), W("分厂"),
	W("办事处"), W("分行"), W("支行"), W("分理处"), W("分所"), W("分社"),
	W("分中心"), W("分院"),
};
#define company_markers_count_c (sizeof(company_branch_markers) / sizeof(company_branch_markers[0]))
const size_t company_branch_markers_count = company_markers_count_c;

/*
 * 行业或者经营特点, each with a class: two names whose industries fall in
 * different classes are different companies (华湘置业 is real estate, 华湘物业
 * property management).  Words of the class "general" say nothing about the
 * trade and never tell names apart.  Only words of two or more characters:
 * single characters end too many 字号 and person names.
 */
const CompanyWord company_industries[] = {
	WC("置业", "real_estate"), WC("房地产开发", "real_estate"), WC("房地产", "real_estate"),
	WC("地产", "real_estate"), WC("房产", "real_estate"), WC("房屋开发", "real_estate"),
	WC("物业", "property_management"), WC("物业管理", "property_management"),
	WC("物业服务", "property_management"),
	WC("建设", "construction"), WC("建筑", "construction"), WC("建工", "construction"),
	WC("工程", "construction"), WC("建设工程", "construction"), WC("建筑工程", "construction"),
	WC("市政工程", "construction"), WC("工程建设", "construction"), WC("路桥", "construction"),
	WC("城建", "construction"), WC("水利水电", "construction"),
	WC("装饰", "decoration"), WC("装修", "decoration"), WC("装饰工程", "decoration"),
	WC("建筑装饰", "decoration"), WC("装饰设计", "decoration"),
	WC("建材", "building_materials"), WC("钢材", "building_materials"),
	WC("水泥", "building_materials"), WC("石材", "building_materials"),
	WC("混凝土", "building_materials"), WC("商品混凝土", "building_materials"),
	WC("贸易", "trade"), WC("商贸", "trade"), WC("进出口", "trade"), WC("国际贸易", "trade"),
	WC("供应链", "trade"), WC("供应链管理", "trade"), WC("电子商务", "trade"),
	WC("科技", "technology"), WC("信息技术", "technology"), WC("技术", "technology"),
	WC("信息科技", "technology"),
	WC("网络科技", "technology"), WC("电子科技", "technology"), WC("智能科技", "technology"),
	WC("软件", "technology"), WC("网络", "technology"), WC("信息", "technology"),
	WC("电子", "technology"), WC("通信", "technology"), WC("计算机", "technology"),
	WC("投资", "investment"), WC("投资管理", "investment"), WC("资产管理", "investment"),
	WC("控股", "investment"), WC("股权投资", "investment"), WC("创业投资", "investment"),
	WC("实业", "general"), WC("发展", "general"), WC("管理", "general"), WC("服务", "general"),
	WC("餐饮", "catering"), WC("餐饮管理", "catering"), WC("餐饮服务", "catering"),
	WC("餐馆", "catering"), WC("饭店", "catering"), WC("饭馆", "catering"),
	WC("食府", "catering"), WC("小吃", "catering"), WC("酒楼", "catering"),
	WC("酒店", "hospitality"), WC("酒店管理", "hospitality"), WC("宾馆", "hospitality"),
	WC("旅馆", "hospitality"), WC("旅游", "hospitality"), WC("旅行社", "hospitality"),
	WC("物流", "logistics"), WC("运输", "logistics"), WC("货运", "logistics"),
	WC("快递", "logistics"), WC("仓储", "logistics"), WC("客运", "logistics"),
	WC("医药", "pharmaceuticals"), WC("药业", "pharmaceuticals"), WC("大药房", "pharmaceuticals"),
	WC("药房", "pharmaceuticals"), WC("医疗器械", "pharmaceuticals"), WC("制药", "pharmaceuticals"),
	WC("医疗", "health"), WC("医院", "health"), WC("诊所", "health"), WC("健康", "health"),
	WC("康复", "health"), WC("口腔", "health"),
	WC("农业", "agriculture"), WC("农业开发", "agriculture"), WC("农业科技", "agriculture"),
	WC("生态农业", "agriculture"), WC("林业", "agriculture"), WC("牧业", "agriculture"),
	WC("渔业", "agriculture"), WC("养殖", "agriculture"), WC("种植", "agriculture"),
	WC("农牧", "agriculture"), WC("茶业", "agriculture"), WC("种业", "agriculture"),
	WC("农产品", "agriculture"),
	WC("能源", "energy"), WC("新能源", "energy"), WC("电力", "energy"), WC("石油", "energy"),
	WC("燃气", "energy"), WC("石化", "energy"), WC("煤业", "energy"), WC("矿业", "energy"),
	WC("光伏", "energy"),
	WC("机械", "machinery"), WC("机械设备", "machinery"), WC("设备", "machinery"),
	WC("重工", "machinery"), WC("机电", "machinery"), WC("汽车配件", "machinery"),
	WC("汽车销售", "automotive"), WC("汽车服务", "automotive"), WC("汽车", "automotive"),
	WC("汽车贸易", "automotive"), WC("汽修", "automotive"), WC("汽车维修", "automotive"),
	WC("咨询", "consulting"), WC("管理咨询", "consulting"), WC("商务咨询", "consulting"),
	WC("企业管理", "consulting"), WC("财务咨询", "consulting"), WC("信息咨询", "consulting"),
	WC("会计服务", "consulting"),
	WC("会计师", "professional_services"), WC("律师", "professional_services"),
	WC("税务师", "professional_services"), WC("资产评估", "professional_services"),
	WC("设计", "professional_services"), WC("建筑设计", "professional_services"),
	WC("勘察设计", "professional_services"), WC("测绘", "professional_services"),
	WC("劳务", "labour"), WC("劳务派遣", "labour"), WC("人力资源", "labour"),
	WC("劳务服务", "labour"),
	WC("文化传媒", "culture_media"), WC("传媒", "culture_media"), WC("文化", "culture_media"),
	WC("文化传播", "culture_media"), WC("广告", "culture_media"), WC("影视", "culture_media"),
	WC("出版", "culture_media"),
	WC("教育", "education"), WC("培训", "education"), WC("教育科技", "education"),
	WC("教育咨询", "education"), WC("职业培训", "education"),
	WC("食品", "food"), WC("粮油", "food"), WC("饮料", "food"), WC("酒业", "food"),
	WC("饮品", "food"),
	WC("纺织", "textiles"), WC("服饰", "textiles"), WC("服装", "textiles"),
	WC("鞋业", "textiles"), WC("制衣", "textiles"),
	WC("化工", "chemicals"), WC("新材料", "chemicals"), WC("塑料", "chemicals"),
	WC("环保", "environment"), WC("环境", "environment"), WC("园林", "environment"),
	WC("绿化", "environment"), WC("环保科技", "environment"), WC("园林绿化", "environment"),
	WC("环境工程", "environment"),
	WC("银行", "finance"), WC("保险", "finance"), WC("证券", "finance"), WC("担保", "finance"),
	WC("小额贷款", "finance"), WC("融资租赁", "finance"), WC("典当", "finance"),
	WC("基金", "finance"), WC("信托", "finance"),
	WC("超市", "retail"), WC("百货", "retail"), WC("商场", "retail"), WC("便利", "retail"),
	WC("五金", "retail"), WC("烟酒", "retail"), WC("副食", "retail"),
	WC("家政", "services"), WC("保洁", "services"), WC("保安", "services"),
	WC("安保", "services"), WC("清洁", "services"),
	WC("印务", "printing"), WC("印刷", "printing"), WC("包装", "printing"), WC("纸业", "printing"),
	WC("水务", "utilities"), WC("供水", "utilities"), WC("自来水", "utilities"),
	WC("热力", "utilities"),
};
#define company_industries_count_c (sizeof(company_industries) / sizeof(company_industries[0]))
const size_t company_industries_count = company_industries_count_c;

/*
 * Region names: the full name and the bare name people write without the
 * suffix.  bare_ok: the bare name alone is taken as a region at the start of
 * a name (provinces, prefecture-level cities, county-level cities); the bare
 * names of counties and districts (衡山, 南岳 ...) are also common 字号 and
 * count only with their suffix.  parent links a division to the one it lies
 * in, so that 雁峰区 and 衡阳市 are not different regions.  Province-level
 * divisions, large cities elsewhere, and all of Hunan down to county level
 * (GB/T 2260 as of 2023, as in control/install/12_division.sql).  Other
 * names ending in a region suffix are found by the generic rule in
 * generic_region().
 */
typedef struct RegionName
{
	const char *full;
	size_t		full_len;
	const char *bare;
	size_t		bare_len;
	const char *parent;			/* bare name of the enclosing division, or NULL */
	size_t		parent_len;
	bool		bare_ok;
} RegionName;

#define P(full, bare) {LIT(full), LIT(bare), NULL, 0, true}
#define R(full, bare, parent) {LIT(full), LIT(bare), LIT(parent), true}
#define RC(full, bare, parent) {LIT(full), LIT(bare), LIT(parent), false}

static const RegionName region_names[] = {
	/* province level */
	P("北京市", "北京"), P("天津市", "天津"), P("河北省", "河北"), P("山西省", "山西"),
	P("内蒙古自治区", "内蒙古"), P("辽宁省", "辽宁"), P("吉林省", "吉林"),
	P("黑龙江省", "黑龙江"), P("上海市", "上海"), P("江苏省", "江苏"), P("浙江省", "浙江"),
	P("安徽省", "安徽"), P("福建省", "福建"), P("江西省", "江西"), P("山东省", "山东"),
	P("河南省", "河南"), P("湖北省", "湖北"), P("湖南省", "湖南"), P("广东省", "广东"),
	P("广西壮族自治区", "广西"), P("海南省", "海南"), P("重庆市", "重庆"),
	P("四川省", "四川"), P("贵州省", "贵州"), P("云南省", "云南"), P("西藏自治区", "西藏"),
	P("陕西省", "陕西"), P("甘肃省", "甘肃"), P("青海省", "青海"),
	P("宁夏回族自治区", "宁夏"), P("新疆维吾尔自治区", "新疆"), P("台湾省", "台湾"),
	P("香港特别行政区", "香港"), P("澳门特别行政区", "澳门"),
	/* provincial capitals and other large cities */
	R("石家庄市", "石家庄", "河北"), R("太原市", "太原", "山西"),
	R("呼和浩特市", "呼和浩特", "内蒙古"), R("沈阳市", "沈阳", "辽宁"), R("大连市", "大连", "辽宁"),
	R("长春市", "长春", "吉林"), R("哈尔滨市", "哈尔滨", "黑龙江"), R("南京市", "南京", "江苏"),
	R("苏州市", "苏州", "江苏"), R("杭州市", "杭州", "浙江"), R("宁波市", "宁波", "浙江"),
	R("合肥市", "合肥", "安徽"), R("福州市", "福州", "福建"), R("厦门市", "厦门", "福建"),
	R("南昌市", "南昌", "江西"), R("济南市", "济南", "山东"), R("青岛市", "青岛", "山东"),
	R("郑州市", "郑州", "河南"), R("武汉市", "武汉", "湖北"), R("广州市", "广州", "广东"),
	R("深圳市", "深圳", "广东"), R("南宁市", "南宁", "广西"), R("海口市", "海口", "海南"),
	R("成都市", "成都", "四川"), R("贵阳市", "贵阳", "贵州"), R("昆明市", "昆明", "云南"),
	R("拉萨市", "拉萨", "西藏"), R("西安市", "西安", "陕西"), R("兰州市", "兰州", "甘肃"),
	R("西宁市", "西宁", "青海"), R("银川市", "银川", "宁夏"), R("乌鲁木齐市", "乌鲁木齐", "新疆"),
	/* Hunan: prefectures, then each prefecture's districts, counties and cities */
	R("长沙市", "长沙", "湖南"), R("株洲市", "株洲", "湖南"), R("湘潭市", "湘潭", "湖南"), R("衡阳市", "衡阳", "湖南"),
	R("邵阳市", "邵阳", "湖南"), R("岳阳市", "岳阳", "湖南"), R("常德市", "常德", "湖南"), R("张家界市", "张家界", "湖南"),
	R("益阳市", "益阳", "湖南"), R("郴州市", "郴州", "湖南"), R("永州市", "永州", "湖南"), R("怀化市", "怀化", "湖南"),
	R("娄底市", "娄底", "湖南"), R("湘西土家族苗族自治州", "湘西", "湖南"), RC("芙蓉区", "芙蓉", "长沙"),
	RC("天心区", "天心", "长沙"), RC("岳麓区", "岳麓", "长沙"), RC("开福区", "开福", "长沙"),
	RC("雨花区", "雨花", "长沙"), RC("望城区", "望城", "长沙"), RC("长沙县", "长沙", "长沙"),
	R("浏阳市", "浏阳", "长沙"), R("宁乡市", "宁乡", "长沙"), RC("荷塘区", "荷塘", "株洲"), RC("芦淞区", "芦淞", "株洲"),
	RC("石峰区", "石峰", "株洲"), RC("天元区", "天元", "株洲"), RC("渌口区", "渌口", "株洲"), RC("攸县", "攸", "株洲"),
	RC("茶陵县", "茶陵", "株洲"), RC("炎陵县", "炎陵", "株洲"), R("醴陵市", "醴陵", "株洲"),
	RC("雨湖区", "雨湖", "湘潭"), RC("岳塘区", "岳塘", "湘潭"), RC("湘潭县", "湘潭", "湘潭"),
	R("湘乡市", "湘乡", "湘潭"), R("韶山市", "韶山", "湘潭"), RC("珠晖区", "珠晖", "衡阳"), RC("雁峰区", "雁峰", "衡阳"),
	RC("石鼓区", "石鼓", "衡阳"), RC("蒸湘区", "蒸湘", "衡阳"), RC("南岳区", "南岳", "衡阳"),
	RC("衡阳县", "衡阳", "衡阳"), RC("衡南县", "衡南", "衡阳"), RC("衡山县", "衡山", "衡阳"),
	RC("衡东县", "衡东", "衡阳"), RC("祁东县", "祁东", "衡阳"), R("耒阳市", "耒阳", "衡阳"), R("常宁市", "常宁", "衡阳"),
	RC("双清区", "双清", "邵阳"), RC("大祥区", "大祥", "邵阳"), RC("北塔区", "北塔", "邵阳"),
	RC("新邵县", "新邵", "邵阳"), RC("邵阳县", "邵阳", "邵阳"), RC("隆回县", "隆回", "邵阳"),
	RC("洞口县", "洞口", "邵阳"), RC("绥宁县", "绥宁", "邵阳"), RC("新宁县", "新宁", "邵阳"),
	RC("城步苗族自治县", "城步", "邵阳"), R("武冈市", "武冈", "邵阳"), R("邵东市", "邵东", "邵阳"),
	RC("岳阳楼区", "岳阳楼", "岳阳"), RC("云溪区", "云溪", "岳阳"), RC("君山区", "君山", "岳阳"),
	RC("岳阳县", "岳阳", "岳阳"), RC("华容县", "华容", "岳阳"), RC("湘阴县", "湘阴", "岳阳"),
	RC("平江县", "平江", "岳阳"), R("汨罗市", "汨罗", "岳阳"), R("临湘市", "临湘", "岳阳"), RC("武陵区", "武陵", "常德"),
	RC("鼎城区", "鼎城", "常德"), RC("安乡县", "安乡", "常德"), RC("汉寿县", "汉寿", "常德"), RC("澧县", "澧", "常德"),
	RC("临澧县", "临澧", "常德"), RC("桃源县", "桃源", "常德"), RC("石门县", "石门", "常德"),
	R("津市市", "津市", "常德"), RC("永定区", "永定", "张家界"), RC("武陵源区", "武陵源", "张家界"),
	RC("慈利县", "慈利", "张家界"), RC("桑植县", "桑植", "张家界"), RC("资阳区", "资阳", "益阳"),
	RC("赫山区", "赫山", "益阳"), RC("南县", "南", "益阳"), RC("桃江县", "桃江", "益阳"), RC("安化县", "安化", "益阳"),
	R("沅江市", "沅江", "益阳"), RC("北湖区", "北湖", "郴州"), RC("苏仙区", "苏仙", "郴州"),
	RC("桂阳县", "桂阳", "郴州"), RC("宜章县", "宜章", "郴州"), RC("永兴县", "永兴", "郴州"),
	RC("嘉禾县", "嘉禾", "郴州"), RC("临武县", "临武", "郴州"), RC("汝城县", "汝城", "郴州"),
	RC("桂东县", "桂东", "郴州"), RC("安仁县", "安仁", "郴州"), R("资兴市", "资兴", "郴州"),
	RC("零陵区", "零陵", "永州"), RC("冷水滩区", "冷水滩", "永州"), RC("东安县", "东安", "永州"),
	RC("双牌县", "双牌", "永州"), RC("道县", "道", "永州"), RC("江永县", "江永", "永州"), RC("宁远县", "宁远", "永州"),
	RC("蓝山县", "蓝山", "永州"), RC("新田县", "新田", "永州"), RC("江华瑶族自治县", "江华", "永州"),
	R("祁阳市", "祁阳", "永州"), RC("鹤城区", "鹤城", "怀化"), RC("中方县", "中方", "怀化"),
	RC("沅陵县", "沅陵", "怀化"), RC("辰溪县", "辰溪", "怀化"), RC("溆浦县", "溆浦", "怀化"),
	RC("会同县", "会同", "怀化"), RC("麻阳苗族自治县", "麻阳", "怀化"), RC("新晃侗族自治县", "新晃", "怀化"),
	RC("芷江侗族自治县", "芷江", "怀化"), RC("靖州苗族侗族自治县", "靖州", "怀化"), RC("通道侗族自治县", "通道", "怀化"),
	R("洪江市", "洪江", "怀化"), RC("娄星区", "娄星", "娄底"), RC("双峰县", "双峰", "娄底"),
	RC("新化县", "新化", "娄底"), R("冷水江市", "冷水江", "娄底"), R("涟源市", "涟源", "娄底"),
	R("吉首市", "吉首", "湘西"), RC("泸溪县", "泸溪", "湘西"), RC("凤凰县", "凤凰", "湘西"),
	RC("花垣县", "花垣", "湘西"), RC("保靖县", "保靖", "湘西"), RC("古丈县", "古丈", "湘西"),
	RC("永顺县", "永顺", "湘西"), RC("龙山县", "龙山", "湘西"),

};

#define REGION_NAMES_COUNT (sizeof(region_names) / sizeof(region_names[0]))

/*
 * The generic rule: 2 to 4 Chinese characters and one of these suffixes
 * (up to 10 characters before an autonomous suffix).  Longest first; the
 * first REGION_AUTONOMOUS_SUFFIXES are the autonomous ones.  州, 盟 and 旗
 * alone are left out: after two or more characters they end more words
 * (神州, 联盟, 红旗) than place names, and the places are in the table.
 */
typedef struct Word
{
	const char *s;
	size_t		len;
} Word;

#define WD(word) {LIT(word)}

static const Word region_suffixes[] = {
	WD("特别行政区"), WD("自治区"), WD("自治州"), WD("自治县"), WD("自治旗"),
	WD("省"), WD("市"), WD("县"), WD("区"),
};

#define REGION_AUTONOMOUS_SUFFIXES 5

#define REGION_SUFFIX_COUNT (sizeof(region_suffixes) / sizeof(region_suffixes[0]))

/* Words that end in a region suffix without being regions (小区, 市场 ...). */
static const Word not_region_endings[] = {
	WD("小区"), WD("社区"), WD("园区"), WD("景区"), WD("校区"), WD("街区"), WD("厂区"),
	WD("矿区"), WD("城区"), WD("片区"), WD("专区"), WD("新区"), WD("商区"), WD("营区"),
	WD("林区"), WD("牧区"), WD("辖区"), WD("分区"), WD("集市"), WD("超市"), WD("夜市"),
	WD("门市"), WD("城市"), WD("都市"), WD("股市"), WD("花市"), WD("菜市"), WD("鱼市"),
};

/* A suffix followed by one of these characters is the start of a word (市场, 区域). */
static const Word not_region_followers[] = {
	WD("市场"), WD("市政"), WD("市民"), WD("市容"), WD("区域"), WD("区块"), WD("县域"),
	WD("省际"), WD("省道"), WD("县道"),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Does the word w occur at s[pos..end)? */
static inline bool
has_at(const char *s, size_t pos, size_t end, const char *w, size_t wl)
{
	/* the last bytes of Chinese characters differ most: compare one first */
	return wl > 0 && pos <= end && end - pos >= wl && s[pos + wl - 1] == w[wl - 1] &&
		memcmp(s + pos, w, wl) == 0;
}

/* Does s[from..end) end with w? */
static inline bool
ends_with(const char *s, size_t from, size_t end, const char *w, size_t wl)
{
	return wl > 0 && from <= end && end - from >= wl && s[end - 1] == w[wl - 1] &&
		memcmp(s + end - wl, w, wl) == 0;
}

/*
 * Does s[from..to) hold at least n characters (code points, stray bytes one
 * each)?  Stops counting at n.
 */
static bool
at_least_chars(const char *s, size_t from, size_t to, size_t n)
{
	size_t		k = 0;

	while (k < n && from < to)
	{
		from += sim_char_len(s + from, to - from);
		k++;
	}
	return k >= n;
}

/*
 * The word tables hold Chinese characters (three bytes each in UTF-8) and
 * ASCII brackets only, so a table word has more than one character exactly
 * when it is longer than three bytes.
 */
#define WORD_HAS_2_CHARS(len) ((len) > 3)

/*
 * The word lists indexed by one byte, so that a lookup reads one bucket
 * instead of the whole list: suffix lists by their last byte, region names
 * by their third byte (the last byte of their first character; every region
 * name has at least three bytes).  Built on first use from the constant
 * tables and never changed afterwards, so there is nothing to invalidate.
 */
#define INDEX_MAX_ITEMS 512

typedef struct ByteIndex
{
	uint16_t	start[257];		/* bucket b is item[start[b] .. start[b + 1]) */
	uint16_t	item[INDEX_MAX_ITEMS];
} ByteIndex;

/* The tables fit (C99 has no static_assert: a negative array size fails to compile). */
typedef char forms_fit_index[company_forms_count_c <= INDEX_MAX_ITEMS ? 1 : -1];
typedef char industries_fit_index[company_industries_count_c <= INDEX_MAX_ITEMS ? 1 : -1];
typedef char markers_fit_index[company_markers_count_c <= INDEX_MAX_ITEMS ? 1 : -1];
typedef char regions_fit_index[2 * REGION_NAMES_COUNT <= INDEX_MAX_ITEMS ? 1 : -1];

static bool index_ready = false;
static ByteIndex forms_index;
static ByteIndex markers_index;
static ByteIndex industries_index;
static ByteIndex regions_index;	/* item 2i: full name of entry i, 2i + 1: its bare name */

/* Counting sort of n items by key[i]. */
static void
index_build(ByteIndex *ix, const unsigned char *key, size_t n)
{
	uint16_t	fill[256];

	memset(ix->start, 0, sizeof(ix->start));
	for (size_t i = 0; i < n; i++)
		ix->start[key[i] + 1]++;
	for (int b = 0; b < 256; b++)
		ix->start[b + 1] += ix->start[b];
	memcpy(fill, ix->start, sizeof(fill));
	for (size_t i = 0; i < n; i++)
		ix->item[fill[key[i]]++] = (uint16_t) i;
}

static void
index_words(ByteIndex *ix, const CompanyWord *list, size_t n)
{
	unsigned char key[INDEX_MAX_ITEMS];

	for (size_t i = 0; i < n; i++)
		key[i] = (unsigned char) list[i].word[list[i].len - 1];
	index_build(ix, key, n);
}

static void
ensure_index(void)
{
	unsigned char key[INDEX_MAX_ITEMS];

	if (index_ready)
		return;
	index_words(&forms_index, company_forms, company_forms_count);
	index_words(&markers_index, company_branch_markers, company_branch_markers_count);
	index_words(&industries_index, company_industries, company_industries_count);
	for (size_t i = 0; i < REGION_NAMES_COUNT; i++)
	{
		key[2 * i] = (unsigned char) region_names[i].full[2];
		key[2 * i + 1] = (unsigned char) region_names[i].bare[2];
	}
	index_build(&regions_index, key, 2 * REGION_NAMES_COUNT);
	index_ready = true;
}

/*
 * A CJK unified ideograph (basic block and extension A, U+3400..U+9FFF) at
 * s[pos..end)?  Its length (3), or 0.  These are exactly the well-formed
 * three-byte sequences with lead byte E3 (from U+3400) to E9.
 */
static size_t
cjk_at(const char *s, size_t pos, size_t end)
{
	const unsigned char *p = (const unsigned char *) s + pos;
	uint32_t	cp;

	if (pos >= end || end - pos < 3 || p[0] < 0xE3 || p[0] > 0xE9 ||
		(p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return 0;
	cp = ((uint32_t) (p[0] & 0x0F) << 12) | ((uint32_t) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	return cp >= 0x3400 ? 3 : 0;
}

/*
 * A region name of the generic form at s[pos..end): bytes taken, 0 if none.
 * The first suffix that follows 2 to 4 ideographs (10 for the autonomous
 * suffixes) ends the name, unless the word it makes is not a region.
 */
static size_t
generic_region(const char *s, size_t pos, size_t end)
{
	size_t		p = pos;

	for (int nchars = 1; nchars <= 10; nchars++)
	{
		size_t		k = cjk_at(s, p, end);

		if (k == 0)
			return 0;
		p += k;
		if (nchars < 2)
			continue;
		for (size_t i = 0; i < REGION_SUFFIX_COUNT; i++)
		{
			const char *suf = region_suffixes[i].s;
			size_t		sl = region_suffixes[i].len;
			bool		autonomous = (i < REGION_AUTONOMOUS_SUFFIXES);
			bool		rejected = false;

			if (!has_at(s, p, end, suf, sl))
				continue;
			if (!autonomous && nchars > 4)
				continue;
			for (size_t j = 0; j < COUNT(not_region_endings) && !rejected; j++)
				rejected = ends_with(s, pos, p + sl, not_region_endings[j].s,
									 not_region_endings[j].len);
			for (size_t j = 0; j < COUNT(not_region_followers) && !rejected; j++)
			{
				/* the follower words all start with a one-character suffix */
				const Word *f = &not_region_followers[j];

				rejected = (sl == 3 && memcmp(f->s, suf, 3) == 0 &&
							has_at(s, p, end, f->s, f->len));
			}
			if (rejected)
				break;			/* this suffix is taken by a word; try longer */
			return p + sl - pos;
		}
	}
	return 0;
}

/*
 * A region name at s[pos..end): bytes taken (0 if none).  The table first
 * (longest full name, or a bare name where bare names count), then the
 * generic rule.
 */
static size_t
region_at(const char *s, size_t pos, size_t end)
{
	size_t		best = 0;

	if (end - pos >= 3)
	{
		unsigned char b = (unsigned char) s[pos + 2];

		for (uint16_t j = regions_index.start[b]; j < regions_index.start[b + 1]; j++)
		{
			const RegionName *r = &region_names[regions_index.item[j] / 2];
			bool		bare = regions_index.item[j] % 2;
			const char *w = bare ? r->bare : r->full;
			size_t		wl = bare ? r->bare_len : r->full_len;

			if (wl > best && (!bare || r->bare_ok) && has_at(s, pos, end, w, wl))
				best = wl;
		}
	}
	if (best > 0)
		return best;
	return generic_region(s, pos, end);
}

/*
 * A region name (any table name, full or bare, of two or more characters)
 * that ends exactly at end and starts at or after from: its start, or end.
 */
static size_t
region_ending_at(const char *s, size_t from, size_t end)
{
	size_t		best = end;

	for (size_t i = 0; i < REGION_NAMES_COUNT; i++)
	{
		const RegionName *r = &region_names[i];
		size_t		fl = r->full_len;
		size_t		bl = r->bare_len;

		if (ends_with(s, from, end, r->full, fl) && end - fl < best)
			best = end - fl;
		if (WORD_HAS_2_CHARS(bl) && ends_with(s, from, end, r->bare, bl) &&
			end - bl < best)
			best = end - bl;
	}
	return best;
}

/*
 * The longest word of an indexed list that ends s[from..end) and leaves
 * min_left characters before it.
 */
static const CompanyWord *
longest_suffix(const CompanyWord *list, const ByteIndex *ix, const char *s, size_t from,
			   size_t end, size_t min_left)
{
	const CompanyWord *best = NULL;
	size_t		best_len = 0;
	unsigned char b;

	if (end <= from)
		return NULL;
	b = (unsigned char) s[end - 1];
	for (uint16_t j = ix->start[b]; j < ix->start[b + 1]; j++)
	{
		const CompanyWord *w = &list[ix->item[j]];

		if (w->len > best_len && ends_with(s, from, end, w->word, w->len) &&
			at_least_chars(s, from, end - w->len, min_left))
		{
			best = w;
			best_len = w->len;
		}
	}
	return best;
}

/*
 * Industry words at the end of s[from..end), leaving at least min_left
 * characters: the longest word, then up to two more words before it as long
 * as two characters are left for the 字号 (置业发展, 新能源科技).  Returns the
 * start of the industry (end if none) and its class: that of the leftmost
 * word not of class "general", else "general".
 */
static size_t
find_industry(const char *s, size_t from, size_t end, size_t min_left, const char **cls)
{
	const CompanyWord *w = longest_suffix(company_industries, &industries_index,
										  s, from, end, min_left);
	size_t		start;
	const char *c;

	*cls = NULL;
	if (w == NULL)
		return end;
	start = end - w->len;
	c = w->info;
	for (int more = 0; more < 2; more++)
	{
		const CompanyWord *v = longest_suffix(company_industries, &industries_index,
											  s, from, start, 2);

		if (v == NULL)
			break;
		start -= v->len;
		if (strcmp(v->info, COMPANY_INDUSTRY_GENERAL) != 0)
			c = v->info;
	}
	*cls = c;
	return start;
}

/*
 * Where the head office's name ends in a branch name whose marker starts at
 * mstart: just after the last organisation form of two or more characters
 * before the marker; 0 if there is none.
 */
static size_t
head_end(const char *s, size_t mstart)
{
	size_t		best = 0;

	for (size_t pos = 0; pos < mstart; pos += sim_char_len(s + pos, mstart - pos))
	{
		for (size_t i = 0; i < company_forms_count; i++)
		{
			const char *f = company_forms[i].word;
			size_t		fl = company_forms[i].len;

			if (WORD_HAS_2_CHARS(fl) && has_at(s, pos, mstart, f, fl) &&
				pos + fl > best)
				best = pos + fl;
		}
	}
	return best;
}

static CompanyNameSpan
span(size_t from, size_t to)
{
	CompanyNameSpan sp;

	sp.off = from;
	sp.len = to > from ? to - from : 0;
	return sp;
}

static const RegionName *region_lookup(const char *s, size_t off, size_t len, bool *by_full);
static const RegionName *region_parent(const RegionName *r);
static bool level_same(const char *a, size_t aoff, size_t alen,
					   const char *b, size_t boff, size_t blen);

/*
 * May the region level s[off, off + len) follow the level s[poff, poff +
 * plen)?  Not when the table knows both and the second does not lie in the
 * first: 常德市南昌 is the city 常德 and the 字号 南昌, not two levels.
 */
static bool
level_may_follow(const char *s, size_t poff, size_t plen, size_t off, size_t len)
{
	bool		by_full;
	const RegionName *prev = region_lookup(s, poff, plen, &by_full);
	const RegionName *up = region_lookup(s, off, len, &by_full);

	if (prev == NULL || up == NULL)
		return true;
	up = region_parent(up);
	for (int depth = 0; up != NULL && depth < 3; depth++, up = region_parent(up))
		if (level_same(s, poff, plen, up->full, 0, up->full_len))
			return true;
	return false;
}

#define MAX_CUTS 4
#define MAX_PIECES (MAX_CUTS + 1)
#define MAX_REGION_LEVELS COMPANY_MAX_REGION_LEVELS

bool
company_name_parse(const char *s, size_t len, CompanyName *out)
{
	size_t		end = len;		/* end of the head office's name */
	size_t		fend;			/* end of what precedes the form */
	size_t		levels[MAX_REGION_LEVELS + 1];
	int			nlevels = 0;
	size_t		bs;				/* start of the body: 字号 and industry */
	size_t		cut_from[MAX_CUTS],
				cut_to[MAX_CUTS];
	int			ncuts = 0;
	size_t		piece_from[MAX_PIECES],
				piece_to[MAX_PIECES];
	int			npieces = 0;
	CompanyNameSpan bracket_region = {0, 0};
	const CompanyWord *w;

	ensure_index();
	memset(out, 0, sizeof(*out));
	if (len > COMPANY_NAME_MAX_BYTES)
	{
		/* not a name: no parts, the whole string is the 字号 */
		out->trade_name = span(0, len);
		return false;
	}

	/* 1. A branch: the head office's name, the branch's own part, a marker. */
	w = longest_suffix(company_branch_markers, &markers_index, s, 0, len, 1);
	if (w != NULL)
	{
		size_t		mstart = len - w->len;
		size_t		hend = head_end(s, mstart);

		if (hend == 0)
			hend = region_ending_at(s, 0, mstart);
		if (hend > 0)
		{
			out->is_branch = true;
			out->branch = span(hend, len);
			end = hend;
		}
	}

	/* 2. The organisation form at the end of the head's name. */
	w = longest_suffix(company_forms, &forms_index, s, 0, end, 1);
	fend = end;
	if (w != NULL)
	{
		const char *cls;
		size_t		wl = w->len;

		/*
		 * A one-character form that ends an industry word is part of that
		 * word: 华湘大酒店 is a hotel, not a 店 of 华湘大酒.
		 */
		if (!WORD_HAS_2_CHARS(wl) && find_industry(s, 0, end, 1, &cls) < end - wl)
			w = NULL;
	}
	if (w != NULL)
	{
		fend = end - w->len;
		out->form = span(fend, end);
		out->group = has_at(w->word, 0, w->len, LIT("集团"));
	}

	/* 3. Region levels at the start; at least one character stays after them. */
	levels[0] = 0;
	bs = 0;
	while (nlevels < MAX_REGION_LEVELS)
	{
		size_t		k = region_at(s, bs, fend);

		if (k == 0 || bs + k >= fend)
			break;
		if (nlevels > 0 &&
			!level_may_follow(s, levels[nlevels - 1], bs - levels[nlevels - 1], bs, k))
			break;
		bs += k;
		levels[++nlevels] = bs;
	}

	/* 4. Bracket groups in the body: (中国), (集团), (衡阳). */
	for (size_t p = bs; p < fend && ncuts < MAX_CUTS; p++)
	{
		size_t		q;
		size_t		inner;

		if (s[p] != '(')
			continue;
		for (q = p + 1; q < fend && s[q] != ')' && s[q] != '('; q++)
			;
		if (q >= fend || s[q] != ')')
			continue;
		inner = q - (p + 1);
		if (inner == sizeof("中国") - 1 && has_at(s, p + 1, q, LIT("中国")))
			out->china = true;
		else if (inner == sizeof("集团") - 1 && has_at(s, p + 1, q, LIT("集团")))
			out->group = true;
		else if (inner > 0 && bracket_region.len == 0 && region_at(s, p + 1, q) == inner)
			bracket_region = span(p + 1, q);
		else
			continue;
		cut_from[ncuts] = p;
		cut_to[ncuts] = q + 1;
		ncuts++;
		p = q;
	}

	/* The body's pieces between the cuts. */
	{
		size_t		from = bs;

		for (int c = 0; c <= ncuts; c++)
		{
			size_t		to = (c < ncuts) ? cut_from[c] : fend;

			if (to > from)
			{
				piece_from[npieces] = from;
				piece_to[npieces] = to;
				npieces++;
			}
			if (c < ncuts)
				from = cut_to[c];
		}
	}

	/* 5. Industry and 字号. */
	if (npieces == 0)
	{
		/* nothing but region and form: the last region level is the 字号 */
		if (nlevels > 0)
		{
			out->trade_name = span(levels[nlevels - 1], levels[nlevels]);
			nlevels--;
		}
	}
	else
	{
		size_t		f0 = piece_from[0],
					t0 = piece_to[0];
		const char *cls;
		size_t		istart = find_industry(s, f0, t0, 1, &cls);

		if (istart < t0)
		{
			out->industry = span(istart, t0);
			out->industry_class = cls;
			out->trade_name = span(f0, istart);
		}
		else if (npieces > 1)
		{
			/* 华湘(衡阳)置业: the words after the bracket are the industry */
			size_t		fl = piece_from[npieces - 1],
						tl = piece_to[npieces - 1];

			(void) find_industry(s, fl, tl, 0, &cls);
			out->industry = span(fl, tl);
			out->industry_class = cls;
			out->trade_name = span(f0, t0);
		}
		else if (nlevels > 0 && find_industry(s, f0, t0, 0, &cls) == f0)
		{
			/* 衡阳置业: the region is the 字号 */
			out->industry = span(f0, t0);
			out->industry_class = cls;
			out->trade_name = span(levels[nlevels - 1], levels[nlevels]);
			nlevels--;
		}
		else
			out->trade_name = span(f0, t0);
	}

	if (nlevels > 0)
	{
		out->region = span(0, levels[nlevels]);
		out->region_levels = nlevels;
		for (int i = 0; i < nlevels; i++)
			out->region_level[i] = span(levels[i], levels[i + 1]);
		out->region_last = out->region_level[nlevels - 1];
	}
	else if (bracket_region.len > 0)
	{
		out->region = bracket_region;
		out->region_levels = 1;
		out->region_level[0] = bracket_region;
		out->region_last = bracket_region;
		out->region_bracketed = true;
	}

	out->is_company = out->form.len > 0 || out->industry.len > 0 || out->is_branch;
	return out->is_company;
}

size_t
company_name_key(const char *s, size_t len, char *out)
{
	CompanyName cn;
	const char *from = s;
	size_t		n = len;

	company_name_parse(s, len, &cn);
	if (cn.trade_name.len > 0)
	{
		from = s + cn.trade_name.off;
		n = cn.trade_name.len;
	}
	memmove(out, from, n);
	out[n] = '\0';
	return n;
}

/*
 * The table entry of a region level: by full name, else by bare name (the
 * entries whose bare name stands alone first: 衡阳 is the city, not the
 * county).  *by_full tells which matched.
 */
static const RegionName *
region_lookup(const char *s, size_t off, size_t len, bool *by_full)
{
	const RegionName *by_bare = NULL;
	unsigned char b;

	*by_full = false;
	if (len < 3)
		return NULL;
	b = (unsigned char) s[off + 2];
	for (uint16_t j = regions_index.start[b]; j < regions_index.start[b + 1]; j++)
	{
		const RegionName *r = &region_names[regions_index.item[j] / 2];

		if (regions_index.item[j] % 2 == 0)
		{
			if (r->full_len == len && memcmp(s + off, r->full, len) == 0)
			{
				*by_full = true;
				return r;
			}
		}
		else if (r->bare_len == len && memcmp(s + off, r->bare, len) == 0 &&
				 (by_bare == NULL || (r->bare_ok && !by_bare->bare_ok)))
			by_bare = r;
	}
	return by_bare;
}

/*
 * A region level as base name and suffix: a table name gives its bare name
 * and the rest (衡阳市 -> 衡阳 + 市, 湘西土家族苗族自治州 -> 湘西 + ...); a bare
 * table name has no suffix; anything else loses its longest generic suffix.
 */
static void
region_base(const char *s, size_t off, size_t len, size_t *base_len,
			const char **base, const char **suffix, size_t *suffix_len)
{
	const RegionName *r;
	bool		by_full;

	*base = s + off;
	*base_len = len;
	*suffix = "";
	*suffix_len = 0;
	r = region_lookup(s, off, len, &by_full);
	if (r != NULL)
	{
		*base = r->bare;
		*base_len = r->bare_len;
		if (by_full)
		{
			*suffix = r->full + r->bare_len;	/* every bare name is a prefix of its full name */
			*suffix_len = r->full_len - r->bare_len;
		}
		return;
	}
	for (size_t i = 0; i < REGION_SUFFIX_COUNT; i++)
	{
		size_t		sl = region_suffixes[i].len;

		if (ends_with(s, off, off + len, region_suffixes[i].s, sl) && len > sl)
		{
			*base_len = len - sl;
			*suffix = region_suffixes[i].s;
			*suffix_len = sl;
			return;
		}
	}
}

/*
 * Two region levels: 1 the same place as far as the names tell (衡阳 ~
 * 衡阳市), -1 the same name with different suffixes (衡阳市, 衡阳县: two
 * places), 0 different names.
 */
static int
level_cmp(const char *a, size_t aoff, size_t alen, const char *b, size_t boff, size_t blen)
{
	const char *ba,
			   *bb,
			   *sa,
			   *sb;
	size_t		bal,
				bbl,
				sal,
				sbl;

	region_base(a, aoff, alen, &bal, &ba, &sa, &sal);
	region_base(b, boff, blen, &bbl, &bb, &sb, &sbl);
	if (bal != bbl || memcmp(ba, bb, bal) != 0)
		return 0;
	if (sal == 0 || sbl == 0 || (sal == sbl && memcmp(sa, sb, sal) == 0))
		return 1;
	return -1;
}

static bool
level_same(const char *a, size_t aoff, size_t alen, const char *b, size_t boff, size_t blen)
{
	return level_cmp(a, aoff, alen, b, boff, blen) == 1;
}

/* The entry of the division that r lies in, or NULL. */
static const RegionName *
region_parent(const RegionName *r)
{
	bool		by_full;

	if (r == NULL || r->parent == NULL)
		return NULL;
	return region_lookup(r->parent, 0, r->parent_len, &by_full);
}

/*
 * Is the level last (of string l) one of the levels of region r (of string
 * s), or a division that one of them lies in?
 */
static bool
level_in_region(const char *l, CompanyNameSpan last, const char *s, const CompanyName *r)
{
	for (int i = 0; i < r->region_levels; i++)
	{
		CompanyNameSpan lv = r->region_level[i];
		const RegionName *up;
		bool		by_full;

		if (level_same(l, last.off, last.len, s, lv.off, lv.len))
			return true;
		/* 3 steps up reach the province from any entry of the table */
		up = region_parent(region_lookup(s, lv.off, lv.len, &by_full));
		for (int depth = 0; up != NULL && depth < 3; depth++, up = region_parent(up))
			if (level_same(l, last.off, last.len, up->full, 0, up->full_len))
				return true;
	}
	return false;
}

CompanyPartCmp
company_name_region_cmp(const char *a, const CompanyName *pa, const char *b,
						const CompanyName *pb)
{
	ensure_index();
	if (pa->region.len == 0 || pb->region.len == 0)
		return COMPANY_PART_MISSING;
	/* 衡阳市 and 衡阳县: the county lies in the city, but the names say two places */
	if (level_cmp(a, pa->region_last.off, pa->region_last.len,
				  b, pb->region_last.off, pb->region_last.len) < 0)
		return COMPANY_PART_DIFFERENT;
	if (level_in_region(a, pa->region_last, b, pb) ||
		level_in_region(b, pb->region_last, a, pa))
		return COMPANY_PART_SAME;
	return COMPANY_PART_DIFFERENT;
}

CompanyPartCmp
company_name_industry_cmp(const CompanyName *pa, const CompanyName *pb)
{
	const char *ca = pa->industry_class;
	const char *cb = pb->industry_class;

	if (ca == NULL || cb == NULL || strcmp(ca, COMPANY_INDUSTRY_GENERAL) == 0 ||
		strcmp(cb, COMPANY_INDUSTRY_GENERAL) == 0)
		return COMPANY_PART_MISSING;
	return strcmp(ca, cb) == 0 ? COMPANY_PART_SAME : COMPANY_PART_DIFFERENT;
}

static size_t
append(char *out, size_t n, const char *s, CompanyNameSpan sp)
{
	memcpy(out + n, s + sp.off, sp.len);
	return n + sp.len;
}

size_t
company_name_compare_form(const char *s, const CompanyName *cn, int flags, char *out)
{
	size_t		n = 0;

	if (flags & COMPANY_CMP_REGION)
		n = append(out, n, s, cn->region_last);
	n = append(out, n, s, cn->trade_name);
	n = append(out, n, s, cn->industry);
	if (flags & COMPANY_CMP_FORM)
	{
		CompanyNameSpan f = cn->form;

		/* 集团 is compared as a flag, so (集团)有限公司 = 集团有限公司 */
		if (has_at(s, f.off, f.off + f.len, LIT("集团")))
		{
			f.off += sizeof("集团") - 1;
			f.len -= sizeof("集团") - 1;
		}
		n = append(out, n, s, f);
	}
	n = append(out, n, s, cn->branch);
	out[n] = '\0';
	return n;
}

static double
min_d(double x, double y)
{
	return x < y ? x : y;
}

void
company_name_compare_parsed(const char *a, size_t alen, const CompanyName *pa,
							const char *b, size_t blen, const CompanyName *pb,
							CompanyComparison *out)
{
	char		fa[COMPANY_NAME_MAX_BYTES + 1];
	char		fb[COMPANY_NAME_MAX_BYTES + 1];
	int			flags = 0;
	size_t		na,
				nb;

	out->region = company_name_region_cmp(a, pa, b, pb);
	out->industry = company_name_industry_cmp(pa, pb);
	out->same_kind = (pa->is_branch == pb->is_branch && pa->china == pb->china &&
					  pa->group == pb->group);
	out->branches = pa->is_branch && pb->is_branch;
	out->branch = 1.0;
	if (out->branches)
		out->branch = sim_name(a + pa->branch.off, pa->branch.len,
							   b + pb->branch.off, pb->branch.len);
	if (!pa->is_company && !pb->is_company)
	{
		out->name = sim_name(a, alen, b, blen);
		return;
	}
	if (pa->form.len > 0 && pb->form.len > 0)
		flags |= COMPANY_CMP_FORM;
	na = company_name_compare_form(a, pa, flags, fa);
	nb = company_name_compare_form(b, pb, flags, fb);
	out->name = sim_name(fa, na, fb, nb);
}

void
company_name_compare(const char *a, size_t alen, const char *b, size_t blen,
					 CompanyComparison *out)
{
	CompanyName pa,
				pb;

	if (alen > COMPANY_NAME_MAX_BYTES || blen > COMPANY_NAME_MAX_BYTES)
	{
		out->region = COMPANY_PART_MISSING;
		out->industry = COMPANY_PART_MISSING;
		out->same_kind = true;
		out->branches = false;
		out->branch = 1.0;
		out->name = sim_name(a, alen, b, blen);
		return;
	}
	company_name_parse(a, alen, &pa);
	company_name_parse(b, blen, &pb);
	company_name_compare_parsed(a, alen, &pa, b, blen, &pb, out);
}

/* The name similarity of a comparison, capped where the parts say "different company". */
static double
comparison_similarity(const CompanyComparison *cmp)
{
	double		sim = cmp->name;

	if (cmp->region == COMPANY_PART_DIFFERENT || cmp->industry == COMPANY_PART_DIFFERENT ||
		!cmp->same_kind)
		sim = min_d(sim, COMPANY_CONFLICT_CAP);
	return min_d(sim, cmp->branch);
}

double
company_name_similarity(const char *a, size_t alen, const char *b, size_t blen)
{
	CompanyComparison cmp;

	company_name_compare(a, alen, b, blen, &cmp);
	return comparison_similarity(&cmp);
}

double
company_name_similarity_parsed(const char *a, size_t alen, const CompanyName *pa,
							   const char *b, size_t blen, const CompanyName *pb)
{
	CompanyComparison cmp;

	company_name_compare_parsed(a, alen, pa, b, blen, pb, &cmp);
	return comparison_similarity(&cmp);
}
