/* conf: qmailadmin.conf, the one configuration file of the front end, the
 * helper and the CLI. Format: "key = value" lines, '#' comments, blank lines.
 * Unknown keys, repeated keys and bad values are errors naming the line, so a
 * typo never silently falls back to a default. Sizes take K/M/G suffixes,
 * durations s/m/h/d. */
#ifndef QA_CONF_H
#define QA_CONF_H

#include <stddef.h>

#define CONF_PATH_MAX 4096

struct conf {
	char qmail_dir[CONF_PATH_MAX];
	char vpopmail_dir[CONF_PATH_MAX];
	char vpopmail_user[64];
	char vpopmail_group[64];
	char helper[CONF_PATH_MAX];
	char templates_dir[CONF_PATH_MAX];
	char static_url[512];
	char tmp_dir[CONF_PATH_MAX];
	int webmail;                        /* offer webmail (an IMAP server is set up) */
	char imap_host[256];
	unsigned imap_port;
	char imap_tls[16];                  /* none, starttls, imaps */
	char imap_ca_file[CONF_PATH_MAX];   /* CA certificates (PEM); "": the system's */
	int imap_verify;                    /* check the certificate and host name */
	unsigned long imap_timeout;         /* seconds: the connect and each read and write */
	char send_via[16];                  /* smtp, qmail-inject */
	char smtp_host[256];
	unsigned smtp_port;
	char smtp_tls[16];                  /* none, starttls, smtps */
	char smtp_ca_file[CONF_PATH_MAX];   /* CA certificates (PEM); "": the system's */
	int smtp_verify;                    /* check the certificate and host name */
	unsigned long smtp_timeout;         /* seconds: the connect and each read and write */
	char smtp_auth[16];                 /* none, config (smtp_user), user (the logged-in user) */
	char smtp_user[256];
	char smtp_password[256];            /* then the file must be readable by no one else */
	char qmail_inject[CONF_PATH_MAX];   /* "": qmail_dir/bin/qmail-inject */
	unsigned long session_idle;   /* seconds */
	unsigned long session_max;    /* seconds */
	size_t max_body;
	size_t max_upload;
	size_t max_fields;
	size_t max_files;
	char default_lang[8];
	char state_dir[CONF_PATH_MAX];      /* helper-only: sessions, key, throttle, superadmin */
	char password_hash[16];             /* sha512, yescrypt, bcrypt */
	char qmail_reload[CONF_PATH_MAX];   /* "none", "pidfile:PATH" or "command:PATH ARGS" */
	size_t login_fail_limit;            /* failures per window before throttling */
	unsigned long login_fail_window;    /* seconds */
};

/* The path the front end and the CLI read: $QMAILADMIN_CONF if set, else
 * SYSCONFDIR/qmailadmin.conf. (The setuid helper decides for itself.) */
const char *conf_default_path(void);

void conf_defaults(struct conf *c);

/* Parses text over the values already in c. Returns 0, or -1 with "line N:
 * reason" in err. */
int conf_parse(struct conf *c, const char *text, size_t len, char *err, size_t errlen);

/* conf_defaults + the file at path. A missing file is an error too: running
 * with silent defaults would hide a broken installation. So is a file with
 * an smtp_password that other users may read. */
int conf_load(struct conf *c, const char *path, char *err, size_t errlen);

#endif
