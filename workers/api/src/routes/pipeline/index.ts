// The stages projects move through (CRM): the company's default pipeline and any showroom type's own
// (services/crm/pipeline.ts).
import type { Operation } from "../../lib/operation.ts";
import { getPipeline } from "./get-pipeline.ts";
import { putPipeline } from "./put-pipeline.ts";

export const pipelineOperations: Operation[] = [getPipeline, putPipeline];
