import { operation } from "../../lib/operation.ts";
import { deadLetterById, toDeadLetterDetail } from "../../services/dead-letters.ts";

export const getDeadLetter = operation("getDeadLetter", async (c, { params }) => ({
  success: true,
  dead_letter: toDeadLetterDetail(await deadLetterById(c.get("db"), params.deadLetterId)),
}));
