// `nexus admin create`: the first platform operator (and any later one) from the operator secret.
// The password comes from --password or NEXUS_OPERATOR_PASSWORD, never echoed back.
import { OperatorResponseSchema, routes } from "@nexus/contracts";
import type { Fetch, TextSink } from "../io.ts";
import { parseAnswer, requestJson } from "../nexus-api.ts";

export interface AdminCreateOptions {
  baseUrl: string;
  adminSecret: string;
  email: string;
  name: string;
  password: string;
  /** Print the created operator as JSON. */
  json?: boolean;
}

export async function adminCreate(
  options: AdminCreateOptions,
  deps: { fetch: Fetch; stdout: TextSink },
): Promise<number> {
  const route = routes.createOperator;
  const body = await requestJson({ ...options, fetch: deps.fetch }, route.method, route.path, {
    json: { email: options.email, name: options.name, password: options.password },
  });
  const { operator } = parseAnswer(OperatorResponseSchema, body, route.path);
  if (options.json) {
    deps.stdout.write(`${JSON.stringify({ operator }, null, 2)}\n`);
    return 0;
  }
  deps.stdout.write(
    `Created operator ${operator.email} (id ${operator.id}). Sign in at ${options.baseUrl}/api/auth/sign-in/email.\n`,
  );
  return 0;
}
