import { HomeOutlined } from '@ant-design/icons';
import type { PartyMember, PartyOrgDetail, PartyOrgNode } from '@civicgrid/core/api/partyOrgs';
import { householdLevels } from '@civicgrid/core/participation/partyOrgs';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { HouseholdModal, MemberModal, type OrgDialog, OrgModal } from './PartyOrgModals.js';

export const levelColor: Record<string, string> = {
  streetCommittee: 'red',
  communityOrg: 'volcano',
  gridBranch: 'orange',
  buildingGroup: 'gold',
};

interface TreeItem {
  key: string;
  title: ReactNode;
  children?: TreeItem[];
  isLeaf?: boolean;
  selectable?: boolean;
}

function matches(n: PartyOrgNode, q: string): boolean {
  return n.name.includes(q) || n.orgUnitName.includes(q) || n.children.some((c) => matches(c, q));
}

/**
 * 党组织架构: the five levels as a tree (党员中心户 as leaves), and the chosen organization's
 * detail — its members (from the resident files, phone masked) and 中心户 — where the street
 * and the community keep them.
 */
export default function PartyOrgsPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  // A 街道党工委 is bound to a street: only a user whose jurisdiction holds streets sets one up.
  const level = me?.jurisdiction.level;
  const topLevel =
    level === 'street' || level === 'district' || (level === null && !me?.jurisdiction.departmentId);
  const [selected, setSelected] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<OrgDialog | null>(null);
  const tree = useQuery({ queryKey: ['party-orgs'], queryFn: () => call('GET /api/party-orgs') });
  const items = tree.data?.items ?? [];
  const current = selected ?? items[0]?.id ?? null;

  const toItem = (n: PartyOrgNode): TreeItem => ({
    key: n.id,
    title: (
      <Space size={4}>
        <Tag color={levelColor[n.level]} style={{ marginInlineEnd: 0 }}>
          {t(`party.levels.${n.level}`)}
        </Tag>
        <span>{n.buildingName ? `${n.name}` : n.name}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('party.membersCount', { count: n.members })}
        </Typography.Text>
      </Space>
    ),
    children: [
      ...n.children.filter((c) => !search || matches(c, search)).map(toItem),
      ...n.households.map((h) => ({
        key: `h:${h.id}`,
        isLeaf: true,
        selectable: false,
        title: (
          <Space size={4}>
            <Tag icon={<HomeOutlined />} color="red" style={{ marginInlineEnd: 0 }}>
              {t('party.levels.household')}
            </Tag>
            <span>{h.memberName}</span>
            {h.address && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {h.address}
              </Typography.Text>
            )}
          </Space>
        ),
      })),
    ],
  });
  const treeData = items.filter((n) => !search || matches(n, search)).map(toItem);

  return (
    <Row gutter={16} data-testid="party-page">
      <Col xs={24} md={10} lg={9}>
        <Card
          size="small"
          title={t('party.title')}
          extra={
            can('partyOrg:manage') &&
            topLevel && (
              <Button size="small" onClick={() => setDialog({ kind: 'create', parent: null })}>
                {t('party.addTop')}
              </Button>
            )
          }
          styles={{ body: { maxHeight: 'calc(100vh - 190px)', overflow: 'auto' } }}
        >
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
            {t('party.hint')}
          </Typography.Paragraph>
          <Input.Search
            allowClear
            placeholder={t('party.search')}
            onChange={(e) => setSearch(e.target.value.trim())}
            style={{ marginBottom: 8 }}
          />
          <QueryState
            loading={tree.isLoading}
            error={tree.error}
            empty={treeData.length === 0}
            onRetry={() => tree.refetch()}
          >
            <Tree
              key={search ? `s:${search}` : 'all'}
              treeData={treeData}
              defaultExpandAll
              blockNode
              selectedKeys={current ? [current] : []}
              onSelect={(keys) => keys[0] !== undefined && setSelected(String(keys[0]))}
              data-testid="party-tree"
            />
          </QueryState>
          {!tree.isLoading && !tree.error && items.length === 0 && (
            <Empty description={t('party.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          )}
        </Card>
      </Col>
      <Col xs={24} md={14} lg={15}>
        {current ? (
          <OrgDetail id={current} onDialog={setDialog} onGone={(parent) => setSelected(parent)} />
        ) : (
          <Card size="small">
            <Empty description={t('party.pick')} />
          </Card>
        )}
      </Col>
      {dialog && (
        <OrgModal
          dialog={dialog}
          onClose={(id) => {
            setDialog(null);
            if (id) setSelected(id);
          }}
        />
      )}
    </Row>
  );
}

function OrgDetail({
  id,
  onDialog,
  onGone,
}: {
  id: string;
  onDialog: (d: OrgDialog) => void;
  onGone: (parent: string | null) => void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const detail = useQuery({
    queryKey: ['party-org', id],
    queryFn: () => call('GET /api/party-orgs/:id', { params: { id } }),
  });
  const o = detail.data;
  const manage = can('partyOrg:manage');
  const retire = async (org: PartyOrgDetail) => {
    try {
      await call('POST /api/party-orgs/:id/retire', { params: { id: org.id } });
      message.success(t('party.saved'));
      await qc.invalidateQueries({ queryKey: ['party-orgs'] });
      onGone(org.parentId);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card
        size="small"
        title={o ? o.name : t('party.title')}
        data-testid="party-detail"
        extra={
          o &&
          manage && (
            <Space wrap>
              {o.level !== 'buildingGroup' && (
                <Button
                  type="primary"
                  size="small"
                  data-testid="party-add-child"
                  onClick={() => onDialog({ kind: 'create', parent: o })}
                >
                  {t('party.addOrg')}
                </Button>
              )}
              <Button size="small" onClick={() => onDialog({ kind: 'edit', org: o })}>
                {t('party.edit')}
              </Button>
              <Popconfirm title={t('party.retireConfirm', { name: o.name })} onConfirm={() => retire(o)}>
                <Button size="small" danger>
                  {t('party.retire')}
                </Button>
              </Popconfirm>
            </Space>
          )
        }
      >
        <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
          {o && (
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('party.fields.level')}>
                <Tag color={levelColor[o.level]}>{t(`party.levels.${o.level}`)}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('party.fields.parent')}>{o.parentName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('party.fields.unit')}>
                {o.orgUnitName}
                {o.buildingName ? ` · ${o.buildingName}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('party.fields.foundedOn')}>{o.foundedOn ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('party.fields.secretary')}>
                {o.secretary?.name ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('party.fields.members')}>{o.members}</Descriptions.Item>
              {o.children.length > 0 && (
                <Descriptions.Item label={t('party.fields.children')} span={2}>
                  {o.children.map((c) => (
                    <Tag key={c.id}>
                      {c.name}（{c.members}）
                    </Tag>
                  ))}
                </Descriptions.Item>
              )}
            </Descriptions>
          )}
        </QueryState>
      </Card>
      {o && <Members org={o} />}
      {o && <Households org={o} />}
    </Space>
  );
}

function Members({ org }: { org: PartyOrgDetail }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [page, setPage] = useState({ page: 1, pageSize: 10 });
  const [q, setQ] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<PartyMember | null>(null);
  const list = useQuery({
    queryKey: ['party-members', org.id, page, q],
    queryFn: () =>
      call('GET /api/party-orgs/:id/members', {
        params: { id: org.id },
        query: { ...page, ...(q ? { q } : {}) },
      }),
  });
  const refresh = () =>
    Promise.all(
      ['party-members', 'party-org', 'party-orgs'].map((k) => qc.invalidateQueries({ queryKey: [k] })),
    );
  const remove = async (memberId: string) => {
    try {
      await call('DELETE /api/party-orgs/:id/members/:memberId', { params: { id: org.id, memberId } });
      message.success(t('party.saved'));
      await refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Card
      size="small"
      title={t('party.members.title')}
      extra={
        <Space>
          <Input.Search
            allowClear
            size="small"
            placeholder={t('party.members.search')}
            style={{ width: 160 }}
            onSearch={(v) => {
              setQ(v.trim() || undefined);
              setPage((p) => ({ ...p, page: 1 }));
            }}
          />
          {can('partyOrg:manage') && (
            <Button
              size="small"
              type="primary"
              data-testid="party-add-member"
              onClick={() => setAdding(true)}
            >
              {t('party.members.add')}
            </Button>
          )}
        </Space>
      }
    >
      <Table
        size="small"
        rowKey="id"
        data-testid="party-members"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText: <Empty description={t('party.members.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
        }}
        scroll={{ x: 860 }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          size: 'small',
          showTotal: (n) => t('party.members.total', { count: n }),
          onChange: (p, s) => setPage({ page: p, pageSize: s }),
        }}
        columns={[
          {
            title: t('party.members.name'),
            key: 'name',
            width: 170,
            render: (_, m) => (
              <Space size={4}>
                {m.name}
                {m.household && <Tag color="red">{t('party.members.household')}</Tag>}
                {m.residentId === null && <Tag>{t('party.members.notOnFile')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('party.members.role'),
            dataIndex: 'role',
            width: 90,
            render: (r: string) => t(`party.roles.${r}`),
          },
          { title: t('party.members.phone'), dataIndex: 'phone', width: 120, render: (p) => p ?? '—' },
          { title: t('party.members.address'), dataIndex: 'address', render: (a) => a ?? '—' },
          { title: t('party.members.joinedOn'), dataIndex: 'joinedOn', width: 100, render: (d) => d ?? '—' },
          {
            title: t('party.members.inService'),
            dataIndex: 'inService',
            width: 80,
            render: (v: boolean) => (v ? '是' : '否'),
          },
          ...(can('partyOrg:manage')
            ? [
                {
                  title: '',
                  key: 'op',
                  width: 110,
                  render: (_: unknown, m: PartyMember) => (
                    <Space size={0}>
                      <Button
                        size="small"
                        type="link"
                        data-testid="party-member-edit"
                        onClick={() => setEditing(m)}
                      >
                        {t('party.members.edit')}
                      </Button>
                      <Popconfirm
                        title={t('party.members.removeConfirm', { name: m.name })}
                        onConfirm={() => remove(m.id)}
                      >
                        <Button size="small" type="link" danger>
                          {t('party.members.remove')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {adding && (
        <MemberModal
          org={org}
          onClose={async (saved) => {
            setAdding(false);
            if (saved) await refresh();
          }}
        />
      )}
      {editing && (
        <MemberModal
          org={org}
          member={editing}
          onClose={async (saved) => {
            setEditing(null);
            if (saved) await refresh();
          }}
        />
      )}
    </Card>
  );
}

function Households({ org }: { org: PartyOrgDetail }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [marking, setMarking] = useState(false);
  const own = householdLevels.includes(org.level);
  const refresh = () =>
    Promise.all(
      ['party-members', 'party-org', 'party-orgs'].map((k) => qc.invalidateQueries({ queryKey: [k] })),
    );
  const unmark = async (h: { id: string; partyOrgId: string }) => {
    try {
      await call('DELETE /api/party-orgs/:id/households/:householdId', {
        params: { id: h.partyOrgId, householdId: h.id },
      });
      message.success(t('party.saved'));
      await refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Card
      size="small"
      title={t('party.households.title')}
      extra={
        can('partyOrg:manage') &&
        own && (
          <Button size="small" data-testid="party-mark-household" onClick={() => setMarking(true)}>
            {t('party.households.mark')}
          </Button>
        )
      }
    >
      <Table
        size="small"
        rowKey="id"
        data-testid="party-households"
        dataSource={org.households}
        pagination={org.households.length > 10 ? { pageSize: 10, size: 'small' } : false}
        locale={{
          emptyText: <Empty description={t('party.households.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
        }}
        columns={[
          { title: t('party.households.member'), dataIndex: 'memberName', width: 100 },
          { title: t('party.members.address'), dataIndex: 'address', render: (a) => a ?? '—' },
          {
            title: t('party.households.services'),
            dataIndex: 'services',
            render: (v: string[]) => v.map((s) => <Tag key={s}>{s}</Tag>),
          },
          {
            title: t('party.households.neighbours'),
            dataIndex: 'neighbours',
            width: 100,
            render: (n: number | null) =>
              n === null ? '—' : t('party.households.neighboursValue', { count: n }),
          },
          { title: t('party.households.markedOn'), dataIndex: 'markedOn', width: 100 },
          ...(can('partyOrg:manage')
            ? [
                {
                  title: '',
                  key: 'op',
                  width: 60,
                  render: (_: unknown, h: { id: string; partyOrgId: string; memberName: string }) => (
                    <Popconfirm
                      title={t('party.households.unmarkConfirm', { name: h.memberName })}
                      onConfirm={() => unmark(h)}
                    >
                      <Button size="small" type="link" danger>
                        {t('party.households.unmark')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      {marking && (
        <HouseholdModal
          org={org}
          onClose={async (saved) => {
            setMarking(false);
            if (saved) await refresh();
          }}
        />
      )}
    </Card>
  );
}
