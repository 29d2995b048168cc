import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import { createAccount, login } from "./accounts.ts";
import { request, seedDemoCurriculum } from "./helpers.ts";

// Known bytes stand in for the video: every range can be checked byte for byte.
const SIZE = 100_000;
const bytes = Uint8Array.from({ length: SIZE }, (_, index) => (index * 7 + 3) % 251);
const PREVIEW = "/media/linux/the-shell-and-filesystem";
const LOCKED = "/media/linux/users-groups-and-permissions";
const cookies = { enrolled: "", visitor: "" };

async function attachVideo(lectureSlug: string, key: string) {
  await env.LECTURE_ASSETS.put(key, bytes, { httpMetadata: { contentType: "video/webm" } });
  await env.LECTURE_ASSETS.put(`${key}.vtt`, "WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n", {
    httpMetadata: { contentType: "text/vtt" },
  });
  await env.DB.prepare("update lectures set video_asset_key = ? where slug = ?").bind(key, lectureSlug).run();
}

describe("lecture media from R2", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
    await attachVideo("the-shell-and-filesystem", "lectures/linux/the-shell-and-filesystem/video.webm");
    await attachVideo("users-groups-and-permissions", "lectures/linux/users-groups-and-permissions/video.webm");
    await createAccount("watcher@example.com", "watching videos now");
    await env.DB.prepare(enrollStatement("watcher@example.com", "enr-watch")).run();
    await createAccount("browser@example.com", "just browsing here");
    cookies.enrolled = await login("watcher@example.com", "watching videos now");
    cookies.visitor = await login("browser@example.com", "just browsing here");
  });

  it("serves the whole file with its type, length and public caching for a free preview", async () => {
    const response = await request(`${PREVIEW}/video`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("video/webm");
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("content-length")).toBe(String(SIZE));
    expect(response.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it.each([
    ["bytes=0-99", 0, 99],
    ["bytes=1000-1999", 1000, 1999],
    ["bytes=99990-", 99_990, SIZE - 1],
    ["bytes=-500", SIZE - 500, SIZE - 1],
    ["bytes=99000-200000", 99_000, SIZE - 1],
  ])("answers %s with 206 and exactly those bytes", async (range, first, last) => {
    const response = await request(`${PREVIEW}/video`, { headers: { range } });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes ${first}-${last}/${SIZE}`);
    expect(response.headers.get("content-length")).toBe(String(last - first + 1));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.slice(first, last + 1));
  });

  it("answers a range past the end with 416", async () => {
    const response = await request(`${PREVIEW}/video`, { headers: { range: `bytes=${SIZE}-` } });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe(`bytes */${SIZE}`);
  });

  it("refuses a locked lecture's video and captions to visitors, whole or in part", async () => {
    for (const asset of ["video", "captions"]) {
      const attempts: Array<Record<string, string>> = [
        {},
        { cookie: cookies.visitor },
        { cookie: cookies.visitor, range: "bytes=0-10" },
      ];
      for (const headers of attempts) {
        const response = await request(`${LOCKED}/${asset}`, { headers });
        expect(response.status).toBe(403);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("ENROLLMENT_REQUIRED");
      }
    }
  });

  it("streams a locked lecture's video to enrolled students, privately cached", async () => {
    const response = await request(`${LOCKED}/video`, { headers: { cookie: cookies.enrolled, range: "bytes=10-19" } });
    expect(response.status).toBe(206);
    expect(response.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.slice(10, 20));
    const captions = await request(`${LOCKED}/captions`, { headers: { cookie: cookies.enrolled } });
    expect(captions.headers.get("content-type")).toBe("text/vtt");
    expect(await captions.text()).toContain("WEBVTT");
  });

  it("answers lectures without a video, and unknown assets, with 404s", async () => {
    expect(
      (await request("/media/linux/processes-and-systemd/video", { headers: { cookie: cookies.enrolled } })).status,
    ).toBe(404);
    expect((await request(`${PREVIEW}/slides.pdf`)).status).toBe(400);
  });
});

describe("video position API", () => {
  const position = (lectureId: number, body: unknown, cookie?: string) =>
    request(`/api/progress/${lectureId}/position`, {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  const id = async (slug: string) =>
    (await env.DB.prepare("select id from lectures where slug = ?").bind(slug).first<number>("id"))!;

  it("saves the acting student's position and shows it on the next visit", async () => {
    const lecture = await id("the-shell-and-filesystem");
    expect((await position(lecture, { seconds: 12 }, cookies.enrolled)).status).toBe(204);
    expect((await position(lecture, { seconds: 14 }, cookies.enrolled)).status).toBe(204);
    const saved = await env.DB.prepare(
      "select position_seconds from lecture_progress p join users u on u.id = p.user_id where u.email = 'watcher@example.com' and lecture_id = ?",
    )
      .bind(lecture)
      .first<number>("position_seconds");
    expect(saved).toBe(14);
  });

  it("rejects malformed positions, anonymous writers and locked lectures, and changes nothing", async () => {
    const lecture = await id("users-groups-and-permissions");
    for (const body of [{ seconds: -1 }, { seconds: 1.5 }, { seconds: "12" }, { seconds: 10 ** 9 }, {}]) {
      const response = await position(lecture, body, cookies.enrolled);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe(
        "seconds",
      );
    }
    const notJson = await request(`/api/progress/${lecture}/position`, {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", cookie: cookies.enrolled },
      body: '{"seconds": 12',
    });
    expect(notJson.status).toBe(400);
    const { error } = (await notJson.json()) as { error: { code: string; message: string; requestId: string } };
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/JSON/);
    expect(error.requestId).toBe(notJson.headers.get("x-request-id"));
    expect((await position(lecture, { seconds: 5 })).status).toBe(401);
    expect((await position(lecture, { seconds: 5 }, cookies.visitor)).status).toBe(403);
    const rows = await env.DB.prepare(
      "select count(*) as n from lecture_progress p join users u on u.id = p.user_id where u.email = 'browser@example.com'",
    ).first<number>("n");
    expect(rows).toBe(0);
  });
});
