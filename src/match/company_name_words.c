/*
 * company_name_words.c
 *		The word tables of the company name parser: organisation forms, branch
 *		markers, industry words with their classes, region names and the words
 *		that look like regions but are not.  Plain data, kept apart from the
 *		parsing logic (company_name.c) so that a domain expert can review and
 *		extend the lists without reading C.
 *
 * W("...") is a word; WC("...", "class") is an industry word and its class;
 * The region names are generated (src/match/division_data.c).  The parser reads
 * names after normalize_name() (half-width brackets, no spaces, 有限责任公司
 * written 有限公司, 股份有限公司 written 股份公司), so the words here are
 * written that way too.  docs/matching.md, "Company names", tells how the
 * parser uses each table.
 *
 * Rules for editing a table:
 *	- words hold Chinese characters and ASCII brackets only: the parser takes
 *	  a word longer than three bytes to have two or more characters;
 *	- a region's bare name is the start of its full name, and every region
 *	  name has at least one Chinese character;
 *	- a table holds at most COMPANY_WORDS_MAX words (the build fails if not);
 *	- test/unit/test_company_name.c checks that the forms, industry words and
 *	  branch markers are valid UTF-8 and unique, and how real names parse.
 */
#include "match/company_name_words.h"

/*
 * The tables are laid out by hand, in groups a reviewer reads together:
 * clang-format leaves this file alone.
 */
/* clang-format off */

#define W(word) {word, sizeof(word) - 1, NULL}
#define WC(word, cls) {word, sizeof(word) - 1, cls}
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * 组织形式, the organisation forms.  Companies (公司法 art. 7), partnerships
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
const size_t company_forms_count = COUNT(company_forms);

/*
 * 分支机构, branch markers: a branch's name is its head office's name, the
 * place and 字号 of the branch, and one of these words at the very end.
 */
const CompanyWord company_branch_markers[] = {
	W("分公司"), W("支公司"), W("分店"), W("营业部"), W("分部"), W("分厂"),
	W("办事处"), W("分行"), W("支行"), W("分理处"), W("分所"), W("分社"),
	W("分中心"), W("分院"),
};
const size_t company_branch_markers_count = COUNT(company_branch_markers);

/*
 * 行业或者经营特点, industry words (企业名称登记管理规定, State Council decree
 * 734, art. 6), each with a class: two names whose industries fall in
 * different classes are different companies (华湘置业 is real estate, 华湘物业
 * property management).  The words are common ones in company names; the
 * classes are taxshare's own grouping, coarser than an industry
 * classification.  Words of the class "general" (COMPANY_INDUSTRY_GENERAL)
 * say nothing about the trade and never tell names apart.  Only words of two
 * or more characters: single characters end too many 字号 and person names.
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
const size_t company_industries_count = COUNT(company_industries);

/*
 * 行政区划, region names: the GB/T 2260 divisions are generated data, in
 * src/match/division_data.c (scripts/division_import.sh), with their bare
 * names.  Other names ending in a region suffix are found by the generic
 * rule (company_region_suffixes below).
 */

/*
 * The suffixes of the generic region rule: 2 to 4 Chinese characters and
 * one of these.  Longest first; the first COMPANY_REGION_AUTONOMOUS_SUFFIXES
 * (特别行政区 and the autonomous ones) may follow up to 10 characters, for
 * the long names of autonomous divisions.  州, 盟 and 旗 alone are left
 * out: after two or more characters they end more words (神州, 联盟, 红旗)
 * than place names, and the places are in the table above.
 */
const CompanyWord company_region_suffixes[] = {
	W("特别行政区"), W("自治区"), W("自治州"), W("自治县"), W("自治旗"),
	W("省"), W("市"), W("县"), W("区"),
};
const size_t company_region_suffixes_count = COUNT(company_region_suffixes);

/* Words that end in a region suffix without being regions (小区, 超市 ...). */
const CompanyWord company_not_region_endings[] = {
	W("小区"), W("社区"), W("园区"), W("景区"), W("校区"), W("街区"), W("厂区"),
	W("矿区"), W("城区"), W("片区"), W("专区"), W("新区"), W("商区"), W("营区"),
	W("林区"), W("牧区"), W("辖区"), W("分区"), W("集市"), W("超市"), W("夜市"),
	W("门市"), W("城市"), W("都市"), W("股市"), W("花市"), W("菜市"), W("鱼市"),
};
const size_t company_not_region_endings_count = COUNT(company_not_region_endings);

/*
 * Words that start with a one-character region suffix: a suffix followed by
 * the rest of one of these is the start of a word (市场, 区域), not the end
 * of a region.
 */
const CompanyWord company_not_region_followers[] = {
	W("市场"), W("市政"), W("市民"), W("市容"), W("区域"), W("区块"), W("县域"),
	W("省际"), W("省道"), W("县道"),
};
const size_t company_not_region_followers_count = COUNT(company_not_region_followers);

/*
 * The parser indexes the tables by one byte in arrays of COMPANY_WORDS_MAX
 * items, a region's full and bare name each taking one (C99 has no
 * static_assert: a negative array size fails to compile).
 */
typedef char forms_fit_index[COUNT(company_forms) <= COMPANY_WORDS_MAX ? 1 : -1];
typedef char industries_fit_index[COUNT(company_industries) <= COMPANY_WORDS_MAX ? 1 : -1];
typedef char markers_fit_index[COUNT(company_branch_markers) <= COMPANY_WORDS_MAX ? 1 : -1];

/* clang-format on */
