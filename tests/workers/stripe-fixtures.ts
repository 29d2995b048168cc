import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { app } from "../../worker/app.ts";

// Stripe's side of the conversation, without a network: webhook events signed by the real
// library (inside workerd, with SubtleCrypto) and a fake `fetch` standing in for Stripe's API.

export const SECRET_KEY = "sk_test_51SchoolFakeKey0000000000000000";
export const WEBHOOK_SECRET = "whsec_school_test_endpoint_secret";
export const API_VERSION = "2026-10-28.endive";

export const nowSeconds = () => Math.floor(Date.now() / 1000);

let counter = 0;
/** An id shaped like Stripe's: a prefix and random-looking characters. */
export const stripeId = (prefix: string) =>
  `${prefix}_test_${(++counter).toString(36).padStart(4, "0")}${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;

/** One request the Worker sent to Stripe's API. */
export type StripeCall = {
  method: string;
  path: string;
  /** The form body Stripe's client sent (application/x-www-form-urlencoded), decoded. */
  params: Record<string, string>;
  headers: Headers;
};

type Answer = { status: number; body: unknown } | "network-error";

/**
 * A stand-in for api.stripe.com: records every request and answers like Stripe does.
 * `failNext` makes the following calls fail, with an HTTP status or a dropped connection.
 */
export class FakeStripeApi {
  readonly calls: StripeCall[] = [];
  private failures: Answer[] = [];

  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.text();
    const call: StripeCall = {
      method: request.method,
      path: url.pathname,
      params: Object.fromEntries(new URLSearchParams(text || url.search)),
      headers: request.headers,
    };
    this.calls.push(call);
    const answer = this.failures.shift() ?? this.answer(call);
    if (answer === "network-error") throw new TypeError("Network connection lost.");
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json", "request-id": `req_${crypto.randomUUID().slice(0, 14)}` },
    });
  }) as typeof fetch;

  failNext(times: number, answer: "500" | "network-error") {
    const failure: Answer =
      answer === "500"
        ? { status: 500, body: { error: { type: "api_error", message: "An unknown error occurred." } } }
        : "network-error";
    this.failures.push(...Array.from({ length: times }, () => failure));
  }

  /** The calls to one endpoint, e.g. "POST /v1/checkout/sessions". */
  callsTo(endpoint: string) {
    return this.calls.filter((call) => `${call.method} ${call.path}` === endpoint);
  }

  private answer(call: StripeCall): Answer {
    if (call.method === "POST" && call.path === "/v1/checkout/sessions") {
      const id = stripeId("cs");
      return { status: 200, body: checkoutSession({ id, status: "open", params: call.params }) };
    }
    const expire = call.path.match(/^\/v1\/checkout\/sessions\/(cs_[^/]+)\/expire$/);
    if (call.method === "POST" && expire) {
      return { status: 200, body: { ...checkoutSession({ id: expire[1]!, status: "expired" }), url: null } };
    }
    if (call.method === "POST" && call.path === "/v1/billing_portal/sessions") {
      return {
        status: 200,
        body: { id: stripeId("bps"), object: "billing_portal.session", url: "https://billing.stripe.com/p/session/x" },
      };
    }
    return {
      status: 404,
      body: {
        error: { type: "invalid_request_error", message: `Unrecognized request URL (${call.method}: ${call.path}).` },
      },
    };
  }
}

/** The Worker's bindings with Stripe configured (test keys), talking to `api`. */
export function stripeEnv(api: FakeStripeApi, overrides: Record<string, unknown> = {}) {
  return {
    ...env,
    STRIPE_SECRET_KEY: SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_FETCH: api.fetch,
    ...overrides,
  } as Env;
}

/** A request through the real Worker app (Hono + Remix), with the bindings given. */
export async function callWorker(bindings: Env, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(new URL(path, "http://school.test"), init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

// ---- Events, shaped like Stripe's (API version 2026-10-28) ----------------------------

export type StripeObject = Record<string, unknown> & { id: string; object: string };
export type StripeEventJson = {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

export function stripeEvent(
  type: string,
  object: StripeObject,
  options: { id?: string; created?: number; livemode?: boolean } = {},
): StripeEventJson {
  return {
    id: options.id ?? stripeId("evt"),
    object: "event",
    api_version: API_VERSION,
    created: options.created ?? nowSeconds(),
    data: { object },
    livemode: options.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** Signs `payload` as Stripe does (the `Stripe-Signature` header), with the real library. */
export function signature(payload: string, options: { secret?: string; timestamp?: number } = {}) {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });
}

/** Stripe delivering `event` to POST /api/stripe/webhook, signed unless told otherwise. */
export async function deliver(
  bindings: Env,
  event: StripeEventJson,
  options: { secret?: string; timestamp?: number; tamper?: (payload: string) => string; unsigned?: boolean } = {},
) {
  const payload = JSON.stringify(event, null, 2);
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
  };
  if (!options.unsigned) headers["stripe-signature"] = await signature(payload, options);
  const body = options.tamper ? options.tamper(payload) : payload;
  return callWorker(bindings, "/api/stripe/webhook", { method: "POST", headers, body });
}

export function checkoutSession(options: {
  id?: string;
  checkoutId?: string;
  mode?: "payment" | "subscription";
  status?: "open" | "complete" | "expired";
  paymentStatus?: "paid" | "unpaid" | "no_payment_required";
  paymentIntent?: string | null;
  subscription?: string | null;
  customer?: string | null;
  amountTotal?: number;
  currency?: string;
  params?: Record<string, string>;
}): StripeObject {
  const id = options.id ?? stripeId("cs");
  const params = options.params ?? {};
  const mode = options.mode ?? (params.mode as "payment" | "subscription" | undefined) ?? "payment";
  const amount = options.amountTotal ?? Number(params["line_items[0][price_data][unit_amount]"] ?? 49000);
  const status = options.status ?? "complete";
  return {
    id,
    object: "checkout.session",
    adaptive_pricing: { enabled: true },
    allow_promotion_codes: true,
    amount_subtotal: amount,
    amount_total: amount,
    billing_address_collection: null,
    cancel_url: params.cancel_url ?? "http://school.test/checkout/cancel",
    client_reference_id: options.checkoutId ?? params.client_reference_id ?? null,
    created: nowSeconds() - 60,
    currency: options.currency ?? params["line_items[0][price_data][currency]"] ?? "usd",
    customer: options.customer ?? params.customer ?? null,
    customer_creation: params.customer_creation ?? null,
    customer_details:
      status === "complete" ? { email: "buyer@example.com", name: "Buyer", tax_exempt: "none", tax_ids: [] } : null,
    customer_email: params.customer_email ?? null,
    expires_at: Number(params.expires_at ?? nowSeconds() + 35 * 60),
    livemode: false,
    metadata: {
      ...(params["metadata[checkoutId]"] ? { checkoutId: params["metadata[checkoutId]"] } : {}),
      ...(params["metadata[userId]"] ? { userId: params["metadata[userId]"] } : {}),
      ...(params["metadata[cohortId]"] ? { cohortId: params["metadata[cohortId]"] } : {}),
    },
    mode,
    payment_intent: options.paymentIntent ?? null,
    payment_method_types: ["card"],
    payment_status: options.paymentStatus ?? (status === "complete" ? "paid" : "unpaid"),
    status,
    submit_type: null,
    subscription: options.subscription ?? null,
    success_url: params.success_url ?? "http://school.test/checkout/success",
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: status === "open" ? `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0` : null,
  };
}

export function subscription(options: {
  id: string;
  customer: string;
  status: string;
  userId?: string;
  checkoutId?: string;
  periodEnd?: number;
}): StripeObject {
  const start = nowSeconds() - 60;
  const periodEnd = options.periodEnd ?? start + 30 * 86_400;
  return {
    id: options.id,
    object: "subscription",
    billing_cycle_anchor: start,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: options.status === "canceled" ? nowSeconds() : null,
    collection_method: "charge_automatically",
    created: start,
    currency: "usd",
    customer: options.customer,
    items: {
      object: "list",
      data: [
        {
          id: stripeId("si"),
          object: "subscription_item",
          current_period_end: periodEnd,
          current_period_start: start,
          price: {
            id: stripeId("price"),
            object: "price",
            currency: "usd",
            unit_amount: 2900,
            recurring: { interval: "month" },
          },
          quantity: 1,
        },
      ],
      has_more: false,
    },
    latest_invoice: null,
    livemode: false,
    metadata: {
      ...(options.userId ? { userId: options.userId } : {}),
      ...(options.checkoutId ? { checkoutId: options.checkoutId } : {}),
    },
    start_date: start,
    status: options.status,
  };
}

export function invoice(options: {
  id?: string;
  subscription: string;
  customer: string;
  status: "open" | "paid";
  created?: number;
}): StripeObject {
  const created = options.created ?? nowSeconds();
  const paid = options.status === "paid";
  const id = options.id ?? stripeId("in");
  return {
    id,
    object: "invoice",
    amount_due: 2900,
    amount_paid: paid ? 2900 : 0,
    amount_remaining: paid ? 0 : 2900,
    attempt_count: 1,
    billing_reason: "subscription_cycle",
    collection_method: "charge_automatically",
    created,
    currency: "usd",
    customer: options.customer,
    hosted_invoice_url: `https://invoice.stripe.com/i/${id}`,
    invoice_pdf: `https://pay.stripe.com/invoice/${id}/pdf`,
    livemode: false,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: {}, subscription: options.subscription },
    },
    status: options.status,
    status_transitions: { finalized_at: created, paid_at: paid ? created : null, voided_at: null },
  };
}

export function charge(options: {
  paymentIntent: string;
  amount?: number;
  refunded?: boolean;
  amountRefunded?: number;
  id?: string;
}): StripeObject {
  const amount = options.amount ?? 49000;
  return {
    id: options.id ?? stripeId("ch"),
    object: "charge",
    amount,
    amount_captured: amount,
    amount_refunded: options.amountRefunded ?? (options.refunded ? amount : 0),
    captured: true,
    created: nowSeconds() - 120,
    currency: "usd",
    disputed: false,
    livemode: false,
    paid: true,
    payment_intent: options.paymentIntent,
    receipt_url: `https://pay.stripe.com/receipts/payment/${options.paymentIntent}`,
    refunded: options.refunded ?? false,
    status: "succeeded",
  };
}

export function dispute(options: {
  charge: string;
  paymentIntent: string;
  status: "needs_response" | "under_review" | "won" | "lost" | "warning_closed";
  id?: string;
}): StripeObject {
  return {
    id: options.id ?? stripeId("dp"),
    object: "dispute",
    amount: 49000,
    charge: options.charge,
    created: nowSeconds() - 60,
    currency: "usd",
    is_charge_refundable: false,
    livemode: false,
    payment_intent: options.paymentIntent,
    reason: "fraudulent",
    status: options.status,
  };
}
