/* names.h — personal-name normalisation and similarity scoring.
 *
 * Person search must find a child or adult whose name was typed differently
 * by different agencies: accents dropped, hyphens added, letters swapped or
 * spelled phonetically. These functions turn names into comparable tokens and
 * score token pairs; they do no I/O and keep no state. */
#ifndef SG_NAMES_H
#define SG_NAMES_H

#include <stddef.h>

#define NAME_TOKEN_MAX  32 /* bytes per token incl NUL; longer tokens are truncated */
#define NAME_TOKENS_MAX 8

/* Splits a personal name into normalised tokens.
 *
 * - ASCII letters are folded to lower case.
 * - Accented Latin letters become their base ASCII letter: UTF-8 two-byte
 *   sequences for U+00C0..U+017F (é è ë ö ü ñ ç ł š ž ...) and the same
 *   letters as single Latin-1 bytes when not followed by a UTF-8
 *   continuation byte. A malformed UTF-8 sequence (lead byte plus
 *   continuation bytes that don't form a valid character) is a separator.
 *   Ligatures expand: æ -> ae, œ -> oe, ß -> ss, þ -> th, ĳ -> ij.
 * - Apostrophes are dropped without splitting (O'Brien -> obrien): ASCII '
 *   and `, and UTF-8 U+2018, U+2019 and U+02BC.
 * - Every other byte or UTF-8 sequence (spaces, hyphens, commas, dots,
 *   digits, punctuation, other scripts) separates tokens, so hyphenated and
 *   double-barrelled surnames become separate tokens. Empty tokens are
 *   skipped.
 * - A token longer than NAME_TOKEN_MAX - 1 bytes is truncated; the rest of
 *   that word is discarded rather than starting a new token.
 *
 * Writes at most max tokens and returns the number written (<= max). A NULL
 * name gives 0. tokens may be NULL only when max is 0. */
size_t name_tokenise(const char *name, char tokens[][NAME_TOKEN_MAX], size_t max);

/* Optimal-string-alignment Damerau-Levenshtein distance between two
 * NUL-terminated byte strings (insert, delete, substitute, and transpose of
 * adjacent bytes each cost 1). Strings longer than 64 bytes are compared on
 * their first 64 bytes, so the result is at most 64. NULL counts as "". */
int name_edit_distance(const char *a, const char *b);

/* Jaro-Winkler similarity in [0,1] of two normalised tokens (byte-wise,
 * first 64 bytes). Uses the usual match window max(len)/2 - 1, a common
 * prefix of up to 4 bytes and scaling factor 0.1, applied at every Jaro
 * score (no boost threshold). Two equal strings score 1.0 (including two
 * empty strings); an empty against a non-empty string scores 0.0. NULL
 * counts as "". */
double name_jaro_winkler(const char *a, const char *b);

/* Similarity in [0,1] of a query token to a candidate token (both normalised
 * by name_tokenise). The score is the largest of the applicable terms:
 *
 *   exact     = 1.0                          if query equals candidate
 *   phonetic  = 0.85 + 0.1 * jw              if both are at least 2 bytes
 *                                            long and any Double Metaphone
 *                                            key of query (primary or
 *                                            alternate) equals any non-empty
 *                                            key of candidate
 *   prefix    = 0.8                          if strlen(query) >= 3 and query
 *                                            is a proper prefix of candidate
 *   spelling  = jw / (1 + 0.1 * (d - 1))     if d >= 2, else jw
 *
 * where jw = name_jaro_winkler(query, candidate) and
 * d = name_edit_distance(query, candidate). For tokens from name_tokenise
 * (shorter than 64 bytes) an exact match is the unique top score, a
 * sound-alike scores in [0.85, 0.95], and a typo with a single edit keeps its
 * full Jaro-Winkler score. Empty or NULL tokens score 0.0. Not symmetric: the
 * prefix rule applies to the query only. */
double name_token_similarity(const char *query, const char *candidate);

#endif
