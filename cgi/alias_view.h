/* alias_view: what the alias pages (page_aliases.c, page_alias_edit.c) and
 * the catch-all page (page_catchall.c) share: one alias of the helper's
 * answer as the pages show it (its kind in words, its targets, whether the
 * web may edit or delete it), links that keep the superadmin's domain, and
 * what a refusal becomes.
 *
 * Editable or not is presentation only: the helper refuses to replace a
 * program, list or autoresponder file, and to delete a program line, by
 * itself. */
#ifndef QA_ALIAS_VIEW_H
#define QA_ALIAS_VIEW_H

struct ctx;
struct proto_record;
struct qa_error;
struct tdict;

struct alias_view {
	const char *address;     /* "info@emak.se" */
	const char *name;        /* "info" */
	const char *kind;        /* alias forward blackhole program list autoresponder directory empty */
	const char *label_key;   /* the kind in words */
	const char *targets;     /* as the helper answers: comma-separated */
	int editable;            /* forwards to addresses, blackholes, empty files */
	int deletable;           /* those, and old-style deliveries to a directory */
};

/* An item of alias.list or alias.get; NULL fields read as "". */
void alias_view_read(const struct proto_record *r, struct alias_view *v);

/* v into d: address name kind kind_label editable deletable edit_url
 * delete_url, and the list "targets" of items {t}. */
void alias_view_put(struct ctx *c, const struct alias_view *v, struct tdict *d);

/* The targets one per line, as the edit form's textarea shows them. */
const char *alias_view_lines(struct ctx *c, const struct alias_view *v);

/* path?user=USER, with &domain= for the superadmin (the menu needs it). */
const char *alias_link(struct ctx *c, const char *path, const char *user);

/* The domain of an address, as c->domain when the request named none. */
void alias_domain_from(struct ctx *c, const char *address);

/* A refused helper run brings no me.* (the helper sends no data with an
 * error), so a page showing the refusal asks whoami for its menu and the
 * caller's role, and sets c->domain again. PAGE_OK, or PAGE_DONE when the
 * request has been answered (the session has ended). */
int alias_whoami(struct ctx *c);

/* Answers a refusal no form shows: the superadmin who named no domain goes
 * to the domain list; anything else is page_fail. */
void alias_refused(struct ctx *c, const struct qa_error *e);

/* 1 when a refusal belongs on the page itself (page_fail), not next to the
 * form: denied, and an unknown domain. */
int alias_refusal_is_page(const struct qa_error *e);

/* The HTTP status for a form shown again with the helper's error. */
int alias_form_status(const struct qa_error *e);

#endif
