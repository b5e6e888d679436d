/* mime_part: what the attachment list says of one part: its name, type and
 * size (see mime.h). */
#include "config.h"

#include "mime.h"

#include "arena.h"
#include "imap_parse.h"
#include "mime_text.h"
#include "rfc2231.h"
#include "utf8.h"

#include <string.h>

/* The extension of a generated name, by type. */
static const struct {
	const char *type, *ext;
} extensions[] = {
	{ "application/pdf", "pdf" },
	{ "application/zip", "zip" },
	{ "application/gzip", "gz" },
	{ "application/x-gzip", "gz" },
	{ "application/json", "json" },
	{ "application/xml", "xml" },
	{ "application/msword", "doc" },
	{ "application/vnd.ms-excel", "xls" },
	{ "application/vnd.ms-powerpoint", "ppt" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
	{ "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx" },
	{ "application/vnd.oasis.opendocument.text", "odt" },
	{ "application/vnd.oasis.opendocument.spreadsheet", "ods" },
	{ "application/pgp-signature", "asc" },
	{ "application/pgp-encrypted", "asc" },
	{ "application/pkcs7-signature", "p7s" },
	{ "application/x-pkcs7-signature", "p7s" },
	{ "application/ics", "ics" },
	{ "text/plain", "txt" },
	{ "text/html", "html" },
	{ "text/csv", "csv" },
	{ "text/calendar", "ics" },
	{ "text/xml", "xml" },
	{ "text/rfc822-headers", "txt" },
	{ "message/rfc822", "eml" },
	{ "message/global", "eml" },
	{ "message/delivery-status", "txt" },
	{ "image/png", "png" },
	{ "image/jpeg", "jpg" },
	{ "image/gif", "gif" },
	{ "image/webp", "webp" },
	{ "image/svg+xml", "svg" },
	{ "image/tiff", "tif" },
	{ "image/bmp", "bmp" },
	{ "audio/mpeg", "mp3" },
	{ "audio/ogg", "ogg" },
	{ "video/mp4", "mp4" },
	{ "video/webm", "webm" },
};

int mime_is_token(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("()<>@,;:\\\"/[]?=", *s))
			return 0;
	return 1;
}

const char *mime_type_of(struct arena *a, const struct imap_body *b)
{
	if (!mime_is_token(b->type) || !mime_is_token(b->subtype))
		return "application/octet-stream";
	return arena_printf(a, "%s/%s", b->type, b->subtype);
}

uint64_t mime_decoded_size(const struct imap_body *b)
{
	uint64_t n = b->size;

	if (!b->encoding || strcmp(b->encoding, "base64"))
		return n;
	n -= n / 78 * 2;               /* the CRLF ending each line of 76 */
	return n / 4 * 3 + n % 4 * 3 / 4;
}

/* The invisible characters that reorder or hide text: a list showing
 * "invoice<U+202E>fdp.exe" would read "invoiceexe.pdf". The download's name
 * loses them too (mime_download.c). */
static int invisible(unsigned long cp)
{
	return cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e)
	       || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* The last path component of name (valid UTF-8), without blanks around it
 * or invisible characters in it; NULL if nothing is left. */
static const char *base_name(struct arena *a, const char *name)
{
	const char *s = name, *p;
	char *out;
	size_t i, n, k = 0, len;
	unsigned long cp;

	for (p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			s = p + 1;
	n = strlen(s);
	if (!(out = arena_alloc(a, n + 1)))
		return NULL;
	for (i = 0; i < n; i += len) {
		len = utf8_decode_one((const unsigned char *)s + i, n - i, &cp);
		if (!len) {
			len = 1;
			cp = 0xfffd;
		}
		if (!invisible(cp)) {
			memcpy(out + k, s + i, len);
			k += len;
		}
	}
	out[k] = '\0';
	for (i = 0; out[i] == ' '; i++)
		;
	while (k > i && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	return k > i ? out + i : NULL;
}

/* A forwarded message is named after its subject, path separators and
 * all, for the page; the download header cleans it for the browser. */
static const char *subject_name(struct arena *a, const struct imap_body *b)
{
	const char *s;
	char *subject, *p;

	if (!b->env || !b->env->subject)
		return NULL;
	if (!(subject = mime_text_header(a, b->env->subject, strlen(b->env->subject))))
		return NULL;
	for (p = subject; *p; p++)
		if (*p == '/' || *p == '\\')
			*p = '_';
	s = base_name(a, subject);
	return s ? arena_printf(a, "%s.eml", s) : NULL;
}

static const char *generated_name(struct arena *a, const struct imap_body *b)
{
	const char *type = mime_type_of(a, b), *ext = "bin";
	size_t i;

	if (!type)
		return NULL;
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		if (!strcmp(type, extensions[i].type))
			ext = extensions[i].ext;
	return arena_printf(a, "part-%s.%s", b->section && *b->section ? b->section : "1", ext);
}

const char *mime_filename(struct arena *a, const struct imap_body *b)
{
	const char *v, *name = NULL;

	if ((v = mime_param(a, b->disp_params, "filename")))
		name = base_name(a, v);
	if (!name && (v = mime_param(a, b->params, "name")))
		name = base_name(a, v);
	if (!name && (b->type && !strcmp(b->type, "message")))
		name = subject_name(a, b);
	return name ? name : generated_name(a, b);
}
