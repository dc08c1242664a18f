import type { grievanceSummary } from '@civicgrid/core/api/grievances';
import { grievanceChannels, grievanceStates } from '@civicgrid/core/grievances/stateMachine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { z } from 'zod';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { DeadlineTag, GrievanceStateTag } from './grievanceShared.js';

type Summary = z.infer<typeof grievanceSummary>;
const filterKeys = ['status', 'channel', 'deadline'] as const;

interface RegisterValues {
  channel: (typeof grievanceChannels)[number];
  subject: string;
  content: string;
  name: string;
  idNumber?: string;
  phone?: string;
}

/** 登记: the person and the matter; the reply's two deadlines are shown at once. */
function RegisterModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<RegisterValues>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const { send: submit, busy } = useFormSubmit(
    form,
    (v: RegisterValues) =>
      call('POST /api/grievances', {
        body: {
          channel: v.channel,
          subject: v.subject,
          content: v.content,
          person: {
            name: v.name,
            ...(v.idNumber ? { idNumber: v.idNumber } : {}),
            ...(v.phone ? { phone: v.phone } : {}),
          },
          idempotencyKey: key,
        },
      }),
    {
      success: (r) => `${r.code}：${t('gov.deadlineSteps.acknowledge')} ${r.deadlines.acknowledgeBy}`,
      onDone: async (r) => {
        setKey(crypto.randomUUID());
        form.resetFields();
        await qc.invalidateQueries({ queryKey: ['grievances'] });
        onClose();
        navigate(`/governance/grievances/${r.id}`);
      },
    },
  );
  return (
    <Modal
      open={open}
      title={t('gov.grievances.register')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('gov.common.submit')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ channel: 'visit' }}
        data-testid="grievance-form"
      >
        <Form.Item name="channel" label={t('gov.grievances.channel')} rules={[{ required: true }]}>
          <Select options={grievanceChannels.map((c) => ({ value: c, label: t(`gov.channels.${c}`) }))} />
        </Form.Item>
        <Form.Item name="subject" label={t('gov.grievances.subject')} rules={[{ required: true, min: 2 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="content" label={t('gov.grievances.content')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Form.Item name="name" label={t('gov.grievances.person')} rules={[{ required: true }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="idNumber" label={t('gov.grievances.idNumber')}>
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t('gov.grievances.phone')}>
          <Input maxLength={13} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 信访事项: the grievances of the user's area, each with its running deadline (临期 at 80 %, 超期 past it). */
export default function GrievanceListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [registering, setRegistering] = useState(false);
  const list = usePagedList<Summary, (typeof filterKeys)[number]>({
    url: '/api/grievances',
    key: 'grievances',
    filters: filterKeys,
  });
  const stats = useQuery({
    queryKey: ['grievances', 'stats'],
    queryFn: () => call('GET /api/grievances/stats'),
  });
  const select = (
    key: (typeof filterKeys)[number],
    values: readonly string[],
    label: (v: string) => string,
    width: number,
  ) => (
    <Select
      allowClear
      placeholder={t(`gov.grievances.${key === 'deadline' ? 'filterDeadline' : key}`)}
      style={{ width }}
      value={list.filters[key]}
      onChange={(v?: string) => list.setFilters({ [key]: v })}
      options={values.map((v) => ({ value: v, label: label(v) }))}
      data-testid={`grievances-${key}`}
    />
  );
  const s = stats.data;
  return (
    <>
      {s && (
        <Alert
          style={{ marginBottom: 12 }}
          type={s.overdue ? 'error' : s.warning ? 'warning' : 'info'}
          showIcon
          data-testid="grievance-stats"
          title={t('gov.grievances.stats', {
            open: s.open,
            warning: s.warning,
            overdue: s.overdue,
            ackOnTime: s.acknowledgedOnTime,
            ack: s.acknowledged,
            ansOnTime: s.answeredOnTime,
            ans: s.answered,
          })}
          description={t('gov.grievances.noScopeNote')}
        />
      )}
      <ListPage<Summary>
        title={t('gov.grievances.title')}
        testId="grievances-page"
        list={list}
        empty={t('gov.grievances.empty')}
        totalText={(n) => t('gov.grievances.total', { count: n })}
        actions={
          can('grievance:intake') && (
            <Button type="primary" onClick={() => setRegistering(true)} data-testid="grievances-register">
              {t('gov.grievances.register')}
            </Button>
          )
        }
        filters={
          <>
            {select('status', grievanceStates, (v) => t(`gov.grievanceStates.${v}`), 120)}
            {select('channel', grievanceChannels, (v) => t(`gov.channels.${v}`), 110)}
            {select('deadline', ['warning', 'overdue'], (v) => t(`gov.deadlineStates.${v}`), 100)}
          </>
        }
        table={{
          rowKey: 'id',
          'data-testid': 'grievances-table',
          scroll: { x: 960 },
          columns: [
            {
              title: t('gov.grievances.code'),
              dataIndex: 'code',
              width: 190,
              render: (code: string, g) => <Link to={`/governance/grievances/${g.id}`}>{code}</Link>,
            },
            { title: t('gov.grievances.subject'), dataIndex: 'subject' },
            {
              title: t('gov.grievances.channel'),
              dataIndex: 'channel',
              width: 90,
              render: (v: Summary['channel']) => t(`gov.channels.${v}`),
            },
            { title: t('gov.grievances.person'), dataIndex: 'personName', width: 100 },
            { title: t('gov.grievances.receivedOn'), dataIndex: 'receivedOn', width: 110 },
            {
              title: t('gov.grievances.status'),
              dataIndex: 'status',
              width: 100,
              render: (v: Summary['status']) => <GrievanceStateTag state={v} />,
            },
            {
              title: t('gov.grievances.deadline'),
              key: 'deadline',
              width: 190,
              render: (_, g) => <DeadlineTag d={g.deadline} />,
            },
          ],
        }}
      />
      <RegisterModal open={registering} onClose={() => setRegistering(false)} />
    </>
  );
}
