/* textmail: text/plain as safe HTML (see textmail.h). All text goes through
 * html_escape; the only markup written is the fixed <a ...> and <span
 * class="mail-quote"> below, so the result needs no sanitizer. */
#include "config.h"

#include "textmail.h"

#include "arena.h"
#include "buf.h"

#include <string.h>

struct tm {
	struct buf out;
	unsigned depth;      /* quote spans open */
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int starts_nocase(const char *s, size_t n, const char *prefix)
{
	size_t i;

	for (i = 0; prefix[i]; i++)
		if (i >= n || lower((unsigned char)s[i]) != prefix[i])
			return 0;
	return 1;
}

/* ------------------------------------------------------------ links */

/* 1 when the byte at s[i] cannot be in a URL: ASCII space and controls,
 * < > " and a no-break space (U+00A0). */
static int url_stop(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"')
		return 1;
	return c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0;
}

/* The URL's length without the punctuation that ends the sentence around
 * it: a closing bracket stays only when the URL opened one. */
static size_t url_trim(const char *s, size_t n)
{
	long paren = 0, bracket = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		paren += (s[i] == '(') - (s[i] == ')');
		bracket += (s[i] == '[') - (s[i] == ']');
	}
	while (n) {
		char c = s[n - 1];

		if (c == ')' && paren < 0)
			paren++;
		else if (c == ']' && bracket < 0)
			bracket++;
		else if (!strchr(".,;:!?'*", c))
			break;
		n--;
	}
	return n;
}

/* The http(s)/mailto URL at s[0..n): its length, or 0 when there is none;
 * *run is how far the URL's characters go (to skip a URL too long). */
static size_t url_at(const char *s, size_t n, size_t *run)
{
	size_t prefix, len;

	*run = 0;
	if (starts_nocase(s, n, "http://"))
		prefix = 7;
	else if (starts_nocase(s, n, "https://"))
		prefix = 8;
	else if (starts_nocase(s, n, "mailto:"))
		prefix = 7;
	else
		return 0;
	for (len = prefix; len < n && !url_stop(s, n, len); len++)
		;
	*run = len;
	if (len > TEXTMAIL_URL_MAX)
		return 0;
	len = url_trim(s, len);
	return len > prefix ? len : 0;
}

static int local_char(int c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* The bare address around the '@' at s[at]: *start (not before from) and
 * its length, or 0. The domain needs two labels and a TLD of letters. */
static size_t address_at(const char *s, size_t n, size_t from, size_t at, size_t *start)
{
	size_t b = at, e = at + 1, dot, k;

	while (b > from && local_char((unsigned char)s[b - 1]))
		b--;
	while (b < at && s[b] == '.')
		b++;
	if (b == at || s[at - 1] == '.')
		return 0;
	while (e < n && (is_alnum((unsigned char)s[e]) || s[e] == '-' || s[e] == '.'))
		e++;
	while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
		e--;
	for (dot = e; dot > at + 1 && s[dot - 1] != '.'; dot--)
		;
	/* dot: where the TLD starts; at + 1 when the domain has no dot. */
	if (dot <= at + 2 || s[at + 1] == '.' || e - dot < 2 || e - b > TEXTMAIL_URL_MAX)
		return 0;
	for (k = dot; k < e; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z')))
			return 0;
	*start = b;
	return e - b;
}

static void write_link(struct tm *t, const char *scheme, const char *s, size_t n)
{
	buf_adds(&t->out, "<a href=\"");
	buf_adds(&t->out, scheme);
	html_escape(&t->out, s, n);
	buf_adds(&t->out, "\" rel=\"noopener noreferrer\" target=\"_blank\">");
	html_escape(&t->out, s, n);
	buf_adds(&t->out, "</a>");
}

/* Writes s[0..n) escaped, with its URLs and addresses as links. */
static void linkify(struct tm *t, const char *s, size_t n)
{
	size_t i = 0, done = 0, len, start, run;

	while (i < n) {
		int boundary = i == 0 || !is_alnum((unsigned char)s[i - 1]);

		run = 0;
		if (boundary && (len = url_at(s + i, n - i, &run))) {
			html_escape(&t->out, s + done, i - done);
			write_link(t, "", s + i, len);
			i = done = i + len;
		} else if (run > TEXTMAIL_URL_MAX) {
			i += run;     /* too long to link; no address inside either */
		} else if (s[i] == '@' && (len = address_at(s, n, done, i, &start))) {
			html_escape(&t->out, s + done, start - done);
			write_link(t, "mailto:", s + start, len);
			i = done = start + len;
		} else {
			i++;
		}
	}
	html_escape(&t->out, s + done, n - done);
}

/* ------------------------------------------------------------ lines */

static void set_depth(struct tm *t, unsigned d)
{
	if (d > TEXTMAIL_QUOTE_MAX)
		d = TEXTMAIL_QUOTE_MAX;
	for (; t->depth > d; t->depth--)
		buf_adds(&t->out, "</span>");
	for (; t->depth < d; t->depth++)
		buf_adds(&t->out, "<span class=\"mail-quote\">");
}

/* One line of s[0..n): its length without the end of line, *next the
 * offset of the line after it, *nl whether it ended with a newline. */
static size_t next_line(const char *s, size_t n, size_t *next, int *nl)
{
	const char *lf = memchr(s, '\n', n);
	size_t len = lf ? (size_t)(lf - s) : n;

	*nl = lf != NULL;
	*next = len + *nl;
	if (len && s[len - 1] == '\r')
		len--;
	return len;
}

/* Plain text: ">", "> >" or ">>" start a quote level each. */
static unsigned plain_depth(const char *s, size_t n)
{
	unsigned d = 0;
	size_t i = 0;

	while (i < n && s[i] == '>') {
		d++;
		i++;
		if (i + 1 < n && s[i] == ' ' && s[i + 1] == '>')
			i++;
	}
	return d;
}

static void plain(struct tm *t, const char *s, size_t n)
{
	size_t len, next;
	int nl;

	while (n) {
		len = next_line(s, n, &next, &nl);
		set_depth(t, plain_depth(s, len));
		linkify(t, s, len);
		if (nl)
			buf_addc(&t->out, '\n');
		s += next;
		n -= next;
	}
}

/* A logical line of flowed text, its quote markers written anew. */
static void flowed_line(struct tm *t, unsigned depth, const struct buf *text, int nl)
{
	unsigned i;

	set_depth(t, depth);
	for (i = 0; i < depth; i++)
		buf_adds(&t->out, "&gt;");
	if (depth)
		buf_addc(&t->out, ' ');
	linkify(t, text->p ? text->p : "", text->len);
	if (nl)
		buf_addc(&t->out, '\n');
}

/* RFC 3676 4.2: a line ending in a space (not the signature separator
 * "-- ") flows into the next line of the same quote depth; one leading
 * space after the quote markers is stuffing. */
static int flowed(struct tm *t, const char *s, size_t n, int delsp)
{
	struct buf para = BUF_INIT;
	unsigned depth = 0, d;
	int open = 0, nl = 0;
	size_t len, next, k;

	while (n) {
		len = next_line(s, n, &next, &nl);
		for (d = 0, k = 0; k < len && s[k] == '>'; k++)
			d++;
		if (k < len && s[k] == ' ')
			k++;
		if (open && d != depth) {
			flowed_line(t, depth, &para, 1);
			buf_reset(&para);
		}
		depth = d;
		open = len > k && s[len - 1] == ' ' && !(len - k == 3 && memcmp(s + k, "-- ", 3) == 0);
		buf_add(&para, s + k, len - k - (open && delsp));
		if (!open) {
			flowed_line(t, depth, &para, nl);
			buf_reset(&para);
		}
		s += next;
		n -= next;
	}
	if (open)
		flowed_line(t, depth, &para, 0);
	k = buf_failed(&para);
	buf_free(&para);
	return k ? -1 : 0;
}

int textmail_html(struct arena *a, const char *in, size_t len, unsigned flags,
                  struct safe_html *out)
{
	struct tm t = { BUF_INIT, 0 };
	char *html = NULL;
	int rc = 0;

	*out = safe_html_from_sanitizer(NULL, 0);
	if (flags & TEXTMAIL_FLOWED)
		rc = flowed(&t, in, len, (flags & TEXTMAIL_DELSP) != 0);
	else
		plain(&t, in, len);
	set_depth(&t, 0);
	if (rc == 0 && !buf_failed(&t.out) && (html = arena_alloc(a, t.out.len + 1))) {
		if (t.out.len)
			memcpy(html, t.out.p, t.out.len);
		*out = safe_html_from_sanitizer(html, t.out.len);
	}
	buf_free(&t.out);
	return html ? 0 : -1;
}
