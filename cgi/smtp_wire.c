/* smtp_wire: SMTP replies in, the message out (see smtp_wire.h). */
#include "config.h"

#include "smtp_wire.h"

#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- replies */

void smtp_reader_init(struct smtp_reader *rd)
{
	memset(rd, 0, sizeof(*rd));
}

static void reply_reset(struct smtp_reply *r)
{
	r->code = 0;
	r->nlines = 0;
	r->len = 0;
	r->text[0] = '\0';
	r->truncated = 0;
}

/* Appends a line's text, joined to the previous line by '\n'. */
static void add_text(struct smtp_reply *r, const char *s, size_t n)
{
	size_t i;

	if (r->nlines) {
		if (r->len + 1 >= sizeof(r->text)) {
			r->truncated = 1;
			return;
		}
		r->text[r->len++] = '\n';
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (r->len + 1 >= sizeof(r->text)) {
			r->truncated = 1;
			break;
		}
		r->text[r->len++] = c == '\t' ? ' ' : c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	r->text[r->len] = '\0';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One line without its LF: 1 when it is the reply's last, 0 when more
 * follow, or an error. Reply-line (RFC 5321 4.2): Reply-code ["-" / SP]
 * text; a lone "NNN" ends the reply too. */
static int take_line(struct smtp_reader *rd)
{
	const char *l = rd->line;
	size_t n = rd->len;
	struct smtp_reply *r = &rd->reply;
	int code;

	if (n && l[n - 1] == '\r')
		n--;
	if (n < 3 || l[0] < '2' || l[0] > '5' || !is_digit(l[1]) || !is_digit(l[2]))
		return SMTP_READ_SYNTAX;
	if (n > 3 && l[3] != '-' && l[3] != ' ')
		return SMTP_READ_SYNTAX;
	code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	if (r->nlines && code != r->code)
		return SMTP_READ_SYNTAX;
	if (r->nlines >= SMTP_REPLY_LINES_MAX)
		return SMTP_READ_TOO_MANY;
	r->code = code;
	add_text(r, l + 4, n > 4 ? n - 4 : 0);
	r->nlines++;
	return n == 3 || l[3] == ' ';
}

int smtp_reader_feed(struct smtp_reader *rd, const char *p, size_t n, size_t *used)
{
	size_t i;

	if (rd->done) {
		rd->done = 0;
		reply_reset(&rd->reply);
	}
	for (i = 0; i < n; i++) {
		int rc;

		if (p[i] != '\n') {
			/* Room for the LF too: a line is at most SMTP_LINE_MAX bytes. */
			if (rd->len + 1 >= SMTP_LINE_MAX)
				return SMTP_READ_TOO_LONG;
			rd->line[rd->len++] = p[i];
			continue;
		}
		rc = take_line(rd);
		rd->len = 0;
		if (rc < 0)
			return rc;
		if (rc == 1) {
			rd->done = 1;
			*used = i + 1;
			return SMTP_READ_DONE;
		}
	}
	*used = n;
	return SMTP_READ_MORE;
}

void smtp_reply_excerpt(const struct smtp_reply *r, char *out, size_t size)
{
	const char *nl = memchr(r->text, '\n', r->len);
	size_t n = nl ? (size_t)(nl - r->text) : r->len, cut;

	if (!size)
		return;
	if (n < size) {
		memcpy(out, r->text, n);
		out[n] = '\0';
		return;
	}
	/* Too long: up to the last space that leaves room for " ...". */
	cut = size > 5 ? size - 5 : 0;
	while (cut > 0 && r->text[cut] != ' ')
		cut--;
	if (cut == 0)
		cut = size > 5 ? size - 5 : 0;
	memcpy(out, r->text, cut);
	if (size > 5) {
		memcpy(out + cut, " ...", 4);
		cut += 4;
	}
	out[cut] = '\0';
}

/* n digits (1 to 3) at s; their count, or 0. */
static size_t digits(const char *s, size_t max)
{
	size_t i = 0;

	while (i < max && i < 4 && is_digit(s[i]))
		i++;
	return i >= 1 && i <= 3 ? i : 0;
}

void smtp_reply_status(const struct smtp_reply *r, char out[12])
{
	const char *s = r->text;
	size_t n = r->len, i, k;

	out[0] = '\0';
	if (n < 5 || s[0] != (char)('0' + r->code / 100) || s[1] != '.')
		return;
	i = 2;
	if (!(k = digits(s + i, n - i)) || i + k >= n || s[i + k] != '.')
		return;
	i += k + 1;
	if (!(k = digits(s + i, n - i)))
		return;
	i += k;
	if (i < n && s[i] != ' ' && s[i] != '\n')
		return;
	memcpy(out, s, i);
	out[i] = '\0';
}

/* ---------------------------------------------------------------- EHLO */

/* Does the space-separated list s[0..n) hold word (any case)? */
static int has_word(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word), i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && s[j] != ' ')
			j++;
		if (j - i == wl && !strncasecmp(s + i, word, wl))
			return 1;
		i = j + 1;
	}
	return 0;
}

static unsigned long long parse_size(const char *s, size_t n)
{
	unsigned long long v = 0;
	size_t i;

	for (i = 0; i < n && is_digit(s[i]); i++) {
		if (v > (~0ULL - 9) / 10)
			return 0;                   /* absurd: as if unlimited */
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v;
}

static unsigned ehlo_line(const char *s, size_t n, unsigned long long *size_max)
{
	static const struct {
		const char *kw;
		unsigned bit;
	} simple[] = {
		{ "STARTTLS", SMTP_CAP_STARTTLS }, { "8BITMIME", SMTP_CAP_8BITMIME },
		{ "PIPELINING", SMTP_CAP_PIPELINING }, { "ENHANCEDSTATUSCODES", SMTP_CAP_ENHANCED },
	};
	size_t kl = 0, i;

	while (kl < n && s[kl] != ' ' && s[kl] != '=')
		kl++;
	for (i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (kl == strlen(simple[i].kw) && !strncasecmp(s, simple[i].kw, kl))
			return simple[i].bit;
	if (kl == 4 && !strncasecmp(s, "AUTH", 4)) {
		/* "AUTH PLAIN LOGIN", or the old "AUTH=PLAIN LOGIN" */
		const char *args = kl < n ? s + kl + 1 : s + n;
		size_t an = kl < n ? n - kl - 1 : 0;

		return SMTP_CAP_AUTH | (has_word(args, an, "PLAIN") ? SMTP_CAP_AUTH_PLAIN : 0);
	}
	if (kl == 4 && !strncasecmp(s, "SIZE", 4)) {
		*size_max = kl < n ? parse_size(s + kl + 1, n - kl - 1) : 0;
		return SMTP_CAP_SIZE;
	}
	return 0;
}

unsigned smtp_ehlo_caps(const struct smtp_reply *r, unsigned long long *size_max)
{
	const char *s = r->text, *end = r->text + r->len;
	unsigned caps = 0;

	*size_max = 0;
	s = memchr(s, '\n', r->len);          /* the first line is the greeting */
	while (s && s < end) {
		const char *line = s + 1, *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);

		caps |= ehlo_line(line, n, size_max);
		s = nl;
	}
	return caps;
}

/* ---------------------------------------------------------------- the message */

void smtp_enc_init(struct smtp_enc *e, enum smtp_enc_mode mode)
{
	e->mode = mode;
	e->bol = 1;
	e->cr = 0;
}

static size_t put_eol(const struct smtp_enc *e, char *out)
{
	if (e->mode == SMTP_ENC_LF) {
		out[0] = '\n';
		return 1;
	}
	out[0] = '\r';
	out[1] = '\n';
	return 2;
}

size_t smtp_enc_step(struct smtp_enc *e, const char *in, size_t n, size_t *used,
                     char *out, size_t size)
{
	size_t i, o = 0;

	/* Each input byte makes at most 2 output bytes. */
	for (i = 0; i < n && o + 2 <= size; i++) {
		char c = in[i];

		if (e->cr) {
			e->cr = 0;
			if (c == '\n')
				continue;             /* CRLF: its line end is out already */
		}
		if (c == '\r' || c == '\n') {
			o += put_eol(e, out + o);
			e->bol = 1;
			e->cr = c == '\r';
			continue;
		}
		if (e->bol && c == '.' && e->mode == SMTP_ENC_DATA)
			out[o++] = '.';
		out[o++] = c;
		e->bol = 0;
	}
	*used = i;
	return o;
}

size_t smtp_enc_finish(struct smtp_enc *e, char *out)
{
	size_t o = 0;

	if (!e->bol)
		o += put_eol(e, out);
	e->bol = 1;
	e->cr = 0;
	if (e->mode == SMTP_ENC_DATA) {
		memcpy(out + o, ".\r\n", 3);
		o += 3;
	}
	return o;
}

unsigned long long smtp_enc_size(enum smtp_enc_mode mode, const char *msg, size_t len)
{
	struct smtp_enc e;
	char out[4096];
	unsigned long long total = 0;
	size_t pos = 0, used;

	smtp_enc_init(&e, mode);
	while (pos < len) {
		total += smtp_enc_step(&e, msg + pos, len - pos, &used, out, sizeof(out));
		pos += used;
	}
	return total + smtp_enc_finish(&e, out);
}
