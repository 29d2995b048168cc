import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../worker/services/rate-limit.ts";
import { createAccount, login, outboxLink, post, sessionCookie } from "./accounts.ts";
import { request } from "./helpers.ts";

const countUsers = async (email: string) =>
  (await env.DB.prepare("select count(*) as n from users where email = ?").bind(email).first<{ n: number }>())!.n;

describe("accounts", () => {
  it("register → confirm via the emailed link → log in, with a __Host- session cookie", async () => {
    const registered = await post("/register", {
      name: "Grace Hopper",
      email: "grace@example.com",
      password: "cobol compiler 1959",
    });
    expect(registered.status).toBe(200);
    expect(await registered.text()).toContain("Check your email");

    // Not confirmed yet: logging in is refused (and a fresh link is sent).
    const early = await post("/login", { email: "grace@example.com", password: "cobol compiler 1959" });
    expect(early.status).toBe(403);
    expect(await early.text()).toContain("Confirm your email first");

    const confirmed = await request(await outboxLink("grace@example.com", "/verify-email"));
    expect(await confirmed.text()).toContain("Email confirmed");

    const loggedIn = await post("/login", {
      email: "GRACE@example.com",
      password: "cobol compiler 1959",
      redirectTo: "/account",
    });
    expect(loggedIn.status).toBe(302);
    expect(loggedIn.headers.get("location")).toBe("/account");
    const cookie = loggedIn.headers.getSetCookie().find((value) => value.startsWith("__Host-"))!;
    expect(cookie).toMatch(/^__Host-school\.session=[^;]+/);
    expect(cookie).toContain("Path=/");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toMatch(/Domain=/i);
    // The cookie carries an opaque token, never user data.
    expect(decodeURIComponent(cookie)).not.toMatch(/grace|Grace|student/);

    const account = await request("/account", { headers: { cookie: cookie.split(";")[0]! } });
    expect(account.status).toBe(200);
    expect(await account.text()).toContain("grace@example.com");
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    await createAccount("known@example.com", "the right password");
    const wrong = await post("/login", { email: "known@example.com", password: "not the password" });
    const unknown = await post("/login", { email: "nobody@example.com", password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(wrong.status);
    const message = (html: string) => /role="alert"[^>]*>([^<]+)</.exec(html)?.[1];
    expect(message(await wrong.text())).toBe("Email or password is incorrect.");
    expect(message(await unknown.text())).toBe("Email or password is incorrect.");
  });

  it("starts a new session at each login and ends it on the server at logout", async () => {
    await createAccount("leaver@example.com", "see you later 123");
    const first = await login("leaver@example.com", "see you later 123");
    const second = await login("leaver@example.com", "see you later 123");
    expect(second).not.toBe(first);

    const loggedOut = await post("/logout", {}, { cookie: second });
    expect(loggedOut.status).toBe(302);
    expect(loggedOut.headers.getSetCookie().join()).toMatch(/__Host-school\.session=; .*Max-Age=0/);
    // The token itself is dead, not just the browser's copy.
    expect((await request("/account", { headers: { cookie: second } })).status).toBe(302);
    expect((await request("/account", { headers: { cookie: first } })).status).toBe(200);
  });

  it("ends every other session when the password changes", async () => {
    await createAccount("mover@example.com", "original password 1");
    const laptop = await login("mover@example.com", "original password 1");
    const phone = await login("mover@example.com", "original password 1");
    const changed = await post(
      "/account",
      {
        intent: "password",
        currentPassword: "original password 1",
        password: "replacement phrase 2",
        confirm: "replacement phrase 2",
      },
      { cookie: laptop },
    );
    expect(changed.status).toBe(302);
    const fresh = sessionCookie(changed);
    expect((await request("/account", { headers: { cookie: phone } })).status).toBe(302);
    expect((await request("/account", { headers: { cookie: laptop } })).status).toBe(302);
    expect((await request("/account", { headers: { cookie: fresh } })).status).toBe(200);
    expect((await post("/login", { email: "mover@example.com", password: "original password 1" })).status).toBe(401);
  });

  it("resets a forgotten password through a single-use emailed link and ends all sessions", async () => {
    await createAccount("forgetful@example.com", "long forgotten pass");
    const oldSession = await login("forgetful@example.com", "long forgotten pass");

    const asked = await post("/forgot-password", { email: "forgetful@example.com" });
    expect(await asked.text()).toContain("If an account exists");
    // The same answer for an address with no account, and no email sent.
    expect(await (await post("/forgot-password", { email: "ghost@example.com" })).text()).toContain(
      "If an account exists",
    );
    expect(
      await env.DB.prepare("select count(*) as n from dev_outbox where \"to\" = 'ghost@example.com'").first("n"),
    ).toBe(0);

    const link = await outboxLink("forgetful@example.com", "/reset-password");
    expect((await request(link)).status).toBe(200);
    const token = new URL(link, "http://x").searchParams.get("token")!;
    const reset = await post("/reset-password", {
      token,
      password: "remembered at last",
      confirm: "remembered at last",
    });
    expect(reset.status).toBe(302);
    expect(reset.headers.get("location")).toBe("/login?reset=1");

    expect((await request("/account", { headers: { cookie: oldSession } })).status).toBe(302);
    expect((await post("/login", { email: "forgetful@example.com", password: "long forgotten pass" })).status).toBe(
      401,
    );
    await login("forgetful@example.com", "remembered at last");
    const reused = await post("/reset-password", {
      token,
      password: "another new secret",
      confirm: "another new secret",
    });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain("expired or was already used");
  });

  it("expires sessions after a week idle and 30 days after login, however active", async () => {
    await createAccount("sleepy@example.com", "wake me up later");
    const idle = await login("sleepy@example.com", "wake me up later");
    const old = await login("sleepy@example.com", "wake me up later");
    const token = (cookie: string) => decodeURIComponent(cookie.split("=")[1]!).split(".")[0]!;

    await env.DB.prepare("update sessions set expires_at = unixepoch() - 1 where token = ?").bind(token(idle)).run();
    expect((await request("/account", { headers: { cookie: idle } })).status).toBe(302);

    await env.DB.prepare("update sessions set created_at = unixepoch() - 31 * 86400 where token = ?")
      .bind(token(old))
      .run();
    expect((await request("/account", { headers: { cookie: old } })).status).toBe(302);
    expect(await env.DB.prepare("select count(*) as n from sessions where token = ?").bind(token(old)).first("n")).toBe(
      0,
    );
  });

  it("deletes an account and its personal data after re-entering the password", async () => {
    await createAccount("goodbye@example.com", "farewell for now 9");
    const cookie = await login("goodbye@example.com", "farewell for now 9");
    const refused = await post(
      "/account",
      { intent: "delete", password: "farewell for now 9", confirmation: "delete" },
      { cookie },
    );
    expect(refused.status).toBe(400);
    expect(await countUsers("goodbye@example.com")).toBe(1);

    const deleted = await post(
      "/account",
      { intent: "delete", password: "farewell for now 9", confirmation: "DELETE" },
      { cookie },
    );
    expect(deleted.status).toBe(302);
    expect(await countUsers("goodbye@example.com")).toBe(0);
    const leftovers = await env.DB.prepare(
      "select (select count(*) from sessions) + (select count(*) from accounts) - (select count(*) from sessions s join users u on u.id = s.user_id) - (select count(*) from accounts a join users u on u.id = a.user_id) as orphans",
    ).first("orphans");
    expect(leftovers).toBe(0);
  });
});

describe("bad input gets a clear message and changes nothing", () => {
  const cases: Array<[string, Record<string, string>, string, string]> = [
    [
      "an over-long name",
      { name: "n".repeat(81), email: "a@example.com", password: "long enough pass" },
      "name",
      "Keep your name under 80 characters.",
    ],
    [
      "a malformed email",
      { name: "Ann", email: "ann@", password: "long enough pass" },
      "email",
      "Enter a valid email address",
    ],
    [
      "an over-long email",
      { name: "Ann", email: `${"a".repeat(250)}@example.com`, password: "long enough pass" },
      "email",
      "That email address is too long.",
    ],
    [
      "a short password",
      { name: "Ann", email: "ann@example.com", password: "short" },
      "password",
      "Use at least 10 characters.",
    ],
    [
      "a common password",
      { name: "Ann", email: "ann@example.com", password: "Password123" },
      "password",
      "That password is too common",
    ],
    [
      "a repetitive password",
      { name: "Ann", email: "ann@example.com", password: "aaaaaaaaaaab" },
      "password",
      "less repetitive",
    ],
    [
      "an invisible character in the email",
      { name: "Ann", email: "ann\u200b@example.com", password: "long enough pass" },
      "email",
      "invisible characters",
    ],
    [
      "a direction override in the name",
      { name: "Ann\u202e", email: "ann@example.com", password: "long enough pass" },
      "name",
      "characters we can&#x27;t show",
    ],
    ["a missing name", { email: "ann@example.com", password: "long enough pass" }, "name", "Enter your name."],
    ["a missing password", { name: "Ann", email: "ann@example.com" }, "password", "Enter a password."],
  ];

  it.each(cases)("registration with %s", async (_label, fields, field, message) => {
    const usersBefore = await env.DB.prepare("select count(*) as n from users").first("n");
    const response = await post("/register", fields);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(message);
    expect(html).toMatch(
      new RegExp(`id="field-${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="field-${field}"`),
    );
    // What was typed is kept (never the password).
    if (fields.name && field !== "name") expect(html).toContain(`value="${fields.name}"`);
    expect(html).not.toContain('value="long enough pass"');
    expect(await env.DB.prepare("select count(*) as n from users").first("n")).toBe(usersBefore);
  });
});

describe("rate limits", () => {
  it(`refuses the login attempt after ${RATE_LIMITS["login-account"].capacity} per account with 429 and Retry-After`, async () => {
    await createAccount("target@example.com", "the real password");
    const limit = RATE_LIMITS["login-account"].capacity;
    for (let attempt = 1; attempt <= limit; attempt++) {
      const response = await post(
        "/login",
        { email: "target@example.com", password: `guess number ${attempt}` },
        { "cf-connecting-ip": `198.51.100.${attempt}` },
      );
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    const blocked = await post(
      "/login",
      { email: "target@example.com", password: "the real password" },
      { "cf-connecting-ip": "198.51.100.99" },
    );
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain("Too many attempts");
  });

  it(`refuses password-reset requests after ${RATE_LIMITS["reset-account"].capacity} per account`, async () => {
    const limit = RATE_LIMITS["reset-account"].capacity;
    for (let attempt = 1; attempt <= limit; attempt++) {
      expect((await post("/forgot-password", { email: "someone@example.com" })).status).toBe(200);
    }
    const blocked = await post("/forgot-password", { email: "someone@example.com" });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBeTruthy();
  });
});

describe("cross-site requests", () => {
  const crossSite = { "sec-fetch-site": "cross-site", origin: "https://evil.example" };
  it.each([
    ["a Remix action", "/login"],
    ["a single-fetch data request", "/login.data"],
    ["a legacy ?_data request", "/login?_data=routes%2Flogin"],
    ["a resource route", "/logout"],
    ["a resource route (theme)", "/theme"],
    ["the API", "/api/modules"],
    ["an admin API route", "/api/admin/overview"],
  ])("are refused with 403 on %s", async (_label, path) => {
    const response = await request(path, {
      method: "POST",
      headers: crossSite,
      body: new URLSearchParams({ theme: "dark" }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  });
});
