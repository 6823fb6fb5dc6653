/*
 * dispatch.h — the one place every request's preconditions are enforced.
 *
 * In order: match the route (404/405), authenticate and authorise (401/403,
 * see auth/), check the body's media type (415) and JSON syntax (400), validate
 * it against the route's declared fields (422), open a transaction (writes
 * take the write lock), run the handler, and commit only if it succeeded — a
 * failed request changes nothing. A commit that fails (disk full, read-only)
 * turns the answer into 503. Handlers never re-check any of this.
 */
#ifndef SG_DISPATCH_H
#define SG_DISPATCH_H

#include "http/http.h"

struct router;

/* Fills res for req. req->path, method, body and conn must be set; sets
 * req->route when one matched. */
void dispatch(const struct router *router, struct request *req, struct response *res);

/* Appends one more audit entry for the request being handled, inside its
 * transaction, so it commits or rolls back with the change: for a handler
 * whose change also alters a second record (registering an offender sets the
 * person's registered_sex_offender flag and moves the person's version, so
 * the person's own trail shows who changed it and when). Same user, route
 * and request id as the request's own entry. 0 or a negative store code. */
int dispatch_audit_also(struct request *req, const char *action, const char *record_type,
                        int64_t record_id, const char *detail);

#endif
