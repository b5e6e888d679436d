/* template_int.h: the template engine's private structures, shared by
 * template_html.c (tracks the HTML context through literal text),
 * template_parse.c (builds the node tree) and template.c (data, linking,
 * rendering). Nothing outside cgi/template*.c may include this header. */
#ifndef QA_TEMPLATE_INT_H
#define QA_TEMPLATE_INT_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------- HTML context */

/* Tokenizer states, a subset of the WHATWG ones: enough to know, at every
 * byte of literal text, what the browser will take the next byte to be. */
enum hstate_st {
	H_TEXT, H_RCDATA, H_RAWTEXT,
	H_TAG_OPEN, H_END_TAG_OPEN, H_TAG_NAME,
	H_BEFORE_ATTR, H_ATTR_NAME, H_AFTER_ATTR, H_BEFORE_VALUE,
	H_VALUE_DQ, H_VALUE_SQ, H_VALUE_UQ, H_AFTER_VALUE, H_SELF_CLOSING,
	H_MARKUP_DECL, H_MARKUP_DASH, H_BOGUS_COMMENT,
	H_COMMENT_START, H_COMMENT_START_DASH, H_COMMENT,
	H_COMMENT_END_DASH, H_COMMENT_END, H_COMMENT_END_BANG
};

/* Elements whose content the browser does not parse as markup. */
enum helem {
	E_OTHER, E_SCRIPT, E_STYLE, E_XMP, E_IFRAME, E_NOEMBED, E_NOFRAMES,
	E_PLAINTEXT, E_TEXTAREA, E_TITLE
};

enum hattr { A_PLAIN, A_URL, A_FORBIDDEN };

/* How a substitution is escaped; chosen at parse time, applied at render. */
enum tesc { ESC_TEXT, ESC_ATTR, ESC_URL_START, ESC_URL_PART };

#define HS_TAG_MAX 12
#define HS_ATTR_MAX 24

struct hstate {
	unsigned char st;          /* enum hstate_st */
	unsigned char end_tag;     /* the tag being read is an end tag */
	unsigned char elem;        /* enum helem: tag being read, or raw text we are in */
	unsigned char raw_match;   /* raw text: bytes of "</name" seen so far */
	unsigned char lt_bang;     /* <script>: bytes of "<!--" seen so far */
	unsigned char attr_kind;   /* enum hattr of the value being read */
	unsigned char value_used;  /* the value already holds a byte or substitution */
	unsigned char sep_needed;  /* a name must not continue here (after a block) */
	unsigned char taglen;      /* > HS_TAG_MAX: longer than stored */
	unsigned char attrlen;     /* > HS_ATTR_MAX: longer than stored */
	char tag[HS_TAG_MAX];
	char attr[HS_ATTR_MAX];
};

void hs_init(struct hstate *h);
/* Advances over one literal byte; NULL, or why the template is refused. */
const char *hs_step(struct hstate *h, unsigned char c);
/* At a substitution: the escaping to use, or an error reason. */
const char *hs_subst(struct hstate *h, enum tesc *esc);
/* At a block tag ({{#..}}, {{else}}, {{/..}}): a tag or attribute name
 * being read ends here, since the next byte may come from another branch. */
void hs_boundary(struct hstate *h);
/* Whether a branch may end in b when it started in a. */
int hs_compatible(const struct hstate *a, const struct hstate *b);
/* The state after a block whose paths end in *into and *other. */
void hs_merge(struct hstate *into, const struct hstate *other);
/* The state a loop body starts in, given the state before the loop. */
void hs_loop_start(struct hstate *h);
/* For error messages: "text", "a tag", "<script>" ... */
const char *hs_describe(const struct hstate *h);

/* ---------------------------------------------------------- node tree */

enum tnode_kind { N_TEXT, N_VAR, N_CAT, N_IF, N_UNLESS, N_EACH, N_INCLUDE };

#define TMPL_MAX_ARGS 9

/* Nodes sit in one array in document order. A block's body is the nodes
 * after it up to alt (then-branch) and from alt up to end (else-branch);
 * rendering continues at end. Strings live in the template's pool. */
struct tnode {
	unsigned char kind;        /* enum tnode_kind */
	unsigned char esc;         /* enum tesc, for N_VAR and N_CAT */
	unsigned char nargs;       /* N_CAT */
	uint32_t hash;             /* of the name, for quick lookups */
	uint32_t str;              /* pool offset: text, name, key or include */
	uint32_t len;              /* N_TEXT */
	uint32_t args;             /* N_CAT: index of the first in tmpl.args */
	uint32_t alt, end;         /* blocks */
	uint32_t target;           /* N_INCLUDE: index in the set, once linked */
	int line;
};

struct targ {
	uint32_t str;
	uint32_t hash;
};

struct tmpl {
	char *name;
	struct tnode *nodes;
	size_t nnodes, nodecap;
	struct targ *args;
	size_t nargs, argcap;
	char *pool;
	size_t poollen, poolcap;
	int mark;                  /* cycle search while linking */
};

struct tmpl_set {
	struct tmpl **t;
	size_t n, cap;
	int linked;
};

int tmpl_parse(struct tmpl *t, const char *src, size_t len, char *err, size_t errlen);
void tmpl_destroy(struct tmpl *t);
uint32_t tmpl_hash(const char *s, size_t n);
int tmpl_name_ok(const char *s, size_t n);
/* Grows *p (of *cap elements of size bytes) to hold need; -1 on overflow. */
int tmpl_grow(void **p, size_t *cap, size_t need, size_t size);

#endif
