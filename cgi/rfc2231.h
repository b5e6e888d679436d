/* rfc2231: MIME parameter values as a page shows them (RFC 2231 §3-4, with
 * what real mailers send besides). A Content-Type or Content-Disposition
 * parameter may come
 *
 *   - whole and encoded:   filename*=utf-8'sv'%C3%85rsrapport.pdf
 *     (Dovecot joins continuations into this form in BODYSTRUCTURE),
 *   - in numbered pieces:  filename*0*=utf-8''%C3%85rs; filename*1=rapport.pdf
 *     (encoded and plain pieces mixed, in any order),
 *   - plain:               name="=?UTF-8?B?w4Vyc3JhcHBvcnQucGRm?="
 *     (RFC 2047 words where RFC 2047 §5 forbids them: common in real mail),
 *
 * and mime_param() returns the value in UTF-8 whichever it is. Never fails
 * on bad input: a bad "%" stays as it is, an unknown or missing charset
 * reads the bytes as UTF-8 when they are, else windows-1252, pieces after a
 * missing one are dropped, and the result is always valid UTF-8 without
 * control characters (each becomes U+FFFD, a tab a space). */
#ifndef QA_RFC2231_H
#define QA_RFC2231_H

struct arena;
struct imap_param;

/* The value of the parameter called name (lower case, without any "*") in
 * the list p (names lower-cased, as imap_parse gives them), decoded into a;
 * NULL when there is none (or memory ran out). The whole "name*" wins over
 * pieces, and pieces over a plain "name" unless the pieces lack "name*0". */
const char *mime_param(struct arena *a, const struct imap_param *p, const char *name);

#endif
