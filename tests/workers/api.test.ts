import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import packageJson from "../../package.json";
import { request, seedDemoCurriculum, serverTiming } from "./helpers.ts";

type ErrorBody = { error: { code: string; message: string; requestId: string; issues?: Array<{ path: string }> } };

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.requestId).toBe(response.headers.get("x-request-id"));
  return body;
}

describe("JSON API", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
  });

  it("GET /api/health reports the version and that D1 is reachable", async () => {
    const response = await request("/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      version: packageJson.version,
      d1: { reachable: true },
    });
  });

  it("GET /api/modules lists modules in order", async () => {
    const response = await request("/api/modules");
    const body = (await response.json()) as { modules: Array<{ slug: string; lectureCount: number }> };
    expect(body.modules[0]).toMatchObject({ slug: "linux" });
    expect(body.modules.every((module) => module.lectureCount >= 4)).toBe(true);
  });

  it("GET /api/modules/:module returns the module with its lectures", async () => {
    const body = (await (await request("/api/modules/docker")).json()) as {
      module: { slug: string };
      lectures: Array<{ slug: string; position: number }>;
    };
    expect(body.module.slug).toBe("docker");
    expect(body.lectures.length).toBeGreaterThanOrEqual(4);
  });

  it("GET /api/modules/:module/lectures/:lecture returns rendered HTML, its outline and neighbours", async () => {
    const response = await request("/api/modules/linux/lectures/the-shell-and-filesystem");
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      lecture: { title: string; html: string; toc: Array<{ id: string; text: string }> };
      previous: unknown;
      next: { lectureSlug: string } | null;
    };
    expect(body.lecture.html).toContain('<code class="hljs language-bash">');
    expect(body.lecture.toc.length).toBeGreaterThan(2);
    expect(body.lecture.toc[0]).toEqual({
      depth: 2,
      id: expect.stringMatching(/^user-content-/),
      text: expect.any(String),
    });
    expect(body.lecture).not.toHaveProperty("tocJson");
    expect(body.previous).toBeNull();
    expect(body.next?.lectureSlug).toBe("users-groups-and-permissions");
  });

  it("answers unknown modules and lectures with a JSON 404", async () => {
    await expectError(await request("/api/modules/cobol"), 404, "NOT_FOUND");
    await expectError(await request("/api/modules/linux/lectures/no-such-lecture"), 404, "NOT_FOUND");
  });

  it("answers invalid params with 400 and names the field", async () => {
    const body = await expectError(await request("/api/modules/Not_A_Slug"), 400, "BAD_REQUEST");
    expect(body.error.issues?.map((issue) => issue.path)).toEqual(["module"]);
    const search = await expectError(await request("/api/search?q=a"), 400, "BAD_REQUEST");
    expect(search.error.issues?.map((issue) => issue.path)).toEqual(["q"]);
    await expectError(await request("/api/search"), 400, "BAD_REQUEST");
  });

  it("GET /api/search finds lectures, with matches marked where the reader may see the text", async () => {
    const body = (await (await request("/api/search?q=filesystem")).json()) as {
      results: Array<{ lectureSlug: string; snippet: Array<{ match: boolean }> }>;
    };
    const preview = body.results.find((hit) => hit.lectureSlug === "the-shell-and-filesystem");
    expect(preview?.snippet.some((part) => part.match)).toBe(true);
  });

  it("answers unknown /api paths and methods with JSON 404s", async () => {
    await expectError(await request("/api/does-not-exist"), 404, "NOT_FOUND");
    await expectError(await request("/api/modules", { method: "DELETE" }), 404, "NOT_FOUND");
  });

  it("refuses unsafe cross-site requests with 403", async () => {
    await expectError(
      await request("/api/modules", { method: "POST", headers: { "sec-fetch-site": "cross-site" } }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await request("/theme", {
        method: "POST",
        headers: { origin: "https://evil.example" },
        body: new URLSearchParams({ theme: "dark" }),
      }),
      403,
      "FORBIDDEN",
    );
  });

  it("stamps responses with a request id, Server-Timing and security headers", async () => {
    const response = await request("/api/modules");
    expect(response.headers.get("x-request-id")).toMatch(/^[\w-]{8,}$/);
    const timing = serverTiming(response);
    expect(timing["d1-round-trips"]).toBe("1");
    expect(Number(timing.d1)).toBeGreaterThanOrEqual(0);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("content-security-policy")).toContain("object-src 'none'");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("keeps a well-formed upstream request id", async () => {
    const response = await request("/api/health", { headers: { "x-request-id": "edge-1234abcd" } });
    expect(response.headers.get("x-request-id")).toBe("edge-1234abcd");
  });

  it("never leaks internals on a 500, and logs the real cause under the same request id", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await env.DB.prepare("alter table lectures rename to lectures_gone").run();
    try {
      const response = await request("/api/modules");
      const body = await expectError(response, 500, "INTERNAL_ERROR");
      expect(JSON.stringify(body)).not.toMatch(/lectures|sqlite|D1_|stack|at \w+/i);

      const line = JSON.parse(String(logged.mock.calls.at(-1)?.[0])) as Record<string, unknown>;
      expect(line).toMatchObject({ level: "error", message: "unhandled error", requestId: body.error.requestId });
      expect(JSON.stringify(line.error)).toContain("no such table: lectures");
    } finally {
      await env.DB.prepare("alter table lectures_gone rename to lectures").run();
      logged.mockRestore();
    }
  });
});
