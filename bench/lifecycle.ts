// Teardown that runs once, whether the bench finishes, throws, hits its time budget or gets
// Ctrl-C: workerd and the load generator are separate processes and the bundle and D1 state sit
// in a temp dir, so an early exit without this would leave them behind.

type AsyncCleanup = () => Promise<void> | void;
type SyncCleanup = () => void;

const asyncCleanups: AsyncCleanup[] = [];
const syncCleanups: SyncCleanup[] = [];
let teardown: Promise<void> | undefined;
let interruptedBy: string | undefined;

/** A step that may wait (stopping Miniflare). Runs first, last registered first, at most 10 s each. */
export function onCleanup(cleanup: AsyncCleanup): void {
  asyncCleanups.push(cleanup);
}

/**
 * A synchronous step (killing a child, deleting the temp dir). These also run from the process's
 * `exit` event, because Miniflare's own signal handler calls process.exit() on Ctrl-C before any
 * asynchronous teardown of ours could finish.
 */
export function onExit(cleanup: SyncCleanup): void {
  syncCleanups.push(cleanup);
}

function runSyncCleanups(): void {
  for (const cleanup of syncCleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch (error) {
      console.error(`bench: cleanup step failed: ${String(error)}`);
    }
  }
}
process.on("exit", runSyncCleanups);

async function bounded(cleanup: AsyncCleanup): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error("bench: a cleanup step took over 10s; moving on");
      resolve();
    }, 10_000);
  });
  try {
    await Promise.race([Promise.resolve().then(cleanup), timeout]);
  } catch (error) {
    console.error(`bench: cleanup step failed: ${String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

export function runCleanups(): Promise<void> {
  teardown ??= (async () => {
    for (const cleanup of asyncCleanups.splice(0).reverse()) await bounded(cleanup);
    runSyncCleanups();
  })();
  return teardown;
}

/** Set when a signal or the time budget ended the run; later errors are then just its echo. */
export function interruption(): string | undefined {
  return interruptedBy;
}

function abort(reason: string, exitCode: number): void {
  if (interruptedBy) return;
  interruptedBy = reason;
  console.error(`\nbench: ${reason}; shutting down`);
  void runCleanups().finally(() => process.exit(exitCode));
}

/**
 * Ctrl-C / SIGTERM tear down and exit; the budget timer does the same if any step hangs, so the
 * bench always stops by itself. The timer is unref'd: it never keeps a finished run alive.
 */
export function guardRun(budgetSeconds: number): void {
  process.once("SIGINT", () => abort("interrupted (SIGINT)", 130));
  process.once("SIGTERM", () => abort("terminated (SIGTERM)", 143));
  setTimeout(() => abort(`time budget of ${budgetSeconds}s exceeded`, 124), budgetSeconds * 1000).unref();
}
