/*
 * roles.c — the role → permission table. The only place access is granted.
 *
 * Least privilege: an admin manages users and configuration but reads no case
 * data; the board sees aggregates only; a partner agency sees only what was
 * sent to it (its record rules live with referrals), so it holds no general
 * read permission on people.
 */
#include "auth/roles.h"

#include <string.h>

#define PERMS(...)                                                                                 \
    (const enum permission[])                                                                      \
    {                                                                                              \
        __VA_ARGS__, PERM_NONE                                                                     \
    }

/* Operational staff who find, record and update people in the course of
 * their duties. */
#define CASEWORK PERM_PEOPLE_READ, PERM_PEOPLE_WRITE

/* Officers who raise referrals to partners and follow them up. */
#define REFERRING PERM_REFERRALS_READ, PERM_REFERRALS_WRITE

/* Sergeants and inspectors: review, authorise and oversee every area. */
#define SUPERVISION                                                                                \
    PERM_PEOPLE_ACCESS_LOG, PERM_REPORTS_READ, PERM_INCIDENTS_READ, PERM_INCIDENTS_WRITE,          \
        PERM_INCIDENTS_SUPERVISE, PERM_MEASURES_READ, PERM_ASSURANCE_READ, PERM_ASSURANCE_WRITE,   \
        PERM_MISSING_READ, PERM_MISSING_WRITE, PERM_MISSING_SUPERVISE, PERM_CASE_AUDITS_CONDUCT,   \
        PERM_REFERRALS_READ, PERM_REFERRALS_WRITE, PERM_REFERRALS_REVIEW,                          \
        PERM_INVESTIGATIONS_READ, PERM_INVESTIGATIONS_WRITE, PERM_INVESTIGATIONS_ALLOCATE,         \
        PERM_OCSE_READ, PERM_OCSE_WRITE, PERM_PROTECTION_READ, PERM_PROTECTION_WRITE,              \
        PERM_PROTECTION_DESIGNATE, PERM_OFFENDERS_READ, PERM_OFFENDERS_WRITE,                      \
        PERM_OFFENDERS_BRIEFING, PERM_OFFENDERS_CHILD_LINKS, PERM_DISCLOSURE_READ,                 \
        PERM_DISCLOSURE_WRITE, PERM_DISCLOSURE_DECIDE, PERM_CUSTODY_READ, PERM_CUSTODY_WRITE,      \
        PERM_CHRONOLOGY_READ, PERM_CHRONOLOGY_EXPORT, PERM_AT_RISK_READ

/* Officers who handle disclosure scheme applications (CSOD) up to the
 * decision-making meeting, which a supervisor chairs. */
#define DISCLOSING PERM_DISCLOSURE_READ, PERM_DISCLOSURE_WRITE

/* The children at risk board is for those who run the daily management
 * meeting and the duty desks (supervisors and inspectors hold it through
 * SUPERVISION); a chronology shows only the areas its reader may read. */

/* Officers who use the police protection power and record its steps. */
#define PROTECTING PERM_PROTECTION_READ, PERM_PROTECTION_WRITE

/* Officers on patrol read their own area's offender briefing (the handler
 * enforces the area; offender managers read every area's). */
#define BRIEFED PERM_OFFENDERS_BRIEFING

/* Custody staff who book children in and record their detention. */
#define CUSTODY PERM_CUSTODY_READ, PERM_CUSTODY_WRITE

const struct role_def role_defs[] = {
    {"call_handler", "Call handler", "Control room: takes calls, records incidents and THRIVE",
     PERMS(CASEWORK, PERM_INCIDENTS_READ, PERM_INCIDENTS_WRITE, PERM_MISSING_READ,
           PERM_MISSING_WRITE, REFERRING, PROTECTING, BRIEFED, PERM_AT_RISK_READ)},
    {"response_officer", "Response officer", "Attends incidents, records the voice of the child",
     PERMS(CASEWORK, PERM_INCIDENTS_READ, PERM_INCIDENTS_WRITE, PERM_MISSING_READ,
           PERM_MISSING_WRITE, REFERRING, PROTECTING, BRIEFED)},
    {"supervisor", "Supervisor", "Reviews and oversees; sees who accessed a record",
     PERMS(CASEWORK, SUPERVISION)},
    /* Inspectors review detention (PACE s40) and may certify under s38(7). */
    {"inspector", "Inspector",
     "Duty inspector: oversight of high-risk cases, and all a supervisor does",
     PERMS(CASEWORK, SUPERVISION, PERM_TEAMS_ADMIN, PERM_CUSTODY_CERTIFY)},
    {"investigator", "Investigator", "Specialist child protection and exploitation investigations",
     PERMS(CASEWORK, PERM_INCIDENTS_READ, PERM_MISSING_READ, REFERRING, PERM_INVESTIGATIONS_READ,
           PERM_INVESTIGATIONS_WRITE, DISCLOSING, PERM_CHRONOLOGY_READ)},
    /* The online child sexual exploitation team's analysts (OCSET). */
    {"ocse_analyst", "Online exploitation analyst",
     "OCSET: triages online referrals by risk, identifies suspects, escalates to investigation",
     PERMS(CASEWORK, PERM_OCSE_READ, PERM_OCSE_WRITE, PERM_INVESTIGATIONS_READ,
           PERM_INVESTIGATIONS_WRITE, REFERRING)},
    {"missing_coordinator", "Missing persons coordinator", "Missing episodes and return interviews",
     PERMS(CASEWORK, PERM_INCIDENTS_READ, PERM_MISSING_READ, PERM_MISSING_WRITE, REFERRING,
           PERM_AT_RISK_READ)},
    {"custody_officer", "Custody officer", "Children in custody, appropriate adults, PACE s38(6)",
     PERMS(CASEWORK, PERM_INCIDENTS_READ, REFERRING, CUSTODY)},
    /* The custody officer in PACE's sense: a sergeant, who escalates a late
     * appropriate adult and alone certifies under s38(7). */
    {"custody_sergeant", "Custody sergeant",
     "Custody officer (PACE): detention decisions, appropriate adult escalation, s38(7) "
     "certificates",
     PERMS(CASEWORK, PERM_INCIDENTS_READ, REFERRING, CUSTODY, PERM_CUSTODY_CERTIFY,
           PERM_AT_RISK_READ)},
    /* MOSOVO: manages registered sex offenders, and alone registers them,
     * sets their risk and plan, and reads every area's briefing. */
    {"offender_manager", "Offender manager", "Registered sex offenders and disclosure scheme",
     PERMS(CASEWORK, PERM_INCIDENTS_READ, REFERRING, PERM_OFFENDERS_READ, PERM_OFFENDERS_WRITE,
           PERM_OFFENDERS_MANAGE, PERM_OFFENDERS_BRIEFING, PERM_OFFENDERS_CHILD_LINKS, DISCLOSING)},
    {"safeguarding_hub", "Safeguarding hub", "MASH: referrals to and from partner agencies",
     PERMS(CASEWORK, PERM_INCIDENTS_READ, PERM_MISSING_READ, REFERRING, PERM_REFERRALS_REVIEW,
           PERM_INVESTIGATIONS_READ, PERM_OFFENDERS_CHILD_LINKS, PERM_CHRONOLOGY_READ,
           PERM_CHRONOLOGY_EXPORT, PERM_AT_RISK_READ)},
    /* A partner sees only what was sent to its own agency, in the portal. */
    {"partner_agency", "Partner agency", "Statutory partner: sees only what was sent to its agency",
     PERMS(PERM_PORTAL)},
    {"assurance_board", "Assurance board", "Force Assurance Board and PCC: aggregates only",
     PERMS(PERM_REPORTS_READ, PERM_MEASURES_READ, PERM_ASSURANCE_READ)},
    /* The force's audit team reads the cases it audits but changes none, and
     * alone sets the criteria every audit is graded against. */
    {"auditor", "Case auditor",
     "Force audit team: samples closed cases and grades them against the criteria it sets",
     PERMS(PERM_INCIDENTS_READ, PERM_ASSURANCE_READ, PERM_CASE_AUDITS_CONDUCT,
           PERM_CASE_AUDITS_MANAGE)},
    {"admin", "Administrator", "Users and configuration; no access to case data",
     PERMS(PERM_USERS_ADMIN, PERM_METRICS_READ, PERM_AUDIT_VERIFY, PERM_AGENCIES_ADMIN,
           PERM_TEAMS_ADMIN)},
};

const char *const role_names[] = {"call_handler",
                                  "response_officer",
                                  "supervisor",
                                  "inspector",
                                  "investigator",
                                  "ocse_analyst",
                                  "missing_coordinator",
                                  "custody_officer",
                                  "custody_sergeant",
                                  "offender_manager",
                                  "safeguarding_hub",
                                  "partner_agency",
                                  "assurance_board",
                                  "auditor",
                                  "admin",
                                  NULL};

const int role_count = (int)(sizeof(role_defs) / sizeof(role_defs[0]));
_Static_assert(sizeof(role_defs) / sizeof(role_defs[0]) == ROLE_COUNT,
               "ROLE_COUNT (roles.h) must match the role table");
_Static_assert(sizeof(role_names) / sizeof(role_names[0]) == ROLE_COUNT + 1,
               "role_names must list every role");

const struct role_def *role_find(const char *name)
{
    for (int i = 0; i < role_count; i++)
        if (strcmp(role_defs[i].name, name) == 0)
            return &role_defs[i];
    return NULL;
}

void role_grant(const struct role_def *r, struct permset *s)
{
    permset_add(s, PERM_AUTHENTICATED);
    for (const enum permission *p = r->perms; *p != PERM_NONE; p++)
        permset_add(s, *p);
}
