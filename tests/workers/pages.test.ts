import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { request, seedDemoCurriculum, serverTiming } from "./helpers.ts";

describe("pages rendered by Remix inside the Worker", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
  });

  it("renders the landing page with the curriculum and a title and description", async () => {
    const response = await request("/");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<title>DevOps School:");
    expect(html).toMatch(/<meta name="description" content="[^"]{50,}"/);
    expect(html).toContain("Linux Foundations");
    expect(html).toContain('href="/modules/kubernetes"');
  });

  it("renders a lecture in at most two D1 round trips, readable without JavaScript", async () => {
    const response = await request("/modules/linux/the-shell-and-filesystem");
    expect(response.status).toBe(200);
    expect(Number(serverTiming(response)["d1-round-trips"])).toBeLessThanOrEqual(2);
    const html = await response.text();
    expect(html).toContain('<code class="hljs language-bash">');
    expect(html).toContain("<title>The shell and the filesystem · DevOps School</title>");
    expect(html).toContain('aria-label="Breadcrumb"');
    expect(html).toContain('rel="next"');
  });

  it("puts the CSP nonce on every inline script", async () => {
    const response = await request("/modules");
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    const html = await response.text();
    const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inlineScripts.length).toBeGreaterThan(0);
    for (const [, attributes] of inlineScripts) expect(attributes).toContain(`nonce="${nonce}"`);
  });

  it("answers unknown pages with a 404 inside the layout", async () => {
    for (const path of ["/nowhere", "/modules/cobol", "/modules/linux/no-such-lecture", "/modules/BAD/x"]) {
      const response = await request(path);
      expect(response.status, path).toBe(404);
      const html = await response.text();
      expect(html).toContain("This page doesn&#x27;t exist");
      expect(html).toContain('aria-label="Main"');
    }
  });

  it("shows an error page inside the layout when a loader fails, and logs why", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await env.DB.prepare("alter table modules rename to modules_gone").run();
    try {
      const response = await request("/modules");
      expect(response.status).toBe(500);
      const html = await response.text();
      expect(html).toContain("Something went wrong");
      expect(html).toContain('aria-label="Main"');
      expect(html).not.toMatch(/no such table|SQLITE|D1_ERROR/);

      const lines = logged.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
      const failure = lines.find((line) => line.message === "remix request failed");
      expect(failure?.requestId).toBe(response.headers.get("x-request-id"));
      expect(JSON.stringify(failure?.error)).toContain("no such table: modules");
    } finally {
      await env.DB.prepare("alter table modules_gone rename to modules").run();
      logged.mockRestore();
    }
  });

  it("renders search results with marked matches, and explains a too-short query", async () => {
    const html = await (await request("/search?q=namespaces")).text();
    expect(html).toMatch(/<mark[^>]*>namespaces<\/mark>/i);
    const invalid = await request("/search?q=x");
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain("Type at least 2 characters.");
  });

  it("remembers the theme in a cookie and renders it on the server", async () => {
    const set = await request("/theme", {
      method: "POST",
      headers: { "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ theme: "dark", redirectTo: "/modules" }),
    });
    expect(set.status).toBe(302);
    expect(set.headers.get("location")).toBe("/modules");
    const cookie = set.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^theme=dark; Path=\/; Max-Age=\d+; SameSite=Lax/);

    const page = await request("/modules", { headers: { cookie: "theme=dark" } });
    expect(await page.text()).toContain('data-theme="dark"');
    const fallback = await request("/modules", { headers: { cookie: "theme=<script>" } });
    expect(await fallback.text()).toContain('data-theme="system"');
  });

  it("never redirects off-site after a theme change", async () => {
    const response = await request("/theme", {
      method: "POST",
      headers: { "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ theme: "light", redirectTo: "//evil.example/" }),
    });
    expect(response.headers.get("location")).toBe("/");
  });
});
