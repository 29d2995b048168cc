// Shared by the server and the browser bundle, so it stays free of zod.
export const THEMES = ["light", "dark", "system"] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_COOKIE = "theme";

export function isTheme(value: unknown): value is Theme {
  return typeof value === "string" && (THEMES as readonly string[]).includes(value);
}

export function themeFromCookieHeader(cookieHeader: string | null): Theme {
  const value = cookieHeader
    ?.split(";")
    .map((part) => part.trim().split("="))
    .find(([name]) => name === THEME_COOKIE)?.[1];
  return isTheme(value) ? value : "system";
}

export function themeCookie(theme: Theme, secure: boolean): string {
  const attributes = [`${THEME_COOKIE}=${theme}`, "Path=/", "Max-Age=31536000", "SameSite=Lax"];
  if (secure) attributes.push("Secure");
  return attributes.join("; ");
}
