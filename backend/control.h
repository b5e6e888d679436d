/* control: the qmail control files that name mail domains, edited exactly
 * the way vpopmail's add_domain_assign()/del_control() edit them, so that
 * qmail and the real vpopmail tools keep reading our files unchanged:
 *   control/rcpthosts       DOMAIN, while it has fewer than 50 lines
 *   control/morercpthosts   DOMAIN, after that; plus morercpthosts.cdb,
 *                           which we build ourselves in qmail-newmrh's format
 *   control/virtualdomains  DOMAIN:DOMAIN
 *   control/locals          DOMAIN removed
 * Each file is changed under the fcntl lock vpopmail takes (FILE.lock
 * beside it), with vpopmail's sorted insert, mode 0644, atomically.
 *
 * This file also holds the small line-file machinery (load, sorted insert,
 * remove, render) and the safe-path check that assign.c and dotqmail.c
 * share, so that there is one of each.
 *
 * It must never run qmail-newmrh, a shell or anything through PATH; never
 * leave rcpthosts missing (a missing rcpthosts makes qmail-smtpd accept
 * mail for every domain); never write a line built from a name that has not
 * passed its validator. */
#ifndef QA_CONTROL_H
#define QA_CONTROL_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "err.h"

#define CTL_RCPTHOSTS_MAX 50          /* vpopmail's count_rcpthosts() limit */
#define CTL_FILE_MAX (16u << 20)      /* refuse to load bigger store files */
#define CTL_LOCK_TIMEOUT_MS 20000     /* vpopmail retries for 10 x 2 s */
#define CTL_PATH_MAX 4096

/* Where a domain is listed (bits of ctl_domain_where's result). */
enum ctl_where {
	CTL_IN_RCPTHOSTS = 1,
	CTL_IN_MORERCPTHOSTS = 2,
	CTL_IN_VIRTUALDOMAINS = 4,
	CTL_IN_LOCALS = 8
};

/* Lists DOMAIN for qmail: virtualdomains "DOMAIN:DOMAIN", then rcpthosts or
 * (once rcpthosts has 50 lines) morercpthosts + its cdb, then removes it
 * from locals. A domain already listed is left alone; *already (may be
 * NULL) is set to 1 when nothing had to change. QA_ERR_EXISTS when
 * virtualdomains routes DOMAIN somewhere else. */
int ctl_add_domain(const char *qmaildir, const char *domain, int *already,
                   struct qa_error *e);

/* vpopmail's del_control(): removes DOMAIN from rcpthosts and
 * morercpthosts (unlinking morercpthosts and its cdb when it becomes
 * empty, else rebuilding the cdb) and "DOMAIN:DOMAIN" from virtualdomains.
 * QA_ERR_NOT_FOUND when it was in none of them. */
int ctl_remove_domain(const char *qmaildir, const char *domain, struct qa_error *e);

/* Sets *where to the ctl_where bits of the files that list DOMAIN, matched
 * the way qmail reads them (case-insensitive, trailing blanks ignored). */
int ctl_domain_where(const char *qmaildir, const char *domain, unsigned *where,
                     struct qa_error *e);

/* Rebuilds control/morercpthosts.cdb from control/morercpthosts (under its
 * lock), as qmail-newmrh does. */
int ctl_rebuild_morercpthosts(const char *qmaildir, struct qa_error *e);

/* Tells qmail-send to reread locals and virtualdomains: reads a pid file
 * (a regular file holding one decimal pid > 1 and an optional newline,
 * nothing else) and sends that pid SIGHUP. */
int ctl_hup_pidfile(const char *pidfile, struct qa_error *e);

/* The same through a supervisor (e.g. {"/usr/bin/svc", "-h",
 * "/service/qmail-send", NULL}): fork + execve of the absolute argv[0]
 * with a fixed argv and a minimal environment, no shell, stdin and stdout
 * on /dev/null; waits at most 10 s. Fails unless it exits 0. */
int ctl_run_reload(const char *const argv[], struct qa_error *e);

/* ---- shared line-file machinery (used by assign.c and dotqmail.c) ---- */

/* A file as a list of lines without their '\n'. */
struct ctl_lines {
	char **v;
	size_t n, cap;
};

/* vpopmail's two sort keys (extract_domain): users/assign lines are keyed
 * on the text between the leading '+' and the "-:", other files on the
 * text before the first ':'; then the last two labels move to the front. */
enum ctl_key { CTL_KEY_PLAIN, CTL_KEY_ASSIGN };

/* Takes vpopmail's write lock on PATH.lock. Returns the fd or -1. */
int ctl_lock(const char *path, struct qa_error *e);

/* Reads a regular file of at most max bytes into out (reset first). A
 * missing file gives an empty out and *missing = 1 (missing may be NULL
 * only when a missing file is an error). nofollow refuses a symlink. */
int ctl_read_file(const char *path, struct buf *out, size_t max, int nofollow,
                  int *missing, struct qa_error *e);

/* Splits data into lines; a NUL byte is QA_ERR_CORRUPT (field names it). */
int ctl_lines_split(const char *data, size_t len, struct ctl_lines *l,
                    const char *field, struct qa_error *e);
int ctl_lines_load(const char *path, struct ctl_lines *l, int *missing,
                   struct qa_error *e);
int ctl_lines_push(struct ctl_lines *l, const char *s, size_t n);
void ctl_lines_free(struct ctl_lines *l);

/* update_file(): inserts line before the first line whose key is greater;
 * if the existing lines were out of order, sorts them all (stably). */
int ctl_lines_insert_sorted(struct ctl_lines *l, const char *line, enum ctl_key kt);
int ctl_lines_is_sorted(const struct ctl_lines *l, enum ctl_key kt);

/* Drops every line for which match() is true; returns how many. */
size_t ctl_lines_remove(struct ctl_lines *l,
                        int (*match)(const char *line, const void *arg),
                        const void *arg);

/* Appends every line and its '\n' to out. */
void ctl_lines_render(const struct ctl_lines *l, struct buf *out);

/* atomic_replace() with a qa_error naming field. */
int ctl_write_file(const char *path, const struct buf *data, mode_t mode,
                   const char *field, struct qa_error *e);

/* 1 when s equals domain the way qmail compares control lines: ASCII case
 * ignored, trailing spaces and tabs ignored. */
int ctl_line_is(const char *s, const char *domain);

/* 1 when path is absolute, at most max bytes, made only of [A-Za-z0-9._/+=@,-]
 * (no blank, quote, ':' or shell metacharacter, since paths end up in
 * users/assign fields and in .qmail lines run by /bin/sh), has no "." or
 * ".." component, no "//" and no trailing '/'. */
int ctl_path_ok(const char *path, size_t max);

/* dir + "/" + name into out, or QA_ERR_INVALID when it does not fit. */
int ctl_join(char *out, size_t n, const char *dir, const char *name, struct qa_error *e);

#endif
