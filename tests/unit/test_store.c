/* test_store.c — unit tests for the store's statement cache on a real
 * (temporary) SQLite database: a long-lived connection (a server worker)
 * keeps every distinct statement the modules use, several hundred, without
 * ever refusing one, and a statement a caller holds stays valid while others
 * are prepared and the cache grows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

#define DISTINCT 3000 /* far more distinct statements than the modules hold */

static void test_cache_holds_every_distinct_statement(void **state)
{
    (void)state;
    char dir[64], path[96], err[256];
    snprintf(dir, sizeof(dir), "/tmp/sg-store-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/store.db", dir);
    struct store *s;
    assert_int_equal(store_open(&s, path, err, sizeof(err)), 0);
    /* The cache keys statements by the address of their text, so each of
     * these is a distinct statement; they live until the store closes. */
    char **sql = calloc(DISTINCT, sizeof(*sql));
    assert_non_null(sql);
    struct stmt *first = NULL;
    for (int i = 0; i < DISTINCT; i++) {
        sql[i] = malloc(32);
        assert_non_null(sql[i]);
        snprintf(sql[i], 32, "SELECT %d", i);
        struct stmt *st = store_prepare(s, sql[i]);
        assert_non_null(st);
        if (i == 0)
            first = st;
        assert_int_equal(stmt_step(st), STORE_ROW);
        assert_int_equal(stmt_int(st, 0), i);
        stmt_reset(st);
    }
    /* Prepared again, each is the same cached statement; the first one, held
     * across every growth of the table, still answers. */
    assert_ptr_equal(store_prepare(s, sql[0]), first);
    assert_int_equal(stmt_step(first), STORE_ROW);
    assert_int_equal(stmt_int(first, 0), 0);
    stmt_reset(first);
    for (int i = 0; i < DISTINCT; i += 97) {
        struct stmt *st = store_prepare(s, sql[i]);
        assert_int_equal(stmt_step(st), STORE_ROW);
        assert_int_equal(stmt_int(st, 0), i);
        stmt_reset(st);
    }
    /* Bad SQL is refused with a message, and leaves the cache usable. */
    static const char bad[] = "SELEKT nothing";
    assert_null(store_prepare(s, bad));
    assert_non_null(strstr(store_errmsg(s), "cannot prepare"));
    assert_non_null(store_prepare(s, sql[1]));
    store_close(s);
    for (int i = 0; i < DISTINCT; i++)
        free(sql[i]);
    free(sql);
    unlink(path);
    char wal[128];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", path);
    unlink(wal);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_holds_every_distinct_statement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
