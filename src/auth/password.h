/*
 * password.h — password hashing (Argon2id via libsodium) and the strength rule.
 *
 * Strength follows NCSC guidance (length over composition): at least 12
 * characters, not the username, not one repeated character, and not one of
 * the commonest passwords. Hashes are libsodium's self-describing
 * "$argon2id$..." strings at the INTERACTIVE limits (~110 ms here).
 */
#ifndef SG_PASSWORD_H
#define SG_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MIN_LEN  12
#define PASSWORD_MAX_LEN  256

/* Returns 0 when acceptable, else -1 with the reason in why. */
int password_check_strength(const char *password, const char *username, char *why, size_t whylen);
/* Hashes into out; returns 0 or -1 (out of memory). */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* Returns 1 when password matches hash, 0 otherwise. */
int password_verify(const char *hash, const char *password);
/* Spends the same time as a verification, for unknown usernames, so timing
 * does not reveal whether a user exists. */
void password_verify_dummy(const char *password);

#endif
