/* quota: Maildir++ quotas as vpopmail stores them: the quota string in
 * vpasswd field 7 ("NOQUOTA", "<bytes>S", "<bytes>S,<count>C", "<count>C"
 * or "" for none) and the Maildir/maildirsize file that vdelivermail (and
 * IMAP servers) keep the usage in: the quota on line 1, then "<bytes>
 * <count>" lines whose sum is the usage.
 *
 * Must never: store a quota string vpopmail would not have produced, count
 * a message vpopmail's recount skips (dot files, 'T'-flagged, .Trash), leave
 * a half-written maildirsize, build a path from a file name that holds '/',
 * print, or exit. Files are created with the caller's uid. */
#ifndef QA_QUOTA_H
#define QA_QUOTA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define QUOTA_STR_MAX 20          /* vpopmail's MAX_PW_QUOTA */
#define QUOTA_INPUT_MAX 127       /* format_maildirquota's 128-byte copy */

/* format_maildirquota(): user input to the stored form. "NOQUOTA" stays;
 * each comma part is a byte size (optional K/KB/M/MB, any case, optional
 * trailing S) or, ending in 'C', a message count; the last of each kind
 * wins; "1M", "1MB", "1024K", "1048576" give "1048576S", "1000C,10MBS"
 * gives "10485760S,1000C"; 0 or garbage gives "" (no quota). Unlike
 * vpopmail, a negative or overflowing number counts as garbage.
 * QA_ERR_INVALID if in is longer than QUOTA_INPUT_MAX or the result does
 * not fit vpasswd (QUOTA_STR_MAX); out needs QUOTA_STR_MAX + 1 bytes. */
int quota_normalize(const char *in, char out[QUOTA_STR_MAX + 1], struct qa_error *err);

struct quota_limit {
	uint64_t bytes;      /* 0 = no byte limit */
	uint64_t count;      /* 0 = no message limit */
};

/* A stored quota string to numbers. "NOQUOTA" and "" are no limit (both
 * 0). Parts are digits with S (or no suffix: bytes, as Maildir++ readers
 * take it) or C. QA_ERR_INVALID for anything else. */
int quota_parse(const char *q, struct quota_limit *out, struct qa_error *err);

/* 1 if q sets no limit (vdelivermail skips the check): "NOQUOTA" or "". */
int quota_is_none(const char *q);

/* vpopmail's recount of a Maildir: every file not starting with '.' in
 * new/ and cur/ of maildir and of each .Folder in it except .Trash, but not
 * messages whose ":2," flags hold 'T'; the size from ",S=<n>" in the name
 * (before any ':'), else from stat. Missing directories count as empty. */
int quota_scan(const char *maildir, uint64_t *bytes, uint64_t *count, struct qa_error *err);

/* vsetuserquota()'s update_maildirsize(): removes maildir/maildirsize, then
 * unless q sets no limit writes it anew, atomically (0600): "q\n<bytes>
 * <count>\n" from quota_scan(). q must be a stored (normalized) string. */
int quota_apply(const char *maildir, const char *q, struct qa_error *err);

/* Removes maildir/maildirsize (a missing file is fine). */
int quota_remove(const char *maildir, struct qa_error *err);

/* The usage: the sum of the lines after the first of maildirsize (lines
 * may be negative, as IMAP servers write after deletes); when the file is
 * missing or 5120 bytes or more (vpopmail then recounts), quota_scan(). */
int quota_usage(const char *maildir, uint64_t *bytes, uint64_t *count, struct qa_error *err);

#endif
