/* user_form: what the mailbox pages (/users, /users/add, /users/edit,
 * /users/delete) share: the quota as a number and a unit, the usage bar,
 * the flag checkboxes, the password pair, and showing a refusal next to the
 * form. Values go into template data; nothing here decides anything the
 * helper does not check again. */
#ifndef QA_USER_FORM_H
#define QA_USER_FORM_H

#include <stddef.h>
#include <stdint.h>

struct ctx;
struct proto_record;
struct qa_error;
struct tdict;

#define UF_LOCAL_MAX 64        /* vpopmail's MAX_PW_NAME */
#define UF_GECOS_MAX 256       /* the helper allows 64 bytes; longer is its error */
#define UF_PASSWORD_MAX 128    /* vpopmail's clear password limit */
#define UF_TARGETS_MAX 2000    /* a few addresses, comma-separated */
#define UF_QUOTA_MAX 32

/* The flags the edit page offers as checkboxes, in the order shown, as
 * user.mod names them; key labels the checkbox, tag the list's summary. */
struct uf_flag {
	const char *name;
	const char *key;
	const char *tag;
};
extern const struct uf_flag uf_flags[];
extern const size_t uf_nflags;

/* Whether the comma-separated list holds name. */
int uf_has_flag(const char *list, const char *name);

/* The usage of a user.list / user.get item into d: used ("12 MB"; unset
 * when the item has no used_bytes: user.list leaves it out for a mailbox
 * without a quota), and with a limit: limit ("50 MB"), bar ("bar", "bar
 * warn" from 80 %, "bar full" at 100 %) and bar_fill (its width class, w0
 * .. w100). */
void uf_usage(struct ctx *c, struct tdict *d, const struct proto_record *r);

/* A quota in bytes as the form shows it: quota_num ("50", "1.5"),
 * quota_gb (the unit is GB, else MB), quota_none (0 bytes: no limit).
 * Returns it as uf_quota_shown would see it come back. */
const char *uf_quota_fields(struct ctx *c, struct tdict *d, uint64_t bytes);

/* The quota as typed (number, unit "MB" or "GB", the no-limit box) as
 * user.add/user.mod take it: "NOQUOTA" or the bytes. *out is NULL when the
 * number is empty and no limit is not ticked. -1: not a size. */
int uf_quota_arg(struct ctx *c, const char *num, const char *unit, const char *none,
                 const char **out);

/* The same as a string to compare with what the form showed: "none",
 * "NUM UNIT" or "" (empty). */
const char *uf_quota_shown(struct ctx *c, const char *num, const char *unit, const char *none);

/* A mistake found before asking the helper: the message (catalog key) as
 * the form's error, field marked; the status is 400. */
void uf_error(struct ctx *c, const char *key, const char *field);

/* A helper refusal shown on the form (its message, the field it names
 * marked). Returns the status to render with; 0 when it is no form error
 * (denied, gone, server trouble) and has been answered with page_fail. */
int uf_refused(struct ctx *c, const struct qa_error *e);

/* The new-password fields: password and password2, or the random box.
 * *random is set when it is ticked; *pw is the password (NULL: none typed).
 * -1 (with uf_error) when they differ or the password is too long. */
int uf_password(struct ctx *c, const char **pw, int *random);

/* A form field, trimmed of surrounding spaces; NULL when longer than max
 * (uf_error has then been set for field). Missing is "". */
const char *uf_field(struct ctx *c, const char *name, size_t max, const char *key);

/* Whether a checkbox came ticked (sent with a value; browsers send "1"). */
int uf_ticked(struct ctx *c, const char *name);

/* "local@domain" split: the domain part (NULL if there is no '@'). */
const char *uf_domain_of(const char *address);

struct helper_arg;
struct proto_record;

/* user.get (args: "user" first, options after) for an admin's page about
 * one mailbox; sets c->domain. The mailbox record, or NULL when the request
 * has been answered: a refusal, server trouble, or a mailbox owner (these
 * pages are its admin's; /account is its own). */
const struct proto_record *uf_load_user(struct ctx *c, const struct helper_arg *args, size_t n);

#endif
