/*
 * config.h — the server's settings and where they come from.
 *
 * Precedence, lowest to highest: built-in defaults, the config file
 * (--config PATH or SAFEGUARD_CONFIG; "key = value" lines, # comments),
 * environment variables (SAFEGUARD_DB, SAFEGUARD_LISTEN, ...), then command
 * line flags. Every key is listed in docs/configuration.md.
 */
#ifndef SG_CONFIG_H
#define SG_CONFIG_H

#include <stddef.h>

#define CONFIG_STR 1024

struct config {
    char db_path[CONFIG_STR];
    char listen_addr[64];
    int listen_port;
    char clock[CONFIG_STR];
    char static_dir[CONFIG_STR]; /* our own CSS and images */
    char assets_dir[CONFIG_STR]; /* govuk-frontend's dist/govuk folder */
    int threads;                 /* HTTP worker threads */
    size_t max_body;             /* bytes; larger bodies get 413 */
    int max_connections;         /* open connections in total */
    int max_per_ip;              /* open connections from one address */
    int connection_timeout;      /* seconds of idleness before a connection is closed */
    int session_idle_minutes;    /* security: idle timeout */
    int session_absolute_hours;
    int login_max_failures; /* failed logins before the account locks */
    int login_lock_minutes;
    int log_requests;   /* one JSON line per request */
    int secure_cookies; /* mark cookies Secure (set when TLS terminates in front) */
    int read_only;      /* open the database read-only (a reporting copy) */
    long max_db_pages;  /* cap on the database's size in pages; 0 = none */
    /* Load balancers whose X-Forwarded-For names the client (http/proxy.c). */
#define CONFIG_MAX_PROXIES 16
    char trusted_proxies[CONFIG_MAX_PROXIES][48];
    int ntrusted_proxies;
};

/* Keys with a prefix owned by a layer above core ("rule.<id>" for the
 * timescales engine, "missing." for missing children) are passed, without
 * the prefix, to a handler that layer registers, so core depends on nothing
 * above it. Up to 8 prefixes; registering one again replaces its handler. */
typedef int (*config_prefix_handler)(const char *name, const char *value, char *err, size_t errlen);
void config_register_prefix(const char *prefix, config_prefix_handler fn);

void config_defaults(struct config *c);
/* Reads a config file. Returns 0, or -1 with "PATH:LINE: what is wrong". */
int config_load_file(struct config *c, const char *path, char *err, size_t errlen);
/* Parses config text (the file's content); path only names it in errors. */
int config_load_text(struct config *c, const char *path, const char *text, size_t len, char *err,
                     size_t errlen);
/* Applies SAFEGUARD_* environment variables. Returns 0 or -1 with a message. */
int config_load_env(struct config *c, char *err, size_t errlen);
/* Sets one key from text (shared by file, env and flags). */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);
/* Parses "ADDR:PORT" into the config. */
int config_set_listen(struct config *c, const char *spec, char *err, size_t errlen);

#endif
