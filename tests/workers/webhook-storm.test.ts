import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { GRACE_PERIOD_SECONDS } from "../../db/queries/payment-effects.ts";
import { upsertUserStatements } from "../../db/seed/user-statements.ts";
import { hashPassword } from "../../worker/auth/password.ts";
import { login, SAME_ORIGIN } from "./accounts.ts";
import { seedDemoCurriculum } from "./helpers.ts";
import {
  callWorker,
  charge,
  checkoutSession,
  deliver,
  dispute,
  FakeStripeApi,
  invoice,
  nowSeconds,
  stripeEnv,
  stripeEvent,
  stripeId,
  subscription,
  type StripeCall,
  type StripeEventJson,
  type StripeObject,
} from "./stripe-fixtures.ts";

// A webhook storm: 485 Stripe events from 75 buyers' purchases, each delivered one to three
// times, shuffled and sent 16 at a time, with 25 forged deliveries mixed in (1,000 in all).
// Stripe promises neither order nor single delivery, so the end state must not depend on
// either: it is compared, table by table, with what the same events mean when read in the
// order Stripe created them. The kinds of purchase, the copies and the order all come from
// SEED, so a failing storm replays exactly (only the random-looking ids differ).

const SEED = 0x5eed_2026;
const TOTAL_DELIVERIES = 1000;
const CONCURRENCY = 16;
const COHORTS = 6;
const CAPACITY = 8;
const DAY = 86_400;
const PASSWORD = "pays during the storm";
const LECTURE = "/api/modules/linux/lectures/users-groups-and-permissions";

// A plain paid seat is the commonest outcome, so it comes up twice as often.
const SEAT_KINDS = [
  "paid",
  "paid",
  "refunded",
  "partialRefund",
  "refundInTwo",
  "disputeWon",
  "disputeLost",
  "disputeOpen",
  "expired",
  "asyncPaid",
  "asyncFailed",
  "abandoned",
] as const;
const SUBSCRIPTION_KINDS = [
  "active",
  "renewed",
  "graceRunning",
  "graceLapsed",
  "recovered",
  "canceled",
  "cancelAtPeriodEnd",
  "unpaid",
  "checkoutExpired",
] as const;
type SeatKind = (typeof SEAT_KINDS)[number];
type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** The event types the webhook acts on; anything else is acknowledged as "ignored". */
const HANDLED = new Set([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
  "charge.succeeded",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.closed",
]);

/** mulberry32: a small seeded PRNG, so a failing order can be replayed exactly. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

// ---- The buyers and what they started, through the real checkout API -------------------

type Buyer = { id: string; email: string; cookie: string };
type Cohort = { id: number; slug: string; price: number };
type Started = { checkoutId: string; sessionId: string; call: StripeCall; enrollmentId: string | null };
type SeatStory = {
  kind: SeatKind;
  buyer: Buyer;
  cohort: Cohort;
  checkout: Started;
  paymentIntent: string;
  chargeId: string;
  customer: string;
  base: number;
};
type SubscriptionStory = {
  kind: SubscriptionKind;
  buyer: Buyer;
  checkout: Started;
  subscriptionId: string;
  customer: string;
  firstInvoice: string;
  renewal: string;
};

const stripe = new FakeStripeApi();
const bindings = () => stripeEnv(stripe);
const cohorts: Cohort[] = [];
const seatStories: SeatStory[] = [];
const subscriptionStories: SubscriptionStory[] = [];

async function newCohort(n: number, price: number): Promise<Cohort> {
  const slug = `storm-batch-${n}`;
  const now = nowSeconds();
  const id = await env.DB.prepare(
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents, currency)
     values (?, ?, 'DevOps Engineering', 'Europe/Berlin', ?, ?, ?, ?, ?, ?, 'usd') returning id`,
  )
    .bind(slug, `Storm batch ${n}`, now - 20 * DAY, now + 90 * DAY, now - 30 * DAY, now + 10 * DAY, CAPACITY, price)
    .first<number>("id");
  return { id: id!, slug, price };
}

async function newBuyers(count: number): Promise<Buyer[]> {
  // One hash for everyone: scrypt is the slow part of making an account.
  const passwordHash = await hashPassword(PASSWORD);
  const buyers: Buyer[] = [];
  for (let n = 1; n <= count; n++) {
    const email = `storm-${n}@pay.example.com`;
    const id = crypto.randomUUID();
    const statements = upsertUserStatements({
      id,
      accountId: crypto.randomUUID(),
      name: `Storm buyer ${n}`,
      email,
      role: "student",
      passwordHash,
    });
    await env.DB.batch(statements.map((statement) => env.DB.prepare(statement)));
    const cookie = await login(email, PASSWORD, { "cf-connecting-ip": `198.19.${Math.floor(n / 250)}.${n % 250}` });
    const userId = await env.DB.prepare("select id from users where email = ?").bind(email).first<string>("id");
    buyers.push({ id: userId!, email, cookie });
  }
  return buyers;
}

async function startCheckout(buyer: Buyer, body: unknown): Promise<Started> {
  const response = await callWorker(bindings(), "/api/checkout", {
    method: "POST",
    headers: { ...SAME_ORIGIN, "content-type": "application/json", cookie: buyer.cookie },
    body: JSON.stringify(body),
  });
  expect(response.status, "POST /api/checkout").toBe(201);
  const { checkoutId } = (await response.json()) as { checkoutId: string };
  const call = stripe.callsTo("POST /v1/checkout/sessions").find((c) => c.params.client_reference_id === checkoutId);
  const row = await env.DB.prepare("select stripe_session_id, enrollment_id from checkouts where id = ?")
    .bind(checkoutId)
    .first<{ stripe_session_id: string; enrollment_id: string | null }>();
  return { checkoutId, sessionId: row!.stripe_session_id, call: call!, enrollmentId: row!.enrollment_id };
}

// ---- What Stripe sends for each purchase, in the order it creates the events ------------

function seatEvents(story: SeatStory): StripeEventJson[] {
  const { kind, checkout, paymentIntent, chargeId, customer, cohort } = story;
  let clock = story.base;
  const next = () => ({ created: clock++ });
  const session = (type: string, paymentStatus: "paid" | "unpaid", status: "complete" | "expired" = "complete") =>
    stripeEvent(
      type,
      checkoutSession({
        id: checkout.sessionId,
        params: checkout.call.params,
        status,
        paymentStatus,
        paymentIntent: status === "expired" ? null : paymentIntent,
        customer: status === "expired" ? null : customer,
      }),
      next(),
    );
  const intent = (type: string, status: string) =>
    stripeEvent(
      type,
      { id: paymentIntent, object: "payment_intent", amount: cohort.price, currency: "usd", status },
      next(),
    );
  const chargeEvent = (type: string, refund: { refunded?: boolean; amountRefunded?: number } = {}) =>
    stripeEvent(type, charge({ id: chargeId, paymentIntent, amount: cohort.price, ...refund }), next());
  const disputeId = `dp_${paymentIntent.slice(3)}`;
  const disputeEvent = (type: string, status: "needs_response" | "under_review" | "won" | "lost") =>
    stripeEvent(type, dispute({ id: disputeId, charge: chargeId, paymentIntent, status }), next());
  const customerCreated = () =>
    stripeEvent("customer.created", { id: customer, object: "customer", email: story.buyer.email }, next());

  if (kind === "abandoned") {
    // Still on Stripe's page after a declined card: the seat stays held.
    return [
      intent("payment_intent.created", "requires_payment_method"),
      intent("payment_intent.payment_failed", "requires_payment_method"),
    ];
  }
  if (kind === "expired") {
    return [
      intent("payment_intent.created", "requires_payment_method"),
      session("checkout.session.expired", "unpaid", "expired"),
    ];
  }
  if (kind === "asyncPaid" || kind === "asyncFailed") {
    const start = [
      customerCreated(),
      intent("payment_intent.created", "requires_payment_method"),
      session("checkout.session.completed", "unpaid"),
      intent("payment_intent.processing", "processing"),
    ];
    if (kind === "asyncFailed") {
      return [
        ...start,
        chargeEvent("charge.failed"),
        intent("payment_intent.payment_failed", "requires_payment_method"),
        session("checkout.session.async_payment_failed", "unpaid"),
      ];
    }
    return [
      ...start,
      chargeEvent("charge.succeeded"),
      intent("payment_intent.succeeded", "succeeded"),
      session("checkout.session.async_payment_succeeded", "paid"),
    ];
  }
  const paid = [
    customerCreated(),
    intent("payment_intent.created", "requires_payment_method"),
    chargeEvent("charge.succeeded"),
    intent("payment_intent.succeeded", "succeeded"),
    session("checkout.session.completed", "paid"),
  ];
  switch (kind) {
    case "paid":
      return paid;
    case "refunded":
      return [...paid, chargeEvent("charge.refunded", { refunded: true })];
    case "partialRefund":
      return [...paid, chargeEvent("charge.refunded", { amountRefunded: 9_000 })];
    case "refundInTwo":
      return [
        ...paid,
        chargeEvent("charge.refunded", { amountRefunded: 20_000 }),
        chargeEvent("charge.refunded", { refunded: true }),
      ];
    case "disputeWon":
      return [
        ...paid,
        disputeEvent("charge.dispute.created", "needs_response"),
        disputeEvent("charge.dispute.updated", "under_review"),
        disputeEvent("charge.dispute.closed", "won"),
      ];
    case "disputeLost":
      return [
        ...paid,
        disputeEvent("charge.dispute.created", "needs_response"),
        disputeEvent("charge.dispute.closed", "lost"),
      ];
    case "disputeOpen":
      return [...paid, disputeEvent("charge.dispute.created", "needs_response")];
  }
}

/** When each kind of subscription renews (its first period ends), relative to now. */
const RENEWS_DAYS_AGO: Record<SubscriptionKind, number> = {
  active: -27,
  renewed: 5,
  graceRunning: 2,
  graceLapsed: 10,
  recovered: 6,
  canceled: -10,
  cancelAtPeriodEnd: -10,
  unpaid: 20,
  checkoutExpired: -30,
};

function subscriptionEvents(story: SubscriptionStory, index: number): StripeEventJson[] {
  const { kind, checkout, subscriptionId, customer, buyer } = story;
  const renewsAt = nowSeconds() - RENEWS_DAYS_AGO[kind] * DAY + index * 97;
  const startsAt = renewsAt - 30 * DAY;
  const firstEnd = renewsAt;
  const secondEnd = renewsAt + 30 * DAY;
  const sub = (type: string, status: string, periodEnd: number, created: number, extra: Partial<StripeObject> = {}) =>
    stripeEvent(
      type,
      {
        ...subscription({
          id: subscriptionId,
          customer,
          status,
          periodEnd,
          userId: buyer.id,
          checkoutId: checkout.checkoutId,
        }),
        ...extra,
      },
      { created },
    );
  const bill = (type: string, id: string, status: "open" | "paid", issuedAt: number, created: number) =>
    stripeEvent(type, invoice({ id, subscription: subscriptionId, customer, status, created: issuedAt }), { created });
  const completed = (created: number) =>
    stripeEvent(
      "checkout.session.completed",
      checkoutSession({
        id: checkout.sessionId,
        params: checkout.call.params,
        mode: "subscription",
        subscription: subscriptionId,
        customer,
      }),
      { created },
    );

  if (kind === "checkoutExpired") {
    return [
      stripeEvent(
        "checkout.session.expired",
        checkoutSession({ id: checkout.sessionId, params: checkout.call.params, status: "expired" }),
        { created: startsAt },
      ),
    ];
  }
  const s = startsAt;
  // Stripe creates the incomplete subscription and activates it within the same second.
  const signup = [
    stripeEvent("customer.created", { id: customer, object: "customer", email: buyer.email }, { created: s }),
    sub("customer.subscription.created", "incomplete", firstEnd, s + 1),
    sub("customer.subscription.updated", "active", firstEnd, s + 1),
    bill("invoice.paid", story.firstInvoice, "paid", s + 1, s + 2),
    bill("invoice.payment_succeeded", story.firstInvoice, "paid", s + 1, s + 2),
    completed(s + 3),
  ];
  const r = renewsAt;
  // The period rolls over first; Stripe tries to collect the renewal invoice about an hour later.
  const renewal = [sub("customer.subscription.updated", "active", secondEnd, r)];
  const failedRenewal = [
    ...renewal,
    bill("invoice.payment_failed", story.renewal, "open", r, r + 3600),
    sub("customer.subscription.updated", "past_due", secondEnd, r + 3601),
  ];
  switch (kind) {
    case "active":
      return signup;
    case "renewed":
      return [
        ...signup,
        ...renewal,
        bill("invoice.paid", story.renewal, "paid", r, r + 3600),
        bill("invoice.payment_succeeded", story.renewal, "paid", r, r + 3600),
      ];
    case "graceRunning":
    case "graceLapsed":
      return [...signup, ...failedRenewal];
    case "recovered":
      return [
        ...signup,
        ...failedRenewal,
        bill("invoice.paid", story.renewal, "paid", r, r + DAY),
        bill("invoice.payment_succeeded", story.renewal, "paid", r, r + DAY),
        sub("customer.subscription.updated", "active", secondEnd, r + DAY + 1),
      ];
    case "unpaid":
      return [
        ...signup,
        ...failedRenewal,
        bill("invoice.payment_failed", story.renewal, "open", r, r + 3 * DAY),
        sub("customer.subscription.updated", "unpaid", secondEnd, r + 8 * DAY),
      ];
    case "canceled":
      return [...signup, sub("customer.subscription.deleted", "canceled", firstEnd, nowSeconds() - 5 * DAY)];
    case "cancelAtPeriodEnd":
      return [
        ...signup,
        sub("customer.subscription.updated", "active", firstEnd, nowSeconds() - DAY, { cancel_at_period_end: true }),
      ];
  }
}

// ---- The expected end state: the same events applied in Stripe's order, one at a time ----

type CheckoutRow = {
  id: string;
  user_id: string;
  kind: string;
  status: string;
  payment_status: string | null;
  payment_intent_id: string | null;
  subscription_id: string | null;
  enrollment_id: string | null;
  amount_total: number | null;
};
type PaymentRow = {
  id: string;
  user_id: string | null;
  checkout_id: string | null;
  cohort_id: number | null;
  enrollment_id: string | null;
  charge_id: string | null;
  amount: number;
  amount_refunded: number;
  refunded: number;
  dispute_status: string | null;
  paid: number;
};
type SubscriptionRow = {
  id: string;
  user_id: string;
  customer_id: string | null;
  status: string;
  current_period_end: number | null;
  cancel_at_period_end: number;
  grace_ends_at: number | null;
};
type InvoiceRow = { id: string; user_id: string | null; subscription_id: string; status: string; amount_paid: number };
type EnrollmentRow = { id: string; user_id: string; cohort_id: number | null; source: string; status: string };

type Expected = {
  checkouts: CheckoutRow[];
  payments: PaymentRow[];
  subscriptions: SubscriptionRow[];
  invoices: InvoiceRow[];
  enrollments: EnrollmentRow[];
  customers: Array<{ user_id: string; customer_id: string }>;
};

type Owner = { userId: string; cohortId: number | null; enrollmentId: string | null };

function expectedState(stories: StripeEventJson[][], owners: Map<string, Owner>, initial: CheckoutRow[]): Expected {
  const checkouts = new Map(initial.map((row) => [row.id, { ...row }]));
  const payments = new Map<string, PaymentRow>();
  const subscriptions = new Map<string, SubscriptionRow>();
  const invoices = new Map<string, InvoiceRow>();
  const customers = new Map<string, string>();
  const issuedAt = new Map<string, number>();

  const payment = (id: string) => {
    let row = payments.get(id);
    if (!row) {
      row = {
        id,
        user_id: null,
        checkout_id: null,
        cohort_id: null,
        enrollment_id: null,
        charge_id: null,
        amount: 0,
        amount_refunded: 0,
        refunded: 0,
        dispute_status: null,
        paid: 0,
      };
      payments.set(id, row);
    }
    return row;
  };

  for (const story of stories) {
    for (const event of story) {
      const object = event.data.object;
      const text = (name: string) => (object[name] as string | null | undefined) ?? null;
      const number = (name: string) => object[name] as number;
      switch (event.type) {
        case "checkout.session.completed":
        case "checkout.session.async_payment_succeeded":
        case "checkout.session.async_payment_failed": {
          const checkout = checkouts.get(text("client_reference_id")!)!;
          const owner = owners.get(checkout.id)!;
          const paid = text("payment_status") === "paid";
          checkout.status = event.type.endsWith("failed") ? "failed" : "complete";
          checkout.payment_status = paid ? "paid" : "unpaid";
          checkout.payment_intent_id = text("payment_intent") ?? checkout.payment_intent_id;
          checkout.subscription_id = text("subscription") ?? checkout.subscription_id;
          checkout.amount_total = number("amount_total");
          const customer = text("customer");
          if (customer && !customers.has(owner.userId)) customers.set(owner.userId, customer);
          if (text("mode") === "payment" && paid) {
            Object.assign(payment(text("payment_intent")!), {
              user_id: owner.userId,
              checkout_id: checkout.id,
              cohort_id: owner.cohortId,
              enrollment_id: owner.enrollmentId,
              amount: number("amount_total"),
              paid: 1,
            });
          }
          if (text("mode") === "subscription") checkout.enrollment_id = `sub_${text("subscription")}`;
          break;
        }
        case "checkout.session.expired":
          checkouts.get(text("client_reference_id")!)!.status = "expired";
          break;
        case "charge.succeeded":
        case "charge.refunded": {
          const row = payment(text("payment_intent")!);
          row.amount ||= number("amount");
          row.charge_id = object.id;
          row.amount_refunded = number("amount_refunded");
          row.refunded = object.refunded ? 1 : 0;
          break;
        }
        case "charge.dispute.created":
          payment(text("payment_intent")!).dispute_status = "open";
          break;
        case "charge.dispute.closed":
          payment(text("payment_intent")!).dispute_status = text("status") === "lost" ? "lost" : "won";
          break;
        case "customer.subscription.created":
        case "customer.subscription.updated":
        case "customer.subscription.deleted": {
          const status = event.type.endsWith("deleted") ? "canceled" : text("status")!;
          const items = (object.items as { data: Array<{ current_period_end: number }> }).data;
          const userId = (object.metadata as { userId: string }).userId;
          const customer = text("customer")!;
          subscriptions.set(object.id, {
            id: object.id,
            user_id: userId,
            customer_id: customer,
            status,
            current_period_end: Math.max(...items.map((item) => item.current_period_end)),
            cancel_at_period_end: object.cancel_at_period_end ? 1 : 0,
            grace_ends_at: null,
          });
          if (!customers.has(userId)) customers.set(userId, customer);
          break;
        }
        case "invoice.paid":
        case "invoice.payment_failed": {
          const parent = object.parent as { subscription_details: { subscription: string } };
          invoices.set(object.id, {
            id: object.id,
            user_id: null,
            subscription_id: parent.subscription_details.subscription,
            status: event.type === "invoice.paid" ? "paid" : "open",
            amount_paid: number("amount_paid"),
          });
          issuedAt.set(object.id, number("created"));
          break;
        }
        default:
          break;
      }
    }
  }

  // A subscription that is not active is in its grace period from the issue of its oldest
  // invoice that a failed payment left unpaid.
  for (const sub of subscriptions.values()) {
    const unpaid = [...invoices.values()]
      .filter((row) => row.subscription_id === sub.id && row.status !== "paid")
      .map((row) => issuedAt.get(row.id)!);
    const inactive = sub.status !== "active" && sub.status !== "trialing";
    sub.grace_ends_at = inactive && unpaid.length > 0 ? Math.min(...unpaid) + GRACE_PERIOD_SECONDS : null;
  }

  const now = nowSeconds();
  const enrollments: EnrollmentRow[] = [];
  for (const checkout of checkouts.values()) {
    if (checkout.kind !== "seat") continue;
    const owner = owners.get(checkout.id)!;
    const paid = checkout.payment_intent_id ? payments.get(checkout.payment_intent_id) : undefined;
    let status = "active";
    if (checkout.status === "failed") status = "cancelled";
    else if (checkout.payment_status !== "paid") status = checkout.status === "expired" ? "expired" : "pending";
    else if (paid?.refunded) status = "refunded";
    else if (paid?.dispute_status === "open" || paid?.dispute_status === "lost") status = "suspended";
    enrollments.push({
      id: owner.enrollmentId!,
      user_id: owner.userId,
      cohort_id: owner.cohortId,
      source: "payment",
      status,
    });
  }
  for (const sub of subscriptions.values()) {
    const inGrace = sub.grace_ends_at === null || sub.grace_ends_at > now;
    const status =
      sub.status === "active" || sub.status === "trialing" || (sub.status === "past_due" && inGrace)
        ? "active"
        : ["past_due", "unpaid", "paused"].includes(sub.status)
          ? "suspended"
          : sub.status === "incomplete"
            ? "pending"
            : "cancelled";
    enrollments.push({ id: `sub_${sub.id}`, user_id: sub.user_id, cohort_id: null, source: "subscription", status });
  }
  for (const row of invoices.values()) row.user_id = subscriptions.get(row.subscription_id)?.user_id ?? null;

  const byId = <T extends { id: string }>(rows: Iterable<T>) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
  return {
    checkouts: byId(checkouts.values()),
    payments: byId(payments.values()),
    subscriptions: byId(subscriptions.values()),
    invoices: byId(invoices.values()),
    enrollments: byId(enrollments),
    customers: [...customers]
      .map(([user_id, customer_id]) => ({ user_id, customer_id }))
      .sort((a, b) => a.user_id.localeCompare(b.user_id)),
  };
}

async function actualState(): Promise<Expected> {
  const all = async <T>(query: string) => (await env.DB.prepare(query).all<T>()).results;
  return {
    checkouts: await all<CheckoutRow>(
      `select id, user_id, kind, status, payment_status, payment_intent_id, subscription_id, enrollment_id, amount_total
       from checkouts order by id`,
    ),
    payments: await all<PaymentRow>(
      `select id, user_id, checkout_id, cohort_id, enrollment_id, charge_id, amount, amount_refunded, refunded,
         dispute_status, paid_at is not null as paid from payments order by id`,
    ),
    subscriptions: await all<SubscriptionRow>(
      `select id, user_id, customer_id, status, current_period_end, cancel_at_period_end, grace_ends_at
       from subscriptions order by id`,
    ),
    invoices: await all<InvoiceRow>(
      "select id, user_id, subscription_id, status, amount_paid from invoices order by id",
    ),
    enrollments: await all<EnrollmentRow>("select id, user_id, cohort_id, source, status from enrollments order by id"),
    customers: await all<{ user_id: string; customer_id: string }>(
      "select user_id, customer_id from stripe_customers order by user_id",
    ),
  };
}

// ---- Deliveries ---------------------------------------------------------------------------

type Delivery =
  | { event: StripeEventJson; forged: false }
  | {
      event: StripeEventJson;
      forged: true;
      how: "wrong secret" | "tampered" | "stale signature" | "unsigned" | "live mode";
      /** What was signed, for a body changed after signing. */
      harmless: StripeEventJson;
    };
type Result = { delivery: Delivery; status: number; outcome?: string; code?: string };

async function send(delivery: Delivery): Promise<Result> {
  const options: NonNullable<Parameters<typeof deliver>[2]> = {};
  if (delivery.forged) {
    if (delivery.how === "wrong secret") options.secret = "whsec_an_attackers_guess";
    if (delivery.how === "stale signature") options.timestamp = nowSeconds() - 301;
    if (delivery.how === "unsigned") options.unsigned = true;
    // A real signature, over the same event before it was made harmful.
    if (delivery.how === "tampered") options.tamper = () => JSON.stringify(delivery.event, null, 2);
  }
  const signed = delivery.forged && delivery.how === "tampered" ? delivery.harmless : delivery.event;
  const response = await deliver(bindings(), signed, options);
  const body = (await response.json()) as { outcome?: string; error?: { code: string } };
  return { delivery, status: response.status, outcome: body.outcome, code: body.error?.code };
}

/** At most `concurrency` deliveries in flight, like Stripe's parallel webhook workers. */
async function deliverAll(deliveries: Delivery[], concurrency: number): Promise<Result[]> {
  const results: Result[] = new Array(deliveries.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const index = next++;
        results[index] = await send(deliveries[index]!);
      }
    }),
  );
  return results;
}

/**
 * Deliveries Stripe never made, each of which would do damage if accepted: full refunds,
 * cancellations and disputes against purchases that end the storm in good standing.
 */
function forgeries(random: () => number): Delivery[] {
  const hows = ["wrong secret", "tampered", "stale signature", "unsigned", "live mode"] as const;
  const seats = shuffle(
    seatStories.filter((story) => story.kind === "paid"),
    random,
  );
  const subscribers = shuffle(
    subscriptionStories.filter((story) => story.kind === "active" || story.kind === "renewed"),
    random,
  );
  const harmful = [
    (i: number) => {
      const seat = seats[i % seats.length]!;
      return charge({
        id: seat.chargeId,
        paymentIntent: seat.paymentIntent,
        amount: seat.cohort.price,
        refunded: true,
      });
    },
    (i: number) => {
      const story = subscribers[i % subscribers.length]!;
      return subscription({
        id: story.subscriptionId,
        customer: story.customer,
        status: "canceled",
        userId: story.buyer.id,
      });
    },
    (i: number) => {
      const seat = seats[i % seats.length]!;
      return dispute({ charge: seat.chargeId, paymentIntent: seat.paymentIntent, status: "needs_response" });
    },
  ];
  const types = ["charge.refunded", "customer.subscription.deleted", "charge.dispute.created"];
  return Array.from({ length: 25 }, (_, i): Delivery => {
    const how = hows[i % hows.length]!;
    const kind = i % harmful.length;
    const object = harmful[kind]!(i);
    const options = { created: nowSeconds() + DAY, livemode: how === "live mode" };
    const event = stripeEvent(types[kind]!, object, options);
    const harmless = stripeEvent("charge.updated", object, { ...options, id: event.id });
    return { forged: true, how, event, harmless };
  });
}

beforeAll(async () => {
  await seedDemoCurriculum();
  const random = prng(SEED);
  for (let n = 1; n <= COHORTS; n++) cohorts.push(await newCohort(n, 39_000 + n * 2_000));
  const seatKinds = shuffle(
    Array.from({ length: COHORTS * CAPACITY }, (_, i) => SEAT_KINDS[i % SEAT_KINDS.length]!),
    random,
  );
  const subscriptionKinds = Array.from({ length: 27 }, (_, i) => SUBSCRIPTION_KINDS[i % SUBSCRIPTION_KINDS.length]!);
  const buyers = await newBuyers(seatKinds.length + subscriptionKinds.length);
  const base = nowSeconds() - 6 * 3600;

  // Every seat of every cohort is held by someone paying for it.
  for (const [i, kind] of seatKinds.entries()) {
    const buyer = buyers[i]!;
    const cohort = cohorts[i % COHORTS]!;
    seatStories.push({
      kind,
      buyer,
      cohort,
      checkout: await startCheckout(buyer, { kind: "seat", cohort: cohort.slug }),
      paymentIntent: stripeId("pi"),
      chargeId: stripeId("ch"),
      customer: stripeId("cus"),
      base: base + i * 60,
    });
  }
  for (const [i, kind] of subscriptionKinds.entries()) {
    const buyer = buyers[seatKinds.length + i]!;
    subscriptionStories.push({
      kind,
      buyer,
      checkout: await startCheckout(buyer, { kind: "subscription" }),
      subscriptionId: stripeId("sub"),
      customer: stripeId("cus"),
      firstInvoice: stripeId("in"),
      renewal: stripeId("in"),
    });
  }
}, 90_000);

describe("a webhook storm", () => {
  it("of 1,000 deliveries, duplicated, shuffled and concurrent, converges to the state of the events in Stripe's order", async () => {
    const random = prng(SEED + 1);
    const stories = [
      ...seatStories.map((story) => seatEvents(story)),
      ...subscriptionStories.map((story, index) => subscriptionEvents(story, index)),
    ];
    const events = stories.flat();
    const forged = forgeries(random);

    // Every event at least once, then redeliveries (up to three copies) until the storm is full.
    const copies = new Map(events.map((event) => [event.id, 1]));
    const redeliveries = TOTAL_DELIVERIES - forged.length - events.length;
    expect(redeliveries, "room for duplicates").toBeGreaterThan(events.length / 2);
    for (let added = 0; added < redeliveries;) {
      const event = events[Math.floor(random() * events.length)]!;
      if (copies.get(event.id)! >= 3) continue;
      copies.set(event.id, copies.get(event.id)! + 1);
      added++;
    }
    const genuine: Delivery[] = events.flatMap((event) =>
      Array.from({ length: copies.get(event.id)! }, () => ({ event, forged: false as const })),
    );
    const deliveries = shuffle([...genuine, ...forged], random);
    expect(deliveries).toHaveLength(TOTAL_DELIVERIES);
    // The shuffle really reorders each purchase's events, not only the storm as a whole.
    const firstSeen = new Map<string, number>();
    deliveries.forEach((delivery, index) => {
      if (!firstSeen.has(delivery.event.id)) firstSeen.set(delivery.event.id, index);
    });
    const reordered = stories.filter((story) =>
      story.some((event, i) => i > 0 && firstSeen.get(event.id)! < firstSeen.get(story[i - 1]!.id)!),
    );
    expect(reordered.length, "purchases whose events arrive out of order").toBeGreaterThan(stories.length * 0.8);

    const started = Date.now();
    const results = await deliverAll(deliveries, CONCURRENCY);
    const elapsed = Date.now() - started;

    // Every genuine delivery is acknowledged; each event takes effect once and every other
    // copy of it is answered as a duplicate, even when copies race each other.
    const outcomes = new Map<string, string[]>();
    for (const result of results.filter((r) => !r.delivery.forged)) {
      expect(result.status, `${result.delivery.event.type} ${result.delivery.event.id}`).toBe(200);
      outcomes.set(result.delivery.event.id, [...(outcomes.get(result.delivery.event.id) ?? []), result.outcome!]);
    }
    for (const event of events) {
      const first = HANDLED.has(event.type) ? "applied" : "ignored";
      expect(outcomes.get(event.id)!.sort(), `${event.type} ${event.id}`).toEqual(
        [first, ...Array(copies.get(event.id)! - 1).fill("duplicate")].sort(),
      );
    }
    // Forgeries are refused with the documented 400 and leave no trace.
    for (const result of results.filter((r) => r.delivery.forged)) {
      const how = result.delivery.forged ? result.delivery.how : "";
      expect({ how, status: result.status, code: result.code }).toEqual({
        how,
        status: 400,
        code: how === "live mode" ? "LIVEMODE_MISMATCH" : "WEBHOOK_SIGNATURE_INVALID",
      });
    }
    const recorded = await env.DB.prepare(
      "select id, type, stripe_created_at as created from stripe_events order by id",
    ).all<{ id: string; type: string; created: number }>();
    expect(recorded.results).toEqual(
      events.map(({ id, type, created }) => ({ id, type, created })).sort((a, b) => a.id.localeCompare(b.id)),
    );

    // The end state, table by table, equals the events applied in Stripe's order.
    const owners = new Map<string, Owner>();
    for (const story of seatStories) {
      owners.set(story.checkout.checkoutId, {
        userId: story.buyer.id,
        cohortId: story.cohort.id,
        enrollmentId: story.checkout.enrollmentId,
      });
    }
    for (const story of subscriptionStories) {
      owners.set(story.checkout.checkoutId, { userId: story.buyer.id, cohortId: null, enrollmentId: null });
    }
    const initial: CheckoutRow[] = [...seatStories, ...subscriptionStories].map((story) => ({
      id: story.checkout.checkoutId,
      user_id: story.buyer.id,
      kind: "cohort" in story ? "seat" : "subscription",
      status: "open",
      payment_status: null,
      payment_intent_id: null,
      subscription_id: null,
      enrollment_id: story.checkout.enrollmentId,
      amount_total: null,
    }));
    const expected = expectedState(stories, owners, initial);
    const actual = await actualState();
    expect(actual.payments, "payments").toEqual(expected.payments);
    expect(actual.checkouts, "checkouts").toEqual(expected.checkouts);
    expect(actual.subscriptions, "subscriptions").toEqual(expected.subscriptions);
    expect(actual.invoices, "invoices").toEqual(expected.invoices);
    expect(actual.enrollments, "enrolments").toEqual(expected.enrollments);
    expect(actual.customers, "Stripe customers").toEqual(expected.customers);

    // The expectation is not trivial: every outcome a purchase can have is in it.
    expect(new Set(expected.enrollments.map((row) => `${row.source}:${row.status}`))).toEqual(
      new Set([
        "payment:active",
        "payment:pending",
        "payment:refunded",
        "payment:suspended",
        "payment:expired",
        "payment:cancelled",
        "subscription:active",
        "subscription:suspended",
        "subscription:cancelled",
      ]),
    );
    expect(expected.subscriptions.filter((row) => row.grace_ends_at !== null).length).toBeGreaterThan(0);

    // Access follows the end state: a student reads a locked lecture only with an active enrolment.
    const students = [...seatStories, ...subscriptionStories].map((story) => story.buyer);
    for (const student of students) {
      const active = expected.enrollments.some((row) => row.user_id === student.id && row.status === "active");
      const response = await callWorker(bindings(), LECTURE, { headers: { cookie: student.cookie } });
      expect(response.status, `${student.email} reads the lecture`).toBe(active ? 200 : 403);
    }

    // No cohort is over capacity, and exactly the seats the storm released can be sold again.
    for (const cohort of cohorts) {
      const taken = expected.enrollments.filter(
        (row) => row.cohort_id === cohort.id && (row.status === "active" || row.status === "pending"),
      ).length;
      expect(taken).toBeLessThanOrEqual(CAPACITY);
      const free = CAPACITY - taken;
      const shoppers = subscriptionStories.slice(0, free + 1).map((story) => story.buyer);
      const responses = await Promise.all(
        shoppers.map((buyer) =>
          callWorker(bindings(), "/api/checkout", {
            method: "POST",
            headers: { ...SAME_ORIGIN, "content-type": "application/json", cookie: buyer.cookie },
            body: JSON.stringify({ kind: "seat", cohort: cohort.slug }),
          }),
        ),
      );
      expect(responses.map((response) => response.status).sort(), cohort.slug).toEqual(
        [...Array(free).fill(201), 409].sort(),
      );
    }

    expect(elapsed, "the storm's wall time").toBeLessThan(90_000);
  }, 120_000);
});
