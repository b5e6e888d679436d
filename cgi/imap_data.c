/* imap_data: typed readers of untagged data other than FETCH (see
 * imap_parse.h): CAPABILITY, flags, LIST, STATUS, the selected mailbox,
 * SEARCH / SORT / ESEARCH, sequence sets and INTERNALDATE. */
#include "config.h"

#include "imap_parse.h"

#include "arena.h"
#include "mutf7.h"

#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- capabilities */

static const struct {
	const char *name;
	uint32_t bit;
} caps[] = {
	{ "IMAP4rev1", IMAP_CAP_IMAP4REV1 },
	{ "IMAP4rev2", IMAP_CAP_IMAP4REV2 },
	{ "STARTTLS", IMAP_CAP_STARTTLS },
	{ "LOGINDISABLED", IMAP_CAP_LOGINDISABLED },
	{ "AUTH=PLAIN", IMAP_CAP_AUTH_PLAIN },
	{ "SASL-IR", IMAP_CAP_SASL_IR },
	{ "LITERAL+", IMAP_CAP_LITERALPLUS },
	{ "LITERAL-", IMAP_CAP_LITERALMINUS },
	{ "MOVE", IMAP_CAP_MOVE },
	{ "UIDPLUS", IMAP_CAP_UIDPLUS },
	{ "SORT", IMAP_CAP_SORT },
	{ "ESEARCH", IMAP_CAP_ESEARCH },
	{ "SPECIAL-USE", IMAP_CAP_SPECIAL_USE },
	{ "LIST-EXTENDED", IMAP_CAP_LIST_EXTENDED },
	{ "LIST-STATUS", IMAP_CAP_LIST_STATUS },
	{ "ENABLE", IMAP_CAP_ENABLE },
	{ "UTF8=ACCEPT", IMAP_CAP_UTF8_ACCEPT },
	{ "IDLE", IMAP_CAP_IDLE },
	{ "CONDSTORE", IMAP_CAP_CONDSTORE },
	{ "NAMESPACE", IMAP_CAP_NAMESPACE },
	{ "BINARY", IMAP_CAP_BINARY },
	{ "CHILDREN", IMAP_CAP_CHILDREN },
	{ "UNSELECT", IMAP_CAP_UNSELECT },
	{ "STATUS=SIZE", IMAP_CAP_STATUS_SIZE },
};

#define NCAPS (sizeof(caps) / sizeof(caps[0]))

uint32_t imap_caps_parse(const struct imap_value *v)
{
	uint32_t bits = 0;
	size_t i;

	for (; v; v = v->next) {
		if (v->type != IMAP_ATOM)
			continue;
		for (i = 0; i < NCAPS; i++)
			if (imap_span_eq(v->s, v->len, caps[i].name))
				bits |= caps[i].bit;
	}
	return bits;
}

const char *imap_cap_name(uint32_t cap)
{
	size_t i;

	for (i = 0; i < NCAPS; i++)
		if (caps[i].bit == cap)
			return caps[i].name;
	return NULL;
}

/* ---------------------------------------------------------------- flags */

static const struct {
	const char *name;
	unsigned bit;
} sysflags[] = {
	{ "\\Seen", IMAP_FLAG_SEEN }, { "\\Answered", IMAP_FLAG_ANSWERED },
	{ "\\Flagged", IMAP_FLAG_FLAGGED }, { "\\Deleted", IMAP_FLAG_DELETED },
	{ "\\Draft", IMAP_FLAG_DRAFT }, { "\\Recent", IMAP_FLAG_RECENT },
	{ "\\*", IMAP_FLAG_ANY_KEYWORD },
};

int imap_parse_flags(struct arena *a, const struct imap_value *v, struct imap_flags *out)
{
	const struct imap_value *f;
	size_t i, nkw = 0;

	memset(out, 0, sizeof(*out));
	if (!v || v->type != IMAP_LIST)
		return IMAP_PARSE_BAD;
	for (f = v->child; f; f = f->next) {
		if (f->type != IMAP_ATOM)
			return IMAP_PARSE_BAD;
		for (i = 0; i < sizeof(sysflags) / sizeof(sysflags[0]); i++)
			if (imap_span_eq(f->s, f->len, sysflags[i].name))
				break;
		if (i < sizeof(sysflags) / sizeof(sysflags[0]))
			out->bits |= sysflags[i].bit;
		else
			nkw++;
	}
	if (!nkw || !a)                   /* a NULL arena: the bits are enough */
		return IMAP_PARSE_OK;
	if (!(out->keywords = arena_alloc(a, nkw * sizeof(char *))))
		return IMAP_PARSE_NOMEM;
	for (f = v->child; f; f = f->next) {
		for (i = 0; i < sizeof(sysflags) / sizeof(sysflags[0]); i++)
			if (imap_span_eq(f->s, f->len, sysflags[i].name))
				break;
		if (i < sizeof(sysflags) / sizeof(sysflags[0]))
			continue;
		if (!(out->keywords[out->nkeywords++] = arena_strndup(a, f->s, f->len)))
			return IMAP_PARSE_NOMEM;
	}
	return IMAP_PARSE_OK;
}

/* ---------------------------------------------------------------- LIST */

static const struct {
	const char *name;
	unsigned bit;
} mbxflags[] = {
	{ "\\Noinferiors", IMAP_MBX_NOINFERIORS }, { "\\Noselect", IMAP_MBX_NOSELECT },
	{ "\\Marked", IMAP_MBX_MARKED }, { "\\Unmarked", IMAP_MBX_UNMARKED },
	{ "\\NonExistent", IMAP_MBX_NONEXISTENT }, { "\\Subscribed", IMAP_MBX_SUBSCRIBED },
	{ "\\Remote", IMAP_MBX_REMOTE }, { "\\HasChildren", IMAP_MBX_HASCHILDREN },
	{ "\\HasNoChildren", IMAP_MBX_HASNOCHILDREN }, { "\\All", IMAP_MBX_ALL },
	{ "\\Archive", IMAP_MBX_ARCHIVE }, { "\\Drafts", IMAP_MBX_DRAFTS },
	{ "\\Flagged", IMAP_MBX_FLAGGED }, { "\\Junk", IMAP_MBX_JUNK },
	{ "\\Sent", IMAP_MBX_SENT }, { "\\Trash", IMAP_MBX_TRASH },
};

/* A mailbox name: an astring, where an atom NIL is the name "NIL". */
static char *mailbox_dup(struct arena *a, const struct imap_value *v, int *bad)
{
	char *s;

	if (!v || v->type == IMAP_LIST) {
		*bad = IMAP_PARSE_BAD;
		return NULL;
	}
	if (!(s = arena_strndup(a, v->s, v->len)))
		*bad = IMAP_PARSE_NOMEM;
	else if (memchr(v->s, '\0', v->len))
		*bad = IMAP_PARSE_BAD;
	return *bad ? NULL : s;
}

int imap_parse_list(struct arena *a, const struct imap_response *r, struct imap_mailbox *out)
{
	const struct imap_value *flags = r->data, *delim, *name, *f;
	size_t i;
	int bad = 0;

	memset(out, 0, sizeof(*out));
	if (r->kind != IMAP_UNTAGGED || r->cond != IMAP_COND_NONE || r->has_number
	    || !(imap_span_eq(r->name, r->name_len, "LIST") || imap_span_eq(r->name, r->name_len, "LSUB")))
		return IMAP_PARSE_BAD;
	if (!flags || flags->type != IMAP_LIST || !(delim = flags->next) || !(name = delim->next))
		return IMAP_PARSE_BAD;
	for (f = flags->child; f; f = f->next) {
		if (f->type != IMAP_ATOM)
			return IMAP_PARSE_BAD;
		for (i = 0; i < sizeof(mbxflags) / sizeof(mbxflags[0]); i++)
			if (imap_span_eq(f->s, f->len, mbxflags[i].name))
				out->flags |= mbxflags[i].bit;
	}
	if (delim->type == IMAP_STRING && delim->len == 1 && !delim->literal)
		out->delim = delim->s[0];
	else if (delim->type != IMAP_NIL)
		return IMAP_PARSE_BAD;
	/* name->next: LIST-EXTENDED's extended items, not used. */
	if (!(out->raw = mailbox_dup(a, name, &bad)))
		return bad;
	if (!strcasecmp(out->raw, "INBOX")) {
		out->raw = out->name = "INBOX";
		return IMAP_PARSE_OK;
	}
	if (mutf7_decode(a, out->raw, strlen(out->raw), &out->name) < 0)
		out->name = NULL;
	return IMAP_PARSE_OK;
}

/* ---------------------------------------------------------------- STATUS */

static const struct {
	const char *name;
	unsigned bit;
} statusitems[] = {
	{ "MESSAGES", IMAP_ST_MESSAGES }, { "RECENT", IMAP_ST_RECENT },
	{ "UIDNEXT", IMAP_ST_UIDNEXT }, { "UIDVALIDITY", IMAP_ST_UIDVALIDITY },
	{ "UNSEEN", IMAP_ST_UNSEEN }, { "SIZE", IMAP_ST_SIZE },
	{ "HIGHESTMODSEQ", IMAP_ST_HIGHESTMODSEQ },
};

static int status_item(struct imap_status *st, const struct imap_value *k, const struct imap_value *v)
{
	uint64_t n;
	size_t i;

	if (k->type != IMAP_ATOM || imap_value_u64(v, &n) < 0)
		return IMAP_PARSE_BAD;
	for (i = 0; i < sizeof(statusitems) / sizeof(statusitems[0]); i++)
		if (imap_span_eq(k->s, k->len, statusitems[i].name))
			break;
	if (i == sizeof(statusitems) / sizeof(statusitems[0]))
		return IMAP_PARSE_OK;                  /* an item we did not ask for */
	if (statusitems[i].bit != IMAP_ST_SIZE && statusitems[i].bit != IMAP_ST_HIGHESTMODSEQ
	    && n > UINT32_MAX)
		return IMAP_PARSE_BAD;
	st->have |= statusitems[i].bit;
	switch (statusitems[i].bit) {
	case IMAP_ST_MESSAGES: st->messages = (uint32_t)n; break;
	case IMAP_ST_RECENT: st->recent = (uint32_t)n; break;
	case IMAP_ST_UIDNEXT: st->uidnext = (uint32_t)n; break;
	case IMAP_ST_UIDVALIDITY: st->uidvalidity = (uint32_t)n; break;
	case IMAP_ST_UNSEEN: st->unseen = (uint32_t)n; break;
	case IMAP_ST_SIZE: st->size = n; break;
	default: st->highestmodseq = n; break;
	}
	return IMAP_PARSE_OK;
}

int imap_parse_status(struct arena *a, const struct imap_response *r, char **raw_name,
                      struct imap_status *out)
{
	const struct imap_value *name = r->data, *list, *k;
	int bad = 0, rc;

	memset(out, 0, sizeof(*out));
	if (r->kind != IMAP_UNTAGGED || r->cond != IMAP_COND_NONE || r->has_number
	    || !imap_span_eq(r->name, r->name_len, "STATUS"))
		return IMAP_PARSE_BAD;
	if (!name || !(list = name->next) || list->type != IMAP_LIST || list->len % 2)
		return IMAP_PARSE_BAD;
	if (!(*raw_name = mailbox_dup(a, name, &bad)))
		return bad;
	for (k = list->child; k; k = k->next->next)
		if ((rc = status_item(out, k, k->next)) != IMAP_PARSE_OK)
			return rc;
	return IMAP_PARSE_OK;
}

/* ---------------------------------------------------------------- selected mailbox */

static int code_u32(const struct imap_response *r, uint32_t *out)
{
	return imap_value_u32(r->code_args, out) == 0 ? 1 : 0;
}

static int apply_code(struct imap_selected *s, const struct imap_response *r)
{
	struct imap_flags fl;
	const char *c = r->code;
	size_t n = r->code_len;

	if (imap_span_eq(c, n, "UIDVALIDITY") && code_u32(r, &s->uidvalidity))
		s->have |= IMAP_SEL_UIDVALIDITY;
	else if (imap_span_eq(c, n, "UIDNEXT") && code_u32(r, &s->uidnext))
		s->have |= IMAP_SEL_UIDNEXT;
	else if (imap_span_eq(c, n, "UNSEEN") && code_u32(r, &s->unseen))
		s->have |= IMAP_SEL_UNSEEN;
	else if (imap_span_eq(c, n, "HIGHESTMODSEQ") && imap_value_u64(r->code_args, &s->highestmodseq) == 0)
		s->have |= IMAP_SEL_HIGHESTMODSEQ;
	else if (imap_span_eq(c, n, "PERMANENTFLAGS") && imap_parse_flags(NULL, r->code_args, &fl) != IMAP_PARSE_BAD) {
		s->permanent_flags = fl.bits;
		s->have |= IMAP_SEL_PERMFLAGS;
	} else if (imap_span_eq(c, n, "READ-ONLY"))
		s->read_only = 1;
	else if (imap_span_eq(c, n, "READ-WRITE"))
		s->read_only = 0;
	else
		return 0;
	return 1;
}

int imap_selected_apply(struct imap_selected *s, const struct imap_response *r)
{
	struct imap_flags fl;
	const char *nm = r->name;
	size_t n = r->name_len;

	if (r->code && (r->cond == IMAP_COND_OK || r->cond == IMAP_COND_NO))
		return apply_code(s, r);
	if (r->kind != IMAP_UNTAGGED || r->cond != IMAP_COND_NONE)
		return 0;
	if (r->has_number && imap_span_eq(nm, n, "EXISTS")) {
		s->exists = r->number;
		s->have |= IMAP_SEL_EXISTS;
	} else if (r->has_number && imap_span_eq(nm, n, "RECENT")) {
		s->recent = r->number;
		s->have |= IMAP_SEL_RECENT;
	} else if (r->has_number && imap_span_eq(nm, n, "EXPUNGE")) {
		if (s->exists)
			s->exists--;
	} else if (!r->has_number && imap_span_eq(nm, n, "FLAGS")
	           && imap_parse_flags(NULL, r->data, &fl) != IMAP_PARSE_BAD) {
		s->flags = fl.bits;
		s->have |= IMAP_SEL_FLAGS;
	} else {
		return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- SEARCH, SORT */

int imap_parse_numbers(struct arena *a, const struct imap_response *r, size_t max,
                       uint32_t **out, size_t *n)
{
	const struct imap_value *v;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	if (r->kind != IMAP_UNTAGGED || r->cond != IMAP_COND_NONE || r->has_number)
		return IMAP_PARSE_BAD;
	for (v = r->data; v; v = v->next) {
		if (v->type == IMAP_LIST && !v->next)
			break;                          /* "(MODSEQ n)" (RFC 7162) */
		if (v->type != IMAP_ATOM)
			return IMAP_PARSE_BAD;
		count++;
	}
	if (count > max)
		return IMAP_PARSE_TOO_BIG;
	if (!count)
		return IMAP_PARSE_OK;
	if (!(*out = arena_alloc(a, count * sizeof(uint32_t))))
		return IMAP_PARSE_NOMEM;
	for (v = r->data; v && v->type == IMAP_ATOM; v = v->next)
		if (imap_value_u32(v, &(*out)[(*n)++]) < 0 || (*out)[*n - 1] == 0)
			return IMAP_PARSE_BAD;
	return IMAP_PARSE_OK;
}

/* One "a" or "a:b" of a set: its bounds in lo <= hi. */
static int seq_range(const char *s, size_t n, uint32_t *lo, uint32_t *hi)
{
	const char *colon = memchr(s, ':', n);
	struct imap_value v = { IMAP_ATOM, 0, s, colon ? (size_t)(colon - s) : n, NULL, NULL };
	uint32_t t;

	if (imap_value_u32(&v, lo) < 0 || *lo == 0)
		return -1;
	*hi = *lo;
	if (colon) {
		v.s = colon + 1;
		v.len = n - v.len - 1;
		if (imap_value_u32(&v, hi) < 0 || *hi == 0)
			return -1;
	}
	if (*lo > *hi) {
		t = *lo;
		*lo = *hi;
		*hi = t;
	}
	return 0;
}

int imap_parse_seqset(struct arena *a, const char *s, size_t n, size_t max,
                      uint32_t **out, size_t *count)
{
	size_t i, start, total = 0, pass;
	uint32_t lo, hi;

	*out = NULL;
	*count = 0;
	/* Pass 0 checks and counts, pass 1 fills. */
	for (pass = 0; pass < 2; pass++) {
		for (start = 0, i = 0; i <= n; i++) {
			if (i < n && s[i] != ',')
				continue;
			if (seq_range(s + start, i - start, &lo, &hi) < 0)
				return IMAP_PARSE_BAD;
			if (pass == 0) {
				if ((uint64_t)hi - lo + 1 > max - total)
					return IMAP_PARSE_TOO_BIG;
				total += (size_t)(hi - lo) + 1;
			} else {
				for (;;) {
					(*out)[(*count)++] = lo;
					if (lo == hi)
						break;
					lo++;
				}
			}
			start = i + 1;
		}
		if (pass == 0 && !(*out = arena_alloc(a, total * sizeof(uint32_t))))
			return IMAP_PARSE_NOMEM;
	}
	return IMAP_PARSE_OK;
}

/* ---------------------------------------------------------------- ESEARCH */

static int es_number(const struct imap_value *v, uint32_t *n, unsigned *have, unsigned bit)
{
	if (imap_value_u32(v, n) < 0)
		return IMAP_PARSE_BAD;
	*have |= bit;
	return IMAP_PARSE_OK;
}

static int esearch_item(struct arena *a, struct imap_esearch *es, const struct imap_value *k,
                        const struct imap_value *v, size_t max)
{
	if (imap_atom_eq(k, "MIN"))
		return es_number(v, &es->min, &es->have, IMAP_ES_MIN);
	if (imap_atom_eq(k, "MAX"))
		return es_number(v, &es->max, &es->have, IMAP_ES_MAX);
	if (imap_atom_eq(k, "COUNT"))
		return es_number(v, &es->count, &es->have, IMAP_ES_COUNT);
	if (imap_atom_eq(k, "ALL")) {
		if (v->type != IMAP_ATOM)
			return IMAP_PARSE_BAD;
		es->have |= IMAP_ES_ALL;
		return imap_parse_seqset(a, v->s, v->len, max, &es->all, &es->nall);
	}
	return IMAP_PARSE_OK;                   /* other return data: skipped */
}

int imap_parse_esearch(struct arena *a, const struct imap_response *r, size_t max,
                       struct imap_esearch *out)
{
	const struct imap_value *v = r->data;
	int bad = 0, rc;

	memset(out, 0, sizeof(*out));
	if (r->kind != IMAP_UNTAGGED || r->cond != IMAP_COND_NONE || r->has_number
	    || !imap_span_eq(r->name, r->name_len, "ESEARCH"))
		return IMAP_PARSE_BAD;
	/* search-correlator: (TAG "A285") */
	if (v && v->type == IMAP_LIST) {
		if (v->len != 2 || !imap_atom_eq(v->child, "TAG") || v->child->next->type != IMAP_STRING)
			return IMAP_PARSE_BAD;
		if (!(out->tag = mailbox_dup(a, v->child->next, &bad)))
			return bad;
		v = v->next;
	}
	if (v && imap_atom_eq(v, "UID")) {
		out->uid = 1;
		v = v->next;
	}
	for (; v; v = v->next->next) {
		if (v->type != IMAP_ATOM || !v->next)
			return IMAP_PARSE_BAD;
		if ((rc = esearch_item(a, out, v, v->next, max)) != IMAP_PARSE_OK)
			return rc;
	}
	return IMAP_PARSE_OK;
}

/* ---------------------------------------------------------------- dates */

static int digits(const char *s, size_t n, int *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

int imap_parse_date_time(const char *s, size_t n, time_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm;
	int day, year, hh, mm, ss, zh, zm, mon;
	long off;
	time_t t;
	const char *m;

	/* "dd-Mon-yyyy hh:mm:ss +zzzz", the day may be " 7" or "7". */
	if (n == 26 && s[0] == ' ') {
		s++;
		n--;
	}
	if (n == 26) {
		if (digits(s, 2, &day) < 0)
			return -1;
		s += 2;
	} else if (n == 25) {
		if (digits(s, 1, &day) < 0)
			return -1;
		s += 1;
	} else {
		return -1;
	}
	if (s[0] != '-' || s[4] != '-' || s[9] != ' ' || s[12] != ':' || s[15] != ':' || s[18] != ' '
	    || (s[19] != '+' && s[19] != '-'))
		return -1;
	for (m = months; *m; m += 3)
		if (!strncasecmp(m, s + 1, 3))
			break;
	if (!*m)
		return -1;
	mon = (int)(m - months) / 3;
	if (digits(s + 5, 4, &year) < 0 || digits(s + 10, 2, &hh) < 0 || digits(s + 13, 2, &mm) < 0
	    || digits(s + 16, 2, &ss) < 0 || digits(s + 20, 2, &zh) < 0 || digits(s + 22, 2, &zm) < 0)
		return -1;
	if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || zm > 59 || year < 1900)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	off = (zh * 60L + zm) * 60;
	*out = s[19] == '+' ? t - off : t + off;
	return 0;
}
