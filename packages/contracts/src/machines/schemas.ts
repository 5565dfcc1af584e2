// Machines (seed 002): a company's fleet with its thresholds and last values.
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

/** Lower-case names such as `temperature` or `spindle.rpm`: they become roll-up keys. */
export const MetricNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_.]{0,63}$/, "lower-case letters, digits, `_` and `.`, starting with a letter")
  .meta({ example: "temperature" });

export const MACHINE_STATUSES = ["running", "idle", "maintenance", "fault", "offline"] as const;
export const MachineStatusSchema = z.enum(MACHINE_STATUSES);

/** Limits for one metric; a last value beyond them lowers the machine's health score. */
export const MetricThresholdSchema = z
  .object({
    warn_above: z.number().optional(),
    critical_above: z.number().optional(),
    warn_below: z.number().optional(),
    critical_below: z.number().optional(),
  })
  .strict();
export const MachineThresholdsSchema = z
  .record(MetricNameSchema, MetricThresholdSchema)
  .refine((thresholds) => Object.keys(thresholds).length <= 32, "at most 32 metrics")
  .meta({ example: { temperature: { warn_above: 80, critical_above: 95 } } });
export type MachineThresholds = z.infer<typeof MachineThresholdsSchema>;

const MetadataSchema = z
  .record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 8192, "at most 8 KiB of JSON")
  .meta({ description: "Free-form details, e.g. dimensions and specs" });

export const LastValueSchema = z.object({ value: z.number(), ts: IsoDateSchema });

export const MachineSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string().nullable(),
    status: MachineStatusSchema,
    health_score: z
      .number()
      .nullable()
      .meta({ description: "0–100 from the last values against the thresholds; null before any sample" }),
    grid_x: z.number().int().nullable(),
    grid_y: z.number().int().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    thresholds: MachineThresholdsSchema,
    last_values: z.record(z.string(), LastValueSchema),
    last_sample_at: IsoDateSchema.nullable(),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
  })
  .meta({ id: "Machine" });
export type Machine = z.infer<typeof MachineSchema>;

const GridCoordinateSchema = z.number().int().min(0).max(10_000).nullable();
export const CreateMachineRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: z.string().trim().min(1).max(100).nullable().optional(),
    status: MachineStatusSchema.default("running"),
    grid_x: GridCoordinateSchema.optional(),
    grid_y: GridCoordinateSchema.optional(),
    metadata: MetadataSchema.default({}),
    thresholds: MachineThresholdsSchema.default({}),
  })
  .strict()
  .meta({ id: "CreateMachineRequest" });
export const UpdateMachineRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    type: z.string().trim().min(1).max(100).nullable().optional(),
    status: MachineStatusSchema.optional(),
    grid_x: GridCoordinateSchema.optional(),
    grid_y: GridCoordinateSchema.optional(),
    metadata: MetadataSchema.optional(),
    thresholds: MachineThresholdsSchema.optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateMachineRequest" });
export const MachineResponseSchema = z.object({ success: z.literal(true), machine: MachineSchema });
export const MachineListQuerySchema = z.object({ status: MachineStatusSchema.optional() });
export const MachineListSchema = z.object({ success: z.literal(true), machines: z.array(MachineSchema) });
export const MachineParamsSchema = z.object({
  companyId: z.string().min(1).max(64),
  machineId: z.string().min(1).max(64),
});
