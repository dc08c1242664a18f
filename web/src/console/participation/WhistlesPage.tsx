import type { Whistle } from '@civicgrid/core/api/whistles';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Tag, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

type Summon = Whistle['departments'][number];
const stateColors: Record<Summon['state'], string> = {
  waiting: 'gold',
  reported: 'green',
  late: 'orange',
  missing: 'red',
};
const when = (v: string) => new Date(v).toLocaleString('zh-CN', { hour12: false });

/**
 * 街道吹哨、部门报到: the street's whistles with each summoned department's report — in time,
 * late or missing; a department's handler reports here for his own department.
 */
export default function WhistlesPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const [raising, setRaising] = useState(false);
  const [reporting, setReporting] = useState<Whistle | null>(null);
  const list = usePagedList<Whistle, 'status'>({
    url: '/api/whistles',
    key: 'whistles',
    filters: ['status'],
  });
  const myDept = me?.jurisdiction.departmentId ?? null;
  return (
    <ListPage<Whistle>
      title={t('participation.whistles.title')}
      testId="whistles-page"
      list={list}
      empty={t('participation.whistles.empty')}
      totalText={(n) => t('participation.whistles.total', { count: n })}
      actions={
        can('whistle:raise') && (
          <Button type="primary" onClick={() => setRaising(true)} data-testid="whistles-raise">
            {t('participation.whistles.raise')}
          </Button>
        )
      }
      filters={
        <Select
          allowClear
          placeholder={t('participation.whistles.status')}
          style={{ width: 150 }}
          value={list.filters.status}
          onChange={(v?: string) => list.setFilters({ status: v })}
          options={(['open', 'done'] as const).map((s) => ({
            value: s,
            label: t(`participation.whistles.${s}`),
          }))}
        />
      }
      table={{
        rowKey: 'id',
        'data-testid': 'whistles-table',
        scroll: { x: 900 },
        columns: [
          { title: t('participation.whistles.subject'), dataIndex: 'subject' },
          {
            title: t('participation.whistles.departments'),
            key: 'departments',
            width: 340,
            render: (_, w) => (
              <Space size={[4, 4]} wrap data-testid="whistle-departments">
                {w.departments.map((d) => (
                  <Tooltip
                    key={d.departmentId}
                    title={
                      d.reportedAt
                        ? `${t('participation.whistles.reportedAt')} ${when(d.reportedAt)} ${d.reportedByName ?? ''}：${d.note ?? ''}`
                        : undefined
                    }
                  >
                    <Tag color={stateColors[d.state]} data-testid={`whistle-dept-${d.state}`}>
                      {d.departmentName} · {t(`participation.whistles.states.${d.state}`)}
                    </Tag>
                  </Tooltip>
                ))}
              </Space>
            ),
          },
          {
            title: t('participation.whistles.deadline'),
            dataIndex: 'deadline',
            width: 150,
            render: when,
          },
          {
            title: t('participation.whistles.raisedBy'),
            key: 'raisedBy',
            width: 180,
            render: (_, w) => `${w.orgUnitName} ${w.raisedByName ?? ''}`,
          },
          {
            title: '',
            key: 'report',
            width: 100,
            render: (_, w) =>
              can('whistle:report') &&
              w.departments.some((d) => d.departmentId === myDept && !d.reportedAt) && (
                <Button size="small" onClick={() => setReporting(w)} data-testid="whistle-report">
                  {t('participation.whistles.report')}
                </Button>
              ),
          },
        ],
      }}
    >
      {raising && <RaiseModal onClose={() => setRaising(false)} />}
      {reporting && myDept !== null && (
        <ReportModal whistle={reporting} departmentId={myDept} onClose={() => setReporting(null)} />
      )}
    </ListPage>
  );
}

function RaiseModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call('GET /api/departments') });
  const { submit, busy } = useFormSubmit(
    form,
    (v: { subject: string; departmentIds: number[]; deadline: Dayjs }) =>
      call('POST /api/whistles', {
        body: { subject: v.subject, departmentIds: v.departmentIds, deadline: v.deadline.toISOString() },
      }),
    {
      success: t('participation.wishes.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['whistles'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.whistles.raise')}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Popconfirm key="ok" title={t('participation.whistles.confirmRaise')} onConfirm={submit}>
          <Button type="primary" loading={busy} data-testid="whistle-raise-submit">
            {t('participation.whistles.raise')}
          </Button>
        </Popconfirm>,
      ]}
    >
      <Form form={form} layout="vertical" data-testid="whistle-form">
        <Form.Item
          name="subject"
          label={t('participation.whistles.subject')}
          rules={[{ required: true, min: 2 }]}
        >
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
        <Form.Item
          name="departmentIds"
          label={t('participation.whistles.departments')}
          rules={[{ required: true }]}
        >
          <Select
            mode="multiple"
            loading={departments.isLoading}
            options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item name="deadline" label={t('participation.whistles.deadline')} rules={[{ required: true }]}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReportModal({
  whistle,
  departmentId,
  onClose,
}: {
  whistle: Whistle;
  departmentId: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const name = whistle.departments.find((d) => d.departmentId === departmentId)?.departmentName ?? '';
  const { submit, busy } = useFormSubmit(
    form,
    (v: { note: string }) =>
      call('POST /api/whistles/:id/reports', {
        params: { id: whistle.id },
        body: { departmentId, note: v.note },
      }),
    {
      success: t('participation.wishes.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['whistles'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.whistles.reportFor', { name })}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
    >
      <p>{whistle.subject}</p>
      <Form form={form} layout="vertical">
        <Form.Item
          name="note"
          label={t('participation.whistles.reportNote')}
          rules={[{ required: true, min: 2 }]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
