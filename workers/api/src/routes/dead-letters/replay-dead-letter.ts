import { operation } from "../../lib/operation.ts";
import { replayLetter, toDeadLetterDetail } from "../../services/dead-letters.ts";

export const replayDeadLetter = operation("replayDeadLetter", async (c, { params, caller }) => ({
  success: true,
  dead_letter: toDeadLetterDetail(await replayLetter(c, caller.id, params.deadLetterId)),
}));
