// Demo CRM data for the demo company (seed 001): two showrooms (retail and trade), three dozen
// projects spread over the pipeline's stages with a few notes each, and two feature flags. Created
// through the API; projects are placed in their stage with an operator's override (reason "demo
// data"), which the history shows. Skipped when the company already has showrooms.
import { DEFAULT_PIPELINE } from "../packages/contracts/src/pipeline/schemas.ts";
import { request } from "./api-request.ts";

const CLIENTS = [
  "Amelia Hart",
  "Oliver Brooks",
  "Isla Turner",
  "George Patel",
  "Ava Collins",
  "Noah Hughes",
  "Mia Ward",
  "Leo Bennett",
  "Grace Foster",
  "Harry Price",
  "Freya Kelly",
  "Jack Murphy",
];
const JOBS = [
  "Bathroom refit",
  "Kitchen extension",
  "En-suite install",
  "Wet room",
  "Kitchen island",
  "Cloakroom",
];
const PROJECTS = 36;

export async function seedDemoCrm(
  baseUrl: string,
  adminSecret: string,
  companyId: string,
  log: (line: string) => void,
): Promise<void> {
  const base = `/api/admin/companies/${companyId}`;
  const call = <T>(path: string, method = "GET", body?: unknown) =>
    request<T>(baseUrl, `${base}${path}`, {
      method,
      token: adminSecret,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const { showrooms } = await call<{ showrooms: unknown[] }>("/showrooms");
  if (showrooms.length > 0) {
    log(`demo showrooms already exist (${showrooms.length}); keeping the CRM data`);
    return;
  }
  const { members } = await call<{ members: { user_id: string }[] }>("/members");
  const staff = members.map((member) => member.user_id);
  const retail = await call<{ showroom: { id: string } }>("/showrooms", "POST", {
    name: "Leeds Showroom",
    type: "retail",
    address: { line1: "12 Briggate", city: "Leeds", postcode: "LS1 6HD", country: "UK" },
    branding: { logo_url: null, primary_color: "#1e6fd9" },
    member_ids: staff,
  });
  const trade = await call<{ showroom: { id: string } }>("/showrooms", "POST", {
    name: "Trade Counter",
    type: "trade",
    address: { line1: "Unit 4, Aire Valley Park", city: "Bradford", postcode: "BD4 6SG", country: "UK" },
    member_ids: staff,
  });
  for (let i = 0; i < PROJECTS; i++) {
    const client = CLIENTS[i % CLIENTS.length] ?? "Client";
    const { project } = await call<{ project: { id: string } }>("/projects", "POST", {
      title: `${JOBS[i % JOBS.length]} – ${client.split(" ")[1]}`,
      client: { name: client, email: `${client.toLowerCase().replace(" ", ".")}@example.com` },
      showroom_id: i % 3 === 2 ? trade.showroom.id : retail.showroom.id,
      value: 4500 + ((i * 1733) % 21_000),
      assignments: staff[0] ? { surveyor: staff[0] } : {},
    });
    await call(`/projects/${project.id}/activities`, "POST", {
      type: "call",
      body: "First call: needs and budget.",
    });
    const stage = DEFAULT_PIPELINE[i % DEFAULT_PIPELINE.length];
    if (stage && stage.key !== DEFAULT_PIPELINE[0]?.key) {
      await call(`/projects/${project.id}/move`, "POST", { to_stage: stage.key, reason: "demo data" });
    }
  }
  await call("/feature-flags", "PUT", {
    flags: [
      {
        key: "trade_pricing",
        description: "Trade prices in quotes",
        enabled: false,
        rules: [{ showroom_types: ["trade"], enabled: true }],
      },
      {
        key: "site_survey_tool",
        description: "The mobile survey tool",
        enabled: false,
        rules: [{ roles: ["installer", "owner", "admin"], enabled: true }],
      },
    ],
  });
  log(`2 demo showrooms and ${PROJECTS} projects across the pipeline`);
}
