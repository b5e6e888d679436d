/* vpasswd: a domain's user table in vpopmail's cdb backend.
 * DOMDIR/vpasswd is the text source of truth (one user per line, sorted by
 * name with strcmp), DOMDIR/vpasswd.cdb is derived from it, and every
 * writer, vpopmail's tools included, holds the fcntl lock on
 * DOMDIR/.vpasswd.lock while it rewrites both. Readers take no lock: both
 * files are only ever replaced by rename, so a reader sees old or new.
 *
 * Must never: write a line vpopmail's reader would split, skip or crash on
 * (a ':' or '\n' inside a field, 300 bytes or more, no final '\n'), reorder
 * or drop lines it was not asked to touch, leave vpasswd.cdb describing an
 * older vpasswd, build a path from a field, print, or exit.
 * Files are created with the caller's uid: the helper runs these as the
 * domain owner (vpopmail), never as root. */
#ifndef QA_VPASSWD_H
#define QA_VPASSWD_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* vpopmail's vgetent() reads with a 300-byte fgets buffer, so a line
 * (its '\n' included) must be shorter than this to be read whole. */
#define VPW_LINE_MAX 300

/* vpopmail's MAX_PW_* limits (vpopmail.h, 5.6): vadduser and vauth_setpw
 * refuse longer fields, so no line the real tools wrote exceeds them. */
#define VPW_NAME_MAX 64
#define VPW_PASSWD_MAX 128
#define VPW_GECOS_MAX 64
#define VPW_DIR_MAX 160
#define VPW_QUOTA_MAX 20
#define VPW_CLEAR_MAX 128

#define VPW_LOCK_TIMEOUT_MS 20000

/* name:passwd:uid:gid:gecos:dir:quota[:clear] */
struct vpw_entry {
	char name[VPW_NAME_MAX + 1];
	char passwd[VPW_PASSWD_MAX + 1];  /* crypt(3) hash */
	int uid;                          /* unused by vpopmail; write 1 */
	unsigned long flags;              /* the gid field: bits in vlimits.h */
	char gecos[VPW_GECOS_MAX + 1];
	char dir[VPW_DIR_MAX + 1];
	char quota[VPW_QUOTA_MAX + 1];    /* "NOQUOTA", "52428800S", ... or "" */
	int has_clear;                    /* an 8th field was present */
	char clear[VPW_CLEAR_MAX + 1];    /* may contain ':' (it is last) */
};

/* Parses one line (a trailing '\n' is allowed). Refuses what vpopmail's
 * reader would not read as one entry: fewer than 6 colons, 300+ bytes,
 * NUL or inner '\n', an empty name, fields over the MAX_PW_* limits.
 * uid and gid are read like atoi(). QA_ERR_CORRUPT on refusal. */
int vpasswd_parse_line(const char *line, size_t len, struct vpw_entry *e,
                       struct qa_error *err);

/* Appends the line for e, '\n' included. QA_ERR_INVALID (field named) if a
 * field holds ':' or '\n' (the clear field may hold ':'), exceeds its
 * limit, the name is empty, upper case, holds '/' or is "." or "..", the
 * flags exceed INT_MAX (vpopmail reads them with atoi), or the line would
 * be 300 bytes or more. Nothing is appended on failure. */
int vpasswd_format_line(const struct vpw_entry *e, struct buf *out,
                        struct qa_error *err);

/* A whole vpasswd read in one go, with the start of each line indexed.
 * Lines are parsed only when asked for. The text always ends in '\n'
 * (one is added in memory if the file lacked it). */
struct vpw_file {
	char *text;
	size_t len;
	size_t *line;      /* line[i] = offset of line i; line[n] = len */
	size_t n;
	size_t nameless;   /* lines without ':' (never entries; scans skip them) */
	int sorted;        /* names in strcmp order: lookups binary search */
	size_t maplen;     /* text is an mmap of the file (0: malloc'ed) */
	int shared;        /* text and line belong to vpasswd.c's cache */
};

/* Reads DOMDIR/vpasswd. A missing file is an empty table. */
int vpasswd_load(struct vpw_file *f, const char *domdir, struct qa_error *err);
/* Same over a copy of data[0..len) (tests, fuzzing). */
int vpasswd_load_mem(struct vpw_file *f, const void *data, size_t len,
                     struct qa_error *err);
void vpasswd_free(struct vpw_file *f);

size_t vpasswd_count(const struct vpw_file *f);
/* Line i without its '\n'. */
void vpasswd_line(const struct vpw_file *f, size_t i, const char **p, size_t *len);
/* Parses line i (QA_ERR_CORRUPT if it is not a valid entry). */
int vpasswd_entry(const struct vpw_file *f, size_t i, struct vpw_entry *e,
                  struct qa_error *err);
/* Index of the first line for name, or -1. */
long vpasswd_find(const struct vpw_file *f, const char *name);
/* find + entry; QA_ERR_NOT_FOUND if absent. */
int vpasswd_lookup(const struct vpw_file *f, const char *name, struct vpw_entry *e,
                   struct qa_error *err);

/* ---- vpasswd_page.c: list pages, straight from the mapped file */

/* DOMDIR/vpasswd mapped read-only as it is (the last line may lack its
 * '\n'); a missing or empty file maps as text NULL, len 0. entries is the
 * number of entries (lines with ':') as vpasswd.cdb's header counts them,
 * when that cdb is not older than the mapped vpasswd and the text ends in
 * '\n' (entries_known); else the text must be walked to count them. */
struct vpw_map {
	const char *text;
	size_t len;
	size_t entries;
	int entries_known;
};
int vpasswd_map(const char *domdir, struct vpw_map *m, struct qa_error *err);
void vpasswd_unmap(struct vpw_map *m);

/* The entries of DOMDIR/vpasswd at any size in about the time of two
 * opens: vpasswd_map's count from the cdb, else counted in the text; 0 when
 * there is no vpasswd (or it cannot be read). */
size_t vpasswd_entries(const char *domdir);

/* Which entries, in which order. Entries are the lines with a ':'. */
struct vpw_query {
	const char *search;     /* name or gecos contains it, case folded (below); NULL, "": all */
	int by_gecos;           /* order by folded gecos, then name; else by name */
	int descending;
	size_t offset;
	size_t limit;           /* 0: no limit */
	const size_t *entries;  /* the text's entries when known (vpw_map's), else NULL */
};

/* Gets one line of a page (without its '\n'); nonzero stops the page. */
typedef int (*vpw_line_fn)(void *ctx, const char *line, size_t len);

/* The entries of text[0..len) (a whole vpasswd) that match q->search, in
 * q's order: fn gets entries [offset, offset + limit) of that order, and
 * *total counts all that match. Name order is the file's (vpasswd is kept
 * sorted), read forwards or backwards; with q->entries and no search,
 * *total is *q->entries and only the lines up to the page are read, from
 * the nearer end of the file. Gecos order holds at most offset + limit
 * lines in a heap.
 * Case folding (search and gecos order): ASCII letters, and the capitals
 * of Latin-1 Supplement and Latin Extended-A (Å, Ä, Ö, É, Ø, Æ, Ł, Š, ...)
 * to their lower case; gecos order is the byte order of the folded UTF-8,
 * so a-z come first, then à..þ (å ä ö after z, as in Swedish), then the
 * Latin Extended-A letters. Returns 0; -1 with err when memory runs out;
 * or fn's first nonzero (the page ends there, *total is still set). */
int vpasswd_page(const char *text, size_t len, const struct vpw_query *q, vpw_line_fn fn,
                 void *ctx, size_t *total, struct qa_error *err);

/* Changes. Each takes the lock, re-reads vpasswd, writes the new vpasswd
 * (mode 0600) and vpasswd.cdb atomically, then drops the lock. On any error
 * both files are left as they were, except when the cdb alone cannot be
 * replaced after vpasswd was: then vpasswd.cdb is removed, which makes
 * vpopmail rebuild it on its next lookup, and QA_ERR_IO is returned. */

/* Adds e before the first line whose name is greater (vpopmail's place).
 * QA_ERR_EXISTS if the name is there. */
int vpasswd_insert(const char *domdir, const struct vpw_entry *e, struct qa_error *err);
/* Replaces the line(s) for e->name by e, in place (duplicates collapse
 * into one). QA_ERR_NOT_FOUND if absent. */
int vpasswd_replace(const char *domdir, const struct vpw_entry *e, struct qa_error *err);
/* Removes every line for name. QA_ERR_NOT_FOUND if absent. */
int vpasswd_delete(const char *domdir, const char *name, struct qa_error *err);
/* Adds n entries in one rewrite, each where vpasswd_insert would put it.
 * All or nothing: QA_ERR_EXISTS names the first one already present or
 * given twice. */
int vpasswd_insert_many(const char *domdir, const struct vpw_entry *v, size_t n,
                        struct qa_error *err);
/* Rebuilds vpasswd.cdb from vpasswd under the lock (vmkpasswd; repair
 * after a crash between the two renames). */
int vpasswd_rebuild_cdb(const char *domdir, struct qa_error *err);

#endif
