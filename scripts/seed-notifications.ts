// Demo notifications for the demo company, through the notifications API as an integration would
// send them: a company workflow of its own with English and German templates, and a few triggers
// (in-app to the owners, email to a raw address, one to an address the local Resend stand-in
// bounces), so the history, the inbox bell and the template editor have something to show. Every
// trigger carries an Idempotency-Key, so running `pnpm dev` again sends nothing twice.
import { request } from "./api-request.ts";

const WORKFLOW = {
  key: "maintenance.reminder",
  name: "Maintenance reminder",
  category: "maintenance",
  channels: ["email", "in_app"],
};

const TEMPLATES: { channel: string; locale: string; subject: string | null; body: string }[] = [
  {
    channel: "email",
    locale: "en",
    subject: "Maintenance due: {{ payload.machine }}",
    body: "<p>{{ payload.machine }} is due for maintenance on {{ payload.due | date: '%d %b %Y' }}.</p><p>{{ payload.note }}</p>",
  },
  {
    channel: "email",
    locale: "de",
    subject: "Wartung fällig: {{ payload.machine }}",
    body: "<p>{{ payload.machine }} muss am {{ payload.due | date: '%d.%m.%Y' }} gewartet werden.</p><p>{{ payload.note }}</p>",
  },
  {
    channel: "in_app",
    locale: "en",
    subject: "Maintenance due",
    body: "{{ payload.machine }} is due for maintenance on {{ payload.due | date: '%d %b' }}.",
  },
];

const TRIGGERS: { key: string; workflow: string; to: unknown[]; payload: Record<string, unknown> }[] = [
  {
    key: "demo-maintenance-owners",
    workflow: WORKFLOW.key,
    to: [{ role: "owner" }],
    payload: { machine: "CNC Mill 2", due: "2026-12-14", note: "Spindle bearings and coolant." },
  },
  {
    key: "demo-maintenance-facilities",
    workflow: WORKFLOW.key,
    to: [{ email: "facilities@demo-company.example" }],
    payload: { machine: "Compressor A", due: "2026-12-09", note: "Filter change." },
  },
  {
    key: "demo-maintenance-bounce",
    workflow: WORKFLOW.key,
    to: [{ email: "bounce@demo-company.example" }],
    payload: { machine: "Laser cutter", due: "2026-12-20", note: "Lens cleaning." },
  },
];

export async function seedDemoNotifications(
  baseUrl: string,
  adminSecret: string,
  companyId: string,
  log: (line: string) => void,
): Promise<void> {
  const base = `/api/admin/companies/${companyId}/notifications`;
  const call = <T>(path: string, method: string, body?: unknown, headers: Record<string, string> = {}) =>
    request<T>(baseUrl, `${base}${path}`, {
      method,
      token: adminSecret,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const workflows = await call<{ workflows: { key: string }[] }>("/workflows", "GET");
  if (!workflows.workflows.some((workflow) => workflow.key === WORKFLOW.key)) {
    await call("/workflows", "POST", WORKFLOW);
    for (const template of TEMPLATES) {
      await call(`/workflows/${WORKFLOW.key}/templates/${template.channel}/${template.locale}`, "PUT", {
        subject: template.subject,
        body: template.body,
      });
    }
    log(`demo workflow ${WORKFLOW.key} created with ${TEMPLATES.length} templates`);
  }
  let sent = 0;
  for (const trigger of TRIGGERS) {
    const answer = await call<{ duplicate: boolean; messages: unknown[] }>(
      "",
      "POST",
      { workflow: trigger.workflow, to: trigger.to, payload: trigger.payload },
      { "idempotency-key": trigger.key },
    );
    if (!answer.duplicate) sent += answer.messages.length;
  }
  log(
    sent > 0 ? `${sent} demo notification messages queued` : "demo notifications already sent; keeping them",
  );
}
