/*
 * csv.h — a small, strict reader of CSV text (RFC 4180) from outside:
 * imported files, which may be hostile.
 *
 * What it reads: records separated by CRLF, LF or a lone CR; fields separated
 * by commas; a field in double quotes may hold commas, line breaks and quotes
 * written twice (""); a UTF-8 byte order mark at the start is skipped. A line
 * break inside a quoted field is returned as one LF, whatever its spelling.
 * An empty line is a record of one empty field; the line break after the last
 * record is optional.
 *
 * What it refuses, one record at a time: a quoted field not closed before the
 * end of the text, anything but a comma or a line break after a closing quote,
 * a quote inside an unquoted field, text that is not UTF-8 or holds a NUL,
 * more than CSV_MAX_FIELDS fields in a record, a field longer than
 * CSV_MAX_FIELD bytes. After a refused record the reader carries on at the
 * next line, so a caller can report every bad record, not just the first.
 *
 * Invariants: the reader never reads outside [text, text + len); the text
 * need not be NUL-terminated and is never modified. Every record it returns
 * is an arena copy: each field NUL-terminated, well-formed UTF-8, no NUL.
 * Record numbers count every record from 1 (the header, when there is one),
 * so they match a spreadsheet's row numbers; line numbers count line breaks.
 */
#ifndef SG_CSV_H
#define SG_CSV_H

#include <stddef.h>

#include "core/arena.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD  (64 * 1024)

struct csv_reader {
    const char *p, *end; /* what is left to read */
    int records;         /* records read so far, refused ones included */
    int line;            /* the line the next record starts on, from 1 */
};

struct csv_record {
    int number; /* 1-based position among the records */
    int line;   /* the line it starts on */
    int nfields;
    char **fields; /* nfields arena strings */
    int blank;     /* every field is empty (an empty line, or only commas) */
    int bad_field; /* on CSV_BAD: the 1-based field at fault, or 0 for the record */
};

enum csv_status {
    CSV_END = 0,    /* nothing left */
    CSV_RECORD = 1, /* *rec holds the next record */
    CSV_BAD = -1,   /* the next record is malformed: rec->number and rec->line say
                       which, err says why; reading may go on */
};

/* Starts reading the len bytes at text (skipping a UTF-8 byte order mark). */
void csv_init(struct csv_reader *r, const char *text, size_t len);

/* Reads the next record into *rec, its fields allocated from a. On CSV_BAD,
 * err receives a message without the record's number, for example "a quoted
 * field is not closed before the end of the text". */
enum csv_status csv_next(struct csv_reader *r, struct arena *a, struct csv_record *rec, char *err,
                         size_t errlen);

#endif
