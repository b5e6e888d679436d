/* validate: one allow-list validator per field kind, used at both ends of
 * the trust boundary (front end forms, helper requests, CLI arguments).
 * Each turns untrusted bytes into a typed value or a qa_error naming the
 * field; operations take the typed values only, never raw strings.
 *
 * The allow-lists are deliberately narrower than vpopmail's where a byte
 * could do harm: names end up in file names and in .qmail lines that qmail
 * hands to /bin/sh (the vacation line holds the user's home path), so no
 * shell metacharacter, '/', ':' or newline can ever be part of one. */
#ifndef QA_VALIDATE_H
#define QA_VALIDATE_H

#include <stddef.h>

#include "err.h"

#define V_DOMAIN_MAX 96     /* vpopmail's own limit */
#define V_LOCAL_MAX 64      /* RFC 5321 and vpasswd field 1 */
#define V_PASSWORD_MAX 128
#define V_GECOS_MAX 64
#define V_ADDRESS_MAX 254   /* RFC 5321 path limit, minus the brackets */
#define V_ADMIN_MAX 32

struct v_domain { char s[V_DOMAIN_MAX + 1]; };           /* lower case */
struct v_local { char s[V_LOCAL_MAX + 1]; };             /* lower case */
struct v_user { struct v_local local; struct v_domain domain; };
struct v_password { char s[V_PASSWORD_MAX + 1]; };
struct v_gecos { char s[V_GECOS_MAX + 1]; };
struct v_target { char s[V_ADDRESS_MAX + 1]; };          /* a forward address */
struct v_admin { char s[V_ADMIN_MAX + 1]; };             /* superadmin name */

/* A domain: 3..96 bytes, labels of [a-z0-9-] (input is lower-cased) not
 * starting or ending with '-', at least two labels, a TLD of 2..63 bytes. */
int v_domain(const char *in, struct v_domain *out, const char *field, struct qa_error *e);

/* A mailbox or alias name: 2..64 bytes of [a-z0-9._+=-] (lower-cased), not
 * starting or ending with '.', no "..", and not a name vpopmail reserves
 * ("vpasswd", "vpasswd.cdb"). One-character names are refused, as vpopmail
 * does, because they would clash with its hash directories 0-9 A-Z a-z. */
int v_local(const char *in, struct v_local *out, const char *field, struct qa_error *e);

/* "local@domain" with both parts as above. */
int v_user(const char *in, struct v_user *out, const char *field, struct qa_error *e);

/* 1..128 bytes of valid UTF-8 without control characters. */
int v_password(const char *in, struct v_password *out, const char *field, struct qa_error *e);

/* 0..64 bytes of valid UTF-8 without control characters or ':'. */
int v_gecos(const char *in, struct v_gecos *out, const char *field, struct qa_error *e);

/* A forward target: dot-atom local part (RFC 5322 atext, case kept) '@' a
 * domain of [A-Za-z0-9.-] (lower-cased), at most 254 bytes. No spaces,
 * quotes, brackets, newlines, and never a leading '|', '/', '&' or '#'. */
int v_target(const char *in, struct v_target *out, const char *field, struct qa_error *e);

/* Superadmin login name: 1..32 bytes of [a-z0-9._-], lower-cased. */
int v_admin(const char *in, struct v_admin *out, const char *field, struct qa_error *e);

/* Unsigned decimal without sign, spaces or leading zeros, <= max. */
int v_uint(const char *in, unsigned long long max, unsigned long long *out,
           const char *field, struct qa_error *e);

/* 1 when s[0..n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int utf8_valid(const char *s, size_t n);

#endif
