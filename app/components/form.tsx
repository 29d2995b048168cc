import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { HintAndError, INPUT_CLASS, describedBy } from "~/components/field-parts";
import type { FormState } from "~/lib/forms";

type FieldProps = {
  label: string;
  name: string;
  /** Needed when several forms on one page have a field of the same name. */
  id?: string;
  type?: "text" | "email" | "password" | "search" | "hidden";
  autoComplete?: string;
  defaultValue?: string;
  error?: string;
  hint?: string;
  /** A failed submission: supplies what was typed (when echoed) and this field's error. */
  state?: FormState;
};

/** A labelled input whose error is announced and tied to it (aria-invalid, aria-describedby). */
export function Field({
  label,
  name,
  id = `field-${name}`,
  type = "text",
  autoComplete,
  state,
  defaultValue = state?.fields[name],
  error = state?.errors[name],
  hint,
}: FieldProps) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={INPUT_CLASS}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

const TONES = {
  error: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200",
  success:
    "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  info: "border-line bg-accent-soft text-ink",
};

export function Alert({ tone, children }: { tone: keyof typeof TONES; children: ReactNode }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-lg border px-4 py-3 text-sm ${TONES[tone]}`}>
      {children}
    </div>
  );
}

export function SubmitButton({ children, pending }: { children: ReactNode; pending: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <button
      type="submit"
      disabled={busy}
      className="w-full rounded-lg bg-accent px-4 py-2.5 font-semibold text-on-accent hover:bg-accent-strong disabled:opacity-60"
    >
      {busy ? pending : children}
    </button>
  );
}

/** The narrow centred card the account pages share. */
export function AuthCard({
  title,
  intro,
  children,
  footer,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="mx-auto max-w-md px-4 py-12 sm:py-16">
      <div className="rounded-2xl border border-line bg-surface p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        {intro ? <div className="mt-2 text-sm text-muted">{intro}</div> : null}
        <div className="mt-6">{children}</div>
      </div>
      {footer ? <div className="mt-6 text-center text-sm text-muted">{footer}</div> : null}
    </div>
  );
}
