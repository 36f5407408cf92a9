/*
 * validate_msg.h
 *		Pure core: the Chinese and English messages behind each error code.
 *
 * Every message template takes three strings in the same order in both
 * languages: the label of the field (or rule), the offending value, and one
 * more argument (a limit, a type name, another field).  Values are quoted by
 * the template and cut to VMSG_VALUE_CHARS code points.
 */
#ifndef TAXSHARE_VALIDATE_MSG_H
#define TAXSHARE_VALIDATE_MSG_H

#include "validate/validate.h"

#define VMSG_VALUE_CHARS 40

/* The message for template key (an error code, or a variant such as "lte_time"). */
extern const char *vmsg_build(const ValidateMem *mem, ValidateLang lang, const char *key,
							  const char *label, const char *value, size_t value_len,
							  const char *arg);

/* "签约日期(sign_date)" in Chinese, "sign_date" in English. */
extern const char *vmsg_label(const ValidateMem *mem, ValidateLang lang, const FieldSpec *f);

/* The type's name for messages ("日期" / "date"). */
extern const char *vmsg_type_name(ValidateLang lang, FieldType t);

/* Why an identifier is invalid ("校验码不符" / "check character does not match"). */
extern const char *vmsg_ident_reason(ValidateLang lang, FieldType t, const char *canon, size_t len);

/* A JSON kind word ("object", "array", "string", "number", "boolean", "null") for messages. */
extern const char *vmsg_json_kind(ValidateLang lang, const char *kind);

/* printf into memory from mem. */
extern const char *vmsg_printf(const ValidateMem *mem, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif /* TAXSHARE_VALIDATE_MSG_H */
