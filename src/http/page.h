/*
 * page.h — the web side of a route: form posts in, HTML pages out.
 *
 * A page is its route's API response rendered through a template, so the two
 * can never disagree (docs/architecture.md). This layer only adds what a
 * browser needs around that JSON: the signed-in user and navigation, the
 * CSRF token, GOV.UK error summaries with the input kept, redirects after a
 * successful post (303), the sign-in redirect for an ended session, and error
 * pages that never show debug output.
 */
#ifndef SG_PAGE_H
#define SG_PAGE_H

#include "http/form.h"
#include "http/http.h"

struct router;

/* True for paths answered with HTML when nothing matches (not /api/...). */
int page_path(const char *path);

/* For a form post to a page path: parses the body, applies the _method
 * override (a form can only POST). Returns 0, or -1 with res set. */
int page_read_form(struct request *req, struct response *res);

/* Builds req->json from the parsed form for the route's declared fields. */
void page_form_json(struct request *req);

/* Turns the handler's outcome into what the browser gets. */
void page_finish(struct request *req, struct response *res);

/* next when it is a path on this site (never "//host" or a header break),
 * else NULL: the only redirect targets taken from input. */
const char *page_local_next(const char *next);

/* Serves /assets/... from the static folders; returns 1 when the path was an
 * asset path (res set: the file, or 404), 0 otherwise. */
int static_serve(struct request *req, struct response *res);

#endif
