/* proto: the messages between the front end (or the CLI) and
 * qmailadmin-helper. Both directions are one netstring holding netstrings:
 *
 *   request  = ns( ns("qa1") ns(op) { ns(key) ns(value) }* )
 *   answer   = ns( ns("qa1") ns(status) ns(field) ns(detail) { ns(record) }* )
 *   record   = { ns(key) ns(value) }*
 *
 * status is "ok" or an error name from err.h. The first record of an answer
 * holds its scalars (ticket, total ...), the rest are list items. Keys are
 * [a-z0-9_.] and at most 32 bytes; values are text without NUL. Anything
 * else, a repeated request key, or a byte after the outer netstring is a
 * protocol error: the reader never guesses. Decoding works in place on a
 * writable buffer (each payload's ',' becomes its NUL terminator). */
#ifndef QA_PROTO_H
#define QA_PROTO_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define PROTO_MAGIC "qa1"
#define PROTO_MAX_REQUEST (64u << 20)   /* a CSV import may be large */
#define PROTO_MAX_ANSWER (64u << 20)
#define PROTO_MAX_ARGS 64
#define PROTO_MAX_KEY 32
#define PROTO_MAX_RECORD_KEYS 32

struct arena;

struct proto_kv {
	const char *key;
	const char *val;
	size_t vlen;
};

struct proto_req {
	const char *op;
	size_t n;
	struct proto_kv kv[PROTO_MAX_ARGS];
};

/* Building a request. */
void proto_req_start(struct buf *b, const char *op);   /* b is reset */
void proto_req_add(struct buf *b, const char *key, const char *val);
/* Wraps the request built in b into out. -1 if b failed or is too large. */
int proto_req_finish(struct buf *b, struct buf *out);

/* Decodes a request in place. */
int proto_req_decode(char *data, size_t len, struct proto_req *r, struct qa_error *e);
/* The value of key, or NULL. */
const char *proto_req_get(const struct proto_req *r, const char *key);

/* Building an answer: scalars (proto_put) and list items (proto_item, then
 * proto_iput), in any order; the scalars always go out as the first record. */
struct proto_writer {
	struct buf head;     /* the scalars record */
	struct buf items;    /* finished item records */
	struct buf rec;      /* the item being built */
	int in_item;
	size_t nitems;
};
void proto_writer_init(struct proto_writer *w);
void proto_writer_free(struct proto_writer *w);
void proto_put(struct proto_writer *w, const char *key, const char *val);
void proto_putf(struct proto_writer *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void proto_item(struct proto_writer *w);                 /* starts an item */
void proto_iput(struct proto_writer *w, const char *key, const char *val);
void proto_iputf(struct proto_writer *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The whole answer into out; status from e (NULL or QA_OK = "ok"). */
int proto_answer_finish(struct proto_writer *w, const struct qa_error *e, struct buf *out);

struct proto_record {
	size_t n;
	struct proto_kv kv[PROTO_MAX_RECORD_KEYS];
};

struct proto_answer {
	struct qa_error err;          /* code QA_OK on success */
	size_t nrec;
	struct proto_record *rec;     /* arena array; rec[0] = scalars */
};

int proto_answer_decode(struct arena *a, char *data, size_t len, struct proto_answer *ans);
const char *proto_rec_get(const struct proto_record *r, const char *key);

#endif
