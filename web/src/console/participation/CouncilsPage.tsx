import { councilMemberCategories } from '@civicgrid/core/participation/councils';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Popconfirm, Space, Table, Tag, TreeSelect } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call, type Reply } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { useTrees } from '../cases/shared.js';
import { DetailDrawer } from '../common/DetailDrawer.js';
import type { Council } from './CouncilAttendance.js';
import { AddMemberModal, CreateCouncilModal, useStreets } from './CouncilModals.js';

type CouncilRow = Reply<'GET /api/street-councils'>['items'][number];
type Member = Council['members'][number];

/** "人大代表 2 · 政协委员 2 …": the categories that have members, in the core's order. */
function CategoryCounts({ byCategory }: { byCategory: Record<string, number> }) {
  const { t } = useTranslation();
  return (
    <>
      {councilMemberCategories
        .filter((c) => (byCategory[c] ?? 0) > 0)
        .map((c) => (
          <Tag key={c}>
            {t(`participation.councils.categories.${c}`)} {byCategory[c]}
          </Tag>
        ))}
    </>
  );
}

/**
 * 街道议事会 (seed 003): the councils of the streets in the user's jurisdiction, each with its
 * members by category (人大代表, 政协委员, 居民代表, 单位代表, 社会组织代表 …). A street-level
 * deliberation's meeting takes its attendance from them.
 */
export default function CouncilsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const trees = useTrees();
  // A community's staff manage deliberations but have no street to seat a council for.
  const streets = useStreets();
  const [open, setOpen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const list = usePagedList<CouncilRow, 'orgUnitId'>({
    url: '/api/street-councils',
    key: 'street-councils',
    filters: ['orgUnitId'],
  });
  return (
    <ListPage<CouncilRow>
      title={t('participation.councils.title')}
      testId="councils-page"
      list={list}
      empty={t('participation.councils.empty')}
      totalText={(n) => t('participation.councils.total', { count: n })}
      actions={
        can('deliberation:manage') &&
        streets.options.length > 0 && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="councils-create">
            {t('participation.councils.create')}
          </Button>
        )
      }
      filters={
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder={t('participation.councils.street')}
          style={{ width: 200 }}
          treeData={trees.areas}
          value={list.filters.orgUnitId ? Number(list.filters.orgUnitId) : undefined}
          onChange={(v?: number) => list.setFilters({ orgUnitId: v === undefined ? undefined : String(v) })}
          data-testid="councils-unit"
        />
      }
      table={{
        rowKey: 'id',
        'data-testid': 'councils-table',
        scroll: { x: 960 },
        onRow: (c) => ({ onClick: () => setOpen(c.id), style: { cursor: 'pointer' } }),
        columns: [
          {
            title: t('participation.councils.name'),
            dataIndex: 'name',
            render: (v: string) => (
              <Button type="link" size="small" style={{ padding: 0 }} data-testid="council-open">
                {v}
              </Button>
            ),
          },
          { title: t('participation.councils.street'), dataIndex: 'streetName', width: 140 },
          {
            title: t('participation.councils.term'),
            key: 'term',
            width: 200,
            render: (_, c) => `${c.termStart} ~ ${c.termEnd}`,
          },
          {
            title: t('participation.councils.memberCount'),
            dataIndex: 'memberCount',
            width: 80,
            align: 'right',
          },
          {
            title: t('participation.councils.category'),
            key: 'byCategory',
            render: (_, c) => <CategoryCounts byCategory={c.byCategory} />,
          },
        ],
      }}
    >
      <CouncilDrawer id={open} onClose={() => setOpen(null)} />
      {creating && (
        <CreateCouncilModal
          onClose={(id) => {
            setCreating(false);
            if (id !== undefined) setOpen(id);
          }}
        />
      )}
    </ListPage>
  );
}

function CouncilDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const manage = can('deliberation:manage');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const detail = useQuery({
    queryKey: ['street-councils', 'detail', id],
    queryFn: () => call('GET /api/street-councils/:id', { params: { id: id as number } }),
    enabled: id !== null,
  });
  const c = detail.data;
  const remove = async (m: Member) => {
    setRemoving(m.id);
    try {
      await call('DELETE /api/street-councils/:id/members/:memberId', {
        params: { id: id as number, memberId: m.id },
      });
      message.success(t('participation.councils.done'));
      await qc.invalidateQueries({ queryKey: ['street-councils'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setRemoving(null);
    }
  };
  // One table, its rows in the categories' order, each category's cell spanning its members.
  const order = new Map<string, number>(councilMemberCategories.map((k, i) => [k, i]));
  const members = [...(c?.members ?? [])].sort(
    (a, b) => (order.get(a.category) ?? 99) - (order.get(b.category) ?? 99),
  );
  const span = (m: Member, i: number) =>
    i > 0 && members[i - 1]?.category === m.category ? 0 : (c?.byCategory[m.category] ?? 1);
  const columns = [
    {
      title: t('participation.councils.category'),
      dataIndex: 'category',
      width: 124,
      onCell: (m: Member, i?: number) => ({ rowSpan: span(m, i ?? 0) }),
      render: (cat: Member['category']) => (
        <strong data-testid="council-category">
          {t(`participation.councils.categories.${cat}`)}（{c?.byCategory[cat] ?? 0}）
        </strong>
      ),
    },
    { title: t('participation.councils.memberName'), dataIndex: 'name', width: 84 },
    {
      title: t('participation.councils.affiliation'),
      dataIndex: 'affiliation',
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('participation.councils.phone'),
      dataIndex: 'phone',
      width: 108,
      render: (v: string | null) => v ?? '—',
    },
    { title: t('participation.councils.joinedOn'), dataIndex: 'joinedOn', width: 100 },
    {
      title: t('participation.councils.attended'),
      dataIndex: 'attended',
      width: 80,
      align: 'right' as const,
      render: (n: number) => t('participation.councils.attendedValue', { count: n }),
    },
    ...(manage
      ? [
          {
            key: 'act',
            width: 64,
            render: (_: unknown, m: Member) => (
              <Popconfirm
                title={t('participation.councils.removeConfirm', { name: m.name })}
                onConfirm={() => remove(m)}
                okButtonProps={{ 'data-testid': 'council-remove-confirm' }}
              >
                <Button
                  size="small"
                  type="link"
                  danger
                  loading={removing === m.id}
                  data-testid="council-remove"
                >
                  {t('participation.councils.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];
  return (
    <DetailDrawer
      id={id}
      onClose={onClose}
      detail={detail}
      width={760}
      title={t('participation.councils.detail')}
      testId="council-drawer"
    >
      {(c) => (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('participation.councils.name')} span={2}>
              {c.name}
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.councils.street')}>{c.streetName}</Descriptions.Item>
            <Descriptions.Item label={t('participation.councils.term')}>
              {c.termStart} ~ {c.termEnd}
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.councils.memberCount')} span={2}>
              <span data-testid="council-member-count">{c.members.length}</span>{' '}
              <CategoryCounts byCategory={c.byCategory} />
            </Descriptions.Item>
          </Descriptions>
          <Space style={{ margin: '16px 0 8px', width: '100%', justifyContent: 'space-between' }}>
            <h4 style={{ margin: 0 }}>{t('participation.councils.members', { count: c.members.length })}</h4>
            {manage && (
              <Button type="primary" onClick={() => setAdding(true)} data-testid="council-add-member">
                {t('participation.councils.addMember')}
              </Button>
            )}
          </Space>
          <Table<Member>
            size="small"
            rowKey="id"
            bordered
            pagination={false}
            dataSource={members}
            columns={columns}
            data-testid="council-members"
            locale={{ emptyText: t('participation.councils.noMembers') }}
          />
          {adding && <AddMemberModal councilId={c.id} onClose={() => setAdding(false)} />}
        </>
      )}
    </DetailDrawer>
  );
}
