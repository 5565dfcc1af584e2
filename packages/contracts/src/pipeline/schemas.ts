// The project pipeline (CRM, seed 001): stages with their requirements and who each puts in charge.
import { z } from "zod";
import { KeySchema } from "../shared/fields.ts";
import { ShowroomTypeSchema } from "../showrooms/schemas.ts";

/** Who a stage puts in charge; a project has at most one person per role. */
export const ASSIGNMENT_ROLES = ["surveyor", "designer", "installer"] as const;
export const AssignmentRoleSchema = z.enum(ASSIGNMENT_ROLES);
export type AssignmentRole = z.infer<typeof AssignmentRoleSchema>;

export const ACTIVITY_TYPES = ["note", "call", "email", "site_visit", "check_in", "status_change"] as const;
export const ActivityTypeSchema = z.enum(ACTIVITY_TYPES);
export type ActivityType = z.infer<typeof ActivityTypeSchema>;

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
