import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import { PART_SIZE } from "../../worker/uploads/lecture-files.ts";
import { abortStaleUploads } from "../../worker/uploads/stale-uploads.ts";
import { createAccount, login, post, SAME_ORIGIN } from "./accounts.ts";
import { request, seedDemoCurriculum, serverTiming, testDatabase } from "./helpers.ts";

// Lecture files: multipart uploads to R2 through /api/admin/uploads, the file library page,
// and the downloads students get on the lecture page.

const PASSWORD = "uploads lecture files";
const EMAILS = {
  admin: "uploads.admin@example.com",
  student: "uploads.student@example.com",
  visitor: "uploads.visitor@example.com",
};
const cookies = { admin: "", student: "", visitor: "" };
const PREVIEW = { module: "linux", lecture: "the-shell-and-filesystem" };
const LOCKED = { module: "linux", lecture: "users-groups-and-permissions" };
const lectureIds = { preview: 0, locked: 0 };
const MIB = 1024 * 1024;

type ErrorBody = { error: { code: string; message: string } };
type UploadBody = {
  upload: {
    id: string;
    fileName: string;
    contentType: string;
    size: number;
    partSize: number;
    partCount: number;
    status: string;
    parts: Array<{ partNumber: number; size: number }>;
  };
};
type FileBody = { file: { id: string; fileName: string; contentType: string; size: number } };

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

/** `size` bytes that start with `header` and go on with a pattern every byte of which can be checked. */
function fileBytes(header: number[], size: number) {
  const bytes = Uint8Array.from({ length: size }, (_, index) => (index * 31 + 7) % 251);
  bytes.set(header);
  return bytes;
}

const MP4_HEADER = [0, 0, 0, 0x18, ...ascii("ftypisom"), 0, 0, 2, 0, ...ascii("isomiso2")];
const WEBM_HEADER = [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01];
const PDF_BYTES = new TextEncoder().encode("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

function api(path: string, init: RequestInit = {}, who: keyof typeof cookies | null = "admin") {
  const headers = { ...SAME_ORIGIN, ...(who ? { cookie: cookies[who] } : {}), ...(init.headers ?? {}) };
  return request(`/api/admin/uploads${path}`, { ...init, headers });
}

function create(lectureId: number, fileName: string, size: number, contentType?: string) {
  return api("", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ lectureId, fileName, size, contentType }),
  });
}

async function created(lectureId: number, fileName: string, size: number, contentType?: string) {
  const response = await create(lectureId, fileName, size, contentType);
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as UploadBody).upload;
}

const sendPart = (id: string, partNumber: number, bytes: Uint8Array<ArrayBuffer>) =>
  api(`/${id}/parts/${partNumber}`, { method: "PUT", body: bytes });

const complete = (id: string) => api(`/${id}/complete`, { method: "POST" });

const partOf = (bytes: Uint8Array, partNumber: number) =>
  bytes.slice((partNumber - 1) * PART_SIZE, Math.min(partNumber * PART_SIZE, bytes.length));

/** Create, send every part, complete: the file as the API describes it. */
async function uploadWhole(lectureId: number, fileName: string, bytes: Uint8Array) {
  const upload = await created(lectureId, fileName, bytes.length);
  for (let partNumber = 1; partNumber <= upload.partCount; partNumber++) {
    expect((await sendPart(upload.id, partNumber, partOf(bytes, partNumber))).status).toBe(200);
  }
  const response = await complete(upload.id);
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as FileBody).file;
}

const errorCode = async (response: Response) => ((await response.json()) as ErrorBody).error;

const fileRow = (id: string) =>
  env.DB.prepare("select * from lecture_files where id = ?").bind(id).first<{
    key: string;
    lecture_id: number;
    file_name: string;
    content_type: string;
    size: number;
  }>();

const uploadRow = (id: string) =>
  env.DB.prepare("select * from uploads where id = ?").bind(id).first<{
    key: string;
    r2_upload_id: string;
    status: string;
  }>();

const count = (table: string) => env.DB.prepare(`select count(*) as n from ${table}`).first<number>("n");

const storedKeys = async (lectureId: number) =>
  (await env.LECTURE_ASSETS.list({ prefix: `lectures/${lectureId}/files/` })).objects.map((object) => object.key);

/** R2 no longer accepts parts for an aborted multipart upload. */
async function expectAborted(key: string, r2UploadId: string) {
  await expect(env.LECTURE_ASSETS.resumeMultipartUpload(key, r2UploadId).uploadPart(1, "x")).rejects.toThrow();
}

const KEY = /^lectures\/\d+\/files\/[0-9a-f]{32}$/;

describe("lecture file uploads", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
    await createAccount(EMAILS.admin, PASSWORD, "admin", "Ada Admin");
    await createAccount(EMAILS.student, PASSWORD);
    await createAccount(EMAILS.visitor, PASSWORD);
    await env.DB.prepare(enrollStatement(EMAILS.student, crypto.randomUUID())).run();
    for (const who of ["admin", "student", "visitor"] as const) cookies[who] = await login(EMAILS[who], PASSWORD);
    const id = (slug: string) =>
      env.DB.prepare("select id from lectures where slug = ?").bind(slug).first<number>("id");
    lectureIds.preview = (await id(PREVIEW.lecture))!;
    lectureIds.locked = (await id(LOCKED.lecture))!;
  });

  it("uploads a video of several parts and stores exactly its bytes under a server key", async () => {
    const bytes = fileBytes(MP4_HEADER, 2 * PART_SIZE + 12_345);
    const upload = await created(lectureIds.locked, "../../lectures/intro.mp4", bytes.length, "video/mp4");
    expect(upload).toMatchObject({ fileName: "intro.mp4", partSize: PART_SIZE, partCount: 3, status: "uploading" });
    expect(PART_SIZE).toBeGreaterThanOrEqual(5 * MIB);
    for (const partNumber of [1, 2, 3]) {
      const response = await sendPart(upload.id, partNumber, partOf(bytes, partNumber));
      expect(response.status).toBe(200);
    }
    const response = await complete(upload.id);
    expect(response.status).toBe(201);
    const { file } = (await response.json()) as FileBody;
    expect(file).toMatchObject({ fileName: "intro.mp4", contentType: "video/mp4", size: bytes.length });

    const row = await fileRow(file.id);
    expect(row).toMatchObject({ lecture_id: lectureIds.locked, file_name: "intro.mp4", content_type: "video/mp4" });
    expect(row!.key).toMatch(KEY);
    const object = await env.LECTURE_ASSETS.get(row!.key);
    expect(object!.size).toBe(bytes.length);
    expect(object!.httpMetadata?.contentType).toBe("video/mp4");
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);

    expect((await uploadRow(upload.id))!.status).toBe("complete");
    expect(await count("upload_parts")).toBe(0);
    const audit = await env.DB.prepare("select * from audit_log where target_id = ?")
      .bind(file.id)
      .first<{ action: string; actor_email: string; summary: string }>();
    expect(audit).toMatchObject({ action: "lecture_file.upload", actor_email: EMAILS.admin });
    expect(audit!.summary).toContain('"intro.mp4"');
  });

  it("resumes after a dropped connection: the status lists the stored parts and only the rest are sent", async () => {
    const bytes = fileBytes(WEBM_HEADER, 2 * PART_SIZE + 10);
    const upload = await created(lectureIds.locked, "recording.webm", bytes.length);
    expect((await sendPart(upload.id, 1, partOf(bytes, 1))).status).toBe(200);

    // The connection drops here; later the page asks what the server already has.
    const status = await api(`/${upload.id}`);
    expect(status.status).toBe(200);
    const resumed = ((await status.json()) as UploadBody).upload;
    expect(resumed).toMatchObject({ status: "uploading", partCount: 3, contentType: "video/webm" });
    expect(resumed.parts).toEqual([{ partNumber: 1, size: PART_SIZE }]);

    for (const partNumber of [2, 3])
      expect((await sendPart(upload.id, partNumber, partOf(bytes, partNumber))).status).toBe(200);
    const response = await complete(upload.id);
    expect(response.status).toBe(201);
    const { file } = (await response.json()) as FileBody;
    const object = await env.LECTURE_ASSETS.get((await fileRow(file.id))!.key);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);
  });

  it("trusts the bytes over the name: a WebM called .pdf is stored as video/webm", async () => {
    const bytes = fileBytes(WEBM_HEADER, 1000);
    const file = await uploadWhole(lectureIds.locked, "slides.pdf", bytes);
    expect(file).toMatchObject({ fileName: "slides.pdf.webm", contentType: "video/webm" });
    const object = await env.LECTURE_ASSETS.head((await fileRow(file.id))!.key);
    expect(object!.httpMetadata?.contentType).toBe("video/webm");
  });

  it("refuses a declared size over the limit before anything is stored", async () => {
    const uploadsBefore = await count("uploads");
    for (const [name, size] of [
      ["lecture.mp4", 2048 * MIB + 1],
      ["huge", 3 * 1024 * MIB],
      ["handout.pdf", 100 * MIB + 1],
    ] as const) {
      const response = await create(lectureIds.locked, name, size);
      expect(response.status, name).toBe(413);
      expect((await errorCode(response)).code, name).toBe("FILE_TOO_LARGE");
    }
    expect(await count("uploads")).toBe(uploadsBefore);

    // Nothing in the name says it is not a video; the first part's bytes show a 200 MB PDF.
    const upload = await created(lectureIds.locked, "mystery", 200 * MIB);
    const row = await uploadRow(upload.id);
    const response = await sendPart(upload.id, 1, fileBytes(ascii("%PDF-1.7\n"), PART_SIZE));
    expect(response.status).toBe(413);
    expect((await errorCode(response)).message).toContain("a PDF document of 200.0 MB");
    expect(await uploadRow(upload.id)).toBeNull();
    await expectAborted(row!.key, row!.r2_upload_id);
  });

  it("refuses a part of the wrong size, a part that does not exist and parts before part 1", async () => {
    const bytes = fileBytes(MP4_HEADER, 2 * PART_SIZE + 1);
    const upload = await created(lectureIds.locked, "talk.mp4", bytes.length);

    const tooLarge = await sendPart(upload.id, 1, fileBytes(MP4_HEADER, PART_SIZE + 1));
    expect(tooLarge.status).toBe(413);
    expect((await errorCode(tooLarge)).code).toBe("FILE_TOO_LARGE");
    const tooSmall = await sendPart(upload.id, 1, fileBytes(MP4_HEADER, PART_SIZE - 1));
    expect(tooSmall.status).toBe(400);
    expect((await sendPart(upload.id, 4, new Uint8Array(1))).status).toBe(400);
    const early = await sendPart(upload.id, 2, partOf(bytes, 2));
    expect(early.status).toBe(409);
    expect((await errorCode(early)).message).toContain("Send part 1 first");
    const lastTooLarge = await sendPart(upload.id, 3, new Uint8Array(2));
    expect(lastTooLarge.status).toBe(409);

    const status = ((await (await api(`/${upload.id}`)).json()) as UploadBody).upload;
    expect(status.parts).toEqual([]);
    expect((await sendPart(upload.id, 1, partOf(bytes, 1))).status).toBe(200);
    expect((await sendPart(upload.id, 3, new Uint8Array(2))).status).toBe(413);
    expect((await api(`/${upload.id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("refuses files whose bytes are not an accepted type, whatever the name, and leaves nothing behind", async () => {
    const cases = [
      {
        name: "lecture.mp4",
        bytes: fileBytes([0x7f, ...ascii("ELF"), 2, 1, 1, 0], 4096),
        what: "a Linux program (ELF)",
      },
      { name: "lecture.mp4", bytes: fileBytes([...ascii("MZ"), 0x90, 0], 4096), what: "a Windows program (PE)" },
      {
        name: "lecture.mp4",
        bytes: new TextEncoder().encode("<!doctype html><script>alert(1)</script>"),
        what: "an HTML, SVG or XML document",
      },
      { name: "photo.png", bytes: fileBytes([0x1f, 0x8b, 8, 0], 2048), what: "a gzip archive" },
      { name: "cover.png", bytes: fileBytes([0, 0, 0, 0x18, ...ascii("ftypheic")], 2048), what: "an HEIC image" },
      { name: "notes.txt", bytes: new Uint8Array([0x68, 0x69, 0x00, 0x01]), what: "not one we accept" },
    ];
    const filesBefore = await count("lecture_files");
    for (const { name, bytes, what } of cases) {
      const upload = await created(lectureIds.preview, name, bytes.length);
      const row = await uploadRow(upload.id);
      const response = await sendPart(upload.id, 1, bytes);
      expect(response.status, what).toBe(415);
      const error = await errorCode(response);
      expect(error.code, what).toBe("UNSUPPORTED_FILE_TYPE");
      expect(error.message, what).toContain(what);
      expect(await uploadRow(upload.id), what).toBeNull();
      await expectAborted(row!.key, row!.r2_upload_id);
      expect((await complete(upload.id)).status, what).toBe(404);
    }
    expect(await count("lecture_files")).toBe(filesBefore);
    expect(await count("upload_parts")).toBe(0);
    expect(await storedKeys(lectureIds.preview)).toEqual([]);
  });

  it("keeps path traversal and odd characters out of names and keys, and shows names safely", async () => {
    const text = new TextEncoder().encode("Lab notes\n");
    const cases = [
      ["../../etc/passwd", "passwd.txt"],
      ["a/b\\c\\..\\..\\notes.md", "notes.md"],
      ["bad\u0000name\u0007.txt", "badname.txt"],
      ["\u202Etxt.exe", "txt.exe.txt"],
      ['<img src=x onerror="alert(1)">.txt', "img src=x onerror=alert(1).txt"],
      ["..", "file.txt"],
      // Cut to 255 characters on arrival (the extension goes with them), then to 90 and the real type's.
      [`${"long ".repeat(180)}.md`, `${"long ".repeat(18).trim()}.txt`],
    ] as const;
    for (const [original, expected] of cases) {
      const file = await uploadWhole(lectureIds.preview, original, text);
      const row = await fileRow(file.id);
      expect(row!.file_name, original).toBe(expected);
      expect(row!.key, original).toMatch(KEY);
    }
    const tooLong = await create(lectureIds.preview, `${"x".repeat(1001)}.txt`, 10);
    expect(tooLong.status).toBe(400);

    const html = await (
      await request(`/admin/lectures/${lectureIds.preview}/files`, { headers: { cookie: cookies.admin } })
    ).text();
    expect(html).toContain("img src=x onerror=alert(1).txt");
    expect(html).not.toContain("<img src=x");
  });

  it("refuses to complete an upload with parts missing, and completes it once they arrive", async () => {
    const bytes = fileBytes(MP4_HEADER, 2 * PART_SIZE + 5);
    const upload = await created(lectureIds.locked, "gaps.mp4", bytes.length);
    expect((await sendPart(upload.id, 1, partOf(bytes, 1))).status).toBe(200);
    expect((await sendPart(upload.id, 3, partOf(bytes, 3))).status).toBe(200);
    const refused = await complete(upload.id);
    expect(refused.status).toBe(409);
    const error = await errorCode(refused);
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("Parts 2 have not arrived");
    expect((await uploadRow(upload.id))!.status).toBe("uploading");
    expect(
      await env.DB.prepare("select count(*) as n from lecture_files where key = ?")
        .bind((await uploadRow(upload.id))!.key)
        .first("n"),
    ).toBe(0);

    expect((await sendPart(upload.id, 2, partOf(bytes, 2))).status).toBe(200);
    expect((await complete(upload.id)).status).toBe(201);
    expect((await complete(upload.id)).status).toBe(409);
  });

  it("aborts an upload on DELETE", async () => {
    const bytes = fileBytes(MP4_HEADER, PART_SIZE + 1);
    const upload = await created(lectureIds.locked, "cancelled.mp4", bytes.length);
    expect((await sendPart(upload.id, 1, partOf(bytes, 1))).status).toBe(200);
    const row = await uploadRow(upload.id);
    expect((await api(`/${upload.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await uploadRow(upload.id)).toBeNull();
    expect(await count("upload_parts")).toBe(0);
    await expectAborted(row!.key, row!.r2_upload_id);
    expect((await api(`/${upload.id}`)).status).toBe(404);
  });

  it("shows the library, makes a video the lecture's video, and deletes files after confirmation", async () => {
    const page = `/admin/lectures/${lectureIds.locked}/files`;
    const video = await uploadWhole(lectureIds.locked, "walkthrough.webm", fileBytes(WEBM_HEADER, 4000));
    const pdf = await uploadWhole(lectureIds.locked, "handout.pdf", PDF_BYTES);

    const response = await request(page, { headers: { cookie: cookies.admin } });
    expect(response.status).toBe(200);
    // The session, the header's unread counts (root loader), and one batch for the whole page.
    expect(serverTiming(response)["d1-round-trips"]).toBe("3");
    const html = await response.text();
    for (const text of [
      "walkthrough.webm",
      "handout.pdf",
      "WebM video",
      "PDF",
      "by Ada Admin",
      "Use as lecture video",
    ]) {
      expect(html.includes(text), text).toBe(true);
    }
    expect(html).toContain('for="upload-file"');
    expect(html).toContain(`href="/admin/lectures/${lectureIds.locked}"`);

    const made = await post(page, { intent: "video", fileId: video.id }, { cookie: cookies.admin });
    expect(made.status).toBe(302);
    expect(made.headers.get("location")).toBe(`${page}?video=walkthrough.webm`);
    const videoKey = (await fileRow(video.id))!.key;
    const lecture = () =>
      env.DB.prepare("select video_asset_key from lectures where id = ?")
        .bind(lectureIds.locked)
        .first<string | null>("video_asset_key");
    expect(await lecture()).toBe(videoKey);
    const stream = await request(`/media/${LOCKED.module}/${LOCKED.lecture}/video`, {
      headers: { cookie: cookies.student },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("video/webm");
    const notVideo = await post(page, { intent: "video", fileId: pdf.id }, { cookie: cookies.admin });
    expect(notVideo.status).toBe(400);
    expect(await notVideo.text()).toContain("Only a video file can be the lecture&#x27;s video.");

    for (const file of [video, pdf]) {
      const key = (await fileRow(file.id))!.key;
      const deleted = await post(page, { intent: "delete", fileId: file.id }, { cookie: cookies.admin });
      expect(deleted.status).toBe(302);
      expect(await fileRow(file.id)).toBeNull();
      expect(await env.LECTURE_ASSETS.head(key)).toBeNull();
      const audit = await env.DB.prepare("select action from audit_log where target_id = ? order by id desc")
        .bind(file.id)
        .first<string>("action");
      expect(audit).toBe("lecture_file.delete");
    }
    expect(await lecture()).toBeNull();
    const again = await post(page, { intent: "delete", fileId: pdf.id }, { cookie: cookies.admin });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("not in this lecture&#x27;s library any more");
  });

  it("lists a lecture's files as downloads for students who may read it, and refuses them to others", async () => {
    const handout = await uploadWhole(lectureIds.locked, "permissions cheat sheet.pdf", PDF_BYTES);
    const video = await uploadWhole(lectureIds.locked, "main.mp4", fileBytes(MP4_HEADER, 3000));
    await post(
      `/admin/lectures/${lectureIds.locked}/files`,
      { intent: "video", fileId: video.id },
      { cookie: cookies.admin },
    );
    const lecturePage = `/modules/${LOCKED.module}/${LOCKED.lecture}`;
    const download = `/media/${LOCKED.module}/${LOCKED.lecture}/files/${handout.id}`;

    const html = await (await request(lecturePage, { headers: { cookie: cookies.student } })).text();
    expect(html).toContain("Downloads");
    expect(html).toContain(`href="${download}"`);
    expect(html).toContain("permissions cheat sheet.pdf");
    // The lecture's video plays at the top; it is not listed again as a download.
    expect(html).not.toContain(`/files/${video.id}`);

    const response = await request(download, { headers: { cookie: cookies.student } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="permissions cheat sheet.pdf"/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PDF_BYTES);

    for (const cookie of [cookies.visitor, undefined]) {
      const lockedHtml = await (await request(lecturePage, { headers: cookie ? { cookie } : {} })).text();
      expect(lockedHtml).not.toContain("permissions cheat sheet.pdf");
      const refused = await request(download, { headers: cookie ? { cookie } : {} });
      expect(refused.status).toBe(403);
      expect((await errorCode(refused)).code).toBe("ENROLLMENT_REQUIRED");
    }
    // A file of another lecture is not reachable through this lecture's path.
    const elsewhere = await request(`/media/${PREVIEW.module}/${PREVIEW.lecture}/files/${handout.id}`);
    expect(elsewhere.status).toBe(404);
  });

  it("serves a free preview's files to everyone, publicly cached", async () => {
    const file = await uploadWhole(lectureIds.preview, "shell.pdf", PDF_BYTES);
    const html = await (await request(`/modules/${PREVIEW.module}/${PREVIEW.lecture}`)).text();
    expect(html).toContain(`/media/${PREVIEW.module}/${PREVIEW.lecture}/files/${file.id}`);
    const response = await request(`/media/${PREVIEW.module}/${PREVIEW.lecture}/files/${file.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=86400");
  });

  it("answers 404 to non-admins on every upload endpoint and the library page, and changes nothing", async () => {
    const bytes = fileBytes(MP4_HEADER, PART_SIZE + 1);
    const upload = await created(lectureIds.locked, "guarded.mp4", bytes.length);
    const kept = await uploadWhole(lectureIds.locked, "kept.pdf", PDF_BYTES);
    const page = `/admin/lectures/${lectureIds.locked}/files`;
    for (const who of ["student", null] as const) {
      const attempts = [
        api(
          "",
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ lectureId: lectureIds.locked, fileName: "x.mp4", size: 10 }),
          },
          who,
        ),
        api(`/${upload.id}`, {}, who),
        api(`/${upload.id}/parts/1`, { method: "PUT", body: partOf(bytes, 1) }, who),
        api(`/${upload.id}/complete`, { method: "POST" }, who),
        api(`/${upload.id}`, { method: "DELETE" }, who),
        request(page, { headers: who ? { cookie: cookies[who] } : {} }),
        post(page, { intent: "delete", fileId: kept.id }, who ? { cookie: cookies[who] } : {}),
      ];
      for (const response of await Promise.all(attempts)) expect(response.status, `${who} ${response.url}`).toBe(404);
    }
    const status = ((await (await api(`/${upload.id}`)).json()) as UploadBody).upload;
    expect(status).toMatchObject({ status: "uploading", parts: [] });
    expect(await fileRow(kept.id)).not.toBeNull();
  });

  it("aborts uploads nobody touched for a week from the scheduled cleanup", async () => {
    const upload = await created(lectureIds.locked, "abandoned.mp4", PART_SIZE + 1);
    const row = await uploadRow(upload.id);
    const fresh = await abortStaleUploads(env, testDatabase(), new Date());
    expect(fresh.aborted).toBe(0);
    const later = await abortStaleUploads(env, testDatabase(), new Date(Date.now() + 8 * 86_400_000));
    expect(later.aborted).toBeGreaterThanOrEqual(1);
    expect(await uploadRow(upload.id)).toBeNull();
    await expectAborted(row!.key, row!.r2_upload_id);
  });
});
