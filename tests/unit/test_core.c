/* test_core.c — unit tests for core/arena, core/buf and core/config. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"

/* ---------------------------------------------------------------- arena */

static void test_arena_many_allocations(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    assert_non_null(a);
    enum { N = 3000 };
    unsigned char *p[N];
    size_t len[N];
    for (int i = 0; i < N; i++) {
        /* mostly small, with a large (> 4 KiB, own block) one every 50 */
        len[i] = (i % 50 == 49) ? 4097 + (size_t)i * 7 : (size_t)(i % 97) + 1;
        p[i] = arena_alloc(a, len[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        for (size_t k = 0; k < len[i]; k++)
            assert_int_equal(p[i][k], 0); /* zeroed */
        memset(p[i], (unsigned char)(i * 31 + 7), len[i]);
    }
    /* No allocation overlapped another: every pattern is intact. */
    for (int i = 0; i < N; i++) {
        for (size_t k = 0; k < len[i]; k++) {
            if (p[i][k] != (unsigned char)(i * 31 + 7)) {
                print_error("allocation %d byte %zu overwritten\n", i, k);
                fail();
            }
        }
    }
    arena_free(a);
}

static void test_arena_large_first_and_boundaries(void **state)
{
    (void)state;
    static const size_t sizes[] = {1 << 20, 1,  4096, 4097, 16384, 16385,
                                   15,      16, 17,   0,    4095,  100000};
    struct arena *a = arena_new();
    void *ptrs[sizeof(sizes) / sizeof(sizes[0])];
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        ptrs[i] = arena_alloc(a, sizes[i]);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        memset(ptrs[i], 0xAB, sizes[i]);
    }
    /* A big block must not waste the current chunk: small ones still fit. */
    char *s1 = arena_alloc(a, 8), *big = arena_alloc(a, 8000), *s2 = arena_alloc(a, 8);
    assert_true(big != s1 && big != s2 && s1 != s2);
    memset(big, 1, 8000);
    assert_int_equal(s1[0], 0);
    assert_int_equal(s2[0], 0);
    arena_free(a);
}

static void test_arena_strings(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char src[] = "person";
    char *d = arena_strdup(a, src);
    assert_string_equal(d, "person");
    assert_ptr_not_equal(d, src);
    src[0] = 'P';
    assert_string_equal(d, "person");
    assert_null(arena_strdup(a, NULL));
    char *n = arena_strndup(a, "abcdef", 3);
    assert_string_equal(n, "abc");
    n = arena_strndup(a, "a\0bc", 4);
    assert_int_equal(n[4], '\0');
    assert_memory_equal(n, "a\0bc", 4);
    assert_string_equal(arena_strdup(a, ""), "");

    char *f = arena_printf(a, "%s/%d/%05.1f/%%", "x", -42, 3.14159);
    assert_string_equal(f, "x/-42/003.1/%");
    assert_int_equal((uintptr_t)f % 16, 0);
    assert_string_equal(arena_printf(a, "%s", ""), "");
    /* A formatted string larger than a chunk. */
    char *huge = arena_printf(a, "%40000d|", 7);
    assert_int_equal(strlen(huge), 40001);
    assert_int_equal(huge[39999], '7');
    assert_int_equal(huge[40000], '|');
    arena_free(a);
}

static int cleanup_log[16];
static int cleanup_n;

static void record(void *p)
{
    assert_true(cleanup_n < 16);
    cleanup_log[cleanup_n++] = *(int *)p;
}

static void free_it(void *p)
{
    free(p);
}

static void test_arena_cleanups_reverse(void **state)
{
    (void)state;
    static int ids[] = {1, 2, 3, 4, 5};
    cleanup_n = 0;
    struct arena *a = arena_new();
    arena_cleanup(a, record, &ids[0]);
    arena_alloc(a, 5000);
    arena_cleanup(a, record, &ids[1]);
    arena_alloc(a, 20000);
    arena_cleanup(a, record, &ids[2]);
    arena_cleanup(a, free_it, malloc(100)); /* freed by the arena: LSan would see a leak */
    /* a cleanup registered from the arena's memory itself */
    int *mine = arena_alloc(a, sizeof(int));
    *mine = 4;
    arena_cleanup(a, record, mine);
    assert_int_equal(cleanup_n, 0); /* nothing runs before arena_free */
    arena_free(a);
    assert_int_equal(cleanup_n, 4);
    assert_int_equal(cleanup_log[0], 4);
    assert_int_equal(cleanup_log[1], 3);
    assert_int_equal(cleanup_log[2], 2);
    assert_int_equal(cleanup_log[3], 1);

    arena_free(NULL);
    a = arena_new();
    arena_free(a); /* an unused arena */
}

/* ------------------------------------------------------------------ buf */

static void test_buf_max(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_int_equal(buf_puts(&b, "hello"), 0);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "hello");
    assert_int_equal(buf_puts(&b, "world!"), -1); /* would be 11 > 10 */
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "hello");
    assert_int_equal(buf_printf(&b, "%d", 123456), -1);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "hello");
    assert_int_equal(buf_append(&b, "world", 5), 0); /* exactly the max */
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "helloworld");
    assert_int_equal(buf_putc(&b, '!'), -1);
    assert_int_equal(buf_printf(&b, "%s", ""), 0); /* nothing more is fine */
    assert_int_equal(buf_append(&b, "", 0), 0);
    assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1); /* hostile size: no wrap */
    assert_int_equal(buf_append(&b, "x", SIZE_MAX - 5), -1);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "helloworld");
    assert_true(b.len <= b.max);
    buf_release(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);

    /* released buffers are reusable, max kept */
    assert_int_equal(buf_puts(&b, "0123456789"), 0);
    assert_int_equal(buf_puts(&b, "x"), -1);
    buf_release(&b);

    buf_init(&b, 0);
    assert_int_equal(buf_putc(&b, 'a'), -1);
    assert_int_equal(b.len, 0);
    buf_release(&b);
}

static void test_buf_growth_and_binary(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
    assert_int_equal(b.len, 10000);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(b.data[9999], 'a' + 9999 % 26);
    assert_true(b.cap > b.len);
    assert_int_equal(buf_append(&b, "\0\1\2", 3), 0);
    assert_int_equal(b.len, 10003);
    assert_memory_equal(b.data + 10000, "\0\1\2", 3);
    assert_int_equal(b.data[b.len], '\0');
    buf_release(&b);
}

static void test_buf_printf_and_detach(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(buf_printf(&b, "%s=%d", "n", 5), 0);
    assert_int_equal(buf_printf(&b, ";%03u", 7u), 0);
    assert_string_equal(b.data, "n=5;007");
    assert_int_equal(b.len, 7);
    assert_int_equal(buf_printf(&b, "%3000s", "x"), 0); /* past the first allocation */
    assert_int_equal(b.len, 3007);
    assert_int_equal(strlen(b.data), 3007);
    assert_int_equal(buf_printf(&b, "%2000s", "y"), -1);
    assert_int_equal(b.len, 3007);
    assert_int_equal(strlen(b.data), 3007);

    char *s = buf_detach(&b);
    assert_non_null(s);
    assert_int_equal(strlen(s), 3007);
    assert_memory_equal(s, "n=5;007", 7);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(s);

    /* Detaching an empty buffer still gives a string the caller can free. */
    s = buf_detach(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    /* and the buffer works again afterwards */
    assert_int_equal(buf_puts(&b, "again"), 0);
    assert_string_equal(b.data, "again");
    buf_release(&b);
    buf_release(&b); /* twice is harmless */
}

/* --------------------------------------------------------------- config */

static void test_config_defaults(void **state)
{
    (void)state;
    struct config c;
    memset(&c, 0x7f, sizeof(c));
    config_defaults(&c);
    assert_string_equal(c.db_path, "safeguard.db");
    assert_string_equal(c.listen_addr, "127.0.0.1"); /* loopback unless told otherwise */
    assert_int_equal(c.listen_port, 8080);
    assert_string_equal(c.clock, "");
    assert_string_equal(c.static_dir, "web/static");
    assert_int_equal(c.threads, 4);
    assert_int_equal(c.max_body, 1024 * 1024);
    assert_int_equal(c.max_connections, 512);
    assert_int_equal(c.max_per_ip, 64);
    assert_int_equal(c.connection_timeout, 30);
    assert_int_equal(c.session_idle_minutes, 30);
    assert_int_equal(c.session_absolute_hours, 12);
    assert_int_equal(c.login_max_failures, 5);
    assert_int_equal(c.login_lock_minutes, 15);
    assert_int_equal(c.log_requests, 1);
}

struct int_key {
    const char *key;
    long lo, hi;
    size_t offset;
    bool is_size;
};

#define IK(k, lo, hi, member)                                                                      \
    {                                                                                              \
        k, lo, hi, offsetof(struct config, member), false                                          \
    }

static long read_int(const struct config *c, const struct int_key *k)
{
    const char *p = (const char *)c + k->offset;
    if (k->is_size)
        return (long)*(const size_t *)p;
    return *(const int *)p;
}

static void expect_set_refused(struct config *c, const char *key, const char *value)
{
    struct config before = *c;
    char err[512] = "";
    if (config_set(c, key, value, err, sizeof(err)) != -1) {
        print_error("config_set(%s, '%s') accepted\n", key, value);
        fail();
    }
    if (!strstr(err, key)) {
        print_error("config_set(%s, '%s'): message '%s' does not name the key\n", key, value, err);
        fail();
    }
    assert_memory_equal(&before, c, sizeof(before)); /* nothing changed */
}

static void test_config_set_ints(void **state)
{
    (void)state;
    static const struct int_key keys[] = {
        IK("threads", 1, 64, threads),
        IK("max_connections", 1, 100000, max_connections),
        IK("max_connections_per_ip", 1, 100000, max_per_ip),
        IK("connection_timeout", 1, 3600, connection_timeout),
        IK("session_idle_minutes", 1, 1440, session_idle_minutes),
        IK("session_absolute_hours", 1, 72, session_absolute_hours),
        IK("login_max_failures", 1, 100, login_max_failures),
        IK("login_lock_minutes", 1, 1440, login_lock_minutes),
        IK("log_requests", 0, 1, log_requests),
        {"max_body_bytes", 1024, 64L * 1024 * 1024, offsetof(struct config, max_body), true},
    };
    struct config c;
    char err[512], v[64];
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const struct int_key *k = &keys[i];
        config_defaults(&c);
        snprintf(v, sizeof(v), "%ld", k->lo);
        assert_int_equal(config_set(&c, k->key, v, err, sizeof(err)), 0);
        assert_int_equal(read_int(&c, k), k->lo);
        snprintf(v, sizeof(v), "%ld", k->hi);
        assert_int_equal(config_set(&c, k->key, v, err, sizeof(err)), 0);
        assert_int_equal(read_int(&c, k), k->hi);

        snprintf(v, sizeof(v), "%ld", k->lo - 1);
        expect_set_refused(&c, k->key, v);
        snprintf(v, sizeof(v), "%ld", k->hi + 1);
        expect_set_refused(&c, k->key, v);
        expect_set_refused(&c, k->key, "");
        expect_set_refused(&c, k->key, "abc");
        expect_set_refused(&c, k->key, "1x");
        expect_set_refused(&c, k->key, "1.5");
        expect_set_refused(&c, k->key, "0x10");
        expect_set_refused(&c, k->key, "-99999999999999999999999");
        expect_set_refused(&c, k->key, "99999999999999999999999");
        expect_set_refused(&c, k->key, "1 2");
    }
}

static void test_config_set_strings(void **state)
{
    (void)state;
    struct config c;
    char err[512] = "";
    config_defaults(&c);
    assert_int_equal(config_set(&c, "database", "/var/lib/safeguard/live.db", err, sizeof(err)), 0);
    assert_string_equal(c.db_path, "/var/lib/safeguard/live.db");
    assert_int_equal(config_set(&c, "db", "other.db", err, sizeof(err)), 0);
    assert_string_equal(c.db_path, "other.db");
    assert_int_equal(config_set(&c, "clock", "2026-01-01T00:00:00Z", err, sizeof(err)), 0);
    assert_string_equal(c.clock, "2026-01-01T00:00:00Z");
    assert_int_equal(config_set(&c, "static_dir", "/srv/static", err, sizeof(err)), 0);
    assert_string_equal(c.static_dir, "/srv/static");
    assert_int_equal(config_set(&c, "listen", "0.0.0.0:9000", err, sizeof(err)), 0);
    assert_string_equal(c.listen_addr, "0.0.0.0");
    assert_int_equal(c.listen_port, 9000);

    /* Too long for the field: refused, not truncated. */
    char longv[CONFIG_STR + 10];
    memset(longv, 'p', sizeof(longv) - 1);
    longv[sizeof(longv) - 1] = '\0';
    expect_set_refused(&c, "database", longv);
    expect_set_refused(&c, "clock", longv);
    expect_set_refused(&c, "static_dir", longv);
    longv[CONFIG_STR - 1] = '\0'; /* exactly fits */
    assert_int_equal(config_set(&c, "static_dir", longv, err, sizeof(err)), 0);
    assert_int_equal(strlen(c.static_dir), CONFIG_STR - 1);

    expect_set_refused(&c, "listen", "nowhere");
    expect_set_refused(&c, "nonsense", "1");
    expect_set_refused(&c, "", "1");
    expect_set_refused(&c, "THREADS", "4"); /* keys are exact */
    assert_int_equal(config_set(&c, "nonsense", "1", err, sizeof(err)), -1);
    assert_string_equal(err, "unknown setting 'nonsense'");
}

/* An empty database path is not a database: SQLite opens "" as a private,
 * temporary database per connection, so a blank "database =" line in the
 * config file would silently serve from throw-away storage. */
static void test_config_empty_database_refused(void **state)
{
    (void)state;
    struct config c;
    char err[512] = "";
    config_defaults(&c);
    assert_int_equal(config_set(&c, "database", "", err, sizeof(err)), -1);
    assert_string_equal(c.db_path, "safeguard.db");
}

static void test_config_listen(void **state)
{
    (void)state;
    struct config c;
    char err[512] = "";
    config_defaults(&c);
    assert_int_equal(config_set_listen(&c, "127.0.0.1:0", err, sizeof(err)), 0);
    assert_string_equal(c.listen_addr, "127.0.0.1");
    assert_int_equal(c.listen_port, 0);
    assert_int_equal(config_set_listen(&c, "10.1.2.3:65535", err, sizeof(err)), 0);
    assert_string_equal(c.listen_addr, "10.1.2.3");
    assert_int_equal(c.listen_port, 65535);
    assert_int_equal(config_set_listen(&c, "localhost:8081", err, sizeof(err)), 0);
    assert_string_equal(c.listen_addr, "localhost");

    static const char *const bad[] = {"x",
                                      ":80",
                                      "1.2.3.4:70000",
                                      "1.2.3.4:",
                                      "1.2.3.4:-1",
                                      "1.2.3.4:8o",
                                      "1.2.3.4",
                                      "",
                                      ":",
                                      "1.2.3.4:0x50",
                                      "1.2.3.4:99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        config_defaults(&c);
        err[0] = '\0';
        if (config_set_listen(&c, bad[i], err, sizeof(err)) != -1) {
            print_error("listen '%s' accepted\n", bad[i]);
            fail();
        }
        assert_true(strlen(err) > 0);
        assert_string_equal(c.listen_addr, "127.0.0.1"); /* unchanged */
        assert_int_equal(c.listen_port, 8080);
    }
    /* An address that does not fit the field is refused, not truncated. */
    char longaddr[200];
    memset(longaddr, 'h', 150);
    strcpy(longaddr + 150, ":80");
    assert_int_equal(config_set_listen(&c, longaddr, err, sizeof(err)), -1);
    assert_string_equal(c.listen_addr, "127.0.0.1");
}

static char tmp_path[64];

static const char *write_tmp(const char *text)
{
    snprintf(tmp_path, sizeof(tmp_path), "/tmp/safeguard-conf-XXXXXX");
    int fd = mkstemp(tmp_path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return tmp_path;
}

static void test_config_file(void **state)
{
    (void)state;
    struct config c;
    char err[512] = "";
    const char *path = write_tmp("# Safeguard settings\n"
                                 "\n"
                                 "   \t\n"
                                 "database = /data/sg.db\n"
                                 "listen=0.0.0.0:8443\n"
                                 "   threads   =   8   \n"
                                 "\t# indented comment = not a setting\n"
                                 "clock = file:/tmp/a=b\r\n"
                                 "max_body_bytes = 2048\n"
                                 "log_requests = 0"); /* no final newline */
    config_defaults(&c);
    assert_int_equal(config_load_file(&c, path, err, sizeof(err)), 0);
    assert_string_equal(c.db_path, "/data/sg.db");
    assert_string_equal(c.listen_addr, "0.0.0.0");
    assert_int_equal(c.listen_port, 8443);
    assert_int_equal(c.threads, 8);
    assert_string_equal(c.clock, "file:/tmp/a=b"); /* split at the first '=' */
    assert_int_equal(c.max_body, 2048);
    assert_int_equal(c.log_requests, 0);
    unlink(path);

    /* Unknown key: "PATH:LINE: unknown setting 'x'". */
    path = write_tmp("# comment\n\nthreads = 2\nx = 1\nthreads = 3\n");
    config_defaults(&c);
    assert_int_equal(config_load_file(&c, path, err, sizeof(err)), -1);
    char want[256];
    snprintf(want, sizeof(want), "%s:4: unknown setting 'x'", path);
    assert_string_equal(err, want);
    assert_int_equal(c.threads, 2); /* stopped at the bad line */
    unlink(path);

    /* A line without '='. */
    path = write_tmp("threads = 2\nthreads 3\n");
    assert_int_equal(config_load_file(&c, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s:2:", path);
    assert_true(strncmp(err, want, strlen(want)) == 0);
    unlink(path);

    /* A bad value: location plus the key. */
    path = write_tmp("\n\n\nsession_idle_minutes = forever\n");
    assert_int_equal(config_load_file(&c, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s:4:", path);
    assert_true(strncmp(err, want, strlen(want)) == 0);
    assert_non_null(strstr(err, "session_idle_minutes"));
    unlink(path);

    /* "= value" with no key. */
    path = write_tmp("= 5\n");
    assert_int_equal(config_load_file(&c, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s:1:", path);
    assert_true(strncmp(err, want, strlen(want)) == 0);
    unlink(path);

    /* A missing file names the path. */
    assert_int_equal(config_load_file(&c, "/nonexistent/safeguard.conf", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent/safeguard.conf"));

    /* An empty file changes nothing. */
    path = write_tmp("");
    config_defaults(&c);
    struct config before = c;
    assert_int_equal(config_load_file(&c, path, err, sizeof(err)), 0);
    assert_memory_equal(&before, &c, sizeof(c));
    unlink(path);
}

static void test_config_env(void **state)
{
    (void)state;
    struct config c;
    char err[512] = "";
    static const char *const vars[] = {"SAFEGUARD_DB",          "SAFEGUARD_LISTEN",
                                       "SAFEGUARD_CLOCK",       "SAFEGUARD_STATIC_DIR",
                                       "SAFEGUARD_THREADS",     "SAFEGUARD_MAX_BODY_BYTES",
                                       "SAFEGUARD_LOG_REQUESTS"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);

    config_defaults(&c);
    struct config before = c;
    assert_int_equal(config_load_env(&c, err, sizeof(err)), 0);
    assert_memory_equal(&before, &c, sizeof(c)); /* nothing set, nothing changed */

    setenv("SAFEGUARD_DB", "/tmp/env.db", 1);
    setenv("SAFEGUARD_LISTEN", "127.0.0.1:0", 1);
    setenv("SAFEGUARD_THREADS", "2", 1);
    setenv("SAFEGUARD_CLOCK", "2026-03-01T09:00:00Z", 1);
    setenv("SAFEGUARD_STATIC_DIR", "", 1); /* empty means unset */
    config_defaults(&c);
    assert_int_equal(config_load_env(&c, err, sizeof(err)), 0);
    assert_string_equal(c.db_path, "/tmp/env.db");
    assert_string_equal(c.listen_addr, "127.0.0.1");
    assert_int_equal(c.listen_port, 0);
    assert_int_equal(c.threads, 2);
    assert_string_equal(c.clock, "2026-03-01T09:00:00Z");
    assert_string_equal(c.static_dir, "web/static");

    setenv("SAFEGUARD_LISTEN", "nowhere", 1);
    assert_int_equal(config_load_env(&c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "SAFEGUARD_LISTEN"));
    setenv("SAFEGUARD_LISTEN", "127.0.0.1:1", 1);
    setenv("SAFEGUARD_MAX_BODY_BYTES", "12", 1);
    assert_int_equal(config_load_env(&c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "SAFEGUARD_MAX_BODY_BYTES"));

    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_many_allocations),
        cmocka_unit_test(test_arena_large_first_and_boundaries),
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_arena_cleanups_reverse),
        cmocka_unit_test(test_buf_max),
        cmocka_unit_test(test_buf_growth_and_binary),
        cmocka_unit_test(test_buf_printf_and_detach),
        cmocka_unit_test(test_config_defaults),
        cmocka_unit_test(test_config_set_ints),
        cmocka_unit_test(test_config_set_strings),
        cmocka_unit_test(test_config_empty_database_refused),
        cmocka_unit_test(test_config_listen),
        cmocka_unit_test(test_config_file),
        cmocka_unit_test(test_config_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
