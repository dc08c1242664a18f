import type { Team } from '@civicgrid/core/api/volunteerTeams';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { DetailDrawer } from '../common/DetailDrawer.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { useDefaultUnit } from './defaultUnit.js';

const day = (v: string) => new Date(v).toLocaleDateString('zh-CN');

/** Volunteers to choose from, searched by name on the server (twenty at a time). */
function useVolunteerOptions(enabled: boolean) {
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['volunteers', 'pick', q],
    queryFn: () => call('GET /api/volunteers', { query: { q: q || undefined, pageSize: 20 } }),
    enabled,
  });
  return {
    search: (v: string) => setQ(v.trim()),
    loading: found.isFetching,
    options: (found.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.name}（${v.orgUnitName}）` })),
  };
}

/** 志愿服务队: the teams of the user's area with their leader, members and hours. */
export function VolunteerTeamsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = usePagedList<Team, 'team'>({
    url: '/api/volunteer-teams',
    key: 'volunteer-teams',
    filters: ['team'],
    toQuery: (f) => ({ q: f.team }),
  });
  return (
    <ListPage<Team>
      title={t('volunteerTeams.title')}
      testId="volunteer-teams-page"
      list={list}
      empty={t('volunteerTeams.empty')}
      totalText={(n) => t('volunteerTeams.total', { count: n })}
      actions={
        can('volunteer:manage') && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="teams-create">
            {t('volunteerTeams.create')}
          </Button>
        )
      }
      search={{ filter: 'team', placeholder: t('volunteerTeams.search'), width: 200, testId: 'teams-q' }}
      table={{
        rowKey: 'id',
        'data-testid': 'teams-table',
        scroll: { x: 900 },
        onRow: (r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } }),
        columns: [
          { title: t('volunteerTeams.name'), dataIndex: 'name', width: 200 },
          { title: t('volunteerTeams.area'), dataIndex: 'orgUnitName', width: 140 },
          { title: t('volunteerTeams.sponsor'), dataIndex: 'sponsor', width: 140, render: (s) => s ?? '—' },
          {
            title: t('volunteerTeams.focus'),
            dataIndex: 'serviceFocus',
            render: (v: string[]) => v.map((s) => <Tag key={s}>{s}</Tag>),
          },
          {
            title: t('volunteerTeams.leader'),
            dataIndex: 'leader',
            width: 90,
            render: (l: Team['leader']) => l?.name ?? '—',
          },
          { title: t('volunteerTeams.memberCount'), dataIndex: 'memberCount', width: 90, align: 'right' },
          { title: t('volunteerTeams.activityCount'), dataIndex: 'activityCount', width: 90, align: 'right' },
          {
            title: t('volunteerTeams.hours'),
            dataIndex: 'hours',
            width: 100,
            align: 'right',
            render: (h: number) => t('volunteerTeams.hoursValue', { hours: h }),
          },
        ],
      }}
    >
      <TeamDrawer id={open} onClose={() => setOpen(null)} />
      {creating && <CreateTeamModal onClose={() => setCreating(false)} />}
    </ListPage>
  );
}

function TeamDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const manage = can('volunteer:manage');
  const [pick, setPick] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | null>(null);
  const people = useVolunteerOptions(id !== null && manage);
  const detail = useQuery({
    queryKey: ['volunteer-teams', 'detail', id],
    queryFn: () => call('GET /api/volunteer-teams/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  const act = async (key: string, fn: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await fn();
      message.success(t('volunteerTeams.done'));
      await qc.invalidateQueries({ queryKey: ['volunteer-teams'] });
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
      width={680}
      title={t('volunteerTeams.detail')}
      testId="team-drawer"
    >
      {(team) => (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('volunteerTeams.name')} span={2}>
              {team.name}
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteerTeams.area')}>{team.orgUnitName}</Descriptions.Item>
            <Descriptions.Item label={t('volunteerTeams.sponsor')}>{team.sponsor ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('volunteerTeams.leader')}>
              {team.leader?.name ?? t('volunteerTeams.noLeader')}
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteerTeams.hours')}>
              <strong data-testid="team-hours">
                {t('volunteerTeams.hoursValue', { hours: team.hours })}
              </strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteerTeams.focus')} span={2}>
              {team.serviceFocus.map((s) => (
                <Tag key={s}>{s}</Tag>
              ))}
            </Descriptions.Item>
          </Descriptions>
          <h4 style={{ marginTop: 16 }}>
            {t('volunteerTeams.members')}（{team.memberCount}）
          </h4>
          {manage && (
            <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
              <Select
                showSearch
                filterOption={false}
                onSearch={people.search}
                value={pick}
                onChange={setPick}
                placeholder={t('volunteerTeams.chooseVolunteer')}
                style={{ flex: 1 }}
                loading={people.loading}
                options={people.options}
                data-testid="team-pick-volunteer"
              />
              <Button
                disabled={!pick}
                loading={busy === 'add'}
                data-testid="team-add-member"
                onClick={() =>
                  act('add', async () => {
                    await call('POST /api/volunteer-teams/:id/members', {
                      params: { id: team.id },
                      body: { volunteerId: pick as string },
                    });
                    setPick(undefined);
                  })
                }
              >
                {t('volunteerTeams.addMember')}
              </Button>
            </Space.Compact>
          )}
          <Table
            size="small"
            rowKey="volunteerId"
            pagination={team.members.length > 10 ? { pageSize: 10 } : false}
            dataSource={team.members}
            data-testid="team-members"
            columns={[
              {
                title: t('participation.volunteers.name'),
                dataIndex: 'name',
                render: (n: string, m) => (
                  <>
                    {n} {m.leader && <Tag color="gold">{t('volunteerTeams.leaderTag')}</Tag>}
                  </>
                ),
              },
              { title: t('volunteerTeams.phone'), dataIndex: 'phone', width: 120 },
              {
                title: t('volunteerTeams.skills'),
                dataIndex: 'skills',
                render: (v: string[]) => v.join('、'),
              },
              { title: t('volunteerTeams.joinedAt'), dataIndex: 'joinedAt', width: 100, render: day },
              {
                title: t('volunteerTeams.hours'),
                dataIndex: 'hours',
                width: 80,
                align: 'right',
                render: (h: number) => t('volunteerTeams.hoursValue', { hours: h }),
              },
              ...(manage
                ? [
                    {
                      title: '',
                      key: 'act',
                      width: 140,
                      render: (_: unknown, m: (typeof team.members)[number]) =>
                        !m.leader && (
                          <Space size={4}>
                            <Button
                              size="small"
                              type="link"
                              loading={busy === `lead-${m.volunteerId}`}
                              onClick={() =>
                                act(`lead-${m.volunteerId}`, () =>
                                  call('PATCH /api/volunteer-teams/:id', {
                                    params: { id: team.id },
                                    body: { leaderVolunteerId: m.volunteerId },
                                  }),
                                )
                              }
                            >
                              {t('volunteerTeams.makeLeader')}
                            </Button>
                            <Popconfirm
                              title={t('volunteerTeams.removeConfirm', { name: m.name })}
                              onConfirm={() =>
                                act(`rm-${m.volunteerId}`, () =>
                                  call('DELETE /api/volunteer-teams/:id/members/:volunteerId', {
                                    params: { id: team.id, volunteerId: m.volunteerId },
                                  }),
                                )
                              }
                            >
                              <Button
                                size="small"
                                type="link"
                                danger
                                loading={busy === `rm-${m.volunteerId}`}
                              >
                                {t('volunteerTeams.remove')}
                              </Button>
                            </Popconfirm>
                          </Space>
                        ),
                    },
                  ]
                : []),
            ]}
          />
          <h4 style={{ marginTop: 16 }}>{t('volunteerTeams.activities')}</h4>
          {team.activities.length ? (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={team.activities}
              columns={[
                { title: t('participation.volunteers.activity'), dataIndex: 'title' },
                {
                  title: t('participation.volunteers.time'),
                  dataIndex: 'startsAt',
                  width: 110,
                  render: day,
                },
                {
                  title: t('volunteerTeams.hours'),
                  dataIndex: 'hours',
                  width: 90,
                  align: 'right',
                  render: (h: number) => t('volunteerTeams.hoursValue', { hours: h }),
                },
              ]}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('volunteerTeams.noActivities')} />
          )}
        </>
      )}
    </DetailDrawer>
  );
}

function CreateTeamModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useDefaultUnit(form);
  const people = useVolunteerOptions(true);
  const { submit, busy } = useFormSubmit(
    form,
    (v: {
      name: string;
      orgUnitId: number;
      sponsor?: string;
      serviceFocus?: string[];
      // labelInValue: a chosen name stays shown when the search brings other options.
      leaderVolunteerId?: { value: string };
      memberIds?: { value: string }[];
    }) =>
      call('POST /api/volunteer-teams', {
        body: {
          name: v.name,
          orgUnitId: v.orgUnitId,
          sponsor: v.sponsor || undefined,
          serviceFocus: v.serviceFocus ?? [],
          leaderVolunteerId: v.leaderVolunteerId?.value,
          memberIds: (v.memberIds ?? []).map((m) => m.value),
        },
      }),
    {
      success: t('volunteerTeams.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['volunteer-teams'] });
        onClose();
      },
    },
  );
  const pickProps = {
    showSearch: true,
    labelInValue: true,
    filterOption: false,
    onSearch: people.search,
    loading: people.loading,
    options: people.options,
  } as const;
  return (
    <Modal
      open
      title={t('volunteerTeams.create')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'team-create-submit' }}
    >
      <Form form={form} layout="vertical" data-testid="team-create-form">
        <Form.Item name="name" label={t('volunteerTeams.name')} rules={[{ required: true, min: 2, max: 50 }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="orgUnitId" label={t('volunteerTeams.area')} rules={[{ required: true }]}>
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.units} />
        </Form.Item>
        <Form.Item name="sponsor" label={t('volunteerTeams.sponsor')} extra={t('volunteerTeams.sponsorHint')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="serviceFocus"
          label={t('volunteerTeams.focus')}
          extra={t('volunteerTeams.focusHint')}
        >
          <Select mode="tags" maxCount={10} open={false} />
        </Form.Item>
        <Form.Item name="leaderVolunteerId" label={t('volunteerTeams.leader')}>
          <Select allowClear placeholder={t('volunteerTeams.chooseVolunteer')} {...pickProps} />
        </Form.Item>
        <Form.Item name="memberIds" label={t('volunteerTeams.members')}>
          <Select mode="multiple" placeholder={t('volunteerTeams.chooseMembers')} {...pickProps} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
