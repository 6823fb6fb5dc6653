/*
 * disclosure_internal.h — what the disclosure area's files share and no
 * other area needs: the application row as the rules read it, its children,
 * the stage it has reached, and the store failure helper.
 */
#ifndef SG_DISCLOSURE_INTERNAL_H
#define SG_DISCLOSURE_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"

struct store;

/* The application row (new reference), or NULL: SQL_DS_GET's columns,
 * with immediate_risk_open_from (the earliest risk still without its
 * action) for the rules. */
json_t *ds_core_get(struct store *s, int64_t id);
/* The children's person ids, in the order given (new reference). */
json_t *ds_children(struct store *s, int64_t id);
/* The next stage to record ("initial_contact" ... "disclosure"), "outcome"
 * when every stage is recorded or a decision not to disclose or a refused
 * undertaking leaves nothing else, or "closed". */
const char *ds_current_stage(const json_t *rec);
/* 503 or 500 for a failed store call; returns -1. */
int ds_fail_store(struct store *s, int rc, struct domain_error *err);

#endif
