/* template_parse.c: turns template source into the node tree (see
 * template_int.h) and decides each substitution's escaping from the HTML
 * context that template_html.c follows. Everything that could make a page
 * unsafe or a render ambiguous is refused here, once, with the template's
 * name and line, so rendering never has to judge anything. */
#include "config.h"

#include "template_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32
#define MAX_NAME 128
#define MAX_TOKENS (TMPL_MAX_ARGS + 2)
#define MAX_SOURCE (16u << 20)

struct open_block {
	unsigned char kind;        /* N_IF, N_UNLESS or N_EACH */
	unsigned char has_else;
	uint32_t node;
	int line;
	struct hstate start;       /* the context at the opening tag */
	struct hstate then_end;    /* the context at {{else}} */
};

struct parser {
	struct tmpl *t;
	int line;
	int after_comment;         /* text may join the text node before */
	struct hstate hs;
	struct open_block stack[MAX_DEPTH];
	size_t depth;
	char *err;
	size_t errlen;
};

struct token {
	const char *s;
	size_t n;
};

static const char *const block_names[] = {
	[N_IF] = "if", [N_UNLESS] = "unless", [N_EACH] = "each",
};

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->errlen)
		return -1;
	n = snprintf(p->err, p->errlen, "%s:%d: ", p->t->name, line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

int tmpl_grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > ((size_t)-1 / 2) / size)
			return -1;
		ncap *= 2;
	}
	np = realloc(*p, ncap * size);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

uint32_t tmpl_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int tmpl_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > MAX_NAME)
		return 0;
	for (i = 0; i < n; i++)
		if (!name_char((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Catalog keys are stricter than names: the format of i18n.h. */
static int key_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > MAX_NAME)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/* Appends n bytes (and a NUL when nul) to the pool; *off is where. */
static int pool_add(struct tmpl *t, const char *s, size_t n, int nul, uint32_t *off)
{
	size_t need = t->poollen + n + (nul ? 1 : 0);

	if (tmpl_grow((void **)&t->pool, &t->poolcap, need, 1) < 0)
		return -1;
	memcpy(t->pool + t->poollen, s, n);
	if (nul)
		t->pool[t->poollen + n] = '\0';
	*off = (uint32_t)t->poollen;
	t->poollen = need;
	return 0;
}

static struct tnode *node_add(struct parser *p, unsigned char kind, int line)
{
	struct tmpl *t = p->t;
	struct tnode *nd;

	if (tmpl_grow((void **)&t->nodes, &t->nodecap, t->nnodes + 1, sizeof(*nd)) < 0) {
		fail(p, line, "out of memory");
		return NULL;
	}
	nd = &t->nodes[t->nnodes++];
	memset(nd, 0, sizeof(*nd));
	nd->kind = kind;
	nd->line = line;
	return nd;
}

/* A node that refers to a name: variable, block, include or catalog key. */
static struct tnode *named_node(struct parser *p, unsigned char kind,
                                const struct token *name, int line)
{
	struct tnode *nd;
	uint32_t off;

	if (pool_add(p->t, name->s, name->n, 1, &off) < 0) {
		fail(p, line, "out of memory");
		return NULL;
	}
	nd = node_add(p, kind, line);
	if (!nd)
		return NULL;
	nd->str = off;
	nd->hash = tmpl_hash(name->s, name->n);
	return nd;
}

static int text_node(struct parser *p, const char *s, size_t n, int line)
{
	struct tmpl *t = p->t;
	struct tnode *last = t->nnodes ? &t->nodes[t->nnodes - 1] : NULL;
	uint32_t off;

	if (pool_add(t, s, n, 0, &off) < 0)
		return fail(p, line, "out of memory");
	/* Text around a {{! comment}} is one piece of output. */
	if (p->after_comment && last && last->kind == N_TEXT &&
	    last->str + last->len == off) {
		last->len += (uint32_t)n;
		return 0;
	}
	last = node_add(p, N_TEXT, line);
	if (!last)
		return -1;
	last->str = off;
	last->len = (uint32_t)n;
	return 0;
}

/* Literal text: followed through the HTML tokenizer, then kept verbatim. */
static int literal(struct parser *p, const char *s, size_t n)
{
	int line = p->line;
	const char *why;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		why = hs_step(&p->hs, (unsigned char)s[i]);
		if (why)
			return fail(p, p->line, "%s", why);
		if (s[i] == '\n')
			p->line++;
	}
	return text_node(p, s, n, line);
}

static int tok_is(const struct token *tok, const char *s)
{
	return tok->n == strlen(s) && memcmp(tok->s, s, tok->n) == 0;
}

/* Shows a token in an error message, cut short: it may be anything. */
#define TOK(tok) (int)((tok)->n < 40 ? (tok)->n : 40), (tok)->s

static int check_name(struct parser *p, const struct token *tok, int line)
{
	if (!tmpl_name_ok(tok->s, tok->n))
		return fail(p, line, "bad name '%.*s' (names are [A-Za-z0-9_.-]+)", TOK(tok));
	return 0;
}

static int subst(struct parser *p, int line, enum tesc *esc)
{
	const char *why = hs_subst(&p->hs, esc);
	const struct hstate *h = &p->hs;

	if (!why)
		return 0;
	if ((h->st == H_VALUE_DQ || h->st == H_VALUE_SQ) && h->attr_kind == A_FORBIDDEN)
		return fail(p, line, "cannot substitute in attribute '%.*s'",
		            (int)(h->attrlen < HS_ATTR_MAX ? h->attrlen : HS_ATTR_MAX),
		            h->attr);
	return fail(p, line, "cannot substitute %s", why);
}

static int tag_var(struct parser *p, const struct token *tok, int line)
{
	struct tnode *nd;
	enum tesc esc;

	if (check_name(p, tok, line) < 0 || subst(p, line, &esc) < 0)
		return -1;
	nd = named_node(p, N_VAR, tok, line);
	if (!nd)
		return -1;
	nd->esc = (unsigned char)esc;
	return 0;
}

static int tag_catalog(struct parser *p, const struct token *tok, size_t nt, int line)
{
	struct tmpl *t = p->t;
	struct tnode *nd;
	enum tesc esc;
	size_t i;

	if (nt < 2)
		return fail(p, line, "{{_ key}} needs a catalog key");
	if (!key_ok(tok[1].s, tok[1].n))
		return fail(p, line, "bad catalog key '%.*s' (keys are [a-z0-9_.]+)", TOK(&tok[1]));
	for (i = 2; i < nt; i++)
		if (check_name(p, &tok[i], line) < 0)
			return -1;
	if (subst(p, line, &esc) < 0)
		return -1;
	nd = named_node(p, N_CAT, &tok[1], line);
	if (!nd)
		return -1;
	nd->esc = (unsigned char)esc;
	nd->nargs = (unsigned char)(nt - 2);
	nd->args = (uint32_t)t->nargs;
	for (i = 2; i < nt; i++) {
		struct targ *a;

		if (tmpl_grow((void **)&t->args, &t->argcap, t->nargs + 1, sizeof(*a)) < 0)
			return fail(p, line, "out of memory");
		a = &t->args[t->nargs];
		if (pool_add(t, tok[i].s, tok[i].n, 1, &a->str) < 0)
			return fail(p, line, "out of memory");
		a->hash = tmpl_hash(tok[i].s, tok[i].n);
		t->nargs++;
	}
	return 0;
}

static int tag_include(struct parser *p, const struct token *tok, size_t nt, int line)
{
	struct token name = { tok[0].s + 1, tok[0].n - 1 };

	if (tok[0].n == 1 && nt == 2)
		name = tok[1];
	else if (tok[0].n == 1 || nt != 1)
		return fail(p, line, "{{> name}} takes one template name");
	if (check_name(p, &name, line) < 0)
		return -1;
	if (p->hs.st != H_TEXT)
		return fail(p, line, "{{> %.*s}} must be in text, not in %s",
		            TOK(&name), hs_describe(&p->hs));
	return named_node(p, N_INCLUDE, &name, line) ? 0 : -1;
}

static int block_kind(const struct token *word)
{
	size_t k;

	for (k = 0; k < sizeof(block_names) / sizeof(block_names[0]); k++)
		if (block_names[k] && tok_is(word, block_names[k]))
			return (int)k;
	return -1;
}

static int tag_open(struct parser *p, const struct token *tok, size_t nt, int line)
{
	struct token word = { tok[0].s + 1, tok[0].n - 1 };
	int kind = block_kind(&word);
	struct open_block *b;
	struct tnode *nd;

	if (kind < 0)
		return fail(p, line, "unknown block {{#%.*s}}", TOK(&word));
	if (nt != 2)
		return fail(p, line, "{{#%s}} takes one name", block_names[kind]);
	if (check_name(p, &tok[1], line) < 0)
		return -1;
	if (p->depth == MAX_DEPTH)
		return fail(p, line, "blocks nested deeper than %d", MAX_DEPTH);
	nd = named_node(p, (unsigned char)kind, &tok[1], line);
	if (!nd)
		return -1;
	hs_boundary(&p->hs);
	b = &p->stack[p->depth++];
	b->kind = (unsigned char)kind;
	b->has_else = 0;
	b->node = (uint32_t)(p->t->nnodes - 1);
	b->line = line;
	b->start = p->hs;
	if (kind == N_EACH)
		hs_loop_start(&p->hs);
	return 0;
}

/* A branch must end in the context its block started in: otherwise what
 * follows the block would be read differently depending on the data. */
static int check_branch(struct parser *p, const struct open_block *b, int line)
{
	hs_boundary(&p->hs);
	if (hs_compatible(&b->start, &p->hs))
		return 0;
	return fail(p, line, "{{#%s}} from line %d starts in %s but its %s ends in %s",
	            block_names[b->kind], b->line, hs_describe(&b->start),
	            b->has_else ? "{{else}} branch" : "body", hs_describe(&p->hs));
}

static int tag_else(struct parser *p, size_t nt, int line)
{
	struct open_block *b = p->depth ? &p->stack[p->depth - 1] : NULL;

	if (nt != 1)
		return fail(p, line, "{{else}} takes nothing");
	if (!b || b->kind == N_EACH || b->has_else)
		return fail(p, line, "{{else}} outside {{#if}} or {{#unless}}");
	if (check_branch(p, b, line) < 0)
		return -1;
	b->then_end = p->hs;
	b->has_else = 1;
	p->t->nodes[b->node].alt = (uint32_t)p->t->nnodes;
	p->hs = b->start;
	return 0;
}

static int tag_close(struct parser *p, const struct token *tok, size_t nt, int line)
{
	struct token word = { tok[0].s + 1, tok[0].n - 1 };
	int kind = block_kind(&word);
	struct open_block *b = p->depth ? &p->stack[p->depth - 1] : NULL;
	struct tnode *nd;
	struct hstate merged;

	if (kind < 0 || nt != 1)
		return fail(p, line, "bad closing tag {{/%.*s}}", TOK(&word));
	if (!b)
		return fail(p, line, "{{/%s}} without an open block", block_names[kind]);
	if (b->kind != kind)
		return fail(p, line, "{{/%s}} closes {{#%s}} from line %d",
		            block_names[kind], block_names[b->kind], b->line);
	if (check_branch(p, b, line) < 0)
		return -1;
	merged = b->has_else ? b->then_end : b->start;
	hs_merge(&merged, &p->hs);
	p->hs = merged;
	nd = &p->t->nodes[b->node];
	nd->end = (uint32_t)p->t->nnodes;
	if (!b->has_else)
		nd->alt = nd->end;
	p->depth--;
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Splits a tag's inside into words; -1 when there are too many. */
static int tokenize(const char *s, size_t n, struct token *tok)
{
	size_t i = 0, nt = 0;

	for (;;) {
		size_t start;

		while (i < n && is_space(s[i]))
			i++;
		if (i == n)
			return (int)nt;
		if (nt == MAX_TOKENS)
			return -1;
		for (start = i; i < n && !is_space(s[i]); i++)
			;
		tok[nt].s = s + start;
		tok[nt++].n = i - start;
	}
}

static int parse_tag(struct parser *p, const char *s, size_t n, int line)
{
	struct token tok[MAX_TOKENS];
	int nt;
	size_t i = 0;

	/* A comment is any text: look at its first byte before splitting words. */
	while (i < n && is_space(s[i]))
		i++;
	p->after_comment = i < n && s[i] == '!';
	if (p->after_comment)
		return 0;
	nt = tokenize(s, n, tok);
	if (nt < 0)
		return fail(p, line, "too many words in a {{...}} tag");
	if (nt == 0)
		return fail(p, line, "empty {{}} tag");
	switch (tok[0].s[0]) {
	case '#':
		return tag_open(p, tok, (size_t)nt, line);
	case '/':
		return tag_close(p, tok, (size_t)nt, line);
	case '>':
		return tag_include(p, tok, (size_t)nt, line);
	default:
		break;
	}
	if (tok_is(&tok[0], "_"))
		return tag_catalog(p, tok, (size_t)nt, line);
	if (tok_is(&tok[0], "else"))
		return tag_else(p, (size_t)nt, line);
	if (nt != 1)
		return fail(p, line, "unexpected '%.*s' after {{%.*s", TOK(&tok[1]), TOK(&tok[0]));
	return tag_var(p, &tok[0], line);
}

static int finish(struct parser *p)
{
	if (p->depth) {
		const struct open_block *b = &p->stack[p->depth - 1];

		return fail(p, b->line, "{{#%s}} is never closed", block_names[b->kind]);
	}
	/* Any template may be included into text, so it must end there. */
	if (p->hs.st != H_TEXT)
		return fail(p, p->line, "template ends in %s; it must end in text",
		            hs_describe(&p->hs));
	return 0;
}

static int count_lines(const char *s, size_t n)
{
	int lines = 0;
	size_t i;

	for (i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

int tmpl_parse(struct tmpl *t, const char *src, size_t len, char *err, size_t errlen)
{
	struct parser p = { .t = t, .line = 1, .err = err, .errlen = errlen };
	const char *end = src + len, *pos = src;

	hs_init(&p.hs);
	if (len > MAX_SOURCE)
		return fail(&p, 1, "template larger than %u bytes", MAX_SOURCE);
	while (pos < end) {
		const char *open = memmem(pos, (size_t)(end - pos), "{{", 2);
		const char *close;

		if (literal(&p, pos, (size_t)((open ? open : end) - pos)) < 0)
			return -1;
		if (!open)
			break;
		close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		if (!close)
			return fail(&p, p.line, "unterminated {{ tag");
		if (parse_tag(&p, open + 2, (size_t)(close - open - 2), p.line) < 0)
			return -1;
		p.line += count_lines(open, (size_t)(close - open));
		pos = close + 2;
	}
	return finish(&p);
}

void tmpl_destroy(struct tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->nodes);
	free(t->args);
	free(t->pool);
	free(t);
}
