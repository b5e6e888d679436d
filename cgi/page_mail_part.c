/* page_mail_part: /mail/part?f=&uid=&part=SECTION[&inline=1], one part of
 * a message as a download (or shown inline, for images on the list of
 * mime_download.h), and /mail/source?f=&uid=, the whole message as the
 * server keeps it. What the sender wrote never reaches a header unchecked
 * (mime_download.h), and the answer may not run anything even if a
 * browser were to render it: a sandboxing Content-Security-Policy and
 * nosniff (added to every response) go with it. */
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

/* A section number: digits and dots, as imap_parse_body writes them. */
static int section_ok(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && s[i + 1] != '.')))
			return 0;
	return 1;
}

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

/* Opens folder f read-only and fetches uid with spec; *m NULL when the
 * message is gone. The page has been answered when this is not IMAP_OK. */
static int get(struct ctx *c, struct imap **im, const struct imap_fetch_spec *spec,
               struct imap_fetch **m)
{
	const char *f = wm_folder(req_query(c->req, "f"));
	uint32_t uid = wm_uid(req_query(c->req, "uid"));
	size_t n = 0;
	int rc;

	*m = NULL;
	if (!f || !uid) {
		page_error(c, 400);
		return -1;
	}
	if (!(*im = wm_open(c)))
		return -1;
	rc = imap_select(*im, f, 1, NULL);
	if (rc == IMAP_OK)
		rc = imap_fetch(*im, &uid, 1, spec, m, &n);
	if (rc != IMAP_OK) {
		wm_fail(c, *im, rc);
		return -1;
	}
	wm_close(*im);
	if (n == 0) {
		*m = NULL;
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.gone")));
		return -1;
	}
	return 0;
}

void page_mail_part(struct ctx *c)
{
	const char *sec = req_query(c->req, "part"), *want = req_query(c->req, "inline");
	const char *secs[1];
	struct imap_fetch_spec spec = { IMAP_FETCH_BODYSTRUCTURE, secs, 1, 0, 0 };
	const struct imap_section *s;
	const struct imap_body *part;
	struct mime_download dl;
	struct imap_fetch *m;
	struct imap *im;
	char *data;
	size_t len;

	if (!page_get_ok(c))
		return;
	if (!section_ok(sec)) {
		page_error(c, 400);
		return;
	}
	secs[0] = sec;
	if (get(c, &im, &spec, &m) < 0)
		return;
	part = m->body ? imap_body_find(m->body, sec) : NULL;
	/* A single-part message's only part is "1" (RFC 3501 §6.4.5). */
	if (!part && m->body && !m->body->parts && !strcmp(sec, "1"))
		part = m->body;
	s = imap_fetch_section(m, sec);
	if (!part || !s || !s->data) {
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.no_part")));
		return;
	}
	if (mime_decode_binary(c->a, part, s->data, s->len, &data, &len) < 0
	    || mime_download_headers(c->a, part, NULL, want && !strcmp(want, "1"), &dl) < 0) {
		page_error(c, 500);
		return;
	}
	send_bytes(c, dl.content_type, dl.content_disposition, data, len);
}

/* The message as it came, as plain text to read (an .eml to save). */
void page_mail_source(struct ctx *c)
{
	const char *secs[1] = { "" };
	struct imap_fetch_spec spec = { 0, secs, 1, 0, 0 };
	const struct imap_section *s;
	struct imap_fetch *m;
	struct imap *im;

	if (!page_get_ok(c) || get(c, &im, &spec, &m) < 0)
		return;
	s = imap_fetch_section(m, "");
	if (!s || !s->data) {
		page_error_msg(c, 404, NULL, ctx_text(c, MSG("mail.gone")));
		return;
	}
	send_bytes(c, "text/plain; charset=utf-8", "inline; filename=\"message.eml\"", s->data, s->len);
}
