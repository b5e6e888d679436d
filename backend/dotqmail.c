/* dotqmail: a domain's .qmail files (see dotqmail.h). Never lets a byte of
 * an unvalidated name into a path or line, never puts a shell
 * metacharacter of a caller's value into a '|' line, never replaces a
 * symlink. */
#include "config.h"

#include "dotqmail.h"

#include "atomic.h"
#include "control.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DQ_MODE 0600   /* vpopmail's valias_insert() chmod */

/* ------------------------------------------------------------ names */

int dq_file_name(const char *name, char *out, size_t n, struct qa_error *e)
{
	struct v_local l;
	size_t i;
	int r;

	if (v_local(name, &l, "alias", e) < 0)
		return -1;
	if (!strcmp(l.s, "default"))
		return qa_fail(e, QA_ERR_INVALID, "alias", "\"default\" is the catch-all");
	for (i = 0; l.s[i]; i++)
		if (l.s[i] == '.')
			l.s[i] = ':';   /* qmail-local's safeext */
	r = snprintf(out, n, ".qmail-%s", l.s);
	if (r < 0 || (size_t)r >= n)
		return qa_fail(e, QA_ERR_INVALID, "alias", "name too long");
	return 0;
}

int dq_name_from_file(const char *file, char *out, size_t n)
{
	size_t i, len;

	if (strncmp(file, ".qmail-", 7) != 0 || !file[7])
		return -1;
	len = strlen(file + 7);
	if (len >= n)
		return -1;
	for (i = 0; i <= len; i++)
		out[i] = file[7 + i] == ':' ? '.' : file[7 + i];
	return 0;
}

int dq_target(const char *in, const char *append_domain, struct v_target *out,
              struct qa_error *e)
{
	struct v_domain d;
	char full[V_ADDRESS_MAX + 2];
	int r;

	if (in && !strchr(in, '@') && append_domain) {
		if (v_domain(append_domain, &d, "domain", e) < 0)
			return -1;
		r = snprintf(full, sizeof(full), "%s@%s", in, d.s);
		if (r < 0 || (size_t)r >= sizeof(full))
			return qa_fail(e, QA_ERR_INVALID, "target", "address too long");
		in = full;
	}
	return v_target(in, out, "target", e);
}

/* ------------------------------------------------------------ files */

static int dir_ok(const struct dq_dir *d, struct qa_error *e)
{
	if (!d || !ctl_path_ok(d->path, CTL_PATH_MAX - 128))
		return qa_fail(e, QA_ERR_INVALID, "dir", "not a safe absolute directory path");
	return 0;
}

/* DIR/.qmail-NAME for a validated alias name. */
static int alias_path(const struct dq_dir *d, const char *name, char *out, size_t n,
                      struct qa_error *e)
{
	char file[V_LOCAL_MAX + 8];

	if (dir_ok(d, e) < 0 || dq_file_name(name, file, sizeof(file), e) < 0)
		return -1;
	return ctl_join(out, n, d->path, file, e);
}

static int is_symlink(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* Atomically replaces path (never a symlink) with content, mode 0600. */
static int write_owned(const struct dq_dir *d, const char *path, const struct buf *content,
                       struct qa_error *e)
{
	struct atomic_file f;

	if (is_symlink(path))
		return qa_fail(e, QA_ERR_INVALID, "alias", "%s is a mailing list link", path);
	if (buf_failed(content))
		return qa_fail(e, QA_ERR_NOMEM, "alias", "out of memory");
	if (atomic_open(&f, path, DQ_MODE) < 0)
		return qa_fail_errno(e, "alias", "cannot create %s", path);
	atomic_set_owner(&f, d->uid, d->gid);
	if (atomic_write(&f, content->p ? content->p : "", content->len) < 0) {
		atomic_abort(&f);
		return qa_fail_errno(e, "alias", "cannot write %s", path);
	}
	if (atomic_commit(&f) < 0)
		return qa_fail_errno(e, "alias", "cannot write %s", path);
	return 0;
}

static int unlink_file(const char *path, int missing_ok, struct qa_error *e)
{
	if (unlink(path) == 0) {
		fsync_parent(path);
		return 0;
	}
	if (errno == ENOENT && missing_ok)
		return 0;
	if (errno == ENOENT)
		return qa_fail(e, QA_ERR_NOT_FOUND, "alias", "%s does not exist", path);
	return qa_fail_errno(e, "alias", "cannot remove %s", path);
}

/* A line we may write: non-empty, no newline or CR, no leading blank. */
static int line_ok(const char *s)
{
	size_t n = strnlen(s, DQ_LINE_MAX + 1);

	return n > 0 && n <= DQ_LINE_MAX && !strpbrk(s, "\n\r") && s[0] != ' ' && s[0] != '\t';
}

static int load_lines(const char *path, struct ctl_lines *l, int *missing, struct qa_error *e)
{
	struct buf b = BUF_INIT;
	int rc;

	rc = ctl_read_file(path, &b, DQ_FILE_MAX, 1, missing, e);
	if (rc == 0)
		rc = ctl_lines_split(b.p ? b.p : "", b.len, l, "alias", e);
	buf_free(&b);
	return rc;
}

/* ------------------------------------------------------------ classify */

static int push_target(struct dq_entry *ent, const char *s)
{
	char **nv = realloc(ent->targets, (ent->ntargets + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	ent->targets = nv;
	if (!(ent->targets[ent->ntargets] = strdup(s)))
		return -1;
	ent->ntargets++;
	return 0;
}

static void drop_targets(struct dq_entry *ent)
{
	size_t i;

	for (i = 0; i < ent->ntargets; i++)
		free(ent->targets[i]);
	free(ent->targets);
	ent->targets = NULL;
	ent->ntargets = 0;
}

/* What kind of line: as qmail-local reads them, with qmailadmin's view of
 * programs (ezmlm, autorespond, other). */
enum line_kind { L_BLANK, L_COMMENT, L_EZMLM, L_AUTORESPOND, L_PROGRAM, L_PATH, L_FORWARD };

static enum line_kind line_kind(const char *s)
{
	if (!*s)
		return L_BLANK;
	if (*s == '#')
		return L_COMMENT;
	if (*s == '|' && strstr(s, "ezmlm"))
		return L_EZMLM;
	if (*s == '|' && strstr(s, "/autorespond "))
		return L_AUTORESPOND;
	if (*s == '|')
		return L_PROGRAM;
	if (*s == '/' || *s == '.')
		return L_PATH;
	return L_FORWARD;
}

static int classify(const struct ctl_lines *l, struct dq_entry *ent)
{
	unsigned seen = 0;
	size_t i;
	int rc = 0;

	for (i = 0; i < l->n; i++)
		seen |= 1u << line_kind(l->v[i]);
	if (seen & (1u << L_EZMLM))
		ent->kind = DQ_LIST;
	else if (seen & (1u << L_AUTORESPOND))
		ent->kind = DQ_AUTORESPONDER;
	else if (seen & (1u << L_PROGRAM))
		ent->kind = DQ_PROGRAM;
	else if (seen & ((1u << L_FORWARD) | (1u << L_PATH)))
		ent->kind = DQ_FORWARD;
	else
		ent->kind = seen & (1u << L_COMMENT) ? DQ_BLACKHOLE : DQ_EMPTY;
	for (i = 0; i < l->n && rc == 0; i++) {
		enum line_kind k = line_kind(l->v[i]);
		const char *s = l->v[i];

		if (k == L_FORWARD && (ent->kind == DQ_FORWARD || ent->kind == DQ_AUTORESPONDER))
			rc = push_target(ent, s[0] == '&' ? s + 1 : s);
		else if (k == L_PATH && ent->kind == DQ_FORWARD)
			rc = push_target(ent, s);
		else if (k == L_PROGRAM && ent->kind == DQ_PROGRAM)
			rc = push_target(ent, s + 1);
	}
	return rc;
}

/* Classifies domdir/file into ent->kind and ent->targets. Returns 1 (and
 * changes nothing) when it is neither a regular file nor a symlink. */
static int classify_file(const char *domdir, const char *file, struct dq_entry *ent,
                         struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	struct ctl_lines l = { 0 };
	struct stat st;
	int missing, rc;

	if (ctl_join(path, sizeof(path), domdir, file, e) < 0)
		return -1;
	if (lstat(path, &st) < 0)
		return errno == ENOENT
		       ? qa_fail(e, QA_ERR_NOT_FOUND, "alias", "%s does not exist", path)
		       : qa_fail_errno(e, "alias", "cannot stat %s", path);
	if (S_ISLNK(st.st_mode)) {
		ent->kind = DQ_LIST;   /* ezmlm-make's links */
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return 1;
	rc = load_lines(path, &l, &missing, e);
	if (rc == 0 && missing)
		rc = qa_fail(e, QA_ERR_NOT_FOUND, "alias", "%s does not exist", path);
	if (rc == 0 && classify(&l, ent) < 0)
		rc = qa_fail(e, QA_ERR_NOMEM, "alias", "out of memory");
	ctl_lines_free(&l);
	return rc;
}

void dq_entry_free(struct dq_entry *ent)
{
	if (!ent)
		return;
	drop_targets(ent);
	free(ent->name);
	ent->name = NULL;
}

int dq_alias_get(const struct dq_dir *d, const char *name, struct dq_entry *out,
                 struct qa_error *e)
{
	char file[V_LOCAL_MAX + 8], back[V_LOCAL_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (dir_ok(d, e) < 0 || dq_file_name(name, file, sizeof(file), e) < 0)
		return -1;
	dq_name_from_file(file, back, sizeof(back));
	if (!(out->name = strdup(back)))
		return qa_fail(e, QA_ERR_NOMEM, "alias", "out of memory");
	switch (classify_file(d->path, file, out, e)) {
	case 0:
		return 0;
	case 1:
		qa_fail(e, QA_ERR_CORRUPT, "alias", "%s is not a regular file", file);
		/* fall through */
	default:
		dq_entry_free(out);
		return -1;
	}
}

int dq_alias_read(const struct dq_dir *d, const char *name, struct buf *content,
                  struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	int missing;

	if (alias_path(d, name, path, sizeof(path), e) < 0)
		return -1;
	if (ctl_read_file(path, content, DQ_FILE_MAX, 1, &missing, e) < 0)
		return -1;
	if (missing)
		return qa_fail(e, QA_ERR_NOT_FOUND, "alias", "no alias %s", name);
	return 0;
}

/* ------------------------------------------------------------ alias edits */

int dq_alias_write(const struct dq_dir *d, const char *name, const char *const *lines,
                   size_t n, struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	struct buf b = BUF_INIT;
	size_t i;
	int rc;

	if (alias_path(d, name, path, sizeof(path), e) < 0)
		return -1;
	if (n == 0)
		return qa_fail(e, QA_ERR_INVALID, "alias", "no lines (an empty file means default delivery)");
	for (i = 0; i < n; i++) {
		if (!lines[i] || !line_ok(lines[i]))
			return qa_fail(e, QA_ERR_INVALID, "line", "line %zu is empty, too long or "
			               "holds a newline", i + 1);
	}
	for (i = 0; i < n; i++) {
		buf_adds(&b, lines[i]);
		buf_addc(&b, '\n');
	}
	rc = write_owned(d, path, &b, e);
	buf_free(&b);
	return rc;
}

int dq_alias_set_blackhole(const struct dq_dir *d, const char *name, struct qa_error *e)
{
	static const char *const hole[] = { "#" };

	return dq_alias_write(d, name, hole, 1, e);
}

int dq_alias_delete(const struct dq_dir *d, const char *name, struct qa_error *e)
{
	char path[CTL_PATH_MAX];

	if (alias_path(d, name, path, sizeof(path), e) < 0)
		return -1;
	if (is_symlink(path))
		return qa_fail(e, QA_ERR_INVALID, "alias", "%s is a mailing list link", name);
	return unlink_file(path, 0, e);
}

static int save_lines(const struct dq_dir *d, const char *path, const struct ctl_lines *l,
                      struct qa_error *e)
{
	struct buf b = BUF_INIT;
	int rc;

	ctl_lines_render(l, &b);
	rc = write_owned(d, path, &b, e);
	buf_free(&b);
	return rc;
}

int dq_alias_add_target(const struct dq_dir *d, const char *name, const char *target,
                        const char *append_domain, unsigned flags, int *already,
                        struct qa_error *e)
{
	char path[CTL_PATH_MAX], line[V_ADDRESS_MAX + 2];
	struct v_target t;
	struct ctl_lines l = { 0 };
	size_t i;
	int missing, rc, dummy;

	if (!already)
		already = &dummy;
	*already = 0;
	if (alias_path(d, name, path, sizeof(path), e) < 0
	    || dq_target(target, append_domain, &t, e) < 0)
		return -1;
	snprintf(line, sizeof(line), "%s%s", flags & DQ_AMP ? "&" : "", t.s);
	rc = load_lines(path, &l, &missing, e);
	for (i = 0; rc == 0 && i < l.n && !*already; i++)
		*already = !strcmp(l.v[i], line);
	if (rc == 0 && !*already && ctl_lines_push(&l, line, strlen(line)) < 0)
		rc = qa_fail(e, QA_ERR_NOMEM, "alias", "out of memory");
	if (rc == 0 && !*already)
		rc = save_lines(d, path, &l, e);
	ctl_lines_free(&l);
	return rc;
}

static int starts_with(const char *line, const void *prefix)
{
	return !strncmp(line, prefix, strlen(prefix));
}

int dq_alias_remove_line(const struct dq_dir *d, const char *name, const char *prefix,
                         struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	struct ctl_lines l = { 0 };
	int missing, rc;

	if (alias_path(d, name, path, sizeof(path), e) < 0)
		return -1;
	if (!prefix || !line_ok(prefix))
		return qa_fail(e, QA_ERR_INVALID, "line", "not a line");
	rc = load_lines(path, &l, &missing, e);
	if (rc == 0 && (missing || ctl_lines_remove(&l, starts_with, prefix) == 0))
		rc = qa_fail(e, QA_ERR_NOT_FOUND, "line", "%s has no such line", name);
	else if (rc == 0 && l.n == 0)
		rc = unlink_file(path, 1, e);   /* qmailadmin: an empty alias goes */
	else if (rc == 0)
		rc = save_lines(d, path, &l, e);
	ctl_lines_free(&l);
	return rc;
}

/* ------------------------------------------------------------ listing */

static int entry_cmp(const void *a, const void *b)
{
	return strcasecmp(((const struct dq_entry *)a)->name, ((const struct dq_entry *)b)->name);
}

/* valias_select_names(): which directory entries are listed at all. */
static int listable(const char *file)
{
	/* A '.' can never be in a name qmail-local looks up (it maps '.' to
	 * ':'): such files are vpopmail's ".new" temporaries. */
	return !strncmp(file, ".qmail-", 7) && file[7] && strcmp(file, ".qmail-default")
	       && !strchr(file + 7, '.');
}

static int list_one(const char *domdir, const char *file, struct dq_entry *ent,
                    int *keep, struct qa_error *e)
{
	size_t n = strlen(file);

	memset(ent, 0, sizeof(*ent));
	*keep = 0;
	if (!(ent->name = malloc(n)) || dq_name_from_file(file, ent->name, n) < 0)
		return qa_fail(e, QA_ERR_NOMEM, "alias", "out of memory");
	switch (classify_file(domdir, file, ent, e)) {
	case 1:
		return 0;   /* a directory or FIFO: not an alias */
	case 0:
		break;
	default:
		return -1;
	}
	/* Only the list's own address is listed, not its -owner, -default... */
	*keep = !(ent->kind == DQ_LIST && (strstr(ent->name, "-default") || strstr(ent->name, "-owner")));
	return 0;
}

static int list_dir(DIR *dir, const char *domdir, struct dq_entry **out, size_t *n,
                    struct qa_error *e)
{
	struct dirent *de;
	size_t cap = 0;
	int keep;

	while ((de = readdir(dir))) {
		if (!listable(de->d_name))
			continue;
		if (*n == cap) {
			struct dq_entry *nv = realloc(*out, (cap ? cap * 2 : 16) * sizeof(*nv));

			if (!nv)
				return qa_fail(e, QA_ERR_NOMEM, "alias", "out of memory");
			*out = nv;
			cap = cap ? cap * 2 : 16;
		}
		if (list_one(domdir, de->d_name, &(*out)[*n], &keep, e) < 0) {
			dq_entry_free(&(*out)[*n]);
			return -1;
		}
		if (keep)
			(*n)++;
		else
			dq_entry_free(&(*out)[*n]);
	}
	return 0;
}

int dq_list(const char *domdir, struct dq_entry **out, size_t *n, struct qa_error *e)
{
	struct dq_dir d = { domdir, (uid_t)-1, (gid_t)-1 };
	DIR *dir;
	int rc;

	*out = NULL;
	*n = 0;
	if (dir_ok(&d, e) < 0)
		return -1;
	if (!(dir = opendir(domdir)))
		return qa_fail_errno(e, "dir", "cannot read %s", domdir);
	rc = list_dir(dir, domdir, out, n, e);
	closedir(dir);
	if (rc < 0) {
		dq_list_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), entry_cmp);
	return 0;
}

void dq_list_free(struct dq_entry *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++)
		dq_entry_free(&list[i]);
	free(list);
}

/* ------------------------------------------------------------ catch-all */

/* Nothing /bin/sh would treat specially: vdelivermail's line is run by it. */
static int shell_safe(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		      || strchr("._+=@-/,", c)))
			return 0;
	}
	return 1;
}

static void set_target(struct dq_catchall *out, enum dq_catchall_kind k, const char *s, size_t n)
{
	out->kind = k;
	if (n > DQ_LINE_MAX)
		n = DQ_LINE_MAX;   /* cannot happen: lines are checked before */
	memcpy(out->target, s, n);
	out->target[n] = '\0';
}

/* The ACTION of "| PATH/vdelivermail '' ACTION", or NULL. */
static const char *vdelivermail_action(const char *line)
{
	const char *p = line, *cmd;

	if (*p++ != '|')
		return NULL;
	while (*p == ' ')
		p++;
	cmd = p;
	p += strcspn(p, " ");
	if ((size_t)(p - cmd) < 13 || strncmp(p - 13, "/vdelivermail", 13))
		return NULL;
	while (*p == ' ')
		p++;
	if (strncmp(p, "''", 2) != 0 || p[2] != ' ')
		return NULL;
	p += 2;
	while (*p == ' ')
		p++;
	return *p && !strchr(p, ' ') ? p : NULL;
}

static void parse_action(const char *a, const char *domain, struct dq_catchall *out)
{
	const char *at = strrchr(a, '@');

	if (!strcmp(a, "delete"))
		set_target(out, DQ_CA_DELETE, "", 0);
	else if (!strcmp(a, "bounce-no-mailbox"))
		set_target(out, DQ_CA_BOUNCE, "", 0);
	else if (!strncmp(a, "$EXT@", 5))
		set_target(out, DQ_CA_REMOTE_DOMAIN, a + 5, strlen(a + 5));
	else if (at && !strcasecmp(at + 1, domain))
		set_target(out, DQ_CA_LOCAL, a, (size_t)(at - a));
	else if (at)
		set_target(out, DQ_CA_REMOTE, a, strlen(a));
	else if (a[0] == '/')
		set_target(out, DQ_CA_PATH, a, strlen(a));
	else
		out->kind = DQ_CA_OTHER;
}

int dq_catchall_read(const char *domdir, const char *domain, struct dq_catchall *out,
                     struct qa_error *e)
{
	struct dq_dir d = { domdir, (uid_t)-1, (gid_t)-1 };
	struct v_domain dom;
	char path[CTL_PATH_MAX];
	struct ctl_lines l = { 0 };
	const char *action;
	int missing, rc;

	memset(out, 0, sizeof(*out));
	if (dir_ok(&d, e) < 0 || v_domain(domain, &dom, "domain", e) < 0
	    || ctl_join(path, sizeof(path), domdir, ".qmail-default", e) < 0)
		return -1;
	rc = load_lines(path, &l, &missing, e);
	if (rc == 0 && (missing || l.n == 0))
		rc = qa_fail(e, QA_ERR_NOT_FOUND, "catchall", "no .qmail-default in %s", domdir);
	if (rc == 0 && strlen(l.v[0]) > DQ_LINE_MAX)
		rc = qa_fail(e, QA_ERR_CORRUPT, "catchall", ".qmail-default line too long");
	if (rc == 0) {
		char *s = l.v[0];
		size_t n = strlen(s);

		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = '\0';   /* qmail-local ignores trailing blanks too */
		set_target(out, DQ_CA_OTHER, s, n);
		if ((action = vdelivermail_action(s)))
			parse_action(action, dom.s, out);
		if (out->kind == DQ_CA_OTHER)
			set_target(out, DQ_CA_OTHER, s, n);
	}
	ctl_lines_free(&l);
	return rc;
}

/* The ACTION text for ca, validated for its kind. */
static int catchall_action(const struct dq_catchall *ca, const char *domain, struct buf *out,
                           struct qa_error *e)
{
	struct v_local l;
	struct v_target t;
	struct v_domain d;

	switch (ca->kind) {
	case DQ_CA_DELETE:
		return buf_adds(out, "delete");
	case DQ_CA_BOUNCE:
		return buf_adds(out, "bounce-no-mailbox");
	case DQ_CA_LOCAL:
		if (v_local(ca->target, &l, "target", e) < 0)
			return -1;
		return buf_printf(out, "%s@%s", l.s, domain);
	case DQ_CA_REMOTE:
		if (v_target(ca->target, &t, "target", e) < 0)
			return -1;
		if (!shell_safe(t.s))
			return qa_fail(e, QA_ERR_INVALID, "target", "address holds characters "
			               "the shell would interpret");
		return buf_adds(out, t.s);
	case DQ_CA_REMOTE_DOMAIN:
		if (v_domain(ca->target, &d, "target", e) < 0)
			return -1;
		return buf_printf(out, "$EXT@%s", d.s);
	case DQ_CA_PATH:
		if (!ctl_path_ok(ca->target, DQ_LINE_MAX / 2))
			return qa_fail(e, QA_ERR_INVALID, "target", "not a safe absolute path");
		return buf_adds(out, ca->target);
	default:
		return qa_fail(e, QA_ERR_INVALID, "catchall", "unknown catch-all kind");
	}
}

int dq_catchall_write(const struct dq_dir *d, const char *vpopmail_dir, const char *domain,
                      const struct dq_catchall *ca, struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	struct v_domain dom;
	struct buf action = BUF_INIT, line = BUF_INIT;
	int rc;

	if (dir_ok(d, e) < 0 || v_domain(domain, &dom, "domain", e) < 0)
		return -1;
	if (!ctl_path_ok(vpopmail_dir, 256))
		return qa_fail(e, QA_ERR_INVALID, "vpopmaildir", "not a safe absolute path");
	if (ctl_join(path, sizeof(path), d->path, ".qmail-default", e) < 0)
		return -1;
	rc = catchall_action(ca, dom.s, &action, e);
	if (rc == 0) {
		buf_printf(&line, "| %s/bin/vdelivermail '' %s\n", vpopmail_dir, buf_cstr(&action));
		rc = write_owned(d, path, &line, e);
	}
	buf_free(&action);
	buf_free(&line);
	return rc;
}

/* ------------------------------------------------------------ USERDIR/.qmail */

static int add_forward(struct dq_user *u, const char *s, struct qa_error *e)
{
	if (s[0] == '&')
		s++;
	if (u->nforward == DQ_MAX_FORWARDS)
		return qa_fail(e, QA_ERR_LIMIT, "forward", "more than %d forwards", DQ_MAX_FORWARDS);
	if (strlen(s) > V_ADDRESS_MAX)
		return qa_fail(e, QA_ERR_CORRUPT, "forward", "forward address too long");
	memcpy(u->forward[u->nforward++], s, strlen(s) + 1);
	return 0;
}

/* parse_users_dotqmail(): one line into the flags it stands for. */
static int read_user_line(struct dq_user *u, const char *s, int *other, struct qa_error *e)
{
	switch (s[0]) {
	case '\0':
		return 0;
	case '.':
	case '/':
		u->save_copy = 1;
		return 0;
	case '#':
		u->blackhole |= !strcmp(s, "# delete");
		return 0;
	case '|':
		if (strstr(s, "/true delete"))
			u->blackhole = 1;
		else if (strstr(s, "/autorespond ")) {
			if (strlen(s) > DQ_LINE_MAX)
				return qa_fail(e, QA_ERR_CORRUPT, "vacation", "autorespond line too long");
			u->vacation = 1;
			memcpy(u->vacation_line, s, strlen(s) + 1);
		} else
			*other = 1;
		return 0;
	default:
		return add_forward(u, s, e);
	}
}

int dq_user_read(const char *userdir, struct dq_user *u, struct qa_error *e)
{
	struct dq_dir d = { userdir, (uid_t)-1, (gid_t)-1 };
	char path[CTL_PATH_MAX];
	struct ctl_lines l = { 0 };
	size_t i;
	int missing, other = 0, rc;

	memset(u, 0, sizeof(*u));
	if (dir_ok(&d, e) < 0 || ctl_join(path, sizeof(path), userdir, ".qmail", e) < 0)
		return -1;
	rc = load_lines(path, &l, &missing, e);
	for (i = 0; rc == 0 && i < l.n; i++)
		rc = read_user_line(u, l.v[i], &other, e);
	ctl_lines_free(&l);
	if (rc < 0) {
		memset(u, 0, sizeof(*u));
		return -1;
	}
	if (missing)
		return 0;
	/* qmailadmin's reading of the flags. */
	if (u->nforward || u->save_copy)
		u->blackhole = 0;
	if (!u->nforward && !u->save_copy && !u->blackhole && !u->vacation && !other)
		u->blackhole = 1;   /* a file that delivers nowhere drops the mail */
	if (!u->nforward)
		u->save_copy = 0;
	return 0;
}

int dq_vacation_line(const char *autorespond_dir, const char *userdir, char *out, size_t n,
                     struct qa_error *e)
{
	int r;

	if (!ctl_path_ok(autorespond_dir, 256) || !ctl_path_ok(userdir, 256))
		return qa_fail(e, QA_ERR_INVALID, "dir", "not a safe absolute path");
	r = snprintf(out, n, "| %s/autorespond 86400 3 %s/vacation/message %s/vacation",
	             autorespond_dir, userdir, userdir);
	if (r < 0 || (size_t)r >= n)
		return qa_fail(e, QA_ERR_INVALID, "dir", "path too long");
	return 0;
}

/* 1 when s is exactly what dq_vacation_line() makes, for some safe paths:
 * the only '|' line a caller may hand us to be run by /bin/sh. */
static int vacation_line_ok(const char *s)
{
	char ar[DQ_LINE_MAX + 1], user[DQ_LINE_MAX + 1], line[DQ_LINE_MAX + 1];
	const char *a = strstr(s, "/autorespond "), *sp = strrchr(s, ' ');
	size_t alen, ulen;

	if (strncmp(s, "| ", 2) || !a || !sp || strlen(s) > DQ_LINE_MAX)
		return 0;
	alen = (size_t)(a - (s + 2));
	ulen = strlen(sp + 1);
	if (ulen < 10 || strcmp(sp + 1 + ulen - 9, "/vacation"))
		return 0;
	memcpy(ar, s + 2, alen);
	ar[alen] = '\0';
	memcpy(user, sp + 1, ulen - 9);
	user[ulen - 9] = '\0';
	return dq_vacation_line(ar, user, line, sizeof(line), NULL) == 0 && !strcmp(line, s);
}

/* The lines qmailadmin keeps from the old file: '|' lines it does not
 * manage; and its autorespond line, if any. */
static int old_user_lines(const char *path, struct ctl_lines *keep, struct buf *vac,
                          struct qa_error *e)
{
	struct ctl_lines l = { 0 };
	size_t i;
	int missing, rc;

	rc = load_lines(path, &l, &missing, e);
	for (i = 0; rc == 0 && i < l.n; i++) {
		const char *s = l.v[i];

		if (s[0] != '|' || strstr(s, "/true delete"))
			continue;
		if (strstr(s, "/autorespond ")) {
			if (!vac->len)
				buf_adds(vac, s);
			continue;
		}
		if (ctl_lines_push(keep, s, strlen(s)) < 0)
			rc = qa_fail(e, QA_ERR_NOMEM, "forward", "out of memory");
	}
	ctl_lines_free(&l);
	return rc;
}

static int check_user(const struct dq_user *u, struct qa_error *e)
{
	struct v_target t;
	size_t i;

	if (u->nforward > DQ_MAX_FORWARDS)
		return qa_fail(e, QA_ERR_LIMIT, "forward", "more than %d forwards", DQ_MAX_FORWARDS);
	if (u->nforward && u->blackhole)
		return qa_fail(e, QA_ERR_INVALID, "forward", "a blackhole cannot forward");
	for (i = 0; i < u->nforward; i++)
		if (v_target(u->forward[i], &t, "forward", e) < 0)
			return -1;
	return 0;
}

/* Builds the new file; *content_lines counts the lines that make it
 * differ from normal delivery. */
static int build_user(const struct dq_user *u, const char *userdir, const struct ctl_lines *keep,
                      const struct buf *old_vac, struct buf *out, size_t *content_lines,
                      struct qa_error *e)
{
	const char *vac = u->vacation_line[0] ? u->vacation_line : old_vac->p;
	size_t i;

	ctl_lines_render(keep, out);
	*content_lines = keep->n + u->nforward;
	for (i = 0; i < u->nforward; i++)
		buf_printf(out, "&%s\n", u->forward[i]);
	if (u->nforward == 0 || u->save_copy) {
		if (u->blackhole)
			buf_adds(out, "# delete\n");
		else
			buf_printf(out, "%s/Maildir/\n", userdir);
		*content_lines += u->blackhole ? 1 : 0;
	}
	if (u->vacation) {
		if (!vac || !*vac)
			return qa_fail(e, QA_ERR_INVALID, "vacation", "vacation on but no autorespond line");
		/* A line we did not read from this file must be one we would write. */
		if (u->vacation_line[0] && (!old_vac->p || strcmp(vac, old_vac->p))
		    && !vacation_line_ok(vac))
			return qa_fail(e, QA_ERR_INVALID, "vacation", "not an autorespond line");
		buf_printf(out, "%s\n", vac);
		(*content_lines)++;
	}
	return buf_failed(out) ? qa_fail(e, QA_ERR_NOMEM, "forward", "out of memory") : 0;
}

int dq_user_write(const struct dq_dir *userdir, const struct dq_user *u, struct qa_error *e)
{
	char path[CTL_PATH_MAX];
	struct ctl_lines keep = { 0 };
	struct buf vac = BUF_INIT, out = BUF_INIT;
	size_t content = 0;
	int rc;

	if (dir_ok(userdir, e) < 0 || check_user(u, e) < 0
	    || ctl_join(path, sizeof(path), userdir->path, ".qmail", e) < 0)
		return -1;
	rc = old_user_lines(path, &keep, &vac, e);
	if (rc == 0)
		rc = build_user(u, userdir->path, &keep, &vac, &out, &content, e);
	if (rc == 0 && content == 0)
		rc = unlink_file(path, 1, e);   /* normal delivery needs no file */
	else if (rc == 0)
		rc = write_owned(userdir, path, &out, e);
	ctl_lines_free(&keep);
	buf_free(&vac);
	buf_free(&out);
	return rc;
}
