/* page: what a page handler gets (struct ctx) and the helpers every page
 * shares: rendering into the layout, catalog text, URLs. One page group per
 * page_*.c file; each exports one handler declared here. */
#ifndef QA_PAGE_H
#define QA_PAGE_H

#include <stddef.h>

struct app;
struct catalog;
struct helper_arg;
struct proto_answer;
struct qa_error;
struct request;
struct response;
struct tdict;
struct arena;

/* Who is logged in, as the helper said in its last answer (me.* scalars). */
enum me_role { ME_NONE, ME_USER, ME_DOMAINADMIN, ME_SUPERADMIN };

struct me {
	enum me_role role;
	const char *name;            /* "user@domain" or the admin name */
	const char *domain;          /* the mailbox's domain; NULL for the superadmin */
	int webmail;                 /* a mailbox that may use webmail */
};

struct ctx {
	struct app *app;
	struct request *req;
	struct response *resp;
	struct arena *a;
	const struct catalog *cat;
	const char *lang;
	struct tdict *data;          /* the page's template data; base values set */
	const char *ticket;          /* the qa_session ticket if well-formed, until it ends */
	int had_session;             /* the request carried a qa_session cookie */
	struct me me;                /* set by page_call; role ME_NONE before */
	const char *nav;             /* the menu entry to mark current ("users" ...) */
	const char *domain;          /* the domain a page manages, for the menu's links */
};

typedef void (*page_fn)(struct ctx *c);

/* Sets up language, base template data (lang, base URL, static URL, the
 * language switch links, the CSRF token) for a request. */
void page_setup(struct ctx *c);

/* Renders template tmpl with c->data as the response body with status. */
void page_render(struct ctx *c, int status, const char *tmpl);

/* Marks a catalog key written in C, so tests/unit/catalog_keys.sh can check
 * that every catalog defines it (templates are checked by test_catalogs). */
#define MSG(key) (key)

/* Catalog text for key in the request's language (the key itself if missing). */
const char *ctx_text(const struct ctx *c, const char *key);

/* SCRIPT_NAME + path, e.g. ctx_url(c, "/login") = "/cgi-bin/qmailadmin/login". */
const char *ctx_url(const struct ctx *c, const char *path);

/* Runs one helper operation (helper_client.h) for this request; trouble on
 * the server's side (no helper, timeout, store errors) goes to the log. */
int ctx_helper(struct ctx *c, const char *op, const struct helper_arg *args, size_t nargs,
               struct proto_answer *ans, struct qa_error *e);

/* page_call's results. */
#define PAGE_OK 0
#define PAGE_FAIL (-1)   /* the helper refused: e says why; the page shows it */
#define PAGE_DONE (-2)   /* the request has been answered (login form, 503) */

/* Runs op for the logged-in user: the session's ticket is added to args, and
 * c->me is set from the answer (also on a refusal). No session, or an
 * expired one: the login form is shown (PAGE_DONE). Server trouble (no
 * helper, I/O, corrupt store): 503 (PAGE_DONE). Any other refusal is
 * PAGE_FAIL with e set, for the page to show with page_fail or its form. */
int page_call(struct ctx *c, const char *op, const struct helper_arg *args, size_t nargs,
              struct proto_answer *ans, struct qa_error *e);

/* page_call of whoami: for pages that need only to know who is asking.
 * PAGE_OK or PAGE_DONE (anything but OK is answered). */
int page_whoami(struct ctx *c);

/* Answers a refusal no form can show: denied 403, not_found 404, others 400,
 * with the translated message (errtext.h). */
void page_fail(struct ctx *c, const struct qa_error *e);

/* The status of a form shown again after the helper refused it with e:
 * 409 exists, limit, catch-all; 503 locked; 404 not found; 400 otherwise. */
int page_form_status(const struct qa_error *e);

/* POST pages: 1 when the request is a POST with the session's CSRF token.
 * 0 when it has been answered (405 for another method, 403 for a bad token). */
int page_post_ok(struct ctx *c);

/* GET/HEAD only (405 otherwise, answered, 0). */
int page_get_ok(struct ctx *c);

/* The domain a page is about: ?domain= (or the form's "domain" on a POST),
 * else the logged-in mailbox's own domain; NULL for a superadmin who named
 * none. Sets c->domain. Only a hint: the helper checks every access. */
const char *page_domain(struct ctx *c);

/* 303 to path (e.g. "/users") with ?domain=D when c->domain is set and the
 * user is the superadmin, and done=NOTICE (a name from page.c's notices
 * table) when notice is non-NULL. */
void page_redirect(struct ctx *c, const char *path, const char *notice);

/* A URL to path on this site with query parameters (NULL-terminated
 * name/value pairs; NULL values are left out), every value percent-encoded. */
const char *page_link(struct ctx *c, const char *path, ...) __attribute__((sentinel));

/* Paging for a list (the "paging" partial): items offset+1 .. offset+shown
 * of total; prev and next link to the neighbouring pages (NULL: none). */
void page_paging(struct ctx *c, size_t offset, size_t shown, size_t total, const char *prev,
                 const char *next);

/* The login form with status, the user field filled in (user), and a
 * notice (catalog key: logged out, session ended) or an error (catalog key). */
void page_login_form(struct ctx *c, int status, const char *user, const char *notice,
                     const char *error);

/* Handlers (one page group per file: page_NAME.c). */
void page_main(struct ctx *c);
void page_domains(struct ctx *c);         /* page_domains.c: /domains */
void page_domain_add(struct ctx *c);      /* page_domains.c: /domains/add */
void page_domain_del(struct ctx *c);      /* page_domain_del.c: /domains/delete */
void page_domain_aliases(struct ctx *c);  /* page_domain_aliases.c: /domains/aliases */
void page_limits(struct ctx *c);          /* page_limits.c: /domains/limits */
void page_users(struct ctx *c);           /* page_users.c: /users */
void page_user_add(struct ctx *c);        /* page_user_add.c: /users/add */
void page_user_edit(struct ctx *c);       /* page_user_edit.c: /users/edit */
void page_user_del(struct ctx *c);        /* page_user_del.c: /users/delete */
void page_aliases(struct ctx *c);         /* page_aliases.c: /aliases */
void page_alias_edit(struct ctx *c);      /* page_alias_edit.c: /aliases/edit */
void page_alias_del(struct ctx *c);       /* page_alias_edit.c: /aliases/delete */
void page_catchall(struct ctx *c);        /* page_catchall.c: /catchall */
void page_account(struct ctx *c);         /* page_account.c: /account */
void page_mail(struct ctx *c);           /* page_mail.c: /mail */
void page_mail_act(struct ctx *c);       /* page_mail_act.c: /mail/act */
void page_mail_empty_trash(struct ctx *c); /* page_mail_act.c: /mail/empty-trash */
void page_mail_folders(struct ctx *c);   /* page_mail_folders.c: /mail/folders */
void page_mail_msg(struct ctx *c);       /* page_mail_msg.c: /mail/msg */
void page_mail_part(struct ctx *c);      /* page_mail_part.c: /mail/part */
void page_mail_source(struct ctx *c);    /* page_mail_part.c: /mail/source */
void page_compose(struct ctx *c);        /* page_compose.c: /mail/compose */
void page_login(struct ctx *c);
void page_logout(struct ctx *c);
void page_not_found(struct ctx *c);
void page_error(struct ctx *c, int status);
/* The error page for status with a title and a message (both translated
 * already; NULL: the status's own). */
void page_error_msg(struct ctx *c, int status, const char *title, const char *message);

#endif
