// Showrooms and who works in them (CRM), in the company's tenant database (services/crm/showrooms.ts).
import type { Operation } from "../../lib/operation.ts";
import { createShowroom } from "./create-showroom.ts";
import { listShowrooms } from "./list-showrooms.ts";
import { updateShowroom } from "./update-showroom.ts";

export const showroomsOperations: Operation[] = [listShowrooms, createShowroom, updateShowroom];
