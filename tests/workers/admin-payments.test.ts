import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getAdminOverview } from "../../db/queries/admin.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { app } from "../../worker/app.ts";
import { createAccount, login, SAME_ORIGIN } from "./accounts.ts";
import { request, serverTiming, testDatabase } from "./helpers.ts";

// The admin's payments, refunds, coupons and the overview's revenue. Stripe is a fake `fetch`
// handed to the Worker as STRIPE_FETCH: it records exactly what would have been sent.

const DAY = 86_400;
const PASSWORD = "counts the money twice";
const EMAILS = {
  admin: "payments.admin@example.com",
  student: "payments.student@example.com",
  buyer: "seat.buyer@example.com",
  other: "other.buyer@example.com",
};
const cookies = { admin: "", student: "" };
let admin: CurrentUser;

type StripeCall = { method: string; path: string; headers: Headers; body: Record<string, string> };
type Answer = { status?: number; body: unknown };

/** A stand-in for Stripe's API: records each request and answers it like Stripe would. */
function fakeStripe(answer: (call: StripeCall) => Answer) {
  const calls: StripeCall[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const call: StripeCall = {
      method: init?.method ?? "GET",
      path: url.pathname,
      headers: new Headers(init?.headers),
      body: Object.fromEntries(new URLSearchParams(typeof init?.body === "string" ? init.body : "")),
    };
    calls.push(call);
    const { status = 200, body } = answer(call);
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", "request-id": `req_${calls.length}` },
    });
  }) as typeof fetch;
  return { calls, fetch: fetchFn };
}

/** Answers like Stripe's test mode: a refund, a coupon, a promotion code. */
const stripeSaysYes = (call: StripeCall): Answer => {
  if (call.path === "/v1/refunds") {
    return { body: { id: "re_test_1", object: "refund", status: "pending", payment_intent: call.body.payment_intent } };
  }
  if (call.path === "/v1/coupons") return { body: { id: "coupon_test_1", object: "coupon", ...call.body } };
  if (call.path === "/v1/promotion_codes") {
    return { body: { id: "promo_test_1", object: "promotion_code", code: call.body.code, active: true } };
  }
  return { status: 404, body: { error: { type: "invalid_request_error", message: "Unrecognized request URL." } } };
};

const stripeSaysNo = (): Answer => ({
  status: 400,
  body: { error: { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent." } },
});

/** The Worker with Stripe configured, talking to the fake. */
async function withStripe(path: string, init: RequestInit, stripe: { fetch: typeof fetch }) {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(new URL(path, "http://school.test"), { redirect: "manual", ...init }),
    { ...env, STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x", STRIPE_FETCH: stripe.fetch },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const postWithStripe = (
  path: string,
  fields: Record<string, string>,
  stripe: { fetch: typeof fetch },
  cookie = cookies.admin,
) =>
  withStripe(
    path,
    {
      method: "POST",
      headers: { ...SAME_ORIGIN, ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields),
    },
    stripe,
  );

const getWithStripe = (path: string, stripe: { fetch: typeof fetch }, cookie = cookies.admin) =>
  withStripe(path, { headers: cookie ? { cookie } : {} }, stripe);

const one = <T>(query: string, ...values: unknown[]) =>
  env.DB.prepare(query)
    .bind(...values)
    .first<T>();
const count = async (query: string, ...values: unknown[]) => (await one<{ n: number }>(query, ...values))?.n ?? 0;
const auditCount = () => count("select count(*) as n from audit_log");

const has = (html: string, text: string) => expect(html.includes(text), text).toBe(true);
const hasNot = (html: string, text: string) => expect(html.includes(text), `not ${text}`).toBe(false);

const VALID_COUPON = {
  code: "spring-25",
  percentOff: "25",
  amountOff: "",
  currency: "USD",
  expiresOn: "",
  maxRedemptions: "50",
};

/** A year ahead, as the date input sends it, and the epoch Stripe must receive (the day's last second, UTC). */
const NEXT_YEAR = new Date(Date.now() + 365 * DAY * 1000).toISOString().slice(0, 10);
const redeemBy = (day: string) => {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return String(Date.UTC(year, month - 1, date, 23, 59, 59) / 1000);
};

beforeAll(async () => {
  await createAccount(EMAILS.admin, PASSWORD, "admin", "Pay Admin");
  await createAccount(EMAILS.student, PASSWORD, "student", "Nosy Student");
  await createAccount(EMAILS.buyer, PASSWORD, "student", "Seat Buyer");
  await createAccount(EMAILS.other, PASSWORD, "student", "Other Buyer");
  const adminRow = (await one<{ id: string }>("select id from users where email = ?", EMAILS.admin))!;
  admin = { id: adminRow.id, name: "Pay Admin", email: EMAILS.admin, role: "admin", emailVerified: true };
  const now = Math.floor(Date.now() / 1000);
  // A few minutes into the month at the earliest, so "paid minutes ago" stays in this month.
  const thisMonth = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1) / 1000;
  const paid = Math.max(now, thisMonth + 300);
  const user = (email: string) => `(select id from users where email = '${email}')`;
  await env.DB.batch(
    [
      `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
         enrollment_closes_at, capacity, price_cents, currency)
       values ('paid-batch', 'Paid Batch', 'DevOps Engineering', 'UTC', ${now + 10 * DAY}, ${now + 90 * DAY},
         ${now - DAY}, ${now + 10 * DAY}, 10, 49000, 'chf')`,
      // The buyer's seat: a completed, paid checkout with its active enrolment and payment.
      `insert into enrollments (id, user_id, status, source, cohort_id)
       select 'enrol-buyer', ${user(EMAILS.buyer)}, 'active', 'payment', id from cohorts where slug = 'paid-batch'`,
      `insert into checkouts (id, user_id, kind, cohort_id, enrollment_id, status, payment_status, payment_intent_id,
         amount_total, currency, expires_at)
       select 'checkout-buyer', ${user(EMAILS.buyer)}, 'seat', id, 'enrol-buyer', 'complete', 'paid', 'pi_buyer', 49000,
         'chf', ${now + DAY} from cohorts where slug = 'paid-batch'`,
      `insert into payments (id, user_id, checkout_id, cohort_id, enrollment_id, charge_id, amount, currency,
         receipt_url, paid_at)
       select 'pi_buyer', ${user(EMAILS.buyer)}, 'checkout-buyer', id, 'enrol-buyer', 'ch_buyer', 49000, 'chf',
         'https://pay.stripe.com/receipts/buyer', ${paid - 60} from cohorts where slug = 'paid-batch'`,
      // Another buyer's payment, already refunded, and one still disputed: neither can be refunded.
      `insert into payments (id, user_id, cohort_id, amount, amount_refunded, refunded, currency, paid_at)
       select 'pi_refunded', ${user(EMAILS.other)}, id, 49000, 49000, 1, 'chf', ${paid - 120} from cohorts
       where slug = 'paid-batch'`,
      `insert into payments (id, user_id, cohort_id, amount, dispute_status, currency, paid_at)
       select 'pi_disputed', ${user(EMAILS.other)}, id, 49000, 'open', 'chf', ${paid - 180} from cohorts
       where slug = 'paid-batch'`,
      `insert into subscriptions (id, user_id, status, current_period_end)
       values ('sub_other', ${user(EMAILS.other)}, 'active', ${now + 20 * DAY})`,
    ].map((query) => env.DB.prepare(query)),
  );
  cookies.admin = await login(EMAILS.admin, PASSWORD);
  cookies.student = await login(EMAILS.student, PASSWORD);
}, 60_000);

describe("who may use the payments pages", () => {
  it("answers 404 to students and visitors, GET and POST, and never reaches Stripe", async () => {
    const stripe = fakeStripe(stripeSaysYes);
    const before = await auditCount();
    for (const cookie of [cookies.student, ""]) {
      for (const path of ["/admin/payments", "/admin/coupons"]) {
        expect((await getWithStripe(path, stripe, cookie)).status, `GET ${path}`).toBe(404);
      }
      const refund = await postWithStripe("/admin/payments", { intent: "refund", payment: "pi_buyer" }, stripe, cookie);
      expect(refund.status).toBe(404);
      const coupon = await postWithStripe("/admin/coupons", { ...VALID_COUPON, code: "SNEAKY" }, stripe, cookie);
      expect(coupon.status).toBe(404);
    }
    expect(stripe.calls).toEqual([]);
    expect(await auditCount()).toBe(before);
    expect(await one("select refund_requested_at as at from payments where id = 'pi_buyer'")).toEqual({ at: null });
    expect(await count("select count(*) as n from coupons")).toBe(0);
  });
});

describe("the payments page", () => {
  it("lists seat payments and subscriptions with their status, receipt and a refund for what can be refunded", async () => {
    const stripe = fakeStripe(stripeSaysYes);
    const response = await getWithStripe("/admin/payments", stripe);
    expect(response.status).toBe(200);
    const html = await response.text();
    has(html, "<h1");
    has(html, EMAILS.buyer);
    has(html, "Paid Batch");
    has(html, "CHF\u00a0490.00");
    has(html, 'href="https://pay.stripe.com/receipts/buyer"');
    for (const status of [">Paid<", ">Refunded<", ">Disputed<"]) has(html, status);
    // One refund form: the paid payment's. The refunded and the disputed ones offer none.
    expect(html.match(/name="intent" value="refund"/g)).toHaveLength(1);
    has(html, 'name="payment" value="pi_buyer"');
    has(html, "Subscriptions");
    has(html, "Until <time");
    has(html, 'scope="row"');
    hasNot(html, "Payments are not configured");
    // Newest first: the buyer's payment (a minute ago) before the refunded (two) and the disputed (three).
    expect(html.indexOf(">pi_buyer<")).toBeLessThan(html.indexOf(">pi_refunded<"));
    expect(html.indexOf(">pi_refunded<")).toBeLessThan(html.indexOf(">pi_disputed<"));
    expect(stripe.calls).toEqual([]);
  });

  it("finds payments by email, and says so when none match", async () => {
    const stripe = fakeStripe(stripeSaysYes);
    const found = await (await getWithStripe("/admin/payments?q=SEAT.buyer", stripe)).text();
    has(found, "pi_buyer");
    hasNot(found, "pi_disputed");
    hasNot(found, EMAILS.other);
    // A LIKE wildcard in the search means itself.
    const none = await (await getWithStripe("/admin/payments?q=%25buyer", stripe)).text();
    has(none, "No payments match");
    hasNot(none, "pi_buyer");
  });

  it("says plainly when payments are not configured, and still lists what exists", async () => {
    for (const path of ["/admin/payments", "/admin/coupons"]) {
      const response = await request(path, { headers: { cookie: cookies.admin } });
      expect(response.status, path).toBe(200);
      const html = await response.text();
      has(html, "Payments are not configured on this server.");
      has(html, "Payments with Stripe");
      has(html, 'href="/admin/cohorts"');
    }
    const payments = await (await request("/admin/payments", { headers: { cookie: cookies.admin } })).text();
    has(payments, EMAILS.buyer);
    const coupons = await (await request("/admin/coupons", { headers: { cookie: cookies.admin } })).text();
    hasNot(coupons, 'name="percentOff"');
  });

  it("refuses a refund without Stripe keys and writes nothing", async () => {
    const before = await auditCount();
    const response = await request("/admin/payments", {
      method: "POST",
      headers: { ...SAME_ORIGIN, cookie: cookies.admin },
      body: new URLSearchParams({ intent: "refund", payment: "pi_buyer" }),
    });
    expect(response.status).toBe(409);
    has(await response.text(), "Payments are not configured on this server, so Stripe cannot be asked for a refund.");
    expect(await auditCount()).toBe(before);
  });
});

describe("refunds", () => {
  const enrolment = () => one<{ status: string }>("select status from enrollments where id = 'enrol-buyer'");

  it("writes nothing when Stripe refuses, and says why on the page", async () => {
    const stripe = fakeStripe(stripeSaysNo);
    const before = await auditCount();
    const response = await postWithStripe("/admin/payments", { intent: "refund", payment: "pi_buyer" }, stripe);
    expect(response.status).toBe(502);
    const html = await response.text();
    has(html, "Stripe refused to refund this payment");
    has(html, "No such payment_intent.");
    has(html, 'role="alert"');
    expect(stripe.calls).toHaveLength(1);
    expect(await one("select refund_requested_at as at from payments where id = 'pi_buyer'")).toEqual({ at: null });
    expect(await auditCount()).toBe(before);
  });

  it("asks Stripe once, records the request with its audit entry and leaves access alone", async () => {
    const stripe = fakeStripe(stripeSaysYes);
    const response = await postWithStripe("/admin/payments", { intent: "refund", payment: "pi_buyer" }, stripe);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/payments?refund=pi_buyer");

    expect(stripe.calls).toHaveLength(1);
    const [call] = stripe.calls;
    expect(call).toMatchObject({ method: "POST", path: "/v1/refunds", body: { payment_intent: "pi_buyer" } });
    expect(call!.headers.get("idempotency-key")).toBe("refund-pi_buyer");
    expect(call!.headers.get("authorization")).toBe("Bearer sk_test_x");

    const payment = await one<{ at: number | null; refunded: number }>(
      "select refund_requested_at as at, refunded from payments where id = 'pi_buyer'",
    );
    expect(payment!.at).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(payment!.refunded).toBe(0);
    const audit = await one<{ actor_email: string; target_type: string; target_id: string; summary: string }>(
      "select * from audit_log where action = 'payment.refund'",
    );
    expect(audit).toMatchObject({ actor_email: EMAILS.admin, target_type: "payment", target_id: "pi_buyer" });
    expect(audit!.summary).toContain("CHF\u00a0490.00");
    expect(audit!.summary).toContain(EMAILS.buyer);
    expect(audit!.summary).toContain("re_test_1");
    // Access ends only when Stripe's charge.refunded webhook arrives.
    expect(await enrolment()).toEqual({ status: "active" });

    const page = await (await getWithStripe("/admin/payments?refund=pi_buyer", stripe)).text();
    has(page, "Refund requested, waiting for Stripe");
    has(page, ">Refund requested<");
    hasNot(page, 'name="intent" value="refund"');
    expect(stripe.calls).toHaveLength(1);
  });

  it("refuses to ask again, or to refund a refunded or disputed payment, without calling Stripe", async () => {
    const stripe = fakeStripe(stripeSaysYes);
    const before = await auditCount();
    for (const payment of ["pi_buyer", "pi_refunded", "pi_disputed"]) {
      const response = await postWithStripe("/admin/payments", { intent: "refund", payment }, stripe);
      expect(response.status, payment).toBe(409);
    }
    const unknown = await postWithStripe("/admin/payments", { intent: "refund", payment: "pi_nope" }, stripe);
    expect(unknown.status).toBe(404);
    expect(stripe.calls).toEqual([]);
    expect(await auditCount()).toBe(before);
    expect(await enrolment()).toEqual({ status: "active" });
  });
});

describe("coupons", () => {
  let stripe: ReturnType<typeof fakeStripe>;
  beforeEach(() => {
    stripe = fakeStripe(stripeSaysYes);
  });

  it("names every wrong field, keeps what was typed, and sends nothing to Stripe", async () => {
    const before = await auditCount();
    const response = await postWithStripe(
      "/admin/coupons",
      {
        code: "no spaces!",
        percentOff: "150",
        amountOff: "",
        currency: "USD",
        expiresOn: "2020-01-01",
        maxRedemptions: "0",
      },
      stripe,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    for (const field of ["code", "percentOff", "expiresOn", "maxRedemptions"]) {
      has(html, `id="coupon-${field}-error"`);
    }
    has(html, 'value="no spaces!"');
    has(html, 'value="150"');
    has(html, "Use only letters, digits and dashes");
    has(html, "4 fields need");

    const both = await postWithStripe("/admin/coupons", { ...VALID_COUPON, amountOff: "10" }, stripe);
    expect(both.status).toBe(400);
    has(await both.text(), "Fill in only one: a percentage off or an amount off.");
    const neither = await postWithStripe("/admin/coupons", { ...VALID_COUPON, percentOff: "" }, stripe);
    has(await neither.text(), 'id="coupon-percentOff-error"');
    const yen = await postWithStripe(
      "/admin/coupons",
      { ...VALID_COUPON, percentOff: "", amountOff: "10.5", currency: "jpy" },
      stripe,
    );
    has(await yen.text(), "JPY has no smaller unit");

    expect(stripe.calls).toEqual([]);
    expect(await count("select count(*) as n from coupons")).toBe(0);
    expect(await auditCount()).toBe(before);
  });

  it("creates a percentage coupon and its promotion code at Stripe, then stores it with an audit entry", async () => {
    const response = await postWithStripe("/admin/coupons", { ...VALID_COUPON, expiresOn: NEXT_YEAR }, stripe);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/coupons?created=SPRING-25");

    expect(stripe.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      "POST /v1/coupons",
      "POST /v1/promotion_codes",
    ]);
    expect(stripe.calls[0]!.body).toEqual({
      percent_off: "25",
      duration: "once",
      redeem_by: redeemBy(NEXT_YEAR),
      max_redemptions: "50",
      name: "SPRING-25",
    });
    expect(stripe.calls[1]!.body).toEqual({
      "promotion[type]": "coupon",
      "promotion[coupon]": "coupon_test_1",
      code: "SPRING-25",
      expires_at: redeemBy(NEXT_YEAR),
      max_redemptions: "50",
    });

    const row = await one<Record<string, unknown>>("select * from coupons where code = 'SPRING-25'");
    expect(row).toMatchObject({
      id: "coupon_test_1",
      promotion_code_id: "promo_test_1",
      percent_off: 25,
      amount_off_cents: null,
      currency: null,
      expires_at: Number(redeemBy(NEXT_YEAR)),
      max_redemptions: 50,
      created_by: admin.id,
    });
    const audit = await one<{ target_id: string; summary: string }>(
      "select target_id, summary from audit_log where action = 'coupon.create'",
    );
    expect(audit).toEqual({
      target_id: "coupon_test_1",
      summary: `Created coupon SPRING-25: 25% off, until ${NEXT_YEAR}, at most 50 uses`,
    });

    const page = await (await getWithStripe("/admin/coupons?created=SPRING-25", stripe)).text();
    has(page, "Coupon SPRING-25 created");
    has(page, ">SPRING-25</th>");
    has(page, "25% off");
  });

  it("creates an amount-off coupon in the currency's smallest unit, without limits", async () => {
    const fresh = fakeStripe((call) =>
      call.path === "/v1/coupons"
        ? { body: { id: "coupon_test_2", object: "coupon" } }
        : { body: { id: "promo_test_2", object: "promotion_code" } },
    );
    const response = await postWithStripe(
      "/admin/coupons",
      { ...VALID_COUPON, code: "WELCOME", percentOff: "", amountOff: "49.5", currency: "eur", maxRedemptions: "" },
      fresh,
    );
    expect(response.status).toBe(302);
    expect(fresh.calls[0]!.body).toEqual({ amount_off: "4950", currency: "eur", duration: "once", name: "WELCOME" });
    expect(fresh.calls[1]!.body).toEqual({
      "promotion[type]": "coupon",
      "promotion[coupon]": "coupon_test_2",
      code: "WELCOME",
    });
    expect(await one("select amount_off_cents as cents, currency from coupons where code = 'WELCOME'")).toEqual({
      cents: 4950,
      currency: "eur",
    });
    const page = await (await getWithStripe("/admin/coupons", fresh)).text();
    has(page, "€49.50 off");
  });

  it("refuses a code already in use before asking Stripe", async () => {
    const response = await postWithStripe("/admin/coupons", { ...VALID_COUPON, code: "Spring-25" }, stripe);
    expect(response.status).toBe(400);
    has(await response.text(), "Another coupon uses this code");
    expect(stripe.calls).toEqual([]);
  });

  it("stores nothing when Stripe refuses the promotion code, and deletes the coupon it made", async () => {
    const refusing = fakeStripe((call) => {
      if (call.path === "/v1/coupons") return { body: { id: "coupon_test_3", object: "coupon" } };
      if (call.path === "/v1/coupons/coupon_test_3") return { body: { id: "coupon_test_3", deleted: true } };
      return {
        status: 400,
        body: { error: { type: "invalid_request_error", message: "This promotion code is already in use." } },
      };
    });
    const before = await auditCount();
    const response = await postWithStripe("/admin/coupons", { ...VALID_COUPON, code: "TAKEN-AT-STRIPE" }, refusing);
    expect(response.status).toBe(502);
    const html = await response.text();
    has(html, "This promotion code is already in use.");
    has(html, 'value="TAKEN-AT-STRIPE"');
    expect(refusing.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      "POST /v1/coupons",
      "POST /v1/promotion_codes",
      "DELETE /v1/coupons/coupon_test_3",
    ]);
    expect(await count("select count(*) as n from coupons where code = 'TAKEN-AT-STRIPE'")).toBe(0);
    expect(await auditCount()).toBe(before);
  });
});

describe("revenue on the overview", () => {
  const NOW = new Date();
  /** The first second of the UTC month `back` months before this one. */
  const monthStart = (back: number) => Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() - back, 1) / 1000;
  const monthKey = (back: number) => new Date(monthStart(back) * 1000).toISOString().slice(0, 7);

  beforeAll(async () => {
    const user = `(select id from users where email = '${EMAILS.other}')`;
    const payment = (id: string, amount: number, refundedAmount: number, currency: string, paidAt: number | null) =>
      env.DB.prepare(
        `insert into payments (id, user_id, amount, amount_refunded, refunded, currency, paid_at)
         values (?, ${user}, ?, ?, ?, ?, ?)`,
      ).bind(id, amount, refundedAmount, refundedAmount === amount ? 1 : 0, currency, paidAt);
    const invoice = (id: string, amountPaid: number, paidAt: number | null) =>
      env.DB.prepare(
        `insert into invoices (id, user_id, subscription_id, status, amount_due, amount_paid, currency, issued_at, paid_at)
         values (?, ${user}, 'sub_other', ?, 2900, ?, 'usd', ?, ?)`,
      ).bind(id, paidAt ? "paid" : "open", amountPaid, paidAt ?? monthStart(0), paidAt);
    await env.DB.batch([
      payment("pi_usd_full", 49_000, 0, "usd", monthStart(0) + 60),
      payment("pi_usd_partial", 49_000, 10_000, "usd", monthStart(0) + 120), // 390.00 kept
      payment("pi_usd_refunded", 30_000, 30_000, "usd", monthStart(2) + 60), // nothing kept
      payment("pi_usd_unpaid", 20_000, 0, "usd", null),
      payment("pi_usd_too_old", 10_000, 0, "usd", monthStart(11) - 1),
      payment("pi_eur", 25_000, 0, "EUR", monthStart(1) + 60),
      invoice("in_now", 2_900, monthStart(0) + 300),
      invoice("in_last_month", 2_900, monthStart(1) + 300),
      invoice("in_open", 0, null),
      invoice("in_first_month", 2_900, monthStart(11)),
    ]);
  });

  it("equals the hand-computed numbers per month and currency", async () => {
    const overview = await getAdminOverview(testDatabase(), admin, NOW);
    const series = (currency: string) => overview.revenue.find((entry) => entry.currency === currency);
    const months = (filled: Record<number, [number, number]>) =>
      Array.from({ length: 12 }, (_, index) => {
        const back = 11 - index;
        const [seats, subscriptions] = filled[back] ?? [0, 0];
        return { month: monthKey(back), seats, subscriptions, total: seats + subscriptions };
      });

    // USD: this month 490.00 + (490.00 - 100.00) + one invoice of 29.00; last month an invoice; the
    // fully refunded payment adds nothing; the oldest month has its invoice paid on its first second.
    expect(series("usd")).toEqual({
      currency: "usd",
      months: months({ 0: [49_000 + 39_000, 2_900], 1: [0, 2_900], 2: [0, 0], 11: [0, 2_900] }),
      thisMonth: 90_900,
      total: 96_700,
    });
    expect(series("eur")).toEqual({
      currency: "eur",
      months: months({ 1: [25_000, 0] }),
      thisMonth: 0,
      total: 25_000,
    });
    // The fixtures of the tests above: CHF 490.00 paid this minute (its refund is only requested) and
    // the disputed payment, still counted; the fully refunded one is not.
    expect(series("chf")?.thisMonth).toBe(98_000);
    expect(overview.revenue.map((entry) => entry.currency)).toEqual(["chf", "usd", "eur"]);
  });

  it("shows the revenue chart, its table and this month's stat, in the page's usual round trips", async () => {
    const response = await request("/admin", { headers: { cookie: cookies.admin } });
    expect(response.status).toBe(200);
    const timing = serverTiming(response);
    const html = await response.text();
    // The session, the header's unread counts, then the one batch of the overview.
    expect(timing["d1-round-trips"]).toBe("3");
    expect(/Revenue this month<\/dt><dd[^>]*>(.*?)<\/dd>/.exec(html)?.[1]).toBe(
      '<span class="block">CHF\u00a0980.00</span><span class="block">$909.00</span><span class="block">€0.00</span>',
    );
    has(html, 'aria-labelledby="revenue-usd-chart-title revenue-usd-chart-desc"');
    has(html, '<title id="revenue-usd-chart-title">Revenue per month in USD, last 12 months</title>');
    has(html, "$967.00 from");
    const thisMonth = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(NOW);
    expect(html).toMatch(
      new RegExp(
        `<th scope="row"[^>]*><time dateTime="${monthKey(0)}">${thisMonth}</time></th><td[^>]*>\\$880.00</td><td[^>]*>\\$29.00</td><td[^>]*>\\$909.00</td>`,
      ),
    );
    has(html, 'href="/admin/payments"');
    has(html, 'href="/admin/coupons"');
  });
});
