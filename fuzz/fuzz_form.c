/*
 * fuzz_form.c — libFuzzer target: HTML form posts (urlencoded) turned into
 * JSON for every route's fields, then validated, as the dispatcher does.
 */
#include "http/form.h"
#include "http/router.h"
#include "http/validate.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct form_pair *pairs;
    int n = form_parse(a, (const char *)data, size, &pairs);
    if (n >= 0) {
        for (size_t i = 0; i < app_routes_count; i++) {
            if (!app_routes[i].body)
                continue;
            const char *csrf, *method;
            json_t *j = form_to_json(a, pairs, n, app_routes[i].body, (int)(i & 1), &csrf, &method);
            if (!j)
                abort();
            struct verror err;
            (void)validate_object(j, app_routes[i].body, &err);
            json_decref(j);
        }
    }
    arena_free(a);
    return 0;
}
