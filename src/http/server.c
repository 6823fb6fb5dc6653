/*
 * server.c — libmicrohttpd glue: collect a request, dispatch it, send the
 * answer, log it, count it.
 *
 * Uses MHD's two-call pattern (PLATFORM.md): the first call for a request only
 * allocates its state, so MHD keeps connections alive; the answer is queued
 * on the final call. Bodies are collected up to cfg.max_body; past it they
 * are discarded and answered 413 when complete; a declared Content-Length
 * over four times the limit, or one sent with Expect: 100-continue, gets 413
 * at once and the connection closes without reading it.
 *
 * Hostile clients (tests/reliability/hostile.test.mjs):
 *   - framing that two parties could read two ways (Content-Length with
 *     Transfer-Encoding, repeated Content-Length, any coding but "chunked")
 *     is refused with 400 and the connection closed: no request smuggling;
 *   - "%00" is never decoded, so the path acted on is the path sent;
 *   - a request whose head has not fully arrived within connection_timeout
 *     of the connection opening (or of the previous answer) is cut off by the
 *     sweeper thread, however slowly its bytes keep coming (slowloris).
 */
#include "http/server.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/log.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/proxy.h"
#include "http/router.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <malloc.h>
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

/* ---- connections still sending their request head ---------------------- */

struct conn_track {
    int fd;
    uint64_t since_ns; /* opened, or last answered */
    int in_request;    /* the head has arrived; the handler owns the pace now */
    int cut;
    struct conn_track *prev, *next;
};

static struct conn_track *tracked;
static pthread_mutex_t tracked_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t sweeper;
static volatile int sweeper_stop;

static void notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct conn_track *t = calloc(1, sizeof(*t));
        if (!t || !ci) {
            free(t);
            return;
        }
        t->fd = ci->connect_fd;
        t->since_ns = clock_monotonic_ns();
        pthread_mutex_lock(&tracked_lock);
        t->next = tracked;
        if (tracked)
            tracked->prev = t;
        tracked = t;
        pthread_mutex_unlock(&tracked_lock);
        *socket_context = t;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        struct conn_track *t = *socket_context;
        pthread_mutex_lock(&tracked_lock);
        if (t->prev)
            t->prev->next = t->next;
        else
            tracked = t->next;
        if (t->next)
            t->next->prev = t->prev;
        pthread_mutex_unlock(&tracked_lock);
        free(t);
        *socket_context = NULL;
    }
}

static void track_request(struct MHD_Connection *c, int in_request)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (!ci || !ci->socket_context)
        return;
    struct conn_track *t = ci->socket_context;
    pthread_mutex_lock(&tracked_lock);
    t->in_request = in_request;
    if (!in_request)
        t->since_ns = clock_monotonic_ns();
    pthread_mutex_unlock(&tracked_lock);
}

/* Cuts off connections whose request head is overdue. shutdown() wakes MHD,
 * which then closes the connection through its own path. */
static void *sweep(void *arg)
{
    (void)arg;
    unsigned ticks = 0;
    while (!sweeper_stop) {
        /* Every 30 s hand freed heap back to the system: glibc keeps each
         * worker thread's peak otherwise (measured by bench/soak.mjs). */
        if (++ticks % 120 == 0)
            malloc_trim(0);
        struct timespec ts = {0, 250 * 1000 * 1000};
        nanosleep(&ts, NULL);
        uint64_t now = clock_monotonic_ns();
        uint64_t limit = (uint64_t)the_app->cfg.connection_timeout * 1000000000u;
        pthread_mutex_lock(&tracked_lock);
        for (struct conn_track *t = tracked; t; t = t->next) {
            if (!t->in_request && !t->cut && now - t->since_ns > limit) {
                shutdown(t->fd, SHUT_RDWR);
                t->cut = 1;
            }
        }
        pthread_mutex_unlock(&tracked_lock);
    }
    return NULL;
}

/* MHD's unescaper, less one thing: "%00" stays as it is, so a NUL can never
 * cut a path or value short ("/api/people/1%00xyz" is not person 1). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    char *w = s;
    for (char *r = s; *r;) {
        int h = -1, l = -1;
        if (r[0] == '%' && r[1] && r[2]) {
            h = r[1] >= '0' && r[1] <= '9'   ? r[1] - '0'
                : r[1] >= 'a' && r[1] <= 'f' ? r[1] - 'a' + 10
                : r[1] >= 'A' && r[1] <= 'F' ? r[1] - 'A' + 10
                                             : -1;
            l = r[2] >= '0' && r[2] <= '9'   ? r[2] - '0'
                : r[2] >= 'a' && r[2] <= 'f' ? r[2] - 'a' + 10
                : r[2] >= 'A' && r[2] <= 'F' ? r[2] - 'A' + 10
                                             : -1;
        }
        if (h >= 0 && l >= 0 && (h | l)) {
            *w++ = (char)(h * 16 + l);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

struct framing {
    int content_length, transfer_encoding, bad_te;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    struct framing *f = cls;
    if (strcasecmp(key, "Content-Length") == 0)
        f->content_length++;
    else if (strcasecmp(key, "Transfer-Encoding") == 0) {
        f->transfer_encoding++;
        if (!value || strcasecmp(value, "chunked") != 0)
            f->bad_te = 1;
    }
    return MHD_YES;
}

/* Answers at once and closes: used before a body is read. */
static enum MHD_Result refuse_now(struct MHD_Connection *conn, unsigned status, const char *code,
                                  const char *message)
{
    char body[512];
    snprintf(body, sizeof(body),
             "{\"error\":{\"status\":%u,\"code\":\"%s\",\"field\":null,\"message\":\"%s\"}}",
             status, code, message);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    unsigned char rnd[16];
    char id[33];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(id, sizeof(id), rnd, sizeof(rnd));
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Connection", "close");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Request-Id", id);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    metrics_record(-1, (int)status, 0);
    return ret;
}

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
    track_request(c, 0);
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
        track_request(conn, 1);
        struct framing f = {0};
        MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
        if (f.content_length > 1 || (f.content_length && f.transfer_encoding) ||
            f.transfer_encoding > 1 || f.bad_te)
            return refuse_now(conn, 400, "ambiguous_framing",
                              "the request's length is declared ambiguously (Content-Length and "
                              "Transfer-Encoding must not disagree)");
        /* An over-long body is answered 413. When the client waits to be
         * invited (Expect: 100-continue) or declares an absurd length, the
         * answer goes at once and the connection closes. A body up to four
         * times the limit is read and discarded first: closing on unread
         * data resets the connection, and the client would never see why. */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
        const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
        if (declared > the_app->cfg.max_body &&
            (expect || declared > 4 * (unsigned long long)the_app->cfg.max_body))
            return refuse_now(conn, 413, "body_too_large",
                              "the request body is larger than this server accepts");
        cs = calloc(1, sizeof(*cs));
        if (!cs)
            return MHD_NO;
        cs->started_ns = clock_monotonic_ns();
        buf_init(&cs->body, the_app->cfg.max_body);
        cs->too_large = declared > the_app->cfg.max_body;
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
    if (the_app->cfg.ntrusted_proxies) {
        char addr[48];
        proxy_client_address(&the_app->cfg, req.remote_addr,
                             MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For"),
                             addr, sizeof(addr));
        req.remote_addr = arena_strdup(req.arena, addr);
    }
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
        (unsigned)256, MHD_OPTION_NOTIFY_CONNECTION, notify_connection, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
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
    sweeper_stop = 0;
    if (pthread_create(&sweeper, NULL, sweep, NULL) != 0) {
        MHD_stop_daemon(daemon_handle);
        daemon_handle = NULL;
        snprintf(err, errlen, "cannot start the connection sweeper");
        return -1;
    }
    return 0;
}

void server_stop(void)
{
    if (daemon_handle) {
        sweeper_stop = 1;
        pthread_join(sweeper, NULL);
        MHD_stop_daemon(daemon_handle);
    }
    daemon_handle = NULL;
    pthread_mutex_lock(&stores_lock);
    for (int i = 0; i < nstores; i++)
        store_close(stores[i]);
    nstores = 0;
    pthread_mutex_unlock(&stores_lock);
}
