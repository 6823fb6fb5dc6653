/*
 * ocse.c — the online referral (see ocse.h): its fields, identifiers and how
 * they are normalised and matched, the risk prioritisation, reading and the
 * list ranked by risk, and every change from assessment to closure,
 * including escalation into an investigation and safeguarding referrals.
 * The batch import is in ocse_import.c.
 */
#include "modules/ocse/ocse.h"
#include "auth/auth.h"
#include "core/date.h"
#include "modules/investigations/investigations.h"
#include "modules/ocse/ocse_internal.h"
#include "modules/ocse/ocse_sql.h"
#include "modules/referrals/referrals.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ocse_categories[] = {"indecent_images", "grooming", "sextortion",
                                       "live_streaming",  "other",    NULL};
const char *const ocse_identifier_kinds[] = {"email", "username", "phone", "ip", "postcode", NULL};
static const char *const actions[] = {"visit", "warrant", "arrest", "other", NULL};

#define ID_MAX 9007199254740991LL
#define TEXT   4000

/* clang-format off */
const struct field ocse_identifier_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = ocse_identifier_kinds},
    {.name = "value", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 320},
    {.name = "seen_at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field ocse_create_fields[] = {
    {.name = "source", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 100},
    {.name = "source_reference", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 100},
    {.name = "received_at", .type = FIELD_TIMESTAMP},
    {.name = "platform", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 100},
    {.name = "content_category", .type = FIELD_ENUM, .flags = FIELD_REQUIRED,
     .values = ocse_categories},
    {.name = "summary", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "enquiries", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "identifiers", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .max_len = 50,
     .children = ocse_identifier_fields},
    {0}};
const struct field ocse_import_fields[] = {
    {.name = "format", .type = FIELD_ENUM, .flags = FIELD_REQUIRED,
     .values = (const char *const[]){"json", "csv", NULL}},
    {.name = "content", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 512 * 1024},
    {0}};
const struct field ocse_factors_fields[] = {
    {.name = "contact_offending", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "escalation", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "previous_convictions", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "role_with_children", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {0}};
const struct field ocse_resolve_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {0}};
const struct field ocse_escalate_fields[] = {{0}};
const struct field ocse_action_fields[] = {
    {.name = "action", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = actions},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field ocse_close_fields[] = {
    {.name = "outcome", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
/* clang-format on */

/* ---- the risk prioritisation (configurable) --------------------------------------- */

/* Each factor's weight; a force sets its own ("ocse.weight.<factor> = N"). */
static struct {
    const char *factor, *reason;
    int weight;
} weights[] = {
    {"lives_with_children", "lives with a child", 5},
    {"registered_offender", "a registered sex offender", 4},
    {"contact_offending", "indicators of contact offending", 4},
    {"role_with_children", "a job or role with access to children", 3},
    {"escalation", "escalating behaviour", 2},
    {"previous_convictions", "previous convictions", 2},
    {"category_live_streaming", "live-streamed abuse", 3},
    {"category_grooming", "grooming of a child", 2},
    {"category_sextortion", "sexual extortion of a child", 2},
    {"category_indecent_images", "indecent images", 1},
};
#define NWEIGHTS ((int)(sizeof(weights) / sizeof(weights[0])))

/* Bands from the highest: a score at or above `from` (configurable as
 * "ocse.band.<band> = N"); each band's action target is a timescale rule. */
static struct {
    const char *band;
    int from;
} bands[] = {{"very_high", 10}, {"high", 7}, {"medium", 4}, {"low", 0}};
#define NBANDS ((int)(sizeof(bands) / sizeof(bands[0])))

int ocse_configure(const char *name, const char *value, char *err, size_t errlen)
{
    char *end;
    long v = strtol(value, &end, 10);
    bool number = *value && !*end && v >= 0 && v <= 100;
    if (strncmp(name, "weight.", 7) == 0) {
        for (int i = 0; i < NWEIGHTS; i++)
            if (strcmp(weights[i].factor, name + 7) == 0) {
                if (!number)
                    break;
                weights[i].weight = (int)v;
                return 0;
            }
    } else if (strncmp(name, "band.", 5) == 0) {
        for (int i = 0; i < NBANDS - 1; i++)
            if (strcmp(bands[i].band, name + 5) == 0) {
                if (!number)
                    break;
                bands[i].from = (int)v;
                return 0;
            }
    }
    snprintf(err, errlen,
             number ? "no setting 'ocse.%s' (ocse.weight.<factor>, ocse.band.<band>; see "
                      "docs/ocse.md)"
                    : "'ocse.%s' must be a whole number from 0 to 100 (or is not a setting)",
             name);
    return -1;
}

json_t *ocse_scoring(void)
{
    json_t *w = json_object(), *b = json_array();
    for (int i = 0; i < NWEIGHTS; i++)
        json_object_set_new(w, weights[i].factor, json_integer(weights[i].weight));
    for (int i = 0; i < NBANDS; i++) {
        char id[48];
        snprintf(id, sizeof(id), "ocse.action_%s", bands[i].band);
        const struct rule *r = rules_find(id);
        int m = r ? rules_minutes(r) : 0;
        /* The same time in words, for the pages: "24 hours", "3 days". */
        char within[32];
        if (m >= 2 * 1440 && m % 1440 == 0)
            snprintf(within, sizeof(within), "%d days", m / 1440);
        else if (m % 60 == 0)
            snprintf(within, sizeof(within), "%d hour%s", m / 60, m == 60 ? "" : "s");
        else
            snprintf(within, sizeof(within), "%d minutes", m);
        json_array_append_new(b, json_pack("{s:s, s:i, s:i, s:s}", "band", bands[i].band,
                                           "from_score", bands[i].from, "action_within_minutes", m,
                                           "action_within", within));
    }
    return json_pack("{s:o, s:o}", "weights", w, "bands", b);
}

static int weight_of(const char *factor)
{
    for (int i = 0; i < NWEIGHTS; i++)
        if (strcmp(weights[i].factor, factor) == 0)
            return weights[i].weight;
    return 0;
}

static const char *reason_of(const char *factor)
{
    for (int i = 0; i < NWEIGHTS; i++)
        if (strcmp(weights[i].factor, factor) == 0)
            return weights[i].reason;
    return factor;
}

/* ---- identifiers ---------------------------------------------------------------------- */

/* One form per identifier, so the same account is the same value: emails
 * and user names lower-cased, phone numbers as digits with a UK +44 made
 * 0, postcodes upper-cased without spaces, IP addresses trimmed. Returns
 * false when nothing usable is left. */
bool ocse_normalise(const char *kind, const char *in, char *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (*p && isspace(*p))
        p++;
    if (strcmp(kind, "phone") == 0) {
        if (p[0] == '+' && p[1] == '4' && p[2] == '4') {
            if (n + 1 < cap)
                out[n++] = '0';
            p += 3;
        }
        for (; *p && n + 1 < cap; p++)
            if (isdigit(*p))
                out[n++] = (char)*p;
    } else {
        bool postcode = strcmp(kind, "postcode") == 0;
        bool lower = strcmp(kind, "email") == 0 || strcmp(kind, "username") == 0;
        for (; *p && n + 1 < cap; p++) {
            if (postcode && isspace(*p))
                continue;
            out[n++] = (char)(lower ? tolower(*p) : postcode ? toupper(*p) : *p);
        }
        while (n && isspace((unsigned char)out[n - 1]))
            n--;
    }
    out[n] = '\0';
    return n > 0;
}

/* ---- small helpers ------------------------------------------------------------------- */

void ocse_bind_user(struct stmt *st, int idx, const struct user *u)
{
    if (u)
        stmt_bind_int(st, idx, u->id);
    else
        stmt_bind_null(st, idx);
}

int ocse_event(struct store *s, int64_t id, const char *kind, const char *text,
               const struct user *u, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OC_EVENT_ADD);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, kind);
    stmt_bind_text(st, 4, text);
    ocse_bind_user(st, 5, u);
    return store_exec_stmt(st);
}

static const struct column_spec oc_columns[] = {
    {"id", 'i'},
    {"reference", 's'},
    {"source", 's'},
    {"source_reference", 's'},
    {"received_at", 's'},
    {"platform", 's'},
    {"content_category", 's'},
    {"summary", 's'},
    {"enquiries", 's'},
    {"status", 's'},
    {"suspect_person_id", 'i'},
    {"identified_at", 's'},
    {"contact_offending", 'b'},
    {"escalation", 'b'},
    {"previous_convictions", 'b'},
    {"role_with_children", 'b'},
    {"assessed_at", 's'},
    {"score", 'i'},
    {"band", 's'},
    {"reasons", 's'},
    {"children_at_home", 'i'},
    {"action", 's'},
    {"actioned_at", 's'},
    {"action_note", 's'},
    {"investigation_id", 'i'},
    {"safeguarded_at", 's'},
    {"outcome", 's'},
    {"closed_at", 's'},
    {"version", 'i'},
    {"created_at", 's'},
    {"updated_at", 's'},
};
#define NCOLS ((int)(sizeof(oc_columns) / sizeof(oc_columns[0])))

json_t *ocse_core_get(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_OC_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = stmt_row_object(st, oc_columns, NCOLS);
    stmt_reset(st);
    return o;
}

/* The children living with person pid today, as [{id, name, age}]. */
static json_t *household_children(struct store *s, int64_t pid, int64_t now)
{
    json_t *arr = json_array();
    char today[DATE_TEXT_LEN];
    struct civil_date t = date_of_ts(ts_uk_local(now));
    date_format(&t, today);
    struct stmt *st = store_prepare(s, SQL_OC_HOUSEHOLD);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, pid);
    stmt_bind_text(st, 2, today);
    while (stmt_step(st) == STORE_ROW) {
        struct civil_date dob;
        if (date_parse(stmt_text(st, 3), &dob) < 0 || !is_child_on(&dob, &t))
            continue;
        json_array_append_new(arr,
                              json_pack("{s:I, s:s, s:s, s:i}", "person_id",
                                        (json_int_t)stmt_int(st, 0), "given_name", stmt_text(st, 1),
                                        "family_name", stmt_text(st, 2), "age", age_on(&dob, &t)));
    }
    stmt_reset(st);
    return arr;
}

static bool registered_offender(struct store *s, int64_t pid, int64_t now)
{
    char today[DATE_TEXT_LEN];
    struct civil_date t = date_of_ts(ts_uk_local(now));
    date_format(&t, today);
    struct stmt *st = store_prepare(s, SQL_OC_RSO);
    if (!st)
        return false;
    stmt_bind_int(st, 1, pid);
    stmt_bind_text(st, 2, today);
    bool yes = stmt_step(st) == STORE_ROW;
    stmt_reset(st);
    return yes;
}

/* Scores the referral from the facts held now, keeps score, band and
 * reasons, and re-evaluates the rules: every change ends here. */
int ocse_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    json_t *rec = ocse_core_get(s, id);
    if (!rec)
        return domain_store_fail(err, s, STORE_ERROR);
    int score = 0;
    json_t *reasons = json_array();
    int64_t pid = json_integer_value(json_object_get(rec, "suspect_person_id"));
    int nchildren = 0;
    char factor[64];
#define COUNT(f)                                                                                   \
    do {                                                                                           \
        int w_ = weight_of(f);                                                                     \
        score += w_;                                                                               \
        char r_[160];                                                                              \
        snprintf(r_, sizeof(r_), "%s (+%d)", reason_of(f), w_);                                    \
        json_array_append_new(reasons, json_string(r_));                                           \
    } while (0)
    if (pid) {
        json_t *kids = household_children(s, pid, now);
        nchildren = (int)json_array_size(kids);
        json_decref(kids);
        if (nchildren)
            COUNT("lives_with_children");
        if (registered_offender(s, pid, now))
            COUNT("registered_offender");
    }
    static const char *const flags[] = {"contact_offending", "role_with_children", "escalation",
                                        "previous_convictions"};
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (json_is_true(json_object_get(rec, flags[i])))
            COUNT(flags[i]);
    snprintf(factor, sizeof(factor), "category_%s", jstr(rec, "content_category"));
    if (weight_of(factor))
        COUNT(factor);
#undef COUNT
    const char *band = bands[NBANDS - 1].band;
    for (int i = 0; i < NBANDS; i++)
        if (score >= bands[i].from) {
            band = bands[i].band;
            break;
        }
    char *rtext = json_dumps(reasons, JSON_COMPACT);
    json_decref(reasons);
    struct stmt *st = store_prepare(s, SQL_OC_SCORE);
    int rc = STORE_ERROR;
    if (st && rtext) {
        stmt_bind_int(st, 1, score);
        stmt_bind_text(st, 2, band);
        stmt_bind_text(st, 3, rtext);
        stmt_bind_int(st, 4, nchildren);
        stmt_bind_int(st, 5, id);
        rc = store_exec_stmt(st);
    }
    free(rtext);
    bool rescored = strcmp(band, jstr(rec, "band")) != 0 ||
                    score != json_integer_value(json_object_get(rec, "score"));
    if (rc == STORE_OK && rescored) {
        char text[96];
        snprintf(text, sizeof(text), "Scored %d: %s", score, band);
        rc = ocse_event(s, id, "scored", text, NULL, now);
    }
    json_decref(rec);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_OC_TOUCH);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    rec = ocse_core_get(s, id);
    if (!rec)
        return domain_store_fail(err, s, STORE_ERROR);
    rc = rules_evaluate(s, "online_referral", rec, pid, now);
    json_decref(rec);
    return rc == STORE_OK ? 0 : domain_store_fail(err, s, rc);
}

/* ---- creating -------------------------------------------------------------------------- */

int64_t ocse_insert(struct store *s, const json_t *body, const struct user *u, int64_t now,
                    const char *where, struct domain_error *err)
{
    char f[96];
    struct stmt *st = store_prepare(s, SQL_OC_DUPLICATE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, jstr(body, "source"));
    stmt_bind_text(st, 2, jstr(body, "source_reference"));
    if (stmt_step(st) == STORE_ROW) {
        char ref[32];
        snprintf(ref, sizeof(ref), "%s", stmt_text(st, 0));
        stmt_reset(st);
        snprintf(f, sizeof(f), "%ssource_reference", where);
        return domain_fail(err, 409, "duplicate_referral", f,
                           "%s%s from %s is already recorded as %s", where,
                           jstr(body, "source_reference"), jstr(body, "source"), ref);
    }
    stmt_reset(st);
    int64_t recv = now;
    if (jstr(body, "received_at")) {
        ts_parse(jstr(body, "received_at"), &recv);
        if (recv > now) {
            snprintf(f, sizeof(f), "%sreceived_at", where);
            return domain_fail(err, 422, "invalid_field", f, "'%s' must not be in the future", f);
        }
    }
    char received[TS_TEXT_LEN], ts[TS_TEXT_LEN], like[32], ref[32];
    ts_format(recv, received);
    ts_format(now, ts);
    struct civil_date d = date_of_ts(recv);
    snprintf(like, sizeof(like), "OCS-%04d-%%", d.year % 10000);
    st = store_prepare(s, SQL_OC_NEXT_SEQ);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, like);
    int64_t seq = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 1;
    stmt_reset(st);
    snprintf(ref, sizeof(ref), "OCS-%04d-%06lld", d.year % 10000, (long long)seq);
    st = store_prepare(s, SQL_OC_INSERT);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, ref);
    stmt_bind_text(st, 2, jstr(body, "source"));
    stmt_bind_text(st, 3, jstr(body, "source_reference"));
    stmt_bind_text(st, 4, received);
    stmt_bind_text(st, 5, jstr(body, "platform"));
    stmt_bind_text(st, 6, jstr(body, "content_category"));
    stmt_bind_text(st, 7, jstr(body, "summary"));
    stmt_bind_text(st, 8, jstr(body, "enquiries"));
    ocse_bind_user(st, 9, u);
    stmt_bind_text(st, 10, ts);
    stmt_bind_text(st, 11, ts);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(body, "identifiers"), i, x)
    {
        char value[400];
        snprintf(f, sizeof(f), "%sidentifiers[%zu].value", where, i);
        if (!ocse_normalise(jstr(x, "kind"), jstr(x, "value"), value, sizeof(value)))
            return domain_fail(err, 422, "invalid_field", f, "'%s' has nothing usable in it", f);
        st = store_prepare(s, SQL_OC_IDENTIFIER_ADD);
        if (!st)
            return domain_store_fail(err, s, STORE_ERROR);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, jstr(x, "kind"));
        stmt_bind_text(st, 3, value);
        stmt_bind_text(st, 4, jstr(x, "seen_at"));
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            return domain_store_fail(err, s, rc);
    }
    char text[300];
    snprintf(text, sizeof(text), "Received from %s (%s)", jstr(body, "source"),
             jstr(body, "source_reference"));
    if ((rc = ocse_event(s, id, "received", text, u, now)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    return ocse_finish_change(s, id, now, err) < 0 ? -1 : id;
}

int64_t ocse_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                    struct domain_error *err)
{
    assert(s && body && err);
    if (json_array_size(json_object_get(body, "identifiers")) == 0)
        return domain_fail(err, 422, "missing_field", "identifiers",
                           "give at least one reported account or identifier");
    return ocse_insert(s, body, u, now, "", err);
}

/* ---- reading ----------------------------------------------------------------------------- */

static json_t *person_card(struct store *s, int64_t pid, const struct user *viewer)
{
    if (viewer && !auth_person_visible(s, pid, viewer))
        return json_pack("{s:I, s:b}", "person_id", (json_int_t)pid, "restricted", 1);
    struct stmt *st = store_prepare(s, SQL_OC_PERSON);
    if (!st)
        return json_null();
    stmt_bind_int(st, 1, pid);
    json_t *o = json_null();
    if (stmt_step(st) == STORE_ROW)
        o = json_pack("{s:I, s:s, s:s, s:o}", "person_id", (json_int_t)pid, "given_name",
                      stmt_text(st, 0), "family_name", stmt_text(st, 1), "dob",
                      stmt_json_text(st, 2));
    stmt_reset(st);
    return o;
}

json_t *ocse_get(struct store *s, int64_t id, const struct user *viewer, int64_t now)
{
    json_t *o = ocse_core_get(s, id);
    if (!o)
        return NULL;
    json_t *reasons = json_loads(jstr(o, "reasons"), 0, NULL);
    json_object_set_new(o, "reasons", reasons ? reasons : json_array());
    static const struct column_spec idc[] = {{"kind", 's'}, {"value", 's'}, {"seen_at", 's'}};
    json_object_set_new(o, "identifiers", store_rows_by_id(s, SQL_OC_IDENTIFIERS, id, idc, 3));
    /* What the identifiers match: other referrals, people already known. */
    static const struct column_spec mc[] = {{"referral_id", 'i'},
                                            {"reference", 's'},
                                            {"suspect_person_id", 'i'},
                                            {"kind", 's'},
                                            {"value", 's'}};
    json_object_set_new(o, "same_identifiers",
                        store_rows_by_id(s, SQL_OC_SAME_IDENTIFIER, id, mc, 5));
    json_t *known = json_array();
    struct stmt *st = store_prepare(s, SQL_OC_KNOWN_PEOPLE);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW) {
            json_t *p = person_card(s, stmt_int(st, 0), viewer);
            json_object_set_new(p, "matched",
                                json_pack("s++", stmt_text(st, 1), ": ", stmt_text(st, 2)));
            json_array_append_new(known, p);
        }
        stmt_reset(st);
    }
    char today[DATE_TEXT_LEN];
    struct civil_date t = date_of_ts(ts_uk_local(now));
    date_format(&t, today);
    st = store_prepare(s, SQL_OC_POSTCODE_PEOPLE);
    if (st) {
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, today);
        while (stmt_step(st) == STORE_ROW) {
            json_t *p = person_card(s, stmt_int(st, 0), viewer);
            json_object_set_new(p, "matched",
                                json_pack("s+", "lives at postcode ", stmt_text(st, 1)));
            json_array_append_new(known, p);
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "possible_people", known);
    int64_t pid = json_integer_value(json_object_get(o, "suspect_person_id"));
    if (pid) {
        json_t *suspect = person_card(s, pid, viewer);
        json_object_set_new(suspect, "children_at_home", household_children(s, pid, now));
        json_object_set_new(suspect, "registered_offender",
                            json_boolean(registered_offender(s, pid, now)));
        json_object_set_new(o, "suspect", suspect);
    }
    /* After escalation: the investigation and the safeguarding referrals. */
    int64_t inv = json_integer_value(json_object_get(o, "investigation_id"));
    json_t *made = json_array();
    json_t *investigation = json_null();
    if (inv && (st = store_prepare(s, SQL_OC_INVESTIGATION_REF))) {
        stmt_bind_int(st, 1, inv);
        if (stmt_step(st) == STORE_ROW)
            investigation =
                json_pack("{s:I, s:s}", "id", (json_int_t)inv, "reference", stmt_text(st, 0));
        stmt_reset(st);
    }
    if (inv && (st = store_prepare(s, SQL_OC_SAFEGUARDING))) {
        stmt_bind_int(st, 1, inv);
        while (stmt_step(st) == STORE_ROW) {
            json_t *r = json_pack("{s:I, s:s, s:s}", "referral_id", (json_int_t)stmt_int(st, 0),
                                  "reference", stmt_text(st, 1), "status", stmt_text(st, 3));
            json_object_set_new(r, "child", person_card(s, stmt_int(st, 2), viewer));
            json_array_append_new(made, r);
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "investigation", investigation);
    json_object_set_new(o, "safeguarding_referrals", made);
    static const struct column_spec ec[] = {{"at", 's'}, {"kind", 's'}, {"text", 's'}, {"by", 's'}};
    json_object_set_new(o, "history", store_rows_by_id(s, SQL_OC_EVENTS, id, ec, 4));
    json_object_set_new(o, "tasks", rules_record_tasks(s, "online_referral", id, now));
    json_object_set_new(o, "scoring", ocse_scoring());
    return o;
}

json_t *ocse_list(struct store *s, const struct user *viewer, int64_t now)
{
    (void)viewer;
    char now_ts[TS_TEXT_LEN];
    ts_format(now, now_ts);
    struct stmt *st = store_prepare(s, SQL_OC_LIST);
    if (!st)
        return NULL;
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        json_t *reasons = json_loads(stmt_text(st, 9), 0, NULL);
        const char *due = stmt_is_null(st, 12) ? NULL : stmt_text(st, 12);
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:I, s:o, "
                           "s:b}",
                           "id", (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1),
                           "source", stmt_text(st, 2), "source_reference", stmt_text(st, 13),
                           "received_at", stmt_text(st, 3), "platform", stmt_text(st, 4),
                           "content_category", stmt_text(st, 5), "status", stmt_text(st, 6),
                           "score", (json_int_t)stmt_int(st, 7), "band", stmt_text(st, 8),
                           "reasons", reasons ? reasons : json_array(), "suspect_person_id",
                           stmt_json_int(st, 10), "children_at_home", (json_int_t)stmt_int(st, 11),
                           "action_due", due ? json_string(due) : json_null(), "overdue",
                           due && strcmp(due, now_ts) < 0));
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return json_pack("{s:o, s:o}", "referrals", arr, "scoring", ocse_scoring());
}

/* ---- changing ------------------------------------------------------------------------------ */

static json_t *load_open(struct store *s, int64_t id, struct domain_error *err)
{
    json_t *rec = ocse_core_get(s, id);
    if (!rec) {
        domain_fail(err, 404, "not_found", NULL, "no online referral with id %lld", (long long)id);
        return NULL;
    }
    if (strcmp(jstr(rec, "status"), "closed") == 0) {
        domain_fail(err, 409, "referral_closed", NULL, "%s is closed", jstr(rec, "reference"));
        json_decref(rec);
        return NULL;
    }
    return rec;
}

int ocse_set_factors(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err)
{
    json_t *rec = load_open(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OC_FACTORS);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, jbool(body, "contact_offending", 0));
    stmt_bind_int(st, 2, jbool(body, "escalation", 0));
    stmt_bind_int(st, 3, jbool(body, "previous_convictions", 0));
    stmt_bind_int(st, 4, jbool(body, "role_with_children", 0));
    stmt_bind_text(st, 5, ts);
    stmt_bind_int(st, 6, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK)
        rc = ocse_event(s, id, "assessed", "Risk factors assessed", u, now);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return ocse_finish_change(s, id, now, err);
}

int ocse_resolve(struct store *s, int64_t id, const json_t *body, const struct user *u, int64_t now,
                 struct domain_error *err)
{
    json_t *rec = load_open(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    int64_t pid = json_integer_value(json_object_get(body, "person_id"));
    json_t *card = person_card(s, pid, u);
    bool ok = json_is_object(card) && !json_object_get(card, "restricted");
    json_decref(card);
    if (!ok)
        return domain_fail(err, 422, "invalid_field", "person_id",
                           "'person_id': there is no person with id %lld", (long long)pid);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OC_RESOLVE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, pid);
    stmt_bind_text(st, 2, ts);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    /* The accounts are now known to be this person's: the next referral
     * with one of them finds them. */
    if (rc == STORE_OK && (st = store_prepare(s, SQL_OC_LEARN))) {
        stmt_bind_int(st, 1, pid);
        stmt_bind_int(st, 2, id);
        stmt_bind_text(st, 3, ts);
        rc = store_exec_stmt(st);
    }
    char text[96];
    snprintf(text, sizeof(text), "Suspect identified: person %lld", (long long)pid);
    if (rc == STORE_OK)
        rc = ocse_event(s, id, "identified", text, u, now);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return ocse_finish_change(s, id, now, err);
}

int ocse_escalate(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err)
{
    (void)body;
    json_t *rec = load_open(s, id, err);
    if (!rec)
        return -1;
    int64_t pid = json_integer_value(json_object_get(rec, "suspect_person_id"));
    if (!pid || json_integer_value(json_object_get(rec, "investigation_id"))) {
        domain_fail(err, 409, pid ? "already_escalated" : "not_identified", NULL,
                    pid ? "%s is already an investigation"
                        : "identify the suspect of %s before it becomes an investigation",
                    jstr(rec, "reference"));
        json_decref(rec);
        return -1;
    }
    char band[16], crime[200], summary[600];
    snprintf(band, sizeof(band), "%s", jstr(rec, "band"));
    snprintf(crime, sizeof(crime), "Online child sexual exploitation (%s, %s)",
             jstr(rec, "content_category"), jstr(rec, "platform"));
    snprintf(summary, sizeof(summary), "From online referral %s (%s %s), banded %s, score %lld.",
             jstr(rec, "reference"), jstr(rec, "source"), jstr(rec, "source_reference"), band,
             (long long)json_integer_value(json_object_get(rec, "score")));
    char ref[32];
    snprintf(ref, sizeof(ref), "%s", jstr(rec, "reference"));
    json_decref(rec);
    json_t *kids = household_children(s, pid, now);
    json_t *b = json_pack("{s:s, s:s, s:i, s:s, s:[{s:I, s:s}]}", "crime_type", crime, "category",
                          "online_sexual_exploitation", "complexity",
                          strcmp(band, "very_high") == 0 ? 3 : 2, "summary", summary, "persons",
                          "person_id", (json_int_t)pid, "role", "suspect");
    int64_t inv = investigation_create(s, b, u, now, err);
    json_decref(b);
    if (inv < 0) {
        json_decref(kids);
        return -1;
    }
    /* Allocated through the engine, to its recommended officer when one has
     * what the case needs; otherwise it waits for a supervisor. */
    json_t *rank = investigation_ranking(s, inv, err);
    json_t *recd = rank ? json_object_get(rank, "recommended") : NULL;
    int rc = 0;
    if (json_is_object(recd)) {
        json_t *ab = json_pack("{s:O}", "officer_id", json_object_get(recd, "officer_id"));
        rc = investigation_allocate(s, inv, ab, u, now, err);
        json_decref(ab);
    }
    json_decref(rank);
    /* Children at home are a risk known now: sharing falls due at once. */
    if (rc == 0 && json_array_size(kids)) {
        json_t *rb = json_pack("{s:s}", "detail",
                               "The suspect lives with a child (from the online referral)");
        rc = investigation_record_risk(s, inv, rb, u, now, err);
        json_decref(rb);
    }
    if (rc < 0) {
        json_decref(kids);
        return -1;
    }
    /* A safeguarding referral for each child at home, through the referral
     * path, linked to the investigation. */
    size_t i;
    json_t *k;
    int made = 0;
    json_array_foreach(kids, i, k)
    {
        char text[700];
        snprintf(text, sizeof(text),
                 "Lives with a suspect of online child sexual exploitation (%s). %s", ref, summary);
        json_t *rb =
            json_pack("{s:O, s:[s], s:s, s:s, s:s}", "person_id", json_object_get(k, "person_id"),
                      "categories", "online_harm", "summary", text, "urgency", "immediate",
                      "risk_view", "The suspect lives with the child");
        int64_t r = referral_create(s, rb, u, now, err);
        json_decref(rb);
        if (r < 0 || investigation_link_referral(s, inv, r, err) < 0) {
            json_decref(kids);
            return -1;
        }
        made++;
    }
    json_decref(kids);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OC_ESCALATED);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, inv);
    if (made)
        stmt_bind_text(st, 2, ts);
    else
        stmt_bind_null(st, 2);
    stmt_bind_int(st, 3, id);
    rc = store_exec_stmt(st);
    char text[160];
    snprintf(text, sizeof(text), "Became investigation %lld%s%d safeguarding referral(s)",
             (long long)inv, made ? " and " : "; ", made);
    if (rc == STORE_OK)
        rc = ocse_event(s, id, "escalated", text, u, now);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return ocse_finish_change(s, id, now, err);
}

int ocse_action(struct store *s, int64_t id, const json_t *body, const struct user *u, int64_t now,
                struct domain_error *err)
{
    json_t *rec = load_open(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OC_ACTION);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, jstr(body, "action"));
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, jstr(body, "note"));
    stmt_bind_int(st, 4, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 64];
    snprintf(text, sizeof(text), "Action: %s%s%s", jstr(body, "action"),
             jstr(body, "note") ? ". " : "", jstr(body, "note") ? jstr(body, "note") : "");
    if (rc == STORE_OK)
        rc = ocse_event(s, id, "actioned", text, u, now);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return ocse_finish_change(s, id, now, err);
}

int ocse_close(struct store *s, int64_t id, const json_t *body, const struct user *u, int64_t now,
               struct domain_error *err)
{
    json_t *rec = load_open(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OC_CLOSE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, jstr(body, "outcome"));
    stmt_bind_text(st, 2, ts);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 32];
    snprintf(text, sizeof(text), "Closed: %s", jstr(body, "outcome"));
    if (rc == STORE_OK)
        rc = ocse_event(s, id, "closed", text, u, now);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return ocse_finish_change(s, id, now, err);
}
