/* libFuzzer: the message builder (cgi/mimebuild.c and its helpers) with
 * hostile field values and attachment bytes. The input is a flags byte,
 * then length-prefixed fields (one byte of length each): subject, From's
 * name, a typed To list, In-Reply-To (given to mb_references() too), an
 * attachment's name and type, the body; the rest is the attachment (or,
 * with the flags' high bit, the body, which may then be long).
 * Invariants of a refusal: nothing written, a known code and field. Of a
 * built message: CRLF line ends only, no line over 998 bytes, a header
 * section whose every line is a continuation or one header we write, each
 * once (no Bcc unless a draft), the boundary exactly where it belongs; and
 * read back through our own reader's decoders: the Subject through
 * rfc2047_decode(), the text through qp_decode(), the attachment through
 * b64_decode() and its name through mime_param() (RFC 2231), all equal
 * to what went in. */
#include "config.h"

#include "addrlist.h"
#include "arena.h"
#include "buf.h"
#include "decode.h"
#include "imap_parse.h"
#include "mimebuild.h"
#include "rfc2047.h"
#include "rfc2231.h"

#include <stdint.h>
#include <string.h>

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static const char *const names[] = {
	"Date", "From", "To", "Cc", "Bcc", "Subject", "Message-ID", "In-Reply-To", "References",
	"User-Agent", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
};

/* Field n of the input as a C string in a (NULL past the end). */
static const char *field(struct arena *a, const uint8_t **p, const uint8_t *end, size_t *len)
{
	size_t n;
	const char *s;

	if (*p >= end)
		return NULL;
	n = **p;
	(*p)++;
	if (n > (size_t)(end - *p))
		n = (size_t)(end - *p);
	s = arena_strndup(a, (const char *)*p, n);
	*p += n;
	if (len)
		*len = n;
	return s;
}

/* CRLF only, lines <= 998. */
static void check_lines(const char *s, size_t n)
{
	size_t i, line = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r') {
			CHECK(i + 1 < n && s[i + 1] == '\n');
			i++;
			line = 0;
			continue;
		}
		CHECK(s[i] != '\n' && ++line <= 998);
	}
	CHECK(n >= 2 && s[n - 2] == '\r' && s[n - 1] == '\n');
}

/* Every header line is a continuation or one of ours, each at most once. */
static void check_headers(const char *s, size_t n, int draft)
{
	int seen[sizeof(names) / sizeof(names[0])] = { 0 };
	const char *end = s + n;

	while (s < end) {
		const char *eol = strstr(s, "\r\n");
		size_t i;

		CHECK(eol && eol <= end);
		if (*s != ' ') {
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (!strncmp(s, names[i], strlen(names[i])) && s[strlen(names[i])] == ':')
					break;
			CHECK(i < sizeof(names) / sizeof(names[0]) && !seen[i]++);
			CHECK(strcmp(names[i], "Bcc") || draft);
		}
		s = eol + 2;
	}
}

/* A header's value, unfolded. */
static char *header(struct arena *a, const char *head, const char *name)
{
	const char *s = strstr(head, name), *e;
	struct buf b = BUF_INIT;
	char *r;

	if (!s)
		return NULL;
	s += strlen(name);
	for (e = s; !(e[0] == '\r' && e[1] == '\n' && e[2] != ' '); e++)
		;
	for (; s < e; s++)
		if (*s != '\r' && *s != '\n')
			buf_addc(&b, *s);
	r = arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return r;
}

/* The Content-Disposition parameters as the IMAP parser would give them. */
static struct imap_param *disposition_params(struct arena *a, const char *v)
{
	struct imap_param *head = NULL, **tail = &head;

	while ((v = strchr(v, ';'))) {
		struct imap_param *p = arena_alloc(a, sizeof(*p));
		const char *eq;

		v++;
		while (*v == ' ')
			v++;
		eq = strchr(v, '=');
		CHECK(p && eq);
		p->name = arena_strndup(a, v, (size_t)(eq - v));
		if (eq[1] == '"') {
			const char *q = strchr(eq + 2, '"');

			CHECK(q);
			p->value = arena_strndup(a, eq + 2, (size_t)(q - eq - 2));
			v = q + 1;
		} else {
			size_t len = strcspn(eq + 1, ";");

			p->value = arena_strndup(a, eq + 1, len);
			v = eq + 1 + len;
		}
		*tail = p;
		tail = &p->next;
	}
	return head;
}

static void check_attachment(struct arena *a, const char *msg, const char *bnd, const struct mb_attachment *at)
{
	char *delim = arena_printf(a, "\r\n--%s\r\n", bnd), *part, *body, *end, *cd, *want;
	const char *slash, *name;
	unsigned char *dec;
	size_t n;

	part = strstr(strstr(msg, delim) + 1, delim);   /* the second part */
	CHECK(part);
	part += strlen(delim);
	body = strstr(part, "\r\n\r\n");
	end = strstr(part, arena_printf(a, "\r\n--%s--\r\n", bnd));
	CHECK(body && end && body < end);
	*body = 0;
	cd = header(a, arena_printf(a, "\r\n%s\r\n", part), "\r\nContent-Disposition:");
	CHECK(cd);
	name = at->filename ? at->filename : "";
	slash = strrchr(name, '/');
	if (strrchr(name, '\\') > slash)
		slash = strrchr(name, '\\');
	want = arena_strdup(a, slash ? slash + 1 : name);
	if (!*want)
		want = "attachment";
	CHECK(!strcmp(mime_param(a, disposition_params(a, cd), "filename"), want));
	body += 4;
	if (strstr(part, "Content-Transfer-Encoding: base64")) {
		dec = arena_alloc(a, B64_OUT_MAX((size_t)(end - body)));
		n = b64_decode(body, (size_t)(end - body), dec, NULL);
		CHECK(n == at->len && !memcmp(dec, at->data, n));
	} else {
		CHECK(strstr(part, "Content-Type: message/rfc822"));
	}
}

static void check_message(struct arena *a, const struct buf *out, const struct mb_msg *m)
{
	const char *msg = out->p, *sep = strstr(msg, "\r\n\r\n"), *v, *bnd = NULL;
	char *head;

	check_lines(msg, out->len);
	CHECK(sep);
	head = arena_strndup(a, msg, (size_t)(sep - msg) + 2);
	check_headers(head, strlen(head), m->flags & MB_DRAFT);
	head = arena_printf(a, "\r\n%s", head);
	if (m->subject && *m->subject) {
		CHECK((v = header(a, head, "\r\nSubject: ")));
		CHECK(!strcmp(rfc2047_decode(a, v, strlen(v), NULL), m->subject));
	}
	v = header(a, head, "\r\nContent-Type: ");
	CHECK(v);
	if (!strncmp(v, "multipart/mixed; boundary=\"", 27)) {
		size_t count = 0;
		const char *s = msg;

		bnd = arena_strndup(a, v + 27, strcspn(v + 27, "\""));
		while ((s = strstr(s, bnd)))
			count++, s++;
		CHECK(count == 1 + 1 + m->natt + 1);
		check_attachment(a, msg, bnd, &m->att[0]);
	}
	if (!bnd && !(m->flags & MB_FLOWED)) {
		/* The whole text, decoded, is the body with CRLF line ends. */
		struct buf want = BUF_INIT;
		const char *body = sep + 4;
		unsigned char *dec = arena_alloc(a, strlen(body) + 1);
		size_t n, i;

		for (i = 0; i < m->body_len; i++) {
			if (m->body[i] == '\n' && !(i && m->body[i - 1] == '\r'))
				buf_addc(&want, '\r');
			buf_addc(&want, m->body[i]);
		}
		if (want.len && want.p[want.len - 1] != '\n')
			buf_add(&want, "\r\n", 2);
		if (strstr(head, "quoted-printable"))
			n = qp_decode(body, strlen(body), dec, NULL);
		else
			memcpy(dec, body, n = strlen(body));
		CHECK(n == want.len && (!n || !memcmp(dec, want.p, n)));
		buf_free(&want);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	const uint8_t *p = data, *end = data + size;
	struct mb_attachment at;
	struct mb_msg m;
	struct mb_result res;
	struct mb_err e;
	struct buf out = BUF_INIT;
	const char *to, *irt, *refs;
	size_t tolen;
	struct addrlist_error ae;

	if (size < 1)
		return 0;
	if (!a)
		a = arena_new(256u << 20);
	memset(&m, 0, sizeof(m));
	memset(&at, 0, sizeof(at));
	m.flags = *p++ & (MB_FLOWED | MB_DRAFT);
	m.from.name = field(a, &p, end, NULL);
	m.from.local = "lars";
	m.from.domain = "emak.se";
	m.subject = field(a, &p, end, NULL);
	to = field(a, &p, end, &tolen);
	if (!m.from.name || !to || addrlist_parse(a, to, tolen, 0, &m.to, &ae)) {
		arena_reset(a);
		return 0;
	}
	m.bcc = m.to;
	irt = field(a, &p, end, NULL);
	refs = mb_references(a, irt, irt, "<parent@emak.se>");
	m.references = refs;
	at.filename = field(a, &p, end, NULL);
	at.content_type = field(a, &p, end, NULL);
	if (data[0] & 0x80) {             /* the rest is the body: long lines */
		m.body = (const char *)p;
		m.body_len = (size_t)(end - p);
	} else if ((m.body = field(a, &p, end, &m.body_len)) && at.filename && p < end) {
		at.data = (const char *)p;
		at.len = (size_t)(end - p);
		m.att = &at;
		m.natt = 1;
	}
	m.date = 1700000000;
	m.max_size = 1u << 20;
	if (mb_build(a, &m, &out, &res, &e)) {
		CHECK(out.len == 0 && e.code > MB_OK && e.code < MB_ERR__COUNT && e.field);
		CHECK(strcmp(e.field, "references"));   /* mb_references() makes only good ones */
	} else {
		check_message(a, &out, &m);
		CHECK(res.nrcpts <= m.to.n);
	}
	mb_quote_body(a, m.body ? arena_strndup(a, m.body, m.body_len) : NULL, m.subject);
	mb_reply_subject(a, "Re: ", m.subject);
	buf_free(&out);
	arena_reset(a);
	return 0;
}
