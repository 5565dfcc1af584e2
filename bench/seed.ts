// Creates the data the routes need through the public API (not SQL), so the rows look exactly
// like production's and the seed breaks loudly if the API's contract changes.
import { RegisterResponseSchema, ValidateResponseSchema } from "../packages/contracts/src/company.ts";
import { routes } from "../packages/contracts/src/routes.ts";
import type { SeedContext } from "./routes.ts";

async function callApi(
  baseUrl: URL,
  method: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<unknown> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`seed: ${method} ${path} -> ${response.status}: ${text}`);
  return JSON.parse(text);
}

export async function seed(baseUrl: URL, adminSecret: string): Promise<SeedContext> {
  const company = RegisterResponseSchema.parse(
    await callApi(
      baseUrl,
      "POST",
      routes.register.path,
      { company_name: "Bench Company", admin_email: "bench@example.com" },
      adminSecret,
    ),
  );
  // The tier's default seat limit is small; routes that add installations must not hit it.
  await callApi(
    baseUrl,
    "PATCH",
    routes.updateCompany.path.replace("{companyId}", encodeURIComponent(company.company_id)),
    { max_installations: 10_000 },
    adminSecret,
  );
  const machineId = "bench-machine-0001";
  const validated = ValidateResponseSchema.parse(
    await callApi(baseUrl, "POST", routes.validate.path, {
      company_code: company.company_code,
      machine_id: machineId,
      hostname: "bench-host",
      app_version: "1.0.0",
    }),
  );
  return {
    adminSecret,
    companyId: company.company_id,
    companyCode: company.company_code,
    machineId,
    installationToken: validated.installation.token,
  };
}
