// The words inside a document, for the search index (docs/search.md): the text of text files (txt,
// csv, md, json, log) and the literal strings a simple PDF shows (Tj/TJ). Only "where cheap": every
// read and inflate is bounded, and any failure means the document is indexed by name and tags only.
import { documentTexts } from "@nexus/db/tenant";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { readBounded } from "../../lib/read-bounded.ts";
import type { DocumentRow } from "../documents/library.ts";

/** How much of a text file is read, and how much text is kept for the index. */
export const TEXT_READ_BYTES = 1024 * 1024;
export const TEXT_KEEP_BYTES = 32 * 1024;
/** A PDF above this is not read at all; its streams together inflate to at most PDF_INFLATED_BYTES. */
export const PDF_READ_BYTES = 8 * 1024 * 1024;
const PDF_INFLATED_BYTES = 16 * 1024 * 1024;
const PDF_MAX_STREAMS = 500;

const latin1 = new TextDecoder("latin1");

/** Collapses whitespace and cuts to TEXT_KEEP_BYTES of UTF-8 without splitting a character. */
export function keepText(text: string): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  const bytes = new TextEncoder().encode(collapsed);
  if (bytes.byteLength <= TEXT_KEEP_BYTES) return collapsed;
  return new TextDecoder().decode(bytes.subarray(0, TEXT_KEEP_BYTES)).replace(/\uFFFD+$/, "");
}

/** Inflates a FlateDecode stream; null past `limit` bytes or for corrupt data. */
async function inflate(data: Uint8Array, limit: number): Promise<Uint8Array | null> {
  const tooLarge = () => new Error("inflates past the limit");
  try {
    return await readBounded(
      new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate")),
      limit,
      tooLarge,
    );
  } catch {
    return null;
  }
}

/** A PDF string's bytes as text: UTF-16BE with its byte-order mark, else PDFDocEncoding (≈ Latin-1). */
function pdfStringText(bytes: number[]): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    let text = "";
    for (let i = 2; i + 1 < bytes.length; i += 2)
      text += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
    return text;
  }
  return latin1.decode(new Uint8Array(bytes));
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };

/** The literal string starting at `content[start]` ("("), and the index after its closing ")". */
function literalString(content: string, start: number): { bytes: number[]; end: number } {
  const bytes: number[] = [];
  let depth = 1;
  let i = start + 1;
  while (i < content.length && depth > 0) {
    const ch = content[i] ?? "";
    i++;
    if (ch === "\\") {
      const next = content[i] ?? "";
      i++;
      if (next in ESCAPES) bytes.push(ESCAPES[next] ?? 0);
      else if (/[0-7]/.test(next)) {
        let octal = next;
        while (octal.length < 3 && /[0-7]/.test(content[i] ?? "")) octal += content[i++];
        bytes.push(Number.parseInt(octal, 8) & 0xff);
      } else if (next === "\r" || next === "\n") {
        if (next === "\r" && content[i] === "\n") i++;
      } else bytes.push(next.charCodeAt(0));
      continue;
    }
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth > 0) bytes.push(ch.charCodeAt(0) & 0xff);
  }
  return { bytes, end: i };
}

/**
 * The text a content stream shows with Tj, ', " and TJ. Strings are collected as operands and kept
 * when a showing operator consumes them; in a TJ array a large negative kerning is a word gap.
 */
export function contentStreamText(content: string): string {
  const out: string[] = [];
  let operands: string[] = [];
  let array: string[] | null = null;
  let i = 0;
  while (i < content.length) {
    const ch = content[i] ?? "";
    if (ch === "(") {
      const { bytes, end } = literalString(content, i);
      const text = pdfStringText(bytes);
      if (array) array.push(text);
      else operands.push(text);
      i = end;
    } else if (ch === "[") {
      array = [];
      i++;
    } else if (ch === "]") {
      if (array) operands.push(array.join(""));
      array = null;
      i++;
    } else if (ch === "%") {
      while (i < content.length && content[i] !== "\n" && content[i] !== "\r") i++;
    } else if (array && /[-+.\d]/.test(ch)) {
      const number = /^[-+]?\d*\.?\d+/.exec(content.slice(i, i + 32))?.[0] ?? ch;
      if (Number(number) < -200) array.push(" ");
      i += number.length;
    } else if (/[A-Za-z'"*]/.test(ch)) {
      const operator = /^[A-Za-z'"*]+/.exec(content.slice(i, i + 16))?.[0] ?? ch;
      if (operator === "Tj" || operator === "TJ" || operator === "'" || operator === '"') {
        const shown = operands.at(-1);
        if (shown !== undefined) out.push(shown);
      } else if (operator === "ET" || operator === "Td" || operator === "TD" || operator === "T*") {
        out.push(" ");
      }
      if (!array) operands = [];
      i += operator.length;
    } else i++;
  }
  return out.join("");
}

/**
 * Where a stream's data ends: its direct /Length when that fits (the decompressor refuses trailing
 * bytes), else before the end-of-line that precedes "endstream".
 */
function streamEnd(source: string, dictionary: string, start: number, endstream: number): number {
  const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dictionary)?.[1];
  if (length !== undefined && start + Number(length) <= endstream) return start + Number(length);
  if (source.slice(endstream - 2, endstream) === "\r\n") return endstream - 2;
  return /[\r\n]/.test(source[endstream - 1] ?? "") ? endstream - 1 : endstream;
}

/**
 * The text of a PDF's content streams: unfiltered or FlateDecode only (other filters are images or
 * rare), bounded in count and inflated size.
 */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const source = latin1.decode(pdf);
  const parts: string[] = [];
  let inflated = 0;
  let streams = 0;
  const streamStart = /stream\r?\n/g;
  for (let match = streamStart.exec(source); match; match = streamStart.exec(source)) {
    if (++streams > PDF_MAX_STREAMS || inflated > PDF_INFLATED_BYTES) break;
    const start = match.index + match[0].length;
    const endstream = source.indexOf("endstream", start);
    if (endstream < 0) break;
    // The stream's dictionary sits between the previous "obj" and "stream".
    const dictionary = source.slice(Math.max(0, source.lastIndexOf("obj", match.index)), match.index);
    streamStart.lastIndex = endstream + "endstream".length;
    const end = streamEnd(source, dictionary, start, endstream);
    if (/\/Subtype\s*\/Image|\/Length1|\/Type\s*\/XRef|\/Type\s*\/ObjStm/.test(dictionary)) continue;
    const filters =
      dictionary.match(
        /\/(FlateDecode|ASCIIHexDecode|ASCII85Decode|LZWDecode|DCTDecode|JPXDecode|CCITTFaxDecode|JBIG2Decode|RunLengthDecode)/g,
      ) ?? [];
    let content: string;
    if (filters.length === 0) content = source.slice(start, end);
    else if (filters.length === 1 && filters[0] === "/FlateDecode") {
      const data = await inflate(pdf.subarray(start, end), PDF_INFLATED_BYTES - inflated);
      if (!data) continue;
      inflated += data.byteLength;
      content = latin1.decode(data);
    } else continue;
    if (!/\bT[jJ]\b|['"]/.test(content) || !/\bBT\b/.test(content)) continue;
    parts.push(contentStreamText(content));
  }
  return parts.join(" ");
}

const warnNoText = (documentId: string, error: unknown) =>
  console.warn(
    JSON.stringify({ level: "warn", event: "document_text_failed", documentId, error: String(error) }),
  );

/** The text worth indexing for a stored document, or "" when its type has none (or reading failed). */
export async function extractDocumentText(bucket: R2Bucket, row: DocumentRow): Promise<string> {
  try {
    if (row.type === "text") {
      const object = await bucket.get(row.r2Key, { range: { offset: 0, length: TEXT_READ_BYTES } });
      if (!object) return "";
      const text = new TextDecoder().decode(await object.arrayBuffer());
      return keepText(text);
    }
    if (row.type === "pdf" && row.size <= PDF_READ_BYTES) {
      const object = await bucket.get(row.r2Key);
      if (!object) return "";
      return keepText(await pdfText(new Uint8Array(await object.arrayBuffer())));
    }
  } catch (error) {
    warnNoText(row.id, error);
  }
  return "";
}

/**
 * Extracts and stores a document's text; document_texts' triggers refresh its index entry. Any
 * failure leaves the document indexed by name and tags.
 */
export async function indexDocumentText(db: D1Database, bucket: R2Bucket, row: DocumentRow): Promise<void> {
  const text = await extractDocumentText(bucket, row);
  if (text === "") return;
  try {
    await drizzle(db)
      .insert(documentTexts)
      .values({ documentId: row.id, text, extractedAt: Date.now() })
      .onConflictDoUpdate({ target: documentTexts.documentId, set: { text, extractedAt: Date.now() } });
  } catch (error) {
    // The document may have been deleted meanwhile (the foreign key refuses the row).
    warnNoText(row.id, error);
  }
}

/** After an upload completes: the text is extracted after the answer, so the upload is not slowed. */
export function indexDocumentTextLater(c: Context<AppEnv>, db: D1Database, row: DocumentRow): void {
  c.executionCtx.waitUntil(indexDocumentText(db, c.env.DOCUMENTS, row));
}
