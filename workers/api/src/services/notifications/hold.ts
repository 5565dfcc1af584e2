// Hands held messages (quiet hours, digests) to the company's hub, whose alarm releases them onto the
// notifications queue (`{ kind: "release", company_id, message_ids }`) when their time comes.
import { companyHub } from "../hub.ts";

export interface HeldMessage {
  id: string;
  /** Epoch ms. */
  until: number;
}

export async function holdMessages(env: Env, companyId: string, messages: HeldMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await companyHub(env, companyId).holdNotifications(companyId, messages);
}
