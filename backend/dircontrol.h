/* dircontrol: vpopmail's directory hashing ("users-big-dir"). A domain keeps
 * its users, and ~vpopmail/domains keeps its domains, in hash directories
 * after the first 99: DIR/.dir-control (8 lines) says where the next one
 * goes, and DIR/.dir_control_free lists hash directories that deletes left
 * with a free place, which are used first.
 *
 * What vpopmail writes is reproduced byte for byte, bugs included, because
 * its own tools keep reading and writing the same file: its reader takes
 * the third number of each "a b c" line from after the FIRST space, so
 * once any tool has read the file the mod line "0 2 4" becomes "0 2 2"
 * (and the third index always equals the second). Only a file written from
 * scratch carries "0 2 4".
 *
 * Must never: hand out a hash directory that is not made of the 62 hash
 * characters and '/', leave a half-written file, print, or exit.
 * Files are created with the caller's uid (the helper runs as the owner). */
#ifndef QA_DIRCONTROL_H
#define QA_DIRCONTROL_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define DIRCTL_LEVELS 3
#define DIRCTL_DIR_MAX 300        /* vpopmail's MAX_DIR_NAME buffer */
#define DIRCTL_HASH_MAX 64        /* longest hash path we accept from a file */
#define DIRCTL_PER_DIR 100        /* MAX_USERS_PER_LEVEL */
#define DIRCTL_LOCK_TIMEOUT_MS 20000

struct dirctl {
	unsigned long cur_users;
	int level_cur;
	int level_max;
	int start[DIRCTL_LEVELS];
	int end[DIRCTL_LEVELS];
	int mod[DIRCTL_LEVELS];     /* byte offset in the_dir changed per level */
	int idx[DIRCTL_LEVELS];     /* vpopmail's count per level */
	char the_dir[DIRCTL_DIR_MAX];   /* zero-filled past the string */
};

/* The state vpopmail uses when the file is missing: 0 users, "0 2 4". */
void dirctl_init(struct dirctl *dc);

/* Reads text the way vpopmail's vread_dir_control does (third numbers
 * copied from the second, the_dir from a 9th line if one exists).
 * QA_ERR_CORRUPT if it has fewer than 8 lines, a number line without a
 * space, values that would index outside vpopmail's tables, or a the_dir
 * that is not a hash path. An empty text counts as a missing file. */
int dirctl_parse(struct dirctl *dc, const char *text, size_t len, struct qa_error *err);

/* The 8 lines vpopmail's vwrite_dir_control writes. */
int dirctl_format(const struct dirctl *dc, struct buf *out);

/* One add (vpopmail's inc_dir_control): cur_users + 1 and, every 100th
 * time, the next hash directory. The new entry goes in dc->the_dir. */
int dirctl_next(struct dirctl *dc, struct qa_error *err);

/* File access; path is the .dir-control file. A missing file reads as
 * dirctl_init(). Writing is atomic (mode 0600). */
int dirctl_read(const char *path, struct dirctl *dc, struct qa_error *err);
int dirctl_write(const char *path, const struct dirctl *dc, struct qa_error *err);

/* 1 if s could be a hash directory vpopmail made: "" or up to
 * DIRCTL_HASH_MAX bytes of [0-9A-Za-z/] not starting with '/' ("0", "0/1",
 * and past 390,600 users "0/1/"). No '.', so never "..". */
int dirctl_hash_valid(const char *s);

/* The operations. dir is the directory holding .dir-control: a DOMDIR for
 * users, ~vpopmail/domains for domains (vpopmail keeps no free list for
 * domains: pass use_free = 0 there). Each runs under an fcntl lock on
 * dir/.dir_control_free.lock, the lock vpopmail takes for the free list.
 *
 * take: the hash directory for a new user/domain ("" = dir itself) into
 * hash[hashsz]. With use_free, the first usable line of .dir_control_free
 * is taken out of it first (and cur_users goes up by one unless it is 0,
 * as vpopmail's backfill does); otherwise the next place from .dir-control.
 * The caller creates the directory. */
int dirctl_take(const char *dir, int use_free, char *hash, size_t hashsz,
                struct qa_error *err);

/* give_back: after a delete. cur_users goes down by one (never below 0:
 * vpopmail would wrap it to 2^64-1) and, with use_free and a non-empty
 * hash, the hash directory is appended to .dir_control_free. */
int dirctl_give_back(const char *dir, int use_free, const char *hash,
                     struct qa_error *err);

/* The hash directory of a user from its home: home must be
 * domdir/HASH/name or domdir/name; HASH goes to hash[hashsz] ("" if none).
 * QA_ERR_INVALID if home has another shape or HASH is not a hash path. */
int dirctl_hash_of(const char *domdir, const char *home, const char *name,
                   char *hash, size_t hashsz, struct qa_error *err);

#endif
