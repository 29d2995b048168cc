import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { request } from "./helpers.ts";

export const ORIGIN = "http://school.test";

let cohorts = 0;

/** A cohort row straight in D1 (its dates do not matter to live updates). */
export async function createCohort(name: string): Promise<number> {
  cohorts++;
  const now = Math.floor(Date.now() / 1000);
  const row = await env.DB.prepare(
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents)
     values (?, ?, 'DevOps Engineer', 'Asia/Bishkek', ?, ?, ?, ?, 20, 50000) returning id`,
  )
    .bind(`live-${cohorts}-${crypto.randomUUID().slice(0, 8)}`, name, now + 86_400, now + 90 * 86_400, now, now + 3600)
    .first<number>("id");
  return row!;
}

/** An active enrolment of the account in the cohort. */
export async function enrollInCohort(email: string, cohortId: number) {
  await env.DB.prepare(
    `insert into enrollments (id, user_id, status, source, cohort_id)
     select ?, id, 'active', 'admin', ? from users where email = ?`,
  )
    .bind(crypto.randomUUID(), cohortId, email)
    .run();
}

export async function userId(email: string): Promise<string> {
  return (await env.DB.prepare("select id from users where email = ?").bind(email).first<string>("id"))!;
}

export type LiveSocket = {
  ws: WebSocket;
  messages: unknown[];
  /** Resolves with the next message matching `match` (already received ones count), or rejects after `ms`. */
  next(match: (message: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  /** Waits `ms` and returns what arrived meanwhile. */
  quietFor(ms: number): Promise<unknown[]>;
  closed: boolean;
};

/** Opens /api/live as a browser on this site would, and collects what arrives. */
export function liveRequest(headers: Record<string, string>) {
  return request("/api/live", { headers: { upgrade: "websocket", origin: ORIGIN, ...headers } });
}

export async function openLive(cookie: string, headers: Record<string, string> = {}): Promise<LiveSocket> {
  const response = await liveRequest({ cookie, ...headers });
  expect(response.status, "the upgrade is accepted").toBe(101);
  const ws = response.webSocket!;
  ws.accept();
  const messages: unknown[] = [];
  const waiters: Array<() => void> = [];
  const socket: LiveSocket = {
    ws,
    messages,
    closed: false,
    next(match, ms = 2000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find((message) => match(message as Record<string, unknown>));
          if (found) resolve(found as Record<string, unknown>);
          return Boolean(found);
        };
        if (check()) return;
        const timer = setTimeout(() => reject(new Error(`no matching message within ${ms} ms`)), ms);
        waiters.push(() => {
          if (check()) clearTimeout(timer);
        });
      });
    },
    async quietFor(ms) {
      const before = messages.length;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return messages.slice(before);
    },
  };
  ws.addEventListener("message", (event) => {
    messages.push(JSON.parse(event.data as string));
    for (const waiter of waiters) waiter();
  });
  ws.addEventListener("close", () => {
    socket.closed = true;
  });
  return socket;
}
