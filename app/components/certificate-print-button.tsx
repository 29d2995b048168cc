import { useHydrated } from "~/lib/use-hydrated";

/** Printing needs JavaScript; without it the browser's own print command does the same. */
export function CertificatePrintButton() {
  const hydrated = useHydrated();
  if (!hydrated) return <p className="text-sm text-muted">Print it, or save it as a PDF, from your browser’s menu.</p>;
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded-lg bg-accent px-4 py-2 text-sm font-semibold text-on-accent hover:bg-accent-strong"
    >
      Print or save as PDF
    </button>
  );
}
