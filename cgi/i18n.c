/* i18n: message catalogs and language negotiation (see i18n.h). Catalogs are
 * parsed once at start-up into arrays sorted by key, so a lookup is a binary
 * search. A message is plain text: the template engine escapes it, so
 * nothing here knows about HTML. Accept-Language comes from the client and
 * is parsed with bounded work; a malformed part is skipped, never trusted. */
#include "config.h"

#include "i18n.h"

#include "buf.h"
#include "file.h"
#include "html.h"
#include "validate.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_CATALOG_FILE (1u << 20)
#define AL_MAX_BYTES 1024    /* real headers are well under 200 bytes */
#define AL_MAX_ITEMS 32

struct centry {
	const char *key;
	const char *text;
	int line;
};

struct catalog {
	char *lang;
	char *data;                /* the file, cut into keys and texts in place */
	struct centry *e;
	size_t n, cap;
};

struct catalogs {
	struct catalog **c;        /* sorted by language */
	size_t n, cap;
};

static int lang_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || n > 3)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

static int key_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* ---------------------------------------------------------------- parsing */

struct cparse {
	struct catalog *c;
	int line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int cfail(struct cparse *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->errlen)
		return -1;
	n = snprintf(p->err, p->errlen, "%s:%d: ", p->c->lang, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int add_entry(struct cparse *p, const char *key, const char *text)
{
	struct catalog *c = p->c;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		struct centry *ne = realloc(c->e, ncap * sizeof(*ne));

		if (!ne)
			return cfail(p, "out of memory");
		c->e = ne;
		c->cap = ncap;
	}
	c->e[c->n].key = key;
	c->e[c->n].text = text;
	c->e[c->n].line = p->line;
	c->n++;
	return 0;
}

/* One line, without its newline; cut in place into a key and a text. */
static int parse_line(struct cparse *p, char *s, size_t n)
{
	char *eq, *key, *text, *end;
	size_t i;

	if (n && s[n - 1] == '\r')
		n--;
	if (!utf8_valid(s, n))
		return cfail(p, "invalid UTF-8");
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return cfail(p, "control character in line");
	for (i = 0; i < n && is_blank(s[i]); i++)
		;
	if (i == n || s[i] == '#')
		return 0;
	s[n] = '\0';
	eq = strstr(s, " = ");
	if (!eq)
		return cfail(p, "expected 'key = text'");
	for (key = s; key < eq && is_blank(*key); key++)
		;
	for (end = eq; end > key && is_blank(end[-1]); end--)
		;
	if (!key_ok(key, (size_t)(end - key)))
		return cfail(p, "bad key '%.*s' (keys are [a-z0-9_.]+)",
		             (int)((end - key) < 40 ? (end - key) : 40), key);
	*end = '\0';
	for (text = eq + 3; is_blank(*text); text++)
		;
	for (end = s + n; end > text && is_blank(end[-1]); end--)
		;
	*end = '\0';
	return add_entry(p, key, text);
}

static int by_key(const void *a, const void *b)
{
	const struct centry *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	return r ? r : x->line - y->line;
}

static int parse_all(struct cparse *p, size_t len)
{
	char *s = p->c->data, *end = s + len;
	size_t i;

	const char *nul = memchr(s, '\0', len);

	if (nul) {
		for (p->line = 1; s < nul; s++)
			p->line += *s == '\n';
		return cfail(p, "NUL byte");
	}
	for (p->line = 1; s < end; p->line++) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((nl ? nl : end) - s);

		if (parse_line(p, s, n) < 0)
			return -1;
		s += n + 1;
	}
	if (p->c->n > 1)
		qsort(p->c->e, p->c->n, sizeof(*p->c->e), by_key);
	for (i = 1; i < p->c->n; i++) {
		if (strcmp(p->c->e[i - 1].key, p->c->e[i].key) == 0) {
			p->line = p->c->e[i].line;
			return cfail(p, "key '%s' already defined on line %d",
			             p->c->e[i].key, p->c->e[i - 1].line);
		}
	}
	return 0;
}

struct catalog *catalog_parse(const char *lang, const char *text, size_t len,
                              char *err, size_t errlen)
{
	struct catalog *c;
	struct cparse p = { NULL, 0, err, errlen };

	if (errlen)
		err[0] = '\0';
	if (!lang || !lang_ok(lang, strlen(lang))) {
		snprintf(err, errlen, "bad language code (want [a-z]{2,3})");
		return NULL;
	}
	if (len > MAX_CATALOG_FILE) {
		snprintf(err, errlen, "%s: catalog larger than %u bytes", lang, MAX_CATALOG_FILE);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->lang = strdup(lang)) || !(c->data = malloc(len + 1))) {
		catalog_free(c);
		snprintf(err, errlen, "%s: out of memory", lang);
		return NULL;
	}
	if (len)
		memcpy(c->data, text, len);
	c->data[len] = '\0';
	p.c = c;
	if (parse_all(&p, len) < 0) {
		catalog_free(c);
		return NULL;
	}
	return c;
}

void catalog_free(struct catalog *c)
{
	if (!c)
		return;
	free(c->lang);
	free(c->data);
	free(c->e);
	free(c);
}

/* ---------------------------------------------------------------- lookups */

const char *catalog_lang(const struct catalog *c)
{
	return c ? c->lang : NULL;
}

const char *catalog_text(const struct catalog *c, const char *key)
{
	size_t lo = 0, hi = c && key ? c->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(key, c->e[mid].key);

		if (r == 0)
			return c->e[mid].text;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t catalog_size(const struct catalog *c)
{
	return c ? c->n : 0;
}

const char *catalog_key_at(const struct catalog *c, size_t i)
{
	return c && i < c->n ? c->e[i].key : NULL;
}

size_t i18n_count(const struct catalogs *cs)
{
	return cs ? cs->n : 0;
}

const struct catalog *i18n_at(const struct catalogs *cs, size_t i)
{
	return cs && i < cs->n ? cs->c[i] : NULL;
}

/* Language codes compare ASCII case-insensitively ("SV" from a header). */
static const struct catalog *find_lang(const struct catalogs *cs, const char *s, size_t n)
{
	size_t i;

	for (i = 0; cs && s && i < cs->n; i++)
		if (strlen(cs->c[i]->lang) == n && strncasecmp(cs->c[i]->lang, s, n) == 0)
			return cs->c[i];
	return NULL;
}

const struct catalog *i18n_catalog(const struct catalogs *cs, const char *lang)
{
	return lang ? find_lang(cs, lang, strlen(lang)) : NULL;
}

/* ---------------------------------------------------------------- sets */

struct catalogs *i18n_new(void)
{
	return calloc(1, sizeof(struct catalogs));
}

void i18n_free(struct catalogs *cs)
{
	size_t i;

	if (!cs)
		return;
	for (i = 0; i < cs->n; i++)
		catalog_free(cs->c[i]);
	free(cs->c);
	free(cs);
}

int i18n_add(struct catalogs *cs, struct catalog *c)
{
	size_t i;

	if (!cs || !c || i18n_catalog(cs, c->lang)) {
		catalog_free(c);
		return -1;
	}
	if (cs->n == cs->cap) {
		size_t ncap = cs->cap ? cs->cap * 2 : 4;
		struct catalog **nc = realloc(cs->c, ncap * sizeof(*nc));

		if (!nc) {
			catalog_free(c);
			return -1;
		}
		cs->c = nc;
		cs->cap = ncap;
	}
	for (i = cs->n; i > 0 && strcmp(cs->c[i - 1]->lang, c->lang) > 0; i--)
		cs->c[i] = cs->c[i - 1];
	cs->c[i] = c;
	cs->n++;
	return 0;
}

/* ---------------------------------------------------------------- loading */

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;

	if (file_read(path, MAX_CATALOG_FILE, &b) < 0) {
		snprintf(err, errlen, "%s: %s", path,
		         errno == EFBIG ? "file too large" : strerror(errno));
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.p ? b.p : strdup("");   /* caller frees */
}

/* Parses DIR/LANG into cs; the error names the file. */
static int load_one(struct catalogs *cs, const char *dir, const char *lang,
                    char *err, size_t errlen)
{
	char path[4096], why[512];
	struct catalog *c;
	size_t len;
	char *text;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, lang) >= sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	text = read_file(path, &len, err, errlen);
	if (!text)
		return -1;
	c = catalog_parse(lang, text, len, why, sizeof(why));
	free(text);
	if (!c) {
		snprintf(err, errlen, "%s/%s", dir, why);
		return -1;
	}
	if (i18n_add(cs, c) < 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	return 0;
}

static int is_regular(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

struct catalogs *i18n_load_dir(const char *langdir, char *err, size_t errlen)
{
	struct catalogs *cs = i18n_new();
	DIR *d = cs ? opendir(langdir) : NULL;
	struct dirent *de;
	int r = 0;

	if (errlen)
		err[0] = '\0';
	if (!d) {
		snprintf(err, errlen, "%s: %s", langdir, cs ? strerror(errno) : "out of memory");
		i18n_free(cs);
		return NULL;
	}
	while (r == 0 && (de = readdir(d)) != NULL)
		if (lang_ok(de->d_name, strlen(de->d_name)) && is_regular(langdir, de->d_name))
			r = load_one(cs, langdir, de->d_name, err, errlen);
	closedir(d);
	if (r == 0 && cs->n == 0) {
		snprintf(err, errlen, "%s: no catalogs (files named like \"en\")", langdir);
		r = -1;
	}
	if (r < 0) {
		i18n_free(cs);
		return NULL;
	}
	return cs;
}

/* ---------------------------------------------------------------- negotiation */

/* A qvalue (RFC 9110 12.4.2) in thousandths, or -1 when malformed. */
static int parse_q(const char *s, size_t n)
{
	int q = 0, scale = 100;
	size_t i;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	if (n > 1 && (s[1] != '.' || n > 5))
		return -1;
	for (i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
		scale /= 10;
	}
	if (s[0] == '1')
		return q == 0 ? 1000 : -1;
	return q;
}

static int ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A language range: "*", or 1-8 letters then "-" and 1-8 letters or digits
 * as often as needed. */
static int range_ok(const char *s, size_t n)
{
	size_t i, part = 0;
	int primary = 1;

	if (n == 1 && s[0] == '*')
		return 1;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '-') {
			if (part == 0 || i + 1 == n)
				return 0;
			part = 0;
			primary = 0;
			continue;
		}
		if (!ascii_alpha(s[i]) && (primary || s[i] < '0' || s[i] > '9'))
			return 0;
		if (++part > 8)
			return 0;
	}
	return 1;
}

static void trim(const char **s, const char **end)
{
	while (*s < *end && is_blank(**s))
		(*s)++;
	while (*end > *s && is_blank((*end)[-1]))
		(*end)--;
}

/* One item, "range;q=0.5": 0 when malformed. Other parameters are ignored. */
static int parse_item(const char *s, const char *end, const char **range,
                      size_t *rlen, int *q)
{
	const char *semi = memchr(s, ';', (size_t)(end - s));
	const char *rend = semi ? semi : end;

	*q = 1000;
	trim(&s, &rend);
	if (!range_ok(s, (size_t)(rend - s)))
		return 0;
	*range = s;
	*rlen = (size_t)(rend - s);
	while (semi) {
		const char *p = semi + 1, *pend;

		semi = memchr(p, ';', (size_t)(end - p));
		pend = semi ? semi : end;
		trim(&p, &pend);
		if (pend - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			*q = parse_q(p + 2, (size_t)(pend - p - 2));
			if (*q < 0)
				return 0;
		}
	}
	return 1;
}

/* "sv-SE" matches the "sv" catalog; "*" matches the default. */
static const struct catalog *match_range(const struct catalogs *cs, const char *range,
                                         size_t rlen, const char *deflt)
{
	const char *dash = memchr(range, '-', rlen);

	if (rlen == 1 && range[0] == '*')
		return i18n_catalog(cs, deflt);
	return find_lang(cs, range, dash ? (size_t)(dash - range) : rlen);
}

/* The loaded catalog with the highest q (the first of equals), or NULL.
 * Only the first AL_MAX_BYTES and AL_MAX_ITEMS are looked at. */
static const struct catalog *best_accept(const struct catalogs *cs, const char *al,
                                         const char *deflt)
{
	const char *p = al, *end = al + strnlen(al, AL_MAX_BYTES);
	const struct catalog *best = NULL, *c;
	int best_q = 0, items = 0;

	while (p < end && items++ < AL_MAX_ITEMS) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *iend = comma ? comma : end;
		const char *range;
		size_t rlen;
		int q;

		if (parse_item(p, iend, &range, &rlen, &q) && q > best_q &&
		    (c = match_range(cs, range, rlen, deflt)) != NULL) {
			best = c;
			best_q = q;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return best;
}

const char *i18n_negotiate(const struct catalogs *cs, const char *cookie_lang,
                           const char *accept_language, const char *deflt)
{
	const struct catalog *c = NULL;

	if (cookie_lang)
		c = find_lang(cs, cookie_lang, strnlen(cookie_lang, 4));
	if (!c && accept_language)
		c = best_accept(cs, accept_language, deflt);
	if (!c)
		c = i18n_catalog(cs, deflt);
	return c ? c->lang : NULL;
}
