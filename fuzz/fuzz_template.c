/*
 * fuzz_template.c — libFuzzer target: the template compiler on any text.
 * Compiling must succeed or fail with a message; never crash or leak.
 */
#include "http/template.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256] = "";
    if (template_compile_one("fuzz.html", (const char *)data, size, err, sizeof(err)) < 0 &&
        !err[0])
        abort();
    struct buf b;
    buf_init(&b, 4096);
    html_escape(&b, (const char *)data, size);
    buf_release(&b);
    return 0;
}
