/*
 * main.c — the safeguard command: a table of subcommands (Git's commands[]
 * habit), each with its own --help.
 *
 * Exit codes: 0 success, 1 runtime error, 2 usage error; every failure prints
 * one line on stderr naming what is wrong.
 */
#include "charts/chart.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/router.h"
#include "http/server.h"
#include "http/template.h"
#include "core/buf.h"
#include "modules/assurance/assurance.h"
#include "modules/assurance/assurance_pack.h"
#include "modules/case_audits/case_audits.h"
#include "modules/custody/custody.h"
#include "modules/incidents/incidents_seed.h"
#include "modules/investigations/investigations.h"
#include "modules/people/people.h"
#include "modules/people/people_seed.h"
#include "auth/roles.h"
#include "auth/users.h"
#include "modules/missing/missing.h"
#include "modules/ocse/ocse.h"
#include "modules/protection/protection.h"
#include "modules/offenders/offenders.h"
#include "modules/disclosure/disclosure.h"
#include "modules/referrals/referrals.h"
#include "rules/rules.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
    const char *summary;
};

/* ---- init ------------------------------------------------------------------ */

static int cmd_init(int argc, char **argv)
{
    struct cli c = {.cmd = "init"};
    int rc = cli_parse(&c, argc, argv, NULL);
    if (rc || c.help)
        return c.help ? cli_help("init") : rc;
    struct store *s;
    if (cli_open(&c, &s))
        return 1;
    printf("safeguard: database '%s' is at schema version %d\n", c.cfg.db_path,
           store_schema_version(s));
    store_close(s);
    return 0;
}

/* ---- serve ----------------------------------------------------------------- */

static int cmd_serve(int argc, char **argv)
{
    struct cli c = {.cmd = "serve"};
    const char *listen = NULL;
    const struct cli_opt extra[] = {
        {.name = "listen", .value = &listen}, {.name = "clock", .value = &c.clock}, {0}};
    int rc = cli_parse(&c, argc, argv, extra);
    if (rc || c.help)
        return c.help ? cli_help("serve") : rc;
    char err[512];
    if (listen && config_set_listen(&c.cfg, listen, err, sizeof(err)) < 0)
        return cli_usage("serve", "%s", err);

    if (template_init(err, sizeof(err)) < 0)
        return cli_fail("serve", "templates are invalid: %s", err);
    static struct app app;
    app.cfg = c.cfg;
    app.router = router_new(app_routes, app_routes_count, err, sizeof(err));
    if (!app.router)
        return cli_fail("serve", "route table is invalid: %s", err);
    /* A read-only server (a reporting copy) never migrates: /readyz reports
     * a schema older than this build. */
    struct store *s;
    if (c.cfg.read_only ? store_open_readonly(&s, c.cfg.db_path, err, sizeof(err)) < 0
                        : cli_open(&c, &s) != 0) {
        router_free(app.router);
        template_release();
        return c.cfg.read_only ? cli_fail("serve", "%s", err) : 1;
    }
    store_close(s);
    app.ready = 1;

    /* Block the stop signals in every thread; main waits for them below. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    int port;
    if (server_start(&app, &port, err, sizeof(err)) < 0) {
        router_free(app.router);
        return cli_fail("serve", "%s", err);
    }
    fprintf(stderr, "safeguard: listening on http://%s:%d (database %s%s)\n", c.cfg.listen_addr,
            port, c.cfg.db_path, clock_is_injected() ? ", injected clock" : "");
    fflush(stderr);
    int sig;
    sigwait(&set, &sig);
    log_msg(LOG_INFO, "stopping on signal %d", sig);
    server_stop();
    router_free(app.router);
    template_release();
    chart_shutdown();
    return 0;
}

/* ---- seed ------------------------------------------------------------------ */

static void seed_progress(int done, int total)
{
    if (isatty(STDERR_FILENO)) {
        int width = 40, filled = (int)((long long)done * width / (total ? total : 1));
        fprintf(stderr, "\r  people [%.*s%*s] %d/%d", filled,
                "########################################", width - filled, "", done, total);
        if (done == total)
            fputc('\n', stderr);
    }
}

static int cmd_seed(int argc, char **argv)
{
    struct cli c = {.cmd = "seed"};
    const char *people = NULL, *seed = NULL, *incidents = NULL, *missing = NULL,
               *investigations = NULL, *online = NULL, *protection = NULL, *offenders = NULL,
               *disclosures = NULL, *custody = NULL, *scale = NULL;
    int users = 0;
    const struct cli_opt extra[] = {{.name = "people", .value = &people},
                                    {.name = "incidents", .value = &incidents},
                                    {.name = "missing", .value = &missing},
                                    {.name = "investigations", .value = &investigations},
                                    {.name = "online-referrals", .value = &online},
                                    {.name = "police-protection", .value = &protection},
                                    {.name = "offenders", .value = &offenders},
                                    {.name = "disclosures", .value = &disclosures},
                                    {.name = "custody", .value = &custody},
                                    {.name = "seed", .value = &seed},
                                    {.name = "clock", .value = &c.clock},
                                    {.name = "users", .flag = &users},
                                    {.name = "scale", .value = &scale},
                                    {0}};
    int rc = cli_parse(&c, argc, argv, extra);
    if (rc || c.help)
        return c.help ? cli_help("seed") : rc;
    char *end;
    if (scale) {
        if (people || incidents || missing || investigations || online || protection || offenders ||
            disclosures || custody || users)
            return cli_usage("seed", "--scale sets every count itself: give it alone (with "
                                     "--seed, --db and --clock)");
        unsigned long long sn = seed ? strtoull(seed, &end, 10) : 1;
        if (seed && (!*seed || *end))
            return cli_usage("seed", "--seed must be a whole number, not '%s'", seed);
        return cli_seed_scale(&c, scale, sn);
    }
    long n = people ? strtol(people, &end, 10) : 200;
    if (people && (!*people || *end || n < 0 || n > 10000000))
        return cli_usage("seed", "--people must be a whole number from 0 to 10000000, not '%s'",
                         people);
    long n_inc = incidents ? strtol(incidents, &end, 10) : 0;
    if (incidents && (!*incidents || *end || n_inc < 0 || n_inc > 1000000))
        return cli_usage("seed", "--incidents must be a whole number from 0 to 1000000, not '%s'",
                         incidents);
    long n_mis = missing ? strtol(missing, &end, 10) : 0;
    if (missing && (!*missing || *end || n_mis < 0 || n_mis > 1000000))
        return cli_usage("seed", "--missing must be a whole number from 0 to 1000000, not '%s'",
                         missing);
    long n_inv = investigations ? strtol(investigations, &end, 10) : 0;
    if (investigations && (!*investigations || *end || n_inv < 0 || n_inv > 100))
        return cli_usage("seed", "--investigations must be a whole number from 0 to 100, not '%s'",
                         investigations);
    long n_oc = online ? strtol(online, &end, 10) : 0;
    if (online && (!*online || *end || n_oc < 0 || n_oc > 500))
        return cli_usage(
            "seed", "--online-referrals must be a whole number from 0 to 500, not '%s'", online);
    long n_pp = protection ? strtol(protection, &end, 10) : 0;
    if (protection && (!*protection || *end || n_pp < 0 || n_pp > 100))
        return cli_usage("seed",
                         "--police-protection must be a whole number from 0 to 100, not '%s'",
                         protection);
    long n_of = offenders ? strtol(offenders, &end, 10) : 0;
    if (offenders && (!*offenders || *end || n_of < 0 || n_of > 500))
        return cli_usage("seed", "--offenders must be a whole number from 0 to 500, not '%s'",
                         offenders);
    long n_ds = disclosures ? strtol(disclosures, &end, 10) : 0;
    if (disclosures && (!*disclosures || *end || n_ds < 0 || n_ds > 500))
        return cli_usage("seed", "--disclosures must be a whole number from 0 to 500, not '%s'",
                         disclosures);
    long n_cu = custody ? strtol(custody, &end, 10) : 0;
    if (custody && (!*custody || *end || n_cu < 0 || n_cu > 500))
        return cli_usage("seed", "--custody must be a whole number from 0 to 500, not '%s'",
                         custody);
    unsigned long long seed_number = seed ? strtoull(seed, &end, 10) : 1;
    if (seed && (!*seed || *end))
        return cli_usage("seed", "--seed must be a whole number, not '%s'", seed);
    struct store *s;
    if (cli_open(&c, &s))
        return 1;
    uint64_t t0 = clock_monotonic_ns();
    if (users && users_seed_demo(s, clock_now()) < 0) {
        store_close(s);
        return cli_fail("seed", "cannot create the demo users");
    }
    rc = people_seed(s, (int)n, seed_number, clock_now(), seed_progress);
    /* Incidents link the people, and act as the demo users when present. */
    if (rc >= 0 && n_inc > 0)
        rc = incidents_seed(s, (int)n_inc, seed_number, clock_now());
    if (rc >= 0 && n_mis > 0)
        rc = missing_seed(s, (int)n_mis, (unsigned)seed_number, clock_now()) < 0 ? -1 : 0;
    /* The demo agencies, and referrals for the incidents that need one. */
    if (rc >= 0)
        rc = referrals_seed(s, (unsigned)seed_number, clock_now(), n_inc > 0);
    /* Demo teams, investigators (with --users) and investigations. */
    if (rc >= 0 && n_inv > 0)
        rc = investigations_seed(s, (int)n_inv, users, clock_now());
    /* Demo online referrals, after the teams (escalation allocates to the
     * online team); skipped when any exist. */
    if (rc >= 0 && n_oc > 0)
        rc = ocse_seed(s, (int)n_oc, clock_now());
    /* Demo police protection cases, acted out by the demo officers;
     * skipped when any exist. */
    if (rc >= 0 && n_pp > 0)
        rc = protection_seed(s, (int)n_pp, clock_now());
    /* Demo registered sex offenders; skipped when any exist. */
    if (rc >= 0 && n_of > 0)
        rc = offenders_seed(s, (int)n_of, clock_now());
    /* Demo disclosure scheme applications, as the demo offender manager and
     * supervisor when they exist; skipped when any exist. */
    if (rc >= 0 && n_ds > 0)
        rc = disclosure_seed(s, (int)n_ds, clock_now());
    /* Demo children in custody (as the demo custody sergeant, with --users);
     * skipped when any record exists. */
    if (rc >= 0 && n_cu > 0)
        rc = custody_seed(s, (int)n_cu, clock_now());
    /* The demo inspection and its recommendations; skipped when present. */
    if (rc >= 0 && assurance_seed(s, clock_now()) < 0) {
        store_close(s);
        return cli_fail("seed", "cannot load the demo inspection");
    }
    /* Demo case audits of the incidents' closed cases; skipped when any exist. */
    if (rc >= 0 && n_inc > 0 && case_audits_seed(s, seed_number, clock_now()) < 0) {
        store_close(s);
        return cli_fail("seed", "cannot create the demo case audits");
    }
    store_close(s);
    if (rc < 0)
        return 1;
    printf("safeguard: seeded %ld synthetic people%s%s%s into '%s' in %.1f s\n", n,
           users ? " and the demo users" : "", n_inc > 0 ? " and incidents" : "",
           n_mis > 0 ? " and missing episodes" : "", c.cfg.db_path,
           (double)(clock_monotonic_ns() - t0) / 1e9);
    return 0;
}

/* ---- routes, version, help ----------------------------------------------- */

static int cmd_routes(int argc, char **argv)
{
    struct cli c = {.cmd = "routes"};
    int summaries = 0;
    const struct cli_opt extra[] = {{.name = "summaries", .flag = &summaries}, {0}};
    int rc = cli_parse(&c, argc, argv, extra);
    if (rc || c.help)
        return c.help ? cli_help("routes") : rc;
    char err[512];
    struct router *r = router_new(app_routes, app_routes_count, err, sizeof(err));
    if (!r)
        return cli_fail("routes", "route table is invalid: %s", err);
    router_free(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < app_routes_count; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:s}", "method",
                                             http_method_name(app_routes[i].method), "path",
                                             app_routes[i].pattern, "permission",
                                             permission_name(app_routes[i].permission), "body",
                                             (app_routes[i].flags & ROUTE_JSON_BODY) != 0,
                                             "handler", app_routes[i].handler_name));
    if (summaries) {
        for (size_t i = 0; i < app_routes_count; i++) {
            json_t *row = json_array_get(arr, i);
            json_object_set_new(row, "summary", json_string(app_routes[i].summary));
            json_object_set_new(row, "page",
                                app_routes[i].page_path ? json_string(app_routes[i].page_path)
                                                        : json_null());
        }
    }
    json_dumpf(arr, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(arr);
    return 0;
}

static int cmd_roles(int argc, char **argv)
{
    struct cli c = {.cmd = "roles"};
    int rc = cli_parse(&c, argc, argv, NULL);
    if (rc || c.help)
        return c.help ? cli_help("roles") : rc;
    json_t *arr = json_array();
    for (int i = 0; i < role_count; i++) {
        struct permset ps = {0};
        role_grant(&role_defs[i], &ps);
        json_t *perms = json_array();
        for (int p = PERM_PUBLIC; p < PERM__COUNT; p++)
            if (p == PERM_PUBLIC || permset_has(&ps, (enum permission)p))
                json_array_append_new(perms, json_string(permission_name((enum permission)p)));
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o}", "role", role_defs[i].name,
                                             "title", role_defs[i].title, "description",
                                             role_defs[i].description, "permissions", perms));
    }
    json_dumpf(arr, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(arr);
    return 0;
}

static int cmd_timescales(int argc, char **argv)
{
    struct cli c = {.cmd = "timescales"};
    int rc = cli_parse(&c, argc, argv, NULL);
    if (rc || c.help)
        return c.help ? cli_help("timescales") : rc;
    static const char *const owners[] = {"the record's officer", "the record's team", "role"};
    json_t *arr = json_array();
    for (int i = 0; i < rule_count; i++) {
        const struct rule *r = &rule_table[i];
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:b, s:s, s:s?, s:s, s:s}", "rule",
                           r->id, "record_type", r->record_type, "what", r->title, "from",
                           r->from_field, "default_minutes", r->default_minutes, "minutes",
                           rules_minutes(r), "working_days", rules_working_days(r), "owner",
                           owners[r->owner], "owner_role", r->owner_role, "escalates_to",
                           r->escalate_role, "source", r->source));
    }
    json_dumpf(arr, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(arr);
    return 0;
}

static int cmd_version(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0)
        return cli_help("version");
    if (argc > 1)
        return cli_usage("version", "unexpected argument '%s'", argv[1]);
    printf("safeguard %s\n", SAFEGUARD_VERSION);
    return 0;
}

/* ---- report ---------------------------------------------------------------- */

/* report board: the Force Assurance Board pack as PDF, aggregate-only as the
 * board sees it, written to a new file. */
static int cmd_report(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0)
        return cli_help("report");
    if (argc < 2 || strcmp(argv[1], "board") != 0)
        return cli_usage("report", "give the report to produce: 'board'");
    struct cli c = {.cmd = "report board"};
    const char *period = NULL, *outpath = NULL;
    const struct cli_opt extra[] = {{.name = "period", .value = &period},
                                    {.name = "out", .value = &outpath},
                                    {.name = "clock", .value = &c.clock},
                                    {0}};
    int rc = cli_parse(&c, argc - 1, argv + 1, extra);
    if (rc || c.help)
        return c.help ? cli_help("report") : rc;
    struct assurance_period p;
    if (!period || assurance_month(period, &p) < 0)
        return cli_usage("report board", "--period must be a month written YYYY-MM, not '%s'",
                         period ? period : "");
    if (!outpath || !*outpath)
        return cli_usage("report board", "give the file to write with --out FILE");
    if (access(outpath, F_OK) == 0)
        return cli_fail("report board", "'%s' already exists: give a new file", outpath);
    struct store *s;
    if (cli_open_read(&c, &s)) /* reads only: runs on a standby too */
        return 1;
    struct buf b;
    buf_init(&b, 64 * 1024 * 1024);
    char err[200];
    int pages = assurance_board_pack(s, &p, NULL, clock_now(), &b, err, sizeof(err));
    store_close(s);
    chart_shutdown(); /* fontconfig's caches, for leak checkers */
    if (pages < 0) {
        buf_release(&b);
        return cli_fail("report board", "%s", err);
    }
    int fd = open(outpath, O_WRONLY | O_CREAT | O_EXCL, 0640);
    if (fd < 0) {
        buf_release(&b);
        return cli_fail("report board", "cannot create '%s': %s", outpath, strerror(errno));
    }
    size_t done = 0;
    while (done < b.len) {
        ssize_t n = write(fd, b.data + done, b.len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    int ok = done == b.len && close(fd) == 0;
    if (done != b.len)
        close(fd);
    buf_release(&b);
    if (!ok) {
        unlink(outpath);
        return cli_fail("report board", "could not write '%s'", outpath);
    }
    printf("safeguard: wrote the board pack for %.7s (%d pages) to '%s'\n", p.from, pages, outpath);
    return 0;
}

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
    {"init", cmd_init, "safeguard init [--db PATH] [--config FILE]",
     "Create the database if needed and apply every schema migration not yet applied.\n"
     "Running it twice changes nothing."},
    {"serve", cmd_serve,
     "safeguard serve [--db PATH] [--listen ADDR:PORT] [--clock SPEC] [--config FILE]",
     "Apply migrations, then serve the web interface and JSON API (default 127.0.0.1:8080).\n"
     "--clock fixes time for tests: a timestamp like 2026-01-01T09:00:00Z, or file:PATH to read\n"
     "the time from a file on every use. Settings: docs/configuration.md."},
    {"seed", cmd_seed,
     "safeguard seed [--db PATH] [--people N] [--seed NUMBER] [--users] [--incidents M] "
     "[--missing K] [--investigations J] [--online-referrals R] [--police-protection P] "
     "[--offenders O] [--disclosures D] [--custody C]"
     " [--clock SPEC]\n       safeguard seed --scale tiny|small|medium|large [--seed NUMBER] "
     "[--db PATH] [--clock SPEC]",
     "Add N synthetic people (default 200), generated deterministically from NUMBER\n"
     "(default 1). Never real persons. Also loads the demo inspection (HMICFRS 2022) unless\n"
     "present. --users adds one demo user per role, named after the\n"
     "role, with the password 'safeguard-demo-2026' (demo databases only). --incidents adds\n"
     "M synthetic incidents (default 0) over the 90 days before the clock, linking the\n"
     "people and acting as the demo users when they exist; with them, the demo auditor\n"
     "samples and grades a share of each recent month's closed incidents (case audits).\n"
     "--missing adds K synthetic missing episodes (default 0) over the 120 days before\n"
     "the clock, in the same way. --investigations adds the demo investigation teams,\n"
     "with --users six demo investigators (detective_a to detective_f) with their\n"
     "profiles, and up to J (at most 8) demo investigations in various states, unless\n"
     "the database already holds investigations. --online-referrals adds R (at most 500)\n"
     "synthetic online referrals with invented identifiers, three synthetic households,\n"
     "some referrals identified, assessed, escalated and actioned (as the demo\n"
     "ocse_analyst), unless the database already holds online referrals.\n"
     "--police-protection adds up to P (at most 12) demo police protection cases for\n"
     "synthetic children at every point on the 72-hour clock, some released, referrals\n"
     "drafted from some, and two incidents with a child at immediate risk (one awaiting the\n"
     "supervisor's decision), acted out by the demo response_officer and supervisor (with\n"
     "--users), unless the database already holds cases. --offenders adds O\n"
     "(at most 500) synthetic registered sex offenders with convictions, risk assessments,\n"
     "plans, visits (some overdue), notifications and briefing concerns, unless the\n"
     "database already holds offenders. --disclosures\n"
     "adds D (at most 500) synthetic Child Sex Offender Disclosure Scheme applications at\n"
     "every stage (as the demo offender_manager and supervisor), with a synthetic subject\n"
     "and child each, unless the database already holds applications. --custody adds C\n"
     "(at most 500) synthetic children's custody records worked through as the demo\n"
     "custody_sergeant, two still in custody (one waiting for an appropriate adult, a\n"
     "15-year-old charged and refused bail awaiting transfer), unless any exist.\n"
     "--scale loads five years (before the clock) of a force's records into a new database:\n"
     "large is 1,000,000 people, 1,500,000 incidents, 60,000 missing episodes, 150,000\n"
     "referrals, 100,000 investigations, 5,000 police protection cases, 3,000 registered\n"
     "offenders and 40,000 children in custody, with their tasks and audit trail, plus the\n"
     "demo users; medium is 10% of that, small 1%, tiny 0.1%. The same NUMBER gives the\n"
     "same data. See docs/performance.md."},
    {"chart", cli_chart, "safeguard chart < chart.json > chart.svg",
     "Draw a line (or, with \"kind\": \"bar\", bar) chart with the project's chart module\n"
     "from JSON on standard input: {\"title\", \"x_label\", \"y_label\", \"categories\": [...],\n"
     "\"series\": [{\"name\", \"values\": [...]}]}; writes SVG to standard output (used by\n"
     "bench/growth.mjs for docs/performance.md)."},
    {"user", cli_user,
     "safeguard user add|list|disable|enable|set-role|reset-password [--db PATH] ...",
     "Manage user accounts:\n"
     "  user add --username U --role R [--role R2] [--team T] [--area A] [--agency G] [--name N]\n"
     "      (reads the password from standard input)\n"
     "  user list\n"
     "  user disable --username U      user enable --username U\n"
     "  user set-role --username U --role R [--role R2]   (replaces the user's roles)\n"
     "  user reset-password --username U   (reads the new password from standard input)"},
    {"token", cli_token, "safeguard token create|list|revoke [--db PATH] ...",
     "API tokens for system integrations (requests carry 'Authorization: Bearer TOKEN'):\n"
     "  token create --username U [--name N]   prints the token once\n"
     "  token list\n"
     "  token revoke --id N"},
    {"audit", cli_audit, "safeguard audit verify [--db PATH]",
     "Verify the audit trail's hash chain; names the first broken entry and exits 1 if any."},
    {"backup", cli_backup, "safeguard backup --out FILE [--db PATH]",
     "Copy the live database to FILE (a new file) while the server runs, then check the copy:\n"
     "integrity, audit chain, schema version. See docs/operations.md for schedules."},
    {"restore", cli_restore, "safeguard restore --from FILE --db NEWPATH",
     "Check the backup FILE, copy it to NEWPATH (which must not exist), apply any newer\n"
     "migrations, and check the result. Then point the server at NEWPATH."},
    {"migrate-store", cli_migrate_store,
     "safeguard migrate-store --from sqlite:PATH --to postgres://USER@HOST:PORT/NAME "
     "[--batch N] [--verify-only]",
     "Copy a SQLite database into a new, empty PostgreSQL database and prove the copy.\n"
     "Reads the source in one read transaction (one consistent snapshot; writes made while it\n"
     "runs are not copied, so stop the server or make it read-only first), applies the\n"
     "migrations to the target, refuses a target holding any data, copies every table in\n"
     "foreign-key order keeping every id, N rows (default 1000) per transaction, and moves\n"
     "PostgreSQL's sequences past the copied ids. Then verifies through a new connection:\n"
     "each table's row count and checksum (SHA-256 over its rows in key order, values as\n"
     "text) on both sides, and the audit chain on both, which must end at the same head.\n"
     "Prints one line per table; exits 1 on any difference. --verify-only compares an\n"
     "earlier copy again without changing anything. The cut-over: docs/deployment.md."},
    {"report", cmd_report,
     "safeguard report board --period YYYY-MM --out FILE [--db PATH] [--clock SPEC]",
     "Write the Force Assurance Board pack for the month as PDF to FILE (a new file): a\n"
     "cover, a contents page and one page per recommendation, aggregates only as the\n"
     "board sees them, small numbers suppressed."},
    {"import", cli_import,
     "safeguard import inspection --file PATH [--format json|csv] [--db PATH] [--clock SPEC]",
     "Import an inspection and its recommendations from a JSON or CSV file (the format comes\n"
     "from the file's extension unless --format is given; docs/assurance-import.md). The whole\n"
     "file is checked first: when anything is wrong, every problem is printed on its own line,\n"
     "nothing is imported and the exit code is 1. Due dates are derived from the publication\n"
     "date and each timescale. The import is audited."},
    {"routes", cmd_routes, "safeguard routes [--summaries]",
     "Print the route table as JSON: method, path, permission, handler (and with --summaries\n"
     "each route's one-line description and page path)."},
    {"roles", cmd_roles, "safeguard roles",
     "Print the roles and the permissions each holds, as JSON."},
    {"timescales", cmd_timescales, "safeguard timescales [--config FILE]",
     "Print the timescale rules with the minutes in force (defaults, or the config file's\n"
     "'rule.<id> = <minutes>' overrides), as JSON."},
    {"version", cmd_version, "safeguard version", "Print the version."},
    {"help", cmd_help, "safeguard help [COMMAND]", "Show the commands, or one command's help."},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli_help(const char *name)
{
    const struct command *c = find_command(name);
    printf("usage: %s\n\n%s\n", c->usage, c->summary);
    return 0;
}

static int cmd_help(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") != 0) {
        if (!find_command(argv[1]))
            return cli_usage("help", "no command '%s'", argv[1]);
        return cli_help(argv[1]);
    }
    printf("usage: safeguard COMMAND [OPTIONS]\n\nSafeguard %s: child-protection case "
           "management.\n\nCommands:\n",
           SAFEGUARD_VERSION);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        printf("  %-8s %s\n", commands[i].name, commands[i].usage + strlen("safeguard "));
    printf("\n'safeguard COMMAND --help' explains one command. Exit codes: 0 ok, 1 error, 2 "
           "usage.\n");
    return 0;
}

static int configure_rule(const char *name, const char *value, char *err, size_t errlen)
{
    return rules_configure(name, value, err, errlen);
}

int main(int argc, char **argv)
{
    config_register_prefix("rule.", configure_rule);
    config_register_prefix("calendar.", rules_configure_calendar);
    config_register_prefix("missing.", missing_configure);
    config_register_prefix("referrals.", referrals_configure);
    config_register_prefix("ocse.", ocse_configure);
    config_register_prefix("offenders.", offenders_configure);
    /* A child's address written through the people area is checked against
     * registered offenders' addresses (the living-with-a-child link). */
    people_on_addresses_written(offenders_child_addresses_written);
    if (argc < 2) {
        cmd_help(1, argv);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(1, argv);
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv);
    const struct command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "safeguard: '%s' is not a command (see 'safeguard help')\n", argv[1]);
        return EXIT_USAGE;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "safeguard: cannot initialise libsodium\n");
        return 1;
    }
    return c->run(argc - 1, argv + 1);
}
