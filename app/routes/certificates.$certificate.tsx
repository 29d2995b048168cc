import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { CERTIFICATE_ID, getCertificateForVerification, revokeCertificate } from "../../db/queries/certificates.ts";
import { CertificatePrintButton } from "~/components/certificate-print-button";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { getOptionalUser, requireAdmin } from "~/lib/auth.server";
import { invalid, parseForm } from "~/lib/forms";
import { notFound } from "~/lib/params";
import { site } from "~/lib/site";

// The public verification page: anyone with the link can check a certificate, no account needed.

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = params.certificate ?? "";
  if (!CERTIFICATE_ID.test(id)) notFound();
  const [certificate, viewer] = await Promise.all([
    getCertificateForVerification(context.services.db, id),
    getOptionalUser(context),
  ]);
  if (!certificate) notFound();
  return {
    certificate: {
      ...certificate,
      issuedOn: dateFormat.format(certificate.issuedAt),
      revokedOn: certificate.revokedAt ? dateFormat.format(certificate.revokedAt) : null,
    },
    url: new URL(`/certificates/${id}`, request.url).href,
    canRevoke: viewer?.role === "admin" && !certificate.revokedAt,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: `Certificate not found · ${site.name}` }];
  const { certificate, url } = data;
  const title = certificate.revokedAt
    ? `Revoked certificate · ${site.name}`
    : `${certificate.recipientName} completed the ${certificate.courseTitle}`;
  const description = certificate.revokedAt
    ? `This ${site.name} certificate was revoked on ${certificate.revokedOn}.`
    : `${certificate.recipientName} completed all ${certificate.lectureCount} lectures, passed every module quiz and had every required project approved at ${site.name}. Issued ${certificate.issuedOn}.`;
  return [
    { title },
    { name: "description", content: description },
    // Shared on purpose, but a person's name should not become searchable through us.
    { name: "robots", content: "noindex" },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:type", content: "website" },
    { property: "og:url", content: url },
    { property: "og:site_name", content: site.name },
    { name: "twitter:card", content: "summary" },
    { tagName: "link", rel: "canonical", href: url },
  ];
};

const revokeSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(5, "Say why the certificate is revoked (at least 5 characters)")
    .max(300, "Keep the reason under 300 characters"),
});

export async function action({ params, request, context }: ActionFunctionArgs) {
  // Anyone but an admin gets the same 404 as for a page that does not exist.
  const admin = await requireAdmin(context);
  const id = params.certificate ?? "";
  if (!CERTIFICATE_ID.test(id)) notFound();
  const parsed = parseForm(await request.formData(), revokeSchema, ["reason"]);
  if (!parsed.ok) return invalid(parsed.state);
  const revoked = await revokeCertificate(context.services.db, admin, id, parsed.data.reason);
  if (!revoked) notFound();
  return { revoked: true as const };
}

export default function CertificatePage() {
  const { certificate, url, canRevoke } = useLoaderData<typeof loader>();
  const revoked = certificate.revokedOn !== null;
  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6 print:max-w-none print:p-0">
      <div className="mb-6 print:hidden">
        {revoked ? (
          <Alert tone="error">
            <strong>This certificate was revoked on {certificate.revokedOn}.</strong> It no longer certifies completion.
            {certificate.revokedReason ? ` Reason: ${certificate.revokedReason}` : null}
          </Alert>
        ) : (
          <Alert tone="success">
            <strong>Verified.</strong> This certificate was issued by {site.name} on {certificate.issuedOn} and is
            valid.
          </Alert>
        )}
      </div>

      <article
        aria-labelledby="certificate-title"
        className="certificate relative overflow-hidden rounded-3xl border-4 border-double border-accent bg-surface px-6 py-12 text-center shadow-sm sm:px-16 print:rounded-none print:shadow-none"
      >
        <p className="text-sm font-semibold tracking-[0.3em] text-accent-strong uppercase">{site.name}</p>
        <h1 id="certificate-title" className="mt-6 text-3xl font-bold tracking-tight sm:text-4xl">
          Certificate of completion
        </h1>
        <p className="mt-8 text-muted">This certifies that</p>
        <p className="mt-3 font-serif text-4xl font-semibold sm:text-5xl">{certificate.recipientName}</p>
        <p className="mx-auto mt-6 max-w-xl text-lg">
          completed the <strong>{certificate.courseTitle}</strong>: all {certificate.lectureCount} lectures, every
          module quiz passed and every required hands-on project reviewed and approved.
        </p>
        <dl className="mx-auto mt-10 grid max-w-2xl gap-6 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-muted">Issued</dt>
            <dd className="mt-1 font-semibold">{certificate.issuedOn}</dd>
          </div>
          <div>
            <dt className="text-muted">Certificate id</dt>
            <dd className="mt-1 font-mono font-semibold break-all">{certificate.id}</dd>
          </div>
        </dl>
        <p className="mt-10 text-xs text-muted">
          Verify at <span className="break-all">{url}</span>
        </p>
        {revoked ? (
          <p
            aria-hidden="true"
            className="pointer-events-none absolute inset-0 flex items-center justify-center text-7xl font-black tracking-widest text-red-600/20 uppercase -rotate-12"
          >
            Revoked
          </p>
        ) : null}
      </article>

      {revoked ? null : (
        <div className="mt-6 flex flex-wrap items-center justify-center gap-3 print:hidden">
          <CertificatePrintButton />
          <p className="text-sm text-muted">Share this page’s address: anyone can verify it, no account needed.</p>
        </div>
      )}

      {canRevoke ? <RevokeForm /> : null}
    </div>
  );
}

function RevokeForm() {
  const result = useActionData<typeof action>();
  const state = result && "state" in result ? result.state : undefined;
  const error = state?.errors.reason;
  return (
    <section
      aria-labelledby="revoke-heading"
      className="mt-10 rounded-2xl border border-line bg-surface p-6 print:hidden"
    >
      <h2 id="revoke-heading" className="text-lg font-semibold">
        Revoke this certificate
      </h2>
      <p className="mt-1 text-sm text-muted">
        Only admins see this. A revoked certificate stays at this address and says it was revoked.
      </p>
      <Form method="post" className="mt-4 space-y-3">
        <label htmlFor="revoke-reason" className="block text-sm font-medium">
          Reason
        </label>
        <input
          id="revoke-reason"
          name="reason"
          defaultValue={state?.fields.reason}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "revoke-reason-error" : undefined}
          className="block w-full rounded-lg border border-line bg-canvas px-3 py-2 aria-invalid:border-red-600"
        />
        {error ? (
          <p id="revoke-reason-error" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          className="rounded-lg border border-red-600 px-4 py-2 text-sm font-semibold text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950"
        >
          Revoke certificate
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
