// Field schemas several resources build on; internal to the contracts (not exported by the index).
import { z } from "zod";

/** A stable key (a pipeline stage, a feature flag, a checklist item). */
export const KeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, "lower-case letters, digits and _");

export const AddressSchema = z
  .object({
    line1: z.string().max(200).optional(),
    line2: z.string().max(200).optional(),
    city: z.string().max(100).optional(),
    postcode: z.string().max(20).optional(),
    country: z.string().max(60).optional(),
  })
  .strict();
