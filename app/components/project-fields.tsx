import { HintAndError, INPUT_CLASS, describedBy } from "~/components/field-parts";
import type { FormState } from "~/lib/forms";

/** A labelled multi-line field that keeps what was typed after a failed submission. */
export function TextAreaField({
  label,
  name,
  id = `field-${name}`,
  rows = 8,
  maxLength,
  hint,
  state,
  defaultValue = state?.fields[name],
  error = state?.errors[name],
}: {
  label: string;
  name: string;
  id?: string;
  rows?: number;
  maxLength?: number;
  hint?: string;
  state?: FormState;
  defaultValue?: string;
  error?: string;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        maxLength={maxLength}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${INPUT_CLASS} font-mono text-sm`}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

/**
 * A file input. Browsers never refill one after a reload, so when the form comes back
 * with errors, `chosenFile` names what was chosen and asks for it again.
 */
export function FileField({
  label,
  name,
  accept,
  hint,
  error,
  chosenFile,
}: {
  label: string;
  name: string;
  accept: string;
  hint?: string;
  error?: string;
  chosenFile?: string;
}) {
  const id = `field-${name}`;
  const message = error ?? (chosenFile ? `You had chosen “${chosenFile}”: choose the file again.` : undefined);
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="file"
        accept={accept}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, message)}
        className="mt-1.5 block w-full rounded-lg border border-line bg-surface px-3 py-2 text-sm file:mr-3 file:rounded-md file:border-0 file:bg-surface-2 file:px-3 file:py-1.5 file:font-medium file:text-ink aria-invalid:border-red-600 dark:aria-invalid:border-red-400"
      />
      <HintAndError id={id} hint={hint} error={message} />
    </div>
  );
}
