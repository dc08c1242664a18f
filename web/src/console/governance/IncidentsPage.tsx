import type { incidentSummary } from '@civicgrid/core/api/incidents';
import { incidentLevels, incidentTypes, logKinds } from '@civicgrid/core/api/incidents';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { type Body, call, href } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { QueryState } from '../../common/QueryState.js';
import { CaseMap } from '../cases/CaseMap.js';
import { fmt } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

type Summary = z.infer<typeof incidentSummary>;
const filterKeys = ['status', 'type'] as const;
const levelColors = { I: 'red', II: 'volcano', III: 'orange', IV: 'gold' } as const;

/** 报告: type, level, what happened, where (a point on the map); the reply says who was told. */
function ReportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ type: Summary['type']; level: Summary['level']; description: string }>();
  const [point, setPoint] = useState<{ lat: number; lng: number } | null>(null);
  const { send, busy } = useFormSubmit(
    form,
    (body: Body<'POST /api/incidents'>) => call('POST /api/incidents', { body }),
    {
      success: (r) => `${r.code}：${t('gov.incidents.notifiedDone', { count: r.notified.length })}`,
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['incidents'] });
        form.resetFields();
        setPoint(null);
        onClose();
      },
    },
  );
  const submit = (v: { type: Summary['type']; level: Summary['level']; description: string }) => {
    if (!point) {
      form.setFields([{ name: 'description', errors: [t('gov.incidents.location')] }]);
      return;
    }
    void send({ ...v, location: point });
  };
  return (
    <Modal
      open={open}
      width={720}
      title={t('gov.incidents.report')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ type: 'accidentDisaster', level: 'IV' }}
      >
        <Space>
          <Form.Item name="type" label={t('gov.incidents.type')} rules={[{ required: true }]}>
            <Select
              style={{ width: 160 }}
              options={incidentTypes.map((x) => ({ value: x, label: t(`gov.incidents.types.${x}`) }))}
            />
          </Form.Item>
          <Form.Item name="level" label={t('gov.incidents.level')} rules={[{ required: true }]}>
            <Select
              style={{ width: 100 }}
              options={incidentLevels.map((x) => ({ value: x, label: `${x} 级` }))}
            />
          </Form.Item>
        </Space>
        <Form.Item
          name="description"
          label={t('gov.incidents.description')}
          rules={[{ required: true, min: 4 }]}
        >
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        <Typography.Text type="secondary">{t('gov.incidents.location')}</Typography.Text>
        <CaseMap marker={point} onPick={setPoint} height={260} />
      </Form>
    </Modal>
  );
}

function IncidentDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [log, setLog] = useState<{ kind: (typeof logKinds)[number]; text: string }>({
    kind: 'order',
    text: '',
  });
  const [summary, setSummary] = useState('');
  const detail = useQuery({
    queryKey: ['incident', id],
    queryFn: () => call('GET /api/incidents/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  const d = detail.data;
  const run = async (f: () => Promise<unknown>) => {
    try {
      await f();
      await qc.invalidateQueries({ queryKey: ['incident', id] });
      await qc.invalidateQueries({ queryKey: ['incidents'] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={d ? `${d.code} ${t(`gov.incidents.types.${d.type}`)}` : ''}
      data-testid="incident-drawer"
    >
      <QueryState loading={detail.isLoading} error={detail.error}>
        {d && id && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Descriptions column={2} size="small">
              <Descriptions.Item label={t('gov.incidents.level')}>
                <Tag color={levelColors[d.level]}>{d.level} 级</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('gov.incidents.status')}>
                {t(`gov.incidents.states.${d.status}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('gov.incidents.unit')}>{d.orgUnitName}</Descriptions.Item>
              <Descriptions.Item label={t('gov.incidents.reportedAt')}>{fmt(d.reportedAt)}</Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph>{d.description}</Typography.Paragraph>
            <Space wrap>
              {d.allowedActions.includes('acknowledge') && (
                <Button
                  type="primary"
                  onClick={() => run(() => call('POST /api/incidents/:id/acknowledge', { params: { id } }))}
                >
                  {t('gov.incidents.acknowledge')}
                </Button>
              )}
              {d.status === 'closed' && (
                <Button href={href('GET /api/incidents/:id/report.pdf', { params: { id } })} target="_blank">
                  {t('gov.incidents.reportPdf')}
                </Button>
              )}
            </Space>
            <Card size="small" title={t('gov.incidents.notifications')}>
              <List
                size="small"
                dataSource={d.notifications}
                renderItem={(n) => (
                  <List.Item>
                    <Space wrap>
                      <span>{n.name}</span>
                      <Tag>{t(`gov.incidents.as.${n.as}`)}</Tag>
                      <Typography.Text type="secondary">{n.unitName}</Typography.Text>
                      <Typography.Text type={n.secondsToAcknowledge === null ? 'danger' : 'success'}>
                        {n.secondsToAcknowledge === null
                          ? t('gov.incidents.notAcked')
                          : t('gov.incidents.ackIn', {
                              minutes: Math.max(1, Math.ceil(n.secondsToAcknowledge / 60)),
                            })}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
            <Card size="small" title={t('gov.incidents.logs')}>
              <Timeline
                items={d.logs.map((l) => ({
                  key: l.id,
                  content: (
                    <div>
                      <Typography.Text type="secondary">
                        {fmt(l.at)} [{t(`gov.incidents.logKinds.${l.kind}`)}] {l.actorName}
                      </Typography.Text>
                      <div>{l.text}</div>
                    </div>
                  ),
                }))}
              />
              {d.allowedActions.includes('log') && (
                <Space.Compact style={{ width: '100%' }}>
                  <Select
                    style={{ width: 120 }}
                    value={log.kind}
                    onChange={(kind) => setLog({ ...log, kind })}
                    options={logKinds.map((k) => ({ value: k, label: t(`gov.incidents.logKinds.${k}`) }))}
                  />
                  <Input
                    value={log.text}
                    onChange={(e) => setLog({ ...log, text: e.target.value })}
                    placeholder={t('gov.incidents.logText')}
                  />
                  <Button
                    disabled={!log.text.trim()}
                    onClick={() =>
                      run(async () => {
                        await call('POST /api/incidents/:id/logs', { params: { id }, body: log });
                        setLog({ ...log, text: '' });
                      })
                    }
                  >
                    {t('gov.incidents.addLog')}
                  </Button>
                </Space.Compact>
              )}
            </Card>
            {d.tasks.length > 0 && (
              <Card size="small" title={t('gov.incidents.tasks')}>
                <List
                  size="small"
                  dataSource={d.tasks}
                  renderItem={(x) => (
                    <List.Item>
                      {x.departmentName}：{x.title}（{fmt(x.dueAt)}）
                      {x.doneAt ? <Tag color="green">✓</Tag> : x.overdue ? <Tag color="red">!</Tag> : null}
                    </List.Item>
                  )}
                />
              </Card>
            )}
            {d.summary && (
              <Card size="small" title={t('gov.incidents.summary')}>
                {d.summary}
              </Card>
            )}
            {d.allowedActions.includes('close') && (
              <Space.Compact style={{ width: '100%' }}>
                <Input
                  value={summary}
                  onChange={(e) => setSummary(e.target.value)}
                  placeholder={t('gov.incidents.summary')}
                />
                <Button
                  danger
                  disabled={summary.trim().length < 10}
                  onClick={() =>
                    run(() => call('POST /api/incidents/:id/close', { params: { id }, body: { summary } }))
                  }
                >
                  {t('gov.incidents.close')}
                </Button>
              </Space.Compact>
            )}
          </Space>
        )}
      </QueryState>
    </Drawer>
  );
}

/** 突发事件: reported emergencies of the area, who was told and how soon they answered. */
export default function IncidentsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [reporting, setReporting] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const list = usePagedList<Summary, (typeof filterKeys)[number]>({
    url: '/api/incidents',
    key: 'incidents',
    filters: filterKeys,
  });
  return (
    <>
      <ListPage<Summary>
        title={t('gov.incidents.title')}
        testId="incidents-page"
        list={list}
        empty={t('gov.incidents.empty')}
        totalText={(n) => t('gov.incidents.total', { count: n })}
        actions={
          can('incident:report') && (
            <Button type="primary" danger onClick={() => setReporting(true)} data-testid="incidents-report">
              {t('gov.incidents.report')}
            </Button>
          )
        }
        filters={
          <>
            <Select
              allowClear
              placeholder={t('gov.incidents.status')}
              style={{ width: 110 }}
              value={list.filters.status}
              onChange={(v?: string) => list.setFilters({ status: v })}
              options={(['active', 'closed'] as const).map((s) => ({
                value: s,
                label: t(`gov.incidents.states.${s}`),
              }))}
            />
            <Select
              allowClear
              placeholder={t('gov.incidents.type')}
              style={{ width: 130 }}
              value={list.filters.type}
              onChange={(v?: string) => list.setFilters({ type: v })}
              options={incidentTypes.map((x) => ({ value: x, label: t(`gov.incidents.types.${x}`) }))}
            />
          </>
        }
        table={{
          rowKey: 'id',
          'data-testid': 'incidents-table',
          scroll: { x: 960 },
          columns: [
            {
              title: t('gov.incidents.code'),
              dataIndex: 'code',
              width: 190,
              render: (code: string, r) => (
                <Typography.Link onClick={() => setOpen(r.id)} data-testid="incident-open">
                  {code}
                </Typography.Link>
              ),
            },
            {
              title: t('gov.incidents.type'),
              dataIndex: 'type',
              width: 110,
              render: (v: Summary['type']) => t(`gov.incidents.types.${v}`),
            },
            {
              title: t('gov.incidents.level'),
              dataIndex: 'level',
              width: 80,
              render: (v: Summary['level']) => <Tag color={levelColors[v]}>{v} 级</Tag>,
            },
            { title: t('gov.incidents.description'), dataIndex: 'description', ellipsis: true },
            { title: t('gov.incidents.unit'), dataIndex: 'orgUnitName', width: 140 },
            {
              title: t('gov.incidents.reportedAt'),
              dataIndex: 'reportedAt',
              width: 150,
              render: (v: string) => fmt(v),
            },
            {
              title: t('gov.incidents.notified'),
              key: 'n',
              width: 110,
              render: (_, r) => `${r.notifiedCount} / ${r.acknowledgedCount}`,
            },
            {
              title: t('gov.incidents.status'),
              dataIndex: 'status',
              width: 90,
              render: (v: Summary['status']) => (
                <Tag color={v === 'active' ? 'red' : 'green'}>{t(`gov.incidents.states.${v}`)}</Tag>
              ),
            },
          ],
        }}
      />
      <ReportModal open={reporting} onClose={() => setReporting(false)} />
      <IncidentDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
