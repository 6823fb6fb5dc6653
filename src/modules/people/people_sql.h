/*
 * people_sql.h — every SQL statement of the people module, each named and
 * parameter-bound. No SQL is built from strings anywhere in the module.
 */
#ifndef SG_PEOPLE_SQL_H
#define SG_PEOPLE_SQL_H

/* Create a person; the new id comes back through RETURNING. */
static const char SQL_PERSON_INSERT[] =
    "INSERT INTO person (given_name, family_name, dob, dob_accuracy, gender, ethnicity,"
    " version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id";

/* Update with the optimistic-concurrency check: changes 0 rows when the
 * version the client read is no longer current. */
static const char SQL_PERSON_UPDATE[] =
    "UPDATE person SET given_name = ?, family_name = ?, dob = ?, dob_accuracy = ?, gender = ?,"
    " ethnicity = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?";

static const char SQL_PERSON_GET[] =
    "SELECT id, given_name, family_name, dob, dob_accuracy, gender, ethnicity, version,"
    " created_at, updated_at FROM person WHERE id = ?";

/* Just enough of a person to show in a list of search results. */
static const char SQL_PERSON_BRIEF[] =
    "SELECT id, given_name, family_name, dob, dob_accuracy, gender FROM person WHERE id = ?";

static const char SQL_PERSON_VERSION[] = "SELECT version FROM person WHERE id = ?";

static const char SQL_ALIAS_LIST[] =
    "SELECT given_name, family_name FROM person_alias WHERE person_id = ? ORDER BY id";
static const char SQL_ALIAS_INSERT[] =
    "INSERT INTO person_alias (person_id, given_name, family_name) VALUES (?, ?, ?)";
static const char SQL_ALIAS_DELETE[] = "DELETE FROM person_alias WHERE person_id = ?";

static const char SQL_ADDRESS_LIST[] =
    "SELECT id, line1, line2, town, postcode, valid_from, valid_to FROM person_address"
    " WHERE person_id = ? ORDER BY valid_from IS NULL, valid_from DESC, id";
static const char SQL_ADDRESS_INSERT[] =
    "INSERT INTO person_address (person_id, line1, line2, town, postcode, valid_from, valid_to)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ADDRESS_DELETE[] = "DELETE FROM person_address WHERE person_id = ?";

static const char SQL_FLAG_LIST[] =
    "SELECT id, flag, valid_from, valid_to, local_authority, note FROM person_flag"
    " WHERE person_id = ? ORDER BY valid_from DESC, id";
static const char SQL_FLAG_INSERT[] =
    "INSERT INTO person_flag (person_id, flag, valid_from, valid_to, local_authority, note)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_FLAG_DELETE[] = "DELETE FROM person_flag WHERE person_id = ?";

/* Restricted records: the roles and teams that may see them. The flag on
 * person lets search skip the lookup for the (many) unrestricted people. */
static const char SQL_PERSON_SET_RESTRICTED[] = "UPDATE person SET restricted = ? WHERE id = ?";
static const char SQL_RESTRICTION_DELETE[] = "DELETE FROM person_restriction WHERE person_id = ?";
static const char SQL_RESTRICTION_INSERT[] =
    "INSERT INTO person_restriction (person_id, kind, value) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING";
static const char SQL_RESTRICTION_LIST[] =
    "SELECT kind, value FROM person_restriction WHERE person_id = ? ORDER BY kind, value";

/* Data quality (aggregates only). */
static const char SQL_DQ_TOTAL[] = "SELECT COUNT(*) FROM person";
static const char SQL_DQ_NO_DOB[] = "SELECT COUNT(*) FROM person WHERE dob IS NULL";
/* Records sharing a (case-folded) name and date of birth: each group past
 * its first record is a likely duplicate to merge. */
static const char SQL_DQ_DUPLICATES[] =
    "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM person WHERE dob IS NOT NULL"
    " GROUP BY LOWER(given_name), LOWER(family_name), dob HAVING COUNT(*) > 1) AS d";
/* People by age band on a given date: dob <= the date the band starts. */
static const char SQL_DQ_BORN_BETWEEN[] = "SELECT COUNT(*) FROM person WHERE dob > ? AND dob <= ?";

/* The search index (people_search.c). */
static const char SQL_SEARCH_INSERT[] =
    "INSERT INTO person_search (search_key, person_id, token, name_tokens) VALUES (?, ?, ?, ?)";
static const char SQL_SEARCH_DELETE[] = "DELETE FROM person_search WHERE person_id = ?";
/* Candidates sharing one key with a query token, with their date of birth
 * (when the query gives one, every candidate's must be scored). */
static const char SQL_SEARCH_BY_KEY[] =
    "SELECT s.person_id, s.token, p.dob, s.name_tokens, p.restricted FROM "
    "person_search s JOIN person p ON p.id = s.person_id"
    " WHERE s.search_key = ? LIMIT 50000";
/* The same without a date of birth: read from the covering index
 * person_search_key alone, no lookup in person per candidate row (a common
 * surname is tens of thousands of rows at force scale). NULL, 0 keep the
 * columns where score_rows() reads them. */
static const char SQL_SEARCH_BY_KEY_NAMES[] =
    "SELECT person_id, token, NULL, name_tokens, 0 FROM person_search"
    " WHERE search_key = ? LIMIT 50000";
/* Every restricted person (few; the partial index person_restricted). */
static const char SQL_SEARCH_RESTRICTED[] = "SELECT id FROM person WHERE restricted = 1";
/* Candidates born on a date, with their name tokens, so a misspelling that
 * changes every key is still found when the date of birth is known. */
static const char SQL_SEARCH_BY_DOB[] =
    "SELECT s.person_id, s.token, p.dob, s.name_tokens, p.restricted FROM "
    "person p JOIN person_search s ON s.person_id = p.id"
    " WHERE p.dob = ? AND s.search_key NOT LIKE 's:%'";

#endif
