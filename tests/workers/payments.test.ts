import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { expireLapsedCheckouts } from "../../db/queries/checkouts.ts";
import { suspendLapsedSubscriptions } from "../../db/queries/payment-effects.ts";
import { createAccount, login, SAME_ORIGIN } from "./accounts.ts";
import { seedDemoCurriculum, testDatabase } from "./helpers.ts";
import {
  callWorker,
  charge,
  checkoutSession,
  deliver,
  dispute,
  FakeStripeApi,
  invoice,
  nowSeconds,
  SECRET_KEY,
  stripeEnv,
  stripeEvent,
  stripeId,
  subscription,
  type StripeCall,
} from "./stripe-fixtures.ts";

// The payments core, end to end through the real Worker: POST /api/checkout holds a seat and
// asks (a fake) Stripe for a Checkout Session; Stripe's signed webhooks then settle, refund,
// dispute and renew, and every outcome is read back from D1.

const DAY = 86_400;
const PASSWORD = "pays for the course";
const LECTURE = { module: "linux", slug: "users-groups-and-permissions" };
const PRICE_CENTS = 49_000;

type Student = { id: string; email: string; name: string; cookie: string };
type ErrorBody = { error: { code: string; message: string; requestId: string } };
type Started = { checkoutId: string; url: string };

let lectureId = 0;
let studentCount = 0;
let cohortCount = 0;

/** A verified student, signed in through the real /login form (each from its own address). */
async function newStudent(label = "student"): Promise<Student> {
  const n = ++studentCount;
  const email = `${label}-${n}@pay.example.com`;
  const name = `Payer ${n}`;
  await createAccount(email, PASSWORD, "student", name);
  const cookie = await login(email, PASSWORD, { "cf-connecting-ip": `198.18.${Math.floor(n / 250)}.${n % 250}` });
  const id = await env.DB.prepare("select id from users where email = ?").bind(email).first<string>("id");
  return { id: id!, email, name, cookie };
}

/** A cohort that started 20 days ago (Linux is released) and still takes enrolments. */
async function newCohort(capacity = 10): Promise<string> {
  const slug = `paid-batch-${++cohortCount}`;
  const now = nowSeconds();
  await env.DB.prepare(
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents, currency)
     values (?, ?, 'DevOps Engineering', 'Asia/Bishkek', ?, ?, ?, ?, ?, ?, 'usd')`,
  )
    .bind(
      slug,
      `Paid batch ${cohortCount}`,
      now - 20 * DAY,
      now + 90 * DAY,
      now - 30 * DAY,
      now + 10 * DAY,
      capacity,
      PRICE_CENTS,
    )
    .run();
  return slug;
}

function postCheckout(bindings: Env, who: Student | null, body: unknown) {
  return callWorker(bindings, "/api/checkout", {
    method: "POST",
    headers: { ...SAME_ORIGIN, "content-type": "application/json", ...(who ? { cookie: who.cookie } : {}) },
    body: JSON.stringify(body),
  });
}

/** A student starts paying; returns the checkout and the request Stripe received for it. */
async function startPurchase(stripe: FakeStripeApi, who: Student, body: unknown) {
  const response = await postCheckout(stripeEnv(stripe), who, body);
  expect(response.status, "POST /api/checkout").toBe(201);
  const started = (await response.json()) as Started;
  const call = stripe
    .callsTo("POST /v1/checkout/sessions")
    .find((c) => c.params.client_reference_id === started.checkoutId);
  expect(call, "a Checkout Session request for this checkout").toBeDefined();
  return { ...started, call: call!, sessionId: await sessionIdOf(started.checkoutId) };
}

const startSeatCheckout = (stripe: FakeStripeApi, who: Student, cohort: string) =>
  startPurchase(stripe, who, { kind: "seat", cohort });
const startSubscriptionCheckout = (stripe: FakeStripeApi, who: Student) =>
  startPurchase(stripe, who, { kind: "subscription" });

async function sessionIdOf(checkoutId: string) {
  return (await env.DB.prepare("select stripe_session_id from checkouts where id = ?")
    .bind(checkoutId)
    .first<string>("stripe_session_id"))!;
}

/** Stripe's checkout.session.* event for a session the Worker created. */
function sessionEvent(
  type: string,
  started: { sessionId: string; call: StripeCall },
  options: { paymentStatus?: "paid" | "unpaid"; paymentIntent?: string; customer?: string; subscription?: string } = {},
) {
  const status = type === "checkout.session.expired" ? "expired" : "complete";
  return stripeEvent(
    type,
    checkoutSession({
      id: started.sessionId,
      params: started.call.params,
      status,
      paymentStatus: options.paymentStatus ?? (status === "complete" ? "paid" : "unpaid"),
      paymentIntent: options.paymentIntent ?? null,
      customer: options.customer ?? null,
      subscription: options.subscription ?? null,
    }),
  );
}

/** A seat bought and paid for: the checkout completed with a PaymentIntent. */
async function paidSeat(stripe: FakeStripeApi, who: Student, cohort: string) {
  const started = await startSeatCheckout(stripe, who, cohort);
  const paymentIntent = stripeId("pi");
  const chargeId = stripeId("ch");
  const response = await deliver(
    stripeEnv(stripe),
    sessionEvent("checkout.session.completed", started, { paymentIntent, customer: stripeId("cus") }),
  );
  expect(response.status).toBe(200);
  expect(await seatStatus(started.checkoutId)).toBe("active");
  return { ...started, paymentIntent, chargeId };
}

async function seatStatus(checkoutId: string) {
  return env.DB.prepare("select e.status from enrollments e join checkouts c on c.enrollment_id = e.id where c.id = ?")
    .bind(checkoutId)
    .first<string>("status");
}

async function enrolments(userId: string, cohort?: string) {
  const { results } = await env.DB.prepare(
    `select e.id, e.status, e.source from enrollments e left join cohorts c on c.id = e.cohort_id
     where e.user_id = ?1 and (?2 is null or c.slug = ?2) order by e.created_at`,
  )
    .bind(userId, cohort ?? null)
    .all<{ id: string; status: string; source: string }>();
  return results;
}

async function checkoutRow(checkoutId: string) {
  return env.DB.prepare("select * from checkouts where id = ?").bind(checkoutId).first<Record<string, unknown>>();
}

async function count(sql: string, ...binds: unknown[]) {
  return (await env.DB.prepare(`select count(*) as n from ${sql}`)
    .bind(...binds)
    .first<number>("n"))!;
}

/** Everything payments can change, for "nothing changed" checks. */
async function paymentState() {
  const tables = [
    "enrollments",
    "checkouts",
    "payments",
    "subscriptions",
    "invoices",
    "stripe_customers",
    "certificates",
  ];
  const state: Record<string, unknown[]> = {};
  for (const table of tables) {
    state[table] = (await env.DB.prepare(`select * from ${table} order by rowid`).all()).results;
  }
  return state;
}

async function json<T>(response: Response) {
  return (await response.json()) as T;
}

/** What the student gets when reading a lecture that needs an active enrolment. */
function readLecture(bindings: Env, who: Student) {
  return callWorker(bindings, `/api/modules/${LECTURE.module}/lectures/${LECTURE.slug}`, {
    headers: { cookie: who.cookie },
  });
}

function savePosition(bindings: Env, who: Student) {
  return callWorker(bindings, `/api/progress/${lectureId}/position`, {
    method: "POST",
    headers: { ...SAME_ORIGIN, cookie: who.cookie, "content-type": "application/json" },
    body: JSON.stringify({ seconds: 42 }),
  });
}

function expectErrorShape(body: ErrorBody, code: string) {
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(typeof body.error.requestId).toBe("string");
  expect(body.error.requestId.length).toBeGreaterThan(0);
}

beforeAll(async () => {
  await seedDemoCurriculum();
  lectureId = (await env.DB.prepare("select id from lectures where slug = ?").bind(LECTURE.slug).first<number>("id"))!;
  expect(lectureId).toBeGreaterThan(0);
}, 60_000);

describe("POST /api/checkout", () => {
  it("holds a seat and asks Stripe for a payment-mode Checkout Session with the cohort's price", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort();
    const before = nowSeconds();

    const response = await postCheckout(stripeEnv(stripe), student, { kind: "seat", cohort });

    expect(response.status).toBe(201);
    const started = await json<Started>(response);
    expect(started.url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    expect(stripe.calls).toHaveLength(1);
    const [call] = stripe.calls;
    expect(`${call!.method} ${call!.path}`).toBe("POST /v1/checkout/sessions");
    expect(call!.headers.get("authorization")).toBe(`Bearer ${SECRET_KEY}`);
    expect(call!.headers.get("idempotency-key")).toBe(`checkout-${started.checkoutId}`);
    const cohortId = await env.DB.prepare("select id from cohorts where slug = ?").bind(cohort).first<number>("id");
    expect(call!.params).toMatchObject({
      mode: "payment",
      client_reference_id: started.checkoutId,
      customer_email: student.email,
      customer_creation: "always",
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": "usd",
      "line_items[0][price_data][unit_amount]": String(PRICE_CENTS),
      allow_promotion_codes: "true",
      "metadata[checkoutId]": started.checkoutId,
      "metadata[userId]": student.id,
      "metadata[cohortId]": String(cohortId),
      "payment_intent_data[metadata][checkoutId]": started.checkoutId,
      "payment_intent_data[metadata][userId]": student.id,
      success_url: `http://school.test/checkout/success?checkout=${started.checkoutId}`,
      cancel_url: `http://school.test/checkout/cancel?checkout=${started.checkoutId}`,
    });
    expect(call!.params["line_items[0][price_data][product_data][name]"]).toContain("DevOps Engineering");
    expect(call!.params.customer, "a first-time buyer has no Stripe customer yet").toBeUndefined();
    // Stripe refuses an expires_at under 30 minutes after it creates the session: keep a margin.
    const expiresAt = Number(call!.params.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 60 + 60);
    expect(expiresAt).toBeLessThanOrEqual(nowSeconds() + 24 * 3600);

    expect(await enrolments(student.id, cohort)).toEqual([
      expect.objectContaining({ status: "pending", source: "payment" }),
    ]);
    const row = await checkoutRow(started.checkoutId);
    expect(row).toMatchObject({
      user_id: student.id,
      kind: "seat",
      status: "open",
      cohort_id: cohortId,
      url: started.url,
      expires_at: expiresAt,
    });
    expect(row!.stripe_session_id).toMatch(/^cs_test_/);
    expect(row!.enrollment_id).toBe((await enrolments(student.id, cohort))[0]!.id);
  });

  it("asks for a monthly subscription-mode session carrying the student's id for the subscription", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();

    const started = await startSubscriptionCheckout(stripe, student);

    expect(stripe.calls).toHaveLength(1);
    expect(started.call.headers.get("idempotency-key")).toBe(`checkout-${started.checkoutId}`);
    expect(started.call.params).toMatchObject({
      mode: "subscription",
      client_reference_id: started.checkoutId,
      customer_email: student.email,
      "line_items[0][price_data][unit_amount]": "2900",
      "line_items[0][price_data][currency]": "usd",
      "line_items[0][price_data][recurring][interval]": "month",
      allow_promotion_codes: "true",
      "metadata[checkoutId]": started.checkoutId,
      "subscription_data[metadata][userId]": student.id,
      "subscription_data[metadata][checkoutId]": started.checkoutId,
    });
    expect(started.call.params.customer_creation, "subscriptions always create a customer").toBeUndefined();
    expect(await checkoutRow(started.checkoutId)).toMatchObject({
      kind: "subscription",
      status: "open",
      enrollment_id: null,
    });
    expect(await enrolments(student.id)).toEqual([]);
  });

  it("names the Stripe customer already on file for a returning buyer instead of their email", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    await env.DB.prepare("insert into stripe_customers (user_id, customer_id) values (?, 'cus_test_returning')")
      .bind(student.id)
      .run();

    const started = await startSeatCheckout(stripe, student, await newCohort());

    expect(started.call.params.customer).toBe("cus_test_returning");
    expect(started.call.params.customer_email).toBeUndefined();
    expect(started.call.params.customer_creation).toBeUndefined();
  });

  it("sends a student who asks again back to the checkout they already started, without a second session", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort();
    const first = await startSeatCheckout(stripe, student, cohort);

    const again = await postCheckout(stripeEnv(stripe), student, { kind: "seat", cohort });

    expect(again.status).toBe(201);
    expect(await json<Started>(again)).toEqual({ checkoutId: first.checkoutId, url: first.url });
    expect(stripe.callsTo("POST /v1/checkout/sessions")).toHaveLength(1);
    expect(await enrolments(student.id, cohort)).toHaveLength(1);
  });

  it("sells exactly the cohort's capacity to 20 students asking at once: 5 sessions, 15 SOLD_OUT", async () => {
    const stripe = new FakeStripeApi();
    const cohort = await newCohort(5);
    const students = await Promise.all(Array.from({ length: 20 }, () => newStudent("crowd")));

    const responses = await Promise.all(
      students.map((student) => postCheckout(stripeEnv(stripe), student, { kind: "seat", cohort })),
    );

    const created = responses.filter((response) => response.status === 201);
    const refused = responses.filter((response) => response.status !== 201);
    expect(created).toHaveLength(5);
    expect(refused.map((response) => response.status)).toEqual(Array(15).fill(409));
    for (const response of refused) expectErrorShape(await json<ErrorBody>(response), "SOLD_OUT");
    const urls = await Promise.all(created.map(async (response) => (await json<Started>(response)).url));
    for (const url of urls) expect(url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    expect(new Set(urls).size).toBe(5);
    expect(stripe.callsTo("POST /v1/checkout/sessions")).toHaveLength(5);
    expect(stripe.calls).toHaveLength(5);
    expect(await count("enrollments e join cohorts c on c.id = e.cohort_id where c.slug = ?", cohort)).toBe(5);
    expect(
      await count(
        "enrollments e join cohorts c on c.id = e.cohort_id where c.slug = ? and e.status = 'pending'",
        cohort,
      ),
    ).toBe(5);
    expect(await count("checkouts c join cohorts k on k.id = c.cohort_id where k.slug = ?", cohort)).toBe(5);
  });

  it("answers 502 PAYMENT_PROVIDER_ERROR and releases the held seat when Stripe answers 500", async () => {
    const stripe = new FakeStripeApi();
    // Stripe's client retries a 500 once, with the same idempotency key.
    stripe.failNext(2, "500");
    const student = await newStudent();
    const cohort = await newCohort(1);

    const response = await postCheckout(stripeEnv(stripe), student, { kind: "seat", cohort });

    expect(response.status).toBe(502);
    expectErrorShape(await json<ErrorBody>(response), "PAYMENT_PROVIDER_ERROR");
    const attempts = stripe.callsTo("POST /v1/checkout/sessions");
    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((call) => call.headers.get("idempotency-key"))).size).toBe(1);
    expect(await enrolments(student.id, cohort)).toEqual([]);
    expect(await count("checkouts where user_id = ?", student.id)).toBe(0);
    // The seat is free again: someone else can buy the only one.
    await startSeatCheckout(stripe, await newStudent(), cohort);
  });

  it("answers 502 PAYMENT_PROVIDER_ERROR and keeps nothing when Stripe cannot be reached", async () => {
    const stripe = new FakeStripeApi();
    stripe.failNext(4, "network-error");
    const student = await newStudent();
    const cohort = await newCohort();

    const seat = await postCheckout(stripeEnv(stripe), student, { kind: "seat", cohort });
    const monthly = await postCheckout(stripeEnv(stripe), student, { kind: "subscription" });

    for (const response of [seat, monthly]) {
      expect(response.status).toBe(502);
      expectErrorShape(await json<ErrorBody>(response), "PAYMENT_PROVIDER_ERROR");
    }
    expect(await enrolments(student.id)).toEqual([]);
    expect(await count("checkouts where user_id = ?", student.id)).toBe(0);
  });

  it("refuses a visitor who is not signed in with 401 and asks Stripe nothing", async () => {
    const stripe = new FakeStripeApi();
    const response = await postCheckout(stripeEnv(stripe), null, { kind: "seat", cohort: await newCohort() });

    expect(response.status).toBe(401);
    expectErrorShape(await json<ErrorBody>(response), "UNAUTHORIZED");
    expect(stripe.calls).toEqual([]);
  });

  it("refuses a cross-site POST with 403 and holds no seat", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort();
    const response = await callWorker(stripeEnv(stripe), "/api/checkout", {
      method: "POST",
      headers: { "sec-fetch-site": "cross-site", cookie: student.cookie, "content-type": "application/json" },
      body: JSON.stringify({ kind: "seat", cohort }),
    });

    expect(response.status).toBe(403);
    expect(stripe.calls).toEqual([]);
    expect(await enrolments(student.id)).toEqual([]);
  });

  it("answers 503 PAYMENTS_NOT_CONFIGURED when the Stripe keys are not set, holding nothing", async () => {
    const student = await newStudent();
    const cohort = await newCohort();
    const response = await postCheckout(env, student, { kind: "seat", cohort });

    expect(response.status).toBe(503);
    expectErrorShape(await json<ErrorBody>(response), "PAYMENTS_NOT_CONFIGURED");
    expect(await enrolments(student.id)).toEqual([]);
  });

  it("refuses a cohort that does not exist with 404", async () => {
    const stripe = new FakeStripeApi();
    const response = await postCheckout(stripeEnv(stripe), await newStudent(), {
      kind: "seat",
      cohort: "no-such-batch",
    });

    expect(response.status).toBe(404);
    expect(stripe.calls).toEqual([]);
  });
});

describe("GET /api/checkout/:id and POST /api/checkout/:id/cancel", () => {
  it("shows a student their own checkout and answers 404 to every other student", async () => {
    const stripe = new FakeStripeApi();
    const owner = await newStudent();
    const other = await newStudent();
    const cohort = await newCohort();
    const started = await startSeatCheckout(stripe, owner, cohort);

    const own = await callWorker(stripeEnv(stripe), `/api/checkout/${started.checkoutId}`, {
      headers: { cookie: owner.cookie },
    });
    const foreign = await callWorker(stripeEnv(stripe), `/api/checkout/${started.checkoutId}`, {
      headers: { cookie: other.cookie },
    });
    const foreignCancel = await callWorker(stripeEnv(stripe), `/api/checkout/${started.checkoutId}/cancel`, {
      method: "POST",
      headers: { ...SAME_ORIGIN, cookie: other.cookie },
    });

    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toBe("private, no-store");
    expect((await json<{ checkout: Record<string, unknown> }>(own)).checkout).toEqual({
      id: started.checkoutId,
      kind: "seat",
      status: "open",
      paymentStatus: null,
      cohortName: expect.stringMatching(/^Paid batch/),
      cohortSlug: cohort,
      access: "pending",
    });
    expect(foreign.status).toBe(404);
    expectErrorShape(await json<ErrorBody>(foreign), "NOT_FOUND");
    expect(await json(foreignCancel)).toEqual({ released: false });
    expect(stripe.callsTo(`POST /v1/checkout/sessions/${started.sessionId}/expire`)).toEqual([]);
    expect(await seatStatus(started.checkoutId)).toBe("pending");
  });

  it("expires the session at Stripe first, then releases the seat, when the student gives up", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort(1);
    const started = await startSeatCheckout(stripe, student, cohort);

    const response = await callWorker(stripeEnv(stripe), `/api/checkout/${started.checkoutId}/cancel`, {
      method: "POST",
      headers: { ...SAME_ORIGIN, cookie: student.cookie },
    });

    expect(await json(response)).toEqual({ released: true });
    expect(stripe.callsTo(`POST /v1/checkout/sessions/${started.sessionId}/expire`)).toHaveLength(1);
    expect(await checkoutRow(started.checkoutId)).toMatchObject({ status: "expired" });
    expect(await seatStatus(started.checkoutId)).toBe("expired");
    await startSeatCheckout(stripe, await newStudent(), cohort);
  });
});

describe("POST /api/stripe/webhook: verification", () => {
  async function completedEvent() {
    const stripe = new FakeStripeApi();
    const started = await startSeatCheckout(stripe, await newStudent(), await newCohort());
    return {
      stripe,
      started,
      event: sessionEvent("checkout.session.completed", started, { paymentIntent: stripeId("pi") }),
    };
  }

  async function expectRefused(response: Response, code: string, checkoutId: string, eventId: string) {
    expect(response.status).toBe(400);
    expectErrorShape(await json<ErrorBody>(response), code);
    expect(await seatStatus(checkoutId), "the seat is still only held").toBe("pending");
    expect(await count("stripe_events where id = ?", eventId)).toBe(0);
  }

  it("applies a correctly signed event and answers 200", async () => {
    const { stripe, started, event } = await completedEvent();

    const response = await deliver(stripeEnv(stripe), event);

    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ received: true, outcome: "applied" });
    expect(await seatStatus(started.checkoutId)).toBe("active");
    expect(
      await env.DB.prepare("select type, stripe_created_at from stripe_events where id = ?").bind(event.id).first(),
    ).toEqual({ type: "checkout.session.completed", stripe_created_at: event.created });
  });

  it("refuses a body changed after signing with 400 WEBHOOK_SIGNATURE_INVALID", async () => {
    const { stripe, started, event } = await completedEvent();
    const response = await deliver(stripeEnv(stripe), event, {
      tamper: (payload) => payload.replace(`"amount_total": ${PRICE_CENTS}`, `"amount_total": 1`),
    });
    await expectRefused(response, "WEBHOOK_SIGNATURE_INVALID", started.checkoutId, event.id);
  });

  it("refuses an event signed with another endpoint's secret with 400 WEBHOOK_SIGNATURE_INVALID", async () => {
    const { stripe, started, event } = await completedEvent();
    const response = await deliver(stripeEnv(stripe), event, { secret: "whsec_someone_elses_endpoint" });
    await expectRefused(response, "WEBHOOK_SIGNATURE_INVALID", started.checkoutId, event.id);
  });

  it("refuses a signature older than the 300 s tolerance with 400 WEBHOOK_SIGNATURE_INVALID", async () => {
    const { stripe, started, event } = await completedEvent();
    const response = await deliver(stripeEnv(stripe), event, { timestamp: nowSeconds() - 301 });
    await expectRefused(response, "WEBHOOK_SIGNATURE_INVALID", started.checkoutId, event.id);
  });

  it("refuses a delivery without a Stripe-Signature header with 400 WEBHOOK_SIGNATURE_INVALID", async () => {
    const { stripe, started, event } = await completedEvent();
    const response = await deliver(stripeEnv(stripe), event, { unsigned: true });
    await expectRefused(response, "WEBHOOK_SIGNATURE_INVALID", started.checkoutId, event.id);
  });

  it("refuses a live-mode event sent to test keys with 400 LIVEMODE_MISMATCH", async () => {
    const { stripe, started, event } = await completedEvent();
    const response = await deliver(stripeEnv(stripe), { ...event, livemode: true });
    await expectRefused(response, "LIVEMODE_MISMATCH", started.checkoutId, event.id);
  });

  it("refuses a test-mode event sent to live keys with 400 LIVEMODE_MISMATCH", async () => {
    const { stripe, started, event } = await completedEvent();
    const live = stripeEnv(stripe, { STRIPE_SECRET_KEY: "sk_live_51SchoolLiveKey" });
    const response = await deliver(live, event);
    await expectRefused(response, "LIVEMODE_MISMATCH", started.checkoutId, event.id);
  });

  it("answers 503 PAYMENTS_NOT_CONFIGURED when the webhook secret is not set", async () => {
    const { started, event } = await completedEvent();
    for (const bindings of [env, stripeEnv(new FakeStripeApi(), { STRIPE_WEBHOOK_SECRET: "" })]) {
      const response = await deliver(bindings, event);
      expect(response.status).toBe(503);
      expectErrorShape(await json<ErrorBody>(response), "PAYMENTS_NOT_CONFIGURED");
    }
    expect(await seatStatus(started.checkoutId)).toBe("pending");
    expect(await count("stripe_events where id = ?", event.id)).toBe(0);
  });

  it("acknowledges an event type it does not handle with 2xx and changes nothing", async () => {
    const { stripe } = await completedEvent();
    const before = await paymentState();
    const event = stripeEvent("customer.tax_id.created", {
      id: stripeId("txi"),
      object: "tax_id",
      country: "DE",
      customer: stripeId("cus"),
      type: "eu_vat",
      value: "DE123456789",
    });

    const response = await deliver(stripeEnv(stripe), event);

    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ received: true, outcome: "ignored" });
    expect(await paymentState()).toEqual(before);
  });
});

describe("POST /api/stripe/webhook: seats", () => {
  it("applies the same event delivered twice in a row once, answering the second as a duplicate", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort();
    const started = await startSeatCheckout(stripe, student, cohort);
    const paymentIntent = stripeId("pi");
    const event = sessionEvent("checkout.session.completed", started, { paymentIntent, customer: stripeId("cus") });

    const first = await deliver(stripeEnv(stripe), event);
    const second = await deliver(stripeEnv(stripe), event);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await json(first)).toEqual({ received: true, outcome: "applied" });
    expect(await json(second)).toEqual({ received: true, outcome: "duplicate" });
    expect(await enrolments(student.id, cohort)).toEqual([
      expect.objectContaining({ status: "active", source: "payment" }),
    ]);
    expect(await count("payments where id = ?", paymentIntent)).toBe(1);
    expect(await count("stripe_events where id = ?", event.id)).toBe(1);
    expect(await checkoutRow(started.checkoutId)).toMatchObject({
      status: "complete",
      payment_status: "paid",
      payment_intent_id: paymentIntent,
      amount_total: PRICE_CENTS,
      currency: "usd",
    });
    expect(
      await env.DB.prepare("select user_id, cohort_id, amount, refunded from payments where id = ?")
        .bind(paymentIntent)
        .first(),
    ).toMatchObject({ user_id: student.id, amount: PRICE_CENTS, refunded: 0 });
  });

  it("applies the same event delivered five times in parallel once: one applied, four duplicates", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort();
    const started = await startSeatCheckout(stripe, student, cohort);
    const paymentIntent = stripeId("pi");
    const event = sessionEvent("checkout.session.completed", started, { paymentIntent });

    const responses = await Promise.all(Array.from({ length: 5 }, () => deliver(stripeEnv(stripe), event)));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    const outcomes = await Promise.all(responses.map(async (r) => (await json<{ outcome: string }>(r)).outcome));
    expect(outcomes.sort()).toEqual(["applied", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect(await enrolments(student.id, cohort)).toEqual([expect.objectContaining({ status: "active" })]);
    expect(await count("payments where id = ?", paymentIntent)).toBe(1);
    expect(await count("stripe_events where id = ?", event.id)).toBe(1);
  });

  it("keeps a seat pending while a bank debit clears, then activates it once on async_payment_succeeded", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort();
    const started = await startSeatCheckout(stripe, student, cohort);
    const paymentIntent = stripeId("pi");
    const bindings = stripeEnv(stripe);

    await deliver(
      bindings,
      sessionEvent("checkout.session.completed", started, { paymentStatus: "unpaid", paymentIntent }),
    );
    expect(await checkoutRow(started.checkoutId)).toMatchObject({ status: "complete", payment_status: "unpaid" });
    expect(await seatStatus(started.checkoutId)).toBe("pending");
    expect((await readLecture(bindings, student)).status, "no access while the money is on its way").toBe(403);

    const succeeded = sessionEvent("checkout.session.async_payment_succeeded", started, { paymentIntent });
    await deliver(bindings, succeeded);
    await deliver(bindings, succeeded);
    // The "unpaid" completion redelivered late cannot undo the payment.
    await deliver(
      bindings,
      sessionEvent("checkout.session.completed", started, { paymentStatus: "unpaid", paymentIntent }),
    );

    expect(await enrolments(student.id, cohort)).toEqual([expect.objectContaining({ status: "active" })]);
    expect(await checkoutRow(started.checkoutId)).toMatchObject({ status: "complete", payment_status: "paid" });
    expect(await count("payments where id = ?", paymentIntent)).toBe(1);
    expect((await readLecture(bindings, student)).status).toBe(200);
  });

  it("releases the seat when the bank debit fails (async_payment_failed), so someone else can buy it", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort(1);
    const started = await startSeatCheckout(stripe, student, cohort);
    const paymentIntent = stripeId("pi");
    const bindings = stripeEnv(stripe);
    await deliver(
      bindings,
      sessionEvent("checkout.session.completed", started, { paymentStatus: "unpaid", paymentIntent }),
    );
    const blocked = await postCheckout(bindings, await newStudent(), { kind: "seat", cohort });
    expect(blocked.status, "the only seat is held while the debit clears").toBe(409);

    await deliver(
      bindings,
      sessionEvent("checkout.session.async_payment_failed", started, { paymentStatus: "unpaid", paymentIntent }),
    );

    expect(await enrolments(student.id, cohort)).toEqual([expect.objectContaining({ status: "cancelled" })]);
    expect(await checkoutRow(started.checkoutId)).toMatchObject({ status: "failed", payment_status: "unpaid" });
    expect(await count("payments where id = ?", paymentIntent)).toBe(0);
    await startSeatCheckout(stripe, await newStudent(), cohort);
  });

  it("releases the seat when the session expires unpaid (checkout.session.expired), so another student can buy it", async () => {
    const stripe = new FakeStripeApi();
    const first = await newStudent();
    const second = await newStudent();
    const cohort = await newCohort(1);
    const started = await startSeatCheckout(stripe, first, cohort);
    const bindings = stripeEnv(stripe);
    const soldOut = await postCheckout(bindings, second, { kind: "seat", cohort });
    expect(soldOut.status).toBe(409);
    expectErrorShape(await json<ErrorBody>(soldOut), "SOLD_OUT");

    const response = await deliver(bindings, sessionEvent("checkout.session.expired", started));

    expect(await json(response)).toEqual({ received: true, outcome: "applied" });
    expect(await checkoutRow(started.checkoutId)).toMatchObject({ status: "expired" });
    expect(await enrolments(first.id, cohort)).toEqual([expect.objectContaining({ status: "expired" })]);
    const retry = await postCheckout(bindings, second, { kind: "seat", cohort });
    expect(retry.status).toBe(201);
    expect(await enrolments(second.id, cohort)).toEqual([expect.objectContaining({ status: "pending" })]);
  });

  it("releases a hold whose session lapsed without Stripe saying so (the cron), yet honours a payment finished just before", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort(1);
    const started = await startSeatCheckout(stripe, student, cohort);
    const lapsed = new Date((Number(started.call.params.expires_at) + 1) * 1000);

    await expireLapsedCheckouts(testDatabase(), lapsed);

    expect(await checkoutRow(started.checkoutId)).toMatchObject({ status: "expired" });
    expect(await seatStatus(started.checkoutId)).toBe("expired");
    // Stripe took the payment in the session's last second; its event arrives after the cron.
    const paymentIntent = stripeId("pi");
    await deliver(stripeEnv(stripe), sessionEvent("checkout.session.completed", started, { paymentIntent }));
    expect(await checkoutRow(started.checkoutId)).toMatchObject({ status: "complete", payment_status: "paid" });
    expect(await enrolments(student.id, cohort)).toEqual([expect.objectContaining({ status: "active" })]);
  });

  it("ends access on a full refund (charge.refunded): enrolment refunded, lectures closed, certificate revoked", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort();
    const bindings = stripeEnv(stripe);
    const seat = await paidSeat(stripe, student, cohort);
    await env.DB.prepare(
      `insert into certificates (id, user_id, recipient_name, course_title, lecture_count, issued_at)
       values (?, ?, ?, 'DevOps Engineering', 40, unixepoch())`,
    )
      .bind(crypto.randomUUID(), student.id, student.name)
      .run();
    expect((await readLecture(bindings, student)).status).toBe(200);
    expect((await savePosition(bindings, student)).status).toBe(204);

    const response = await deliver(
      bindings,
      stripeEvent("charge.refunded", charge({ id: seat.chargeId, paymentIntent: seat.paymentIntent, refunded: true })),
    );

    expect(await json(response)).toEqual({ received: true, outcome: "applied" });
    expect(await enrolments(student.id, cohort)).toEqual([expect.objectContaining({ status: "refunded" })]);
    const lecture = await readLecture(bindings, student);
    expect(lecture.status).toBe(403);
    expect((await json<ErrorBody>(lecture)).error.code).toBe("ENROLLMENT_REQUIRED");
    const write = await savePosition(bindings, student);
    expect(write.status).toBe(403);
    expect((await json<ErrorBody>(write)).error.code).toBe("ENROLLMENT_REQUIRED");
    const certificate = await env.DB.prepare("select revoked_at, revoked_reason from certificates where user_id = ?")
      .bind(student.id)
      .first<{ revoked_at: number | null; revoked_reason: string | null }>();
    expect(certificate!.revoked_at).toBeGreaterThan(0);
    expect(certificate!.revoked_reason).toMatch(/refunded/);
    expect(
      await env.DB.prepare("select refunded, amount_refunded, charge_id from payments where id = ?")
        .bind(seat.paymentIntent)
        .first(),
    ).toEqual({
      refunded: 1,
      amount_refunded: PRICE_CENTS,
      charge_id: seat.chargeId,
    });
  });

  it("keeps the certificate of a refunded student whose subscription still gives full access", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const seat = await paidSeat(stripe, student, await newCohort());
    await env.DB.prepare(
      "insert into enrollments (id, user_id, status, source) values (?, ?, 'active', 'subscription')",
    )
      .bind(`sub_${stripeId("sub")}`, student.id)
      .run();
    await env.DB.prepare(
      `insert into certificates (id, user_id, recipient_name, course_title, lecture_count, issued_at)
       values (?, ?, ?, 'DevOps Engineering', 40, unixepoch())`,
    )
      .bind(crypto.randomUUID(), student.id, student.name)
      .run();

    await deliver(
      stripeEnv(stripe),
      stripeEvent("charge.refunded", charge({ paymentIntent: seat.paymentIntent, refunded: true })),
    );

    expect(await seatStatus(seat.checkoutId)).toBe("refunded");
    expect(await count("certificates where user_id = ? and revoked_at is null", student.id)).toBe(1);
  });

  it("keeps access and the certificate on a partial refund", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort();
    const seat = await paidSeat(stripe, student, cohort);
    await env.DB.prepare(
      `insert into certificates (id, user_id, recipient_name, course_title, lecture_count, issued_at)
       values (?, ?, ?, 'DevOps Engineering', 40, unixepoch())`,
    )
      .bind(crypto.randomUUID(), student.id, student.name)
      .run();

    await deliver(
      stripeEnv(stripe),
      stripeEvent(
        "charge.refunded",
        charge({ paymentIntent: seat.paymentIntent, refunded: false, amountRefunded: 9_000 }),
      ),
    );

    expect(await seatStatus(seat.checkoutId)).toBe("active");
    expect(await count("certificates where user_id = ? and revoked_at is null", student.id)).toBe(1);
  });

  it("applies a refund that arrives before the checkout completes once the checkout does", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const cohort = await newCohort();
    const started = await startSeatCheckout(stripe, student, cohort);
    const paymentIntent = stripeId("pi");
    const bindings = stripeEnv(stripe);

    await deliver(bindings, stripeEvent("charge.refunded", charge({ paymentIntent, refunded: true })));
    await deliver(bindings, sessionEvent("checkout.session.completed", started, { paymentIntent }));

    expect(await enrolments(student.id, cohort)).toEqual([expect.objectContaining({ status: "refunded" })]);
    expect(
      await env.DB.prepare("select user_id, refunded from payments where id = ?").bind(paymentIntent).first(),
    ).toEqual({
      user_id: student.id,
      refunded: 1,
    });
  });

  it("suspends the seat while a dispute runs and restores it when the dispute is won", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const seat = await paidSeat(stripe, student, await newCohort());
    const bindings = stripeEnv(stripe);
    const disputeId = stripeId("dp");
    const facts = { id: disputeId, charge: seat.chargeId, paymentIntent: seat.paymentIntent };

    await deliver(bindings, stripeEvent("charge.dispute.created", dispute({ ...facts, status: "needs_response" })));
    expect(await seatStatus(seat.checkoutId)).toBe("suspended");
    expect((await readLecture(bindings, student)).status).toBe(403);

    const won = stripeEvent("charge.dispute.closed", dispute({ ...facts, status: "won" }));
    await deliver(bindings, won);
    expect(await seatStatus(seat.checkoutId)).toBe("active");
    expect((await readLecture(bindings, student)).status).toBe(200);

    // The "created" event redelivered late cannot reopen a dispute that was closed.
    await deliver(bindings, stripeEvent("charge.dispute.created", dispute({ ...facts, status: "needs_response" })));
    expect(await seatStatus(seat.checkoutId)).toBe("active");
    expect(
      await env.DB.prepare("select dispute_status from payments where id = ?")
        .bind(seat.paymentIntent)
        .first("dispute_status"),
    ).toBe("won");
  });

  it("keeps the seat suspended when the dispute is lost", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const seat = await paidSeat(stripe, student, await newCohort());
    const bindings = stripeEnv(stripe);
    const facts = { charge: seat.chargeId, paymentIntent: seat.paymentIntent };

    await deliver(bindings, stripeEvent("charge.dispute.created", dispute({ ...facts, status: "needs_response" })));
    await deliver(bindings, stripeEvent("charge.dispute.closed", dispute({ ...facts, status: "lost" })));

    expect(await seatStatus(seat.checkoutId)).toBe("suspended");
    expect((await readLecture(bindings, student)).status).toBe(403);
  });

  it("restores the seat when an inquiry closes without a chargeback (dispute status warning_closed)", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const seat = await paidSeat(stripe, student, await newCohort());
    const bindings = stripeEnv(stripe);
    const facts = { charge: seat.chargeId, paymentIntent: seat.paymentIntent };

    await deliver(bindings, stripeEvent("charge.dispute.created", dispute({ ...facts, status: "needs_response" })));
    await deliver(bindings, stripeEvent("charge.dispute.closed", dispute({ ...facts, status: "warning_closed" })));

    expect(await seatStatus(seat.checkoutId)).toBe("active");
  });
});

describe("POST /api/stripe/webhook: subscriptions", () => {
  async function subscribed(stripe: FakeStripeApi, student: Student) {
    const started = await startSubscriptionCheckout(stripe, student);
    const subscriptionId = stripeId("sub");
    const customer = stripeId("cus");
    const bindings = stripeEnv(stripe);
    const created = nowSeconds() - 10;
    await deliver(
      bindings,
      stripeEvent(
        "customer.subscription.created",
        subscription({
          id: subscriptionId,
          customer,
          status: "active",
          userId: student.id,
          checkoutId: started.checkoutId,
        }),
        { created },
      ),
    );
    await deliver(
      bindings,
      sessionEvent("checkout.session.completed", started, { subscription: subscriptionId, customer }),
    );
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
    return { ...started, subscriptionId, customer, bindings, created };
  }

  async function subscriptionAccess(userId: string) {
    const { results } = await env.DB.prepare(
      "select id, status from enrollments where user_id = ? and source = 'subscription' order by created_at",
    )
      .bind(userId)
      .all<{ id: string; status: string }>();
    return results;
  }

  it("converges to one active subscription enrolment when the subscription event beats the checkout's", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const started = await startSubscriptionCheckout(stripe, student);
    const subscriptionId = stripeId("sub");
    const customer = stripeId("cus");
    const bindings = stripeEnv(stripe);
    const updated = stripeEvent(
      "customer.subscription.updated",
      subscription({
        id: subscriptionId,
        customer,
        status: "active",
        userId: student.id,
        checkoutId: started.checkoutId,
      }),
    );
    const completed = sessionEvent("checkout.session.completed", started, { subscription: subscriptionId, customer });

    await deliver(bindings, updated);
    await deliver(bindings, completed);
    await deliver(bindings, updated);
    await deliver(bindings, completed);

    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
    expect(await checkoutRow(started.checkoutId)).toMatchObject({
      status: "complete",
      subscription_id: subscriptionId,
      enrollment_id: `sub_${subscriptionId}`,
    });
    expect(
      await env.DB.prepare("select user_id, customer_id, status from subscriptions where id = ?")
        .bind(subscriptionId)
        .first(),
    ).toEqual({
      user_id: student.id,
      customer_id: customer,
      status: "active",
    });
    expect(
      await env.DB.prepare("select customer_id from stripe_customers where user_id = ?")
        .bind(student.id)
        .first("customer_id"),
    ).toBe(customer);
    expect((await readLecture(bindings, student)).status).toBe(200);
  });

  it("converges the same way when the checkout event comes first", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const started = await startSubscriptionCheckout(stripe, student);
    const subscriptionId = stripeId("sub");
    const customer = stripeId("cus");
    const bindings = stripeEnv(stripe);

    await deliver(
      bindings,
      sessionEvent("checkout.session.completed", started, { subscription: subscriptionId, customer }),
    );
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
    await deliver(
      bindings,
      stripeEvent(
        "customer.subscription.updated",
        subscription({ id: subscriptionId, customer, status: "active", userId: student.id }),
      ),
    );

    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
    expect(await checkoutRow(started.checkoutId)).toMatchObject({ enrollment_id: `sub_${subscriptionId}` });
  });

  it("files the first invoice under the student when invoice.paid arrives before anything else about the subscription", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const started = await startSubscriptionCheckout(stripe, student);
    const subscriptionId = stripeId("sub");
    const customer = stripeId("cus");
    const firstInvoice = stripeId("in");
    const bindings = stripeEnv(stripe);

    await deliver(
      bindings,
      stripeEvent(
        "invoice.paid",
        invoice({ id: firstInvoice, subscription: subscriptionId, customer, status: "paid" }),
      ),
    );
    await deliver(
      bindings,
      stripeEvent(
        "customer.subscription.created",
        subscription({
          id: subscriptionId,
          customer,
          status: "active",
          userId: student.id,
          checkoutId: started.checkoutId,
        }),
      ),
    );
    await deliver(
      bindings,
      sessionEvent("checkout.session.completed", started, { subscription: subscriptionId, customer }),
    );

    expect(
      await env.DB.prepare("select user_id, status from invoices where id = ?").bind(firstInvoice).first(),
    ).toEqual({
      user_id: student.id,
      status: "paid",
    });
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
  });

  it("does not let an older subscription event delivered late overwrite a newer status", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const { subscriptionId, customer, bindings } = await subscribed(stripe, student);
    const t = nowSeconds();

    await deliver(
      bindings,
      stripeEvent("customer.subscription.updated", subscription({ id: subscriptionId, customer, status: "canceled" }), {
        created: t + 5,
      }),
    );
    await deliver(
      bindings,
      stripeEvent("customer.subscription.updated", subscription({ id: subscriptionId, customer, status: "active" }), {
        created: t + 1,
      }),
    );

    expect(
      await env.DB.prepare("select status, stripe_updated_at from subscriptions where id = ?")
        .bind(subscriptionId)
        .first(),
    ).toEqual({
      status: "canceled",
      stripe_updated_at: t + 5,
    });
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "cancelled" }]);
    expect((await readLecture(bindings, student)).status).toBe(403);
  });

  it("does not let the incomplete 'created' event take access away when it lands after 'updated' of the same second", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const started = await startSubscriptionCheckout(stripe, student);
    const subscriptionId = stripeId("sub");
    const customer = stripeId("cus");
    const bindings = stripeEnv(stripe);
    const second = nowSeconds();
    const facts = { id: subscriptionId, customer, userId: student.id, checkoutId: started.checkoutId };

    await deliver(
      bindings,
      sessionEvent("checkout.session.completed", started, { subscription: subscriptionId, customer }),
    );
    await deliver(
      bindings,
      stripeEvent("customer.subscription.updated", subscription({ ...facts, status: "active" }), { created: second }),
    );
    await deliver(
      bindings,
      stripeEvent("customer.subscription.created", subscription({ ...facts, status: "incomplete" }), {
        created: second,
      }),
    );

    expect(
      await env.DB.prepare("select status from subscriptions where id = ?").bind(subscriptionId).first("status"),
    ).toBe("active");
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
  });

  it("keeps access through the 7-day grace period after a failed renewal, suspends after it, and invoice.paid restores it", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const { subscriptionId, customer, bindings } = await subscribed(stripe, student);
    const failedAt = nowSeconds();
    const renewal = stripeId("in");

    await deliver(
      bindings,
      stripeEvent(
        "invoice.payment_failed",
        invoice({ id: renewal, subscription: subscriptionId, customer, status: "open", created: failedAt }),
        {
          created: failedAt,
        },
      ),
    );
    await deliver(
      bindings,
      stripeEvent("customer.subscription.updated", subscription({ id: subscriptionId, customer, status: "past_due" }), {
        created: failedAt,
      }),
    );

    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
    expect((await readLecture(bindings, student)).status, "access during the grace period").toBe(200);
    expect(
      await env.DB.prepare("select grace_ends_at from subscriptions where id = ?")
        .bind(subscriptionId)
        .first("grace_ends_at"),
    ).toBe(failedAt + 7 * DAY);
    expect(await env.DB.prepare("select user_id, status from invoices where id = ?").bind(renewal).first()).toEqual({
      user_id: student.id,
      status: "open",
    });

    const db = testDatabase();
    expect(await suspendLapsedSubscriptions(db, new Date((failedAt + 6 * DAY) * 1000))).toEqual({ suspended: 0 });
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
    expect(
      (await suspendLapsedSubscriptions(db, new Date((failedAt + 8 * DAY) * 1000))).suspended,
    ).toBeGreaterThanOrEqual(1);
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "suspended" }]);
    expect((await readLecture(bindings, student)).status).toBe(403);

    await deliver(
      bindings,
      stripeEvent("invoice.paid", invoice({ id: renewal, subscription: subscriptionId, customer, status: "paid" }), {
        created: failedAt + 60,
      }),
    );

    expect(
      await env.DB.prepare("select grace_ends_at from subscriptions where id = ?")
        .bind(subscriptionId)
        .first("grace_ends_at"),
    ).toBeNull();
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
    expect(await env.DB.prepare("select status, amount_paid from invoices where id = ?").bind(renewal).first()).toEqual(
      {
        status: "paid",
        amount_paid: 2900,
      },
    );
  });

  it("ends the grace period when the retried renewal is paid, so the cron suspends nothing", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const { subscriptionId, customer, bindings } = await subscribed(stripe, student);
    const failedAt = nowSeconds();
    const renewal = stripeId("in");
    const failed = stripeEvent(
      "invoice.payment_failed",
      invoice({ id: renewal, subscription: subscriptionId, customer, status: "open", created: failedAt }),
      { created: failedAt },
    );

    await deliver(bindings, failed);
    await deliver(
      bindings,
      stripeEvent("customer.subscription.updated", subscription({ id: subscriptionId, customer, status: "past_due" }), {
        created: failedAt,
      }),
    );
    await deliver(
      bindings,
      stripeEvent("invoice.paid", invoice({ id: renewal, subscription: subscriptionId, customer, status: "paid" }), {
        created: failedAt + 3600,
      }),
    );

    expect(
      await env.DB.prepare("select grace_ends_at from subscriptions where id = ?")
        .bind(subscriptionId)
        .first("grace_ends_at"),
    ).toBeNull();
    await suspendLapsedSubscriptions(testDatabase(), new Date((failedAt + 8 * DAY) * 1000));
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "active" }]);
  });

  it("does not start a grace period from a failure whose invoice was already paid (events out of order)", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const { subscriptionId, customer, bindings } = await subscribed(stripe, student);
    const failedAt = nowSeconds();
    const renewal = stripeId("in");

    await deliver(
      bindings,
      stripeEvent("invoice.paid", invoice({ id: renewal, subscription: subscriptionId, customer, status: "paid" }), {
        created: failedAt + 3600,
      }),
    );
    await deliver(
      bindings,
      stripeEvent(
        "invoice.payment_failed",
        invoice({ id: renewal, subscription: subscriptionId, customer, status: "open" }),
        {
          created: failedAt,
        },
      ),
    );

    expect(
      await env.DB.prepare("select grace_ends_at from subscriptions where id = ?")
        .bind(subscriptionId)
        .first("grace_ends_at"),
    ).toBeNull();
    expect(await env.DB.prepare("select status from invoices where id = ?").bind(renewal).first("status")).toBe("paid");
  });

  it("does not end a grace period when an older invoice's payment is delivered late", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const { subscriptionId, customer, bindings } = await subscribed(stripe, student);
    const failedAt = nowSeconds();

    await deliver(
      bindings,
      stripeEvent(
        "invoice.payment_failed",
        invoice({ subscription: subscriptionId, customer, status: "open", created: failedAt }),
        {
          created: failedAt,
        },
      ),
    );
    await deliver(
      bindings,
      stripeEvent("customer.subscription.updated", subscription({ id: subscriptionId, customer, status: "past_due" }), {
        created: failedAt,
      }),
    );
    await deliver(
      bindings,
      stripeEvent(
        "invoice.paid",
        invoice({ subscription: subscriptionId, customer, status: "paid", created: failedAt - 30 * DAY }),
        { created: failedAt - 30 * DAY },
      ),
    );

    expect(
      await env.DB.prepare("select grace_ends_at from subscriptions where id = ?")
        .bind(subscriptionId)
        .first("grace_ends_at"),
    ).toBe(failedAt + 7 * DAY);
    await suspendLapsedSubscriptions(testDatabase(), new Date((failedAt + 8 * DAY) * 1000));
    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "suspended" }]);
  });

  it("sends a student back to the subscription checkout they already opened instead of a second session", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const first = await startSubscriptionCheckout(stripe, student);

    const again = await postCheckout(stripeEnv(stripe), student, { kind: "subscription" });

    expect(again.status).toBe(201);
    expect(await json<Started>(again)).toEqual({ checkoutId: first.checkoutId, url: first.url });
    expect(stripe.callsTo("POST /v1/checkout/sessions")).toHaveLength(1);
    expect(await count("checkouts where user_id = ?", student.id)).toBe(1);
  });

  it("refuses a second subscription to a student who already subscribes, so nobody is billed twice", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const { bindings } = await subscribed(stripe, student);
    const sessionsBefore = stripe.callsTo("POST /v1/checkout/sessions").length;

    const again = await postCheckout(bindings, student, { kind: "subscription" });

    expect(again.status).toBe(409);
    expectErrorShape(await json<ErrorBody>(again), "CONFLICT");
    expect(stripe.callsTo("POST /v1/checkout/sessions")).toHaveLength(sessionsBefore);
    expect(await count("checkouts where user_id = ? and kind = 'subscription'", student.id)).toBe(1);
  });

  it("cancels access when the subscription is deleted", async () => {
    const stripe = new FakeStripeApi();
    const student = await newStudent();
    const { subscriptionId, customer, bindings } = await subscribed(stripe, student);

    await deliver(
      bindings,
      stripeEvent("customer.subscription.deleted", subscription({ id: subscriptionId, customer, status: "canceled" }), {
        created: nowSeconds() + 1,
      }),
    );

    expect(await subscriptionAccess(student.id)).toEqual([{ id: `sub_${subscriptionId}`, status: "cancelled" }]);
    const resubscribe = await postCheckout(bindings, student, { kind: "subscription" });
    expect(resubscribe.status, "a cancelled subscriber may subscribe again").toBe(201);
  });
});
