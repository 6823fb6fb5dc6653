/*
 * embedded.h — files compiled into the binary by tools/embed (templates).
 * Tables end with an entry whose name is NULL.
 */
#ifndef SG_EMBEDDED_H
#define SG_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name;
    const char *data;
    size_t len;
};

#endif
