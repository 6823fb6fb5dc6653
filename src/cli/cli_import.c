/*
 * cli_import.c — `safeguard import inspection`: an inspection from a JSON or
 * CSV file, through the same domain function as the API (assurance_import(),
 * docs/assurance-import.md), all or nothing, audited as done by "cli" from
 * "local". Every fault in the file is printed on its own line.
 */
#include "cli/cli.h"
#include "core/arena.h"
#include "core/clock.h"
#include "modules/assurance/assurance_import.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "import inspection"

/* Reads the whole file, at most IMPORT_MAX_BYTES. Returns a malloc'd buffer
 * (NUL-terminated, *len bytes before it) or NULL, having said why. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_fail(CMD, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    char *text = malloc(IMPORT_MAX_BYTES + 2);
    if (!text) {
        fclose(f);
        cli_fail(CMD, "out of memory");
        return NULL;
    }
    size_t n = fread(text, 1, IMPORT_MAX_BYTES + 1, f);
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        free(text);
        cli_fail(CMD, "cannot read '%s': %s", path, strerror(saved));
        return NULL;
    }
    if (n > IMPORT_MAX_BYTES) {
        free(text);
        cli_fail(CMD, "'%s' is larger than %d bytes: split it into several documents", path,
                 IMPORT_MAX_BYTES);
        return NULL;
    }
    text[n] = '\0';
    *len = n;
    return text;
}

/* The format from --format, else from the file name's extension. */
static int choose_format(const char *format, const char *path, enum import_format *fmt)
{
    if (format) {
        if (assurance_import_format(format, fmt) < 0)
            return cli_usage(CMD, "--format must be json or csv, not '%s'", format);
        return 0;
    }
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/') || assurance_import_format(dot + 1, fmt) < 0)
        return cli_usage(CMD,
                         "cannot tell the format of '%s' from its name: give --format json "
                         "or --format csv",
                         path);
    return 0;
}

static int import_file(struct cli *c, enum import_format fmt, const char *path, const char *text,
                       size_t len)
{
    struct store *s;
    if (cli_open(c, &s))
        return 1;
    struct arena *a = arena_new();
    if (!a) {
        store_close(s);
        return cli_fail(CMD, "out of memory");
    }
    int rc = 1;
    if (store_begin_write(s) != STORE_OK) {
        cli_fail(CMD, "cannot write to the database: %s", store_errmsg(s));
        goto out;
    }
    struct import_doc doc;
    struct domain_error err = {0};
    int64_t id = assurance_import(s, a, fmt, text, len, clock_now(), &doc, &err);
    if (id < 0) {
        store_rollback(s);
        if (!doc.nerrors) {
            cli_fail(CMD, "%s", err.message);
            goto out;
        }
        for (int i = 0; i < doc.nerrors; i++)
            fprintf(stderr, "safeguard %s: %s\n", CMD, doc.errors[i].message);
        cli_fail(CMD, "%d problem%s in '%s'; nothing was imported", doc.nerrors,
                 doc.nerrors == 1 ? "" : "s", path);
        goto out;
    }
    const char *detail = arena_printf(a, "{\"format\":\"%s\",\"recommendations\":%d}",
                                      fmt == IMPORT_JSON ? "json" : "csv", doc.nrecs);
    if (cli_audit_append(s, "create", "inspection", id, "cli import inspection", detail) !=
            STORE_OK ||
        store_commit(s) != STORE_OK) {
        store_rollback(s);
        cli_fail(CMD, "cannot save: %s; nothing was imported", store_errmsg(s));
        goto out;
    }
    printf("safeguard: imported inspection %lld (%s, '%s', %s, published %s) with %d "
           "recommendation%s from '%s'\n",
           (long long)id, doc.body, doc.title, doc.force, doc.published_on, doc.nrecs,
           doc.nrecs == 1 ? "" : "s", path);
    rc = 0;
out:
    arena_free(a);
    store_close(s);
    return rc;
}

int cli_import(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0)
        return cli_help("import");
    if (argc < 2 || strcmp(argv[1], "inspection") != 0)
        return cli_usage("import", "give what to import: 'inspection'");
    struct cli c = {.cmd = CMD};
    const char *path = NULL, *format = NULL;
    const struct cli_opt extra[] = {{.name = "file", .value = &path},
                                    {.name = "format", .value = &format},
                                    {.name = "clock", .value = &c.clock},
                                    {0}};
    int rc = cli_parse(&c, argc - 1, argv + 1, extra);
    if (rc || c.help)
        return c.help ? cli_help("import") : rc;
    if (!path || !*path)
        return cli_usage(CMD, "give the file to import with --file PATH");
    enum import_format fmt;
    if ((rc = choose_format(format, path, &fmt)) != 0)
        return rc;
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return 1;
    rc = import_file(&c, fmt, path, text, len);
    free(text);
    return rc;
}
