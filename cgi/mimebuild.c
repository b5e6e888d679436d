/* mimebuild: a whole message from what compose gathered (see mimebuild.h).
 * Everything the caller gives is checked first (check_*), and only then is
 * a byte written (write_*): a refused value never reaches the buffer. */
#include "config.h"

#include "mimebuild.h"

#include "arena.h"
#include "buf.h"
#include "encode.h"
#include "file.h"
#include "hdrwrite.h"
#include "mb_int.h"
#include "mime.h"
#include "rand.h"
#include "utf8.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define USER_AGENT_MAX 200
#define TYPE_MAX 127
#define FALLBACK_MAX 60           /* the ASCII filename="..." */
#define RFC2231_PIECE 56          /* characters of a filename*N* piece: lines within 78 */
#define BOUNDARY_TRIES 8

struct part {                     /* an attachment, checked */
	const char *name;             /* UTF-8, no directories */
	const char *type;             /* lower case type/subtype */
	const char *data;
	size_t len;
	enum mb_cte cte;
	struct buf lines;             /* message/rfc822 sent as it is: its CRLF lines */
};

struct build {
	struct arena *a;
	const struct mb_msg *m;
	struct mb_err *e;
	size_t max;
	struct buf text;              /* the body's lines */
	enum mb_cte text_cte;
	struct part *parts;
	char boundary[40];
	const char *message_id;
};

static int fail(struct build *b, enum mb_errc code, const char *field, size_t index)
{
	if (b->e) {
		b->e->code = code;
		b->e->field = field;
		b->e->index = index;
	}
	return -1;
}

/* ---------------------------------------------------------------- checks */

/* UTF-8 text for a header: no control character (C0, DEL, C1), at most max
 * bytes; ascii: printable ASCII only. */
static enum mb_errc check_text(const char *s, size_t max, int ascii)
{
	size_t i = 0, n = strlen(s);

	while (i < n) {
		unsigned long cp;
		size_t len = utf8_decode_one((const unsigned char *)s + i, n - i, &cp);

		if (!len)
			return MB_ERR_UTF8;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return MB_ERR_CONTROL;
		if (ascii && cp > 0x7e)
			return MB_ERR_INVALID;
		i += len;
	}
	return n > max ? MB_ERR_TOO_LONG : MB_OK;
}

static enum mb_errc from_addrlist(enum addrlist_err rc)
{
	switch (rc) {
	case ADDRLIST_OK:
		return MB_OK;
	case ADDRLIST_ERR_CONTROL:
		return MB_ERR_CONTROL;
	case ADDRLIST_ERR_UTF8:
		return MB_ERR_UTF8;
	case ADDRLIST_ERR_TOO_LONG:
		return MB_ERR_TOO_LONG;
	default:
		return MB_ERR_INVALID;
	}
}

static int check_list(struct build *b, const struct addrlist *l, const char *field)
{
	size_t i;

	if (l->n > ADDRLIST_MAX)
		return fail(b, MB_ERR_TOO_LONG, field, 0);
	for (i = 0; i < l->n; i++) {
		enum mb_errc rc = from_addrlist(addrlist_check(&l->v[i]));

		if (rc)
			return fail(b, rc, field, i + 1);
	}
	return 0;
}

/* Message-ids separated by spaces, at most maxids of them. */
static int check_msgids(struct build *b, const char *s, size_t maxids, const char *field)
{
	size_t ids = 0;
	enum mb_errc rc = check_text(s, (MB_MSGID_MAX + 1) * maxids, 1);

	if (rc)
		return fail(b, rc, field, 0);
	while (*s) {
		size_t len;

		if (*s == ' ') {
			s++;
			continue;
		}
		if (!(len = mb_msgid_len(s)))
			return fail(b, MB_ERR_INVALID, field, 0);
		if (++ids > maxids)
			return fail(b, MB_ERR_TOO_LONG, field, 0);
		s += len;
	}
	return ids ? 0 : fail(b, MB_ERR_INVALID, field, 0);
}

static int check_headers(struct build *b)
{
	const struct mb_msg *m = b->m;
	enum mb_errc rc;

	if (check_list(b, &(struct addrlist){ (struct addr *)&m->from, 1 }, "from")
	    || check_list(b, &m->to, "to") || check_list(b, &m->cc, "cc") || check_list(b, &m->bcc, "bcc"))
		return -1;
	if (m->from.group)
		return fail(b, MB_ERR_INVALID, "from", 1);
	if (m->subject && (rc = check_text(m->subject, MB_SUBJECT_MAX, 0)))
		return fail(b, rc, "subject", 0);
	if (m->user_agent && (rc = check_text(m->user_agent, USER_AGENT_MAX, 1)))
		return fail(b, rc, "user_agent", 0);
	if (m->in_reply_to && *m->in_reply_to && check_msgids(b, m->in_reply_to, MB_REFERENCES_MAX, "in_reply_to"))
		return -1;
	if (m->references && *m->references && check_msgids(b, m->references, MB_REFERENCES_MAX, "references"))
		return -1;
	if (m->message_id && check_msgids(b, m->message_id, 1, "message_id"))
		return -1;
	return 0;
}

static int check_body(struct build *b)
{
	const struct mb_msg *m = b->m;

	if (m->body_len && (!m->body || !utf8_valid(m->body, m->body_len)))
		return fail(b, MB_ERR_UTF8, "body", 0);
	if (m->body_len > b->max)
		return fail(b, MB_ERR_TOO_BIG, "body", 0);
	mb_text_lines(&b->text, m->body ? m->body : "", m->body_len, !!(m->flags & MB_FLOWED));
	if (buf_failed(&b->text))
		return fail(b, MB_ERR_NOMEM, "body", 0);
	b->text_cte = mb_text_cte(b->text.p ? b->text.p : "", b->text.len);
	return 0;
}

/* The part after the last "/" or "\" (a browser may send a whole path). */
static const char *base_name(const char *s)
{
	const char *slash = strrchr(s, '/'), *back = strrchr(s, '\\');

	if (back > slash)
		slash = back;
	return slash ? slash + 1 : s;
}

/* "type/subtype" in lower case when both are tokens, else octet-stream. */
static const char *part_type(struct arena *a, const char *t)
{
	const char *slash = t ? strchr(t, '/') : NULL;
	char type[TYPE_MAX + 1], *c;

	if (!slash || strlen(t) > TYPE_MAX)
		return "application/octet-stream";
	memcpy(type, t, (size_t)(slash - t));
	type[slash - t] = 0;
	if (!mime_is_token(type) || !mime_is_token(slash + 1))
		return "application/octet-stream";
	if (!(c = arena_strdup(a, t)))
		return NULL;
	for (t = c; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c + 32);
	return t;
}

static int load_part(struct build *b, const struct mb_attachment *at, struct part *p, size_t i)
{
	enum mb_errc rc;

	p->name = base_name(at->filename ? at->filename : "");
	if ((rc = check_text(at->filename ? at->filename : "", MB_FILENAME_MAX, 0)))
		return fail(b, rc, "attachment", i);
	if (!*p->name)
		p->name = "attachment";
	if (at->content_type && check_text(at->content_type, 1000, 0) == MB_ERR_CONTROL)
		return fail(b, MB_ERR_CONTROL, "attachment", i);
	if (!(p->type = part_type(b->a, at->content_type)))
		return fail(b, MB_ERR_NOMEM, "attachment", i);
	p->data = at->data, p->len = at->len;
	if (!at->data) {
		struct buf f = BUF_INIT;

		if (!at->path || file_read(at->path, b->max, &f))
			return buf_free(&f), fail(b, errno == EFBIG ? MB_ERR_TOO_BIG : MB_ERR_IO, "attachment", i);
		p->data = arena_alloc(b->a, f.len + 1);
		if (p->data)
			memcpy((char *)p->data, f.p ? f.p : "", f.len);
		p->len = f.len;
		buf_free(&f);
		if (!p->data)
			return fail(b, MB_ERR_NOMEM, "attachment", i);
	}
	if (p->len > b->max)
		return fail(b, MB_ERR_TOO_BIG, "attachment", i);
	p->cte = strcmp(p->type, "message/rfc822") ? MB_BASE64 : mb_message_lines(&p->lines, p->data, p->len);
	return buf_failed(&p->lines) ? fail(b, MB_ERR_NOMEM, "attachment", i) : 0;
}

static int check_parts(struct build *b)
{
	size_t i;

	if (b->m->natt > MB_ATTACHMENTS_MAX)
		return fail(b, MB_ERR_TOO_LONG, "attachment", 0);
	if (!b->m->natt)
		return 0;
	if (!(b->parts = arena_alloc(b->a, b->m->natt * sizeof(*b->parts))))
		return fail(b, MB_ERR_NOMEM, "attachment", 0);
	for (i = 0; i < b->m->natt; i++)
		if (load_part(b, &b->m->att[i], &b->parts[i], i + 1))
			return -1;
	return 0;
}

/* ---------------------------------------------------------------- random */

/* A boundary that none of the parts sent as they are holds ("=_" cannot
 * occur in base64 or quoted-printable). */
static int make_boundary(struct build *b)
{
	int tries;

	for (tries = 0; tries < BOUNDARY_TRIES; tries++) {
		char hex[33];
		size_t i;
		int clash = 0;

		if (rand_hex(hex, 16))
			return fail(b, MB_ERR_IO, "boundary", 0);
		snprintf(b->boundary, sizeof(b->boundary), "=_qa_%s", hex);
		if (b->text_cte != MB_QP && b->text.len && memmem(b->text.p, b->text.len, b->boundary, strlen(b->boundary)))
			clash = 1;
		for (i = 0; i < b->m->natt && !clash; i++)
			clash = b->parts[i].cte != MB_BASE64 && b->parts[i].lines.len
			        && memmem(b->parts[i].lines.p, b->parts[i].lines.len, b->boundary, strlen(b->boundary));
		if (!clash)
			return 0;
	}
	return fail(b, MB_ERR_IO, "boundary", 0);
}

static int make_message_id(struct build *b)
{
	char hex[33];

	if (b->m->message_id) {
		b->message_id = b->m->message_id;
		return 0;
	}
	if (rand_hex(hex, 16))
		return fail(b, MB_ERR_IO, "message_id", 0);
	b->message_id = arena_printf(b->a, "<%s@%s>", hex, b->m->from.domain);
	return b->message_id ? 0 : fail(b, MB_ERR_NOMEM, "message_id", 0);
}

/* ---------------------------------------------------------------- writing */

static void write_date(struct buf *out, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	long off;

	if (!t)
		t = time(NULL);
	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	buf_printf(out, "Date: %s, %d %s %d %02d:%02d:%02d %c%02ld%02ld\r\n", days[tm.tm_wday], tm.tm_mday,
	           months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
	           (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
}

static void write_list(struct buf *out, const char *name, const struct addrlist *l)
{
	struct hdrw w;

	if (!l->n)
		return;
	hdrw_begin(&w, out, name, 0);
	addrlist_write(&w, l);
	hdrw_end(&w);
}

/* Words split at single spaces, folded between them. */
static void write_words(struct hdrw *w, const char *s)
{
	while (*s) {
		size_t len = strcspn(s, " ");

		hdrw_word(w, s, len, 1);
		s += len + (s[len] == ' ');
	}
}

/* As it is when it is printable ASCII of single-spaced words that fit a
 * line, else RFC 2047 words (which keep every space). */
static int subject_plain(const char *s)
{
	size_t n = strlen(s), word = 0, i;

	if (!hdr_plain(s, n) || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] != ' ' ? ++word > 66 : s[i + 1] == ' ')
			return 0;
		if (s[i] == ' ')
			word = 0;
	}
	return 1;
}

static void write_subject(struct buf *out, const char *s)
{
	struct hdrw w;

	if (!s || !*s)
		return;
	hdrw_begin(&w, out, "Subject", 0);
	if (subject_plain(s))
		write_words(&w, s);
	else
		hdrw_encoded(&w, s, strlen(s));
	hdrw_end(&w);
}

static void write_field(struct buf *out, const char *name, const char *value)
{
	struct hdrw w;

	if (!value || !*value)
		return;
	hdrw_begin(&w, out, name, 0);
	write_words(&w, value);
	hdrw_end(&w);
}

static void write_headers(struct build *b, struct buf *out)
{
	const struct mb_msg *m = b->m;
	struct addrlist from = { (struct addr *)&m->from, 1 };

	write_date(out, m->date);
	write_list(out, "From", &from);
	write_list(out, "To", &m->to);
	write_list(out, "Cc", &m->cc);
	if (m->flags & MB_DRAFT)
		write_list(out, "Bcc", &m->bcc);
	write_subject(out, m->subject);
	write_field(out, "Message-ID", b->message_id);
	write_field(out, "In-Reply-To", m->in_reply_to);
	write_field(out, "References", m->references);
	write_field(out, "User-Agent", m->user_agent);
	buf_adds(out, "MIME-Version: 1.0\r\n");
}

static void write_text_part(struct build *b, struct buf *out)
{
	buf_printf(out, "Content-Type: text/plain; charset=utf-8%s\r\n",
	           b->m->flags & MB_FLOWED ? "; format=flowed" : "");
	buf_printf(out, "Content-Transfer-Encoding: %s\r\n\r\n", mb_cte_name(b->text_cte));
	if (b->text_cte == MB_QP)
		encode_qp(out, b->text.p ? b->text.p : "", b->text.len);
	else
		buf_add(out, b->text.p ? b->text.p : "", b->text.len);
}

/* filename="..." for old readers: ASCII, each other character, quote and
 * backslash a "_", cut to FALLBACK_MAX keeping a short extension. */
static void add_fallback(struct buf *out, const char *name)
{
	struct buf f = BUF_INIT;
	const char *ext;
	size_t extlen = 0;

	for (; *name; name++) {
		unsigned char c = (unsigned char)*name;

		if (c >= 0x80 && (c & 0xc0) == 0x80)
			continue;
		buf_addc(&f, c >= 0x80 || c == '"' || c == '\\' ? '_' : (char)c);
	}
	ext = f.len ? memrchr(f.p, '.', f.len) : NULL;
	if (ext && (size_t)(f.p + f.len - ext) <= 10)
		extlen = (size_t)(f.p + f.len - ext);
	buf_adds(out, "filename=\"");
	if (f.len > FALLBACK_MAX) {
		buf_add(out, f.p, FALLBACK_MAX - extlen);
		buf_add(out, f.p + f.len - extlen, extlen);
	} else {
		buf_add(out, f.p ? f.p : "", f.len);
	}
	buf_addc(out, '"');
	buf_free(&f);
}

/* RFC 2231 attr-char: what filename* holds as it is. */
static int attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	       || (c && strchr("!#$&+-.^_`|~", c));
}

/* filename*=UTF-8''... in pieces of RFC2231_PIECE characters, each on its
 * own line, never splitting a "%XX" or a character. */
static void add_rfc2231(struct buf *out, const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	struct buf piece = BUF_INIT;
	size_t n = strlen(name), i = 0, num = 0, total = 0;

	for (i = 0; i < n; i++)
		total += attr_char(s[i]) ? 1 : 3;
	for (i = 0; i < n || !num;) {
		buf_reset(&piece);
		while (i < n) {
			size_t clen = 1, enc = 0, k;

			while (i + clen < n && clen < 4 && (s[i + clen] & 0xc0) == 0x80)
				clen++;
			for (k = 0; k < clen; k++)
				enc += attr_char(s[i + k]) ? 1 : 3;
			if (piece.len && piece.len + enc > RFC2231_PIECE)
				break;
			for (k = 0; k < clen; k++, i++)
				if (attr_char(s[i]))
					buf_addc(&piece, (char)s[i]);
				else
					buf_printf(&piece, "%%%02X", s[i]);
		}
		if (total <= RFC2231_PIECE)
			buf_printf(out, ";\r\n filename*=UTF-8''%s", piece.p ? piece.p : "");
		else
			buf_printf(out, ";\r\n filename*%zu*=%s%s", num, num ? "" : "UTF-8''", piece.p ? piece.p : "");
		num++;
	}
	buf_free(&piece);
}

static int plain_name(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '"' || *s == '\\')
			return 0;
	return 1;
}

static void write_attachment(struct buf *out, const struct part *p)
{
	buf_printf(out, "Content-Type: %s\r\n", p->type);
	buf_printf(out, "Content-Transfer-Encoding: %s\r\n", mb_cte_name(p->cte));
	/* RFC 2231 first: a reader that knows it takes the first "filename"
	 * (Python's email does); an old one finds the ASCII fallback. */
	buf_adds(out, "Content-Disposition: attachment");
	if (!plain_name(p->name) || strlen(p->name) > FALLBACK_MAX)
		add_rfc2231(out, p->name);
	buf_adds(out, ";\r\n ");
	add_fallback(out, p->name);
	buf_adds(out, "\r\n\r\n");
	if (p->cte == MB_BASE64)
		encode_base64(out, p->data, p->len, ENCODE_LINE);
	else
		buf_add(out, p->lines.p ? p->lines.p : "", p->lines.len);
}

static void write_body(struct build *b, struct buf *out)
{
	size_t i;

	if (!b->m->natt) {
		write_text_part(b, out);
		return;
	}
	buf_printf(out, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n", b->boundary);
	buf_printf(out, "--%s\r\n", b->boundary);
	write_text_part(b, out);
	for (i = 0; i < b->m->natt; i++) {
		/* The CRLF before "--" belongs to the boundary: the part's own
		 * last line end stays its own. */
		buf_printf(out, "\r\n--%s\r\n", b->boundary);
		write_attachment(out, &b->parts[i]);
	}
	buf_printf(out, "\r\n--%s--\r\n", b->boundary);
}

/* ---------------------------------------------------------------- entry */

static int add_rcpts(struct build *b, const struct addrlist *l, struct mb_result *res)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		const char *spec = addrlist_addr_spec(b->a, &l->v[i]);

		if (!spec)
			return fail(b, MB_ERR_NOMEM, "to", 0);
		for (j = 0; j < res->nrcpts && strcmp(res->rcpts[j], spec); j++)
			;
		if (j == res->nrcpts)
			res->rcpts[res->nrcpts++] = spec;
	}
	return 0;
}

static int rcpts(struct build *b, struct mb_result *res)
{
	const struct mb_msg *m = b->m;

	res->nrcpts = 0;
	res->rcpts = arena_alloc(b->a, (m->to.n + m->cc.n + m->bcc.n + 1) * sizeof(*res->rcpts));
	if (!res->rcpts)
		return fail(b, MB_ERR_NOMEM, "to", 0);
	return add_rcpts(b, &m->to, res) || add_rcpts(b, &m->cc, res) || add_rcpts(b, &m->bcc, res);
}

static void build_free(struct build *b)
{
	size_t i;

	buf_free(&b->text);
	for (i = 0; b->parts && i < b->m->natt; i++)
		buf_free(&b->parts[i].lines);
}

static int build(struct build *b, struct buf *out, struct mb_result *res)
{
	size_t cap = out->max;

	if (check_headers(b) || check_body(b) || check_parts(b) || (b->m->natt && make_boundary(b))
	    || make_message_id(b) || rcpts(b, res))
		return -1;
	buf_reset(out);
	out->failed = 0;
	out->max = cap && cap < b->max ? cap : b->max;
	write_headers(b, out);
	write_body(b, out);
	out->max = cap;
	/* Past the limit, as a rule: a failed allocation is as good as one. */
	if (buf_failed(out)) {
		buf_reset(out);
		return fail(b, MB_ERR_TOO_BIG, "message", 0);
	}
	res->message_id = b->message_id;
	return 0;
}

int mb_build(struct arena *a, const struct mb_msg *m, struct buf *out, struct mb_result *res, struct mb_err *e)
{
	struct build b;
	int rc;

	memset(&b, 0, sizeof(b));
	memset(res, 0, sizeof(*res));
	if (e)
		memset(e, 0, sizeof(*e));
	b.a = a;
	b.m = m;
	b.e = e;
	b.max = m->max_size ? m->max_size : MB_DEFAULT_MAX;
	rc = build(&b, out, res);
	build_free(&b);
	return rc;
}

static const char *const err_names[MB_ERR__COUNT] = {
	[MB_OK] = "ok",
	[MB_ERR_CONTROL] = "control",
	[MB_ERR_UTF8] = "utf8",
	[MB_ERR_INVALID] = "invalid",
	[MB_ERR_TOO_LONG] = "too_long",
	[MB_ERR_TOO_BIG] = "too_big",
	[MB_ERR_IO] = "io",
	[MB_ERR_NOMEM] = "nomem",
};

const char *mb_err_name(enum mb_errc code)
{
	return (unsigned)code < MB_ERR__COUNT ? err_names[code] : "unknown";
}
