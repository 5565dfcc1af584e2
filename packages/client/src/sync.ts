// Offline sync for the field app (issue 11): a reference client of POST /api/sync/push and /pull.
// An edit becomes a named mutation in a local outbox and shows at once in the local view; push sends
// the outbox in order, pull brings the server's changes, and after every pull the mutations the
// server has not confirmed are applied again on top of the pulled rows (a rebase), so a pull never
// hides an edit that is not synced yet. The server's order decides every conflict; the device clock
// only fills the informational `client_time`. Photo bytes go through the resumable document upload
// in their own queue, so a photo that cannot upload never holds up data sync.
import {
  type ActivitySchema,
  type Document,
  type DocumentType,
  documentTypes,
  type Project,
  routes,
  SYNC_LIMITS,
  SYNC_SCHEMA_VERSION,
  type SyncChange,
  type SyncMutation,
  type SyncMutationName,
  syncMutations,
} from "@nexus/contracts";
import { type CallOptions, callJson, connectionOf, type NexusClientOptions, type Route } from "./client.ts";
import {
  type DocumentUploadProgress,
  type DocumentUploadStore,
  memoryDocumentUploadStore,
  sha256Hex,
  uploadDocument,
} from "./documents.ts";
import { NexusApiError, NexusError } from "./errors.ts";
import type { FetchLike } from "./http.ts";
import type { ResponseSchema } from "./response.ts";

/** A zod schema's input or output type, read through Standard Schema so zod stays out of this package. */
type SchemaTypes<S> = S extends { "~standard": { types?: infer T } } ? NonNullable<T> : never;
type Input<S> = SchemaTypes<S> extends { input: infer I } ? I : never;
type Output<S> = SchemaTypes<S> extends { output: infer O } ? O : never;

export type Activity = Output<typeof ActivitySchema>;

/** What each synced entity's rows hold: the API's own views of projects, activities and documents. */
export interface SyncEntities {
  job: Project;
  activity: Activity;
  document: Document;
}
export type SyncEntity = keyof SyncEntities;
export type SyncRecord = { [E in SyncEntity]: { entity: E; id: string; data: SyncEntities[E] } }[SyncEntity];

/** `server`: rows as last pulled. `view`: what the app shows, the server rows with pending mutations applied. */
export type SyncTable = "server" | "view";

export interface SyncState {
  /** Where the next pull starts; null before the first sync (a reset starts over by itself). */
  cursor: string | null;
  /** The id the next mutation gets: per device, from 1, increasing by 1. */
  nextMutationId: number;
  /** A push was answered up to here: the outbox entries after it are still to send. */
  lastAcknowledgedId: number;
}

/** A photo whose bytes are still to upload; its metadata went (or goes) through `photo.register`. */
export interface PendingPhoto {
  /** The document id, generated on the device. */
  id: string;
  /** The `photo.register` mutation: the bytes go once a push has delivered it. */
  mutationId: number;
  jobId: string;
  name: string;
  size: number;
  sha256: string;
  tags: string[];
  /** A durable store keeps the bytes (e.g. in a file, handing back a file-backed Blob). */
  content: Uint8Array | Blob;
  /** Registered a second time after the first registration went missing (see uploadPhotos). */
  reregistered: boolean;
}

/** One atomic change of the store, applied in the order of its fields; no row is both put and deleted. */
export interface SyncWrite {
  /** Emptied first (a reset). */
  clear?: SyncTable[];
  put?: { table: SyncTable; record: SyncRecord }[];
  delete?: { table: SyncTable; entity: SyncEntity; id: string }[];
  state?: Partial<SyncState>;
  /** Added to the end of the outbox, ids increasing. */
  enqueue?: SyncMutation[];
  /** Outbox entries to remove, by mutation id. */
  dequeue?: number[];
  /** Queued, or replacing the queued photo with the same id. */
  addPhotos?: PendingPhoto[];
  removePhotos?: string[];
}

/**
 * Where a device keeps its sync data (SQLite on the phone). Reads may be made at any time; every
 * change arrives as one `commit`, which must apply all of it or none (one transaction), and resolve
 * only once it is durable: the rows, the cursor and the outbox must never disagree after a crash.
 */
export interface SyncStore {
  state(): Promise<SyncState>;
  get<E extends SyncEntity>(
    table: SyncTable,
    entity: E,
    id: string,
  ): Promise<Extract<SyncRecord, { entity: E }> | undefined>;
  /** Every row of the table, or of one entity. */
  list(table: SyncTable, entity?: SyncEntity): Promise<SyncRecord[]>;
  /** Mutations not yet confirmed by a pull, oldest first. */
  outbox(): Promise<SyncMutation[]>;
  photos(): Promise<PendingPhoto[]>;
  commit(write: SyncWrite): Promise<void>;
}

const keyOf = (entity: SyncEntity, id: string) => `${entity}:${id}`;

/** Kept in memory only: survives offline spells, not restarts. */
export function memorySyncStore(): SyncStore {
  const tables: Record<SyncTable, Map<string, SyncRecord>> = { server: new Map(), view: new Map() };
  let state: SyncState = { cursor: null, nextMutationId: 1, lastAcknowledgedId: 0 };
  let outbox: SyncMutation[] = [];
  const photos = new Map<string, PendingPhoto>();
  // Copies both ways, like a real store, so no caller can change what is stored without a commit.
  // JSON rather than structuredClone, which React Native's Hermes lacks; rows are JSON anyway.
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  const copyPhoto = (photo: PendingPhoto): PendingPhoto => ({ ...photo, tags: [...photo.tags] });
  return {
    state: async () => ({ ...state }),
    get: async (table, entity, id) => {
      const record = tables[table].get(keyOf(entity, id));
      return record && (copy(record) as Extract<SyncRecord, { entity: typeof entity }>);
    },
    list: async (table, entity) =>
      [...tables[table].values()].filter((r) => entity === undefined || r.entity === entity).map(copy),
    outbox: async () => outbox.map(copy),
    photos: async () => [...photos.values()].map(copyPhoto),
    commit: async (write) => {
      for (const table of write.clear ?? []) tables[table].clear();
      for (const { table, entity, id } of write.delete ?? []) tables[table].delete(keyOf(entity, id));
      for (const { table, record } of write.put ?? []) {
        tables[table].set(keyOf(record.entity, record.id), copy(record));
      }
      state = { ...state, ...write.state };
      outbox.push(...(write.enqueue ?? []).map(copy));
      const dequeued = new Set(write.dequeue ?? []);
      if (dequeued.size > 0) outbox = outbox.filter((mutation) => !dequeued.has(mutation.id));
      for (const photo of write.addPhotos ?? []) photos.set(photo.id, copyPhoto(photo));
      for (const id of write.removePhotos ?? []) photos.delete(id);
    },
  };
}

// ---- mutations and their optimistic effect ---------------------------------------------------

export type SyncMutationArgs<N extends SyncMutationName> = Input<(typeof syncMutations)[N]>;
type CreateName = "checkin.create" | "note.create" | "photo.register";
/** What `mutate` takes: a create may leave out its `id`, and gets a new uuid. */
export type SyncMutationInput<N extends SyncMutationName> = N extends CreateName
  ? Omit<SyncMutationArgs<N>, "id"> & { id?: string }
  : SyncMutationArgs<N>;

/** The arguments as the server will read them, or undefined when it will refuse them (INVALID_ARGS). */
function parsedArgs<N extends SyncMutationName>(name: N, args: unknown) {
  const schema = syncMutations[name] as unknown as ResponseSchema<Output<(typeof syncMutations)[N]>>;
  const parsed = schema.safeParse(args);
  return parsed.success ? parsed.data : undefined;
}

/** The one row a mutation changes: every mutation touches exactly one, named by its arguments. */
function targetOf(mutation: SyncMutation): { entity: SyncEntity; id: string } | undefined {
  const args = mutation.args;
  if (mutation.name.startsWith("job.")) {
    return typeof args.job_id === "string" ? { entity: "job", id: args.job_id } : undefined;
  }
  if (typeof args.id !== "string") return undefined;
  return { entity: mutation.name === "photo.register" ? "document" : "activity", id: args.id };
}

type Read = <E extends SyncEntity>(
  entity: E,
  id: string,
) => Promise<Extract<SyncRecord, { entity: E }> | undefined>;

const typeOfName = (name: string): DocumentType | undefined => {
  const extension = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  return (Object.keys(documentTypes) as DocumentType[]).find((type) =>
    (documentTypes[type].extensions as readonly string[]).includes(extension),
  );
};

/**
 * What the mutation would make of its row, as far as the device can tell; undefined when it changes
 * nothing here (e.g. its job is not on this device). The server decides: a pull brings the real row,
 * and a rejection takes the guess away again.
 */
async function optimistic(mutation: SyncMutation, read: Read): Promise<SyncRecord | undefined> {
  // Only a placeholder until the server's row arrives; never used to order anything.
  const at = mutation.client_time ?? new Date(0).toISOString();
  const user = { type: "user", id: null };
  switch (mutation.name) {
    case "job.setStage":
    case "job.setStatus":
    case "job.updateFields": {
      const target = targetOf(mutation);
      const job = target && (await read("job", target.id));
      if (!job) return undefined;
      const data = { ...job.data };
      if (mutation.name === "job.setStage") {
        const args = parsedArgs("job.setStage", mutation.args);
        if (!args) return undefined;
        data.stage = args.stage;
      } else if (mutation.name === "job.setStatus") {
        const args = parsedArgs("job.setStatus", mutation.args);
        if (!args) return undefined;
        data.status = args.status;
      } else {
        const args = parsedArgs("job.updateFields", mutation.args);
        if (!args) return undefined;
        const { title, expected_completion, checklist } = args.fields;
        if (title !== undefined) data.title = title;
        if (expected_completion !== undefined) data.expected_completion = expected_completion;
        // The server merges the checklist key by key (json_patch), so the device does too.
        if (checklist) data.checklist = { ...data.checklist, ...checklist };
      }
      return { entity: "job", id: job.id, data };
    }
    case "checkin.create":
    case "note.create": {
      const args =
        mutation.name === "checkin.create"
          ? parsedArgs("checkin.create", mutation.args)
          : parsedArgs("note.create", mutation.args);
      if (!args || !(await read("job", args.job_id))) return undefined;
      // Append-only: a row the server already sent stays as the server has it.
      const existing = await read("activity", args.id);
      if (existing) return existing;
      const checkIn = "gps" in args;
      const data: Activity = {
        id: args.id,
        project_id: args.job_id,
        type: checkIn ? "check_in" : "note",
        body: checkIn ? (args.note ?? null) : args.body,
        data: checkIn ? { gps: args.gps } : {},
        actor: user,
        occurred_at: args.occurred_at ?? at,
        created_at: at,
      };
      return { entity: "activity", id: args.id, data };
    }
    case "photo.register": {
      const args = parsedArgs("photo.register", mutation.args);
      const type = args && typeOfName(args.name);
      if (!args || !type || !(await read("job", args.job_id))) return undefined;
      const existing = await read("document", args.id);
      if (existing) return existing;
      const data: Document = {
        id: args.id,
        name: args.name,
        type,
        content_type: documentTypes[type].mime,
        size: args.size,
        sha256: args.sha256,
        status: "uploading",
        tags: args.tags,
        machine_id: null,
        project_id: args.job_id,
        uploaded_by: user,
        created_at: at,
        updated_at: at,
        deleted_at: null,
        purge_after: null,
      };
      return { entity: "document", id: args.id, data };
    }
  }
}

/** Server rows a pull brings, by key: `record` null for a delete. */
type ServerChanges = Map<string, { entity: SyncEntity; id: string; record: SyncRecord | null }>;

/**
 * The view rows to write after the server rows or the pending mutations changed: for every row a
 * change or a pending mutation (before or after) touches, the server row with `pending` applied in
 * order. `changes` override the stored server rows; after a `reset` there are no others.
 */
async function rebase(
  store: SyncStore,
  base: { changes: ServerChanges; reset: boolean },
  before: SyncMutation[],
  pending: SyncMutation[],
): Promise<Required<Pick<SyncWrite, "put" | "delete">>> {
  const serverRow = async (entity: SyncEntity, id: string): Promise<SyncRecord | undefined> => {
    const change = base.changes.get(keyOf(entity, id));
    if (change) return change.record ?? undefined;
    return base.reset ? undefined : store.get("server", entity, id);
  };
  const rebased = new Map<string, SyncRecord>();
  const read = ((entity, id) => rebased.get(keyOf(entity, id)) ?? serverRow(entity, id)) as Read;
  for (const mutation of pending) {
    const record = await optimistic(mutation, read);
    if (record) rebased.set(keyOf(record.entity, record.id), record);
  }
  // Rows of mutations no longer pending (confirmed or rejected) go back to the server's version.
  const touched = new Map<string, { entity: SyncEntity; id: string }>(base.changes);
  for (const mutation of before) {
    const target = targetOf(mutation);
    if (target) touched.set(keyOf(target.entity, target.id), target);
  }
  const write: Required<Pick<SyncWrite, "put" | "delete">> = { put: [], delete: [] };
  for (const [key, { entity, id }] of touched) {
    const record = rebased.get(key) ?? (await serverRow(entity, id));
    if (record) write.put.push({ table: "view", record });
    else write.delete.push({ table: "view", entity, id });
  }
  return write;
}

// ---- the client --------------------------------------------------------------------------------

/** A signed-in member's session cookie (`name=value; …`), or a bearer credential (the operator's). */
export type SyncCredential = { cookie: string } | { bearer: string };

export type SyncErrorReason =
  /** 426: the app's sync schema is older than the server's minimum; nothing syncs until it updates. */
  | "upgradeRequired"
  /** The server knows more mutations of this device id than the store ever made: a new store reuses it. */
  | "deviceReused"
  /** The server asked to resend mutations the store no longer holds (it lost some it had confirmed). */
  | "mutationsLost";

/** Sync cannot go on without the app doing something (updating, or starting over with a new device id). */
export class NexusSyncError extends NexusError {
  override name = "NexusSyncError";
  readonly reason: SyncErrorReason;
  /** With upgradeRequired: the oldest schema the server speaks. */
  readonly minSchemaVersion: number | undefined;

  constructor(
    reason: SyncErrorReason,
    message: string,
    init: { cause?: unknown; minSchemaVersion?: number } = {},
  ) {
    super(message, { cause: init.cause });
    this.reason = reason;
    this.minSchemaVersion = init.minSchemaVersion;
  }
}

/** A mutation the server refused by a business rule; its effect is gone from the view. */
export interface SyncRejection {
  mutation: SyncMutation;
  /** NOT_ASSIGNED, ILLEGAL_STAGE_CHANGE, STAGE_REQUIREMENTS_UNMET, FORBIDDEN, INVALID_ARGS, … */
  code: string;
  message: string;
}

export interface SyncClientOptions extends Omit<NexusClientOptions, "credential"> {
  companyId: string;
  /** Generated once per install and store (8–64 of A–Z a–z 0–9 _ -); the server binds it to its first user. */
  deviceId: string;
  /** Asked before every request when a function, so a renewed session applies at once. */
  credential: SyncCredential | (() => SyncCredential | Promise<SyncCredential>);
  /** Default `memorySyncStore()`; pass a durable one so the outbox survives restarts. */
  store?: SyncStore;
  /** Changes per pull request. Default SYNC_LIMITS.defaultPullLimit (500), at most 1000. */
  pullLimit?: number;
  /** The sync schema this app speaks. Default SYNC_SCHEMA_VERSION. */
  schemaVersion?: number;
  /** Called with each push's refusals, after their effect left the view. */
  onRejected?: (rejections: SyncRejection[]) => void;
  onPhotoProgress?: (photoId: string, progress: DocumentUploadProgress) => void;
  /** Where unfinished photo uploads are remembered. Default: in memory. */
  uploadStore?: DocumentUploadStore;
  /** Per attempt of a request that sends photo bytes. Default 300 000. */
  transferTimeoutMs?: number;
  /** The device clock, read only for the informational `client_time`. Default Date.now. */
  clock?: () => number;
  /** Ids of check-ins, notes and photos. Default crypto.randomUUID. */
  newId?: () => string;
}

export interface PushResult {
  /** Requests made (gap recoveries included). */
  requests: number;
  /** Mutations the server answered for. */
  acknowledged: number;
  rejected: SyncRejection[];
}

export interface PullResult {
  pages: number;
  changes: number;
  /** The server answered with a reset: the local rows were replaced. */
  reset: boolean;
  /** Up to date (has_more was false); false when `maxPages` ended the pull first. */
  complete: boolean;
}

export interface PullOptions extends CallOptions {
  limit?: number;
  /** Stops after this many pages even if more wait; the next pull goes on from there. */
  maxPages?: number;
}

export interface PhotoUploadResult {
  uploaded: Document[];
  /** Given up for good (the API refused these bytes, or the registration stays missing); dequeued. */
  refused: { photo: PendingPhoto; error: unknown }[];
  /** The first photo that failed in a way a later call may fix (offline…); it and the rest wait. */
  error?: unknown;
  /** Photos still queued: failed, not reached, or registered by no push yet. */
  waiting: number;
}

export interface SyncClient {
  /**
   * Adds a mutation to the outbox with the next id and applies it to the view at once. Creates
   * without an `id` get a new uuid. Works offline; nothing is sent until push.
   */
  mutate<N extends SyncMutationName>(name: N, args: SyncMutationInput<N>): Promise<SyncMutation>;
  /** Sends the outbox in order, up to 100 mutations a request, until it is empty or a request fails. */
  push(options?: CallOptions): Promise<PushResult>;
  /** Pulls pages until the server has no more (or `maxPages`). */
  pull(options?: PullOptions): Promise<PullResult>;
  /** push, then pull. */
  sync(options?: CallOptions): Promise<{ push: PushResult; pull: PullResult }>;
  /** Registers a photo of a job through a `photo.register` mutation and queues its bytes. */
  uploadPhoto(input: {
    jobId: string;
    name: string;
    content: Uint8Array | Blob;
    tags?: string[];
  }): Promise<{ id: string; mutation: SyncMutation }>;
  /**
   * Uploads queued photos whose registration a push delivered, resuming unfinished ones. Runs apart
   * from push, pull and sync, which never wait for it.
   */
  uploadPhotos(options?: CallOptions): Promise<PhotoUploadResult>;
  /** What the app shows: the server rows with the pending mutations applied. */
  view: {
    get<E extends SyncEntity>(entity: E, id: string): Promise<SyncEntities[E] | undefined>;
    list(entity?: SyncEntity): Promise<SyncRecord[]>;
  };
  /** Mutations no push has delivered yet. */
  pending(): Promise<SyncMutation[]>;
  /** Every rejection since the client was created, oldest first. */
  rejections(): SyncRejection[];
}

/** Runs the tasks given to it one at a time, in call order; a failed task does not stop the next. */
function serialized() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

const isApiError = (error: unknown, code: string): error is NexusApiError =>
  error instanceof NexusApiError && error.code === code;

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const connection = connectionOf(options);
  const { baseUrl, policy } = connection;
  const fetch = withCredential(connection.fetch, options.credential);
  const store = options.store ?? memorySyncStore();
  const uploadStore = options.uploadStore ?? memoryDocumentUploadStore();
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const pullLimit = Math.min(options.pullLimit ?? SYNC_LIMITS.defaultPullLimit, SYNC_LIMITS.maxPullLimit);
  const device = {
    company_id: options.companyId,
    device_id: options.deviceId,
    schema_version: options.schemaVersion ?? SYNC_SCHEMA_VERSION,
  };
  const rejections: SyncRejection[] = [];
  // Every change of the store happens in `locked`, so a mutation made while a pull is under way is
  // never overwritten by that pull's rebase. Push and pull take turns in `network` (one cursor, one
  // outbox); photos have their own queue, which nothing else waits for.
  const locked = serialized();
  const network = serialized();
  const photoQueue = serialized();

  async function call<T>(route: Route<T>, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    try {
      // Pushes and pulls are idempotent, so `send` may retry them (network errors, 5xx, 429).
      return await callJson(
        { baseUrl, fetch, policy, userAgent: options.userAgent },
        route,
        body,
        {},
        signal,
      );
    } catch (error) {
      if (!isApiError(error, "UPGRADE_REQUIRED")) throw error;
      const min = error.details?.min_schema_version;
      throw new NexusSyncError("upgradeRequired", error.message, {
        cause: error,
        ...(typeof min === "number" ? { minSchemaVersion: min } : {}),
      });
    }
  }

  /** The server has applied ids this store never issued: the device id belongs to an earlier store. */
  function checkIssued(serverLast: number, state: SyncState) {
    if (serverLast >= state.nextMutationId) {
      throw new NexusSyncError(
        "deviceReused",
        `The server has applied mutations up to ${serverLast} for device ${options.deviceId}, but this store has only issued up to ${state.nextMutationId - 1}. Use a new device id with a new store.`,
      );
    }
  }

  async function enqueue(
    name: SyncMutationName,
    args: Record<string, unknown>,
    extra: (mutation: SyncMutation) => SyncWrite = () => ({}),
  ): Promise<SyncMutation> {
    return locked(async () => {
      const state = await store.state();
      const mutation: SyncMutation = {
        id: state.nextMutationId,
        name,
        args,
        client_time: new Date(clock()).toISOString(),
      };
      // The view already holds every pending mutation, so applying this one to it is the rebase.
      const record = await optimistic(mutation, (entity, id) => store.get("view", entity, id));
      await store.commit({
        ...extra(mutation),
        enqueue: [mutation],
        state: { nextMutationId: mutation.id + 1 },
        ...(record ? { put: [{ table: "view", record }] } : {}),
      });
      return mutation;
    });
  }

  async function pushNow(signal: AbortSignal | undefined): Promise<PushResult> {
    const result: PushResult = { requests: 0, acknowledged: 0, rejected: [] };
    let gaps = 0;
    for (;;) {
      const state = await store.state();
      const batch = (await store.outbox())
        .filter((mutation) => mutation.id > state.lastAcknowledgedId)
        .slice(0, SYNC_LIMITS.maxMutationsPerPush);
      const first = batch[0];
      const last = batch.at(-1);
      if (!first || !last) return result;
      if (first.id !== state.lastAcknowledgedId + 1) {
        throw new NexusSyncError(
          "mutationsLost",
          `The server needs mutations from ${state.lastAcknowledgedId + 1}, but this store's outbox starts at ${first.id}.`,
        );
      }
      result.requests += 1;
      let answer: {
        last_mutation_id: number;
        rejected: { mutation_id: number; code: string; message: string }[];
      };
      try {
        answer = await call(routes.syncPush, { ...device, mutations: batch }, signal);
      } catch (error) {
        const serverLast = isApiError(error, "SYNC_MUTATION_GAP")
          ? error.details?.last_mutation_id
          : undefined;
        // The server lacks mutations it once acknowledged (e.g. restored from a backup): resend from
        // where it is. Once per push: a second gap in a row means something else is wrong.
        if (typeof serverLast !== "number" || serverLast >= state.lastAcknowledgedId || gaps++ > 0)
          throw error;
        await locked(() => store.commit({ state: { lastAcknowledgedId: serverLast } }));
        continue;
      }
      checkIssued(answer.last_mutation_id, state);
      const refused = new Map(answer.rejected.map((r) => [r.mutation_id, r]));
      const rejected = batch.flatMap((mutation): SyncRejection[] => {
        const rejection = refused.get(mutation.id);
        return rejection ? [{ mutation, code: rejection.code, message: rejection.message }] : [];
      });
      await locked(async () => {
        const outbox = await store.outbox();
        const dropped = new Set(rejected.map((r) => r.mutation.id));
        // Acknowledged mutations stay in the outbox (and in the view) until a pull brings their
        // effect; a rejected one leaves both now.
        const view =
          dropped.size > 0
            ? await rebase(
                store,
                { changes: new Map(), reset: false },
                outbox,
                outbox.filter((mutation) => !dropped.has(mutation.id)),
              )
            : {};
        const current = await store.state();
        await store.commit({
          ...view,
          state: { lastAcknowledgedId: Math.max(current.lastAcknowledgedId, answer.last_mutation_id) },
          dequeue: [...dropped],
          removePhotos: rejected
            .filter((r) => r.mutation.name === "photo.register")
            .map((r) => photoIdOf(r.mutation)),
        });
      });
      result.acknowledged += Math.max(0, answer.last_mutation_id - state.lastAcknowledgedId);
      if (rejected.length > 0) {
        result.rejected.push(...rejected);
        rejections.push(...rejected);
        options.onRejected?.(rejected);
      }
      // The server stops a push only by failing it, so an answer short of the batch means no progress.
      if (answer.last_mutation_id < last.id) return result;
    }
  }

  async function applyPage(page: {
    reset: boolean;
    changes: SyncChange[];
    cursor: string;
    has_more: boolean;
    last_mutation_id: number;
  }) {
    const state = await store.state();
    checkIssued(page.last_mutation_id, state);
    const changes: ServerChanges = new Map();
    for (const { entity, id, ...change } of page.changes) {
      // The contract does not tie `data`'s shape to `entity`; the server does.
      const record = change.op === "put" ? ({ entity, id, data: change.data } as SyncRecord) : null;
      changes.set(keyOf(entity, id), { entity, id, record });
    }
    const outbox = await store.outbox();
    // Only the last page is sure to carry the effect of every mutation up to its last_mutation_id
    // (that number is read before the page's changes): earlier pages confirm nothing.
    const confirmed = page.has_more ? 0 : page.last_mutation_id;
    const view = await rebase(
      store,
      { changes, reset: page.reset },
      outbox,
      outbox.filter((mutation) => mutation.id > confirmed),
    );
    const rows = [...changes.values()];
    await store.commit({
      ...(page.reset ? { clear: ["server", "view"] } : {}),
      put: [
        ...rows.flatMap(({ record }) => (record ? [{ table: "server" as const, record }] : [])),
        ...view.put,
      ],
      delete: [
        ...rows.flatMap(({ entity, id, record }) =>
          record ? [] : [{ table: "server" as const, entity, id }],
        ),
        ...view.delete,
      ],
      state: {
        cursor: page.cursor,
        // A push whose answer was lost may have been applied: no need to send it again.
        lastAcknowledgedId: Math.max(state.lastAcknowledgedId, confirmed),
      },
      dequeue: outbox.filter((mutation) => mutation.id <= confirmed).map((mutation) => mutation.id),
    });
  }

  async function pullNow(pullOptions: PullOptions): Promise<PullResult> {
    const limit = pullOptions.limit ?? pullLimit;
    const maxPages = pullOptions.maxPages ?? Number.POSITIVE_INFINITY;
    const result: PullResult = { pages: 0, changes: 0, reset: false, complete: false };
    while (result.pages < maxPages) {
      const { cursor } = await store.state();
      const page = await call(routes.syncPull, { ...device, cursor, limit }, pullOptions.signal);
      result.pages += 1;
      result.changes += page.changes.length;
      result.reset ||= page.reset;
      await locked(() => applyPage(page));
      if (!page.has_more) {
        result.complete = true;
        break;
      }
    }
    return result;
  }

  async function uploadPhotosNow(signal: AbortSignal | undefined): Promise<PhotoUploadResult> {
    const result: PhotoUploadResult = { uploaded: [], refused: [], waiting: 0 };
    const { lastAcknowledgedId } = await store.state();
    const unconfirmed = new Set((await store.outbox()).map((mutation) => mutation.id));
    const queue = await store.photos();
    for (const [index, photo] of queue.entries()) {
      // The document row comes with the registration: its bytes can only follow it.
      if (photo.mutationId > lastAcknowledgedId) {
        result.waiting += 1;
        continue;
      }
      // A pull confirmed the registration, yet the document is not on this device: it was refused
      // with the push's answer lost, its upload expired, or its job left this device. Register it
      // again (same id: idempotent) rather than let uploadDocument declare a new document; a refusal
      // then comes back as a rejection, which drops the photo. Once: after that it is given up.
      if (!unconfirmed.has(photo.mutationId) && !(await store.get("server", "document", photo.id))) {
        if (photo.reregistered) {
          await locked(() => store.commit({ removePhotos: [photo.id] }));
          const error = new NexusError(
            `Photo ${photo.id} is still not registered after registering it again.`,
          );
          result.refused.push({ photo, error });
        } else {
          await enqueue("photo.register", registrationOf(photo), (mutation) => ({
            addPhotos: [{ ...photo, mutationId: mutation.id, reregistered: true }],
          }));
          result.waiting += 1;
        }
        continue;
      }
      const uploadKey = `sync-photo:${photo.id}`;
      // uploadDocument resumes the upload its store names: point it at the registered document the
      // first time, so it lists that document's parts instead of declaring a new one.
      const { id: documentId, size, sha256 } = photo;
      const registered = { documentId, companyId: options.companyId, size, sha256 };
      if (!(await uploadStore.get(uploadKey))) await uploadStore.set(uploadKey, registered);
      try {
        const document = await uploadDocument({
          baseUrl,
          fetch,
          timeoutMs: policy.timeoutMs,
          retries: policy.retries,
          backoff: policy.backoff,
          maxDelayMs: policy.maxDelayMs,
          ...(options.userAgent ? { userAgent: options.userAgent } : {}),
          ...(options.transferTimeoutMs ? { transferTimeoutMs: options.transferTimeoutMs } : {}),
          companyId: options.companyId,
          // Replaced by `fetch` with the sync credential (a session cookie cannot go as a bearer).
          token: "",
          content: photo.content,
          name: photo.name,
          tags: photo.tags,
          projectId: photo.jobId,
          sha256: photo.sha256,
          resumable: true,
          uploadKey,
          store: uploadStore,
          onProgress: (progress) => options.onPhotoProgress?.(photo.id, progress),
          ...(signal ? { signal } : {}),
        });
        await locked(() => store.commit({ removePhotos: [photo.id] }));
        result.uploaded.push(document);
      } catch (error) {
        if (signal?.aborted) throw error;
        // uploadDocument forgets an upload only when resending these bytes cannot succeed.
        if (error instanceof NexusApiError && !(await uploadStore.get(uploadKey))) {
          await locked(() => store.commit({ removePhotos: [photo.id] }));
          result.refused.push({ photo, error });
          continue;
        }
        result.error = error;
        result.waiting += queue.length - index;
        break;
      }
    }
    return result;
  }

  return {
    mutate(name, input) {
      const args = { ...(input as Record<string, unknown>) };
      if ((name === "checkin.create" || name === "note.create" || name === "photo.register") && !args.id) {
        args.id = newId();
      }
      return enqueue(name, args);
    },
    push: ({ signal } = {}) => network(() => pushNow(signal)),
    pull: (pullOptions = {}) => network(() => pullNow(pullOptions)),
    sync: ({ signal } = {}) =>
      network(async () => {
        const push = await pushNow(signal);
        return { push, pull: await pullNow(signal ? { signal } : {}) };
      }),
    async uploadPhoto({ jobId, name, content, tags = [] }) {
      const size = content instanceof Blob ? content.size : content.byteLength;
      const photo = { id: newId(), jobId, name, size, sha256: await sha256Hex(content), tags, content };
      const mutation = await enqueue("photo.register", registrationOf(photo), (registered) => ({
        addPhotos: [{ ...photo, mutationId: registered.id, reregistered: false }],
      }));
      return { id: photo.id, mutation };
    },
    uploadPhotos: ({ signal } = {}) => photoQueue(() => uploadPhotosNow(signal)),
    view: {
      get: async <E extends SyncEntity>(entity: E, id: string) =>
        (await store.get("view", entity, id))?.data as SyncEntities[E] | undefined,
      list: (entity) => store.list("view", entity),
    },
    async pending() {
      const { lastAcknowledgedId } = await store.state();
      return (await store.outbox()).filter((mutation) => mutation.id > lastAcknowledgedId);
    },
    rejections: () => [...rejections],
  };
}

const photoIdOf = (mutation: SyncMutation) => String(mutation.args.id);

const registrationOf = (photo: Omit<PendingPhoto, "mutationId" | "reregistered" | "content">) => ({
  id: photo.id,
  job_id: photo.jobId,
  name: photo.name,
  size: photo.size,
  sha256: photo.sha256,
  tags: photo.tags,
});

/** Sends the sync credential with every request, in place of any bearer the caller set. */
function withCredential(fetch: FetchLike, credential: SyncClientOptions["credential"]): FetchLike {
  return async (input, init) => {
    const current = typeof credential === "function" ? await credential() : credential;
    const headers = new Headers(init.headers);
    if ("cookie" in current) {
      headers.delete("authorization");
      headers.set("cookie", current.cookie);
      // The API takes cookie-authenticated writes only from its own or a dashboard's origin (its CSRF
      // check). A browser sets Origin itself and ignores this; a native app names the API's origin.
      headers.set("origin", new URL(input).origin);
    } else {
      headers.set("authorization", `Bearer ${current.bearer}`);
    }
    return fetch(input, { ...init, headers });
  };
}
