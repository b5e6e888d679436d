/* quota: Maildir++ quota strings and maildirsize (see quota.h). The input
 * rules are vpopmail's format_maildirquota(); the recount is vpopmail's
 * maildirquota.c (docount, countsubdir, maildir_parsequota) so that our
 * numbers match what vdelivermail will compute when it recounts.
 *
 * Must never: write maildirsize in place (a reader could see half a file),
 * follow a name from readdir() outside the Maildir, print, or exit. */
#include "config.h"

#include "quota.h"

#include "buf.h"
#include "control.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAILDIRSIZE_RECOUNT 5120    /* Maildir++: recount from this size on */
#define MAILDIRSIZE_READ_MAX (1u << 20)

/* ============================================================ strings */

int quota_is_none(const char *q)
{
	return !q[0] || !strcmp(q, "NOQUOTA");
}

/* strtoll() of a part, refusing what vpopmail would turn into a huge
 * unsigned number (negative) or clamp (out of range): 0 then. */
static uint64_t part_number(const char *p)
{
	long long v;

	errno = 0;
	v = strtoll(p, NULL, 10);
	return v < 0 || errno == ERANGE ? 0 : (uint64_t)v;
}

/* A size part such as "10MBS", "1024k" or "1048576": the trailing S and
 * then B are dropped, and a K or M in front of them multiplies. */
static uint64_t size_part(char *p)
{
	size_t i = strlen(p);
	uint64_t v, mult = 1;

	if (i && (p[i - 1] == 'S' || p[i - 1] == 's'))
		p[--i] = '\0';
	if (i && (p[i - 1] == 'B' || p[i - 1] == 'b'))
		p[--i] = '\0';
	v = part_number(p);
	if (i && (p[i - 1] == 'M' || p[i - 1] == 'm'))
		mult = 1048576;
	else if (i && (p[i - 1] == 'K' || p[i - 1] == 'k'))
		mult = 1024;
	return v > UINT64_MAX / mult ? 0 : v * mult;
}

int quota_normalize(const char *in, char out[QUOTA_STR_MAX + 1], struct qa_error *err)
{
	char tmp[QUOTA_INPUT_MAX + 1], res[64], *p, *save = NULL;
	uint64_t size = 0, count = 0;
	int n;

	if (strlen(in) > QUOTA_INPUT_MAX)
		return qa_fail(err, QA_ERR_INVALID, "quota", "longer than %d bytes", QUOTA_INPUT_MAX);
	if (!strcmp(in, "NOQUOTA")) {
		strcpy(out, "NOQUOTA");
		return 0;
	}
	strcpy(tmp, in);
	for (p = strtok_r(tmp, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (p[strlen(p) - 1] == 'C')
			count = part_number(p);
		else
			size = size_part(p);
	}
	if (size && count)
		n = snprintf(res, sizeof(res), "%" PRIu64 "S,%" PRIu64 "C", size, count);
	else if (size)
		n = snprintf(res, sizeof(res), "%" PRIu64 "S", size);
	else if (count)
		n = snprintf(res, sizeof(res), "%" PRIu64 "C", count);
	else
		n = snprintf(res, sizeof(res), "%s", "");
	if (n < 0 || n > QUOTA_STR_MAX)
		return qa_fail(err, QA_ERR_INVALID, "quota", "%s does not fit vpasswd", res);
	memcpy(out, res, (size_t)n + 1);
	return 0;
}

/* Digits then an optional S or C, nothing else; *end past the part. */
static int parse_part(const char *p, uint64_t *v, char *kind, const char **end)
{
	*v = 0;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (*v > (UINT64_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(*p - '0');
	}
	*kind = *p == 'C' ? 'C' : 'S';
	if (*p == 'S' || *p == 'C')
		p++;
	*end = p;
	return 0;
}

int quota_parse(const char *q, struct quota_limit *out, struct qa_error *err)
{
	const char *p = q;

	out->bytes = out->count = 0;
	if (quota_is_none(q))
		return 0;
	for (;;) {
		uint64_t v;
		char kind;

		if (parse_part(p, &v, &kind, &p) < 0 || (*p && *p != ','))
			return qa_fail(err, QA_ERR_INVALID, "quota", "not a Maildir++ quota");
		if (kind == 'C')
			out->count = v;
		else
			out->bytes = v;
		if (!*p)
			return 0;
		p++;
	}
}

/* ============================================================ recount */

/* A message whose ":2," flags (capital letters) include T is trashed. */
static int is_trashed(const char *n)
{
	const char *f = strstr(n, ":2,");

	if (!f)
		return 0;
	for (f += 3; *f >= 'A' && *f <= 'Z'; f++)
		if (*f == 'T')
			return 1;
	return 0;
}

/* maildir_parsequota(): the last ",S=" before the first ':' gives the size. */
static int size_in_name(const char *n, uint64_t *size)
{
	const char *colon = strchr(n, ':');
	const char *o = colon ? colon : n + strlen(n);

	/* Backwards from the ':' (or the end); '&&' stops before reading past
	 * the terminating NUL. */
	for (;; o--) {
		if (o[0] == ',' && o[1] == 'S' && o[2] == '=')
			break;
		if (o == n)
			return -1;
	}
	*size = 0;
	for (o += 3; *o >= '0' && *o <= '9'; o++)
		*size = *size > UINT64_MAX / 10 ? UINT64_MAX : *size * 10 + (uint64_t)(*o - '0');
	return 0;
}

static int join(char *out, size_t cap, const char *a, const char *b, struct qa_error *err)
{
	int n = snprintf(out, cap, "%s/%s", a, b);

	if (n < 0 || (size_t)n >= cap)
		return qa_fail(err, QA_ERR_INVALID, "maildir", "path too long");
	return 0;
}

/* docount(): one new/ or cur/ directory. */
static int count_dir(const char *dir, uint64_t *bytes, uint64_t *count, struct qa_error *err)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	uint64_t size;
	DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0
		       : qa_fail_errno(err, "maildir", "cannot read %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || is_trashed(de->d_name))
			continue;
		if (size_in_name(de->d_name, &size) < 0) {
			if (join(path, sizeof(path), dir, de->d_name, NULL) < 0
			    || stat(path, &st) < 0)
				continue;      /* gone meanwhile: vpopmail skips it too */
			size = (uint64_t)st.st_size;
		}
		*bytes += size;
		(*count)++;
	}
	closedir(d);
	return 0;
}

/* countcurnew(): new/ then cur/ of one Maildir or folder. */
static int count_curnew(const char *dir, uint64_t *bytes, uint64_t *count,
                        struct qa_error *err)
{
	char path[PATH_MAX];

	if (join(path, sizeof(path), dir, "new", err) < 0
	    || count_dir(path, bytes, count, err) < 0
	    || join(path, sizeof(path), dir, "cur", err) < 0)
		return -1;
	return count_dir(path, bytes, count, err);
}

int quota_scan(const char *maildir, uint64_t *bytes, uint64_t *count, struct qa_error *err)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	*bytes = *count = 0;
	if (count_curnew(maildir, bytes, count, err) < 0)
		return -1;
	d = opendir(maildir);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0
		       : qa_fail_errno(err, "maildir", "cannot read %s", maildir);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		const char *n = de->d_name;

		if (n[0] != '.' || !strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".Trash"))
			continue;
		rc = join(path, sizeof(path), maildir, n, err);
		if (rc == 0)
			rc = count_curnew(path, bytes, count, err);
	}
	closedir(d);
	return rc;
}

/* ======================================================== maildirsize */

int quota_remove(const char *maildir, struct qa_error *err)
{
	char path[PATH_MAX];

	if (join(path, sizeof(path), maildir, "maildirsize", err) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return qa_fail_errno(err, "maildirsize", "cannot remove %s", path);
	return 0;
}

int quota_apply(const char *maildir, const char *q, struct qa_error *err)
{
	char path[PATH_MAX];
	struct quota_limit lim;
	struct buf b = BUF_INIT;
	uint64_t bytes, count;
	int rc;

	if (quota_is_none(q))
		return quota_remove(maildir, err);
	if (strlen(q) > QUOTA_STR_MAX || quota_parse(q, &lim, err) < 0)
		return qa_fail(err, QA_ERR_INVALID, "quota", "not a stored quota string");
	if (join(path, sizeof(path), maildir, "maildirsize", err) < 0
	    || quota_scan(maildir, &bytes, &count, err) < 0)
		return -1;
	buf_printf(&b, "%s\n%" PRIu64 " %" PRIu64 "\n", q, bytes, count);
	rc = ctl_write_file(path, &b, 0600, "maildirsize", err);
	buf_free(&b);
	return rc;
}

/* Sums "<bytes> <count>" lines after the first, as vpopmail's sscanf of
 * "%llu %llu" does: negative lines subtract (unsigned wrap-around). */
static void sum_lines(const char *p, const char *end, uint64_t *bytes, uint64_t *count)
{
	int64_t b = 0, c = 0;
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	for (p = nl ? nl + 1 : end; p < end; p = nl ? nl + 1 : end) {
		char line[128], *q;
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		b = (int64_t)((uint64_t)b + (uint64_t)strtoll(line, &q, 10));
		if (q != line)
			c = (int64_t)((uint64_t)c + (uint64_t)strtoll(q, NULL, 10));
	}
	*bytes = b < 0 ? 0 : (uint64_t)b;
	*count = c < 0 ? 0 : (uint64_t)c;
}

int quota_usage(const char *maildir, uint64_t *bytes, uint64_t *count, struct qa_error *err)
{
	char path[PATH_MAX];
	struct buf b = BUF_INIT;
	int missing = 0, rc;

	if (join(path, sizeof(path), maildir, "maildirsize", err) < 0)
		return -1;
	*bytes = *count = 0;
	rc = ctl_read_file(path, &b, MAILDIRSIZE_READ_MAX, 1, &missing, err);
	if (rc == 0 && (missing || b.len >= MAILDIRSIZE_RECOUNT))
		rc = quota_scan(maildir, bytes, count, err);
	else if (rc == 0 && b.len > 0)
		sum_lines(b.p, b.p + b.len, bytes, count);
	buf_free(&b);
	return rc;
}
