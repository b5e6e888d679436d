/* rfc2047: encoded-word decoding of header text (see rfc2047.h). */
#include "config.h"

#include "rfc2047.h"

#include "arena.h"
#include "buf.h"
#include "charset.h"
#include "decode.h"
#include "utf8.h"
#include "validate.h"

#include <string.h>
#include <strings.h>

/* One encoded-word: where it is and what it says. */
struct word {
	size_t len;                  /* of the whole "=?...?=" */
	const char *cs;              /* charset, without any "*language" */
	size_t cslen;
	char enc;                    /* 'B' or 'Q' */
	const char *text;
	size_t textlen;
};

/* Adjacent encoded-words in one charset, decoded but not yet converted, and
 * where they were written (kept as written if the charset is unknown). */
struct run {
	const char *cs;
	size_t cslen;
	size_t start, end;           /* in the input */
	struct buf bytes;
};

static int word_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '?';
}

/* An encoded-word at in (which starts with "=?")? Fills w and returns 1. */
static int parse_word(const char *in, size_t n, struct word *w)
{
	size_t i = 2, star = 0;

	while (i < n && word_char((unsigned char)in[i])) {
		if (in[i] == '*' && !star)
			star = i;
		i++;
	}
	w->cs = in + 2;
	w->cslen = (star ? star : i) - 2;
	if (w->cslen == 0 || w->cslen > CHARSET_NAME_MAX || i + 3 > n || in[i] != '?')
		return 0;
	w->enc = (char)(in[i + 1] & ~0x20);
	if ((w->enc != 'B' && w->enc != 'Q') || in[i + 2] != '?')
		return 0;
	i += 3;
	w->text = in + i;
	while (i < n && word_char((unsigned char)in[i]))
		i++;
	if (i + 1 >= n || in[i] != '?' || in[i + 1] != '=')
		return 0;
	w->textlen = (size_t)(in + i - w->text);
	w->len = i + 2;
	return 1;
}

static int only_blanks(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Converts the run to out and empties it. */
static void flush_run(struct run *r, const char *in, struct buf *out)
{
	if (!r->cs)
		return;
	if (charset_to_utf8(out, r->cs, r->cslen, r->bytes.p ? r->bytes.p : "", r->bytes.len) == -1)
		buf_add(out, in + r->start, r->end - r->start);   /* unknown charset: as written */
	buf_reset(&r->bytes);
	r->cs = NULL;
}

/* Raw header text: UTF-8 if it is, else the fallback charset. */
static void add_raw(struct buf *out, const char *s, size_t n, const char *fallback)
{
	if (n == 0)
		return;
	if (utf8_valid(s, n)) {
		buf_add(out, s, n);
		return;
	}
	if (charset_to_utf8(out, fallback, strlen(fallback), s, n) == -1)
		utf8_repair(out, s, n);
}

/* Decodes word w (at input offset pos) into the run, starting a new run
 * when the charset changes. A damaged word ends the run with a U+FFFD.
 * tmp has room for the word's text (neither decoding grows). */
static void add_word(struct run *r, const struct word *w, const char *in, size_t pos,
                     unsigned char *tmp, struct buf *out)
{
	size_t n;
	int damaged = 0;

	if (r->cs && (r->cslen != w->cslen || strncasecmp(r->cs, w->cs, w->cslen)))
		flush_run(r, in, out);
	if (!r->cs) {
		r->cs = w->cs;
		r->cslen = w->cslen;
		r->start = pos;
	}
	r->end = pos + w->len;
	if (w->enc == 'B')
		n = b64_decode(w->text, w->textlen, tmp, &damaged);
	else
		n = q_decode(w->text, w->textlen, tmp, &damaged);
	buf_add(&r->bytes, tmp, n);
	if (damaged) {
		flush_run(r, in, out);
		buf_adds(out, UTF8_REPLACEMENT);
	}
}

/* The decoded text, made fit for display: folds undone (a line break
 * before a blank goes), tabs and other line breaks become spaces, the
 * remaining C0 and C1 controls and DEL U+FFFD. */
static char *finish(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, 3 * n + 1);
	size_t i = 0, o = 0;

	if (!p)
		return NULL;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' || c == '\n') {
			size_t j = i;

			while (j < n && (s[j] == '\r' || s[j] == '\n'))
				j++;
			if (j < n && s[j] != ' ' && s[j] != '\t' && o > 0)
				p[o++] = ' ';
			i = j;
		} else if (c == '\t') {
			p[o++] = ' ';
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(p + o, UTF8_REPLACEMENT, 3);
			o += 3;
			i++;
		} else if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0) {
			memcpy(p + o, UTF8_REPLACEMENT, 3);   /* U+0080-U+009F */
			o += 3;
			i += 2;
		} else {
			p[o++] = (char)c;
			i++;
		}
	}
	p[o] = '\0';
	return p;
}

char *rfc2047_decode(struct arena *a, const char *in, size_t n, const char *fallback)
{
	struct run r = { NULL, 0, 0, 0, BUF_INIT };
	struct buf out = BUF_INIT;
	unsigned char *tmp = arena_alloc(a, n + 1);
	size_t i = 0, text = 0;
	char *res = NULL;

	if (!tmp)
		return NULL;
	if (!fallback)
		fallback = "windows-1252";
	while (i < n) {
		struct word w;

		if (in[i] != '=' || i + 1 >= n || in[i + 1] != '?' || !parse_word(in + i, n - i, &w)) {
			i++;
			continue;
		}
		/* Blanks between two encoded-words are not text (RFC 2047 §6.2). */
		if (!r.cs || !only_blanks(in + text, i - text)) {
			flush_run(&r, in, &out);
			add_raw(&out, in + text, i - text, fallback);
		}
		add_word(&r, &w, in, i, tmp, &out);
		i += w.len;
		text = i;
	}
	flush_run(&r, in, &out);
	add_raw(&out, in + text, n - text, fallback);
	if (!buf_failed(&out) && !buf_failed(&r.bytes))
		res = finish(a, out.p ? out.p : "", out.len);
	buf_free(&out);
	buf_free(&r.bytes);
	return res;
}
