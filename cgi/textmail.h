/* textmail: a text/plain part as safe HTML. Every character is escaped;
 * line breaks stay newlines, so the page shows the fragment in an element
 * styled white-space: pre-wrap. http://, https:// and mailto: URLs and
 * bare addresses (user@example.com) become links with rel="noopener
 * noreferrer" target="_blank"; punctuation that ends a sentence (. , ; : !
 * ? quotes, and a ")" or "]" with no partner inside) is not part of the
 * link. Quoted lines (starting with ">") are wrapped, per level, in
 * <span class="mail-quote">; each span holds whole lines with their
 * newlines, so it may be styled inline or as a block. The quote markers
 * stay in the text. Nothing else is ever written: no other element, no
 * other attribute. */
#ifndef QA_TEXTMAIL_H
#define QA_TEXTMAIL_H

#include "html.h"

#include <stddef.h>

struct arena;

#define TEXTMAIL_FLOWED 1u   /* format=flowed (RFC 3676): soft line breaks joined */
#define TEXTMAIL_DELSP  2u   /* with TEXTMAIL_FLOWED: DelSp=yes */

#define TEXTMAIL_QUOTE_MAX 8     /* deeper quotes get no more spans */
#define TEXTMAIL_URL_MAX 2048    /* longer URLs stay text */

/* Converts len bytes of UTF-8 text (invalid sequences are shown as U+FFFD,
 * controls other than tab and newline dropped; CRLF and LF both end a
 * line) into out, allocated in a. Returns 0, or -1 when memory ran out
 * (then out is empty). */
int textmail_html(struct arena *a, const char *in, size_t len, unsigned flags,
                  struct safe_html *out);

#endif
