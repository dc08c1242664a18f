import type { RosterDay } from '@civicgrid/core/api/incidents';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Modal, Popconfirm, Select, Space, Table, Tag, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call, type Reply } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { canWrite } from '../access.js';
import { useTrees } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

type Day = Reply<'GET /api/rosters'>['items'][number];
type Person = Day['onCall'][number];
const iso = (d: Dayjs) => d.format('YYYY-MM-DD');
/** Weeks start on Monday (周一), whatever the locale says. */
const mondayOf = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day').startOf('day');

/** Put people on duty for one day of a unit, and its leaders (带班领导). */
function DutyModal({
  orgUnitId,
  day,
  onClose,
  onDone,
}: {
  orgUnitId: number;
  day: Day;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ onCall: string[]; leaders: string[] }>();
  const candidates = useQuery({
    queryKey: ['roster-candidates', orgUnitId],
    queryFn: () => call('GET /api/rosters/candidates', { query: { orgUnitId } }),
  });
  // People already on duty stay pickable even when they are no longer candidates.
  const known = new Map<string, string>();
  for (const p of [...day.onCall, ...day.leaders]) known.set(p.userId, p.name);
  for (const c of candidates.data?.items ?? [])
    known.set(c.userId, c.orgUnitName ? `${c.name}（${c.orgUnitName}）` : c.name);
  const options = [...known].map(([value, label]) => ({ value, label }));
  const { send, busy } = useFormSubmit(
    form,
    (v: { onCall: string[]; leaders: string[] }) => {
      const body: RosterDay = { orgUnitId, day: day.day, onCall: v.onCall, leaders: v.leaders };
      return call('PUT /api/rosters', { body });
    },
    { success: t('rosters.saved'), onDone: () => onDone() },
  );
  const save = (v: { onCall: string[]; leaders: string[] }) => {
    if (v.onCall.length + v.leaders.length === 0) {
      form.setFields([{ name: 'onCall', errors: [t('rosters.someoneRequired')] }]);
      return;
    }
    void send(v);
  };
  return (
    <Modal
      open
      title={t('rosters.editDay', { day: day.day })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okButtonProps={{ id: 'roster-save' }}
    >
      <QueryState loading={candidates.isLoading} error={candidates.error}>
        <Form
          form={form}
          layout="vertical"
          onFinish={save}
          initialValues={{
            onCall: day.onCall.map((p) => p.userId),
            leaders: day.leaders.map((p) => p.userId),
          }}
        >
          <Form.Item name="onCall" label={t('rosters.onCall')}>
            <Select
              mode="multiple"
              options={options}
              optionFilterProp="label"
              placeholder={t('rosters.pick')}
              data-testid="roster-oncall"
            />
          </Form.Item>
          <Form.Item
            name="leaders"
            label={t('rosters.leaders')}
            dependencies={['onCall']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v: string[] = []) =>
                  v.some((id) => (getFieldValue('onCall') ?? []).includes(id))
                    ? Promise.reject(new Error(t('rosters.twice')))
                    : Promise.resolve(),
              }),
            ]}
          >
            <Select
              mode="multiple"
              options={options}
              optionFilterProp="label"
              placeholder={t('rosters.pick')}
              data-testid="roster-leaders"
            />
          </Form.Item>
        </Form>
      </QueryState>
    </Modal>
  );
}

const people = (ps: Person[]) => (ps.length ? ps.map((p) => <Tag key={p.userId}>{p.name}</Tag>) : '—');

/** 值班表: a week of a unit's roster — who is on duty each day and the leaders. */
export default function RostersPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const trees = useTrees();
  const [picked, setPicked] = useState<number | undefined>();
  const orgUnitId = picked ?? me?.jurisdiction.orgUnitId ?? trees.root;
  const [monday, setMonday] = useState(() => mondayOf(dayjs()));
  const [editing, setEditing] = useState<Day | null>(null);
  const from = iso(monday);
  const to = iso(monday.add(6, 'day'));
  const roster = useQuery({
    queryKey: ['rosters', orgUnitId, from],
    queryFn: () => call('GET /api/rosters', { query: { orgUnitId: orgUnitId as number, from, to } }),
    enabled: orgUnitId !== undefined,
  });
  const byDay = new Map((roster.data?.items ?? []).map((d) => [d.day, d]));
  const week: Day[] = Array.from({ length: 7 }, (_, i) => {
    const d = iso(monday.add(i, 'day'));
    return byDay.get(d) ?? { day: d, onCall: [], leaders: [] };
  });
  const writable = canWrite('/governance/rosters', can);
  const refresh = () => qc.invalidateQueries({ queryKey: ['rosters'] });
  const clear = async (d: Day) => {
    try {
      await call('PUT /api/rosters', {
        body: { orgUnitId: orgUnitId as number, day: d.day, onCall: [], leaders: [] },
      });
      message.success(t('rosters.cleared'));
      void refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const empty = !roster.isLoading && !roster.error && (roster.data?.items ?? []).length === 0;
  return (
    <Card
      title={t('rosters.title')}
      data-testid="rosters-page"
      extra={
        <Space wrap>
          <TreeSelect
            style={{ width: 220 }}
            treeData={trees.units}
            value={orgUnitId}
            onChange={setPicked}
            showSearch
            treeNodeFilterProp="title"
            data-testid="roster-unit"
          />
          <Button onClick={() => setMonday(monday.subtract(7, 'day'))}>{t('rosters.prevWeek')}</Button>
          <Button onClick={() => setMonday(mondayOf(dayjs()))}>{t('rosters.thisWeek')}</Button>
          <Button onClick={() => setMonday(monday.add(7, 'day'))}>{t('rosters.nextWeek')}</Button>
        </Space>
      }
    >
      <QueryState loading={roster.isLoading} error={roster.error} onRetry={() => roster.refetch()}>
        {empty && (
          <div style={{ marginBottom: 12 }} data-testid="roster-empty">
            <Tag color="orange">{t('rosters.emptyWeek', { from, to })}</Tag>
          </div>
        )}
        <Table<Day>
          size="small"
          rowKey="day"
          dataSource={week}
          pagination={false}
          data-testid="roster-table"
          rowClassName={(d) => (d.day === iso(dayjs()) ? 'ant-table-row-selected' : '')}
          columns={[
            {
              title: t('rosters.day'),
              dataIndex: 'day',
              width: 150,
              render: (v: string) => `${v} ${t(`rosters.weekday.${dayjs(v).day()}`)}`,
            },
            { title: t('rosters.onCall'), dataIndex: 'onCall', render: people },
            { title: t('rosters.leaders'), dataIndex: 'leaders', render: people },
            ...(writable
              ? [
                  {
                    title: t('rosters.actions'),
                    key: 'actions',
                    width: 150,
                    render: (_: unknown, d: Day) => (
                      <Space size={0}>
                        <Button type="link" size="small" onClick={() => setEditing(d)}>
                          {d.onCall.length + d.leaders.length ? t('rosters.edit') : t('rosters.add')}
                        </Button>
                        {d.onCall.length + d.leaders.length > 0 && (
                          <Popconfirm
                            title={t('rosters.clearConfirm', { day: d.day })}
                            okText={t('rosters.clear')}
                            okButtonProps={{ danger: true }}
                            onConfirm={() => clear(d)}
                          >
                            <Button type="link" size="small" danger>
                              {t('rosters.clear')}
                            </Button>
                          </Popconfirm>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </QueryState>
      {editing && orgUnitId !== undefined && (
        <DutyModal
          orgUnitId={orgUnitId}
          day={editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
    </Card>
  );
}
