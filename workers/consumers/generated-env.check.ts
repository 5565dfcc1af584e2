// Type-level only (workers/consumers/tsconfig.json): the bindings `wrangler types` generated from
// wrangler.toml must provide everything the worker's code declares in `Env`, so a binding renamed or
// dropped in the config fails typecheck instead of failing at run time.
import type { Env } from "./src/env.ts";

type Satisfies<Generated extends Env> = Generated;
export type GeneratedEnv = Satisfies<ConsumersEnv>;
