import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of participation (共建共治): micro-wishes and 街道吹哨、部门报到. A stable
 * code, its HTTP status and the message in both languages.
 */
export const participationErrors = {
  DUAL_REGISTRATION_UNIT: {
    status: 400,
    zh: '须报到到本辖区内的社区',
    en: 'Report to a community of your jurisdiction',
  },
  DUAL_REGISTRATION_DUPLICATE: {
    status: 409,
    zh: '该单位或党员已向此社区报到',
    en: 'This unit or member has already reported to this community',
  },
  DUAL_REGISTRATION_VOLUNTEER: {
    status: 400,
    zh: '志愿者登记不存在或不在辖区内',
    en: 'No such volunteer registration in your jurisdiction',
  },
  JOINT_MEETING_ATTENDEE: {
    status: 400,
    zh: '参会者须是向该社区报到的单位或党员',
    en: 'Attendees must be units or members registered with this community',
  },
  JOINT_MEETING_ITEM: {
    status: 400,
    zh: '服务项目须由参会的单位或党员承接',
    en: 'Each service item must be taken on by an attendee',
  },
  WISH_INVALID_STATE: {
    status: 409,
    zh: '心愿当前状态不允许此操作',
    en: 'The wish is not in a state that allows this',
  },
  WISH_ALREADY_CLAIMED: {
    status: 409,
    zh: '该心愿已被他人认领',
    en: 'Someone else has already claimed this wish',
  },
  WISH_NOT_YOURS: {
    status: 403,
    zh: '只有提交或认领该心愿的人可以这样做',
    en: 'Only the one who posted or claimed this wish may do this',
  },
  WISH_GRID_UNKNOWN: {
    status: 400,
    zh: '网格不存在或已撤销',
    en: 'The grid does not exist or has been retired',
  },
  WISH_RESIDENT_UNKNOWN: { status: 400, zh: '辖区内没有该居民', en: 'No such resident in your jurisdiction' },
  WISH_FILE_UNKNOWN: {
    status: 400,
    zh: '照片不存在或不是您上传的',
    en: 'The photo does not exist or was not uploaded by you',
  },
  WHISTLE_DEADLINE_PAST: { status: 400, zh: '报到时限须晚于现在', en: 'The deadline must be in the future' },
  WHISTLE_DEPARTMENT_UNKNOWN: { status: 400, zh: '职能部门不存在：{ids}', en: 'Unknown departments: {ids}' },
  WHISTLE_CASE_UNKNOWN: {
    status: 400,
    zh: '事件不存在或不在辖区内',
    en: 'No such case in your jurisdiction',
  },
  WHISTLE_NO_STREET: { status: 400, zh: '吹哨须由街道发起', en: 'A whistle is raised by a street' },
  WHISTLE_NOT_SUMMONED: { status: 409, zh: '该部门未被召集', en: 'This department was not summoned' },
  WHISTLE_ALREADY_REPORTED: { status: 409, zh: '该部门已报到', en: 'This department has already reported' },
  WHISTLE_OTHER_DEPARTMENT: {
    status: 403,
    zh: '只能为本部门报到',
    en: 'You may report only for your own department',
  },
  DELIBERATION_INVALID_STATE: {
    status: 409,
    zh: '议事当前所处步骤不允许此操作',
    en: 'The deliberation is not at a step that allows this',
  },
  DELIBERATION_BELOW_QUORUM: {
    status: 409,
    zh: '到会代表 {attendees} 人，不足法定人数 {quorum} 人，不能表决',
    en: '{attendees} representatives present, fewer than the quorum of {quorum}: no vote can be taken',
  },
  DELIBERATION_OVER_COUNT: {
    status: 400,
    zh: '赞成、反对、弃权票合计 {cast} 票，超过到会代表 {attendees} 人',
    en: 'For, against and abstain add up to {cast}, more than the {attendees} present',
  },
  DELIBERATION_ATTENDANCE: {
    status: 400,
    zh: '到会人数须在 0 到代表总数之间',
    en: 'Attendance must lie between none and all the representatives',
  },
  DELIBERATION_RULES: {
    status: 400,
    zh: '表决规则的比例须在 0 到 1 之间',
    en: 'A rule’s share must lie between 0 and 1',
  },
  DELIBERATION_UNIT: {
    status: 400,
    zh: '议事须属于辖区内的社区或街道',
    en: 'A deliberation belongs to a community or street in your jurisdiction',
  },
  DELIBERATION_DEPARTMENT_UNKNOWN: { status: 400, zh: '审查部门不存在', en: 'No such reviewing department' },
  DELIBERATION_NOT_YOUR_REVIEW: {
    status: 403,
    zh: '该议事未交本部门审查',
    en: 'This deliberation was not sent to your department for review',
  },
  VOLUNTEER_UNIT: {
    status: 400,
    zh: '服务区域须是辖区内的社区或网格',
    en: 'The area must be a community or grid in your jurisdiction',
  },
  VOLUNTEER_RESIDENT_UNKNOWN: {
    status: 400,
    zh: '辖区内没有该居民',
    en: 'No such resident in your jurisdiction',
  },
  VOLUNTEER_DUPLICATE: {
    status: 409,
    zh: '该手机号已在此区域登记为志愿者',
    en: 'A volunteer with this phone is already registered here',
  },
  VOLUNTEER_ACTIVITY_FULL: { status: 409, zh: '活动报名人数已满', en: 'The activity is full' },
  VOLUNTEER_UNKNOWN: { status: 400, zh: '辖区内没有该志愿者', en: 'No such volunteer in your area' },
  VOLUNTEER_NOT_YOURS: {
    status: 403,
    zh: '只能为本人报名、签到或签退',
    en: 'You may sign up, check in or check out only for yourself',
  },
  VOLUNTEER_ACTIVITY_TIME: {
    status: 400,
    zh: '结束时间须晚于开始时间',
    en: 'The end must come after the start',
  },
  VOLUNTEER_ACTIVITY_CLOSED: {
    status: 409,
    zh: '活动不在签到时间内（开始前 1 小时至结束）或已取消',
    en: 'The activity is not open for check-in (from an hour before the start to the end) or was cancelled',
  },
  VOLUNTEER_NOT_SIGNED_UP: { status: 409, zh: '该志愿者未报名此活动', en: 'The volunteer has not signed up' },
  VOLUNTEER_ALREADY_SIGNED_UP: {
    status: 409,
    zh: '该志愿者已报名此活动',
    en: 'The volunteer has already signed up',
  },
  VOLUNTEER_FAR_FROM_PLACE: {
    status: 400,
    zh: '签到位置距活动地点 {distance} 米，超出 {radius} 米范围',
    en: 'The location is {distance} m from the activity, beyond its {radius} m radius',
  },
  VOLUNTEER_ALREADY_CHECKED_IN: {
    status: 409,
    zh: '该志愿者已签到，请先签退',
    en: 'The volunteer is already checked in; check out first',
  },
  VOLUNTEER_NOT_CHECKED_IN: {
    status: 409,
    zh: '该志愿者未签到或已签退',
    en: 'The volunteer is not checked in, or has already checked out',
  },
  VOLUNTEER_TEAM_UNKNOWN: {
    status: 400,
    zh: '辖区内没有该志愿服务队',
    en: 'No such volunteer team in your area',
  },
  VOLUNTEER_TEAM_DUPLICATE: {
    status: 409,
    zh: '该区域已有同名志愿服务队',
    en: 'A volunteer team of this name already serves this area',
  },
  VOLUNTEER_TEAM_MEMBER_EXISTS: {
    status: 409,
    zh: '该志愿者已是服务队队员',
    en: 'The volunteer is already in the team',
  },
  VOLUNTEER_TEAM_NOT_MEMBER: {
    status: 400,
    zh: '队长须是服务队的队员',
    en: 'The leader must be a member of the team',
  },
  VOLUNTEER_TEAM_LEADER: {
    status: 409,
    zh: '不能移除队长，请先更换队长',
    en: 'The leader cannot be removed; choose another leader first',
  },
  VOLUNTEER_CODE_EXPIRED: {
    status: 410,
    zh: '签到码已过期，请向活动组织者索取新的签到码',
    en: 'The check-in code has expired; ask the organiser for a new one',
  },
  VOLUNTEER_NOT_REGISTERED: {
    status: 403,
    zh: '您的账号尚未登记为志愿者，请联系社区',
    en: 'Your account is not registered as a volunteer; ask your community',
  },
} as const satisfies Record<string, ErrorEntry>;
