// Federated search over a company's records: one query across projects, clients, activities,
// documents, machines, members and showrooms, ranked on one scale (docs/search.md).
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

/** What can be searched, one index entry per record. */
export const SEARCH_ENTITY_TYPES = [
  "project",
  "client",
  "activity",
  "document",
  "machine",
  "member",
  "showroom",
] as const;
export const SearchEntityTypeSchema = z.enum(SEARCH_ENTITY_TYPES).meta({ id: "SearchEntityType" });
export type SearchEntityType = z.infer<typeof SearchEntityTypeSchema>;

/**
 * The fields results can be filtered and faceted by. Each belongs to some entity types (a filter on
 * `stage` keeps only projects): project stage, status and showroom; a client's showroom; an
 * activity's type; a document's type; a machine's status and type; a member's role; a showroom's type.
 */
export const SEARCH_FACET_FIELDS = [
  "stage",
  "status",
  "showroom_id",
  "activity_type",
  "document_type",
  "machine_status",
  "machine_type",
  "role",
  "showroom_type",
] as const;
export const SearchFacetFieldSchema = z.enum(SEARCH_FACET_FIELDS).meta({ id: "SearchFacetField" });
export type SearchFacetField = z.infer<typeof SearchFacetFieldSchema>;

/** The types each facet field describes (a filter on the field applies to these types only). */
export const searchFacetFieldTypes: Record<SearchFacetField, readonly SearchEntityType[]> = {
  stage: ["project"],
  status: ["project"],
  showroom_id: ["project", "client"],
  activity_type: ["activity"],
  document_type: ["document"],
  machine_status: ["machine"],
  machine_type: ["machine"],
  role: ["member"],
  showroom_type: ["showroom"],
};

/** Relative weights of the types when none are given (a project outranks a note with the same hit). */
export const DEFAULT_SEARCH_TYPE_WEIGHTS: Record<SearchEntityType, number> = {
  project: 1.5,
  client: 1.3,
  document: 1.2,
  machine: 1.1,
  member: 1.1,
  showroom: 1,
  activity: 0.8,
};

const FilterValue = z.union([z.string().max(200), z.array(z.string().max(200)).min(1).max(50)]);

export const SearchRequestSchema = z
  .strictObject({
    /** Free text. Any input is safe: only its letters and digits are searched (at most 10 terms). */
    q: z.string().max(1024),
    /** Only these types (default: every type the caller may read). */
    types: z.array(SearchEntityTypeSchema).min(1).max(SEARCH_ENTITY_TYPES.length).optional(),
    /** Exact values per facet field; several values of a field match any of them. */
    filters: z.partialRecord(SearchFacetFieldSchema, FilterValue).optional(),
    /** Facet counts wanted besides the per-type counts (always given). */
    facets: z.array(SearchFacetFieldSchema).max(SEARCH_FACET_FIELDS.length).optional(),
    /** Per-type weights multiplying the relevance (default DEFAULT_SEARCH_TYPE_WEIGHTS). */
    weights: z.partialRecord(SearchEntityTypeSchema, z.number().min(0).max(100)).optional(),
    limit: z.number().int().min(1).max(50).default(20),
    /** `next_cursor` of the previous page. */
    cursor: z.string().max(200).optional(),
  })
  .meta({ id: "SearchRequest" });
export type SearchRequest = z.input<typeof SearchRequestSchema>;

export const SearchHitSchema = z
  .object({
    type: SearchEntityTypeSchema,
    id: z.string(),
    /** The record's title with the matched words in `<mark>` (the rest HTML-escaped). */
    title: z.string(),
    /** A fragment of the body around the matches, marked the same way ("" when only the title matched). */
    snippet: z.string(),
    /** The project the record belongs to (a project's own id, a client's, an activity's, a document's). */
    project_id: z.string().nullable(),
    /** Relevance on one scale across types (higher is better), after the type weight. */
    score: z.number(),
    /** How the words matched: all exactly (or by prefix), or some only within the typo budget or as substrings. */
    match: z.enum(["exact", "typo", "contains"]),
  })
  .meta({ id: "SearchHit" });
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResponseSchema = z
  .object({
    success: z.literal(true),
    /** Report a click on a result with it (POST …/search/queries/{queryId}/click). */
    query_id: z.string(),
    /** The terms searched, folded and joined ("" when the query had no letters or digits). */
    query: z.string(),
    /** Matching records the caller may see, over every page. */
    total: z.number().int(),
    hits: z.array(SearchHitSchema),
    /** Counts over every match: `type` per entity type, and each facet field asked for, per value. */
    facets: z.record(z.string(), z.record(z.string(), z.number().int())),
    /** A query with the likely intended words, when this one found little ("did you mean"). */
    suggestion: z.string().nullable(),
    /** Typo corrections applied, per query term. */
    corrections: z.record(z.string(), z.array(z.string())),
    next_cursor: z.string().nullable(),
    took_ms: z.number(),
  })
  .meta({ id: "SearchResponse" });
export type SearchResponse = z.infer<typeof SearchResponseSchema>;

export const SearchClickRequestSchema = z
  .strictObject({
    type: SearchEntityTypeSchema,
    id: z.string().min(1).max(128),
    /** The result's position on the page the user saw (0-based, across pages). */
    position: z.number().int().min(0).max(10_000),
  })
  .meta({ id: "SearchClickRequest" });

export const SearchReportQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(90).default(30),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const ReportedQuery = z.object({
  query: z.string(),
  count: z.number().int(),
  last_at: IsoDateSchema,
});

export const SearchReportSchema = z
  .object({
    success: z.literal(true),
    since: IsoDateSchema,
    totals: z.object({
      queries: z.number().int(),
      zero_result: z.number().int(),
      clicked: z.number().int(),
      latency_p50_ms: z.number().nullable(),
      latency_p99_ms: z.number().nullable(),
    }),
    /** The most frequent queries that found nothing: the words people use that the records lack. */
    zero_result_queries: z.array(ReportedQuery),
    top_queries: z.array(ReportedQuery.extend({ clicks: z.number().int() })),
  })
  .meta({ id: "SearchReport" });
export type SearchReport = z.infer<typeof SearchReportSchema>;

export const SearchIndexStatusSchema = z
  .object({
    success: z.literal(true),
    /** false after a drop (for a D1 export) until the index is rebuilt. */
    present: z.boolean(),
    entries: z.record(SearchEntityTypeSchema, z.number().int()),
    /** FTS5's own integrity check of both indexes against the entries ("missing" when dropped). */
    integrity: z.enum(["ok", "failed", "missing"]),
    took_ms: z.number(),
  })
  .meta({ id: "SearchIndexStatus" });
export type SearchIndexStatus = z.infer<typeof SearchIndexStatusSchema>;
