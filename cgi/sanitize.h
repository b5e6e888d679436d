/* sanitize: HTML mail made safe to show inside our pages. libxml2's HTML
 * parser reads the message (as SAX events, no tree); an allow-list decides
 * what is written back, by our own writer, escaping every text and value
 * with html_escape. What comes out is a fragment (no html, head or body):
 *
 * - Elements: text formatting, p/div/span/br/hr, headings, lists, tables
 *   and their parts, a, img, blockquote, pre, code, font, center and a few
 *   more (the table in sanitize_rules.c). script, style, iframe, object,
 *   embed, applet, form and its controls, meta, link, base, svg, math,
 *   frame(set), noscript, template, title, audio/video...: dropped with all
 *   their content. Any other element: dropped, its text kept. Comments,
 *   CDATA and processing instructions: dropped.
 * - Attributes: a short list per element (href on a; src, alt, width,
 *   height on img; colspan, rowspan, align, valign, width, bgcolor on cells;
 *   color, face, size on font; title, dir, lang everywhere...), each value
 *   checked by kind (number, color, keyword, text, URL). Never on*, id,
 *   name, class, background, srcset. style only with keep_style (below).
 * - URLs: as a browser reads them (entities decoded by the parser, leading
 *   and trailing spaces and controls cut, tabs and newlines removed), the
 *   scheme matched without case. a href: http, https, mailto; relative
 *   references and #fragments are dropped (they would point into the
 *   webmail itself); the a stays, without href. img src: cid: through
 *   cid_url, and http/https only with remote_images. Anything else
 *   (javascript:, data:, vbscript:, file:...) is dropped. Every a gets
 *   rel="noopener noreferrer" target="_blank".
 * - Structure: the writer keeps its own stack, so every tag it opens it
 *   closes, in order; table parts are written only inside their table
 *   (td in tr, tr in table or a section...), li only in ul/ol, dt/dd only
 *   in dl, no a inside a and no heading inside a heading; anything else
 *   out of place loses its tags and keeps its text. A browser re-parsing
 *   the fragment therefore cannot close elements outside it, provided the
 *   page puts it in a plain flow container (a div; not a p, a, li, table).
 *
 * Bounds: deeper than SANITIZE_DEPTH_MAX parsed elements, or more than
 * SANITIZE_OUT_MAX bytes written, the rest of the message is cut (and
 * result.truncated set); elements nested deeper than SANITIZE_EMIT_MAX in
 * the output lose their tags. Input bytes are made valid UTF-8 (invalid
 * sequences become U+FFFD, NUL bytes are dropped) before parsing, so the
 * output is always valid UTF-8. libxml2 is used without network, entity
 * loading or error output, and no global setting of it is changed. */
#ifndef QA_SANITIZE_H
#define QA_SANITIZE_H

#include "html.h"

#include <stddef.h>

struct arena;

#define SANITIZE_OUT_MAX (4u << 20)    /* bytes of output */
#define SANITIZE_IN_MAX (32u << 20)    /* bytes of input read; the rest is cut */
#define SANITIZE_DEPTH_MAX 512         /* open elements while parsing */
#define SANITIZE_EMIT_MAX 100          /* open elements in the output */

struct sanitize_opts {
	/* 0: an <img> with an http(s) src is left out (its alt text shown)
	 * and counted in remote_blocked. 1: it is kept (the page's CSP must
	 * then allow such images). */
	int remote_images;
	/* 0: style attributes are dropped. 1: they are reduced to a safe CSS
	 * subset (colors, fonts, text alignment and decoration, margins,
	 * padding, borders, sizes, with plain values only); the page's CSP
	 * must then allow inline style attributes (style-src-attr
	 * 'unsafe-inline'), or the browser ignores them and reports each. */
	int keep_style;
	/* Maps a cid: reference (percent-decoded, without "cid:") to a URL of
	 * ours for that part, or NULL to leave the image out. NULL: every cid:
	 * image is left out. The URL must be relative or http(s). */
	const char *(*cid_url)(void *arg, const char *cid);
	void *cid_arg;
};

struct sanitize_result {
	struct safe_html html;
	unsigned remote_blocked;  /* remote images left out (remote_images 0) */
	/* Active content removed: scripts, frames, objects, forms, base, meta
	 * refresh, svg, math, on* handlers, and links or images whose scheme
	 * is refused (javascript:, data:...). Not style sheets, classes or
	 * other harmless formatting: a plain newsletter counts 0. */
	unsigned removed;
	int truncated;            /* cut at one of the bounds above */
};

/* Sanitizes len bytes of UTF-8 HTML (o NULL: all options 0) into out, the
 * output allocated in a. Returns 0, or -1 when memory ran out (then out
 * holds an empty fragment). */
int sanitize_html(struct arena *a, const char *in, size_t len, const struct sanitize_opts *o,
                  struct sanitize_result *out);

#endif
