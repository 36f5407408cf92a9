/*
 * ident.h
 *		Chinese identifiers: unified social credit code (GB 32100-2015), resident
 *		identity number (GB 11643-1999), organization code (GB 11714-1997).
 *
 * Pure core: no PostgreSQL headers, so that unit tests and fuzzers call it
 * outside the server.  Every function takes a pointer and a length, never
 * reads past the length, needs no NUL terminator and allocates nothing.
 * The validators judge the canonical form only (upper case ASCII, no spaces
 * or hyphens); normalize_ident() in normalize.h produces that form from what
 * people type.
 */
#ifndef TAXSHARE_IDENT_H
#define TAXSHARE_IDENT_H

#include <stdbool.h>
#include <stddef.h>

#define IDENT_USCC_LEN     18
#define IDENT_IDCARD_LEN   18
#define IDENT_IDCARD15_LEN 15
#define IDENT_ORGCODE_LEN  9

/* 18 characters over 0-9 A-H J-N P-R T U W-Y, last one the mod-31 check. */
bool ident_uscc_valid(const char *s, size_t len);

/*
 * 17 digits and a check character ('0'..'9' or upper case 'X'); a plausible
 * province code, a birth date that is a real date in 1800-01-01..2100-12-31,
 * and the ISO 7064 MOD 11-2 check.
 */
bool ident_idcard_valid(const char *s, size_t len); /* 18-char canonical form */

/* 15 digits: province code as above, YYMMDD a real date in 19YY. */
bool ident_idcard15_valid(const char *s, size_t len); /* legacy 15-digit */

/* 8 characters over 0-9 A-Z and the mod-11 check ('0'..'9' or 'X'). */
bool ident_orgcode_valid(const char *s, size_t len);

/*
 * A valid 15-digit number becomes its 18-character form ("19" inserted before
 * the year, check character appended); a valid 18-character number is copied
 * unchanged.  out is NUL-terminated.  False (out untouched) for anything else.
 */
bool ident_idcard_upgrade(const char *s, size_t len,
						  char out[19]); /* 15 -> 18, NUL-terminated; false if invalid */

/*
 * Birth date of a valid 18- or 15-character number; false (outputs untouched)
 * if s is neither.
 */
bool ident_idcard_birthdate(const char *s, size_t len, int *year, int *month,
							int *day); /* 15 or 18 */

/* Any year of the proleptic Gregorian calendar (Gregorian leap rule). */
bool ident_date_valid(int year, int month, int day); /* proleptic Gregorian calendar date */

/*
 * Check characters.  Each reads at most 17 (8) bytes and stops at the first
 * byte outside the alphabet, returning '\0', so a shorter NUL-terminated
 * string is safe to pass.
 */
char ident_uscc_check_char(const char *s17);   /* check char for 17 valid chars, or '\0' */
char ident_idcard_check_char(const char *s17); /* '0'..'9' or 'X', or '\0' */
char ident_orgcode_check_char(const char *s8); /* '0'..'9' or 'X', or '\0' */

/*
 * Why a value is not valid, for error messages.  The diagnosers agree with the
 * validators: they return IDENT_OK exactly when the validator returns true.
 * *pos (may be NULL) receives the 0-based position of the first offending
 * character for IDENT_BAD_CHAR and IDENT_BAD_CHECK, else 0.
 */
typedef enum IdentProblem
{
	IDENT_OK = 0,
	IDENT_BAD_LENGTH, /* wrong number of bytes */
	IDENT_BAD_CHAR,   /* a character outside the alphabet */
	IDENT_BAD_REGION, /* no such province code (resident ID) */
	IDENT_BAD_DATE,   /* birth date not real or out of range */
	IDENT_BAD_CHECK   /* check character does not match */
} IdentProblem;

IdentProblem ident_uscc_problem(const char *s, size_t len, size_t *pos);
IdentProblem ident_orgcode_problem(const char *s, size_t len, size_t *pos);

/* Judges 18-character numbers, and 15-character ones as legacy numbers. */
IdentProblem ident_idcard_problem(const char *s, size_t len, size_t *pos);

/* Is this 2-digit number (11..82) a province-level code of GB/T 2260? */
bool ident_province_code_valid(int code);

#endif /* TAXSHARE_IDENT_H */
