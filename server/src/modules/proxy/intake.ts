import { consentMethodNames } from '@civicgrid/core/api/proxyConsent';
import type { ApplicationInput } from '@civicgrid/core/api/services';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { addFileVisibility } from '../../platform/files.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { files } from '../cases/tables.js';
import { residentScope } from '../residents/policy.js';
import { residents } from '../residents/tables.js';
import { applicationsScope } from '../services/policy.js';
import { applicationEvents, applications } from '../services/tables.js';
import { proxyApplications, proxyPointAgents, proxyPoints } from './tables.js';

/** A proxy intake checked and ready to write with its application. */
export interface CheckedProxy {
  agentId: string;
  agentName: string;
  proxyPointId: number | null;
  residentId: string;
  consent: NonNullable<NonNullable<ApplicationInput['proxy']>['consent']>;
}

/** A consent dated a little ahead is a phone clock running fast; more is a mistake. */
const clockSlackMs = 5 * 60_000;

/**
 * 帮办代办 at intake (issue 15 item 4): an application with channel "proxy" names the agent
 * who carries it (by default whoever takes it in) and the resident's consent — how (a signed
 * form photographed, or said aloud and recorded) and when. The resident must be on file;
 * someone who is not at a window (application:intake) proxies only for residents of his own
 * jurisdiction (a grid worker: his grid), and others do not exist for him (404). The agent is
 * a grid worker of the resident's grid or an agent of an open proxy point serving the area.
 * Returns null for any other channel.
 */
export async function checkProxy(
  db: Db,
  actor: Actor,
  input: ApplicationInput,
  idIndex: string,
): Promise<CheckedProxy | null> {
  if (input.channel !== 'proxy') {
    if (input.proxy) throw fieldError('proxy', 'channel', 'PROXY_ONLY_FOR_PROXY');
    return null;
  }
  const consent = input.proxy?.consent;
  if (!consent) throw fieldError('proxy.consent', 'required', 'PROXY_CONSENT_REQUIRED');
  if (Date.parse(consent.at) > Date.now() + clockSlackMs)
    throw fieldError('proxy.consent.at', 'past', 'PROXY_CONSENT_FUTURE');
  if (consent.method === 'signedForm' && !consent.fileId)
    throw fieldError('proxy.consent.fileId', 'required', 'PROXY_CONSENT_FILE_REQUIRED');
  if (consent.fileId) {
    const [own] = await db
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.id, consent.fileId), eq(files.ownerId, actor.userId)));
    if (!own) throw fieldError('proxy.consent.fileId', 'owned', 'PROXY_CONSENT_FILE_UNKNOWN');
  }
  const [resident] = await db.select().from(residents).where(eq(residents.idNumberIdx, idIndex));
  const atWindow = actor.permissions.has('application:intake');
  if (!atWindow && (!resident || !residentScope.visible(actor, resident))) throw new AppError('NOT_FOUND');
  if (!resident) throw fieldError('applicant.idNumber', 'onFile', 'PROXY_RESIDENT_REQUIRED');
  const agentId = input.proxy?.agentId ?? actor.userId;
  const agent = await agentFor(db, agentId, resident);
  if (!agent) throw fieldError('proxy.agentId', 'agent', 'PROXY_AGENT_INVALID');
  return { ...agent, residentId: resident.id, consent };
}

/**
 * Whether the user may carry a matter of this resident: an active holder of
 * application:proxy who is a grid worker of the resident's grid, or an agent of an open
 * proxy point whose area holds the resident (the point's, when both). The demo seed asks
 * it too, so its proxy applications keep the rule the intake keeps.
 */
export async function agentFor(
  db: Db,
  userId: string,
  resident: { gridId: number; orgPath: string },
): Promise<{ agentId: string; agentName: string; proxyPointId: number | null } | null> {
  const [user] = await db
    .select({ id: users.id, name: users.displayName, orgUnitId: users.orgUnitId })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(
      and(
        eq(users.id, userId),
        isNull(users.disabledAt),
        sql`${roles.permissions} @> ${JSON.stringify(['application:proxy'])}::jsonb`,
      ),
    )
    .limit(1);
  if (!user) return null;
  const [point] = await db
    .select({ id: proxyPoints.id })
    .from(proxyPointAgents)
    .innerJoin(proxyPoints, eq(proxyPoints.id, proxyPointAgents.pointId))
    .where(
      and(
        eq(proxyPointAgents.userId, userId),
        isNull(proxyPoints.retiredAt),
        sql`${resident.orgPath} like ${proxyPoints.orgPath} || '%'`,
      ),
    )
    .orderBy(sql`length(${proxyPoints.orgPath}) desc`)
    .limit(1);
  if (point) return { agentId: user.id, agentName: user.name, proxyPointId: point.id };
  if (user.orgUnitId === resident.gridId)
    return { agentId: user.id, agentName: user.name, proxyPointId: null };
  return null;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Writes the proxy record of an application just taken in, in the intake's transaction, and
 * a trail step that names the agent (全程留痕: the trail says who carries the matter).
 */
export async function recordProxy(
  tx: Tx,
  applicationId: string,
  status: string,
  p: CheckedProxy,
  recordedBy: string,
  now: number,
): Promise<void> {
  await tx.insert(proxyApplications).values({
    applicationId,
    agentId: p.agentId,
    proxyPointId: p.proxyPointId,
    residentId: p.residentId,
    consentMethod: p.consent.method,
    consentAt: new Date(p.consent.at),
    consentFileId: p.consent.fileId ?? null,
    consentNote: p.consent.note ?? null,
    recordedBy,
    createdAt: new Date(now),
  });
  await tx.insert(applicationEvents).values({
    applicationId,
    action: 'proxy',
    fromState: status,
    toState: status,
    actorId: p.agentId,
    note: `帮办代办：代办员 ${p.agentName}；居民同意方式：${consentMethodNames[p.consent.method]}`,
    data: { agentId: p.agentId, proxyPointId: p.proxyPointId, consentAt: p.consent.at },
    at: new Date(now),
  });
}

/** The photo of a signed consent form is seen by whoever sees the application it consents to. */
async function consentOfVisibleApplication(db: Db, actor: Actor, fileId: string): Promise<boolean> {
  const [hit] = await db
    .select({ id: applications.id })
    .from(proxyApplications)
    .innerJoin(applications, eq(applications.id, proxyApplications.applicationId))
    .where(and(eq(proxyApplications.consentFileId, fileId), applicationsScope.where(actor)))
    .limit(1);
  return hit !== undefined;
}
addFileVisibility(consentOfVisibleApplication);
