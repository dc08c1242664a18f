import type { ErrorEntry } from './entry.js';

/** Refusals of residents' suggestions, public comments and street councils (议事协商). */
export const deliberationPublicErrors = {
  SUGGESTION_UNIT: {
    status: 400,
    zh: '建议须提给一个社区',
    en: 'A suggestion is made to a community',
  },
  SUGGESTION_ALREADY_PROPOSED: {
    status: 409,
    zh: '该建议已转为议题',
    en: 'This suggestion has already become a deliberation',
  },
  SUGGESTION_CLOSED: {
    status: 409,
    zh: '该建议已转为议题，不再接受附议',
    en: 'This suggestion has become a deliberation and takes no more support',
  },
  COMMENT_NOT_PUBLIC: {
    status: 404,
    zh: '该议事尚未公开',
    en: 'This deliberation is not public',
  },
  COUNCIL_STREET: {
    status: 400,
    zh: '议事会须属于辖区内的街道',
    en: 'A council belongs to a street of your jurisdiction',
  },
  COUNCIL_DUPLICATE: { status: 409, zh: '该街道已有议事会', en: 'This street already has a council' },
  COUNCIL_TERM: { status: 400, zh: '任期结束须晚于开始', en: 'The term must end after it starts' },
  COUNCIL_MEMBER_LEFT: { status: 409, zh: '该成员已退出议事会', en: 'This member has left the council' },
  COUNCIL_REPRESENTATIVES: {
    status: 400,
    zh: '街道议事会现有成员 {members} 人，代表总数须与之一致',
    en: 'The street council has {members} members; the representatives must match',
  },
  COUNCIL_ATTENDEES: {
    status: 400,
    zh: '街道议事会的到会人数须按成员逐一登记（已勾选 {listed} 人）',
    en: 'A street council’s attendance is recorded member by member ({listed} ticked)',
  },
  COUNCIL_NOT_MEMBER: {
    status: 400,
    zh: '到会人员须是街道议事会的现任成员',
    en: 'Attendees must be current members of the street council',
  },
} as const satisfies Record<string, ErrorEntry>;
