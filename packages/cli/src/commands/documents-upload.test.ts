import { createHash } from "node:crypto";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Fetch } from "../io.ts";
import { type DocumentApiStandIn, startDocumentApiStandIn } from "../testing/document-api-stand-in.ts";
import {
  bytesOf,
  capture,
  closedLocalUrl,
  localOnlyFetch,
  runCli,
  testFolder,
  usageErrorOf,
} from "../testing/test-helpers.ts";
import {
  type DocumentsUploadDeps,
  type DocumentsUploadOptions,
  documentsUpload,
} from "./documents-upload.ts";

const SECRET = "operator-secret-operator-secret-00";
const API_KEY = "nxk_test_key_0000000000000000";
const COMPANY = "01JZCOMPANY0000000000000001";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const pdf = (length: number, label: string) =>
  Buffer.concat([Buffer.from("%PDF-1.7\n"), bytesOf(length - 9, label)]);
const exe = (length: number) => Buffer.concat([Buffer.from("MZ"), bytesOf(length - 2, "exe")]);

const root = testFolder("documents-upload-");
let api: DocumentApiStandIn | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

type Entry = Buffer | { symlink: string };

/** A folder with these files (paths may have subfolders) and symlinks (targets relative to the link). */
async function makeFolder(entries: Record<string, Entry>): Promise<string> {
  const dir = root.fresh("folder");
  await mkdir(dir, { recursive: true });
  for (const [path, entry] of Object.entries(entries)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    if ("symlink" in entry) await symlink(entry.symlink, target);
    else await writeFile(target, entry);
  }
  return dir;
}

async function standIn(options: { partSize?: number } = {}) {
  api = await startDocumentApiStandIn({ credentials: [SECRET, API_KEY], companyIds: [COMPANY], ...options });
  return api;
}

/** `nexus documents upload <args> --url <the stand-in>`, with the operator secret unless `env` says otherwise. */
async function upload(args: string[], env: Record<string, string> = { NEXUS_ADMIN_SECRET: SECRET }) {
  const server = api ?? (await standIn());
  return runCli(["documents", "upload", ...args, "--url", server.url], { env, cwd: root.path });
}

/** documentsUpload called directly, for what the command line does not set (part sizes, backoff). */
function uploadFolder(
  dir: string,
  options: Partial<DocumentsUploadOptions> & { baseUrl: string },
  deps: Partial<DocumentsUploadDeps> = {},
) {
  const defaults = { dir, companyId: COMPANY, tags: [], recursive: false, token: SECRET };
  return documentsUpload({ ...defaults, ...options }, { fetch: localOnlyFetch, stderr: capture(), ...deps });
}

/** Requests as `METHOD /documents/:id/...`, the company prefix and ids left out. */
const calls = (server: DocumentApiStandIn) =>
  server.requests.map(
    (request) =>
      `${request.method} ${request.path
        .replace(`/api/admin/companies/${COMPANY}`, "")
        .replace(/^\/documents\/[^/]+/, "/documents/:id")}`,
  );

describe("documents upload: against the API", () => {
  it("uploads every file of a folder, byte for byte, tagged and linked; skips dotfiles and subfolders", async () => {
    const files = { "a.pdf": pdf(3_000, "a"), "notes.txt": Buffer.from("Pump 4 serviced.\n") };
    const dir = await makeFolder({
      ...files,
      ".DS_Store": bytesOf(100, "ds"),
      ".git/config": Buffer.from("[core]\n"),
      "sub/inner.pdf": pdf(500, "inner"),
    });
    const result = await upload([
      dir,
      "--company",
      COMPANY,
      "--tag",
      "site-visit",
      "--tag",
      "2026",
      "--machine",
      "machine-7",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");

    const stored = api?.documents() ?? [];
    expect(stored.map((d) => [d.name, d.type, d.status])).toEqual([
      ["a.pdf", "pdf", "ready"],
      ["notes.txt", "text", "ready"],
    ]);
    for (const document of stored) {
      const bytes = files[document.name as keyof typeof files];
      expect(document).toMatchObject({
        size: bytes.length,
        sha256: sha256(bytes),
        tags: ["site-visit", "2026"],
        machine_id: "machine-7",
        project_id: null,
      });
      expect(api?.stored(document.id)?.equals(bytes)).toBe(true);
    }
    // Small files: one declaration and one PUT each, with their length and the operator secret.
    expect(calls(api as DocumentApiStandIn)).toEqual([
      "POST /documents",
      "PUT /documents/:id/content",
      "POST /documents",
      "PUT /documents/:id/content",
    ]);
    const puts = api?.requests.filter((request) => request.method === "PUT") ?? [];
    expect(puts.map((request) => request.contentLength)).toEqual(["3000", String(files["notes.txt"].length)]);
    expect(api?.requests.every((request) => request.authorization === `Bearer ${SECRET}`)).toBe(true);

    expect(result.stderr).toContain(`Uploading 2 files (2.9 KiB) from ${dir} to company ${COMPANY}\n`);
    expect(result.stderr).toMatch(
      new RegExp(
        `\\[1/2\\] a\\.pdf {2}\\[#{24}\\] 100% {2}2\\.9 KiB / 2\\.9 KiB {2}stored as ${stored[0]?.id} \\(pdf\\), sha256 verified\n`,
      ),
    );
    expect(result.stderr).toContain("  uploaded  2 files, 2.9 KiB\n");
    expect(result.stderr).toContain(
      "  skipped   2 dotfiles, 1 subfolder (pass --recursive to include them)\n",
    );
    expect(result.stderr).not.toContain("refused");
  });

  it("uploads large files in parts of the size the API asks for, showing progress per 10 %", async () => {
    const big = pdf(3 * 64 * 1024 + 10, "big");
    const dir = await makeFolder({ "big.pdf": big });
    const server = await standIn({ partSize: 64 * 1024 });
    const stderr = Object.assign(capture(), { isTTY: false });
    const code = await uploadFolder(dir, { baseUrl: server.url, multipartAbove: 100_000 }, { stderr });
    expect(code).toBe(0);
    expect(calls(server)).toEqual([
      "POST /documents",
      "PUT /documents/:id/parts/1",
      "PUT /documents/:id/parts/2",
      "PUT /documents/:id/parts/3",
      "PUT /documents/:id/parts/4",
      "POST /documents/:id/complete",
    ]);
    expect(server.requests.filter((r) => r.method === "PUT").map((r) => r.contentLength)).toEqual([
      "65536",
      "65536",
      "65536",
      "10",
    ]);
    const [document] = server.documents();
    expect(server.stored(document?.id ?? "")?.equals(big)).toBe(true);
    const lines = stderr
      .text()
      .split("\n")
      .filter((line) => line.startsWith("[1/1] big.pdf"));
    expect(lines.map((line) => /\] +(\d+)%/.exec(line)?.[1])).toEqual(["30", "60", "90", "100"]);
  });

  it("resends a part whose connection dropped, moving the progress bar only once", async () => {
    const big = pdf(3 * 64 * 1024, "retried");
    const dir = await makeFolder({ "scan.pdf": big });
    const server = await standIn({ partSize: 64 * 1024 });
    let dropped = false;
    const attempts: string[] = [];
    const fetch: Fetch = async (url, init) => {
      attempts.push(`${init?.method} ${new URL(url).pathname.split("/").slice(-2).join("/")}`);
      const response = await localOnlyFetch(url, init);
      if (!dropped && url.endsWith("/parts/2")) {
        dropped = true;
        throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
      }
      return response;
    };
    const stderr = Object.assign(capture(), { isTTY: true });
    const code = await uploadFolder(
      dir,
      { baseUrl: server.url, multipartAbove: 0, backoff: 1 },
      { fetch, stderr },
    );
    expect(code).toBe(0);
    expect(attempts.filter((line) => line.startsWith("PUT"))).toEqual([
      "PUT parts/1",
      "PUT parts/2",
      "PUT parts/2",
      "PUT parts/3",
    ]);
    expect(server.stored(server.documents()[0]?.id ?? "")?.equals(big)).toBe(true);
    // On a terminal: one line redrawn in place, never past 100 % although part 2 was sent twice.
    const percents = [...stderr.text().matchAll(/\] +(\d+)%/g)].map((match) => Number(match[1]));
    expect(percents.every((percent, i) => percent >= (percents[i - 1] ?? 0) && percent <= 100)).toBe(true);
    expect(stderr.text()).toContain("100%  192.0 KiB / 192.0 KiB\u001b[K  stored as ");
  });

  it("carries on past files the API refuses, reports why, and exits 1 at the end", async () => {
    const ok = pdf(2_000, "ok");
    const dir = await makeFolder({
      "a-invoice.pdf": ok,
      "b-renamed.pdf": exe(4_000),
      "c-setup.exe": exe(4_000),
      "d-bundle.zip": Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), bytesOf(100, "zip")]),
      "e-corrupted.pdf": pdf(1_000, "corrupted"),
      "f-empty.pdf": Buffer.alloc(0),
    });
    await standIn();
    api?.corruptUploads.add("e-corrupted.pdf");
    const result = await upload([dir, "--company", COMPANY]);
    expect(result.code).toBe(1);

    expect(api?.documents().map((d) => [d.name, d.status])).toEqual([["a-invoice.pdf", "ready"]]);
    expect(api?.stored(api.documents()[0]?.id ?? "")?.equals(ok)).toBe(true);
    const refusedLines = result.stderr.split("\n").filter((line) => line.includes("  refused: "));
    expect(refusedLines.map((line) => line.replace(/ \(HTTP.*$/, ""))).toEqual([
      "[2/6] b-renamed.pdf  refused: DOCUMENT_TYPE_NOT_ALLOWED: b-renamed.pdf does not look like a pdf file; its bytes are of another type.",
      expect.stringMatching(
        /^\[3\/6\] c-setup\.exe {2}refused: DOCUMENT_TYPE_NOT_ALLOWED: c-setup\.exe is not a document type/,
      ),
      expect.stringMatching(
        /^\[4\/6\] d-bundle\.zip {2}refused: DOCUMENT_TYPE_NOT_ALLOWED: .*Allowed: pdf, png/,
      ),
      "[5/6] e-corrupted.pdf  refused: CHECKSUM_MISMATCH: The bytes received do not match the declared sha256; nothing was stored. Send the file again.",
    ]);
    expect(refusedLines[0]).toMatch(/\(HTTP 415, request id req_\d+\)$/);
    expect(result.stderr).toContain("[6/6] f-empty.pdf  skipped: empty (documents have at least 1 byte)\n");
    expect(result.stderr).toContain(
      "  uploaded  1 file, 2.0 KiB\n  refused   5 files\n    - b-renamed.pdf: DOCUMENT_TYPE_NOT_ALLOWED",
    );
    expect(result.stderr).toContain("    - f-empty.pdf: empty (documents have at least 1 byte)\n");
    expect(result.stderr).toMatch(/error: 5 of 6 files were not uploaded \(see above\)\n$/);
    // The refused single uploads (b-renamed.pdf, e-corrupted.pdf) were given up, their space freed.
    expect(calls(api as DocumentApiStandIn).filter((line) => line.startsWith("DELETE"))).toEqual([
      "DELETE /documents/:id/upload",
      "DELETE /documents/:id/upload",
    ]);
  });

  it("walks subfolders with --recursive; follows symlinks inside the folder once, refuses those leaving it", async () => {
    const outside = join(root.path, "outside.pdf");
    await writeFile(outside, pdf(100, "outside"));
    const dir = await makeFolder({
      "a.pdf": pdf(200, "a"),
      "sub/b.pdf": pdf(300, "b"),
      "sub/deeper/c.txt": Buffer.from("deep\n"),
      "sub/.cache/d.pdf": pdf(400, "hidden"),
      "link-in.pdf": { symlink: "sub/b.pdf" },
      "link-out.pdf": { symlink: outside },
      "link-up": { symlink: ".." },
      loop: { symlink: "." },
      "broken.pdf": { symlink: "nowhere.pdf" },
    });
    const result = await upload([dir, "--company", COMPANY, "--recursive", "--project", "p-1"]);
    expect(result.code).toBe(1);
    expect(api?.documents().map((d) => [d.name, d.project_id])).toEqual([
      ["a.pdf", "p-1"],
      ["b.pdf", "p-1"],
      ["c.txt", "p-1"],
    ]);
    expect(result.stderr).toContain("[2/3] sub/b.pdf  [");
    expect(result.stderr).toContain("[3/3] sub/deeper/c.txt  [");
    expect(result.stderr).toContain("    - broken.pdf: a broken symlink\n");
    expect(result.stderr).toContain(`    - link-out.pdf: a symlink to ${outside}, outside the folder\n`);
    expect(result.stderr).toMatch(/ {4}- link-up: a symlink to .*, outside the folder\n/);
    expect(result.stderr).toContain("  skipped   1 dotfile, 1 link to files already listed\n");
    expect(result.stderr).toContain("error: 3 of 6 files were not uploaded (see above)");
  });

  it("stops at the first refusal that every file would get, e.g. an unknown company", async () => {
    const dir = await makeFolder({ "a.pdf": pdf(100, "a"), "b.pdf": pdf(100, "b") });
    const result = await upload([dir, "--company", "01JZUNKNOWN"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /error: uploading a\.pdf failed: COMPANY_NOT_FOUND: No company has the id 01JZUNKNOWN\. \(HTTP 404, request id req_1\)\nnot attempted: b\.pdf\n$/,
    );
    expect(api?.requests).toHaveLength(1);
  });

  it("says so when the API cannot be reached", async () => {
    const dir = await makeFolder({ "a.pdf": pdf(100, "a") });
    const baseUrl = await closedLocalUrl();
    const error = await uploadFolder(dir, { baseUrl, backoff: 1 }).catch((caught: unknown) => caught);
    expect(String(error)).toMatch(
      new RegExp(
        `uploading a\\.pdf failed: could not reach the API at ${baseUrl}: .* \\(is it running\\? see --url\\)`,
      ),
    );
  });

  it("takes a company API key from NEXUS_API_KEY", async () => {
    const dir = await makeFolder({ "a.pdf": pdf(100, "a") });
    const result = await upload([dir, "--company", COMPANY], { NEXUS_API_KEY: API_KEY });
    expect(result.code).toBe(0);
    expect(api?.requests.map((request) => request.authorization)).toEqual([
      `Bearer ${API_KEY}`,
      `Bearer ${API_KEY}`,
    ]);
  });

  it("reports an empty folder and a missing one", async () => {
    const empty = await makeFolder({ ".keep": Buffer.from("") });
    const none = await upload([empty, "--company", COMPANY]);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe(`No files to upload in ${empty}; skipped 1 dotfile\n`);

    const noSuchFolder = join(root.path, "no-such-folder");
    const missing = await upload([noSuchFolder, "--company", COMPANY]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`error: cannot read the folder ${noSuchFolder}: ENOENT`);
  });
});

describe("documents upload: command line", () => {
  it.each([
    [["dir"], "documents upload needs --company <companyId>"],
    [["--company", COMPANY], "documents upload needs the folder to upload"],
    [["dir", "more", "--company", COMPANY], 'unexpected argument "more" after `documents upload`'],
    [["dir", "--company", COMPANY, "--channel", "beta"], "documents upload does not take --channel"],
    [
      ["dir", "--company", COMPANY, "--tag", "#bad"],
      "--tag #bad: letters, digits, space, _ . - (at most 50)",
    ],
    [["dir", "--company", COMPANY, "--machine", ""], "--machine: "],
  ])("%j → usage error", async (args, message) => {
    const env = { NEXUS_ADMIN_SECRET: SECRET };
    const stderr = await usageErrorOf(["documents", "upload", ...args], { env, cwd: root.path });
    expect(stderr).toContain(`error: ${message}`);
  });

  it("needs a credential", async () => {
    const argv = ["documents", "upload", "dir", "--company", COMPANY];
    const stderr = await usageErrorOf(argv, { env: {}, cwd: root.path });
    expect(stderr).toContain("error: set NEXUS_ADMIN_SECRET or NEXUS_API_KEY, or pass --admin-secret");
  });
});
