/*
 * referrals_export.c — the signed JSON export and the printable PDF of a
 * sent referral (see referrals_export.h). The referral comes from
 * referral_get(), so the export holds what the referral page shows, cut to
 * what the agency needs; the PDF is drawn with cairo as the board pack is
 * (assurance_pack.c), but flows its text over as many pages as it takes.
 */
#include "modules/referrals/referrals_export.h"
#include "auth/auth.h"
#include "charts/pdf_doc.h"
#include "charts/pdf_page.h"
#include "core/buf.h"
#include "core/date.h"
#include "http/validate.h"
#include "modules/referrals/referrals.h"
#include "modules/referrals/referrals_internal.h"
#include "modules/referrals/referrals_sql.h"
#include "store/store.h"

#include <assert.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA "safeguard.referral-export/1"

/* ---- the key pair ------------------------------------------------------------------- */

#define B64_LEN(n) sodium_base64_ENCODED_LEN((n), sodium_base64_VARIANT_ORIGINAL)

static int b64_decode(const char *in, unsigned char *out, size_t want)
{
    size_t got = 0;
    if (!in || sodium_base642bin(out, want, in, strlen(in), NULL, &got, NULL,
                                 sodium_base64_VARIANT_ORIGINAL) != 0)
        return -1;
    return got == want ? 0 : -1;
}

/* Reads the key pair, making it first when there is none. pk and sk are
 * filled (the caller wipes sk); created_at gets the row's time. A store code,
 * or STORE_ERROR with a message in err for a damaged row. */
static int load_keys(struct store *s, int64_t now, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                     unsigned char sk[crypto_sign_SECRETKEYBYTES], char created[TS_TEXT_LEN],
                     struct domain_error *err)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        struct stmt *st = store_prepare(s, SQL_SIGNING_KEY_GET);
        if (!st)
            return domain_store_fail(err, s, STORE_ERROR);
        int rc = stmt_step(st);
        if (rc == STORE_ROW) {
            int bad = b64_decode(stmt_text(st, 0), pk, crypto_sign_PUBLICKEYBYTES) < 0 ||
                      b64_decode(stmt_text(st, 1), sk, crypto_sign_SECRETKEYBYTES) < 0;
            snprintf(created, TS_TEXT_LEN, "%s", stmt_text(st, 2));
            stmt_reset(st);
            /* The public half must be the secret's own: a row edited by hand
             * would otherwise sign with one key and publish another. */
            unsigned char derived[crypto_sign_PUBLICKEYBYTES];
            if (bad || crypto_sign_ed25519_sk_to_pk(derived, sk) != 0 ||
                sodium_memcmp(derived, pk, sizeof(derived)) != 0) {
                sodium_memzero(sk, crypto_sign_SECRETKEYBYTES);
                return domain_fail(err, 500, "signing_key_damaged", NULL,
                                   "the signing key in table signing_key is damaged: its halves "
                                   "do not match");
            }
            return 0;
        }
        stmt_reset(st);
        if (rc != STORE_DONE || attempt)
            return domain_store_fail(err, s, rc == STORE_DONE ? STORE_ERROR : rc);
        /* First use: make the pair, store it, and read back whatever row won. */
        unsigned char npk[crypto_sign_PUBLICKEYBYTES], nsk[crypto_sign_SECRETKEYBYTES];
        char bpk[B64_LEN(crypto_sign_PUBLICKEYBYTES)], bsk[B64_LEN(crypto_sign_SECRETKEYBYTES)];
        char ts[TS_TEXT_LEN];
        crypto_sign_keypair(npk, nsk);
        sodium_bin2base64(bpk, sizeof(bpk), npk, sizeof(npk), sodium_base64_VARIANT_ORIGINAL);
        sodium_bin2base64(bsk, sizeof(bsk), nsk, sizeof(nsk), sodium_base64_VARIANT_ORIGINAL);
        sodium_memzero(nsk, sizeof(nsk));
        ts_format(now, ts);
        st = store_prepare(s, SQL_SIGNING_KEY_ADD);
        if (!st) {
            sodium_memzero(bsk, sizeof(bsk));
            return domain_store_fail(err, s, STORE_ERROR);
        }
        stmt_bind_text(st, 1, bpk);
        stmt_bind_text(st, 2, bsk);
        stmt_bind_text(st, 3, ts);
        rc = store_exec_stmt(st);
        sodium_memzero(bsk, sizeof(bsk));
        if (rc != STORE_OK)
            return domain_store_fail(err, s, rc);
    }
    return domain_store_fail(err, s, STORE_ERROR);
}

/* The SPKI DER of an Ed25519 public key is this prefix and the 32 bytes
 * (RFC 8410), so openssl reads it as a PEM "PUBLIC KEY". */
static void public_key_pem(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], char *out,
                           size_t cap)
{
    static const unsigned char prefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                           0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    unsigned char der[sizeof(prefix) + crypto_sign_PUBLICKEYBYTES];
    memcpy(der, prefix, sizeof(prefix));
    memcpy(der + sizeof(prefix), pk, crypto_sign_PUBLICKEYBYTES);
    char b64[B64_LEN(sizeof(der))];
    sodium_bin2base64(b64, sizeof(b64), der, sizeof(der), sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, cap, "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n", b64);
}

json_t *referral_signing_key(struct store *s, int64_t now, struct domain_error *err)
{
    assert(s && err);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char created[TS_TEXT_LEN];
    if (load_keys(s, now, pk, sk, created, err) < 0)
        return NULL;
    sodium_memzero(sk, sizeof(sk));
    char b64[B64_LEN(sizeof(pk))], pem[160];
    sodium_bin2base64(b64, sizeof(b64), pk, sizeof(pk), sodium_base64_VARIANT_ORIGINAL);
    public_key_pem(pk, pem, sizeof(pem));
    return json_pack("{s:s, s:s, s:s, s:s}", "algorithm", REFERRAL_SIGNATURE_ALGORITHM,
                     "public_key", b64, "public_key_pem", pem, "created_at", created);
}

char *referral_canonical(const json_t *referral)
{
    return json_dumps(referral, JSON_COMPACT | JSON_SORT_KEYS);
}

/* ---- what the agency gets ----------------------------------------------------------- */

/* The recipient row for agency_id (0: the only one), or NULL with err. */
static const json_t *recipient_for(const json_t *rec, int64_t agency_id, struct domain_error *err)
{
    const json_t *list = json_object_get(rec, "recipients"), *r;
    size_t i;
    if (!agency_id) {
        if (json_array_size(list) == 1)
            return json_array_get(list, 0);
        domain_fail(err, 422, "missing_field", "agency",
                    "referral %s went to %zu agencies: say which one this copy is for ('agency')",
                    jstr(rec, "reference"), json_array_size(list));
        return NULL;
    }
    json_array_foreach(list, i, r)
    {
        if (json_integer_value(json_object_get(r, "agency_id")) == agency_id)
            return r;
    }
    domain_fail(err, 422, "invalid_field", "agency",
                "'agency': referral %s was not sent to agency %lld", jstr(rec, "reference"),
                (long long)agency_id);
    return NULL;
}

/* The referral whole (referral_get) when it may go out: 404, 409 unless sent. */
static json_t *sent_referral(struct store *s, int64_t id, const struct user *u, int64_t now,
                             struct domain_error *err)
{
    json_t *rec = referral_get(s, id, u, now);
    if (!rec) {
        domain_fail(err, 404, "not_found", NULL, "no referral with id %lld", (long long)id);
        return NULL;
    }
    const char *status = jstr(rec, "status");
    if (!status || strcmp(status, "sent") != 0) {
        domain_fail(err, 409, "not_sent", NULL,
                    "referral %s is %s: only a sent referral is exported or printed",
                    jstr(rec, "reference"), status ? status : "not sent");
        json_decref(rec);
        return NULL;
    }
    return rec;
}

static json_t *str_or_null(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string(json_string_value(v)) : json_null();
}

/* The "referral" object of the export: what the agency needs and nothing of
 * the police's internal workflow (reviewers, returns, other agencies). */
static json_t *export_body(const json_t *rec, const json_t *to, const struct user *u, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    const json_t *person = json_object_get(rec, "person");
    json_t *household = json_array();
    const json_t *m;
    size_t i;
    json_array_foreach(json_object_get(rec, "members"), i, m)
    {
        /* A member restricted from the exporting officer is not named. */
        json_array_append_new(household,
                              json_pack("{s:o, s:o, s:o}", "name", str_or_null(m, "name"), "dob",
                                        str_or_null(m, "dob"), "relationship",
                                        str_or_null(m, "relationship")));
    }
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_string(SCHEMA));
    json_object_set_new(o, "reference", str_or_null(rec, "reference"));
    json_object_set_new(
        o, "child",
        json_pack("{s:o, s:o, s:o}", "given_name", str_or_null(person, "given_name"), "family_name",
                  str_or_null(person, "family_name"), "dob", str_or_null(person, "dob")));
    json_object_set_new(o, "household", household);
    json_object_set(o, "categories", json_object_get(rec, "categories"));
    static const char *const text[] = {
        "summary", "child_voice", "risk_view", "consent",          "consent_reason",
        "urgency", "concern_at",  "sent_at",   "source_reference", "mandatory_reason"};
    for (size_t k = 0; k < sizeof(text) / sizeof(text[0]); k++)
        json_object_set_new(o, text[k], str_or_null(rec, text[k]));
    json_object_set_new(o, "recipient",
                        json_pack("{s:I, s:o, s:o, s:o}", "agency_id",
                                  (json_int_t)json_integer_value(json_object_get(to, "agency_id")),
                                  "name", str_or_null(to, "agency"), "kind",
                                  str_or_null(to, "kind"), "local_authority",
                                  str_or_null(to, "local_authority")));
    json_object_set_new(o, "exported_at", json_string(ts));
    json_object_set_new(o, "exported_by", u ? json_string(u->display_name) : json_null());
    return o;
}

json_t *referral_export(struct store *s, int64_t id, int64_t agency_id, const struct user *u,
                        int64_t now, struct domain_error *err)
{
    assert(s && err);
    json_t *rec = sent_referral(s, id, u, now, err);
    if (!rec)
        return NULL;
    const json_t *to = recipient_for(rec, agency_id, err);
    if (!to) {
        json_decref(rec);
        return NULL;
    }
    json_t *body = export_body(rec, to, u, now);
    char text[300];
    snprintf(text, sizeof(text), "Exported as signed JSON for %s", jstr(to, "agency"));
    int rc = referral_event(s, id, "exported", text, u,
                            json_integer_value(json_object_get(to, "agency_id")), now);
    json_decref(rec);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char created[TS_TEXT_LEN];
    if (rc != STORE_OK) {
        domain_store_fail(err, s, rc);
        json_decref(body);
        return NULL;
    }
    if (load_keys(s, now, pk, sk, created, err) < 0) {
        json_decref(body);
        return NULL;
    }
    char *canon = referral_canonical(body);
    json_decref(body);
    unsigned char sig[crypto_sign_BYTES];
    if (!canon ||
        crypto_sign_detached(sig, NULL, (const unsigned char *)canon, strlen(canon), sk) != 0) {
        sodium_memzero(sk, sizeof(sk));
        free(canon);
        domain_fail(err, 500, "signing_failed", NULL, "the export could not be signed");
        return NULL;
    }
    sodium_memzero(sk, sizeof(sk));
    /* Parsed back from the canonical text, the object keeps its keys in that
     * order, so the response carries "referral" byte for byte as signed. */
    json_t *signed_body = json_loads(canon, 0, NULL);
    free(canon);
    char bsig[B64_LEN(sizeof(sig))], bpk[B64_LEN(sizeof(pk))];
    sodium_bin2base64(bsig, sizeof(bsig), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(bpk, sizeof(bpk), pk, sizeof(pk), sodium_base64_VARIANT_ORIGINAL);
    if (!signed_body) {
        domain_fail(err, 500, "signing_failed", NULL, "the export could not be signed");
        return NULL;
    }
    return json_pack("{s:o, s:s, s:s, s:s}", "referral", signed_body, "signature", bsig,
                     "public_key", bpk, "algorithm", REFERRAL_SIGNATURE_ALGORITHM);
}

/* ---- the PDF ------------------------------------------------------------------------- */

/* This document's layout on pdf_doc.h's A4 pages. */
#define LABEL_W 150.0
#define BODY_PT 10.5
#define LINE_PT 14.5

/* The words a page uses for a few stored codes; pdf_humanise() for the rest. */
static const char *label(const char *code, char *out, size_t cap)
{
    static const char *const words[][2] = {
        {"childrens_social_care", "Children's social care"},
        {"within_24h", "Within 24 hours"},
        {"not_sought", "Not sought"},
        {"s47_enquiry", "Section 47 enquiry"},
    };
    for (size_t i = 0; code && i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(code, words[i][0]) == 0)
            return words[i][1];
    return pdf_humanise(code, out, cap);
}

static void heading(struct pdf_doc *d, double size, const char *s)
{
    pdf_doc_need(d, size * 3);
    d->y += size * 0.9;
    pdf_doc_font(d, size, true);
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, size * 1.3, s);
    d->y += size * 0.2;
}

/* A label and its value, the value wrapped beside the label. */
static void row(struct pdf_doc *d, const char *label, const char *value)
{
    pdf_doc_need(d, LINE_PT);
    double y0 = d->y;
    pdf_doc_font(d, BODY_PT, true);
    pdf_doc_show(d, PDF_DOC_MARGIN, d->y, label, strlen(label));
    pdf_doc_font(d, BODY_PT, false);
    pdf_doc_wrap(d, PDF_DOC_MARGIN + LABEL_W, PDF_DOC_TEXT_W - LABEL_W, LINE_PT, value);
    if (d->y < y0 + LINE_PT)
        d->y = y0 + LINE_PT;
    d->y += 3;
}

static void section(struct pdf_doc *d, const char *title, const char *text)
{
    heading(d, 12.5, title);
    pdf_doc_font(d, BODY_PT, false);
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, LINE_PT, text);
}

/* Draws every page; returns the page count. */
static int draw(struct pdf_doc *d, const json_t *b, const json_t *history, const struct user *u,
                int64_t now)
{
    char t[600], w1[64], w2[64], h[120];
    const json_t *child = json_object_get(b, "child"), *to = json_object_get(b, "recipient");
    d->page = 1;
    pdf_doc_furniture(d);
    d->y = PDF_DOC_TOP;
    pdf_doc_font(d, 20, true);
    snprintf(t, sizeof(t), "Child concern referral %s", jstr(b, "reference"));
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, 26, t);
    pdf_doc_font(d, 12, false);
    snprintf(t, sizeof(t), "To %s (%s)%s%s", jstr(to, "name"),
             label(jstr(to, "kind"), h, sizeof(h)), jstr(to, "local_authority") ? ", " : "",
             jstr(to, "local_authority") ? jstr(to, "local_authority") : "");
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, 17, t);
    pdf_doc_font(d, 9, false);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    snprintf(t, sizeof(t), "Printed %s%s%s. Handle as OFFICIAL-SENSITIVE: it is about a child.",
             pdf_when(ts, w1, sizeof(w1)), u ? " by " : "", u ? u->display_name : "");
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, 13, t);
    d->y += 8;

    heading(d, 12.5, "The child");
    snprintf(t, sizeof(t), "%s %s", jstr(child, "given_name") ? jstr(child, "given_name") : "",
             jstr(child, "family_name") ? jstr(child, "family_name") : "");
    row(d, "Name", t);
    row(d, "Date of birth",
        jstr(child, "dob") ? pdf_when(jstr(child, "dob"), w1, sizeof(w1)) : "Not known");

    heading(d, 12.5, "The referral");
    row(d, "Reference", jstr(b, "reference"));
    row(d, "Urgency", label(jstr(b, "urgency"), h, sizeof(h)));
    row(d, "Concern known", pdf_when(jstr(b, "concern_at"), w1, sizeof(w1)));
    row(d, "Sent", pdf_when(jstr(b, "sent_at"), w2, sizeof(w2)));
    row(d, "Police reference",
        jstr(b, "source_reference") ? jstr(b, "source_reference") : "None (raised by hand)");
    if (jstr(b, "mandatory_reason"))
        row(d, "Mandatory because", jstr(b, "mandatory_reason"));
    t[0] = '\0';
    const json_t *v;
    size_t i;
    json_array_foreach(json_object_get(b, "categories"), i, v)
    {
        size_t n = strlen(t);
        snprintf(t + n, sizeof(t) - n, "%s%s", n ? "; " : "",
                 pdf_humanise(json_string_value(v), h, sizeof(h)));
    }
    row(d, "Concern", t[0] ? t : "-");
    snprintf(t, sizeof(t), "%s%s%s", label(jstr(b, "consent"), h, sizeof(h)),
             jstr(b, "consent_reason") ? ": " : "",
             jstr(b, "consent_reason") ? jstr(b, "consent_reason") : "");
    row(d, "Consent", t);

    heading(d, 12.5, "Household");
    if (json_array_size(json_object_get(b, "household")) == 0) {
        pdf_doc_font(d, BODY_PT, false);
        pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, LINE_PT, "No one else is named.");
    }
    json_array_foreach(json_object_get(b, "household"), i, v)
    {
        snprintf(t, sizeof(t), "%s%s%s", jstr(v, "name") ? jstr(v, "name") : "Not named here",
                 jstr(v, "dob") ? ", born " : "",
                 jstr(v, "dob") ? pdf_when(jstr(v, "dob"), w1, sizeof(w1)) : "");
        row(d, pdf_humanise(jstr(v, "relationship"), h, sizeof(h)), t);
    }
    section(d, "What happened", jstr(b, "summary"));
    section(d, "The child's voice", jstr(b, "child_voice"));
    section(d, "The officer's view of the risk", jstr(b, "risk_view"));

    /* The history starts a page of its own. */
    pdf_doc_new_page(d);
    heading(d, 14, "History");
    json_array_foreach(history, i, v)
    {
        /* What ("Approved: ...", but not "Sent: Sent to ..."), then who: the
         * officer, else the agency. */
        const char *kind = pdf_humanise(jstr(v, "kind"), h, sizeof(h)), *text = jstr(v, "text");
        const char *who = jstr(v, "by") ? jstr(v, "by") : jstr(v, "agency");
        bool says = text && strncmp(text, kind, strlen(kind)) == 0;
        snprintf(t, sizeof(t), "%s%s%s%s%s%s", says ? "" : kind, says ? "" : ": ", text ? text : "",
                 who ? " (" : "", who ? who : "", who ? ")" : "");
        row(d, pdf_when(jstr(v, "at"), w1, sizeof(w1)), t);
    }
    cairo_show_page(d->cr);
    return d->page;
}

/* Draws the document on a PDF surface writing to fn; the page count or -1. */
static int render(cairo_write_func_t fn, void *closure, const json_t *b, const json_t *history,
                  const struct user *u, int64_t now, int pages, char *why, size_t whylen)
{
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(fn, closure, PDF_DOC_W, PDF_DOC_H);
    char title[120];
    snprintf(title, sizeof(title), "Referral %s", jstr(b, "reference"));
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(surf);
    struct pdf_doc d = {.cr = cr, .pages = pages};
    snprintf(d.foot, sizeof(d.foot), "%s for %s", jstr(b, "reference"),
             jstr(json_object_get(b, "recipient"), "name"));
    int n = draw(&d, b, history, u, now);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(why, whylen, "%s", cairo_status_to_string(st));
        return -1;
    }
    return n;
}

int referral_print(struct store *s, int64_t id, int64_t agency_id, const struct user *u,
                   int64_t now, struct buf *out, struct domain_error *err)
{
    assert(s && out && err);
    json_t *rec = sent_referral(s, id, u, now, err);
    if (!rec)
        return -1;
    const json_t *to = recipient_for(rec, agency_id, err);
    if (!to) {
        json_decref(rec);
        return -1;
    }
    char text[300];
    snprintf(text, sizeof(text), "Printed for %s", jstr(to, "agency"));
    int rc = referral_event(s, id, "printed", text, u,
                            json_integer_value(json_object_get(to, "agency_id")), now);
    json_t *body = export_body(rec, to, u, now);
    json_decref(rec);
    if (rc != STORE_OK) {
        json_decref(body);
        return domain_store_fail(err, s, rc);
    }
    /* The history as it stands now, with this printing in it. */
    json_t *again = referral_get(s, id, u, now);
    json_t *history = again ? json_incref(json_object_get(again, "history")) : json_array();
    json_decref(again);
    char why[120] = "";
    size_t len0 = out->len;
    /* Once to count the pages ("Page 1 of N"), once to write them. */
    int pages = render(pdf_write_nothing, NULL, body, history, u, now, 0, why, sizeof(why));
    if (pages > 0)
        pages = render(pdf_write_buf, out, body, history, u, now, pages, why, sizeof(why));
    json_decref(history);
    json_decref(body);
    if (pages < 0 || out->overflowed) {
        out->len = len0;
        return domain_fail(err, 500, "print_failed", NULL, "the referral could not be drawn: %s",
                           why[0] ? why : "too large");
    }
    return pages;
}
