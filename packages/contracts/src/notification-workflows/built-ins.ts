// The platform's workflows: present in every company (a company may override their settings and
// templates, never delete them), each with a default template per channel in English (and German
// for project.assigned, to show the locale fallback). Zod-free, so the dashboard and the API share it.
// Template variables: `payload.*` (the trigger's payload), `recipient.*` (name, email, key),
// `company.*` (id, name) and `workflow.*` (key, name).
import type { NotificationChannel } from "../notifications/schemas.ts";

export interface BuiltInTemplate {
  channel: NotificationChannel;
  locale: string;
  /** Email subject, push and in-app title; null for SMS. */
  subject: string | null;
  /** Liquid; email bodies are HTML (printed values are escaped). */
  body: string;
}

export interface BuiltInWorkflow {
  key: string;
  name: string;
  category: string;
  critical: boolean;
  channels: NotificationChannel[];
  digest_minutes: number | null;
  /** When the platform triggers it. */
  description: string;
  /** A payload of the shape the platform sends, for previews. */
  sample_payload: Record<string, unknown>;
  templates: BuiltInTemplate[];
}

const SIGNATURE = `<p style="color:#666;font-size:12px">{{ company.name }} · Nexus Central</p>`;

function email(subject: string, html: string, locale = "en"): BuiltInTemplate {
  return { channel: "email", locale, subject, body: `${html}\n${SIGNATURE}` };
}
function push(title: string, body: string, locale = "en"): BuiltInTemplate {
  return { channel: "push", locale, subject: title, body };
}
function inApp(title: string, body: string, locale = "en"): BuiltInTemplate {
  return { channel: "in_app", locale, subject: title, body };
}

export const BUILT_IN_WORKFLOWS: readonly BuiltInWorkflow[] = [
  {
    key: "project.assigned",
    name: "Project assigned",
    category: "projects",
    critical: false,
    channels: ["email", "push", "in_app"],
    digest_minutes: null,
    description: "A project is assigned to someone, or moves to a stage while assigned to them",
    sample_payload: {
      project: { id: "prj_1", name: "Kitchen Miller", stage: "Installation" },
      assigned_by: "Anna Admin",
    },
    templates: [
      email(
        "Project {{ payload.project.name }}: {{ payload.project.stage }}",
        "<p>Hello {{ recipient.name | default: 'there' }},</p>\n<p>{{ payload.assigned_by | default: 'Someone' }} " +
          "assigned you to <strong>{{ payload.project.name }}</strong> (stage: {{ payload.project.stage }}).</p>",
      ),
      email(
        "Projekt {{ payload.project.name }}: {{ payload.project.stage }}",
        "<p>Hallo {{ recipient.name | default: '' }},</p>\n<p>{{ payload.assigned_by | default: 'Jemand' }} " +
          "hat Ihnen <strong>{{ payload.project.name }}</strong> zugewiesen (Phase: {{ payload.project.stage }}).</p>",
        "de",
      ),
      push("{{ payload.project.name }}", "Assigned to you · {{ payload.project.stage }}"),
      push("{{ payload.project.name }}", "Ihnen zugewiesen · {{ payload.project.stage }}", "de"),
      inApp(
        "Project assigned",
        "{{ payload.project.name }} ({{ payload.project.stage }}) is assigned to you.",
      ),
      inApp(
        "Projekt zugewiesen",
        "{{ payload.project.name }} ({{ payload.project.stage }}) ist Ihnen zugewiesen.",
        "de",
      ),
    ],
  },
  {
    key: "member.invited",
    name: "Member invited",
    category: "account",
    critical: false,
    channels: ["in_app"],
    digest_minutes: null,
    description:
      "Someone was invited to the company (the invitation mail itself is sent by sign-in; this tells the admins)",
    sample_payload: { email: "new.person@example.com", role: "member", invited_by: "Anna Admin" },
    templates: [
      inApp(
        "Invitation sent",
        "{{ payload.invited_by | default: 'An admin' }} invited {{ payload.email }} as {{ payload.role }}.",
      ),
    ],
  },
  {
    key: "telemetry.alert",
    name: "Telemetry alert",
    category: "telemetry",
    critical: true,
    channels: ["email", "push", "in_app"],
    digest_minutes: null,
    description: "A machine's telemetry crossed an alert threshold",
    sample_payload: {
      machine: { id: "m_1", name: "CNC 3" },
      metric: "temperature",
      value: 92,
      threshold: 80,
    },
    templates: [
      email(
        "Alert: {{ payload.machine.name }} {{ payload.metric }}",
        "<p><strong>{{ payload.machine.name }}</strong> reported {{ payload.metric }} = {{ payload.value }} " +
          "(threshold {{ payload.threshold }}).</p>",
      ),
      push("Alert: {{ payload.machine.name }}", "{{ payload.metric }} = {{ payload.value }}"),
      inApp("Telemetry alert", "{{ payload.machine.name }}: {{ payload.metric }} = {{ payload.value }}"),
    ],
  },
  {
    key: "webhook.endpoint_failing",
    name: "Webhook endpoint failing",
    category: "webhooks",
    critical: true,
    channels: ["email", "in_app"],
    digest_minutes: null,
    description: "A webhook endpoint failed every delivery for days and was disabled",
    sample_payload: {
      endpoint: { id: "we_1", url: "https://example.com/hooks" },
      disabled: true,
      last_error: "HTTP 500",
      disabled_at: "2026-12-07T12:00:00.000Z",
    },
    templates: [
      email(
        "Webhook endpoint disabled: {{ payload.endpoint.url }}",
        "<p>The webhook endpoint <code>{{ payload.endpoint.url }}</code> failed every delivery for days" +
          "{% if payload.disabled %} and was disabled{% endif %}.</p>\n<p>Last error: {{ payload.last_error }}</p>" +
          "\n<p>Fix the endpoint, then enable it again in the webhook settings.</p>",
      ),
      inApp(
        "Webhook endpoint disabled",
        "{{ payload.endpoint.url }} failed every delivery and was disabled.",
      ),
    ],
  },
  {
    key: "tenant.pool_low",
    name: "Tenant pool low",
    category: "operations",
    critical: true,
    channels: ["email"],
    digest_minutes: null,
    description: "Operators: the pool of ready tenant databases is running low",
    sample_payload: { available: 2, minimum: 5 },
    templates: [
      email(
        "Tenant pool low: {{ payload.available }} left",
        "<p>{{ payload.available }} tenant databases are ready (minimum {{ payload.minimum }}).</p>",
      ),
    ],
  },
  {
    key: "release.published",
    name: "Release published",
    category: "updates",
    critical: false,
    channels: ["email", "in_app"],
    digest_minutes: null,
    description: "A new release of an app was published to the company",
    sample_payload: { release: { id: "rel_1", version: "2.4.0", channel: "stable", app: "desktop" } },
    templates: [
      email(
        "Version {{ payload.release.version }} is available",
        "<p>Version <strong>{{ payload.release.version }}</strong> ({{ payload.release.channel }}) was published.</p>",
      ),
      inApp(
        "New version {{ payload.release.version }}",
        "Version {{ payload.release.version }} is available.",
      ),
    ],
  },
  {
    key: "chat.message",
    name: "Chat message",
    category: "chat",
    critical: false,
    channels: ["push", "email"],
    digest_minutes: null,
    description: "A chat message for a participant who has no open socket",
    sample_payload: {
      conversation_id: "c_1",
      conversation_kind: "project",
      project_id: "prj_1",
      message_id: "m_1",
      sender_id: "u_1",
      sender_name: "Ivan Installer",
      preview: "Arrived on site.",
    },
    templates: [
      push("{{ payload.sender_name }}", "{{ payload.preview }}"),
      email(
        "New message from {{ payload.sender_name }}",
        "<p><strong>{{ payload.sender_name }}</strong> wrote:</p>\n<blockquote>{{ payload.preview }}</blockquote>",
      ),
    ],
  },
  {
    key: "sync.now",
    name: "Sync now",
    category: "sync",
    critical: true,
    channels: ["push"],
    digest_minutes: null,
    description: "A data push telling the mobile sync client to pull now",
    sample_payload: { reason: "project.updated" },
    templates: [push("sync", '{"type":"sync.now","reason":{{ payload.reason | json }}}')],
  },
  {
    key: "usage.threshold",
    name: "Usage threshold",
    category: "billing",
    critical: true,
    channels: ["email", "in_app"],
    digest_minutes: null,
    description: "The company's usage crossed a share of its plan's limit",
    sample_payload: { metric: "installations", used: 45, limit: 50, percent: 90 },
    templates: [
      email(
        "{{ payload.percent }}% of your {{ payload.metric }} limit used",
        "<p>{{ payload.used }} of {{ payload.limit }} {{ payload.metric }} are in use.</p>",
      ),
      inApp(
        "Usage at {{ payload.percent }}%",
        "{{ payload.used }} of {{ payload.limit }} {{ payload.metric }}.",
      ),
    ],
  },
];

const byKey = new Map(BUILT_IN_WORKFLOWS.map((workflow) => [workflow.key, workflow]));

export function builtInWorkflow(key: string): BuiltInWorkflow | undefined {
  return byKey.get(key);
}

export function isBuiltInWorkflowKey(key: string): boolean {
  return byKey.has(key);
}
