/* ops_import: user.import, many mailboxes of one domain from a CSV file
 * (columns local-part,password,full name,quota; the last two optional).
 * All or nothing: every row is checked first (the validators, duplicates
 * within the file) and the first bad one is named by its line; only then
 * are the passwords hashed, on every CPU core (SHA-512 crypt costs about
 * 1.3 ms each), and the lot goes to the store in one vpasswd rewrite. */
#include "config.h"

#include "ops.h"

#include "conf.h"
#include "csv.h"
#include "passwd.h"
#include "quota.h"
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define IMPORT_ROWS_MAX 50000     /* about 30 s of hashing on two cores */
#define IMPORT_FIELD_MAX (PASSWD_HASH_MAX - 1)
#define IMPORT_THREADS_MAX 16

struct import {
	struct new_user *users;
	struct v_password *clear;     /* "" when the file gave a hash */
	size_t n, cap;
};

static void import_free(struct import *im)
{
	if (im->clear)
		explicit_bzero(im->clear, im->cap * sizeof(*im->clear));
	free(im->clear);
	free(im->users);
	memset(im, 0, sizeof(*im));
}

/* A header is the exact column list (any case), or a first field that no
 * mailbox could have as written (a capital letter) and reads
 * local-part / user / name: a mailbox called "user" stays a mailbox. */
static int is_header(const struct csv_row *r)
{
	static const char *const cols[] = { "local-part", "password", "full name", "quota" };
	struct v_local l;
	size_t i;

	for (i = 0; r->n == 4 && i < 4 && !strcasecmp(r->f[i], cols[i]); i++)
		;
	if (i == 4)
		return 1;
	if (v_local(r->f[0], &l, "", NULL) == 0 && !strcmp(l.s, r->f[0]))
		return 0;
	return !strcasecmp(r->f[0], "local-part") || !strcasecmp(r->f[0], "user")
	       || !strcasecmp(r->f[0], "name");
}

/* A validator's complaint, prefixed with the line it concerns. */
static int at_line(struct op_ctx *c, unsigned line, const struct qa_error *why)
{
	return qa_fail(c->err, why->code, "csv", "line %u: %s", line, why->detail);
}

static int check_password(const char *pw, struct new_user *u, struct v_password *clear,
                          struct qa_error *e)
{
	clear->s[0] = '\0';
	if (pw[0] == '$') {
		if (!passwd_is_hash(pw))
			return qa_fail(e, QA_ERR_INVALID, "password", "starts with '$' but is not a crypt hash");
		memcpy(u->passwd_hash, pw, strlen(pw) + 1);
		return 0;
	}
	return v_password(pw, clear, "password", e);
}

/* "" = the domain's default; "0" = none; else a quota vpopmail would take. */
static int check_quota(const char *q, char *out, size_t n, struct qa_error *e)
{
	char norm[QUOTA_STR_MAX + 1];

	out[0] = '\0';
	if (!*q)
		return 0;
	if (!strcmp(q, "0")) {
		snprintf(out, n, "NOQUOTA");
		return 0;
	}
	if (quota_normalize(q, norm, e) < 0)
		return -1;
	if (!norm[0])   /* format_maildirquota() turns garbage into no quota */
		return qa_fail(e, QA_ERR_INVALID, "quota", "not a quota: %.40s", q);
	snprintf(out, n, "%s", norm);
	return 0;
}

static int check_row(const struct csv_row *r, const struct v_domain *d, struct new_user *u,
                     struct v_password *clear, struct qa_error *e)
{
	memset(u, 0, sizeof(*u));
	u->line = r->line;
	u->user.domain = *d;
	if (r->n < 2)
		return qa_fail(e, QA_ERR_INVALID, "csv", "expected local-part,password[,full name[,quota]]");
	if (v_local(r->f[0], &u->user.local, "local-part", e) < 0
	    || check_password(r->f[1], u, clear, e) < 0
	    || (r->n > 2 && v_gecos(r->f[2], &u->gecos, "full name", e) < 0)
	    || (r->n > 3 && check_quota(r->f[3], u->quota, sizeof(u->quota), e) < 0))
		return -1;
	return 0;
}

static int grow(struct import *im, struct qa_error *e)
{
	size_t cap = im->cap ? im->cap * 2 : 256;
	struct new_user *nu;
	struct v_password *nc;

	if (cap > IMPORT_ROWS_MAX)
		cap = IMPORT_ROWS_MAX;
	if (!(nu = realloc(im->users, cap * sizeof(*nu))))
		return qa_fail(e, QA_ERR_NOMEM, "csv", "out of memory");
	im->users = nu;
	if (!(nc = realloc(im->clear, cap * sizeof(*nc))))
		return qa_fail(e, QA_ERR_NOMEM, "csv", "out of memory");
	im->clear = nc;
	im->cap = cap;
	return 0;
}

/* Reads and checks every row; stops at the first bad one. */
static int read_rows(struct op_ctx *c, const char *csv, const struct v_domain *d, struct import *im)
{
	struct csv_row row;
	struct qa_error why;
	struct csv r;
	int rc, first = 1;

	if (csv_open(&r, csv, strlen(csv), 4, IMPORT_FIELD_MAX, c->err) < 0)
		return -1;
	while ((rc = csv_next(&r, &row, c->err)) > 0) {
		if (first) {
			first = 0;
			if (is_header(&row))
				continue;
		}
		if (im->n == IMPORT_ROWS_MAX) {
			rc = qa_fail(c->err, QA_ERR_LIMIT, "csv", "line %u: more than %d users in one "
			             "import", row.line, IMPORT_ROWS_MAX);
			break;
		}
		if (im->n == im->cap && grow(im, c->err) < 0) {
			rc = -1;
			break;
		}
		if (check_row(&row, d, &im->users[im->n], &im->clear[im->n], &why) < 0) {
			rc = at_line(c, row.line, &why);
			break;
		}
		im->n++;
	}
	csv_close(&r);
	return rc < 0 ? -1 : 0;
}

static int by_name_then_line(const void *a, const void *b)
{
	const struct new_user *x = *(const struct new_user *const *)a;
	const struct new_user *y = *(const struct new_user *const *)b;
	int r = strcmp(x->user.local.s, y->user.local.s);

	return r ? r : (x->line > y->line) - (x->line < y->line);
}

/* A name given twice: names the earliest line that repeats one. */
static int check_duplicates(struct op_ctx *c, const struct import *im)
{
	const struct new_user **v, *dup = NULL, *orig = NULL;
	size_t i;

	if (im->n < 2)
		return 0;
	if (!(v = malloc(im->n * sizeof(*v))))
		return qa_fail(c->err, QA_ERR_NOMEM, "csv", "out of memory");
	for (i = 0; i < im->n; i++)
		v[i] = &im->users[i];
	qsort(v, im->n, sizeof(*v), by_name_then_line);
	for (i = 1; i < im->n; i++) {
		if (strcmp(v[i]->user.local.s, v[i - 1]->user.local.s) || (dup && dup->line <= v[i]->line))
			continue;
		dup = v[i];
		orig = v[i - 1];
	}
	free(v);
	if (!dup)
		return 0;
	return qa_fail(c->err, QA_ERR_EXISTS, "csv", "line %u: %s is already on line %u", dup->line,
	               dup->user.local.s, orig->line);
}

/* ------------------------------------------------------------ hashing */

struct hash_job {
	struct import *im;
	const char *scheme;
	size_t next;          /* the next row to take (atomic) */
	int failed;           /* atomic: the first failure wins err */
	struct qa_error err;
};

static void *hash_worker(void *arg)
{
	struct hash_job *j = arg;
	struct qa_error e;
	size_t i;

	while ((i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->im->n
	       && !__atomic_load_n(&j->failed, __ATOMIC_RELAXED)) {
		struct v_password *pw = &j->im->clear[i];

		if (!pw->s[0])
			continue;
		if (passwd_hash(pw->s, j->scheme, j->im->users[i].passwd_hash,
		                sizeof(j->im->users[i].passwd_hash), &e) < 0
		    && !__atomic_exchange_n(&j->failed, 1, __ATOMIC_ACQ_REL))
			j->err = e;
		explicit_bzero(pw, sizeof(*pw));
	}
	return NULL;
}

/* Hashes every clear password, one worker per core (this thread too). */
static int hash_all(struct op_ctx *c, struct import *im)
{
	pthread_t t[IMPORT_THREADS_MAX];
	struct hash_job j = { im, c->conf->password_hash, 0, 0, { 0 } };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = cores < 1 ? 1 : cores > IMPORT_THREADS_MAX ? IMPORT_THREADS_MAX : (size_t)cores;
	size_t started = 0, i;

	if (want > im->n / 32 + 1)
		want = im->n / 32 + 1;   /* threads cost more than a few hashes */
	while (started + 1 < want && pthread_create(&t[started], NULL, hash_worker, &j) == 0)
		started++;
	hash_worker(&j);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	if (j.failed)
		return qa_fail(c->err, j.err.code, j.err.field, "%s", j.err.detail);
	return 0;
}

int op_user_import(struct op_ctx *c)
{
	const char *csv = arg(c, "csv");
	struct import im = { 0 };
	struct v_domain d;
	int rc;

	if (arg_domain(c, "domain", &d) < 0 || may_domain(c, &d) < 0)
		return -1;
	snprintf(c->audit, sizeof(c->audit), "import into %s", d.s);
	if (!csv || !*csv)
		return qa_fail(c->err, QA_ERR_INVALID, "csv", "no CSV data");
	rc = read_rows(c, csv, &d, &im);
	if (rc == 0 && im.n == 0)
		rc = qa_fail(c->err, QA_ERR_INVALID, "csv", "no users in the file");
	if (rc == 0)
		rc = check_duplicates(c, &im);
	if (rc == 0)
		rc = hash_all(c, &im);
	if (rc == 0)
		rc = store_user_add_many(c->store, &d, im.users, im.n, c->err);
	if (rc == 0) {
		proto_putf(c->out, "added", "%zu", im.n);
		snprintf(c->audit, sizeof(c->audit), "import of %zu users into %s", im.n, d.s);
	}
	import_free(&im);
	return rc;
}
