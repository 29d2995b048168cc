/** A labelled progress bar (a real <progress> element, so assistive tech reads the value). */
export function ProgressBar({ label, value, max }: { label: string; value: number; max: number }) {
  const percent = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div>
      <div className="flex items-baseline justify-between text-sm">
        <span className="text-muted">{label}</span>
        <span className="font-semibold">{percent}%</span>
      </div>
      <progress
        value={value}
        max={max || 1}
        aria-label={label}
        className="mt-1.5 block h-2 w-full overflow-hidden rounded-full bg-surface-2 [&::-moz-progress-bar]:bg-accent [&::-webkit-progress-bar]:bg-surface-2 [&::-webkit-progress-value]:bg-accent"
      />
    </div>
  );
}
