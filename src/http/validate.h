/*
 * validate.h — typed, declared JSON input (the kcgi/kore habit).
 *
 * Each route describes its body as a table of fields; validate_object()
 * accepts an object only if every member is declared, of the declared type and
 * within its limits. Unknown members are an error, never silently dropped.
 * The first fault is reported with a path ("addresses[1].postcode"), a code
 * and a message a person can act on.
 */
#ifndef SG_VALIDATE_H
#define SG_VALIDATE_H

#include <jansson.h>
#include <stddef.h>

enum field_type {
    FIELD_STRING,    /* text, trimmed length 1..max_len unless FIELD_EMPTY_OK */
    FIELD_INT,       /* integer within [min, max] */
    FIELD_BOOL,      /* true or false */
    FIELD_DATE,      /* "YYYY-MM-DD", a real calendar date */
    FIELD_TIMESTAMP, /* "YYYY-MM-DDTHH:MM:SSZ" */
    FIELD_ENUM,      /* one of `values` */
    FIELD_OBJECT,    /* an object validated against `children` */
    FIELD_ARRAY,     /* array (max_len items) of objects validated against `children`,
                        or of enums when `values` is set */
    FIELD_STRINGS,   /* array (max_len items) of non-empty strings of at most `max`
                        characters each */
    FIELD_MAP,       /* object (max_len members) whose member names are keys (see
                        FIELD_MAP_KEY_MAX), each member an object validated against
                        `children`: for sets the database defines, such as case audit
                        criteria, where the path names the member
                        ("grades.voice_recorded.reason") */
};

/* A FIELD_MAP member's name: lower-case letters, digits and '_', a letter
 * first, at most this many characters. */
#define FIELD_MAP_KEY_MAX 40

/* True when name is a valid FIELD_MAP member name. */
int field_map_key_ok(const char *name);

enum field_flags {
    FIELD_REQUIRED = 1 << 0,
    FIELD_NULLABLE = 1 << 1, /* JSON null is accepted (means "unknown" / "clear") */
    FIELD_EMPTY_OK = 1 << 2, /* strings may be empty */
};

struct field {
    const char *name;
    enum field_type type;
    unsigned flags;
    size_t max_len;               /* strings: bytes; arrays: items */
    long long min, max;           /* integers */
    const char *const *values;    /* enums: NULL-terminated */
    const struct field *children; /* objects and arrays of objects: terminated by name NULL */
};

struct verror {
    int status; /* 422 */
    char code[32];
    char field[128];
    char message[256];
};

/* Validates obj (which must be a JSON object) against fields. Returns 0 or -1
 * with err filled. Never modifies obj. */
int validate_object(const json_t *obj, const struct field *fields, struct verror *err);

/* Convenience accessors for validated objects: NULL / 0 / default when absent. */
const char *jstr(const json_t *obj, const char *key);
int jbool(const json_t *obj, const char *key, int dflt);
int jhas(const json_t *obj, const char *key);

#endif
