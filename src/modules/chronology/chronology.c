/*
 * chronology.c — the child's chronology, risk summary and connections
 * (chronology.h), and a partner agency's narrow view. Every entry comes from
 * a source row of chronology_sources.def run for the child; the summary is
 * derived from the same records and from the board sources (what the child
 * is "in" now), never typed in.
 */
#include "modules/chronology/chronology.h"
#include "auth/auth.h"
#include "core/date.h"
#include "http/validate.h"
#include "modules/chronology/chronology_sql.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY               86400
#define CHRON_MAX_ENTRIES 20000 /* a bound on one child's timeline */

/* One entry before sorting: its JSON and what orders it. */
struct item {
    int64_t at;
    size_t source;
    int64_t seq; /* row order within the source: later rows first on a tie */
    json_t *entry;
};

static int by_newest(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->at != y->at)
        return x->at > y->at ? -1 : 1;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    return x->seq > y->seq ? -1 : (x->seq < y->seq);
}

/* A timestamp, or a plain date (a flag's first day) as UK midnight; -1 if neither. */
static int64_t when_of(const char *s)
{
    int64_t t;
    struct civil_date d;
    if (!s)
        return -1;
    if (strlen(s) > 10 && ts_parse(s, &t) == 0)
        return t;
    if (date_parse(s, &d) == 0)
        return ts_uk_midnight(&d);
    return -1;
}

static bool can(const struct user *u, enum permission p)
{
    return u && permset_has(&u->perms, p);
}

void chronology_duration(int64_t secs, char *out, size_t cap)
{
    if (secs < 0)
        secs = 0;
    int64_t days = secs / DAY, hours = secs % DAY / 3600, mins = secs % 3600 / 60;
    if (days)
        snprintf(out, cap, "%lld day%s %lld h", (long long)days, days == 1 ? "" : "s",
                 (long long)hours);
    else if (hours)
        snprintf(out, cap, "%lld h %lld min", (long long)hours, (long long)mins);
    else
        snprintf(out, cap, "%lld min", (long long)mins);
}

int chronology_filter_parse(const char *area, const char *from, const char *to,
                            struct chron_filter *f, struct domain_error *err)
{
    memset(f, 0, sizeof(*f));
    if (area && *area) {
        size_t i;
        for (i = 0; i < chron_source_count; i++)
            if (strcmp(area, chron_sources[i].area) == 0)
                break;
        if (i == chron_source_count) {
            char list[400] = "";
            for (size_t k = 0; k < chron_source_count; k++) {
                size_t n = strlen(list);
                snprintf(list + n, sizeof(list) - n, "%s%s", k ? ", " : "", chron_sources[k].area);
            }
            return domain_fail(err, 422, "invalid_enum", "area", "'area' must be one of: %s", list);
        }
        f->area = area;
    }
    struct civil_date d;
    if (from && *from) {
        if (strlen(from) != 10 || date_parse(from, &d) < 0)
            return domain_fail(err, 422, "invalid_date", "from",
                               "'from' must be a date like 2026-06-01");
        f->from = from;
        f->from_ts = ts_uk_midnight(&d);
    }
    if (to && *to) {
        if (strlen(to) != 10 || date_parse(to, &d) < 0)
            return domain_fail(err, 422, "invalid_date", "to",
                               "'to' must be a date like 2026-06-30");
        struct civil_date next = date_from_days(date_to_days(&d) + 1);
        f->to = to;
        f->to_ts = ts_uk_midnight(&next);
        if (f->from && f->to_ts <= f->from_ts)
            return domain_fail(err, 422, "invalid_range", "to", "'to' must not be before 'from'");
    }
    return 0;
}

/* A record's page: prefix ("/missing/") and id. */
static json_t *link_json(const char *prefix, int64_t id)
{
    char l[96];
    snprintf(l, sizeof(l), "%s%lld", prefix, (long long)id);
    return json_string(l);
}

/* The child, or NULL when there is no such person (or u may not see them). */
static json_t *person_json(struct store *s, int64_t pid, const struct user *u, int64_t now)
{
    struct stmt *st = store_prepare(s, SQL_CHRON_PERSON);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, pid);
    json_t *p = NULL;
    if (stmt_step(st) == STORE_ROW) {
        p = json_pack("{s:I, s:s, s:s, s:o, s:n, s:n}", "id", (json_int_t)pid, "given_name",
                      stmt_text(st, 0), "family_name", stmt_text(st, 1), "dob",
                      stmt_json_text(st, 2), "age", "is_child");
        struct civil_date dob, today = date_of_ts(ts_uk_local(now));
        if (stmt_text(st, 2) && date_parse(stmt_text(st, 2), &dob) == 0) {
            json_object_set_new(p, "age", json_integer(age_on(&dob, &today)));
            json_object_set_new(p, "is_child", json_boolean(is_child_on(&dob, &today)));
        }
    }
    stmt_reset(st);
    if (p && u && !auth_person_visible(s, pid, u)) {
        json_decref(p);
        return NULL;
    }
    return p;
}

/* Runs one timeline source into items (grown as needed). agency > 0 binds ?2. */
static int run_source(struct store *s, size_t src, const char *sql, const char *link, int64_t pid,
                      int64_t agency, struct item **items, size_t *n, size_t *cap)
{
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, pid);
    if (agency > 0)
        stmt_bind_int(st, 2, agency);
    int rc;
    int64_t seq = 0;
    while ((rc = stmt_step(st)) == STORE_ROW && *n < CHRON_MAX_ENTRIES) {
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 256;
            struct item *g = realloc(*items, nc * sizeof(**items));
            if (!g) {
                rc = STORE_ERROR;
                break;
            }
            *items = g;
            *cap = nc;
        }
        const char *words = stmt_text(st, 6);
        json_t *e = json_pack(
            "{s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:o}", "at", stmt_json_text(st, 0),
            "area", chron_sources[src].area, "area_label", chron_sources[src].label, "kind",
            stmt_json_text(st, 1), "summary", stmt_json_text(st, 2), "risk", stmt_json_text(st, 3),
            "reference", stmt_json_text(st, 5), "link", link_json(link, stmt_int(st, 4)), "voice",
            words != NULL || strcmp(chron_sources[src].area, "voice") == 0, "words",
            stmt_json_text(st, 6));
        (*items)[(*n)++] = (struct item){when_of(stmt_text(st, 0)), src, seq++, e};
    }
    stmt_reset(st);
    return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

static void free_items(struct item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_decref(items[i].entry);
    free(items);
}

/* The board rows of every state for this child: "missing now", "in police
 * protection now" (and custody when merged). */
static json_t *now_states(struct store *s, int64_t pid, const struct user *u, int64_t now)
{
    json_t *arr = json_array();
    for (size_t b = 0; b < chron_board_count; b++) {
        if (!can(u, chron_board[b].perm))
            continue;
        struct stmt *st = store_prepare(s, chron_board[b].sql);
        if (!st)
            continue;
        while (stmt_step(st) == STORE_ROW) {
            if (stmt_int(st, 2) != pid)
                continue;
            char dur[48];
            chronology_duration(now - when_of(stmt_text(st, 3)), dur, sizeof(dur));
            json_array_append_new(
                arr,
                json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o}", "state",
                          chron_board[b].state, "label", chron_board[b].label, "reference",
                          stmt_text(st, 1), "link", link_json(chron_board[b].link, stmt_int(st, 0)),
                          "since", stmt_json_text(st, 3), "time_in_state", dur, "risk",
                          stmt_json_text(st, 4), "next_due", stmt_json_text(st, 6), "next_task",
                          stmt_json_text(st, 7)));
        }
        stmt_reset(st);
    }
    return arr;
}

/* Rows of a statement bound to pid, each made an object by fn. */
static json_t *rows(struct store *s, const char *sql, int64_t pid, const char *day,
                    json_t *(*fn)(struct stmt *, int64_t), int64_t now)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, pid);
    if (day)
        stmt_bind_text(st, 2, day);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr, fn(st, now));
    stmt_reset(st);
    return arr;
}

static json_t *flag_row(struct stmt *st, int64_t now)
{
    (void)now;
    return json_pack("{s:s, s:s, s:o}", "flag", stmt_text(st, 0), "since", stmt_text(st, 1),
                     "local_authority", stmt_json_text(st, 2));
}

static json_t *investigation_row(struct stmt *st, int64_t now)
{
    (void)now;
    return json_pack("{s:s, s:o, s:s, s:s, s:s}", "reference", stmt_text(st, 1), "link",
                     link_json("/investigations/", stmt_int(st, 0)), "category", stmt_text(st, 2),
                     "status", stmt_text(st, 3), "role", stmt_text(st, 4));
}

static json_t *indicator_row(struct stmt *st, int64_t now)
{
    (void)now;
    static const char *const links[][2] = {{"missing", "/missing/"},
                                           {"investigations", "/investigations/"},
                                           {"referrals", "/referrals/"}};
    const char *fmt = "/people/";
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
        if (strcmp(stmt_text(st, 0), links[i][0]) == 0)
            fmt = links[i][1];
    return json_pack("{s:s, s:s, s:s, s:s, s:o}", "area", stmt_text(st, 0), "indicator",
                     stmt_text(st, 1), "at", stmt_text(st, 2), "reference", stmt_text(st, 4),
                     "link", link_json(fmt, stmt_int(st, 3)));
}

static json_t *task_row(struct stmt *st, int64_t now)
{
    static const char *const links[][2] = {{"missing_episode", "/missing/"},
                                           {"incident", "/incidents/"},
                                           {"referral", "/referrals/"},
                                           {"investigation", "/investigations/"},
                                           {"online_referral", "/online-referrals/"},
                                           {"police_protection", "/police-protection/"}};
    json_t *link = json_null();
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
        if (strcmp(stmt_text(st, 4), links[i][0]) == 0) {
            json_decref(link);
            link = link_json(links[i][1], stmt_int(st, 5));
        }
    const char *owner = stmt_text(st, 6)   ? stmt_text(st, 6)
                        : stmt_text(st, 7) ? stmt_text(st, 7)
                                           : stmt_text(st, 8);
    int64_t due = when_of(stmt_text(st, 3));
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:o, s:o}", "id", (json_int_t)stmt_int(st, 0),
                     "rule", stmt_text(st, 1), "title", stmt_text(st, 2), "due_at",
                     stmt_text(st, 3), "overdue", due >= 0 && due < now, "link", link, "owner",
                     owner ? json_string(owner) : json_null());
}

/* The risk summary: what is true now, then the recent counts by area (from
 * every visible entry, whatever the filters), then open tasks. */
static json_t *summary(struct store *s, int64_t pid, const struct user *u, int64_t now,
                       const struct item *items, size_t n)
{
    char today[DATE_TEXT_LEN];
    struct civil_date t = date_of_ts(ts_uk_local(now));
    date_format(&t, today);
    json_t *o = json_object();
    json_t *flags = rows(s, SQL_CHRON_FLAGS, pid, today, flag_row, now);
    bool plan = false, looked_after = false;
    size_t i;
    json_t *v;
    json_array_foreach(flags, i, v)
    {
        plan |= strcmp(jstr(v, "flag"), "child_protection_plan") == 0;
        looked_after |= strcmp(jstr(v, "flag"), "looked_after") == 0;
    }
    json_t *states = now_states(s, pid, u, now);
    json_t *in = json_object();
    for (size_t b = 0; b < chron_board_count; b++)
        json_object_set_new(in, chron_board[b].state, json_false());
    json_array_foreach(states, i, v) json_object_set_new(in, jstr(v, "state"), json_true());
    json_object_set_new(o, "flags", flags);
    json_object_set_new(o, "child_protection_plan", json_boolean(plan));
    json_object_set_new(o, "looked_after", json_boolean(looked_after));
    json_object_set_new(o, "now", states);
    json_object_set_new(o, "in", in);
    json_object_set_new(o, "open_investigations",
                        can(u, PERM_INVESTIGATIONS_READ) ? rows(s, SQL_CHRON_OPEN_INVESTIGATIONS,
                                                                pid, NULL, investigation_row, now)
                                                         : json_array());
    json_t *ind = json_array();
    static const struct {
        enum permission perm;
        const char *sql;
    } indicators[] = {{PERM_MISSING_READ, SQL_CHRON_EXPLOITATION_MISSING},
                      {PERM_INVESTIGATIONS_READ, SQL_CHRON_EXPLOITATION_INVESTIGATIONS},
                      {PERM_REFERRALS_READ, SQL_CHRON_EXPLOITATION_REFERRALS}};
    for (size_t k = 0; k < sizeof(indicators) / sizeof(indicators[0]); k++)
        if (can(u, indicators[k].perm)) {
            json_t *found = rows(s, indicators[k].sql, pid, NULL, indicator_row, now);
            json_array_extend(ind, found);
            json_decref(found);
        }
    json_object_set_new(o, "exploitation", ind);

    json_t *counts = json_array();
    for (size_t src = 0; src < chron_source_count; src++) {
        if (!can(u, chron_sources[src].perm))
            continue;
        int c28 = 0, c90 = 0;
        for (size_t k = 0; k < n; k++) {
            if (items[k].source != src || items[k].at > now)
                continue;
            c28 += items[k].at > now - 28 * DAY;
            c90 += items[k].at > now - 90 * DAY;
        }
        json_array_append_new(
            counts, json_pack("{s:s, s:s, s:i, s:i}", "area", chron_sources[src].area, "label",
                              chron_sources[src].label, "last_28_days", c28, "last_90_days", c90));
    }
    json_object_set_new(o, "counts", counts);
    json_object_set_new(o, "open_tasks", rows(s, SQL_CHRON_TASKS, pid, NULL, task_row, now));
    return o;
}

/* The people linked to the child, one object per person with every way they
 * are linked, earliest first; restricted people u may not see are unnamed. */
static json_t *connections(struct store *s, int64_t pid, const struct user *u, int64_t now)
{
    json_t *by = json_object(); /* person id → object */
    json_t *order = json_array();
    char key[32];
    for (size_t c = 0; c < chron_connection_count; c++) {
        if (!can(u, chron_connections[c].perm))
            continue;
        struct stmt *st = store_prepare(s, chron_connections[c].sql);
        if (!st)
            continue;
        stmt_bind_int(st, 1, pid);
        while (stmt_step(st) == STORE_ROW) {
            int64_t other = stmt_int(st, 0);
            snprintf(key, sizeof(key), "%lld", (long long)other);
            json_t *p = json_object_get(by, key);
            if (!p) {
                p = json_pack("{s:I, s:[], s:n}", "person_id", (json_int_t)other, "links", "since");
                json_object_set_new(by, key, p);
                json_array_append(order, p);
            }
            const char *since = stmt_text(st, 2);
            const char *first = jstr(p, "since");
            if (since && (!first || when_of(since) < when_of(first)))
                json_object_set_new(p, "since", json_string(since));
            json_array_append_new(json_object_get(p, "links"),
                                  json_pack("{s:s, s:o, s:o, s:o}", "how", stmt_text(st, 1),
                                            "since", stmt_json_text(st, 2), "reference",
                                            stmt_json_text(st, 4), "link",
                                            link_json(chron_connections[c].link, stmt_int(st, 3))));
        }
        stmt_reset(st);
    }
    json_decref(by);
    struct civil_date today = date_of_ts(ts_uk_local(now));
    size_t i;
    json_t *p;
    json_array_foreach(order, i, p)
    {
        int64_t other = json_integer_value(json_object_get(p, "person_id"));
        bool visible = auth_person_visible(s, other, u);
        json_object_set_new(p, "restricted", json_boolean(!visible));
        json_object_set_new(p, "name", json_null());
        json_object_set_new(p, "dob", json_null());
        json_object_set_new(p, "is_child", json_null());
        struct stmt *st = store_prepare(s, SQL_CONN_PERSON);
        if (!st || !visible)
            continue;
        stmt_bind_int(st, 1, other);
        if (stmt_step(st) == STORE_ROW) {
            char name[300];
            snprintf(name, sizeof(name), "%s %s", stmt_text(st, 0), stmt_text(st, 1));
            json_object_set_new(p, "name", json_string(name));
            json_object_set_new(p, "dob", stmt_json_text(st, 2));
            struct civil_date dob;
            if (stmt_text(st, 2) && date_parse(stmt_text(st, 2), &dob) == 0)
                json_object_set_new(p, "is_child", json_boolean(is_child_on(&dob, &today)));
        }
        stmt_reset(st);
    }
    return order;
}

/* The entries that pass the filter, newest first (items already sorted). */
static json_t *entries(struct item *items, size_t n, const struct chron_filter *f, json_t *areas)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        const struct item *it = &items[k];
        if (f && ((f->from && it->at < f->from_ts) || (f->to && it->at >= f->to_ts)))
            continue;
        /* Counted by area within the period, before the area filter, so the
         * filter links can say how many each would show. */
        json_t *a = json_object_get(areas, chron_sources[it->source].area);
        if (a)
            json_object_set_new(a, "count",
                                json_integer(json_integer_value(json_object_get(a, "count")) + 1));
        if (f && f->area && strcmp(f->area, chron_sources[it->source].area) != 0)
            continue;
        json_array_append(arr, it->entry);
    }
    return arr;
}

json_t *chronology_get(struct store *s, int64_t pid, const struct chron_filter *f,
                       const struct user *u, int64_t now, struct domain_error *err)
{
    assert(s && err);
    json_t *person = person_json(s, pid, u, now);
    if (!person) {
        domain_fail(err, 404, "not_found", NULL, "no person with id %lld", (long long)pid);
        return NULL;
    }
    struct item *items = NULL;
    size_t n = 0, cap = 0;
    json_t *areas = json_object(), *area_list = json_array();
    for (size_t src = 0; src < chron_source_count; src++) {
        if (!can(u, chron_sources[src].perm))
            continue;
        if (run_source(s, src, chron_sources[src].sql, chron_sources[src].link, pid, 0, &items, &n,
                       &cap) != STORE_OK) {
            free_items(items, n);
            json_decref(person);
            json_decref(areas);
            json_decref(area_list);
            domain_store_fail(err, s, STORE_ERROR);
            return NULL;
        }
        json_t *a = json_pack("{s:s, s:s, s:i, s:b}", "area", chron_sources[src].area, "label",
                              chron_sources[src].label, "count", 0, "selected",
                              f && f->area && strcmp(f->area, chron_sources[src].area) == 0);
        json_object_set(areas, chron_sources[src].area, a);
        json_array_append_new(area_list, a);
    }
    qsort(items, n, sizeof(*items), by_newest);
    json_t *list = entries(items, n, f, areas);
    json_decref(areas);
    int voices = 0;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) voices += json_is_true(json_object_get(v, "voice"));
    json_t *o =
        json_pack("{s:o, s:{s:o, s:o, s:o}, s:o, s:o, s:o, s:o, s:i, s:i}", "person", person,
                  "filters", "area", f && f->area ? json_string(f->area) : json_null(), "from",
                  f && f->from ? json_string(f->from) : json_null(), "to",
                  f && f->to ? json_string(f->to) : json_null(), "areas", area_list, "summary",
                  summary(s, pid, u, now, items, n), "connections", connections(s, pid, u, now),
                  "entries", list, "total", (int)json_array_size(list), "voice_entries", voices);
    free_items(items, n);
    return o;
}

json_t *chronology_portal(struct store *s, int64_t pid, const struct user *u, int64_t now,
                          struct domain_error *err)
{
    assert(s && u && err);
    int64_t agency = 0;
    struct stmt *st = store_prepare(s, SQL_CHRON_AGENCY);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR), NULL;
    stmt_bind_text(st, 1, u->agency);
    if (stmt_step(st) == STORE_ROW)
        agency = stmt_int(st, 0);
    stmt_reset(st);
    json_t *person = agency ? person_json(s, pid, NULL, now) : NULL;
    struct item *items = NULL;
    size_t n = 0, cap = 0;
    size_t src;
    for (src = 0; src < chron_source_count; src++)
        if (strcmp(chron_sources[src].area, "referrals") == 0)
            break;
    if (person && src < chron_source_count &&
        run_source(s, src, SQL_CHRON_PORTAL, "/portal/referrals/", pid, agency, &items, &n, &cap) !=
            STORE_OK) {
        free_items(items, n);
        json_decref(person);
        return domain_store_fail(err, s, STORE_ERROR), NULL;
    }
    /* Nothing sent to this agency about the child: the same answer as no
     * such child, so a partner cannot learn who exists. */
    if (!person || n == 0) {
        free_items(items, n);
        json_decref(person);
        domain_fail(err, 404, "not_found", NULL, "no person with id %lld", (long long)pid);
        return NULL;
    }
    /* A partner sees the child's name and date of birth as on the referral,
     * not the age or status the force computes. */
    json_object_del(person, "is_child");
    qsort(items, n, sizeof(*items), by_newest);
    json_t *list = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append(list, items[k].entry);
    free_items(items, n);
    return json_pack("{s:o, s:s, s:{s:s, s:n, s:n}, s:o, s:i, s:i}", "person", person, "agency",
                     u->agency, "filters", "area", "referrals", "from", "to", "entries", list,
                     "total", (int)json_array_size(list), "voice_entries", 0);
}
