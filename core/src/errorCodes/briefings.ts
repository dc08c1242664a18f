import type { ErrorEntry } from './entry.js';

/** Refusals of briefings (会商研判) and their supervised tasks. */
export const briefingsErrors = {
  BRIEFING_OWNER_UNKNOWN: {
    status: 400,
    zh: '责任人不存在或已停用',
    en: 'The owner does not exist or is disabled',
  },
  BRIEFING_DEPARTMENT_UNKNOWN: { status: 400, zh: '责任部门不存在', en: 'No such department' },
  BRIEFING_DUE_PAST: {
    status: 400,
    zh: '决定事项的完成期限不能早于会议日期',
    en: 'A decision cannot be due before the meeting',
  },
  BRIEFING_TASK_DONE: { status: 409, zh: '该督办事项已办结', en: 'The task is done already' },
  BRIEFING_TASK_NOT_YOURS: {
    status: 403,
    zh: '只有责任人、责任部门或会商单位可以办结该事项',
    en: 'Only the owner, the department or the meeting unit may finish this task',
  },
} as const satisfies Record<string, ErrorEntry>;
