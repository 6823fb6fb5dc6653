/*
 * cli.h — what every subcommand shares: declared options, configuration
 * loading, opening the database, and the one-line errors with exit codes
 * (0 ok, 1 runtime error, 2 usage error).
 */
#ifndef SG_CLI_H
#define SG_CLI_H

#include "core/config.h"

#include <stdint.h>

struct store;

#define EXIT_USAGE   2
#define CLI_LIST_MAX 16

/* One declared option. Exactly one of value, flag or list is set. */
struct cli_opt {
    const char *name;   /* long name without "--" */
    const char **value; /* takes a value, stored here */
    int *flag;          /* takes no value; set to 1 */
    const char **list;  /* repeatable; values appended (at most CLI_LIST_MAX) */
    int *list_n;
};

struct cli {
    const char *cmd; /* "user add", for messages */
    struct config cfg;
    const char *db, *config_file, *clock;
    int help;
};

/* Parses argv (argv[0] is the subcommand) against the common options (--db,
 * --config, --help) and `extra` (terminated by name NULL), then loads the
 * configuration (file, environment, flags). Returns 0, or the exit code to
 * return (already reported). When --help was given, returns 0 with c->help. */
int cli_parse(struct cli *c, int argc, char **argv, const struct cli_opt *extra);
/* Opens the configured database and applies migrations; 0 or 1. */
int cli_open(struct cli *c, struct store **out);
/* Opens the database read-only, without migrating, and refuses one whose
 * schema is not this release's: for commands that only read, so they also run
 * against a standby or a read-only reporting copy. */
int cli_open_read(struct cli *c, struct store **out);
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads one line (the password) from standard input without its newline.
 * Returns 0, or -1 when there is none. */
int cli_read_secret(char *buf, size_t cap);

/* Appends the audit entry of a change made from the command line, done by
 * "cli" from "local"; inside the change's write transaction. detail is small
 * JSON text or NULL. Returns 0 or a negative store code. */
int cli_audit_append(struct store *s, const char *action, const char *record_type, int64_t id,
                     const char *route, const char *detail);

/* Prints a command's help (main.c); returns 0. */
int cli_help(const char *name);

/* Subcommands implemented outside main.c. */
int cli_user(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_import(int argc, char **argv);
/* chart: a chart from JSON on stdin, as SVG (cli_chart.c). */
int cli_chart(int argc, char **argv);
/* seed --scale NAME: the force-scale dataset (cli_seed_scale.c). */
int cli_seed_scale(struct cli *c, const char *scale, unsigned long long seed);
/* migrate-store: copy a SQLite database into PostgreSQL and prove it (cli_migrate.c). */
int cli_migrate_store(int argc, char **argv);

#endif
