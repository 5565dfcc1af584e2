// The LLM gateway: an OpenAI-compatible endpoint (Chat Completions and the model list, in OpenAI's
// own shapes so the official SDKs work unmodified), and the company's gateway settings, provider
// keys, usage and call log.
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";

// ---- OpenAI-compatible wire format ---------------------------------------------------------------

const ContentPartSchema = z.looseObject({
  type: z.string().max(50),
  text: z.string().max(1_000_000).optional(),
});

export const ChatMessageSchema = z
  .looseObject({
    role: z.enum(["system", "developer", "user", "assistant", "tool"]),
    content: z.union([z.string().max(1_000_000), z.array(ContentPartSchema).max(100)]).nullish(),
    name: z.string().max(256).optional(),
  })
  .meta({ id: "ChatMessage" });
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

const TokenLimitSchema = z.number().int().min(1).max(1_000_000).nullish();

/** OpenAI's Chat Completions request. Fields it does not name are forwarded to OpenAI targets. */
export const ChatCompletionRequestSchema = z
  .looseObject({
    model: z
      .string()
      .min(1)
      .max(200)
      .meta({ description: "A model the company's policy lists, or an alias such as `default`" }),
    messages: z.array(ChatMessageSchema).min(1).max(2000),
    stream: z.boolean().nullish(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
    max_tokens: TokenLimitSchema,
    max_completion_tokens: TokenLimitSchema,
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    n: z.literal(1).nullish().meta({ description: "Only one choice per call" }),
    stop: z.union([z.string().max(500), z.array(z.string().max(500)).max(4)]).nullish(),
    user: z.string().max(256).optional(),
  })
  .meta({ id: "ChatCompletionRequest" });
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const FinishReasonSchema = z.enum(["stop", "length", "content_filter", "tool_calls"]);

export const CompletionUsageSchema = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().int() }),
  })
  .meta({ id: "CompletionUsage" });
export type CompletionUsage = z.infer<typeof CompletionUsageSchema>;

export const ChatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal("assistant"),
          content: z.string().nullable(),
          refusal: z.null(),
        }),
        finish_reason: FinishReasonSchema,
        logprobs: z.null(),
      }),
    ),
    usage: CompletionUsageSchema,
  })
  .meta({
    id: "ChatCompletion",
    description:
      "With `stream: true` the answer is `text/event-stream` instead: `chat.completion.chunk` objects, with `usage` on a last chunk when `stream_options.include_usage` is set, then `data: [DONE]`",
  });
export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;

export const ChatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      delta: z.object({ role: z.literal("assistant").optional(), content: z.string().optional() }),
      finish_reason: FinishReasonSchema.nullable(),
      logprobs: z.null(),
    }),
  ),
  usage: CompletionUsageSchema.nullable().optional(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunkSchema>;

export const ModelListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(
      z.object({
        id: z.string(),
        object: z.literal("model"),
        created: z.number().int(),
        owned_by: z.string(),
      }),
    ),
  })
  .meta({ id: "ModelList" });
export type ModelList = z.infer<typeof ModelListSchema>;

// ---- the company's gateway policy ----------------------------------------------------------------

export const LlmProviderSchema = z.enum(["openai", "anthropic", "gemini", "workers_ai"]);
export type LlmProvider = z.infer<typeof LlmProviderSchema>;

export const LlmTargetSchema = z
  .object({
    provider: LlmProviderSchema,
    model: z.string().trim().min(1).max(200).meta({ description: "The provider's own model name" }),
    key_id: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .default(null)
      .meta({ description: "A provider key of the company (BYOK); null: the platform's key" }),
    timeout_ms: z.number().int().min(100).max(300_000).default(60_000),
  })
  .meta({ id: "LlmTarget" });
export type LlmTarget = z.infer<typeof LlmTargetSchema>;

export const LlmModelRouteSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][\w.:/-]{0,99}$/, "letters, digits and . _ : / -, up to 100 characters")
      .meta({ description: "What clients send as `model` (e.g. `default`)" }),
    targets: z
      .array(LlmTargetSchema)
      .min(1)
      .max(5)
      .meta({ description: "Tried in order: on a 429, a 5xx or a timeout the next one is used" }),
  })
  .meta({ id: "LlmModelRoute" });
export type LlmModelRoute = z.infer<typeof LlmModelRouteSchema>;

const MicroUsdSchema = z
  .number()
  .int()
  .min(0)
  .max(1_000_000_000_000)
  .meta({ description: "Millionths of a US dollar" });

export const LlmPolicyInputSchema = z
  .object({
    enabled: z.boolean().default(true),
    models: z
      .array(LlmModelRouteSchema)
      .max(50)
      .refine(
        (models) => new Set(models.map((m) => m.name)).size === models.length,
        "model names must be unique",
      ),
    allow_installations: z
      .boolean()
      .default(false)
      .meta({ description: "The company's installations may call the gateway with their tokens" }),
    budget_usd_micros: MicroUsdSchema.nullable()
      .default(null)
      .meta({ description: "The company's spend per calendar month (UTC); null: no budget" }),
    api_key_budgets: z
      .array(z.object({ api_key_id: z.string().min(1).max(64), budget_usd_micros: MicroUsdSchema }))
      .max(200)
      .default([]),
    requests_per_minute: z.number().int().min(1).max(100_000).default(600),
    tokens_per_minute: z.number().int().min(100).max(100_000_000).default(1_000_000),
    default_max_tokens: z
      .number()
      .int()
      .min(1)
      .max(200_000)
      .default(4096)
      .meta({ description: "Reserved against budgets when a request names no max_tokens" }),
    cache_enabled: z
      .boolean()
      .default(false)
      .meta({ description: "Answer identical requests (company, model, body) from a cache" }),
    cache_ttl_seconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .default(3600),
    store_content: z
      .boolean()
      .default(false)
      .meta({ description: "Keep prompts and outputs in the call log" }),
    content_retention_days: z.number().int().min(1).max(365).default(30),
  })
  .meta({ id: "LlmPolicyInput" });
export type LlmPolicyInput = z.input<typeof LlmPolicyInputSchema>;

export const LlmPolicySchema = LlmPolicyInputSchema.extend({
  updated_at: IsoDateSchema.nullable().meta({ description: "null: the platform's defaults" }),
}).meta({ id: "LlmPolicy" });
export type LlmPolicy = z.infer<typeof LlmPolicySchema>;

export const LlmPolicyResponseSchema = z.object({ success: z.literal(true), policy: LlmPolicySchema });

// ---- provider keys (BYOK) ------------------------------------------------------------------------

export const LlmProviderKeySchema = z
  .object({
    id: z.string(),
    provider: LlmProviderSchema,
    label: z.string(),
    last4: z.string().meta({ description: "The key's last four characters; the key itself is never shown" }),
    created_by: z.string().nullable(),
    created_at: IsoDateSchema,
    rotated_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "LlmProviderKey" });
export type LlmProviderKey = z.infer<typeof LlmProviderKeySchema>;

const ProviderSecretSchema = z
  .string()
  .trim()
  .min(8)
  .max(500)
  .regex(/^[\x21-\x7e]+$/, "printable characters without spaces");

export const CreateLlmProviderKeyRequestSchema = z
  .object({
    provider: LlmProviderSchema.exclude(["workers_ai"]),
    label: z.string().trim().min(1).max(100),
    key: ProviderSecretSchema,
  })
  .meta({ id: "CreateLlmProviderKeyRequest" });
export const RotateLlmProviderKeyRequestSchema = z
  .object({ key: ProviderSecretSchema })
  .meta({ id: "RotateLlmProviderKeyRequest" });
export const LlmProviderKeyResponseSchema = z.object({ success: z.literal(true), key: LlmProviderKeySchema });
export const LlmProviderKeyListSchema = z.object({
  success: z.literal(true),
  keys: z.array(LlmProviderKeySchema),
});

// ---- usage and the call log ----------------------------------------------------------------------

export const LlmCallStatusSchema = z.enum(["ok", "error", "cut", "cached"]);

export const LlmCallSchema = z
  .object({
    id: z.string(),
    request_id: z.string(),
    created_at: IsoDateSchema,
    model: z.string().meta({ description: "What the client asked for" }),
    provider: LlmProviderSchema.nullable(),
    provider_model: z.string().nullable(),
    key_source: z.enum(["platform", "byok"]).nullable(),
    api_key_id: z.string().nullable(),
    installation_id: z.string().nullable(),
    fallback_step: z.number().int().nullable().meta({ description: "Index of the target that answered" }),
    attempts: z.array(
      z.object({
        provider: LlmProviderSchema,
        model: z.string(),
        status: z.number().int().meta({
          description:
            "The provider's HTTP status; 504: no answer in time; 0: not tried (no credential) or no connection",
        }),
        skipped: z.boolean().meta({ description: "Not tried: its circuit breaker was open" }),
        latency_ms: z.number().int(),
      }),
    ),
    stream: z.boolean(),
    status: LlmCallStatusSchema,
    http_status: z.number().int(),
    input_tokens: z.number().int(),
    cached_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cost_usd_micros: z.number().int(),
    price_version: z.string(),
    latency_ms: z.number().int(),
    estimated: z.boolean().meta({ description: "Tokens counted by the gateway: the provider sent no usage" }),
    prompt: z.string().nullable(),
    output: z.string().nullable(),
  })
  .meta({ id: "LlmCall" });
export type LlmCall = z.infer<typeof LlmCallSchema>;

export const LlmCallQuerySchema = PaginationQuerySchema.extend({
  model: z.string().max(200).optional(),
  provider: LlmProviderSchema.optional(),
  api_key_id: z.string().max(64).optional(),
  status: LlmCallStatusSchema.optional(),
});
export const LlmCallListSchema = z.object({
  success: z.literal(true),
  calls: z.array(LlmCallSchema),
  next_cursor: z.string().nullable(),
});

export const LlmUsageQuerySchema = z.object({
  from: IsoDateSchema.optional().meta({ description: "Default: 30 days ago" }),
  to: IsoDateSchema.optional().meta({ description: "Default: now" }),
  bucket: z.enum(["hour", "day"]).default("day"),
  group_by: z.enum(["model", "provider", "api_key"]).default("model"),
});
export const LlmUsageSchema = z
  .object({
    success: z.literal(true),
    from: IsoDateSchema,
    to: IsoDateSchema,
    bucket: z.enum(["hour", "day"]),
    series: z.array(
      z.object({
        bucket_start: IsoDateSchema,
        group: z.string().meta({ description: "The model, provider or API key id (`-`: none)" }),
        requests: z.number().int(),
        input_tokens: z.number().int(),
        cached_tokens: z.number().int(),
        output_tokens: z.number().int(),
        cost_usd_micros: z.number().int(),
      }),
    ),
    budget: z.object({
      period: z.string().meta({ description: "The UTC month, e.g. 2026-12" }),
      budget_usd_micros: z.number().int().nullable(),
      spent_usd_micros: z.number().int(),
      reserved_usd_micros: z.number().int(),
    }),
  })
  .meta({ id: "LlmUsage" });
