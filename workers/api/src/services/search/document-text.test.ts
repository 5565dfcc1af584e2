// Documents' words in the index: text files and the strings a simple PDF shows, extracted after the
// upload (waitUntil), bounded, and never failing the upload.
import { describe, expect, it } from "vitest";
import { registerCompany } from "../../../test/helpers.ts";
import { entry, eventually, matches, tenantOf } from "../../../test/search-index.ts";
import { upload } from "../../routes/documents/fixtures.ts";
import { contentStreamText, keepText, pdfText, TEXT_KEEP_BYTES } from "./document-text.ts";

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([new TextEncoder().encode(text)])
    .stream()
    .pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A one-page PDF whose content stream (compressed unless `plain`) is `content`. */
async function pdf(
  content: string,
  plain = false,
  length: "direct" | "indirect" = "direct",
): Promise<Uint8Array> {
  const data = plain ? new TextEncoder().encode(content) : await deflate(content);
  const filter = plain ? "" : " /Filter /FlateDecode";
  const head = new TextEncoder().encode(
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
      "3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n" +
      `4 0 obj << /Length ${length === "direct" ? data.byteLength : "5 0 R"}${filter} >>\nstream\n`,
  );
  const tail = new TextEncoder().encode("\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  const bytes = new Uint8Array(head.byteLength + data.byteLength + tail.byteLength);
  bytes.set(head);
  bytes.set(data, head.byteLength);
  bytes.set(tail, head.byteLength + data.byteLength);
  return bytes;
}

const PAGE =
  "BT /F1 12 Tf 72 712 Td (Ergonomic handrail) Tj 0 -14 Td " +
  "[(Thermo) -120 (stat) -300 (calibration)] TJ T* (caf\\351 \\(draft\\)) Tj ET";

describe("text from a PDF's content streams", () => {
  it("reads Tj and TJ strings, with escapes and word gaps", async () => {
    expect(keepText(contentStreamText(PAGE))).toBe("Ergonomic handrail Thermostat calibration café (draft)");
    expect(keepText(await pdfText(await pdf(PAGE)))).toBe(
      "Ergonomic handrail Thermostat calibration café (draft)",
    );
    // Without a direct /Length the data ends at the end-of-line before "endstream".
    expect(keepText(await pdfText(await pdf(PAGE, false, "indirect")))).toBe(
      "Ergonomic handrail Thermostat calibration café (draft)",
    );
    expect(keepText(await pdfText(await pdf(PAGE, true)))).toBe(
      "Ergonomic handrail Thermostat calibration café (draft)",
    );
  });

  it("gives nothing, without failing, for corrupt or text-free streams", async () => {
    const corrupt = await pdf(PAGE);
    corrupt.fill(0x41, corrupt.byteLength - 120, corrupt.byteLength - 60);
    await expect(pdfText(corrupt)).resolves.toBe("");
    await expect(pdfText(new TextEncoder().encode("%PDF-1.4\nstream\n"))).resolves.toBe("");
    expect(contentStreamText("0 0 m 10 10 l S")).toBe("");
  });

  it("keeps at most 32 KB of text, whitespace collapsed, without splitting a character", () => {
    const long = "ü".repeat(TEXT_KEEP_BYTES);
    const kept = keepText(long);
    expect(new TextEncoder().encode(kept).byteLength).toBe(TEXT_KEEP_BYTES);
    expect(kept).toBe("ü".repeat(TEXT_KEEP_BYTES / 2));
    expect(keepText("  a\n\n b\t")).toBe("a b");
  });
});

describe("documents' words in the index", () => {
  it("are indexed after a text or PDF upload, and found by MATCH", async () => {
    const acme = await registerCompany();
    const db = await tenantOf(acme.company_id);
    const words = "Calibrate the anemometer monthly.\nReadings go to the ops team.";
    const notes = await upload(acme.company_id, "notes.txt", new TextEncoder().encode(words));
    const spec = await upload(acme.company_id, "spec.pdf", await pdf(PAGE));

    const indexed = (id: string) =>
      eventually(
        () => entry(db, "document", id),
        (e) => (e?.body ?? "") !== "",
      );
    expect((await indexed(notes.id))?.body).toBe(
      "Calibrate the anemometer monthly. Readings go to the ops team.",
    );
    expect((await indexed(spec.id))?.body).toBe("Ergonomic handrail Thermostat calibration café (draft)");
    expect(await matches(db, '"anemometer"')).toEqual([`document:${notes.id}`]);
    expect(await matches(db, '"handrail"')).toEqual([`document:${spec.id}`]);
    // Diacritics folded, as the query side folds them.
    expect(await matches(db, '"cafe"')).toEqual([`document:${spec.id}`]);
  });
});
