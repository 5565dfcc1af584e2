import { describe, expect, it } from "vitest";
import { parseDsn, parseSentryAuth, requestSentryKey } from "./sentry-auth.ts";

const KEY = "0123456789abcdef0123456789abcdef";

describe("Sentry credentials", () => {
  it("parses X-Sentry-Auth as the SDKs write it", () => {
    expect(
      parseSentryAuth(
        `Sentry sentry_key=${KEY}, sentry_version=7, sentry_client=sentry.javascript.node/11.12.0`,
      ),
    ).toEqual({ sentry_key: KEY, sentry_version: "7", sentry_client: "sentry.javascript.node/11.12.0" });
    expect(parseSentryAuth(`sentry sentry_key=${KEY},sentry_secret=s`)).toEqual({
      sentry_key: KEY,
      sentry_secret: "s",
    });
    expect(parseSentryAuth(`Bearer ${KEY}`)).toBeNull();
    expect(parseSentryAuth("Sentry garbage, =x, other=1")).toEqual({});
  });

  it("finds the key in X-Sentry-Auth, then Authorization, then ?sentry_key=", () => {
    const query = new URLSearchParams(`sentry_key=from-query`);
    expect(requestSentryKey(new Headers({ "x-sentry-auth": `Sentry sentry_key=${KEY}` }), query)).toBe(KEY);
    expect(requestSentryKey(new Headers({ authorization: `Sentry sentry_key=${KEY}` }), query)).toBe(KEY);
    expect(requestSentryKey(new Headers({ authorization: "Bearer nope" }), query)).toBe("from-query");
    expect(requestSentryKey(new Headers(), new URLSearchParams("sentry_key="))).toBeUndefined();
  });

  it("reads a DSN's key and project id, with a path prefix, a port or an old secret", () => {
    expect(parseDsn(`https://${KEY}@errors.example.com/42`)).toEqual({ key: KEY, projectId: "42" });
    expect(parseDsn(`http://${KEY}:secret@127.0.0.1:8787/prefix/7`)).toEqual({ key: KEY, projectId: "7" });
    expect(parseDsn("https://errors.example.com/42")).toBeNull();
    expect(parseDsn(`https://${KEY}@errors.example.com/`)).toBeNull();
    expect(parseDsn("not a url")).toBeNull();
  });
});
