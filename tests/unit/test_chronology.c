/* test_chronology.c — the chronology's source queries use indexes: for every
 * timeline, connection and summary source, EXPLAIN QUERY PLAN on the real
 * schema (the embedded migrations) shows no full scan of a table, so one
 * child's chronology costs lookups, not a pass over every incident, episode
 * or referral in the force (bench/chronology.mjs measures it). Also the
 * duration wording the board and summary use. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "modules/chronology/chronology.h"
#include "modules/chronology/chronology_sql.h"
#include "store/store.h"

struct fixture {
    char dir[64];
    char path[96];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/sg-chron-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/chron.db", f->dir);
    char err[256];
    if (store_open(&f->s, f->path, err, sizeof(err)) < 0 ||
        store_migrate(f->s, err, sizeof(err)) < 0) {
        fprintf(stderr, "store: %s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    char p[128];
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Fails when any step of sql's plan is a full scan ("SCAN x", with or
 * without a covering index); a lookup is "SEARCH x USING ...". */
static void assert_no_scan(struct store *s, const char *name, const char *sql)
{
    char plan[8192];
    assert_int_equal(store_explain(s, sql, plan, sizeof(plan)), 0);
    for (char *line = strtok(plan, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "SCAN ", 5) == 0 && strcmp(line, "SCAN CONSTANT ROW") != 0) {
            fprintf(stderr, "%s: full scan in its plan: %s\n", name, line);
            fail();
        }
    }
}

static void test_timeline_sources_use_indexes(void **state)
{
    struct fixture *f = *state;
    for (size_t i = 0; i < chron_source_count; i++)
        assert_no_scan(f->s, chron_sources[i].area, chron_sources[i].sql);
    assert_no_scan(f->s, "portal", SQL_CHRON_PORTAL);
}

static void test_connection_sources_use_indexes(void **state)
{
    struct fixture *f = *state;
    for (size_t i = 0; i < chron_connection_count; i++)
        assert_no_scan(f->s, chron_connections[i].sql, chron_connections[i].sql);
}

static void test_summary_queries_use_indexes(void **state)
{
    struct fixture *f = *state;
    const char *const sqls[] = {SQL_CHRON_FLAGS,
                                SQL_CHRON_OPEN_INVESTIGATIONS,
                                SQL_CHRON_EXPLOITATION_MISSING,
                                SQL_CHRON_EXPLOITATION_INVESTIGATIONS,
                                SQL_CHRON_EXPLOITATION_REFERRALS,
                                SQL_CHRON_TASKS,
                                SQL_BOARD_MISSING_VERSION,
                                SQL_BOARD_PROTECTION_VERSION};
    for (size_t i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++)
        assert_no_scan(f->s, sqls[i], sqls[i]);
}

static void test_duration_words(void **state)
{
    (void)state;
    char b[48];
    chronology_duration(0, b, sizeof(b));
    assert_string_equal(b, "0 min");
    chronology_duration(59 * 60 + 59, b, sizeof(b));
    assert_string_equal(b, "59 min");
    chronology_duration(2 * 3600 + 5 * 60, b, sizeof(b));
    assert_string_equal(b, "2 h 5 min");
    chronology_duration(86400 + 4 * 3600 + 30 * 60, b, sizeof(b));
    assert_string_equal(b, "1 day 4 h");
    chronology_duration(39 * 86400 + 2 * 3600, b, sizeof(b));
    assert_string_equal(b, "39 days 2 h");
    chronology_duration(-5, b, sizeof(b));
    assert_string_equal(b, "0 min");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_timeline_sources_use_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connection_sources_use_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_queries_use_indexes, setup, teardown),
        cmocka_unit_test(test_duration_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
