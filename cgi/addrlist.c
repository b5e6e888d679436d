/* addrlist: the address-list parser and the checks of each part (see
 * addrlist.h). A lexer turns the input into words, quoted strings and
 * specials (comments are kept aside, for "a@x (Name)"); the parser reads
 * mailboxes and groups from two tokens at a time. */
#include "config.h"

#include "addrlist.h"

#include "arena.h"
#include "buf.h"
#include "mime_text.h"
#include "utf8.h"
#include "validate.h"

#include <idn2.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- checks */

static int is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	       || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

int addrlist_dot_atom(const char *s, size_t n)
{
	size_t i;

	if (!n || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '.' ? s[i + 1] == '.' : !is_atext((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The local part's length as written: quotes and escapes counted. */
static size_t local_written_len(const char *s, size_t n)
{
	size_t i, len = n;

	if (addrlist_dot_atom(s, n))
		return n;
	for (i = 0; i < n; i++)
		len += s[i] == '"' || s[i] == '\\';
	return len + 2;
}

/* A local part without quotes: a dot-atom, or what a quoted string may
 * hold (printable ASCII and spaces). */
static enum addrlist_err check_local(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return ADDRLIST_ERR_NO_LOCAL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return ADDRLIST_ERR_CONTROL;
		if (c > 0x7f)
			return ADDRLIST_ERR_LOCAL;
	}
	if (s[0] == '-')
		return ADDRLIST_ERR_LOCAL;
	if (local_written_len(s, n) > ADDRLIST_LOCAL_MAX)
		return ADDRLIST_ERR_TOO_LONG;
	return ADDRLIST_OK;
}

/* An ASCII domain: two or more labels of letters, digits and "-" (not at
 * either end of a label), 1..63 bytes each, the last not all digits. */
static enum addrlist_err check_domain_ascii(const char *s, size_t n)
{
	size_t i, label = 0, labels = 1;
	int digits = 1;

	if (!n)
		return ADDRLIST_ERR_NO_DOMAIN;
	if (n > ADDRLIST_DOMAIN_MAX)
		return ADDRLIST_ERR_TOO_LONG;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (!label || s[i - 1] == '-')
				return ADDRLIST_ERR_DOMAIN;
			label = 0, labels++, digits = 1;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
			return c < 0x20 || c == 0x7f ? ADDRLIST_ERR_CONTROL : ADDRLIST_ERR_DOMAIN;
		if (c == '-' && !label)
			return ADDRLIST_ERR_DOMAIN;
		if (++label > 63)
			return ADDRLIST_ERR_TOO_LONG;
		digits &= c >= '0' && c <= '9';
	}
	if (!label || s[n - 1] == '-' || labels < 2 || digits)
		return ADDRLIST_ERR_DOMAIN;
	return ADDRLIST_OK;
}

/* A display name or group name: valid UTF-8, no C0 or C1 control, DEL or
 * tab (the parser has made tabs spaces), at most ADDRLIST_NAME_MAX bytes. */
static enum addrlist_err check_name(const char *s, size_t n)
{
	size_t i = 0;

	if (n > ADDRLIST_NAME_MAX)
		return ADDRLIST_ERR_TOO_LONG;
	while (i < n) {
		unsigned long cp;
		size_t len = utf8_decode_one((const unsigned char *)s + i, n - i, &cp);

		if (!len)
			return memchr(s + i, 0, n - i) ? ADDRLIST_ERR_CONTROL : ADDRLIST_ERR_UTF8;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return ADDRLIST_ERR_CONTROL;
		i += len;
	}
	return ADDRLIST_OK;
}

enum addrlist_err addrlist_check(const struct addr *ad)
{
	enum addrlist_err rc;
	size_t ll, dl;

	if (!ad->local)
		return ADDRLIST_ERR_NO_LOCAL;
	if (!ad->domain)
		return ADDRLIST_ERR_NO_DOMAIN;
	ll = strlen(ad->local), dl = strlen(ad->domain);
	if (ad->name && (rc = check_name(ad->name, strlen(ad->name))) != ADDRLIST_OK)
		return rc;
	if (ad->group && (rc = check_name(ad->group, strlen(ad->group))) != ADDRLIST_OK)
		return rc;
	if ((rc = check_local(ad->local, ll)) != ADDRLIST_OK)
		return rc;
	if ((rc = check_domain_ascii(ad->domain, dl)) != ADDRLIST_OK)
		return rc;
	return local_written_len(ad->local, ll) + 1 + dl > ADDRLIST_ADDR_MAX ? ADDRLIST_ERR_TOO_LONG
	                                                                       : ADDRLIST_OK;
}

/* ---------------------------------------------------------------- lexer */

enum tok_type { T_END, T_ERROR, T_WORD, T_QUOTED, T_SPECIAL };

struct tok {
	enum tok_type type;
	char c;                   /* T_SPECIAL; T_ERROR: "(" for a comment's */
	const char *text;         /* T_WORD: in the input; T_QUOTED: unescaped */
	size_t len;
	size_t start, end;        /* offsets in the input */
	int space;                /* white space or a comment before it */
	const char *comment;      /* the first comment before it, unescaped, or NULL */
	size_t clen;
};

struct parser {
	struct arena *a;
	const char *s;
	size_t n, i;
	unsigned flags;
	struct tok cur, nxt;
	struct addr *v;
	size_t nv;
	size_t item, item_start;
	const char *group;
	enum addrlist_err err;
	size_t err_off;
};

static int is_special(unsigned char c)
{
	return c && strchr("()<>[]:;@\\,\"", c);
}

static int is_ws(const struct parser *p, unsigned char c)
{
	/* A typed list may have new lines between addresses; a header's folds
	 * are gone before the lexer sees it. */
	return c == ' ' || c == '\t' || (!(p->flags & ADDRLIST_HEADER) && (c == '\r' || c == '\n'));
}

static int is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static void lex_error(struct parser *p, struct tok *t, enum addrlist_err code, size_t off)
{
	t->type = T_ERROR;
	p->err = code;
	p->err_off = off;
}

/* A quoted string or comment from p->i (after its opening character) to
 * its close; unescaped into b. Returns 0, or -1 with t marked. */
static int lex_delimited(struct parser *p, struct tok *t, struct buf *b, int comment)
{
	size_t open = p->i - 1;
	int depth = 1;

	while (p->i < p->n) {
		unsigned char c = (unsigned char)p->s[p->i++];

		if (c == '\\') {
			if (p->i >= p->n)
				break;
			c = (unsigned char)p->s[p->i++];
		} else if (!comment && c == '"') {
			return 0;
		} else if (comment && (c == '(' || c == ')')) {
			depth += c == '(' ? 1 : -1;
			if (!depth)
				return 0;
		}
		if (is_ctl(c) && c != '\t') {
			lex_error(p, t, ADDRLIST_ERR_CONTROL, p->i - 1);
			return -1;
		}
		buf_addc(b, c == '\t' ? ' ' : (char)c);
	}
	lex_error(p, t, comment ? ADDRLIST_ERR_BRACKET : ADDRLIST_ERR_QUOTE, open);
	return -1;
}

/* White space and comments before the next token; the first comment's
 * text goes to t. */
static int lex_skip(struct parser *p, struct tok *t)
{
	while (p->i < p->n) {
		unsigned char c = (unsigned char)p->s[p->i];
		struct buf b = BUF_INIT;
		int rc;

		if (is_ws(p, c)) {
			p->i++, t->space = 1;
			continue;
		}
		if (c != '(')
			return 0;
		p->i++, t->space = 1;
		rc = lex_delimited(p, t, &b, 1);
		if (!rc && !t->comment) {
			t->comment = arena_strndup(p->a, b.p ? b.p : "", b.len);
			t->clen = b.len;
			if (!t->comment || buf_failed(&b))
				lex_error(p, t, ADDRLIST_ERR_NOMEM, p->i), rc = -1;
		}
		buf_free(&b);
		if (rc)
			return -1;
	}
	return 0;
}

static void lex(struct parser *p, struct tok *t)
{
	unsigned char c;

	memset(t, 0, sizeof(*t));
	if (lex_skip(p, t)) {
		t->c = '(';           /* belongs to the token before, "a@x.se (Name" */
		return;
	}
	t->start = p->i;
	if (p->i >= p->n) {
		t->type = T_END;
		t->end = p->i;
		return;
	}
	c = (unsigned char)p->s[p->i];
	if (c == '"') {
		struct buf b = BUF_INIT;

		p->i++;
		if (!lex_delimited(p, t, &b, 0)) {
			t->type = T_QUOTED;
			t->text = arena_strndup(p->a, b.p ? b.p : "", b.len);
			t->len = b.len;
			if (!t->text || buf_failed(&b))
				lex_error(p, t, ADDRLIST_ERR_NOMEM, t->start);
		}
		buf_free(&b);
	} else if (c == ')') {
		lex_error(p, t, ADDRLIST_ERR_BRACKET, p->i);
		t->c = '(';
	} else if (c == '\\') {
		lex_error(p, t, ADDRLIST_ERR_SYNTAX, p->i);
	} else if (is_special(c)) {
		t->type = T_SPECIAL;
		t->c = (char)c;
		p->i++;
	} else {
		t->type = T_WORD;
		t->text = p->s + p->i;
		/* Control characters stay in the word: the check of the part it
		 * turns out to be (name, local part, domain) refuses them. */
		while (p->i < p->n && !is_special((unsigned char)p->s[p->i]) && !is_ws(p, (unsigned char)p->s[p->i]))
			p->i++;
		t->len = (size_t)(p->s + p->i - t->text);
	}
	t->end = p->i;
}

/* A lexer error where an address would start ("a@x.se, \"Bob<LF>") is
 * the next address's, not the last one's. */
static void error_starts_item(struct parser *p)
{
	if (p->cur.type == T_ERROR && p->cur.c != '(') {
		p->item++;
		p->item_start = p->cur.start;
	}
}

static void advance(struct parser *p)
{
	p->cur = p->nxt;
	if (p->cur.type == T_END || p->cur.type == T_ERROR)
		return;        /* the lexer stops at an error: p->err stays */
	lex(p, &p->nxt);
}

/* ---------------------------------------------------------------- parser */

static int fail(struct parser *p, enum addrlist_err code, size_t off)
{
	p->err = code;
	p->err_off = off;
	return -1;
}

/* Fails with the lexer's error, or code at the current token. */
static int fail_at(struct parser *p, enum addrlist_err code)
{
	if (p->cur.type == T_ERROR)
		return -1;
	return fail(p, code, p->cur.start);
}

static int is_special_tok(const struct tok *t, char c)
{
	return t->type == T_SPECIAL && t->c == c;
}

static int is_word(const struct tok *t)
{
	return t->type == T_WORD || t->type == T_QUOTED;
}

/* A name as typed (or, in a header, RFC 2047-decoded), checked. */
static int make_name(struct parser *p, const char *raw, size_t n, const char **out)
{
	enum addrlist_err rc;

	if (p->flags & ADDRLIST_HEADER) {
		*out = mime_text_header(p->a, raw, n);
		if (!*out)
			return fail(p, ADDRLIST_ERR_NOMEM, p->item_start);
		n = strlen(*out);
		raw = *out;
	} else if (!(*out = arena_strndup(p->a, raw, n))) {
		return fail(p, ADDRLIST_ERR_NOMEM, p->item_start);
	}
	rc = check_name(raw, n);
	return rc ? fail(p, rc, p->item_start) : 0;
}

static int make_local(struct parser *p, const struct tok *t, const char **out)
{
	enum addrlist_err rc = check_local(t->text, t->len);

	if (!rc && t->type == T_WORD && !addrlist_dot_atom(t->text, t->len))
		rc = ADDRLIST_ERR_LOCAL;
	if (rc)
		return fail(p, rc, t->start);
	*out = arena_strndup(p->a, t->text, t->len);
	return *out ? 0 : fail(p, ADDRLIST_ERR_NOMEM, t->start);
}

static int has_idn(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || (i + 4 <= n && !strncasecmp(s + i, "xn--", 4)))
			return 1;
	return 0;
}

/* An internationalized domain to its A-labels (IDNA2008 with the TR46
 * mapping: upper case and full-width dots folded, NFC first). */
static int to_ascii(struct parser *p, const struct tok *t, char **out)
{
	char *in, *ace = NULL;
	int rc;

	if (!utf8_valid(t->text, t->len))
		return fail(p, ADDRLIST_ERR_UTF8, t->start);
	if (!(in = arena_strndup(p->a, t->text, t->len)))
		return fail(p, ADDRLIST_ERR_NOMEM, t->start);
	rc = idn2_to_ascii_8z(in, &ace, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK) {
		return fail(p, rc == IDN2_TOO_BIG_DOMAIN || rc == IDN2_TOO_BIG_LABEL ? ADDRLIST_ERR_TOO_LONG
		                                                                     : ADDRLIST_ERR_DOMAIN,
		            t->start);
	}
	*out = arena_strdup(p->a, ace);
	idn2_free(ace);
	return *out ? 0 : fail(p, ADDRLIST_ERR_NOMEM, t->start);
}

static int make_domain(struct parser *p, const struct tok *t, const char **out)
{
	enum addrlist_err rc;
	char *d, *c;

	size_t i;

	if (t->len > 4 * ADDRLIST_DOMAIN_MAX)
		return fail(p, ADDRLIST_ERR_TOO_LONG, t->start);
	for (i = 0; i < t->len; i++)
		if (is_ctl((unsigned char)t->text[i]))
			return fail(p, ADDRLIST_ERR_CONTROL, t->start + i);
	if (has_idn(t->text, t->len)) {
		if (to_ascii(p, t, &d))
			return -1;
	} else if (!(d = arena_strndup(p->a, t->text, t->len))) {
		return fail(p, ADDRLIST_ERR_NOMEM, t->start);
	}
	for (c = d; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c + 32);
	if ((rc = check_domain_ascii(d, strlen(d))) != ADDRLIST_OK)
		return fail(p, rc, t->start);
	*out = d;
	return 0;
}

static int add_addr(struct parser *p, const char *name, size_t nlen, const struct tok *local,
                    const struct tok *domain)
{
	struct addr ad;

	if (p->nv >= ADDRLIST_MAX)
		return fail(p, ADDRLIST_ERR_TOO_MANY, p->item_start);
	ad.group = p->group;
	if (make_name(p, name, nlen, &ad.name) || make_local(p, local, &ad.local)
	    || make_domain(p, domain, &ad.domain))
		return -1;
	if (local_written_len(ad.local, strlen(ad.local)) + 1 + strlen(ad.domain) > ADDRLIST_ADDR_MAX)
		return fail(p, ADDRLIST_ERR_TOO_LONG, p->item_start);
	p->v[p->nv++] = ad;
	return 0;
}

/* What may follow a whole mailbox: a separator, the end, or (in a typed
 * list) the next address after white space. */
static int end_of_mailbox(struct parser *p)
{
	const struct tok *t = &p->cur;

	error_starts_item(p);
	if (t->type == T_END || is_word(t) || is_special_tok(t, ',') || is_special_tok(t, ';')
	    || is_special_tok(t, '<'))
		return 0;
	return fail_at(p, is_special_tok(t, '>') ? ADDRLIST_ERR_BRACKET : ADDRLIST_ERR_SYNTAX);
}

/* The domain token after "@": a word, else the reason there is none. */
static int expect_domain(struct parser *p, struct tok *out)
{
	if (p->cur.type == T_WORD) {
		*out = p->cur;
		advance(p);
		return 0;
	}
	/* Domain literals ("[192.0.2.1]") have no place in typed mail. */
	return fail_at(p, is_special_tok(&p->cur, '[') ? ADDRLIST_ERR_DOMAIN : ADDRLIST_ERR_NO_DOMAIN);
}

/* "<" [obs-route ":"] local "@" domain ">", the name already read. */
static int parse_angle(struct parser *p, const char *name, size_t nlen)
{
	struct tok local, domain;

	advance(p);
	if (is_special_tok(&p->cur, '@')) {
		while (p->cur.type != T_END && p->cur.type != T_ERROR && !is_special_tok(&p->cur, ':')
		       && !is_special_tok(&p->cur, '>'))
			advance(p);
		if (!is_special_tok(&p->cur, ':'))
			return fail_at(p, p->cur.type == T_END ? ADDRLIST_ERR_BRACKET : ADDRLIST_ERR_NO_LOCAL);
		advance(p);
	}
	if (!is_word(&p->cur))
		return fail_at(p, p->cur.type == T_END ? ADDRLIST_ERR_BRACKET
		                  : is_special_tok(&p->cur, '>') || is_special_tok(&p->cur, '@') ? ADDRLIST_ERR_NO_LOCAL
		                                                                               : ADDRLIST_ERR_SYNTAX);
	local = p->cur;
	advance(p);
	if (!is_special_tok(&p->cur, '@'))
		return fail_at(p, p->cur.type == T_END ? ADDRLIST_ERR_BRACKET
		                  : is_special_tok(&p->cur, '>') ? ADDRLIST_ERR_NO_DOMAIN
		                                                 : ADDRLIST_ERR_SYNTAX);
	advance(p);
	if (is_special_tok(&p->cur, '>'))
		return fail_at(p, ADDRLIST_ERR_NO_DOMAIN);
	if (p->cur.type == T_END)
		return fail_at(p, ADDRLIST_ERR_BRACKET);
	if (expect_domain(p, &domain))
		return -1;
	if (!is_special_tok(&p->cur, '>'))
		return fail_at(p, p->cur.type == T_END ? ADDRLIST_ERR_BRACKET : ADDRLIST_ERR_SYNTAX);
	advance(p);
	if (!nlen && p->cur.comment)        /* "<a@x> (Name)" */
		name = p->cur.comment, nlen = p->cur.clen;
	return end_of_mailbox(p) ? -1 : add_addr(p, name, nlen, &local, &domain);
}

/* local "@" domain at the start of an item: an address, or (when "<"
 * follows: "a@x.se <a@x.se>") the name of the next. */
static int parse_bare(struct parser *p)
{
	struct tok local = p->cur, domain;
	const char *name = "";
	size_t nlen = 0;

	advance(p);
	advance(p);
	if (expect_domain(p, &domain))
		return -1;
	if (is_special_tok(&p->cur, '<'))
		return parse_angle(p, p->s + local.start, domain.end - local.start);
	if (p->cur.comment)                 /* "a@x.se (Name)" */
		name = p->cur.comment, nlen = p->cur.clen;
	else if (local.comment)             /* "(Name) a@x.se" */
		name = local.comment, nlen = local.clen;
	return end_of_mailbox(p) ? -1 : add_addr(p, name, nlen, &local, &domain);
}

static int parse_item(struct parser *p);

/* name ":" [mailbox *("," mailbox)] ";" */
static int parse_group(struct parser *p, const char *name, size_t nlen)
{
	if (p->group)
		return fail_at(p, ADDRLIST_ERR_SYNTAX);
	if (make_name(p, name, nlen, &p->group))
		return -1;
	p->item--;                   /* the group is no address; its members are */
	advance(p);
	for (;;) {
		if (p->cur.type == T_ERROR) {
			error_starts_item(p);
			return -1;
		}
		if (is_special_tok(&p->cur, ',')) {
			advance(p);
			continue;
		}
		if (is_special_tok(&p->cur, ';')) {
			advance(p);
			break;
		}
		if (p->cur.type == T_END)
			break;
		if (parse_item(p))
			return -1;
	}
	p->group = NULL;
	return end_of_mailbox(p);
}

/* Why what was read so far is no mailbox: cur stopped the phrase. */
static enum addrlist_err item_error(const struct tok *cur, size_t words)
{
	if (is_special_tok(cur, '>') || is_special_tok(cur, ']'))
		return ADDRLIST_ERR_BRACKET;
	if (!words && is_special_tok(cur, '@'))
		return ADDRLIST_ERR_NO_LOCAL;
	if (words && (cur->type == T_END || is_special_tok(cur, ',') || is_special_tok(cur, ';')))
		return ADDRLIST_ERR_NO_DOMAIN;       /* "bob", "Bob Smith" */
	return ADDRLIST_ERR_SYNTAX;                  /* "Bob bob@x.se", "[", ":" */
}

/* One mailbox or group. */
static int parse_item(struct parser *p)
{
	struct buf name = BUF_INIT;
	size_t words = 0;
	int rc;

	p->item++;
	p->item_start = p->cur.start;
	if (is_word(&p->cur) && is_special_tok(&p->nxt, '@'))
		return parse_bare(p);
	while (is_word(&p->cur) && !is_special_tok(&p->nxt, '@')) {
		if (words++ && p->cur.space)
			buf_addc(&name, ' ');
		buf_add(&name, p->cur.text, p->cur.len);
		advance(p);
	}
	if (buf_failed(&name))
		rc = fail(p, ADDRLIST_ERR_NOMEM, p->item_start);
	else if (is_special_tok(&p->cur, '<'))
		rc = parse_angle(p, words ? name.p : "", name.len);
	else if (words && is_special_tok(&p->cur, ':'))
		rc = parse_group(p, name.p, name.len);
	else
		rc = fail_at(p, item_error(&p->cur, words));
	buf_free(&name);
	return rc;
}

static int parse_list(struct parser *p)
{
	for (;;) {
		if (p->cur.type == T_ERROR) {
			error_starts_item(p);
			return -1;
		}
		if (p->cur.type == T_END)
			return 0;
		if (is_special_tok(&p->cur, ',') || is_special_tok(&p->cur, ';')) {
			advance(p);
			continue;
		}
		if (parse_item(p))
			return -1;
	}
}

/* ---------------------------------------------------------------- entry */

/* A header body with its folds (CRLF or LF before a space or tab) taken
 * out; any other CR or LF is an error at its offset. */
static char *unfold(struct arena *a, const char *in, size_t n, size_t *outlen, size_t *bad)
{
	char *out = arena_alloc(a, n + 1);
	size_t i, o = 0;

	*bad = (size_t)-1;
	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		size_t lf = in[i] == '\r' && i + 1 < n && in[i + 1] == '\n' ? i + 1 : i;

		if (in[i] != '\r' && in[i] != '\n') {
			out[o++] = in[i];
			continue;
		}
		if (in[lf] != '\n' || lf + 1 >= n || (in[lf + 1] != ' ' && in[lf + 1] != '\t')) {
			*bad = i;
			return out;
		}
		i = lf;
	}
	*outlen = o;
	return out;
}

/* The failing address as typed: from its start to the next separator, at
 * most ADDRLIST_ERR_TEXT_MAX bytes, controls as spaces, bad UTF-8 as "?". */
static void error_text(struct addrlist_error *e, const char *s, size_t n, size_t start)
{
	size_t i = start, o = 0;

	while (i < n && o + 4 <= ADDRLIST_ERR_TEXT_MAX && s[i] != ',' && s[i] != ';' && s[i] != '\n'
	       && s[i] != '\r') {
		unsigned long cp;
		size_t len = utf8_decode_one((const unsigned char *)s + i, n - i, &cp);

		if (!len || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			e->text[o++] = len ? ' ' : '?';
			i += len ? len : 1;
			continue;
		}
		memcpy(e->text + o, s + i, len);
		o += len, i += len;
	}
	while (o && e->text[o - 1] == ' ')
		o--;
	e->text[o] = 0;
}

static int report(struct addrlist_error *e, enum addrlist_err code, size_t index, size_t off,
                  const char *s, size_t n, size_t start)
{
	if (!e)
		return -1;
	e->code = code;
	e->index = index;
	e->offset = off;
	error_text(e, s, n, start);
	return -1;
}

int addrlist_parse(struct arena *a, const char *in, size_t n, unsigned flags, struct addrlist *out,
                   struct addrlist_error *e)
{
	struct parser p;

	out->v = NULL;
	out->n = 0;
	if (e)
		memset(e, 0, sizeof(*e));
	if (n > ADDRLIST_INPUT_MAX)
		return report(e, ADDRLIST_ERR_TOO_MANY, 0, ADDRLIST_INPUT_MAX, in, n, n);
	memset(&p, 0, sizeof(p));
	p.a = a;
	p.s = in;
	p.n = n;
	p.flags = flags;
	if (flags & ADDRLIST_HEADER) {
		size_t bad;

		if (!(p.s = unfold(a, in, n, &p.n, &bad)))
			return report(e, ADDRLIST_ERR_NOMEM, 0, 0, in, n, n);
		if (bad != (size_t)-1)
			return report(e, ADDRLIST_ERR_CONTROL, 0, bad, in, n, n);
	}
	p.v = arena_alloc(a, ADDRLIST_MAX * sizeof(*p.v));
	if (!p.v)
		return report(e, ADDRLIST_ERR_NOMEM, 0, 0, in, n, n);
	lex(&p, &p.cur);
	if (p.cur.type != T_END && p.cur.type != T_ERROR)
		lex(&p, &p.nxt);
	if (parse_list(&p))
		return report(e, p.err, p.item ? p.item : 1, p.err_off, p.s, p.n, p.item ? p.item_start : p.err_off);
	out->v = p.v;
	out->n = p.nv;
	return 0;
}
