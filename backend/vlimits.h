/* vlimits: a domain's limits, DOMDIR/.qmailadmin-limits, falling back to
 * ~vpopmail/etc/vlimits.default, read and written the way vpopmail's
 * vlimits.c does; and the per-user flag bits of the vpasswd gid field,
 * which the limits' disable_* keywords add to every user of the domain.
 *
 * Must never: write perm_maillist's list-user and moderator bits into
 * perm_quota (vpopmail's writer does; its reader expects them in
 * perm_maillist), leave a half-written file, print, or exit. */
#ifndef QA_VLIMITS_H
#define QA_VLIMITS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/* ---- vpasswd gid field flags (vpopmail.h) ---- */
#define NO_PASSWD_CHNG  0x01UL      /* may not change the password */
#define NO_POP          0x02UL      /* vchkpw refuses POP3 */
#define NO_WEBMAIL      0x04UL      /* vchkpw refuses POP/IMAP from 127.0.0.1 */
#define NO_IMAP         0x08UL      /* vchkpw refuses IMAP */
#define BOUNCE_MAIL     0x10UL      /* vdelivermail bounces everything */
#define NO_RELAY        0x20UL      /* no POP-before-SMTP relay */
#define NO_DIALUP       0x40UL      /* site-defined */
#define V_USER0         0x80UL      /* free admin flags (qmailadmin's Flag0..3) */
#define V_USER1         0x100UL
#define V_USER2         0x200UL
#define V_USER3         0x400UL
#define NO_SMTP         0x800UL     /* vchkpw refuses SMTP AUTH */
#define QA_ADMIN        0x1000UL    /* qmailadmin domain administrator */
#define V_OVERRIDE      0x2000UL    /* the domain limits do not apply */
#define NO_SPAMASSASSIN 0x4000UL
#define DELETE_SPAM     0x8000UL
#define SA_ADMIN        0x10000UL
#define SA_EXPERT       0x20000UL
#define NO_MAILDROP     0x40000UL

/* perm_* bits for non-postmaster admins */
#define VLIMIT_DISABLE_CREATE 1
#define VLIMIT_DISABLE_MODIFY 2
#define VLIMIT_DISABLE_DELETE 4
#define VLIMIT_DISABLE_ALL    7
#define VLIMIT_DISABLE_BITS   3

struct vlimits {
	int maxpopaccounts;          /* -1 = unlimited */
	int maxaliases;
	int maxforwards;
	int maxautoresponders;
	int maxmailinglists;
	int64_t diskquota;           /* "quota": domain quota in MB */
	int64_t maxmsgcount;
	int64_t defaultquota;        /* "default_quota": new-user quota in bytes */
	int64_t defaultmaxmsgcount;
	int disable_pop;
	int disable_imap;
	int disable_dialup;
	int disable_passwordchanging;
	int disable_webmail;
	int disable_relay;           /* "disable_external_relay" */
	int disable_smtp;
	int disable_spamassassin;
	int delete_spam;
	int disable_maildrop;
	int perm_account;            /* each & VLIMIT_DISABLE_ALL */
	int perm_alias;
	int perm_forward;
	int perm_autoresponder;
	int perm_maillist;
	int perm_maillist_users;
	int perm_maillist_moderators;
	int perm_quota;
	int perm_defaultquota;
};

enum vlimits_source {
	VLIMITS_NONE,          /* neither file: the defaults (vpopmail fails here) */
	VLIMITS_DOMAIN,        /* DOMDIR/.qmailadmin-limits */
	VLIMITS_DEFAULT        /* the vlimits.default file */
};

/* vdefault_limits(): -1 for the five max* counts, 0 for everything else. */
void vlimits_defaults(struct vlimits *l);

/* Applies a file's text on top of l, as vlimits_read_limits_file(): lines
 * end at CR or LF; empty and '#' lines are skipped; the keyword ends at a
 * space, tab or ':', the value follows any run of those; numbers as atoi()
 * / strtoll(); unknown keywords are ignored; parsing stops at a line of
 * 2 KB or more (vpopmail's buffer). Never fails. */
void vlimits_parse(struct vlimits *l, const char *text, size_t len);

/* The file as vlimits_write_limits_file() lays it out ("key: value" in its
 * order, set flags as bare keywords), except that perm_maillist carries
 * its list-user and moderator bits and perm_quota only its own. */
int vlimits_format(const struct vlimits *l, struct buf *out);

/* vget_limits(): defaults, then DOMDIR/.qmailadmin-limits if it exists,
 * else default_file (e.g. "/home/vpopmail/etc/vlimits.default"; may be
 * NULL) if it exists. *src (may be NULL) says which was used. */
int vlimits_load(const char *domdir, const char *default_file, struct vlimits *l,
                 enum vlimits_source *src, struct qa_error *err);

/* Writes DOMDIR/.qmailadmin-limits atomically, mode 0600. */
int vlimits_save(const char *domdir, const struct vlimits *l, struct qa_error *err);

/* Removes DOMDIR/.qmailadmin-limits (a missing file is fine). */
int vlimits_remove(const char *domdir, struct qa_error *err);

/* vlimits_get_flag_mask(): the gid bits the disable_* keywords impose. */
unsigned long vlimits_flag_mask(const struct vlimits *l);

/* The flags vchkpw acts on: gid | mask, or gid alone with V_OVERRIDE. */
unsigned long vlimits_effective_flags(unsigned long gid, const struct vlimits *l);

#endif
