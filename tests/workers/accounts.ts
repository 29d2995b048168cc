import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { upsertUserStatements } from "../../db/seed/user-statements.ts";
import type { Role } from "../../db/schema.ts";
import { hashPassword } from "../../worker/auth/password.ts";
import { request } from "./helpers.ts";

export const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };

/** A verified account created directly in D1 (hashing runs in workerd's native scrypt). */
export async function createAccount(email: string, password: string, role: Role = "student", name = "Test Person") {
  const statements = upsertUserStatements({
    id: crypto.randomUUID(),
    accountId: crypto.randomUUID(),
    name,
    email,
    role,
    passwordHash: await hashPassword(password),
  });
  await env.DB.batch(statements.map((statement) => env.DB.prepare(statement)));
}

export function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return request(path, { method: "POST", headers: { ...SAME_ORIGIN, ...headers }, body: new URLSearchParams(fields) });
}

/** Logs in through the real /login form and returns the cookie header for later requests. */
export async function login(email: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await post("/login", { email, password }, headers);
  expect(response.status, `login as ${email}`).toBe(302);
  return sessionCookie(response);
}

export function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith("__Host-school.session="));
  expect(cookie, "a session cookie").toBeDefined();
  return cookie!.split(";")[0]!;
}

/** The newest link to `path` in the dev outbox for `to`. */
export async function outboxLink(to: string, path: string): Promise<string> {
  const row = await env.DB.prepare('select text from dev_outbox where "to" = ? order by id desc limit 1')
    .bind(to)
    .first<{ text: string }>();
  const link = row?.text.match(new RegExp(`https?://[^\\s]+${path.replace("/", "\\/")}\\?token=[^\\s]+`))?.[0];
  expect(link, `an email to ${to} with a ${path} link`).toBeDefined();
  const url = new URL(link!);
  return url.pathname + url.search;
}
