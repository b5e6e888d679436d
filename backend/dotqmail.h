/* dotqmail: the .qmail files of a vpopmail domain, as vpopmail's valias_*
 * and qmailadmin write and read them:
 *   DOMDIR/.qmail-NAME     aliases and forwards, blackholes, autoresponders,
 *                          ezmlm list links (NAME: local part lower-cased,
 *                          '.' written as ':')
 *   DOMDIR/.qmail-default  the catch-all: one vdelivermail line
 *   USERDIR/.qmail         a mailbox's forwards, saved copy, blackhole and
 *                          vacation line, read by vdelivermail
 * Files are written atomically, mode 0600, owned by the domain's uid/gid
 * (qmail-local and vdelivermail run as that uid and refuse files others
 * could write).
 *
 * It must never let '/', "..", ':', a newline, a NUL or a blank from a name
 * reach a path or a line; never put a shell metacharacter from a caller's
 * value into a '|' line (qmail and vdelivermail run those with /bin/sh);
 * never replace a symlink (ezmlm's list links) with a file. No locking:
 * vpopmail takes none for these files. */
#ifndef QA_DOTQMAIL_H
#define QA_DOTQMAIL_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "err.h"
#include "validate.h"

#define DQ_FILE_MAX (1u << 20)   /* refuse to load bigger .qmail files */
#define DQ_LINE_MAX 1000         /* a line we write or keep */
#define DQ_MAX_FORWARDS 10       /* forwards of one mailbox (qmailadmin: 5) */
#define DQ_AMP 1u                /* dq_alias_add_target: write "&addr" (qmailadmin) */

/* A directory holding .qmail files and the owner they must have;
 * (uid_t)-1 / (gid_t)-1 keep the writer's. */
struct dq_dir {
	const char *path;
	uid_t uid;
	gid_t gid;
};

/* ---- names and targets ---- */

/* "John.Doe" -> ".qmail-john:doe". The name must pass v_local() and not
 * be "default" (that file is the catch-all). */
int dq_file_name(const char *name, char *out, size_t n, struct qa_error *e);

/* ".qmail-john:doe" -> "john.doe"; -1 if file is not a ".qmail-X" name or
 * out is too small. */
int dq_name_from_file(const char *file, char *out, size_t n);

/* A forward target as a plain addr-spec (v_target). A target without '@'
 * gets "@append_domain" when append_domain is given, else is refused. */
int dq_target(const char *in, const char *append_domain, struct v_target *out,
              struct qa_error *e);

/* ---- domain-level alias files ---- */

enum dq_kind {
	DQ_FORWARD,        /* targets: addresses (without '&') and Maildir paths */
	DQ_BLACKHOLE,      /* comment lines only: mail is dropped */
	DQ_LIST,           /* ezmlm: a symlink, or an ezmlm program line */
	DQ_AUTORESPONDER,  /* an autorespond line; targets: the "also send to" copies */
	DQ_PROGRAM,        /* other '|' lines; targets: the commands without '|' */
	DQ_EMPTY           /* no lines at all (qmail: default delivery) */
};

struct dq_entry {
	char *name;        /* the local part, ':' mapped back to '.' */
	enum dq_kind kind;
	char **targets;
	size_t ntargets;
};

/* The raw content of .qmail-NAME (QA_ERR_NOT_FOUND if missing,
 * QA_ERR_INVALID if it is a symlink). */
int dq_alias_read(const struct dq_dir *d, const char *name, struct buf *content,
                  struct qa_error *e);

/* .qmail-NAME classified as qmailadmin does. Free with dq_entry_free(). */
int dq_alias_get(const struct dq_dir *d, const char *name, struct dq_entry *out,
                 struct qa_error *e);
void dq_entry_free(struct dq_entry *ent);

/* Replaces .qmail-NAME with these lines (each non-empty, without a
 * newline or leading blank, at most DQ_LINE_MAX bytes). */
int dq_alias_write(const struct dq_dir *d, const char *name, const char *const *lines,
                   size_t n, struct qa_error *e);

/* Unlinks .qmail-NAME (QA_ERR_NOT_FOUND if missing; a list's symlink is
 * refused: lists are removed as lists). */
int dq_alias_delete(const struct dq_dir *d, const char *name, struct qa_error *e);

/* Appends one forward line, creating the file if needed: "addr" as
 * vpopmail's valias -i writes it, or "&addr" with DQ_AMP as qmailadmin
 * does. The same line already there is success with *already = 1. */
int dq_alias_add_target(const struct dq_dir *d, const char *name, const char *target,
                        const char *append_domain, unsigned flags, int *already,
                        struct qa_error *e);

/* valias_remove(): drops every line that starts with prefix (so pass the
 * whole line, e.g. "&joe@example.org"); unlinks the file when no line is
 * left. QA_ERR_NOT_FOUND when no line matched. */
int dq_alias_remove_line(const struct dq_dir *d, const char *name, const char *prefix,
                         struct qa_error *e);

/* Makes .qmail-NAME a blackhole: the single line "#". */
int dq_alias_set_blackhole(const struct dq_dir *d, const char *name, struct qa_error *e);

/* Every .qmail-* of a domain except .qmail-default, classified, sorted by
 * name ignoring case (valias_select_names()). List links other than the
 * list's own name (-default, -owner, ...) are left out. */
int dq_list(const char *domdir, struct dq_entry **out, size_t *n, struct qa_error *e);
void dq_list_free(struct dq_entry *list, size_t n);

/* ---- the catch-all DOMDIR/.qmail-default ---- */

enum dq_catchall_kind {
	DQ_CA_DELETE,         /* "delete": accept and drop */
	DQ_CA_BOUNCE,         /* "bounce-no-mailbox" */
	DQ_CA_LOCAL,          /* target: a mailbox of this domain ("user") */
	DQ_CA_REMOTE,         /* target: an address elsewhere */
	DQ_CA_REMOTE_DOMAIN,  /* target: a domain; written "$EXT@domain" */
	DQ_CA_PATH,           /* target: an absolute directory */
	DQ_CA_OTHER           /* not a vdelivermail line we know; target: the line */
};

struct dq_catchall {
	enum dq_catchall_kind kind;
	char target[DQ_LINE_MAX + 1];
};

/* Parses the first line of DOMDIR/.qmail-default; domain tells a local
 * catch-all from a remote one. QA_ERR_NOT_FOUND if there is no file. */
int dq_catchall_read(const char *domdir, const char *domain, struct dq_catchall *out,
                     struct qa_error *e);

/* Writes "| VPOPMAILDIR/bin/vdelivermail '' ACTION\n". DQ_CA_OTHER is
 * refused; addresses must also be free of shell metacharacters. */
int dq_catchall_write(const struct dq_dir *d, const char *vpopmail_dir, const char *domain,
                      const struct dq_catchall *ca, struct qa_error *e);

/* ---- a mailbox's USERDIR/.qmail ---- */

struct dq_user {
	char forward[DQ_MAX_FORWARDS][V_ADDRESS_MAX + 1];
	size_t nforward;
	int save_copy;     /* with forwards: also deliver to USERDIR/Maildir/ */
	int blackhole;     /* "# delete": drop everything (no forwards allowed) */
	int vacation;      /* an autorespond line is present */
	char vacation_line[DQ_LINE_MAX + 1];   /* that line, as read or to write */
};

/* Reads USERDIR/.qmail the way qmailadmin shows it; no file means normal
 * delivery (all zero). QA_ERR_LIMIT if it forwards to more than
 * DQ_MAX_FORWARDS addresses (nothing could be rewritten safely). */
int dq_user_read(const char *userdir, struct dq_user *u, struct qa_error *e);

/* Rewrites USERDIR/.qmail in qmailadmin's order: unknown '|' lines kept as
 * they were, "&addr" per forward, then "# delete" or USERDIR/Maildir/ when
 * not forwarding or saving a copy, then the vacation line (vacation_line if
 * set, else the file's current autorespond line). When only normal delivery
 * would remain, the file is deleted. */
int dq_user_write(const struct dq_dir *userdir, const struct dq_user *u, struct qa_error *e);

/* "| AUTORESPOND_DIR/autorespond 86400 3 USERDIR/vacation/message USERDIR/vacation" */
int dq_vacation_line(const char *autorespond_dir, const char *userdir, char *out, size_t n,
                     struct qa_error *e);

#endif
