/* imap_fetch: typed FETCH data (see imap_parse.h): flags, sizes, dates,
 * ENVELOPE with its address lists, BODYSTRUCTURE with multipart and
 * extension data and RFC 3501 section numbers, and body sections. Every
 * string is copied into the caller's arena. */
#include "config.h"

#include "imap_parse.h"

#include "arena.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- strings */

/* nstring (an atom is tolerated as a string): NULL for NIL. */
static int nstr(struct arena *a, const struct imap_value *v, char **out)
{
	*out = NULL;
	if (!v || v->type == IMAP_LIST)
		return IMAP_PARSE_BAD;
	if (v->type == IMAP_NIL)
		return IMAP_PARSE_OK;
	if (!(*out = arena_strndup(a, v->s, v->len)))
		return IMAP_PARSE_NOMEM;
	return IMAP_PARSE_OK;
}

static int nstr_lower(struct arena *a, const struct imap_value *v, char **out)
{
	int rc = nstr(a, v, out);
	char *p;

	if (rc == IMAP_PARSE_OK && *out)
		for (p = *out; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
	return rc;
}

/* A string that must be there (a media type). */
static int str_lower(struct arena *a, const struct imap_value *v, char **out)
{
	if (!v || v->type != IMAP_STRING)
		return IMAP_PARSE_BAD;
	return nstr_lower(a, v, out);
}

/* ---------------------------------------------------------------- ENVELOPE */

static int parse_address(struct arena *a, const struct imap_value *v, struct imap_address **out)
{
	struct imap_address *ad;
	const struct imap_value *f;
	int rc;

	if (v->type != IMAP_LIST || v->len != 4)
		return IMAP_PARSE_BAD;
	if (!(ad = arena_alloc(a, sizeof(*ad))))
		return IMAP_PARSE_NOMEM;
	f = v->child;
	if ((rc = nstr(a, f, &ad->name)) || (rc = nstr(a, f->next, &ad->adl))
	    || (rc = nstr(a, f->next->next, &ad->mailbox))
	    || (rc = nstr(a, f->next->next->next, &ad->host)))
		return rc;
	*out = ad;
	return IMAP_PARSE_OK;
}

/* NIL or a list of addresses. */
static int parse_addresses(struct arena *a, const struct imap_value *v, struct imap_address **out)
{
	struct imap_address **tail = out;
	const struct imap_value *f;
	int rc;

	*out = NULL;
	if (!v)
		return IMAP_PARSE_BAD;
	if (v->type == IMAP_NIL)
		return IMAP_PARSE_OK;
	if (v->type != IMAP_LIST)
		return IMAP_PARSE_BAD;
	for (f = v->child; f; f = f->next) {
		if ((rc = parse_address(a, f, tail)) != IMAP_PARSE_OK)
			return rc;
		tail = &(*tail)->next;
	}
	return IMAP_PARSE_OK;
}

int imap_parse_envelope(struct arena *a, const struct imap_value *v, struct imap_envelope **out)
{
	const struct imap_value *f[10];
	struct imap_envelope *e;
	size_t i;
	int rc;

	if (!v || v->type != IMAP_LIST || v->len != 10)
		return IMAP_PARSE_BAD;
	for (i = 0, f[0] = v->child; i < 9; i++)
		f[i + 1] = f[i]->next;
	if (!(e = arena_alloc(a, sizeof(*e))))
		return IMAP_PARSE_NOMEM;
	if ((rc = nstr(a, f[0], &e->date)) || (rc = nstr(a, f[1], &e->subject))
	    || (rc = parse_addresses(a, f[2], &e->from)) || (rc = parse_addresses(a, f[3], &e->sender))
	    || (rc = parse_addresses(a, f[4], &e->reply_to)) || (rc = parse_addresses(a, f[5], &e->to))
	    || (rc = parse_addresses(a, f[6], &e->cc)) || (rc = parse_addresses(a, f[7], &e->bcc))
	    || (rc = nstr(a, f[8], &e->in_reply_to)) || (rc = nstr(a, f[9], &e->message_id)))
		return rc;
	*out = e;
	return IMAP_PARSE_OK;
}

/* ---------------------------------------------------------------- BODYSTRUCTURE */

/* body-fld-param: NIL or ("name" "value" ...). */
static int parse_params(struct arena *a, const struct imap_value *v, struct imap_param **out)
{
	struct imap_param **tail = out;
	const struct imap_value *f;
	int rc;

	*out = NULL;
	if (!v)
		return IMAP_PARSE_BAD;
	if (v->type == IMAP_NIL)
		return IMAP_PARSE_OK;
	if (v->type != IMAP_LIST || v->len % 2)
		return IMAP_PARSE_BAD;
	for (f = v->child; f; f = f->next->next) {
		struct imap_param *p = arena_alloc(a, sizeof(*p));

		if (!p)
			return IMAP_PARSE_NOMEM;
		if ((rc = str_lower(a, f, &p->name)) != IMAP_PARSE_OK)
			return rc;
		if (f->next->type != IMAP_STRING)
			return IMAP_PARSE_BAD;
		if ((rc = nstr(a, f->next, &p->value)) != IMAP_PARSE_OK)
			return rc;
		*tail = p;
		tail = &p->next;
	}
	return IMAP_PARSE_OK;
}

/* The optional extension data after body-fld-md5 (single part) or
 * body-fld-param (multipart): disposition, language, location; the rest is
 * for future extensions and skipped. */
static int parse_ext_tail(struct arena *a, const struct imap_value *v, struct imap_body *b)
{
	const struct imap_value *f;
	int rc;

	if (!v)
		return IMAP_PARSE_OK;
	if (v->type == IMAP_LIST) {             /* ("attachment" ("filename" "x")) */
		if (v->len != 2 || v->child->type != IMAP_STRING)
			return IMAP_PARSE_BAD;
		if ((rc = nstr_lower(a, v->child, &b->disposition))
		    || (rc = parse_params(a, v->child->next, &b->disp_params)))
			return rc;
	} else if (v->type != IMAP_NIL) {
		return IMAP_PARSE_BAD;
	}
	if (!(v = v->next))
		return IMAP_PARSE_OK;
	if (v->type == IMAP_LIST) {
		size_t i = 0;

		if (!(b->language = arena_alloc(a, v->len * sizeof(char *))))
			return IMAP_PARSE_NOMEM;
		for (f = v->child; f; f = f->next) {
			if (f->type != IMAP_STRING)
				return IMAP_PARSE_BAD;
			if ((rc = nstr(a, f, &b->language[i++])))
				return rc;
		}
		b->nlanguage = i;
	} else if (v->type == IMAP_STRING) {
		if (!(b->language = arena_alloc(a, sizeof(char *))))
			return IMAP_PARSE_NOMEM;
		if ((rc = nstr(a, v, &b->language[0])))
			return rc;
		b->nlanguage = 1;
	} else if (v->type != IMAP_NIL) {
		return IMAP_PARSE_BAD;
	}
	if (!(v = v->next))
		return IMAP_PARSE_OK;
	return nstr(a, v, &b->location);
}

static int parse_part(struct arena *a, const struct imap_value *v, struct imap_body **out);

static int parse_multipart(struct arena *a, const struct imap_value *f, struct imap_body *b)
{
	struct imap_body **tail = &b->parts;
	int rc;

	for (; f && f->type == IMAP_LIST; f = f->next) {
		if ((rc = parse_part(a, f, tail)) != IMAP_PARSE_OK)
			return rc;
		tail = &(*tail)->next;
		b->nparts++;
	}
	if (!(b->type = arena_strdup(a, "multipart")))
		return IMAP_PARSE_NOMEM;
	if ((rc = str_lower(a, f, &b->subtype)) != IMAP_PARSE_OK)
		return rc;
	if (!(f = f->next))
		return IMAP_PARSE_OK;
	if ((rc = parse_params(a, f, &b->params)) != IMAP_PARSE_OK)
		return rc;
	return parse_ext_tail(a, f->next, b);
}

static int value_u64(const struct imap_value *v, uint64_t *out)
{
	return imap_value_u64(v, out) == 0 ? IMAP_PARSE_OK : IMAP_PARSE_BAD;
}

static int parse_single(struct arena *a, const struct imap_value *f, struct imap_body *b)
{
	int rc;

	/* type subtype params id description encoding size */
	if ((rc = str_lower(a, f, &b->type)) || (rc = str_lower(a, f->next, &b->subtype)))
		return rc;
	f = f->next->next;
	if (!f || !f->next || !f->next->next || !f->next->next->next || !f->next->next->next->next)
		return IMAP_PARSE_BAD;
	if ((rc = parse_params(a, f, &b->params)) || (rc = nstr(a, f->next, &b->id))
	    || (rc = nstr(a, f->next->next, &b->description))
	    || (rc = nstr_lower(a, f->next->next->next, &b->encoding))
	    || (rc = value_u64(f->next->next->next->next, &b->size)))
		return rc;
	f = f->next->next->next->next->next;
	if (!strcmp(b->type, "message") && (!strcmp(b->subtype, "rfc822") || !strcmp(b->subtype, "global"))
	    && f && f->type == IMAP_LIST) {
		if (!f->next || !f->next->next)
			return IMAP_PARSE_BAD;
		if ((rc = imap_parse_envelope(a, f, &b->env)) || (rc = parse_part(a, f->next, &b->msg))
		    || (rc = value_u64(f->next->next, &b->lines)))
			return rc;
		f = f->next->next->next;
	} else if (!strcmp(b->type, "text") && f) {
		if ((rc = value_u64(f, &b->lines)))
			return rc;
		f = f->next;
	}
	if (!f)
		return IMAP_PARSE_OK;
	if ((rc = nstr(a, f, &b->md5)) != IMAP_PARSE_OK)
		return rc;
	return parse_ext_tail(a, f->next, b);
}

/* One body, unnumbered. The value tree's depth bound also bounds this
 * recursion. */
static int parse_part(struct arena *a, const struct imap_value *v, struct imap_body **out)
{
	struct imap_body *b;

	if (!v || v->type != IMAP_LIST || !v->child)
		return IMAP_PARSE_BAD;
	if (!(b = arena_alloc(a, sizeof(*b))))
		return IMAP_PARSE_NOMEM;
	*out = b;
	if (v->child->type == IMAP_LIST)
		return parse_multipart(a, v->child, b);
	return parse_single(a, v->child, b);
}

static int number_parts(struct arena *a, struct imap_body *b, char *section)
{
	struct imap_body *c;
	size_t i = 1;
	char *s;

	b->section = section;
	if (b->parts) {
		for (c = b->parts; c; c = c->next, i++) {
			s = *section ? arena_printf(a, "%s.%zu", section, i) : arena_printf(a, "%zu", i);
			if (!s || number_parts(a, c, s) != IMAP_PARSE_OK)
				return IMAP_PARSE_NOMEM;
		}
	} else if (b->msg) {
		/* A message's multipart body has its parts at section.N, a
		 * single-part body is section.1 (RFC 3501 §6.4.5). */
		s = b->msg->parts ? section : arena_printf(a, "%s.1", section);
		if (!s)
			return IMAP_PARSE_NOMEM;
		return number_parts(a, b->msg, s);
	}
	return IMAP_PARSE_OK;
}

int imap_parse_body(struct arena *a, const struct imap_value *v, struct imap_body **out)
{
	int rc = parse_part(a, v, out);
	char *top;

	if (rc != IMAP_PARSE_OK)
		return rc;
	top = arena_strdup(a, (*out)->parts ? "" : "1");
	if (!top)
		return IMAP_PARSE_NOMEM;
	return number_parts(a, *out, top);
}

/* ---------------------------------------------------------------- FETCH */

/* "BODY[1.2]<0>", "BINARY[2]", "RFC822.TEXT" ... with a string or NIL. */
static int parse_section(struct arena *a, const struct imap_value *k, const struct imap_value *v,
                         struct imap_fetch *f)
{
	const char *open = memchr(k->s, '[', k->len), *close, *end = k->s + k->len;
	struct imap_section *sec;
	char *data;

	if (v->type != IMAP_STRING && v->type != IMAP_NIL)
		return IMAP_PARSE_BAD;
	if (!(sec = arena_alloc(a, sizeof(*sec))))
		return IMAP_PARSE_NOMEM;
	if (open) {
		for (close = end; close > open && close[-1] != ']'; close--)
			;
		if (close == open)
			return IMAP_PARSE_BAD;
		sec->binary = imap_span_eq(k->s, (size_t)(open - k->s), "BINARY");
		if (!(sec->spec = arena_strndup(a, open + 1, (size_t)(close - 1 - (open + 1)))))
			return IMAP_PARSE_NOMEM;
		if (close < end) {              /* "<origin>" */
			struct imap_value n = { IMAP_ATOM, 0, close + 1, 0, NULL, NULL };

			if (end - close < 3 || *close != '<' || end[-1] != '>')
				return IMAP_PARSE_BAD;
			n.len = (size_t)(end - close) - 2;
			if (imap_value_u64(&n, &sec->origin) < 0)
				return IMAP_PARSE_BAD;
			sec->has_origin = 1;
		}
	} else {
		/* RFC822 = BODY[], RFC822.HEADER = BODY[HEADER], RFC822.TEXT = BODY[TEXT] */
		const char *spec = k->len > 7 ? k->s + 7 : "";

		if (!(sec->spec = arena_strndup(a, spec, k->len > 7 ? k->len - 7 : 0)))
			return IMAP_PARSE_NOMEM;
	}
	if (v->type == IMAP_STRING) {
		if (!(data = arena_alloc(a, v->len + 1)))
			return IMAP_PARSE_NOMEM;
		memcpy(data, v->s, v->len);
		sec->data = data;
		sec->len = v->len;
	}
	sec->next = f->sections;
	f->sections = sec;
	return IMAP_PARSE_OK;
}

static int parse_modseq(const struct imap_value *v, uint64_t *out)
{
	if (v->type != IMAP_LIST || v->len != 1)
		return IMAP_PARSE_BAD;
	return value_u64(v->child, out);
}

static int fetch_item(struct arena *a, const struct imap_value *k, const struct imap_value *v,
                      struct imap_fetch *f)
{
	int rc = IMAP_PARSE_OK;
	unsigned bit = 0;

	if (k->type != IMAP_ATOM)
		return IMAP_PARSE_BAD;
	if (imap_atom_eq(k, "UID")) {
		bit = IMAP_FETCH_UID;
		rc = imap_value_u32(v, &f->uid) == 0 && f->uid ? IMAP_PARSE_OK : IMAP_PARSE_BAD;
	} else if (imap_atom_eq(k, "FLAGS")) {
		bit = IMAP_FETCH_FLAGS;
		rc = imap_parse_flags(a, v, &f->flags);
	} else if (imap_atom_eq(k, "RFC822.SIZE")) {
		bit = IMAP_FETCH_SIZE;
		rc = value_u64(v, &f->size);
	} else if (imap_atom_eq(k, "INTERNALDATE")) {
		bit = IMAP_FETCH_INTERNALDATE;
		rc = v->type == IMAP_STRING && imap_parse_date_time(v->s, v->len, &f->internaldate) == 0
		     ? IMAP_PARSE_OK : IMAP_PARSE_BAD;
	} else if (imap_atom_eq(k, "ENVELOPE")) {
		bit = IMAP_FETCH_ENVELOPE;
		rc = imap_parse_envelope(a, v, &f->env);
	} else if (imap_atom_eq(k, "BODYSTRUCTURE") || imap_atom_eq(k, "BODY")) {
		bit = IMAP_FETCH_BODYSTRUCTURE;
		rc = imap_parse_body(a, v, &f->body);
	} else if (imap_atom_eq(k, "MODSEQ")) {
		bit = IMAP_FETCH_MODSEQ;
		rc = parse_modseq(v, &f->modseq);
	} else if (imap_atom_eq(k, "RFC822") || imap_atom_eq(k, "RFC822.HEADER")
	           || imap_atom_eq(k, "RFC822.TEXT")
	           || ((k->len > 5 && !strncasecmp(k->s, "BODY[", 5))
	               || (k->len > 7 && !strncasecmp(k->s, "BINARY[", 7)))) {
		rc = parse_section(a, k, v, f);
	}
	f->have |= bit;
	return rc;
}

int imap_parse_fetch(struct arena *a, const struct imap_response *r, struct imap_fetch *out)
{
	const struct imap_value *k;
	int rc;

	memset(out, 0, sizeof(*out));
	if (r->kind != IMAP_UNTAGGED || r->cond != IMAP_COND_NONE || !r->has_number
	    || !imap_span_eq(r->name, r->name_len, "FETCH") || !r->data || r->data->next
	    || r->data->type != IMAP_LIST || r->data->len % 2)
		return IMAP_PARSE_BAD;
	out->seq = r->number;
	for (k = r->data->child; k; k = k->next->next)
		if ((rc = fetch_item(a, k, k->next, out)) != IMAP_PARSE_OK)
			return rc;
	return IMAP_PARSE_OK;
}

/* ---------------------------------------------------------------- lookups */

const struct imap_section *imap_fetch_section(const struct imap_fetch *f, const char *spec)
{
	const struct imap_section *s;

	for (s = f->sections; s; s = s->next)
		if (!strcasecmp(s->spec, spec))
			return s;
	return NULL;
}

const struct imap_body *imap_body_find(const struct imap_body *b, const char *section)
{
	const struct imap_body *c, *hit;

	if (!b)
		return NULL;
	if (b->section && !strcmp(b->section, section))
		return b;               /* pre-order: a message part before its own body */
	for (c = b->parts; c; c = c->next)
		if ((hit = imap_body_find(c, section)))
			return hit;
	return b->msg ? imap_body_find(b->msg, section) : NULL;
}

const char *imap_param_get(const struct imap_param *p, const char *name)
{
	for (; p; p = p->next)
		if (!strcasecmp(p->name, name))
			return p->value;
	return NULL;
}
