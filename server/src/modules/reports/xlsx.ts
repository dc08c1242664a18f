import type { ReportContent } from '@civicgrid/core/api/reports';
import ExcelJS from 'exceljs';
import { figureLines, methodNotes, rankingColumns, reportKindLabel } from './layout.js';

type Kind = 'text' | 'int' | 'pct' | 'pp' | 'num';
interface Column {
  header: string;
  width: number;
  kind: Kind;
}
type Cell = string | number | null;

const numFmt: Record<Kind, string | undefined> = {
  text: undefined,
  int: '0',
  num: '0.0',
  pct: '0.0%',
  // A change of a rate, in percentage points.
  pp: '+0.0%;-0.0%;0.0%',
};

/**
 * One sheet per section: a title row, a header row frozen above real numeric cells (rates
 * as fractions with a percent format, so they can be summed and charted), fixed widths.
 */
function addSheet(wb: ExcelJS.Workbook, name: string, title: string, columns: Column[], rows: Cell[][]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = columns.map((c) => ({ width: c.width }));
  ws.mergeCells(1, 1, 1, Math.max(columns.length, 1));
  const t = ws.getCell(1, 1);
  t.value = title;
  t.font = { bold: true, size: 13 };
  const head = ws.getRow(2);
  head.values = columns.map((c) => c.header);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  head.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FF' } };
  });
  for (const r of rows) {
    const row = ws.addRow(r);
    columns.forEach((c, i) => {
      const fmt = numFmt[c.kind];
      if (fmt) row.getCell(i + 1).numFmt = fmt;
    });
  }
  return ws;
}

const col = (header: string, width: number, kind: Kind = 'text'): Column => ({ header, width, kind });
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

export async function reportXlsx(r: ReportContent): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CivicGrid';
  wb.title = r.title;
  const head = `${r.area.name} ${r.period.label} ${reportKindLabel(r)}`;

  const summary = addSheet(
    wb,
    '概况',
    `${r.title}（${r.period.label}）`,
    [col('指标', 22), col('本期', 12), col('上期', 12), col('较上期', 12), col('说明', 48)],
    figureLines(r).map((l) => [l.label, l.current, l.previous, diff(l.current, l.previous), l.note]),
  );
  figureLines(r).forEach((l, i) => {
    const row = summary.getRow(3 + i);
    const kind: Kind = l.rate ? 'pct' : 'int';
    row.getCell(2).numFmt = numFmt[kind] as string;
    row.getCell(3).numFmt = numFmt[kind] as string;
    row.getCell(4).numFmt = l.rate ? (numFmt.pp as string) : '+0;-0;0';
  });
  summary.addRow([]);
  summary.addRow([`本期：${r.period.from} 至 ${r.period.to}；上期：${r.previous.from} 至 ${r.previous.to}`]);
  for (const n of methodNotes) summary.addRow([n]);

  addSheet(
    wb,
    `分${r.subAreaLabel}`,
    `${head} · 分${r.subAreaLabel}情况`,
    [
      col(r.subAreaLabel, 26),
      col('新增事件', 10, 'int'),
      col('办结事件', 10, 'int'),
      col('超期未办结', 11, 'int'),
      col('按时办结率', 11, 'pct'),
      col('落实到位率', 11, 'pct'),
      col('回访满意率', 11, 'pct'),
      col('小事不出网格', 12, 'pct'),
    ],
    r.subAreas.map((a) => [
      a.name,
      a.reported,
      a.closed,
      a.overdue,
      a.onTimeRate,
      a.fulfilmentRate,
      a.satisfactionRate,
      a.gridResolvedShare,
    ]),
  );

  addSheet(
    wb,
    '高发分类',
    `${head} · 事件高发分类（前十）`,
    [
      col('序号', 6, 'int'),
      col('事件分类', 28),
      col('本期', 10, 'int'),
      col('上期', 10, 'int'),
      col('较上期', 10, 'int'),
    ],
    r.categories.map((c, i) => [i + 1, c.name, c.count, c.previous, c.count - c.previous]),
  );
  wb.getWorksheet('高发分类')
    ?.getColumn(5)
    .eachCell((c, n) => {
      if (n > 2) c.numFmt = '+0;-0;0';
    });

  if (r.kind === 'monthlyBulletin')
    addSheet(
      wb,
      '职能部门',
      `${head} · 职能部门办理情况`,
      [
        col('职能部门', 20),
        col('新增派件', 10, 'int'),
        col('办结', 8, 'int'),
        col('按时办结率', 11, 'pct'),
        col('落实到位率', 11, 'pct'),
        col('回访满意率', 11, 'pct'),
        col('考核得分', 10, 'num'),
        col('考核排名', 10, 'int'),
      ],
      r.departments.map((d) => [
        d.name,
        d.cases,
        d.closed,
        d.onTimeRate,
        d.fulfilmentRate,
        d.satisfactionRate,
        d.score,
        d.rank,
      ]),
    );

  const rc = rankingColumns(r);
  addSheet(
    wb,
    '网格员讲评',
    `${head} · 网格员考核排名${r.ranking ? `（共 ${r.ranking.total} 人）` : '（考核计分暂不可用）'}`,
    [
      col('名次段', 8),
      col('排名', 6, 'int'),
      col('姓名', 12),
      col('所属区域', 24),
      col('得分', 8, 'num'),
      ...rc.map((i) => col(i.label, Math.max(10, i.label.length * 2 + 2), 'num')),
    ],
    r.ranking
      ? [
          ...r.ranking.top.map((w) => [
            '前十名',
            w.rank,
            w.name,
            w.areaName,
            w.score,
            ...rc.map((i) => w.points[i.key] ?? null),
          ]),
          ...r.ranking.bottom.map((w) => [
            '后十名',
            w.rank,
            w.name,
            w.areaName,
            w.score,
            ...rc.map((i) => w.points[i.key] ?? null),
          ]),
        ]
      : [],
  );

  addSheet(
    wb,
    '日志缺报',
    `${head} · 工作日志缺报（工作日 ${r.missingLogs.workdays} 天，网格员 ${r.missingLogs.workers} 人）`,
    [
      col('网格员', 12),
      col('所属区域', 26),
      col('应报天数', 10, 'int'),
      col('缺报天数', 10, 'int'),
      col('缺报日期', 60),
    ],
    r.missingLogs.items.map((m) => [m.name, m.areaName, m.expected, m.missing, m.days.join('、')]),
  );

  addSheet(
    wb,
    '超期未办结',
    `${head} · 期末超期未办结事件（共 ${r.overdueCases.total} 件${r.overdueCases.total > r.overdueCases.items.length ? `，列出前 ${r.overdueCases.items.length} 件` : ''}）`,
    [
      col('事件编号', 22),
      col('事件分类', 24),
      col('所在区域', 26),
      col('当前状态', 10),
      col('办理时限', 18),
      col('超期天数', 10, 'int'),
    ],
    r.overdueCases.items.map((c) => [c.code, c.categoryName, c.areaName, c.status, c.dueAt, c.daysOverdue]),
  );

  return Buffer.from(await wb.xlsx.writeBuffer());
}
