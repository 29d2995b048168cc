import { HTTPException } from "hono/http-exception";

/** Stable, documented error codes: clients branch on these, never on messages. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  /** The lecture exists but needs an active enrolment. */
  ENROLLMENT_REQUIRED: 403,
  /** Enrolled, but the cohort's drip schedule has not released the module yet. */
  NOT_RELEASED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  /** The request does not fit the resource's state (an upload already finished, parts missing). */
  CONFLICT: 409,
  /** An upload (or one of its parts) is larger than allowed. */
  FILE_TOO_LARGE: 413,
  /** An upload's bytes are not a type we accept, whatever its name says. */
  UNSUPPORTED_FILE_TYPE: 415,
  /** Every seat of the cohort is taken or held by someone paying for it. */
  SOLD_OUT: 409,
  /** A Stripe webhook whose signature is missing, wrong or too old. */
  WEBHOOK_SIGNATURE_INVALID: 400,
  /** A test-mode event sent to live keys, or the other way round. */
  LIVEMODE_MISMATCH: 400,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  /** Stripe could not be reached or refused the request; nothing was charged. */
  PAYMENT_PROVIDER_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
  /** Stripe keys are not set on this deployment. */
  PAYMENTS_NOT_CONFIGURED: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldIssue = { path: string; message: string };

export type ErrorBody = {
  error: { code: ErrorCode; message: string; requestId: string; issues?: FieldIssue[] };
};

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues?: FieldIssue[];
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: FieldIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.issues = options.issues;
    this.headers = options.headers;
  }

  get status() {
    return ERROR_STATUS[this.code];
  }
}

export function issuesFromZod(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

/** The answer for a path the API does not have (also what non-admins get for admin routes). */
export function noSuchRoute(method: string, url: string): ApiError {
  return new ApiError("NOT_FOUND", `No API route for ${method} ${new URL(url).pathname}.`);
}

/**
 * Hono's own refusals (a JSON body that does not parse reaches the validator as one) are
 * the client's fault: they keep their 4xx status and get a code, instead of becoming 500s.
 */
function fromHttpException(error: HTTPException): ApiError | null {
  if (error.status >= 500) return null;
  const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((key) => ERROR_STATUS[key] === error.status);
  const message = error.status === 400 ? `${error.message.replace(/\.$/, "")}: send valid JSON.` : error.message;
  return new ApiError(code ?? "BAD_REQUEST", message);
}

/** The one JSON error shape. Internal errors never carry their real message. */
export function errorResponse(error: unknown, requestId: string): Response {
  const apiError =
    (error instanceof ApiError ? error : null) ??
    (error instanceof HTTPException ? fromHttpException(error) : null) ??
    new ApiError("INTERNAL_ERROR", "Something went wrong on our side. Quote the request id if you contact us.");
  const body: ErrorBody = {
    error: {
      code: apiError.code,
      message: apiError.message,
      requestId,
      ...(apiError.issues ? { issues: apiError.issues } : {}),
    },
  };
  return Response.json(body, {
    status: apiError.status,
    headers: { "cache-control": "no-store", ...apiError.headers },
  });
}
