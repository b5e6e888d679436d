/* mime_download: Content-Type and Content-Disposition for a part's
 * download (see mime_download.h). */
#include "config.h"

#include "mime_download.h"

#include "arena.h"
#include "buf.h"
#include "imap_parse.h"
#include "mime.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

/* Types a browser shows or saves but never runs. */
static const char *const safe_types[] = {
	"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff",
	"application/pdf", "application/zip", "application/gzip",
	"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"application/rtf", "application/pgp-signature", "application/pkcs7-signature",
	"text/plain", "text/csv", "text/calendar", "message/rfc822",
	"audio/mpeg", "audio/ogg", "audio/wav", "video/mp4", "video/webm", "video/ogg",
};

/* Families of office documents (zip files to a browser). */
static const char *const safe_prefixes[] = {
	"application/vnd.openxmlformats-officedocument.",
	"application/vnd.oasis.opendocument.",
};

/* Names mailers use for the types above. */
static const struct {
	const char *alias, *type;
} type_aliases[] = {
	{ "image/jpg", "image/jpeg" },
	{ "image/pjpeg", "image/jpeg" },
	{ "application/x-pdf", "application/pdf" },
	{ "application/x-zip-compressed", "application/zip" },
	{ "application/x-gzip", "application/gzip" },
};

static const char *const inline_types[] = { "image/png", "image/jpeg", "image/gif", "image/webp" };

#define OCTET_STREAM "application/octet-stream"
#define TYPE_MAX 127

static int on_list(const char *const *list, size_t n, const char *type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], type))
			return 1;
	return 0;
}

const char *mime_safe_type(struct arena *a, const char *type, const char *subtype)
{
	char t[2 * TYPE_MAX + 2], *p;
	size_t i;

	if (!mime_is_token(type) || !mime_is_token(subtype) || strlen(type) > TYPE_MAX
	    || strlen(subtype) > TYPE_MAX)
		return OCTET_STREAM;
	snprintf(t, sizeof(t), "%s/%s", type, subtype);
	for (p = t; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	for (i = 0; i < sizeof(type_aliases) / sizeof(type_aliases[0]); i++)
		if (!strcmp(t, type_aliases[i].alias))
			return type_aliases[i].type;
	for (i = 0; i < sizeof(safe_types) / sizeof(safe_types[0]); i++)
		if (!strcmp(t, safe_types[i]))
			return safe_types[i];
	for (i = 0; i < sizeof(safe_prefixes) / sizeof(safe_prefixes[0]); i++)
		if (!strncmp(t, safe_prefixes[i], strlen(safe_prefixes[i])))
			return arena_strdup(a, t);
	return OCTET_STREAM;
}

/* ---------------------------------------------------------------- the name */

/* Characters a saved file's name must not have: controls (C0, DEL, C1),
 * what ends or escapes the quoted fallback, path separators, and the
 * invisible ones that reorder or hide text ("gpj.exe" shown as "exe.jpg"). */
static int dropped(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == '"' || cp == '\\' || cp == '/'
	       || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e)
	       || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* The UTF-8 name without dropped characters, bad bytes as U+FFFD. */
static void clean_chars(struct buf *out, const char *name)
{
	struct buf fixed = BUF_INIT;
	const unsigned char *s;
	size_t i = 0, len;

	utf8_repair(&fixed, name, strlen(name));
	s = (const unsigned char *)(fixed.p ? fixed.p : "");
	while (i < fixed.len) {
		unsigned long cp;

		len = utf8_decode_one(s + i, fixed.len - i, &cp);
		if (!len)
			len = 1, cp = 0;             /* cannot happen after repair */
		if (!dropped(cp))
			buf_add(out, s + i, len);
		i += len;
	}
	buf_free(&fixed);
}

/* The length of the longest start of s (n bytes) that ends on a character
 * boundary and is at most max bytes. */
static size_t cut_utf8(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* Cleaned, trimmed of dots and blanks at both ends (hidden files, Windows),
 * cut to the limit with its extension kept; "download" if nothing is left. */
static char *clean_name(struct arena *a, const char *name)
{
	struct buf b = BUF_INIT;
	const char *s, *ext;
	size_t n, extlen = 0;
	char *r = NULL;

	clean_chars(&b, name ? name : "");
	s = b.p ? b.p : "";
	n = b.len;
	while (n && (*s == '.' || *s == ' '))
		s++, n--;
	while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	ext = n ? memrchr(s, '.', n) : NULL;
	if (ext && (size_t)(s + n - ext) <= 16)
		extlen = (size_t)(s + n - ext);
	if (n > MIME_DOWNLOAD_NAME_MAX) {
		size_t head = cut_utf8(s, n - extlen, MIME_DOWNLOAD_NAME_MAX - extlen);

		r = arena_printf(a, "%.*s%.*s", (int)head, s, (int)extlen, s + n - extlen);
	} else if (!buf_failed(&b)) {
		r = arena_strndup(a, n ? s : "download", n ? n : 8);
	}
	buf_free(&b);
	return r;
}

/* RFC 8187 attr-char: what filename* may hold unescaped. */
static int attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	       || strchr("!#$&+-.^_`|~", c);
}

/* The quoted-string fallback: ASCII as it is but "%" (old browsers
 * unescape it), each other character a "_". */
static void add_fallback(struct buf *out, const char *name)
{
	const unsigned char *s = (const unsigned char *)name;

	while (*s) {
		if (*s >= 0x80) {
			buf_addc(out, '_');
			s++;
			while ((*s & 0xc0) == 0x80)
				s++;
		} else {
			buf_addc(out, *s == '%' ? '_' : *s);
			s++;
		}
	}
}

static void add_encoded(struct buf *out, const char *name)
{
	const unsigned char *s;

	for (s = (const unsigned char *)name; *s; s++)
		if (attr_char(*s))
			buf_addc(out, *s);
		else
			buf_printf(out, "%%%02X", *s);
}

const char *mime_content_disposition(struct arena *a, const char *filename, const char *safe_type,
                                     int want_inline)
{
	const char *name = clean_name(a, filename), *r = NULL;
	int in = want_inline && safe_type
	         && on_list(inline_types, sizeof(inline_types) / sizeof(inline_types[0]), safe_type);
	struct buf b = BUF_INIT;

	if (!name)
		return NULL;
	buf_adds(&b, in ? "inline; filename=\"" : "attachment; filename=\"");
	add_fallback(&b, name);
	buf_adds(&b, "\"; filename*=UTF-8''");
	add_encoded(&b, name);
	if (!buf_failed(&b))
		r = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return r;
}

int mime_download_headers(struct arena *a, const struct imap_body *part, const char *filename,
                          int want_inline, struct mime_download *out)
{
	out->content_type = mime_safe_type(a, part->type, part->subtype);
	if (!filename)
		filename = mime_filename(a, part);
	out->content_disposition = filename && out->content_type
	        ? mime_content_disposition(a, filename, out->content_type, want_inline) : NULL;
	return out->content_disposition ? 0 : -1;
}
