/* mailaddr_view: ENVELOPE address lists (struct imap_address) as a page
 * shows them. Display names are RFC 2047-decoded; a local part or domain
 * is never decoded (RFC 2047 §5 forbids words there, and a decoded one
 * would show an address the mail did not come from) but is made valid
 * UTF-8 (as UTF-8, else windows-1252). No control character survives. */
#ifndef QA_MAILADDR_VIEW_H
#define QA_MAILADDR_VIEW_H

struct arena;
struct imap_address;

/* Every address: "Name <local@host>" ("local@host" without a name, or when
 * the name is the address), a group as "Team: a <a@x>, b@y;", joined by
 * ", ". "" for an empty list; NULL only when memory ran out. */
char *mailaddr_list(struct arena *a, const struct imap_address *list);

/* For a message list: the first address's name, else its address; a
 * group's name. "" for an empty list; NULL only when memory ran out. */
char *mailaddr_short(struct arena *a, const struct imap_address *list);

#endif
