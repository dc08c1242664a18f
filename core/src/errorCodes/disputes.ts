import type { ErrorEntry } from './entry.js';

/** Domain refusals of the governance centre's disputes, mediation and reception (issue 16). */
export const disputesErrors = {
  DISPUTE_PARTIES_SIDES: {
    status: 400,
    zh: '请至少登记一名申请人和一名被申请人',
    en: 'A dispute needs at least one applicant and one respondent',
  },
  DISPUTE_CREDIT_CODE: {
    status: 400,
    zh: '统一社会信用代码不正确',
    en: 'The unified social credit code is not valid',
  },
  DISPUTE_INVALID_STATE: {
    status: 409,
    zh: '纠纷当前状态不允许此操作',
    en: 'The dispute is not in a state that allows this',
  },
  DISPUTE_NOT_MEDIATOR: {
    status: 403,
    zh: '您不是该纠纷的调解员',
    en: 'You are not a mediator of this dispute',
  },
  DISPUTE_FOLLOW_UP_FIRST: {
    status: 409,
    zh: '请先回访协议履行情况再结案',
    en: 'Follow up on the agreement before closing',
  },
  DISPUTE_PERFORM_BY_PAST: {
    status: 400,
    zh: '履行期限不能早于今天',
    en: 'The performance date cannot lie in the past',
  },
  DISPUTE_MEDIATOR_UNKNOWN: { status: 400, zh: '调解员不存在', en: 'No such mediator' },
  DISPUTE_MEDIATOR_RETIRED: { status: 409, zh: '该调解员已移除', en: 'The mediator was removed already' },
  DISPUTE_COMMITTEE_UNKNOWN: { status: 400, zh: '调解组织不存在', en: 'No such mediation body' },
  DISPUTE_COMMITTEE_DISABLED: {
    status: 400,
    zh: '该调解组织已停用，不能指派',
    en: 'This mediation body is disabled',
  },
  DISPUTE_NO_AGREEMENT: {
    status: 409,
    zh: '该纠纷没有书面调解协议',
    en: 'The dispute has no written agreement',
  },
  DISPUTE_CASE_UNKNOWN: { status: 400, zh: '事件不存在或不在您的辖区', en: 'No such case in your area' },
  DISPUTE_RECEPTION_UNKNOWN: { status: 400, zh: '接待登记不存在', en: 'No such visit' },
  DISPUTE_NO_UNIT: {
    status: 400,
    zh: '您的账号不属于任何辖区单位，不能登记',
    en: 'Your account belongs to no unit of the area',
  },
  SCREENING_DISPUTE_UNKNOWN: {
    status: 400,
    zh: '排查报告中的纠纷不属于该网格',
    en: 'A dispute of the report does not belong to the grid',
  },
  SCREENING_ALREADY_REPORTED: {
    status: 409,
    zh: '该网格本周已报送排查情况',
    en: 'The grid has already reported this week',
  },
  COMMITTEE_DEPARTMENT_UNKNOWN: { status: 400, zh: '派驻部门不存在', en: 'No such department' },
  COMMITTEE_STATUS_UNCHANGED: {
    status: 409,
    zh: '调解组织已是该状态',
    en: 'The mediation body is already so',
  },
  RECEPTION_ALREADY_DONE: { status: 409, zh: '该来访已办结', en: 'The visit is already done' },
} as const satisfies Record<string, ErrorEntry>;
