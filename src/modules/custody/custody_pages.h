/*
 * custody_pages.h — what the children in custody pages need beyond the
 * record itself (docs/custody-pages.md): the clocks a custody officer
 * watches (the appropriate adult's wait against its two escalations, the
 * next detention review and welfare visit, every overdue task), the same
 * at a glance on the list, the book-in form's data (the child, from
 * ?person_id or a name search), and a refused form's page data. The pages
 * are the API's answers rendered through templates, so all of this is also
 * in the JSON.
 *
 * Invariants:
 *  - Reads only: nothing here writes to the store.
 *  - Functions returning json_t * return a new reference (NULL only where
 *    they say so).
 */
#ifndef SG_CUSTODY_PAGES_H
#define SG_CUSTODY_PAGES_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/http.h"

struct store;
struct user;

/* Adds "clocks" to a record as custody_get() builds it: {aa: {state:
 * not_needed|not_requested|waiting|escalated|arrived|arrived_late|
 * not_arrived, since, now (UTC seconds, for the page's ticking clock),
 * thresholds: [{minutes, at, to, passed}], delay_needed}, review: {due_at,
 * overdue, overdue_for, first} or null, visit: {due_at, overdue,
 * overdue_for} or null, overdue: [task titles]}, and "certificate_age" (the
 * age the s38(7) rule reads, or null). */
void custody_add_clocks(struct store *s, json_t *rec, int64_t now);

/* Adds to each row of custody_list()'s answer: aa {state, elapsed},
 * review_due, review_overdue, visit_due, visit_overdue, overdue (titles)
 * and charged_refused_bail. */
void custody_list_add_clocks(struct store *s, json_t *list, int64_t now);

/* The book-in form: the child (person_id's record) or the people whose
 * name matches q. NULL with err
 * when person_id names nobody the viewer may see. */
json_t *custody_new_form(struct store *s, int64_t person_id, const char *q,
                         const struct user *viewer, int64_t now, struct domain_error *err);

/* GET /api/custody/new: ?person_id, ?q. */
void custody_h_new(struct request *req, struct response *res);

/* Sends err; for a refused page post (4xx), with the record beside it as
 * "page" so the form re-renders saying which child it is. */
void custody_page_refuse(struct request *req, struct response *res, struct domain_error *err,
                         int64_t id);
/* The same for the book-in form: the form's data for the posted child. */
void custody_page_refuse_new(struct request *req, struct response *res, struct domain_error *err);

#endif
