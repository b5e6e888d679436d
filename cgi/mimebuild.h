/* mimebuild: the message webmail sends, built whole into a buffer: RFC 5322
 * headers and an RFC 2045-2049 body, CRLF line ends, every line within 998
 * bytes, the size within the caller's limit.
 *
 *   Date, From, To, Cc, Subject, Message-ID, In-Reply-To, References,
 *   User-Agent, MIME-Version, then the body:
 *     text/plain; charset=utf-8 (format=flowed when asked), 7bit when it
 *     is all ASCII, 8bit when it is UTF-8, quoted-printable when a line is
 *     over 998 bytes or it holds control characters;
 *     with attachments, multipart/mixed: the text, then each file as
 *     base64 (76-character lines) with its checked Content-Type and
 *     "Content-Disposition: attachment" naming it twice, RFC 2231
 *     (filename*=UTF-8''...) and an ASCII fallback (filename="...");
 *     a message/rfc822 (forward as attachment) as it is, 7bit or 8bit,
 *     when its lines allow, else base64.
 *
 * Bcc is never written into a sent message: its addresses are only among
 * the envelope recipients (MB_DRAFT keeps it, for the Drafts folder).
 *
 * No header injection: every value the caller gives for a header (names,
 * addresses, subject, message-ids, file names, types) is checked before a
 * byte is written, and a CR, LF or other control character is refused with
 * an error naming the field, never stripped. Boundaries are random and
 * checked not to occur in the parts they separate. */
#ifndef QA_MIMEBUILD_H
#define QA_MIMEBUILD_H

#include <stddef.h>
#include <time.h>

#include "addrlist.h"

struct arena;
struct buf;

#define MB_SUBJECT_MAX 998         /* bytes of the subject, UTF-8 */
#define MB_FILENAME_MAX 255        /* bytes of an attachment's name, UTF-8 */
#define MB_MSGID_MAX 250           /* bytes of one "<id@host>" */
#define MB_REFERENCES_MAX 20       /* message-ids kept in References */
#define MB_ATTACHMENTS_MAX 100
#define MB_DEFAULT_MAX (25u << 20) /* the size limit when the caller gives none */

/* Flags */
#define MB_FLOWED 1u               /* text/plain; format=flowed (RFC 3676) */
#define MB_DRAFT 2u                /* write Bcc too (a draft kept in Drafts) */

struct mb_attachment {
	const char *filename;          /* UTF-8; a path's directories are dropped */
	const char *content_type;      /* "type/subtype"; not both tokens: application/octet-stream */
	const char *data;              /* the bytes, or NULL to read path */
	size_t len;
	const char *path;              /* read (within the size limit) when data is NULL */
};

struct mb_msg {
	struct addr from;              /* the logged-in address; name may be "" */
	struct addrlist to, cc, bcc;   /* from addrlist_parse() (checked again) */
	const char *subject;           /* UTF-8, may be NULL or "" */
	const char *body;              /* UTF-8 text, LF or CRLF line ends */
	size_t body_len;
	const char *in_reply_to;       /* "<id@host>" or NULL */
	const char *references;        /* "<a@x> <b@y>" (mb_references()) or NULL */
	const char *user_agent;        /* printable ASCII or NULL */
	const char *message_id;        /* "<id@host>" to keep (a resumed draft); NULL: new */
	const struct mb_attachment *att;
	size_t natt;
	time_t date;                   /* 0: now */
	size_t max_size;               /* bytes of the whole message; 0: MB_DEFAULT_MAX */
	unsigned flags;
};

struct mb_result {
	const char **rcpts;            /* envelope recipients, "local@domain": To, Cc, Bcc, once each */
	size_t nrcpts;
	const char *message_id;        /* "<...@domain>", as written */
};

enum mb_errc {
	MB_OK = 0,
	MB_ERR_CONTROL,                /* CR, LF or another control character in a header value */
	MB_ERR_UTF8,                   /* text that is not valid UTF-8 */
	MB_ERR_INVALID,                /* an address, message-id or type that is not one */
	MB_ERR_TOO_LONG,               /* a subject, name or list of references too long */
	MB_ERR_TOO_BIG,                /* the message would pass the size limit */
	MB_ERR_IO,                     /* an attachment's file could not be read */
	MB_ERR_NOMEM,
	MB_ERR__COUNT
};

struct mb_err {
	enum mb_errc code;
	const char *field;             /* "from", "to", "cc", "bcc", "subject", "body",
	                                  "in_reply_to", "references", "user_agent",
	                                  "message_id", "attachment", "message" (the whole) */
	size_t index;                  /* the address (from 1) or attachment (from 1); 0 */
};

/* Builds m into out (reset first; any cap out has is kept, under
 * m->max_size). Returns 0 with res filled (in a), or -1 with e filled and
 * out empty. */
int mb_build(struct arena *a, const struct mb_msg *m, struct buf *out, struct mb_result *res,
             struct mb_err *e);

/* A stable name for a code ("control", "too_big", ...) for catalog keys. */
const char *mb_err_name(enum mb_errc code);

/* ---- mb_reply.c: what compose fills in for a reply or a forward */

/* prefix ("Re: ", "Fwd: ") before subject, without stacking: the reply
 * prefixes (Re, RE, Aw, Sv, SV, Antw, Odp, Vs, ...; "Re[2]:", "Re :")
 * already at its start are dropped when prefix is a reply's, the forward
 * prefixes (Fwd, Fw, VB, VS, WG, TR, ...) when it is a forward's. */
char *mb_reply_subject(struct arena *a, const char *prefix, const char *subject);

/* The References of a reply (RFC 5322 §3.6.4): the parent's References
 * (else its In-Reply-To when that is one id) and its Message-ID, as
 * "<a@x> <b@y>", ids that are not well formed dropped, and at most
 * MB_REFERENCES_MAX kept: the first and the latest. NULL when there is
 * nothing to refer to (or memory ran out). */
char *mb_references(struct arena *a, const char *references, const char *in_reply_to,
                    const char *message_id);

/* The text of a reply: intro (the caller's translated "On DATE, NAME
 * wrote:", may be NULL) and every line of text with "> " before it (">"
 * before a line already quoted or empty); the signature ("-- " and after)
 * left out; LF line ends. */
char *mb_quote_body(struct arena *a, const char *text, const char *intro);

#endif
