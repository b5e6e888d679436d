/* conf: parser for qmailadmin.conf (see conf.h). Table-driven: each key is
 * declared once with its kind, its place in struct conf and its bounds. */
#include "config.h"

#include "conf.h"

#include "buf.h"
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum kind { K_PATH, K_STR, K_PORT, K_SIZE, K_TIME, K_COUNT, K_LANG, K_CHOICE, K_BOOL };

struct key {
	const char *name;
	enum kind kind;
	size_t off;
	size_t size;                   /* bytes of a string field */
	const char *const *choices;    /* K_CHOICE: the values allowed */
};

static const char *const hashes[] = { "sha512", "yescrypt", "bcrypt", NULL };
static const char *const imap_tls_modes[] = { "none", "starttls", "imaps", NULL };
static const char *const smtp_tls_modes[] = { "none", "starttls", "smtps", NULL };
static const char *const send_vias[] = { "smtp", "qmail-inject", NULL };
static const char *const smtp_auths[] = { "none", "config", "user", NULL };

#define STRKEY(k, n) { #n, k, offsetof(struct conf, n), sizeof(((struct conf *)0)->n), NULL }
#define NUMKEY(k, n) { #n, k, offsetof(struct conf, n), 0, NULL }
#define CHOICEKEY(n, list) { #n, K_CHOICE, offsetof(struct conf, n), sizeof(((struct conf *)0)->n), list }

static const struct key keys[] = {
	STRKEY(K_PATH, qmail_dir),
	STRKEY(K_PATH, vpopmail_dir),
	STRKEY(K_STR, vpopmail_user),
	STRKEY(K_STR, vpopmail_group),
	STRKEY(K_PATH, helper),
	STRKEY(K_PATH, templates_dir),
	STRKEY(K_STR, static_url),
	STRKEY(K_PATH, tmp_dir),
	NUMKEY(K_BOOL, webmail),
	STRKEY(K_STR, imap_host),
	NUMKEY(K_PORT, imap_port),
	CHOICEKEY(imap_tls, imap_tls_modes),
	STRKEY(K_PATH, imap_ca_file),
	NUMKEY(K_BOOL, imap_verify),
	NUMKEY(K_TIME, imap_timeout),
	CHOICEKEY(send_via, send_vias),
	STRKEY(K_STR, smtp_host),
	NUMKEY(K_PORT, smtp_port),
	CHOICEKEY(smtp_tls, smtp_tls_modes),
	STRKEY(K_PATH, smtp_ca_file),
	NUMKEY(K_BOOL, smtp_verify),
	NUMKEY(K_TIME, smtp_timeout),
	CHOICEKEY(smtp_auth, smtp_auths),
	STRKEY(K_STR, smtp_user),
	STRKEY(K_STR, smtp_password),
	STRKEY(K_PATH, qmail_inject),
	NUMKEY(K_TIME, session_idle),
	NUMKEY(K_TIME, session_max),
	NUMKEY(K_SIZE, max_body),
	NUMKEY(K_SIZE, max_upload),
	NUMKEY(K_COUNT, max_fields),
	NUMKEY(K_COUNT, max_files),
	STRKEY(K_LANG, default_lang),
	STRKEY(K_PATH, state_dir),
	CHOICEKEY(password_hash, hashes),
	STRKEY(K_STR, qmail_reload),
	NUMKEY(K_COUNT, login_fail_limit),
	NUMKEY(K_TIME, login_fail_window),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

const char *conf_default_path(void)
{
	const char *p = getenv("QMAILADMIN_CONF");

	return p && *p ? p : QA_SYSCONFDIR "/qmailadmin.conf";
}

static void set_str(struct conf *c, size_t off, const char *v)
{
	/* Defaults are compile-time constants that fit; conf_parse checks input. */
	snprintf((char *)c + off, strlen(v) + 1, "%s", v);
}

void conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	set_str(c, offsetof(struct conf, qmail_dir), "/var/qmail");
	set_str(c, offsetof(struct conf, vpopmail_dir), "/home/vpopmail");
	set_str(c, offsetof(struct conf, vpopmail_user), "vpopmail");
	set_str(c, offsetof(struct conf, vpopmail_group), "vchkpw");
	set_str(c, offsetof(struct conf, helper), QA_LIBEXECDIR "/qmailadmin/qmailadmin-helper");
	set_str(c, offsetof(struct conf, templates_dir), QA_PKGDATADIR "/templates");
	set_str(c, offsetof(struct conf, static_url), "/qmailadmin-static");
	set_str(c, offsetof(struct conf, tmp_dir), "/tmp");
	set_str(c, offsetof(struct conf, imap_host), "127.0.0.1");
	c->imap_port = 143;
	set_str(c, offsetof(struct conf, imap_tls), "none");
	c->imap_verify = 1;
	c->webmail = 1;
	c->imap_timeout = 30;
	set_str(c, offsetof(struct conf, send_via), "smtp");
	set_str(c, offsetof(struct conf, smtp_host), "127.0.0.1");
	c->smtp_port = 25;
	set_str(c, offsetof(struct conf, smtp_tls), "none");
	c->smtp_verify = 1;
	c->smtp_timeout = 30;
	set_str(c, offsetof(struct conf, smtp_auth), "none");
	c->session_idle = 30 * 60;
	c->session_max = 12 * 3600;
	c->max_body = 64 * 1024;
	c->max_upload = 25 * 1024 * 1024;
	c->max_fields = 200;
	c->max_files = 10;
	set_str(c, offsetof(struct conf, default_lang), "en");
	set_str(c, offsetof(struct conf, state_dir), QA_LOCALSTATEDIR "/lib/qmailadmin");
	set_str(c, offsetof(struct conf, password_hash), "sha512");
	set_str(c, offsetof(struct conf, qmail_reload), "none");
	c->login_fail_limit = 5;
	c->login_fail_window = 15 * 60;
}

static int fail(char *err, size_t errlen, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "line %u: ", line);

	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Parses "123", "64K", "25M", "1G" (sizes) or "90", "30s", "30m", "12h", "7d"
 * (durations) into *out; 0 on success. Overflow is an error. */
static int parse_number(const char *v, int durations, unsigned long long *out)
{
	unsigned long long n = 0, mul = 1;
	const char *p = v;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (~0ULL - 9) / 10)
			return -1;
		n = n * 10 + (unsigned)(*p - '0');
	}
	if (*p) {
		const char *units = durations ? "smhd" : "KMG";
		static const unsigned long long tmul[] = { 1, 60, 3600, 86400 };
		static const unsigned long long smul[] = { 1ULL << 10, 1ULL << 20, 1ULL << 30 };
		const char *u = strchr(units, *p);

		if (!u || p[1])
			return -1;
		mul = durations ? tmul[u - units] : smul[u - units];
	}
	if (n > ~0ULL / mul)
		return -1;
	*out = n * mul;
	return 0;
}

static int valid_text(const char *v, int path)
{
	const unsigned char *p = (const unsigned char *)v;

	if (path && *p != '/')
		return 0;
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static int valid_lang(const char *v)
{
	size_t n = strlen(v), i;

	if (n < 2 || n > 3)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] < 'a' || v[i] > 'z')
			return 0;
	return 1;
}

static int in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(v, *list))
			return 1;
	return 0;
}

/* "must be a, b or c" */
static int fail_choice(char *err, size_t errlen, unsigned line, const struct key *k)
{
	char list[128] = "";
	size_t i, o = 0;

	for (i = 0; k->choices[i] && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
		                      i == 0 ? "" : k->choices[i + 1] ? ", " : " or ", k->choices[i]);
	return fail(err, errlen, line, "%s: must be %s", k->name, list);
}

static int set_value(struct conf *c, const struct key *k, const char *v,
                     char *err, size_t errlen, unsigned line)
{
	char *field = (char *)c + k->off;
	unsigned long long n;

	switch (k->kind) {
	case K_BOOL:
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return fail(err, errlen, line, "%s: must be yes or no", k->name);
		*(int *)(void *)field = !strcmp(v, "yes");
		return 0;
	case K_CHOICE:
		if (!in_list(v, k->choices))
			return fail_choice(err, errlen, line, k);
		/* fall through */
	case K_PATH:
	case K_STR:
	case K_LANG:
		if (!*v || !valid_text(v, k->kind == K_PATH))
			return fail(err, errlen, line, "%s: %s", k->name,
			            k->kind == K_PATH ? "must be an absolute path" : "bad value");
		if (k->kind == K_LANG && !valid_lang(v))
			return fail(err, errlen, line, "%s: must be a language code like en or sv", k->name);
		if (strlen(v) >= k->size)
			return fail(err, errlen, line, "%s: value too long", k->name);
		memcpy(field, v, strlen(v) + 1);
		return 0;
	case K_PORT:
		if (parse_number(v, 0, &n) < 0 || strchr(v, 'K') || strchr(v, 'M')
		    || strchr(v, 'G') || n == 0 || n > 65535)
			return fail(err, errlen, line, "%s: must be a port number 1-65535", k->name);
		*(unsigned *)(void *)field = (unsigned)n;
		return 0;
	case K_TIME:
		if (parse_number(v, 1, &n) < 0 || n == 0 || n > 366ULL * 86400)
			return fail(err, errlen, line, "%s: must be a duration like 30m or 12h", k->name);
		*(unsigned long *)(void *)field = (unsigned long)n;
		return 0;
	case K_SIZE:
	case K_COUNT:
		if (parse_number(v, 0, &n) < 0 || n == 0 || n > (1ULL << 40)
		    || (k->kind == K_COUNT && (n > 100000 || strpbrk(v, "KMG"))))
			return fail(err, errlen, line, "%s: bad number", k->name);
		*(size_t *)(void *)field = (size_t)n;
		return 0;
	}
	return fail(err, errlen, line, "%s: internal error", k->name);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int parse_line(struct conf *c, char *line, unsigned lineno, unsigned char *seen,
                      char *err, size_t errlen)
{
	char *eq, *name, *value;
	size_t i;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return fail(err, errlen, lineno, "expected \"key = value\"");
	*eq = '\0';
	name = trim(line);
	value = trim(eq + 1);
	for (i = 0; i < NKEYS; i++) {
		if (strcmp(keys[i].name, name) != 0)
			continue;
		if (seen[i])
			return fail(err, errlen, lineno, "%s: set twice", name);
		seen[i] = 1;
		return set_value(c, &keys[i], value, err, errlen, lineno);
	}
	return fail(err, errlen, lineno, "unknown key \"%.64s\"", name);
}

int conf_parse(struct conf *c, const char *text, size_t len, char *err, size_t errlen)
{
	unsigned char seen[NKEYS] = { 0 };
	char line[8192];
	unsigned lineno = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		lineno++;
		if (n >= sizeof(line))
			return fail(err, errlen, lineno, "line too long");
		if (memchr(text + pos, '\0', n))
			return fail(err, errlen, lineno, "NUL byte");
		memcpy(line, text + pos, n);
		line[n] = '\0';
		if (parse_line(c, line, lineno, seen, err, errlen) < 0)
			return -1;
		pos += n + 1;
	}
	if (strcmp(c->qmail_reload, "none") && strncmp(c->qmail_reload, "pidfile:/", 9)
	    && strncmp(c->qmail_reload, "command:/", 9))
		return fail(err, errlen, lineno, "qmail_reload: must be none, pidfile:/PATH or command:/PATH ARGS");
	if (c->session_idle > c->session_max)
		return fail(err, errlen, lineno, "session_idle is longer than session_max");
	if (!strcmp(c->smtp_auth, "config") && (!*c->smtp_user || !*c->smtp_password))
		return fail(err, errlen, lineno, "smtp_auth = config needs smtp_user and smtp_password");
	return 0;
}

/* A password in the file is for the front end's eyes only (and root's). */
static int readable_by_others(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 || (st.st_mode & S_IROTH);
}

int conf_load(struct conf *c, const char *path, char *err, size_t errlen)
{
	struct buf text = BUF_INIT;
	char where[512];
	int rc;

	conf_defaults(c);
	if (file_read(path, 65536, &text) < 0) {
		snprintf(err, errlen, "%s: %s", path, errno == EFBIG ? "file too large" : strerror(errno));
		buf_free(&text);
		return -1;
	}
	rc = conf_parse(c, text.p ? text.p : "", text.len, err, errlen);
	buf_free(&text);
	if (rc == 0 && *c->smtp_password && readable_by_others(path)) {
		snprintf(err, errlen, "smtp_password is set, but other users may read the file: "
		         "make it readable by the web application's user only");
		rc = -1;
	}
	if (rc < 0) {
		snprintf(where, sizeof(where), "%s", err);
		snprintf(err, errlen, "%s: %s", path, where);
	}
	return rc;
}
