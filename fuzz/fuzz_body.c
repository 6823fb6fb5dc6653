/*
 * fuzz_body.c — libFuzzer target: JSON bodies against every route's declared
 * fields, parsed exactly as the dispatcher parses them.
 *
 * Validation must accept or refuse any input without crashing, leaking or
 * modifying it, and a refusal must always name a code.
 */
#include "http/router.h"
#include "http/validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *j =
        json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!j)
        return 0;
    char *before = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    for (size_t i = 0; i < app_routes_count; i++) {
        if (!app_routes[i].body)
            continue;
        struct verror err;
        if (validate_object(j, app_routes[i].body, &err) < 0 && !err.code[0])
            abort();
    }
    char *after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if ((before || after) && (!before || !after || strcmp(before, after) != 0))
        abort(); /* validation must never change its input */
    free(before);
    free(after);
    json_decref(j);
    return 0;
}
