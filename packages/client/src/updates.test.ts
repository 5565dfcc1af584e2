import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { callAsOperator, registerCompany, validatedMachine } from "../../../workers/api/test/helpers.ts";
import { installersFor, publishRelease } from "../../../workers/api/test/releases.ts";
import { updateFeedOptions } from "./updates.ts";

describe("updateFeedOptions", () => {
  it("builds electron-updater's generic feed settings that the feed accepts", async () => {
    const company = await registerCompany();
    await callAsOperator(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      body: { update_channel: "beta" },
    });
    const machine = await validatedMachine(company.company_code, "feed-pc");
    await publishRelease("3.0.0-beta.2", { channel: "beta", files: installersFor("3.0.0-beta.2") });
    const feed = updateFeedOptions({
      baseUrl: "http://nexus.test/",
      companyCode: company.company_code.toLowerCase(),
      token: machine.installation.token,
      channel: machine.update_channel,
    });
    expect(feed).toEqual({
      provider: "generic",
      url: `http://nexus.test/api/updates?company_code=${company.company_code}`,
      channel: "beta",
      requestHeaders: {
        Authorization: `Bearer ${machine.installation.token}`,
        "X-Company-Code": company.company_code,
      },
    });
    // What electron-updater's generic provider then requests: <url>/<channel>.yml with the query.
    const base = new URL(feed.url);
    const channelFile = new URL(`${base.pathname}/${feed.channel}.yml${base.search}`, base);
    const response = await exports.default.fetch(channelFile.toString(), { headers: feed.requestHeaders });
    expect(response.status).toBe(200);
    expect(parse(await response.text())).toMatchObject({ version: "3.0.0-beta.2" });
  });

  it("maps stable to electron-updater's latest and refuses incomplete input", () => {
    const base = { baseUrl: "https://central.example/prefix", companyCode: "ACME", token: "t" };
    expect(updateFeedOptions(base)).toMatchObject({
      channel: "latest",
      url: "https://central.example/prefix/api/updates?company_code=ACME",
    });
    expect(updateFeedOptions({ ...base, channel: "stable" }).channel).toBe("latest");
    expect(() => updateFeedOptions({ ...base, baseUrl: "central.example" })).toThrow(TypeError);
    expect(() => updateFeedOptions({ ...base, token: " " })).toThrow(TypeError);
  });
});
