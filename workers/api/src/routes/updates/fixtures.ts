// Shared by the feed's and the release operations' tests: a company with a validated installation,
// and a channel file as electron-updater reads it.
import type { ChannelFile } from "@nexus/contracts";
import { expect } from "vitest";
import { parse } from "yaml";
import { callAsOperator, registerCompany, validatedMachine } from "../../../test/helpers.ts";
import { bytesOf, feed, publishRelease } from "../../../test/releases.ts";

export async function joined(overrides: { update_channel?: string; admin_email?: string } = {}) {
  const company = await registerCompany(overrides.admin_email ? { admin_email: overrides.admin_email } : {});
  if (overrides.update_channel) {
    await callAsOperator(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      body: { update_channel: overrides.update_channel },
    });
  }
  const machine = await validatedMachine(company.company_code, `pc-${crypto.randomUUID()}`);
  return {
    company,
    installationId: machine.installation.id,
    auth: { companyCode: company.company_code, token: machine.installation.token },
  };
}

export async function channelFile(
  path: string,
  auth: { companyCode: string; token: string },
  headers: Record<string, string> = {},
): Promise<ChannelFile> {
  const response = await feed(path, auth, headers);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("content-type")).toContain("yaml");
  return parse(await response.text()) as ChannelFile;
}

export const ARTIFACT = "Nexus-Setup-2.0.0.exe";
export const SIZE = 200_000;

/** A company with an installation, and a published release of one 200 kB Windows installer. */
export async function publishedArtifact() {
  const company = await registerCompany();
  const machine = await validatedMachine(company.company_code, `pc-${crypto.randomUUID()}`);
  const bytes = bytesOf(SIZE, 99);
  const release = await publishRelease("2.0.0", { files: [{ name: ARTIFACT, platform: "win", bytes }] });
  return {
    company,
    release,
    bytes,
    auth: { companyCode: company.company_code, token: machine.installation.token },
  };
}
