/**
 * The report of `npm run bench` (issue 18 item 5): every part records its measures here
 * (`recordBench`), and the last step of the script prints them as one table — each measure
 * with its target, whether it is met, and its ratio to the bare SQL of the same work where the
 * part measured one — and writes them to `bench-results/<date-time>.json` (gitignored) for
 * comparison between runs.
 *
 *   tsx server/bench/report.ts --begin              forget the parts of an earlier run
 *   tsx server/bench/report.ts [--compare FILE]     print the table (and the deltas to FILE), write the JSON
 *
 * `npm run bench -- --compare bench-results/2026-12-01-2140.json` passes the flag to this last step.
 * The parts run one after the other whatever each one's outcome (a part exits 1 on a missed
 * target); this step exits 1 when a target is missed or a part recorded nothing.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface Measure {
  /** What was measured, with its statistic: 'report a case, p95 (sequential)'. */
  name: string;
  value: number;
  unit: 'ms' | 's' | 'req/s' | 'KB' | '%' | 'rows';
  /** The target: below `max`, at least `min` (either or both). */
  target?: { max?: number; min?: number };
  /** The bare SQL (or bare route) of the same work in the same run, same unit and statistic. */
  bare?: number;
  /** A target on value ÷ bare (the residents import: ≤ 4 × a bare COPY). */
  maxRatio?: number;
}

export interface BenchRun {
  date: string;
  machine: { host: string; cpus: number; memoryGB: number; loadAverage: number[] };
  parts: Record<string, Measure[]>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
export const resultsDir = resolve(process.env.BENCH_RESULTS_DIR ?? join(root, 'bench-results'));
const currentDir = join(resultsDir, '.current');

/** Keeps one part's measures for the report at the end of `npm run bench`. */
export function recordBench(part: string, measures: Measure[]): void {
  mkdirSync(currentDir, { recursive: true });
  writeFileSync(join(currentDir, `${part}.json`), JSON.stringify(measures, null, 2));
}

export const met = (m: Measure): boolean | null => {
  if (!m.target && m.maxRatio === undefined) return null;
  if (m.target?.max !== undefined && !(m.value < m.target.max)) return false;
  if (m.target?.min !== undefined && !(m.value >= m.target.min)) return false;
  if (m.maxRatio !== undefined && m.bare !== undefined && !(m.value / m.bare <= m.maxRatio)) return false;
  return true;
};

const num = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2).replace(/\.?0+$/, '');

function targetText(m: Measure): string {
  const parts: string[] = [];
  if (m.target?.min !== undefined && m.target.max !== undefined)
    parts.push(`${num(m.target.min)}–${num(m.target.max)} ${m.unit}`);
  else if (m.target?.max !== undefined) parts.push(`< ${num(m.target.max)} ${m.unit}`);
  else if (m.target?.min !== undefined) parts.push(`≥ ${num(m.target.min)} ${m.unit}`);
  if (m.maxRatio !== undefined) parts.push(`≤ ${m.maxRatio}× bare`);
  return parts.join(', ') || '—';
}

/** Display width: CJK characters take two columns. */
const width = (s: string) =>
  [...s].reduce((n, c) => n + (/[\u2e80-\uffff]/.test(c) && c !== '—' && c !== '–' ? 2 : 1), 0);
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;

export function formatTable(run: BenchRun, previous?: BenchRun): string {
  const header = ['part', 'measure', 'value', 'target', 'met', 'bare', 'ratio'];
  if (previous) header.push('previous', 'Δ');
  const rows: string[][] = [];
  for (const [part, measures] of Object.entries(run.parts)) {
    for (const m of measures) {
      const ok = met(m);
      const row = [
        part,
        m.name,
        `${num(m.value)} ${m.unit}`,
        targetText(m),
        ok === null ? '' : ok ? 'yes' : 'NO',
        m.bare === undefined ? '' : `${num(m.bare)} ${m.unit}`,
        m.bare === undefined || m.bare === 0 ? '' : `${(m.value / m.bare).toFixed(2)}×`,
      ];
      if (previous) {
        const before = previous.parts[part]?.find((p) => p.name === m.name);
        row.push(
          before ? `${num(before.value)} ${before.unit}` : 'new',
          before && before.value !== 0
            ? `${m.value >= before.value ? '+' : ''}${num(m.value - before.value)} (${m.value >= before.value ? '+' : ''}${(((m.value - before.value) / before.value) * 100).toFixed(0)} %)`
            : '',
        );
      }
      rows.push(row);
    }
  }
  if (previous)
    for (const [part, measures] of Object.entries(previous.parts))
      for (const m of measures)
        if (!run.parts[part]?.some((x) => x.name === m.name))
          rows.push([part, m.name, 'not measured', '', '', '', '', `${num(m.value)} ${m.unit}`, '']);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const numeric = new Set([2, 5, 6, 7, 8]);
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric.has(i) ? padStart(c, widths[i] as number) : padEnd(c, widths[i] as number)))
      .join('  ');
  const missed = rows.filter((r) => r[4] === 'NO').length;
  const judged = rows.filter((r) => r[4] === 'yes' || r[4] === 'NO').length;
  return [
    line(header),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    `${judged - missed} of ${judged} targets met${missed ? ` — ${missed} MISSED` : ''}; machine: ${run.machine.cpus} cores, load ${run.machine.loadAverage.map((x) => x.toFixed(2)).join('/')}`,
  ].join('\n');
}

/** The parts recorded since `--begin`, in the order they ran. */
export function collect(): BenchRun {
  const files = readdirSync(currentDir, { withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.json'))
    .map((f) => join(currentDir, f.name));
  const parts: Record<string, Measure[]> = {};
  const withTime = files.map((f) => ({ f, at: statSync(f).mtimeMs }));
  for (const { f } of withTime.sort((a, b) => a.at - b.at))
    parts[f.slice(currentDir.length + 1, -'.json'.length)] = JSON.parse(readFileSync(f, 'utf8')) as Measure[];
  return {
    date: new Date().toISOString(),
    machine: {
      host: hostname(),
      cpus: cpus().length,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      loadAverage: loadavg(),
    },
    parts,
  };
}

async function main() {
  const { values } = parseArgs({
    options: { begin: { type: 'boolean', default: false }, compare: { type: 'string' } },
  });
  if (values.begin) {
    rmSync(currentDir, { recursive: true, force: true });
    mkdirSync(currentDir, { recursive: true });
    return;
  }
  let run: BenchRun;
  try {
    run = collect();
  } catch {
    console.error('bench report: no measures recorded (run `npm run bench` first)');
    process.exit(1);
  }
  const previous = values.compare
    ? (JSON.parse(readFileSync(values.compare, 'utf8')) as BenchRun)
    : undefined;
  console.log(`\n${formatTable(run, previous)}`);
  const stamp = run.date.slice(0, 16).replace('T', '-').replace(':', '');
  const out = join(resultsDir, `${stamp}.json`);
  writeFileSync(out, `${JSON.stringify(run, null, 2)}\n`);
  console.log(`written to ${out}${previous ? `; compared with ${values.compare}` : ''}`);
  // A part that failed before recording (or a missed target) fails the bench.
  const missing = benchParts.filter((p) => !run.parts[p]);
  if (missing.length) console.log(`not recorded (the part failed or was not run): ${missing.join(', ')}`);
  const missed = Object.values(run.parts).some((ms) => ms.some((m) => met(m) === false));
  if (missed || missing.length) process.exitCode = 1;
}

/** The parts `npm run bench` runs, in order. */
export const benchParts = ['foundation', 'cases', 'residents', 'field', 'assessment', 'routing'];

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
