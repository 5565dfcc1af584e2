export type {
  ErrorCode,
  HeartbeatRequest,
  HeartbeatResponse,
  RegisterRequest,
  RegisterResponse,
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
  NexusApiError,
  type NexusApiErrorInit,
  NexusError,
  NexusNetworkError,
  NexusResponseError,
} from "./errors.ts";
export type { FetchLike } from "./http.ts";
