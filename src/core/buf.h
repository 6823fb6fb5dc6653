/*
 * buf.h — growable byte buffer with a hard maximum.
 *
 * Invariants: b->data is NUL-terminated whenever b->len > 0 or after any
 * append; b->len never exceeds b->max. An append that would pass the maximum
 * appends nothing and returns -1, so untrusted sizes cannot drive allocation
 * (curl's Curl_dyn_init(&b, toobig) habit). buf_release() frees the storage;
 * buf_detach() hands it to the caller, who must free() it.
 */
#ifndef SG_BUF_H
#define SG_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data;
    size_t len, cap, max;
    int overflowed; /* set when an append was refused; the content is incomplete */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
char *buf_detach(struct buf *b);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
