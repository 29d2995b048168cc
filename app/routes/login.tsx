import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { ACCOUNT_DEACTIVATED } from "../../worker/auth/auth.ts";
import { currentPasswordSchema, emailSchema } from "../../worker/auth/policy.ts";
import { clientAddress } from "../../worker/services/rate-limit.ts";
import { ErrorPage } from "~/components/error-page";
import { Alert, AuthCard, Field, SubmitButton } from "~/components/form";
import { authErrorCode, cookiesFrom, rateLimited } from "~/lib/account.server";
import { requireAnonymous } from "~/lib/auth.server";
import { formError, invalid, parseForm, type FormState } from "~/lib/forms";
import { safeRedirect } from "~/lib/safe-redirect";
import { pageMeta } from "~/lib/site";

const credentials = z.object({
  email: emailSchema,
  password: currentPasswordSchema,
  redirectTo: z.string().optional(),
});
const ECHO = ["email", "redirectTo"];

/** One message for an unknown email and a wrong password, so neither reveals an account. */
export const WRONG_CREDENTIALS = "Email or password is incorrect.";

export { forwardRetryAfter as headers } from "~/lib/forms";

export const meta: MetaFunction = () => pageMeta("Log in", "Log in to continue your DevOps course.");

export async function loader({ context }: LoaderFunctionArgs) {
  await requireAnonymous(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(context);
  const formData = await request.formData();
  const parsed = parseForm(formData, credentials, ECHO);
  if (!parsed.ok) return invalid(parsed.state);
  const { email, password, redirectTo } = parsed.data;

  const limited = await rateLimited(
    context,
    formData,
    [
      ["login-ip", clientAddress(request)],
      ["login-account", email],
    ],
    ECHO,
  );
  if (limited) return limited;

  try {
    const { headers } = await context.services.auth.auth.api.signInEmail({
      body: { email, password, rememberMe: true },
      headers: request.headers,
      returnHeaders: true,
    });
    return redirect(safeRedirect(redirectTo, "/dashboard"), { headers: cookiesFrom(headers) });
  } catch (error) {
    const code = authErrorCode(error);
    if (code === "ACCOUNT_DEACTIVATED") {
      return formError(formData, ACCOUNT_DEACTIVATED, ECHO, { status: 403 });
    }
    if (code === "EMAIL_NOT_VERIFIED") {
      return formError(formData, "Confirm your email first: we've sent you a new confirmation link.", ECHO, {
        status: 403,
      });
    }
    if (code !== null) return formError(formData, WRONG_CREDENTIALS, ECHO, { status: 401 });
    throw error;
  }
}

export default function Login() {
  const result = useActionData<typeof action>() as { state: FormState } | undefined;
  const [params] = useSearchParams();
  const state = result?.state;
  const notice = params.get("reset") ? "Your password was changed. Log in with the new one." : null;

  return (
    <AuthCard
      title="Log in"
      intro="Welcome back. Pick up where you left off."
      footer={
        <>
          New here?{" "}
          <Link to="/register" className="font-medium text-accent-strong underline">
            Create an account
          </Link>
        </>
      }
    >
      <Form method="post" noValidate className="space-y-4">
        {notice && !state ? <Alert tone="success">{notice}</Alert> : null}
        {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
        <input type="hidden" name="redirectTo" value={state?.fields.redirectTo ?? params.get("redirectTo") ?? ""} />
        <Field label="Email" name="email" type="email" autoComplete="email" state={state} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" state={state} />
        <div className="flex justify-end text-sm">
          <Link to="/forgot-password" className="text-accent-strong underline">
            Forgot your password?
          </Link>
        </div>
        <SubmitButton pending="Logging in…">Log in</SubmitButton>
      </Form>
    </AuthCard>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
