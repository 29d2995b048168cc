import type { Role } from "../schema.ts";

/**
 * Demo accounts created by the local seed (never in staging or production). Students without
 * a cohort get an enrolment with no cohort (every module open); a student with `cohort` is
 * put into that cohort instead and follows its drip schedule.
 */
export const DEMO_USERS = [
  { name: "Avery Admin", email: "admin@devops.school", password: "learn-devops-admin", role: "admin", cohort: null },
  {
    name: "Sam Student",
    email: "student@devops.school",
    password: "learn-devops-student",
    role: "student",
    cohort: null,
  },
  {
    name: "Cohort Student",
    email: "cohort@devops.school",
    password: "learn-devops-cohort",
    role: "student",
    cohort: "batch-3",
  },
] as const satisfies ReadonlyArray<{
  name: string;
  email: string;
  password: string;
  role: Role;
  cohort: string | null;
}>;

/** Gives the account an active enrolment unless it has one (the demo student is enrolled). */
export function enrollStatement(email: string, enrollmentId: string): string {
  return `INSERT INTO enrollments (id, user_id, status, source)
    SELECT ${literal(enrollmentId)}, id, 'active', 'seed' FROM users WHERE email = ${literal(email)}
      AND NOT EXISTS (SELECT 1 FROM enrollments WHERE enrollments.user_id = users.id AND enrollments.status = 'active');`;
}

function literal(value: string): string {
  if (value.includes("\0")) throw new Error("NUL bytes are not allowed");
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * SQL that creates a verified user with a password, or, if the email exists, gives it
 * `role` and keeps its password (unless `replacePassword`, as the demo seed does). Plain
 * SQL so the same statements run through a D1 binding and `wrangler d1 execute --remote`.
 */
export function upsertUserStatements(
  user: { id: string; accountId: string; name: string; email: string; role: Role; passwordHash: string },
  { replacePassword = false } = {},
): string[] {
  const email = literal(user.email);
  const replace = replacePassword
    ? [
        `DELETE FROM accounts WHERE provider_id = 'credential' AND user_id = (SELECT id FROM users WHERE email = ${email});`,
      ]
    : [];
  return [
    `INSERT INTO users (id, name, email, email_verified, role) VALUES (${literal(user.id)}, ${literal(user.name)}, ${email}, 1, ${literal(user.role)})
     ON CONFLICT(email) DO UPDATE SET role = excluded.role, updated_at = unixepoch();`,
    ...replace,
    `INSERT INTO accounts (id, user_id, provider_id, account_id, password)
     SELECT ${literal(user.accountId)}, id, 'credential', id, ${literal(user.passwordHash)} FROM users WHERE email = ${email}
       AND NOT EXISTS (SELECT 1 FROM accounts WHERE accounts.user_id = users.id AND accounts.provider_id = 'credential');`,
  ];
}
