/*
 * referrals_export.h — a sent referral for an agency that is not on the
 * portal (DOMAIN.md R4): a signed JSON export and a printable A4 PDF.
 *
 * The export is {"referral": {...}, "signature", "public_key", "algorithm"}:
 * "signature" is the base64 Ed25519 detached signature (libsodium's
 * crypto_sign_detached) over the exact bytes of the canonical JSON of
 * "referral" — json_dumps(referral, JSON_COMPACT | JSON_SORT_KEYS): no
 * whitespace, object keys sorted by byte, UTF-8 written as it is. An agency
 * verifies with the public key from GET /api/referrals/signing-key
 * (docs/referrals-pages.md shows how, with openssl or node).
 *
 * Invariants:
 *  - Only a sent referral is exported or printed (409 otherwise), only for
 *    an agency it was sent to, and only by a viewer who may see its child
 *    (404 otherwise, as for an id that does not exist).
 *  - The key pair is the one row of signing_key (id 1), made on first use
 *    inside the caller's transaction; the secret never leaves this file.
 *  - Each export and each print is appended to the referral's history
 *    ("exported", "printed") in the caller's transaction.
 */
#ifndef SG_REFERRALS_EXPORT_H
#define SG_REFERRALS_EXPORT_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"

struct store;
struct user;
struct buf;

#define REFERRAL_SIGNATURE_ALGORITHM "Ed25519"

/* {algorithm, public_key (base64 of the 32 raw bytes), public_key_pem (the
 * same key as an SPKI PEM, for openssl), created_at}; the key pair is made
 * when there is none yet. New reference, or NULL with err. */
json_t *referral_signing_key(struct store *s, int64_t now, struct domain_error *err);

/* The canonical bytes that are signed: json_dumps(referral, JSON_COMPACT |
 * JSON_SORT_KEYS). malloc'd (the caller frees), or NULL. */
char *referral_canonical(const json_t *referral);

/* The signed export of referral id for agency_id (0: the referral's only
 * recipient; 422 when it went to several), as seen by u (NULL: anyone).
 * Records "exported". New reference, or NULL with err. */
json_t *referral_export(struct store *s, int64_t id, int64_t agency_id, const struct user *u,
                        int64_t now, struct domain_error *err);

/* Appends the referral for agency_id as an A4 PDF to out: headed
 * OFFICIAL-SENSITIVE on every page, everything the export holds, then the
 * history (which starts on a page of its own). Same refusals as
 * referral_export(); records "printed" first, so the copy lists its own
 * printing. Returns the page count, or -1 with err (out left as it was). */
int referral_print(struct store *s, int64_t id, int64_t agency_id, const struct user *u,
                   int64_t now, struct buf *out, struct domain_error *err);

#endif
