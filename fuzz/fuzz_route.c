/*
 * fuzz_route.c — libFuzzer target: request routing of outside paths.
 *
 * Input: first byte picks the method, the rest is the path. The router must
 * match or refuse any byte string without reading out of bounds, and the
 * parameter helpers must accept only well-formed ids; page_local_next (the
 * only redirect target taken from input) must never yield an off-site target.
 */
#include "auth/permissions.h"
#include "http/http.h"
#include "http/page.h"
#include "http/router.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct router *router;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    if (!router && !(router = router_new(app_routes, app_routes_count, err, sizeof(err))))
        abort(); /* the real table must always compile */
    if (size < 1)
        return 0;
    char *path = malloc(size);
    memcpy(path, data + 1, size - 1);
    path[size - 1] = '\0';
    struct request req = {0};
    struct response res = {0};
    req.arena = arena_new();
    req.method = (enum http_method)(data[0] % 6);
    req.path = path;
    const struct route *rt;
    char allow[64];
    if (router_match(router, &req, &rt, allow, sizeof(allow)) == ROUTER_FOUND) {
        int64_t id;
        if (req_param(&req, "id") && req_param_id(&req, &res, "id", &id) == 0 && id <= 0)
            abort();
    }
    const char *next = page_local_next(path);
    if (next && (next[0] != '/' || next[1] == '/' || next[1] == '\\'))
        abort();
    json_decref(res.json);
    arena_free(req.arena);
    free(path);
    return 0;
}
