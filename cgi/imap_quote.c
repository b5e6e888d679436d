/* imap_quote: building IMAP commands (see imap_int.h): every string the
 * client sends goes out as a quoted string when it can and as a literal
 * when it cannot (8-bit, CR, LF, long), synchronizing or not as the server
 * allows; mailbox names in modified UTF-7; UID sets from arrays. A command
 * is a list of pieces, so that a synchronizing literal can wait for the
 * server's "+". Nothing here does I/O; imap_run() in imap.c sends. */
#include "config.h"

#include "imap_int.h"

#include "mutf7.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void imap_cmd_begin(struct imap *im, struct imap_cmd *c, const char *verb, int secret)
{
	memset(c, 0, sizeof(*c));
	buf_init(&c->b, im->cfg.lim.max_literal + 65536);
	c->secret = secret;
	if (secret) {
		/* Room up front for a user and a password of 1024 bytes each,
		 * escaped or as literals: no realloc leaves a copy behind. */
		static const char zeros[4608];

		buf_add(&c->b, zeros, sizeof(zeros));
		buf_reset(&c->b);
	}
	im->tagn++;
	snprintf(im->tag, sizeof(im->tag), "a%u", im->tagn);
	buf_printf(&c->b, "%s %s", im->tag, verb);
}

void imap_cmd_text(struct imap_cmd *c, const char *s)
{
	buf_adds(&c->b, s);
}

void imap_cmd_printf(struct imap_cmd *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&c->b, fmt, ap);
	va_end(ap);
}

static void add_piece(struct imap_cmd *c, const char *ext, size_t off, size_t len, int wait)
{
	if (c->npieces == IMAP_CMD_PIECES) {
		c->err = IMAP_ERR_INVALID;
		return;
	}
	c->piece[c->npieces].ext = ext;
	c->piece[c->npieces].off = off;
	c->piece[c->npieces].len = len;
	c->piece[c->npieces].wait = wait;
	c->npieces++;
}

/* The text since the last piece becomes a piece. */
static void end_piece(struct imap_cmd *c, int wait)
{
	add_piece(c, NULL, c->mark, c->b.len - c->mark, wait);
	c->mark = c->b.len;
}

void imap_cmd_wait(struct imap_cmd *c)
{
	buf_adds(&c->b, "\r\n");
	end_piece(c, 1);
}

/* "{n}" CRLF, or "{n+}" CRLF when the server takes it without asking
 * (LITERAL+, or LITERAL- up to 4096 bytes); a synchronizing one ends a
 * piece that waits for "+". */
static void literal_head(struct imap *im, struct imap_cmd *c, size_t n)
{
	uint32_t caps = imap_caps(im);
	int plus = (caps & IMAP_CAP_LITERALPLUS) || ((caps & IMAP_CAP_LITERALMINUS) && n <= 4096);

	buf_printf(&c->b, "{%zu%s}\r\n", n, plus ? "+" : "");
	end_piece(c, !plus);
}

void imap_cmd_literal(struct imap *im, struct imap_cmd *c, const char *data, size_t n)
{
	literal_head(im, c, n);
	if (n)
		add_piece(c, data, 0, n, 0);
}

/* Bytes that may go in a quoted string (IMAP4rev1: 7-bit, no CR, LF, NUL). */
static int quotable(const char *s, size_t n)
{
	size_t i;

	if (n > 1024)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == 0 || ch == '\r' || ch == '\n' || ch >= 0x80)
			return 0;
	}
	return 1;
}

void imap_cmd_string(struct imap *im, struct imap_cmd *c, const char *s, size_t n)
{
	size_t i;

	if (memchr(s, '\0', n)) {
		c->err = IMAP_ERR_INVALID;
		return;
	}
	if (!quotable(s, n)) {
		/* Copied into the command: s may be a temporary. */
		literal_head(im, c, n);
		buf_add(&c->b, s, n);
		return;
	}
	buf_addc(&c->b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_addc(&c->b, '\\');
		buf_addc(&c->b, s[i]);
	}
	buf_addc(&c->b, '"');
}

void imap_cmd_mailbox(struct imap *im, struct imap_cmd *c, const char *name)
{
	char *enc;

	if (!strcasecmp(name, "INBOX")) {
		imap_cmd_text(c, "INBOX");
		return;
	}
	if (!*name || mutf7_encode(im->scratch, name, strlen(name), &enc) < 0) {
		c->err = IMAP_ERR_INVALID;
		return;
	}
	imap_cmd_string(im, c, enc, strlen(enc));
}

void imap_cmd_free(struct imap_cmd *c)
{
	if (c->secret && c->b.p)
		explicit_bzero(c->b.p, c->b.cap);
	buf_free(&c->b);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int imap_cmd_uidset(struct imap_cmd *c, const uint32_t *uids, size_t n)
{
	uint32_t *s;
	size_t i, j;

	if (n == 0 || n > SIZE_MAX / sizeof(*s) || !(s = malloc(n * sizeof(*s))))
		return c->err = n ? IMAP_ERR_NOMEM : IMAP_ERR_INVALID;
	memcpy(s, uids, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_u32);
	if (s[0] == 0) {
		free(s);
		return c->err = IMAP_ERR_INVALID;
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && (s[j] == s[j - 1] || s[j] == s[j - 1] + 1); j++)
			;
		buf_printf(&c->b, "%s%u", i ? "," : "", s[i]);
		if (s[j - 1] != s[i])
			buf_printf(&c->b, ":%u", s[j - 1]);
	}
	free(s);
	return 0;
}

void imap_cmd_end_piece(struct imap_cmd *c)
{
	end_piece(c, 0);
}
