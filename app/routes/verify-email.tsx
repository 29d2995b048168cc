import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Alert, AuthCard } from "~/components/form";
import { authErrorCode } from "~/lib/account.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => pageMeta("Confirm your email");

/** The link from the confirmation email (sign-up or email change). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  if (!token) return data({ ok: false as const }, { status: 400 });
  try {
    await context.services.auth.auth.api.verifyEmail({ query: { token }, headers: request.headers });
    return { ok: true as const };
  } catch (error) {
    if (authErrorCode(error) === null) throw error;
    return data({ ok: false as const }, { status: 400 });
  }
}

export default function VerifyEmail() {
  const { ok } = useLoaderData<typeof loader>();
  return ok ? (
    <AuthCard title="Email confirmed">
      <Alert tone="success">Your email address is confirmed.</Alert>
      <Link
        to="/login"
        className="mt-6 block rounded-lg bg-accent px-4 py-2.5 text-center font-semibold text-on-accent hover:bg-accent-strong"
      >
        Log in
      </Link>
    </AuthCard>
  ) : (
    <AuthCard title="This link doesn't work">
      <Alert tone="error">The confirmation link has expired or was already used.</Alert>
      <p className="mt-4 text-sm text-muted">
        <Link to="/login" className="text-accent-strong underline">
          Log in
        </Link>{" "}
        with your email and password and we'll send you a fresh link.
      </p>
    </AuthCard>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
