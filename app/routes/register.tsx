import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData } from "@remix-run/react";
import * as z from "zod";
import { emailSchema, nameSchema, PASSWORD_MIN, passwordSchema } from "../../worker/auth/policy.ts";
import { clientAddress } from "../../worker/services/rate-limit.ts";
import { ErrorPage } from "~/components/error-page";
import { Alert, AuthCard, Field, SubmitButton } from "~/components/form";
import { authErrorCode, rateLimited } from "~/lib/account.server";
import { requireAnonymous } from "~/lib/auth.server";
import { formError, invalid, parseForm, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

const registration = z.object({ name: nameSchema, email: emailSchema, password: passwordSchema });
const ECHO = ["name", "email"];

export { forwardRetryAfter as headers } from "~/lib/forms";

export const meta: MetaFunction = () => pageMeta("Create your account", "Create a free account to start learning.");

export async function loader({ context }: LoaderFunctionArgs) {
  await requireAnonymous(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(context);
  const formData = await request.formData();
  const parsed = parseForm(formData, registration, ECHO);
  if (!parsed.ok) return invalid(parsed.state);

  const limited = await rateLimited(context, formData, [["register-ip", clientAddress(request)]], ECHO);
  if (limited) return limited;

  try {
    await context.services.auth.auth.api.signUpEmail({ body: parsed.data, headers: request.headers });
  } catch (error) {
    // An existing address gets the same answer as a new one: no account enumeration.
    if (
      authErrorCode(error) !== "USER_ALREADY_EXISTS" &&
      authErrorCode(error) !== "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL"
    ) {
      context.services.log.error("registration failed", { error });
      return formError(formData, "We couldn't create your account right now. Please try again.", ECHO, { status: 500 });
    }
  }
  return data({ sent: parsed.data.email });
}

type ActionData = { state: FormState } | { sent: string };

export default function Register() {
  const result = useActionData<typeof action>() as ActionData | undefined;
  if (result && "sent" in result) {
    return (
      <AuthCard title="Check your email">
        <Alert tone="success">
          We sent a confirmation link to <strong>{result.sent}</strong>. Open it to activate your account, then log in.
        </Alert>
        <p className="mt-4 text-sm text-muted">
          No email after a few minutes? Check your spam folder, or{" "}
          <Link className="text-accent-strong underline" to="/login">
            log in
          </Link>{" "}
          to get a new link.
        </p>
      </AuthCard>
    );
  }
  const state = result?.state;
  return (
    <AuthCard
      title="Create your account"
      intro="Read the free lectures now; join a cohort when you are ready."
      footer={
        <>
          Already have an account?{" "}
          <Link to="/login" className="font-medium text-accent-strong underline">
            Log in
          </Link>
        </>
      }
    >
      <Form method="post" noValidate className="space-y-4">
        {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
        <Field label="Name" name="name" autoComplete="name" state={state} />
        <Field label="Email" name="email" type="email" autoComplete="email" state={state} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters. A few random words make a strong, memorable password.`}
          state={state}
        />
        <SubmitButton pending="Creating your account…">Create account</SubmitButton>
      </Form>
    </AuthCard>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
