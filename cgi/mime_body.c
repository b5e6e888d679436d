/* mime_body: a fetched part's bytes made readable (see mime.h): transfer
 * decoding, then charset conversion for text. */
#include "config.h"

#include "mime.h"

#include "arena.h"
#include "buf.h"
#include "decode.h"
#include "imap_parse.h"
#include "mime_text.h"

#include <string.h>

static int is_encoding(const struct imap_body *b, const char *enc)
{
	return b->encoding && !strcmp(b->encoding, enc);
}

int mime_decode_binary(struct arena *a, const struct imap_body *part, const char *raw, size_t len,
                       char **out, size_t *outlen)
{
	char *p;
	size_t n;

	*out = NULL;
	*outlen = 0;
	if (len > (size_t)-1 / 2)
		return -1;
	if (is_encoding(part, "base64")) {
		if (!(p = arena_alloc(a, B64_OUT_MAX(len) + 1)))
			return -1;
		n = b64_decode(raw, len, (unsigned char *)p, NULL);
	} else if (is_encoding(part, "quoted-printable")) {
		if (!(p = arena_alloc(a, len + 1)))
			return -1;
		n = qp_decode(raw, len, (unsigned char *)p, NULL);
	} else {                                /* 7bit, 8bit, binary, or what we do not know */
		if (!(p = arena_alloc(a, len + 1)))
			return -1;
		if (len)
			memcpy(p, raw, len);
		n = len;
	}
	p[n] = '\0';
	*out = p;
	*outlen = n;
	return 0;
}

int mime_decode_text(struct arena *a, const struct imap_body *part, const char *raw, size_t len,
                     char **out, size_t *outlen)
{
	struct buf text = BUF_INIT;
	const char *cs = imap_param_get(part->params, "charset");
	char *bytes;
	size_t n;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (mime_decode_binary(a, part, raw, len, &bytes, &n) < 0)
		return -1;
	rc = mime_text_utf8(&text, cs, cs ? strlen(cs) : 0, bytes, n, MIME_TEXT_LINES);
	if (rc == 0 && (*out = arena_strndup(a, text.p ? text.p : "", text.len)))
		*outlen = text.len;
	buf_free(&text);
	return *out ? 0 : -1;
}
