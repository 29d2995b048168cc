import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount, login, SAME_ORIGIN } from "./accounts.ts";
import { request, seedDemoCurriculum } from "./helpers.ts";
import {
  callWorker,
  checkoutSession,
  deliver,
  FakeStripeApi,
  nowSeconds,
  stripeEnv,
  stripeEvent,
} from "./stripe-fixtures.ts";

// The pages around a purchase, rendered by the real Worker: /join without and with Stripe
// keys, its form posting to Stripe, the success page that waits for the webhook, the cancel
// page that releases the seat, and /billing.

const PASSWORD = "reads the join page";
const DAY = 86_400;
let cookie = "";

async function openCohort(slug: string, capacity: number) {
  const now = nowSeconds();
  await env.DB.prepare(
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents, currency)
     values (?, ?, 'DevOps Engineering', 'UTC', ?, ?, ?, ?, ?, 49000, 'usd')`,
  )
    .bind(
      slug,
      slug === "page-batch" ? "Page Batch" : "Full Batch",
      now + 10 * DAY,
      now + 100 * DAY,
      now - DAY,
      now + 9 * DAY,
      capacity,
    )
    .run();
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { ...SAME_ORIGIN, cookie },
  body: new URLSearchParams(fields),
  redirect: "manual" as const,
});

beforeAll(async () => {
  await seedDemoCurriculum();
  await openCohort("page-batch", 5);
  await openCohort("full-batch", 0);
  await createAccount("page.buyer@example.com", PASSWORD, "student", "Page Buyer");
  cookie = await login("page.buyer@example.com", PASSWORD);
});

describe("the payment pages", () => {
  it("say plainly that payments are not set up when there are no Stripe keys, with no way to pay", async () => {
    const response = await request("/join", { headers: { cookie } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html.includes("Online payments are not set up on this server yet"), "not configured notice").toBe(true);
    expect(html.includes("Page Batch"), "the open cohort is still listed").toBe(true);
    const payButtons = [...html.matchAll(/<button([^>]*)>(Buy a seat in Page Batch|Subscribe monthly)<\/button>/g)];
    expect(payButtons.map((match) => match[2])).toEqual(["Buy a seat in Page Batch", "Subscribe monthly"]);
    for (const [, attributes, label] of payButtons) expect(attributes!.includes("disabled"), label).toBe(true);
    const post = await request("/join", form({ intent: "seat", cohort: "page-batch" }));
    expect(post.status).toBe(503);
    const seats = await env.DB.prepare("select count(*) as n from checkouts").first<number>("n");
    expect(seats).toBe(0);
  });

  it("send the buyer to Stripe from the join form, then wait on the success page until the webhook", async () => {
    const stripe = new FakeStripeApi();
    const bindings = stripeEnv(stripe) as unknown as Env;
    const join = await callWorker(bindings, "/join", { headers: { cookie } });
    const joinHtml = await join.text();
    expect(joinHtml.includes("Buy a seat in Page Batch"), "buy button").toBe(true);
    expect(joinHtml.includes("Sold out"), "the full cohort says so").toBe(true);

    const post = await callWorker(bindings, "/join", form({ intent: "seat", cohort: "page-batch" }));
    expect(post.status).toBe(303);
    const [call] = stripe.callsTo("POST /v1/checkout/sessions");
    expect(post.headers.get("location")).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const checkoutId = call!.params.client_reference_id!;

    const pending = await callWorker(bindings, `/checkout/success?checkout=${checkoutId}`, { headers: { cookie } });
    expect((await pending.text()).includes("Confirming your payment"), "pending before the webhook").toBe(true);

    const sessionId = (await env.DB.prepare("select stripe_session_id from checkouts where id = ?")
      .bind(checkoutId)
      .first<string>("stripe_session_id"))!;
    const event = stripeEvent(
      "checkout.session.completed",
      checkoutSession({
        id: sessionId,
        params: call!.params,
        paymentIntent: "pi_test_pages",
        customer: "cus_test_pages",
      }),
    );
    expect((await deliver(bindings, event)).status).toBe(200);

    const active = await callWorker(bindings, `/checkout/success?checkout=${checkoutId}`, { headers: { cookie } });
    expect((await active.text()).includes("You&#x27;re in"), "active after the webhook").toBe(true);
    const billing = await (await callWorker(bindings, "/billing", { headers: { cookie } })).text();
    expect(billing.includes("Page Batch") && billing.includes("Paid: access active"), "billing lists the seat").toBe(
      true,
    );
    expect(billing.includes("$490.00"), "the amount").toBe(true);
  });

  it("release the held seat from the cancel page only on POST, after Stripe expires the session", async () => {
    await createAccount("page.quitter@example.com", PASSWORD, "student", "Page Quitter");
    const quitter = await login("page.quitter@example.com", PASSWORD);
    const stripe = new FakeStripeApi();
    const bindings = stripeEnv(stripe) as unknown as Env;
    const post = await callWorker(bindings, "/join", {
      ...form({ intent: "seat", cohort: "page-batch" }),
      headers: { ...SAME_ORIGIN, cookie: quitter },
    });
    expect(post.status).toBe(303);
    const checkoutId = stripe.callsTo("POST /v1/checkout/sessions")[0]!.params.client_reference_id!;
    const page = `/checkout/cancel?checkout=${checkoutId}`;

    const shown = await callWorker(bindings, page, { headers: { cookie: quitter } });
    expect((await shown.text()).includes("Release my seat"), "offers to release").toBe(true);
    const expiries = () => stripe.calls.filter((call) => call.method === "POST" && call.path.endsWith("/expire"));
    expect(expiries()).toHaveLength(0);
    const held = () =>
      env.DB.prepare("select status from enrollments where id = (select enrollment_id from checkouts where id = ?)")
        .bind(checkoutId)
        .first<string>("status");
    expect(await held()).toBe("pending");

    const released = await callWorker(bindings, page, {
      method: "POST",
      headers: { ...SAME_ORIGIN, cookie: quitter },
      redirect: "manual",
    });
    expect(released.status).toBe(303);
    expect(expiries()).toHaveLength(1);
    expect(await held()).toBe("expired");

    const other = await callWorker(bindings, page, { headers: { cookie } });
    expect(other.status, "another student's checkout does not exist for them").toBe(404);
  });
});
