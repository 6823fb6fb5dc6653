/*
 * cli_backup.c — `safeguard backup` and `safeguard restore`.
 *
 * backup copies the live database with SQLite's online backup API, so the
 * server keeps taking writes meanwhile; the copy holds every transaction
 * committed before the copy finished. Both commands then prove the copy:
 * integrity check, audit chain, schema version. Neither ever overwrites a
 * file: restore goes into a fresh path, which the operator then points the
 * server at (docs/operations.md).
 */
#include "audit/audit.h"
#include "cli/cli.h"
#include "store/store.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Checks a database file: integrity and audit chain. Returns 0 or 1. */
static int prove(const char *cmd, const char *path)
{
    struct store *s;
    char err[512];
    if (store_open_readonly(&s, path, err, sizeof(err)) < 0)
        return cli_fail(cmd, "%s", err);
    int rc = 0;
    if (store_integrity_check(s, err, sizeof(err)) < 0) {
        rc = cli_fail(cmd, "'%s' fails the integrity check: %s", path, err);
    } else {
        int64_t count = 0, bad = 0;
        char why[256] = "", head[65] = "";
        int v = audit_verify(s, &count, &bad, why, sizeof(why), head);
        if (v != 0)
            rc = cli_fail(cmd, "'%s': audit trail %s: %s", path, v < 0 ? "unreadable" : "broken",
                          why);
        else
            printf("safeguard: '%s' is sound: schema %d, %lld audit entries, head %s\n", path,
                   store_schema_version(s), (long long)count, head);
    }
    store_close(s);
    return rc;
}

static int copy_db(const char *cmd, const char *from, const char *to, int from_readonly)
{
    struct store *s;
    char err[512];
    int rc = from_readonly ? store_open_readonly(&s, from, err, sizeof(err))
                           : store_open(&s, from, err, sizeof(err));
    if (rc < 0)
        return cli_fail(cmd, "%s", err);
    rc = store_backup(s, to, err, sizeof(err));
    store_close(s);
    if (rc < 0) {
        unlink(to);
        return cli_fail(cmd, "%s", err);
    }
    return 0;
}

int cli_backup(int argc, char **argv)
{
    struct cli c = {.cmd = "backup"};
    const char *out = NULL;
    const struct cli_opt extra[] = {{.name = "out", .value = &out}, {0}};
    int rc = cli_parse(&c, argc, argv, extra);
    if (rc || c.help)
        return c.help ? cli_help("backup") : rc;
    if (!out)
        return cli_usage("backup", "--out FILE is required");
    struct stat st;
    if (stat(out, &st) == 0)
        return cli_fail("backup", "'%s' already exists: a backup never overwrites a file", out);
    if (stat(c.cfg.db_path, &st) != 0)
        return cli_fail("backup", "no database at '%s'", c.cfg.db_path);
    if (copy_db("backup", c.cfg.db_path, out, 0))
        return 1;
    return prove("backup", out);
}

int cli_restore(int argc, char **argv)
{
    struct cli c = {.cmd = "restore"};
    const char *from = NULL;
    const struct cli_opt extra[] = {{.name = "from", .value = &from}, {0}};
    int rc = cli_parse(&c, argc, argv, extra);
    if (rc || c.help)
        return c.help ? cli_help("restore") : rc;
    if (!from)
        return cli_usage("restore", "--from FILE is required");
    struct stat st;
    if (stat(from, &st) != 0)
        return cli_fail("restore", "no backup at '%s'", from);
    if (stat(c.cfg.db_path, &st) == 0)
        return cli_fail("restore",
                        "'%s' already exists: restore into a fresh path, then point the server "
                        "at it",
                        c.cfg.db_path);
    /* Prove the backup before trusting it, then copy and prove the copy. */
    if (prove("restore", from) || copy_db("restore", from, c.cfg.db_path, 1))
        return 1;
    struct store *s;
    if (cli_open(&c, &s)) /* a backup from an older release is migrated forward */
        return 1;
    store_close(s);
    return prove("restore", c.cfg.db_path);
}
