// CRM core (seed 001, Nexus CRM): showrooms, the project pipeline with per-stage requirements,
// projects with assignments by stage, their activity history, and feature flags by role and showroom
// type. All of it lives in the company's own tenant database.
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema } from "./common.ts";
import { LogoUrlSchema } from "./logo.ts";

export const SHOWROOM_TYPES = ["retail", "trade", "outlet"] as const;
export const ShowroomTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, "lower-case letters, digits and _");

/** Who a stage puts in charge; a project has at most one person per role. */
export const ASSIGNMENT_ROLES = ["surveyor", "designer", "installer"] as const;
export const AssignmentRoleSchema = z.enum(ASSIGNMENT_ROLES);
export type AssignmentRole = z.infer<typeof AssignmentRoleSchema>;

export const ACTIVITY_TYPES = ["note", "call", "email", "site_visit", "check_in", "status_change"] as const;
export const ActivityTypeSchema = z.enum(ACTIVITY_TYPES);
export type ActivityType = z.infer<typeof ActivityTypeSchema>;

export const PROJECT_STATUSES = ["active", "on_hold", "completed", "cancelled"] as const;

const KeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, "lower-case letters, digits and _");

/** What must be true before a project may enter a stage. */
export const StageRequirementSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("document"),
    tag: z
      .string()
      .min(1)
      .max(50)
      .meta({ description: "A document linked to the project carrying this tag" }),
    label: z.string().min(1).max(120),
  }),
  z.object({ kind: z.literal("assignment"), role: AssignmentRoleSchema, label: z.string().min(1).max(120) }),
  z.object({
    kind: z.literal("checklist"),
    key: KeySchema.meta({ description: "An item of the project's checklist that must be ticked" }),
    label: z.string().min(1).max(120),
  }),
  z.object({ kind: z.literal("activity"), type: ActivityTypeSchema, label: z.string().min(1).max(120) }),
]);
export type StageRequirement = z.infer<typeof StageRequirementSchema>;

export const PipelineStageSchema = z
  .object({
    key: KeySchema,
    name: z.string().trim().min(1).max(80),
    requirements: z.array(StageRequirementSchema).max(20).default([]),
    assignee_role: AssignmentRoleSchema.nullable().default(null).meta({
      description: "Who works the project while it is in this stage",
    }),
  })
  .meta({ id: "PipelineStage" });
export type PipelineStage = z.infer<typeof PipelineStageSchema>;

/** Seed 001's journey for a bathroom and kitchen installer; companies rename, reorder and extend it. */
export const DEFAULT_PIPELINE: PipelineStage[] = [
  { key: "enquiry", name: "Enquiry", requirements: [], assignee_role: null },
  {
    key: "consultation",
    name: "Consultation",
    requirements: [{ kind: "activity", type: "call", label: "First call with the client logged" }],
    assignee_role: null,
  },
  {
    key: "survey_booked",
    name: "Survey booked",
    requirements: [{ kind: "assignment", role: "surveyor", label: "Surveyor assigned" }],
    assignee_role: "surveyor",
  },
  {
    key: "survey_completed",
    name: "Survey completed",
    requirements: [
      { kind: "activity", type: "site_visit", label: "Site visit logged" },
      { kind: "document", tag: "survey", label: "Survey report uploaded" },
    ],
    assignee_role: "surveyor",
  },
  {
    key: "design",
    name: "Design",
    requirements: [{ kind: "assignment", role: "designer", label: "Designer assigned" }],
    assignee_role: "designer",
  },
  {
    key: "design_presented",
    name: "Design presented",
    requirements: [
      { kind: "document", tag: "design", label: "Design uploaded" },
      { kind: "checklist", key: "design_presented", label: "Design presented to the client" },
    ],
    assignee_role: "designer",
  },
  {
    key: "quote_sent",
    name: "Quote sent",
    requirements: [{ kind: "document", tag: "quote", label: "Quote uploaded" }],
    assignee_role: "designer",
  },
  {
    key: "quote_accepted",
    name: "Quote accepted",
    requirements: [{ kind: "checklist", key: "quote_accepted", label: "Client accepted the quote" }],
    assignee_role: null,
  },
  {
    key: "deposit_paid",
    name: "Deposit paid",
    requirements: [{ kind: "checklist", key: "deposit_paid", label: "Deposit paid" }],
    assignee_role: null,
  },
  {
    key: "materials_ordered",
    name: "Materials ordered",
    requirements: [{ kind: "checklist", key: "materials_ordered", label: "Materials ordered" }],
    assignee_role: null,
  },
  {
    key: "installation_scheduled",
    name: "Installation scheduled",
    requirements: [
      { kind: "assignment", role: "installer", label: "Installer assigned" },
      { kind: "checklist", key: "installation_date_set", label: "Installation date agreed" },
    ],
    assignee_role: "installer",
  },
  {
    key: "installation",
    name: "Installation",
    requirements: [{ kind: "activity", type: "check_in", label: "Installer checked in on site" }],
    assignee_role: "installer",
  },
  {
    key: "completion",
    name: "Completion",
    requirements: [
      { kind: "document", tag: "completion", label: "Completion photos uploaded" },
      { kind: "checklist", key: "final_payment", label: "Final payment received" },
    ],
    assignee_role: null,
  },
];

export const PipelineSchema = z
  .object({
    success: z.literal(true),
    showroom_type: z.string().nullable().meta({ description: "null: the company's default pipeline" }),
    stages: z.array(PipelineStageSchema),
  })
  .meta({ id: "Pipeline" });

export const PutPipelineRequestSchema = z
  .object({
    stages: z
      .array(PipelineStageSchema)
      .min(2)
      .max(40)
      .refine(
        (stages) => new Set(stages.map((s) => s.key)).size === stages.length,
        "stage keys must be unique",
      ),
  })
  .meta({ id: "PutPipelineRequest" });

export const PipelineQuerySchema = z.object({ showroom_type: ShowroomTypeSchema.optional() });

// ---- showrooms --------------------------------------------------------------------------------

const AddressSchema = z
  .object({
    line1: z.string().max(200).optional(),
    line2: z.string().max(200).optional(),
    city: z.string().max(100).optional(),
    postcode: z.string().max(20).optional(),
    country: z.string().max(60).optional(),
  })
  .strict();

export const ShowroomSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    address: AddressSchema,
    settings: z.record(z.string(), z.unknown()),
    branding: z.object({ logo_url: z.string().nullable(), primary_color: z.string().nullable() }),
    member_ids: z.array(z.string()).meta({ description: "Users (members of the company) working here" }),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
  })
  .meta({ id: "Showroom" });
export type Showroom = z.infer<typeof ShowroomSchema>;

export const ShowroomInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    type: ShowroomTypeSchema,
    address: AddressSchema.default({}),
    settings: z.record(z.string(), z.unknown()).default({}),
    branding: z
      .object({
        // The company logo's rule (https or an inline PNG/JPEG/WebP), never any URL scheme.
        logo_url: LogoUrlSchema.nullable().default(null),
        primary_color: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/, "a colour such as #1e6fd9")
          .nullable()
          .default(null),
      })
      .default({ logo_url: null, primary_color: null }),
    member_ids: z.array(z.string().min(1).max(64)).max(500).default([]),
  })
  .meta({ id: "ShowroomInput" });
export const UpdateShowroomRequestSchema = ShowroomInputSchema.partial()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateShowroomRequest" });
export const ShowroomResponseSchema = z.object({ success: z.literal(true), showroom: ShowroomSchema });
export const ShowroomListSchema = z.object({ success: z.literal(true), showrooms: z.array(ShowroomSchema) });

// ---- projects ---------------------------------------------------------------------------------

const ClientSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254).optional(),
    phone: z.string().max(40).optional(),
    address: AddressSchema.optional(),
  })
  .strict();

const AssignmentsSchema = z
  .partialRecord(AssignmentRoleSchema, z.string().min(1).max(64).nullable())
  .meta({ description: "User ids by role; null removes an assignment" });

export const ProjectSchema = z
  .object({
    id: z.string(),
    number: z.number().int().meta({ description: "Per company, sequential without gaps, from 1" }),
    reference: z.string().meta({ example: "P-000042" }),
    title: z.string(),
    client: ClientSchema,
    showroom_id: z.string(),
    stage: z.string(),
    stage_entered_at: IsoDateSchema.meta({
      description: "When the project entered its current stage (its last stage change, else its creation)",
    }),
    status: z.enum(PROJECT_STATUSES),
    value: z.number().nullable().meta({ description: "In the company's currency" }),
    checklist: z.record(z.string(), z.boolean()),
    assignments: z.partialRecord(AssignmentRoleSchema, z.string()),
    expected_completion: z.string().nullable(),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
  })
  .meta({ id: "Project" });
export type Project = z.infer<typeof ProjectSchema>;

export const CreateProjectRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    client: ClientSchema,
    showroom_id: z.string().min(1).max(64),
    value: z.number().min(0).max(1e9).nullable().default(null),
    assignments: AssignmentsSchema.default({}),
    expected_completion: z.iso.date().nullable().default(null),
  })
  .meta({ id: "CreateProjectRequest" });

export const UpdateProjectRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    client: ClientSchema,
    status: z.enum(PROJECT_STATUSES),
    value: z.number().min(0).max(1e9).nullable(),
    checklist: z
      .record(KeySchema, z.boolean())
      .refine((c) => Object.keys(c).length <= 50, "at most 50 items"),
    assignments: AssignmentsSchema,
    expected_completion: z.iso.date().nullable(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateProjectRequest" });

export const ProjectListQuerySchema = PaginationQuerySchema.extend({
  stage: KeySchema.optional(),
  showroom_id: z.string().max(64).optional(),
  assignee: z.string().max(64).optional().meta({ description: "A user id, or `me`" }),
  status: z.enum(PROJECT_STATUSES).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "Matches title, client name, email or reference" }),
});

export const ProjectResponseSchema = z.object({ success: z.literal(true), project: ProjectSchema });

export const ProjectRequirementsSchema = z
  .object({
    success: z.literal(true),
    project_id: z.string(),
    stage: z.string().meta({ description: "The project's current stage" }),
    stages: z
      .array(
        z.object({
          key: z.string(),
          name: z.string(),
          requirements: z.array(z.object({ requirement: StageRequirementSchema, met: z.boolean() })),
        }),
      )
      .meta({
        description:
          "Every stage of the project's pipeline in order, with whether each requirement to enter it holds now (the checks an advance makes)",
      }),
  })
  .meta({ id: "ProjectRequirements" });
export const ProjectListSchema = z.object({
  success: z.literal(true),
  projects: z.array(ProjectSchema),
  next_cursor: z.string().nullable(),
});

export const MoveProjectRequestSchema = z
  .object({
    to_stage: KeySchema,
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .meta({ description: "Required to skip stages or go back (needs projects:override)" }),
  })
  .meta({ id: "MoveProjectRequest" });

export const UnmetRequirementSchema = z.object({ stage: z.string(), requirement: StageRequirementSchema });

// ---- activities -------------------------------------------------------------------------------

export const ActivitySchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    type: ActivityTypeSchema,
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    actor: z.object({ type: z.string(), id: z.string().nullable() }),
    occurred_at: IsoDateSchema,
    created_at: IsoDateSchema,
  })
  .meta({ id: "Activity" });
export type Activity = z.infer<typeof ActivitySchema>;

const GpsSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy_m: z.number().min(0).max(100_000).optional(),
});

export const CreateActivityRequestSchema = z
  .object({
    type: ActivityTypeSchema.exclude(["status_change"]),
    body: z.string().trim().max(10_000).optional(),
    gps: GpsSchema.optional().meta({ description: "Check-ins from the field app carry their position" }),
    occurred_at: IsoDateSchema.optional().meta({ description: "When it happened (default: now)" }),
  })
  .refine((value) => value.type !== "check_in" || value.gps !== undefined, "a check-in carries gps")
  .meta({ id: "CreateActivityRequest" });

export const ActivityListSchema = z.object({
  success: z.literal(true),
  activities: z.array(ActivitySchema),
  next_cursor: z.string().nullable(),
});
export const ActivityResponseSchema = z.object({ success: z.literal(true), activity: ActivitySchema });

// ---- feature flags ----------------------------------------------------------------------------

export const FeatureFlagSchema = z
  .object({
    key: KeySchema,
    description: z.string().max(300).default(""),
    enabled: z.boolean().meta({ description: "The answer when no rule matches" }),
    rules: z
      .array(
        z.object({
          roles: z
            .array(z.string().min(1).max(64))
            .optional()
            .meta({ description: "Any of these roles (absent: any)" }),
          showroom_types: z
            .array(ShowroomTypeSchema)
            .optional()
            .meta({ description: "Any of these types (absent: any)" }),
          enabled: z.boolean(),
        }),
      )
      .max(20)
      .default([])
      .meta({ description: "The first rule matching the caller's role and showroom types decides" }),
  })
  .meta({ id: "FeatureFlag" });
export type FeatureFlag = z.infer<typeof FeatureFlagSchema>;

export const PutFeatureFlagsRequestSchema = z
  .object({
    flags: z
      .array(FeatureFlagSchema)
      .max(100)
      .refine((flags) => new Set(flags.map((f) => f.key)).size === flags.length, "flag keys must be unique"),
  })
  .meta({ id: "PutFeatureFlagsRequest" });
export const FeatureFlagListSchema = z.object({
  success: z.literal(true),
  flags: z.array(FeatureFlagSchema),
});
export const EvaluatedFlagsSchema = z
  .record(z.string(), z.boolean())
  .meta({ description: "Feature flags evaluated for the caller: key -> on/off" });
export const MyFeatureFlagsSchema = z.object({ success: z.literal(true), flags: EvaluatedFlagsSchema });

/** The first matching rule decides; no match falls back to the flag's default. */
export function evaluateFlags(
  flags: FeatureFlag[],
  caller: { roles: string[]; showroomTypes: string[] },
): Record<string, boolean> {
  const result: Record<string, boolean> = {};
  for (const flag of flags) {
    const rule = flag.rules.find(
      (candidate) =>
        (!candidate.roles || candidate.roles.some((role) => caller.roles.includes(role))) &&
        (!candidate.showroom_types ||
          candidate.showroom_types.some((type) => caller.showroomTypes.includes(type))),
    );
    result[flag.key] = rule ? rule.enabled : flag.enabled;
  }
  return result;
}

/** The human-friendly project reference, e.g. P-000042. */
export const projectReference = (number: number) => `P-${String(number).padStart(6, "0")}`;
