/* mime_download: the header values that send one message part to the
 * browser as a download (the page adds "X-Content-Type-Options: nosniff"
 * and a sandboxing Content-Security-Policy). A part's type and name come
 * from the sender, so neither reaches a header as it was written:
 *
 *   Content-Type         the part's type only when it is on a short list of
 *                        types a browser cannot run (images but SVG, PDF,
 *                        office documents, archives, audio, video, plain
 *                        text), rebuilt from its checked tokens without any
 *                        parameter; else application/octet-stream. Never
 *                        text/html, image/svg+xml or XML.
 *   Content-Disposition  attachment; filename="ascii"; filename*=UTF-8''...
 *                        (RFC 6266 §4.3, RFC 8187), "inline" only when asked
 *                        and the type is image/png, jpeg, gif or webp.
 *
 * The name loses control characters, quotes, backslashes, slashes, bidi
 * overrides and leading dots, and is cut to MIME_DOWNLOAD_NAME_MAX bytes
 * keeping its extension; the ASCII fallback has "_" for every other
 * character (and for "%", which old browsers unescape). */
#ifndef QA_MIME_DOWNLOAD_H
#define QA_MIME_DOWNLOAD_H

struct arena;
struct imap_body;

#define MIME_DOWNLOAD_NAME_MAX 120

struct mime_download {
	const char *content_type;
	const char *content_disposition;
};

/* For part, named filename (NULL: mime_filename()); want_inline asks for
 * "inline" (a cid: image, a shown attachment). Returns 0, -1 for memory. */
int mime_download_headers(struct arena *a, const struct imap_body *part, const char *filename,
                          int want_inline, struct mime_download *out);

/* The Content-Type for type/subtype as above ("application/octet-stream"
 * when not both are tokens or the type is not on the list). */
const char *mime_safe_type(struct arena *a, const char *type, const char *subtype);

/* The Content-Disposition for a UTF-8 name; inline only for the image
 * types above (safe_type is mime_safe_type()'s answer). NULL for memory. */
const char *mime_content_disposition(struct arena *a, const char *filename, const char *safe_type,
                                     int want_inline);

#endif
