import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { type ReportFormat, type ReportKind, reportKindNames } from '@civicgrid/core/api/reports';
import { Alert, Button, Card, DatePicker, Form, Radio, Space, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { downloadExport } from '../../common/download.js';
import { useTrees } from '../cases/shared.js';
import { chinaToday } from '../fieldwork/PatrolsPage.js';

const endpoints: Record<ReportKind, string> = {
  weeklyReview: '/api/reports/weekly-review',
  monthlyBulletin: '/api/reports/monthly-bulletin',
};

/** The Monday of a day's week: reports weeks run Monday to Sunday, whatever dayjs's locale says. */
const mondayOf = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day').startOf('day');

/** 讲评通报: the weekly review and the monthly bulletin of an area, as PDF or Excel. */
export default function ReportsPage() {
  const { t, i18n } = useTranslation();
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
      ? t('assessment.reports.weekRange', {
          from: week.format('YYYY-MM-DD'),
          to: week.add(6, 'day').format('YYYY-MM-DD'),
        })
      : // dayjs speaks Chinese (App.tsx); English month names need its English locale.
        (i18n.language === 'en-US' ? month.locale('en') : month).format(t('assessment.reports.monthFormat'));
  const kindName = t(`assessment.reports.kinds.${kind}`);

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
      await downloadExport(`${endpoints[kind]}?${qs}`, `${reportKindNames[kind]}.${format}`);
      setDone(t('assessment.reports.done', { kind: kindName, period: periodLabel }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title={t('assessment.reports.title')} data-testid="reports-page">
      <Form layout="vertical" style={{ maxWidth: 560 }}>
        <Form.Item label={t('assessment.reports.area')} required>
          <TreeSelect
            data-testid="report-area"
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandedKeys={trees.root ? [trees.root] : []}
            placeholder={t('assessment.reports.areaPlaceholder')}
            loading={!trees.root}
            treeData={trees.areas}
            value={area}
            onChange={setAreaId}
          />
        </Form.Item>
        <Form.Item label={t('assessment.reports.kind')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            options={[
              { value: 'weeklyReview', label: t('assessment.reports.kinds.weeklyReview') },
              { value: 'monthlyBulletin', label: t('assessment.reports.kinds.monthlyBulletin') },
            ]}
            data-testid="report-kind"
          />
        </Form.Item>
        <Form.Item
          label={t(kind === 'weeklyReview' ? 'assessment.reports.week' : 'assessment.reports.month')}
          extra={t('assessment.reports.period', { period: periodLabel })}
        >
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
          {t('assessment.reports.contentsText', { contents: t(`assessment.reports.contents.${kind}`) })}
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
            {t('assessment.reports.pdf')}
          </Button>
          <Button
            icon={<FileExcelOutlined />}
            loading={busy === 'xlsx'}
            disabled={!area || busy !== null}
            onClick={() => run('xlsx')}
            data-testid="report-xlsx"
          >
            {t('assessment.reports.xlsx')}
          </Button>
        </Space>
        {error && (
          <Alert
            type="error"
            showIcon
            message={t('assessment.reports.failed')}
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
