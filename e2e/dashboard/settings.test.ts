// The Settings and Webhooks sections in Debian's Chromium against the whole local system
// (fixture.ts): a settings change and a logo pushed to a connected installation over its live
// channel, and an endpoint created in the page receiving a test event that verifies with the
// `standardwebhooks` library and the secret copied from the screen.
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BrowserContext, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Company, ServerMessage, WebhookEndpoint } from "../../packages/contracts/src/index.ts";
import { DEMO_COMPANY, DEMO_LOGINS } from "../../scripts/seed-demo.ts";
import { type DashboardFixture, openPage, row, screenshotPath, startDashboardFixture } from "./fixture.ts";

const COLOR = "#7c3aed";
const PALE_COLOR = "#fde047";
/** A 120x40 PNG in the brand color (logos are raster images: SVG is refused, see contracts/logo.ts). */
const LOGO_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAHgAAAAoCAIAAAC6iKlyAAAAUklEQVR42u3QQQ0AAAgEoMtlNivbwRbOBxsJSNdwIApEi0a0aNEWRItGtGjRFkSLRrRo0YgWjWjRohEtGtGiRSNaNKJFi0a0aESLFo1o0Yj+ZwF3y7ID5WJELAAAAABJRU5ErkJggg==",
  "base64",
);
const RECEIVER_ANSWER = "ok from the e2e receiver";

let fixture: DashboardFixture;
let companyId: string;
/** The owner's browser, shared by the tests (sign-in is rate limited per IP). */
let owner: BrowserContext;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  // Deliveries go to a receiver on this machine, which the production URL policy refuses.
  fixture = await startDashboardFixture({ vars: { WEBHOOK_URL_POLICY: "local" } });
  companyId = fixture.demoCompanyId;
  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
  // Records every request and answers with a body, which the delivery log keeps an excerpt of.
  receiver = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
    response.writeHead(200, { "content-type": "text/plain" }).end(RECEIVER_ANSWER);
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/nexus`;
}, 180_000);

afterAll(async () => {
  receiver?.close();
  await fixture?.stop();
});

async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const topbarColor = (page: Page) =>
  page
    .locator(".topbar")
    .evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).backgroundColor);

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(
    page.viewportSize()?.width ?? 0,
  );
}

/** A desktop app of the demo company, joined and listening on its live channel. */
async function connectedInstallation() {
  const joined = await fixture.system.validateMachine({
    company_code: DEMO_COMPANY.company_code,
    machine_id: "e2e-settings-machine",
    hostname: "SETTINGS-PC",
    app_version: "1.4.2",
  });
  // The API's own origin, as the desktop app connects (not through the dashboard's proxy).
  const socket = new WebSocket(
    `${fixture.system.url.origin.replace(/^http/, "ws")}/api/live?token=${joined.installation.token}`,
  );
  const messages: ServerMessage[] = [];
  socket.addEventListener("message", (event) =>
    messages.push(JSON.parse(String(event.data)) as ServerMessage),
  );
  await until(
    () => messages,
    (list) => list.some((message) => message.type === "welcome"),
    "the installation's welcome",
  );
  type SettingsChanged = Extract<ServerMessage, { type: "settings.changed" }>;
  const settingsMessage = async (version: number): Promise<SettingsChanged> => {
    const find = () =>
      messages.find(
        (message): message is SettingsChanged =>
          message.type === "settings.changed" && message.settings_version === version,
      );
    await until(find, (message) => message !== undefined, `settings.changed version ${version}`);
    const message = find();
    if (!message) throw new Error("unreachable");
    return message;
  };
  return { socket, settingsMessage };
}

it("change a setting and see it pushed", { timeout: 120_000 }, async () => {
  const installation = await connectedInstallation();
  const { page, errors } = await openPage(owner);
  try {
    await page.goto(fixture.url(`/companies/${companyId}/settings`));
    await page.getByRole("heading", { name: "Branding" }).waitFor();
    expect(await page.getByTestId("settings-version").textContent()).toBe("1");
    await page.getByRole("heading", { name: "No other settings" }).waitFor();

    // A pale color: the page warns before anything is saved, then a darker one clears it.
    const hex = page.getByLabel("Hex value");
    await hex.fill(PALE_COLOR);
    await page.getByText("Low contrast.").waitFor();
    expect(await page.getByLabel("Color", { exact: true }).inputValue()).toBe(PALE_COLOR);
    await hex.fill(COLOR);
    await page.getByText("Low contrast.").waitFor({ state: "detached" });

    // Two app settings, a text and a number.
    await page.getByRole("button", { name: "Add setting" }).click();
    let setting = page.getByRole("group", { name: "Setting new setting" });
    await setting.getByLabel("Name").fill("shift");
    await page.getByRole("group", { name: "Setting shift" }).getByLabel("Value").fill("night");
    await page.getByRole("button", { name: "Add setting" }).click();
    setting = page.getByRole("group", { name: "Setting new setting" });
    await setting.getByLabel("Name").fill("max_stations");
    setting = page.getByRole("group", { name: "Setting max_stations" });
    await setting.getByLabel("Type").selectOption("number");
    await setting.getByLabel("Value").fill("twelve");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("alert").filter({ hasText: "One field needs attention" }).waitFor();
    await setting.getByText("Enter a number").waitFor();
    await setting.getByLabel("Value").fill("12");

    await page.getByRole("button", { name: "Save settings" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Saved (version 2). Pushed to 1 connected installation;" })
      .waitFor();
    expect(await page.getByTestId("settings-version").textContent()).toBe("2");

    // Pushed to the connected installation, with the new values and version.
    expect(await installation.settingsMessage(2)).toEqual({
      type: "settings.changed",
      settings_version: 2,
      settings: { primary_color: COLOR, shift: "night", max_stations: 12 },
    });
    const stored = (await fixture.api(`/api/admin/companies/${companyId}`)) as { company: Company };
    expect(stored.company).toMatchObject({ settings_version: 2, settings: { primary_color: COLOR } });
    // The top bar takes the new color.
    await expect.poll(() => topbarColor(page)).toBe("rgb(124, 58, 237)");

    // A logo: uploaded, previewed, saved, pushed and shown in the top bar.
    await page.getByLabel(/Upload an image/).setInputFiles({
      name: "logo.png",
      mimeType: "image/png",
      buffer: LOGO_PNG,
    });
    await page.getByRole("img", { name: "Logo preview" }).waitFor();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Saved (version 3)" }).waitFor();
    const logoUrl = `data:image/png;base64,${LOGO_PNG.toString("base64")}`;
    expect((await installation.settingsMessage(3)).settings).toEqual({
      primary_color: COLOR,
      shift: "night",
      max_stations: 12,
      logo_url: logoUrl,
    });
    const logo = page.locator(".topbar").getByRole("img", { name: `${DEMO_COMPANY.company_name} logo` });
    await logo.waitFor();
    expect(await logo.getAttribute("src")).toBe(logoUrl);
    // Loaded, not a broken image.
    await expect
      .poll(() => logo.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath("settings.png"), fullPage: true });

    // The contracts' logo rule, in the form: no plain http logos.
    await page.getByLabel("Or the address of a hosted logo").fill("http://example.com/logo.png");
    await page.getByText("The logo must use https.").waitFor();
    await page.getByRole("button", { name: "Discard changes" }).click();
    await page.getByRole("img", { name: "Logo preview" }).waitFor();

    await page.setViewportSize({ width: 768, height: 1024 });
    await expectNoSidewaysScroll(page);
    expect(errors).toEqual([]);
  } finally {
    installation.socket.close();
    await page.close();
  }
});

it("webhooks: an endpoint made in the page gets a signed test event, logged as delivered", {
  timeout: 150_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  try {
    await page.goto(fixture.url(`/companies/${companyId}/webhooks`));
    await page.getByRole("heading", { name: "No endpoints yet" }).waitFor();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const form = page.getByRole("form", { name: "New endpoint" });

    // The API's URL policy answers in the form (credentials in a URL are refused under every policy).
    const url = form.getByLabel("Endpoint URL");
    await url.fill("http://user:secret@10.0.0.1/hooks");
    await form.getByRole("checkbox", { name: "installation.activated" }).check();
    await form.getByRole("button", { name: "Create endpoint" }).click();
    await form
      .getByRole("alert")
      .filter({ hasText: "The webhook URL must not contain a user name or password." })
      .waitFor();
    expect(await url.getAttribute("aria-invalid")).toBe("true");

    await url.fill(receiverUrl);
    await form.getByLabel("Description (optional)").fill("E2E receiver");
    await form.getByRole("checkbox", { name: "company.settings_changed" }).check();
    await form.getByRole("button", { name: "Create endpoint" }).click();

    // The secret, shown once: copied from the screen and with the Copy button.
    await page.getByRole("heading", { name: "Endpoint created: copy its signing secret" }).waitFor();
    const secret = await page.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await owner.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: fixture.dashboard.url.origin,
    });
    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByRole("status").filter({ hasText: "Copied to the clipboard." }).waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(secret);
    await page.getByRole("button", { name: "I have stored it" }).click();

    const listed = (await fixture.api(`/api/admin/companies/${companyId}/webhooks/endpoints`)) as {
      endpoints: WebhookEndpoint[];
    };
    expect(listed.endpoints).toHaveLength(1);
    const endpoint = listed.endpoints[0] as WebhookEndpoint;
    expect(endpoint).toMatchObject({
      url: receiverUrl,
      description: "E2E receiver",
      event_types: ["installation.activated", "company.settings_changed"],
      enabled: true,
    });
    expect(secret.startsWith(endpoint.secret_prefix)).toBe(true);

    // A test event reaches the receiver, signed with that secret.
    const card = page.getByRole("article", { name: receiverUrl });
    await card.getByRole("button", { name: "Send test event" }).click();
    await card.getByRole("status").filter({ hasText: "Test event queued." }).waitFor();
    const delivery = await until(
      () => received.find((request) => request.body.includes('"webhook.test"')),
      (request) => request !== undefined,
      "the test event at the receiver",
    );
    if (!delivery) throw new Error("unreachable");
    const payload = new Webhook(secret).verify(delivery.body, {
      "webhook-id": String(delivery.headers["webhook-id"]),
      "webhook-timestamp": String(delivery.headers["webhook-timestamp"]),
      "webhook-signature": String(delivery.headers["webhook-signature"]),
    }) as { type: string; company_id: string; data: { endpoint_id: string } };
    expect(payload).toMatchObject({
      type: "webhook.test",
      company_id: companyId,
      data: { endpoint_id: endpoint.id },
    });
    await page.screenshot({ path: screenshotPath("webhooks.png"), fullPage: true });
    await page.setViewportSize({ width: 768, height: 1024 });
    await expectNoSidewaysScroll(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The delivery log, filtered to this endpoint, shows it delivered with the receiver's answer.
    await card.getByRole("link", { name: "Follow it in the delivery log" }).click();
    await page.getByRole("heading", { name: "Delivery log" }).waitFor();
    expect(new URL(page.url()).searchParams.get("endpoint_id")).toBe(endpoint.id);
    // The first row: an opened delivery's details (its payload, its attempts) follow in rows of their own.
    const logged = row(page, "webhook.test").first();
    await logged.getByText("Delivered").waitFor({ timeout: 30_000 });
    await logged.getByText("HTTP 200").waitFor();
    await logged.getByRole("button", { name: /Details/ }).click();
    const detail = page.getByRole("region", { name: /^Details of delivery / });
    await detail.getByRole("table").getByText(RECEIVER_ANSWER).waitFor();
    await detail.getByText(payload.data.endpoint_id).first().waitFor({ state: "attached" });

    // Redelivery sends the same event (same webhook-id) again.
    await detail.getByRole("button", { name: "Redeliver" }).click();
    await detail.getByRole("status").filter({ hasText: "Queued again" }).waitFor();
    await until(
      () => received.filter((request) => request.headers["webhook-id"] === delivery.headers["webhook-id"]),
      (requests) => requests.length === 2,
      "the redelivery at the receiver",
    );
    await logged.getByText("2 attempts").waitFor({ timeout: 30_000 });
    await expect.poll(() => detail.getByRole("table").locator("tbody tr").count()).toBe(2);
    await page.screenshot({ path: screenshotPath("webhook-deliveries.png"), fullPage: true });

    // Filters are the API's: nothing has failed.
    await page.getByLabel("Status").selectOption("failed");
    await page.getByRole("heading", { name: "No delivery matches these filters" }).waitFor();
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await logged.waitFor();
    await page.setViewportSize({ width: 768, height: 1024 });
    await expectNoSidewaysScroll(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Back to the endpoint: disable and enable, edit its events, rotate its secret, delete it.
    await page.getByRole("link", { name: "Endpoints" }).click();
    const endpointState = async () =>
      (
        (await fixture.api(`/api/admin/companies/${companyId}/webhooks/endpoints`)) as {
          endpoints: WebhookEndpoint[];
        }
      ).endpoints;
    await card.getByRole("button", { name: "Disable" }).click();
    await card.getByText("Disabled", { exact: true }).waitFor();
    expect((await endpointState())[0]?.enabled).toBe(false);
    await card.getByRole("button", { name: "Enable" }).click();
    await card.getByText("Enabled", { exact: true }).waitFor();
    expect((await endpointState())[0]?.enabled).toBe(true);

    await card.getByRole("button", { name: "Edit events" }).click();
    await card.getByRole("checkbox", { name: "installation.activated" }).uncheck();
    await card.getByRole("checkbox", { name: "release.published" }).check();
    await card.getByRole("button", { name: "Save events" }).click();
    await card.getByRole("status").filter({ hasText: "Events saved." }).waitFor();
    expect((await endpointState())[0]?.event_types).toEqual([
      "release.published",
      "company.settings_changed",
    ]);

    await card.getByRole("button", { name: "Rotate secret" }).click();
    await card.getByLabel("Keep signing with the old secret too for").selectOption("0");
    await card.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("heading", { name: "New signing secret" }).waitFor();
    const rotated = await page.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await page.getByRole("button", { name: "I have stored it" }).click();

    // Deleting asks first; Cancel keeps it.
    await card.getByRole("button", { name: "Delete" }).click();
    const confirm = card.getByRole("group", { name: /Delete this endpoint\?/ });
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    expect(await endpointState()).toHaveLength(1);
    await card.getByRole("button", { name: "Delete" }).click();
    await card.getByRole("button", { name: "Delete endpoint" }).click();
    await page.getByRole("heading", { name: "No endpoints yet" }).waitFor();
    expect(await endpointState()).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
});
