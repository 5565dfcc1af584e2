// Federated search on a large tenant (`--routes search`, `--search-entities N`): generates a tenant
// of N searchable entities (projects with their clients, activities, documents with text, machines,
// showrooms) by direct SQL batches into the bench company's tenant database, not through the API,
// so the search route is measured against a realistic index; and measures what indexing costs each
// write: the same entity writes into that database (search triggers on) and into a second
// company's (search triggers dropped), in the same run.
import type { Miniflare } from "miniflare";
import { routes } from "../packages/contracts/src/routes.ts";
import type { ReportRow } from "./report.ts";
import type { BenchRoute, SeedContext } from "./routes.ts";

type D1Database = Awaited<ReturnType<Miniflare["getD1Database"]>>;

export const SEARCH_BENCH = {
  /** The figure, and the default: a tenant of 100,000 searchable entities. */
  entities: 100_000,
  /** Rows per generating statement (INSERT … SELECT over a recursive counter). */
  chunkRows: 2_000,
  /** Single-row writes per measured kind (activity insert, project update), per database. */
  singleWrites: 1_000,
  /** Single-row statements per D1 batch in the write measurement (one transaction each). */
  writesPerBatch: 20,
} as const;

/** Seconds the generation may take per 1,000 entities (both databases), for the run's time budget. */
export const SEARCH_SECONDS_PER_1000 = 3;

// ---- the generated text ------------------------------------------------------------------------

const FIRST = [
  "Amelia",
  "Oliver",
  "Isla",
  "George",
  "Ava",
  "Noah",
  "Mia",
  "Leo",
  "Grace",
  "Harry",
  "Freya",
  "Jack",
  "Olivia",
  "Arthur",
  "Lily",
  "Muhammad",
  "Sophia",
  "Theo",
  "Emily",
  "Oscar",
  "Poppy",
  "Henry",
  "Ella",
  "Archie",
  "Isabella",
  "Freddie",
  "Evie",
  "Alfie",
  "Charlotte",
  "Thomas",
  "Ivy",
  "Jacob",
  "Rosie",
  "Joshua",
  "Daisy",
  "William",
  "Florence",
  "James",
  "Matilda",
  "Zoë",
];
const SURNAMES = [
  "Hart",
  "Brooks",
  "Turner",
  "Patel",
  "Collins",
  "Hughes",
  "Ward",
  "Bennett",
  "Foster",
  "Price",
  "Kelly",
  "Murphy",
  "Smith",
  "Jones",
  "Taylor",
  "Brown",
  "Williams",
  "Wilson",
  "Johnson",
  "Davies",
  "Robinson",
  "Wright",
  "Thompson",
  "Evans",
  "Walker",
  "White",
  "Roberts",
  "Green",
  "Hall",
  "Wood",
  "Jackson",
  "Clarke",
  "Khan",
  "Lewis",
  "Harris",
  "Martin",
  "Cooper",
  "King",
  "Lee",
  "Baker",
  "Müller",
  "Schäfer",
  "O'Brien",
  "Nowak",
  "Kowalski",
  "Novák",
  "Dubois",
  "García",
  "Rossi",
  "Jansen",
  "Singh",
  "Ahmed",
  "Ali",
  "Begum",
  "Chen",
  "Wang",
  "Nguyen",
  "Okafor",
  "Mensah",
  "Øberg",
];
const CITIES = [
  "Leeds",
  "Bradford",
  "York",
  "Harrogate",
  "Wakefield",
  "Huddersfield",
  "Halifax",
  "Sheffield",
  "Manchester",
  "Liverpool",
  "Hull",
  "Doncaster",
  "Ripon",
  "Skipton",
  "Ilkley",
  "Otley",
  "Keighley",
  "Selby",
  "Pontefract",
  "Barnsley",
];
const STREETS = [
  "Briggate",
  "Park Lane",
  "Station Road",
  "High Street",
  "Church Lane",
  "Mill Street",
  "Victoria Road",
  "Queen Street",
  "Albion Place",
  "Kirkgate",
  "Boar Lane",
  "Wellington Street",
  "Otley Road",
  "Harrogate Road",
  "York Road",
  "Chapel Lane",
  "Green Lane",
  "Manor Road",
  "King Street",
  "Bridge End",
];
const ROOMS = [
  "Bathroom",
  "Kitchen",
  "En-suite",
  "Wet room",
  "Cloakroom",
  "Utility room",
  "Loft",
  "Boiler",
  "Extension",
  "Conservatory",
  "Shower room",
  "Kitchen island",
  "Garage",
  "Porch",
  "Basement",
];
const WORKS = ["refit", "install", "survey", "repair", "upgrade", "replacement", "design", "renovation"];
/** Words of notes and document text, most frequent first (picked with a skew, like real text). */
const VOCABULARY = (
  "the client called about the quote and asked for a new date to measure the room before the " +
  "installation tiles grout plumber electrician delivery deposit invoice payment balance survey " +
  "design drawing sample worktop cabinet sink tap shower tray bath toilet basin vanity mirror radiator " +
  "towel rail extractor fan lighting spotlights flooring vinyl laminate oak walnut marble granite quartz " +
  "splashback cornice plinth handles hinges drawers soft close pull out larder fridge freezer oven hob " +
  "induction gas extractor hood dishwasher washing machine dryer boiler combi pressure valve pipe leak " +
  "damp mould ventilation insulation plaster skirting architrave door window sill blind curtain " +
  "wallpaper paint colour white grey sage navy charcoal cream matt gloss satin finish snagging " +
  "handover warranty guarantee aftercare complaint refund discount voucher finance approval credit " +
  "check signature contract terms schedule week monday tuesday wednesday thursday friday saturday " +
  "morning afternoon evening access key neighbour parking skip waste removal scaffold permit council " +
  "building control inspection certificate gas safe niceic part p compliance risk assessment method " +
  "statement photos attached emailed texted voicemail callback confirmed rescheduled cancelled " +
  "postponed delayed arrived late early onsite offsite supplier order reference backorder damaged " +
  "replacement returned collected courier pallet van ladder dust sheet protection clean tidy " +
  "happy pleased disappointed urgent asap priority follow up reminder chase outstanding overdue"
).split(" ");
const DOCUMENT_KINDS = [
  "Quote",
  "Invoice",
  "Survey report",
  "Design",
  "Floor plan",
  "Site photos",
  "Contract",
  "Warranty",
  "Delivery note",
  "Certificate",
  "Risk assessment",
  "Specification",
];
const MACHINE_TYPES = ["cnc", "press", "saw", "edgebander", "drill", "polisher"];
const STAGES = [
  "enquiry",
  "consultation",
  "survey_booked",
  "survey_completed",
  "design",
  "design_presented",
  "quote_sent",
  "quote_accepted",
  "deposit_paid",
  "materials_ordered",
  "installation_scheduled",
  "installation",
];
const STATUSES = ["active", "active", "active", "on_hold", "completed", "cancelled"];
const ACTIVITY_TYPES = ["note", "call", "email", "site_visit", "check_in"];

const LISTS = {
  first: FIRST,
  surname: SURNAMES,
  city: CITIES,
  street: STREETS,
  room: ROOMS,
  work: WORKS,
  vocabulary: VOCABULARY,
  documentKind: DOCUMENT_KINDS,
  documentTag: ["quote", "survey", "design", "invoice", "photos"],
  machineType: MACHINE_TYPES,
  stage: STAGES,
  status: STATUSES,
  activityType: ACTIVITY_TYPES,
} as const;
type ListName = keyof typeof LISTS;

/** Random fractions the generator reads by position (a power of two, so positions wrap cleanly). */
const RANDOM_SLOTS = 65_536;

/** mulberry32: a small seeded generator, so every run generates the same tenant. */
function seededFractions(seed: number, count: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.round((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 1e6) / 1e6;
  });
}

/**
 * The generator's helper tables in the tenant database, dropped after the generation: the word lists
 * (D1 caps a statement at 100 bound parameters, so they cannot be bound; inlined, they would be
 * parsed again for every word of every row), and seeded random fractions. SQLite's random() would
 * differ per run, and a hash of the row computed in SQL (multiplicative, without xor) makes the
 * words of one row depend on each other.
 */
async function loadGeneratorTables(db: D1Database): Promise<void> {
  const fractions = seededFractions(25, RANDOM_SLOTS);
  const chunk = 4096;
  await db.batch([
    db.prepare(
      "CREATE TABLE IF NOT EXISTS bench_words (list TEXT NOT NULL, k INTEGER NOT NULL, w TEXT NOT NULL, PRIMARY KEY (list, k)) WITHOUT ROWID",
    ),
    db.prepare("CREATE TABLE IF NOT EXISTS bench_random (k INTEGER PRIMARY KEY, r REAL NOT NULL)"),
    db.prepare("DELETE FROM bench_words"),
    db.prepare("DELETE FROM bench_random"),
    ...Object.entries(LISTS).map(([list, entries]) =>
      db
        .prepare("INSERT INTO bench_words (list, k, w) SELECT ?1, key, value FROM json_each(?2)")
        .bind(list, JSON.stringify(entries)),
    ),
    ...Array.from({ length: RANDOM_SLOTS / chunk }, (_, n) =>
      db
        .prepare("INSERT INTO bench_random (k, r) SELECT ?1 + key, value FROM json_each(?2)")
        .bind(n * chunk, JSON.stringify(fractions.slice(n * chunk, (n + 1) * chunk))),
    ),
  ]);
}

async function dropGeneratorTables(db: D1Database): Promise<void> {
  await db.batch([db.prepare("DROP TABLE bench_words"), db.prepare("DROP TABLE bench_random")]);
}

/**
 * The `salt`-th pseudo-random word of a list for row `i`: the random fraction at a position given by
 * the row and the salt (each salt reads other positions, so the words of one row are independent).
 * `skew` squares the fraction, favouring the list's first words as natural text favours common ones.
 */
function pick(list: ListName, salt: number, skew = false): string {
  const length = LISTS[list].length;
  const fraction = `(SELECT r FROM bench_random WHERE k = (i * 40503 + ${salt * 9973}) % ${RANDOM_SLOTS})`;
  const index = skew ? `${fraction} * ${fraction}` : fraction;
  return `(SELECT w FROM bench_words WHERE list = '${list}' AND k = cast(${index} * ${length} AS integer))`;
}

/** `count` words of the vocabulary for row `i`, joined by spaces. */
const words = (count: number, salt: number) =>
  Array.from({ length: count }, (_, k) => pick("vocabulary", salt + k, true)).join(" || ' ' || ");

// The bounds are cast: D1 binds a JavaScript number as a REAL, which would print as "2.0".
const counter =
  "WITH RECURSIVE seq(i) AS (SELECT cast(?1 AS integer) UNION ALL SELECT i + 1 FROM seq WHERE i < cast(?2 AS integer))";

/** How many rows of each table make `entities` index entries (a project gives two: itself and its client). */
export function entityMix(entities: number) {
  const showrooms = Math.max(2, Math.round(entities / 5000));
  const machines = Math.round(entities / 100);
  const projects = Math.round(entities * 0.125);
  const documents = Math.round(entities * 0.24);
  const activities = Math.max(0, entities - showrooms - machines - 2 * projects - documents);
  return { showrooms, projects, activities, documents, machines };
}
export type EntityMix = ReturnType<typeof entityMix>;

/** One INSERT … SELECT per table, over rows ?1..?2 of that table (row numbers from 1). */
function generators(mix: EntityMix): { table: keyof EntityMix; sql: string }[] {
  const showroom = `printf('bench-s%05d', (i % ${mix.showrooms}) + 1)`;
  const project = (salt: number) =>
    `printf('bench-p%07d', ((i * ${salt}) % ${Math.max(1, mix.projects)}) + 1)`;
  const client = `${pick("first", 1)} || ' ' || ${pick("surname", 2)}`;
  return [
    {
      table: "showrooms",
      sql: `${counter} INSERT INTO showrooms (id, name, type, address)
        SELECT printf('bench-s%05d', i), ${pick("city", 3)} || ' showroom ' || i,
          CASE WHEN i % 3 = 0 THEN 'trade' ELSE 'retail' END,
          json_object('line1', i || ' ' || ${pick("street", 4)}, 'city', ${pick("city", 3)}) FROM seq`,
    },
    {
      table: "projects",
      sql: `${counter} INSERT INTO projects (id, number, title, client, client_name, client_email, showroom_id, stage, status, value)
        SELECT printf('bench-p%07d', i), i, ${pick("room", 5)} || ' ' || ${pick("work", 6)} || ' – ' || ${pick("surname", 2)},
          json_object('name', ${client}, 'email', lower(${pick("first", 1)}) || i || '@example.com',
            'phone', '0113 ' || (4960000 + i % 10000),
            'address', json_object('line1', (i % 200 + 1) || ' ' || ${pick("street", 4)}, 'city', ${pick("city", 7)})),
          ${client}, lower(${pick("first", 1)}) || i || '@example.com', ${showroom},
          ${pick("stage", 8)}, ${pick("status", 9)}, 1000 + (i * 37) % 30000 FROM seq`,
    },
    {
      table: "activities",
      sql: `${counter} INSERT INTO activities (id, project_id, type, body, actor_type, occurred_at)
        SELECT printf('bench-a%07d', i), ${project(7919)}, ${pick("activityType", 10)},
          ${words(10, 20)} || ' order ' || (100000 + i), 'user', 1760000000000 + i * 60000 FROM seq`,
    },
    {
      table: "documents",
      sql: `${counter} INSERT INTO documents (id, name, type, content_type, size, status, r2_key, tags, project_id, uploaded_by_type)
        SELECT printf('bench-d%07d', i), ${pick("documentKind", 11)} || ' ' || ${pick("surname", 12)} || ' ' || i || '.pdf',
          'pdf', 'application/pdf', 20000 + i, 'ready', 'bench/' || i,
          json_array(${pick("documentTag", 13)}), ${project(104729)}, 'user' FROM seq`,
    },
    {
      table: "machines",
      sql: `${counter} INSERT INTO machines (id, name, type, status, metadata)
        SELECT printf('bench-m%06d', i), upper(substr(${pick("machineType", 14)}, 1, 1)) || substr(${pick("machineType", 14)}, 2) || ' ' || i,
          ${pick("machineType", 14)}, CASE WHEN i % 7 = 0 THEN 'maintenance' ELSE 'running' END,
          json_object('location', ${pick("city", 15)}, 'serial', 'SN' || (500000 + i)) FROM seq`,
    },
  ];
}

/** The extracted text of every other document (what the upload path stores for text and PDF files). */
const documentTexts = `${counter} INSERT INTO document_texts (document_id, text)
  SELECT printf('bench-d%07d', i), ${words(24, 40)} FROM seq WHERE i % 2 = 0`;

export interface GenerationResult {
  mix: EntityMix;
  /** search_entities rows the generation added (0 where the triggers are dropped). */
  indexed: number;
  seconds: number;
  /** Table rows written per second (document texts count with their document). */
  rowsPerSecond: number;
}

/** The index's entries (the seeded company has a few of its own: its members). */
async function indexEntries(db: D1Database): Promise<number> {
  const row = await db.prepare("SELECT count(*) AS n FROM search_entities").first<{ n: number }>();
  return row?.n ?? 0;
}

/** Fills a tenant database with `entities` entities' rows, `SEARCH_BENCH.chunkRows` per statement. */
export async function generateTenant(
  db: D1Database,
  entities: number,
  log: (line: string) => void,
): Promise<GenerationResult> {
  const mix = entityMix(entities);
  const before = await indexEntries(db);
  await loadGeneratorTables(db);
  const began = performance.now();
  let rows = 0;
  let lastLog = began;
  for (const { table, sql } of generators(mix)) {
    const statement = db.prepare(sql);
    const texts = table === "documents" ? db.prepare(documentTexts) : null;
    for (let from = 1; from <= mix[table]; from += SEARCH_BENCH.chunkRows) {
      const to = Math.min(mix[table], from + SEARCH_BENCH.chunkRows - 1);
      await statement.bind(from, to).run();
      if (texts) await texts.bind(from, to).run();
      rows += to - from + 1;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`  ${rows.toLocaleString("en-US")} rows (${table}), ${((lastLog - began) / 1000).toFixed(0)} s`);
      }
    }
  }
  // The API numbers projects from this counter: the next one created follows the generated ones.
  await db
    .prepare("UPDATE project_counter SET next = ?1")
    .bind(mix.projects + 1)
    .run();
  await dropGeneratorTables(db);
  const seconds = (performance.now() - began) / 1000;
  return { mix, indexed: (await indexEntries(db)) - before, seconds, rowsPerSecond: rows / seconds };
}

/** The search triggers (on the records and on search_entities), dropped in the comparison database. */
export async function dropSearchTriggers(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search\\_%' ESCAPE '\\'")
    .all<{ name: string }>();
  const names = results.map((row) => row.name);
  if (names.length > 0) await db.batch(names.map((name) => db.prepare(`DROP TRIGGER "${name}"`)));
  return names;
}

export interface WriteRates {
  /** Bulk generation, rows per second. */
  bulk: number;
  /** Single-row INSERT of an activity (a note), statements per second. */
  insert: number;
  /** Single-row UPDATE of a project's title (the index entry is replaced), statements per second. */
  update: number;
}

/** Single-row writes, `SEARCH_BENCH.writesPerBatch` per D1 batch, as the API's writes are one row each. */
async function singleRowRates(db: D1Database, projects: number): Promise<Omit<WriteRates, "bulk">> {
  const n = SEARCH_BENCH.singleWrites;
  const timed = async (statement: (k: number) => ReturnType<D1Database["prepare"]>) => {
    const began = performance.now();
    for (let k = 0; k < n; k += SEARCH_BENCH.writesPerBatch) {
      const size = Math.min(SEARCH_BENCH.writesPerBatch, n - k);
      await db.batch(Array.from({ length: size }, (_, j) => statement(k + j)));
    }
    return n / ((performance.now() - began) / 1000);
  };
  const insert = await timed((k) =>
    db
      .prepare(
        "INSERT INTO activities (id, project_id, type, body, actor_type, occurred_at) VALUES (?1, ?2, 'note', ?3, 'user', ?4)",
      )
      .bind(
        `bench-w${String(k).padStart(7, "0")}`,
        `bench-p${String((k % projects) + 1).padStart(7, "0")}`,
        `Client called back about the worktop delivery, order ${900000 + k}; plumber booked for Thursday morning`,
        Date.now(),
      ),
  );
  const update = await timed((k) =>
    db
      .prepare("UPDATE projects SET title = ?2, updated_at = ?3 WHERE id = ?1")
      .bind(
        `bench-p${String(((k * 7) % projects) + 1).padStart(7, "0")}`,
        `Kitchen refit ${k} – revised`,
        Date.now(),
      ),
  );
  return { insert, update };
}

export interface SearchTenant {
  probes: ProbeSummary;
  /** The indexed tenant (the bench company's database). */
  indexed: GenerationResult;
  /** The same rows in a database without the search triggers. */
  plain: GenerationResult;
  droppedTriggers: number;
  rates: { withIndex: WriteRates; withoutIndex: WriteRates };
}

/** The tenant database (binding name) a company's data lives in. */
export async function tenantBinding(mf: Miniflare, companyId: string): Promise<D1Database> {
  const central = await mf.getD1Database("CENTRAL_DB");
  const row = await central
    .prepare("SELECT binding_name FROM company_databases WHERE company_id = ?")
    .bind(companyId)
    .first<{ binding_name: string }>();
  if (!row) throw new Error(`company ${companyId} has no tenant database yet`);
  return mf.getD1Database(row.binding_name);
}

/** A second company, whose tenant database gets the same rows without the search triggers. */
export async function registerComparisonCompany(baseUrl: URL, adminSecret: string): Promise<string> {
  const response = await fetch(new URL(routes.register.path, baseUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${adminSecret}`, "content-type": "application/json" },
    body: JSON.stringify({
      company_name: "Bench Search Comparison",
      admin_email: "bench-search@example.com",
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`search: registering the comparison company -> ${response.status}: ${text}`);
  return (JSON.parse(text) as { company_id: string }).company_id;
}

export interface ProbeSummary {
  requests: number;
  roundTripMsP50: number;
  roundTripMsP99: number;
  tookMsP50: number;
  tookMsP99: number;
  queries: QueryProbe[];
}

export interface QueryProbe {
  query: string;
  total: number;
  /** The route's own `took_ms` (index work, visibility), median of the probe's requests. */
  tookMsP50: number;
  /** Round trip seen by the bench, median. */
  roundTripMsP50: number;
}

/** Nearest rank, as the search report computes it. */
const percentile = (values: readonly number[], fraction: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(fraction * values.length) - 1)] ?? 0;
const median = (values: readonly number[]) => percentile(values, 0.5);

/**
 * Each bench query on its own, one request at a time, before the load: fails the run unless each
 * answers 200, and shows which kinds of query cost what (the load mixes them).
 */
export async function probeQueries(baseUrl: URL, context: SeedContext, repeats = 15): Promise<ProbeSummary> {
  const request = searchBenchRoute.request(context);
  const probes: QueryProbe[] = [];
  const allTook: number[] = [];
  const allRoundTrips: number[] = [];
  for (const body of SEARCH_QUERIES) {
    const took: number[] = [];
    const roundTrips: number[] = [];
    let total = 0;
    for (let k = 0; k < repeats; k++) {
      const began = performance.now();
      const response = await fetch(new URL(request.path, baseUrl), {
        method: "POST",
        headers: { ...request.headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      roundTrips.push(performance.now() - began);
      if (response.status !== 200) {
        throw new Error(`search: ${JSON.stringify(body)} -> ${response.status}: ${text.slice(0, 300)}`);
      }
      const answer = JSON.parse(text) as { total: number; took_ms: number };
      total = answer.total;
      took.push(answer.took_ms);
    }
    probes.push({
      query: JSON.stringify(body),
      total,
      tookMsP50: median(took),
      roundTripMsP50: median(roundTrips),
    });
    allTook.push(...took);
    allRoundTrips.push(...roundTrips);
  }
  return {
    requests: allRoundTrips.length,
    roundTripMsP50: median(allRoundTrips),
    roundTripMsP99: percentile(allRoundTrips, 0.99),
    tookMsP50: median(allTook),
    tookMsP99: percentile(allTook, 0.99),
    queries: probes,
  };
}

/**
 * Generates the bench company's tenant (index on) and the comparison company's (search triggers
 * dropped first), timing both, then times single-row writes into each. The indexed database is
 * what the search route is then measured on.
 */
export async function prepareSearchTenant(
  mf: Miniflare,
  baseUrl: URL,
  context: SeedContext,
  plainCompanyId: string,
  entities: number,
  log: (line: string) => void,
): Promise<SearchTenant> {
  const indexedDb = await tenantBinding(mf, context.companyId);
  const plainDb = await tenantBinding(mf, plainCompanyId);
  const dropped = await dropSearchTriggers(plainDb);
  log(`search: ${dropped.length} search triggers dropped in the comparison tenant`);
  log(`search: generating ${entities.toLocaleString("en-US")} entities without the index…`);
  const plain = await generateTenant(plainDb, entities, log);
  log(`search: generating ${entities.toLocaleString("en-US")} entities with the index…`);
  const indexed = await generateTenant(indexedDb, entities, log);
  if (indexed.indexed !== entities) {
    throw new Error(`the index gained ${indexed.indexed} entries, not the ${entities} entities generated`);
  }
  log("search: single-row writes with and without the index…");
  const projects = indexed.mix.projects;
  const withIndexSingle = await singleRowRates(indexedDb, projects);
  const withoutIndexSingle = await singleRowRates(plainDb, projects);
  log(`search: each of the ${SEARCH_QUERIES.length} queries alone…`);
  const probes = await probeQueries(baseUrl, context);
  return {
    probes,
    indexed,
    plain,
    droppedTriggers: dropped.length,
    rates: {
      withIndex: { bulk: indexed.rowsPerSecond, ...withIndexSingle },
      withoutIndex: { bulk: plain.rowsPerSecond, ...withoutIndexSingle },
    },
  };
}

/**
 * Queries as people type them, handed out in turn: common and rare words, a prefix being typed, a
 * client's name, a reference number, typos (fuzzed) and short terms (not fuzzed), a document kind,
 * a query that finds nothing, and one asking for facets and a type filter.
 */
export const SEARCH_QUERIES: Record<string, unknown>[] = [
  { q: "kitchen" },
  { q: "kitch" },
  { q: "worktop delivery" },
  { q: "patel bathroom" },
  { q: "order 100423" },
  { q: "invocie" },
  { q: "plumbr thursday" },
  { q: "oak" },
  { q: "survey report müller" },
  { q: "conservatory harrogate" },
  { q: "zzyzx quux" },
  { q: "leeds", types: ["project", "client"], facets: ["stage", "status"] },
  { q: "boiler", filters: { stage: ["installation", "design"] }, facets: ["stage"] },
  { q: "cnc" },
];

export const searchBenchRoute: BenchRoute = {
  name: "search",
  description: `POST ${routes.searchCompany.path} (operator, a tenant of generated entities; ${SEARCH_QUERIES.length} queries in turn)`,
  method: "POST",
  request: (context) => ({
    path: routes.searchCompany.path.replace("{companyId}", context.companyId),
    headers: { authorization: `Bearer ${context.adminSecret}` },
    body: SEARCH_QUERIES[0],
    variants: SEARCH_QUERIES.map((body) => ({ body })),
  }),
};

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : "n/a");
const perSecond = (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`;

export function formatSearchTenant(tenant: SearchTenant, rows: readonly ReportRow[]): string {
  const row = rows.find((candidate) => candidate.route === searchBenchRoute.name);
  const ms = (value: number | null | undefined) => (value == null ? "n/a" : `${value.toFixed(2)} ms`);
  const times = (value: number | null | undefined) => (value == null ? "n/a" : `${value.toFixed(2)}x`);
  const latency = row
    ? `search query latency over ${tenant.indexed.indexed.toLocaleString("en-US")} entries (the load's mix): ` +
      `p50 ${ms(row.p50Ms)} (${times(row.p50Ratio)} the no-op's), p99 ${ms(row.p99Ms)} (${times(row.p99Ratio)} the no-op's)`
    : "search route not measured";
  const { probes: summary } = tenant;
  const alone =
    `one request at a time (${summary.requests} requests, each query ${summary.requests / summary.queries.length} times): ` +
    `round trip p50 ${ms(summary.roundTripMsP50)}, p99 ${ms(summary.roundTripMsP99)}; ` +
    `the route's took_ms p50 ${ms(summary.tookMsP50)}, p99 ${ms(summary.tookMsP99)}`;
  const probes = summary.queries.map(
    (probe) =>
      `  ${probe.query.padEnd(76)} ${String(probe.total).padStart(6)} hits  took ${ms(probe.tookMsP50).padStart(9)}  round trip ${ms(probe.roundTripMsP50).padStart(9)}`,
  );
  const { withIndex, withoutIndex } = tenant.rates;
  const mix = Object.entries(tenant.indexed.mix)
    .map(([table, rows]) => `${rows.toLocaleString("en-US")} ${table}`)
    .join(", ");
  const line = (what: string, key: keyof WriteRates) =>
    `  ${what}: ${perSecond(withIndex[key])} with the index vs ${perSecond(withoutIndex[key])} without: ` +
    `${ratio(withIndex[key], withoutIndex[key])} (each write costs ${ratio(withoutIndex[key], withIndex[key])} the time)`;
  return [
    latency,
    alone,
    "each query alone (medians; took = the route's own took_ms):",
    ...probes,
    `search tenant: ${tenant.indexed.indexed.toLocaleString("en-US")} index entries from ${mix} ` +
      `(a project gives two: itself and its client; every other document has extracted text)`,
    `write amplification of indexing (same run; comparison tenant with its ${tenant.droppedTriggers} search triggers dropped):`,
    line(`bulk generation (INSERT … SELECT, ${SEARCH_BENCH.chunkRows} rows a statement), rows`, "bulk"),
    line(`single-row activity INSERT (${SEARCH_BENCH.writesPerBatch} a batch), writes`, "insert"),
    line(`single-row project title UPDATE (${SEARCH_BENCH.writesPerBatch} a batch), writes`, "update"),
    `  generation took ${tenant.indexed.seconds.toFixed(1)} s with the index, ${tenant.plain.seconds.toFixed(1)} s without`,
  ].join("\n");
}
