/* template_html.c: follows the browser's tokenizer (WHATWG HTML, section
 * 13.2.5) through a template's literal text, so that the parser knows the
 * HTML context of every substitution and block tag. It must never believe it
 * is in text or in a quoted attribute value where a browser would be
 * somewhere else; where knowing would take guessing (a name continuing across
 * a block tag, "<!--" inside <script>), it refuses the template instead.
 * Foreign content (<svg>, <math>) gets no special treatment. */
#include "config.h"

#include "template_int.h"

#include <string.h>

/* A marker return of the step functions: handle the same byte again in the
 * new state, as the specification's "reconsume" does. */
static const char again[] = "again";

static const struct {
	const char *name;
	unsigned char elem;
} raw_elems[] = {
	{ "script", E_SCRIPT }, { "style", E_STYLE }, { "xmp", E_XMP },
	{ "iframe", E_IFRAME }, { "noembed", E_NOEMBED },
	{ "noframes", E_NOFRAMES }, { "plaintext", E_PLAINTEXT },
	{ "textarea", E_TEXTAREA }, { "title", E_TITLE },
};

static const char *const url_attrs[] = {
	"href", "src", "action", "formaction", "poster", "cite", "background",
	"data", "codebase", "longdesc", "usemap", "xlink:href", "manifest", "icon",
};

/* Values the browser runs as code or parses as markup or URL lists: no
 * escaping makes a substitution there safe. */
static const char *const forbidden_attrs[] = { "style", "srcset", "srcdoc" };

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static const char *elem_name(unsigned char elem)
{
	size_t i;

	for (i = 0; i < sizeof(raw_elems) / sizeof(raw_elems[0]); i++)
		if (raw_elems[i].elem == elem)
			return raw_elems[i].name;
	return "";
}

void hs_init(struct hstate *h)
{
	memset(h, 0, sizeof(*h));
	h->st = H_TEXT;
}

/* Appends to a name kept lowercased and cut at max; *len goes one past max
 * to remember that the name was longer. */
static void name_add(char *name, unsigned char *len, size_t max, unsigned char c)
{
	if (*len < max)
		name[*len] = (char)lower(c);
	if (*len <= max)
		(*len)++;
}

static int name_is(const char *name, unsigned char len, size_t max, const char *want)
{
	return len <= max && strlen(want) == len && memcmp(name, want, len) == 0;
}

static void tag_name_done(struct hstate *h)
{
	size_t i;

	h->elem = E_OTHER;
	for (i = 0; i < sizeof(raw_elems) / sizeof(raw_elems[0]); i++)
		if (name_is(h->tag, h->taglen, HS_TAG_MAX, raw_elems[i].name))
			h->elem = raw_elems[i].elem;
}

static void drop_attr(struct hstate *h)
{
	h->attrlen = 0;
	h->attr_kind = A_PLAIN;
	h->value_used = 0;
}

/* After '>': start tags of raw text elements switch the tokenizer. */
static void finish_tag(struct hstate *h)
{
	unsigned char elem = h->end_tag ? E_OTHER : h->elem;

	hs_init(h);
	if (elem == E_TEXTAREA || elem == E_TITLE)
		h->st = H_RCDATA;
	else if (elem != E_OTHER)
		h->st = H_RAWTEXT;
	h->elem = elem;
}

static void start_attr(struct hstate *h, unsigned char c)
{
	drop_attr(h);
	h->st = H_ATTR_NAME;
	name_add(h->attr, &h->attrlen, HS_ATTR_MAX, c);
}

static unsigned char attr_kind(const struct hstate *h)
{
	size_t i;

	if (h->attrlen >= 2 && h->attr[0] == 'o' && h->attr[1] == 'n')
		return A_FORBIDDEN;
	for (i = 0; i < sizeof(forbidden_attrs) / sizeof(forbidden_attrs[0]); i++)
		if (name_is(h->attr, h->attrlen, HS_ATTR_MAX, forbidden_attrs[i]))
			return A_FORBIDDEN;
	for (i = 0; i < sizeof(url_attrs) / sizeof(url_attrs[0]); i++)
		if (name_is(h->attr, h->attrlen, HS_ATTR_MAX, url_attrs[i]))
			return A_URL;
	return A_PLAIN;
}

static void start_value(struct hstate *h, unsigned char st)
{
	h->st = st;
	h->attr_kind = attr_kind(h);
	h->value_used = 0;
}

/* Text, "<", "</", "<!", "<!-" and bogus comments ("<?", "<!DOCTYPE"). */
static const char *text_step(struct hstate *h, unsigned char c)
{
	switch (h->st) {
	case H_TEXT:
		if (c == '<')
			h->st = H_TAG_OPEN;
		return NULL;
	case H_TAG_OPEN:
	case H_END_TAG_OPEN:
		if (is_alpha(c)) {
			h->end_tag = h->st == H_END_TAG_OPEN;
			h->st = H_TAG_NAME;
			h->taglen = 0;
			name_add(h->tag, &h->taglen, HS_TAG_MAX, c);
			return NULL;
		}
		if (h->st == H_END_TAG_OPEN) {
			h->st = c == '>' ? H_TEXT : H_BOGUS_COMMENT;
			return NULL;
		}
		h->st = c == '/' ? H_END_TAG_OPEN : c == '!' ? H_MARKUP_DECL :
			c == '?' ? H_BOGUS_COMMENT : H_TEXT;
		return h->st == H_TEXT ? again : NULL;
	case H_MARKUP_DECL:
	case H_MARKUP_DASH:
		if (c == '-') {
			h->st = h->st == H_MARKUP_DECL ? H_MARKUP_DASH : H_COMMENT_START;
			return NULL;
		}
		h->st = H_BOGUS_COMMENT;
		return again;
	default: /* H_BOGUS_COMMENT */
		if (c == '>')
			hs_init(h);
		return NULL;
	}
}

/* Comments end at "-->", "--!>", or abruptly at "<!-->" and "<!--->". */
static const char *comment_step(struct hstate *h, unsigned char c)
{
	unsigned char st = h->st;

	if (c == '>' && st != H_COMMENT && st != H_COMMENT_END_DASH) {
		hs_init(h);
		return NULL;
	}
	if (c == '-')
		h->st = st == H_COMMENT_START ? H_COMMENT_START_DASH :
			st == H_COMMENT || st == H_COMMENT_END_BANG ? H_COMMENT_END_DASH :
			H_COMMENT_END;
	else if (c == '!' && st == H_COMMENT_END)
		h->st = H_COMMENT_END_BANG;
	else
		h->st = H_COMMENT;
	return NULL;
}

/* Inside <script>, "<!--" starts the "escaped" states where a later
 * "<script>" makes "</script>" not end the element: too subtle to follow. */
static const char *script_comment(struct hstate *h, unsigned char c)
{
	static const char open[] = "<!--";

	if (c == (unsigned char)open[h->lt_bang]) {
		if (++h->lt_bang == 4)
			return "'<!--' inside <script> is not supported";
	} else {
		h->lt_bang = c == '<';
	}
	return NULL;
}

/* Raw text and RCDATA end only at "</name" followed by space, '/' or '>'. */
static const char *raw_step(struct hstate *h, unsigned char c)
{
	const char *name = elem_name(h->elem);
	size_t nlen = strlen(name);
	const char *err;

	if (h->elem == E_SCRIPT && (err = script_comment(h, c)) != NULL)
		return err;
	if (h->elem == E_PLAINTEXT)
		return NULL;
	if (h->raw_match == 2 + nlen && (is_ws(c) || c == '/' || c == '>')) {
		unsigned char elem = h->elem;

		hs_init(h);
		h->st = H_TAG_NAME;
		h->end_tag = 1;
		h->elem = elem;
		memcpy(h->tag, name, nlen);
		h->taglen = (unsigned char)nlen;
		return again;
	}
	if ((h->raw_match == 1 && c == '/') ||
	    (h->raw_match >= 2 && h->raw_match < 2 + nlen &&
	     lower(c) == (unsigned char)name[h->raw_match - 2])) {
		h->raw_match++;
		return NULL;
	}
	h->raw_match = c == '<';
	return NULL;
}

/* Inside a start or end tag, up to its '>'. */
static const char *tag_step(struct hstate *h, unsigned char c)
{
	switch (h->st) {
	case H_TAG_NAME:
		if (is_ws(c) || c == '/' || c == '>') {
			tag_name_done(h);
			h->st = H_BEFORE_ATTR;
			return again;
		}
		name_add(h->tag, &h->taglen, HS_TAG_MAX, c);
		return NULL;
	case H_ATTR_NAME:
		if (!is_ws(c) && c != '/' && c != '>' && c != '=') {
			name_add(h->attr, &h->attrlen, HS_ATTR_MAX, c);
			return NULL;
		}
		h->st = H_AFTER_ATTR;
		return again;
	case H_SELF_CLOSING:
		if (c == '>')
			finish_tag(h);
		else
			h->st = H_BEFORE_ATTR;
		return c == '>' ? NULL : again;
	default: /* H_BEFORE_ATTR, H_AFTER_ATTR, H_AFTER_VALUE */
		break;
	}
	if (c == '>') {
		finish_tag(h);
	} else if (c == '/') {
		drop_attr(h);
		h->st = H_SELF_CLOSING;
	} else if (c == '=' && h->st == H_AFTER_ATTR) {
		h->st = H_BEFORE_VALUE;
	} else if (is_ws(c)) {
		if (h->st == H_AFTER_VALUE) {
			drop_attr(h);
			h->st = H_BEFORE_ATTR;
		}
	} else if (c == '=' && h->st == H_BEFORE_ATTR) {
		return "'=' without an attribute name before it";
	} else {
		start_attr(h, c);
	}
	return NULL;
}

/* Attribute values, from after the '=' to the closing quote. */
static const char *value_step(struct hstate *h, unsigned char c)
{
	switch (h->st) {
	case H_BEFORE_VALUE:
		if (is_ws(c))
			return NULL;
		if (c == '>') {
			finish_tag(h);
			return NULL;
		}
		start_value(h, c == '"' ? H_VALUE_DQ : c == '\'' ? H_VALUE_SQ : H_VALUE_UQ);
		return h->st == H_VALUE_UQ ? again : NULL;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (c == (h->st == H_VALUE_DQ ? '"' : '\'')) {
			drop_attr(h);
			h->st = H_AFTER_VALUE;
		} else {
			h->value_used = 1;
		}
		return NULL;
	default: /* H_VALUE_UQ */
		if (c == '>') {
			finish_tag(h);
		} else if (is_ws(c)) {
			drop_attr(h);
			h->st = H_BEFORE_ATTR;
		} else {
			h->value_used = 1;
		}
		return NULL;
	}
}

static const char *step_once(struct hstate *h, unsigned char c)
{
	switch (h->st) {
	case H_TEXT: case H_TAG_OPEN: case H_END_TAG_OPEN:
	case H_MARKUP_DECL: case H_MARKUP_DASH: case H_BOGUS_COMMENT:
		return text_step(h, c);
	case H_RCDATA: case H_RAWTEXT:
		return raw_step(h, c);
	case H_TAG_NAME: case H_BEFORE_ATTR: case H_ATTR_NAME:
	case H_AFTER_ATTR: case H_AFTER_VALUE: case H_SELF_CLOSING:
		return tag_step(h, c);
	case H_BEFORE_VALUE: case H_VALUE_DQ: case H_VALUE_SQ: case H_VALUE_UQ:
		return value_step(h, c);
	default:
		return comment_step(h, c);
	}
}

const char *hs_step(struct hstate *h, unsigned char c)
{
	const char *r;

	if (h->sep_needed) {
		if (!is_ws(c) && c != '/' && c != '>' && c != '=')
			return "a name would run on across a block tag; "
			       "put a space between them";
		h->sep_needed = 0;
	}
	while ((r = step_once(h, c)) == again)
		;
	return r;
}

const char *hs_subst(struct hstate *h, enum tesc *esc)
{
	switch (h->st) {
	case H_TEXT:
		*esc = ESC_TEXT;
		return NULL;
	case H_RCDATA:
		/* "</tex" + "tarea " would end the element: no partial end tag. */
		if (h->raw_match)
			return "right after '<' in <textarea> or <title>";
		*esc = ESC_ATTR;
		return NULL;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (h->attr_kind == A_FORBIDDEN)
			return "in an on*, style, srcset or srcdoc attribute";
		*esc = h->attr_kind != A_URL ? ESC_ATTR :
			h->value_used ? ESC_URL_PART : ESC_URL_START;
		h->value_used = 1;
		return NULL;
	case H_RAWTEXT:
		return "inside <script>, <style> or other raw text";
	case H_ATTR_NAME:
		return "in an attribute name";
	case H_BEFORE_VALUE:
	case H_VALUE_UQ:
		return "in an unquoted attribute value (quote it)";
	case H_TAG_OPEN: case H_END_TAG_OPEN: case H_TAG_NAME:
	case H_BEFORE_ATTR: case H_AFTER_ATTR: case H_AFTER_VALUE:
	case H_SELF_CLOSING:
		return "inside a tag";
	default:
		return "inside an HTML comment or <!...> declaration";
	}
}

void hs_boundary(struct hstate *h)
{
	if (h->st == H_TAG_NAME) {
		tag_name_done(h);
		h->st = H_BEFORE_ATTR;
		h->sep_needed = 1;
	} else if (h->st == H_ATTR_NAME) {
		h->st = H_AFTER_ATTR;
		h->sep_needed = 1;
	}
}

/* Between attributes: where a block may add or leave out whole attributes. */
static int between_attrs(unsigned char st)
{
	return st == H_BEFORE_ATTR || st == H_AFTER_ATTR || st == H_AFTER_VALUE ||
	       st == H_SELF_CLOSING;
}

static int same_name(const char *a, unsigned char alen, const char *b,
                     unsigned char blen, size_t max)
{
	return alen == blen && memcmp(a, b, alen < max ? alen : max) == 0;
}

static int same_tag(const struct hstate *a, const struct hstate *b)
{
	return a->end_tag == b->end_tag && a->elem == b->elem &&
	       same_name(a->tag, a->taglen, b->tag, b->taglen, HS_TAG_MAX);
}

static int same_attr(const struct hstate *a, const struct hstate *b)
{
	return a->attr_kind == b->attr_kind &&
	       same_name(a->attr, a->attrlen, b->attr, b->attrlen, HS_ATTR_MAX);
}

int hs_compatible(const struct hstate *a, const struct hstate *b)
{
	if (between_attrs(a->st) && between_attrs(b->st))
		return same_tag(a, b);
	return a->st == b->st && same_tag(a, b) && same_attr(a, b) &&
	       a->raw_match == b->raw_match && a->lt_bang == b->lt_bang;
}

static int hs_equal(const struct hstate *a, const struct hstate *b)
{
	return hs_compatible(a, b) && a->st == b->st && same_attr(a, b) &&
	       a->value_used == b->value_used && a->sep_needed == b->sep_needed;
}

/* Called only for compatible states. Between attributes, paths may end in
 * different states (one after "checked", one after a value): the merged
 * state accepts only what means the same after each of them, which is why
 * '=' right after it is refused. In a URL value, a substitution after the
 * block is at the start only if it is at the start on every path. */
void hs_merge(struct hstate *into, const struct hstate *other)
{
	unsigned char sep = into->sep_needed | other->sep_needed;

	if (hs_equal(into, other))
		return;
	into->sep_needed = sep;
	if (between_attrs(into->st)) {
		drop_attr(into);
		into->st = H_BEFORE_ATTR;
		return;
	}
	into->value_used |= other->value_used;
}

/* A second iteration starts where the first ended, which this single pass
 * does not know: so assume the worst of both. */
void hs_loop_start(struct hstate *h)
{
	if (between_attrs(h->st))
		h->sep_needed = 1;
	if (h->st == H_VALUE_DQ || h->st == H_VALUE_SQ || h->st == H_VALUE_UQ)
		h->value_used = 1;
}

const char *hs_describe(const struct hstate *h)
{
	switch (h->st) {
	case H_TEXT:
		return "text";
	case H_RCDATA:
		return "<textarea> or <title> text";
	case H_RAWTEXT:
		return "<script>, <style> or other raw text";
	case H_ATTR_NAME:
		return "an attribute name";
	case H_BEFORE_VALUE: case H_VALUE_DQ: case H_VALUE_SQ: case H_VALUE_UQ:
		return "an attribute value";
	case H_TAG_OPEN: case H_END_TAG_OPEN: case H_TAG_NAME:
	case H_BEFORE_ATTR: case H_AFTER_ATTR: case H_AFTER_VALUE:
	case H_SELF_CLOSING:
		return "a tag";
	default:
		return "a comment";
	}
}
