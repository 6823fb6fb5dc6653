/*
 * server.c — libmicrohttpd glue: collect a request, dispatch it, send the
 * answer, log it, count it.
 *
 * Uses MHD's two-call pattern (PLATFORM.md): the first call for a request only
 * allocates its state, so MHD keeps connections alive; the answer is queued
 * on the final call. Bodies are collected up to cfg.max_body; a declared
 * Content-Length over it gets 413 at once, a chunked body that grows past it
 * is discarded and answered 413 when complete.
 */
#include "http/server.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/log.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

struct app *the_app;
static struct MHD_Daemon *daemon_handle;

/* Every worker's store, so server_stop() can close them. */
#define MAX_STORES 128
static struct store *stores[MAX_STORES];
static int nstores;
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct store *thread_store;

struct store *server_thread_store(char *err, size_t errlen)
{
    if (thread_store)
        return thread_store;
    struct store *s;
    int rc = the_app->cfg.read_only ? store_open_readonly(&s, the_app->cfg.db_path, err, errlen)
                                    : store_open(&s, the_app->cfg.db_path, err, errlen);
    if (rc < 0)
        return NULL;
    if (store_set_max_pages(s, the_app->cfg.max_db_pages) != STORE_OK) {
        snprintf(err, errlen, "cannot apply max_db_pages: %s", store_errmsg(s));
        store_close(s);
        return NULL;
    }
    pthread_mutex_lock(&stores_lock);
    if (nstores == MAX_STORES) {
        pthread_mutex_unlock(&stores_lock);
        store_close(s);
        snprintf(err, errlen, "too many database connections");
        return NULL;
    }
    stores[nstores++] = s;
    pthread_mutex_unlock(&stores_lock);
    thread_store = s;
    return s;
}

struct conn_state {
    struct buf body;
    int too_large;
    uint64_t started_ns;
};

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct conn_state *cs = *con_cls;
    if (cs) {
        buf_release(&cs->body);
        free(cs);
        *con_cls = NULL;
    }
}

static void add_common_headers(struct MHD_Response *r, const struct request *req,
                               const struct response *res)
{
    MHD_add_response_header(r, "X-Request-Id", req->request_id);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    int has_cache = 0;
    for (int i = 0; i < res->nheaders; i++) {
        MHD_add_response_header(r, res->header_names[i], res->header_values[i]);
        has_cache |= strcasecmp(res->header_names[i], "Cache-Control") == 0;
    }
    /* Personal data must not linger in shared terminals' caches. */
    if (!has_cache)
        MHD_add_response_header(r, "Cache-Control", "no-store");
}

static void log_request(const struct request *req, int status, size_t bytes, uint64_t ns)
{
    if (!the_app->cfg.log_requests)
        return;
    char ts[32];
    ts_format((int64_t)time(NULL), ts);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:i, s:f, s:I, s:s?}", "ts", ts, "level",
                          "info", "request_id", req->request_id, "method", req->method_name, "path",
                          req->path, "route", req->route ? req->route->pattern : NULL, "status",
                          status, "ms", (double)ns / 1e6, "bytes", (json_int_t)bytes, "user",
                          req->user ? req->user->username : NULL);
    char *line = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (line)
        log_json_line(line);
    free(line);
    json_decref(j);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct request *req,
                                     struct response *res, uint64_t started)
{
    char *body;
    size_t len;
    const char *ctype;
    if (res->json) {
        body = json_dumps(res->json, JSON_COMPACT | JSON_REAL_PRECISION(6));
        len = body ? strlen(body) : 0;
        ctype = "application/json";
        json_decref(res->json);
        res->json = NULL;
    } else {
        len = res->body_len;
        body = malloc(len ? len : 1);
        if (body && len)
            memcpy(body, res->body, len);
        ctype = res->content_type ? res->content_type : "text/plain; charset=utf-8";
    }
    if (!body) {
        body = strdup("");
        len = 0;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", ctype);
    add_common_headers(r, req, res);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    uint64_t ns = clock_monotonic_ns() - started;
    int idx = req->route ? (int)(req->route - app_routes) : -1;
    metrics_record(idx, res->status, ns);
    log_request(req, res->status, len, ns);
    return ret;
}

static const char *client_address(struct MHD_Connection *conn, struct arena *a)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "unknown";
    if (ci && ci->client_addr) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf,
                      sizeof(buf));
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, buf,
                      sizeof(buf));
    }
    return arena_strdup(a, buf);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct conn_state *cs = *con_cls;
    if (!cs) {
        cs = calloc(1, sizeof(*cs));
        if (!cs)
            return MHD_NO;
        cs->started_ns = clock_monotonic_ns();
        buf_init(&cs->body, the_app->cfg.max_body);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > the_app->cfg.max_body)
            cs->too_large = 1;
        *con_cls = cs;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!cs->too_large && buf_append(&cs->body, upload_data, *upload_data_size) < 0) {
            cs->too_large = 1;
            buf_release(&cs->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }

    struct request req = {0};
    struct response res = {0};
    req.arena = arena_new();
    if (!req.arena)
        return MHD_NO;
    req.conn = conn;
    req.method = http_method_from_name(method);
    req.method_name = arena_strdup(req.arena, method);
    req.path = arena_strdup(req.arena, url);
    req.body = cs->body.data;
    req.body_len = cs->body.len;
    req.remote_addr = client_address(conn, req.arena);
    req.now = clock_now();
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(req.request_id, sizeof(req.request_id), rnd, sizeof(rnd));

    if (cs->too_large)
        http_error(&res, 413, "body_too_large", NULL, "the request body is larger than %zu bytes",
                   the_app->cfg.max_body);
    else
        dispatch(the_app->router, &req, &res);
    if (!res.status)
        http_error(&res, 500, "internal_error", NULL, "the server did not produce an answer");
    enum MHD_Result ret = send_response(conn, &req, &res, cs->started_ns);
    arena_free(req.arena);
    return ret;
}

int server_start(struct app *app, int *bound_port, char *err, size_t errlen)
{
    the_app = app;
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)app->cfg.listen_port);
    if (inet_pton(AF_INET, app->cfg.listen_addr, &addr.sin_addr) != 1) {
        snprintf(err, errlen, "listen address '%s' is not an IPv4 address", app->cfg.listen_addr);
        return -1;
    }
    daemon_handle = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads, MHD_OPTION_NOTIFY_COMPLETED,
        completed, NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)app->cfg.max_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->cfg.connection_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)256, MHD_OPTION_END);
    if (!daemon_handle) {
        snprintf(err, errlen, "cannot listen on %s:%d (address in use or not permitted)",
                 app->cfg.listen_addr, app->cfg.listen_port);
        return -1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(daemon_handle, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_in bound;
    socklen_t blen = sizeof(bound);
    *bound_port = app->cfg.listen_port;
    if (di && getsockname(di->listen_fd, (struct sockaddr *)&bound, &blen) == 0)
        *bound_port = ntohs(bound.sin_port);
    return 0;
}

void server_stop(void)
{
    if (daemon_handle)
        MHD_stop_daemon(daemon_handle);
    daemon_handle = NULL;
    pthread_mutex_lock(&stores_lock);
    for (int i = 0; i < nstores; i++)
        store_close(stores[i]);
    nstores = 0;
    pthread_mutex_unlock(&stores_lock);
}
