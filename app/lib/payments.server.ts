import { data, redirect, type AppLoadContext } from "@remix-run/cloudflare";
import { ApiError } from "../../worker/api/errors.ts";
import { paymentsConfig, type PaymentsEnv } from "../../worker/payments/stripe-client.ts";

// What the payment pages share: the services a purchase needs, and how a refusal is shown.

export function paymentDeps(request: Request, context: AppLoadContext) {
  const { db, log } = context.services;
  return { env: context.cloudflare.env as PaymentsEnv, db, log, origin: new URL(request.url).origin };
}

export function paymentsEnabled(context: AppLoadContext): boolean {
  return paymentsConfig(context.cloudflare.env as PaymentsEnv) !== null;
}

/**
 * Runs a step that ends at a Stripe-hosted page: a redirect there on success, the clear
 * message of a refusal (sold out, not configured, Stripe down) with its status otherwise.
 */
export async function redirectToStripe(step: () => Promise<string>) {
  try {
    return redirect(await step(), 303);
  } catch (error) {
    if (error instanceof ApiError) return data({ error: error.message, code: error.code }, { status: error.status });
    throw error;
  }
}
