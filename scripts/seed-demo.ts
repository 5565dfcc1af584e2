// Demo data for local development, created through the API itself so it goes through the same
// registration, seat and audit paths as real data. Safe to run again: it finds what exists.
export const DEMO_COMPANY = {
  company_code: "DEM-000001",
  company_name: "Demo Manufacturing",
  admin_email: "admin@demo-manufacturing.example",
  subscription_tier: "professional",
  max_installations: 50,
} as const;

export const DEMO_INSTALLATIONS = [
  {
    machine_id: "demo-machine-01",
    hostname: "SHOP-FLOOR-01",
    username: "operator",
    os_version: "Windows 11 23H2",
    app_version: "1.4.2",
  },
  {
    machine_id: "demo-machine-02",
    hostname: "OFFICE-PC-02",
    username: "planner",
    os_version: "Windows 10 22H2",
    app_version: "1.4.2",
  },
  {
    machine_id: "demo-machine-03",
    hostname: "QA-LAPTOP-03",
    username: "inspector",
    os_version: "macOS 15.1",
    app_version: "1.3.0",
  },
] as const;

interface SeedResult {
  companyId: string;
  companyCode: string;
  installations: number;
}

async function request<T>(
  baseUrl: string,
  path: string,
  init: RequestInit & { token?: string } = {},
): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  const response = await fetch(`${baseUrl}${path}`, { ...init, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function seedDemo(
  baseUrl: string,
  adminSecret: string,
  log: (line: string) => void,
): Promise<SeedResult> {
  const { companies } = await request<{ companies: { id: string; company_code: string }[] }>(
    baseUrl,
    `/api/admin/companies?q=${DEMO_COMPANY.company_code}`,
    { token: adminSecret },
  );
  let companyId = companies.find((company) => company.company_code === DEMO_COMPANY.company_code)?.id;
  if (companyId) {
    log(`demo company ${DEMO_COMPANY.company_code} already exists; keeping it`);
  } else {
    const registered = await request<{ company_id: string }>(baseUrl, "/api/company/register", {
      method: "POST",
      token: adminSecret,
      headers: { "idempotency-key": "seed-demo-company" },
      body: JSON.stringify({
        company_code: DEMO_COMPANY.company_code,
        company_name: DEMO_COMPANY.company_name,
        admin_email: DEMO_COMPANY.admin_email,
        subscription_tier: DEMO_COMPANY.subscription_tier,
      }),
    });
    companyId = registered.company_id;
    log(`registered ${DEMO_COMPANY.company_name} (${DEMO_COMPANY.company_code})`);
  }
  await request(baseUrl, `/api/admin/companies/${companyId}`, {
    method: "PATCH",
    token: adminSecret,
    body: JSON.stringify({ max_installations: DEMO_COMPANY.max_installations }),
  });
  for (const installation of DEMO_INSTALLATIONS) {
    const joined = await request<{ installation: { token: string } }>(baseUrl, "/api/company/validate", {
      method: "POST",
      body: JSON.stringify({ company_code: DEMO_COMPANY.company_code, ...installation }),
    });
    await request(baseUrl, "/api/company/heartbeat", {
      method: "POST",
      token: joined.installation.token,
      body: JSON.stringify({
        company_code: DEMO_COMPANY.company_code,
        machine_id: installation.machine_id,
        app_version: installation.app_version,
      }),
    });
  }
  log(`${DEMO_INSTALLATIONS.length} demo installations joined and sent a heartbeat`);
  return { companyId, companyCode: DEMO_COMPANY.company_code, installations: DEMO_INSTALLATIONS.length };
}
