/* html_check: the strict reading of sanitized output (see html_check.h). */
#include "config.h"

#include "html_check.h"

#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 128
#define NAME_MAX_LEN 16

static const char *const elements[] = {
	"a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big",
	"blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del",
	"dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3",
	"h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav",
	"ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strike", "strong", "sub",
	"sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var",
	"wbr", NULL
};
static const char *const voids[] = { "br", "hr", "img", "col", "wbr", NULL };

/* Attributes that carry no URL, script or identity, on any element. */
static const char *const inert[] = {
	"title", "dir", "lang", "alt", "width", "height", "border", "align", "valign", "hspace",
	"vspace", "bgcolor", "cellpadding", "cellspacing", "summary", "colspan", "rowspan",
	"nowrap", "scope", "abbr", "span", "color", "face", "size", "noshade", "start", "type",
	"reversed", "value", NULL
};

struct ck {
	const struct html_check *c;
	const char *s;
	size_t n, i;
	char *why;
	size_t size;
	char stack[DEPTH_MAX][NAME_MAX_LEN];
	int depth;
	char *value;        /* n + 1 bytes: one decoded attribute value */
};

static int in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

static int fail(struct ck *k, const char *what, const char *detail)
{
	snprintf(k->why, k->size, "at %zu: %s%s%s", k->i, what, detail ? ": " : "",
	         detail ? detail : "");
	return -1;
}

static int lower_eq_prefix(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (!*s || (*s >= 'A' && *s <= 'Z' ? *s + 32 : *s) != *prefix)
			return 0;
	return 1;
}

static int has_nocase(const char *s, const char *needle)
{
	for (; *s; s++)
		if (lower_eq_prefix(s, needle))
			return 1;
	return 0;
}

/* The five entities our writer uses, and nothing else, may follow '&'. */
static size_t entity_len(const char *s, size_t n)
{
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	size_t e;

	for (e = 0; e < sizeof(ents) / sizeof(ents[0]); e++)
		if (strlen(ents[e]) <= n && memcmp(s, ents[e], strlen(ents[e])) == 0)
			return strlen(ents[e]);
	return 0;
}

static char entity_char(const char *s)
{
	switch (s[1]) {
	case 'a': return '&';
	case 'l': return '<';
	case 'g': return '>';
	case 'q': return '"';
	default: return '\'';
	}
}

/* Reads a quoted value at k->i (after '="'), decoded into out (room for
 * the whole output). */
static int read_value(struct ck *k, char *out)
{
	size_t o = 0, e;

	while (k->i < k->n && k->s[k->i] != '"') {
		char c = k->s[k->i];

		if (c == '<' || c == '>' || c == '\'')
			return fail(k, "raw < > or ' in a value", NULL);
		if (c == '&') {
			if (!(e = entity_len(k->s + k->i, k->n - k->i)))
				return fail(k, "stray & in a value", NULL);
			c = entity_char(k->s + k->i);
			k->i += e - 1;
		}
		out[o++] = c;
		k->i++;
	}
	out[o] = '\0';
	if (k->i >= k->n)
		return fail(k, "unterminated value", NULL);
	k->i++;
	return 0;
}

/* A URL as a browser reads it starts with one of the allowed schemes. */
static int url_starts(const char *v, const char *const *schemes)
{
	char clean[64];
	size_t o = 0;

	while (*v && (unsigned char)*v <= 0x20)
		v++;
	for (; *v && o + 1 < sizeof(clean); v++)
		if (*v != '\t' && *v != '\n' && *v != '\r')
			clean[o++] = *v;
	clean[o] = '\0';
	for (; *schemes; schemes++)
		if (lower_eq_prefix(clean, *schemes))
			return 1;
	return 0;
}

static int style_ok(const char *v)
{
	static const char *const banned[] = { "url(", "expression", "@import", "\\", "/*",
		"javascript", "behavior", "binding", "<", ">", NULL };
	const char *const *b;

	for (b = banned; *b; b++)
		if (has_nocase(v, *b))
			return 0;
	for (; *v; v++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 #%.,:;()'\"_-", *v))
			return 0;
	return 1;
}

static int attr_ok(struct ck *k, const char *el, const char *name, const char *v)
{
	if (lower_eq_prefix(name, "on"))
		return fail(k, "event handler", name);
	if (k->c->textmail) {
		if (strcmp(el, "span") == 0 && strcmp(name, "class") == 0 && strcmp(v, "mail-quote") == 0)
			return 0;
		return fail(k, "attribute not allowed", name);
	}
	if (strcmp(name, "style") == 0)
		return k->c->styles && style_ok(v) ? 0 : fail(k, "style", v);
	return in_list(inert, name) ? 0 : fail(k, "attribute not allowed", name);
}

/* href, rel, target and src: where URLs and link behaviour live. */
static int link_attr(struct ck *k, const char *el, const char *name, const char *v, int *rel, int *target)
{
	static const char *const links[] = { "http:", "https:", "mailto:", NULL };
	static const char *const remote[] = { "http:", "https:", NULL };

	if (strcmp(el, "a") == 0 && strcmp(name, "href") == 0)
		return url_starts(v, links) ? 0 : fail(k, "href scheme", v);
	if (strcmp(el, "a") == 0 && strcmp(name, "rel") == 0) {
		*rel = strcmp(v, "noopener noreferrer") == 0;
		return *rel ? 0 : fail(k, "rel", v);
	}
	if (strcmp(el, "a") == 0 && strcmp(name, "target") == 0) {
		*target = strcmp(v, "_blank") == 0;
		return *target ? 0 : fail(k, "target", v);
	}
	if (!k->c->textmail && strcmp(el, "img") == 0 && strcmp(name, "src") == 0) {
		if (k->c->remote_images && url_starts(v, remote))
			return 0;
		if (k->c->cid_prefix && strncmp(v, k->c->cid_prefix, strlen(k->c->cid_prefix)) == 0)
			return 0;
		return fail(k, "img src", v);
	}
	return attr_ok(k, el, name, v);
}

static int read_name(struct ck *k, char *out, int attr)
{
	size_t o = 0;

	while (k->i < k->n) {
		char c = k->s[k->i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (attr && c == '-')))
			break;
		if (o + 1 >= NAME_MAX_LEN)
			return fail(k, "name too long", NULL);
		out[o++] = c;
		k->i++;
	}
	out[o] = '\0';
	return o ? 0 : fail(k, "bad name", NULL);
}

static int start_tag(struct ck *k)
{
	char el[NAME_MAX_LEN], name[NAME_MAX_LEN], *v = k->value;
	int rel = 0, target = 0;

	if (read_name(k, el, 0) < 0)
		return -1;
	if (k->c->textmail ? strcmp(el, "a") && strcmp(el, "span") : !in_list(elements, el))
		return fail(k, "element not allowed", el);
	while (k->i < k->n && k->s[k->i] == ' ') {
		k->i++;
		if (read_name(k, name, 1) < 0)
			return -1;
		v[0] = '\0';
		if (k->i + 1 < k->n && k->s[k->i] == '=' && k->s[k->i + 1] == '"') {
			k->i += 2;
			if (read_value(k, v) < 0)
				return -1;
		}
		if (link_attr(k, el, name, v, &rel, &target) < 0)
			return -1;
	}
	if (k->i >= k->n || k->s[k->i] != '>')
		return fail(k, "tag not closed by >", el);
	k->i++;
	if (strcmp(el, "a") == 0 && !(rel && target))
		return fail(k, "a without rel and target", NULL);
	if (in_list(voids, el))
		return 0;
	if (k->depth >= DEPTH_MAX)
		return fail(k, "nested too deep", el);
	strcpy(k->stack[k->depth++], el);
	return 0;
}

static int end_tag(struct ck *k)
{
	char el[NAME_MAX_LEN];

	if (read_name(k, el, 0) < 0)
		return -1;
	if (k->i >= k->n || k->s[k->i] != '>')
		return fail(k, "end tag not closed by >", el);
	k->i++;
	if (!k->depth || strcmp(k->stack[k->depth - 1], el))
		return fail(k, "end tag does not match", el);
	k->depth--;
	return 0;
}

static int check(struct ck *k)
{
	size_t e;

	if (!utf8_valid(k->s, k->n))
		return fail(k, "not valid UTF-8", NULL);
	while (k->i < k->n) {
		unsigned char ch = (unsigned char)k->s[k->i];

		if (ch == '<') {
			k->i++;
			if (k->i < k->n && k->s[k->i] == '/') {
				k->i++;
				if (end_tag(k) < 0)
					return -1;
			} else if (start_tag(k) < 0) {
				return -1;
			}
		} else if (ch == '&') {
			if (!(e = entity_len(k->s + k->i, k->n - k->i)))
				return fail(k, "stray &", NULL);
			k->i += e;
		} else if (ch == '>' || ch == '"' || ch == '\'' ||
		           (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')) {
			return fail(k, "unescaped character in text", NULL);
		} else {
			k->i++;
		}
	}
	if (k->depth)
		return fail(k, "element left open", k->stack[k->depth - 1]);
	return 0;
}

int html_check(const char *html, size_t n, const struct html_check *c, char *why, size_t size)
{
	struct ck *k = calloc(1, sizeof(*k));
	int rc;

	if (!k || !(k->value = malloc(n + 1))) {
		snprintf(why, size, "out of memory");
		free(k);
		return -1;
	}
	k->c = c;
	k->s = html;
	k->n = n;
	k->why = why;
	k->size = size;
	rc = check(k);
	free(k->value);
	free(k);
	return rc;
}
