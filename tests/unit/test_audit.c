/* test_audit.c — unit tests for audit/: the hash-chained, append-only audit
 * trail on a real (temporary) SQLite store with the embedded migrations. */
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

#include <jansson.h>

#include "audit/audit.h"
#include "store/store.h"

#define T0      1780315200 /* 2026-06-01T12:00:00Z */
#define ENTRIES 10

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
    snprintf(f->dir, sizeof(f->dir), "/tmp/sg-audit-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/audit.db", f->dir);
    char err[256];
    if (store_open(&f->s, f->path, err, sizeof(err)) < 0) {
        fprintf(stderr, "store_open: %s\n", err);
        return -1;
    }
    if (store_migrate(f->s, err, sizeof(err)) < 0) {
        fprintf(stderr, "store_migrate: %s\n", err);
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

/* Entry i (1-based): alternating users, people and a sign-in without a user,
 * so NULL and non-NULL fields both enter the chain. */
static void fill_entry(struct audit_entry *e, int i, char *detail, size_t detail_len)
{
    static const char *const actions[] = {"login", "read", "update", "search", "login_failed"};
    memset(e, 0, sizeof(*e));
    e->at = T0 + i;
    e->action = actions[i % 5];
    if (i % 5 != 4) {
        e->user_id = 1 + i % 3;
        e->username = i % 3 == 0 ? "alice" : i % 3 == 1 ? "bob" : "carol";
        e->roles = "investigator";
    } else {
        e->username = "nobody"; /* a failed sign-in for a name that does not exist */
    }
    if (i % 5 == 1 || i % 5 == 2) {
        e->record_type = "person";
        e->record_id = 100 + i % 2;
    }
    e->route = i % 5 == 1 ? "GET /api/people/{id}" : "POST /api/session";
    e->remote_addr = "127.0.0.1";
    e->request_id = i % 2 ? "0123456789abcdef0123456789abcdef" : NULL;
    if (i % 5 == 3) {
        snprintf(detail, detail_len, "{\"q\":\"smith\",\"shown\":[%d]}", i);
        e->detail = detail;
    }
}

/* Appends entries first..last in one write transaction. */
static void append_range(struct store *s, int first, int last)
{
    assert_int_equal(store_begin_write(s), STORE_OK);
    for (int i = first; i <= last; i++) {
        struct audit_entry e;
        char detail[64];
        fill_entry(&e, i, detail, sizeof(detail));
        assert_int_equal(audit_append(s, &e), STORE_OK);
    }
    assert_int_equal(store_commit(s), STORE_OK);
}

static int64_t scalar(struct store *s, const char *sql)
{
    struct stmt *st = store_prepare(s, sql);
    assert_non_null(st);
    assert_int_equal(stmt_step(st), STORE_ROW);
    int64_t v = stmt_int(st, 0);
    stmt_reset(st);
    return v;
}

static int verify(struct store *s, int64_t *count, int64_t *bad, char *why, size_t whylen,
                  char head[65])
{
    *count = -1;
    *bad = -1;
    why[0] = '\0';
    return audit_verify(s, count, bad, why, whylen, head);
}

/* ---------------------------------------------------------------- tests */

static void test_empty_chain_is_intact(void **state)
{
    struct fixture *f = *state;
    int64_t count, bad;
    char why[256], head[65];
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 0);
    assert_int_equal(count, 0);
    assert_string_equal(head, "0000000000000000000000000000000000000000000000000000000000000000");
}

static void test_append_and_verify_intact(void **state)
{
    struct fixture *f = *state;
    append_range(f->s, 1, ENTRIES);
    assert_int_equal(scalar(f->s, "SELECT COUNT(*) FROM audit_log"), ENTRIES);
    /* Ids run 1..N with no gaps. */
    assert_int_equal(scalar(f->s, "SELECT MIN(id) FROM audit_log"), 1);
    assert_int_equal(scalar(f->s, "SELECT MAX(id) FROM audit_log"), ENTRIES);
    /* Each entry links to the one before it; the first to the genesis hash. */
    assert_int_equal(scalar(f->s, "SELECT COUNT(*) FROM audit_log a JOIN audit_log b"
                                  " ON b.id = a.id - 1 WHERE a.prev_hash = b.hash"),
                     ENTRIES - 1);
    assert_int_equal(scalar(f->s, "SELECT COUNT(*) FROM audit_log WHERE id = 1 AND prev_hash ="
                                  " '0000000000000000000000000000000000000000000000000000000000"
                                  "000000'"),
                     1);
    /* Hashes are distinct 64-hex strings. */
    assert_int_equal(scalar(f->s, "SELECT COUNT(DISTINCT hash) FROM audit_log"
                                  " WHERE length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'"),
                     ENTRIES);
    /* NULLs are stored as NULL, not as empty strings. */
    assert_int_equal(scalar(f->s, "SELECT COUNT(*) FROM audit_log WHERE user_id IS NULL"), 2);
    assert_int_equal(scalar(f->s, "SELECT COUNT(*) FROM audit_log WHERE record_id IS NULL"), 6);

    int64_t count, bad;
    char why[256], head[65];
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 0);
    assert_int_equal(count, ENTRIES);
    struct stmt *st = store_prepare(f->s, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_string_equal(head, stmt_text(st, 0));
    stmt_reset(st);

    /* The chain continues across transactions. */
    append_range(f->s, ENTRIES + 1, ENTRIES + 3);
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 0);
    assert_int_equal(count, ENTRIES + 3);
}

static void test_rolled_back_append_leaves_no_trace(void **state)
{
    struct fixture *f = *state;
    append_range(f->s, 1, 3);
    assert_int_equal(store_begin_write(f->s), STORE_OK);
    struct audit_entry e;
    char detail[64];
    fill_entry(&e, 4, detail, sizeof(detail));
    assert_int_equal(audit_append(f->s, &e), STORE_OK);
    assert_int_equal(store_rollback(f->s), STORE_OK);
    assert_int_equal(scalar(f->s, "SELECT COUNT(*) FROM audit_log"), 3);
    /* The next entry takes id 4 and the chain stays intact. */
    append_range(f->s, 4, 5);
    int64_t count, bad;
    char why[256], head[65];
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 0);
    assert_int_equal(count, 5);
}

static void test_triggers_refuse_update_and_delete(void **state)
{
    struct fixture *f = *state;
    append_range(f->s, 1, ENTRIES);
    assert_true(store_exec(f->s, "UPDATE audit_log SET username = 'mallory' WHERE id = 3") < 0);
    assert_non_null(strstr(store_errmsg(f->s), "append-only"));
    assert_true(store_exec(f->s, "UPDATE audit_log SET hash = hash") < 0);
    assert_true(store_exec(f->s, "DELETE FROM audit_log WHERE id = 5") < 0);
    assert_non_null(strstr(store_errmsg(f->s), "append-only"));
    assert_true(store_exec(f->s, "DELETE FROM audit_log") < 0);
    assert_int_equal(scalar(f->s, "SELECT COUNT(*) FROM audit_log"), ENTRIES);
    assert_int_equal(scalar(f->s, "SELECT COUNT(*) FROM audit_log WHERE username = 'mallory'"), 0);
    int64_t count, bad;
    char why[256], head[65];
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 0);
    assert_int_equal(count, ENTRIES);
}

static void test_altered_row_is_named(void **state)
{
    struct fixture *f = *state;
    append_range(f->s, 1, ENTRIES);
    assert_int_equal(store_exec(f->s, "DROP TRIGGER audit_log_no_update"), STORE_OK);
    assert_int_equal(store_exec(f->s, "UPDATE audit_log SET username = 'mallory' WHERE id = 4"),
                     STORE_OK);
    int64_t count, bad;
    char why[256], head[65];
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 1);
    assert_int_equal(bad, 4);
    assert_non_null(strstr(why, "entry 4"));
    assert_non_null(strstr(why, "altered"));
}

static void test_every_field_is_covered(void **state)
{
    struct fixture *f = *state;
    append_range(f->s, 1, ENTRIES);
    assert_int_equal(store_exec(f->s, "DROP TRIGGER audit_log_no_update"), STORE_OK);
    /* One change per field (each undone before the next); NULL ↔ '' too. */
    static const char *const changes[][2] = {
        {"UPDATE audit_log SET at = '2026-06-01T12:00:00Z' WHERE id = 3",
         "UPDATE audit_log SET at = '2026-06-01T12:00:03Z' WHERE id = 3"},
        {"UPDATE audit_log SET user_id = 2 WHERE id = 3",
         "UPDATE audit_log SET user_id = 1 WHERE id = 3"},
        {"UPDATE audit_log SET roles = 'admin' WHERE id = 3",
         "UPDATE audit_log SET roles = 'investigator' WHERE id = 3"},
        {"UPDATE audit_log SET action = 'read' WHERE id = 3",
         "UPDATE audit_log SET action = 'search' WHERE id = 3"},
        {"UPDATE audit_log SET record_type = 'person' WHERE id = 3",
         "UPDATE audit_log SET record_type = NULL WHERE id = 3"},
        {"UPDATE audit_log SET record_id = 0 WHERE id = 3",
         "UPDATE audit_log SET record_id = NULL WHERE id = 3"},
        {"UPDATE audit_log SET route = 'GET /x' WHERE id = 3",
         "UPDATE audit_log SET route = 'POST /api/session' WHERE id = 3"},
        {"UPDATE audit_log SET remote_addr = '10.0.0.1' WHERE id = 3",
         "UPDATE audit_log SET remote_addr = '127.0.0.1' WHERE id = 3"},
        {"UPDATE audit_log SET request_id = '' WHERE id = 3",
         "UPDATE audit_log SET request_id = '0123456789abcdef0123456789abcdef' WHERE id = 3"},
        {"UPDATE audit_log SET detail = '{}' WHERE id = 3",
         "UPDATE audit_log SET detail = '{\"q\":\"smith\",\"shown\":[3]}' WHERE id = 3"},
        {"UPDATE audit_log SET username = NULL WHERE id = 3",
         "UPDATE audit_log SET username = 'alice' WHERE id = 3"},
    };
    int64_t count, bad;
    char why[256], head[65];
    for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
        assert_int_equal(store_exec(f->s, changes[i][0]), STORE_OK);
        if (verify(f->s, &count, &bad, why, sizeof(why), head) != 1 || bad != 3) {
            print_error("not detected: %s (bad=%lld)\n", changes[i][0], (long long)bad);
            fail();
        }
        assert_int_equal(store_exec(f->s, changes[i][1]), STORE_OK);
        if (verify(f->s, &count, &bad, why, sizeof(why), head) != 0) {
            print_error("undo did not restore: %s (%s)\n", changes[i][1], why);
            fail();
        }
    }
}

static void test_deleted_middle_row_is_named_missing(void **state)
{
    struct fixture *f = *state;
    append_range(f->s, 1, ENTRIES);
    assert_int_equal(store_exec(f->s, "DROP TRIGGER audit_log_no_delete"), STORE_OK);
    assert_int_equal(store_exec(f->s, "DELETE FROM audit_log WHERE id = 5"), STORE_OK);
    int64_t count, bad;
    char why[256], head[65];
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 1);
    assert_int_equal(bad, 5);
    assert_non_null(strstr(why, "entry 5"));
    assert_non_null(strstr(why, "missing"));
}

static void test_deleted_first_row_is_named_missing(void **state)
{
    struct fixture *f = *state;
    append_range(f->s, 1, ENTRIES);
    assert_int_equal(store_exec(f->s, "DROP TRIGGER audit_log_no_delete"), STORE_OK);
    assert_int_equal(store_exec(f->s, "DELETE FROM audit_log WHERE id = 1"), STORE_OK);
    int64_t count, bad;
    char why[256], head[65];
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 1);
    assert_int_equal(bad, 1);
}

static void test_relinked_row_is_named(void **state)
{
    struct fixture *f = *state;
    append_range(f->s, 1, ENTRIES);
    assert_int_equal(store_exec(f->s, "DROP TRIGGER audit_log_no_update"), STORE_OK);
    /* Rewriting an entry's hash to hide a change breaks the link after it. */
    assert_int_equal(
        store_exec(f->s, "UPDATE audit_log SET hash = '0000000000000000000000000000000000000000"
                         "000000000000000000000001' WHERE id = 6"),
        STORE_OK);
    int64_t count, bad;
    char why[256], head[65];
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 1);
    assert_int_equal(bad, 6); /* its own hash no longer matches its content */
    assert_int_equal(store_exec(f->s, "UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log"
                                      " WHERE id = 2) WHERE id = 4"),
                     STORE_OK);
    assert_int_equal(verify(f->s, &count, &bad, why, sizeof(why), head), 1);
    assert_int_equal(bad, 4);
    assert_non_null(strstr(why, "link"));
}

static void test_access_log_newest_first(void **state)
{
    struct fixture *f = *state;
    append_range(f->s, 1, ENTRIES);
    /* Entries with i % 5 in {1, 2} name person 100 + i % 2. */
    json_t *log = audit_for_record(f->s, "person", 101, 100);
    assert_non_null(log);
    size_t n = json_array_size(log);
    assert_true(n >= 2);
    int64_t last = INT64_MAX;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(log, i);
        int64_t id = json_integer_value(json_object_get(e, "id"));
        assert_true(id < last);
        last = id;
        assert_true(id % 5 == 1 || id % 5 == 2);
        assert_int_equal(id % 2, 1);
    }
    json_decref(log);
    log = audit_for_record(f->s, "person", 101, 1);
    assert_int_equal(json_array_size(log), 1);
    json_decref(log);
    log = audit_for_record(f->s, "person", 999, 100);
    assert_int_equal(json_array_size(log), 0);
    json_decref(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty_chain_is_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_and_verify_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rolled_back_append_leaves_no_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triggers_refuse_update_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_altered_row_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_field_is_covered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_middle_row_is_named_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_first_row_is_named_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relinked_row_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_log_newest_first, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
