/* test_router.c — unit tests for http/router: route-table validation at
 * start-up, path matching, parameter capture, 404/405, and the app's table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "auth/permissions.h"
#include "core/arena.h"
#include "http/router.h"
#include "http/validate.h"

static void h_a(struct request *req, struct response *res)
{
    (void)req;
    (void)res;
}

static void h_b(struct request *req, struct response *res)
{
    (void)req;
    (void)res;
}

#define ROUTE(m, p, h, perm, flags, body, summary)                                                 \
    {                                                                                              \
        HTTP_##m, p, h, perm, flags, body, summary, #h, NULL, NULL                                 \
    }
#define N(t) (sizeof(t) / sizeof((t)[0]))

struct match {
    enum router_result rc;
    const struct route *route;
    char allow[128];
    struct request req;
};

/* Matches method+path against r with a fresh arena (freed by the caller
 * through done()). */
static struct match *match(const struct router *r, enum http_method m, const char *path)
{
    static struct match mt;
    memset(&mt, 0, sizeof(mt));
    mt.req.arena = arena_new();
    assert_non_null(mt.req.arena);
    mt.req.method = m;
    mt.req.path = path;
    strcpy(mt.allow, "untouched");
    mt.rc = router_match(r, &mt.req, &mt.route, mt.allow, sizeof(mt.allow));
    return &mt;
}

static void done(struct match *mt)
{
    arena_free(mt->req.arena);
    mt->req.arena = NULL;
}

static struct router *build(const struct route *t, size_t n)
{
    char err[256] = "";
    struct router *r = router_new(t, n, err, sizeof(err));
    if (!r) {
        print_error("router_new refused a valid table: %s\n", err);
        fail();
    }
    return r;
}

static void expect_found(const struct router *r, enum http_method m, const char *path,
                         const struct route *want)
{
    struct match *mt = match(r, m, path);
    if (mt->rc != ROUTER_FOUND || mt->route != want) {
        print_error("%s: rc %d route %s, want FOUND %s\n", path, mt->rc,
                    mt->route ? mt->route->pattern : "(none)", want->pattern);
        done(mt);
        fail();
    }
    done(mt);
}

static void expect_not_found(const struct router *r, enum http_method m, const char *path)
{
    struct match *mt = match(r, m, path);
    if (mt->rc != ROUTER_NOT_FOUND) {
        print_error("'%s': rc %d, want NOT_FOUND\n", path, mt->rc);
        done(mt);
        fail();
    }
    done(mt);
}

static const struct route basic[] = {
    ROUTE(GET, "/", h_a, PERM_PUBLIC, 0, NULL, "root"),
    ROUTE(GET, "/healthz", h_a, PERM_PUBLIC, 0, NULL, "health"),
    ROUTE(GET, "/a/{id}", h_a, PERM_PEOPLE_READ, 0, NULL, "show"),
    ROUTE(PATCH, "/a/{id}", h_b, PERM_PEOPLE_WRITE, 0, NULL, "update"),
    ROUTE(GET, "/a/search", h_b, PERM_PEOPLE_READ, 0, NULL, "search"),
    ROUTE(POST, "/a", h_b, PERM_PEOPLE_WRITE, 0, NULL, "create"),
    ROUTE(GET, "/a/{id}/b/{bid}", h_a, PERM_PEOPLE_READ, 0, NULL, "nested"),
};

static void test_literal_match(void **state)
{
    (void)state;
    struct router *r = build(basic, N(basic));
    expect_found(r, HTTP_GET, "/healthz", &basic[1]);
    expect_found(r, HTTP_GET, "/", &basic[0]);
    expect_found(r, HTTP_POST, "/a", &basic[5]);
    struct match *mt = match(r, HTTP_GET, "/healthz");
    assert_int_equal(mt->req.nparams, 0);
    done(mt);
    router_free(r);
}

static void test_param_capture(void **state)
{
    (void)state;
    struct router *r = build(basic, N(basic));
    char path[] = "/a/12345";
    struct match *mt = match(r, HTTP_GET, path);
    assert_int_equal(mt->rc, ROUTER_FOUND);
    assert_ptr_equal(mt->route, &basic[2]);
    assert_int_equal(mt->req.nparams, 1);
    assert_string_equal(mt->req.param_names[0], "id");
    assert_string_equal(mt->req.param_values[0], "12345");
    /* The value is a copy, not a pointer into the path. */
    path[3] = '9';
    assert_string_equal(mt->req.param_values[0], "12345");
    assert_string_equal(req_param(&mt->req, "id"), "12345");
    assert_null(req_param(&mt->req, "bid"));
    done(mt);

    mt = match(r, HTTP_GET, "/a/7/b/x-y_z");
    assert_int_equal(mt->rc, ROUTER_FOUND);
    assert_ptr_equal(mt->route, &basic[6]);
    assert_int_equal(mt->req.nparams, 2);
    assert_string_equal(req_param(&mt->req, "id"), "7");
    assert_string_equal(req_param(&mt->req, "bid"), "x-y_z");
    done(mt);

    /* Hostile segment text is captured verbatim, never interpreted. */
    mt = match(r, HTTP_GET, "/a/..");
    assert_int_equal(mt->rc, ROUTER_FOUND);
    assert_string_equal(req_param(&mt->req, "id"), "..");
    done(mt);
    mt = match(r, HTTP_GET, "/a/{id}");
    assert_int_equal(mt->rc, ROUTER_FOUND);
    assert_ptr_equal(mt->route, &basic[2]);
    assert_string_equal(req_param(&mt->req, "id"), "{id}");
    done(mt);
    router_free(r);
}

static void test_literal_beats_parameter(void **state)
{
    (void)state;
    static const struct route param_first[] = {
        ROUTE(GET, "/a/{id}", h_a, PERM_PEOPLE_READ, 0, NULL, "show"),
        ROUTE(GET, "/a/search", h_b, PERM_PEOPLE_READ, 0, NULL, "search"),
    };
    static const struct route literal_first[] = {
        ROUTE(GET, "/a/search", h_b, PERM_PEOPLE_READ, 0, NULL, "search"),
        ROUTE(GET, "/a/{id}", h_a, PERM_PEOPLE_READ, 0, NULL, "show"),
    };
    struct router *r = build(param_first, N(param_first));
    expect_found(r, HTTP_GET, "/a/search", &param_first[1]);
    expect_found(r, HTTP_GET, "/a/searc", &param_first[0]);
    expect_found(r, HTTP_GET, "/a/searchx", &param_first[0]);
    expect_found(r, HTTP_GET, "/a/SEARCH", &param_first[0]);
    struct match *mt = match(r, HTTP_GET, "/a/search");
    assert_int_equal(mt->req.nparams, 0);
    done(mt);
    router_free(r);

    r = build(literal_first, N(literal_first));
    expect_found(r, HTTP_GET, "/a/search", &literal_first[0]);
    expect_found(r, HTTP_GET, "/a/1", &literal_first[1]);
    router_free(r);

    /* Deeper: the route with more literal segments wins. */
    static const struct route deep[] = {
        ROUTE(GET, "/{x}/{y}/{z}", h_a, PERM_PUBLIC, 0, NULL, "all params"),
        ROUTE(GET, "/a/{y}/{z}", h_a, PERM_PUBLIC, 0, NULL, "one literal"),
        ROUTE(GET, "/a/b/{z}", h_a, PERM_PUBLIC, 0, NULL, "two literals"),
        ROUTE(GET, "/a/b/c", h_a, PERM_PUBLIC, 0, NULL, "all literal"),
    };
    r = build(deep, N(deep));
    expect_found(r, HTTP_GET, "/a/b/c", &deep[3]);
    expect_found(r, HTTP_GET, "/a/b/d", &deep[2]);
    expect_found(r, HTTP_GET, "/a/x/c", &deep[1]);
    expect_found(r, HTTP_GET, "/q/b/c", &deep[0]);
    router_free(r);
}

static void test_not_found(void **state)
{
    (void)state;
    struct router *r = build(basic, N(basic));
    expect_not_found(r, HTTP_GET, "/nope");
    expect_not_found(r, HTTP_GET, "/healthz/");
    expect_not_found(r, HTTP_GET, "/healthz/x");
    expect_not_found(r, HTTP_GET, "//healthz");
    expect_not_found(r, HTTP_GET, "/a//b");
    expect_not_found(r, HTTP_GET, "/a/");
    expect_not_found(r, HTTP_GET, "/a/1/");
    expect_not_found(r, HTTP_GET, "/a//");
    expect_not_found(r, HTTP_GET, "//");
    expect_not_found(r, HTTP_GET, "/a/1/b");
    expect_not_found(r, HTTP_GET, "/a/1/b/");
    expect_not_found(r, HTTP_GET, "/a/1/b/2/c");
    expect_not_found(r, HTTP_GET, "");
    expect_not_found(r, HTTP_GET, "healthz");
    expect_not_found(r, HTTP_GET, "/HEALTHZ");
    expect_not_found(r, HTTP_GET, "/healthz?x=1"); /* the query is stripped before matching */
    expect_not_found(r, HTTP_POST, "/nope");
    router_free(r);
}

static void test_too_many_segments(void **state)
{
    (void)state;
    static const struct route t[] = {
        ROUTE(GET, "/{a}/{b}/{c}/{d}", h_a, PERM_PUBLIC, 0, NULL, "four"),
        ROUTE(GET, "/1/2/3/4/5/6/7/8/9/10/11/12", h_a, PERM_PUBLIC, 0, NULL, "twelve"),
    };
    struct router *r = build(t, N(t));
    expect_found(r, HTTP_GET, "/1/2/3/4/5/6/7/8/9/10/11/12", &t[1]);
    expect_not_found(r, HTTP_GET, "/1/2/3/4/5/6/7/8/9/10/11/12/13");
    char longpath[4096];
    size_t used = 0;
    for (int i = 0; i < 500; i++)
        used += (size_t)snprintf(longpath + used, sizeof(longpath) - used, "/%d", i);
    expect_not_found(r, HTTP_GET, longpath);
    struct match *mt = match(r, HTTP_GET, "/w/x/y/z");
    assert_int_equal(mt->rc, ROUTER_FOUND);
    assert_int_equal(mt->req.nparams, 4);
    assert_string_equal(req_param(&mt->req, "d"), "z");
    done(mt);
    router_free(r);
}

static void test_method_not_allowed(void **state)
{
    (void)state;
    struct router *r = build(basic, N(basic));
    struct match *mt = match(r, HTTP_DELETE, "/a/5");
    assert_int_equal(mt->rc, ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(mt->allow, "GET, PATCH");
    done(mt);

    mt = match(r, HTTP_PUT, "/healthz");
    assert_int_equal(mt->rc, ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(mt->allow, "GET");
    done(mt);

    mt = match(r, HTTP_GET, "/a");
    assert_int_equal(mt->rc, ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(mt->allow, "POST");
    done(mt);

    /* "/a/search": GET is the literal route, PATCH comes from "/a/{id}". */
    mt = match(r, HTTP_DELETE, "/a/search");
    assert_int_equal(mt->rc, ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(mt->allow, "GET, PATCH");
    done(mt);
    /* and PATCH on it is the parameter route. */
    expect_found(r, HTTP_PATCH, "/a/search", &basic[3]);

    mt = match(r, HTTP_OTHER, "/a/5");
    assert_int_equal(mt->rc, ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(mt->allow, "GET, PATCH");
    done(mt);

    /* A short Allow buffer is never overrun. */
    struct request req = {0};
    const struct route *out = NULL;
    char small[4] = {'x', 'x', 'x', 'x'};
    req.arena = arena_new();
    req.method = HTTP_DELETE;
    req.path = "/a/5";
    assert_int_equal(router_match(r, &req, &out, small, sizeof(small)), ROUTER_METHOD_NOT_ALLOWED);
    assert_true(memchr(small, '\0', sizeof(small)) != NULL);
    arena_free(req.arena);
    router_free(r);
}

static void test_head_matches_get(void **state)
{
    (void)state;
    struct router *r = build(basic, N(basic));
    expect_found(r, HTTP_HEAD, "/healthz", &basic[1]);
    expect_found(r, HTTP_HEAD, "/a/search", &basic[4]);
    struct match *mt = match(r, HTTP_HEAD, "/a/9");
    assert_int_equal(mt->rc, ROUTER_FOUND);
    assert_ptr_equal(mt->route, &basic[2]);
    assert_string_equal(req_param(&mt->req, "id"), "9");
    done(mt);
    mt = match(r, HTTP_HEAD, "/a");
    assert_int_equal(mt->rc, ROUTER_METHOD_NOT_ALLOWED);
    assert_string_equal(mt->allow, "POST");
    done(mt);
    expect_not_found(r, HTTP_HEAD, "/nope");
    router_free(r);
}

/* router_new must refuse t, with a message containing `needle`. */
static void expect_refused(const struct route *t, size_t n, const char *needle)
{
    char err[256] = "";
    struct router *r = router_new(t, n, err, sizeof(err));
    if (r) {
        router_free(r);
        print_error("router_new accepted a table that should fail (%s)\n", needle);
        fail();
    }
    if (!strstr(err, needle)) {
        print_error("message '%s' does not mention '%s'\n", err, needle);
        fail();
    }
}

static void test_refuses_missing_permission(void **state)
{
    (void)state;
    static const struct route t[] = {
        ROUTE(GET, "/ok", h_a, PERM_PUBLIC, 0, NULL, "fine"),
        ROUTE(POST, "/api/secret", h_a, PERM_NONE, 0, NULL, "forgot the permission"),
    };
    expect_refused(t, N(t), "/api/secret");
    expect_refused(t, N(t), "POST");
    static const struct route zeroed[] = {
        {.method = HTTP_GET, .pattern = "/zero", .handler = h_a, .summary = "no permission set"},
    };
    expect_refused(zeroed, N(zeroed), "/zero");
    static const struct route bogus[] = {
        {HTTP_GET, "/bogus", h_a, (enum permission)(PERM__COUNT + 3), 0, NULL, "x", "h_a", NULL,
         NULL},
    };
    expect_refused(bogus, N(bogus), "/bogus");
    static const struct route nohandler[] = {
        ROUTE(GET, "/nohandler", NULL, PERM_PUBLIC, 0, NULL, "x"),
    };
    expect_refused(nohandler, N(nohandler), "/nohandler");
    static const struct route head[] = {
        ROUTE(HEAD, "/head", h_a, PERM_PUBLIC, 0, NULL, "x"),
    };
    expect_refused(head, N(head), "/head");
    static const struct route other[] = {
        ROUTE(OTHER, "/other", h_a, PERM_PUBLIC, 0, NULL, "x"),
    };
    expect_refused(other, N(other), "/other");
}

static void test_refuses_duplicates(void **state)
{
    (void)state;
    static const struct route same[] = {
        ROUTE(GET, "/a/{id}", h_a, PERM_PUBLIC, 0, NULL, "one"),
        ROUTE(GET, "/b", h_a, PERM_PUBLIC, 0, NULL, "between"),
        ROUTE(GET, "/a/{id}", h_b, PERM_PUBLIC, 0, NULL, "two"),
    };
    expect_refused(same, N(same), "duplicate");
    static const struct route renamed[] = {
        ROUTE(GET, "/a/{id}/x", h_a, PERM_PUBLIC, 0, NULL, "one"),
        ROUTE(GET, "/a/{person_id}/x", h_b, PERM_PUBLIC, 0, NULL, "two"),
    };
    expect_refused(renamed, N(renamed), "/a/{person_id}/x");
    static const struct route literal[] = {
        ROUTE(POST, "/a/b", h_a, PERM_PUBLIC, 0, NULL, "one"),
        ROUTE(POST, "/a/b", h_a, PERM_PUBLIC, 0, NULL, "two"),
    };
    expect_refused(literal, N(literal), "/a/b");
    static const struct route root[] = {
        ROUTE(GET, "/", h_a, PERM_PUBLIC, 0, NULL, "one"),
        ROUTE(GET, "/", h_a, PERM_PUBLIC, 0, NULL, "two"),
    };
    expect_refused(root, N(root), "duplicate");

    /* Not duplicates: other method, literal vs parameter, different length,
     * literal prefix of another literal. */
    static const struct route fine[] = {
        ROUTE(GET, "/a/{id}", h_a, PERM_PUBLIC, 0, NULL, "get"),
        ROUTE(DELETE, "/a/{id}", h_a, PERM_PUBLIC, 0, NULL, "delete"),
        ROUTE(GET, "/a/b", h_a, PERM_PUBLIC, 0, NULL, "literal"),
        ROUTE(GET, "/a/bc", h_a, PERM_PUBLIC, 0, NULL, "longer literal"),
        ROUTE(GET, "/a/{id}/{x}", h_a, PERM_PUBLIC, 0, NULL, "longer"),
        ROUTE(GET, "/a", h_a, PERM_PUBLIC, 0, NULL, "shorter"),
    };
    struct router *r = build(fine, N(fine));
    expect_found(r, HTTP_GET, "/a/bc", &fine[3]);
    expect_found(r, HTTP_GET, "/a/b", &fine[2]);
    expect_found(r, HTTP_GET, "/a/bcd", &fine[0]);
    expect_found(r, HTTP_DELETE, "/a/b", &fine[1]);
    router_free(r);
}

static void test_refuses_malformed_patterns(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "/a/{",
        "/a//b",
        "no-slash",
        "/a/",
        "//",
        "/a/{}",
        "/a/{id",
        "",
        "/{x}/{y}/{z}/{w}/{v}", /* five parameters > ROUTE_MAX_PARAMS */
        "/1/2/3/4/5/6/7/8/9/10/11/12/13",
        "a/b",
        "/a/b/",
    };
    for (size_t i = 0; i < N(bad); i++) {
        struct route t[1] = {
            {HTTP_GET, bad[i], h_a, PERM_PUBLIC, 0, NULL, "bad", "h_a", NULL, NULL}};
        char err[256] = "";
        struct router *r = router_new(t, 1, err, sizeof(err));
        if (r) {
            router_free(r);
            print_error("router_new accepted pattern '%s'\n", bad[i]);
            fail();
        }
        assert_true(strlen(err) > 0);
    }
    struct route nullpat[1] = {
        {HTTP_GET, NULL, h_a, PERM_PUBLIC, 0, NULL, "bad", "h_a", NULL, NULL}};
    char err[256] = "";
    assert_null(router_new(nullpat, 1, err, sizeof(err)));
    /* The message names the offending pattern. */
    static const struct route named[] = {
        ROUTE(GET, "/fine", h_a, PERM_PUBLIC, 0, NULL, "fine"),
        ROUTE(GET, "/people/{", h_a, PERM_PUBLIC, 0, NULL, "bad"),
    };
    expect_refused(named, N(named), "/people/{");
}

/* Braces outside a whole "{name}" segment are neither a literal nor a
 * parameter: a typo such as "/api/people/id}" must stop the boot rather than
 * register a literal route nobody can reach. */
static void test_refuses_stray_braces(void **state)
{
    (void)state;
    static const char *const bad[] = {"/a/id}", "/a/x{id}", "/a/{a{b}", "/a/{a}}", "/a/{a/b}"};
    for (size_t i = 0; i < N(bad); i++) {
        struct route t[1] = {
            {HTTP_GET, bad[i], h_a, PERM_PUBLIC, 0, NULL, "bad", "h_a", NULL, NULL}};
        char err[256] = "";
        struct router *r = router_new(t, 1, err, sizeof(err));
        if (r) {
            router_free(r);
            print_error("router_new accepted pattern '%s'\n", bad[i]);
            fail();
        }
    }
}

static void test_empty_table(void **state)
{
    (void)state;
    char err[64] = "";
    struct router *r = router_new(basic, 0, err, sizeof(err));
    assert_non_null(r);
    expect_not_found(r, HTTP_GET, "/");
    expect_not_found(r, HTTP_GET, "/healthz");
    router_free(r);
    router_free(NULL);
}

static void check_fields(const char *route, const struct field *f, int depth)
{
    assert_true(depth < 6);
    for (; f->name; f++) {
        if (!*f->name) {
            print_error("%s: a body field has an empty name\n", route);
            fail();
        }
        for (const struct field *g = f + 1; g->name; g++) {
            if (strcmp(f->name, g->name) == 0) {
                print_error("%s: body field '%s' declared twice\n", route, f->name);
                fail();
            }
        }
        switch (f->type) {
        case FIELD_STRING:
            if (f->max_len == 0) {
                print_error("%s: string field '%s' has no max_len\n", route, f->name);
                fail();
            }
            break;
        case FIELD_INT:
            assert_true(f->min <= f->max);
            break;
        case FIELD_ENUM:
            if (!f->values || !f->values[0]) {
                print_error("%s: enum field '%s' has no values\n", route, f->name);
                fail();
            }
            break;
        case FIELD_OBJECT:
            assert_non_null(f->children);
            check_fields(route, f->children, depth + 1);
            break;
        case FIELD_ARRAY:
            if (f->max_len == 0) {
                print_error("%s: array field '%s' has no max items\n", route, f->name);
                fail();
            }
            if (f->values) {
                assert_non_null(f->values[0]);
            } else {
                assert_non_null(f->children);
                check_fields(route, f->children, depth + 1);
            }
            break;
        case FIELD_MAP:
            if (f->max_len == 0) {
                print_error("%s: map field '%s' has no max members\n", route, f->name);
                fail();
            }
            assert_non_null(f->children);
            check_fields(route, f->children, depth + 1);
            break;
        case FIELD_STRINGS:
            if (f->max_len == 0 || f->max <= 0) {
                print_error("%s: string-array field '%s' needs max items and max length\n", route,
                            f->name);
                fail();
            }
            break;
        case FIELD_BOOL:
        case FIELD_DATE:
        case FIELD_TIMESTAMP:
            break;
        default:
            print_error("%s: field '%s' has an unknown type\n", route, f->name);
            fail();
        }
    }
}

static void test_app_routes(void **state)
{
    (void)state;
    char err[256] = "";
    struct router *r = router_new(app_routes, app_routes_count, err, sizeof(err));
    if (!r) {
        print_error("the application's route table is refused: %s\n", err);
        fail();
    }
    assert_true(app_routes_count > 0);
    for (size_t i = 0; i < app_routes_count; i++) {
        const struct route *rt = &app_routes[i];
        char name[160];
        snprintf(name, sizeof(name), "%s %s", http_method_name(rt->method), rt->pattern);
        if (rt->permission == PERM_NONE || rt->permission >= PERM__COUNT) {
            print_error("%s has no permission\n", name);
            fail();
        }
        if (!rt->summary || !*rt->summary) {
            print_error("%s has no summary\n", name);
            fail();
        }
        assert_non_null(rt->handler);
        assert_non_null(rt->handler_name);
        assert_true(*rt->handler_name);
        /* A route takes a JSON body exactly when it declares its fields. */
        if (!(rt->flags & ROUTE_JSON_BODY) != !rt->body) {
            print_error("%s: ROUTE_JSON_BODY and body fields disagree\n", name);
            fail();
        }
        if (rt->body)
            check_fields(name, rt->body, 0);
        /* Audited routes touch personal data, so they need the database. */
        if (rt->flags & (ROUTE_AUDIT_READ | ROUTE_AUDIT_WRITE))
            assert_false(rt->flags & ROUTE_NO_DB);
        /* Each route is found by its own pattern (parameters as themselves). */
        struct match *mt = match(r, rt->method, rt->pattern);
        if (mt->rc != ROUTER_FOUND) {
            print_error("%s is not found by its own pattern\n", name);
            done(mt);
            fail();
        }
        done(mt);
    }
    router_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_match),
        cmocka_unit_test(test_param_capture),
        cmocka_unit_test(test_literal_beats_parameter),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_too_many_segments),
        cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_head_matches_get),
        cmocka_unit_test(test_refuses_missing_permission),
        cmocka_unit_test(test_refuses_duplicates),
        cmocka_unit_test(test_refuses_malformed_patterns),
        cmocka_unit_test(test_refuses_stray_braces),
        cmocka_unit_test(test_empty_table),
        cmocka_unit_test(test_app_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
