/*
 * log.h — structured logging: one JSON object per line on stderr.
 *
 * Operational messages only. Never log personal data (names, dates of birth,
 * request bodies): logs leave the audit boundary. Request ids tie a log line
 * to the audit trail instead.
 */
#ifndef SG_LOG_H
#define SG_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level min);
/* Logs a message; `msg` is escaped into the JSON line. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes an already-formed JSON object as one line (used by the request log). */
void log_json_line(const char *json);

#endif
