/* test_query_plans.c — the hot queries keep their indexes (issue 16).
 *
 * Seeds the tiny force-scale dataset (which ends with ANALYZE, as the large
 * one does, so the planner sees real statistics), asks SQLite for the plan
 * of each query on an interactive path, and fails when any step scans one of
 * the big tables from end to end. A query that gains a full scan is fast in
 * every other test and seconds slow at a million people; only this test
 * notices. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit_sql.h"
#include "auth/auth_sql.h"
#include "modules/incidents/incidents_sql.h"
#include "modules/people/people_sql.h"
#include "modules/protection/protection_sql.h"
#include "modules/scale/scale.h"
#include "rules/rules_sql.h"
#include "store/store.h"

#define T0 1780315200 /* 2026-06-01T12:00:00Z */

static char dir[64], path[96];
static struct store *s;

static int setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/sg-plans-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/plans.db", dir);
    char err[256];
    if (store_open(&s, path, err, sizeof(err)) < 0 || store_migrate(s, err, sizeof(err)) < 0) {
        fprintf(stderr, "store: %s\n", err);
        return -1;
    }
    struct scale_counts n;
    if (scale_seed(s, scale_plan_named("tiny"), 1, T0, NULL, &n) < 0)
        return -1;
    *state = NULL;
    return 0;
}

static int teardown(void **state)
{
    store_close(s);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char p[128];
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

/* Tables that reach millions of rows at force scale. */
static const char *const big[] = {"person",        "person_search",   "person_address",
                                  "incident",      "incident_person", "task",
                                  "audit_log",     "missing_episode", "referral",
                                  "investigation", "user_session",    "api_token"};

/* Partial indexes that hold only a few rows of a big table by design: a scan
 * of one reads those rows, not the table. */
static const char *const small_partial[] = {"person_restricted"};

static int scans_small_partial(const char *line)
{
    for (size_t i = 0; i < sizeof(small_partial) / sizeof(small_partial[0]); i++) {
        const char *u = strstr(line, "INDEX ");
        if (u && strncmp(u + 6, small_partial[i], strlen(small_partial[i])) == 0)
            return 1;
    }
    return 0;
}

static void assert_no_full_scan(const char *name, const char *sql)
{
    char plan[4096];
    assert_int_equal(store_explain(s, sql, plan, sizeof(plan)), 0);
    for (char *line = strtok(plan, "\n"); line; line = strtok(NULL, "\n")) {
        const char *scan = strstr(line, "SCAN ");
        if (!scan || scans_small_partial(line))
            continue;
        for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
            size_t n = strlen(big[i]);
            const char *t = scan + 5;
            if (strncmp(t, big[i], n) == 0 && (t[n] == '\0' || t[n] == ' ')) {
                fprintf(stderr, "%s scans %s: %s\n", name, big[i], line);
                fail();
            }
        }
    }
}

#define CHECK(sql) assert_no_full_scan(#sql, sql)

static void test_hot_queries_use_indexes(void **state)
{
    (void)state;
    /* Signing in and every authenticated request. */
    CHECK(SQL_SESSION_BY_HASH);
    CHECK(SQL_TOKEN_BY_HASH);
    /* Person search with a misspelling, and opening the record. */
    CHECK(SQL_SEARCH_BY_KEY);
    CHECK(SQL_SEARCH_BY_KEY_NAMES);
    CHECK(SQL_SEARCH_RESTRICTED);
    CHECK(SQL_SEARCH_BY_DOB);
    CHECK(SQL_SEARCH_DELETE);
    CHECK(SQL_PERSON_GET);
    CHECK(SQL_ADDRESS_LIST);
    CHECK(SQL_FLAG_LIST);
    CHECK(SQL_ALIAS_LIST);
    /* Logging an incident: its reference, and the prior-history lookups. */
    CHECK(SQL_INC_NEXT_SEQ);
    CHECK(SQL_INC_SAME_ADDRESS);
    CHECK(SQL_INC_SAME_PERSON);
    /* My work and the timescales engine on every write. */
    CHECK(SQL_TASK_MY_WORK);
    CHECK(SQL_TASK_FOR_RECORD);
    CHECK(SQL_TASK_OPEN_FOR);
    /* A record's access log. */
    CHECK(SQL_AUDIT_FOR_RECORD);
}

/* The head of the audit chain, read before every append: a walk down the
 * rowid from its end that stops at the first row (SQLite calls it a SCAN,
 * but it reads one row), never a sort of the trail. */
static void test_audit_head_reads_one_row(void **state)
{
    (void)state;
    char plan[4096];
    assert_int_equal(store_explain(s, SQL_AUDIT_HEAD, plan, sizeof(plan)), 0);
    assert_null(strstr(plan, "TEMP B-TREE"));
    assert_non_null(strstr(SQL_AUDIT_HEAD, "ORDER BY id DESC LIMIT 1"));
}

/* My work must not sort every open task: the plan walks task_open_due in
 * order and stops at the limit. */
static void test_my_work_needs_no_sort(void **state)
{
    (void)state;
    char plan[4096];
    assert_int_equal(store_explain(s, SQL_TASK_MY_WORK, plan, sizeof(plan)), 0);
    assert_null(strstr(plan, "TEMP B-TREE"));
    assert_non_null(strstr(plan, "task_open_due"));
}

/* A board measure counted from the tasks of one rule due in the period must
 * reach them by rule and date, not through every task of every incident
 * (task_record), which a trend repeats for every month. */
static void test_measure_tasks_by_rule(void **state)
{
    (void)state;
    char plan[4096];
    assert_int_equal(store_explain(s, SQL_PP_M_OPPORTUNITIES, plan, sizeof(plan)), 0);
    assert_non_null(strstr(plan, "task_rule_due"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hot_queries_use_indexes),
        cmocka_unit_test(test_my_work_needs_no_sort),
        cmocka_unit_test(test_audit_head_reads_one_row),
        cmocka_unit_test(test_measure_tasks_by_rule),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
