/**
 * Strings of the timed jobs page (系统管理 → 定时任务), under the `jobs` key: zh-CN (the
 * default) and en-US with the same shape. Job and count names follow the server's stable names.
 */
export const jobsZh = {
  title: '定时任务',
  hint: '平台在后台按周期自动执行的任务。多台服务器同时运行时，每个任务同一时刻只由一台执行。',
  refresh: '刷新',
  columns: {
    name: '任务',
    schedule: '执行周期',
    lastRun: '上次执行',
    duration: '耗时',
    result: '结果',
    nextRun: '下次执行',
  },
  names: {
    'case-deadlines': '事件超期预警与自动上报',
    'care-retention': '关爱帮扶到期信息匿名化',
    'application-deadlines': '办件临期与超期提醒',
    'audit-anchor': '审计日志锚定',
    'hotline-callbacks': '12345 处理状态回告',
  },
  schedule: {
    seconds: '每 {{n}} 秒',
    minutes: '每 {{n}} 分钟',
    hours: '每 {{n}} 小时',
    daily: '每天 {{time}}',
  },
  status: {
    ok: '成功',
    failed: '失败',
    running: '执行中',
    never: '尚未执行',
  },
  counts: {
    warned: '预警 {{n}}',
    overdue: '超期 {{n}}',
    escalated: '上报 {{n}}',
    anonymised: '匿名化 {{n}}',
    anchored: '锚定 {{n}}',
    queued: '待回告 {{n}}',
    delivered: '已回告 {{n}}',
    failed: '回告失败待重试 {{n}}',
    dead: '转入失败列表 {{n}}',
  },
  durationMs: '{{n}} 毫秒',
  durationS: '{{n}} 秒',
};

export const jobsEn: typeof jobsZh = {
  title: 'Scheduled jobs',
  hint: 'Work the platform does by itself on a schedule. With several servers running, each job runs on one of them at a time.',
  refresh: 'Refresh',
  columns: {
    name: 'Job',
    schedule: 'Schedule',
    lastRun: 'Last run',
    duration: 'Duration',
    result: 'Result',
    nextRun: 'Next run',
  },
  names: {
    'case-deadlines': 'Case deadline warnings and escalation',
    'care-retention': 'Care record anonymisation after retention',
    'application-deadlines': 'Service applications: due-soon and overdue notices',
    'audit-anchor': 'Audit trail anchoring',
    'hotline-callbacks': '12345 status callbacks',
  },
  schedule: {
    seconds: 'Every {{n}} s',
    minutes: 'Every {{n}} min',
    hours: 'Every {{n}} h',
    daily: 'Daily at {{time}}',
  },
  status: {
    ok: 'Succeeded',
    failed: 'Failed',
    running: 'Running',
    never: 'Not run yet',
  },
  counts: {
    warned: '{{n}} warned',
    overdue: '{{n}} overdue',
    escalated: '{{n}} escalated',
    anonymised: '{{n}} anonymised',
    anchored: '{{n}} anchored',
    queued: '{{n}} queued',
    delivered: '{{n}} delivered',
    failed: '{{n}} failed, to retry',
    dead: '{{n}} dead-lettered',
  },
  durationMs: '{{n}} ms',
  durationS: '{{n}} s',
};
