/* assign: users/assign and users/cdb (see assign.h). Writes both files the
 * way vpopmail + qmail-newu would; never runs qmail-newu, never writes a
 * line qmail-newu would reject, never writes an unvalidated name or path. */
#include "config.h"

#include "assign.h"

#include "cdbw.h"
#include "control.h"
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QMAIL_MODE 0644   /* VPOPMAIL_QMAIL_MODE; qmail-newu's umask 033 */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ------------------------------------------------------------ qmail-newu */

/* One users/cdb record. */
struct newu_rec {
	struct buf key;
	struct buf data;
};

struct newu {
	struct newu_rec *r;
	size_t n;
	struct buf wild;   /* the "wildchars" of '+' lines, in first-seen order */
};

static void newu_free(struct newu *u)
{
	size_t i;

	for (i = 0; i < u->n; i++) {
		buf_free(&u->r[i].key);
		buf_free(&u->r[i].data);
	}
	free(u->r);
	buf_free(&u->wild);
	memset(u, 0, sizeof(*u));
}

/* qmail-newu's rules for one line: key "!" + loc (lower-cased; '+' lines
 * without terminator, others with a NUL), data = the fields after the
 * first ':' up to the 6th following ':', those colons turned into NULs. */
static int newu_line(const char *line, struct newu_rec *rec, struct buf *wild)
{
	const char *colon = strchr(line, ':');
	size_t i, k, colons = 0;

	if (!colon || colon == line)
		return -1;
	i = (size_t)(colon - line);
	buf_addc(&rec->key, '!');
	buf_add(&rec->key, line + 1, i - 1);
	if (line[0] != '+')
		buf_addc(&rec->key, '\0');
	else if (i >= 2 && !(wild->len && memchr(wild->p, line[i - 1], wild->len)))
		buf_addc(wild, line[i - 1]);
	for (k = 0; k < rec->key.len; k++)
		rec->key.p[k] = (char)lower((unsigned char)rec->key.p[k]);
	for (k = i + 1; line[k]; k++) {
		if (line[k] == ':' && ++colons == 6)
			break;
		buf_addc(&rec->data, line[k] == ':' ? '\0' : line[k]);
	}
	if (colons < 6 || buf_failed(&rec->key) || buf_failed(&rec->data))
		return -1;
	return 0;
}

static int newu_build(const struct ctl_lines *entries, struct newu *u, struct qa_error *e)
{
	size_t i;

	memset(u, 0, sizeof(*u));
	u->r = calloc(entries->n ? entries->n : 1, sizeof(*u->r));
	if (!u->r)
		return qa_fail(e, QA_ERR_NOMEM, "assign", "out of memory");
	for (i = 0; i < entries->n; i++, u->n++) {
		if (newu_line(entries->v[i], &u->r[i], &u->wild) < 0) {
			u->n++;
			return qa_fail(e, QA_ERR_CORRUPT, "assign",
			               "users/assign line %zu is not in qmail-users format", i + 1);
		}
	}
	return 0;
}

/* 1 when users/cdb already holds exactly these records in this order, so
 * that a call with nothing to change writes nothing. */
static int newu_matches(const char *path, const struct newu *u)
{
	struct cdb c;
	unsigned pos;
	size_t i = 0;
	int fd, same = 1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (cdb_init(&c, fd) < 0) {
		close(fd);
		return 0;
	}
	cdb_seqinit(&pos, &c);
	while (same && cdb_seqnext(&pos, &c) > 0) {
		const void *k = cdb_getkey(&c), *d = cdb_getdata(&c);
		const struct buf *wk = NULL, *wd = NULL;
		struct buf empty = BUF_INIT;

		if (i < u->n) {
			wk = &u->r[i].key;
			wd = &u->r[i].data;
		} else if (i == u->n) {
			wk = &empty;
			wd = &u->wild;
		}
		same = wk && k && d && cdb_keylen(&c) == wk->len && cdb_datalen(&c) == wd->len
		       && (!wk->len || !memcmp(k, wk->p, wk->len))
		       && (!wd->len || !memcmp(d, wd->p, wd->len));
		i++;
	}
	cdb_free(&c);
	close(fd);
	return same && i == u->n + 1;
}

static int newu_write(const char *path, const struct newu *u, struct qa_error *e)
{
	struct cdbw w;
	size_t i;

	if (cdbw_open(&w, path, QMAIL_MODE) < 0)
		return qa_fail_errno(e, "assign", "cannot create %s", path);
	for (i = 0; i < u->n; i++)
		cdbw_add(&w, u->r[i].key.p, u->r[i].key.len,
		         u->r[i].data.p ? u->r[i].data.p : "", u->r[i].data.len);
	/* Last, the empty key holding the wildchars, as qmail-newu does. */
	cdbw_add(&w, "", 0, u->wild.p ? u->wild.p : "", u->wild.len);
	if (cdbw_commit(&w) < 0)
		return qa_fail_errno(e, "assign", "cannot write %s", path);
	return 0;
}

/* ------------------------------------------------------------ users/assign */

/* users/assign, locked and split at the "." line. */
struct assign_file {
	char path[CTL_PATH_MAX];
	char cdbpath[CTL_PATH_MAX];
	int lockfd;
	int missing;
	struct ctl_lines entries;   /* the lines qmail-newu reads */
	struct ctl_lines tail;      /* the terminator and whatever follows it */
};

static int split_assign(struct assign_file *f, const struct ctl_lines *all, struct qa_error *e)
{
	size_t i, t = all->n;
	int rc = 0;

	for (i = 0; i < all->n && t == all->n; i++)
		if (all->v[i][0] == '.')
			t = i;   /* qmail-newu stops at the first line starting with '.' */
	for (i = 0; i < all->n && rc == 0; i++)
		rc = ctl_lines_push(i < t ? &f->entries : &f->tail, all->v[i], strlen(all->v[i]));
	/* Kept verbatim after the terminator; added when missing, since
	 * qmail-newu refuses a file without it. */
	if (rc == 0 && t == all->n)
		rc = ctl_lines_push(&f->tail, ".", 1);
	return rc < 0 ? qa_fail(e, QA_ERR_NOMEM, "assign", "out of memory") : 0;
}

static int assign_open(struct assign_file *f, const char *qmaildir, struct qa_error *e)
{
	struct ctl_lines all = { 0 };
	int rc;

	memset(f, 0, sizeof(*f));
	f->lockfd = -1;
	if (ctl_join(f->path, sizeof(f->path), qmaildir, "users/assign", e) < 0
	    || ctl_join(f->cdbpath, sizeof(f->cdbpath), qmaildir, "users/cdb", e) < 0)
		return -1;
	f->lockfd = ctl_lock(f->path, e);
	if (f->lockfd < 0)
		return -1;
	rc = ctl_lines_load(f->path, &all, &f->missing, e);
	if (rc == 0)
		rc = split_assign(f, &all, e);
	ctl_lines_free(&all);
	return rc;
}

static void assign_close(struct assign_file *f)
{
	ctl_lines_free(&f->entries);
	ctl_lines_free(&f->tail);
	lock_drop(f->lockfd);
	f->lockfd = -1;
}

static int assign_save(struct assign_file *f, struct qa_error *e)
{
	struct buf b = BUF_INIT;
	int rc;

	ctl_lines_render(&f->entries, &b);
	ctl_lines_render(&f->tail, &b);
	rc = ctl_write_file(f->path, &b, QMAIL_MODE, "assign", e);
	buf_free(&b);
	return rc;
}

/* Checks the entries against qmail-newu's rules, writes users/assign if
 * asked, then writes users/cdb unless it already matches. Nothing is
 * written when a line would make qmail-newu fail. */
static int assign_commit(struct assign_file *f, int save, struct qa_error *e)
{
	struct newu u;
	int rc;

	rc = newu_build(&f->entries, &u, e);
	if (rc == 0 && save)
		rc = assign_save(f, e);
	if (rc == 0 && !newu_matches(f->cdbpath, &u))
		rc = newu_write(f->cdbpath, &u, e);
	newu_free(&u);
	return rc;
}

/* ------------------------------------------------------------ entries */

/* 1 when line is a '+' line for loc "DOMAIN-" (case ignored, like qmail). */
static int is_domain_line(const char *line, const void *arg)
{
	const char *d = arg;
	size_t n = strlen(d), i;

	if (line[0] != '+')
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)line[i + 1]) != d[i])
			return 0;
	return line[n + 1] == '-' && line[n + 2] == ':';
}

static int check_entry(const struct assign_entry *ent, struct v_domain *d,
                       struct v_domain *real, struct qa_error *e)
{
	if (v_domain(ent->domain, d, "domain", e) < 0 || v_domain(ent->real, real, "real", e) < 0)
		return -1;
	if (!ctl_path_ok(ent->dir, ASSIGN_DIR_MAX))
		return qa_fail(e, QA_ERR_INVALID, "dir", "not a safe absolute directory path");
	if (ent->uid == 0 || ent->uid > 0xfffffffeUL || ent->gid > 0xfffffffeUL)
		return qa_fail(e, QA_ERR_INVALID, "uid", "uid must be 1..4294967294");
	return 0;
}

static int add_locked(struct assign_file *f, const char *line, const char *d,
                      int *already, struct qa_error *e)
{
	size_t i;

	for (i = 0; i < f->entries.n; i++) {
		if (!strcmp(f->entries.v[i], line)) {
			*already = 1;
			return assign_commit(f, 0, e);
		}
		if (is_domain_line(f->entries.v[i], d))
			return qa_fail(e, QA_ERR_EXISTS, "domain",
			               "users/assign already has another line for %s", d);
	}
	if (ctl_lines_insert_sorted(&f->entries, line, CTL_KEY_ASSIGN) < 0)
		return qa_fail(e, QA_ERR_NOMEM, "assign", "out of memory");
	return assign_commit(f, 1, e);
}

int assign_add(const char *qmaildir, const struct assign_entry *ent, int *already,
               struct qa_error *e)
{
	struct v_domain d, real;
	struct assign_file f;
	struct buf line = BUF_INIT;
	int dummy = 0, rc;

	if (!already)
		already = &dummy;
	*already = 0;
	if (check_entry(ent, &d, &real, e) < 0)
		return -1;
	buf_printf(&line, "+%s-:%s:%lu:%lu:%s:-::", d.s, real.s, ent->uid, ent->gid, ent->dir);
	if (buf_failed(&line))
		return qa_fail(e, QA_ERR_NOMEM, "assign", "out of memory");
	rc = assign_open(&f, qmaildir, e);
	if (rc == 0)
		rc = add_locked(&f, buf_cstr(&line), d.s, already, e);
	assign_close(&f);
	buf_free(&line);
	return rc;
}

int assign_remove(const char *qmaildir, const char *domain, struct qa_error *e)
{
	struct v_domain d;
	struct assign_file f;
	int rc;

	if (v_domain(domain, &d, "domain", e) < 0)
		return -1;
	rc = assign_open(&f, qmaildir, e);
	if (rc == 0 && f.missing)
		rc = qa_fail(e, QA_ERR_NOT_FOUND, "domain", "no users/assign");
	else if (rc == 0 && ctl_lines_remove(&f.entries, is_domain_line, d.s) == 0) {
		/* Nothing to remove; still heal a users/cdb left stale by a crash. */
		rc = assign_commit(&f, 0, e);
		if (rc == 0)
			rc = qa_fail(e, QA_ERR_NOT_FOUND, "domain", "%s is not in users/assign", d.s);
	} else if (rc == 0)
		rc = assign_commit(&f, 1, e);
	assign_close(&f);
	return rc;
}

int assign_rebuild_cdb(const char *qmaildir, struct qa_error *e)
{
	struct assign_file f;
	int rc;

	rc = assign_open(&f, qmaildir, e);
	if (rc == 0 && f.missing)
		rc = qa_fail(e, QA_ERR_NOT_FOUND, "assign", "no users/assign");
	if (rc == 0)
		rc = assign_commit(&f, 0, e);
	assign_close(&f);
	return rc;
}

int assign_is_alias(const struct assign_entry *ent)
{
	return strcmp(ent->domain, ent->real) != 0;
}

/* ------------------------------------------------------------ reading */

static int copy_field(char *dst, size_t n, const char *src, size_t len)
{
	if (len == 0 || len >= n || memchr(src, '\0', len))
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

static int parse_ulong(const char *s, size_t len, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Fills real/uid/gid/dir from 4 fields separated by sep. */
static int parse_fields(const char *p, size_t len, char sep, struct assign_entry *out)
{
	const char *f[4], *cur = p, *end = p + len, *s;
	size_t flen[4], k;

	for (k = 0; k < 4; k++) {
		s = memchr(cur, sep, (size_t)(end - cur));
		if (!s)
			s = end;
		f[k] = cur;
		flen[k] = (size_t)(s - cur);
		if (k < 3 && s == end)
			return -1;   /* fewer than 4 fields */
		if (k < 3)
			cur = s + 1;
	}
	if (copy_field(out->real, sizeof(out->real), f[0], flen[0]) < 0
	    || parse_ulong(f[1], flen[1], &out->uid) < 0
	    || parse_ulong(f[2], flen[2], &out->gid) < 0
	    || copy_field(out->dir, sizeof(out->dir), f[3], flen[3]) < 0)
		return -1;
	for (k = 0; out->real[k]; k++)
		out->real[k] = (char)lower((unsigned char)out->real[k]);
	return 0;
}

int assign_lookup(const char *qmaildir, const char *domain, struct assign_entry *out,
                  struct qa_error *e)
{
	char path[CTL_PATH_MAX], key[V_DOMAIN_MAX + 3];
	struct v_domain d;
	struct cdb c;
	int fd, found, rc = 0;

	if (v_domain(domain, &d, "domain", e) < 0
	    || ctl_join(path, sizeof(path), qmaildir, "users/cdb", e) < 0)
		return -1;
	snprintf(key, sizeof(key), "!%s-", d.s);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return qa_fail(e, QA_ERR_NOT_FOUND, "domain", "%s does not exist (no users/cdb)", d.s);
	if (fd < 0)
		return qa_fail_errno(e, "assign", "cannot open %s", path);
	if (cdb_init(&c, fd) < 0) {
		close(fd);
		return qa_fail(e, QA_ERR_CORRUPT, "assign", "%s is not a cdb file", path);
	}
	memset(out, 0, sizeof(*out));
	found = cdb_find(&c, key, (unsigned)strlen(key));
	if (found <= 0)
		rc = qa_fail(e, found < 0 ? QA_ERR_CORRUPT : QA_ERR_NOT_FOUND, "domain",
		             "%s is not in users/cdb", d.s);
	else if (!cdb_getdata(&c) || parse_fields(cdb_getdata(&c), cdb_datalen(&c), '\0', out) < 0)
		rc = qa_fail(e, QA_ERR_CORRUPT, "assign", "bad users/cdb record for %s", d.s);
	else
		memcpy(out->domain, d.s, strlen(d.s) + 1);
	cdb_free(&c);
	close(fd);
	return rc;
}

/* get_domain_entries(): '+' lines whose loc holds a '.' and ends in '-'. */
static int parse_domain_line(const char *line, struct assign_entry *out)
{
	const char *colon = strchr(line, ':');
	size_t loclen, k;

	memset(out, 0, sizeof(*out));
	if (line[0] != '+' || !colon)
		return -1;
	loclen = (size_t)(colon - line - 1);
	if (loclen < 2 || line[loclen] != '-' || !memchr(line + 1, '.', loclen - 1)
	    || copy_field(out->domain, sizeof(out->domain), line + 1, loclen - 1) < 0)
		return -1;
	for (k = 0; out->domain[k]; k++)
		out->domain[k] = (char)lower((unsigned char)out->domain[k]);
	return parse_fields(colon + 1, strlen(colon + 1), ':', out);
}

int assign_list(const char *qmaildir, struct assign_entry **out, size_t *n,
                struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	struct ctl_lines l = { 0 };
	size_t i;
	int missing, rc;

	*out = NULL;
	*n = 0;
	if (ctl_join(path, sizeof(path), qmaildir, "users/assign", e) < 0)
		return -1;
	rc = ctl_lines_load(path, &l, &missing, e);
	if (rc == 0 && l.n > 0 && !(*out = calloc(l.n, sizeof(**out))))
		rc = qa_fail(e, QA_ERR_NOMEM, "assign", "out of memory");
	for (i = 0; rc == 0 && i < l.n && l.v[i][0] != '.'; i++)
		if (parse_domain_line(l.v[i], &(*out)[*n]) == 0)
			(*n)++;
	ctl_lines_free(&l);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void assign_list_free(struct assign_entry *list)
{
	free(list);
}
