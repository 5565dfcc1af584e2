import { operation } from "../../lib/operation.ts";
import { replayLetters } from "../../services/dead-letters.ts";

export const replayDeadLetters = operation("replayDeadLetters", async (c, { body, caller }) => ({
  success: true,
  ...(await replayLetters(c, caller.id, body.ids)),
}));
