// What a file really is, from its first bytes. The name's extension must agree with the bytes, so an
// `.exe` renamed `.pdf` (its bytes start with "MZ") is refused whatever it claims to be.
import { type DocumentType, documentTypes } from "@nexus/contracts";

/** Bytes read before deciding: enough for every signature below and a text check. */
export const SNIFF_BYTES = 512;

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  signature.every((byte, i) => bytes[offset + i] === byte);
const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis", "mif1", "msf1", "hevc", "hevx"]);

function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  // A multi-byte character may be cut at the end of the sample: decode what is surely complete.
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      bytes.subarray(0, Math.max(0, bytes.length - 3)),
    );
    return true;
  } catch {
    return false;
  }
}

/** The type of a file starting with `head`, or null when it is none we accept. */
export function sniffType(head: Uint8Array): DocumentType | null {
  if (startsWith(head, ascii("%PDF-"))) return "pdf";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"))) return "gif";
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return "webp";
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (startsWith(head, ascii("ftyp"), 4)) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    return HEIC_BRANDS.has(brand) ? "heic" : "video";
  }
  // Zip containers: Office Open XML documents and plain archives; the extension says which.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return "office";
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "legacy_office";
  if (startsWith(head, ascii("AC10"))) return "cad";
  // Executables and scripts are no type of ours; they fall through to the text check and fail it
  // (binary) or are refused by their extension (a script's is not a text extension).
  if (startsWith(head, ascii("MZ")) || startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return null;
  return isText(head) ? "text" : null;
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
}

/** The type a name claims by its extension (zip-based Office files and archives share bytes). */
export function typeOfName(name: string): DocumentType | null {
  const extension = extensionOf(name);
  const match = (Object.keys(documentTypes) as DocumentType[]).find((type) =>
    (documentTypes[type].extensions as readonly string[]).includes(extension),
  );
  return match ?? null;
}

/** Whether bytes sniffed as `sniffed` may carry a name of type `claimed` (a stored document's type). */
export function bytesMatchName(sniffed: DocumentType | null, claimed: string): boolean {
  if (sniffed === claimed) return true;
  // A zip archive sniffs as "office" (same container).
  return sniffed === "office" && claimed === "archive";
}

/** The Content-Type a document is served with: its extension's precise type where we know one. */
export function contentTypeOf(name: string, type: DocumentType): string {
  const precise: Record<string, string> = {
    docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    doc: "application/msword",
    xls: "application/vnd.ms-excel",
    ppt: "application/vnd.ms-powerpoint",
    csv: "text/csv; charset=utf-8",
    md: "text/markdown; charset=utf-8",
    json: "application/json",
    txt: "text/plain; charset=utf-8",
    log: "text/plain; charset=utf-8",
    mov: "video/quicktime",
  };
  return precise[extensionOf(name)] ?? documentTypes[type].mime;
}
