/* compose_form: what /mail/compose's form holds, read from a POST and
 * checked, and the template data that shows it again (page_compose.c).
 *
 * Nothing is kept on the server between two posts of the form: what the
 * user typed travels in the form, and the attachments live in a message
 * of an IMAP folder, the "source": the draft in Drafts (draft=UID) once
 * the form has been saved or a file attached, or before that the message
 * being forwarded (src_f, src_uid). The form lists the source's
 * attachments as ticked boxes (keep=SECTION; "*" is the whole source
 * message, a forward as attachment); an unticked one is left out of what
 * is saved or sent. */
#ifndef QA_COMPOSE_FORM_H
#define QA_COMPOSE_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "addrlist.h"
#include "mimebuild.h"

struct ctx;
struct imap;

#define COMPOSE_KEEP_MAX MB_ATTACHMENTS_MAX
#define COMPOSE_WHOLE "*"            /* keep= for the whole source message */

struct compose {
	const char *to, *cc, *bcc, *subject, *body;  /* as typed ("" when absent) */
	const char *irt, *refs;          /* In-Reply-To, References of a reply */
	const char *back;                /* the folder to go back to */
	uint32_t draft;                  /* the draft in Drafts, or 0 */
	const char *src_f;               /* the attachments' message: folder and UID */
	uint32_t src_uid;
	const char *re_f;                /* the message replied to: marked \Answered once sent */
	uint32_t re_uid;
	const char *msgid;               /* the Message-ID to write (the Sent copy's), or NULL */
	const char *keep[COMPOSE_KEEP_MAX];
	size_t nkeep;
	struct addrlist lto, lcc, lbcc;
	/* The first thing wrong: the field ("to", ...) and the text to show. */
	const char *err_field, *err_text;
};

/* Reads the posted form into f. -1 when it is malformed (a bad UID or
 * folder, too many keep=): a 400, not a message next to a field. */
int compose_read(struct ctx *c, struct compose *f);

/* Checks the typed values (one line each, lengths, the address lists
 * parsed into f->lto ...); 0, or -1 with err_field and err_text set. */
int compose_check(struct ctx *c, struct compose *f);

/* The attachments for mb_build: the kept ones of the source, fetched and
 * decoded, then the files of this post. Selects the source's folder. An
 * IMAP error code; *att and *n set on IMAP_OK. */
int compose_attachments(struct ctx *c, struct imap *im, struct compose *f,
                        struct mb_attachment **att, size_t *n);

/* Builds the message (MB_DRAFT for a draft) into out: 0, or -1 with
 * err_field and err_text set (out then empty). */
int compose_build(struct ctx *c, struct compose *f, const struct mb_attachment *att, size_t natt,
                  unsigned flags, struct buf *out, struct mb_result *res);

/* The form's values as template data, and the source's attachments as
 * "attachments" (name, size, section, kept) when it has some. */
int compose_data(struct ctx *c, struct imap *im, const struct compose *f);

enum compose_mode { CM_NEW, CM_REPLY, CM_REPLY_ALL, CM_FORWARD, CM_FORWARD_ATT, CM_DRAFT };

/* compose_prefill.c: f (zeroed, its strings "") filled in from message uid
 * of folder (of drafts for CM_DRAFT), which it selects. -1 when the
 * message is gone (404), else an IMAP code. */
int compose_prefill(struct ctx *c, struct imap *im, struct compose *f, enum compose_mode m,
                    uint32_t uid, const char *folder, const char *drafts);

/* text with {1} and {2} replaced by a1 and a2 (may be NULL). */
const char *compose_fill(struct ctx *c, const char *text, const char *a1, const char *a2);

#endif
