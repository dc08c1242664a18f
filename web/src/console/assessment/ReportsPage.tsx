import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { type ErrorCode, errorCodes, type Problem } from '@civicgrid/core';
import { type ReportFormat, type ReportKind, reportKindNames } from '@civicgrid/core/api/reports';
import { Alert, Button, Card, DatePicker, Form, Radio, Space, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../common/api.js';
import { useTrees } from '../cases/shared.js';
import { chinaToday } from '../fieldwork/PatrolsPage.js';

const endpoints: Record<ReportKind, string> = {
  weeklyReview: '/api/reports/weekly-review',
  monthlyBulletin: '/api/reports/monthly-bulletin',
};

const contents: Record<ReportKind, string> = {
  weeklyReview:
    '本周事件新增、办结、超期及按时办结率、落实到位率、回访满意率、小事不出网格占比（与上周对比），分区域情况，高发分类，网格员考核前十名与后十名，工作日志缺报，周末超期未办结事件。',
  monthlyBulletin:
    '本月事件各项指标（与上月对比），分区域情况，高发分类，职能部门按时办结率、落实到位率、回访满意率及考核得分，网格员考核排名，工作日志缺报，月末超期未办结事件。',
};

/** The Monday of a day's week: reports weeks run Monday to Sunday, whatever dayjs's locale says. */
const mondayOf = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day').startOf('day');

/** The file name the server chose (RFC 6266 filename*), or a fallback. */
function fileNameOf(res: Response, fallback: string) {
  const header = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  return star ? decodeURIComponent(star) : fallback;
}

/** Fetches a generated file and hands it to the browser; a refusal becomes an ApiError. */
async function download(url: string, fallback: string) {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK');
  }
  if (!res.ok) {
    const p = ((await res.json().catch(() => null)) ?? {}) as Partial<Problem>;
    const code = (p.code && p.code in errorCodes ? p.code : 'INTERNAL') as ErrorCode;
    throw new ApiError(res.status, code, p.errors ?? [], p.detail);
  }
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = fileNameOf(res, fallback);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** 讲评通报: the weekly review and the monthly bulletin of an area, as PDF or Excel. */
export default function ReportsPage() {
  const trees = useTrees();
  const today = dayjs(chinaToday());
  const [kind, setKind] = useState<ReportKind>('weeklyReview');
  const [areaId, setAreaId] = useState<number | undefined>();
  // The last finished period is the one usually reviewed.
  const [week, setWeek] = useState<Dayjs>(mondayOf(today.subtract(7, 'day')));
  const [month, setMonth] = useState<Dayjs>(today.subtract(1, 'month').startOf('month'));
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const area = areaId ?? trees.root;
  const periodLabel =
    kind === 'weeklyReview'
      ? `${week.format('YYYY-MM-DD')} 至 ${week.add(6, 'day').format('YYYY-MM-DD')}`
      : month.format('YYYY年M月');

  const run = async (format: ReportFormat) => {
    setBusy(format);
    setError(null);
    setDone(null);
    const qs = new URLSearchParams({
      ...(area ? { orgUnitId: String(area) } : {}),
      ...(kind === 'weeklyReview' ? { week: week.format('YYYY-MM-DD') } : { month: month.format('YYYY-MM') }),
      format,
    });
    try {
      await download(`${endpoints[kind]}?${qs}`, `${reportKindNames[kind]}.${format}`);
      setDone(`${reportKindNames[kind]}（${periodLabel}）已生成并开始下载`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title="讲评通报" data-testid="reports-page">
      <Form layout="vertical" style={{ maxWidth: 560 }}>
        <Form.Item label="区域" required>
          <TreeSelect
            data-testid="report-area"
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandedKeys={trees.root ? [trees.root] : []}
            placeholder="选择区（县）、街道或社区"
            loading={!trees.root}
            treeData={trees.areas}
            value={area}
            onChange={setAreaId}
          />
        </Form.Item>
        <Form.Item label="报告类型">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            options={[
              { value: 'weeklyReview', label: '周讲评' },
              { value: 'monthlyBulletin', label: '月通报' },
            ]}
            data-testid="report-kind"
          />
        </Form.Item>
        <Form.Item label={kind === 'weeklyReview' ? '周次' : '月份'} extra={`统计时段：${periodLabel}`}>
          {kind === 'weeklyReview' ? (
            <DatePicker
              picker="week"
              allowClear={false}
              value={week}
              onChange={(d) => d && setWeek(mondayOf(d))}
              disabledDate={(d) => mondayOf(d).isAfter(today)}
              style={{ width: 240 }}
            />
          ) : (
            <DatePicker
              picker="month"
              allowClear={false}
              value={month}
              onChange={(d) => d && setMonth(d.startOf('month'))}
              disabledDate={(d) => d.startOf('month').isAfter(today)}
              style={{ width: 240 }}
            />
          )}
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 16 }}>
          报告内容：{contents[kind]}报告仅含统计数据、事件编号和工作人员姓名，不含群众个人信息。
        </Typography.Paragraph>
        <Space>
          <Button
            type="primary"
            icon={<FilePdfOutlined />}
            loading={busy === 'pdf'}
            disabled={!area || busy !== null}
            onClick={() => run('pdf')}
            data-testid="report-pdf"
          >
            下载 PDF
          </Button>
          <Button
            icon={<FileExcelOutlined />}
            loading={busy === 'xlsx'}
            disabled={!area || busy !== null}
            onClick={() => run('xlsx')}
            data-testid="report-xlsx"
          >
            下载 Excel
          </Button>
        </Space>
        {error && (
          <Alert
            type="error"
            showIcon
            message="生成失败"
            description={error}
            style={{ marginTop: 16 }}
            closable
            onClose={() => setError(null)}
            data-testid="report-error"
          />
        )}
        {done && <Alert type="success" showIcon message={done} style={{ marginTop: 16 }} />}
      </Form>
    </Card>
  );
}
