/*
 * cli_migrate.c — `safeguard migrate-store`: move a pilot's SQLite database
 * into a new PostgreSQL database and print the proof, table by table.
 *
 * The work is src/store/migrate_store.c; this file parses the options and
 * prints the report. The report goes to standard output, one line a table,
 * so an operator can keep it with the change record; progress goes to
 * standard error. Exit 0 only when every table's count and checksum match
 * and the audit chain verifies on both sides with the same head.
 */
#include "cli/cli.h"
#include "store/migrate_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void progress(const char *table, int64_t rows, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "  copied %-32s %10lld rows\n", table, (long long)rows);
}

/* libpq's messages run over several lines; errors here are one line. */
static void one_line(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        char c = *r == '\n' || *r == '\t' ? ' ' : *r;
        if (c != ' ' || (w > s && w[-1] != ' '))
            *w++ = c;
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

static void print_audit(const char *side, const struct migrate_audit_report *a)
{
    if (a->result == 0)
        printf("audit chain (%s): intact, %lld entries, head %s\n", side, (long long)a->entries,
               a->head);
    else
        printf("audit chain (%s): %s: %s\n", side, a->result > 0 ? "BROKEN" : "unreadable", a->why);
}

static void print_report(const struct migrate_report *r, int verify_only)
{
    printf("safeguard migrate-store: %s '%s' (SQLite, schema %d) %s '%s' (PostgreSQL, schema "
           "%d)\n",
           verify_only ? "compared" : "copied", r->source, r->source_schema,
           verify_only ? "with" : "to", r->target, r->target_schema);
    printf("%-36s %12s %12s  %-16s  %s\n", "table", "source rows", "target rows", "checksum",
           "result");
    int64_t rows = 0;
    for (size_t i = 0; i < r->ntables; i++) {
        const struct migrate_table_report *t = &r->tables[i];
        rows += t->source_rows;
        if (t->match)
            printf("%-36s %12lld %12lld  %.16s  ok\n", t->name, (long long)t->source_rows,
                   (long long)t->target_rows, t->source_sum);
        else
            printf("%-36s %12lld %12lld  %.16s  MISMATCH (target %.16s): %s\n", t->name,
                   (long long)t->source_rows, (long long)t->target_rows, t->source_sum,
                   t->target_sum,
                   t->first_difference[0] ? t->first_difference : "the checksums differ");
    }
    print_audit("source", &r->source_audit);
    print_audit("target", &r->target_audit);
    if (!verify_only)
        printf("sequences reset: %d\n", r->sequences_reset);
    if (r->ok)
        printf("safeguard migrate-store: verified: %zu tables, %lld rows, every row count and "
               "checksum equal, audit chain intact on both sides with the same head\n",
               r->ntables, (long long)rows);
}

int cli_migrate_store(int argc, char **argv)
{
    struct cli c = {.cmd = "migrate-store"};
    const char *from = NULL, *to = NULL, *batch = NULL;
    int verify_only = 0;
    const struct cli_opt extra[] = {{.name = "from", .value = &from},
                                    {.name = "to", .value = &to},
                                    {.name = "batch", .value = &batch},
                                    {.name = "verify-only", .flag = &verify_only},
                                    {0}};
    int rc = cli_parse(&c, argc, argv, extra);
    if (rc || c.help)
        return c.help ? cli_help("migrate-store") : rc;
    if (!from)
        return cli_usage(c.cmd, "--from sqlite:PATH is required");
    if (!to)
        return cli_usage(c.cmd, "--to postgres://USER@HOST:PORT/NAME is required");
    char *end;
    long n = batch ? strtol(batch, &end, 10) : 1000;
    if (batch && (!*batch || *end || n < 1 || n > 100000))
        return cli_usage(c.cmd, "--batch must be a whole number from 1 to 100000, not '%s'", batch);
    struct migrate_options o = {.from = from,
                                .to = to,
                                .verify_only = verify_only,
                                .batch_rows = (int)n,
                                .progress = verify_only ? NULL : progress};
    struct migrate_report r;
    char err[1024];
    if (migrate_store(&o, &r, err, sizeof(err)) < 0) {
        migrate_report_release(&r);
        one_line(err);
        return cli_fail(c.cmd, "%s", err);
    }
    print_report(&r, verify_only);
    fflush(stdout);
    int ok = r.ok;
    size_t bad = 0;
    for (size_t i = 0; i < r.ntables; i++)
        bad += !r.tables[i].match;
    const char *chain = r.source_audit.result != 0   ? ", the source's audit chain does not verify"
                        : r.target_audit.result != 0 ? ", the target's audit chain does not verify"
                        : r.source_audit.entries != r.target_audit.entries ||
                                strcmp(r.source_audit.head, r.target_audit.head) != 0
                            ? ", the audit chains end at different entries"
                            : "";
    migrate_report_release(&r);
    if (ok)
        return 0;
    return cli_fail(c.cmd,
                    "verification FAILED: %zu table(s) differ%s; do not switch to the target", bad,
                    chain);
}
