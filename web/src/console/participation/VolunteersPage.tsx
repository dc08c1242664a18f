import type { Activity, Volunteer } from '@civicgrid/core/api/volunteers';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  TreeSelect,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { DetailDrawer } from '../common/DetailDrawer.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { ActivityMapTab } from './ActivityMap.js';
import { CheckInCodeModal } from './CheckInCode.js';
import { useDefaultUnit } from './defaultUnit.js';
import { VolunteerTeamsTab } from './VolunteerTeams.js';

const when = (v: string) => new Date(v).toLocaleString('zh-CN', { hour12: false });
const hm = (v: string) =>
  new Date(v).toLocaleTimeString('zh-CN', { hour12: false, hour: '2-digit', minute: '2-digit' });
const day = (v: string) => new Date(v).toLocaleDateString('zh-CN');
/** From–to, the day once when both are on the same day. */
const span = (from: string, to: string) =>
  day(from) === day(to) ? `${day(from)} ${hm(from)}–${hm(to)}` : `${when(from)} – ${when(to)}`;
/** What the list says of an activity: cancelled, ended, under way, or open for sign-up. */
function phaseOf(a: Activity): 'cancelled' | 'closed' | 'running' | 'open' {
  if (a.status === 'cancelled') return 'cancelled';
  const now = Date.now();
  if (Date.parse(a.endsAt) <= now) return 'closed';
  return Date.parse(a.startsAt) <= now ? 'running' : 'open';
}
const phaseColors = { cancelled: 'default', closed: 'default', running: 'green', open: 'blue' } as const;

/** 志愿服务: the registry of volunteers with their credited hours, and the activities they serve at. */
export default function VolunteersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [tab, setTab] = useState(() => new URLSearchParams(location.search).get('tab') ?? 'volunteers');
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      destroyOnHidden
      items={[
        {
          key: 'volunteers',
          label: t('participation.volunteers.volunteersTab'),
          children: <VolunteerList />,
        },
        { key: 'activities', label: t('participation.volunteers.activitiesTab'), children: <ActivityList /> },
        ...(can('volunteer:read')
          ? [{ key: 'teams', label: t('volunteerTeams.teamsTab'), children: <VolunteerTeamsTab /> }]
          : []),
        {
          key: 'map',
          label: t('volunteerTeams.mapTab'),
          children: <ActivityMapTab Drawer={ActivityDrawer} />,
        },
      ]}
    />
  );
}

function VolunteerList() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const list = usePagedList<Volunteer, 'q'>({ url: '/api/volunteers', key: 'volunteers', filters: ['q'] });
  return (
    <ListPage<Volunteer>
      title={t('participation.volunteers.title')}
      testId="volunteers-page"
      list={list}
      empty={t('participation.volunteers.empty')}
      totalText={(n) => t('participation.volunteers.total', { count: n })}
      actions={
        can('volunteer:manage') && (
          <Button type="primary" onClick={() => setRegistering(true)} data-testid="volunteers-register">
            {t('participation.volunteers.register')}
          </Button>
        )
      }
      search={{
        filter: 'q',
        placeholder: t('participation.volunteers.search'),
        width: 200,
        testId: 'volunteers-q',
      }}
      table={{
        rowKey: 'id',
        'data-testid': 'volunteers-table',
        scroll: { x: 800 },
        onRow: (v) => ({ onClick: () => setOpen(v.id), style: { cursor: 'pointer' } }),
        columns: [
          { title: t('participation.volunteers.name'), dataIndex: 'name', width: 100 },
          { title: t('participation.volunteers.phone'), dataIndex: 'phone', width: 130 },
          {
            title: t('participation.volunteers.skills'),
            dataIndex: 'skills',
            render: (v: string[]) => v.map((s) => <Tag key={s}>{s}</Tag>),
          },
          { title: t('participation.volunteers.area'), dataIndex: 'orgUnitName', width: 160 },
          {
            title: t('participation.volunteers.hours'),
            dataIndex: 'hours',
            width: 100,
            align: 'right',
            render: (h: number) => t('participation.volunteers.hoursValue', { hours: h }),
          },
        ],
      }}
    >
      <VolunteerDrawer id={open} onClose={() => setOpen(null)} />
      {registering && <RegisterModal onClose={() => setRegistering(false)} />}
    </ListPage>
  );
}

function VolunteerDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['volunteers', 'detail', id],
    queryFn: () => call('GET /api/volunteers/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  return (
    <DetailDrawer
      id={id}
      onClose={onClose}
      detail={detail}
      width={560}
      title={t('participation.volunteers.detail')}
      testId="volunteer-drawer"
    >
      {(v) => (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('participation.volunteers.name')}>{v.name}</Descriptions.Item>
            <Descriptions.Item label={t('participation.volunteers.phone')}>{v.phone}</Descriptions.Item>
            <Descriptions.Item label={t('participation.volunteers.area')}>{v.orgUnitName}</Descriptions.Item>
            <Descriptions.Item label={t('participation.volunteers.skills')}>
              {v.skills.map((s) => (
                <Tag key={s}>{s}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.volunteers.hours')}>
              <strong data-testid="volunteer-hours">
                {t('participation.volunteers.hoursValue', { hours: v.hours })}
              </strong>
            </Descriptions.Item>
          </Descriptions>
          <Button
            style={{ marginTop: 12 }}
            href={`/api/volunteers/${v.id}/statement.pdf`}
            target="_blank"
            data-testid="volunteer-statement"
          >
            {t('participation.volunteers.statement')}
          </Button>
          <h4 style={{ marginTop: 16 }}>{t('participation.volunteers.activities')}</h4>
          <Table
            size="small"
            rowKey={(r) => `${r.activityId}-${r.checkedInAt}`}
            pagination={false}
            dataSource={v.record}
            columns={[
              { title: t('participation.volunteers.activity'), dataIndex: 'activityTitle' },
              { title: t('participation.volunteers.checkIn'), dataIndex: 'checkedInAt', render: when },
              {
                title: t('volunteerTeams.method'),
                dataIndex: 'method',
                render: (m: 'gps' | 'qr') => t(`volunteerTeams.methods.${m}`),
              },
              {
                title: t('participation.volunteers.checkOut'),
                dataIndex: 'checkedOutAt',
                render: (x: string | null) =>
                  x ? when(x) : <Tag color="blue">{t('participation.volunteers.onSite')}</Tag>,
              },
              {
                title: t('participation.volunteers.hours'),
                dataIndex: 'minutes',
                align: 'right',
                render: (m: number | null) =>
                  m === null ? '—' : t('participation.volunteers.minutes', { minutes: m }),
              },
            ]}
          />
        </>
      )}
    </DetailDrawer>
  );
}

function RegisterModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useDefaultUnit(form);
  const { submit, busy } = useFormSubmit(
    form,
    (v: { name: string; phone: string; skills?: string[]; orgUnitId: number; availability?: string }) =>
      call('POST /api/volunteers', { body: { ...v, skills: v.skills ?? [] } }),
    {
      success: t('participation.volunteers.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['volunteers'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.volunteers.register')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'volunteer-register-submit' }}
    >
      <Form form={form} layout="vertical" data-testid="volunteer-register-form">
        <Form.Item
          name="name"
          label={t('participation.volunteers.name')}
          rules={[{ required: true, min: 2, max: 30 }]}
        >
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('participation.volunteers.phone')}
          rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: '请输入 11 位手机号' }]}
        >
          <Input maxLength={11} />
        </Form.Item>
        <Form.Item name="skills" label={t('participation.volunteers.skills')}>
          <Select mode="tags" maxCount={10} tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
        <Form.Item
          name="orgUnitId"
          label={t('participation.volunteers.area')}
          rules={[{ required: true }]}
          initialValue={trees.root}
        >
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.units} />
        </Form.Item>
        <Form.Item name="availability" label="可服务时间">
          <Input maxLength={100} placeholder="如：周末上午、工作日晚上" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ActivityList() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  const [publishing, setPublishing] = useState(false);
  const list = usePagedList<Activity, 'when'>({
    url: '/api/volunteer-activities',
    key: 'volunteer-activities',
    filters: ['when'],
  });
  return (
    <ListPage<Activity>
      title={t('participation.volunteers.activitiesTab')}
      testId="activities-page"
      list={list}
      empty={t('participation.volunteers.emptyActivities')}
      totalText={(n) => t('participation.volunteers.totalActivities', { count: n })}
      actions={
        can('volunteer:manage') && (
          <Button type="primary" onClick={() => setPublishing(true)} data-testid="activities-publish">
            {t('participation.volunteers.publish')}
          </Button>
        )
      }
      filters={
        <Select
          allowClear
          style={{ width: 130 }}
          value={list.filters.when}
          onChange={(v?: string) => list.setFilters({ when: v })}
          options={[
            { value: 'upcoming', label: '未结束' },
            { value: 'past', label: '已结束' },
          ]}
          placeholder={t('participation.volunteers.time')}
        />
      }
      table={{
        rowKey: 'id',
        'data-testid': 'activities-table',
        scroll: { x: 900 },
        onRow: (a) => ({ onClick: () => setOpen(a.id), style: { cursor: 'pointer' } }),
        columns: [
          { title: t('participation.volunteers.activity'), dataIndex: 'title' },
          { title: t('participation.volunteers.place'), dataIndex: 'placeName', width: 160 },
          {
            title: t('participation.volunteers.time'),
            key: 'time',
            width: 220,
            render: (_, a) => span(a.startsAt, a.endsAt),
          },
          {
            title: t('participation.volunteers.signedUp'),
            key: 'signUps',
            width: 90,
            align: 'right',
            render: (_, a) => (a.capacity ? `${a.signUps}/${a.capacity}` : a.signUps),
          },
          {
            title: t('participation.volunteers.onSiteNow'),
            dataIndex: 'checkedIn',
            width: 90,
            align: 'right',
          },
          {
            title: t('participation.volunteers.hours'),
            dataIndex: 'hours',
            width: 90,
            align: 'right',
            render: (h: number) => t('participation.volunteers.hoursValue', { hours: h }),
          },
          {
            title: '',
            key: 'phase',
            width: 80,
            render: (_, a) => {
              const p = phaseOf(a);
              return <Tag color={phaseColors[p]}>{t(`participation.volunteers.statuses.${p}`)}</Tag>;
            },
          },
        ],
      }}
    >
      <ActivityDrawer id={open} onClose={() => setOpen(null)} />
      {publishing && <PublishModal onClose={() => setPublishing(false)} />}
    </ListPage>
  );
}

/** Where the user is now, for a check-in at the place. */
function here(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('此设备不能定位，请在现场用手机签到'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => reject(new Error('无法获取当前位置，请允许定位后重试')),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  });
}

function ActivityDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [pick, setPick] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [showCode, setShowCode] = useState(false);
  const detail = useQuery({
    queryKey: ['volunteer-activities', 'detail', id],
    queryFn: () => call('GET /api/volunteer-activities/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  const candidates = useQuery({
    queryKey: ['volunteers', 'pick', q],
    queryFn: () => call('GET /api/volunteers', { query: { q: q || undefined, pageSize: 20 } }),
    enabled: id !== null && can('volunteer:manage'),
  });
  const act = async (key: string, fn: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await fn();
      message.success(t('participation.volunteers.done'));
      await qc.invalidateQueries({ queryKey: ['volunteer-activities'] });
      await qc.invalidateQueries({ queryKey: ['volunteers'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <DetailDrawer
      id={id}
      onClose={onClose}
      detail={detail}
      width={620}
      title={t('participation.volunteers.activityDetail')}
      testId="activity-drawer"
    >
      {(a) => (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('participation.volunteers.activity')}>{a.title}</Descriptions.Item>
            {a.description && (
              <Descriptions.Item label={t('participation.volunteers.description')}>
                {a.description}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('participation.volunteers.place')}>
              {a.placeName}（{t('participation.volunteers.radiusText', { m: a.radiusM })}）
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.volunteers.time')}>
              {span(a.startsAt, a.endsAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.volunteers.area')}>{a.orgUnitName}</Descriptions.Item>
            {a.teamName && (
              <Descriptions.Item label={t('volunteerTeams.team')}>{a.teamName}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('participation.volunteers.signedUp')}>
              {a.capacity ? `${a.signUps}/${a.capacity}` : a.signUps}
            </Descriptions.Item>
          </Descriptions>
          {can('volunteer:manage') && (phaseOf(a) === 'open' || phaseOf(a) === 'running') && (
            <Button style={{ marginTop: 12 }} onClick={() => setShowCode(true)} data-testid="activity-code">
              {t('volunteerTeams.code')}
            </Button>
          )}
          {showCode && <CheckInCodeModal activity={a} onClose={() => setShowCode(false)} />}
          {can('volunteer:manage') && (phaseOf(a) === 'open' || phaseOf(a) === 'running') && (
            <Space.Compact style={{ width: '100%', marginTop: 16 }}>
              <Select
                showSearch
                filterOption={false}
                onSearch={(v) => setQ(v.trim())}
                value={pick}
                onChange={setPick}
                placeholder={t('participation.volunteers.chooseVolunteer')}
                style={{ flex: 1 }}
                loading={candidates.isFetching}
                options={(candidates.data?.items ?? []).map((v) => ({
                  value: v.id,
                  label: `${v.name}（${v.orgUnitName}）`,
                }))}
                data-testid="activity-pick-volunteer"
              />
              <Button
                disabled={!pick}
                loading={busy === 'signUp'}
                onClick={() =>
                  act('signUp', () =>
                    call('POST /api/volunteer-activities/:id/sign-ups', {
                      params: { id: a.id },
                      body: { volunteerId: pick as string },
                    }),
                  )
                }
                data-testid="activity-sign-up"
              >
                {t('participation.volunteers.signUp')}
              </Button>
            </Space.Compact>
          )}
          <h4 style={{ marginTop: 16 }}>{t('participation.volunteers.attendances')}</h4>
          <Table
            size="small"
            rowKey="volunteerId"
            pagination={false}
            dataSource={a.participants}
            data-testid="activity-participants"
            columns={[
              { title: t('participation.volunteers.name'), dataIndex: 'name' },
              {
                title: t('participation.volunteers.checkedIn'),
                dataIndex: 'checkedInAt',
                render: (x: string | null) => (x ? when(x) : '—'),
              },
              {
                title: t('participation.volunteers.hours'),
                dataIndex: 'minutes',
                align: 'right',
                render: (m: number) => t('participation.volunteers.minutes', { minutes: m }),
              },
              {
                title: '',
                key: 'act',
                width: 90,
                render: (_, p) =>
                  can('volunteer:manage') &&
                  // Check-in and check-out at the place, while the activity is under way.
                  phaseOf(a) === 'running' &&
                  (p.checkedInAt ? (
                    <Popconfirm
                      title={`${p.name} ${t('participation.volunteers.checkOut')}？`}
                      onConfirm={() =>
                        act(`out-${p.volunteerId}`, () =>
                          call('POST /api/volunteer-activities/:id/check-out', {
                            params: { id: a.id },
                            body: { volunteerId: p.volunteerId },
                          }),
                        )
                      }
                    >
                      <Button size="small" loading={busy === `out-${p.volunteerId}`}>
                        {t('participation.volunteers.checkOut')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button
                      size="small"
                      loading={busy === `in-${p.volunteerId}`}
                      onClick={() =>
                        act(`in-${p.volunteerId}`, async () =>
                          call('POST /api/volunteer-activities/:id/check-in', {
                            params: { id: a.id },
                            body: { volunteerId: p.volunteerId, location: await here() },
                          }),
                        )
                      }
                    >
                      {t('participation.volunteers.checkIn')}
                    </Button>
                  )),
              },
            ]}
          />
        </>
      )}
    </DetailDrawer>
  );
}

function PublishModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useDefaultUnit(form);
  const teams = useQuery({
    queryKey: ['volunteer-teams', 'pick'],
    queryFn: () => call('GET /api/volunteer-teams', { query: { pageSize: 200 } }),
  });
  const { submit, busy } = useFormSubmit(
    form,
    (v: {
      title: string;
      description?: string;
      placeName: string;
      lat: number;
      lng: number;
      radiusM: number;
      time: [Dayjs, Dayjs];
      orgUnitId: number;
      capacity?: number;
      teamId?: string;
    }) =>
      call('POST /api/volunteer-activities', {
        body: {
          title: v.title,
          description: v.description || undefined,
          placeName: v.placeName,
          location: { lat: v.lat, lng: v.lng },
          radiusM: v.radiusM,
          startsAt: v.time[0].toISOString(),
          endsAt: v.time[1].toISOString(),
          orgUnitId: v.orgUnitId,
          capacity: v.capacity ?? undefined,
          teamId: v.teamId || undefined,
        },
      }),
    {
      success: t('participation.volunteers.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['volunteer-activities'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.volunteers.publish')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'activity-publish-submit' }}
    >
      <Form form={form} layout="vertical" data-testid="activity-publish-form">
        <Form.Item
          name="title"
          label={t('participation.volunteers.activity')}
          rules={[{ required: true, min: 2 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('participation.volunteers.description')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="placeName"
          label={t('participation.volunteers.place')}
          rules={[{ required: true, min: 2 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Space>
          <Form.Item name="lat" label={t('participation.volunteers.lat')} rules={[{ required: true }]}>
            <InputNumber min={-90} max={90} step={0.0001} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="lng" label={t('participation.volunteers.lng')} rules={[{ required: true }]}>
            <InputNumber min={-180} max={180} step={0.0001} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item
            name="radiusM"
            label={t('participation.volunteers.radius')}
            rules={[{ required: true }]}
            initialValue={200}
          >
            <InputNumber min={20} max={2000} style={{ width: 120 }} />
          </Form.Item>
        </Space>
        <Form.Item name="time" label={t('participation.volunteers.time')} rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Space>
          <Form.Item
            name="orgUnitId"
            label={t('participation.volunteers.area')}
            rules={[{ required: true }]}
            initialValue={trees.root}
          >
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.units} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="capacity" label={t('participation.volunteers.capacity')}>
            <InputNumber min={1} max={10000} />
          </Form.Item>
        </Space>
        <Form.Item name="teamId" label={t('volunteerTeams.team')}>
          <Select
            allowClear
            placeholder={t('volunteerTeams.teamNone')}
            loading={teams.isLoading}
            options={(teams.data?.items ?? []).map((x) => ({
              value: x.id,
              label: `${x.name}（${x.orgUnitName}）`,
            }))}
            data-testid="activity-team"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
