/*
 * fuzz_ocse_import.c — libFuzzer target: batches of online referrals as a
 * national agency (or anyone) might send them, through the whole import —
 * the CSV reader or the JSON parser, the grouping of CSV rows, the declared
 * fields, identifier normalisation and the inserts — against an in-memory
 * database, each run rolled back. The first byte chooses the format: odd is
 * CSV, even is JSON; the rest is the batch.
 *
 * Whatever the input: no crash, leak or read outside it; a refusal lists its
 * faults in err.errors, each with a field and a message that is valid UTF-8;
 * an accepted batch imported between 1 and 500 referrals; nothing of a
 * refused batch is left behind.
 */
#include "core/utf8.h"
#include "modules/ocse/ocse.h"
#include "store/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1780315200 /* 2026-06-01T12:00:00Z */

static struct store *db;

static int64_t count(void)
{
    struct stmt *st = store_prepare(db, "SELECT COUNT(*) FROM online_referral");
    int64_t n = st && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    if (st)
        stmt_reset(st);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db) {
        char err[256];
        if (store_open(&db, ":memory:", err, sizeof(err)) < 0 ||
            store_migrate(db, err, sizeof(err)) < 0)
            abort();
    }
    if (size < 1 || size > 64 * 1024)
        return 0;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (store_begin_write(db) != STORE_OK)
        abort();
    struct domain_error err = {0};
    int n = ocse_import(db, data[0] & 1 ? "csv" : "json", text, NULL, NOW, &err);
    if (n < 0) {
        if (err.status == 422) {
            if (!json_is_array(err.errors) || json_array_size(err.errors) == 0)
                abort();
            size_t i;
            json_t *e;
            json_array_foreach(err.errors, i, e)
            {
                const char *m = json_string_value(json_object_get(e, "message"));
                const char *f = json_string_value(json_object_get(e, "field"));
                if (!m || !*m || !f || !utf8_valid(m, strlen(m)))
                    abort();
            }
        } else if (err.status < 500) {
            abort(); /* every refusal of a batch is a 422 with its faults */
        }
    } else if (n < 1 || n > 500 || count() != n) {
        abort();
    }
    domain_error_release(&err);
    store_rollback(db);
    if (count() != 0)
        abort(); /* rolled back: nothing left behind */
    free(text);
    return 0;
}
