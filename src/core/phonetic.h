/* phonetic.h — Double Metaphone phonetic keys for person names.
 *
 * Used by person matching so that spellings which sound alike (Smith/Smyth,
 * Catherine/Kathryn, Mohammed/Muhammad) are recognised as the same name. */
#ifndef SG_PHONETIC_H
#define SG_PHONETIC_H

#define PHONETIC_KEY_MAX 8 /* keys are at most 6 chars + NUL; buffer size */

/* Computes the Double Metaphone primary and alternate keys of one word
 * (ASCII letters; other bytes are ignored; case-insensitive).
 *
 * Writes NUL-terminated keys of at most 6 characters into primary and
 * alternate (alternate equals primary when there is no alternate). Empty or
 * letterless input gives empty keys. Never reads past the NUL of word; any
 * input length is safe (only the first 64 letters are considered).
 *
 * Keys use the letters of Philips' algorithm: '0' (zero) stands for "th" and
 * 'X' for "sh"/"ch"; vowels appear only as a leading 'A'.
 *
 * word, primary and alternate must not be NULL (a NULL word is treated as
 * empty). */
void phonetic_double_metaphone(const char *word, char primary[PHONETIC_KEY_MAX],
                               char alternate[PHONETIC_KEY_MAX]);

#endif
