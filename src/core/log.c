/* log.c — JSON-lines logging to stderr (see log.h). */
#include "core/log.h"
#include "core/clock.h"
#include "core/date.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(enum log_level min)
{
    min_level = min;
}

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (level < min_level)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    char ts[TS_TEXT_LEN];
    /* Logs record real time even when rules run on an injected clock. */
    ts_format((int64_t)time(NULL), ts);
    pthread_mutex_lock(&log_lock);
    fprintf(stderr, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"", ts, names[level]);
    put_escaped(stderr, msg);
    fputs("\"}\n", stderr);
    pthread_mutex_unlock(&log_lock);
}

void log_json_line(const char *json)
{
    pthread_mutex_lock(&log_lock);
    fputs(json, stderr);
    fputc('\n', stderr);
    pthread_mutex_unlock(&log_lock);
}
