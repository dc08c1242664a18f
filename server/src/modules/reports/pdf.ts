import type { ReportContent } from '@civicgrid/core/api/reports';
import PDFDocument from 'pdfkit';
import { chineseFonts } from '../../platform/pdfFonts.js';
import { change, figureLines, methodNotes, pct, rankingColumns } from './layout.js';

type Doc = PDFKit.PDFDocument;
interface Col {
  header: string;
  /** Share of the line width. */
  width: number;
  align?: 'left' | 'right' | 'center';
}

const margin = { top: 56, bottom: 60, left: 50, right: 50 };
const pad = 4;
const blue = '#1f4e9a';

const bottomOf = (doc: Doc) => doc.page.height - margin.bottom;
const lineWidth = (doc: Doc) => doc.page.width - margin.left - margin.right;

function ensure(doc: Doc, height: number) {
  if (doc.y + height > bottomOf(doc)) doc.addPage();
}

function heading(doc: Doc, text: string) {
  ensure(doc, 60);
  doc.moveDown(0.8);
  doc.font('bold').fontSize(13).fillColor(blue).text(text, margin.left, doc.y);
  doc.moveDown(0.3);
  doc.fillColor('black');
}

function paragraph(doc: Doc, text: string, size = 10.5) {
  doc.font('regular').fontSize(size).fillColor('black');
  ensure(doc, doc.heightOfString(text, { width: lineWidth(doc) }));
  doc.text(text, margin.left, doc.y, { width: lineWidth(doc), lineGap: 3 });
  doc.moveDown(0.3);
}

/** A ruled table that breaks across pages, repeating its header row on each. */
function table(doc: Doc, cols: Col[], rows: string[][], empty = '无') {
  const total = cols.reduce((n, c) => n + c.width, 0);
  const widths = cols.map((c) => (c.width / total) * lineWidth(doc));
  const size = 9;
  const heightOf = (cells: string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(size);
    return (
      Math.max(...cells.map((t, i) => doc.heightOfString(t, { width: (widths[i] ?? 0) - 2 * pad }))) + 2 * pad
    );
  };
  const draw = (cells: string[], font: 'regular' | 'bold', fill: string | null) => {
    const h = heightOf(cells, font);
    let x = margin.left;
    const y = doc.y;
    cells.forEach((t, i) => {
      const w = widths[i] ?? 0;
      if (fill) doc.rect(x, y, w, h).fill(fill);
      doc.rect(x, y, w, h).lineWidth(0.5).strokeColor('#9aa5b1').stroke();
      doc
        .font(font)
        .fontSize(size)
        .fillColor('black')
        .text(t, x + pad, y + pad, {
          width: w - 2 * pad,
          align: font === 'bold' ? 'center' : (cols[i]?.align ?? 'left'),
        });
      x += w;
    });
    doc.y = y + h;
  };
  const header = cols.map((c) => c.header);
  const headerHeight = heightOf(header, 'bold');
  const body = rows.length ? rows : [[empty, ...cols.slice(1).map(() => '')]];
  ensure(doc, headerHeight + heightOf(body[0] as string[], 'regular'));
  draw(header, 'bold', '#e6f0ff');
  body.forEach((r, i) => {
    if (doc.y + heightOf(r, 'regular') > bottomOf(doc)) {
      doc.addPage();
      draw(header, 'bold', '#e6f0ff');
    }
    draw(r, 'regular', i % 2 ? '#f7f9fc' : null);
  });
  doc.x = margin.left;
  doc.moveDown(0.5);
}

/** A month of a large district would list thousands: the PDF keeps the worst, Excel has all. */
const missingListed = 50;
const missingDays = 6;
const overdueShown = 100;

const n = (v: number | null) => (v === null ? '—' : String(v));
const score = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(1));

/** The opening words of the 讲评: the period's numbers in one paragraph. */
function summaryText(r: ReportContent): string {
  const f = r.figures;
  const l = figureLines(r);
  const ch = (i: number) => change(l[i] as (typeof l)[number]);
  return (
    `${r.period.label}，${r.area.name}新增事件 ${f.reported} 件（较上期${ch(0)}），办结 ${f.closed} 件（较上期${ch(1)}），` +
    `期末超期未办结 ${f.overdue} 件。按时办结率 ${pct(f.onTimeRate)}，落实到位率 ${pct(f.fulfilmentRate)}，` +
    `回访满意率 ${pct(f.satisfactionRate)}，小事不出网格占比 ${pct(f.gridResolvedShare)}。`
  );
}

function sections(doc: Doc, r: ReportContent) {
  let no = 0;
  const numerals = '一二三四五六七八九十';
  const next = (t: string) => heading(doc, `${numerals[no++]}、${t}`);

  next('总体情况');
  paragraph(doc, summaryText(r));
  table(
    doc,
    [
      { header: '指标', width: 3 },
      { header: '本期', width: 2, align: 'right' },
      { header: '上期', width: 2, align: 'right' },
      { header: '较上期', width: 2.4, align: 'right' },
    ],
    figureLines(r).map((l) => [
      l.label,
      l.rate ? pct(l.current) : n(l.current),
      l.rate ? pct(l.previous) : n(l.previous),
      change(l),
    ]),
  );

  next(`分${r.subAreaLabel}情况`);
  table(
    doc,
    [
      { header: r.subAreaLabel, width: 3.2 },
      { header: '新增', width: 1.1, align: 'right' },
      { header: '办结', width: 1.1, align: 'right' },
      { header: '超期', width: 1.1, align: 'right' },
      { header: '按时办结率', width: 1.6, align: 'right' },
      { header: '落实到位率', width: 1.6, align: 'right' },
      { header: '回访满意率', width: 1.6, align: 'right' },
      { header: '小事不出网格', width: 1.7, align: 'right' },
    ],
    r.subAreas.map((a) => [
      a.name,
      n(a.reported),
      n(a.closed),
      n(a.overdue),
      pct(a.onTimeRate),
      pct(a.fulfilmentRate),
      pct(a.satisfactionRate),
      pct(a.gridResolvedShare),
    ]),
  );

  next('事件高发分类（前十）');
  table(
    doc,
    [
      { header: '序号', width: 0.8, align: 'center' },
      { header: '事件分类', width: 4 },
      { header: '本期', width: 1.4, align: 'right' },
      { header: '上期', width: 1.4, align: 'right' },
      { header: '较上期', width: 1.6, align: 'right' },
    ],
    r.categories.map((c, i) => [
      String(i + 1),
      c.name,
      String(c.count),
      String(c.previous),
      change({ current: c.count, previous: c.previous, rate: false }),
    ]),
    '本期无新增事件',
  );

  if (r.kind === 'monthlyBulletin') {
    next('职能部门办理情况');
    table(
      doc,
      [
        { header: '职能部门', width: 2.6 },
        { header: '新增派件', width: 1.3, align: 'right' },
        { header: '办结', width: 1, align: 'right' },
        { header: '按时办结率', width: 1.6, align: 'right' },
        { header: '落实到位率', width: 1.6, align: 'right' },
        { header: '回访满意率', width: 1.6, align: 'right' },
        { header: '考核得分', width: 1.3, align: 'right' },
        { header: '排名', width: 0.9, align: 'center' },
      ],
      r.departments.map((d) => [
        d.name,
        n(d.cases),
        n(d.closed),
        pct(d.onTimeRate),
        pct(d.fulfilmentRate),
        pct(d.satisfactionRate),
        score(d.score),
        n(d.rank),
      ]),
    );
  }

  next('网格员考核讲评');
  if (!r.ranking) paragraph(doc, '考核计分暂不可用，本节从略。');
  else {
    paragraph(doc, `参与考核网格员 ${r.ranking.total} 人。`);
    const items = rankingColumns(r).slice(0, 4);
    const cols: Col[] = [
      { header: '排名', width: 0.8, align: 'center' },
      { header: '姓名', width: 1.4 },
      { header: '所属区域', width: 3 },
      { header: '得分', width: 1, align: 'right' },
      ...items.map((i) => ({ header: i.label, width: 1.3, align: 'right' as const })),
    ];
    const row = (w: (typeof r.ranking.top)[number]) => [
      String(w.rank),
      w.name,
      w.areaName,
      score(w.score),
      ...items.map((i) => score(w.points[i.key])),
    ];
    doc.font('bold').fontSize(10.5).text('前十名（表扬）', margin.left, doc.y);
    doc.moveDown(0.2);
    table(doc, cols, r.ranking.top.map(row));
    if (r.ranking.bottom.length) {
      ensure(doc, 60);
      doc.font('bold').fontSize(10.5).text('后十名（督促）', margin.left, doc.y);
      doc.moveDown(0.2);
      table(doc, cols, r.ranking.bottom.map(row));
    }
  }

  next('工作日志缺报情况');
  const missing = r.missingLogs.items;
  const listed = missing.slice(0, missingListed);
  paragraph(
    doc,
    `本期工作日 ${r.missingLogs.workdays} 天，应报日志网格员 ${r.missingLogs.workers} 人，其中 ${missing.length} 人有缺报` +
      (missing.length > listed.length
        ? `；按缺报天数列出前 ${listed.length} 人，完整名单见 Excel 版。`
        : '。'),
  );
  table(
    doc,
    [
      { header: '网格员', width: 1.4 },
      { header: '所属区域', width: 3 },
      { header: '应报', width: 0.9, align: 'right' },
      { header: '缺报', width: 0.9, align: 'right' },
      { header: '缺报日期', width: 4.5 },
    ],
    listed.map((m) => [
      m.name,
      m.areaName,
      String(m.expected),
      String(m.missing),
      m.days.length > missingDays
        ? `${m.days
            .slice(0, missingDays)
            .map((d) => d.slice(5))
            .join('、')} 等 ${m.days.length} 天`
        : m.days.map((d) => d.slice(5)).join('、'),
    ]),
  );

  next('期末超期未办结事件');
  const late = r.overdueCases.items.slice(0, overdueShown);
  paragraph(
    doc,
    `共 ${r.overdueCases.total} 件${r.overdueCases.total > late.length ? `，按超期时长列出前 ${late.length} 件，其余见 Excel 版` : ''}。`,
  );
  table(
    doc,
    [
      { header: '事件编号', width: 2.4 },
      { header: '事件分类', width: 2.4 },
      { header: '所在区域', width: 2.8 },
      { header: '当前状态', width: 1.2 },
      { header: '办理时限', width: 2 },
      { header: '超期天数', width: 1.1, align: 'right' },
    ],
    late.map((c) => [c.code, c.categoryName, c.areaName, c.status, c.dueAt, String(c.daysOverdue)]),
  );

  doc.moveDown(0.5);
  doc.font('regular').fontSize(8.5).fillColor('#666');
  for (const note of methodNotes) {
    ensure(doc, 24);
    doc.text(note, margin.left, doc.y, { width: lineWidth(doc) });
  }
}

function pageNumbers(doc: Doc, r: ReportContent) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would otherwise start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - margin.bottom + 22;
    doc.font('regular').fontSize(8.5).fillColor('#888');
    doc.text(`${r.area.name} · ${r.period.label}`, margin.left, y, {
      width: lineWidth(doc) / 2,
      lineBreak: false,
    });
    doc.text(`第 ${i + 1} 页 / 共 ${range.count} 页`, margin.left, y, {
      width: lineWidth(doc),
      align: 'right',
      lineBreak: false,
    });
  }
}

export async function reportPdf(r: ReportContent): Promise<Buffer> {
  const f = chineseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: margin,
    bufferPages: true,
    info: { Title: r.title, Author: 'CivicGrid', Subject: r.period.label },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);

  doc.font('bold').fontSize(18).fillColor(blue).text(r.title, { align: 'center' });
  doc.moveDown(0.3);
  doc
    .font('regular')
    .fontSize(11)
    .fillColor('black')
    .text(`${r.period.label}　${r.period.from} 至 ${r.period.to}`, { align: 'center' });
  const at = new Date(Date.parse(r.generatedAt) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  doc
    .fontSize(9)
    .fillColor('#666')
    .text(`生成时间：${at}　对比上期：${r.previous.label}`, { align: 'center' });
  doc
    .moveTo(margin.left, doc.y + 6)
    .lineTo(doc.page.width - margin.right, doc.y + 6)
    .lineWidth(1)
    .strokeColor(blue)
    .stroke();
  doc.moveDown(0.6);
  doc.fillColor('black');

  sections(doc, r);
  pageNumbers(doc, r);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
