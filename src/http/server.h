/*
 * server.h — the HTTP server: libmicrohttpd, one connection per worker thread
 * to the store, the dispatcher behind it.
 *
 * Invariants: the app outlives the daemon; each worker thread owns its own
 * store connection (opened on first use, closed at server_stop()).
 */
#ifndef SG_SERVER_H
#define SG_SERVER_H

#include "core/config.h"

struct router;
struct store;

struct app {
    struct config cfg;
    struct router *router;
    int ready; /* set once migrations are applied */
};

extern struct app *the_app;

/* Starts listening; returns 0, or -1 with a message in err. The bound port
 * (useful with port 0) is written to *bound_port. */
int server_start(struct app *app, int *bound_port, char *err, size_t errlen);
/* Stops the daemon and closes every worker's store connection. */
void server_stop(void);
/* The calling thread's store connection, opened on first use; NULL on error. */
struct store *server_thread_store(char *err, size_t errlen);

#endif
