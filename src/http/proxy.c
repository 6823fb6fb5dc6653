/* proxy.c — the client's address behind a trusted load balancer (why: proxy.h). */
#include "http/proxy.h"
#include "core/config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static int trusted(const struct config *cfg, const char *addr)
{
    for (int i = 0; i < cfg->ntrusted_proxies; i++)
        if (strcmp(cfg->trusted_proxies[i], addr) == 0)
            return 1;
    return 0;
}

static int is_ip(const char *addr)
{
    unsigned char bin[16];
    return inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1;
}

void proxy_client_address(const struct config *cfg, const char *peer, const char *xff, char *out,
                          size_t cap)
{
    snprintf(out, cap, "%s", peer);
    if (!xff || !trusted(cfg, peer))
        return;
    /* From the right: skip the trusted proxies; the first other entry is the
     * client as the nearest trusted proxy saw it. */
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t a = start, b = end;
        while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
            a++;
        while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
            b--;
        char addr[48];
        if (b - a == 0 || b - a >= sizeof(addr))
            return; /* empty or absurd: believe nothing further */
        memcpy(addr, xff + a, b - a);
        addr[b - a] = '\0';
        if (!is_ip(addr))
            return;
        if (!trusted(cfg, addr)) {
            snprintf(out, cap, "%s", addr);
            return;
        }
        end = start > 0 ? start - 1 : 0;
    }
}
