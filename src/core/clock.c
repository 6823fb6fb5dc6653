/* clock.c — the injectable clock (see clock.h). */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum clock_mode { CLOCK_SYSTEM, CLOCK_FIXED, CLOCK_FILE };

static enum clock_mode mode = CLOCK_SYSTEM;
static int64_t fixed_time;
static char clock_file[1024];

int clock_configure(const char *spec, char *err, size_t errlen)
{
    if (!spec || !*spec || strcmp(spec, "system") == 0) {
        mode = CLOCK_SYSTEM;
        return 0;
    }
    if (strncmp(spec, "file:", 5) == 0) {
        if (strlen(spec + 5) == 0 || strlen(spec + 5) >= sizeof(clock_file)) {
            snprintf(err, errlen, "clock file path is empty or too long");
            return -1;
        }
        enum clock_mode old_mode = mode;
        char old_file[sizeof(clock_file)];
        memcpy(old_file, clock_file, sizeof(old_file));
        strcpy(clock_file, spec + 5);
        mode = CLOCK_FILE;
        if (clock_now() == 0) {
            snprintf(err, errlen,
                     "clock file '%s' does not hold a timestamp like 2026-01-01T00:00:00Z",
                     clock_file);
            mode = old_mode; /* a failed configuration changes nothing */
            memcpy(clock_file, old_file, sizeof(clock_file));
            return -1;
        }
        return 0;
    }
    int64_t t;
    if (ts_parse(spec, &t) < 0) {
        snprintf(err, errlen,
                 "clock '%s' is not 'system', 'file:PATH' or a timestamp like 2026-01-01T00:00:00Z",
                 spec);
        return -1;
    }
    clock_set_fixed(t);
    return 0;
}

void clock_set_fixed(int64_t t)
{
    mode = CLOCK_FIXED;
    fixed_time = t;
}

int clock_is_injected(void)
{
    return mode != CLOCK_SYSTEM;
}

static int64_t read_clock_file(void)
{
    FILE *f = fopen(clock_file, "r");
    if (!f)
        return 0;
    char line[64] = {0};
    if (!fgets(line, sizeof(line), f))
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\r\n ")] = '\0';
    int64_t t;
    return ts_parse(line, &t) == 0 ? t : 0;
}

int64_t clock_now(void)
{
    switch (mode) {
    case CLOCK_FIXED:
        return fixed_time;
    case CLOCK_FILE:
        return read_clock_file();
    case CLOCK_SYSTEM:
        break;
    }
    return (int64_t)time(NULL);
}

uint64_t clock_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
