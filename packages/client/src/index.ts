export type {
  ClientMessage,
  Document,
  ErrorCode,
  HeartbeatRequest,
  HeartbeatResponse,
  RegisterRequest,
  RegisterResponse,
  ServerMessage,
  TelemetryBatchRequest,
  TelemetryIngestResponse,
  TelemetryRejection,
  TelemetrySample,
  UpdateFeedOptions,
  UsageEvent,
  ValidateRequest,
  ValidateResponse,
} from "@nexus/contracts";
export {
  type CallOptions,
  createNexusClient,
  type NexusClient,
  type NexusClientOptions,
  type RegisterOptions,
} from "./client.ts";
export {
  type DocumentUploadProgress,
  type DocumentUploadStore,
  memoryDocumentUploadStore,
  type StoredDocumentUpload,
  sha256Hex,
  type UploadDocumentOptions,
  uploadDocument,
} from "./documents.ts";
export {
  NexusApiError,
  type NexusApiErrorInit,
  NexusError,
  NexusNetworkError,
  NexusResponseError,
} from "./errors.ts";
export { type HeartbeatOptions, type Heartbeats, heartbeatDelay, startHeartbeats } from "./heartbeat.ts";
export type { FetchLike } from "./http.ts";
export {
  connectLive,
  LIVE_STOP_CODES,
  type LiveConnect,
  type LiveConnection,
  type LiveOptions,
  type LiveState,
  type LiveStopReason,
  liveBackoffDelay,
  type WebSocketLike,
} from "./live.ts";
export {
  createTelemetryBuffer,
  type FlushResult,
  isPermanentTelemetryError,
  memoryTelemetryStore,
  type StoredTelemetryBatch,
  type TelemetryBatch,
  type TelemetryBuffer,
  type TelemetryBufferOptions,
  type TelemetryDrop,
  type TelemetryStore,
} from "./telemetry.ts";
export { type UpdateFeedInput, updateFeedOptions } from "./updates.ts";
