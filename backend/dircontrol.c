/* dircontrol: vpopmail's hash directories for users and domains (see
 * dircontrol.h). The state machine below follows bigdir.c's behaviour
 * (inc_dir_control, inc_dir, next_char) step for step, including the
 * index that runs one ahead after a level change and the third-level
 * offset that the reader bug turns into the second's, because a different
 * sequence would put our users where vpopmail's tools do not expect them.
 *
 * Must never: return a hash directory with anything but the 62 hash
 * characters and '/', write .dir-control in a shape vpopmail's reader
 * misreads, or change the free list other than by one line. */
#include "config.h"

#include "dircontrol.h"

#include "control.h"
#include "lock.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char dirlist[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

#define DIRLIST_LAST 61
#define DIRCTL_FILE_MAX 4096            /* .dir-control is ~40 bytes */
#define DIRCTL_FREE_MAX (1u << 20)      /* one short line per deleted user */
#define FREE_LINE_MAX 297               /* backfill() reads MAX_BUFF - 2 */

/* ================================================================ state */

void dirctl_init(struct dirctl *dc)
{
	int i;

	memset(dc, 0, sizeof(*dc));
	for (i = 0; i < DIRCTL_LEVELS; i++)
		dc->end[i] = DIRLIST_LAST;
	dc->mod[0] = 0;
	dc->mod[1] = 2;
	dc->mod[2] = 4;
	dc->level_max = DIRCTL_LEVELS;
}

static int is_hash_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* vpopmail only ever builds the_dir from hash characters and '/', in
 * shapes like "0", "0/1" and, past the second level change, "z/1/". */
int dirctl_hash_valid(const char *s)
{
	size_t n = strnlen(s, DIRCTL_HASH_MAX + 1), i;

	if (n > DIRCTL_HASH_MAX || s[0] == '/')
		return 0;
	for (i = 0; i < n; i++)
		if (!is_hash_char((unsigned char)s[i]) && s[i] != '/')
			return 0;
	return 1;
}

/* ================================================================ text */

struct line {
	char s[DIRCTL_DIR_MAX];
};

/* atoi()/atol() without their overflow UB. */
static long num(const char *s)
{
	return strtol(s, NULL, 10);
}

static int clamp_int(long v)
{
	return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

/* "a b c" the way vread_dir_control reads it: a from the start, b from
 * after the first space, and c from after the first space again. */
static int triple(const char *s, int v[DIRCTL_LEVELS])
{
	const char *sp = strchr(s, ' ');

	if (!sp)
		return -1;
	v[0] = clamp_int(num(s));
	v[1] = clamp_int(num(sp + 1));
	v[2] = v[1];
	return 0;
}

/* Up to 9 lines as successive fgets() calls return them, '\n' removed. */
static int split(const char *text, size_t len, struct line l[9], size_t *n,
                 struct qa_error *err)
{
	const char *p = text, *end = text + len;

	for (*n = 0; p < end && *n < 9; (*n)++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t k = (size_t)((nl ? nl : end) - p);

		if (k >= sizeof(l[*n].s) - 1 || memchr(p, '\0', k))
			return qa_fail(err, QA_ERR_CORRUPT, ".dir-control", "bad line %zu", *n + 1);
		memcpy(l[*n].s, p, k);
		l[*n].s[k] = '\0';
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int check_state(const struct dirctl *dc, struct qa_error *err)
{
	int i;

	if (dc->level_cur < 0 || dc->level_cur >= DIRCTL_LEVELS)
		return qa_fail(err, QA_ERR_CORRUPT, ".dir-control", "level %d", dc->level_cur);
	for (i = 0; i < DIRCTL_LEVELS; i++) {
		if (dc->start[i] < 0 || dc->start[i] > dc->end[i] || dc->end[i] > DIRLIST_LAST)
			return qa_fail(err, QA_ERR_CORRUPT, ".dir-control", "range %d..%d",
			               dc->start[i], dc->end[i]);
		if (dc->mod[i] < 0 || dc->mod[i] > DIRCTL_HASH_MAX)
			return qa_fail(err, QA_ERR_CORRUPT, ".dir-control", "offset %d", dc->mod[i]);
	}
	if (!dirctl_hash_valid(dc->the_dir))
		return qa_fail(err, QA_ERR_CORRUPT, ".dir-control", "directory \"%.64s\"",
		               dc->the_dir);
	return 0;
}

int dirctl_parse(struct dirctl *dc, const char *text, size_t len, struct qa_error *err)
{
	struct line l[9];
	size_t n;

	dirctl_init(dc);
	if (len == 0)
		return 0;      /* a crash can leave an empty file: start afresh */
	if (split(text, len, l, &n, err) < 0)
		return -1;
	if (n < 8)
		return qa_fail(err, QA_ERR_CORRUPT, ".dir-control", "%zu lines, not 8", n);
	dc->cur_users = (unsigned long)num(l[0].s);
	dc->level_cur = clamp_int(num(l[1].s));
	dc->level_max = clamp_int(num(l[2].s));
	if (triple(l[3].s, dc->start) < 0 || triple(l[4].s, dc->end) < 0
	    || triple(l[5].s, dc->mod) < 0 || triple(l[6].s, dc->idx) < 0)
		return qa_fail(err, QA_ERR_CORRUPT, ".dir-control", "a number line lacks a space");
	/* vpopmail reads one line more and keeps the buffer when that fails:
	 * the 9th line wins if there is one. */
	if (strlen(l[n == 9 ? 8 : 7].s) >= DIRCTL_HASH_MAX + 1)
		return qa_fail(err, QA_ERR_CORRUPT, ".dir-control", "directory too long");
	strcpy(dc->the_dir, l[n == 9 ? 8 : 7].s);
	return check_state(dc, err);
}

int dirctl_format(const struct dirctl *dc, struct buf *out)
{
	return buf_printf(out, "%lu\n%d\n%d\n%d %d %d\n%d %d %d\n%d %d %d\n%d %d %d\n%s\n",
	                  dc->cur_users, dc->level_cur, dc->level_max,
	                  dc->start[0], dc->start[1], dc->start[2],
	                  dc->end[0], dc->end[1], dc->end[2],
	                  dc->mod[0], dc->mod[1], dc->mod[2],
	                  dc->idx[0], dc->idx[1], dc->idx[2], dc->the_dir);
}

/* ============================================================ next dir */

/* The hash character after c within [start, end], wrapping; a c outside
 * the range (such as the NUL past the end of the_dir) gives start. */
static char next_char(char c, int start, int end)
{
	int i;

	for (i = start; i <= end && dirlist[i] != c; i++)
		;
	i++;
	if (i > end)
		i = start;
	return dirlist[i];
}

/* Advances the character of one level, carrying into the level above when
 * it wraps. A level's index counts its steps; it is only reset on a wrap. */
static void inc_level(struct dirctl *dc, int level)
{
	char *c = &dc->the_dir[dc->mod[level]];

	if (*c == dirlist[dc->end[level]]) {
		*c = dirlist[dc->start[level]];
		dc->idx[level] = dc->start[level];
		if (level > 0)
			inc_level(dc, level - 1);
		return;
	}
	*c = next_char(*c, dc->start[level], dc->end[level]);
	dc->idx[level]++;
}

static int descend(struct dirctl *dc, struct qa_error *err)
{
	size_t n = strlen(dc->the_dir);

	if (n + 2 > DIRCTL_HASH_MAX)
		return qa_fail(err, QA_ERR_CORRUPT, ".dir-control", "directory too long");
	inc_level(dc, dc->level_cur);
	dc->level_cur++;
	/* strcat() in vpopmail: appended after the first NUL. */
	n = strlen(dc->the_dir);
	dc->the_dir[n] = '/';
	dc->the_dir[n + 1] = '\0';
	return 0;
}

int dirctl_next(struct dirctl *dc, struct qa_error *err)
{
	int cur;

	if (check_state(dc, err) < 0)
		return -1;
	dc->cur_users++;
	if (dc->cur_users % DIRCTL_PER_DIR != 0)
		return 0;
	if (dc->the_dir[0] == '\0') {
		dc->the_dir[0] = dirlist[dc->start[0]];
		dc->the_dir[1] = '\0';
		return 0;
	}
	cur = dc->level_cur;
	if (dc->idx[cur] == dc->end[cur]) {
		if (cur == 0 && descend(dc, err) < 0)
			return -1;
		if (cur == 1 && dc->idx[0] == dc->end[0] && dc->idx[1] == dc->end[1]
		    && descend(dc, err) < 0)
			return -1;
	}
	inc_level(dc, dc->level_cur);
	return check_state(dc, err);
}

/* ================================================================ files */

int dirctl_read(const char *path, struct dirctl *dc, struct qa_error *err)
{
	struct buf b = BUF_INIT;
	int missing, rc;

	rc = ctl_read_file(path, &b, DIRCTL_FILE_MAX, 1, &missing, err);
	if (rc == 0)
		rc = dirctl_parse(dc, b.p ? b.p : "", b.len, err);
	buf_free(&b);
	return rc;
}

int dirctl_write(const char *path, const struct dirctl *dc, struct qa_error *err)
{
	struct buf b = BUF_INIT;
	int rc;

	dirctl_format(dc, &b);
	rc = ctl_write_file(path, &b, 0600, ".dir-control", err);
	buf_free(&b);
	return rc;
}

static int join(char *out, size_t cap, const char *dir, const char *name,
                struct qa_error *err)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);

	if (!dir[0] || n < 0 || (size_t)n >= cap)
		return qa_fail(err, QA_ERR_INVALID, "dir", "empty or too long");
	return 0;
}

/* Every vpopmail change is a read and a write of .dir-control, which is
 * what turns "0 2 4" into "0 2 2": these two bracket ours the same way. */
static int state_load(const char *dir, char *path, size_t cap, struct dirctl *dc,
                      struct qa_error *err)
{
	if (join(path, cap, dir, ".dir-control", err) < 0)
		return -1;
	return dirctl_read(path, dc, err);
}

/* ============================================================ free list */

/* The slot of one free-list line as backfill() reads it: '#' starts a
 * comment, blanks around it are dropped. Returns its length, 0 if none. */
static size_t slot_of(const char *p, size_t n, const char **slot)
{
	const char *hash = memchr(p, '#', n);

	if (hash)
		n = (size_t)(hash - p);
	while (n && (*p == ' ' || *p == '\t' || *p == '\r')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	*slot = p;
	return n;
}

/* Takes the first usable slot out of the free list (text in b). vpopmail
 * stops at an over-long line or a last line without '\n', so do we. A slot
 * that is not a hash path is left alone and passed over. */
static int free_pop(const char *path, struct buf *b, char *hash, size_t hashsz,
                    int *got, struct qa_error *err)
{
	const char *p = b->p, *end, *slot, *nl = NULL;
	struct buf out = BUF_INIT;
	int rc;

	*got = 0;
	if (!b->len)
		return 0;
	for (end = b->p + b->len; p < end; p = nl + 1) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || (size_t)(nl - p) > FREE_LINE_MAX)
			return 0;
		n = slot_of(p, (size_t)(nl - p), &slot);
		if (n == 0 || n >= hashsz || n > DIRCTL_HASH_MAX)
			continue;
		memcpy(hash, slot, n);
		hash[n] = '\0';
		if (dirctl_hash_valid(hash))
			break;
	}
	if (p >= end)
		return 0;
	buf_add(&out, b->p, (size_t)(p - b->p));
	buf_add(&out, nl + 1, (size_t)(end - (nl + 1)));
	rc = ctl_write_file(path, &out, 0600, ".dir_control_free", err);
	buf_free(&out);
	*got = rc == 0;
	return rc;
}

static int free_push(const char *path, struct buf *b, const char *hash,
                     struct qa_error *err)
{
	if (b->len && b->p[b->len - 1] != '\n')
		buf_addc(b, '\n');
	buf_printf(b, "%s\n", hash);
	return ctl_write_file(path, b, 0600, ".dir_control_free", err);
}

/* ========================================================== operations */

struct freelist {
	char path[CTL_PATH_MAX];
	int lockfd;
	struct buf text;
};

static int freelist_open(struct freelist *fl, const char *dir, struct qa_error *err)
{
	int missing;

	fl->lockfd = -1;
	buf_init(&fl->text, 0);
	if (join(fl->path, sizeof(fl->path), dir, ".dir_control_free", err) < 0)
		return -1;
	fl->lockfd = ctl_lock(fl->path, err);
	if (fl->lockfd < 0)
		return -1;
	return ctl_read_file(fl->path, &fl->text, DIRCTL_FREE_MAX, 1, &missing, err);
}

static void freelist_close(struct freelist *fl)
{
	buf_free(&fl->text);
	if (fl->lockfd >= 0)
		lock_drop(fl->lockfd);
	fl->lockfd = -1;
}

static int copy_out(char *hash, size_t hashsz, const char *s, struct qa_error *err)
{
	if (strlen(s) >= hashsz)
		return qa_fail(err, QA_ERR_INVALID, "hash", "buffer too small");
	strcpy(hash, s);
	return 0;
}

/* Checks everything that can fail before anything is written: the state
 * file, the next place and its fit in hash[]; then the free list, then the
 * state file. */
int dirctl_take(const char *dir, int use_free, char *hash, size_t hashsz,
                struct qa_error *err)
{
	char path[CTL_PATH_MAX];
	struct freelist fl;
	struct dirctl dc;
	int got = 0, rc = -1;

	if (freelist_open(&fl, dir, err) < 0
	    || state_load(dir, path, sizeof(path), &dc, err) < 0)
		goto out;
	if (use_free && free_pop(fl.path, &fl.text, hash, hashsz, &got, err) < 0)
		goto out;
	if (got) {
		if (dc.cur_users)
			dc.cur_users++;     /* backfill: a reused place counts again */
	} else if (dirctl_next(&dc, err) < 0 || copy_out(hash, hashsz, dc.the_dir, err) < 0) {
		goto out;
	}
	rc = dirctl_write(path, &dc, err);
out:
	freelist_close(&fl);
	return rc;
}

int dirctl_give_back(const char *dir, int use_free, const char *hash,
                     struct qa_error *err)
{
	char path[CTL_PATH_MAX];
	struct freelist fl;
	struct dirctl dc;
	int rc = -1;

	if (!dirctl_hash_valid(hash))
		return qa_fail(err, QA_ERR_INVALID, "hash", "not a hash directory");
	if (freelist_open(&fl, dir, err) == 0
	    && state_load(dir, path, sizeof(path), &dc, err) == 0
	    && (!use_free || !hash[0] || free_push(fl.path, &fl.text, hash, err) == 0)) {
		if (dc.cur_users)
			dc.cur_users--;
		rc = dirctl_write(path, &dc, err);
	}
	freelist_close(&fl);
	return rc;
}

int dirctl_hash_of(const char *domdir, const char *home, const char *name,
                   char *hash, size_t hashsz, struct qa_error *err)
{
	size_t dl = strlen(domdir), nl = strlen(name), hl = strlen(home), k;

	if (dl == 0 || nl == 0 || hl < dl + 1 + nl || strncmp(home, domdir, dl) != 0
	    || home[dl] != '/' || strcmp(home + hl - nl, name) != 0)
		return qa_fail(err, QA_ERR_INVALID, "dir", "not a home in this domain");
	if (hl == dl + 1 + nl) {
		k = 0;            /* domdir/name */
	} else {
		if (home[hl - nl - 1] != '/')
			return qa_fail(err, QA_ERR_INVALID, "dir", "not a home in this domain");
		k = hl - nl - 1 - (dl + 1);
	}
	if (k >= hashsz)
		return qa_fail(err, QA_ERR_INVALID, "hash", "buffer too small");
	memcpy(hash, home + dl + 1, k);
	hash[k] = '\0';
	if (!dirctl_hash_valid(hash))
		return qa_fail(err, QA_ERR_INVALID, "dir", "hash part is not a hash directory");
	return 0;
}
