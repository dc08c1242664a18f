/**
 * Strings of the big screen (/screen), under the `screen` key: zh-CN (the default, terms
 * after shared/GLOSSARY.md) and en-US with the same shape. The screen is laid out for
 * exactly 1920×1080, so the English is kept short. Channel names come from `cases.channels`.
 */
import type { ScreenFeedKind } from '@civicgrid/core/api/screen';

export const screenZh = {
  title: {
    centre: '基层治理综合指挥中心',
    withArea: '{{area}} · 基层治理综合指挥中心',
  },
  live: {
    connected: '实时连接',
    reconnecting: '正在重连',
    stale: '数据刷新失败，稍后自动重试',
  },
  noPermission: '当前账号无权查看指挥大屏（需要“查看统计指标”权限）',
  panels: {
    kpis: '核心指标',
    areas: '区域事件排名（近30天）',
    departments: '职能部门办理（近30天）',
    categories: '事件类别（近30天）',
    feed: '实时动态',
    feedNote: '新事件 · 预警 · 督办',
    trend: '近30天上报与办结',
    months: '近12个月事件量',
    channels: '事件来源渠道',
  },
  kpi: {
    today: '今日新增',
    open: '在办事件',
    overdue: '超期事件',
    supervised: '督办事件',
    onTime: '按时办结率',
    satisfaction: '回访满意率',
    fulfilment: '落实到位率',
    grid: '小事不出网格',
  },
  map: {
    grids: '网格',
    onMap: '在图事件',
    overdue: '超期',
    loading: '地图加载中…',
    cameras: '视频监控',
  },
  legend: {
    load: '网格在办事件',
    count: '{{range}} 件',
    points: '事件点位',
    open: '在办',
    overdue: '超期',
    recent: '近10分钟新上报',
    heat: '事件热力',
    cameras: '视频监控点位',
  },
  ranking: {
    unit: '件',
    empty: '暂无数据',
    onTime: '按时 {{rate}}',
  },
  feed: {
    empty: '暂无动态',
    kinds: {
      reported: '新上报',
      warning: '即将超期',
      overdue: '已超期',
      supervised: '督办',
      escalated: '上报上级',
      closed: '已结案',
    } satisfies Record<ScreenFeedKind, string>,
  },
  charts: {
    reported: '上报',
    closed: '办结',
    month: '{{month}}月',
  },
  login: {
    title: '指挥大屏登录',
    hint: '请使用“指挥大屏”账号登录（只读，可连续运行 30 天）；其他具有统计权限的账号按常规会话时长',
    username: '用户名',
    password: '密码',
    totp: '动态验证码',
    submit: '登录',
    submitting: '登录中…',
  },
};

export const screenEn: typeof screenZh = {
  title: {
    centre: 'Command Centre',
    withArea: '{{area}} · Command Centre',
  },
  live: {
    connected: 'Live',
    reconnecting: 'Reconnecting',
    stale: 'Refresh failed, retrying soon',
  },
  noPermission: 'This account cannot view the big screen (it needs the "View metrics" permission)',
  panels: {
    kpis: 'Key figures',
    areas: 'Cases by area (30 days)',
    departments: 'Departments (30 days)',
    categories: 'Categories (30 days)',
    feed: 'Live feed',
    feedNote: 'New · Warnings · Supervised',
    trend: 'Reported and closed (30 days)',
    months: 'Cases by month (12 months)',
    channels: 'Channels',
  },
  kpi: {
    today: 'Reported today',
    open: 'Open cases',
    overdue: 'Overdue cases',
    supervised: 'Supervised cases',
    onTime: 'On-time rate',
    satisfaction: 'Satisfaction rate',
    fulfilment: 'Fulfilment rate',
    grid: 'Closed at grid level',
  },
  map: {
    grids: 'grids',
    onMap: 'cases on map',
    overdue: 'overdue',
    loading: 'Loading map…',
    cameras: 'cameras',
  },
  legend: {
    load: 'Open cases per grid',
    count: '{{range}}',
    points: 'Cases',
    open: 'Open',
    overdue: 'Overdue',
    recent: 'Reported in last 10 min',
    heat: 'Case density',
    cameras: 'Cameras',
  },
  ranking: {
    unit: '',
    empty: 'No data',
    onTime: 'On time {{rate}}',
  },
  feed: {
    empty: 'No activity yet',
    kinds: {
      reported: 'New',
      warning: 'Due soon',
      overdue: 'Overdue',
      supervised: 'Supervised',
      escalated: 'Escalated',
      closed: 'Closed',
    },
  },
  charts: {
    reported: 'Reported',
    closed: 'Closed',
    month: '{{name}}',
  },
  login: {
    title: 'Big screen sign-in',
    hint: 'Sign in with the big screen account (read-only, runs up to 30 days); other accounts with metrics access get a normal session',
    username: 'Username',
    password: 'Password',
    totp: 'Verification code',
    submit: 'Sign in',
    submitting: 'Signing in…',
  },
};
