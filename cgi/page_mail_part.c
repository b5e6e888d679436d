/* page_mail_part: /mail/part?f=&uid=&part=SECTION[&inline=1], one part of
 * a message as a download (or shown inline, for images on the list of
 * mime_download.h), and /mail/source?f=&uid=, the whole message as the
 * server keeps it. What the sender wrote never reaches a header unchecked
 * (mime_download.h), and the answer may not run anything even if a
 * browser were to render it: a sandboxing Content-Security-Policy and
 * nosniff (added to every response) go with it. A part too large to hold
 * in one request (WM_PART_MAX, as the server keeps it) is refused with 413
 * before its bytes are fetched. */
#include "config.h"

#include "page.h"

#include "imap.h"
#include "mime.h"
#include "mime_download.h"
#include "request.h"
#include "response.h"
#include "webmail.h"

#include <string.h>

#define CSP_DOWNLOAD "default-src 'none'; sandbox; frame-ancestors 'none'"

static void send_bytes(struct ctx *c, const char *type, const char *disposition,
                       const char *data, size_t len)
{
	struct response *r = c->resp;

	r->content_type = type;
	r->csp = CSP_DOWNLOAD;
	if (resp_header(r, "Content-Disposition", disposition) < 0 || buf_add(&r->body, data, len) < 0) {
		page_error(c, 500);
		return;
	}
	r->status = 200;
}

/* A part (or a message's source) larger than this as the server keeps it
 * is not sent: its FETCH must fit in one IMAP response, and the fetched
 * bytes with what is decoded from them in the request's arena. */
#define WM_PART_MAX (40u << 20)
_Static_assert(WM_PART_MAX + (1u << 20) <= IMAP_RESPONSE_MAX, "a part's FETCH fits a response");
_Static_assert(2ull * WM_PART_MAX + (8u << 20) <= WM_MEM_MAX, "a part and its decoding fit the arena");

/* Opens folder f read-only; *uid from the query. NULL when the page has
 * been answered. */
static struct imap *open_folder(struct ctx *c, uint32_t *uid)
{
	const char *f = wm_folder(req_query(c->req, "f"));
	struct imap *im;
	int rc;

	*uid = wm_uid(req_query(c->req, "uid"));
	if (!f || !*uid) {
		page_error(c, 400);
		return NULL;
	}
	if (!(im = wm_open(c)))
		return NULL;
	if ((rc = imap_select(im, f, 1, NULL)) != IMAP_OK) {
		wm_fail(c, im, rc);
		return NULL;
	}
	return im;
}

/* One FETCH of uid. NULL when the page has been answered (an error, or the
 * message is gone); im is closed then. */
static struct imap_fetch *fetch_one(struct ctx *c, struct imap *im, uint32_t uid,
                                    const struct imap_fetch_spec *spec)
{
	struct imap_fetch *m;
	size_t n = 0;
	int rc = imap_fetch(im, &uid, 1, spec, &m, &n);

	if (rc != IMAP_OK) {
		wm_fail(c, im, rc);
		return NULL;
	}
	if (n == 0) {
		wm_close(im);
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.gone")));
		return NULL;
	}
	return m;
}

static void too_large(struct ctx *c, struct imap *im)
{
	wm_close(im);
	page_error_msg(c, 413, NULL, ctx_text(c, MSG("mail.part_too_large")));
}

/* The part sec of m's structure, or NULL. A single-part message's only
 * part is "1" (RFC 3501 §6.4.5). */
static const struct imap_body *find_part(const struct imap_fetch *m, const char *sec)
{
	const struct imap_body *part = m->body ? imap_body_find(m->body, sec) : NULL;

	if (!part && m->body && !m->body->parts && !strcmp(sec, "1"))
		part = m->body;
	return part;
}

/* First the structure, to find the part and refuse one too large to
 * hold, then the part's bytes. */
void page_mail_part(struct ctx *c)
{
	static const struct imap_fetch_spec head = {
		IMAP_FETCH_BODYSTRUCTURE | IMAP_FETCH_SIZE, NULL, 0, 0, 0
	};
	const char *sec = req_query(c->req, "part"), *want = req_query(c->req, "inline");
	const char *secs[1];
	struct imap_fetch_spec spec = { 0, secs, 1, 0, 0 };
	const struct imap_section *s;
	const struct imap_body *part;
	struct mime_download dl;
	struct imap_fetch *m;
	struct imap *im;
	uint32_t uid;
	char *data;
	size_t len;

	if (!page_get_ok(c))
		return;
	if (!wm_section(sec)) {
		page_error(c, 400);
		return;
	}
	if (!(im = open_folder(c, &uid)) || !(m = fetch_one(c, im, uid, &head)))
		return;
	if (!(part = find_part(m, sec))) {
		wm_close(im);
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.no_part")));
		return;
	}
	/* A multipart's own size is not in its structure: the message's is. */
	if ((part->parts ? m->size : part->size) > WM_PART_MAX) {
		too_large(c, im);
		return;
	}
	secs[0] = sec;
	if (!(m = fetch_one(c, im, uid, &spec)))
		return;
	wm_close(im);
	s = imap_fetch_section(m, sec);
	if (!s || !s->data) {
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.no_part")));
		return;
	}
	if (mime_decode_binary(c->a, part, s->data, s->len, &data, &len) < 0) {
		too_large(c, NULL);
		return;
	}
	if (mime_download_headers(c->a, part, NULL, want && !strcmp(want, "1"), &dl) < 0) {
		page_error(c, 500);
		return;
	}
	send_bytes(c, dl.content_type, dl.content_disposition, data, len);
}

/* The message as it came, as plain text to read (an .eml to save). */
void page_mail_source(struct ctx *c)
{
	static const struct imap_fetch_spec head = { IMAP_FETCH_SIZE, NULL, 0, 0, 0 };
	const char *secs[1] = { "" };
	struct imap_fetch_spec spec = { 0, secs, 1, 0, 0 };
	const struct imap_section *s;
	struct imap_fetch *m;
	struct imap *im;
	uint32_t uid;

	if (!page_get_ok(c))
		return;
	if (!(im = open_folder(c, &uid)) || !(m = fetch_one(c, im, uid, &head)))
		return;
	if (m->size > WM_PART_MAX) {
		too_large(c, im);
		return;
	}
	if (!(m = fetch_one(c, im, uid, &spec)))
		return;
	wm_close(im);
	s = imap_fetch_section(m, "");
	if (!s || !s->data) {
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.gone")));
		return;
	}
	send_bytes(c, "text/plain; charset=utf-8", "inline; filename=\"message.eml\"", s->data, s->len);
}
