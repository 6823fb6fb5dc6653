/* cli.c — shared option parsing and configuration for subcommands (see cli.h). */
#include "cli/cli.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "store/migrations.h"
#include "store/store.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "safeguard %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'safeguard %s --help')\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "safeguard %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

int cli_parse(struct cli *c, int argc, char **argv, const struct cli_opt *extra)
{
    struct option opts[32];
    int n = 0;
    static const char *const common[] = {"db", "config", "help"};
    for (int i = 0; i < 3; i++)
        opts[n++] = (struct option){common[i], i < 2 ? required_argument : no_argument, NULL, i};
    for (const struct cli_opt *o = extra; o && o->name && n < 31; o++, n++)
        opts[n] = (struct option){o->name, o->flag ? no_argument : required_argument, NULL,
                                  100 + (int)(o - extra)};
    opts[n] = (struct option){0};
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (opt == 0)
            c->db = optarg;
        else if (opt == 1)
            c->config_file = optarg;
        else if (opt == 2)
            c->help = 1;
        else if (opt == ':')
            return cli_usage(c->cmd, "option '%s' needs a value", argv[optind - 1]);
        else if (opt == '?')
            return cli_usage(c->cmd, "unknown option '%s'", argv[optind - 1]);
        else {
            const struct cli_opt *o = &extra[opt - 100];
            if (o->flag)
                *o->flag = 1;
            else if (o->value)
                *o->value = optarg;
            else if (*o->list_n < CLI_LIST_MAX)
                o->list[(*o->list_n)++] = optarg;
            else
                return cli_usage(c->cmd, "too many --%s options", o->name);
        }
    }
    if (optind < argc)
        return cli_usage(c->cmd, "unexpected argument '%s'", argv[optind]);
    if (c->help)
        return 0;

    char err[512];
    config_defaults(&c->cfg);
    const char *file = c->config_file ? c->config_file : getenv("SAFEGUARD_CONFIG");
    if (file && config_load_file(&c->cfg, file, err, sizeof(err)) < 0)
        return cli_fail(c->cmd, "%s", err);
    if (config_load_env(&c->cfg, err, sizeof(err)) < 0)
        return cli_fail(c->cmd, "%s", err);
    if (c->db && config_set(&c->cfg, "database", c->db, err, sizeof(err)) < 0)
        return cli_usage(c->cmd, "%s", err);
    if (c->clock && config_set(&c->cfg, "clock", c->clock, err, sizeof(err)) < 0)
        return cli_usage(c->cmd, "%s", err);
    if (clock_configure(c->cfg.clock, err, sizeof(err)) < 0)
        return cli_usage(c->cmd, "%s", err);
    return 0;
}

int cli_open(struct cli *c, struct store **out)
{
    char err[512];
    if (store_open(out, c->cfg.db_path, err, sizeof(err)) < 0)
        return cli_fail(c->cmd, "%s", err);
    if (store_migrate(*out, err, sizeof(err)) < 0) {
        store_close(*out);
        *out = NULL;
        return cli_fail(c->cmd, "%s", err);
    }
    return 0;
}

int cli_open_read(struct cli *c, struct store **out)
{
    char err[512];
    if (store_open_readonly(out, c->cfg.db_path, err, sizeof(err)) < 0)
        return cli_fail(c->cmd, "%s", err);
    int have = store_schema_version(*out);
    int want = migrations_count ? migrations[migrations_count - 1].version : 0;
    if (have != want) {
        store_close(*out);
        *out = NULL;
        return cli_fail(c->cmd,
                        "the database is at schema version %d and this release reads %d: "
                        "run 'safeguard init' against the primary first",
                        have, want);
    }
    return 0;
}

int cli_read_secret(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin))
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

int cli_audit_append(struct store *s, const char *action, const char *record_type, int64_t id,
                     const char *route, const char *detail)
{
    struct audit_entry e = {.at = clock_now(),
                            .username = "cli",
                            .action = action,
                            .record_type = record_type,
                            .record_id = id,
                            .route = route,
                            .remote_addr = "local",
                            .detail = detail};
    return audit_append(s, &e);
}
