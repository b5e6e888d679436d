/* addrlist: address lists as a user types them into To, Cc and Bcc, and as
 * they stand in a From or Reply-To header of mail being answered (RFC 5322
 * §3.4 with the obsolete forms of §4.4 that real mail has), parsed into
 * checked parts; and the way back, a list written as a header value.
 *
 * Accepted:  asa@emak.se
 *            Åsa Lindström <asa@emak.se>        (UTF-8 names as typed)
 *            "Lindström, Åsa" <asa@emak.se>     (quoted, with \" and \\)
 *            Dr. J. Smith <j@example.com>       (unquoted dots: obs-phrase)
 *            asa@emak.se (Åsa Lindström)        (a comment as the name)
 *            Team: a@x.se, b@y.se;              (groups; the ";" may be missing at the end)
 *            <@relay.example:a@x.se>            (obs-route, dropped)
 *            "a b"@x.se                         (quoted local part)
 *            a@räksmörgås.se                    (IDN, kept as its A-labels)
 * separated by "," or ";" (both, in typed lists), or only by white space
 * or new lines after a complete address ("a@x.se b@y.se"); empty items are
 * skipped. With ADDRLIST_HEADER the input is a header's body: folded lines
 * are unfolded and RFC 2047 encoded-words in names decoded.
 *
 * Refused, with a code and the number and text of the address: a control
 * character (NUL, CR or LF inside a name or quoted string, C1 controls in
 * names), invalid UTF-8, an unbalanced quote, "<" or "(", an empty local
 * part or domain, a local part outside RFC 5322 atext (or one starting with
 * "-", which a command line would read as an option), an 8-bit or control
 * character in a quoted local part, a domain literal ("[1.2.3.4]"), a domain
 * that is not two or more LDH labels (IDNA2008 through libidn2 for
 * non-ASCII ones), and anything over the limits below.
 *
 * Domains are converted to their ASCII form (IDNA2008, lower case) with
 * libidn2, so that every address we write or give to SMTP is plain ASCII:
 * a relay without SMTPUTF8 accepts it and headers need no RFC 6532. */
#ifndef QA_ADDRLIST_H
#define QA_ADDRLIST_H

#include <stddef.h>

struct arena;
struct hdrw;

#define ADDRLIST_LOCAL_MAX 64      /* RFC 5321 §4.5.3.1.1 */
#define ADDRLIST_DOMAIN_MAX 253    /* RFC 1035, without the root dot */
#define ADDRLIST_ADDR_MAX 254      /* RFC 5321 path, without "<>" */
#define ADDRLIST_NAME_MAX 256      /* bytes of a display name, UTF-8 */
#define ADDRLIST_MAX 200           /* addresses in one list */
#define ADDRLIST_INPUT_MAX 65536   /* bytes of one list as typed */

#define ADDRLIST_HEADER 1u         /* input is a header body: unfold, decode RFC 2047 */

struct addr {
	const char *name;          /* display name, UTF-8, "" when none (NULL is taken as "") */
	const char *local;         /* local part without quotes or escapes (ASCII) */
	const char *domain;        /* lower-case ASCII; an IDN as its A-labels */
	const char *group;         /* the group's name (UTF-8) or NULL; members share the pointer */
};

struct addrlist {
	struct addr *v;
	size_t n;
};

enum addrlist_err {
	ADDRLIST_OK = 0,
	ADDRLIST_ERR_CONTROL,      /* NUL, CR, LF or another control character */
	ADDRLIST_ERR_UTF8,         /* invalid UTF-8 */
	ADDRLIST_ERR_QUOTE,        /* a quoted string without its closing quote */
	ADDRLIST_ERR_BRACKET,      /* "<" without ">", "(" without ")", or the reverse */
	ADDRLIST_ERR_SYNTAX,       /* not an address (nested group, stray "@" or "\") */
	ADDRLIST_ERR_NO_LOCAL,     /* nothing before the "@" */
	ADDRLIST_ERR_NO_DOMAIN,    /* no "@domain" */
	ADDRLIST_ERR_LOCAL,        /* a local part outside the allow-list */
	ADDRLIST_ERR_DOMAIN,       /* not a valid domain (or a domain literal) */
	ADDRLIST_ERR_TOO_LONG,     /* local part, domain, address or name too long */
	ADDRLIST_ERR_TOO_MANY,     /* over ADDRLIST_MAX addresses or ADDRLIST_INPUT_MAX bytes */
	ADDRLIST_ERR_NOMEM,
	ADDRLIST_ERR__COUNT
};

#define ADDRLIST_ERR_TEXT_MAX 80

struct addrlist_error {
	enum addrlist_err code;
	size_t index;              /* the address's number in the list, from 1; 0 for the
	                            * whole list (too long; a header's CR or LF that is no fold) */
	size_t offset;             /* byte offset of the error in the input */
	char text[ADDRLIST_ERR_TEXT_MAX + 1];  /* that address as typed, cut: UTF-8, no controls */
};

/* Parses n bytes of in into *out (allocated in a). Returns 0, or -1 with
 * e filled (e may be NULL). An empty or blank input is an empty list. */
int addrlist_parse(struct arena *a, const char *in, size_t n, unsigned flags, struct addrlist *out,
                   struct addrlist_error *e);

/* Checks an address made by other code (the logged-in user as From) as
 * the parser would have: the same codes; the domain must already be ASCII. */
enum addrlist_err addrlist_check(const struct addr *ad);

/* "local@domain", the local part quoted when it is not a dot-atom: what
 * SMTP's RCPT TO and the message's headers take. NULL for memory. */
char *addrlist_addr_spec(struct arena *a, const struct addr *ad);

/* The list as a header field's value, starting at column col (where the
 * caller's "To: " ends): "Name <a@x.se>, =?UTF-8?Q?=C3=85sa?= <b@y.se>,
 * Team: c@z.se;" folded with CRLF SP between words. Names are written as
 * atoms when they are, quoted when they hold specials, encoded-words when
 * not printable ASCII. The addresses must have passed addrlist_check. NULL
 * for memory. */
char *addrlist_format(struct arena *a, const struct addrlist *l, size_t col);

/* The same, onto a header being written (mimebuild.c). */
void addrlist_write(struct hdrw *w, const struct addrlist *l);

/* 1 when s (n bytes) is an RFC 5322 dot-atom: atext runs joined by single
 * dots (a local part that needs no quotes). */
int addrlist_dot_atom(const char *s, size_t n);

/* A stable name for a code ("control", "utf8", "no_domain", ...) for
 * catalog keys and logs. */
const char *addrlist_err_name(enum addrlist_err code);

#endif
