import { timingSafeEqual } from 'node:crypto';
import { ready } from '@civicgrid/core/api/platform';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { EventBus } from './bus.js';
import type { Database } from './db.js';
import { ReplicaPool } from './db.js';
import { openEventStreamCount } from './events.js';
import type { Job, JobRunner } from './jobs/runner.js';

/** Request latency buckets (seconds): the API's goal is p95 < 200 ms, so most resolution sits below 1 s. */
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

const newHistogram = (): Histogram => ({ counts: buckets.map(() => 0), sum: 0, count: 0 });

function observe(h: Histogram, seconds: number): void {
  h.sum += seconds;
  h.count++;
  for (let i = 0; i < buckets.length; i++) if (seconds <= (buckets[i] as number)) (h.counts[i] as number)++;
}

/** A label value as the text format wants it: backslash, quote and newline escaped. */
const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(',')}}`;

/**
 * The counts /metrics shows, kept in this process (each app server is scraped on its own;
 * Prometheus sums them). Routes are the route patterns (`/api/cases/:id`), never the paths
 * asked for, so a scan of random URLs cannot grow the label set: unmatched ones are one label.
 */
export class Metrics {
  readonly started = Date.now();
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly jobRuns = new Map<string, number>();
  private readonly jobSeconds = new Map<string, Histogram>();

  request(method: string, route: string, status: number, seconds: number): void {
    const key = `${method}\u0000${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const lk = `${method}\u0000${route}`;
    const h = this.latency.get(lk) ?? newHistogram();
    this.latency.set(lk, h);
    observe(h, seconds);
  }

  jobRun(name: string, ok: boolean, seconds: number): void {
    const key = `${name}\u0000${ok ? 'ok' : 'failed'}`;
    this.jobRuns.set(key, (this.jobRuns.get(key) ?? 0) + 1);
    const h = this.jobSeconds.get(name) ?? newHistogram();
    this.jobSeconds.set(name, h);
    observe(h, seconds);
  }

  /** A job whose runs are counted here; the runner sees the same job otherwise. */
  instrument(job: Job): Job {
    return {
      ...job,
      run: async (payload) => {
        const t = process.hrtime.bigint();
        let ok = false;
        try {
          const counts = await job.run(payload);
          ok = true;
          return counts;
        } finally {
          this.jobRun(job.name, ok, Number(process.hrtime.bigint() - t) / 1e9);
        }
      },
    };
  }

  /** The Prometheus text exposition format 0.0.4. */
  render(extra: {
    sseClients: number;
    busListeners: number;
    pools: { name: string; pool: pg.Pool }[];
    replicaFallbacks?: number;
  }): string {
    const out: string[] = [];
    const head = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    head(
      'civicgrid_http_requests_total',
      'counter',
      'HTTP requests answered, by method, route pattern and status.',
    );
    for (const [k, v] of this.requests) {
      const [method, route, status] = k.split('\u0000') as [string, string, string];
      out.push(`civicgrid_http_requests_total${labels({ method, route, status })} ${v}`);
    }
    head(
      'civicgrid_http_request_duration_seconds',
      'histogram',
      'Time to answer an HTTP request, by method and route pattern.',
    );
    for (const [k, h] of this.latency) {
      const [method, route] = k.split('\u0000') as [string, string];
      pushHistogram(out, 'civicgrid_http_request_duration_seconds', { method, route }, h);
    }
    head('civicgrid_job_runs_total', 'counter', 'Timed job runs by this process, by job and outcome.');
    for (const [k, v] of this.jobRuns) {
      const [job, outcome] = k.split('\u0000') as [string, string];
      out.push(`civicgrid_job_runs_total${labels({ job, outcome })} ${v}`);
    }
    head('civicgrid_job_run_duration_seconds', 'histogram', 'Time a job run took, by job.');
    for (const [job, h] of this.jobSeconds)
      pushHistogram(out, 'civicgrid_job_run_duration_seconds', { job }, h);
    head('civicgrid_sse_clients', 'gauge', 'Event streams (SSE) open on this process.');
    out.push(`civicgrid_sse_clients ${extra.sseClients}`);
    head(
      'civicgrid_bus_listeners',
      'gauge',
      'Listeners on the event bus (the event streams and in-process listeners).',
    );
    out.push(`civicgrid_bus_listeners ${extra.busListeners}`);
    head('civicgrid_db_pool_connections', 'gauge', 'Database pool connections, by pool and state.');
    for (const { name, pool } of extra.pools) {
      out.push(`civicgrid_db_pool_connections${labels({ pool: name, state: 'total' })} ${pool.totalCount}`);
      out.push(`civicgrid_db_pool_connections${labels({ pool: name, state: 'idle' })} ${pool.idleCount}`);
      out.push(
        `civicgrid_db_pool_connections${labels({ pool: name, state: 'waiting' })} ${pool.waitingCount}`,
      );
    }
    if (extra.replicaFallbacks !== undefined) {
      head(
        'civicgrid_db_replica_fallbacks_total',
        'counter',
        'Heavy reads the primary answered because the replica was down.',
      );
      out.push(`civicgrid_db_replica_fallbacks_total ${extra.replicaFallbacks}`);
    }
    head('civicgrid_process_uptime_seconds', 'gauge', 'Seconds since this process started serving.');
    out.push(`civicgrid_process_uptime_seconds ${Math.round((Date.now() - this.started) / 1000)}`);
    const mem = process.memoryUsage();
    head('civicgrid_process_resident_memory_bytes', 'gauge', 'Resident memory of this process.');
    out.push(`civicgrid_process_resident_memory_bytes ${mem.rss}`);
    head('civicgrid_process_heap_used_bytes', 'gauge', 'V8 heap in use.');
    out.push(`civicgrid_process_heap_used_bytes ${mem.heapUsed}`);
    return `${out.join('\n')}\n`;
  }
}

function pushHistogram(out: string[], name: string, l: Record<string, string>, h: Histogram): void {
  buckets.forEach((le, i) => {
    out.push(`${name}_bucket${labels({ ...l, le: String(le) })} ${h.counts[i]}`);
  });
  out.push(`${name}_bucket${labels({ ...l, le: '+Inf' })} ${h.count}`);
  out.push(`${name}_sum${labels(l)} ${h.sum.toFixed(6)}`);
  out.push(`${name}_count${labels(l)} ${h.count}`);
}

const loopback = (ip: string | undefined) =>
  !!ip && (ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.'));

/**
 * Who may read /metrics: a scraper with the bearer METRICS_TOKEN; without a token set, a
 * connection from this machine's loopback that came through no proxy (nginx, which connects
 * over loopback too, adds X-Forwarded-For — and the committed nginx config refuses /metrics).
 */
export function metricsAllowed(req: FastifyRequest, token: string | undefined): boolean {
  if (token) {
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  return (
    loopback(req.socket.remoteAddress) &&
    req.headers['x-forwarded-for'] === undefined &&
    req.headers.forwarded === undefined &&
    req.headers['x-real-ip'] === undefined
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
    /** Set on SIGTERM: /api/health/ready answers 503 so the balancer sends nothing new. */
    draining: boolean;
  }
}

/** Set at the request's start, read when it has been answered. */
const startedAt = Symbol('startedAt');

/**
 * `/metrics` (Prometheus), `/api/health/ready` (the database answers and the server is not
 * shutting down), and the request counting behind the first. Registered before the routes,
 * so every route is counted.
 */
export function registerOperations(
  app: FastifyInstance,
  opts: { database: Database; bus: () => EventBus | undefined; metricsToken: string | undefined },
): Metrics {
  const metrics = new Metrics();
  app.decorate('metrics', metrics);
  app.decorate('draining', false);
  app.addHook('onRequest', async (req) => {
    (req as unknown as Record<symbol, bigint>)[startedAt] = process.hrtime.bigint();
  });
  // While draining, each answer closes its connection: the client's next request opens one
  // to the balancer, which sends it to a server that stays.
  app.addHook('onSend', async (_req, reply) => {
    if (app.draining) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (req, reply) => {
    const t = (req as unknown as Record<symbol, bigint | undefined>)[startedAt];
    if (t === undefined) return;
    const route = req.routeOptions.url ?? '(unmatched)';
    metrics.request(req.method, route, reply.statusCode, Number(process.hrtime.bigint() - t) / 1e9);
  });

  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    if (!metricsAllowed(req, opts.metricsToken)) return reply.code(404).send();
    const pools: { name: string; pool: pg.Pool }[] = [];
    if (opts.database.pool) pools.push({ name: 'primary', pool: opts.database.pool });
    if (opts.database.readPool) pools.push({ name: 'replica', pool: opts.database.readPool });
    const readPool = opts.database.readPool;
    return reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        metrics.render({
          sseClients: openEventStreamCount(),
          busListeners: opts.bus()?.subscriberCount() ?? 0,
          pools,
          ...(readPool instanceof ReplicaPool ? { replicaFallbacks: readPool.fallbacks } : {}),
        }),
      );
  });

  app.get(
    '/api/health/ready',
    {
      config: { access: 'public' },
      schema: { tags: ['platform'], response: { 200: ready, 503: ready } },
    },
    async (_req, reply) => {
      if (app.draining) return reply.code(503).send({ status: 'draining', database: opts.database.kind });
      const ok = await Promise.race([
        opts.database.db.execute(sql`select 1`).then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((r) => setTimeout(() => r(false), 2_000).unref()),
      ]);
      if (!ok) return reply.code(503).send({ status: 'unavailable', database: opts.database.kind });
      return { status: 'ready' as const, database: opts.database.kind };
    },
  );
  return metrics;
}

/** Every job registered on the runner from now on has its runs counted. */
export function countJobRuns(jobs: JobRunner, metrics: Metrics): void {
  const register = jobs.register.bind(jobs);
  jobs.register = (job) => register(metrics.instrument(job));
}
