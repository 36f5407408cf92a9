/*
 * resolve_key.c
 *		Pure core: deterministic keys from reported identifiers.  See
 *		resolve_key.h.
 *
 * The layouts come from the standards and DOMAIN.md "Facts for matching":
 * USCC = registration authority (1) + kind (1) + division (6) + organization
 * code (9) + check (1), so USCC characters 9-17 are the organization code and
 * a legacy 15-character taxpayer ID (division + organization code) shares
 * them; an individual's taxpayer ID is the resident ID followed by "00", or
 * "01", "02" for a second or third business on the same ID.
 */
#include "match/resolve_key.h"

#include <string.h>

#include "ident/ident.h"
#include "ident/normalize.h"

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void
copy_text(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
set_key(ResolveKey *out, ResolveKeyKind kind, ResolveKeyVia via, const char *key, size_t n)
{
	out->kind = kind;
	out->via = via;
	copy_text(out->key, sizeof(out->key), key, n);
}

/* An 18-character resident ID from a valid 15-digit one. */
static bool
upgrade15(const char *s, ResolveKey *out, ResolveKeyVia via)
{
	char id18[19];

	if (!ident_idcard_upgrade(s, 15, id18))
		return false;
	set_key(out, RK_IDCARD, via, id18, 18);
	return true;
}

/* Does this look like a resident ID (digits, maybe a final X)? */
static bool
idcard_shaped(const char *s, size_t n)
{
	return n > 0 && all_digits(s, n - 1) &&
		   ((s[n - 1] >= '0' && s[n - 1] <= '9') || s[n - 1] == 'X');
}

/*
 * Could these 18 digits be a resident ID with one slip in it?  GB 11643: a
 * province code first (11-82: never 0 or 9) and a birth date YYYYMMDD at
 * characters 7-14.  A USCC of an enterprise starts with 9 (the registration
 * authority code of market regulation), and its characters 7-14 are the
 * end of a division and the start of an organization code, rarely a date.
 */
static bool
idcard_plausible18(const char *s)
{
	int year, month, day;

	if (!all_digits(s, 17) || s[0] == '0' || s[0] == '9')
		return false;
	year = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	month = (s[10] - '0') * 10 + (s[11] - '0');
	day = (s[12] - '0') * 10 + (s[13] - '0');
	return year >= 1850 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

ResolveKeyKind
resolve_key_read(const char *s, size_t len, ResolveKey *out)
{
	return resolve_key_read_hint(s, len, RKH_ANY, out);
}

ResolveKeyKind
resolve_key_read_hint(const char *s, size_t len, ResolveKeyHint hint, ResolveKey *out)
{
	char   buf[64];
	size_t n;

	memset(out, 0, sizeof(*out));
	/* nothing, or far too long to be an identifier even with spaces in it */
	if (s == NULL || len == 0 || len >= sizeof(buf))
		return RK_NONE;
	n = normalize_ident(s, len, buf);
	buf[n] = '\0';
	if (n < 8)
		return RK_NONE;

	switch (n)
	{
		case 18:
			/*
			 * All digits can pass both checks (a USCC of a body whose
			 * authority code is 1, or one resident ID in 31): a person's is a
			 * resident ID, and so is one of unknown kind, since the common
			 * USCCs (authority 9) can never be resident IDs.
			 */
			if (hint != RKH_ENTERPRISE && ident_idcard_valid(buf, 18))
			{
				set_key(out, RK_IDCARD, RKV_IDCARD, buf, 18);
				return out->kind;
			}
			if (ident_uscc_valid(buf, 18))
			{
				set_key(out, RK_USCC, RKV_USCC, buf, 18);
				copy_text(out->division, sizeof(out->division), buf + 2, 6);
				copy_text(out->orgcode, sizeof(out->orgcode), buf + 8, 9);
				return out->kind;
			}
			if (ident_idcard_valid(buf, 18))
			{
				set_key(out, RK_IDCARD, RKV_IDCARD, buf, 18);
				return out->kind;
			}
			break;
		case 15:
			if (hint == RKH_PERSON && upgrade15(buf, out, RKV_IDCARD15))
				return out->kind;
			if (all_digits(buf, 6) && ident_orgcode_valid(buf + 6, 9))
			{
				set_key(out, RK_ORGCODE, RKV_LEGACY15, buf + 6, 9);
				copy_text(out->orgcode, sizeof(out->orgcode), buf + 6, 9);
				copy_text(out->division, sizeof(out->division), buf, 6);
				copy_text(out->taxpayer_id, sizeof(out->taxpayer_id), buf, 15);
				return out->kind;
			}
			if (upgrade15(buf, out, RKV_IDCARD15))
				return out->kind;
			break;
		case 9:
			if (ident_orgcode_valid(buf, 9))
			{
				set_key(out, RK_ORGCODE, RKV_ORGCODE, buf, 9);
				copy_text(out->orgcode, sizeof(out->orgcode), buf, 9);
				return out->kind;
			}
			break;
		case 17:
			/* 15-digit resident ID + 2-digit business number */
			if (all_digits(buf + 15, 2) && upgrade15(buf, out, RKV_PERSONAL))
			{
				copy_text(out->taxpayer_id, sizeof(out->taxpayer_id), buf, 17);
				return out->kind;
			}
			break;
		case 20:
			if (all_digits(buf + 18, 2) && ident_idcard_valid(buf, 18))
			{
				set_key(out, RK_IDCARD, RKV_PERSONAL, buf, 18);
				copy_text(out->taxpayer_id, sizeof(out->taxpayer_id), buf, 20);
				return out->kind;
			}
			if (memcmp(buf + 15, "00000", 5) == 0 && upgrade15(buf, out, RKV_PERSONAL))
			{
				copy_text(out->taxpayer_id, sizeof(out->taxpayer_id), buf, 20);
				return out->kind;
			}
			break;
		default:
			break;
	}

	/*
	 * Not a key: remember what it looks like, for the comparison.  Eighteen
	 * digits are a resident ID only if they could be one: most USCCs are
	 * digits only too, and a mistyped one must still meet the USCC it was
	 * meant to be.  With one slip in the date itself the party's kind
	 * decides (a person's is a resident ID).
	 */
	copy_text(out->broken, sizeof(out->broken), buf, n);
	if (n == 18 && idcard_shaped(buf, 18))
		out->broken_kind = (idcard_plausible18(buf) || (hint == RKH_PERSON && buf[0] != '9'))
							   ? RK_IDCARD
							   : RK_USCC;
	else if ((n == 15 || n == 17 || n == 20) && idcard_shaped(buf, n < 18 ? n : 18))
		out->broken_kind = RK_IDCARD;
	else if (n == 18)
		out->broken_kind = RK_USCC;
	else if (n == 15 || n == 9 || n == 10)
		out->broken_kind = RK_ORGCODE;
	else
		out->broken_kind = RK_NONE;
	return RK_NONE;
}

const char *
resolve_key_via_name(ResolveKeyVia via)
{
	switch (via)
	{
		case RKV_USCC:
			return "uscc";
		case RKV_ORGCODE:
			return "orgcode";
		case RKV_LEGACY15:
			return "legacy15";
		case RKV_IDCARD:
			return "idcard";
		case RKV_IDCARD15:
			return "idcard15";
		case RKV_PERSONAL:
			return "personal";
		case RKV_NONE:
			break;
	}
	return "none";
}

bool
resolve_ident_near(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i, j;

	if (alen == blen)
	{
		size_t first = alen, diffs = 0;

		for (i = 0; i < alen; i++)
		{
			if (a[i] != b[i])
			{
				if (diffs == 0)
					first = i;
				diffs++;
			}
		}
		if (diffs == 1)
			return true;
		/* an adjacent transposition */
		return diffs == 2 && first + 1 < alen && a[first] == b[first + 1] &&
			   a[first + 1] == b[first] &&
			   memcmp(a + first + 2, b + first + 2, alen - first - 2) == 0;
	}
	if (alen + 1 == blen || blen + 1 == alen)
	{
		const char *l = alen > blen ? a : b; /* the longer */
		const char *s = alen > blen ? b : a;
		size_t      sl = alen > blen ? blen : alen;
		bool        skipped = false;

		for (i = 0, j = 0; j < sl;)
		{
			if (l[i] == s[j])
			{
				i++;
				j++;
			}
			else if (!skipped)
			{
				skipped = true;
				i++;
			}
			else
				return false;
		}
		return true;
	}
	return false;
}
