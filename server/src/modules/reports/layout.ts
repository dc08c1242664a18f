import { type ReportContent, type ReportFigures, reportKindNames } from '@civicgrid/core/api/reports';

/** What PDF and Excel both show, in the same words and order. */
export const reportKindLabel = (r: ReportContent) => reportKindNames[r.kind];

export interface FigureLine {
  label: string;
  current: number | null;
  previous: number | null;
  rate: boolean;
  note: string;
}

const lines: { key: keyof ReportFigures; label: string; rate: boolean; note: string }[] = [
  { key: 'reported', label: '新增事件（件）', rate: false, note: '本期上报的事件' },
  { key: 'closed', label: '办结事件（件）', rate: false, note: '本期结案的事件' },
  { key: 'overdue', label: '超期未办结（件）', rate: false, note: '期末仍未办结且已超过当前环节时限' },
  { key: 'onTimeRate', label: '按时办结率', rate: true, note: '本期结案中按时办结的比例' },
  { key: 'fulfilmentRate', label: '落实到位率', rate: true, note: '本期办结（处置完毕）中核查通过的比例' },
  {
    key: 'satisfactionRate',
    label: '回访满意率',
    rate: true,
    note: '本期结案且已评价中满意、基本满意的比例',
  },
  { key: 'gridResolvedShare', label: '小事不出网格', rate: true, note: '本期结案中在网格层级办结的比例' },
];

export function figureLines(r: ReportContent): FigureLine[] {
  return lines.map((l) => ({
    label: l.label,
    current: r.figures[l.key],
    previous: r.previousFigures[l.key],
    rate: l.rate,
    note: l.note,
  }));
}

export const methodNotes = [
  '口径说明：新增按上报时间、办结按结案时间统计；超期按期末时点（本期未结束时为生成时点）各事件当前环节时限判断。',
  '本报告仅含统计数据与事件编号，不含群众个人信息。',
];

/** The scorecard items shown as columns (all in Excel; the PDF keeps the first few). */
export function rankingColumns(r: ReportContent) {
  return r.ranking?.items ?? [];
}

export const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** A change against the previous period: points for rates, a signed count otherwise. */
export function change(l: Pick<FigureLine, 'current' | 'previous' | 'rate'>): string {
  if (l.current === null || l.previous === null) return '—';
  const d = l.current - l.previous;
  if (l.rate) {
    const pp = Math.round(d * 1000) / 10;
    return pp === 0 ? '持平' : `${pp > 0 ? '↑' : '↓'}${Math.abs(pp).toFixed(1)} 个百分点`;
  }
  return d === 0 ? '持平' : `${d > 0 ? '↑' : '↓'}${Math.abs(d)}`;
}
