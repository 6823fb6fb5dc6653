/*
 * assurance_pack.h — the Force Assurance Board pack: one PDF (A4 portrait,
 * drawn with cairo) with a cover, a contents page and one page per
 * recommendation showing its text, due date and overdue flag, its actions by
 * status and each measure's value, RAG and six-month trend.
 *
 * The content comes from the same domain functions as the assurance pages
 * (assurance_overview, assurance_recommendation), so the pack shows exactly
 * what the pages show for the same viewer: aggregates only for the board,
 * small numbers suppressed, never a person's name.
 */
#ifndef SG_ASSURANCE_PACK_H
#define SG_ASSURANCE_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "modules/assurance/assurance.h"

struct buf;

/* Appends the pack for period p as PDF to out. u is the viewer (NULL: an
 * aggregate-only viewer, as for the command line); now the clock. Every
 * recommendation takes exactly one page, so the page count is
 * 2 + recommendations. Returns the page count, or -1 with a message in err
 * (out left as it was). */
int assurance_board_pack(struct store *s, const struct assurance_period *p, const struct user *u,
                         int64_t now, struct buf *out, char *err, size_t errlen);

#endif
