import type { Browser } from "playwright-core";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launchChromium, logIn, openPage, screenshot } from "./browser.ts";
import { STRIPE_TEST_KEYS, type RecordedStripeRequest } from "./fake-stripe.ts";
import { upsertUserStatements } from "../../db/seed/user-statements.ts";
import { hashPassword } from "../../worker/auth/password.ts";
import { executeSql } from "./global-setup.ts";

// Buying a seat: the student's click ends on Stripe's page with exactly the Checkout
// Session the school asked for; Stripe's signed webhook, not the redirect back, grants
// the seat, and the success page waits for it by itself.

const baseURL = inject("baseURL");
const stripeURL = inject("stripeURL");
const stateDir = inject("stateDir");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function stripeRequests(): Promise<RecordedStripeRequest[]> {
  return (await (await fetch(`${stripeURL}/__requests`)).json()) as RecordedStripeRequest[];
}

/** What Stripe would send once the card is charged, signed with the endpoint's secret. */
async function deliverCompleted(session: { id: string; checkoutId: string; amount: number }) {
  const payload = JSON.stringify({
    id: `evt_browser_${session.id}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: "checkout.session.completed",
    data: {
      object: {
        id: session.id,
        object: "checkout.session",
        mode: "payment",
        status: "complete",
        payment_status: "paid",
        client_reference_id: session.checkoutId,
        customer: `cus_${session.id}`,
        payment_intent: `pi_${session.id}`,
        amount_total: session.amount,
        currency: "usd",
        metadata: { checkoutId: session.checkoutId },
      },
    },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_TEST_KEYS.webhookSecret });
  return fetch(`${baseURL}/api/stripe/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
}

describe("buying a seat in Chromium", () => {
  it("goes to Stripe with the right session, waits for the webhook, then opens the cohort", async () => {
    // A new student per attempt: a retry must not find the first attempt's seat.
    const buyer = { name: "Bo Buyer", email: `bo.buyer.${crypto.randomUUID().slice(0, 8)}@example.com` };
    const password = "pays for batch four 4";
    executeSql(
      stateDir,
      upsertUserStatements({
        ...buyer,
        id: crypto.randomUUID(),
        accountId: crypto.randomUUID(),
        role: "student",
        passwordHash: await hashPassword(password),
      }),
    );
    const { page, context, errors } = await openPage(browser, { baseURL });
    await logIn(page, buyer.email, password);

    await page.getByRole("link", { name: "Join a cohort or the monthly plan" }).click();
    await page.waitForURL("**/join");
    await expectAccessible(page);
    await screenshot(page, "join");
    const before = (await stripeRequests()).length;
    await page.getByRole("button", { name: "Buy a seat in Batch 4" }).click();
    await page.waitForURL(`${stripeURL}/pay/**`);
    await page.getByRole("heading", { name: "Pay with Stripe" }).waitFor();

    const sent = (await stripeRequests()).slice(before);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v1/checkout/sessions"]);
    const form = sent[0]!.form;
    expect(form).toMatchObject({
      mode: "payment",
      allow_promotion_codes: "true",
      customer_email: buyer.email,
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": "usd",
    });
    expect(Number(form["line_items[0][price_data][unit_amount]"])).toBeGreaterThan(0);
    const checkoutId = form.client_reference_id!;
    expect(form.success_url).toBe(`${baseURL}/checkout/success?checkout=${checkoutId}`);
    const sessionId = new URL(page.url()).pathname.split("/").pop()!;

    // Back from Stripe before its webhook: the page says so, and no access is granted yet.
    await page.goto(`/checkout/success?checkout=${checkoutId}`);
    await page.getByRole("heading", { name: "Confirming your payment…" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "checkout-pending");

    const delivered = await deliverCompleted({
      id: sessionId,
      checkoutId,
      amount: Number(form["line_items[0][price_data][unit_amount]"]),
    });
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ received: true, outcome: "applied" });

    // The same page notices by itself.
    await page.getByRole("heading", { name: "You're in" }).waitFor({ timeout: 15_000 });
    await screenshot(page, "checkout-active");
    await page.getByRole("link", { name: "Go to your dashboard" }).click();
    await page.waitForURL("**/dashboard");
    await page.getByText("You study with Batch 4").waitFor();

    await page.goto("/billing");
    await screenshot(page, "billing");
    await page.getByRole("cell", { name: "Paid: access active" }).waitFor();
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  });
});
