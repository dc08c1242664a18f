import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { DualRegistration, JointMeeting } from '@civicgrid/core/api/dualRegistrations';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Modal, Select, Space, Tabs, Tag, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { useDefaultUnit } from './defaultUnit.js';

/**
 * 双报到: the units and in-service party members who reported to the community, what they offer
 * and their hours; and the quarterly joint meetings (联席会议) with the service items agreed.
 */
export default function DualRegistrationsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('registrations');
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      destroyOnHidden
      items={[
        {
          key: 'registrations',
          label: t('participation.dual.registrationsTab'),
          children: <Registrations />,
        },
        { key: 'meetings', label: t('participation.dual.meetingsTab'), children: <Meetings /> },
      ]}
    />
  );
}

function Registrations() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  const list = usePagedList<DualRegistration, 'kind' | 'q'>({
    url: '/api/dual-registrations',
    key: 'dual-registrations',
    filters: ['kind', 'q'],
  });
  return (
    <ListPage<DualRegistration>
      title={t('participation.dual.title')}
      testId="dual-page"
      list={list}
      empty={t('participation.dual.empty')}
      totalText={(n) => t('participation.dual.total', { count: n })}
      actions={
        can('volunteer:manage') && (
          <Button type="primary" onClick={() => setAdding(true)} data-testid="dual-register">
            {t('participation.dual.register')}
          </Button>
        )
      }
      search={{ filter: 'q', placeholder: t('participation.dual.search'), width: 180 }}
      filters={
        <Select
          allowClear
          placeholder={t('participation.dual.kind')}
          style={{ width: 130 }}
          value={list.filters.kind}
          onChange={(v?: string) => list.setFilters({ kind: v })}
          options={(['unit', 'member'] as const).map((k) => ({
            value: k,
            label: t(`participation.dual.kinds.${k}`),
          }))}
        />
      }
      table={{
        rowKey: 'id',
        'data-testid': 'dual-table',
        scroll: { x: 960 },
        columns: [
          {
            title: t('participation.dual.name'),
            key: 'name',
            render: (_, r) => (
              <Space size={4}>
                <Tag color={r.kind === 'unit' ? 'blue' : 'red'}>
                  {t(`participation.dual.kinds.${r.kind}`)}
                </Tag>
                {r.name}
              </Space>
            ),
          },
          {
            title: t('participation.dual.contact'),
            key: 'contact',
            width: 200,
            render: (_, r) =>
              [r.kind === 'unit' ? r.contactName : r.employer, r.phone].filter(Boolean).join(' · '),
          },
          {
            title: t('participation.dual.services'),
            dataIndex: 'services',
            render: (v: string[]) => v.map((s) => <Tag key={s}>{s}</Tag>),
          },
          { title: t('participation.dual.community'), dataIndex: 'orgUnitName', width: 140 },
          { title: t('participation.dual.registeredOn'), dataIndex: 'registeredOn', width: 110 },
          {
            title: t('participation.dual.hours'),
            dataIndex: 'hours',
            width: 90,
            align: 'right',
            render: (h: number | null) =>
              h === null ? '—' : t('participation.volunteers.hoursValue', { hours: h }),
          },
          { title: t('participation.dual.meetings'), dataIndex: 'meetings', width: 120, align: 'right' },
        ],
      }}
    >
      {adding && <RegisterModal onClose={() => setAdding(false)} />}
    </ListPage>
  );
}

function RegisterModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useDefaultUnit(form);
  const kind = Form.useWatch('kind', form) ?? 'unit';
  const { submit, busy } = useFormSubmit(
    form,
    (v: Record<string, unknown> & { registeredOn?: Dayjs }) =>
      call('POST /api/dual-registrations', {
        body: {
          ...v,
          registeredOn: v.registeredOn ? v.registeredOn.format('YYYY-MM-DD') : undefined,
        } as never,
      }),
    {
      success: t('participation.dual.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['dual-registrations'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.dual.register')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'dual-register-submit' }}
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'unit' }} data-testid="dual-register-form">
        <Form.Item name="kind" label={t('participation.dual.kind')} rules={[{ required: true }]}>
          <Select
            options={(['unit', 'member'] as const).map((k) => ({
              value: k,
              label: t(`participation.dual.kinds.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('participation.dual.name')}
          rules={[{ required: true, min: 2, max: 60 }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        {kind === 'unit' ? (
          <Form.Item name="contactName" label={t('participation.dual.contactName')}>
            <Input maxLength={30} />
          </Form.Item>
        ) : (
          <Form.Item name="employer" label={t('participation.dual.employer')}>
            <Input maxLength={60} />
          </Form.Item>
        )}
        <Form.Item
          name="phone"
          label={t('participation.volunteers.phone')}
          rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: '请输入 11 位手机号' }]}
        >
          <Input maxLength={11} />
        </Form.Item>
        <Form.Item name="services" label={t('participation.dual.services')} rules={[{ required: true }]}>
          <Select mode="tags" maxCount={10} tokenSeparators={[',', '，']} />
        </Form.Item>
        <Space>
          <Form.Item name="orgUnitId" label={t('participation.dual.community')} rules={[{ required: true }]}>
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.areas} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="registeredOn" label={t('participation.dual.registeredOn')}>
            <DatePicker />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function Meetings() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  const list = usePagedList<JointMeeting, never>({
    url: '/api/joint-meetings',
    key: 'joint-meetings',
    filters: [],
  });
  return (
    <ListPage<JointMeeting>
      title={t('participation.dual.meetingsTab')}
      testId="meetings-page"
      list={list}
      empty={t('participation.dual.noMeetings')}
      totalText={(n) => t('participation.dual.meetingsTotal', { count: n })}
      actions={
        can('volunteer:manage') && (
          <Button type="primary" onClick={() => setAdding(true)} data-testid="meeting-record">
            {t('participation.dual.recordMeeting')}
          </Button>
        )
      }
      table={{
        rowKey: 'id',
        'data-testid': 'meetings-table',
        scroll: { x: 900 },
        columns: [
          {
            title: t('participation.dual.heldOn'),
            key: 'heldOn',
            width: 180,
            render: (_, m) => `${m.heldOn}（${m.quarter}）`,
          },
          { title: t('participation.dual.community'), dataIndex: 'orgUnitName', width: 140 },
          {
            title: t('participation.dual.attendees'),
            key: 'attendees',
            width: 240,
            render: (_, m) => m.attendees.map((a) => a.name).join('、'),
          },
          {
            title: t('participation.dual.items'),
            key: 'items',
            render: (_, m) => (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {m.items.map((i) => (
                  <li key={`${i.registrationId}-${i.item}`}>
                    {i.item}（{i.name}）
                  </li>
                ))}
              </ul>
            ),
          },
        ],
      }}
    >
      {adding && <MeetingModal onClose={() => setAdding(false)} />}
    </ListPage>
  );
}

function MeetingModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useDefaultUnit(form);
  const unit = Form.useWatch('orgUnitId', form) as number | undefined;
  const attendeeIds = (Form.useWatch('attendeeIds', form) ?? []) as string[];
  const regs = useQuery({
    queryKey: ['dual-registrations', 'of', unit],
    queryFn: () =>
      call('GET /api/dual-registrations', { query: { orgUnitId: unit as number, pageSize: 200 } }),
    enabled: unit !== undefined,
  });
  const options = (regs.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }));
  const { submit, busy } = useFormSubmit(
    form,
    (v: {
      orgUnitId: number;
      heldOn: Dayjs;
      place?: string;
      attendeeIds: string[];
      items: { registrationId: string; item: string }[];
      note?: string;
    }) => call('POST /api/joint-meetings', { body: { ...v, heldOn: v.heldOn.format('YYYY-MM-DD') } }),
    {
      success: t('participation.dual.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['joint-meetings'] });
        await qc.invalidateQueries({ queryKey: ['dual-registrations'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      width={640}
      title={t('participation.dual.recordMeeting')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'meeting-submit' }}
    >
      <Form form={form} layout="vertical" initialValues={{ heldOn: dayjs(), items: [{}] }}>
        <Space>
          <Form.Item name="orgUnitId" label={t('participation.dual.community')} rules={[{ required: true }]}>
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.areas} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="heldOn" label={t('participation.dual.heldOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="place" label={t('participation.volunteers.place')}>
            <Input maxLength={60} />
          </Form.Item>
        </Space>
        <Form.Item name="attendeeIds" label={t('participation.dual.attendees')} rules={[{ required: true }]}>
          <Select mode="multiple" options={options} loading={regs.isFetching} />
        </Form.Item>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              <div style={{ marginBottom: 8 }}>{t('participation.dual.items')}</div>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'registrationId']} rules={[{ required: true }]}>
                    <Select
                      style={{ width: 180 }}
                      placeholder={t('participation.dual.takenBy')}
                      options={options.filter((o) => attendeeIds.includes(o.value))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'item']} rules={[{ required: true, min: 2, max: 100 }]}>
                    <Input style={{ width: 300 }} placeholder={t('participation.dual.itemPlaceholder')} />
                  </Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                {t('participation.dual.addItem')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="note" label={t('participation.dual.note')} style={{ marginTop: 12 }}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
