/*
 * chronology_board.c — children at risk now: every child in a state of
 * chronology_board.def (missing, in police protection; custody when merged)
 * for the daily management meeting, with the time in that state, the risk,
 * the next deadline and the officer responsible; and the change token the
 * live board polls (web/static/board.js) so a new case appears without a
 * refresh.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "http/validate.h"
#include "modules/chronology/chronology.h"
#include "modules/chronology/chronology_sql.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t ts_or(const char *s, int64_t dflt)
{
    int64_t t;
    return s && ts_parse(s, &t) == 0 ? t : dflt;
}

/* Overdue first, then the soonest deadline, then the longest in the state. */
static int by_deadline(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int64_t dx = ts_or(jstr(x, "next_due"), INT64_MAX), dy = ts_or(jstr(y, "next_due"), INT64_MAX);
    if (dx != dy)
        return dx < dy ? -1 : 1;
    int64_t sx = ts_or(jstr(x, "since"), 0), sy = ts_or(jstr(y, "since"), 0);
    if (sx != sy)
        return sx < sy ? -1 : 1;
    return strcmp(jstr(x, "reference"), jstr(y, "reference"));
}

static void name_child(struct store *s, json_t *row, int64_t pid, const struct user *u)
{
    json_object_set_new(row, "name", json_null());
    bool visible = auth_person_visible(s, pid, u);
    json_object_set_new(row, "restricted", json_boolean(!visible));
    if (!visible)
        return;
    struct stmt *st = store_prepare(s, SQL_BOARD_PERSON);
    if (!st)
        return;
    stmt_bind_int(st, 1, pid);
    if (stmt_step(st) == STORE_ROW) {
        char name[300];
        snprintf(name, sizeof(name), "%s %s", stmt_text(st, 0), stmt_text(st, 1));
        json_object_set_new(row, "name", json_string(name));
    }
    stmt_reset(st);
}

json_t *chronology_board(struct store *s, const struct user *u, int64_t now,
                         struct domain_error *err)
{
    assert(s && err);
    json_t **rows = NULL;
    size_t n = 0, cap = 0;
    json_t *states = json_array();
    for (size_t b = 0; b < chron_board_count; b++) {
        if (!u || !permset_has(&u->perms, chron_board[b].perm))
            continue;
        struct stmt *st = store_prepare(s, chron_board[b].sql);
        if (!st)
            goto fail;
        int count = 0, rc;
        while ((rc = stmt_step(st)) == STORE_ROW) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 64;
                json_t **g = realloc(rows, nc * sizeof(*rows));
                if (!g) {
                    stmt_reset(st);
                    goto fail;
                }
                rows = g;
                cap = nc;
            }
            char dur[48], link[96];
            int64_t since = ts_or(stmt_text(st, 3), now);
            chronology_duration(now - since, dur, sizeof(dur));
            snprintf(link, sizeof(link), "%s%lld", chron_board[b].link, (long long)stmt_int(st, 0));
            int64_t due = ts_or(stmt_text(st, 6), INT64_MAX);
            json_t *row = json_pack(
                "{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:b}", "state",
                chron_board[b].state, "state_label", chron_board[b].label, "reference",
                stmt_text(st, 1), "link", link, "person_id", (json_int_t)stmt_int(st, 2), "since",
                stmt_text(st, 3), "time_in_state", dur, "minutes_in_state",
                (json_int_t)((now - since) / 60), "risk", stmt_json_text(st, 4), "officer",
                stmt_json_text(st, 5), "next_due", stmt_json_text(st, 6), "next_task",
                stmt_json_text(st, 7), "overdue", due < now);
            name_child(s, row, stmt_int(st, 2), u);
            rows[n++] = row;
            count++;
        }
        stmt_reset(st);
        if (rc == STORE_ERROR)
            goto fail;
        json_array_append_new(states, json_pack("{s:s, s:s, s:i}", "state", chron_board[b].state,
                                                "label", chron_board[b].label, "count", count));
    }
    if (n > 1)
        qsort(rows, n, sizeof(*rows), by_deadline);
    json_t *children = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(children, rows[i]);
    free(rows);
    char version[512];
    if (chronology_board_version(s, u, version, sizeof(version)) < 0) {
        json_decref(children);
        json_decref(states);
        return domain_store_fail(err, s, STORE_ERROR), NULL;
    }
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    return json_pack("{s:o, s:o, s:i, s:s, s:s}", "children", children, "states", states, "total",
                     (int)json_array_size(children), "change_token", version, "as_of", ts);
fail:
    for (size_t i = 0; i < n; i++)
        json_decref(rows[i]);
    free(rows);
    json_decref(states);
    domain_store_fail(err, s, STORE_ERROR);
    return NULL;
}

int chronology_board_version(struct store *s, const struct user *u, char *out, size_t cap)
{
    assert(s && out && cap);
    size_t used = 0;
    out[0] = '\0';
    for (size_t b = 0; b < chron_board_count; b++) {
        if (!u || !permset_has(&u->perms, chron_board[b].perm))
            continue;
        struct stmt *st = store_prepare(s, chron_board[b].version_sql);
        if (!st)
            return -1;
        int rc = stmt_step(st);
        if (rc == STORE_ROW && used < cap) {
            int k = snprintf(out + used, cap - used, "%s%s:%s", used ? ";" : "",
                             chron_board[b].state, stmt_text(st, 0) ? stmt_text(st, 0) : "");
            if (k > 0)
                used += (size_t)k;
        }
        stmt_reset(st);
        if (rc == STORE_ERROR)
            return -1;
    }
    return 0;
}
