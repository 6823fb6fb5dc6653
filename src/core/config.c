/* config.c — defaults, config file, environment (see config.h). */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <string.h>

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->db_path, sizeof(c->db_path), "safeguard.db");
    snprintf(c->listen_addr, sizeof(c->listen_addr), "127.0.0.1");
    c->listen_port = 8080;
    snprintf(c->static_dir, sizeof(c->static_dir), "web/static");
    snprintf(c->assets_dir, sizeof(c->assets_dir), "node_modules/govuk-frontend/dist/govuk");
    c->threads = 4;
    c->max_body = 1024 * 1024;
    c->max_connections = 512;
    c->max_per_ip = 64;
    c->connection_timeout = 30;
    c->session_idle_minutes = 30;
    c->session_absolute_hours = 12;
    c->login_max_failures = 5;
    c->login_lock_minutes = 15;
    c->log_requests = 1;
}

static int parse_int(const char *key, const char *v, long lo, long hi, long *out, char *err,
                     size_t errlen)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || !(isdigit((unsigned char)v[0]) || v[0] == '-') || *end || n < lo ||
        n > hi) {
        snprintf(err, errlen, "'%s' must be a whole number from %ld to %ld, not '%s'", key, lo, hi,
                 v);
        return -1;
    }
    *out = n;
    return 0;
}

static int set_str(char *dst, size_t cap, const char *key, const char *v, char *err, size_t errlen)
{
    /* An empty database path would make SQLite use a throw-away temporary
     * database: refuse it, and any other empty setting, outright. */
    if (!*v) {
        snprintf(err, errlen, "'%s' must not be empty", key);
        return -1;
    }
    if (strlen(v) >= cap) {
        snprintf(err, errlen, "'%s' is too long", key);
        return -1;
    }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

int config_set_listen(struct config *c, const char *spec, char *err, size_t errlen)
{
    const char *colon = strrchr(spec, ':');
    long port;
    if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof(c->listen_addr)) {
        snprintf(err, errlen, "listen address '%s' is not ADDR:PORT", spec);
        return -1;
    }
    if (parse_int("listen port", colon + 1, 0, 65535, &port, err, errlen) < 0)
        return -1;
    memcpy(c->listen_addr, spec, (size_t)(colon - spec));
    c->listen_addr[colon - spec] = '\0';
    c->listen_port = (int)port;
    return 0;
}

#define MAX_PREFIXES 8
static struct {
    const char *name;
    config_prefix_handler fn;
} prefixes[MAX_PREFIXES];
static int nprefixes;

void config_register_prefix(const char *prefix, config_prefix_handler fn)
{
    for (int i = 0; i < nprefixes; i++)
        if (strcmp(prefixes[i].name, prefix) == 0) {
            prefixes[i].fn = fn;
            return;
        }
    if (nprefixes < MAX_PREFIXES) {
        prefixes[nprefixes].name = prefix;
        prefixes[nprefixes++].fn = fn;
    }
}

/* trusted_proxies: IP addresses, comma-separated (spaces allowed), each a
 * literal IPv4 or IPv6 address; empty clears the list. */
static int config_set_proxies(struct config *c, const char *v, char *err, size_t errlen)
{
    c->ntrusted_proxies = 0;
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (!n)
            break;
        char addr[48];
        unsigned char bin[16];
        if (n >= sizeof(addr) ||
            (snprintf(addr, sizeof(addr), "%.*s", (int)n, p),
             inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1)) {
            snprintf(err, errlen, "trusted_proxies: '%.*s' is not an IP address",
                     (int)(n > 60 ? 60 : n), p);
            return -1;
        }
        if (c->ntrusted_proxies == CONFIG_MAX_PROXIES) {
            snprintf(err, errlen, "trusted_proxies: at most %d addresses", CONFIG_MAX_PROXIES);
            return -1;
        }
        memcpy(c->trusted_proxies[c->ntrusted_proxies++], addr, sizeof(addr));
        p += n;
    }
    return 0;
}

int config_set(struct config *c, const char *key, const char *v, char *err, size_t errlen)
{
    for (int i = 0; i < nprefixes; i++)
        if (strncmp(key, prefixes[i].name, strlen(prefixes[i].name)) == 0)
            return prefixes[i].fn(key + strlen(prefixes[i].name), v, err, errlen);
    long n;
    struct {
        const char *key;
        int *dst;
        long lo, hi;
    } ints[] = {
        {"threads", &c->threads, 1, 64},
        {"max_connections", &c->max_connections, 1, 100000},
        {"max_connections_per_ip", &c->max_per_ip, 1, 100000},
        {"connection_timeout", &c->connection_timeout, 1, 3600},
        {"session_idle_minutes", &c->session_idle_minutes, 1, 24 * 60},
        {"session_absolute_hours", &c->session_absolute_hours, 1, 72},
        {"login_max_failures", &c->login_max_failures, 1, 100},
        {"login_lock_minutes", &c->login_lock_minutes, 1, 24 * 60},
        {"log_requests", &c->log_requests, 0, 1},
        {"secure_cookies", &c->secure_cookies, 0, 1},
        {"read_only", &c->read_only, 0, 1},
    };
    if (strcmp(key, "database") == 0 || strcmp(key, "db") == 0)
        return set_str(c->db_path, sizeof(c->db_path), key, v, err, errlen);
    if (strcmp(key, "listen") == 0)
        return config_set_listen(c, v, err, errlen);
    if (strcmp(key, "clock") == 0)
        return set_str(c->clock, sizeof(c->clock), key, v, err, errlen);
    if (strcmp(key, "static_dir") == 0)
        return set_str(c->static_dir, sizeof(c->static_dir), key, v, err, errlen);
    if (strcmp(key, "assets_dir") == 0)
        return set_str(c->assets_dir, sizeof(c->assets_dir), key, v, err, errlen);
    if (strcmp(key, "trusted_proxies") == 0)
        return config_set_proxies(c, v, err, errlen);
    if (strcmp(key, "max_db_pages") == 0) {
        if (parse_int(key, v, 0, 2147483647L, &n, err, errlen) < 0)
            return -1;
        c->max_db_pages = n;
        return 0;
    }
    if (strcmp(key, "max_body_bytes") == 0) {
        if (parse_int(key, v, 1024, 64L * 1024 * 1024, &n, err, errlen) < 0)
            return -1;
        c->max_body = (size_t)n;
        return 0;
    }
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        if (strcmp(key, ints[i].key) == 0) {
            if (parse_int(key, v, ints[i].lo, ints[i].hi, &n, err, errlen) < 0)
                return -1;
            *ints[i].dst = (int)n;
            return 0;
        }
    }
    snprintf(err, errlen, "unknown setting '%s'", key);
    return -1;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

int config_load_text(struct config *c, const char *path, const char *text, size_t len, char *err,
                     size_t errlen)
{
    char line[2048];
    int lineno = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        lineno++;
        if (end - pos >= sizeof(line)) {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            return -1;
        }
        if (memchr(text + pos, '\0', end - pos)) {
            snprintf(err, errlen, "%s:%d: NUL byte in configuration", path, lineno);
            return -1;
        }
        memcpy(line, text + pos, end - pos);
        line[end - pos] = '\0';
        pos = end + 1;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
            return -1;
        }
        *eq = '\0';
        char msg[512];
        if (config_set(c, trim(s), trim(eq + 1), msg, sizeof(msg)) < 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
            return -1;
        }
    }
    return 0;
}

int config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open config file '%s': %s", path, strerror(errno));
        return -1;
    }
    char *text = malloc(1024 * 1024);
    size_t len = text ? fread(text, 1, 1024 * 1024, f) : 0;
    int too_big = text && len == 1024 * 1024 && fgetc(f) != EOF;
    fclose(f);
    if (!text || too_big) {
        free(text);
        snprintf(err, errlen, "config file '%s' is larger than 1 MiB", path);
        return -1;
    }
    int rc = config_load_text(c, path, text, len, err, errlen);
    free(text);
    return rc;
}

int config_load_env(struct config *c, char *err, size_t errlen)
{
    static const struct {
        const char *env, *key;
    } map[] = {
        {"SAFEGUARD_DB", "database"},
        {"SAFEGUARD_LISTEN", "listen"},
        {"SAFEGUARD_CLOCK", "clock"},
        {"SAFEGUARD_STATIC_DIR", "static_dir"},
        {"SAFEGUARD_ASSETS_DIR", "assets_dir"},
        {"SAFEGUARD_THREADS", "threads"},
        {"SAFEGUARD_MAX_BODY_BYTES", "max_body_bytes"},
        {"SAFEGUARD_LOG_REQUESTS", "log_requests"},
        {"SAFEGUARD_READ_ONLY", "read_only"},
        {"SAFEGUARD_TRUSTED_PROXIES", "trusted_proxies"},
        {"SAFEGUARD_MAX_DB_PAGES", "max_db_pages"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        const char *v = getenv(map[i].env);
        if (v && *v) {
            char msg[512];
            if (config_set(c, map[i].key, v, msg, sizeof(msg)) < 0) {
                snprintf(err, errlen, "%s: %s", map[i].env, msg);
                return -1;
            }
        }
    }
    return 0;
}
