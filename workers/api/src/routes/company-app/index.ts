// The apps' own calls: registering a company, joining it (validate) and checking in (heartbeat).
import type { Operation } from "../../lib/operation.ts";
import { heartbeat } from "./heartbeat.ts";
import { register } from "./register.ts";
import { validate } from "./validate.ts";

export const companyAppOperations: Operation[] = [register, validate, heartbeat];
