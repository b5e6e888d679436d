/* control: qmail's domain control files as vpopmail edits them (see
 * control.h). Never runs qmail-newmrh or a shell; never leaves rcpthosts
 * missing; never writes a name that has not passed v_domain(). */
#include "config.h"

#include "control.h"

#include "atomic.h"
#include "cdbw.h"
#include "lock.h"
#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QMAIL_MODE 0644   /* VPOPMAIL_QMAIL_MODE; qmail-newmrh's umask 033 */

/* ------------------------------------------------------------ paths */

int ctl_join(char *out, size_t n, const char *dir, const char *name, struct qa_error *e)
{
	int r;

	if (!dir || !*dir)
		return qa_fail(e, QA_ERR_INVALID, "dir", "no directory given");
	r = snprintf(out, n, "%s/%s", dir, name);
	if (r < 0 || (size_t)r >= n)
		return qa_fail(e, QA_ERR_INVALID, "dir", "path too long");
	return 0;
}

static int path_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	       || (c && strchr("._/+=@,-", c));
}

int ctl_path_ok(const char *path, size_t max)
{
	size_t n, i;

	if (!path || path[0] != '/')
		return 0;
	n = strnlen(path, max + 1);
	if (n > max || n < 2 || path[n - 1] == '/')
		return 0;
	for (i = 0; i < n; i++) {
		if (!path_char((unsigned char)path[i]))
			return 0;
		if (path[i] != '/')
			continue;
		/* path[i] starts a component: refuse "", "." and "..". */
		if (path[i + 1] == '/')
			return 0;
		if (path[i + 1] == '.' && (path[i + 2] == '/' || path[i + 2] == '\0'))
			return 0;
		if (path[i + 1] == '.' && path[i + 2] == '.'
		    && (path[i + 3] == '/' || path[i + 3] == '\0'))
			return 0;
	}
	return 1;
}

/* ------------------------------------------------------------ files */

int ctl_lock(const char *path, struct qa_error *e)
{
	char lockpath[CTL_PATH_MAX];
	int fd, r;

	r = snprintf(lockpath, sizeof(lockpath), "%s.lock", path);
	if (r < 0 || (size_t)r >= sizeof(lockpath))
		return qa_fail(e, QA_ERR_INVALID, "dir", "path too long");
	fd = lock_take(lockpath, CTL_LOCK_TIMEOUT_MS);
	if (fd < 0)
		return qa_fail_errno(e, "lock", "cannot lock %s", lockpath);
	return fd;
}

static int read_fd(int fd, struct buf *out, size_t max, const char *path, struct qa_error *e)
{
	char chunk[8192];

	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return qa_fail_errno(e, "file", "cannot read %s", path);
		if (r == 0)
			return 0;
		if (out->len + (size_t)r > max)
			return qa_fail(e, QA_ERR_CORRUPT, "file", "%s is too big", path);
		if (buf_add(out, chunk, (size_t)r) < 0)
			return qa_fail(e, QA_ERR_NOMEM, "file", "out of memory reading %s", path);
	}
}

int ctl_read_file(const char *path, struct buf *out, size_t max, int nofollow,
                  int *missing, struct qa_error *e)
{
	struct stat st;
	int fd, rc;

	buf_reset(out);
	if (missing)
		*missing = 0;
	/* O_NONBLOCK: a FIFO planted under a store name must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0 && errno == ENOENT && missing) {
		*missing = 1;
		return 0;
	}
	if (fd < 0 && errno == ELOOP)
		return qa_fail(e, QA_ERR_INVALID, "file", "%s is a symbolic link", path);
	if (fd < 0)
		return qa_fail_errno(e, "file", "cannot open %s", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return qa_fail(e, QA_ERR_CORRUPT, "file", "%s is not a regular file", path);
	}
	rc = read_fd(fd, out, max, path, e);
	close(fd);
	return rc;
}

int ctl_write_file(const char *path, const struct buf *data, mode_t mode,
                   const char *field, struct qa_error *e)
{
	if (buf_failed(data))
		return qa_fail(e, QA_ERR_NOMEM, field, "out of memory building %s", path);
	if (atomic_replace(path, data->p ? data->p : "", data->len, mode) < 0)
		return qa_fail_errno(e, field, "cannot write %s", path);
	return 0;
}

/* ------------------------------------------------------------ lines */

int ctl_lines_push(struct ctl_lines *l, const char *s, size_t n)
{
	char *copy;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		char **nv = realloc(l->v, ncap * sizeof(*nv));

		if (!nv)
			return -1;
		l->v = nv;
		l->cap = ncap;
	}
	copy = malloc(n + 1);
	if (!copy)
		return -1;
	memcpy(copy, s, n);
	copy[n] = '\0';
	l->v[l->n++] = copy;
	return 0;
}

void ctl_lines_free(struct ctl_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

int ctl_lines_split(const char *data, size_t len, struct ctl_lines *l,
                    const char *field, struct qa_error *e)
{
	size_t start = 0, i;

	if (memchr(data, '\0', len))
		return qa_fail(e, QA_ERR_CORRUPT, field, "file holds a NUL byte");
	for (i = 0; i <= len; i++) {
		if (i < len && data[i] != '\n')
			continue;
		/* A last line without '\n' still counts, as it does for fgets. */
		if (i == len && start == len)
			break;
		if (ctl_lines_push(l, data + start, i - start) < 0)
			return qa_fail(e, QA_ERR_NOMEM, field, "out of memory");
		start = i + 1;
	}
	return 0;
}

int ctl_lines_load(const char *path, struct ctl_lines *l, int *missing, struct qa_error *e)
{
	struct buf b = BUF_INIT;
	int rc;

	rc = ctl_read_file(path, &b, CTL_FILE_MAX, 0, missing, e);
	if (rc == 0)
		rc = ctl_lines_split(b.p ? b.p : "", b.len, l, path, e);
	buf_free(&b);
	return rc;
}

void ctl_lines_render(const struct ctl_lines *l, struct buf *out)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		buf_adds(out, l->v[i]);
		buf_addc(out, '\n');
	}
}

size_t ctl_lines_remove(struct ctl_lines *l,
                        int (*match)(const char *line, const void *arg),
                        const void *arg)
{
	size_t i, kept = 0, removed = 0;

	for (i = 0; i < l->n; i++) {
		if (match(l->v[i], arg)) {
			free(l->v[i]);
			removed++;
			continue;
		}
		l->v[kept++] = l->v[i];
	}
	l->n = kept;
	return removed;
}

/* ------------------------------------------------------------ sort key */

/* extract_domain(): the domain part of a line with its last two labels
 * moved to the front ("mail.example.com" -> "example.com.mail"). Like
 * vpopmail, labels are split with strtok semantics (empty ones vanish) and
 * only the first 10 count; with one label the text is kept as it is. */
static void sort_key(const char *line, enum ctl_key kt, struct buf *key)
{
	const char *p = kt == CTL_KEY_ASSIGN && *line ? line + 1 : line;
	size_t n = strcspn(p, ":");
	const char *lab[10];
	size_t len[10], k = 0, i = 0, j;

	if (kt == CTL_KEY_ASSIGN && n > 0)
		n--;                       /* the '-' before the ':' */
	buf_reset(key);
	while (i < n && k < 10) {
		while (i < n && p[i] == '.')
			i++;
		if (i == n)
			break;
		lab[k] = p + i;
		while (i < n && p[i] != '.')
			i++;
		len[k] = (size_t)(p + i - lab[k]);
		k++;
	}
	if (k < 2) {
		buf_add(key, p, n);
		return;
	}
	buf_add(key, lab[k - 2], len[k - 2]);
	buf_addc(key, '.');
	buf_add(key, lab[k - 1], len[k - 1]);
	for (j = 0; j + 2 < k; j++) {
		buf_addc(key, '.');
		buf_add(key, lab[j], len[j]);
	}
}

struct keyed {
	char *line;
	char *key;
};

static int keyed_cmp(const struct keyed *a, const struct keyed *b)
{
	return strcmp(a->key, b->key);
}

/* A stable merge sort: equal keys keep their order, so the result does
 * not depend on the C library's qsort. */
static void keyed_sort(struct keyed *a, struct keyed *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	keyed_sort(a, tmp, mid);
	keyed_sort(a + mid, tmp, n - mid);
	while (i < mid && j < n)
		tmp[k++] = keyed_cmp(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
	while (i < mid)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
}

static int sort_all(struct ctl_lines *l, enum ctl_key kt)
{
	struct keyed *a = calloc(l->n ? l->n : 1, sizeof(*a));
	struct keyed *tmp = calloc(l->n ? l->n : 1, sizeof(*tmp));
	struct buf key = BUF_INIT;
	size_t i;
	int rc = -1;

	if (!a || !tmp)
		goto out;
	for (i = 0; i < l->n; i++) {
		sort_key(l->v[i], kt, &key);
		a[i].line = l->v[i];
		a[i].key = buf_failed(&key) ? NULL : strdup(buf_cstr(&key));
		if (!a[i].key)
			goto out;
	}
	keyed_sort(a, tmp, l->n);
	for (i = 0; i < l->n; i++)
		l->v[i] = a[i].line;
	rc = 0;
out:
	for (i = 0; a && i < l->n; i++)
		free(a[i].key);
	free(a);
	free(tmp);
	buf_free(&key);
	return rc;
}

static int insert_at(struct ctl_lines *l, size_t at, const char *line)
{
	char *moved;

	if (ctl_lines_push(l, line, strlen(line)) < 0)
		return -1;
	moved = l->v[l->n - 1];
	memmove(l->v + at + 1, l->v + at, (l->n - 1 - at) * sizeof(*l->v));
	l->v[at] = moved;
	return 0;
}

int ctl_lines_insert_sorted(struct ctl_lines *l, const char *line, enum ctl_key kt)
{
	struct buf newkey = BUF_INIT, cur = BUF_INIT, prev = BUF_INIT;
	size_t i, at = l->n;
	int hit = 0, unsorted = 0, rc;

	sort_key(line, kt, &newkey);
	buf_adds(&prev, "");
	for (i = 0; i < l->n; i++) {
		sort_key(l->v[i], kt, &cur);
		if (!hit && strcmp(buf_cstr(&cur), buf_cstr(&newkey)) > 0) {
			hit = 1;
			at = i;
		}
		if (strcmp(buf_cstr(&prev), buf_cstr(&cur)) > 0)
			unsorted = 1;
		buf_reset(&prev);
		buf_add(&prev, cur.p ? cur.p : "", cur.len);
	}
	rc = buf_failed(&newkey) || buf_failed(&cur) || buf_failed(&prev) ? -1 : 0;
	buf_free(&newkey);
	buf_free(&cur);
	buf_free(&prev);
	if (rc == 0)
		rc = insert_at(l, at, line);
	if (rc == 0 && unsorted)
		rc = sort_all(l, kt);
	return rc;
}

int ctl_lines_is_sorted(const struct ctl_lines *l, enum ctl_key kt)
{
	struct buf cur = BUF_INIT, prev = BUF_INIT;
	size_t i;
	int sorted = 1;

	buf_adds(&prev, "");
	for (i = 0; i < l->n && sorted; i++) {
		sort_key(l->v[i], kt, &cur);
		if (strcmp(buf_cstr(&prev), buf_cstr(&cur)) > 0)
			sorted = 0;
		buf_reset(&prev);
		buf_add(&prev, cur.p ? cur.p : "", cur.len);
	}
	buf_free(&cur);
	buf_free(&prev);
	return sorted;
}

/* ------------------------------------------------------------ matching */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int ctl_line_is(const char *s, const char *domain)
{
	size_t n = strlen(s), dn = strlen(domain), i;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n != dn)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)domain[i]))
			return 0;
	return 1;
}

static int match_domain(const char *line, const void *arg)
{
	return ctl_line_is(line, arg);
}

/* A virtualdomains line whose domain (before the ':') is arg. */
static int vdom_names(const char *line, const void *arg)
{
	const char *d = arg;
	size_t dn = strlen(d), i;

	if (!strchr(line, ':') || (size_t)(strchr(line, ':') - line) != dn)
		return 0;
	for (i = 0; i < dn; i++)
		if (lower((unsigned char)line[i]) != d[i])
			return 0;
	return 1;
}

static size_t count_matches(const struct ctl_lines *l,
                            int (*match)(const char *, const void *), const void *arg)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += match(l->v[i], arg) ? 1 : 0;
	return n;
}

/* ------------------------------------------------------------ one file */

/* One control file, locked and loaded for editing. */
struct ctl_file {
	char path[CTL_PATH_MAX];
	int lockfd;
	int missing;
	struct ctl_lines l;
};

static int file_open(struct ctl_file *f, const char *qmaildir, const char *name,
                     struct qa_error *e)
{
	memset(f, 0, sizeof(*f));
	f->lockfd = -1;
	if (ctl_join(f->path, sizeof(f->path), qmaildir, name, e) < 0)
		return -1;
	f->lockfd = ctl_lock(f->path, e);
	if (f->lockfd < 0)
		return -1;
	return ctl_lines_load(f->path, &f->l, &f->missing, e);
}

static int file_save(struct ctl_file *f, struct qa_error *e)
{
	struct buf b = BUF_INIT;
	int rc;

	ctl_lines_render(&f->l, &b);
	rc = ctl_write_file(f->path, &b, QMAIL_MODE, "control", e);
	buf_free(&b);
	return rc;
}

static void file_close(struct ctl_file *f)
{
	ctl_lines_free(&f->l);
	lock_drop(f->lockfd);
	f->lockfd = -1;
}

/* ------------------------------------------------------------ morercpthosts.cdb */

/* qmail-newmrh: each line lower-cased, trailing blanks dropped, empty and
 * '#' lines skipped, the rest a key with an empty value. */
static int build_mrh_cdb(const char *qmaildir, const struct ctl_lines *l, struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	struct buf key = BUF_INIT;
	struct cdbw w;
	size_t i, j, n;
	int rc = 0;

	if (ctl_join(path, sizeof(path), qmaildir, "control/morercpthosts.cdb", e) < 0)
		return -1;
	if (cdbw_open(&w, path, QMAIL_MODE) < 0)
		return qa_fail_errno(e, "control", "cannot create %s", path);
	for (i = 0; i < l->n; i++) {
		const char *s = l->v[i];

		n = strlen(s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0 || s[0] == '#')
			continue;
		buf_reset(&key);
		for (j = 0; j < n; j++)
			buf_addc(&key, lower((unsigned char)s[j]));
		if (buf_failed(&key))
			break;
		cdbw_add(&w, key.p, key.len, "", 0);
	}
	if (buf_failed(&key)) {
		cdbw_abort(&w);
		rc = qa_fail(e, QA_ERR_NOMEM, "control", "out of memory");
	} else if (cdbw_commit(&w) < 0)
		rc = qa_fail_errno(e, "control", "cannot write %s", path);
	buf_free(&key);
	return rc;
}

static int mrh_cdb_has(const char *qmaildir, const char *domain)
{
	char path[CTL_PATH_MAX];
	struct cdb c;
	int fd, found = 0;

	if (ctl_join(path, sizeof(path), qmaildir, "control/morercpthosts.cdb", NULL) < 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (cdb_init(&c, fd) == 0) {
		found = cdb_find(&c, domain, (unsigned)strlen(domain)) > 0;
		cdb_free(&c);
	}
	close(fd);
	return found;
}

int ctl_rebuild_morercpthosts(const char *qmaildir, struct qa_error *e)
{
	struct ctl_file f;
	int rc;

	rc = file_open(&f, qmaildir, "control/morercpthosts", e);
	if (rc == 0 && f.missing)
		rc = qa_fail(e, QA_ERR_NOT_FOUND, "control", "no control/morercpthosts");
	if (rc == 0)
		rc = build_mrh_cdb(qmaildir, &f.l, e);
	file_close(&f);
	return rc;
}

/* ------------------------------------------------------------ add */

static int add_virtualdomain(const char *qmaildir, const char *d, int *changed,
                             struct qa_error *e)
{
	struct ctl_file f;
	struct buf line = BUF_INIT;
	size_t same, named;
	int rc;

	buf_printf(&line, "%s:%s", d, d);
	rc = file_open(&f, qmaildir, "control/virtualdomains", e);
	if (rc == 0) {
		same = count_matches(&f.l, match_domain, buf_cstr(&line));
		named = count_matches(&f.l, vdom_names, d);
		if (named > same)
			rc = qa_fail(e, QA_ERR_EXISTS, "domain",
			             "virtualdomains already routes %s elsewhere", d);
		else if (same == 0 && (ctl_lines_insert_sorted(&f.l, buf_cstr(&line), CTL_KEY_PLAIN) < 0
		                       || buf_failed(&line)))
			rc = qa_fail(e, QA_ERR_NOMEM, "control", "out of memory");
		else if (same == 0 && (rc = file_save(&f, e)) == 0)
			*changed = 1;
	}
	file_close(&f);
	buf_free(&line);
	return rc;
}

/* Under both locks (rcpthosts first, then morercpthosts, always in that
 * order): add d where vpopmail would, unless one of them has it already. */
static int add_rcpthost_locked(const char *qmaildir, struct ctl_file *r, struct ctl_file *m,
                               const char *d, int *changed, struct qa_error *e)
{
	if (count_matches(&r->l, match_domain, d))
		return 0;
	if (count_matches(&m->l, match_domain, d)) {
		/* Listed, but a crash may have come before the cdb was built. */
		if (mrh_cdb_has(qmaildir, d))
			return 0;
		*changed = 1;
		return build_mrh_cdb(qmaildir, &m->l, e);
	}
	*changed = 1;
	if (r->l.n < CTL_RCPTHOSTS_MAX) {
		if (ctl_lines_insert_sorted(&r->l, d, CTL_KEY_PLAIN) < 0)
			return qa_fail(e, QA_ERR_NOMEM, "control", "out of memory");
		return file_save(r, e);
	}
	if (ctl_lines_insert_sorted(&m->l, d, CTL_KEY_PLAIN) < 0)
		return qa_fail(e, QA_ERR_NOMEM, "control", "out of memory");
	if (file_save(m, e) < 0)
		return -1;
	return build_mrh_cdb(qmaildir, &m->l, e);
}

static int add_rcpthost(const char *qmaildir, const char *d, int *changed, struct qa_error *e)
{
	struct ctl_file r, m;
	int rc;

	rc = file_open(&r, qmaildir, "control/rcpthosts", e);
	if (rc == 0) {
		rc = file_open(&m, qmaildir, "control/morercpthosts", e);
		if (rc == 0)
			rc = add_rcpthost_locked(qmaildir, &r, &m, d, changed, e);
		file_close(&m);
	}
	file_close(&r);
	return rc;
}

/* locals: every line naming d goes. A missing locals file stays missing:
 * qmail-send then uses control/me, and an empty file would change that. */
static int drop_local(const char *qmaildir, const char *d, int *changed, struct qa_error *e)
{
	struct ctl_file f;
	int rc;

	rc = file_open(&f, qmaildir, "control/locals", e);
	if (rc == 0 && !f.missing && ctl_lines_remove(&f.l, match_domain, d) > 0) {
		*changed = 1;
		rc = file_save(&f, e);
	}
	file_close(&f);
	return rc;
}

int ctl_add_domain(const char *qmaildir, const char *domain, int *already,
                   struct qa_error *e)
{
	struct v_domain d;
	int changed = 0;

	if (v_domain(domain, &d, "domain", e) < 0)
		return -1;
	/* virtualdomains first: a domain in rcpthosts but not yet routed
	 * would be accepted by qmail-smtpd and then sent out as remote mail. */
	if (add_virtualdomain(qmaildir, d.s, &changed, e) < 0)
		return -1;
	if (add_rcpthost(qmaildir, d.s, &changed, e) < 0)
		return -1;
	if (drop_local(qmaildir, d.s, &changed, e) < 0)
		return -1;
	if (already)
		*already = !changed;
	return 0;
}

/* ------------------------------------------------------------ remove */

static int remove_more_locked(const char *qmaildir, struct ctl_file *m, const char *d,
                              int *found, struct qa_error *e)
{
	char cdbpath[CTL_PATH_MAX];

	if (m->missing || ctl_lines_remove(&m->l, match_domain, d) == 0)
		return 0;
	*found = 1;
	if (m->l.n > 0) {
		if (file_save(m, e) < 0)
			return -1;
		return build_mrh_cdb(qmaildir, &m->l, e);
	}
	/* Empty now: vpopmail unlinks both files. */
	if (ctl_join(cdbpath, sizeof(cdbpath), qmaildir, "control/morercpthosts.cdb", e) < 0)
		return -1;
	if (unlink(m->path) < 0 && errno != ENOENT)
		return qa_fail_errno(e, "control", "cannot remove %s", m->path);
	if (unlink(cdbpath) < 0 && errno != ENOENT)
		return qa_fail_errno(e, "control", "cannot remove %s", cdbpath);
	fsync_parent(cdbpath);
	return 0;
}

static int remove_rcpthost(const char *qmaildir, const char *d, int *found, struct qa_error *e)
{
	struct ctl_file r, m;
	int rc;

	rc = file_open(&r, qmaildir, "control/rcpthosts", e);
	if (rc == 0 && !r.missing && ctl_lines_remove(&r.l, match_domain, d) > 0) {
		*found = 1;
		rc = file_save(&r, e);
	}
	if (rc == 0) {
		rc = file_open(&m, qmaildir, "control/morercpthosts", e);
		if (rc == 0)
			rc = remove_more_locked(qmaildir, &m, d, found, e);
		file_close(&m);
	}
	file_close(&r);
	return rc;
}

static int remove_virtualdomain(const char *qmaildir, const char *d, int *found,
                                struct qa_error *e)
{
	struct ctl_file f;
	struct buf line = BUF_INIT;
	int rc;

	buf_printf(&line, "%s:%s", d, d);
	if (buf_failed(&line))
		return qa_fail(e, QA_ERR_NOMEM, "control", "out of memory");
	rc = file_open(&f, qmaildir, "control/virtualdomains", e);
	if (rc == 0 && !f.missing && ctl_lines_remove(&f.l, match_domain, buf_cstr(&line)) > 0) {
		*found = 1;
		rc = file_save(&f, e);
	}
	file_close(&f);
	buf_free(&line);
	return rc;
}

int ctl_remove_domain(const char *qmaildir, const char *domain, struct qa_error *e)
{
	struct v_domain d;
	int found = 0;

	if (v_domain(domain, &d, "domain", e) < 0)
		return -1;
	if (remove_rcpthost(qmaildir, d.s, &found, e) < 0)
		return -1;
	if (remove_virtualdomain(qmaildir, d.s, &found, e) < 0)
		return -1;
	if (!found)
		return qa_fail(e, QA_ERR_NOT_FOUND, "domain", "%s is not in the control files", d.s);
	return 0;
}

/* ------------------------------------------------------------ query */

static int listed_in(const char *qmaildir, const char *name,
                     int (*match)(const char *, const void *), const void *arg,
                     int *yes, struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	struct ctl_lines l = { 0 };
	int missing, rc;

	*yes = 0;
	if (ctl_join(path, sizeof(path), qmaildir, name, e) < 0)
		return -1;
	rc = ctl_lines_load(path, &l, &missing, e);
	if (rc == 0)
		*yes = count_matches(&l, match, arg) > 0;
	ctl_lines_free(&l);
	return rc;
}

int ctl_domain_where(const char *qmaildir, const char *domain, unsigned *where,
                     struct qa_error *e)
{
	struct v_domain d;
	struct buf line = BUF_INIT;
	int yes, rc;

	*where = 0;
	if (v_domain(domain, &d, "domain", e) < 0)
		return -1;
	buf_printf(&line, "%s:%s", d.s, d.s);
	if (buf_failed(&line))
		return qa_fail(e, QA_ERR_NOMEM, "control", "out of memory");
	if ((rc = listed_in(qmaildir, "control/rcpthosts", match_domain, d.s, &yes, e)) == 0)
		*where |= yes ? CTL_IN_RCPTHOSTS : 0;
	if (rc == 0 && (rc = listed_in(qmaildir, "control/morercpthosts", match_domain, d.s, &yes, e)) == 0)
		*where |= yes ? CTL_IN_MORERCPTHOSTS : 0;
	if (rc == 0 && (rc = listed_in(qmaildir, "control/virtualdomains", match_domain,
	                               buf_cstr(&line), &yes, e)) == 0)
		*where |= yes ? CTL_IN_VIRTUALDOMAINS : 0;
	if (rc == 0 && (rc = listed_in(qmaildir, "control/locals", match_domain, d.s, &yes, e)) == 0)
		*where |= yes ? CTL_IN_LOCALS : 0;
	buf_free(&line);
	return rc;
}

/* ------------------------------------------------------------ reload qmail-send */

/* Strict: digits only, no sign or leading zero, an optional single '\n'. */
static int parse_pid(const char *s, size_t n, pid_t *pid)
{
	unsigned long v = 0;
	size_t i;

	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n == 0 || n > 10 || s[0] == '0')
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	/* pid 1 is init: SIGHUP there would reload the whole system. */
	if (v < 2 || v > INT_MAX)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

int ctl_hup_pidfile(const char *pidfile, struct qa_error *e)
{
	struct buf b = BUF_INIT;
	pid_t pid = 0;
	int rc;

	if (!pidfile || pidfile[0] != '/')
		return qa_fail(e, QA_ERR_INVALID, "pidfile", "pid file must be an absolute path");
	rc = ctl_read_file(pidfile, &b, 32, 0, NULL, e);
	if (rc == 0 && parse_pid(b.p ? b.p : "", b.len, &pid) < 0)
		rc = qa_fail(e, QA_ERR_CORRUPT, "pidfile", "%s does not hold one pid", pidfile);
	buf_free(&b);
	if (rc < 0)
		return -1;
	if (kill(pid, SIGHUP) < 0) {
		if (errno == ESRCH)
			return qa_fail(e, QA_ERR_NOT_FOUND, "pidfile", "no process %ld (from %s)",
			               (long)pid, pidfile);
		return qa_fail_errno(e, "pidfile", "cannot signal %ld", (long)pid);
	}
	return 0;
}

/* In the child: only async-signal-safe calls until execve. */
static _Noreturn void exec_child(const char *const argv[])
{
	static char *const env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", NULL };
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
		_exit(126);
	if (null > 1)
		close(null);
	execve(argv[0], (char *const *)argv, env);
	_exit(127);
}

static int wait_child(pid_t pid, int *status)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int waited;

	for (waited = 0; waited < 10000; waited += 10) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	errno = ETIMEDOUT;
	return -1;
}

int ctl_run_reload(const char *const argv[], struct qa_error *e)
{
	pid_t pid;
	int status = 0;

	if (!argv || !argv[0] || argv[0][0] != '/')
		return qa_fail(e, QA_ERR_INVALID, "reload", "command must be an absolute path");
	pid = fork();
	if (pid < 0)
		return qa_fail_errno(e, "reload", "cannot fork");
	if (pid == 0)
		exec_child(argv);
	if (wait_child(pid, &status) < 0)
		return qa_fail_errno(e, "reload", "%s did not finish", argv[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return qa_fail(e, QA_ERR_IO, "reload", "%s failed (status %d)", argv[0],
		               WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
