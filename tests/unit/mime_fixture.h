/* mime_fixture.h: a BODYSTRUCTURE from the text an IMAP server sends, parsed
 * by the real parser (cgi/imap_parse.c), for the MIME unit tests. */
#ifndef QA_MIME_FIXTURE_H
#define QA_MIME_FIXTURE_H

#include "arena.h"
#include "imap_parse.h"

#include <check.h>
#include <string.h>

/* The body of "* 1 FETCH (BODYSTRUCTURE text)". */
static inline struct imap_body *bodystructure(struct arena *a, const char *text)
{
	struct imap_limits lim;
	struct imap_response r;
	struct imap_fetch f;
	char *wire = arena_printf(a, "* 1 FETCH (BODYSTRUCTURE %s)\r\n", text);

	imap_limits_default(&lim);
	ck_assert_ptr_nonnull(wire);
	ck_assert_int_eq(imap_parse_response(a, wire, strlen(wire), &lim, &r), IMAP_PARSE_OK);
	ck_assert_int_eq(imap_parse_fetch(a, &r, &f), IMAP_PARSE_OK);
	ck_assert_ptr_nonnull(f.body);
	return f.body;
}

/* The envelope of "* 1 FETCH (ENVELOPE text)". */
static inline struct imap_envelope *envelope(struct arena *a, const char *text)
{
	struct imap_limits lim;
	struct imap_response r;
	struct imap_fetch f;
	char *wire = arena_printf(a, "* 1 FETCH (ENVELOPE %s)\r\n", text);

	imap_limits_default(&lim);
	ck_assert_ptr_nonnull(wire);
	ck_assert_int_eq(imap_parse_response(a, wire, strlen(wire), &lim, &r), IMAP_PARSE_OK);
	ck_assert_int_eq(imap_parse_fetch(a, &r, &f), IMAP_PARSE_OK);
	ck_assert_ptr_nonnull(f.env);
	return f.env;
}

#endif
