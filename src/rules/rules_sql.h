/* rules_sql.h — every SQL statement of the timescales engine. */
#ifndef SG_RULES_SQL_H
#define SG_RULES_SQL_H

/* The open task a rule holds on a record (at most one). */
static const char SQL_TASK_OPEN_FOR[] =
    "SELECT id, due_at FROM task WHERE record_type = ? AND record_id = ? AND rule = ?"
    " AND status = 'open'";
static const char SQL_TASK_INSERT[] =
    "INSERT INTO task (rule, record_type, record_id, person_id, title, due_at, owner_user_id,"
    " owner_team, owner_role, escalate_role, status, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)";
static const char SQL_TASK_SET_DUE[] = "UPDATE task SET due_at = ? WHERE id = ?";
static const char SQL_TASK_CLOSE[] =
    "UPDATE task SET status = 'done', closed_at = ? WHERE id = ? AND status = 'open'";

/* My work: mine, my team's, my roles' (roles as a comma list matched in C),
 * plus my team's escalations when I hold the escalation role. Overdue first,
 * then by due time: ordering by due_at alone does both (every overdue task
 * is due before every other), and lets task_open_due hand rows over in order
 * and stop at the limit instead of sorting every open task (issue 16: 20,000
 * open tasks at force scale). */
static const char SQL_TASK_MY_WORK[] =
    "SELECT id, rule, record_type, record_id, person_id, title, due_at, owner_user_id,"
    " owner_team, owner_role, escalate_role FROM task"
    " WHERE status = 'open' AND (owner_user_id = ? OR (owner_team IS NOT NULL AND owner_team = ?)"
    " OR owner_role IS NOT NULL OR escalate_role IS NOT NULL)"
    " ORDER BY due_at, id LIMIT 2000";

static const char SQL_TASK_FOR_RECORD[] =
    "SELECT id, rule, record_type, record_id, person_id, title, due_at, owner_user_id,"
    " owner_team, owner_role, escalate_role FROM task"
    " WHERE record_type = ? AND record_id = ? AND status = 'open' ORDER BY due_at, id";

#endif
