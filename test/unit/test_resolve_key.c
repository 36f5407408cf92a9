/*
 * test_resolve_key.c
 *		Unit tests of the deterministic keys (src/match/resolve_key.c): every way an
 *		identifier is reported, what it reads as, and the near-miss test.
 *
 * The identifiers were checked against the standards by hand:
 * 91350100M000100Y43 is GB 32100-2015's worked example (organization code
 * M000100Y4, division 350100), 11010519491231002X GB 11643-1999's, and
 * 110105491231002 its 15-digit form.
 */
#include <stdlib.h>
#include <string.h>

#include "match/resolve_key.h"
#include "tap.h"

/* Read s from an exact-size heap copy, so that valgrind sees any overread. */
static ResolveKeyKind
read_key(const char *s, ResolveKey *k)
{
	size_t         n = strlen(s);
	char          *copy = malloc(n ? n : 1);
	ResolveKeyKind kind;

	memcpy(copy, s, n);
	kind = resolve_key_read(copy, n, k);
	free(copy);
	return kind;
}

static bool
near(const char *a, const char *b)
{
	return resolve_ident_near(a, strlen(a), b, strlen(b));
}

int
main(void)
{
	ResolveKey k;

	/* USCC: the key, with its organization code and division */
	is_int(read_key("91350100M000100Y43", &k), RK_USCC, "a valid USCC is a USCC key");
	is_str(k.key, "91350100M000100Y43", "the USCC is the key");
	is_str(k.orgcode, "M000100Y4", "USCC characters 9-17 are the organization code");
	is_str(k.division, "350100", "USCC characters 3-8 are the division");
	is_str(resolve_key_via_name(k.via), "uscc", "read as a USCC");
	is_int(read_key(" 91350100m000100y43 ", &k), RK_USCC,
		   "lower case and spaces are normalised first");
	is_str(k.key, "91350100M000100Y43", "the key is canonical");
	is_int(read_key("９１３５０１００Ｍ０００１００Ｙ４３", &k), RK_USCC,
		   "full-width digits and letters too");

	/* a USCC with a wrong check character: no key, but evidence */
	is_int(read_key("91350100M000100Y44", &k), RK_NONE, "a USCC failing its check is not a key");
	is_int(k.broken_kind, RK_USCC, "it is kept as a broken USCC");
	is_str(k.broken, "91350100M000100Y44", "with its canonical text");

	/* organization codes, with and without the hyphen */
	is_int(read_key("M000100Y-4", &k), RK_ORGCODE, "an organization code with its hyphen");
	is_str(k.key, "M000100Y4", "the key drops the hyphen");
	is_str(resolve_key_via_name(k.via), "orgcode", "read as an organization code");
	is_int(read_key("M000100Y5", &k), RK_NONE, "a wrong organization-code check is no key");
	is_int(k.broken_kind, RK_ORGCODE, "it looks like an organization code");

	/* legacy 15-character taxpayer ID: division + organization code */
	is_int(read_key("350100M000100Y4", &k), RK_ORGCODE,
		   "a legacy taxpayer ID gives the organization code");
	is_str(k.key, "M000100Y4", "its last nine characters");
	is_str(k.division, "350100", "its first six are the division");
	is_str(k.taxpayer_id, "350100M000100Y4", "the taxpayer ID is remembered");
	is_str(resolve_key_via_name(k.via), "legacy15", "read as a legacy taxpayer ID");
	is_int(read_key("350100M000100Y5", &k), RK_NONE,
		   "a legacy ID with a bad organization code is no key");
	is_int(k.broken_kind, RK_ORGCODE, "and is kept as a broken organization code");

	/* resident IDs: 18, 15 (upgraded), personal taxpayer IDs of 20 and 17 */
	is_int(read_key("11010519491231002X", &k), RK_IDCARD, "a valid resident ID");
	is_str(k.key, "11010519491231002X", "is its own key");
	is_int(read_key("11010519491231002x", &k), RK_IDCARD, "a lower-case x is normalised");
	is_int(read_key("110105491231002", &k), RK_IDCARD, "a 15-digit resident ID");
	is_str(k.key, "11010519491231002X", "is upgraded to 18 characters");
	is_str(resolve_key_via_name(k.via), "idcard15", "read as a 15-digit ID");
	is_int(read_key("11010519491231002X00", &k), RK_IDCARD,
		   "resident ID + 00: an individual's taxpayer ID");
	is_str(k.key, "11010519491231002X", "gives the resident ID");
	is_str(k.taxpayer_id, "11010519491231002X00", "and keeps the taxpayer ID");
	is_str(resolve_key_via_name(k.via), "personal", "read as a personal taxpayer ID");
	is_int(read_key("11010519491231002X01", &k), RK_IDCARD,
		   "a second business on the same ID (+01)");
	is_int(read_key("11010549123100200000", &k), RK_IDCARD, "15-digit ID + 00000");
	is_str(k.key, "11010519491231002X", "is upgraded too");
	is_int(read_key("11010549123100201", &k), RK_IDCARD, "15-digit ID + 2 digits (17 characters)");
	is_int(read_key("110105194912310021", &k), RK_NONE, "a resident ID failing its check");
	is_int(k.broken_kind, RK_IDCARD, "looks like a resident ID");
	/* 91430105 1065727 79 5 with one digit mistyped: digits only, but a USCC */
	is_int(read_key("914301051065727895", &k), RK_NONE, "a mistyped USCC of digits only");
	is_int(k.broken_kind, RK_USCC, "is kept as a broken USCC: no resident ID starts with 9");
	is_int(read_key("434301051065727894", &k), RK_NONE,
		   "eighteen digits with no birth date in them");
	is_int(k.broken_kind, RK_USCC, "are a broken USCC too");
	is_int(resolve_key_read_hint("110105194913312076", 18, RKH_ENTERPRISE, &k), RK_NONE,
		   "a resident ID with a slip in its birth date");
	is_int(k.broken_kind, RK_USCC, "is a broken USCC for an enterprise");
	is_int(resolve_key_read_hint("110105194913312076", 18, RKH_PERSON, &k), RK_NONE,
		   "and for a person");
	is_int(k.broken_kind, RK_IDCARD, "a broken resident ID");
	is_int(read_key("11010519491231002XAB", &k), RK_NONE,
		   "resident ID + letters is not a taxpayer ID");

	/* fifteen digits that read both ways: the hint decides */
	is_int(read_key("430406820808232", &k), RK_ORGCODE,
		   "both a legacy ID and a 15-digit ID: legacy by default");
	is_int(resolve_key_read_hint("430406820808232", 15, RKH_PERSON, &k), RK_IDCARD,
		   "a person's: the resident ID");
	is_str(k.key, "430406198208082321", "upgraded");
	is_int(resolve_key_read_hint("430406820808232", 15, RKH_ENTERPRISE, &k), RK_ORGCODE,
		   "an enterprise's: the legacy ID");
	is_int(resolve_key_read_hint("350100M000100Y4", 15, RKH_PERSON, &k), RK_ORGCODE,
		   "letters cannot be a resident ID, whatever the hint");

	/* eighteen digits that pass both checks */
	is_int(read_key("110105194912312076", &k), RK_IDCARD,
		   "a resident ID that is also a valid USCC: a resident ID by default");
	is_int(resolve_key_read_hint("110105194912312076", 18, RKH_ENTERPRISE, &k), RK_USCC,
		   "an enterprise's: the USCC");

	/* nothing to read */
	is_int(read_key("", &k), RK_NONE, "empty");
	is_int(k.broken[0], 0, "an empty value is not even evidence");
	is_int(read_key("1234", &k), RK_NONE, "too short to be an identifier");
	is_int(k.broken[0], 0, "and not kept");
	is_int(resolve_key_read(NULL, 0, &k), RK_NONE, "NULL is nothing");

	/* near misses */
	ok(near("91350100M000100Y43", "91350100M000100Y44"), "one substitution is near");
	ok(near("91350100M000100Y43", "91350100M000100Y34"), "an adjacent transposition is near");
	ok(near("91350100M000100Y43", "9135010M000100Y43"), "one deletion is near");
	ok(near("9135010M000100Y43", "91350100M000100Y43"), "one insertion is near (symmetric)");
	ok(!near("91350100M000100Y43", "91350100M000100Y43"), "equal is not near");
	ok(!near("91350100M000100Y43", "91350100M000101Y44"), "two substitutions are not near");
	ok(!near("91350100M000100Y43", "91350100M100000Y43"),
	   "a transposition at a distance is not near");
	ok(!near("ABCD", "AB"), "two deletions are not near");
	ok(near("A", ""), "deleting the only character is near");

	return done_testing();
}
