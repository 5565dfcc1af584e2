// Dead letters (services/dead-letters.ts): operators list and inspect the queue messages that failed
// every retry, replay them onto their original queue, or discard them.
import type { Operation } from "../../lib/operation.ts";
import { discardDeadLetter } from "./discard-dead-letter.ts";
import { getDeadLetter } from "./get-dead-letter.ts";
import { listDeadLetters } from "./list-dead-letters.ts";
import { replayDeadLetter } from "./replay-dead-letter.ts";
import { replayDeadLetters } from "./replay-dead-letters.ts";

export const deadLettersOperations: Operation[] = [
  listDeadLetters,
  getDeadLetter,
  replayDeadLetter,
  replayDeadLetters,
  discardDeadLetter,
];
