import { data, type HeadersFunction } from "@remix-run/cloudflare";
import type { z } from "zod";

/** What a form shows after a failed submission: what was typed, and what is wrong. */
export type FormState = {
  fields: Record<string, string>;
  errors: Record<string, string>;
  formError?: string;
};

type Parsed<T> = { ok: true; data: T } | { ok: false; state: FormState };

/**
 * Validates a submission with zod. On failure, the first problem of each field and the
 * fields named in `echo` come back (never passwords), so the form keeps what was typed.
 */
export function parseForm<Schema extends z.ZodType>(
  formData: FormData,
  schema: Schema,
  echo: string[] = [],
): Parsed<z.infer<Schema>> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !(key in values)) values[key] = value;
  }
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };

  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, state: { fields: pick(values, echo), errors } };
}

function pick(values: Record<string, string>, keys: string[]) {
  return Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]!]));
}

type InvalidOptions = { status?: number; headers?: HeadersInit; intent?: string };

/** A 400 (or other) response carrying the form state back; `intent` names the form on multi-form pages. */
export function invalid(state: FormState, { status = 400, headers, intent }: InvalidOptions = {}) {
  return data({ state, intent }, { status, headers });
}

/** A form-level error (not tied to one field), keeping the echoed fields. */
export function formError(formData: FormData, message: string, echo: string[], options: InvalidOptions = {}) {
  const fields = Object.fromEntries(
    echo
      .map((key) => [key, formData.get(key)])
      .filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  return invalid({ fields, errors: {}, formError: message }, options);
}

/**
 * Routes that can answer 429 re-export this as `headers`: Remix applies loader and
 * action headers to document responses only through a route's `headers` function.
 */
export const forwardRetryAfter: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const retryAfter = actionHeaders.get("retry-after") ?? loaderHeaders.get("retry-after");
  const headers = new Headers();
  if (retryAfter) headers.set("retry-after", retryAfter);
  return headers;
};
