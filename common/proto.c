/* proto: helper request/answer encoding (see proto.h). */
#include "config.h"

#include "proto.h"

#include "arena.h"
#include "netstring.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int key_ok(const char *k, size_t n)
{
	size_t i;

	if (n == 0 || n > PROTO_MAX_KEY)
		return 0;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9')
		      || k[i] == '_' || k[i] == '.'))
			return 0;
	return 1;
}

/* Takes the next netstring as a NUL-terminated string in place. */
static int take(char **in, size_t *left, char **out, size_t *outlen, size_t max)
{
	const char *p = *in, *item;
	size_t len = *left, n;

	if (ns_get(&p, &len, &item, &n, max) < 0 || memchr(item, '\0', n))
		return -1;
	((char *)item)[n] = '\0';      /* overwrites the ',' */
	*out = (char *)item;
	*outlen = n;
	*in = (char *)p;
	*left = len;
	return 0;
}

/* Unwraps the outer netstring and checks the magic. */
static int open_outer(char **data, size_t *len, size_t max)
{
	const char *p = *data, *inner;
	size_t left = *len, n;
	char *magic;
	size_t mlen;

	if (ns_get(&p, &left, &inner, &n, max) < 0 || left != 0)
		return -1;
	*data = (char *)inner;
	*len = n;
	if (take(data, len, &magic, &mlen, 16) < 0 || strcmp(magic, PROTO_MAGIC) != 0)
		return -1;
	return 0;
}

void proto_req_start(struct buf *b, const char *op)
{
	buf_reset(b);
	ns_puts(b, PROTO_MAGIC);
	ns_puts(b, op);
}

void proto_req_add(struct buf *b, const char *key, const char *val)
{
	ns_puts(b, key);
	ns_puts(b, val ? val : "");
}

int proto_req_finish(struct buf *b, struct buf *out)
{
	buf_reset(out);
	if (buf_failed(b) || b->len > PROTO_MAX_REQUEST - 32)
		return -1;
	ns_put(out, b->p, b->len);
	return buf_failed(out) ? -1 : 0;
}

int proto_req_decode(char *data, size_t len, struct proto_req *r, struct qa_error *e)
{
	char *op, *k, *v;
	size_t n, kn, i;

	memset(r, 0, sizeof(*r));
	if (open_outer(&data, &len, PROTO_MAX_REQUEST) < 0
	    || take(&data, &len, &op, &n, PROTO_MAX_KEY) < 0 || !key_ok(op, n))
		return qa_fail(e, QA_ERR_PROTOCOL, "", "malformed request header");
	r->op = op;
	while (len > 0) {
		if (r->n == PROTO_MAX_ARGS)
			return qa_fail(e, QA_ERR_PROTOCOL, "", "too many arguments");
		if (take(&data, &len, &k, &kn, PROTO_MAX_KEY) < 0 || !key_ok(k, kn)
		    || take(&data, &len, &v, &n, PROTO_MAX_REQUEST) < 0)
			return qa_fail(e, QA_ERR_PROTOCOL, "", "malformed argument %zu", r->n + 1);
		for (i = 0; i < r->n; i++)
			if (!strcmp(r->kv[i].key, k))
				return qa_fail(e, QA_ERR_PROTOCOL, k, "argument given twice");
		r->kv[r->n].key = k;
		r->kv[r->n].val = v;
		r->kv[r->n].vlen = n;
		r->n++;
	}
	return 0;
}

const char *proto_req_get(const struct proto_req *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->kv[i].key, key))
			return r->kv[i].val;
	return NULL;
}

void proto_writer_init(struct proto_writer *w)
{
	buf_init(&w->head, PROTO_MAX_ANSWER);
	buf_init(&w->items, PROTO_MAX_ANSWER);
	buf_init(&w->rec, PROTO_MAX_ANSWER);
	w->in_item = 0;
	w->nitems = 0;
}

void proto_writer_free(struct proto_writer *w)
{
	buf_free(&w->head);
	buf_free(&w->items);
	buf_free(&w->rec);
}

static void put_kv(struct buf *b, const char *key, const char *val)
{
	ns_puts(b, key);
	ns_puts(b, val ? val : "");
}

static void vput(struct buf *b, const char *key, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vput(struct buf *b, const char *key, const char *fmt, va_list ap)
{
	char v[1024];

	vsnprintf(v, sizeof(v), fmt, ap);
	put_kv(b, key, v);
}

void proto_put(struct proto_writer *w, const char *key, const char *val)
{
	put_kv(&w->head, key, val);
}

void proto_putf(struct proto_writer *w, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(&w->head, key, fmt, ap);
	va_end(ap);
}

static void end_item(struct proto_writer *w)
{
	if (!w->in_item)
		return;
	ns_put(&w->items, w->rec.p ? w->rec.p : "", w->rec.len);
	if (buf_failed(&w->rec))
		w->items.failed = 1;
	buf_reset(&w->rec);
	w->in_item = 0;
}

void proto_item(struct proto_writer *w)
{
	end_item(w);
	w->in_item = 1;
	w->nitems++;
}

void proto_iput(struct proto_writer *w, const char *key, const char *val)
{
	put_kv(&w->rec, key, val);
}

void proto_iputf(struct proto_writer *w, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(&w->rec, key, fmt, ap);
	va_end(ap);
}

int proto_answer_finish(struct proto_writer *w, const struct qa_error *e, struct buf *out)
{
	struct buf inner = BUF_INIT;
	int ok = !e || e->code == QA_OK;
	int rc;

	end_item(w);
	ns_puts(&inner, PROTO_MAGIC);
	ns_puts(&inner, ok ? "ok" : qa_err_name(e->code));
	ns_puts(&inner, ok ? "" : e->field);
	ns_puts(&inner, ok ? "" : e->detail);
	ns_put(&inner, w->head.p ? w->head.p : "", w->head.len);
	buf_add(&inner, w->items.p ? w->items.p : "", w->items.len);
	rc = buf_failed(&inner) || buf_failed(&w->head) || buf_failed(&w->items) ? -1 : 0;
	buf_reset(out);
	if (rc == 0)
		ns_put(out, inner.p, inner.len);
	buf_free(&inner);
	return rc == 0 && !buf_failed(out) ? 0 : -1;
}

static int decode_record(char *data, size_t len, struct proto_record *r)
{
	char *k, *v;
	size_t kn, vn;

	r->n = 0;
	while (len > 0) {
		if (r->n == PROTO_MAX_RECORD_KEYS
		    || take(&data, &len, &k, &kn, PROTO_MAX_KEY) < 0 || !key_ok(k, kn)
		    || take(&data, &len, &v, &vn, PROTO_MAX_ANSWER) < 0)
			return -1;
		r->kv[r->n].key = k;
		r->kv[r->n].val = v;
		r->kv[r->n].vlen = vn;
		r->n++;
	}
	return 0;
}

/* Counts the records first so the array is allocated once. */
static size_t count_records(const char *p, size_t len)
{
	const char *item;
	size_t n, count = 0;

	while (len > 0 && ns_get(&p, &len, &item, &n, PROTO_MAX_ANSWER) == 0)
		count++;
	return count;
}

int proto_answer_decode(struct arena *a, char *data, size_t len, struct proto_answer *ans)
{
	char *status, *field, *detail, *rec;
	size_t n, i;

	memset(ans, 0, sizeof(*ans));
	if (open_outer(&data, &len, PROTO_MAX_ANSWER) < 0
	    || take(&data, &len, &status, &n, 32) < 0
	    || take(&data, &len, &field, &n, sizeof(ans->err.field) - 1) < 0
	    || take(&data, &len, &detail, &n, sizeof(ans->err.detail) - 1) < 0)
		return -1;
	ans->err.code = strcmp(status, "ok") ? qa_err_from_name(status) : QA_OK;
	snprintf(ans->err.field, sizeof(ans->err.field), "%s", field);
	snprintf(ans->err.detail, sizeof(ans->err.detail), "%s", detail);
	n = count_records(data, len);
	ans->rec = n ? arena_alloc(a, n * sizeof(*ans->rec)) : NULL;
	if (n && !ans->rec)
		return -1;
	for (i = 0; i < n; i++) {
		size_t rn;

		if (take(&data, &len, &rec, &rn, PROTO_MAX_ANSWER) < 0
		    || decode_record(rec, rn, &ans->rec[i]) < 0)
			return -1;
	}
	ans->nrec = n;
	return len == 0 ? 0 : -1;
}

const char *proto_rec_get(const struct proto_record *r, const char *key)
{
	size_t i;

	for (i = 0; r && i < r->n; i++)
		if (!strcmp(r->kv[i].key, key))
			return r->kv[i].val;
	return NULL;
}
