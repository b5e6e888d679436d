/* vlimits: domain limits files (see vlimits.h). The reader follows
 * vpopmail's vlimits_read_limits_file() rule for rule, since qmailadmin and
 * vpopmail read the same file with it; the writer uses vpopmail's order.
 *
 * Must never: write a layout vpopmail's reader takes differently from ours
 * (the perm_maillist bits), print, or exit. */
#include "config.h"

#include "vlimits.h"

#include "control.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VLIMITS_LINE_MAX 2048          /* vpopmail's read buffer */
#define VLIMITS_FILE_MAX (64u << 10)
#define VLIMITS_FILE ".qmailadmin-limits"

void vlimits_defaults(struct vlimits *l)
{
	memset(l, 0, sizeof(*l));
	l->maxpopaccounts = -1;
	l->maxaliases = -1;
	l->maxforwards = -1;
	l->maxautoresponders = -1;
	l->maxmailinglists = -1;
}

/* ============================================================= keywords */

enum kind { K_INT, K_I64, K_PERM };

struct keyword {
	const char *name;
	enum kind kind;
	size_t off;
};

#define F(m) offsetof(struct vlimits, m)

/* The keyword-only flags, in the order vpopmail writes them, with the gid
 * bit each one adds to every user (vlimits_get_flag_mask). */
static const struct flag {
	const char *name;
	size_t off;
	unsigned long bit;
} flags[] = {
	{ "disable_pop", F(disable_pop), NO_POP },
	{ "disable_imap", F(disable_imap), NO_IMAP },
	{ "disable_dialup", F(disable_dialup), NO_DIALUP },
	{ "disable_password_changing", F(disable_passwordchanging), NO_PASSWD_CHNG },
	{ "disable_webmail", F(disable_webmail), NO_WEBMAIL },
	{ "disable_external_relay", F(disable_relay), NO_RELAY },
	{ "disable_smtp", F(disable_smtp), NO_SMTP },
	{ "disable_spamassassin", F(disable_spamassassin), NO_SPAMASSASSIN },
	{ "delete_spam", F(delete_spam), DELETE_SPAM },
	{ "disable_maildrop", F(disable_maildrop), NO_MAILDROP },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int flag_set(const struct vlimits *l, const struct flag *f)
{
	return *(const int *)((const char *)l + f->off) != 0;
}

/* The keywords with a value. */
static const struct keyword keywords[] = {
	{ "maxpopaccounts", K_INT, F(maxpopaccounts) },
	{ "maxaliases", K_INT, F(maxaliases) },
	{ "maxforwards", K_INT, F(maxforwards) },
	{ "maxautoresponders", K_INT, F(maxautoresponders) },
	{ "maxmailinglists", K_INT, F(maxmailinglists) },
	{ "quota", K_I64, F(diskquota) },
	{ "maxmsgcount", K_I64, F(maxmsgcount) },
	{ "default_quota", K_I64, F(defaultquota) },
	{ "default_maxmsgcount", K_I64, F(defaultmaxmsgcount) },
	{ "perm_account", K_PERM, F(perm_account) },
	{ "perm_alias", K_PERM, F(perm_alias) },
	{ "perm_forward", K_PERM, F(perm_forward) },
	{ "perm_autoresponder", K_PERM, F(perm_autoresponder) },
	{ "perm_quota", K_PERM, F(perm_quota) },
	{ "perm_defaultquota", K_PERM, F(perm_defaultquota) },
};

/* ============================================================== reading */

/* atoi() without its overflow UB. */
static int int_of(const char *s)
{
	long v = strtol(s, NULL, 10);

	return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

/* perm_maillist packs three 3-bit fields: lists, list users, moderators. */
static void set_maillist(struct vlimits *l, const char *v)
{
	unsigned long perm = (unsigned long)strtol(v, NULL, 10);

	l->perm_maillist = (int)(perm & VLIMIT_DISABLE_ALL);
	perm >>= VLIMIT_DISABLE_BITS;
	l->perm_maillist_users = (int)(perm & VLIMIT_DISABLE_ALL);
	perm >>= VLIMIT_DISABLE_BITS;
	l->perm_maillist_moderators = (int)(perm & VLIMIT_DISABLE_ALL);
}

/* One keyword; value is NULL when the line had no separator at all (then
 * vpopmail leaves numbers alone but still sets a flag). */
static void apply(struct vlimits *l, const char *key, const char *value)
{
	char *base = (char *)l;
	size_t i;

	if (!strcmp(key, "perm_maillist")) {
		if (value)
			set_maillist(l, value);
		return;
	}
	for (i = 0; i < COUNT(flags); i++) {
		if (!strcmp(key, flags[i].name)) {
			*(int *)(base + flags[i].off) = 1;
			return;
		}
	}
	for (i = 0; i < COUNT(keywords); i++) {
		const struct keyword *k = &keywords[i];

		if (strcmp(key, k->name) != 0)
			continue;
		if (value && k->kind == K_INT)
			*(int *)(base + k->off) = int_of(value);
		else if (value && k->kind == K_PERM)
			*(int *)(base + k->off) = int_of(value) & VLIMIT_DISABLE_ALL;
		else if (value)
			*(int64_t *)(base + k->off) = strtoll(value, NULL, 10);
		return;
	}
}

static void parse_line(struct vlimits *l, char *s)
{
	char *v;

	if (!*s || *s == '#')
		return;
	v = s + strcspn(s, " \t:");
	if (!*v) {
		apply(l, s, NULL);
		return;
	}
	*v++ = '\0';
	v += strspn(v, " \t:");
	apply(l, s, v);
}

void vlimits_parse(struct vlimits *l, const char *text, size_t len)
{
	const char *p = text, *end;
	char line[VLIMITS_LINE_MAX];

	/* vpopmail's scan treats a NUL as the end of the data */
	end = memchr(text, '\0', len);
	if (!end)
		end = text + len;
	while (p < end) {
		size_t n = 0;

		while (p + n < end && p[n] != '\r' && p[n] != '\n')
			n++;
		if (n >= sizeof(line))
			return;
		memcpy(line, p, n);
		line[n] = '\0';
		parse_line(l, line);
		p += n + 1;
	}
}

/* ============================================================== writing */

int vlimits_format(const struct vlimits *l, struct buf *out)
{
	const int m = VLIMIT_DISABLE_ALL;
	size_t i;

	buf_printf(out, "maxpopaccounts: %d\nmaxaliases: %d\nmaxforwards: %d\n"
	           "maxautoresponders: %d\nmaxmailinglists: %d\n",
	           l->maxpopaccounts, l->maxaliases, l->maxforwards,
	           l->maxautoresponders, l->maxmailinglists);
	buf_printf(out, "quota: %" PRId64 "\nmaxmsgcount: %" PRId64 "\n"
	           "default_quota: %" PRId64 "\ndefault_maxmsgcount: %" PRId64 "\n",
	           l->diskquota, l->maxmsgcount, l->defaultquota, l->defaultmaxmsgcount);
	for (i = 0; i < COUNT(flags); i++)
		if (flag_set(l, &flags[i]))
			buf_printf(out, "%s\n", flags[i].name);
	buf_printf(out, "perm_account: %d\nperm_alias: %d\nperm_forward: %d\n"
	           "perm_autoresponder: %d\n",
	           l->perm_account & m, l->perm_alias & m, l->perm_forward & m,
	           l->perm_autoresponder & m);
	buf_printf(out, "perm_maillist: %d\nperm_quota: %d\nperm_defaultquota: %d\n",
	           (l->perm_maillist & m)
	           | (l->perm_maillist_users & m) << VLIMIT_DISABLE_BITS
	           | (l->perm_maillist_moderators & m) << (2 * VLIMIT_DISABLE_BITS),
	           l->perm_quota & m, l->perm_defaultquota & m);
	return buf_failed(out) ? -1 : 0;
}

/* ============================================================ the files */

static int limits_path(char *out, size_t cap, const char *domdir, struct qa_error *err)
{
	int n = snprintf(out, cap, "%s/%s", domdir, VLIMITS_FILE);

	if (!domdir[0] || n < 0 || (size_t)n >= cap)
		return qa_fail(err, QA_ERR_INVALID, "domdir", "empty or too long");
	return 0;
}

/* 1 if path existed and was applied, 0 if missing, -1 on error. */
static int apply_file(const char *path, struct vlimits *l, struct qa_error *err)
{
	struct buf b = BUF_INIT;
	int missing, rc;

	rc = ctl_read_file(path, &b, VLIMITS_FILE_MAX, 1, &missing, err);
	if (rc == 0 && !missing)
		vlimits_parse(l, b.p ? b.p : "", b.len);
	buf_free(&b);
	return rc < 0 ? -1 : !missing;
}

int vlimits_load(const char *domdir, const char *default_file, struct vlimits *l,
                 enum vlimits_source *src, struct qa_error *err)
{
	char path[CTL_PATH_MAX];
	enum vlimits_source dummy;
	int rc;

	if (!src)
		src = &dummy;
	*src = VLIMITS_NONE;
	vlimits_defaults(l);
	if (limits_path(path, sizeof(path), domdir, err) < 0)
		return -1;
	rc = apply_file(path, l, err);
	if (rc != 0) {
		*src = VLIMITS_DOMAIN;
		return rc < 0 ? -1 : 0;
	}
	if (!default_file)
		return 0;
	rc = apply_file(default_file, l, err);
	if (rc > 0)
		*src = VLIMITS_DEFAULT;
	return rc < 0 ? -1 : 0;
}

int vlimits_save(const char *domdir, const struct vlimits *l, struct qa_error *err)
{
	char path[CTL_PATH_MAX];
	struct buf b = BUF_INIT;
	int rc;

	if (limits_path(path, sizeof(path), domdir, err) < 0)
		return -1;
	vlimits_format(l, &b);
	rc = ctl_write_file(path, &b, 0600, VLIMITS_FILE, err);
	buf_free(&b);
	return rc;
}

int vlimits_remove(const char *domdir, struct qa_error *err)
{
	char path[CTL_PATH_MAX];

	if (limits_path(path, sizeof(path), domdir, err) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return qa_fail_errno(err, VLIMITS_FILE, "cannot remove %s", path);
	return 0;
}

/* ================================================================ flags */

unsigned long vlimits_flag_mask(const struct vlimits *l)
{
	unsigned long m = 0;
	size_t i;

	for (i = 0; i < COUNT(flags); i++)
		if (flag_set(l, &flags[i]))
			m |= flags[i].bit;
	return m;
}

unsigned long vlimits_effective_flags(unsigned long gid, const struct vlimits *l)
{
	return gid & V_OVERRIDE ? gid : gid | vlimits_flag_mask(l);
}
