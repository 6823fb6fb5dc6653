/*
 * cli_seed_scale.c — `safeguard seed --scale tiny|small|medium|large`: the
 * force-scale dataset (src/modules/scale), with a progress bar on a terminal
 * and a summary of what was written, how long it took and the database size.
 */
#include "auth/users.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "modules/assurance/assurance.h"
#include "modules/case_audits/case_audits.h"
#include "modules/scale/scale.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *last_stage;

/* One line per stage, redrawn in place; only on a terminal, so logs and
 * tests see just the summary. */
static void progress(const char *stage, double done)
{
    if (!isatty(STDERR_FILENO))
        return;
    if (last_stage && strcmp(last_stage, stage) != 0)
        fputc('\n', stderr);
    last_stage = stage;
    int width = 40, filled = (int)(done * width + 0.5);
    if (filled > width)
        filled = width;
    fprintf(stderr, "\r  %-20s [%.*s%*s] %3d%%", stage, filled,
            "########################################", width - filled, "", (int)(done * 100));
    fflush(stderr);
}

static long long file_size(const char *path, const char *suffix)
{
    char p[4096];
    snprintf(p, sizeof(p), "%s%s", path, suffix);
    struct stat st;
    return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

int cli_seed_scale(struct cli *c, const char *scale, unsigned long long seed)
{
    const struct scale_plan *plan = scale_plan_named(scale);
    if (!plan)
        return cli_usage("seed", "--scale must be tiny, small, medium or large, not '%s'", scale);
    struct store *s;
    if (cli_open(c, &s))
        return 1;
    /* Only into a database with no records of its own: the dataset's ids
     * and references are laid out from 1. */
    struct stmt *st = store_prepare(s, "SELECT (SELECT COUNT(*) FROM person) +"
                                       " (SELECT COUNT(*) FROM incident)");
    int64_t existing = st && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    if (st)
        stmt_reset(st);
    if (existing != 0) {
        store_close(s);
        return cli_fail("seed", "--scale needs a new, empty database: '%s' already holds records",
                        c->cfg.db_path);
    }
    uint64_t t0 = clock_monotonic_ns();
    int64_t now = clock_now();
    struct scale_counts n;
    int rc = users_seed_demo(s, now) < 0 ? -1 : 0;
    if (rc == 0)
        rc = scale_seed(s, plan, seed, now, progress, &n);
    /* The board's inspection and recommendations (what the measures report
     * against), and the auditor's samples of recent closed incidents. */
    if (rc == 0 && assurance_seed(s, now) < 0)
        rc = -1;
    if (rc == 0 && case_audits_seed(s, seed, now) < 0)
        rc = -1;
    if (last_stage)
        fputc('\n', stderr);
    last_stage = NULL;
    /* As the store shows it: a PostgreSQL URL without its password. */
    char shown[512];
    snprintf(shown, sizeof(shown), "%s", store_path(s));
    store_close(s);
    if (rc < 0)
        return cli_fail("seed", "the %s dataset is incomplete: start again with a new database",
                        plan->name);
    double secs = (double)(clock_monotonic_ns() - t0) / 1e9;
    /* A SQLite file's size; a PostgreSQL database has no file here. */
    long long bytes = file_size(c->cfg.db_path, "") + file_size(c->cfg.db_path, "-wal");
    char size[32] = "";
    if (bytes > 0)
        snprintf(size, sizeof(size), " (%.1f MB)", (double)bytes / 1e6);
    printf("safeguard: seeded the %s force-scale dataset into '%s' in %.1f s%s:\n"
           "  %" PRId64 " people, %" PRId64 " users, %" PRId64 " incidents (%" PRId64
           " people linked), %" PRId64 " missing episodes,\n"
           "  %" PRId64 " referrals, %" PRId64 " investigations, %" PRId64
           " police protection cases, %" PRId64 " registered offenders,\n"
           "  %" PRId64 " children in custody, %" PRId64 " tasks (%" PRId64 " open), %" PRId64
           " audit entries\n",
           plan->name, shown, secs, size, n.people, n.users, n.incidents, n.incident_people,
           n.missing, n.referrals, n.investigations, n.protection, n.offenders, n.custody, n.tasks,
           n.open_tasks, n.audit);
    return 0;
}
