/* imap_parse: what an IMAP server says (RFC 3501 §9, RFC 9051 §9), in three
 * layers, none of which does I/O:
 *
 *   1. the reader takes bytes as they arrive and cuts them into whole
 *      responses (a line, and after each line that ends in "{n}" exactly n
 *      bytes of literal and the next line), every size bounded;
 *   2. imap_parse_response() turns one whole response into its kind (tagged,
 *      untagged, continuation), status and response code, or data name and
 *      a tree of values (atoms, strings, NIL, lists), nesting bounded;
 *   3. typed parsers read that tree: CAPABILITY, LIST, STATUS, the
 *      SELECT/EXAMINE data, FETCH (FLAGS, ENVELOPE, BODYSTRUCTURE, body
 *      sections), SEARCH, ESEARCH and SORT.
 *
 * Values of layer 2 point into the reader's buffer or the arena given to
 * the parser (quoted strings with escapes are copied there) and live until
 * either is reused; the typed parsers copy what they keep, NUL-terminated,
 * into the arena they are given. Nothing here trusts the server: every
 * count, length and depth is checked, and malformed input is an error
 * value, never a crash (tests/fuzz/fuzz_imap.c). */
#ifndef QA_IMAP_PARSE_H
#define QA_IMAP_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"

struct arena;

enum imap_parse_err {
	IMAP_PARSE_OK = 0,
	IMAP_PARSE_BAD = -1,      /* not IMAP syntax */
	IMAP_PARSE_TOO_BIG = -2,  /* over a limit */
	IMAP_PARSE_NOMEM = -3,    /* the arena's limit */
};

/* Bounds on one response. */
struct imap_limits {
	size_t max_line;          /* one line, between literals, CRLF included */
	size_t max_literal;       /* one literal */
	size_t max_response;      /* the whole response, literals included */
	unsigned max_depth;       /* nested parentheses */
	size_t max_values;        /* atoms, strings, NILs and lists in one response */
};

/* The largest literal and response by default: what webmail's request
 * arena (WM_MEM_MAX, cgi/webmail.h) holds with the part decoded from it. */
#define IMAP_RESPONSE_MAX (48u << 20)

/* 1 MiB lines, IMAP_RESPONSE_MAX literals and responses, depth 64 (a
 * BODYSTRUCTURE takes one or two levels per nested part), 1 Mi values. */
void imap_limits_default(struct imap_limits *lim);

/* ---------------------------------------------------------------- 1. reader */

struct imap_reader {
	struct imap_limits lim;
	struct buf resp;          /* the response so far */
	size_t line_start;        /* where the line being read began in resp */
	size_t literal_left;      /* bytes of a literal still to come */
	int complete;             /* resp holds one whole response */
	int error;                /* a sticky enum imap_parse_err */
};

void imap_reader_init(struct imap_reader *r, const struct imap_limits *lim);
void imap_reader_free(struct imap_reader *r);

/* Takes bytes from data, at most up to the end of one response, and sets
 * *used to how many. Returns 1 when r->resp holds a whole response (call
 * imap_reader_next() before feeding again), 0 when all n bytes were taken
 * and the response goes on, or an imap_parse_err (sticky): a line over
 * max_line, a literal over max_literal, a response over max_response. */
int imap_reader_feed(struct imap_reader *r, const char *data, size_t n, size_t *used);

/* Drops the whole response to read the next one. */
void imap_reader_next(struct imap_reader *r);

/* ---------------------------------------------------------------- 2. responses */

enum imap_type { IMAP_NIL, IMAP_ATOM, IMAP_STRING, IMAP_LIST };

struct imap_value {
	enum imap_type type;
	int literal;                /* STRING: sent as a literal ({n} or ~{n}) */
	const char *s;              /* ATOM, NIL, STRING: the bytes, not NUL-terminated */
	size_t len;                 /* ATOM, NIL, STRING: bytes; LIST: items */
	struct imap_value *child;   /* LIST: the first item */
	struct imap_value *next;    /* the next item in the same list or line */
};

enum imap_kind { IMAP_TAGGED, IMAP_UNTAGGED, IMAP_CONTINUE };
enum imap_cond { IMAP_COND_NONE, IMAP_COND_OK, IMAP_COND_NO, IMAP_COND_BAD,
                 IMAP_COND_BYE, IMAP_COND_PREAUTH };

struct imap_response {
	enum imap_kind kind;
	const char *tag;            /* TAGGED */
	size_t tag_len;
	enum imap_cond cond;        /* a status response; IMAP_COND_NONE for data */
	const char *code;           /* response code name ("UIDVALIDITY"), or NULL */
	size_t code_len;
	struct imap_value *code_args; /* what follows the name inside "[...]", if it parses */
	const char *text;           /* human-readable text (status, continuation) */
	size_t text_len;
	int has_number;             /* "* 23 EXISTS", "* 5 FETCH (...)" */
	uint32_t number;
	const char *name;           /* data: "CAPABILITY", "LIST", "FETCH", ... */
	size_t name_len;
	struct imap_value *data;    /* data: the values after the name */
};

/* Parses the whole response in buf (len bytes, as the reader assembled it:
 * lines end in CRLF or LF, literals follow their "{n}" line). Values are
 * allocated in a (at most lim->max_values of them). Returns IMAP_PARSE_OK or
 * an error; out is then unusable. */
int imap_parse_response(struct arena *a, const char *buf, size_t len,
                        const struct imap_limits *lim, struct imap_response *out);

/* Helpers over values; every "eq" compares ASCII without case. */
int imap_atom_eq(const struct imap_value *v, const char *s);
int imap_span_eq(const char *p, size_t n, const char *s);
int imap_cond_is(const struct imap_response *r, enum imap_kind kind, enum imap_cond cond);
/* An atom of digits that fits: 0, or -1. */
int imap_value_u32(const struct imap_value *v, uint32_t *out);
int imap_value_u64(const struct imap_value *v, uint64_t *out);
/* nstring/astring as a NUL-terminated copy in a: NULL for NIL (and out of
 * memory: check *nomem when it matters). An atom counts as a string. */
char *imap_value_dup(struct arena *a, const struct imap_value *v, int *nomem);

/* ---------------------------------------------------------------- 3. typed data */

/* CAPABILITY (also "[CAPABILITY ...]"): the ones the client uses. */
#define IMAP_CAP_IMAP4REV1     (1u << 0)
#define IMAP_CAP_IMAP4REV2     (1u << 1)
#define IMAP_CAP_STARTTLS      (1u << 2)
#define IMAP_CAP_LOGINDISABLED (1u << 3)
#define IMAP_CAP_AUTH_PLAIN    (1u << 4)
#define IMAP_CAP_SASL_IR       (1u << 5)
#define IMAP_CAP_LITERALPLUS   (1u << 6)
#define IMAP_CAP_LITERALMINUS  (1u << 7)
#define IMAP_CAP_MOVE          (1u << 8)
#define IMAP_CAP_UIDPLUS       (1u << 9)
#define IMAP_CAP_SORT          (1u << 10)
#define IMAP_CAP_ESEARCH       (1u << 11)
#define IMAP_CAP_SPECIAL_USE   (1u << 12)
#define IMAP_CAP_LIST_EXTENDED (1u << 13)
#define IMAP_CAP_LIST_STATUS   (1u << 14)
#define IMAP_CAP_ENABLE        (1u << 15)
#define IMAP_CAP_UTF8_ACCEPT   (1u << 16)
#define IMAP_CAP_IDLE          (1u << 17)
#define IMAP_CAP_CONDSTORE     (1u << 18)
#define IMAP_CAP_NAMESPACE     (1u << 19)
#define IMAP_CAP_BINARY        (1u << 20)
#define IMAP_CAP_CHILDREN      (1u << 21)
#define IMAP_CAP_UNSELECT      (1u << 22)
#define IMAP_CAP_STATUS_SIZE   (1u << 23)

/* The capability atoms from v on, as IMAP_CAP_* bits. */
uint32_t imap_caps_parse(const struct imap_value *v);
/* The name of one bit ("MOVE", "AUTH=PLAIN", "LITERAL+"), or NULL. */
const char *imap_cap_name(uint32_t cap);

/* System flags, as bits; anything else is a keyword. */
#define IMAP_FLAG_SEEN     (1u << 0)
#define IMAP_FLAG_ANSWERED (1u << 1)
#define IMAP_FLAG_FLAGGED  (1u << 2)
#define IMAP_FLAG_DELETED  (1u << 3)
#define IMAP_FLAG_DRAFT    (1u << 4)
#define IMAP_FLAG_RECENT   (1u << 5)
#define IMAP_FLAG_ANY_KEYWORD (1u << 6)   /* "\*" in PERMANENTFLAGS */

struct imap_flags {
	unsigned bits;
	char **keywords;            /* other flags, as sent ("$Forwarded") */
	size_t nkeywords;
};

/* A flag list "(\Seen $Junk)". IMAP_PARSE_BAD if v is not a list of atoms. */
int imap_parse_flags(struct arena *a, const struct imap_value *v, struct imap_flags *out);

/* LIST / LSUB. */
#define IMAP_MBX_NOINFERIORS   (1u << 0)
#define IMAP_MBX_NOSELECT      (1u << 1)
#define IMAP_MBX_MARKED        (1u << 2)
#define IMAP_MBX_UNMARKED      (1u << 3)
#define IMAP_MBX_NONEXISTENT   (1u << 4)
#define IMAP_MBX_SUBSCRIBED    (1u << 5)
#define IMAP_MBX_REMOTE        (1u << 6)
#define IMAP_MBX_HASCHILDREN   (1u << 7)
#define IMAP_MBX_HASNOCHILDREN (1u << 8)
#define IMAP_MBX_ALL           (1u << 9)    /* RFC 6154 special use */
#define IMAP_MBX_ARCHIVE       (1u << 10)
#define IMAP_MBX_DRAFTS        (1u << 11)
#define IMAP_MBX_FLAGGED       (1u << 12)
#define IMAP_MBX_JUNK          (1u << 13)
#define IMAP_MBX_SENT          (1u << 14)
#define IMAP_MBX_TRASH         (1u << 15)

/* STATUS items. */
#define IMAP_ST_MESSAGES      (1u << 0)
#define IMAP_ST_RECENT        (1u << 1)
#define IMAP_ST_UIDNEXT       (1u << 2)
#define IMAP_ST_UIDVALIDITY   (1u << 3)
#define IMAP_ST_UNSEEN        (1u << 4)
#define IMAP_ST_SIZE          (1u << 5)
#define IMAP_ST_HIGHESTMODSEQ (1u << 6)

struct imap_status {
	unsigned have;              /* IMAP_ST_* present */
	uint32_t messages, recent, uidnext, uidvalidity, unseen;
	uint64_t size, highestmodseq;
};

struct imap_mailbox {
	char *raw;                  /* the name as sent (modified UTF-7) */
	char *name;                 /* UTF-8; NULL when raw is not valid modified UTF-7 */
	char delim;                 /* hierarchy delimiter; 0 for none */
	unsigned flags;             /* IMAP_MBX_* */
	struct imap_status status;  /* LIST-STATUS, or filled in by the client */
	struct imap_mailbox *next;
};

/* "* LIST (flags) delim name": INBOX in any case becomes "INBOX". */
int imap_parse_list(struct arena *a, const struct imap_response *r, struct imap_mailbox *out);
/* "* STATUS name (MESSAGES 3 ...)": *raw_name gets the name as sent. */
int imap_parse_status(struct arena *a, const struct imap_response *r, char **raw_name,
                      struct imap_status *out);

/* The mailbox after SELECT / EXAMINE, kept current by later responses. */
#define IMAP_SEL_EXISTS        (1u << 0)
#define IMAP_SEL_RECENT        (1u << 1)
#define IMAP_SEL_FLAGS         (1u << 2)
#define IMAP_SEL_PERMFLAGS     (1u << 3)
#define IMAP_SEL_UIDVALIDITY   (1u << 4)
#define IMAP_SEL_UIDNEXT       (1u << 5)
#define IMAP_SEL_UNSEEN        (1u << 6)
#define IMAP_SEL_HIGHESTMODSEQ (1u << 7)

struct imap_selected {
	unsigned have;              /* IMAP_SEL_* seen */
	uint32_t exists, recent, uidvalidity, uidnext, unseen;  /* unseen: first unseen seq */
	uint64_t highestmodseq;
	unsigned flags;             /* FLAGS: the flags of the mailbox (IMAP_FLAG_*) */
	unsigned permanent_flags;   /* PERMANENTFLAGS; IMAP_FLAG_ANY_KEYWORD for "\*" */
	int read_only;              /* "[READ-ONLY]" on the tagged OK */
};

/* Applies one response to s: EXISTS, RECENT, EXPUNGE, FLAGS, and the codes
 * UIDVALIDITY, UIDNEXT, UNSEEN, PERMANENTFLAGS, HIGHESTMODSEQ, READ-ONLY,
 * READ-WRITE. Returns 1 if the response was about the selected mailbox. */
int imap_selected_apply(struct imap_selected *s, const struct imap_response *r);

/* SEARCH and SORT: "* SEARCH 2 84 882" (a "(MODSEQ n)" at the end is
 * skipped). At most max numbers, else IMAP_PARSE_TOO_BIG. */
int imap_parse_numbers(struct arena *a, const struct imap_response *r, size_t max,
                       uint32_t **out, size_t *n);

/* ESEARCH (RFC 4731). ALL is expanded to numbers, at most max of them. */
#define IMAP_ES_MIN   (1u << 0)
#define IMAP_ES_MAX   (1u << 1)
#define IMAP_ES_COUNT (1u << 2)
#define IMAP_ES_ALL   (1u << 3)

struct imap_esearch {
	char *tag;                  /* the command's tag, or NULL */
	int uid;                    /* the numbers are UIDs */
	unsigned have;
	uint32_t min, max, count;
	uint32_t *all;
	size_t nall;
};

int imap_parse_esearch(struct arena *a, const struct imap_response *r, size_t max,
                       struct imap_esearch *out);

/* A sequence set "1:3,7,9:12" expanded in order, at most max numbers; "*"
 * is refused (a server never sends it in data). */
int imap_parse_seqset(struct arena *a, const char *s, size_t n, size_t max,
                      uint32_t **out, size_t *count);

/* "17-Jul-1996 02:44:25 -0700" (INTERNALDATE) as UTC seconds. 0 or -1. */
int imap_parse_date_time(const char *s, size_t n, time_t *out);

/* ---- FETCH */

struct imap_address {
	char *name;                 /* display name, raw (RFC 2047 words undecoded) */
	char *adl;                  /* source route, obsolete */
	char *mailbox;              /* local part; group name at a group's start */
	char *host;                 /* NULL: a group starts (mailbox set) or ends (mailbox NULL) */
	struct imap_address *next;
};

struct imap_envelope {
	char *date, *subject;       /* raw header text; subject may hold RFC 2047 words */
	struct imap_address *from, *sender, *reply_to, *to, *cc, *bcc;
	char *in_reply_to, *message_id;
};

struct imap_param {
	char *name;                 /* lower-cased */
	char *value;                /* as sent (RFC 2231 parameters undecoded) */
	struct imap_param *next;
};

struct imap_body {
	char *type, *subtype;       /* lower-cased: "text", "plain" */
	struct imap_param *params;
	char *id, *description;
	char *encoding;             /* lower-cased: "7bit", "base64", ... */
	uint64_t size;              /* octets as encoded */
	uint64_t lines;             /* text/ and message/rfc822 parts */
	struct imap_envelope *env;  /* message/rfc822, message/global */
	struct imap_body *msg;      /* ... and the body inside it */
	struct imap_body *parts;    /* multipart: the first child */
	size_t nparts;
	struct imap_body *next;     /* the next sibling */
	/* extension data (BODYSTRUCTURE only) */
	char *md5;
	char *disposition;          /* lower-cased: "inline", "attachment" */
	struct imap_param *disp_params;
	char **language;
	size_t nlanguage;
	char *location;
	/* The part's section for BODY[...]: "1", "2.1", "" for the top-level
	 * multipart (its text is "TEXT"). For a message/rfc822 part "3", its
	 * header is "3.HEADER" and its body's parts "3.1", ... */
	char *section;
};

/* One body section of a FETCH: BODY[spec]<origin> or BINARY[spec]<origin>. */
struct imap_section {
	char *spec;                 /* between the brackets, as the server wrote it */
	int binary;                 /* BINARY[...]: already decoded by the server */
	int has_origin;
	uint64_t origin;            /* "<origin>": the partial fetch's offset */
	const char *data;           /* NULL for NIL; copied into the arena (NUL after it) */
	size_t len;
	struct imap_section *next;
};

#define IMAP_FETCH_UID          (1u << 0)
#define IMAP_FETCH_FLAGS        (1u << 1)
#define IMAP_FETCH_SIZE         (1u << 2)
#define IMAP_FETCH_INTERNALDATE (1u << 3)
#define IMAP_FETCH_ENVELOPE     (1u << 4)
#define IMAP_FETCH_BODYSTRUCTURE (1u << 5)
#define IMAP_FETCH_MODSEQ       (1u << 6)

struct imap_fetch {
	uint32_t seq;               /* the message sequence number */
	unsigned have;              /* IMAP_FETCH_* present */
	uint32_t uid;
	struct imap_flags flags;
	uint64_t size;              /* RFC822.SIZE */
	time_t internaldate;
	struct imap_envelope *env;
	struct imap_body *body;     /* BODYSTRUCTURE (or BODY without a section) */
	struct imap_section *sections;
	uint64_t modseq;
	struct imap_fetch *next;
};

/* "* 12 FETCH (...)": every item above; unknown items are skipped. */
int imap_parse_fetch(struct arena *a, const struct imap_response *r, struct imap_fetch *out);
/* BODYSTRUCTURE from its value alone (sections numbered as RFC 3501 §6.4.5). */
int imap_parse_body(struct arena *a, const struct imap_value *v, struct imap_body **out);
int imap_parse_envelope(struct arena *a, const struct imap_value *v, struct imap_envelope **out);

/* The section of f whose spec is spec (ASCII case ignored), or NULL. */
const struct imap_section *imap_fetch_section(const struct imap_fetch *f, const char *spec);
/* The part of a body tree with this section number ("1.2"), or NULL. */
const struct imap_body *imap_body_find(const struct imap_body *b, const char *section);
/* A parameter's value by name (case ignored), or NULL. */
const char *imap_param_get(const struct imap_param *p, const char *name);

#endif
