// Projects (CRM, seed 001) with assignments by stage, and their activity history, in the company's own
// tenant database.
import { z } from "zod";
import { ActivityTypeSchema, AssignmentRoleSchema, StageRequirementSchema } from "../pipeline/schemas.ts";
import { IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";
import { AddressSchema, KeySchema } from "../shared/fields.ts";

export const PROJECT_STATUSES = ["active", "on_hold", "completed", "cancelled"] as const;

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

/** The human-friendly project reference, e.g. P-000042. */
export const projectReference = (number: number) => `P-${String(number).padStart(6, "0")}`;
