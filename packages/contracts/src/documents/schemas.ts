// The per-company document library (seeds 001, 002, 004): bytes in the DOCUMENTS R2 bucket under the
// company's prefix, metadata in the company's own tenant database. An upload is declared first (name,
// size, optional sha256; the quota is reserved), then its bytes are sent in one PUT or, for large
// files and resumable uploads from phones, in parts.
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema, type SubscriptionTier } from "../shared/common.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DOCUMENT_LIMITS = {
  /** One PUT carries at most this (Workers accept bodies up to 100 MB). */
  maxSingleUploadBytes: 95 * MiB,
  /** Parts of a multipart upload: all but the last at least 5 MiB (R2), each at most 95 MiB. */
  minPartBytes: 5 * MiB,
  maxPartBytes: 95 * MiB,
  maxParts: 10_000,
  /** Largest document. */
  maxFileBytes: 5 * GiB,
  maxNameLength: 255,
  maxTags: 20,
  /** Signed links live at most this long (default 15 minutes). */
  maxLinkSeconds: 7 * 24 * 3600,
  defaultLinkSeconds: 15 * 60,
  /** A deleted document can be restored this long, then the scheduled purge removes its bytes. */
  restoreWindowDays: 30,
  /** An upload not completed within this is abandoned (its reservation freed, its parts aborted). */
  uploadExpiryHours: 24,
} as const;

/** Storage per subscription tier (plans as config, like the seat limits). */
export const tierStorageQuota: Record<SubscriptionTier, number> = {
  standard: 5 * GiB,
  professional: 100 * GiB,
  enterprise: 1024 * GiB,
};

/**
 * The document types we recognise by their first bytes. A company allows a subset (its
 * `document_types` setting; default: all but `archive`). A file is accepted only if its bytes are one
 * of these types, its name has one of the type's extensions, and the company allows the type.
 */
export const documentTypes = {
  pdf: { mime: "application/pdf", extensions: ["pdf"] },
  png: { mime: "image/png", extensions: ["png"] },
  jpeg: { mime: "image/jpeg", extensions: ["jpg", "jpeg"] },
  gif: { mime: "image/gif", extensions: ["gif"] },
  webp: { mime: "image/webp", extensions: ["webp"] },
  heic: { mime: "image/heic", extensions: ["heic", "heif"] },
  tiff: { mime: "image/tiff", extensions: ["tif", "tiff"] },
  video: { mime: "video/mp4", extensions: ["mp4", "m4v", "mov"] },
  office: {
    mime: "application/vnd.openxmlformats-officedocument",
    extensions: ["docx", "xlsx", "pptx"],
  },
  legacy_office: { mime: "application/vnd.ms-office", extensions: ["doc", "xls", "ppt", "msg"] },
  cad: { mime: "image/vnd.dwg", extensions: ["dwg"] },
  text: { mime: "text/plain", extensions: ["txt", "csv", "md", "json", "log"] },
  archive: { mime: "application/zip", extensions: ["zip"] },
} as const;
export type DocumentType = keyof typeof documentTypes;
export const DOCUMENT_TYPES = Object.keys(documentTypes) as [DocumentType, ...DocumentType[]];
export const DocumentTypeSchema = z.enum(DOCUMENT_TYPES);
export const DEFAULT_DOCUMENT_TYPES: DocumentType[] = DOCUMENT_TYPES.filter((type) => type !== "archive");

const NameSchema = z
  .string()
  .trim()
  .min(1)
  .max(DOCUMENT_LIMITS.maxNameLength)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  .regex(/^[^\u0000-\u001f\u007f/\\]+$/, "no control characters, slashes or backslashes")
  .meta({ description: "Display name with extension; stored as given (never used as a storage path)" });
const TagSchema = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,49}$/u, "letters, digits, space, _ . - (at most 50)");
const TagsSchema = z
  .array(TagSchema)
  .max(DOCUMENT_LIMITS.maxTags)
  .transform((tags) => [...new Set(tags)]);
const EntityIdSchema = z.string().trim().min(1).max(64);
const Sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "the SHA-256 as 64 lower-case hex digits")
  .meta({ description: "When given, the stored bytes must match it (else 422 CHECKSUM_MISMATCH)" });

export const DocumentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: DocumentTypeSchema,
    content_type: z.string(),
    size: z.number().int(),
    sha256: z.string().nullable().meta({ description: "Known once the upload completed" }),
    status: z.enum(["uploading", "ready"]),
    tags: z.array(z.string()),
    machine_id: z.string().nullable(),
    project_id: z.string().nullable(),
    uploaded_by: z.object({ type: z.string(), id: z.string().nullable() }),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
    deleted_at: IsoDateSchema.nullable(),
    purge_after: IsoDateSchema.nullable().meta({
      description: "A deleted document can be restored until then",
    }),
  })
  .meta({ id: "Document" });
export type Document = z.infer<typeof DocumentSchema>;

export const CreateDocumentRequestSchema = z
  .object({
    name: NameSchema,
    size: z.number().int().min(1).max(DOCUMENT_LIMITS.maxFileBytes),
    sha256: Sha256Schema.optional(),
    tags: TagsSchema.default([]),
    machine_id: EntityIdSchema.optional(),
    project_id: EntityIdSchema.optional(),
    multipart: z
      .boolean()
      .default(false)
      .meta({ description: "Send the bytes in parts (required above 95 MiB; resumable)" }),
  })
  .meta({ id: "CreateDocumentRequest" });

export const UpdateDocumentRequestSchema = z
  .object({
    name: NameSchema,
    tags: TagsSchema,
    machine_id: EntityIdSchema.nullable(),
    project_id: EntityIdSchema.nullable(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateDocumentRequest" });

export const DocumentListQuerySchema = PaginationQuerySchema.extend({
  tag: TagSchema.optional(),
  type: DocumentTypeSchema.optional(),
  machine_id: EntityIdSchema.optional(),
  project_id: EntityIdSchema.optional(),
  uploaded_by: z.string().max(64).optional(),
  deleted: z
    .enum(["false", "true"])
    .default("false")
    .meta({ description: "true lists deleted documents that can still be restored" }),
});

export const DocumentResponseSchema = z.object({ success: z.literal(true), document: DocumentSchema });
export const DocumentListSchema = z.object({
  success: z.literal(true),
  documents: z.array(DocumentSchema),
  next_cursor: z.string().nullable(),
  usage: z.object({ used_bytes: z.number(), quota_bytes: z.number() }),
});

export const UploadedPartsSchema = z
  .object({
    success: z.literal(true),
    document: DocumentSchema,
    part_size: z.number().int().meta({ description: "Every part but the last has exactly this size" }),
    parts: z
      .array(z.object({ part_number: z.number().int(), size: z.number().int() }))
      .meta({ description: "The parts received so far (not the plan): a resumed upload sends the others" }),
  })
  .meta({ id: "UploadedParts" });

export const DocumentLinkRequestSchema = z
  .object({
    expires_in_seconds: z
      .number()
      .int()
      .min(60)
      .max(DOCUMENT_LIMITS.maxLinkSeconds)
      .default(DOCUMENT_LIMITS.defaultLinkSeconds),
  })
  .meta({ id: "DocumentLinkRequest" });
export const DocumentLinkSchema = z
  .object({
    success: z.literal(true),
    url: z
      .string()
      .meta({ description: "Opens without a session until it expires or the document is deleted" }),
    expires_at: IsoDateSchema,
  })
  .meta({ id: "DocumentLink" });

/**
 * Where a multipart upload's parts are cut: equal parts of this size, the last one smaller. 5 MiB
 * (R2's minimum) keeps a resumed upload on a phone from resending much; huge files use larger parts
 * to stay within 10,000.
 */
export function documentPartSize(size: number): number {
  const needed = Math.ceil(size / DOCUMENT_LIMITS.maxParts);
  return Math.max(DOCUMENT_LIMITS.minPartBytes, Math.ceil(needed / MiB) * MiB);
}
