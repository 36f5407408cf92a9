/*
 * company_name.c
 *		Pure core: the parser and the part-by-part comparison of Chinese
 *		company names (company_name.h).  The words it looks for are in
 *		company_name_words.c; this file holds the logic only.
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

#define LIT(word) word, (sizeof(word) - 1)

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
	size_t k = 0;

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
 * instead of the whole list: suffix lists by their last byte.  The region
 * names (a few thousand) by the last twelve bits of their first character
 * (every region name starts with a three-byte character).  Built on first
 * use from the constant tables and never changed afterwards, so there is
 * nothing to invalidate.
 */
#define INDEX_MAX_ITEMS COMPANY_WORDS_MAX /* company_name_words.c checks the tables fit */

typedef struct ByteIndex
{
	uint16_t start[257]; /* bucket b is item[start[b] .. start[b + 1]) */
	uint16_t item[INDEX_MAX_ITEMS];
} ByteIndex;

#define REGION_BUCKETS 4096

typedef struct RegionIndex
{
	uint16_t start[REGION_BUCKETS + 1];
	uint16_t item[2 * COMPANY_REGIONS_MAX]; /* 2i: full name of entry i, 2i + 1: its bare name */
} RegionIndex;

static bool        index_ready = false;
static ByteIndex   forms_index;
static ByteIndex   markers_index;
static ByteIndex   industries_index;
static RegionIndex regions_index;

/* Counting sort of n items by key[i]. */
static void
index_build(ByteIndex *ix, const unsigned char *key, size_t n)
{
	uint16_t fill[256];

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

/* The bucket of a region name starting at s (at least three bytes). */
static inline unsigned
region_bucket(const char *s)
{
	return (((unsigned) (unsigned char) s[1] & 0x3F) << 6) | ((unsigned char) s[2] & 0x3F);
}

static void
ensure_index(void)
{
	static uint16_t key[2 * COMPANY_REGIONS_MAX];
	uint16_t        fill[REGION_BUCKETS];
	size_t          n = 2 * company_region_names_count;

	if (index_ready)
		return;
	index_words(&forms_index, company_forms, company_forms_count);
	index_words(&markers_index, company_branch_markers, company_branch_markers_count);
	index_words(&industries_index, company_industries, company_industries_count);
	for (size_t i = 0; i < company_region_names_count; i++)
	{
		key[2 * i] = (uint16_t) region_bucket(company_region_names[i].full);
		key[2 * i + 1] = (uint16_t) region_bucket(company_region_names[i].bare);
	}
	memset(regions_index.start, 0, sizeof(regions_index.start));
	for (size_t i = 0; i < n; i++)
		regions_index.start[key[i] + 1]++;
	for (int b = 0; b < REGION_BUCKETS; b++)
		regions_index.start[b + 1] += regions_index.start[b];
	memcpy(fill, regions_index.start, sizeof(fill));
	for (size_t i = 0; i < n; i++)
		regions_index.item[fill[key[i]]++] = (uint16_t) i;
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
	uint32_t             cp;

	if (pos >= end || end - pos < 3 || p[0] < 0xE3 || p[0] > 0xE9 || (p[1] & 0xC0) != 0x80 ||
		(p[2] & 0xC0) != 0x80)
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
	size_t p = pos;

	for (int nchars = 1; nchars <= 10; nchars++)
	{
		size_t k = cjk_at(s, p, end);

		if (k == 0)
			return 0;
		p += k;
		if (nchars < 2)
			continue;
		for (size_t i = 0; i < company_region_suffixes_count; i++)
		{
			const char *suf = company_region_suffixes[i].word;
			size_t      sl = company_region_suffixes[i].len;
			bool        autonomous = (i < COMPANY_REGION_AUTONOMOUS_SUFFIXES);
			bool        rejected = false;

			if (!has_at(s, p, end, suf, sl))
				continue;
			if (!autonomous && nchars > 4)
				continue;
			for (size_t j = 0; j < company_not_region_endings_count && !rejected; j++)
				rejected = ends_with(s, pos, p + sl, company_not_region_endings[j].word,
									 company_not_region_endings[j].len);
			for (size_t j = 0; j < company_not_region_followers_count && !rejected; j++)
			{
				/* the follower words all start with a one-character suffix */
				const CompanyWord *f = &company_not_region_followers[j];

				rejected =
					(sl == 3 && memcmp(f->word, suf, 3) == 0 && has_at(s, p, end, f->word, f->len));
			}
			if (rejected)
				break; /* this suffix is taken by a word; try longer */
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
	size_t best = 0;

	if (end - pos >= 3)
	{
		unsigned b = region_bucket(s + pos);

		for (uint16_t j = regions_index.start[b]; j < regions_index.start[b + 1]; j++)
		{
			const CompanyRegionName *r = &company_region_names[regions_index.item[j] / 2];
			bool                     bare = regions_index.item[j] % 2;
			const char              *w = bare ? r->bare : r->full;
			size_t                   wl = bare ? r->bare_len : r->full_len;

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
	size_t best = end;

	for (size_t i = 0; i < company_region_names_count; i++)
	{
		const CompanyRegionName *r = &company_region_names[i];
		size_t                   fl = r->full_len;
		size_t                   bl = r->bare_len;

		if (ends_with(s, from, end, r->full, fl) && end - fl < best)
			best = end - fl;
		if (WORD_HAS_2_CHARS(bl) && ends_with(s, from, end, r->bare, bl) && end - bl < best)
			best = end - bl;
	}
	return best;
}

/*
 * The longest word of an indexed list that ends s[from..end) and leaves
 * min_left characters before it.
 */
static const CompanyWord *
longest_suffix(const CompanyWord *list, const ByteIndex *ix, const char *s, size_t from, size_t end,
			   size_t min_left)
{
	const CompanyWord *best = NULL;
	size_t             best_len = 0;
	unsigned char      b;

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
	const CompanyWord *w =
		longest_suffix(company_industries, &industries_index, s, from, end, min_left);
	size_t      start;
	const char *c;

	*cls = NULL;
	if (w == NULL)
		return end;
	start = end - w->len;
	c = w->info;
	for (int more = 0; more < 2; more++)
	{
		const CompanyWord *v =
			longest_suffix(company_industries, &industries_index, s, from, start, 2);

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
	size_t best = 0;

	for (size_t pos = 0; pos < mstart; pos += sim_char_len(s + pos, mstart - pos))
	{
		for (size_t i = 0; i < company_forms_count; i++)
		{
			const char *f = company_forms[i].word;
			size_t      fl = company_forms[i].len;

			if (WORD_HAS_2_CHARS(fl) && has_at(s, pos, mstart, f, fl) && pos + fl > best)
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

static const CompanyRegionName *region_lookup(const char *s, size_t off, size_t len, bool *by_full);
static const CompanyRegionName *region_parent(const CompanyRegionName *r);
static bool level_same(const char *a, size_t aoff, size_t alen, const char *b, size_t boff,
					   size_t blen);

/*
 * May the region level s[off, off + len) follow the level s[poff, poff +
 * plen)?  Not when the table knows both and the second does not lie in the
 * first: 常德市南昌 is the city 常德 and the 字号 南昌, not two levels.
 */
static bool
level_may_follow(const char *s, size_t poff, size_t plen, size_t off, size_t len)
{
	bool                     by_full;
	const CompanyRegionName *prev = region_lookup(s, poff, plen, &by_full);
	const CompanyRegionName *up = region_lookup(s, off, len, &by_full);

	if (prev == NULL || up == NULL)
		return true;
	up = region_parent(up);
	for (int depth = 0; up != NULL && depth < 3; depth++, up = region_parent(up))
		if (level_same(s, poff, plen, up->full, 0, up->full_len))
			return true;
	return false;
}

#define MAX_CUTS          4
#define MAX_PIECES        (MAX_CUTS + 1)
#define MAX_REGION_LEVELS COMPANY_MAX_REGION_LEVELS

/*
 * Region levels at s[from, to), each lying in the one before: their number,
 * with levels[0] = from and levels[i] the end of level i.  With whole set,
 * the levels must fill s[from, to) exactly (a bracket: (衡阳市衡南县)), else
 * at least one character stays after them.
 */
static int
region_levels(const char *s, size_t from, size_t to, bool whole, size_t *levels)
{
	int    n = 0;
	size_t bs = from;

	levels[0] = from;
	while (n < MAX_REGION_LEVELS)
	{
		size_t k = region_at(s, bs, to);

		if (k == 0 || (!whole && bs + k >= to))
			break;
		if (n > 0 && !level_may_follow(s, levels[n - 1], bs - levels[n - 1], bs, k))
			break;
		bs += k;
		levels[++n] = bs;
		if (bs >= to)
			break;
	}
	if (whole && bs != to)
		return 0;
	return n;
}

bool
company_name_parse(const char *s, size_t len, CompanyName *out)
{
	size_t             end = len; /* end of the head office's name */
	size_t             fend;      /* end of what precedes the form */
	size_t             levels[MAX_REGION_LEVELS + 1];
	int                nlevels = 0;
	size_t             bs; /* start of the body: 字号 and industry */
	size_t             cut_from[MAX_CUTS], cut_to[MAX_CUTS];
	int                ncuts = 0;
	size_t             piece_from[MAX_PIECES], piece_to[MAX_PIECES];
	int                npieces = 0;
	CompanyNameSpan    bracket_region = {0, 0};
	size_t             blevels[MAX_REGION_LEVELS + 1];
	int                nblevels = 0;
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
		size_t mstart = len - w->len;
		size_t hend = head_end(s, mstart);

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
		size_t      wl = w->len;

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
	nlevels = region_levels(s, 0, fend, false, levels);
	bs = levels[nlevels];

	/* 4. Bracket groups in the body: (中国), (集团), (衡阳). */
	for (size_t p = bs; p < fend && ncuts < MAX_CUTS; p++)
	{
		size_t q;
		size_t inner;

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
		else if (inner > 0 && bracket_region.len == 0 &&
				 (nblevels = region_levels(s, p + 1, q, true, blevels)) > 0)
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
		size_t from = bs;

		for (int c = 0; c <= ncuts; c++)
		{
			size_t to = (c < ncuts) ? cut_from[c] : fend;

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
		size_t      f0 = piece_from[0], t0 = piece_to[0];
		const char *cls;
		size_t      istart = find_industry(s, f0, t0, 1, &cls);

		if (istart < t0)
		{
			out->industry = span(istart, t0);
			out->industry_class = cls;
			out->trade_name = span(f0, istart);
		}
		else if (npieces > 1)
		{
			/* 华湘(衡阳)置业: the words after the bracket are the industry */
			size_t fl = piece_from[npieces - 1], tl = piece_to[npieces - 1];

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
		out->region_levels = nblevels;
		for (int i = 0; i < nblevels; i++)
			out->region_level[i] = span(blevels[i], blevels[i + 1]);
		out->region_last = out->region_level[nblevels - 1];
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
	size_t      n = len;

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
 * Is bare-name entry r to be preferred over c for a bare name they share?
 * One whose bare name stands alone first, then the larger division (衡阳 is
 * the city, not the county), then one in force; else the earlier in the
 * table (the home province first).
 */
static bool
bare_preferred(const CompanyRegionName *r, const CompanyRegionName *c)
{
	if (c == NULL)
		return true;
	if (r->bare_ok != c->bare_ok)
		return r->bare_ok;
	if (r->level != c->level)
		return r->level < c->level;
	return !r->abolished && c->abolished;
}

/*
 * The table entry of a region level: by full name, else by bare name.
 * *by_full tells which matched.
 */
static const CompanyRegionName *
region_lookup(const char *s, size_t off, size_t len, bool *by_full)
{
	const CompanyRegionName *by_bare = NULL;
	unsigned                 b;

	*by_full = false;
	if (len < 3)
		return NULL;
	b = region_bucket(s + off);
	for (uint16_t j = regions_index.start[b]; j < regions_index.start[b + 1]; j++)
	{
		const CompanyRegionName *r = &company_region_names[regions_index.item[j] / 2];

		if (regions_index.item[j] % 2 == 0)
		{
			if (r->full_len == len && memcmp(s + off, r->full, len) == 0)
			{
				*by_full = true;
				return r;
			}
		}
		else if (r->bare_len == len && memcmp(s + off, r->bare, len) == 0 &&
				 bare_preferred(r, by_bare))
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
region_base(const char *s, size_t off, size_t len, size_t *base_len, const char **base,
			const char **suffix, size_t *suffix_len)
{
	const CompanyRegionName *r;
	bool                     by_full;

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
			*suffix = r->full + r->bare_len; /* every bare name is a prefix of its full name */
			*suffix_len = r->full_len - r->bare_len;
		}
		return;
	}
	for (size_t i = 0; i < company_region_suffixes_count; i++)
	{
		size_t sl = company_region_suffixes[i].len;

		if (ends_with(s, off, off + len, company_region_suffixes[i].word, sl) && len > sl)
		{
			*base_len = len - sl;
			*suffix = company_region_suffixes[i].word;
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
	const char *ba, *bb, *sa, *sb;
	size_t      bal, bbl, sal, sbl;

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
static const CompanyRegionName *
region_parent(const CompanyRegionName *r)
{
	if (r == NULL || r->parent < 0 || (size_t) r->parent >= company_region_names_count)
		return NULL;
	return &company_region_names[r->parent];
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
		CompanyNameSpan          lv = r->region_level[i];
		const CompanyRegionName *up;
		bool                     by_full;

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
company_name_region_cmp(const char *a, const CompanyName *pa, const char *b, const CompanyName *pb)
{
	ensure_index();
	if (pa->region.len == 0 || pb->region.len == 0)
		return COMPANY_PART_MISSING;
	/* 衡阳市 and 衡阳县: the county lies in the city, but the names say two places */
	if (level_cmp(a, pa->region_last.off, pa->region_last.len, b, pb->region_last.off,
				  pb->region_last.len) < 0)
		return COMPANY_PART_DIFFERENT;
	if (level_in_region(a, pa->region_last, b, pb) || level_in_region(b, pb->region_last, a, pa))
		return COMPANY_PART_SAME;
	return COMPANY_PART_DIFFERENT;
}

/*
 * The regions of two names: the most specific levels must name the same
 * division.  A name states its region; 衡阳华湘物业 and 耒阳华湘物业 are two
 * names although 耒阳 lies in 衡阳 (containment is for addresses:
 * company_name_region_cmp).  衡阳 and 衡阳市 are the same division, 衡阳 (the
 * city) and 衡阳县 are not; an abolished division and the one of its name in
 * force (宁乡县, 宁乡市) are taken as the same, as a registry still writes
 * the old name.
 */
CompanyPartCmp
company_name_region_cmp_names(const char *a, const CompanyName *pa, const char *b,
							  const CompanyName *pb)
{
	const CompanyRegionName *ra, *rb;
	bool                     fa, fb;

	ensure_index();
	if (pa->region.len == 0 || pb->region.len == 0)
		return COMPANY_PART_MISSING;
	ra = region_lookup(a, pa->region_last.off, pa->region_last.len, &fa);
	rb = region_lookup(b, pb->region_last.off, pb->region_last.len, &fb);
	if (ra != NULL && rb != NULL)
	{
		if (strcmp(ra->code, rb->code) == 0)
			return COMPANY_PART_SAME;
		if ((ra->abolished || rb->abolished) && ra->bare_len == rb->bare_len &&
			memcmp(ra->bare, rb->bare, ra->bare_len) == 0)
			return COMPANY_PART_SAME;
		return COMPANY_PART_DIFFERENT;
	}
	return level_cmp(a, pa->region_last.off, pa->region_last.len, b, pb->region_last.off,
					 pb->region_last.len) == 1
			   ? COMPANY_PART_SAME
			   : COMPANY_PART_DIFFERENT;
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
	size_t n = 0;

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
company_name_compare_parsed(const char *a, size_t alen, const CompanyName *pa, const char *b,
							size_t blen, const CompanyName *pb, CompanyComparison *out)
{
	char   fa[COMPANY_NAME_MAX_BYTES + 1];
	char   fb[COMPANY_NAME_MAX_BYTES + 1];
	int    flags = 0;
	size_t na, nb;

	out->region = company_name_region_cmp_names(a, pa, b, pb);
	out->industry = company_name_industry_cmp(pa, pb);
	out->same_kind =
		(pa->is_branch == pb->is_branch && pa->china == pb->china && pa->group == pb->group);
	out->branches = pa->is_branch && pb->is_branch;
	out->branch = 1.0;
	if (out->branches)
		out->branch =
			sim_name(a + pa->branch.off, pa->branch.len, b + pb->branch.off, pb->branch.len);
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
company_name_compare(const char *a, size_t alen, const char *b, size_t blen, CompanyComparison *out)
{
	CompanyName pa, pb;

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
	double sim = cmp->name;

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
company_name_similarity_parsed(const char *a, size_t alen, const CompanyName *pa, const char *b,
							   size_t blen, const CompanyName *pb)
{
	CompanyComparison cmp;

	company_name_compare_parsed(a, alen, pa, b, blen, pb, &cmp);
	return comparison_similarity(&cmp);
}
