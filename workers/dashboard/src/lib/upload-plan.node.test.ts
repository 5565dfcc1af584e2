import { describe, expect, it } from "vitest";
import {
  declaredFile,
  guessPlatform,
  matchDeclaredFiles,
  planReleaseFiles,
  readChannelFile,
  sha512Base64,
} from "./upload-plan.ts";

/** sha512 in base64 of a few words (printed by `openssl dgst -sha512 -binary | base64`). */
const SHA512: Record<string, string> = {
  exe: "eJ8JwoaLH2qnW83EosdhUl16UGF8dqiJIwe8JovQxKbkxTWUhuVW+fYjOjLcS1uX5Bpj0Doo0to30ap78V+N2w==",
  appimage: "HMMuySAvePAaq0ha7ur27S9Nxse2yFMORvF2nrO3HbpUlGBsJJ8uIrbzr4OPpToLAUq3sAm/iQmDg5xNAilEZg==",
  x: "pKvURIxJVi2CgRXROh/M6pJ/UrTVRZKX+LQ+QtqJI4vBNibkPcs43bCCSIkn7JBPtCBXRDmD6IWFF51QVRr+Yg==",
};
const sha = (text: string) => SHA512[text] ?? "";
const file = (name: string, size: number) => ({ name, size });

const LATEST_YML = `version: 2.0.0
files:
  - url: Nexus-Setup-2.0.0.exe
    sha512: ${sha("exe")}
    size: 300
path: Nexus-Setup-2.0.0.exe
sha512: ${sha("exe")}
releaseName: Nexus 2.0.0
releaseDate: '2026-11-20T10:00:00.000Z'
`;
const LINUX_YML = `version: 2.0.0
files:
  - url: Nexus-2.0.0.AppImage
    sha512: ${sha("appimage")}
    size: 500
    blockMapSize: 40
path: Nexus-2.0.0.AppImage
sha512: ${sha("appimage")}
releaseName: Nexus 2.0.0
`;

describe("readChannelFile", () => {
  it("reads electron-builder's channel file with its platform from the name", () => {
    const latest = readChannelFile("latest.yml", LATEST_YML);
    expect(latest).toMatchObject({ platform: "win", version: "2.0.0", releaseName: "Nexus 2.0.0" });
    expect(latest.files).toEqual([{ url: "Nexus-Setup-2.0.0.exe", sha512: sha("exe"), size: 300 }]);
    expect(readChannelFile("beta-linux-arm64.yml", LATEST_YML).platform).toBe("linux-arm64");
  });

  it("names the file and the problem", () => {
    expect(() => readChannelFile("latest.yml", "version: 1.0.0\n")).toThrow(/latest\.yml: files/);
    expect(() => readChannelFile("latest.yml", "files: [\n")).toThrow(/not valid YAML/);
    expect(() => readChannelFile("notes.txt", LATEST_YML)).toThrow(/not a channel file/);
  });
});

describe("planReleaseFiles", () => {
  const channelFiles = [
    readChannelFile("latest-linux.yml", LINUX_YML),
    readChannelFile("latest.yml", LATEST_YML),
  ];

  it("declares the listed artifacts per platform, each followed by its blockmap, channel files left out", () => {
    const plan = planReleaseFiles(
      [
        file("latest.yml", 400),
        file("Nexus-2.0.0.AppImage.blockmap", 41),
        file("Nexus Setup 2.0.0.exe.blockmap", 30),
        file("Nexus-2.0.0.AppImage", 500),
        // electron-builder's local name has spaces; the channel file lists it with dashes.
        file("Nexus Setup 2.0.0.exe", 300),
        file("latest-linux.yml", 400),
      ],
      channelFiles,
    );
    expect(plan.problems).toEqual([]);
    expect(plan.version).toBe("2.0.0");
    expect(plan.name).toBe("Nexus 2.0.0");
    expect(plan.channelFiles).toEqual(["latest.yml", "latest-linux.yml"]);
    expect(
      plan.files.map(({ name, platform, kind, sha512, block_map_size }) => [
        name,
        platform,
        kind,
        sha512,
        block_map_size,
      ]),
    ).toEqual([
      ["Nexus-Setup-2.0.0.exe", "win", "artifact", sha("exe"), undefined],
      ["Nexus-Setup-2.0.0.exe.blockmap", "win", "blockmap", undefined, undefined],
      ["Nexus-2.0.0.AppImage", "linux", "artifact", sha("appimage"), 40],
      ["Nexus-2.0.0.AppImage.blockmap", "linux", "blockmap", undefined, undefined],
    ]);
    expect(plan.files[1]?.source.name).toBe("Nexus Setup 2.0.0.exe.blockmap");
  });

  it("adds unlisted files last, on the platform their name suggests", () => {
    const plan = planReleaseFiles(
      [
        file("Nexus-Setup-2.0.0.exe", 300),
        file("Nexus-2.0.0-armv7l.AppImage", 900),
        file("Nexus-2.0.0.dmg", 700),
      ],
      [readChannelFile("latest.yml", LATEST_YML)],
    );
    expect(plan.problems).toEqual([]);
    expect(plan.files.map((entry) => [entry.name, entry.platform, entry.listed])).toEqual([
      ["Nexus-Setup-2.0.0.exe", "win", true],
      ["Nexus-2.0.0-armv7l.AppImage", "linux-armv7l", false],
      ["Nexus-2.0.0.dmg", "mac", false],
    ]);
  });

  it("works without channel files (the operator supplies the version)", () => {
    const plan = planReleaseFiles([file("App.exe.blockmap", 10), file("App.exe", 20)], []);
    expect(plan.version).toBeUndefined();
    expect(plan.files.map((entry) => [entry.name, entry.kind])).toEqual([
      ["App.exe", "artifact"],
      ["App.exe.blockmap", "blockmap"],
    ]);
  });

  it("lists every problem: missing and resized artifacts, lone blockmaps, versions that disagree", () => {
    const other = readChannelFile("latest-mac.yml", LATEST_YML.replace("version: 2.0.0", "version: 2.0.1"));
    const plan = planReleaseFiles(
      [file("Nexus-2.0.0.AppImage", 499), file("Orphan.exe.blockmap", 5), file("latest.yml", 1)],
      [...channelFiles, other],
    );
    expect(plan.problems).toEqual([
      "The channel files disagree on the version (2.0.0, 2.0.1): pick one build.",
      "latest.yml lists Nexus-Setup-2.0.0.exe: pick it too.",
      "latest-mac.yml lists Nexus-Setup-2.0.0.exe: pick it too.",
      "Nexus-2.0.0.AppImage has 499 bytes, but latest-linux.yml says 500.",
      "Orphan.exe.blockmap is a blockmap without its artifact: pick Orphan.exe too.",
    ]);
    expect(plan.version).toBeUndefined();
    expect(planReleaseFiles([file("latest.yml", 1)], []).problems).toEqual([
      "Pick the installers (and their blockmaps), not only channel files.",
    ]);
  });

  it("refuses names the API would refuse", () => {
    const plan = planReleaseFiles([file("../evil.exe", 3)], []);
    expect(plan.problems.join(" ")).toMatch(/evil\.exe/);
  });
});

describe("matchDeclaredFiles", () => {
  it("pairs picked files with the draft's missing files by their listed name", () => {
    const declared = [
      { name: "Nexus-Setup-2.0.0.exe", size: 300, uploaded: false },
      { name: "Nexus-Setup-2.0.0.exe.blockmap", size: 30, uploaded: true },
      { name: "Nexus-2.0.0.AppImage", size: 500, uploaded: false },
    ];
    const match = matchDeclaredFiles(
      [
        file("Nexus Setup 2.0.0.exe", 300),
        file("Nexus-Setup-2.0.0.exe.blockmap", 30),
        file("latest.yml", 400),
        file("Nexus-2.0.0.AppImage", 501),
      ],
      declared,
    );
    expect(match.uploads.map((upload) => [upload.name, upload.source.name])).toEqual([
      ["Nexus-Setup-2.0.0.exe", "Nexus Setup 2.0.0.exe"],
    ]);
    expect(match.ignored).toEqual(["Nexus-Setup-2.0.0.exe.blockmap", "latest.yml"]);
    expect(match.problems).toEqual(["Nexus-2.0.0.AppImage has 501 bytes; the release declares 500."]);
  });
});

describe("guessPlatform", () => {
  it("reads electron-builder's target names", () => {
    expect(guessPlatform("Nexus-Setup-1.0.0.exe")).toBe("win");
    expect(guessPlatform("Nexus-1.0.0.msi")).toBe("win");
    expect(guessPlatform("Nexus-1.0.0-arm64-mac.zip")).toBe("mac");
    expect(guessPlatform("Nexus-1.0.0.dmg")).toBe("mac");
    expect(guessPlatform("Nexus-1.0.0.AppImage")).toBe("linux");
    expect(guessPlatform("nexus_1.0.0_arm64.deb")).toBe("linux-arm64");
    expect(guessPlatform("Nexus-1.0.0-armv7l.AppImage")).toBe("linux-armv7l");
  });
});

describe("declaredFile and sha512Base64", () => {
  it("hash as electron-builder does and declare what the API expects", async () => {
    expect(await sha512Base64(new Blob(["exe"]))).toBe(sha("exe"));
    const declared = {
      name: "a.AppImage",
      platform: "linux" as const,
      kind: "artifact" as const,
      size: 5,
      sha512: sha("x"),
      block_map_size: 2,
    };
    expect(declaredFile({ ...declared, source: null, listed: true })).toEqual(declared);
  });
});
