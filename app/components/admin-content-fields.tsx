import { HintAndError, INPUT_CLASS, describedBy } from "~/components/field-parts";
import type { FormState } from "~/lib/forms";

// Inputs the module and lecture forms share beyond Field and TextAreaField: every one is
// labelled, and its hint and error are tied to it for screen readers.

/** A short input (number, time) that keeps what was typed after a failed submission. */
export function ShortField({
  label,
  name,
  type,
  value,
  hint,
  state,
  min,
  max,
}: {
  label: string;
  name: string;
  type: "number" | "time";
  value: string;
  hint?: string;
  state?: FormState;
  min?: number;
  max?: number;
}) {
  const id = `field-${name}`;
  const error = state?.errors[name];
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        inputMode={type === "number" ? "numeric" : undefined}
        min={min}
        max={max}
        step={type === "number" ? 1 : undefined}
        defaultValue={state ? (state.fields[name] ?? "") : value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${INPUT_CLASS} sm:w-40`}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

/** A checkbox; after a failed submission it shows what was ticked then, not what is stored. */
export function CheckboxField({
  label,
  name,
  checked,
  hint,
  state,
}: {
  label: string;
  name: string;
  checked: boolean;
  hint?: string;
  state?: FormState;
}) {
  const id = `field-${name}`;
  return (
    <div className="flex items-start gap-3">
      <input
        id={id}
        name={name}
        type="checkbox"
        defaultChecked={state ? state.fields[name] !== undefined : checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="mt-1 size-4 rounded border-line accent-accent"
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-muted">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** Published or draft, in words; colour only repeats the label. */
export function ContentStatusBadge({ published }: { published: boolean }) {
  return (
    <span
      className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ${
        published
          ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
          : "bg-surface-2 text-muted"
      }`}
    >
      {published ? "Published" : "Draft"}
    </span>
  );
}
