/*
 * protection_pages.h — what the police protection pages need beyond the case
 * itself (docs/protection-pages.md): every clock of a case with its due and
 * done times, the officers who may be designated, the record form's data
 * (the child, from ?person_id, ?incident_id or a name search), and a refused
 * form's page data. The pages are the API's answers rendered through
 * templates, so all of this is also in the JSON.
 *
 * Invariants:
 *  - Reads only: nothing here writes to the store.
 *  - Every function returns a new reference (never NULL unless it says so).
 */
#ifndef SG_PROTECTION_PAGES_H
#define SG_PROTECTION_PAGES_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/http.h"

struct store;
struct user;

/* The case's clocks in order (designate, local authority, parents, child,
 * inquiry, release or EPO, the 72 hours), each {rule, what, due_at, done_at,
 * state: done|late|overdue|due|not_done, overdue_for}, from a case as
 * protection_get() builds it. Due times follow the rule minutes in force. */
json_t *protection_clocks(const json_t *c, int64_t now);

/* Active users who may be designated (they hold protection.designate), by
 * name: [{id, name, used_power}] — used_power marks the officer who used the
 * power, whom the server refuses. */
json_t *protection_designate_choices(struct store *s, const json_t *c);

/* The record form: powers and place kinds, the officers who may be
 * designated, and the child — person_id's record, or incident_id's
 * children, or the children whose name matches q. NULL with err when
 * person_id or incident_id names nothing the viewer may see. */
json_t *protection_new_form(struct store *s, int64_t person_id, int64_t incident_id, const char *q,
                            const struct user *viewer, int64_t now, struct domain_error *err);

/* Sends err; for a refused page post (4xx), with the case and the
 * designation choices beside it as "page" so the form re-renders. */
void protection_page_refuse(struct request *req, struct response *res, struct domain_error *err,
                            int64_t case_id);
/* The same for the record form: the form's data for the posted child. */
void protection_page_refuse_new(struct request *req, struct response *res,
                                struct domain_error *err);

#endif
