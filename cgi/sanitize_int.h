/* sanitize_int: the sanitizer's rules (sanitize_rules.c: elements,
 * attributes, value kinds, URLs; sanitize_css.c: the CSS subset), shared
 * with its driver (sanitize.c) only. */
#ifndef QA_SANITIZE_INT_H
#define QA_SANITIZE_INT_H

#include <stddef.h>

struct buf;

/* What becomes of an element. */
enum san_action {
	SAN_KEEP,      /* written, with its allowed attributes */
	SAN_VOID,      /* written, and never has an end tag (br, hr, img...) */
	SAN_DROP,      /* dropped with all its content */
	SAN_DROP_TAG,  /* void in HTML5 (embed, input...): only its tag is
	                * dropped, as libxml2 may not know it is void and
	                * report what follows it as its content */
	SAN_PASS       /* its tags dropped, its content kept (html, body...) */
};

/* Element groups: an element's "is" set, and the set its parent in the
 * output must belong to ("needs"; 0: any flow container). */
#define SG_TABLE    0x01u   /* table */
#define SG_SECTION  0x02u   /* table, tbody, thead, tfoot: may hold tr */
#define SG_ROW      0x04u   /* tr: may hold td, th */
#define SG_LIST     0x08u   /* ul, ol: may hold li */
#define SG_DL       0x10u   /* dl: may hold dt, dd */
#define SG_COLS     0x20u   /* table, colgroup: may hold col */
#define SG_STRUCT   0x40u   /* table structure: holds no text or flow content */
#define SG_LINK     0x80u   /* a: no a inside */
#define SG_HEADING  0x100u  /* h1-h6: no heading inside */
#define SG_NOTEXT   0x200u  /* colgroup: text in it would close it early */

#define SAN_ACTIVE  1u      /* dropping it counts in result.removed */

/* How an attribute's value is checked. */
enum san_kind {
	SK_TEXT,     /* any text, bounded in length */
	SK_NUM,      /* 0-99999, with an optional % or px */
	SK_COLOR,    /* #hex or a color name */
	SK_WORD,     /* a keyword: letters, digits, - and + */
	SK_FACE,     /* font names */
	SK_BOOL,     /* written without a value */
	SK_HREF,     /* a link: http, https, mailto */
	SK_STYLE     /* the CSS subset (sanitize_css.c) */
};

struct san_attr {
	const char *name;
	enum san_kind kind;
};

struct san_element {
	const char *name;
	enum san_action action;
	unsigned flags;
	unsigned is;
	unsigned needs;
	const struct san_attr *attrs;   /* {NULL} ended; NULL: only the global ones */
};

/* The element named name (ASCII, any case), or NULL when unknown. */
const struct san_element *san_element(const char *name);

/* The allowed attribute of el named name (any case), or NULL. */
const struct san_attr *san_attr(const struct san_element *el, const char *name);

/* Appends v checked as kind k (SK_TEXT, SK_NUM, SK_COLOR, SK_WORD, SK_FACE)
 * to out, trimmed, still unescaped; returns 0, or -1 when v is not one. */
int san_value(struct buf *out, enum san_kind k, const char *v);

/* What a URL is, read as a browser reads it. */
enum san_url {
	SU_NONE,     /* empty, relative, a #fragment, or too long */
	SU_HTTP,     /* http: or https: */
	SU_MAILTO,
	SU_CID,
	SU_REFUSED   /* any other scheme (javascript:, data:...), or controls */
};

#define SAN_URL_MAX 8192

/* Classifies v and appends it, cleaned (leading and trailing spaces and
 * controls cut, tabs and newlines removed), to out. */
enum san_url san_url(struct buf *out, const char *v);

/* Appends to out the cid (the part after "cid:", percent-decoded) of the
 * cleaned cid: URL u; -1 when it decodes to a control byte or nothing. */
int san_cid(struct buf *out, const char *u, size_t n);

/* Appends the declarations of style attribute value v that are in the safe
 * subset to out, as "prop: value; prop: value"; returns how many. */
unsigned san_css(struct buf *out, const char *v);

#endif
