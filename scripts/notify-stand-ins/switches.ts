// Failure switches, chosen by the recipient so a test (or a demo) picks a behaviour per message:
//   email local part  fail-always…  → HTTP 500 on every send
//                     fail-twice…   → HTTP 500 on the first two sends of that message, then accepted
//                     reject…       → HTTP 422 (a refusal that retrying does not fix)
//                     bounce…       → accepted, then a bounce webhook
//   phone number ending 0500 / 0502 / 0422 / 0404: the same four, in that order (0404: undelivered).
//   Anything else is accepted and followed by a delivered webhook.
export type Behaviour = "ok" | "fail-always" | "fail-twice" | "reject" | "bounce";

export function emailBehaviour(address: string): Behaviour {
  const local = address.toLowerCase().split("@")[0] ?? "";
  for (const behaviour of ["fail-always", "fail-twice", "reject", "bounce"] as const) {
    if (local.startsWith(behaviour)) return behaviour;
  }
  return "ok";
}

const PHONE_SUFFIXES: Record<string, Behaviour> = {
  "0500": "fail-always",
  "0502": "fail-twice",
  "0422": "reject",
  "0404": "bounce",
};

export function phoneBehaviour(number: string): Behaviour {
  return PHONE_SUFFIXES[number.slice(-4)] ?? "ok";
}

const sends = new Map<string, number>();

/** Whether this send fails under `behaviour`, counting sends of the same message (`key`). */
export function failsNow(behaviour: Behaviour, key: string): boolean {
  if (behaviour === "fail-always") return true;
  if (behaviour !== "fail-twice") return false;
  const count = (sends.get(key) ?? 0) + 1;
  sends.set(key, count);
  return count <= 2;
}
