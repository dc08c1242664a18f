import { z } from 'zod';
import {
  auditChainVerdict,
  auditEntry,
  auditQuery,
  passwordReset,
  permissionList,
  revealedPhone,
  role,
  roleCreate,
  roleList,
  roleUpdate,
  user,
  userCreate,
  userQuery,
  userUpdate,
} from './admin.js';
import {
  assessmentRulesQuery,
  assessmentRulesReply,
  assessmentRulesSave,
  departmentEvaluationInput,
  departmentEvaluationList,
  departmentEvaluationQuery,
  scorecardQuery,
  scorecardReply,
} from './assessment.js';
import {
  changePasswordBody,
  loginBody,
  me,
  tokenCreateBody,
  tokenCreated,
  tokenList,
  totpConfirmBody,
  totpConfirmReply,
  totpSetupReply,
} from './auth.js';
import {
  careCase,
  careCaseClose,
  careCaseDetail,
  careCaseInput,
  careCaseList,
  careCasePatch,
  careCategoryInput,
  careCategoryList,
  careCategoryListed,
  careCategoryParams,
  careCategoryUpdate,
  careListQuery,
  careVisitInput,
  careWorkerList,
  careWorkersQuery,
} from './care.js';
import {
  actionBody,
  assigneeChoices,
  assigneeQuery,
  attachment,
  batchDispatchInput,
  batchDispatchReply,
  calendarInput,
  calendarYear,
  calendarYearParam,
  caseActionParam,
  caseCategory,
  caseCounts,
  caseDetail,
  caseEventList,
  caseFilterQuery,
  caseList,
  caseListQuery,
  caseMap,
  caseMetrics,
  caseSummary,
  categoryCodeParam,
  categoryInput,
  categoryList,
  duplicateList,
  duplicatesQuery,
  metricsQuery,
  notificationIdParam,
  notificationList,
  reportCaseInput,
  revealedReporter,
} from './cases.js';
import { idParam, intIdParam, okReply, pageOf, pageQuery } from './common.js';
import { dashboardQuery, dashboardReply, todoReply } from './dashboard.js';
import { disclosure, disclosureQuery } from './disclosure.js';
import {
  gridCoverage,
  gridCoverageQuery,
  gridHouseholdList,
  gridHousingUnitList,
  gridQuery,
  householdVisitInput,
  householdVisitList,
  householdVisitRecorded,
  patrol,
  patrolEnd,
  patrolList,
  patrolListQuery,
  patrolPointsInput,
  patrolStart,
  patrolTrackReply,
  workDayParams,
  workLog,
  workLogInput,
  workLogList,
  workLogListQuery,
} from './fieldwork.js';
import { importJob, importStarted } from './imports.js';
import { jobList, jobNameParam, jobRunResult } from './jobs.js';
import {
  department,
  departmentCreate,
  departmentList,
  departmentUpdate,
  gridFeatureList,
  gridTeamUpdate,
  includeRetiredQuery,
  mapAreaList,
  orgTree,
  orgUnit,
  orgUnitCreate,
  orgUnitMove,
  orgUnitUpdate,
} from './org.js';
import { auditOverview, securityOverview, systemOverview } from './overview.js';
import {
  building,
  buildingDetail,
  buildingInput,
  buildingListQuery,
  buildingPatch,
  createdWithCode,
  facility,
  facilityInput,
  facilityListQuery,
  facilityPatch,
  householdInput,
  householdMemberInput,
  householdMemberParams,
  housingUnitInput,
  housingUnitPatch,
  housingUnitUpdated,
  organization,
  organizationInput,
  organizationListQuery,
  organizationPatch,
  placeMap,
  placesMapQuery,
  residentSettled,
  residentSettlement,
} from './places.js';
import { health, publicConfig } from './platform.js';
import { monthlyBulletinQuery, weeklyReviewQuery } from './reports.js';
import {
  resident,
  residentCaseList,
  residentExportQuery,
  residentHousehold,
  residentInput,
  residentList,
  residentListQuery,
  residentMove,
  residentMoveList,
  residentPatch,
  residentTagCreated,
  residentTagInput,
  residentTagList,
  residentTagListQuery,
  residentTagPatch,
  residentTagUpdated,
  revealedResident,
} from './residents.js';
import { screenCaseList, screenFeed, screenFeedQuery, screenGridList } from './screen.js';
import {
  applicationActionBody,
  applicationActionParam,
  applicationCreated,
  applicationDetail,
  applicationInput,
  applicationList,
  applicationListQuery,
  certificateCheck,
  certificateCodeParam,
  certificateInfo,
  certificateRevokeInput,
  ratingInfo,
  ratingInput,
  rectificationCloseInput,
  rectificationInfo,
  rectificationList,
  rectificationListQuery,
  serviceCodeParam,
  serviceItem,
  serviceItemInput,
  serviceItemPatch,
  serviceList,
  serviceMetrics,
  serviceMetricsQuery,
} from './services.js';

/** A 204: the reply has no body. */
export const noContent = z.undefined();
/**
 * A file (xlsx, pdf) to download, not JSON: the web links to it (`href` in the web client)
 * instead of fetching it, so there is no reply value to type.
 */
export const fileDownload = z.never();
/**
 * A server-sent event stream: the web opens it with `EventSource` at the `href` address;
 * like a download it has no JSON reply.
 */
export const eventStream = z.never();

/** What one route takes and answers; params, query and body are absent when the route has none. */
export interface RouteContract {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  reply: z.ZodType;
}

/**
 * Every route by `'METHOD /path'`, in Fastify's path form (`:id`), with the same schemas the
 * server validates with. The web client infers its argument and reply types from this map;
 * a server test checks the map against the registered routes, both ways.
 */
export const routes = {
  // platform
  'GET /api/health': { reply: health },
  'GET /api/config/public': { reply: publicConfig },
  'GET /api/admin/jobs': { reply: jobList },
  'POST /api/admin/jobs/:name/run': { params: jobNameParam, reply: jobRunResult },
  // Uploads are multipart (the web sends them with `upload`): no JSON body to type.
  'POST /api/files': { reply: attachment },
  'GET /api/files/:id': { params: idParam, reply: fileDownload },
  'GET /api/files/:id/thumb': { params: idParam, reply: fileDownload },
  'GET /api/imports/:id': { params: idParam, reply: importJob },
  'GET /api/imports/:id/errors.xlsx': { params: idParam, reply: fileDownload },

  // auth (platform/auth)
  'POST /api/auth/login': { body: loginBody, reply: me },
  'POST /api/auth/logout': { reply: noContent },
  'GET /api/me': { reply: me },
  'POST /api/auth/password': { body: changePasswordBody, reply: noContent },
  'POST /api/auth/totp/setup': { reply: totpSetupReply },
  'POST /api/auth/totp/confirm': { body: totpConfirmBody, reply: totpConfirmReply },
  'POST /api/auth/totp/disable': { body: totpConfirmBody, reply: noContent },
  'GET /api/auth/tokens': { reply: tokenList },
  'POST /api/auth/tokens': { body: tokenCreateBody, reply: tokenCreated },
  'DELETE /api/auth/tokens/:id': { params: idParam, reply: noContent },

  // accounts
  'GET /api/users': { query: userQuery, reply: pageOf(user) },
  'GET /api/users/:id': { params: idParam, reply: user },
  'POST /api/users': { body: userCreate, reply: user },
  'PATCH /api/users/:id': { params: idParam, body: userUpdate, reply: user },
  'POST /api/users/:id/reset-password': { params: idParam, body: passwordReset, reply: noContent },
  'POST /api/users/:id/unlock': { params: idParam, reply: noContent },
  'POST /api/users/:id/reveal': { params: idParam, reply: revealedPhone },
  'GET /api/roles': { reply: roleList },
  'GET /api/permissions': { reply: permissionList },
  'POST /api/roles': { body: roleCreate, reply: role },
  'PATCH /api/roles/:id': { params: intIdParam, body: roleUpdate, reply: role },
  'DELETE /api/roles/:id': { params: intIdParam, reply: noContent },

  // audit
  'GET /api/audit-log': { query: auditQuery, reply: pageOf(auditEntry) },
  'GET /api/audit-log/verify': { reply: auditChainVerdict },

  // org
  'GET /api/org/tree': { query: includeRetiredQuery, reply: orgTree },
  'GET /api/org/units/:id': { params: intIdParam, reply: orgUnit },
  'GET /api/org/units/:id/grids': { params: intIdParam, reply: gridFeatureList },
  'GET /api/org/areas': { reply: mapAreaList },
  'POST /api/org/units': { body: orgUnitCreate, reply: orgUnit },
  'PATCH /api/org/units/:id': { params: intIdParam, body: orgUnitUpdate, reply: orgUnit },
  'POST /api/org/units/:id/move': { params: intIdParam, body: orgUnitMove, reply: orgUnit },
  'POST /api/org/units/:id/retire': { params: intIdParam, reply: orgUnit },
  'PUT /api/org/units/:id/team': { params: intIdParam, body: gridTeamUpdate, reply: orgUnit },
  'GET /api/departments': { query: includeRetiredQuery, reply: departmentList },
  'POST /api/departments': { body: departmentCreate, reply: department },
  'PATCH /api/departments/:id': { params: intIdParam, body: departmentUpdate, reply: department },

  // cases: configuration, the cases, metrics, notifications
  'GET /api/case-categories': { reply: categoryList },
  'POST /api/case-categories': { body: categoryInput, reply: caseCategory },
  'PATCH /api/case-categories/:code': {
    params: categoryCodeParam,
    body: categoryInput.partial(),
    reply: caseCategory,
  },
  'GET /api/calendar/:year': { params: calendarYearParam, reply: calendarYear },
  'PUT /api/calendar/:year': { params: calendarYearParam, body: calendarInput, reply: calendarYear },
  'POST /api/cases': { body: reportCaseInput, reply: caseSummary },
  'GET /api/cases': { query: caseListQuery, reply: caseList },
  'GET /api/cases/counts': { reply: caseCounts },
  'GET /api/cases/map': { query: caseFilterQuery, reply: caseMap },
  'GET /api/cases/export.xlsx': { query: caseFilterQuery, reply: fileDownload },
  'GET /api/cases/duplicates': { query: duplicatesQuery, reply: duplicateList },
  'POST /api/cases/batch-dispatch': { body: batchDispatchInput, reply: batchDispatchReply },
  'GET /api/cases/:id': { params: idParam, reply: caseDetail },
  'GET /api/cases/:id/events': { params: idParam, reply: caseEventList },
  'POST /api/cases/:id/reporter/reveal': { params: idParam, reply: revealedReporter },
  'GET /api/cases/:id/assignees': { params: idParam, query: assigneeQuery, reply: assigneeChoices },
  'POST /api/cases/:id/actions/:action': {
    params: caseActionParam,
    body: actionBody.optional(),
    reply: caseDetail,
  },
  'GET /api/metrics/cases': { query: metricsQuery, reply: caseMetrics },
  'GET /api/notifications': { query: pageQuery, reply: notificationList },
  'POST /api/notifications/:id/read': { params: notificationIdParam, reply: okReply },
  'POST /api/notifications/read-all': { reply: okReply },
  'GET /api/notifications/stream': { reply: eventStream },

  // places: buildings and their units, households, organizations, facilities, the map
  'GET /api/buildings': { query: buildingListQuery, reply: pageOf(building) },
  'GET /api/buildings/export.xlsx': {
    query: buildingListQuery.omit({ page: true, pageSize: true }),
    reply: fileDownload,
  },
  'POST /api/buildings': { body: buildingInput, reply: building },
  'GET /api/buildings/:id': { params: intIdParam, reply: buildingDetail },
  'PATCH /api/buildings/:id': { params: intIdParam, body: buildingPatch, reply: building },
  'POST /api/buildings/:id/units': { params: intIdParam, body: housingUnitInput, reply: createdWithCode },
  'PATCH /api/housing-units/:id': { params: intIdParam, body: housingUnitPatch, reply: housingUnitUpdated },
  'POST /api/households': { body: householdInput, reply: createdWithCode },
  'PUT /api/households/:id/members': { params: intIdParam, body: householdMemberInput, reply: okReply },
  'DELETE /api/households/:id/members/:residentId': { params: householdMemberParams, reply: okReply },
  'PUT /api/residents/:id/household': { params: idParam, body: residentSettlement, reply: residentSettled },
  'GET /api/organizations': { query: organizationListQuery, reply: pageOf(organization) },
  'GET /api/organizations/export.xlsx': {
    query: organizationListQuery.omit({ page: true, pageSize: true }),
    reply: fileDownload,
  },
  'POST /api/organizations': { body: organizationInput, reply: organization },
  'GET /api/organizations/:id': { params: intIdParam, reply: organization },
  'PATCH /api/organizations/:id': { params: intIdParam, body: organizationPatch, reply: organization },
  'GET /api/facilities': { query: facilityListQuery, reply: pageOf(facility) },
  'POST /api/facilities': { body: facilityInput, reply: facility },
  'PATCH /api/facilities/:id': { params: intIdParam, body: facilityPatch, reply: facility },
  'GET /api/places/map': { query: placesMapQuery, reply: placeMap },
  'GET /api/imports/templates/buildings.xlsx': { reply: fileDownload },
  'GET /api/imports/templates/organizations.xlsx': { reply: fileDownload },
  'POST /api/imports/buildings': { reply: importStarted },
  'POST /api/imports/organizations': { reply: importStarted },

  // residents and their tag library
  'GET /api/resident-tags': { query: residentTagListQuery, reply: residentTagList },
  'POST /api/resident-tags': { body: residentTagInput, reply: residentTagCreated },
  'PATCH /api/resident-tags/:id': { params: intIdParam, body: residentTagPatch, reply: residentTagUpdated },
  'GET /api/imports/templates/residents.xlsx': { reply: fileDownload },
  'POST /api/imports/residents': { reply: importStarted },
  'GET /api/residents': { query: residentListQuery, reply: residentList },
  'POST /api/residents': { body: residentInput, reply: resident },
  'GET /api/residents/export.xlsx': { query: residentExportQuery, reply: fileDownload },
  'GET /api/residents/:id/cases': { params: idParam, reply: residentCaseList },
  'GET /api/residents/:id/household': { params: idParam, reply: residentHousehold },
  'GET /api/residents/:id': { params: idParam, reply: resident },
  'PATCH /api/residents/:id': { params: idParam, body: residentPatch, reply: resident },
  'POST /api/residents/:id/move': { params: idParam, body: residentMove, reply: resident },
  'GET /api/residents/:id/moves': { params: idParam, reply: residentMoveList },
  'POST /api/residents/:id/reveal': { params: idParam, reply: revealedResident },

  // care
  'GET /api/care/categories': { reply: careCategoryList },
  'POST /api/care/categories': { body: careCategoryInput, reply: careCategoryListed },
  'PUT /api/care/categories/:code': {
    params: careCategoryParams,
    body: careCategoryUpdate,
    reply: careCategoryListed,
  },
  'GET /api/care/cases': { query: careListQuery, reply: pageOf(careCase) },
  'POST /api/care/cases': { body: careCaseInput, reply: careCaseDetail },
  'GET /api/care/cases/:id': { params: idParam, reply: careCaseDetail },
  'PATCH /api/care/cases/:id': { params: idParam, body: careCasePatch, reply: careCaseDetail },
  'POST /api/care/cases/:id/close': { params: idParam, body: careCaseClose, reply: careCaseDetail },
  'POST /api/care/cases/:id/visits': { params: idParam, body: careVisitInput, reply: careCaseDetail },
  'GET /api/care/todo': { reply: careCaseList },
  'GET /api/care/workers': { query: careWorkersQuery, reply: careWorkerList },
  'GET /api/residents/:id/care': { params: idParam, reply: careCaseList },

  // fieldwork
  'POST /api/patrols': { body: patrolStart, reply: patrol },
  'POST /api/patrols/:id/points': { params: idParam, body: patrolPointsInput, reply: patrol },
  'POST /api/patrols/:id/end': { params: idParam, body: patrolEnd, reply: patrol },
  'GET /api/patrols': { query: patrolListQuery, reply: patrolList },
  'GET /api/patrols/coverage': { query: gridCoverageQuery, reply: gridCoverage },
  'GET /api/patrols/:id/track': { params: idParam, reply: patrolTrackReply },
  'GET /api/households': { query: gridQuery, reply: gridHouseholdList },
  'GET /api/housing-units': { query: gridQuery, reply: gridHousingUnitList },
  'POST /api/household-visits': { body: householdVisitInput, reply: householdVisitRecorded },
  'GET /api/households/:id/visits': { params: intIdParam, reply: householdVisitList },
  'GET /api/worklogs/mine/:day': { params: workDayParams, reply: workLog },
  'PUT /api/worklogs/mine/:day': { params: workDayParams, body: workLogInput, reply: workLog },
  'GET /api/worklogs': { query: workLogListQuery, reply: workLogList },

  // assessment and reports
  'GET /api/assessment/scorecards': { query: scorecardQuery, reply: scorecardReply },
  'GET /api/assessment/scorecards/export.xlsx': { query: scorecardQuery, reply: fileDownload },
  'GET /api/assessment/rules': { query: assessmentRulesQuery, reply: assessmentRulesReply },
  'PUT /api/assessment/rules': { body: assessmentRulesSave, reply: assessmentRulesReply },
  'GET /api/assessment/department-evaluations': {
    query: departmentEvaluationQuery,
    reply: departmentEvaluationList,
  },
  'PUT /api/assessment/department-evaluations': {
    body: departmentEvaluationInput,
    reply: departmentEvaluationList,
  },
  'GET /api/reports/weekly-review': { query: weeklyReviewQuery, reply: fileDownload },
  'GET /api/reports/monthly-bulletin': { query: monthlyBulletinQuery, reply: fileDownload },

  // dashboard, big screen, administrators' homes, public disclosure
  'GET /api/dashboard': { query: dashboardQuery, reply: dashboardReply },
  'GET /api/dashboard/todos': { reply: todoReply },
  'GET /api/screen/grids': { reply: screenGridList },
  'GET /api/screen/cases': { reply: screenCaseList },
  'GET /api/screen/feed': { query: screenFeedQuery, reply: screenFeed },
  'GET /api/overview/system': { reply: systemOverview },
  'GET /api/overview/security': { reply: securityOverview },
  'GET /api/overview/audit': { reply: auditOverview },
  'GET /api/public/disclosure': { query: disclosureQuery, reply: disclosure },

  // service centre: catalogue, applications (modules/services)
  'GET /api/services': { reply: serviceList },
  'GET /api/public/services': { reply: serviceList },
  'GET /api/public/services/:code': { params: serviceCodeParam, reply: serviceItem },
  'POST /api/services': { body: serviceItemInput, reply: serviceItem },
  'PATCH /api/services/:code': { params: serviceCodeParam, body: serviceItemPatch, reply: serviceItem },
  'POST /api/applications': { body: applicationInput, reply: applicationCreated },
  'GET /api/applications': { query: applicationListQuery, reply: applicationList },
  'GET /api/applications/:id': { params: idParam, reply: applicationDetail },
  'POST /api/applications/:id/actions/:action': {
    params: applicationActionParam,
    body: applicationActionBody,
    reply: applicationDetail,
  },
  'GET /api/applications/:id/receipt.pdf': { params: idParam, reply: fileDownload },
  'GET /api/applications/:id/notice.pdf': { params: idParam, reply: fileDownload },
  'GET /api/applications/:id/certificate.pdf': { params: idParam, reply: fileDownload },
  'GET /api/applications/:id/certificate': { params: idParam, reply: certificateInfo },
  'GET /api/public/certificates/:code': { params: certificateCodeParam, reply: certificateCheck },
  'POST /api/certificates/:id/revoke': {
    params: idParam,
    body: certificateRevokeInput,
    reply: certificateInfo,
  },
  'POST /api/applications/:id/rating': { params: idParam, body: ratingInput, reply: ratingInfo },
  'GET /api/applications/:id/rating': { params: idParam, reply: ratingInfo },
  'GET /api/rectifications': { query: rectificationListQuery, reply: rectificationList },
  'POST /api/rectifications/:id/close': {
    params: idParam,
    body: rectificationCloseInput,
    reply: rectificationInfo,
  },
  'GET /api/metrics/services': { query: serviceMetricsQuery, reply: serviceMetrics },
} as const satisfies Record<string, RouteContract>;

export type Routes = typeof routes;
export type RouteKey = keyof Routes;
