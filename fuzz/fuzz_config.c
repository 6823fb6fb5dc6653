/*
 * fuzz_config.c — libFuzzer target: configuration text. Any input is loaded
 * or refused with a message; accepted settings stay within their bounds.
 */
#include "core/config.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config c;
    char err[512] = "";
    config_defaults(&c);
    if (config_load_text(&c, "fuzz.conf", (const char *)data, size, err, sizeof(err)) < 0) {
        if (!err[0])
            abort();
        return 0;
    }
    if (c.threads < 1 || c.threads > 64 || c.listen_port < 0 || c.listen_port > 65535 ||
        !c.db_path[0] || c.max_body < 1024)
        abort();
    return 0;
}
