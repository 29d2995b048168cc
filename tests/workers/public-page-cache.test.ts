import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../worker/app.ts";
import { forgetPublicPagesInIsolate } from "../../worker/middleware/public-page-cache.ts";
import { createAccount, login } from "./accounts.ts";
import { seedDemoCurriculum, serverTiming } from "./helpers.ts";

// The rest of the suite runs with the cache off (vitest.config.ts); here it is on.
const cached: Env = { ...env, PUBLIC_PAGE_CACHE_SECONDS: "60" };

async function visit(path: string, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(new URL(path, "http://school.test"), { headers }), cached, ctx);
  const html = await response.text();
  // The cache is filled after the response, in waitUntil.
  await waitOnExecutionContext(ctx);
  return { response, html };
}

function nonces(html: string): string[] {
  return [...new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((match) => match[1]!))];
}

function cspNonce(response: Response): string | undefined {
  return response.headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1];
}

beforeAll(async () => {
  await seedDemoCurriculum();
  await createAccount("cache-reader@example.com", "correct horse battery staple");
});

describe("edge cache for public pages", () => {
  it("renders an anonymous lecture once, then answers from the cache without D1", async () => {
    const path = "/modules/kubernetes/kubernetes-architecture";
    const first = await visit(path);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get("x-edge-cache")).toBe("MISS");
    expect(Number(serverTiming(first.response)["d1-round-trips"])).toBeGreaterThan(0);

    const second = await visit(path);
    expect(second.response.status).toBe(200);
    expect(second.response.headers.get("x-edge-cache")).toBe("HIT");
    expect(serverTiming(second.response)["d1-round-trips"]).toBe("0");
    expect(second.response.headers.get("cache-control")).toBe("no-cache");
    expect(second.html.includes("Kubernetes"), "lecture title in the cached page").toBe(true);
    // Same page, but each response carries its own nonce, and the policy names that nonce.
    expect(second.html.replaceAll(/nonce="[^"]+"/g, "")).toBe(first.html.replaceAll(/nonce="[^"]+"/g, ""));
    expect(nonces(first.html)).toEqual([cspNonce(first.response)]);
    expect(nonces(second.html)).toEqual([cspNonce(second.response)]);
    expect(cspNonce(second.response)).not.toBe(cspNonce(first.response));
  });

  it("answers from the data centre's cache when this isolate has not kept the page", async () => {
    const first = await visit("/modules/kubernetes");
    expect(first.response.headers.get("x-edge-cache")).toBe("MISS");
    forgetPublicPagesInIsolate();
    const second = await visit("/modules/kubernetes");
    expect(second.response.headers.get("x-edge-cache")).toBe("HIT");
    expect(serverTiming(second.response)["d1-round-trips"]).toBe("0");
    expect(nonces(second.html)).toEqual([cspNonce(second.response)]);
    expect(second.html.replaceAll(/nonce="[^"]+"/g, "")).toBe(first.html.replaceAll(/nonce="[^"]+"/g, ""));
    // What the stored copy remembers about itself stays between the cache and the Worker.
    expect([...second.response.headers.keys()].filter((name) => name.startsWith("x-stored"))).toEqual([]);
  });

  it("keeps one entry per theme, since the theme is rendered into the page", async () => {
    await visit("/modules");
    const dark = await visit("/modules", { cookie: "theme=dark" });
    expect(dark.response.headers.get("x-edge-cache")).toBe("MISS");
    expect(dark.html.includes('data-theme="dark"'), "dark theme rendered").toBe(true);
    const darkAgain = await visit("/modules", { cookie: "theme=dark" });
    expect(darkAgain.response.headers.get("x-edge-cache")).toBe("HIT");
    expect(darkAgain.html.includes('data-theme="dark"'), "dark theme from the cache").toBe(true);
    const system = await visit("/modules");
    expect(system.response.headers.get("x-edge-cache")).toBe("HIT");
    expect(system.html.includes('data-theme="system"'), "system theme from the cache").toBe(true);
  });

  it("never serves or stores a signed-in member's page", async () => {
    await visit("/modules/docker");
    expect((await visit("/modules/docker")).response.headers.get("x-edge-cache")).toBe("HIT");
    const cookie = await login("cache-reader@example.com", "correct horse battery staple");
    const member = await visit("/modules/docker", { cookie });
    expect(member.response.headers.has("x-edge-cache")).toBe(false);
    expect(Number(serverTiming(member.response)["d1-round-trips"])).toBeGreaterThan(0);
    const anonymous = await visit("/modules/docker");
    expect(anonymous.response.headers.get("x-edge-cache")).toBe("HIT");
    expect(anonymous.html.includes("Test Person"), "no member data in the public copy").toBe(false);
  });

  it("leaves pages with a query, pages off the list and errors alone", async () => {
    // The landing page shows cohorts' countdowns and seats left, which must never be stale.
    for (const path of ["/", "/modules?sort=new", "/search?q=docker", "/login", "/modules/no-such-module"]) {
      await visit(path);
      const again = await visit(path);
      expect(again.response.headers.get("x-edge-cache"), path).toBeNull();
    }
  });
});
