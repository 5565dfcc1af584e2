// Demo machines with a few hours of synthetic telemetry, sent through POST /api/telemetry like an
// app would, so the fleet summary and the charts have something to show. Skipped when the demo
// company already has machines (the roll-ups from the first run are kept in local state).

interface DemoMachine {
  name: string;
  type: string;
  grid: [number, number];
  /** Typical values; `drift` moves temperature and vibration up over the period (a machine going bad). */
  base: { temperature: number; vibration: number; rpm: number; power_kw: number };
  drift?: number;
}

const LIMITS = {
  temperature: { warn_above: 75, critical_above: 90 },
  vibration: { warn_above: 7, critical_above: 11 },
};

export const DEMO_MACHINES: DemoMachine[] = [
  {
    name: "CNC Mill 1",
    type: "cnc_mill",
    grid: [0, 0],
    base: { temperature: 55, vibration: 3, rpm: 8000, power_kw: 11 },
  },
  {
    name: "CNC Mill 2",
    type: "cnc_mill",
    grid: [1, 0],
    base: { temperature: 58, vibration: 3.5, rpm: 7600, power_kw: 12 },
    drift: 1,
  },
  {
    name: "Hydraulic Press",
    type: "press",
    grid: [2, 0],
    base: { temperature: 48, vibration: 5, rpm: 0, power_kw: 30 },
  },
  {
    name: "Injection Molder",
    type: "injection_molder",
    grid: [0, 1],
    base: { temperature: 70, vibration: 2, rpm: 120, power_kw: 25 },
    drift: 0.6,
  },
  {
    name: "Conveyor A",
    type: "conveyor",
    grid: [1, 1],
    base: { temperature: 35, vibration: 1.5, rpm: 60, power_kw: 3 },
  },
  {
    name: "Paint Booth",
    type: "paint_booth",
    grid: [2, 1],
    base: { temperature: 40, vibration: 0.5, rpm: 1400, power_kw: 8 },
  },
];

const HOURS = 6;
const SAMPLES_PER_REQUEST = 2000;

/** Deterministic noise, so every developer's demo looks the same. */
function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x) - 0.5;
}

type Sample = { machine_id: string; metric: string; value: number; ts: number };

function samplesFor(machineId: string, machine: DemoMachine, index: number, now: number): Sample[] {
  const minutes = HOURS * 60;
  const samples: Sample[] = [];
  for (let m = 0; m < minutes; m++) {
    const ts = now - (minutes - m) * 60_000;
    const progress = m / minutes;
    const drift = (machine.drift ?? 0) * progress;
    const wave = Math.sin((m / 60) * Math.PI); // a shift's rhythm
    const values = {
      temperature: machine.base.temperature * (1 + 0.05 * wave + 0.5 * drift) + 2 * noise(index * 1e4 + m),
      vibration: machine.base.vibration * (1 + 0.1 * wave + 2.5 * drift) + 0.3 * noise(index * 2e4 + m),
      rpm: machine.base.rpm * (1 + 0.02 * noise(index * 3e4 + m)),
      power_kw: machine.base.power_kw * (1 + 0.15 * wave) + 0.5 * noise(index * 4e4 + m),
    };
    for (const [metric, value] of Object.entries(values)) {
      samples.push({ machine_id: machineId, metric, value: Math.round(value * 100) / 100, ts });
    }
  }
  return samples;
}

async function post<T>(baseUrl: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function seedDemoTelemetry(
  baseUrl: string,
  adminSecret: string,
  companyId: string,
  installationToken: string,
  log: (line: string) => void,
): Promise<void> {
  const machinesPath = `/api/admin/companies/${companyId}/machines`;
  const { machines } = await post<{ machines: unknown[] }>(baseUrl, machinesPath, adminSecret);
  if (machines.length > 0) {
    log(`demo company has ${machines.length} machines already; keeping them and their telemetry`);
    return;
  }
  const now = Date.now();
  const samples: Sample[] = [];
  for (const [index, machine] of DEMO_MACHINES.entries()) {
    const { machine: created } = await post<{ machine: { id: string } }>(baseUrl, machinesPath, adminSecret, {
      name: machine.name,
      type: machine.type,
      grid_x: machine.grid[0],
      grid_y: machine.grid[1],
      thresholds: LIMITS,
      metadata: { seeded: true },
    });
    samples.push(...samplesFor(created.id, machine, index, now));
  }
  let sent = 0;
  for (let i = 0; i < samples.length; i += SAMPLES_PER_REQUEST) {
    const batch = samples.slice(i, i + SAMPLES_PER_REQUEST);
    const answer = await post<{ accepted: { samples: number }; rejected_count: number }>(
      baseUrl,
      "/api/telemetry",
      installationToken,
      { batch_id: `demo-telemetry-${now}-${i / SAMPLES_PER_REQUEST}`, samples: batch },
    );
    if (answer.rejected_count > 0) throw new Error(`the API rejected ${answer.rejected_count} demo samples`);
    sent += answer.accepted.samples;
    log(`telemetry: ${sent}/${samples.length} samples sent`);
  }
  log(
    `${DEMO_MACHINES.length} demo machines with ${HOURS} hours of telemetry (rolled up by workers/consumers)`,
  );
}
