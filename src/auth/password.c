/* password.c — Argon2id hashing and the strength rule (see password.h). */
#include "auth/password.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int password_check_strength(const char *pw, const char *username, char *why, size_t whylen)
{
    static const char *const common[] = {"password1234", "123456789012", "qwertyuiopas",
                                         "letmein12345", "passw0rd1234", "iloveyou1234",
                                         "password123!", "welcome12345", NULL};
    size_t len = strlen(pw);
    if (len < PASSWORD_MIN_LEN) {
        snprintf(why, whylen,
                 "the password must be at least %d characters (three random words work well)",
                 PASSWORD_MIN_LEN);
        return -1;
    }
    if (len > PASSWORD_MAX_LEN) {
        snprintf(why, whylen, "the password must be at most %d characters", PASSWORD_MAX_LEN);
        return -1;
    }
    if (username && strcasecmp(pw, username) == 0) {
        snprintf(why, whylen, "the password must not be the username");
        return -1;
    }
    size_t same = 1;
    while (same < len && pw[same] == pw[0])
        same++;
    if (same == len) {
        snprintf(why, whylen, "the password must not be one repeated character");
        return -1;
    }
    for (const char *const *c = common; *c; c++) {
        if (strcasecmp(pw, *c) == 0) {
            snprintf(why, whylen, "the password is too common");
            return -1;
        }
    }
    return 0;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
    _Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
    return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : -1;
}

int password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    unsigned char rnd[16];
    char pw[33];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(pw, sizeof(pw), rnd, sizeof(rnd));
    if (password_hash(pw, dummy_hash) < 0)
        dummy_hash[0] = '\0';
}

void password_verify_dummy(const char *pw)
{
    pthread_once(&dummy_once, make_dummy_hash);
    if (dummy_hash[0])
        (void)password_verify(dummy_hash, pw);
}
