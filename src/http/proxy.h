/*
 * proxy.h — the client's address behind a trusted load balancer.
 *
 * Behind a load balancer every connection comes from the balancer, so the
 * audit trail would record its address for every request. When the peer is
 * one of the configured trusted_proxies, the client is the rightmost address
 * in X-Forwarded-For that is not itself a trusted proxy (each proxy appends
 * the address it received from; anything further left was written by the
 * client and could be forged). A header from any other peer is ignored.
 */
#ifndef SG_HTTP_PROXY_H
#define SG_HTTP_PROXY_H

#include <stddef.h>

struct config;

/* Writes the address to record into out (cap bytes): the client's from xff
 * when peer is trusted and xff names one, else peer itself. */
void proxy_client_address(const struct config *cfg, const char *peer, const char *xff, char *out,
                          size_t cap);

#endif
