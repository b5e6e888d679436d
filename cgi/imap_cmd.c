/* imap_cmd: the mailbox and message commands of the IMAP client (see
 * imap.h): LIST, STATUS, CREATE / RENAME / DELETE, SELECT / EXAMINE,
 * APPEND, UID FETCH, UID SEARCH, UID SORT, UID STORE, UID MOVE and its
 * fallback, expunging by UID. Each builds one command with imap_cmd_*,
 * runs it, and reads its untagged data with the typed parsers. */
#include "config.h"

#include "imap_int.h"

#include "arena.h"
#include "mutf7.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int need_auth(struct imap *im)
{
	if (im->dead)
		return im->dead;
	if (im->state != IMAP_S_AUTH && im->state != IMAP_S_SELECTED)
		return imap_fail(im, IMAP_ERR_INVALID, "not logged in");
	return 0;
}

static int need_selected(struct imap *im)
{
	int rc = need_auth(im);

	if (!rc && im->state != IMAP_S_SELECTED)
		return imap_fail(im, IMAP_ERR_INVALID, "no mailbox selected");
	return rc;
}

/* ---------------------------------------------------------------- LIST, STATUS */

struct list_ctx {
	struct imap_mailbox *first, **tail;
	size_t n, max;
	const char *status_for;      /* STATUS: the raw name asked for */
	struct imap_status *status;
};

static struct imap_mailbox *find_raw(struct imap_mailbox *m, const char *raw)
{
	for (; m; m = m->next)
		if (!strcmp(m->raw, raw) || (!strcasecmp(raw, "INBOX") && !strcmp(m->raw, "INBOX")))
			return m;
	return NULL;
}

static int on_list(struct imap *im, const struct imap_response *r, void *arg)
{
	struct list_ctx *lc = arg;
	struct imap_mailbox *m;
	struct imap_status st;
	char *raw;
	int rc;

	if (r->name && imap_span_eq(r->name, r->name_len, "STATUS")) {
		if ((rc = imap_parse_status(im->a, r, &raw, &st)) != IMAP_PARSE_OK)
			return imap_parse_fail(im, rc, "STATUS");
		if (lc->status_for && (!strcmp(raw, lc->status_for)
		                       || (!strcasecmp(raw, "INBOX") && !strcmp(lc->status_for, "INBOX"))))
			*lc->status = st;
		else if ((m = find_raw(lc->first, raw)))
			m->status = st;
		return 0;
	}
	if (!r->name || !imap_span_eq(r->name, r->name_len, "LIST") || lc->status_for)
		return 0;
	if (lc->n == lc->max)
		return imap_fail(im, IMAP_ERR_PROTOCOL, "more than %zu mailboxes", lc->max);
	if (!(m = arena_alloc(im->a, sizeof(*m))))
		return IMAP_ERR_NOMEM;
	if ((rc = imap_parse_list(im->a, r, m)) != IMAP_PARSE_OK)
		return imap_parse_fail(im, rc, "LIST");
	*lc->tail = m;
	lc->tail = &m->next;
	lc->n++;
	return 0;
}

static void status_items(struct imap *im, struct imap_cmd *c)
{
	imap_cmd_text(c, "(MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN");
	if (imap_caps(im) & IMAP_CAP_STATUS_SIZE)
		imap_cmd_text(c, " SIZE");
	imap_cmd_text(c, ")");
}

int imap_status(struct imap *im, const char *mailbox, struct imap_status *out)
{
	struct list_ctx lc = { NULL, &lc.first, 0, 0, NULL, out };
	struct imap_cmd c;
	char *enc;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = need_auth(im)))
		return rc;
	if (!strcasecmp(mailbox, "INBOX"))
		lc.status_for = "INBOX";
	else if (mutf7_encode(im->a, mailbox, strlen(mailbox), &enc) == 0)
		lc.status_for = enc;
	imap_cmd_begin(im, &c, "STATUS ", 0);
	imap_cmd_mailbox(im, &c, mailbox);
	imap_cmd_text(&c, " ");
	status_items(im, &c);
	return imap_run(im, &c, on_list, &lc, IMAP_NO_MAILBOX, NULL);
}

int imap_list(struct imap *im, unsigned flags, struct imap_mailbox **out, size_t *n)
{
	struct list_ctx lc = { NULL, &lc.first, 0, 100000, NULL, NULL };
	uint32_t caps = imap_caps(im);
	struct imap_mailbox *m, *arr;
	struct imap_cmd c;
	int rc, with_status = (flags & IMAP_LIST_STATUS) != 0;
	size_t i;

	*out = NULL;
	*n = 0;
	if ((rc = need_auth(im)))
		return rc;
	imap_cmd_begin(im, &c, "LIST \"\" \"*\"", 0);
	if (caps & IMAP_CAP_LIST_EXTENDED) {
		imap_cmd_text(&c, " RETURN (CHILDREN");
		if (caps & IMAP_CAP_SPECIAL_USE)
			imap_cmd_text(&c, " SPECIAL-USE");
		if (with_status && (caps & IMAP_CAP_LIST_STATUS)) {
			imap_cmd_text(&c, " STATUS (MESSAGES UNSEEN)");
			with_status = 0;
		}
		imap_cmd_text(&c, ")");
	}
	if ((rc = imap_run(im, &c, on_list, &lc, IMAP_NO_REFUSED, NULL)))
		return rc;
	/* No LIST-STATUS: one STATUS per mailbox that can be selected. */
	for (m = lc.first; with_status && m; m = m->next) {
		if ((m->flags & (IMAP_MBX_NOSELECT | IMAP_MBX_NONEXISTENT)) || !m->name)
			continue;
		if ((rc = imap_status(im, m->name, &m->status)) && rc != IMAP_ERR_NO_MAILBOX
		    && rc != IMAP_ERR_REFUSED)
			return rc;
	}
	if (!lc.n)
		return 0;
	if (!(arr = arena_alloc(im->a, lc.n * sizeof(*arr))))
		return imap_fail(im, IMAP_ERR_NOMEM, "out of memory");
	for (i = 0, m = lc.first; m; m = m->next, i++) {
		arr[i] = *m;
		arr[i].next = i + 1 < lc.n ? &arr[i + 1] : NULL;
	}
	*out = arr;
	*n = lc.n;
	return 0;
}

/* ---------------------------------------------------------------- mailbox changes */

static int one_mailbox(struct imap *im, const char *verb, const char *mailbox, enum imap_no no)
{
	struct imap_cmd c;
	int rc;

	if ((rc = need_auth(im)))
		return rc;
	imap_cmd_begin(im, &c, verb, 0);
	imap_cmd_mailbox(im, &c, mailbox);
	return imap_run(im, &c, NULL, NULL, no, NULL);
}

int imap_create(struct imap *im, const char *mailbox)
{
	return one_mailbox(im, "CREATE ", mailbox, IMAP_NO_REFUSED);
}

int imap_delete(struct imap *im, const char *mailbox)
{
	return one_mailbox(im, "DELETE ", mailbox, IMAP_NO_REFUSED);
}

int imap_rename(struct imap *im, const char *from, const char *to)
{
	struct imap_cmd c;
	int rc;

	if ((rc = need_auth(im)))
		return rc;
	imap_cmd_begin(im, &c, "RENAME ", 0);
	imap_cmd_mailbox(im, &c, from);
	imap_cmd_text(&c, " ");
	imap_cmd_mailbox(im, &c, to);
	return imap_run(im, &c, NULL, NULL, IMAP_NO_REFUSED, NULL);
}

int imap_select(struct imap *im, const char *mailbox, int read_only, struct imap_selected *out)
{
	struct imap_cmd c;
	int rc;

	if ((rc = need_auth(im)))
		return rc;
	memset(&im->sel, 0, sizeof(im->sel));
	im->state = IMAP_S_AUTH;                 /* a failed SELECT leaves none selected */
	imap_cmd_begin(im, &c, read_only ? "EXAMINE " : "SELECT ", 0);
	imap_cmd_mailbox(im, &c, mailbox);
	rc = imap_run(im, &c, NULL, NULL, IMAP_NO_MAILBOX, NULL);
	if (rc == 0) {
		im->state = IMAP_S_SELECTED;
		if (read_only)
			im->sel.read_only = 1;
	}
	if (out)
		*out = im->sel;
	return rc;
}

/* ---------------------------------------------------------------- APPEND */

static void flag_list(struct imap_cmd *c, unsigned flags, const char *const *kw, size_t nkw)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ IMAP_FLAG_SEEN, "\\Seen" }, { IMAP_FLAG_ANSWERED, "\\Answered" },
		{ IMAP_FLAG_FLAGGED, "\\Flagged" }, { IMAP_FLAG_DELETED, "\\Deleted" },
		{ IMAP_FLAG_DRAFT, "\\Draft" },
	};
	const char *sep = "";
	size_t i;

	imap_cmd_text(c, "(");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].bit) {
			imap_cmd_printf(c, "%s%s", sep, names[i].name);
			sep = " ";
		}
	}
	for (i = 0; i < nkw; i++) {
		const char *k = kw[i];
		size_t j;

		/* A keyword is an atom; "\" would make it a system flag. */
		for (j = 0; k[j]; j++)
			if (k[j] <= 0x20 || k[j] >= 0x7f || strchr("(){%*\"\\]", k[j]))
				break;
		if (!*k || k[j] || j > 64) {
			c->err = IMAP_ERR_INVALID;
			return;
		}
		imap_cmd_printf(c, "%s%s", sep, k);
		sep = " ";
	}
	imap_cmd_text(c, ")");
}

struct append_ctx {
	uint32_t uid;
};

int imap_append(struct imap *im, const char *mailbox, unsigned flags, time_t date,
                const char *msg, size_t len, uint32_t *uid)
{
	static const char months[][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct imap_response tagged;
	struct imap_cmd c;
	int rc;

	if (uid)
		*uid = 0;
	if ((rc = need_auth(im)))
		return rc;
	if (len == 0 || len > im->cfg.lim.max_literal)
		return imap_fail(im, IMAP_ERR_INVALID, "message of %zu bytes", len);
	imap_cmd_begin(im, &c, "APPEND ", 0);
	imap_cmd_mailbox(im, &c, mailbox);
	imap_cmd_text(&c, " ");
	flag_list(&c, flags & ~IMAP_FLAG_RECENT, NULL, 0);
	if (date) {
		struct tm tm;

		gmtime_r(&date, &tm);
		imap_cmd_printf(&c, " \"%02d-%s-%04d %02d:%02d:%02d +0000\"", tm.tm_mday,
		                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	}
	imap_cmd_text(&c, " ");
	imap_cmd_literal(im, &c, msg, len);
	rc = imap_run(im, &c, NULL, NULL, IMAP_NO_MAILBOX, &tagged);
	/* [APPENDUID uidvalidity uid] (RFC 4315) */
	if (!rc && uid && tagged.code && imap_span_eq(tagged.code, tagged.code_len, "APPENDUID")
	    && tagged.code_args && tagged.code_args->next)
		imap_value_u32(tagged.code_args->next, uid);
	return rc;
}

/* ---------------------------------------------------------------- FETCH */

struct fetch_ctx {
	struct imap_fetch *got;      /* in arrival order */
	size_t n, cap;
	const uint32_t *want;        /* sorted */
	size_t nwant;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* By UID, then in arrival order (the pointers point into one array). */
static int cmp_fetch_ptr(const void *a, const void *b)
{
	const struct imap_fetch *x = *(const struct imap_fetch *const *)a;
	const struct imap_fetch *y = *(const struct imap_fetch *const *)b;

	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int cmp_uid_fetch_ptr(const void *key, const void *elem)
{
	return cmp_u32(key, &(*(const struct imap_fetch *const *)elem)->uid);
}

/* A later FETCH for the same message adds to the first (a flag change the
 * server reports in between, say). */
static void merge_fetch(struct imap_fetch *to, struct imap_fetch *f)
{
	struct imap_section *s;

	if (f->have & IMAP_FETCH_FLAGS)
		to->flags = f->flags;
	if (f->have & IMAP_FETCH_SIZE)
		to->size = f->size;
	if (f->have & IMAP_FETCH_INTERNALDATE)
		to->internaldate = f->internaldate;
	if (f->have & IMAP_FETCH_ENVELOPE)
		to->env = f->env;
	if (f->have & IMAP_FETCH_BODYSTRUCTURE)
		to->body = f->body;
	if (f->have & IMAP_FETCH_MODSEQ)
		to->modseq = f->modseq;
	to->have |= f->have;
	while ((s = f->sections)) {
		f->sections = s->next;
		s->next = to->sections;
		to->sections = s;
	}
}

static int on_fetch(struct imap *im, const struct imap_response *r, void *arg)
{
	struct fetch_ctx *fc = arg;
	struct imap_fetch f;
	int rc;

	if (!r->has_number || !r->name || !imap_span_eq(r->name, r->name_len, "FETCH"))
		return 0;
	if ((rc = imap_parse_fetch(im->a, r, &f)) != IMAP_PARSE_OK)
		return imap_parse_fail(im, rc, "FETCH");
	if (!(f.have & IMAP_FETCH_UID)
	    || !bsearch(&f.uid, fc->want, fc->nwant, sizeof(uint32_t), cmp_u32))
		return 0;                            /* news about another message */
	if (fc->n == fc->cap)
		return imap_fail(im, IMAP_ERR_PROTOCOL, "far more FETCH answers than UIDs asked for");
	fc->got[fc->n++] = f;
	return 0;
}

/* A section spec as a page builds it: part numbers, HEADER, TEXT, MIME,
 * HEADER.FIELDS (A B): nothing that could end the brackets or the line. */
static int valid_section(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && !(s[i] >= 'A' && s[i] <= 'Z')
		    && !(s[i] >= 'a' && s[i] <= 'z') && !strchr(".() -", s[i]))
			return 0;
	return i <= 256;
}

static void fetch_items(struct imap_cmd *c, const struct imap_fetch_spec *spec)
{
	static const struct {
		unsigned bit;
		const char *name;
	} items[] = {
		{ IMAP_FETCH_FLAGS, " FLAGS" }, { IMAP_FETCH_SIZE, " RFC822.SIZE" },
		{ IMAP_FETCH_INTERNALDATE, " INTERNALDATE" }, { IMAP_FETCH_ENVELOPE, " ENVELOPE" },
		{ IMAP_FETCH_BODYSTRUCTURE, " BODYSTRUCTURE" },
	};
	size_t i;

	imap_cmd_text(c, " (UID");
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		if (spec->items & items[i].bit)
			imap_cmd_text(c, items[i].name);
	for (i = 0; i < spec->nsections; i++) {
		if (!valid_section(spec->sections[i])) {
			c->err = IMAP_ERR_INVALID;
			return;
		}
		imap_cmd_printf(c, spec->items & IMAP_FETCH_MARK_SEEN ? " BODY[%s]" : " BODY.PEEK[%s]",
		                spec->sections[i]);
		if (spec->max)
			imap_cmd_printf(c, "<%llu.%llu>", (unsigned long long)spec->origin,
			                (unsigned long long)spec->max);
	}
	imap_cmd_text(c, ")");
}

/* fc->got merged per UID and ordered as the caller's uids; UIDs the server
 * did not answer for are left out, a UID asked for twice comes once. */
static int order_results(struct imap *im, struct fetch_ctx *fc, const uint32_t *uids, size_t nuids,
                         struct imap_fetch **out, size_t *n)
{
	struct imap_fetch **by_uid, *res;
	unsigned char *used;
	size_t i, k = 0, nu = 0;

	if (!fc->n)
		return 0;
	by_uid = arena_alloc(im->a, fc->n * sizeof(*by_uid));
	res = arena_alloc(im->a, fc->n * sizeof(*res));
	used = arena_alloc(im->a, fc->n);
	if (!by_uid || !res || !used)
		return imap_fail(im, IMAP_ERR_NOMEM, "out of memory");
	for (i = 0; i < fc->n; i++)
		by_uid[i] = &fc->got[i];
	qsort(by_uid, fc->n, sizeof(*by_uid), cmp_fetch_ptr);
	for (i = 0; i < fc->n; i++) {
		if (nu && by_uid[nu - 1]->uid == by_uid[i]->uid)
			merge_fetch(by_uid[nu - 1], by_uid[i]);
		else
			by_uid[nu++] = by_uid[i];
	}
	for (i = 0; i < nuids && k < nu; i++) {
		struct imap_fetch **hit = bsearch(&uids[i], by_uid, nu, sizeof(*by_uid), cmp_uid_fetch_ptr);

		if (!hit || used[hit - by_uid])
			continue;
		used[hit - by_uid] = 1;
		res[k] = **hit;
		res[k].next = NULL;
		if (k)
			res[k - 1].next = &res[k];
		k++;
	}
	*out = res;
	*n = k;
	return 0;
}

int imap_fetch(struct imap *im, const uint32_t *uids, size_t nuids,
               const struct imap_fetch_spec *spec, struct imap_fetch **out, size_t *n)
{
	struct fetch_ctx fc;
	struct imap_cmd c;
	uint32_t *want;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = need_selected(im)))
		return rc;
	if (nuids == 0 || nuids > im->cfg.lim.max_values)
		return imap_fail(im, IMAP_ERR_INVALID, "%zu UIDs", nuids);
	/* Room for each UID twice: a server may report a flag change on the
	 * way. */
	want = arena_alloc(im->a, nuids * sizeof(*want));
	fc.got = arena_alloc(im->a, (2 * nuids + 16) * sizeof(*fc.got));
	if (!want || !fc.got)
		return imap_fail(im, IMAP_ERR_NOMEM, "out of memory");
	memcpy(want, uids, nuids * sizeof(*want));
	qsort(want, nuids, sizeof(*want), cmp_u32);
	fc.want = want;
	fc.nwant = nuids;
	fc.n = 0;
	fc.cap = 2 * nuids + 16;
	imap_cmd_begin(im, &c, "UID FETCH ", 0);
	imap_cmd_uidset(&c, uids, nuids);
	fetch_items(&c, spec);
	if ((rc = imap_run(im, &c, on_fetch, &fc, IMAP_NO_REFUSED, NULL)))
		return rc;
	return order_results(im, &fc, uids, nuids, out, n);
}

/* ---------------------------------------------------------------- SEARCH, SORT */

static const char *const search_keys[] = {
	[IMAP_SK_ALL] = "ALL", [IMAP_SK_FROM] = "FROM", [IMAP_SK_TO] = "TO", [IMAP_SK_CC] = "CC",
	[IMAP_SK_SUBJECT] = "SUBJECT", [IMAP_SK_BODY] = "BODY", [IMAP_SK_TEXT] = "TEXT",
	[IMAP_SK_SEEN] = "SEEN", [IMAP_SK_UNSEEN] = "UNSEEN", [IMAP_SK_FLAGGED] = "FLAGGED",
	[IMAP_SK_UNFLAGGED] = "UNFLAGGED", [IMAP_SK_DELETED] = "DELETED",
	[IMAP_SK_UNDELETED] = "UNDELETED", [IMAP_SK_ANSWERED] = "ANSWERED",
};

static int takes_text(enum imap_search_key k)
{
	return k >= IMAP_SK_FROM && k <= IMAP_SK_TEXT;
}

/* 1 when a value needs CHARSET UTF-8. */
static int search_8bit(const struct imap_search *q)
{
	size_t i;
	const char *p;

	for (i = 0; q && i < q->nterms; i++)
		for (p = q->terms[i].value; takes_text(q->terms[i].key) && p && *p; p++)
			if ((unsigned char)*p >= 0x80)
				return 1;
	return 0;
}

static void search_criteria(struct imap *im, struct imap_cmd *c, const struct imap_search *q)
{
	size_t i;

	if (!q || q->nterms == 0) {
		imap_cmd_text(c, " ALL");
		return;
	}
	for (i = 1; q->any && i < q->nterms; i++)
		imap_cmd_text(c, " OR");
	for (i = 0; i < q->nterms; i++) {
		const struct imap_search_term *t = &q->terms[i];

		if ((unsigned)t->key >= sizeof(search_keys) / sizeof(search_keys[0])
		    || (takes_text(t->key) && !t->value)) {
			c->err = IMAP_ERR_INVALID;
			return;
		}
		imap_cmd_printf(c, " %s", search_keys[t->key]);
		if (takes_text(t->key)) {
			imap_cmd_text(c, " ");
			imap_cmd_string(im, c, t->value, strlen(t->value));
		}
	}
}

struct search_ctx {
	uint32_t *uids;
	size_t n;
	int esearch;
};

static int on_search(struct imap *im, const struct imap_response *r, void *arg)
{
	struct search_ctx *sc = arg;
	struct imap_esearch es;
	int rc;

	if (!r->name || r->has_number)
		return 0;
	if (imap_span_eq(r->name, r->name_len, "SEARCH") || imap_span_eq(r->name, r->name_len, "SORT")) {
		rc = imap_parse_numbers(im->a, r, im->cfg.lim.max_values, &sc->uids, &sc->n);
		return rc == IMAP_PARSE_OK ? 0 : imap_parse_fail(im, rc, "SEARCH");
	}
	if (imap_span_eq(r->name, r->name_len, "ESEARCH")) {
		if ((rc = imap_parse_esearch(im->a, r, im->cfg.lim.max_values, &es)) != IMAP_PARSE_OK)
			return imap_parse_fail(im, rc, "ESEARCH");
		if (es.tag && strcmp(es.tag, im->tag))
			return 0;
		sc->uids = es.all;
		sc->n = es.nall;
	}
	return 0;
}

int imap_search(struct imap *im, const struct imap_search *q, uint32_t **uids, size_t *n)
{
	struct search_ctx sc = { NULL, 0, 0 };
	struct imap_cmd c;
	int rc;

	*uids = NULL;
	*n = 0;
	if ((rc = need_selected(im)))
		return rc;
	imap_cmd_begin(im, &c, "UID SEARCH", 0);
	if (imap_caps(im) & IMAP_CAP_ESEARCH)
		imap_cmd_text(&c, " RETURN (ALL)");
	if (search_8bit(q))
		imap_cmd_text(&c, " CHARSET UTF-8");
	search_criteria(im, &c, q);
	if ((rc = imap_run(im, &c, on_search, &sc, IMAP_NO_REFUSED, NULL)))
		return rc;
	if (sc.n > 1)
		qsort(sc.uids, sc.n, sizeof(*sc.uids), cmp_u32);
	*uids = sc.uids;
	*n = sc.n;
	return 0;
}

int imap_sort(struct imap *im, enum imap_sort_key key, int reverse, const struct imap_search *q,
              uint32_t **uids, size_t *n)
{
	static const char *const keys[] = { "ARRIVAL", "DATE", "FROM", "SUBJECT", "SIZE", "TO", "CC" };
	struct search_ctx sc = { NULL, 0, 0 };
	struct imap_cmd c;
	int rc;

	*uids = NULL;
	*n = 0;
	if ((rc = need_selected(im)))
		return rc;
	if (!(imap_caps(im) & IMAP_CAP_SORT))
		return imap_fail(im, IMAP_ERR_UNSUPPORTED, "%s has no SORT", im->nc.host);
	if ((unsigned)key >= sizeof(keys) / sizeof(keys[0]))
		return imap_fail(im, IMAP_ERR_INVALID, "sort key %d", (int)key);
	imap_cmd_begin(im, &c, "UID SORT ", 0);
	imap_cmd_printf(&c, "(%s%s) UTF-8", reverse ? "REVERSE " : "", keys[key]);
	search_criteria(im, &c, q);
	if ((rc = imap_run(im, &c, on_search, &sc, IMAP_NO_REFUSED, NULL)))
		return rc;
	*uids = sc.uids;
	*n = sc.n;
	return 0;
}

/* ---------------------------------------------------------------- STORE, MOVE, EXPUNGE */

int imap_store(struct imap *im, const uint32_t *uids, size_t n, enum imap_store_op op,
               unsigned flags, const char *const *keywords, size_t nkeywords)
{
	struct imap_cmd c;
	int rc;

	if ((rc = need_selected(im)))
		return rc;
	imap_cmd_begin(im, &c, "UID STORE ", 0);
	imap_cmd_uidset(&c, uids, n);
	imap_cmd_text(&c, op == IMAP_STORE_ADD ? " +FLAGS.SILENT " : op == IMAP_STORE_REMOVE
	                                                             ? " -FLAGS.SILENT " : " FLAGS.SILENT ");
	flag_list(&c, flags & ~IMAP_FLAG_RECENT, keywords, nkeywords);
	return imap_run(im, &c, NULL, NULL, IMAP_NO_REFUSED, NULL);
}

static int uid_command(struct imap *im, const char *verb, const uint32_t *uids, size_t n,
                       const char *mailbox)
{
	struct imap_cmd c;

	imap_cmd_begin(im, &c, verb, 0);
	imap_cmd_uidset(&c, uids, n);
	if (mailbox) {
		imap_cmd_text(&c, " ");
		imap_cmd_mailbox(im, &c, mailbox);
	}
	return imap_run(im, &c, NULL, NULL, IMAP_NO_MAILBOX, NULL);
}

/* Expunges uids, which are \Deleted already. Without UIDPLUS a plain
 * EXPUNGE would take other \Deleted messages too: then it is done only
 * when there are none. */
static int expunge_deleted(struct imap *im, const uint32_t *uids, size_t n)
{
	struct imap_search_term t = { IMAP_SK_DELETED, NULL };
	struct imap_search q = { &t, 1, 0 };
	struct imap_cmd c;
	uint32_t *del, *mine;
	size_t ndel, i;
	int rc;

	if (imap_caps(im) & IMAP_CAP_UIDPLUS)
		return uid_command(im, "UID EXPUNGE ", uids, n, NULL);
	if ((rc = imap_search(im, &q, &del, &ndel)))
		return rc;
	if (!(mine = arena_alloc(im->a, n * sizeof(*mine))))
		return imap_fail(im, IMAP_ERR_NOMEM, "out of memory");
	memcpy(mine, uids, n * sizeof(*mine));
	qsort(mine, n, sizeof(*mine), cmp_u32);
	for (i = 0; i < ndel; i++)
		if (!bsearch(&del[i], mine, n, sizeof(*mine), cmp_u32))
			return 0;                        /* someone else's \Deleted: leave it all */
	imap_cmd_begin(im, &c, "EXPUNGE", 0);
	return imap_run(im, &c, NULL, NULL, IMAP_NO_REFUSED, NULL);
}

int imap_expunge_uids(struct imap *im, const uint32_t *uids, size_t n)
{
	int rc;

	if ((rc = need_selected(im)))
		return rc;
	if ((rc = imap_store(im, uids, n, IMAP_STORE_ADD, IMAP_FLAG_DELETED, NULL, 0)))
		return rc;
	return expunge_deleted(im, uids, n);
}

int imap_move(struct imap *im, const uint32_t *uids, size_t n, const char *dest)
{
	int rc;

	if ((rc = need_selected(im)))
		return rc;
	if (imap_caps(im) & IMAP_CAP_MOVE)
		return uid_command(im, "UID MOVE ", uids, n, dest);
	if ((rc = uid_command(im, "UID COPY ", uids, n, dest)))
		return rc;
	return imap_expunge_uids(im, uids, n);
}
