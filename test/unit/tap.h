/*
 * tap.h
 *		A minimal TAP producer for the C unit tests of the pure cores.
 *
 * Each test program prints "ok N - name" / "not ok N - name" lines and a
 * closing plan "1..N"; it exits non-zero when any check failed.  The test
 * command (scripts/test.sh) counts the lines.
 */
#ifndef TAXSHARE_TAP_H
#define TAXSHARE_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count = 0;
static int tap_failed = 0;

#define ok(cond, ...)                                                 \
	do                                                                \
	{                                                                 \
		int tap_ok_ = (cond) ? 1 : 0;                                 \
		tap_count++;                                                  \
		if (!tap_ok_)                                                 \
			tap_failed++;                                             \
		printf("%sok %d - ", tap_ok_ ? "" : "not ", tap_count);       \
		printf(__VA_ARGS__);                                          \
		printf("\n");                                                 \
		if (!tap_ok_)                                                 \
			printf("#   failed at %s line %d\n", __FILE__, __LINE__); \
	} while (0)

#define is_str(got, want, ...)                                                                       \
	do                                                                                               \
	{                                                                                                \
		const char *tap_g_ = (got), *tap_w_ = (want);                                                \
		int         tap_same_ = (tap_g_ && tap_w_) ? strcmp(tap_g_, tap_w_) == 0 : tap_g_ == tap_w_; \
		ok(tap_same_, __VA_ARGS__);                                                                  \
		if (!tap_same_)                                                                              \
			printf("#   got: '%s'\n#   expected: '%s'\n", tap_g_ ? tap_g_ : "(null)",                \
				   tap_w_ ? tap_w_ : "(null)");                                                      \
	} while (0)

#define is_int(got, want, ...)                                           \
	do                                                                   \
	{                                                                    \
		long tap_g_ = (long) (got), tap_w_ = (long) (want);              \
		ok(tap_g_ == tap_w_, __VA_ARGS__);                               \
		if (tap_g_ != tap_w_)                                            \
			printf("#   got: %ld\n#   expected: %ld\n", tap_g_, tap_w_); \
	} while (0)

/* Print the plan and return the exit status for main(). */
static inline int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed == 0 ? 0 : 1;
}

#endif /* TAXSHARE_TAP_H */
