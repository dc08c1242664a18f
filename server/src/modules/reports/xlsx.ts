import type { ReportContent } from '@civicgrid/core/api/reports';
import { exportXlsx, type Sheet, type SheetColumn } from '../../platform/spreadsheet.js';
import { figureLines, methodNotes, rankingColumns, reportKindLabel } from './layout.js';

type Kind = 'text' | 'int' | 'pct' | 'pp' | 'num';

const numFmt: Record<Kind, string | undefined> = {
  text: undefined,
  int: '0',
  num: '0.0',
  // Rates are fractions with a percent format, so they can be summed and charted.
  pct: '0.0%',
  // A change of a rate, in percentage points.
  pp: '+0.0%;-0.0%;0.0%',
};
const signedInt = '+0;-0;0';

const col = (header: string, width: number, kind: Kind = 'text'): SheetColumn => ({
  header,
  width,
  ...(numFmt[kind] ? { format: numFmt[kind] } : {}),
});
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/** One sheet per section of the report: a title row, then its table. */
export async function reportXlsx(r: ReportContent): Promise<Buffer> {
  const head = `${r.area.name} ${r.period.label} ${reportKindLabel(r)}`;
  const rc = rankingColumns(r);
  const worker = (band: string, w: NonNullable<ReportContent['ranking']>['top'][number]) => [
    band,
    w.rank,
    w.name,
    w.areaName,
    w.score,
    ...rc.map((i) => w.points[i.key] ?? null),
  ];
  const sheets: Sheet[] = [
    {
      name: '概况',
      title: `${r.title}（${r.period.label}）`,
      columns: [col('指标', 22), col('本期', 12), col('上期', 12), col('较上期', 12), col('说明', 48)],
      rows: [
        ...figureLines(r).map((l) => {
          const format = numFmt[l.rate ? 'pct' : 'int'] as string;
          return [
            l.label,
            { value: l.current, format },
            { value: l.previous, format },
            { value: diff(l.current, l.previous), format: l.rate ? (numFmt.pp as string) : signedInt },
            l.note,
          ];
        }),
        [],
        [`本期：${r.period.from} 至 ${r.period.to}；上期：${r.previous.from} 至 ${r.previous.to}`],
        ...methodNotes.map((n) => [n]),
      ],
    },
    {
      name: `分${r.subAreaLabel}`,
      title: `${head} · 分${r.subAreaLabel}情况`,
      columns: [
        col(r.subAreaLabel, 26),
        col('新增事件', 10, 'int'),
        col('办结事件', 10, 'int'),
        col('超期未办结', 11, 'int'),
        col('按时办结率', 11, 'pct'),
        col('落实到位率', 11, 'pct'),
        col('回访满意率', 11, 'pct'),
        col('小事不出网格', 12, 'pct'),
      ],
      rows: r.subAreas.map((a) => [
        a.name,
        a.reported,
        a.closed,
        a.overdue,
        a.onTimeRate,
        a.fulfilmentRate,
        a.satisfactionRate,
        a.gridResolvedShare,
      ]),
    },
    {
      name: '高发分类',
      title: `${head} · 事件高发分类（前十）`,
      columns: [
        col('序号', 6, 'int'),
        col('事件分类', 28),
        col('本期', 10, 'int'),
        col('上期', 10, 'int'),
        { ...col('较上期', 10), format: signedInt },
      ],
      rows: r.categories.map((c, i) => [i + 1, c.name, c.count, c.previous, c.count - c.previous]),
    },
  ];
  if (r.kind === 'monthlyBulletin')
    sheets.push({
      name: '职能部门',
      title: `${head} · 职能部门办理情况`,
      columns: [
        col('职能部门', 20),
        col('新增派件', 10, 'int'),
        col('办结', 8, 'int'),
        col('按时办结率', 11, 'pct'),
        col('落实到位率', 11, 'pct'),
        col('回访满意率', 11, 'pct'),
        col('考核得分', 10, 'num'),
        col('考核排名', 10, 'int'),
      ],
      rows: r.departments.map((d) => [
        d.name,
        d.cases,
        d.closed,
        d.onTimeRate,
        d.fulfilmentRate,
        d.satisfactionRate,
        d.score,
        d.rank,
      ]),
    });
  sheets.push(
    {
      name: '网格员讲评',
      title: `${head} · 网格员考核排名${r.ranking ? `（共 ${r.ranking.total} 人）` : '（考核计分暂不可用）'}`,
      columns: [
        col('名次段', 8),
        col('排名', 6, 'int'),
        col('姓名', 12),
        col('所属区域', 24),
        col('得分', 8, 'num'),
        ...rc.map((i) => col(i.label, Math.max(10, i.label.length * 2 + 2), 'num')),
      ],
      rows: r.ranking
        ? [
            ...r.ranking.top.map((w) => worker('前十名', w)),
            ...r.ranking.bottom.map((w) => worker('后十名', w)),
          ]
        : [],
    },
    {
      name: '日志缺报',
      title: `${head} · 工作日志缺报（工作日 ${r.missingLogs.workdays} 天，网格员 ${r.missingLogs.workers} 人）`,
      columns: [
        col('网格员', 12),
        col('所属区域', 26),
        col('应报天数', 10, 'int'),
        col('缺报天数', 10, 'int'),
        col('缺报日期', 60),
      ],
      rows: r.missingLogs.items.map((m) => [m.name, m.areaName, m.expected, m.missing, m.days.join('、')]),
    },
    {
      name: '超期未办结',
      title: `${head} · 期末超期未办结事件（共 ${r.overdueCases.total} 件${r.overdueCases.total > r.overdueCases.items.length ? `，列出前 ${r.overdueCases.items.length} 件` : ''}）`,
      columns: [
        col('事件编号', 22),
        col('事件分类', 24),
        col('所在区域', 26),
        col('当前状态', 10),
        col('办理时限', 18),
        col('超期天数', 10, 'int'),
      ],
      rows: r.overdueCases.items.map((c) => [
        c.code,
        c.categoryName,
        c.areaName,
        c.status,
        c.dueAt,
        c.daysOverdue,
      ]),
    },
  );
  return exportXlsx(sheets, { title: r.title });
}
