/*
 * fuzz_config.c — libFuzzer target: configuration text. Any input is loaded
 * or refused with a message; accepted settings stay within their bounds.
 * The same bytes as an X-Forwarded-For header from a trusted balancer give
 * either the balancer's address or one real, untrusted IP address.
 */
#include "core/config.h"
#include "http/proxy.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void forwarded_for(const uint8_t *data, size_t size)
{
    static struct config c;
    static int ready;
    char err[128];
    if (!ready) {
        config_defaults(&c);
        if (config_set(&c, "trusted_proxies", "10.0.0.5,2001:db8::1", err, sizeof(err)) < 0)
            abort();
        ready = 1;
    }
    char *xff = malloc(size + 1);
    if (!xff)
        return;
    memcpy(xff, data, size);
    xff[size] = '\0';
    char out[48];
    proxy_client_address(&c, "10.0.0.5", xff, out, sizeof(out));
    free(xff);
    unsigned char bin[16];
    if (strcmp(out, "10.0.0.5") == 0)
        return;
    if (strcmp(out, "2001:db8::1") == 0 ||
        (inet_pton(AF_INET, out, bin) != 1 && inet_pton(AF_INET6, out, bin) != 1))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    forwarded_for(data, size);
    struct config c;
    char err[512] = "";
    config_defaults(&c);
    if (config_load_text(&c, "fuzz.conf", (const char *)data, size, err, sizeof(err)) < 0) {
        if (!err[0])
            abort();
        return 0;
    }
    if (c.threads < 1 || c.threads > 64 || c.listen_port < 0 || c.listen_port > 65535 ||
        !c.db_path[0] || c.max_body < 1024 || c.ntrusted_proxies < 0 ||
        c.ntrusted_proxies > CONFIG_MAX_PROXIES)
        abort();
    return 0;
}
