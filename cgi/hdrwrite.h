/* hdrwrite: writing header fields of a message we send (RFC 5322 §2.2.3,
 * RFC 2047). One writer folds every field the same way: a line is broken
 * (CRLF and a space) only where a space stands between two words, so that
 * unfolding gives back exactly what was meant, and lines stay within 78
 * characters whenever no single word is longer. Text that is not printable
 * ASCII is written as RFC 2047 encoded-words in UTF-8: "Q" unless it
 * would be more than a third longer than "B", each word at most 75
 * characters and cut only between whole characters.
 *
 * The writer never checks what it is given: its callers (addrlist.c,
 * mimebuild.c) refuse control characters before anything is written, so
 * nothing a user typed can start a header line of its own. */
#ifndef QA_HDRWRITE_H
#define QA_HDRWRITE_H

#include <stddef.h>

struct buf;

#define HDR_LINE_SOFT 78      /* RFC 5322 §2.1.1: SHOULD */
#define HDR_WORD_MAX 75       /* RFC 2047 §2: an encoded-word's limit */

struct hdrw {
	struct buf *out;
	size_t col;               /* characters on the current line */
	int words;                /* words on the current line after the field name */
	int glue;                 /* the next word takes no space (a value's start) */
};

/* Starts a field: "Name:" (no space yet). With name NULL, continues a value
 * that starts at column col (addrlist_format's "To: " written elsewhere). */
void hdrw_begin(struct hdrw *w, struct buf *out, const char *name, size_t col);

/* Adds a word of n bytes, after a space when space is 1 (folding there if
 * the word would not fit), else glued to what came before. */
void hdrw_word(struct hdrw *w, const char *s, size_t n, int space);

/* Starts a new line now when width more characters would not fit on
 * this one (to keep "Name <address>" together). */
void hdrw_keep(struct hdrw *w, size_t width);

/* Adds UTF-8 text as encoded-words, the first after a space; words after
 * the first are folded as needed. The text must be valid UTF-8. */
void hdrw_encoded(struct hdrw *w, const char *s, size_t n);

/* Ends the field with CRLF. */
void hdrw_end(struct hdrw *w);

/* 1 when s (n bytes) can stand in a header as it is: printable ASCII and
 * spaces, no "=?" (which a reader would take for an encoded-word). */
int hdr_plain(const char *s, size_t n);

#endif
