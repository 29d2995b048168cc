import { Hono } from "hono";
import * as z from "zod";
import { getCheckoutState } from "../../db/queries/checkouts.ts";
import { requireUser } from "../middleware/auth.ts";
import { cancelCheckout, startCheckout } from "../payments/checkout.ts";
import type { PaymentsEnv } from "../payments/stripe-client.ts";
import type { AppEnv } from "../types.ts";
import { ApiError } from "./errors.ts";
import { validate } from "./validate.ts";

const purchase = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("seat"), cohort: z.string().trim().min(1).max(80) }),
  z.object({ kind: z.literal("subscription") }),
]);
const checkoutParam = z.object({ checkoutId: z.uuid() });

/**
 * The signed-in student's purchases: start one (the answer is Stripe's page to send the
 * browser to), watch it settle, or give it up. Only the student's own checkouts exist here.
 */
export const checkoutApi = new Hono<AppEnv>()
  .use(requireUser)
  .post("/", validate("json", purchase), async (c) => {
    const { user } = (await c.var.services.auth.getSession())!;
    const { db, log } = c.var.services;
    const body = c.req.valid("json");
    const started = await startCheckout(
      { env: c.env as PaymentsEnv, db, log, origin: new URL(c.req.url).origin },
      user,
      body.kind === "seat" ? { kind: "seat", cohortSlug: body.cohort } : { kind: "subscription" },
    );
    return c.json(started, 201);
  })
  .get("/:checkoutId", validate("param", checkoutParam), async (c) => {
    const { user } = (await c.var.services.auth.getSession())!;
    const state = await getCheckoutState(c.var.services.db, user, c.req.valid("param").checkoutId);
    if (!state) throw new ApiError("NOT_FOUND", "You have no checkout with this id.");
    const { id, kind, status, paymentStatus, cohortName, cohortSlug, access } = state;
    return c.json({ checkout: { id, kind, status, paymentStatus, cohortName, cohortSlug, access } }, 200, {
      "cache-control": "private, no-store",
    });
  })
  .post("/:checkoutId/cancel", validate("param", checkoutParam), async (c) => {
    const { user } = (await c.var.services.auth.getSession())!;
    const { db, log } = c.var.services;
    const released = await cancelCheckout(
      { env: c.env as PaymentsEnv, db, log, origin: new URL(c.req.url).origin },
      user,
      c.req.valid("param").checkoutId,
    );
    return c.json({ released });
  });
