/* sanitize_css: the CSS a style attribute may keep (see sanitize.h). A
 * declaration is kept only when its property is in the list below and its
 * value is plain: letters, digits, spaces, # % . , and - between letters
 * (so no negative lengths that could pull the mail over our page), the
 * color functions rgb() rgba() hsl() hsla(), and quoted names in
 * font-family. That leaves out url(), expression(), @import, escapes,
 * comments and every other way CSS can load or run something; the words
 * that name those are refused as well, whatever surrounds them. The kept
 * declarations are written anew, one by one, never copied as a block. */
#include "config.h"

#include "sanitize_int.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

#define DECL_VALUE_MAX 200

/* Sorted (bsearch). */
static const char *const properties[] = {
	"background", "background-color", "border", "border-bottom", "border-collapse",
	"border-color", "border-left", "border-radius", "border-right", "border-spacing",
	"border-style", "border-top", "border-width", "color", "font-family", "font-size",
	"font-style", "font-variant", "font-weight", "height", "letter-spacing", "line-height",
	"list-style-type", "margin", "margin-bottom", "margin-left", "margin-right", "margin-top",
	"max-width", "min-width", "padding", "padding-bottom", "padding-left", "padding-right",
	"padding-top", "text-align", "text-decoration", "text-indent", "text-transform",
	"vertical-align", "white-space", "width", "word-break", "word-spacing",
};

/* Refused anywhere in a declaration, in any case. */
static const char *const banned[] = {
	"url(", "expression", "@import", "\\", "/*", "javascript", "vbscript", "behavior",
	"behaviour", "binding",
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int has_nocase(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i, j;

	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k && lower((unsigned char)s[i + j]) == needle[j]; j++)
			;
		if (j == k)
			return 1;
	}
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int prop_cmp(const void *key, const void *p)
{
	return strcmp(key, *(const char *const *)p);
}

/* The property name as written in the table, or NULL. */
static const char *property(const char *s, size_t n)
{
	char low[24];
	const char *const *p;
	size_t i;

	if (n == 0 || n >= sizeof(low))
		return NULL;
	for (i = 0; i < n; i++) {
		if (!is_alpha((unsigned char)s[i]) && s[i] != '-')
			return NULL;
		low[i] = (char)lower((unsigned char)s[i]);
	}
	low[n] = '\0';
	p = bsearch(low, properties, sizeof(properties) / sizeof(properties[0]), sizeof(properties[0]),
	            prop_cmp);
	return p ? *p : NULL;
}

/* A '(' at v[i] is allowed only after rgb, rgba, hsl or hsla. */
static int color_function(const char *v, size_t i)
{
	static const char *const names[] = { "rgb", "rgba", "hsl", "hsla" };
	size_t start = i, k;

	while (start && is_alpha((unsigned char)v[start - 1]))
		start--;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (i - start == strlen(names[k]) && has_nocase(v + start, i - start, names[k]))
			return 1;
	return 0;
}

static int value_ok(const char *v, size_t n, int quotes)
{
	int paren = 0, quote = 0;
	size_t i;

	if (n == 0 || n > DECL_VALUE_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)v[i];

		if (quote) {
			if (c == quote)
				quote = 0;
			else if (!is_alnum(c) && !strchr(" ,-_", c))
				return 0;
		} else if (is_alnum(c) || strchr(" #%.,", c)) {
			continue;
		} else if (c == '-') {
			if (i + 1 >= n || !is_alpha((unsigned char)v[i + 1]))
				return 0;
		} else if (c == '(') {
			if (paren || !color_function(v, i))
				return 0;
			paren = 1;
		} else if (c == ')') {
			if (!paren)
				return 0;
			paren = 0;
		} else if (quotes && (c == '"' || c == '\'')) {
			quote = c;
		} else {
			return 0;
		}
	}
	return !paren && !quote;
}

/* Cuts a trailing "!important" off the value. */
static void drop_important(const char *v, size_t *n)
{
	const char *bang = memchr(v, '!', *n);
	const char *rest;
	size_t k;

	if (!bang)
		return;
	rest = bang + 1;
	k = *n - (size_t)(rest - v);
	trim(&rest, &k);
	if (k == 9 && has_nocase(rest, k, "important")) {
		*n = (size_t)(bang - v);
		trim(&v, n);
	}
}

/* One "prop: value" declaration: written to out when safe. */
static int declaration(struct buf *out, const char *d, size_t n, unsigned kept)
{
	const char *colon = memchr(d, ':', n), *name, *v;
	size_t nn, vn, k;

	if (!colon)
		return 0;
	for (k = 0; k < sizeof(banned) / sizeof(banned[0]); k++)
		if (has_nocase(d, n, banned[k]))
			return 0;
	name = d;
	nn = (size_t)(colon - d);
	v = colon + 1;
	vn = n - nn - 1;
	trim(&name, &nn);
	trim(&v, &vn);
	drop_important(v, &vn);
	if (!(name = property(name, nn)) || !value_ok(v, vn, strcmp(name, "font-family") == 0))
		return 0;
	if (kept)
		buf_adds(out, "; ");
	buf_adds(out, name);
	buf_adds(out, ": ");
	buf_add(out, v, vn);
	return 1;
}

unsigned san_css(struct buf *out, const char *v)
{
	unsigned kept = 0;

	while (*v) {
		const char *end = strchr(v, ';');
		size_t n = end ? (size_t)(end - v) : strlen(v);

		kept += (unsigned)declaration(out, v, n, kept);
		v += n + (end != NULL);
	}
	return kept;
}
