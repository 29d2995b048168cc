import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData } from "@remix-run/react";
import * as z from "zod";
import { emailSchema } from "../../worker/auth/policy.ts";
import { clientAddress } from "../../worker/services/rate-limit.ts";
import { ErrorPage } from "~/components/error-page";
import { Alert, AuthCard, Field, SubmitButton } from "~/components/form";
import { rateLimited } from "~/lib/account.server";
import { invalid, parseForm, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

const request = z.object({ email: emailSchema });
const ECHO = ["email"];

export { forwardRetryAfter as headers } from "~/lib/forms";

export const meta: MetaFunction = () => pageMeta("Reset your password");

export async function action({ request: httpRequest, context }: ActionFunctionArgs) {
  const formData = await httpRequest.formData();
  const parsed = parseForm(formData, request, ECHO);
  if (!parsed.ok) return invalid(parsed.state);
  const { email } = parsed.data;

  const limited = await rateLimited(
    context,
    formData,
    [
      ["reset-ip", clientAddress(httpRequest)],
      ["reset-account", email],
    ],
    ECHO,
  );
  if (limited) return limited;

  // The same answer whether or not an account exists for this address.
  await context.services.auth.auth.api.requestPasswordReset({
    body: { email, redirectTo: "/reset-password" },
    headers: httpRequest.headers,
  });
  return data({ sent: email });
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>() as { state: FormState } | { sent: string } | undefined;
  if (result && "sent" in result) {
    return (
      <AuthCard title="Check your email">
        <Alert tone="success">
          If an account exists for <strong>{result.sent}</strong>, we've sent it a link to choose a new password. The
          link works for one hour.
        </Alert>
        <p className="mt-4 text-sm">
          <Link to="/login" className="text-accent-strong underline">
            Back to log in
          </Link>
        </p>
      </AuthCard>
    );
  }
  const state = result?.state;
  return (
    <AuthCard
      title="Reset your password"
      intro="Enter the email you signed up with and we'll send you a link to choose a new password."
      footer={
        <Link to="/login" className="font-medium text-accent-strong underline">
          Back to log in
        </Link>
      }
    >
      <Form method="post" noValidate className="space-y-4">
        {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
        <Field label="Email" name="email" type="email" autoComplete="email" state={state} />
        <SubmitButton pending="Sending…">Send reset link</SubmitButton>
      </Form>
    </AuthCard>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
