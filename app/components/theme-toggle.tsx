import { useFetcher, useFetchers, useLocation } from "@remix-run/react";
import { isTheme, type Theme } from "~/lib/theme";
import { useHydrated } from "~/lib/use-hydrated";
import { MonitorIcon, MoonIcon, SunIcon } from "./icons";

const OPTIONS = [
  { value: "light", label: "Light theme", Icon: SunIcon },
  { value: "dark", label: "Dark theme", Icon: MoonIcon },
  { value: "system", label: "System theme", Icon: MonitorIcon },
] as const;

const THEME_ACTION = "/theme";

/** The theme being switched to right now, so the page changes before the server answers. */
export function useOptimisticTheme(): Theme | null {
  const pending = useFetchers().find((fetcher) => fetcher.formAction === THEME_ACTION);
  const theme = pending?.formData?.get("theme");
  return isTheme(theme) ? theme : null;
}

export function ThemeToggle({ theme }: { theme: Theme }) {
  const fetcher = useFetcher({ key: "theme" });
  const location = useLocation();
  // Without JavaScript the form posts for real and the action redirects back here;
  // once hydrated, the fetcher updates the page in place instead.
  const hydrated = useHydrated();

  return (
    <fetcher.Form method="post" action={THEME_ACTION}>
      {hydrated ? null : <input type="hidden" name="redirectTo" value={location.pathname + location.search} />}
      <div role="group" aria-label="Colour theme" className="flex rounded-full border border-line bg-surface p-0.5">
        {OPTIONS.map(({ value, label, Icon }) => (
          <button
            key={value}
            type="submit"
            name="theme"
            value={value}
            aria-pressed={theme === value}
            title={label}
            className="grid size-8 place-items-center rounded-full text-muted transition hover:text-ink aria-pressed:bg-accent-soft aria-pressed:text-accent-strong"
          >
            <Icon className="size-4" />
            <span className="sr-only">{label}</span>
          </button>
        ))}
      </div>
    </fetcher.Form>
  );
}
