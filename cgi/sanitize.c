/* sanitize: the driver (see sanitize.h). The input is made valid UTF-8 and
 * bounded, libxml2's HTML parser reads it and reports elements and text as
 * SAX events, and each event is checked against the rules
 * (sanitize_rules.c, sanitize_css.c) and written by our own writer. Only
 * names from the rule tables and values through html_escape ever reach the
 * output: nothing is copied from the input unescaped. */
#include "config.h"

#include "sanitize.h"

#include "arena.h"
#include "buf.h"
#include "html.h"
#include "sanitize_int.h"
#include "utf8.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <string.h>

/* libxml2 (2.9) checks each attribute of a tag against all the ones before
 * it: a tag with 100,000 attributes costs minutes. prepare() keeps the
 * first ATTRS_MAX of each tag. (Likewise an end tag that matches no open
 * element is looked for through the whole stack of open ones: that cost is
 * bounded by SANITIZE_DEPTH_MAX.) */
#define ATTRS_MAX 64

struct san {
	const struct sanitize_opts *o;
	struct sanitize_result *r;
	htmlParserCtxtPtr ctxt;
	struct buf out;
	struct buf url;            /* the URL being checked */
	struct buf val;            /* the attribute value being checked */
	unsigned depth;            /* open elements, as the parser reports them */
	unsigned skip;             /* 0, or the depth of an element dropped with its content */
	int stopped;
	/* Per depth: the element written there (its end tag is due), or NULL. */
	const struct san_element *open[SANITIZE_DEPTH_MAX + 1];
	const struct san_element *written[SANITIZE_EMIT_MAX];   /* the output's open elements */
	unsigned nwritten;
};

/* ------------------------------------------------------------ input */

enum tag_state { T_TEXT, T_COMMENT, T_NAME, T_BETWEEN, T_ATTR, T_AFTER_ATTR, T_BEFORE_VALUE,
                 T_QUOTED, T_UNQUOTED };

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Where a start tag begins, as libxml2 sees one: '<' and a name's first
 * character. */
static int tag_start(const char *p, size_t r, size_t n)
{
	int c = r + 1 < n ? (unsigned char)p[r + 1] : 0;

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c == '.';
}

/* The next state of the tag scanner after byte c. */
static enum tag_state tag_step(enum tag_state st, int c, const char *p, size_t r, size_t n,
                               int *quote, unsigned *dashes, unsigned *attrs)
{
	switch (st) {
	case T_TEXT:
		if (c == '<' && r + 3 < n && memcmp(p + r, "<!--", 4) == 0) {
			*dashes = 0;
			return T_COMMENT;
		}
		if (c == '<' && tag_start(p, r, n)) {
			*attrs = 0;
			return T_NAME;
		}
		return T_TEXT;
	case T_COMMENT:
		if (c == '>' && *dashes >= 2)
			return T_TEXT;
		*dashes = c == '-' ? *dashes + 1 : 0;
		return T_COMMENT;
	case T_NAME:
	case T_ATTR:
	case T_UNQUOTED:
		if (c == '>')
			return T_TEXT;
		if (st == T_ATTR && c == '=')
			return T_BEFORE_VALUE;
		if (is_blank(c) || (st != T_UNQUOTED && c == '/'))
			return st == T_ATTR ? T_AFTER_ATTR : T_BETWEEN;
		return st;
	case T_QUOTED:
		return c == *quote ? T_BETWEEN : T_QUOTED;
	case T_BEFORE_VALUE:
		if (c == '>')
			return T_TEXT;
		if (c == '"' || c == '\'') {
			*quote = c;
			return T_QUOTED;
		}
		return is_blank(c) ? T_BEFORE_VALUE : T_UNQUOTED;
	case T_BETWEEN:
	case T_AFTER_ATTR:
		if (c == '>')
			return T_TEXT;
		if (st == T_AFTER_ATTR && c == '=')
			return T_BEFORE_VALUE;
		if (is_blank(c) || c == '/')
			return st;
		(*attrs)++;
		return T_ATTR;
	}
	return T_TEXT;
}

/* Drops, in place, the attributes of each tag past the first ATTRS_MAX, and
 * returns the new length. Only a rough tokenizer: where it reads a tag
 * differently from libxml2 it can cost text of a hostile message, never
 * safety, since everything it leaves is parsed and checked as usual. */
static size_t cap_attributes(char *p, size_t n)
{
	enum tag_state st = T_TEXT;
	unsigned attrs = 0, dashes = 0;
	int quote = 0, drop = 0;
	size_t r, w = 0;

	for (r = 0; r < n; r++) {
		int c = (unsigned char)p[r];

		st = tag_step(st, c, p, r, n, &quote, &dashes, &attrs);
		if (st == T_TEXT)
			drop = 0;
		else if (attrs > ATTRS_MAX)
			drop = 1;
		if (!drop)
			p[w++] = (char)c;
	}
	return w;
}

/* The parser's input: in[0..len) as valid UTF-8 (each bad sequence U+FFFD,
 * so libxml2 never falls back to guessing Latin-1), without NUL bytes (a
 * NUL would end the document early), attributes capped. */
static int prepare(struct buf *b, const char *in, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nul = memchr(in + i, '\0', len - i);
		size_t end = nul ? (size_t)(nul - in) : len;

		if (utf8_repair(b, in + i, end - i) < 0)
			return -1;
		i = end + (nul != NULL);
	}
	if (buf_adds(b, "") < 0)
		return -1;
	b->len = cap_attributes(b->p, b->len);
	b->p[b->len] = '\0';
	return 0;
}

/* ------------------------------------------------------------ writer */

static void stop(struct san *s)
{
	if (!s->stopped)
		xmlStopParser(s->ctxt);
	s->stopped = 1;
}

/* After each write: past the output bound the rest of the message is cut. */
static void written(struct san *s)
{
	if (buf_failed(&s->out))
		stop(s);
	else if (s->out.len > SANITIZE_OUT_MAX) {
		s->r->truncated = 1;
		stop(s);
	}
}

static const struct san_element *top(const struct san *s)
{
	return s->nwritten ? s->written[s->nwritten - 1] : NULL;
}

static void text(struct san *s, const char *t, size_t n)
{
	const struct san_element *el = top(s);

	if (s->stopped || s->skip || (el && (el->is & SG_NOTEXT)))
		return;
	html_escape(&s->out, t, n);
	written(s);
}

static void write_attr(struct san *s, const char *name, const char *v, size_t n)
{
	buf_addc(&s->out, ' ');
	buf_adds(&s->out, name);
	buf_adds(&s->out, "=\"");
	html_escape(&s->out, v, n);
	buf_addc(&s->out, '"');
}

/* 1 when el may be written where the output stands (see sanitize.h). */
static int fits(const struct san *s, const struct san_element *el)
{
	const struct san_element *t = top(s);
	unsigned i, once = el->is & (SG_LINK | SG_HEADING);

	if (s->nwritten >= SANITIZE_EMIT_MAX)
		return 0;
	if (el->needs ? !t || !(t->is & el->needs) : t && (t->is & SG_STRUCT))
		return 0;
	for (i = 0; once && i < s->nwritten; i++)
		if (s->written[i]->is & once)
			return 0;
	return 1;
}

static int ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if ((*a | 0x20) != (*b | 0x20))
			return 0;
	return *a == *b;
}

static const char *attr_value(const xmlChar **atts, const char *name)
{
	for (; atts && atts[0]; atts += 2)
		if (ascii_ieq((const char *)atts[0], name))
			return (const char *)atts[1];
	return NULL;
}

/* href: kept for http, https and mailto only (see sanitize.h). */
static int link_ok(struct san *s, const char *v)
{
	enum san_url k;

	buf_reset(&s->url);
	k = san_url(&s->url, v);
	if (k == SU_REFUSED)
		s->r->removed++;
	return (k == SU_HTTP || k == SU_MAILTO) && url_is_safe(buf_cstr(&s->url), s->url.len);
}

static void attribute(struct san *s, const struct san_element *el, const char *name, const char *v)
{
	const struct san_attr *at;
	const char *out;
	size_t n;

	if (!name || !(at = san_attr(el, name)) || (!v && at->kind != SK_BOOL))
		return;
	buf_reset(&s->val);
	if (at->kind == SK_BOOL) {
		buf_addc(&s->out, ' ');
		buf_adds(&s->out, at->name);
		return;
	}
	if (at->kind == SK_HREF) {
		if (!link_ok(s, v))
			return;
		out = buf_cstr(&s->url);
		n = s->url.len;
	} else {
		if (at->kind == SK_STYLE ? !s->o->keep_style || !san_css(&s->val, v)
		                         : san_value(&s->val, at->kind, v) < 0)
			return;
		out = buf_cstr(&s->val);
		n = s->val.len;
	}
	write_attr(s, at->name, out, n);
}

/* Writes el's start tag with its allowed attributes (src: see image()). */
static void write_start(struct san *s, const struct san_element *el, const xmlChar **atts,
                        const char *src)
{
	buf_addc(&s->out, '<');
	buf_adds(&s->out, el->name);
	if (src)
		write_attr(s, "src", src, strlen(src));
	for (; atts && atts[0]; atts += 2)
		if (!src || !ascii_ieq((const char *)atts[0], "src"))
			attribute(s, el, (const char *)atts[0], (const char *)atts[1]);
	if (el->is & SG_LINK)
		buf_adds(&s->out, " rel=\"noopener noreferrer\" target=\"_blank\"");
	buf_addc(&s->out, '>');
	/* A browser drops one newline right after <pre>: this one. */
	if (strcmp(el->name, "pre") == 0)
		buf_addc(&s->out, '\n');
	if (el->action == SAN_KEEP) {
		s->open[s->depth] = el;
		s->written[s->nwritten++] = el;
	}
	written(s);
}

/* The URL for a cid: image (in s->url, cleaned), from the caller. */
static const char *cid_target(struct san *s)
{
	const char *url;

	buf_reset(&s->val);
	if (!s->o->cid_url || san_cid(&s->val, buf_cstr(&s->url), s->url.len) < 0)
		return NULL;
	url = s->o->cid_url(s->o->cid_arg, buf_cstr(&s->val));
	if (!url || !url_is_safe(url, strlen(url)))
		return NULL;
	buf_reset(&s->url);
	buf_adds(&s->url, url);
	return buf_cstr(&s->url);
}

/* An <img>: written when its src is allowed, else its alt text stands in. */
static void image(struct san *s, const struct san_element *el, const xmlChar **atts)
{
	const char *src = attr_value(atts, "src"), *alt = attr_value(atts, "alt"), *url = NULL;

	buf_reset(&s->url);
	switch (src ? san_url(&s->url, src) : SU_NONE) {
	case SU_CID:
		url = cid_target(s);
		break;
	case SU_HTTP:
		if (s->o->remote_images)
			url = buf_cstr(&s->url);
		else
			s->r->remote_blocked++;
		break;
	case SU_REFUSED:
		s->r->removed++;
		break;
	default:
		break;
	}
	if (url && fits(s, el))
		write_start(s, el, atts, url);
	else if (alt && strlen(alt) <= 1024)
		text(s, alt, strlen(alt));
}

/* ------------------------------------------------------------ SAX events */

static void dropped(struct san *s, const struct san_element *el, const xmlChar **atts)
{
	const char *equiv = attr_value(atts, "http-equiv");

	if ((el->flags & SAN_ACTIVE) ||
	    (strcmp(el->name, "meta") == 0 && equiv && ascii_ieq(equiv, "refresh")))
		s->r->removed++;
	if (el->action == SAN_DROP)
		s->skip = s->depth;
}

/* Event handlers (on*) are never written; each one counts, whatever
 * becomes of its element. */
static void count_handlers(struct san *s, const xmlChar **atts)
{
	for (; atts && atts[0]; atts += 2)
		if ((atts[0][0] | 0x20) == 'o' && (atts[0][1] | 0x20) == 'n')
			s->r->removed++;
}

static void start_element(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct san *s = ctx;
	const struct san_element *el;

	if (s->stopped)
		return;
	if (s->depth >= SANITIZE_DEPTH_MAX) {
		s->r->truncated = 1;
		stop(s);
		return;
	}
	s->open[++s->depth] = NULL;
	if (s->skip || !name)
		return;
	count_handlers(s, atts);
	if (!(el = san_element((const char *)name)) || el->action == SAN_PASS)
		return;
	if (el->action == SAN_DROP || el->action == SAN_DROP_TAG)
		dropped(s, el, atts);
	else if (strcmp(el->name, "img") == 0)
		image(s, el, atts);
	else if (fits(s, el))
		write_start(s, el, atts, NULL);
}

static void end_element(void *ctx, const xmlChar *name)
{
	struct san *s = ctx;
	const struct san_element *el;

	if (s->stopped || s->depth == 0)
		return;
	if ((el = s->open[s->depth])) {
		buf_adds(&s->out, "</");
		buf_adds(&s->out, el->name);
		buf_addc(&s->out, '>');
		s->nwritten--;
		written(s);
	}
	if (s->skip == s->depth)
		s->skip = 0;
	s->depth--;
}

static void characters(void *ctx, const xmlChar *t, int n)
{
	if (n > 0)
		text(ctx, (const char *)t, (size_t)n);
}

/* ------------------------------------------------------------ parse */

static void parser_init(void)
{
	static int done;

	if (!done)
		xmlInitParser();
	done = 1;
}

/* Parses p[0..n) (NUL-terminated) with our SAX handler. */
static int parse(struct san *s, const char *p, size_t n)
{
	htmlSAXHandler sax;
	xmlCharEncodingHandlerPtr utf8;

	if (n == 0)
		return 0;
	parser_init();
	if (!(s->ctxt = htmlCreateMemoryParserCtxt(p, (int)n)))
		return -1;
	memset(&sax, 0, sizeof(sax));
	sax.startElement = start_element;
	sax.endElement = end_element;
	sax.characters = characters;
	sax.ignorableWhitespace = characters;
	sax.cdataBlock = characters;
	memcpy(s->ctxt->sax, &sax, sizeof(sax));
	s->ctxt->userData = s;
	htmlCtxtUseOptions(s->ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                            HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
	/* The caller converted the charset: a <meta charset> must not. */
	if ((utf8 = xmlFindCharEncodingHandler("UTF-8")))
		xmlSwitchToEncoding(s->ctxt, utf8);
	htmlParseDocument(s->ctxt);
	htmlFreeParserCtxt(s->ctxt);
	s->ctxt = NULL;
	return 0;
}

/* Closes what is still open and moves the output into a. */
static int finish(struct san *s, struct arena *a)
{
	char *html;

	while (s->nwritten) {
		buf_adds(&s->out, "</");
		buf_adds(&s->out, s->written[--s->nwritten]->name);
		buf_addc(&s->out, '>');
	}
	if (buf_failed(&s->out) || !(html = arena_alloc(a, s->out.len + 1)))
		return -1;
	if (s->out.len)
		memcpy(html, s->out.p, s->out.len);
	s->r->html = safe_html_from_sanitizer(html, s->out.len);
	return 0;
}

int sanitize_html(struct arena *a, const char *in, size_t len, const struct sanitize_opts *o,
                  struct sanitize_result *out)
{
	static const struct sanitize_opts none;
	struct buf src = BUF_INIT;
	struct san *s;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->html = safe_html_from_sanitizer(NULL, 0);
	if (!(s = calloc(1, sizeof(*s))))
		return -1;
	s->o = o ? o : &none;
	s->r = out;
	if (len > SANITIZE_IN_MAX) {
		len = SANITIZE_IN_MAX;
		out->truncated = 1;
	}
	if (prepare(&src, in, len) == 0 && parse(s, src.p, src.len) == 0)
		rc = finish(s, a);
	if (rc < 0)
		out->html = safe_html_from_sanitizer(NULL, 0);
	buf_free(&src);
	buf_free(&s->out);
	buf_free(&s->url);
	buf_free(&s->val);
	free(s);
	return rc;
}
