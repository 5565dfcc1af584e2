// Version order shared by the API (update checks, the feed) and workers/consumers (error regressions).

/** Compares two semantic versions (`1.2.3`, `v1.2.3-beta.1`); pre-releases sort before releases. */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string) => {
    const [core = "", pre] = version.replace(/^v/, "").split("+")[0]?.split(/-(.*)/s) ?? [];
    return { parts: core.split(".").map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const diff = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  const xs = x.pre.split(".");
  const ys = y.pre.split(".");
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const p = xs[i];
    const q = ys[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p) ? Number(p) : Number.NaN;
    const qn = /^\d+$/.test(q) ? Number(q) : Number.NaN;
    if (!Number.isNaN(pn) && !Number.isNaN(qn)) {
      if (pn !== qn) return Math.sign(pn - qn);
    } else if (p !== q) {
      return p < q ? -1 : 1;
    }
  }
  return 0;
}
