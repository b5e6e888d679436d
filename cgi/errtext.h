/* errtext: the translated message for a helper's refusal. The helper names
 * an error code and the field concerned (err.h); this maps the pair to a
 * catalog key, most specific first, so every page says the same thing for
 * the same mistake. */
#ifndef QA_ERRTEXT_H
#define QA_ERRTEXT_H

struct qa_error;

/* The catalog key for e: code and field, else the code alone, else a
 * general "could not be done". Never NULL. */
const char *errtext_key(const struct qa_error *e);

#endif
