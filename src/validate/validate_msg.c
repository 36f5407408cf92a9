/*
 * validate_msg.c
 *		Pure core: Chinese and English messages of the validation error codes.
 *
 * The code words are the contract (docs/intake.md, "Error codes"); the
 * messages are for the unit's liaison who has to correct the data, so they
 * name the field by its Chinese title and quote the value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ident/ident.h"
#include "validate/validate_msg.h"

typedef struct MsgTemplate
{
	const char *key;
	const char *zh; /* arguments: label, value, arg */
	const char *en;
} MsgTemplate;

static const MsgTemplate templates[] = {
	{"required", "%s 为必填项, 但没有值", "%s is required but has no value"},
	{"type", "%s 的值“%s”不是有效的%s", "%s: \"%s\" is not a valid %s"},
	{"type_compound", "%s 的值应为单个值, 实际为%s%s", "%s: expected a single value, found %s%s"},
	{"decimals", "%s 的金额“%s”超过两位小数", "%s: amount \"%s\" has more than two decimals"},
	{"uscc", "%s 的值“%s”不是有效的统一社会信用代码 (%s)",
	 "%s: \"%s\" is not a valid unified social credit code (%s)"},
	{"idcard", "%s 的值“%s”不是有效的居民身份证号码 (%s)",
	 "%s: \"%s\" is not a valid resident identity number (%s)"},
	{"orgcode", "%s 的值“%s”不是有效的组织机构代码 (%s)",
	 "%s: \"%s\" is not a valid organization code (%s)"},
	{"division", "%s 的值“%s”不是有效的行政区划代码", "%s: \"%s\" is not a valid division code"},
	{"division_unknown", "%s 的值“%s”不在行政区划代码表中",
	 "%s: division code \"%s\" is not in the code list"},
	{"phone", "%s 的值“%s”不是有效的电话号码 (手机号或带区号的固定电话)",
	 "%s: \"%s\" is not a valid phone number (mobile, or landline with area code)"},
	{"encoding", "%s 的值不是有效的 UTF-8 编码%s", "%s: the value is not valid UTF-8%s"},
	{"too_long", "%s 的值长 %s 字节, 超过 %s 字节的上限",
	 "%s: the value is %s bytes long, over the limit of %s bytes"},
	{"unique", "%s 的值“%s”与第 %s 行重复", "%s: \"%s\" repeats row %s"},
	{"primary_key", "主键 %s 的值“%s”与第 %s 行重复", "primary key %s: \"%s\" repeats row %s"},
	{"min_length", "%s 的值“%s”短于最小长度 %s",
	 "%s: \"%s\" is shorter than the minimum length %s"},
	{"max_length", "%s 的值“%s”长于最大长度 %s", "%s: \"%s\" is longer than the maximum length %s"},
	{"minimum", "%s 的值“%s”小于最小值 %s", "%s: \"%s\" is less than the minimum %s"},
	{"maximum", "%s 的值“%s”大于最大值 %s", "%s: \"%s\" is greater than the maximum %s"},
	{"pattern", "%s 的值“%s”不符合规定的格式%s",
	 "%s: \"%s\" does not match the required pattern%s"},
	{"enum", "%s 的值“%s”不在允许值 %s 之中", "%s: \"%s\" is not one of %s"},
	{"lte", "%s 的值“%s”应不大于 %s", "%s: \"%s\" must not be greater than %s"},
	{"lt", "%s 的值“%s”应小于 %s", "%s: \"%s\" must be less than %s"},
	{"lte_time", "%s 的时间“%s”应不晚于 %s", "%s: \"%s\" must not be later than %s"},
	{"lt_time", "%s 的时间“%s”应早于 %s", "%s: \"%s\" must be earlier than %s"},
	{"idcard_birthdate", "%s 中的出生日期“%s”与 %s 不一致",
	 "%s: the birth date \"%s\" does not match %s"},
	{"sum", "%s 之和“%s”与 %s 不符", "the sum of %s, \"%s\", does not match %s"},
	{"required_if", "%s 为必填项 (因为 %s 为“%s”)", "%s is required when %s is \"%s\""},
	{"required_if_present", "%s 为必填项 (因为 %s 有值)%s", "%s is required when %s has a value%s"},
	{"row", "该行不是 JSON 对象, 而是%s%s%s", "the row is not a JSON object but %s%s%s"},
};

const char *
vmsg_printf(const ValidateMem *mem, const char *fmt, ...)
{
	va_list ap;
	va_list ap2;
	int     n;
	char   *buf;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	buf = mem->alloc(mem->ctx, (size_t) n + 1);
	if (n > 0)
		vsnprintf(buf, (size_t) n + 1, fmt, ap2);
	else
		buf[0] = '\0';
	va_end(ap2);
	return buf;
}

/*
 * The first VMSG_VALUE_CHARS code points of value, with "…" when cut.  Control
 * characters become spaces so that a message stays on one line.
 */
static const char *
vmsg_excerpt(const ValidateMem *mem, const char *value, size_t len)
{
	size_t i = 0;
	size_t chars = 0;
	size_t j;
	char  *out;

	while (i < len && chars < VMSG_VALUE_CHARS)
	{
		unsigned char c = (unsigned char) value[i];
		size_t        step = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;

		if (i + step > len)
			step = len - i;
		i += step;
		chars++;
	}
	out = mem->alloc(mem->ctx, i + 4);
	memcpy(out, value, i);
	for (j = 0; j < i; j++)
		if ((unsigned char) out[j] < 0x20 || out[j] == 0x7f)
			out[j] = ' ';
	if (i < len)
		memcpy(out + i, "\xe2\x80\xa6", 4); /* U+2026, with the NUL */
	else
		out[i] = '\0';
	return out;
}

const char *
vmsg_build(const ValidateMem *mem, ValidateLang lang, const char *key, const char *label,
		   const char *value, size_t value_len, const char *arg)
{
	size_t      i;
	const char *v = value ? vmsg_excerpt(mem, value, value_len) : "";

	for (i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
	{
		if (strcmp(templates[i].key, key) == 0)
			return vmsg_printf(mem, lang == VL_ZH ? templates[i].zh : templates[i].en,
							   label ? label : "", v, arg ? arg : "");
	}
	return vmsg_printf(mem, "%s: %s", label ? label : "", key);
}

const char *
vmsg_label(const ValidateMem *mem, ValidateLang lang, const FieldSpec *f)
{
	if (lang == VL_ZH && f->title && strcmp(f->title, f->name) != 0)
		return vmsg_printf(mem, "%s(%s)", f->title, f->name);
	return f->name;
}

const char *
vmsg_type_name(ValidateLang lang, FieldType t)
{
	static const char *const zh[FT_COUNT] = {
		[FT_STRING] = "文本",
		[FT_NUMBER] = "数值",
		[FT_INTEGER] = "整数",
		[FT_BOOLEAN] = "布尔值",
		[FT_DATE] = "日期",
		[FT_DATETIME] = "日期时间",
		[FT_YEAR] = "年份",
		[FT_YEARMONTH] = "年月",
		[FT_AMOUNT] = "金额",
		[FT_USCC] = "统一社会信用代码",
		[FT_IDCARD] = "居民身份证号码",
		[FT_ORGCODE] = "组织机构代码",
		[FT_DIVISION] = "行政区划代码",
		[FT_PHONE] = "电话号码",
	};
	static const char *const en[FT_COUNT] = {
		[FT_STRING] = "string",
		[FT_NUMBER] = "number",
		[FT_INTEGER] = "integer",
		[FT_BOOLEAN] = "boolean",
		[FT_DATE] = "date",
		[FT_DATETIME] = "date and time",
		[FT_YEAR] = "year",
		[FT_YEARMONTH] = "year and month",
		[FT_AMOUNT] = "amount",
		[FT_USCC] = "unified social credit code",
		[FT_IDCARD] = "resident identity number",
		[FT_ORGCODE] = "organization code",
		[FT_DIVISION] = "division code",
		[FT_PHONE] = "phone number",
	};

	if ((int) t < 0 || t >= FT_COUNT)
		return "?";
	return lang == VL_ZH ? zh[t] : en[t];
}

const char *
vmsg_ident_reason(ValidateLang lang, FieldType t, const char *canon, size_t len)
{
	IdentProblem p;

	switch (t)
	{
		case FT_USCC:
			p = ident_uscc_problem(canon, len, NULL);
			break;
		case FT_IDCARD:
			p = ident_idcard_problem(canon, len, NULL);
			break;
		case FT_ORGCODE:
			p = ident_orgcode_problem(canon, len, NULL);
			break;
		default:
			return "";
	}
	switch (p)
	{
		case IDENT_BAD_LENGTH:
			return lang == VL_ZH ? "长度不对" : "wrong length";
		case IDENT_BAD_CHAR:
			return lang == VL_ZH ? "含有不允许的字符" : "a character is not allowed";
		case IDENT_BAD_REGION:
			return lang == VL_ZH ? "地区码不存在" : "no such region code";
		case IDENT_BAD_DATE:
			return lang == VL_ZH ? "出生日期无效" : "the birth date is not valid";
		case IDENT_BAD_CHECK:
			return lang == VL_ZH ? "校验码不符" : "the check character does not match";
		case IDENT_OK:
			break;
	}
	return lang == VL_ZH ? "格式不对" : "malformed";
}

const char *
vmsg_json_kind(ValidateLang lang, const char *kind)
{
	static const char *const kinds[][3] = {
		{"object", "对象", "an object"},    {"array", "数组", "an array"},
		{"string", "字符串", "a string"},   {"number", "数值", "a number"},
		{"boolean", "布尔值", "a boolean"}, {"null", "空值 null", "null"},
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i][0], kind) == 0)
			return kinds[i][lang == VL_ZH ? 1 : 2];
	return kind;
}
