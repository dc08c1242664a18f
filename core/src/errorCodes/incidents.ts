import type { ErrorEntry } from './entry.js';

/** Refusals of emergency response (突发事件) and on-call rosters (值班表). */
export const incidentsErrors = {
  INCIDENT_NO_UNIT: {
    status: 400,
    zh: '您的账号不属于任何单位，不能报告突发事件',
    en: 'Your account belongs to no unit that reports emergencies',
  },
  INCIDENT_CLOSED: { status: 409, zh: '该突发事件已处置结束', en: 'The incident is closed' },
  INCIDENT_NOT_CLOSED: {
    status: 409,
    zh: '处置结束后才有总结报告',
    en: 'The summary report exists once the incident is closed',
  },
  INCIDENT_TASK_PAST: { status: 400, zh: '任务期限须晚于现在', en: 'The deadline must lie ahead' },
  INCIDENT_TASK_DONE: { status: 409, zh: '该任务已完成', en: 'The task is done already' },
  INCIDENT_DEPARTMENT_UNKNOWN: { status: 400, zh: '部门不存在', en: 'No such department' },
  ROSTER_USER_UNKNOWN: {
    status: 400,
    zh: '值班人员不存在或已停用',
    en: 'A person on the roster does not exist or is disabled',
  },
  ROSTER_TWICE: {
    status: 400,
    zh: '同一人不能在同一天既是值班员又是带班领导',
    en: 'One person cannot be both on duty and leader on one day',
  },
} as const satisfies Record<string, ErrorEntry>;
