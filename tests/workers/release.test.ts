import { describe, expect, it } from "vitest";
import { cohortDay, cohortPhase, fromLocal, moduleReleaseAt } from "../../db/cohorts/release.ts";

const at = (iso: string) => new Date(iso);

describe("module release instants", () => {
  it("opens at 09:00 Asia/Bishkek, which is 03:00 UTC", () => {
    const cohort = { timezone: "Asia/Bishkek", startsAt: at("2026-03-02T04:00:00Z") }; // 10:00 local
    expect(moduleReleaseAt(cohort, { releaseOffsetDays: 0, releaseTime: "09:00" }).toISOString()).toBe(
      "2026-03-02T03:00:00.000Z",
    );
  });

  it("adds offsets of 0 and 30 calendar days in the cohort's timezone", () => {
    // 23:30 UTC on 1 March is already 2 March in Bishkek: the offset counts from the local date.
    const cohort = { timezone: "Asia/Bishkek", startsAt: at("2026-03-01T23:30:00Z") };
    expect(moduleReleaseAt(cohort, { releaseOffsetDays: 0, releaseTime: "09:00" }).toISOString()).toBe(
      "2026-03-02T03:00:00.000Z",
    );
    expect(moduleReleaseAt(cohort, { releaseOffsetDays: 30, releaseTime: "09:00" }).toISOString()).toBe(
      "2026-04-01T03:00:00.000Z",
    );
  });

  it("uses the cohort's start time of day when the module names no time", () => {
    const cohort = { timezone: "Asia/Bishkek", startsAt: at("2026-03-02T04:00:00Z") };
    expect(moduleReleaseAt(cohort, { releaseOffsetDays: 7, releaseTime: null }).toISOString()).toBe(
      "2026-03-09T04:00:00.000Z",
    );
  });

  it("keeps 09:00 local on both sides of New York's March and November changes", () => {
    // Clocks go forward on 8 March 2026 and back on 1 November 2026.
    const cohort = { timezone: "America/New_York", startsAt: at("2026-03-02T15:00:00Z") }; // 10:00 EST
    const release = (days: number) => moduleReleaseAt(cohort, { releaseOffsetDays: days, releaseTime: "09:00" });
    expect(release(5).toISOString()).toBe("2026-03-07T14:00:00.000Z"); // EST, UTC-5
    expect(release(6).toISOString()).toBe("2026-03-08T13:00:00.000Z"); // the change day, EDT, UTC-4
    expect(release(7).toISOString()).toBe("2026-03-09T13:00:00.000Z");
    expect(release(243).toISOString()).toBe("2026-10-31T13:00:00.000Z"); // EDT
    expect(release(244).toISOString()).toBe("2026-11-01T14:00:00.000Z"); // back to EST
  });

  it("keeps 09:00 local across Berlin's changes", () => {
    const cohort = { timezone: "Europe/Berlin", startsAt: at("2026-03-23T09:00:00Z") }; // 10:00 CET
    const release = (days: number) => moduleReleaseAt(cohort, { releaseOffsetDays: days, releaseTime: "09:00" });
    expect(release(6).toISOString()).toBe("2026-03-29T07:00:00.000Z"); // CEST from 29 March
    expect(release(5).toISOString()).toBe("2026-03-28T08:00:00.000Z");
    expect(release(217).toISOString()).toBe("2026-10-26T08:00:00.000Z"); // CET again from 25 October
    expect(release(216).toISOString()).toBe("2026-10-25T08:00:00.000Z");
  });

  it("resolves a wall-clock time just after a spring-forward change", () => {
    expect(fromLocal({ year: 2026, month: 3, day: 8, hour: 5, minute: 0 }, "America/New_York").toISOString()).toBe(
      "2026-03-08T09:00:00.000Z",
    );
  });
});

describe("cohort phases", () => {
  const cohort = {
    timezone: "Asia/Bishkek",
    enrollmentOpensAt: at("2026-02-01T00:00:00Z"),
    enrollmentClosesAt: at("2026-03-05T00:00:00Z"),
    startsAt: at("2026-03-02T04:00:00Z"),
    endsAt: at("2026-05-25T04:00:00Z"),
  };

  it("moves from upcoming to enrolling, running (even while enrolment is open) and finished", () => {
    expect(cohortPhase(cohort, at("2026-01-15T00:00:00Z"))).toBe("upcoming");
    expect(cohortPhase(cohort, at("2026-02-10T00:00:00Z"))).toBe("enrolling");
    expect(cohortPhase(cohort, at("2026-03-02T04:00:00Z"))).toBe("running");
    expect(cohortPhase(cohort, at("2026-03-03T00:00:00Z"))).toBe("running");
    expect(cohortPhase(cohort, at("2026-05-25T04:00:00Z"))).toBe("finished");
  });

  it("counts day 1 from the start date in the cohort's timezone", () => {
    expect(cohortDay(cohort, at("2026-03-02T04:00:00Z"))).toBe(1);
    expect(cohortDay(cohort, at("2026-03-02T17:59:00Z"))).toBe(1); // 23:59 in Bishkek
    expect(cohortDay(cohort, at("2026-03-02T18:00:00Z"))).toBe(2); // midnight in Bishkek
    expect(cohortDay(cohort, at("2026-03-13T10:00:00Z"))).toBe(12);
  });
});
