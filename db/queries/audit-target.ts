import { sql, type SQL } from "drizzle-orm";

// Admin writes whose outcome depends on the data (a free seat, an existing account) still
// record exactly what happened, in the same batch as the change. The audit entry's target
// is a scalar subquery: placed before the change it states the change's precondition,
// placed after it checks the result. When it finds no row the target is NULL, the NOT NULL
// column refuses the insert and D1 rolls the whole batch back, change included.

/** The audit target as `select <id> from ... where <condition>`; no row aborts the batch. */
export function auditTarget(query: SQL): SQL {
  return sql`(${query})`;
}

const ABORTED = "NOT NULL constraint failed: audit_log.target_id";

/** True when a batch was rolled back because an auditTarget found no row. */
export function isAbortedByAuditTarget(error: unknown): boolean {
  return errorMessages(error).some((message) => message.includes(ABORTED));
}

/** True when a batch failed on a unique index over `table.column` (e.g. "cohorts.slug"). */
export function isUniqueViolation(error: unknown, column: string): boolean {
  return errorMessages(error).some(
    (message) => message.includes("UNIQUE constraint failed") && message.includes(column),
  );
}

/** Drizzle wraps D1's error ("Failed query: ..."), so the reason may sit in a cause. */
function errorMessages(error: unknown): string[] {
  const messages: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    messages.push(current.message);
    current = current.cause;
  }
  return messages;
}
