import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { health, publicConfig } from '@civicgrid/core/api/platform';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { accountRoutes } from './modules/accounts/routes.js';
import { assessmentRoutes } from './modules/assessment/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { briefingRoutes } from './modules/briefings/routes.js';
import { cameraRoutes } from './modules/cameras/routes.js';
import { careRetentionJob } from './modules/care/jobs.js';
import { careRoutes } from './modules/care/routes.js';
import { deadlineJob } from './modules/cases/deadlines.js';
import { caseRoutes } from './modules/cases/routes.js';
import { dashboardRoutes } from './modules/dashboard/routes.js';
import { disclosureRoutes } from './modules/disclosure/routes.js';
import { disputeRoutes } from './modules/disputes/routes.js';
import { offlineDevicesJob } from './modules/eldercare/jobs.js';
import { ensureTelemetryPartitions, telemetryPartitionJob } from './modules/eldercare/partitions.js';
import { eldercareRoutes } from './modules/eldercare/routes.js';
import { createEldercare } from './modules/eldercare/runtime.js';
import { eldercareOrderRoutes } from './modules/eldercareOrders/routes.js';
import { fieldworkRoutes } from './modules/fieldwork/routes.js';
import { governanceStatsRoutes } from './modules/governanceStats/routes.js';
import { grievanceRoutes } from './modules/grievances/routes.js';
import { hotlineCallbackJob } from './modules/hotline/callbacks.js';
import { hotlineRoutes } from './modules/hotline/routes.js';
import { currentDelivery } from './modules/hotline/settings.js';
import { incidentRoutes } from './modules/incidents/routes.js';
import { noticeRoutes } from './modules/notices/routes.js';
import { open311KeyRoutes, open311Routes } from './modules/open311/routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { overviewRoutes } from './modules/overview/routes.js';
import { wishEscalationJob } from './modules/participation/jobs.js';
import { propertyClockJob } from './modules/participation/property.js';
import { propertyRoutes } from './modules/participation/propertyRoutes.js';
import { participationRoutes } from './modules/participation/routes.js';
import { placeRoutes } from './modules/places/routes.js';
import { proxyRoutes } from './modules/proxy/routes.js';
import { publicMapRoutes } from './modules/publicMap/routes.js';
import { reportRoutes } from './modules/reports/routes.js';
import { residentAccountRoutes } from './modules/residentAuth/routes.js';
import { residentRoutes } from './modules/residents/routes.js';
import { routingRoutes } from './modules/routing/routes.js';
import { suggestOnEveryArrival } from './modules/routing/suggest.js';
import { routingTrainingJob } from './modules/routing/training.js';
import { screenRoutes } from './modules/screen/routes.js';
import { applicationDeadlineJob } from './modules/services/deadlines.js';
import { onlineServiceRoutes } from './modules/services/onlineRoutes.js';
import { serviceRoutes } from './modules/services/routes.js';
import { anchorSettingsOf, auditAnchorJob } from './platform/audit/anchors.js';
import { startAuditLinker } from './platform/audit/chain.js';
import { auditSealOf, registerAuditSeal } from './platform/audit/trail.js';
import { authRoutes } from './platform/auth/routes.js';
import { createEventBus, type EventBus } from './platform/bus.js';
import { readDbOf } from './platform/db.js';
import type { AppDeps } from './platform/deps.js';
import { fileStoreFor } from './platform/files.js';
import { ensureHistoryPartitions, historyPartitionJob, historyRetentionOf } from './platform/history.js';
import { registerAccessControl, registerErrorHandling, sendRouteNotFound } from './platform/http.js';
import { importRoutes } from './platform/importRoutes.js';
import { jobRoutes } from './platform/jobs/routes.js';
import { createJobRunner, type JobRunner } from './platform/jobs/runner.js';
import { loggerOptions } from './platform/logging.js';
import { countJobRuns, registerOperations } from './platform/metrics.js';
import { logSmsSender, withSmsOutbox } from './platform/notify.js';
import { RedisRateLimits, registerRateLimitStore } from './platform/rateLimit.js';
import { registerSecurityHeaders } from './platform/securityHeaders.js';
import { registerControlCharacterGuard } from './platform/strings.js';

export const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

declare module 'fastify' {
  interface FastifyInstance {
    bus: EventBus;
    /** The timed jobs, registered here; main.ts starts them (a test app leaves them still). */
    jobs: JobRunner;
  }
}

export async function buildApp(
  deps: AppDeps,
  opts: {
    logger?: FastifyServerOptions['logger'];
    serveWeb?: boolean;
    bus?: EventBus;
    /** The built web app to serve; `web/dist` unless a test gives its own. */
    webRoot?: string;
  } = {},
): Promise<FastifyInstance> {
  const webRoot = opts.webRoot ?? webDist;
  // Every audit row written through this database is sealed with the configured audit key.
  registerAuditSeal(deps.db, auditSealOf(deps.config));
  const app = Fastify({
    // Whatever logger a caller passes, errors and personal fields go through the same filter.
    logger: opts.logger ? { ...loggerOptions('info'), ...(opts.logger === true ? {} : opts.logger) } : false,
    bodyLimit: deps.config.BODY_LIMIT,
    // X-Forwarded-For is believed only from the configured proxies; otherwise any client
    // could write the address the audit trail and the rate limits see.
    trustProxy: deps.config.TRUST_PROXY.length > 0 ? deps.config.TRUST_PROXY : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Rate limits counted in Redis when REDIS_URL is set (shared by every server), else in the database.
  if (deps.config.REDIS_URL) {
    const limits = new RedisRateLimits(deps.config.REDIS_URL);
    registerRateLimitStore(deps.db, limits);
    app.addHook('onClose', () => limits.close());
  }

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'CivicGrid API', description: '基层综合服务管理平台 API', version: '0.1.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cg_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // The appender links audit rows into the chain as their transactions commit (chain.ts);
  // its onClose hook is added first, so it runs last, after whatever the others append.
  const auditLinker = startAuditLinker(deps.db, auditSealOf(deps.config), app.log);
  app.addHook('onClose', () => auditLinker.stop());
  registerErrorHandling(app);
  registerAccessControl(app, deps);
  registerControlCharacterGuard(app);
  // /metrics, /api/health/ready and the request counts behind /metrics (before the routes it counts).
  let busRef: EventBus | undefined;
  const metrics = registerOperations(app, {
    database: deps.database,
    bus: () => busRef,
    metricsToken: deps.config.METRICS_TOKEN,
  });

  const serveWeb = (opts.serveWeb ?? true) && existsSync(webRoot);
  registerSecurityHeaders(app, {
    cookieSecure: deps.config.COOKIE_SECURE,
    mapTileUrl: deps.config.MAP_TILE_URL,
    webRoot: serveWeb ? webRoot : null,
  });

  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        response: { 200: health },
      },
    },
    async () => ({ status: 'ok' as const, database: deps.database.kind }),
  );
  app.get(
    '/api/config/public',
    {
      config: { access: 'public' },
      schema: { tags: ['platform'], response: { 200: publicConfig } },
    },
    async () => ({ mapTileUrl: deps.config.MAP_TILE_URL }),
  );
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(authRoutes(deps));
  await app.register(orgRoutes(deps));
  await app.register(accountRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(overviewRoutes(deps));
  await app.register(residentRoutes(deps));
  await app.register(placeRoutes(deps));
  await app.register(careRoutes(deps));
  await app.register(fieldworkRoutes(deps));
  await app.register(disclosureRoutes(deps));
  // The dashboard and the big screen only read: the replica when there is one (DATABASE_READ_URL).
  await app.register(dashboardRoutes({ ...deps, db: readDbOf(deps) }));
  await app.register(assessmentRoutes(deps));
  await app.register(reportRoutes(deps));
  await app.register(screenRoutes({ ...deps, db: readDbOf(deps) }));
  await app.register(serviceRoutes(deps));
  await app.register(onlineServiceRoutes(deps));
  await app.register(grievanceRoutes(deps));
  await app.register(governanceStatsRoutes(deps));
  await app.register(briefingRoutes(deps));
  await app.register(cameraRoutes(deps));
  await app.register(proxyRoutes(deps));
  await app.register(eldercareOrderRoutes(deps));
  await app.register(noticeRoutes(deps));
  await app.register(publicMapRoutes(deps));
  await app.register(participationRoutes(deps));
  await app.register(propertyRoutes(deps));
  await app.register(importRoutes(deps));
  // One bus per app: LISTEN/NOTIFY across processes on PostgreSQL, in-process otherwise.
  const bus = opts.bus ?? (await createEventBus(deps.config.DATABASE_URL));
  app.decorate('bus', bus);
  busRef = bus;
  if (!opts.bus) app.addHook('onClose', () => bus.close());
  const jobs = createJobRunner({ db: deps.db, log: app.log });
  countJobRuns(jobs, metrics);
  jobs.register(deadlineJob(deps.db, bus));
  jobs.register(careRetentionJob(deps.db));
  jobs.register(wishEscalationJob(deps.db));
  jobs.register(propertyClockJob(deps.db));
  jobs.register(applicationDeadlineJob(deps.db, bus));
  jobs.register(auditAnchorJob(deps.db, anchorSettingsOf(deps.config), app.log));
  // Partitioned history: this month's and next month's partitions exist before anything is written.
  await ensureHistoryPartitions(deps.db);
  jobs.register(historyPartitionJob(deps.db, historyRetentionOf(deps.config)));
  app.decorate('jobs', jobs);
  // onClose hooks run last-added first: the jobs finish before the bus they publish on closes.
  app.addHook('onClose', () => jobs.stop());
  await app.register(jobRoutes(jobs, deps.db));
  // Texts to residents: the configured provider (the log by default), one for every module.
  const sms = withSmsOutbox(logSmsSender(app.log), deps.config.SMS_OUTBOX);
  await app.register(residentAccountRoutes({ ...deps, sms }));
  await app.register(
    caseRoutes({
      ...deps,
      files: fileStoreFor(deps.config),
      bus,
      sms,
    }),
  );

  await app.register(disputeRoutes({ ...deps, bus }));
  await app.register(incidentRoutes({ db: deps.db, crypto: deps.crypto, bus, sms, log: app.log }));
  // Outside systems: Open311 GeoReport v2 and the 12345 hotline bridge; their cases go through the cases service.
  const caseDeps = { db: deps.db, crypto: deps.crypto, bus, sms, log: app.log };
  await app.register(open311KeyRoutes(caseDeps));
  await app.register(open311Routes(caseDeps, deps.config.PUBLIC_URL));
  // The 12345 bridge's secret and callback address: set in the console, the environment's by default.
  const hotlineDefaults = {
    secret: deps.config.HOTLINE_SECRET,
    callbackUrl: deps.config.HOTLINE_CALLBACK_URL,
    publicUrl: deps.config.PUBLIC_URL,
  };
  await app.register(hotlineRoutes(caseDeps, hotlineDefaults));
  // 智慧养老: the wearables' ingestion (HTTP here; main.ts starts the MQTT broker); SOS and falls become cases.
  const eldercare = createEldercare(caseDeps, deps.config, app.log);
  app.decorate('eldercare', eldercare);
  app.addHook('onClose', () => eldercare.close());
  await ensureTelemetryPartitions(deps.db);
  await app.register(eldercareRoutes({ ...deps, bus, eldercare }));
  jobs.register(telemetryPartitionJob(deps.db, deps.config.TELEMETRY_RETENTION_DAYS));
  jobs.register(offlineDevicesJob(caseDeps, deps.config.DEVICE_OFFLINE_HOURS));
  // 智能派单: a suggestion stored for every case as it arrives; the model retrained nightly.
  jobs.register(routingTrainingJob(deps.db));
  const routing = suggestOnEveryArrival(deps.db, bus, app.log);
  app.addHook('onClose', () => routing.stop());
  await app.register(routingRoutes(deps.db));
  jobs.register(hotlineCallbackJob(deps.db, () => currentDelivery(deps.db, deps.crypto, hotlineDefaults)));

  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      index: ['index.html'],
      // The build leaves .br and .gz beside each asset (scripts/compress-dist.mjs).
      preCompressed: true,
      // Hashed assets never change; the shell must always be fresh.
      setHeaders: (reply, path) => {
        reply.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    // The web app routes on the client: a non-API GET of a page (not a file) gets its shell.
    const path = req.url.split('?')[0] ?? '';
    // A file is a name with a short extension (.js, .css, .webmanifest); a page's address may end in
    // a signed token whose last part looks like one but is longer (/m/checkin/{id}.{exp}.{mac}).
    if (serveWeb && req.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]{1,11}$/i.test(path)) {
      // The field app has its own shell (and its own service worker under /m/).
      if (path === '/m') return reply.redirect('/m/');
      if (path.startsWith('/m/'))
        return reply.type('text/html').header('cache-control', 'no-cache').sendFile('m.html');
      // The resident portal has its own small shell too; its disclosure page is the React app's.
      if (
        (path === '/r' || path.startsWith('/r/')) &&
        path !== '/r/disclosure' &&
        existsSync(join(webRoot, 'r.html'))
      )
        return reply.type('text/html').header('cache-control', 'no-cache').sendFile('r.html');
      return reply.type('text/html').sendFile('index.html');
    }
    return sendRouteNotFound(req, reply);
  });

  return app;
}
