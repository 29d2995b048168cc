import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createAccount, login, outboxLink, post } from "./accounts.ts";
import { request } from "./helpers.ts";

const emailOf = async (name: string) =>
  env.DB.prepare("select email from users where name = ?").bind(name).first<string>("email");

describe("account settings", () => {
  it("changes the email only after the password is re-entered and the new address confirms", async () => {
    await createAccount("old.address@example.com", "my current password", "student", "Email Changer");
    const cookie = await login("old.address@example.com", "my current password");

    const refused = await post(
      "/account",
      { intent: "email", email: "new.address@example.com", password: "wrong password!" },
      { cookie },
    );
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("That password is not right.");
    expect(html).toContain('value="new.address@example.com"');
    expect(await emailOf("Email Changer")).toBe("old.address@example.com");

    const asked = await post(
      "/account",
      { intent: "email", email: "new.address@example.com", password: "my current password" },
      { cookie },
    );
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("We sent a confirmation link to new.address@example.com");
    expect(await emailOf("Email Changer")).toBe("old.address@example.com");

    const confirmed = await request(await outboxLink("new.address@example.com", "/verify-email"), {
      headers: { cookie },
    });
    expect(await confirmed.text()).toContain("Email confirmed");
    expect(await emailOf("Email Changer")).toBe("new.address@example.com");
    await login("new.address@example.com", "my current password");
  });

  it("lists my sessions and signs out the others, never anyone else's", async () => {
    await createAccount("many.devices@example.com", "devices everywhere", "student", "Many Devices");
    await createAccount("bystander@example.com", "just standing here", "student", "Bystander");
    const laptop = await login("many.devices@example.com", "devices everywhere", {
      "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0",
    });
    const phone = await login("many.devices@example.com", "devices everywhere", {
      "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/605.1",
    });
    const bystander = await login("bystander@example.com", "just standing here");

    const page = await (await request("/account", { headers: { cookie: laptop } })).text();
    expect(page).toContain("Chrome on Linux");
    expect(page).toContain("Safari on iOS");
    expect(page).not.toContain("bystander@example.com");

    // A forged id of someone else's session does nothing.
    const bystanderSession = await env.DB.prepare(
      "select s.id from sessions s join users u on u.id = s.user_id where u.email = 'bystander@example.com'",
    ).first<string>("id");
    await post("/account", { intent: "revoke", sessionId: bystanderSession! }, { cookie: laptop });
    expect((await request("/account", { headers: { cookie: bystander } })).status).toBe(200);

    const revoked = await post("/account", { intent: "revoke-others" }, { cookie: laptop });
    expect(await revoked.text()).toContain("All your other sessions were signed out.");
    expect((await request("/account", { headers: { cookie: phone } })).status).toBe(302);
    expect((await request("/account", { headers: { cookie: laptop } })).status).toBe(200);
    expect((await request("/account", { headers: { cookie: bystander } })).status).toBe(200);
  });
});
