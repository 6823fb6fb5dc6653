/*
 * domain_error.h — how a domain function says no.
 *
 * Domain code (people, users, incidents, ...) knows nothing of HTTP, but its
 * refusals carry exactly what the API sends: status, code, the field at
 * fault and a message a person can act on (plus, for a possible duplicate,
 * the candidates). Handlers pass them on with http_domain_error().
 */
#ifndef SG_DOMAIN_ERROR_H
#define SG_DOMAIN_ERROR_H

#include <jansson.h>

struct store;
struct response;

struct domain_error {
    int status;
    char code[40];
    char field[64];
    char message[512];
    json_t *candidates; /* possible duplicates, owned; NULL otherwise */
    json_t *errors;     /* every fault when there are several, [{field, code, message}],
                           owned; the response carries it as "errors" beside the first */
};

/* Fills e and returns -1, so a domain function can `return domain_fail(...)`. */
int domain_fail(struct domain_error *e, int status, const char *code, const char *field,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A failed store call: 503 storage_full / storage_read_only / storage_busy
 * (nothing was saved), 500 storage_error otherwise. Returns -1. */
int domain_store_fail(struct domain_error *e, struct store *s, int rc);
void domain_error_release(struct domain_error *e);
/* Sends e as the response's error (taking the candidates). */
void http_domain_error(struct response *res, struct domain_error *e);

#endif
