/* domain_error.c — domain refusals and their HTTP form (see domain_error.h). */
#include "http/domain_error.h"
#include "http/http.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>

int domain_fail(struct domain_error *e, int status, const char *code, const char *field,
                const char *fmt, ...)
{
    e->status = status;
    snprintf(e->code, sizeof(e->code), "%s", code);
    snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    return -1;
}

int domain_store_fail(struct domain_error *e, struct store *s, int rc)
{
    int status = rc == STORE_FULL || rc == STORE_READONLY || rc == STORE_BUSY ? 503 : 500;
    return domain_fail(e, status,
                       rc == STORE_FULL       ? "storage_full"
                       : rc == STORE_READONLY ? "storage_read_only"
                       : rc == STORE_BUSY     ? "storage_busy"
                                              : "storage_error",
                       NULL, "the database failed: %s; nothing was saved", store_errmsg(s));
}

void domain_error_release(struct domain_error *e)
{
    json_decref(e->candidates);
    e->candidates = NULL;
    json_decref(e->errors);
    e->errors = NULL;
}

void http_domain_error(struct response *res, struct domain_error *e)
{
    http_error(res, e->status ? e->status : 500, e->code[0] ? e->code : "internal_error",
               e->field[0] ? e->field : NULL, "%s", e->message);
    if (e->candidates) {
        json_object_set_new(res->json, "candidates", e->candidates);
        e->candidates = NULL;
    }
    if (e->errors) {
        json_object_set_new(res->json, "errors", e->errors);
        e->errors = NULL;
    }
}
