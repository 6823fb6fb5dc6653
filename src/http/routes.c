/*
 * routes.c — the application's route table: every endpoint, in one place.
 *
 * Each area keeps its rows in <area>_routes.def beside its code; this file
 * only gathers them. Adding an area's routes is one #include line here plus
 * its handler header.
 */
#include "http/router.h"
#include "auth/auth_handlers.h"
#include "http/core_handlers.h"
#include "modules/assurance/assurance_handlers.h"
#include "modules/case_audits/case_audits_handlers.h"
#include "modules/disclosure/disclosure_handlers.h"
#include "modules/custody/custody_handlers.h"
#include "modules/chronology/chronology_handlers.h"
#include "modules/incidents/incidents_handlers.h"
#include "modules/investigations/investigations_handlers.h"
#include "modules/missing/missing_handlers.h"
#include "modules/ocse/ocse_handlers.h"
#include "modules/offenders/offenders_handlers.h"
#include "modules/people/people_handlers.h"
#include "modules/protection/protection_handlers.h"
#include "modules/referrals/referrals_handlers.h"

#define ROUTE(m, p, h, perm, flags, body, summary, page)                                           \
    {HTTP_##m, p, h, perm, flags, body, summary, #h, page},

const struct route app_routes[] = {
#include "http/core_routes.def"
#include "auth/auth_routes.def"
#include "modules/people/people_routes.def"
#include "modules/incidents/incidents_routes.def"
#include "modules/assurance/assurance_routes.def"
#include "modules/missing/missing_routes.def"
#include "modules/referrals/referrals_routes.def"
#include "modules/investigations/investigations_routes.def"
#include "modules/ocse/ocse_routes.def"
#include "modules/protection/protection_routes.def"
#include "modules/offenders/offenders_routes.def"
#include "modules/disclosure/disclosure_routes.def"
#include "modules/case_audits/case_audits_routes.def"
#include "modules/custody/custody_routes.def"
#include "modules/chronology/chronology_routes.def"
};

const size_t app_routes_count = sizeof(app_routes) / sizeof(app_routes[0]);
