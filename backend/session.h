/* session: login sessions, issued and checked by the helper alone.
 *
 * A ticket is "SID.MAC": SID is 128 random bits (hex), MAC is HMAC-SHA256 of
 * the SID under a key only the helper can read (STATE_DIR/key). The session
 * itself is the file STATE_DIR/sessions/SID holding the role, the principal
 * and the login time; its mtime is the last request. So a ticket cannot be
 * forged (MAC), expires when idle (mtime) or old (login time), and is
 * revoked by removing its file (logout, password change).
 *
 * A mailbox session may also hold webmail's sealed password ("wm"): the
 * front end encrypts the password under a key that lives only in the
 * browser's cookie and hands the helper the ciphertext, which lives only
 * here. Neither half alone reveals the password (architecture.md, Sessions),
 * and revoking the session destroys the server's half. The helper never
 * sees the key and never decrypts. */
#ifndef QA_SESSION_H
#define QA_SESSION_H

#include <stddef.h>
#include <time.h>

#include "err.h"

#define SESSION_TICKET_LEN (32 + 1 + 64)
#define SESSION_NAME_MAX 255
/* Hex of nonce + sealed password + tag: room for a 128-byte password. */
#define SESSION_WM_MAX 512

enum role {
	ROLE_NONE = 0,
	ROLE_USER,           /* a mailbox owner: own mailbox only */
	ROLE_DOMAIN_ADMIN,   /* postmaster or QA_ADMIN flag: own domain only */
	ROLE_SUPERADMIN      /* everything */
};

struct session_store {
	char dir[4096];                /* STATE_DIR */
	unsigned char key[32];
	int have_key;
	unsigned long idle;            /* seconds */
	unsigned long max;             /* seconds */
};

struct session {
	char sid[33];
	enum role role;
	char name[SESSION_NAME_MAX + 1];   /* "user@domain" or the admin name */
	time_t login;
	char wm[SESSION_WM_MAX + 1];       /* webmail's sealed password, hex; "" for none */
};

/* Remembers STATE_DIR. Nothing is created here: the key (0600) and
 * sessions/ (0700) are made by the first login, which runs as the vpopmail
 * user, so an operation that runs as root never leaves root-owned files in
 * the state directory. */
int session_store_open(struct session_store *s, const char *state_dir,
                       unsigned long idle, unsigned long max, struct qa_error *e);

/* New session for role/name, holding wm (NULL or "" for none; else it must
 * pass session_wm_ok); writes the ticket (NUL-terminated) to ticket. */
int session_create(struct session_store *s, enum role role, const char *name, const char *wm,
                   char ticket[SESSION_TICKET_LEN + 1], struct qa_error *e);

/* Replaces the webmail half of session sid (after a password change), the
 * rest of the session as it was. */
int session_set_wm(struct session_store *s, const char *sid, const char *wm, struct qa_error *e);

/* Is wm lower-case hex of an even length, long enough to hold a nonce and a
 * tag, at most SESSION_WM_MAX? */
int session_wm_ok(const char *wm);

/* Verifies a ticket and loads its session; refreshes its idle time.
 * QA_ERR_EXPIRED for unknown, forged, revoked or expired tickets. */
int session_check(struct session_store *s, const char *ticket, time_t now,
                  struct session *out, struct qa_error *e);

/* Ends one session (logout). Unknown tickets are not an error. */
int session_revoke(struct session_store *s, const char *ticket, struct qa_error *e);

/* Ends every session of name except keep_sid (may be NULL); returns the
 * number ended. Used after a password change or a deleted account. */
int session_revoke_name(struct session_store *s, const char *name, const char *keep_sid);

const char *role_name(enum role r);
enum role role_from_name(const char *s);

#endif
