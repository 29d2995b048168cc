import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { PASSWORD_MIN, passwordSchema } from "../../worker/auth/policy.ts";
import { ErrorPage } from "~/components/error-page";
import { Alert, AuthCard, Field, SubmitButton } from "~/components/form";
import { authErrorCode } from "~/lib/account.server";
import { formError, invalid, parseForm, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

const newPassword = z
  .object({
    token: z.string().min(1).max(200),
    password: passwordSchema,
    confirm: z.string({ error: "Type the new password again." }),
  })
  .refine((form) => form.password === form.confirm, { path: ["confirm"], message: "The two passwords don't match." });

export const meta: MetaFunction = () => pageMeta("Choose a new password");

export async function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(formData, newPassword);
  if (!parsed.ok) return invalid(parsed.state);

  try {
    // Also ends every session of the account (revokeSessionsOnPasswordReset).
    await context.services.auth.auth.api.resetPassword({
      body: { newPassword: parsed.data.password, token: parsed.data.token },
      headers: request.headers,
    });
  } catch (error) {
    if (authErrorCode(error) === null) throw error;
    return formError(formData, "This link has expired or was already used. Ask for a new one.", []);
  }
  return redirect("/login?reset=1");
}

export default function ResetPassword() {
  const { token } = useLoaderData<typeof loader>();
  const state = (useActionData<typeof action>() as { state: FormState } | undefined)?.state;
  if (!token) {
    return (
      <AuthCard title="Choose a new password">
        <Alert tone="error">This page needs the link from your reset email.</Alert>
        <p className="mt-4 text-sm">
          <Link to="/forgot-password" className="text-accent-strong underline">
            Ask for a reset link
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password" intro="After this, you'll be signed out everywhere and can log in with it.">
      <Form method="post" noValidate className="space-y-4">
        {state?.formError ? (
          <Alert tone="error">
            {state.formError}{" "}
            <Link to="/forgot-password" className="underline">
              Get a new link
            </Link>
          </Alert>
        ) : null}
        <input type="hidden" name="token" value={token} />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters.`}
          state={state}
        />
        <Field label="Confirm new password" name="confirm" type="password" autoComplete="new-password" state={state} />
        <SubmitButton pending="Saving…">Save new password</SubmitButton>
      </Form>
    </AuthCard>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
