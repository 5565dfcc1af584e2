import type { SearchHit } from "@nexus/contracts";
import { expect, it } from "vitest";
import { decodeEntities, groupHits, hitHref, moveActive, splitMarks } from "./search-hits.ts";

const hit = (type: SearchHit["type"], id: string, project_id: string | null = null): SearchHit => ({
  type,
  id,
  title: id,
  snippet: "",
  project_id,
  score: 1,
  match: "exact",
});

it("splits marked text into plain and marked pieces", () => {
  expect(splitMarks("Kitchen <mark>invoice</mark> for <mark>Smith</mark>")).toEqual([
    { text: "Kitchen ", marked: false },
    { text: "invoice", marked: true },
    { text: " for ", marked: false },
    { text: "Smith", marked: true },
  ]);
  expect(splitMarks("")).toEqual([]);
  expect(splitMarks("<mark>all</mark>")).toEqual([{ text: "all", marked: true }]);
  // Adjacent marks join; an unclosed one runs to the end; a stray close is ignored.
  expect(splitMarks("<mark>a</mark><mark>b</mark>")).toEqual([{ text: "ab", marked: true }]);
  expect(splitMarks("x <mark>y")).toEqual([
    { text: "x ", marked: false },
    { text: "y", marked: true },
  ]);
  expect(splitMarks("x</mark> y")).toEqual([{ text: "x y", marked: false }]);
});

it("turns the API's escaping back into text, so markup in a record shows as typed and is never HTML", () => {
  const pieces = splitMarks(
    "&lt;img src=x onerror=alert(1)&gt; <mark>Tom &amp; Jerry</mark> &quot;q&#39;s&#x27;",
  );
  expect(pieces).toEqual([
    { text: "<img src=x onerror=alert(1)> ", marked: false },
    { text: "Tom & Jerry", marked: true },
    { text: " \"q's'", marked: false },
  ]);
  // An escaped mark tag in the record's own text stays text, not a highlight.
  expect(splitMarks("&lt;mark&gt;not a hit&lt;/mark&gt;")).toEqual([
    { text: "<mark>not a hit</mark>", marked: false },
  ]);
  expect(decodeEntities("&bogus; &#0; &#x110000; &amp;amp;")).toBe("&bogus; &#0; &#x110000; &amp;");
});

it("groups hits by type in a fixed order, keeps the ranking inside a group, and numbers positions as shown", () => {
  const hits = [
    hit("document", "d1", "p1"),
    hit("project", "p1", "p1"),
    hit("activity", "a1", "p1"),
    hit("project", "p2", "p2"),
    hit("member", "m1"),
  ];
  const groups = groupHits(hits, { project: 7, document: 1, activity: 1, member: 1 });
  expect(groups.map((group) => [group.label, group.total])).toEqual([
    ["Projects", 7],
    ["Activities", 1],
    ["Documents", 1],
    ["Members", 1],
  ]);
  expect(groups.flatMap((group) => group.hits.map(({ hit, position }) => [hit.id, position]))).toEqual([
    ["p1", 0],
    ["p2", 1],
    ["a1", 2],
    ["d1", 3],
    ["m1", 4],
  ]);
  // Without facet counts a group's total is at least what it shows.
  expect(groupHits([hit("machine", "x")])[0]?.total).toBe(1);
  expect(groupHits([])).toEqual([]);
});

it("links each hit to the screen that shows it", () => {
  const c = "co_1";
  expect(hitHref(c, hit("project", "p1", "p1"))).toBe("/companies/co_1/projects/p1");
  expect(hitHref(c, hit("client", "cl1", "p2"))).toBe("/companies/co_1/projects/p2");
  expect(hitHref(c, hit("activity", "a1", "p3"))).toBe("/companies/co_1/projects/p3");
  expect(hitHref(c, hit("activity", "a1"))).toBe("/companies/co_1/projects");
  expect(hitHref(c, hit("document", "d 1", "p1"))).toBe("/companies/co_1/documents/d%201");
  expect(hitHref(c, hit("machine", "m1"))).toBe("/companies/co_1/machines/m1");
  expect(hitHref(c, hit("member", "u1"))).toBe("/companies/co_1/members");
  expect(hitHref(c, hit("showroom", "s&1"))).toBe("/companies/co_1/projects?showroom=s%261");
});

it("moves through the options with the arrow keys, wrapping at both ends", () => {
  expect(moveActive(-1, 3, "ArrowDown")).toBe(0);
  expect(moveActive(2, 3, "ArrowDown")).toBe(0);
  expect(moveActive(-1, 3, "ArrowUp")).toBe(2);
  expect(moveActive(0, 3, "ArrowUp")).toBe(2);
  expect(moveActive(1, 3, "ArrowUp")).toBe(0);
  expect(moveActive(0, 0, "ArrowDown")).toBe(-1);
});
