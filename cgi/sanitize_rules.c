/* sanitize_rules: what the sanitizer lets through (see sanitize.h): the
 * element table, the attributes of each element, how each kind of value is
 * checked, and how URLs are read. Nothing here writes markup; the driver
 * (sanitize.c) does, from these answers. */
#include "config.h"

#include "sanitize_int.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 1024   /* alt, title...: longer values are dropped */

static const struct san_attr a_attrs[] = { { "href", SK_HREF }, { NULL, 0 } };
static const struct san_attr align_attrs[] = { { "align", SK_WORD }, { NULL, 0 } };
/* src is not here: the driver checks and writes it (cid:, remote). */
static const struct san_attr img_attrs[] = {
	{ "alt", SK_TEXT }, { "width", SK_NUM }, { "height", SK_NUM }, { "border", SK_NUM },
	{ "align", SK_WORD }, { "hspace", SK_NUM }, { "vspace", SK_NUM }, { NULL, 0 }
};
static const struct san_attr table_attrs[] = {
	{ "align", SK_WORD }, { "bgcolor", SK_COLOR }, { "border", SK_NUM },
	{ "cellpadding", SK_NUM }, { "cellspacing", SK_NUM }, { "width", SK_NUM },
	{ "height", SK_NUM }, { "summary", SK_TEXT }, { NULL, 0 }
};
static const struct san_attr section_attrs[] = { { "align", SK_WORD }, { "valign", SK_WORD }, { NULL, 0 } };
static const struct san_attr row_attrs[] = {
	{ "align", SK_WORD }, { "valign", SK_WORD }, { "bgcolor", SK_COLOR }, { "height", SK_NUM }, { NULL, 0 }
};
static const struct san_attr cell_attrs[] = {
	{ "colspan", SK_NUM }, { "rowspan", SK_NUM }, { "align", SK_WORD }, { "valign", SK_WORD },
	{ "width", SK_NUM }, { "height", SK_NUM }, { "bgcolor", SK_COLOR }, { "nowrap", SK_BOOL },
	{ "scope", SK_WORD }, { "abbr", SK_TEXT }, { NULL, 0 }
};
static const struct san_attr col_attrs[] = {
	{ "span", SK_NUM }, { "width", SK_NUM }, { "align", SK_WORD }, { "valign", SK_WORD }, { NULL, 0 }
};
static const struct san_attr font_attrs[] = {
	{ "color", SK_COLOR }, { "face", SK_FACE }, { "size", SK_WORD }, { NULL, 0 }
};
static const struct san_attr hr_attrs[] = {
	{ "align", SK_WORD }, { "width", SK_NUM }, { "size", SK_NUM }, { "noshade", SK_BOOL },
	{ "color", SK_COLOR }, { NULL, 0 }
};
static const struct san_attr ol_attrs[] = {
	{ "start", SK_NUM }, { "type", SK_WORD }, { "reversed", SK_BOOL }, { NULL, 0 }
};
static const struct san_attr type_attrs[] = { { "type", SK_WORD }, { NULL, 0 } };
static const struct san_attr li_attrs[] = { { "value", SK_NUM }, { "type", SK_WORD }, { NULL, 0 } };

/* On every kept element. */
static const struct san_attr global_attrs[] = {
	{ "title", SK_TEXT }, { "dir", SK_WORD }, { "lang", SK_WORD }, { "style", SK_STYLE }, { NULL, 0 }
};

#define KEEP(n, at) { n, SAN_KEEP, 0, 0, 0, at }
#define DROP(n, f) { n, SAN_DROP, f, 0, 0, NULL }
#define DROP_TAG(n, f) { n, SAN_DROP_TAG, f, 0, 0, NULL }
#define STRUCT (SG_STRUCT)

/* Sorted by name (bsearch). Elements not listed keep their text only. */
static const struct san_element elements[] = {
	{ "a", SAN_KEEP, 0, SG_LINK, 0, a_attrs },
	KEEP("abbr", NULL),
	KEEP("acronym", NULL),
	KEEP("address", NULL),
	DROP("applet", SAN_ACTIVE),
	DROP_TAG("area", 0),
	KEEP("article", NULL),
	KEEP("aside", NULL),
	DROP("audio", 0),
	KEEP("b", NULL),
	DROP_TAG("base", SAN_ACTIVE),
	KEEP("bdi", NULL),
	KEEP("bdo", NULL),
	KEEP("big", NULL),
	KEEP("blockquote", NULL),
	{ "body", SAN_PASS, 0, 0, 0, NULL },
	{ "br", SAN_VOID, 0, 0, 0, NULL },
	DROP("button", SAN_ACTIVE),
	DROP("canvas", 0),
	{ "caption", SAN_KEEP, 0, 0, SG_TABLE, align_attrs },
	KEEP("center", NULL),
	KEEP("cite", NULL),
	KEEP("code", NULL),
	{ "col", SAN_VOID, 0, 0, SG_COLS, col_attrs },
	{ "colgroup", SAN_KEEP, 0, SG_COLS | STRUCT | SG_NOTEXT, SG_TABLE, col_attrs },
	DROP("datalist", 0),
	{ "dd", SAN_KEEP, 0, 0, SG_DL, NULL },
	KEEP("del", NULL),
	KEEP("dfn", NULL),
	KEEP("div", align_attrs),
	{ "dl", SAN_KEEP, 0, SG_DL, 0, NULL },
	{ "dt", SAN_KEEP, 0, 0, SG_DL, NULL },
	KEEP("em", NULL),
	DROP_TAG("embed", SAN_ACTIVE),
	KEEP("figcaption", NULL),
	KEEP("figure", NULL),
	KEEP("font", font_attrs),
	KEEP("footer", NULL),
	DROP("form", SAN_ACTIVE),
	DROP_TAG("frame", SAN_ACTIVE),
	DROP("frameset", SAN_ACTIVE),
	{ "h1", SAN_KEEP, 0, SG_HEADING, 0, align_attrs },
	{ "h2", SAN_KEEP, 0, SG_HEADING, 0, align_attrs },
	{ "h3", SAN_KEEP, 0, SG_HEADING, 0, align_attrs },
	{ "h4", SAN_KEEP, 0, SG_HEADING, 0, align_attrs },
	{ "h5", SAN_KEEP, 0, SG_HEADING, 0, align_attrs },
	{ "h6", SAN_KEEP, 0, SG_HEADING, 0, align_attrs },
	{ "head", SAN_PASS, 0, 0, 0, NULL },
	KEEP("header", NULL),
	{ "hr", SAN_VOID, 0, 0, 0, hr_attrs },
	{ "html", SAN_PASS, 0, 0, 0, NULL },
	KEEP("i", NULL),
	DROP("iframe", SAN_ACTIVE),
	{ "img", SAN_VOID, 0, 0, 0, img_attrs },
	DROP_TAG("input", SAN_ACTIVE),
	KEEP("ins", NULL),
	KEEP("kbd", NULL),
	DROP_TAG("keygen", SAN_ACTIVE),
	{ "li", SAN_KEEP, 0, 0, SG_LIST, li_attrs },
	DROP_TAG("link", 0),
	KEEP("main", NULL),
	DROP("map", 0),
	KEEP("mark", NULL),
	DROP("math", SAN_ACTIVE),
	DROP_TAG("meta", 0),       /* counted when it is a refresh (sanitize.c) */
	KEEP("nav", NULL),
	DROP("noscript", 0),
	DROP("object", SAN_ACTIVE),
	{ "ol", SAN_KEEP, 0, SG_LIST, 0, ol_attrs },
	DROP("optgroup", 0),
	DROP("option", 0),
	KEEP("p", align_attrs),
	DROP_TAG("param", 0),
	DROP("portal", SAN_ACTIVE),
	KEEP("pre", NULL),
	KEEP("q", NULL),
	KEEP("s", NULL),
	KEEP("samp", NULL),
	DROP("script", SAN_ACTIVE),
	KEEP("section", NULL),
	DROP("select", SAN_ACTIVE),
	KEEP("small", NULL),
	DROP_TAG("source", 0),
	KEEP("span", NULL),
	KEEP("strike", NULL),
	KEEP("strong", NULL),
	DROP("style", 0),
	KEEP("sub", NULL),
	KEEP("sup", NULL),
	DROP("svg", SAN_ACTIVE),
	{ "table", SAN_KEEP, 0, SG_TABLE | SG_SECTION | SG_COLS | STRUCT, 0, table_attrs },
	{ "tbody", SAN_KEEP, 0, SG_SECTION | STRUCT, SG_TABLE, section_attrs },
	{ "td", SAN_KEEP, 0, 0, SG_ROW, cell_attrs },
	DROP("template", 0),
	DROP("textarea", SAN_ACTIVE),
	{ "tfoot", SAN_KEEP, 0, SG_SECTION | STRUCT, SG_TABLE, section_attrs },
	{ "th", SAN_KEEP, 0, 0, SG_ROW, cell_attrs },
	{ "thead", SAN_KEEP, 0, SG_SECTION | STRUCT, SG_TABLE, section_attrs },
	KEEP("time", NULL),
	DROP("title", 0),
	{ "tr", SAN_KEEP, 0, SG_ROW | STRUCT, SG_SECTION, row_attrs },
	DROP_TAG("track", 0),
	KEEP("tt", NULL),
	KEEP("u", NULL),
	{ "ul", SAN_KEEP, 0, SG_LIST, 0, type_attrs },
	KEEP("var", NULL),
	DROP("video", 0),
	{ "wbr", SAN_VOID, 0, 0, 0, NULL },
	DROP("xml", 0),
};

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Copies name lower-cased into out (size bytes); 0 when it does not fit. */
static int lower_name(char *out, size_t size, const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		if (i + 1 >= size)
			return 0;
		out[i] = (char)ascii_lower((unsigned char)name[i]);
	}
	out[i] = '\0';
	return 1;
}

static int element_cmp(const void *key, const void *el)
{
	return strcmp(key, ((const struct san_element *)el)->name);
}

const struct san_element *san_element(const char *name)
{
	char low[16];

	if (!lower_name(low, sizeof(low), name))
		return NULL;
	return bsearch(low, elements, sizeof(elements) / sizeof(elements[0]), sizeof(elements[0]),
	               element_cmp);
}

static const struct san_attr *attr_in(const struct san_attr *list, const char *low)
{
	for (; list && list->name; list++)
		if (strcmp(list->name, low) == 0)
			return list;
	return NULL;
}

const struct san_attr *san_attr(const struct san_element *el, const char *name)
{
	const struct san_attr *at;
	char low[16];

	if (!lower_name(low, sizeof(low), name))
		return NULL;
	at = attr_in(el->attrs, low);
	return at ? at : attr_in(global_attrs, low);
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* 1 when every byte of s[0..n) is allowed by the kind's character set. */
static int chars_ok(enum san_kind k, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (is_alnum(c))
			continue;
		if (k == SK_WORD && (c == '-' || c == '+'))
			continue;
		if (k == SK_FACE && strchr(" ,'\"_-", c))
			continue;
		return 0;
	}
	return 1;
}

/* digits (1 to 5) and an optional "%" or "px". */
static int number_ok(const char *s, size_t n)
{
	size_t d = 0;

	while (d < n && is_digit((unsigned char)s[d]))
		d++;
	if (d == 0 || d > 5)
		return 0;
	if (d == n)
		return 1;
	if (n - d == 1)
		return s[d] == '%';
	return n - d == 2 && ascii_lower((unsigned char)s[d]) == 'p' &&
	       ascii_lower((unsigned char)s[d + 1]) == 'x';
}

int san_value(struct buf *out, enum san_kind k, const char *v)
{
	size_t n = strlen(v);
	int ok;

	if (k == SK_TEXT) {
		if (n > TEXT_MAX)
			return -1;
		return buf_add(out, v, n);
	}
	while (n && is_space((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n && is_space((unsigned char)v[n - 1]))
		n--;
	switch (k) {
	case SK_NUM:
		ok = number_ok(v, n);
		break;
	case SK_COLOR:
		ok = n && *v == '#' ? n >= 2 && n <= 21 && chars_ok(k, v + 1, n - 1)
		                    : n >= 1 && n <= 20 && chars_ok(k, v, n);
		break;
	case SK_WORD:
		ok = n >= 1 && n <= 20 && chars_ok(k, v, n);
		break;
	case SK_FACE:
		ok = n >= 1 && n <= 100 && chars_ok(k, v, n);
		break;
	default:
		ok = 0;
	}
	if (!ok)
		return -1;
	return buf_add(out, v, n);
}

/* The scheme of u, lower-cased, in out (size bytes): "" when u has none
 * (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"), "?" when it
 * is too long to be one of ours. */
static void url_scheme(const char *u, size_t n, char *out, size_t size)
{
	size_t i;

	out[0] = '\0';
	if (!n || !((u[0] >= 'a' && u[0] <= 'z') || (u[0] >= 'A' && u[0] <= 'Z')))
		return;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)u[i];

		if (c == ':') {
			if (i < size)
				out[i] = '\0';
			else
				strcpy(out, "?");
			return;
		}
		if (!is_alnum(c) && c != '+' && c != '-' && c != '.')
			break;
		if (i + 1 < size)
			out[i] = (char)ascii_lower(c);
	}
	out[0] = '\0';
}

/* Browsers cut leading and trailing C0 controls and spaces from a URL and
 * delete every tab and newline inside ("java\tscript:" is javascript:).
 * Other controls stay, so a URL with one is refused rather than guessed. */
static enum san_url url_clean(struct buf *out, const char *v, size_t *start)
{
	size_t n = strlen(v), i;

	while (n && (unsigned char)*v <= 0x20) {
		v++;
		n--;
	}
	while (n && (unsigned char)v[n - 1] <= 0x20)
		n--;
	*start = out->len;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c < 0x20 || c == 0x7f)
			return SU_REFUSED;
		buf_addc(out, c);
	}
	return SU_NONE;
}

enum san_url san_url(struct buf *out, const char *v)
{
	char scheme[16];
	size_t start, n;
	const char *u;

	if (url_clean(out, v, &start) == SU_REFUSED)
		return SU_REFUSED;
	if (buf_failed(out))
		return SU_NONE;
	u = out->p ? out->p + start : "";
	n = out->len - start;
	url_scheme(u, n, scheme, sizeof(scheme));
	if (!scheme[0])
		return SU_NONE;
	if (strcmp(scheme, "http") && strcmp(scheme, "https") && strcmp(scheme, "mailto") &&
	    strcmp(scheme, "cid"))
		return SU_REFUSED;
	if (n > SAN_URL_MAX)
		return SU_NONE;
	if (scheme[0] == 'm')
		return SU_MAILTO;
	return scheme[0] == 'c' ? SU_CID : SU_HTTP;
}

static int hex_value(int c)
{
	if (is_digit(c))
		return c - '0';
	c = ascii_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* RFC 2392: a cid: URL is the Content-ID, %-encoded. */
int san_cid(struct buf *out, const char *u, size_t n)
{
	size_t i, before = out->len;

	if (n <= 4)
		return -1;
	for (i = 4; i < n; i++) {
		int c = (unsigned char)u[i];

		if (c == '%' && i + 2 < n && hex_value((unsigned char)u[i + 1]) >= 0 &&
		    hex_value((unsigned char)u[i + 2]) >= 0) {
			c = hex_value((unsigned char)u[i + 1]) * 16 + hex_value((unsigned char)u[i + 2]);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return -1;
		buf_addc(out, c);
	}
	return out->len > before && !buf_failed(out) ? 0 : -1;
}
