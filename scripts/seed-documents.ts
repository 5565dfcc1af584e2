// A few demo documents for the demo company, uploaded through the documents API like an app would
// (declare, then PUT the bytes), so the library, links and quota have something to show. Skipped
// when the company already has documents (local state keeps them between runs).

import { request } from "./api-request.ts";

interface DemoDocument {
  name: string;
  tags: string[];
  bytes: Uint8Array;
}

const text = (value: string) => new TextEncoder().encode(value);

/** A small, valid one-page PDF saying `line`. */
function pdf(line: string): Uint8Array {
  const stream = `BT /F1 18 Tf 72 720 Td (${line}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return text(body);
}

const DEMO_DOCUMENTS: DemoDocument[] = [
  { name: "Maintenance schedule 2026.pdf", tags: ["maintenance"], bytes: pdf("Maintenance schedule 2026") },
  {
    name: "CNC Mill 2 inspection.pdf",
    tags: ["inspection", "quality"],
    bytes: pdf("CNC Mill 2: spindle vibration rising"),
  },
  {
    name: "Shift notes.txt",
    tags: ["notes"],
    bytes: text("Night shift: press 2 idle from 02:00 to 03:30 (die change).\n"),
  },
];

export async function seedDemoDocuments(
  baseUrl: string,
  adminSecret: string,
  companyId: string,
  log: (line: string) => void,
): Promise<void> {
  const library = `/api/admin/companies/${companyId}/documents`;
  const existing = await request<{ documents: unknown[] }>(baseUrl, library, { token: adminSecret });
  if (existing.documents.length > 0) {
    log(`demo documents already exist (${existing.documents.length}); keeping them`);
    return;
  }
  for (const document of DEMO_DOCUMENTS) {
    const declared = await request<{ document: { id: string } }>(baseUrl, library, {
      method: "POST",
      token: adminSecret,
      body: JSON.stringify({ name: document.name, size: document.bytes.byteLength, tags: document.tags }),
    });
    await request(baseUrl, `${library}/${declared.document.id}/content`, {
      method: "PUT",
      token: adminSecret,
      headers: { "content-type": "application/octet-stream" },
      body: document.bytes,
    });
  }
  log(`${DEMO_DOCUMENTS.length} demo documents in the library`);
}
