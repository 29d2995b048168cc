import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import * as z from "zod";
import { isCouponCodeTaken, listCoupons, recordCoupon, type CouponDraft } from "../../db/queries/admin-payments.ts";
import { createStripeCoupon } from "../../worker/payments/admin-stripe.ts";
import { paymentsConfig, type PaymentsEnv } from "../../worker/payments/stripe-client.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { DataTable } from "~/components/data-table";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { HintAndError, INPUT_CLASS, describedBy } from "~/components/field-parts";
import { Alert, SubmitButton } from "~/components/form";
import { formatWhen } from "~/components/project-submission-card";
import { requireAdmin } from "~/lib/auth.server";
import { formatMoney } from "~/lib/format";
import { formError, invalid, parseForm, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

// Discount codes. Each is a Stripe coupon (applied once) with one customer-facing promotion
// code; Stripe is asked first, and the row here is written only once both exist.

export const meta: MetaFunction = () => [...pageMeta("Coupons · Admin"), { name: "robots", content: "noindex" }];

const COUPON_FIELDS = ["code", "percentOff", "amountOff", "currency", "expiresOn", "maxRedemptions"];

/** Stripe refuses a coupon's redeem_by more than five years ahead. */
const MAX_YEARS_AHEAD = 5;
const MAX_AHEAD_MS = MAX_YEARS_AHEAD * 365 * 86_400_000;

export async function loader({ context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const rows = await listCoupons(context.services.db, admin);
  return {
    configured: paymentsConfig(context.cloudflare.env) !== null,
    coupons: rows.map((coupon) => ({
      id: coupon.id,
      code: coupon.code,
      discount: discountLabel(coupon),
      expiresAt: coupon.expiresAt?.toISOString() ?? null,
      maxRedemptions: coupon.maxRedemptions,
      createdAt: coupon.createdAt.toISOString(),
      createdByEmail: coupon.createdByEmail,
    })),
  };
}

function discountLabel(coupon: { percentOff: number | null; amountOffCents: number | null; currency: string | null }) {
  if (coupon.percentOff !== null) return `${coupon.percentOff}% off`;
  if (coupon.amountOffCents !== null && coupon.currency)
    return `${formatMoney(coupon.amountOffCents, coupon.currency)} off`;
  return "Unknown discount";
}

/** ISO currency codes the runtime knows; any three letters where it cannot list them. */
function isCurrency(code: string): boolean {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : null;
  return known ? known.includes(code.toUpperCase()) : /^[a-z]{3}$/i.test(code);
}

/** Digits after the decimal point in `currency`'s smallest unit (2 for USD, 0 for JPY). */
function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** An optional field: empty means "not given" (null), anything else must pass `schema`. */
const optional = <T,>(schema: z.ZodType<T, string>) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => value ?? "")
    .pipe(z.union([z.literal("").transform(() => null), schema]));

/** The last second (UTC) of a YYYY-MM-DD day, or null for a day that does not exist. */
function endOfDay(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, 23, 59, 59));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

const couponSchema = z.object({
  code: z
    .string({ error: "Enter a code." })
    .trim()
    .toUpperCase()
    .min(3, "Use at least 3 characters.")
    .max(32, "Use at most 32 characters.")
    .regex(/^[A-Z0-9-]+$/, "Use only letters, digits and dashes, like SPRING-25."),
  percentOff: optional(
    z
      .string()
      .regex(/^\d{1,3}$/, "Enter a whole percentage from 1 to 100.")
      .transform(Number)
      .refine((percent) => percent >= 1 && percent <= 100, "Enter a whole percentage from 1 to 100."),
  ),
  amountOff: optional(
    z
      .string()
      .regex(/^\d{1,7}(\.\d{1,3})?$/, "Enter the amount as a number, like 50 or 49.50.")
      .refine((amount) => Number(amount) > 0, "Enter an amount above 0."),
  ),
  currency: optional(
    z
      .string()
      .toLowerCase()
      .refine((code) => /^[a-z]{3}$/.test(code) && isCurrency(code), "Enter a three-letter currency code, like USD."),
  ),
  expiresOn: optional(
    z
      .string()
      .transform((value, context) => {
        const date = endOfDay(value);
        if (!date) {
          context.addIssue({ code: "custom", message: "Enter a date, like 2026-12-31." });
          return z.NEVER;
        }
        return date;
      })
      .refine((date) => date.getTime() > Date.now(), "Choose a day that has not ended yet.")
      .refine(
        (date) => date.getTime() - Date.now() < MAX_AHEAD_MS,
        `Choose a day less than ${MAX_YEARS_AHEAD} years ahead.`,
      ),
  ),
  maxRedemptions: optional(
    z
      .string()
      .regex(/^\d{1,7}$/, "Enter a whole number, like 20.")
      .transform(Number)
      .refine((uses) => uses >= 1 && uses <= 1_000_000, "Enter from 1 to 1,000,000."),
  ),
});

type Parsed = { ok: true; draft: CouponDraft } | { ok: false; state: FormState };

/** Each field on its own, then the discount: exactly one of a percentage and an amount with its currency. */
function parseCouponForm(formData: FormData): Parsed {
  const parsed = parseForm(formData, couponSchema, COUPON_FIELDS);
  if (!parsed.ok) return parsed;
  const form = parsed.data;
  const errors: Record<string, string> = {};
  const fail = () => ({ ok: false as const, state: { fields: echo(formData), errors } });
  const shared = { code: form.code, expiresAt: form.expiresOn, maxRedemptions: form.maxRedemptions };

  if (form.percentOff === null && form.amountOff === null) {
    errors.percentOff = "Enter a percentage off, or an amount off with its currency.";
    return fail();
  }
  if (form.percentOff !== null && form.amountOff !== null) {
    errors.amountOff = "Fill in only one: a percentage off or an amount off.";
    return fail();
  }
  if (form.percentOff !== null) {
    return { ok: true, draft: { ...shared, discount: { kind: "percent", percentOff: form.percentOff } } };
  }
  if (!form.currency) {
    errors.currency = "Enter the currency of the amount, like USD.";
    return fail();
  }
  const digits = minorDigits(form.currency);
  const [whole, fraction = ""] = form.amountOff!.split(".");
  if (fraction.length > digits) {
    errors.amountOff =
      digits === 0
        ? `${form.currency.toUpperCase()} has no smaller unit: enter a whole number.`
        : `Use at most ${digits} digits after the point for ${form.currency.toUpperCase()}.`;
    return fail();
  }
  const amountOffCents = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return { ok: true, draft: { ...shared, discount: { kind: "amount", amountOffCents, currency: form.currency } } };
}

/** What was typed, to put back into the form. */
function echo(formData: FormData): Record<string, string> {
  return Object.fromEntries(
    COUPON_FIELDS.map((name) => [name, formData.get(name)]).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

const CODE_TAKEN = "Another coupon uses this code; choose another.";

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db, log } = context.services;
  const formData = await request.formData();
  const env = context.cloudflare.env as PaymentsEnv;
  if (!paymentsConfig(env)) {
    return formError(
      formData,
      "Payments are not configured on this server, so Stripe cannot create coupons. Nothing was saved.",
      COUPON_FIELDS,
      { status: 409 },
    );
  }
  const parsed = parseCouponForm(formData);
  if (!parsed.ok) return invalid(parsed.state);
  const draft = parsed.draft;
  if (await isCouponCodeTaken(db, admin, draft.code)) {
    return invalid({ fields: echo(formData), errors: { code: CODE_TAKEN } });
  }

  const created = await createStripeCoupon(env, log, draft);
  if (!created.ok) return formError(formData, created.message, COUPON_FIELDS, { status: 502 });
  const stored = await recordCoupon(db, admin, draft, created.value, discountLabel(draftColumns(draft)));
  if (!stored.ok) return invalid({ fields: echo(formData), errors: { code: CODE_TAKEN } }, { status: 409 });
  return redirect(`/admin/coupons?${new URLSearchParams({ created: draft.code })}`);
}

function draftColumns({ discount }: CouponDraft) {
  return discount.kind === "percent"
    ? { percentOff: discount.percentOff, amountOffCents: null, currency: null }
    : { percentOff: null, amountOffCents: discount.amountOffCents, currency: discount.currency };
}

type InputProps = {
  name: string;
  label: string;
  hint?: ReactNode;
  values: Record<string, string>;
  errors: Record<string, string>;
  type?: "text" | "number" | "date";
  inputMode?: "numeric" | "decimal";
  className?: string;
  extra?: Record<string, string | number>;
};

function Input({ name, label, hint, values, errors, type = "text", inputMode, className, extra }: InputProps) {
  const id = `coupon-${name}`;
  const error = errors[name];
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        inputMode={inputMode}
        autoComplete="off"
        defaultValue={values[name] ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={INPUT_CLASS}
        {...extra}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

function Group({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset className="rounded-2xl border border-line bg-surface p-5 sm:p-6">
      <legend className="px-1 text-lg font-semibold">{title}</legend>
      {hint ? <p className="mb-4 text-sm text-muted">{hint}</p> : null}
      <div className="grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

const BLANK = { currency: "USD" };

function CouponForm({ state }: { state?: FormState }) {
  const values = state?.fields ?? BLANK;
  const errors = state?.errors ?? {};
  const count = Object.keys(errors).length;
  const props = { values, errors };
  return (
    <Form method="post" noValidate className="space-y-6" aria-labelledby="new-coupon-heading">
      <div aria-live="polite" className="empty:hidden">
        {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
        {!state?.formError && count > 0 ? (
          <Alert tone="error">
            {count === 1 ? "One field needs" : `${count} fields need`} your attention; nothing was sent to Stripe.
          </Alert>
        ) : null}
      </div>
      <div className="rounded-2xl border border-line bg-surface p-5 sm:p-6">
        <Input
          name="code"
          label="Code"
          hint="What students type at checkout: 3 to 32 letters, digits and dashes, like SPRING-25. Letters are saved in capitals."
          extra={{ maxLength: 32, spellCheck: "false", autoCapitalize: "characters" }}
          {...props}
        />
      </div>
      <Group
        title="Discount"
        hint="Fill in one: a percentage off, or an amount off with its currency. It applies once, to one payment (for a subscription, its first invoice)."
      >
        <Input
          name="percentOff"
          label="Percent off"
          type="number"
          inputMode="numeric"
          hint="From 1 to 100."
          className="sm:col-span-2"
          extra={{ min: 1, max: 100, step: 1 }}
          {...props}
        />
        <Input name="amountOff" label="Amount off" inputMode="decimal" hint="Like 50 or 49.50." {...props} />
        <Input
          name="currency"
          label="Currency of the amount"
          hint="Three letters, like USD or EUR."
          extra={{ maxLength: 3, autoCapitalize: "characters" }}
          {...props}
        />
      </Group>
      <Group title="Limits" hint="Both are optional; without them the code works until you deactivate it in Stripe.">
        <Input
          name="expiresOn"
          label="Last day it can be used"
          type="date"
          hint="It stops working at the end of this day (UTC)."
          {...props}
        />
        <Input
          name="maxRedemptions"
          label="Maximum redemptions"
          type="number"
          inputMode="numeric"
          hint="How many payments may use it in all."
          extra={{ min: 1, step: 1 }}
          {...props}
        />
      </Group>
      <div className="sm:w-56">
        <SubmitButton pending="Creating…">Create coupon</SubmitButton>
      </div>
    </Form>
  );
}

type CouponView = ReturnType<typeof useLoaderData<typeof loader>>["coupons"][number];

const CELL = "px-4 py-3 align-top";

function CouponsTable({ coupons }: { coupons: CouponView[] }) {
  return (
    <DataTable
      caption="Coupons, newest first"
      headings={["Code", "Discount", "Last day", "Maximum redemptions", "Created"]}
    >
      {coupons.map((coupon) => (
        <tr key={coupon.id}>
          <th scope="row" className={`${CELL} font-mono font-semibold whitespace-nowrap`}>
            {coupon.code}
          </th>
          <td className={`${CELL} whitespace-nowrap`}>{coupon.discount}</td>
          <td className={`${CELL} whitespace-nowrap`}>
            {coupon.expiresAt ? (
              <time dateTime={coupon.expiresAt}>{formatWhen(coupon.expiresAt)}</time>
            ) : (
              <span className="text-muted">No end</span>
            )}
          </td>
          <td className={`${CELL} tabular-nums`}>
            {coupon.maxRedemptions ?? <span className="text-muted">No limit</span>}
          </td>
          <td className={`${CELL} whitespace-nowrap`}>
            <time dateTime={coupon.createdAt}>{formatWhen(coupon.createdAt)}</time>
            {coupon.createdByEmail ? (
              <span className="block text-xs text-muted">by {coupon.createdByEmail}</span>
            ) : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Said when Stripe keys are missing (the payments page says the same). */
function PaymentsNotConfigured() {
  return (
    <Alert tone="info">
      <p className="font-semibold">Payments are not configured on this server.</p>
      <p className="mt-1">
        Stripe keys (<code>STRIPE_SECRET_KEY</code> and <code>STRIPE_WEBHOOK_SECRET</code>) are not set, so coupons
        cannot be created; the ones created earlier are still listed. The README section &ldquo;Payments with
        Stripe&rdquo; explains how to set them up. Meanwhile you can enrol students by hand, free of charge, on a{" "}
        <Link to="/admin/cohorts" className="text-accent-strong underline">
          cohort&rsquo;s page
        </Link>
        .
      </p>
    </Alert>
  );
}

export default function AdminCoupons() {
  const { configured, coupons } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  const [search] = useSearchParams();
  const created = search.get("created");

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Coupons" }]} />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Coupons</h1>
      <p className="mt-2 text-muted">
        Discount codes students enter on Stripe&rsquo;s checkout page, for a seat or a subscription. Payments are listed
        on{" "}
        <Link to="/admin/payments" className="text-accent-strong underline">
          Payments
        </Link>
        .
      </p>

      <div aria-live="polite" className="mt-6 empty:hidden">
        {created && !result ? (
          <Alert tone="success">{`Coupon ${created} created: students can enter it at checkout now.`}</Alert>
        ) : null}
      </div>

      <section aria-labelledby="new-coupon-heading" className="mt-8">
        <h2 id="new-coupon-heading" className="mb-4 text-xl font-semibold">
          New coupon
        </h2>
        {configured ? (
          <CouponForm state={result?.state} />
        ) : (
          <div className="space-y-3">
            <PaymentsNotConfigured />
            {result?.state?.formError ? <Alert tone="error">{result.state.formError}</Alert> : null}
          </div>
        )}
      </section>

      <section aria-labelledby="coupons-heading" className="mt-10">
        <h2 id="coupons-heading" className="mb-4 text-xl font-semibold">
          Existing coupons
        </h2>
        {coupons.length > 0 ? (
          <CouponsTable coupons={coupons} />
        ) : (
          <EmptyState title="No coupons yet">
            {configured
              ? "Create one above; it appears here, and students can use its code at checkout right away."
              : "Once Stripe is configured, the coupons you create appear here."}
          </EmptyState>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
