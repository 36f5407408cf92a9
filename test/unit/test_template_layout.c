/*
 * test_template_layout.c
 *		Unit tests of src/formats/template_layout.c: field types as template
 *		columns, display widths of CJK text, Excel's inline-list and prompt
 *		limits.
 */
#include <string.h>

#include "formats/template_layout.h"
#include "tap.h"

int
main(void)
{
	/* 合同 is two CJK characters, three bytes each. */
	const char *cjk = "合同编号";
	const char *short_list[] = {"住宅", "商业", "办公"};
	const char *comma_list[] = {"住宅", "商业,办公"};
	const char *quote_list[] = {"a\"b"};
	const char *empty_item[] = {"a", ""};
	const char *long_list[100];
	const char *edge_list[2];
	char        a127[128], b127[128];
	int         lo = -1, hi = -1;
	const char *ident_types[] = {"uscc", "idcard", "orgcode", "division", "phone"};

	/* kinds: every identifier type is text, so Excel keeps leading zeros */
	for (int i = 0; i < 5; i++)
	{
		ok(template_kind_of(ident_types[i]) == TK_IDENT, "%s is an identifier column",
		   ident_types[i]);
		is_str(template_num_format(template_kind_of(ident_types[i])), "@",
			   "%s cells are formatted as text", ident_types[i]);
	}
	is_str(template_num_format(template_kind_of("string")), "@", "string cells are text");
	is_str(template_num_format(template_kind_of("yearmonth")), "@",
		   "yearmonth cells are text (2024-03 is not a date)");
	is_str(template_num_format(template_kind_of("amount")), "#,##0.00",
		   "amount cells show two decimals");
	is_str(template_num_format(template_kind_of("date")), "yyyy-mm-dd", "date cells are dates");
	is_str(template_num_format(template_kind_of("datetime")), "yyyy-mm-dd hh:mm:ss",
		   "datetime cells show the time");
	is_str(template_num_format(template_kind_of("integer")), "0", "integer cells are whole");
	is_str(template_num_format(template_kind_of("year")), "0", "year cells are whole");
	ok(template_kind_of("boolean") == TK_BOOLEAN, "boolean is a drop-down");
	ok(template_kind_of("no-such-type") == TK_TEXT, "an unknown type is text");

	/* identifier lengths */
	ok(template_ident_length("uscc", &lo, &hi) && lo == 18 && hi == 18, "uscc: 18 characters");
	ok(template_ident_length("idcard", &lo, &hi) && lo == 15 && hi == 18,
	   "idcard: 15 (legacy) to 18 characters");
	ok(template_ident_length("orgcode", &lo, &hi) && lo == 9 && hi == 10,
	   "orgcode: 9, or 10 with its hyphen");
	ok(template_ident_length("division", &lo, &hi) && lo == 6 && hi == 6, "division: 6 digits");
	ok(!template_ident_length("phone", &lo, &hi), "phone: no fixed length");

	/* display widths */
	ok(template_display_width("abc", 3) == 3, "ASCII is one unit a character");
	ok(template_display_width(cjk, strlen(cjk)) == 8, "CJK is two units a character (got %d)",
	   template_display_width(cjk, strlen(cjk)));
	ok(template_display_width("面积(m2)", strlen("面积(m2)")) == 8, "mixed text (got %d)",
	   template_display_width("面积(m2)", strlen("面积(m2)")));
	ok(template_display_width("\xE5\x90", 2) == 2, "a truncated sequence counts a unit a byte");
	ok(template_display_width("\xFF", 1) == 1, "an invalid byte counts one unit");

	/* column widths: the title fits, a typical value fits, nothing is huge */
	ok(template_column_width("出卖人统一社会信用代码", "seller_uscc", TK_IDENT, "uscc") >= 22,
	   "a long CJK title fits its column");
	ok(template_column_width("签约日期", "d", TK_DATE, "date") >= 12, "a date fits its column");
	ok(template_column_width("名", "n", TK_IDENT, "uscc") >= 18, "an 18-character code fits");
	ok(template_column_width(
		   "长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长"
		   "长长长长长长",
		   "x", TK_TEXT, "string") <= 60,
	   "a very long title is capped at 60");

	/* inline lists */
	ok(template_list_inline(short_list, 3), "a short list is inline");
	ok(!template_list_inline(comma_list, 2), "a value with a comma goes to a range");
	ok(!template_list_inline(quote_list, 1), "a value with a double quote goes to a range");
	ok(!template_list_inline(empty_item, 2), "an empty value goes to a range");
	ok(!template_list_inline(short_list, 0), "an empty list is not inline");
	for (int i = 0; i < 100; i++)
		long_list[i] = "其他类型"; /* 12 bytes each */
	ok(!template_list_inline(long_list, 100), "a list over 255 bytes goes to a range");
	memset(a127, 'a', 127);
	a127[127] = '\0';
	memset(b127, 'b', 127);
	b127[127] = '\0';
	edge_list[0] = a127;
	edge_list[1] = b127;
	ok(template_list_inline(edge_list, 2), "127 + comma + 127 = 255 bytes is inline");
	b127[126] = 'c';
	a127[126] = '\0';
	ok(template_list_inline(edge_list, 2), "254 bytes is inline");

	/* clipping */
	ok(template_clip_chars("abcdef", 6, 4) == 4, "ASCII clipped to 4 characters");
	ok(template_clip_chars(cjk, strlen(cjk), 3) == 9, "CJK clipped on a character boundary");
	ok(template_clip_chars(cjk, strlen(cjk), 10) == strlen(cjk), "short text is kept whole");

	return done_testing();
}
