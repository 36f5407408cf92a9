/*
 * jsonb_raw.h
 *		Read a jsonb object in place: its keys and values straight from the
 *		container's JEntries, without an iterator and without copies.
 *
 * An object of n pairs stores n key JEntries, then n value JEntries, then the
 * keys' bytes and the values' bytes in the same order (the layout jsonb's own
 * fillJsonbValue() reads).  A JEntry holds either the end offset of its data
 * or its length (JBE_HAS_OFF), so the offsets are carried along the walk.
 * Used by the intake (reading a reported row) and the ledger (hashing a
 * record's canonical form), both in the loops that run once per field.
 */
#ifndef TAXSHARE_JSONB_RAW_H
#define TAXSHARE_JSONB_RAW_H

#include "utils/jsonb.h"

/* The length of the data of an entry that starts at offset off. */
static inline uint32
jsonb_raw_len(JEntry je, uint32 off)
{
	return JBE_HAS_OFF(je) ? JBE_OFFLENFLD(je) - off : JBE_OFFLENFLD(je);
}

typedef struct JsonbRawObject
{
	const JsonbContainer *obj;
	const char           *data; /* the keys' and values' bytes */
	uint32                count;
	uint32                i;    /* the next pair */
	uint32                koff; /* its key's offset in data */
	uint32                voff; /* its value's offset in data */
} JsonbRawObject;

/* One key and value of an object, keys in jsonb's order (length, then bytes). */
typedef struct JsonbRawPair
{
	const char *key;
	uint32      klen;
	JEntry      value; /* read the value with data, voff and vlen */
	uint32      voff;
	uint32      vlen;
} JsonbRawPair;

static inline void
jsonb_raw_object_begin(JsonbRawObject *w, const JsonbContainer *obj)
{
	uint32 n;

	w->obj = obj;
	w->count = JsonContainerSize(obj);
	w->data = (const char *) &obj->children[2 * w->count];
	w->i = 0;
	w->koff = 0;
	w->voff = 0;
	for (n = 0; n < w->count; n++)
		JBE_ADVANCE_OFFSET(w->voff, obj->children[n]); /* the values follow the keys */
}

/* The next pair into *p; false after the last. */
static inline bool
jsonb_raw_object_next(JsonbRawObject *w, JsonbRawPair *p)
{
	JEntry ke;
	JEntry ve;

	if (w->i >= w->count)
		return false;
	ke = w->obj->children[w->i];
	ve = w->obj->children[w->count + w->i];
	p->key = w->data + w->koff;
	p->klen = jsonb_raw_len(ke, w->koff);
	p->value = ve;
	p->voff = w->voff;
	p->vlen = jsonb_raw_len(ve, w->voff);
	JBE_ADVANCE_OFFSET(w->koff, ke);
	JBE_ADVANCE_OFFSET(w->voff, ve);
	w->i++;
	return true;
}

#endif /* TAXSHARE_JSONB_RAW_H */
