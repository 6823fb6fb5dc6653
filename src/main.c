/*
 * main.c — the safeguard command: a table of subcommands (Git's commands[]
 * habit), each with its own --help.
 *
 * Exit codes: 0 success, 1 runtime error, 2 usage error; every failure prints
 * one line on stderr naming what is wrong.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/config.h"
#include "core/date.h"
#include "core/log.h"
#include "http/core_handlers.h"
#include "http/router.h"
#include "http/server.h"
#include "modules/people/people_seed.h"
#include "store/store.h"

#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_USAGE 2

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
    const char *summary;
};

static int cmd_help(int argc, char **argv);

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "safeguard %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'safeguard %s --help')\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

/* Options every database command shares. */
struct common {
    struct config cfg;
    const char *config_file;
    int help;
};

/* Loads defaults, then config file, then environment; flags are applied by
 * each command after this. */
static int load_config(struct common *c, const char *cmd)
{
    char err[512];
    config_defaults(&c->cfg);
    const char *file = c->config_file ? c->config_file : getenv("SAFEGUARD_CONFIG");
    if (file && config_load_file(&c->cfg, file, err, sizeof(err)) < 0) {
        fprintf(stderr, "safeguard %s: %s\n", cmd, err);
        return 1;
    }
    if (config_load_env(&c->cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "safeguard %s: %s\n", cmd, err);
        return 1;
    }
    return 0;
}

static int open_and_migrate(const char *cmd, const char *path, struct store **out)
{
    char err[512];
    if (store_open(out, path, err, sizeof(err)) < 0) {
        fprintf(stderr, "safeguard %s: %s\n", cmd, err);
        return 1;
    }
    if (store_migrate(*out, err, sizeof(err)) < 0) {
        fprintf(stderr, "safeguard %s: %s\n", cmd, err);
        store_close(*out);
        *out = NULL;
        return 1;
    }
    return 0;
}

/* Parses the options shared by all commands plus `extra`; unknown options
 * are usage errors. Returns -1 on error (already reported). */
enum { OPT_DB = 1000, OPT_CONFIG, OPT_LISTEN, OPT_CLOCK, OPT_PEOPLE, OPT_SEED, OPT_HELP };

static const char *flag_db, *flag_listen, *flag_clock;

static int parse_common(int argc, char **argv, const char *cmd, struct common *c,
                        const struct option *extra, int (*on_extra)(int opt, const char *arg))
{
    struct option opts[16];
    int n = 0;
    opts[n++] = (struct option){"db", required_argument, NULL, OPT_DB};
    opts[n++] = (struct option){"config", required_argument, NULL, OPT_CONFIG};
    opts[n++] = (struct option){"help", no_argument, NULL, OPT_HELP};
    for (const struct option *o = extra; o && o->name && n < 15; o++)
        opts[n++] = *o;
    opts[n] = (struct option){0};
    optind = 1;
    opterr = 0;
    flag_db = flag_listen = flag_clock = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_DB:
            flag_db = optarg;
            break;
        case OPT_CONFIG:
            c->config_file = optarg;
            break;
        case OPT_HELP:
            c->help = 1;
            break;
        case ':':
            return usage_error(cmd, "option '%s' needs a value", argv[optind - 1]), -1;
        case '?':
            return usage_error(cmd, "unknown option '%s'", argv[optind - 1]), -1;
        default:
            if (!on_extra || on_extra(opt, optarg) < 0)
                return -1;
        }
    }
    if (optind < argc)
        return usage_error(cmd, "unexpected argument '%s'", argv[optind]), -1;
    return 0;
}

static int apply_flags(struct common *c, const char *cmd)
{
    char err[512];
    if (flag_db && config_set(&c->cfg, "database", flag_db, err, sizeof(err)) < 0)
        return usage_error(cmd, "%s", err);
    if (flag_listen && config_set_listen(&c->cfg, flag_listen, err, sizeof(err)) < 0)
        return usage_error(cmd, "%s", err);
    if (flag_clock && config_set(&c->cfg, "clock", flag_clock, err, sizeof(err)) < 0)
        return usage_error(cmd, "%s", err);
    if (clock_configure(c->cfg.clock, err, sizeof(err)) < 0)
        return usage_error(cmd, "%s", err);
    return 0;
}

static const struct command *find_command(const char *name);

static int print_help(const char *name)
{
    const struct command *c = find_command(name);
    printf("usage: %s\n\n%s\n", c->usage, c->summary);
    return 0;
}

/* ---- init ------------------------------------------------------------------ */

static int cmd_init(int argc, char **argv)
{
    struct common c = {0};
    if (parse_common(argc, argv, "init", &c, NULL, NULL) < 0)
        return EXIT_USAGE;
    if (c.help)
        return print_help("init");
    if (load_config(&c, "init"))
        return 1;
    int rc = apply_flags(&c, "init");
    if (rc)
        return rc;
    struct store *s;
    if (open_and_migrate("init", c.cfg.db_path, &s))
        return 1;
    printf("safeguard: database '%s' is at schema version %d\n", c.cfg.db_path,
           store_schema_version(s));
    store_close(s);
    return 0;
}

/* ---- serve ----------------------------------------------------------------- */

static int serve_extra(int opt, const char *arg)
{
    if (opt == OPT_LISTEN)
        flag_listen = arg;
    else if (opt == OPT_CLOCK)
        flag_clock = arg;
    else
        return -1;
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    static const struct option extra[] = {{"listen", required_argument, NULL, OPT_LISTEN},
                                          {"clock", required_argument, NULL, OPT_CLOCK},
                                          {0}};
    struct common c = {0};
    if (parse_common(argc, argv, "serve", &c, extra, serve_extra) < 0)
        return EXIT_USAGE;
    if (c.help)
        return print_help("serve");
    if (load_config(&c, "serve"))
        return 1;
    int rc = apply_flags(&c, "serve");
    if (rc)
        return rc;

    char err[512];
    static struct app app;
    app.cfg = c.cfg;
    app.router = router_new(app_routes, app_routes_count, err, sizeof(err));
    if (!app.router) {
        fprintf(stderr, "safeguard serve: route table is invalid: %s\n", err);
        return 1;
    }
    struct store *s;
    if (open_and_migrate("serve", c.cfg.db_path, &s)) {
        router_free(app.router);
        return 1;
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
        fprintf(stderr, "safeguard serve: %s\n", err);
        router_free(app.router);
        return 1;
    }
    fprintf(stderr, "safeguard: listening on http://%s:%d (database %s%s)\n", c.cfg.listen_addr,
            port, c.cfg.db_path, clock_is_injected() ? ", injected clock" : "");
    fflush(stderr);
    int sig;
    sigwait(&set, &sig);
    log_msg(LOG_INFO, "stopping on signal %d", sig);
    server_stop();
    router_free(app.router);
    return 0;
}

/* ---- seed ------------------------------------------------------------------ */

static long seed_people = -1;
static unsigned long long seed_number = 1;

static int seed_extra(int opt, const char *arg)
{
    char *end;
    if (opt == OPT_PEOPLE) {
        seed_people = strtol(arg, &end, 10);
        if (*end || seed_people < 0 || seed_people > 10000000)
            return usage_error("seed",
                               "--people must be a whole number from 0 to 10000000, not '%s'", arg),
                   -1;
    } else if (opt == OPT_SEED) {
        seed_number = strtoull(arg, &end, 10);
        if (*end || !*arg)
            return usage_error("seed", "--seed must be a whole number, not '%s'", arg), -1;
    } else if (opt == OPT_CLOCK) {
        flag_clock = arg;
    } else {
        return -1;
    }
    return 0;
}

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
    static const struct option extra[] = {{"people", required_argument, NULL, OPT_PEOPLE},
                                          {"seed", required_argument, NULL, OPT_SEED},
                                          {"clock", required_argument, NULL, OPT_CLOCK},
                                          {0}};
    struct common c = {0};
    seed_people = -1;
    if (parse_common(argc, argv, "seed", &c, extra, seed_extra) < 0)
        return EXIT_USAGE;
    if (c.help)
        return print_help("seed");
    if (load_config(&c, "seed"))
        return 1;
    int rc = apply_flags(&c, "seed");
    if (rc)
        return rc;
    if (seed_people < 0)
        seed_people = 200;
    struct store *s;
    if (open_and_migrate("seed", c.cfg.db_path, &s))
        return 1;
    uint64_t t0 = clock_monotonic_ns();
    rc = people_seed(s, (int)seed_people, seed_number, clock_now(), seed_progress);
    store_close(s);
    if (rc < 0)
        return 1;
    printf("safeguard: seeded %ld synthetic people into '%s' in %.1f s\n", seed_people,
           c.cfg.db_path, (double)(clock_monotonic_ns() - t0) / 1e9);
    return 0;
}

/* ---- routes, version, help ----------------------------------------------- */

static int cmd_routes(int argc, char **argv)
{
    struct common c = {0};
    if (parse_common(argc, argv, "routes", &c, NULL, NULL) < 0)
        return EXIT_USAGE;
    if (c.help)
        return print_help("routes");
    char err[512];
    struct router *r = router_new(app_routes, app_routes_count, err, sizeof(err));
    if (!r) {
        fprintf(stderr, "safeguard routes: route table is invalid: %s\n", err);
        return 1;
    }
    router_free(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < app_routes_count; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:s}", "method",
                                             http_method_name(app_routes[i].method), "path",
                                             app_routes[i].pattern, "permission",
                                             permission_name(app_routes[i].permission), "body",
                                             (app_routes[i].flags & ROUTE_JSON_BODY) != 0,
                                             "handler", app_routes[i].handler_name));
    json_dumpf(arr, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(arr);
    return 0;
}

static int cmd_version(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0)
        return print_help("version");
    if (argc > 1)
        return usage_error("version", "unexpected argument '%s'", argv[1]);
    printf("safeguard %s\n", SAFEGUARD_VERSION);
    return 0;
}

static const struct command commands[] = {
    {"init", cmd_init, "safeguard init [--db PATH] [--config FILE]",
     "Create the database if needed and apply every schema migration not yet applied.\n"
     "Running it twice changes nothing."},
    {"serve", cmd_serve,
     "safeguard serve [--db PATH] [--listen ADDR:PORT] [--clock SPEC] [--config FILE]",
     "Apply migrations, then serve the web interface and JSON API (default 127.0.0.1:8080).\n"
     "--clock fixes time for tests: a timestamp like 2026-01-01T09:00:00Z, or file:PATH to read\n"
     "the time from a file on every use. Settings: docs/configuration.md."},
    {"seed", cmd_seed, "safeguard seed [--db PATH] [--people N] [--seed NUMBER] [--clock SPEC]",
     "Add N synthetic people (default 200), generated deterministically from NUMBER\n"
     "(default 1). Never real persons."},
    {"routes", cmd_routes, "safeguard routes",
     "Print the route table as JSON: method, path, permission, handler."},
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

static int cmd_help(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") != 0) {
        if (!find_command(argv[1]))
            return usage_error("help", "no command '%s'", argv[1]);
        return print_help(argv[1]);
    }
    printf(
        "usage: safeguard COMMAND [OPTIONS]\n\nSafeguard %s: child-protection case management.\n\n"
        "Commands:\n",
        SAFEGUARD_VERSION);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].usage + strlen("safeguard "));
    printf(
        "\n'safeguard COMMAND --help' explains one command. Exit codes: 0 ok, 1 error, 2 usage.\n");
    return 0;
}

int main(int argc, char **argv)
{
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
