/*
 * chronology_sources.c — the three source tables of the chronology, built
 * from the *.def files beside this one. An area merged later includes its
 * *_sql.h here and adds its rows to the .def files; nothing else changes.
 */
#include "modules/chronology/chronology.h"
#include "modules/chronology/chronology_sql.h"

/* clang-format off */
#define SOURCE(area, label, perm, sql, link) {area, label, perm, sql, link},
const struct chron_source chron_sources[] = {
#include "modules/chronology/chronology_sources.def"
};
#undef SOURCE

#define CONNECTION(perm, sql, link) {perm, sql, link},
const struct chron_connection chron_connections[] = {
#include "modules/chronology/chronology_connections.def"
};
#undef CONNECTION

#define BOARD(state, label, perm, sql, version, link) {state, label, perm, sql, version, link},
const struct chron_board_source chron_board[] = {
#include "modules/chronology/chronology_board.def"
};
#undef BOARD
/* clang-format on */

const size_t chron_source_count = sizeof(chron_sources) / sizeof(chron_sources[0]);
const size_t chron_connection_count = sizeof(chron_connections) / sizeof(chron_connections[0]);
const size_t chron_board_count = sizeof(chron_board) / sizeof(chron_board[0]);
