// The repository's LICENSE is the licence the published package declares (and the lockfile
// records), with its full standard text; the package ships the same file.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("LICENSE", () => {
  it("matches the license field of @tollbooth/l402", () => {
    const pkg = JSON.parse(read("packages/l402/package.json"));
    const lock = JSON.parse(read("package-lock.json"));
    expect(pkg.license).toBe("MIT");
    expect(lock.packages["packages/l402"].license).toBe(pkg.license);
    const license = read("LICENSE");
    expect(license.split("\n")[0]).toBe(`${pkg.license} License`);
    expect(license).toContain("Copyright (c) 2026 Tollbooth contributors");
    expect(license).toContain("Permission is hereby granted, free of charge, to any person obtaining a copy");
    expect(license.trim().endsWith("OTHER DEALINGS IN THE\nSOFTWARE.")).toBe(true);
    expect(read("packages/l402/LICENSE")).toBe(license);
    expect(pkg.files).toContain("LICENSE");
  });
});
