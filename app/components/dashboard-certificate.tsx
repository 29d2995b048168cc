import { Link } from "@remix-run/react";
import type { certificateProgress } from "../../db/queries/certificates.ts";
import { ArrowRightIcon } from "~/components/icons";
import { ProgressBar } from "~/components/progress-bar";

export type CertificateStanding = Awaited<ReturnType<typeof certificateProgress>>[number];

/** The certificate once earned, otherwise the three requirements and how far along each is. */
export function DashboardCertificate({ standing }: { standing: CertificateStanding }) {
  if (standing.certificateId && !standing.certificateRevoked) {
    return (
      <section
        aria-labelledby="certificate-heading"
        className="mt-8 rounded-2xl border-2 border-accent bg-accent-soft p-6"
      >
        <h2 id="certificate-heading" className="text-lg font-semibold">
          You earned your certificate
        </h2>
        <p className="mt-2 max-w-2xl text-muted">
          Every lecture completed, every quiz passed, every required project approved. Share the link: anyone can verify
          it without an account.
        </p>
        <Link
          to={`/certificates/${standing.certificateId}`}
          className="mt-4 inline-flex items-center gap-2 rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong"
        >
          View your certificate <ArrowRightIcon className="size-4" />
        </Link>
      </section>
    );
  }
  const requirements = [
    { label: "lectures completed", done: standing.lecturesDone, total: standing.lecturesTotal },
    { label: "module quizzes passed", done: standing.quizzesPassed, total: standing.quizzesTotal },
    { label: "required projects approved", done: standing.projectsApproved, total: standing.projectsRequired },
  ].filter((requirement) => requirement.total > 0);
  return (
    <section aria-labelledby="certificate-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
      <h2 id="certificate-heading" className="text-lg font-semibold">
        Your certificate
      </h2>
      {standing.certificateRevoked ? (
        <p className="mt-2 text-muted">
          Your certificate was revoked.{" "}
          <Link to={`/certificates/${standing.certificateId}`} className="text-accent-strong underline">
            See why
          </Link>
          , and contact the school if you think this is a mistake.
        </p>
      ) : (
        <>
          <p className="mt-2 max-w-2xl text-muted">
            It is issued the moment all three are done, with a link anyone can use to verify it.
          </p>
          <ul className="mt-4 grid gap-4 sm:grid-cols-3">
            {requirements.map((requirement) => (
              <li key={requirement.label}>
                <ProgressBar
                  label={`${requirement.done} of ${requirement.total} ${requirement.label}`}
                  value={requirement.done}
                  max={requirement.total}
                />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
