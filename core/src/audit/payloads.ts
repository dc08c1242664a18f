import { z } from 'zod';
import { type Permission, permissionNames } from '../permissions.js';

/*
 * What each audited action records, one zod object per action (the server's `appendAudit`
 * checks every row against it when it is written). The trail is read by auditors and kept for
 * years, so a payload holds ids, codes, field names, counts and flags — never a person's
 * name, ID number or phone in clear. The shapes below are deliberately narrow (identifiers
 * match `identifier`, objects are strict): a value that is free text has no place to go.
 */

/** A field, reason or action name: camelCase or dotted, never free text. */
const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_.]{0,63}$/);
/** A code of the platform's own (org unit, case, category, role, department). */
const code = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
/** A row's primary key: a uuid or a serial. */
const uuid = z.string().regex(/^[0-9a-f-]{36}$/i);
const serial = z.number().int();
const count = z.number().int().nonnegative();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/);
const fields = z.array(identifier);
/** A permission name as core lists it (`case:read`). */
const permission = z.enum(permissionNames as [Permission, ...Permission[]]);

const none = z.strictObject({});
/** Which fields of the row an update touched (the request's keys, not their values). */
const changed = z.strictObject({ fields });
/** One batch of a spreadsheet import (platform/importer.ts). */
const importBatch = z.strictObject({ rows: count, written: count, refused: count });

export const auditPayloads = {
  'auth.login': z.strictObject({ secondFactor: z.boolean(), display: z.boolean() }), // a successful login
  'auth.loginFailed': z.strictObject({ reason: identifier }), // wrong username or password, or a wrong second factor
  'auth.locked': none, // the fifth failure locked the account
  'auth.logout': none,
  'auth.passwordChanged': none,
  'auth.totpEnabled': none,
  'auth.totpDisabled': none,
  'auth.recoveryCodeUsed': none,
  // The token's label, chosen by its owner to tell his tokens apart ("大屏", "导入脚本").
  'auth.tokenCreated': z.strictObject({ name: z.string().max(100) }),
  'auth.tokenRevoked': none,
  'residentAccount.signedUp': none, // a first sign-in by SMS code made a resident account
  'residentAccount.login': none, // a resident signed in with an SMS code
  'residentAccount.loginFailed': z.strictObject({ reason: identifier }), // a wrong, expired or spent code
  'residentAccount.consented': z.strictObject({ version: code }), // consent to the privacy notice
  'residentAccount.realNameBound': none, // ID number bound (stored encrypted; never in the trail)
  'residentAccount.deleted': z.strictObject({ cases: count }), // the account deleted, its reports anonymised
  'org.unitCreated': z.strictObject({ code, level: identifier, parentId: serial }),
  'org.unitUpdated': changed,
  'org.unitMoved': z.strictObject({ from: serial.nullable(), to: serial, oldCode: code, newCode: code }),
  'org.unitRetired': none,
  'org.teamUpdated': z.strictObject({ members: z.array(z.strictObject({ userId: uuid, role: identifier })) }),
  'department.created': z.strictObject({ code }),
  'department.updated': changed,
  // The account's login name is its handle in the trail (the actor column holds the same
  // kind); the command-line tool does not restrict its characters, so neither does this.
  'user.created': z.strictObject({
    via: z.literal('cli').optional(),
    username: z.string().min(1).max(64),
    roles: z.array(code),
    orgUnitId: serial.nullable(),
    departmentId: serial.nullable(),
  }),
  'user.updated': z.strictObject({
    via: z.literal('cli').optional(),
    fields,
    roles: z.array(code).optional(),
    disabled: z.boolean().optional(),
  }),
  'user.passwordReset': z.strictObject({
    via: z.literal('cli').optional(),
    totpReset: z.boolean().optional(),
  }),
  'user.unlocked': none,
  // a user:write holder tried to change an administrator's account or his own
  'user.adminActionRefused': z.strictObject({ attempted: identifier, own: z.boolean() }),
  'role.created': z.strictObject({ code, permissions: z.array(permission) }),
  'role.updated': z.strictObject({
    name: z.string().max(100).optional(),
    permissions: z.array(permission).optional(),
    totpRequired: z.boolean().optional(),
  }),
  'role.deleted': z.strictObject({ code }),
  // a user saw a full ID or phone number: which fields, and through which door
  'pii.revealed': z.strictObject({ fields, via: identifier.optional() }),
  'case.reported': z.strictObject({ code, categoryCode: code, channel: identifier }),
  // any workflow action on a case; `action` names it
  'case.action': z.strictObject({ action: identifier, from: identifier, to: identifier }),
  'case.batchDispatched': z.strictObject({ cases: z.array(uuid) }),
  // a case list left the platform as a spreadsheet: how many rows, filtered by which parameters
  'case.exported': z.strictObject({ rows: count, filters: fields }),
  // the deadline job marked cases overdue or escalated them
  'case.deadlineSwept': z.strictObject({ warned: count, overdue: count, escalated: count }),
  'caseCategory.created': none,
  'caseCategory.updated': changed,
  'calendar.updated': z.strictObject({ days: count }),
  'file.uploaded': z.strictObject({ mime: z.string().regex(/^[a-z]+\/[\w.+-]+$/), size: count }),
  'resident.created': none,
  'resident.updated': changed,
  'resident.moved': z.strictObject({ from: serial, to: serial }), // grid ids
  'resident.imported': importBatch,
  'resident.exported': z.strictObject({ rows: count, revealed: z.boolean() }),
  'building.created': none,
  'building.updated': changed,
  'building.imported': importBatch,
  'building.exported': z.strictObject({ rows: count }),
  'housingUnit.created': none,
  'housingUnit.updated': changed,
  'household.created': none,
  'household.memberSet': z.strictObject({ residentId: uuid }),
  'household.memberRemoved': z.strictObject({ residentId: uuid }),
  'organization.created': none,
  // by hand: the fields; by an import moving it to another grid: from and to (grid ids)
  'organization.updated': z.strictObject({
    fields,
    from: serial.nullable().optional(),
    to: serial.nullable().optional(),
    via: z.literal('import').optional(),
  }),
  'organization.imported': importBatch,
  'organization.exported': z.strictObject({ rows: count }),
  'facility.created': none,
  'facility.updated': changed,
  'careCategory.created': none,
  'careCategory.updated': none,
  'care.opened': z.strictObject({ category: code }),
  'care.updated': changed,
  'care.closed': none,
  // someone opened a care case (the target) or listed care cases (their ids)
  'care.read': z.strictObject({ cases: z.array(uuid).optional() }),
  'care.visited': none,
  'care.anonymised': z.strictObject({ count }), // the retention job removed the person from closed cases
  'residentTag.created': none,
  // renamed (carried to the residents), described, reordered or retired
  'residentTag.updated': z.strictObject({ fields, residentsRenamed: count }),
  'assessment.rulesUpdated': none, // a district's scoring rules were saved; the target is the district
  // a department's self / peer / third-party score for a period
  'assessment.evaluationEntered': z.strictObject({ period: identifier, start: isoDate, kind: identifier }),
  // a scorecard (level, period, area) or a report (weekly review, monthly bulletin) was downloaded
  'assessment.exported': z.union([
    z.strictObject({ level: identifier, period: identifier, from: isoDate, orgUnitId: serial.nullable() }),
    z.strictObject({ report: identifier, format: identifier, from: isoDate, to: isoDate }),
  ]),
  // the catalogue: a new item (version 1), or an edit that made the next version
  'serviceItem.created': z.strictObject({ code, version: count }),
  'serviceItem.updated': z.strictObject({ code, version: count, fields }),
  // an application taken in at a window (or by a proxy agent), accepted or waiting for material
  'application.created': z.strictObject({ code, serviceCode: code, channel: identifier, status: identifier }),
  'application.action': z.strictObject({ action: identifier, from: identifier, to: identifier }),
  // a certificate made void; the reason stays on the certificate row (free text)
  'certificate.revoked': z.strictObject({ number: code, applicationId: uuid }),
  // a rating recorded by staff (the level only, the comment stays on the rating row)
  'application.rated': z.strictObject({ level: z.number().int().min(1).max(5), channel: identifier }),
  // a rectification closed by the unit's back office (the note stays on the rating row)
  'rectification.closed': z.strictObject({ applicationId: uuid }),
  // 服务统计 downloaded as a workbook: the area asked for (null: the whole jurisdiction) and the period
  'serviceMetrics.exported': z.strictObject({
    orgUnitId: serial.nullable(),
    from: isoDate.nullable(),
    to: isoDate.nullable(),
  }),
  // a proxy point (代办点) opened, or its fields, agents or closing changed
  'proxyPoint.created': z.strictObject({ agents: count }),
  'proxyPoint.updated': changed,
  // a resident asked from /r that a grid worker carry an item for him (ids only: no note, no phone)
  'proxyRequest.created': z.strictObject({ serviceItemId: serial, orgUnitId: serial }),
  // a proxy request taken, cancelled or linked to the application that carries it
  'proxyRequest.action': z.strictObject({ action: identifier, from: identifier, to: identifier }),
  // a micro-wish posted (ids only: its title and text stay on the row); for a resident on file or not
  'wish.posted': z.strictObject({ gridId: serial, forResident: z.boolean() }),
  // a micro-wish published, claimed, fulfilled, rated or withdrawn
  'wish.action': z.strictObject({ action: identifier, from: identifier, to: identifier }),
  // the escalation job: the wishes left unclaimed past the limit, told to their community
  'wish.escalated': z.strictObject({ wishes: z.array(uuid) }),
  // a street summoned departments (街道吹哨): which, and until when
  'whistle.raised': z.strictObject({ departments: z.array(serial), deadline: isoDate }),
  // a department reported (部门报到); late when after the deadline (the note stays on the row)
  'whistle.reported': z.strictObject({ departmentId: serial, late: z.boolean() }),
  // a deliberation proposed (五步民主议事): for which unit; its text stays on the row
  'deliberation.proposed': z.strictObject({ orgUnitId: serial }),
  // a step taken: convene, vote, implement, review, publish (counts and notes stay on the trail)
  'deliberation.action': z.strictObject({ action: identifier, from: identifier, to: identifier }),
  // a resident's suggestion to his community (居民建议); its text stays on the row
  'deliberation.suggested': z.strictObject({ orgUnitId: serial }),
  // the community turned a suggestion into a deliberation, with the supports it had then
  'deliberation.suggestionProposed': z.strictObject({ deliberationId: uuid, supports: count }),
  // a comment on a deliberation's public page hidden by staff, and why (a code; the note stays on the row)
  'deliberation.commentHidden': z.strictObject({ commentId: uuid, reason: identifier }),
  // 街道议事会 set up, a member seated or retired (names and phones stay on the rows)
  'council.created': z.strictObject({ streetId: serial }),
  'council.memberAdded': z.strictObject({ councilId: serial, memberId: uuid, category: identifier }),
  'council.memberRetired': z.strictObject({ councilId: serial, memberId: uuid }),
  // a volunteer registered (the name and phone stay on the row, the phone encrypted)
  'volunteer.registered': z.strictObject({ orgUnitId: serial, resident: z.boolean() }),
  'dualRegistration.registered': z.strictObject({ orgUnitId: serial, kind: identifier }),
  'propertyCompany.registered': z.strictObject({ orgUnitId: serial, estates: count }),
  'propertyEstate.added': z.strictObject({ estateId: serial }),
  'jointMeeting.recorded': z.strictObject({ orgUnitId: serial, attendees: count, items: count }),
  // 党组织: the tree's changes (names stay on the rows; a member's name and home on his resident file)
  'partyOrg.created': z.strictObject({ level: identifier, orgUnitId: serial, parentId: uuid.nullable() }),
  'partyOrg.updated': changed,
  'partyOrg.retired': z.strictObject({ level: identifier }),
  'partyMember.added': z.strictObject({ partyOrgId: uuid, role: identifier, resident: z.boolean() }),
  // which fields changed (names only), and the role before and after (a 书记 named or stood down)
  'partyMember.updated': z.strictObject({
    partyOrgId: uuid,
    fields,
    fromRole: identifier,
    toRole: identifier,
  }),
  'partyMember.removed': z.strictObject({ partyOrgId: uuid, households: count }),
  'partyHousehold.marked': z.strictObject({ partyOrgId: uuid, memberId: uuid }),
  'partyHousehold.unmarked': z.strictObject({ partyOrgId: uuid, memberId: uuid }),
  // 社会组织: registered for an area (its people and phone stay on the row, the phone encrypted)
  'socialOrg.registered': z.strictObject({ orgUnitId: serial, type: identifier }),
  // which fields of the registry entry changed (names only: the values are on the row)
  'socialOrg.updated': changed,
  // an incubation stage reached (入驻孵化、培育中、出壳)
  'socialOrg.incubated': z.strictObject({ stage: identifier }),
  'socialOrg.exported': z.strictObject({ rows: count }),
  // 公益创投: applied for (the buyer, the amount in fen), an action taken, a milestone ticked, money spent
  'socialProject.applied': z.strictObject({ socialOrgId: uuid, orgUnitId: serial, amountFen: count }),
  'socialProject.action': z.strictObject({ action: identifier, from: identifier, to: identifier }),
  'socialProject.milestoneDone': z.strictObject({ milestoneId: serial, files: count }),
  'socialProject.spent': z.strictObject({ amountFen: count, spentFen: count }),
  'volunteerActivity.created': z.strictObject({ orgUnitId: serial, radiusM: count }),
  'volunteer.signedUp': z.strictObject({ volunteerId: uuid, activityId: uuid }),
  // checked in at the place: how far from it (metres), never the point itself
  'volunteer.checkedIn': z.strictObject({ volunteerId: uuid, activityId: uuid, distanceM: count }),
  // checked out: the minutes credited for the pair
  'volunteer.checkedOut': z.strictObject({ volunteerId: uuid, activityId: uuid, minutes: count }),
  // checked in by scanning the activity's signed code (扫码签到): no distance, the code is at the place
  'volunteer.checkedInByCode': z.strictObject({ volunteerId: uuid, activityId: uuid }),
  // a check-in code shown or printed by the organiser, valid until it expires
  'volunteerActivity.codeIssued': z.strictObject({ activityId: uuid, expiresAt: isoDate }),
  // 志愿服务队: formed, changed (which fields), a member added or removed
  'volunteerTeam.created': z.strictObject({ orgUnitId: serial, members: count }),
  'volunteerTeam.updated': changed,
  'volunteerTeam.memberAdded': z.strictObject({ volunteerId: uuid }),
  'volunteerTeam.memberRemoved': z.strictObject({ volunteerId: uuid }),
  // a dispute registered (ids and codes only: the parties stay on their rows, encrypted)
  'dispute.created': z.strictObject({
    code,
    type: identifier,
    riskLevel: identifier,
    source: identifier,
    parties: count,
  }),
  'dispute.action': z.strictObject({ action: identifier, from: identifier, to: identifier }),
  // a red dispute told to the street and the district at once: how many people were told
  'dispute.redAlert': z.strictObject({ code, notified: count }),
  'committee.created': z.strictObject({ kind: identifier, orgUnitId: serial, mediators: count }),
  'mediator.added': z.strictObject({ committeeId: serial }),
  'mediator.retired': z.strictObject({ committeeId: serial, mediatorId: serial }),
  // which fields changed (names only: the values are in the registry)
  'committee.updated': z.strictObject({ fields: z.array(identifier).max(10) }),
  'committee.disabled': z.strictObject({ committeeId: serial }),
  'committee.enabled': z.strictObject({ committeeId: serial }),
  // a grid's weekly report: how many disputes, or a zero report
  'screening.reported': z.strictObject({ gridId: serial, weekFrom: isoDate, disputes: count }),
  'reception.recorded': z.strictObject({ route: identifier, resident: z.boolean() }),
  'reception.done': z.strictObject({ route: identifier }),
  // a grievance registered (letter, visit, call, online); the person's name and words stay on the row
  'grievance.registered': z.strictObject({ code, channel: identifier }),
  'grievance.action': z.strictObject({ action: identifier, from: identifier, to: identifier }),
  // someone opened a grievance (the target), its answer PDF, or listed grievances (their ids)
  'grievance.read': z.strictObject({ grievances: z.array(uuid).optional(), document: identifier.optional() }),
  // an Open311 client's key issued (its label, chosen by the admin) or revoked
  'open311.keyCreated': z.strictObject({ name: z.string().max(60) }),
  'open311.keyRevoked': none,
  // a request posted with the key (the target): the GeoReport endpoint and what it made
  'open311.keyUsed': z.strictObject({
    endpoint: identifier,
    serviceCode: code.nullable(),
    caseCode: code.nullable(),
  }),
  // a 12345 work order taken in (or sent again: created false); the caller stays on the case
  'hotline.orderReceived': z.strictObject({ orderNo: code, caseCode: code, created: z.boolean() }),
  // the hotline category → taxonomy table changed (the target is the hotline's category text)
  'hotline.mappingSaved': z.strictObject({ categoryCode: code }),
  'hotline.mappingDeleted': none,
  // a dead-lettered status callback sent again by an admin
  'hotline.callbackResent': z.strictObject({ orderNo: code, kind: identifier }),
  // the callback address changed (the address itself is configuration, not audited text)
  'hotline.settingsSaved': z.strictObject({ callbackUrlSet: z.boolean() }),
  // the shared secret was set: generated by the server or typed in; the secret is never audited
  'hotline.secretRotated': z.strictObject({ generated: z.boolean() }),
  // an emergency reported; how many people were told (their ids are the notification rows)
  'incident.reported': z.strictObject({ code, type: identifier, level: identifier, notified: count }),
  'incident.acknowledged': none, // a notified person acknowledged the notice
  'incident.logged': z.strictObject({ kind: identifier }), // a command-log entry (its text stays on the row)
  'incident.taskAssigned': z.strictObject({ departmentId: serial, dueAt: isoDate }),
  'incident.taskDone': z.strictObject({ taskId: serial }),
  'incident.closed': none, // closed with its summary (on the row)
  'roster.updated': z.strictObject({ orgUnitId: serial, day: isoDate, onCall: count, leaders: count }),
  // a briefing (会商研判) held: its decisions became supervised tasks
  'briefing.held': z.strictObject({ orgUnitId: serial, decisions: count }),
  'briefingTask.done': z.strictObject({ taskId: serial }),
  // 综治统计 downloaded as a workbook: the area asked for (null: the whole jurisdiction) and the period
  'governanceStats.exported': z.strictObject({
    orgUnitId: serial.nullable(),
    from: isoDate.nullable(),
    to: isoDate.nullable(),
  }),
  'camera.created': z.strictObject({ code }), // a camera registered (GB/T 28181 device code)
  'camera.updated': changed,
  // 智慧养老: a wearable registered (its IMEI is the target's code); an alert acknowledged or closed
  'device.registered': z.strictObject({ imei: code }),
  'deviceAlert.acknowledged': z.strictObject({ kind: identifier, seconds: count }),
  'deviceAlert.closed': z.strictObject({ kind: identifier }),
  // an SOS or a fall became an urgent case (the target is the alert)
  'deviceAlert.case': z.strictObject({ kind: identifier, caseCode: code }),
  'elder.profileSaved': z.strictObject({
    contacts: count,
    /** How many contacts came with a number typed in (the others kept the stored one). */
    newPhones: count.optional(),
    /** Earlier entries: whether health data was saved; now what the save did to it. */
    health: z.union([z.boolean(), z.enum(['kept', 'set', 'cleared'])]),
  }),
  // an elder's health data read (need to know: every read recorded)
  'elder.healthRead': none,
  // 12349: an order taken from a call (the service's code); an action on it (with the provider on dispatch)
  'eldercareOrder.created': z.strictObject({ serviceCode: code }),
  'eldercareOrder.action': z.strictObject({
    action: identifier,
    from: identifier,
    to: identifier,
    providerId: serial.optional(),
  }),
  'eldercareOrder.callerRevealed': none,
  'provider.created': z.strictObject({ areas: count, services: count }),
  'provider.updated': changed,
  // a month's bill of one provider, or of all (providerId absent)
  'eldercareBill.exported': z.strictObject({ month: code, providerId: serial.optional(), rows: count }),
  // 通知公告: published (or set to go out at publishAt) to an area; edited; withdrawn; pinned or unpinned
  'notice.published': z.strictObject({ orgUnitId: serial, kind: identifier, publishAt: isoDate }),
  'notice.updated': changed,
  'notice.withdrawn': none,
  'notice.pinned': z.strictObject({ pinned: z.boolean() }),
  // the system admin ran a timed job out of turn (the target is the job); busy: it was running already
  'job.ranManually': z.strictObject({ outcome: identifier, ok: z.boolean().nullable() }),
} as const;

export type AuditAction = keyof typeof auditPayloads;

/** Every audited action, one typed list. */
export const auditAction = z.enum(Object.keys(auditPayloads) as [AuditAction, ...AuditAction[]]);

/** What an action's row records, as the writer passes it. */
export type AuditPayload<A extends AuditAction> = z.input<(typeof auditPayloads)[A]>;

/** What one batch of a spreadsheet import records. */
export type ImportBatchPayload = z.input<typeof importBatch>;

/** The actions whose payload is exactly `P` (e.g. the imports, for the shared importer). */
export type AuditActionWith<P> = {
  [K in AuditAction]: [AuditPayload<K>] extends [P] ? ([P] extends [AuditPayload<K>] ? K : never) : never;
}[AuditAction];
