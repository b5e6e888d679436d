/* mime: what the message view shows of a message, decided from its
 * BODYSTRUCTURE alone (struct imap_body, cgi/imap_parse.h) before any part
 * is fetched: the parts shown in the page, in order, and the attachments.
 *
 *   multipart/alternative  the best part only: the last HTML one (or, with
 *                          MIME_PREFER_PLAIN, the last plain one), else the
 *                          last one that can be shown; a part inside that is
 *                          multipart (related, mixed) counts as what it shows.
 *                          Parts no alternative shows that are not text
 *                          (an invitation's text/calendar) are attachments.
 *   multipart/related      the root (the "start" parameter's Content-ID, else
 *                          the first part); the others are cid: images for
 *                          its HTML (shown as images when the root is not
 *                          HTML) or, if not images with a Content-ID,
 *                          attachments.
 *   multipart/mixed and    every part in order: text/plain and text/html
 *   any other multipart    inline unless "attachment", images inline when
 *                          "inline", the rest attachments.
 *   message/rfc822         an item with its envelope and its own plan, to
 *   (and message/global)   MIME_MESSAGE_DEPTH levels; deeper ones, and those
 *                          marked "attachment", are attachments as well.
 *
 * Nothing here fetches, decodes or trusts a part: names are decoded to UTF-8
 * (rfc2231.h) and every string is valid UTF-8 without controls. */
#ifndef QA_MIME_H
#define QA_MIME_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct imap_body;
struct imap_envelope;

#define MIME_PREFER_PLAIN 1u      /* multipart/alternative: text/plain first */
#define MIME_MESSAGE_DEPTH 4      /* nested message/rfc822 planned this deep */

enum mime_kind {
	MIME_PLAIN,                   /* text/plain: mime_decode_text() */
	MIME_HTML,                    /* text/html: decode, then sanitize */
	MIME_IMAGE,                   /* an image to show (png, jpeg, gif, webp) */
	MIME_MESSAGE,                 /* message/rfc822: env, and inner (NULL past the depth) */
};

struct mime_plan;

struct mime_item {
	enum mime_kind kind;
	const struct imap_body *part; /* section: part->section */
	const struct imap_envelope *env;  /* MESSAGE (may be NULL if the server sent none) */
	struct mime_plan *inner;      /* MESSAGE: its body's plan */
	struct mime_item *next;
};

struct mime_attachment {
	const struct imap_body *part; /* section: part->section */
	const char *filename;         /* UTF-8, a base name, never empty */
	const char *type;             /* "application/pdf": valid tokens, else application/octet-stream */
	uint64_t size;                /* decoded bytes, estimated from the encoded size */
	int is_image;                 /* image/png, jpeg, gif or webp */
	struct mime_attachment *next;
};

struct mime_plan {
	struct mime_item *items;      /* what the page shows, in order */
	size_t nitems;
	struct mime_attachment *attachments;
	size_t nattachments;
};

/* Plans the message whose body is b (opts: MIME_PREFER_PLAIN). Returns 0,
 * or -1 when memory ran out. An empty plan is possible (a message that is
 * one PDF has no items and one attachment). */
int mime_plan(struct arena *a, const struct imap_body *b, unsigned opts, struct mime_plan **out);

/* The part of b's tree with Content-ID cid, for a "cid:" URL: "<id>",
 * "id" and "id" percent-encoded (RFC 2392) all match "<id>" and "id". NULL
 * when none. Its section is ->section. */
const struct imap_body *mime_cid_part(const struct imap_body *b, const char *cid);

/* The attachment name of part: its disposition's filename, else its
 * Content-Type name (RFC 2231 / 2047 decoded, the base name of a path,
 * without the invisible characters that reorder text: U+200E/F, U+202A-E,
 * U+2066-9, U+FEFF), else "part-SECTION.EXT" from its type (message/rfc822: the decoded subject
 * and ".eml"). Never NULL but when memory ran out. */
const char *mime_filename(struct arena *a, const struct imap_body *part);

/* "type/subtype" of part when both are MIME tokens (RFC 2045), else
 * "application/octet-stream". */
const char *mime_type_of(struct arena *a, const struct imap_body *part);

/* An RFC 2045 token (a type, a subtype): printable ASCII but space and
 * "()<>@,;:\\\"/[]?=", not empty. */
int mime_is_token(const char *s);

/* A shown image type: image/png, image/jpeg, image/gif, image/webp. */
int mime_is_image(const struct imap_body *part);

/* The decoded size of part: base64 is 3/4 of what it takes encoded, less
 * the line ends (lines of 76 characters and CRLF, as mailers write it). */
uint64_t mime_decoded_size(const struct imap_body *part);

/* ---- mime_body.c: a fetched part's bytes */

/* Undoes the part's Content-Transfer-Encoding (base64, quoted-printable;
 * anything else as it is) and converts its charset to UTF-8 (no charset, an
 * unknown one or US-ASCII: UTF-8 if the bytes are, else windows-1252).
 * Line ends become LF; other control characters U+FFFD but tabs: *out is
 * valid UTF-8, NUL-terminated, in a. Returns 0, or -1 when memory ran out. */
int mime_decode_text(struct arena *a, const struct imap_body *part, const char *raw, size_t len,
                     char **out, size_t *outlen);

/* The transfer decoding alone, for a download: *out in a (a NUL follows). */
int mime_decode_binary(struct arena *a, const struct imap_body *part, const char *raw, size_t len,
                       char **out, size_t *outlen);

#endif
