/*
 * load.c — a small HTTP/1.1 load client for the benchmarks (bench/run.mjs).
 *
 *   load HOST PORT CONNECTIONS SECONDS REQUESTS_FILE [HEADER...]
 *
 * Opens CONNECTIONS keep-alive connections on one thread (epoll), each with
 * one request in flight, and for SECONDS sends the requests of
 * REQUESTS_FILE in turn (one a line: "METHOD PATH [BODY]", the body sent as
 * JSON), with each HEADER ("Name: value") added. Prints one JSON line:
 * requests, errors (non-2xx or broken), requests per second, and the median
 * and 99th percentile latency in ms, measured from the first byte sent to
 * the last byte received on loopback. One thread keeps the client's share of
 * the two cores small, so the server's figures are the ones that move.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN  256
#define MAX_REQS  4096
#define RESP_CAP  (8 << 20)
#define MAX_SAMPS 4000000

struct conn {
    int fd;
    char *out;
    size_t out_len, out_off;
    char *in;
    size_t in_len;
    double started;
};

static char *reqs[MAX_REQS];
static size_t req_len[MAX_REQS];
static int n_reqs, next_req;
static double *samples;
static long n_samples, errors;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int connect_to(const char *host, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &a.sin_addr);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Builds the wire form of every line of the requests file. */
static int load_requests(const char *file, const char *host, int port, char **headers, int nh)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return -1;
    char line[65536];
    while (n_reqs < MAX_REQS && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *method = strtok(line, " ");
        char *path = strtok(NULL, " ");
        char *body = strtok(NULL, "");
        if (!method || !path)
            continue;
        size_t cap = 4096 + (body ? strlen(body) : 0);
        char *r = malloc(cap);
        int n = snprintf(r, cap, "%s %s HTTP/1.1\r\nHost: %s:%d\r\nAccept: */*\r\n", method, path,
                         host, port);
        for (int i = 0; i < nh; i++)
            n += snprintf(r + n, cap - (size_t)n, "%s\r\n", headers[i]);
        if (body)
            n += snprintf(r + n, cap - (size_t)n,
                          "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                          strlen(body), body);
        else
            n += snprintf(r + n, cap - (size_t)n, "\r\n");
        reqs[n_reqs] = r;
        req_len[n_reqs++] = (size_t)n;
    }
    fclose(f);
    return n_reqs ? 0 : -1;
}

static void start_request(struct conn *c)
{
    int i = next_req++ % n_reqs;
    c->out = reqs[i];
    c->out_len = req_len[i];
    c->out_off = 0;
    c->in_len = 0;
    c->started = now_ms();
}

/* Length of a complete response at the front of buf, 0 when incomplete,
 * -1 when it cannot be parsed; *status gets the status code. */
static long complete(const char *buf, size_t len, int *status)
{
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end)
        return 0;
    size_t head = (size_t)(end - buf) + 4;
    *status = atoi(buf + 9);
    const char *cl = memmem(buf, head, "Content-Length:", 15);
    if (!cl)
        cl = memmem(buf, head, "content-length:", 15);
    if (cl) {
        size_t body = (size_t)strtoul(cl + 15, NULL, 10);
        return len >= head + body ? (long)(head + body) : 0;
    }
    if (memmem(buf, head, "chunked", 7)) {
        const char *z = memmem(buf + head, len - head, "\r\n0\r\n\r\n", 7);
        if (!z && len - head >= 5 && memcmp(buf + head, "0\r\n\r\n", 5) == 0)
            return (long)(head + 5);
        return z ? (long)(z - buf + 7) : 0;
    }
    return (long)head; /* no body (204, 304) */
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: load HOST PORT CONNECTIONS SECONDS REQUESTS_FILE [HEADER...]\n");
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]), nc = atoi(argv[3]);
    double secs = atof(argv[4]);
    if (nc < 1 || nc > MAX_CONN ||
        load_requests(argv[5], host, port, argv + 6, argc - 6) < 0) {
        fprintf(stderr, "load: bad arguments or requests file\n");
        return 2;
    }
    samples = malloc(MAX_SAMPS * sizeof(*samples));
    int ep = epoll_create1(0);
    struct conn *conns = calloc((size_t)nc, sizeof(*conns));
    for (int i = 0; i < nc; i++) {
        conns[i].fd = connect_to(host, port);
        conns[i].in = malloc(RESP_CAP);
        if (conns[i].fd < 0 || !conns[i].in)
            return 1;
        start_request(&conns[i]);
        struct epoll_event e = {.events = EPOLLIN | EPOLLOUT, .data.ptr = &conns[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &e);
    }
    double t0 = now_ms(), deadline = t0 + secs * 1000;
    struct epoll_event evs[64];
    int open_conns = nc;
    while (open_conns > 0) {
        int n = epoll_wait(ep, evs, 64, 100);
        double t = now_ms();
        for (int k = 0; k < n; k++) {
            struct conn *c = evs[k].data.ptr;
            if (c->fd < 0)
                continue;
            if ((evs[k].events & EPOLLOUT) && c->out_off < c->out_len) {
                ssize_t w = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
                if (w > 0)
                    c->out_off += (size_t)w;
                if (c->out_off == c->out_len) {
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                }
            }
            if (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                ssize_t r = read(c->fd, c->in + c->in_len, RESP_CAP - c->in_len);
                if (r <= 0 && !(r < 0 && errno == EAGAIN)) {
                    errors++; /* closed: reconnect and go on */
                    close(c->fd);
                    c->fd = connect_to(host, port);
                    if (c->fd < 0) {
                        open_conns--;
                        continue;
                    }
                    start_request(c);
                    struct epoll_event e = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e);
                    continue;
                }
                if (r > 0)
                    c->in_len += (size_t)r;
                int status = 0;
                long len = complete(c->in, c->in_len, &status);
                if (len > 0) {
                    if (status < 200 || status > 299)
                        errors++;
                    else if (n_samples < MAX_SAMPS)
                        samples[n_samples++] = t - c->started;
                    if (t >= deadline) {
                        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                        close(c->fd);
                        c->fd = -1;
                        open_conns--;
                        continue;
                    }
                    start_request(c);
                    struct epoll_event e = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                } else if (len < 0) {
                    errors++;
                }
            }
        }
    }
    double elapsed = (now_ms() - t0) / 1000;
    qsort(samples, (size_t)n_samples, sizeof(*samples), cmp);
    double p50 = n_samples ? samples[n_samples / 2] : 0;
    double p99 = n_samples ? samples[(long)((double)n_samples * 0.99)] : 0;
    printf("{\"requests\":%ld,\"errors\":%ld,\"rps\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
           n_samples, errors, (double)n_samples / elapsed, p50, p99);
    return 0;
}
