/*
 * utf8.h — checking and measuring UTF-8 text from outside (forms, imported
 * files). Everything stored and returned by the API is JSON text, so it must
 * be well-formed UTF-8.
 *
 * Well-formed means: no overlong forms, no surrogates (U+D800-U+DFFF), nothing
 * past U+10FFFF, no sequence cut short, and no NUL byte (C strings would be
 * cut at it).
 */
#ifndef SG_UTF8_H
#define SG_UTF8_H

#include <stddef.h>

/* 1 when the len bytes at s are well-formed UTF-8 with no NUL, else 0. */
int utf8_valid(const char *s, size_t len);

/* The number of characters (code points) in the NUL-terminated s: every
 * byte that does not continue a sequence. A limit of 100 characters must
 * admit 100 accented or Arabic letters. */
size_t utf8_chars(const char *s);

/* Cuts an incomplete sequence off the end of the NUL-terminated s, as
 * snprintf() leaves when it truncates text in the middle of a character, so
 * the rest stays well-formed. */
void utf8_clip(char *s);

#endif
