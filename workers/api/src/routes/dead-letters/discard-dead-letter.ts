import { operation } from "../../lib/operation.ts";
import { discardLetter, toDeadLetterDetail } from "../../services/dead-letters.ts";

export const discardDeadLetter = operation("discardDeadLetter", async (c, { params, caller }) => ({
  success: true,
  dead_letter: toDeadLetterDetail(await discardLetter(c, caller.id, params.deadLetterId)),
}));
