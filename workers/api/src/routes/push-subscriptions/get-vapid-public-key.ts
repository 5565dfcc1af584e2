import { getConfig } from "../../env.ts";
import { operation } from "../../lib/operation.ts";

// Public: the key is what every browser gets anyway (PushManager.subscribe's applicationServerKey).
export const getVapidPublicKey = operation("getVapidPublicKey", async (c) => ({
  success: true,
  public_key: getConfig(c.env).VAPID_PUBLIC_KEY ?? null,
}));
