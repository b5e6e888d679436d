/* submit: sends a webmail message the way the configuration says
 * (send_via): to the SMTP relay (smtp.h) or through the qmail-inject
 * program, and says what went wrong in a form a page can show.
 *
 * qmail-inject runs without a shell (posix_spawn) as
 *     qmail-inject -a -f SENDER -- RCPT...
 * (-a: the recipients are the arguments, never the message's To/Cc/Bcc;
 * -f: the envelope sender), with the message on its stdin with LF line
 * ends, an environment of PATH only (so no QMAILINJECT, QMAILUSER,
 * QMAILHOST, QMAILQUEUE ... of ours reaches it), no descriptors but its
 * stdin and its stdout and stderr (both read back for the log), a deadline
 * of smtp_timeout for the whole run (then it is killed), and its exit status
 * checked: 0 sent, 111 temporary, 100 permanent (qmail's convention), any
 * other status or a signal is a local failure.
 *
 * The message (RFC 5322, from the MIME builder) must carry no Bcc: header:
 * Bcc recipients are in the envelope only. Its line ends may be CRLF or LF.
 * The envelope sender must be an address (no null sender for qmail-inject).
 *
 * The page shows ctx_text(c, submit_err_key(&res)), whose {1} (for the
 * keys send.err_rcpt_*) is the refused address env->rcpts[res.rcpt], then
 * res.excerpt (the server's own words) when there is one, under
 * send.server_said; res.detail goes to the log. The draft is kept on every
 * error. */
#ifndef QA_SUBMIT_H
#define QA_SUBMIT_H

#include <stddef.h>

#include "conf.h"
#include "smtp.h"

enum submit_via { SUBMIT_SMTP, SUBMIT_QMAIL_INJECT };
enum submit_auth { SUBMIT_AUTH_NONE, SUBMIT_AUTH_CONFIG, SUBMIT_AUTH_USER };

struct submit_config {
	enum submit_via via;
	enum submit_auth auth;
	struct smtp_config smtp;            /* smtp.user and .password: from the conf (auth CONFIG) */
	char qmail_inject[CONF_PATH_MAX + 32];  /* conf qmail_inject, or qmail_dir/bin/qmail-inject */
	int timeout_ms;                     /* qmail-inject's whole run */
};

/* The configuration's send_via, smtp_* and qmail_inject keys. The strings
 * point into c, which must outlive sc. */
void submit_config_from_conf(struct submit_config *sc, const struct conf *c);

/* Sends msg (len bytes) from env->sender to env->rcpts. user and password
 * are the logged-in user's address and password, used for AUTH when
 * smtp_auth = user (else ignored; may be NULL). Returns res->err. */
int submit_send(const struct submit_config *sc, const struct smtp_envelope *env,
                const char *msg, size_t len, const char *user, const char *password,
                struct smtp_result *res);

/* Only the qmail-inject transport (path: the program; timeout_ms: its
 * whole run). */
int submit_inject(const char *path, int timeout_ms, const struct smtp_envelope *env,
                  const char *msg, size_t len, struct smtp_result *res);

/* The catalog key (send.err_*) that tells the user what happened; NULL for
 * SMTP_OK. */
const char *submit_err_key(const struct smtp_result *res);

#endif
