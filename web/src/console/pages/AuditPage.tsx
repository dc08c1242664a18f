import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { AuditChainVerdict } from '@civicgrid/core/api/admin';
import { auditActionName, auditActionNames } from '@civicgrid/core/audit/actions';
import { Alert, App, Button, DatePicker, Form, Input, Select, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';

interface Entry {
  id: number;
  at: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  ip: string | null;
  userAgent: string | null;
  payload: Record<string, unknown>;
}

/** `GET /api/audit-log/verify`: the chain and its anchors. */
export type ChainVerdict = AuditChainVerdict;

interface Filters {
  actor?: string;
  action?: string;
  range?: [Dayjs, Dayjs];
}

/** 高** 的事件、用户 admin: the subject's kind and name; its id when it has no name. */
function subject(t: TFunction, r: Entry): string {
  if (!r.targetType) return '—';
  const type = t(`shell.audit.types.${r.targetType}`, { defaultValue: r.targetType });
  return t('shell.audit.subjectOf', { type, name: r.targetName ?? r.targetId ?? '' }).trim();
}

/** The verdict of a chain check, as an alert. */
export function ChainAlert({ verdict, onClose }: { verdict: ChainVerdict; onClose?: () => void }) {
  const { t } = useTranslation();
  const anchorFailures = verdict.anchors?.failures.length ?? 0;
  const ok = verdict.ok && anchorFailures === 0;
  return (
    <Alert
      showIcon
      closable={Boolean(onClose)}
      onClose={onClose}
      type={ok ? 'success' : 'error'}
      data-testid="audit-verdict"
      title={
        verdict.ok
          ? t('shell.home.audit.chainOk', { checked: verdict.checked })
          : t('shell.home.audit.chainBad', { id: verdict.firstBadId, reason: verdict.reason })
      }
      description={anchorFailures ? t('shell.home.audit.anchorsBad', { count: anchorFailures }) : undefined}
    />
  );
}

const filterKeys = ['actor', 'action', 'from', 'to', 'day'] as const;

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en-US' ? 'en' : 'zh';
  const { message } = App.useApp();
  // The auditor's home links here with ?action= and ?day=; the form's range is ?from=&to=.
  const list = usePagedList<Entry, (typeof filterKeys)[number]>({
    url: '/api/audit-log',
    filters: filterKeys,
    toQuery: (f) => {
      const from = f.from ?? f.day;
      const to = f.to ?? f.day;
      return {
        actor: f.actor,
        action: f.action,
        from: from && dayjs(from).startOf('day').toISOString(),
        to: to && dayjs(to).endOf('day').toISOString(),
      };
    },
  });
  const from = list.filters.from ?? list.filters.day;
  const to = list.filters.to ?? list.filters.day;
  const formValues: Filters = {
    ...(list.filters.actor ? { actor: list.filters.actor } : {}),
    ...(list.filters.action ? { action: list.filters.action } : {}),
    ...(from && to ? { range: [dayjs(from), dayjs(to)] as [Dayjs, Dayjs] } : {}),
  };
  const [verdict, setVerdict] = useState<ChainVerdict | null>(null);
  const [checking, setChecking] = useState(false);
  const verify = async () => {
    setChecking(true);
    try {
      setVerdict(await call('GET /api/audit-log/verify'));
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setChecking(false);
    }
  };
  return (
    <ListPage<Entry>
      title={t('shell.audit.title')}
      list={list}
      totalText={(n) => t('shell.audit.total', { count: n })}
      actions={
        <Button
          icon={<SafetyCertificateOutlined />}
          onClick={verify}
          loading={checking}
          data-testid="audit-verify"
        >
          {t('shell.audit.verify')}
        </Button>
      }
      notice={
        verdict && (
          <div style={{ marginBottom: 16 }}>
            <ChainAlert verdict={verdict} onClose={() => setVerdict(null)} />
          </div>
        )
      }
      filters={
        <Form
          // Remounted when the URL's filters change (back button), so the fields show them.
          key={JSON.stringify(list.filters)}
          layout="inline"
          style={{ rowGap: 8 }}
          initialValues={formValues}
          onFinish={(v: Filters) =>
            list.setFilters({
              actor: v.actor?.trim() || undefined,
              action: v.action,
              from: v.range?.[0].format('YYYY-MM-DD'),
              to: v.range?.[1].format('YYYY-MM-DD'),
              day: undefined,
            })
          }
        >
          <Form.Item name="actor" label={t('shell.audit.actor')}>
            <Input allowClear style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="action" label={t('shell.audit.action')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={t('shell.audit.anyAction')}
              style={{ width: 220 }}
              options={Object.keys(auditActionNames).map((a) => ({
                value: a,
                label: `${auditActionName(a, lang)}（${a}）`,
              }))}
            />
          </Form.Item>
          <Form.Item name="range">
            <DatePicker.RangePicker placeholder={[t('shell.audit.from'), t('shell.audit.to')]} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('shell.audit.query')}
          </Button>
        </Form>
      }
      table={{
        rowKey: 'id',
        expandable: {
          expandedRowRender: (r) => (
            <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>
              {JSON.stringify(r.payload, null, 2)}
              {`\n${r.userAgent ?? ''}`}
            </Typography.Text>
          ),
        },
        columns: [
          {
            title: t('shell.audit.columns.at'),
            dataIndex: 'at',
            width: 170,
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss'),
          },
          { title: t('shell.audit.columns.actor'), dataIndex: 'actorName', width: 140 },
          {
            title: t('shell.audit.columns.action'),
            dataIndex: 'action',
            width: 200,
            render: (a: string, r) => {
              // A workflow action on a case names which one.
              const step = typeof r.payload.action === 'string' ? r.payload.action : null;
              const name = auditActionName(a, lang);
              return step && a === 'case.action'
                ? `${name}：${t(`cases.actions.${step}`, { defaultValue: step })}`
                : name;
            },
          },
          {
            title: t('shell.audit.columns.code'),
            dataIndex: 'action',
            width: 190,
            render: (a: string) => <Typography.Text code>{a}</Typography.Text>,
          },
          {
            title: t('shell.audit.columns.subject'),
            ellipsis: { showTitle: false },
            render: (_: unknown, r) => (
              <Tooltip title={r.targetId ? `${r.targetType} ${r.targetId}` : undefined}>
                <span data-testid="audit-subject">{subject(t, r)}</span>
              </Tooltip>
            ),
          },
          { title: t('shell.audit.columns.ip'), dataIndex: 'ip', width: 130 },
        ],
      }}
    />
  );
}
