import type { AreaGeometry, OrgTreeNode } from '@civicgrid/core/api/org';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Modal,
  Popconfirm,
  Row,
  Space,
  Tag,
  Tree,
  TreeSelect,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, get } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { GridPartyBranch, usePartyGrids } from '../participation/GridPartyBranch.js';
import { GridMap } from './GridMap.js';
import { TeamModal } from './TeamModal.js';
import { UnitFormModal, type UnitFormValues } from './UnitFormModal.js';

type Dialog = { kind: 'create' | 'edit'; values: UnitFormValues } | null;

function filterTree(nodes: OrgTreeNode[], q: string): OrgTreeNode[] {
  if (!q) return nodes;
  return nodes.flatMap((n) => {
    const children = filterTree(n.children, q);
    return n.name.includes(q) || n.code.startsWith(q) || children.length ? [{ ...n, children }] : [];
  });
}

function findNode(nodes: OrgTreeNode[], id: number): OrgTreeNode | null {
  for (const n of nodes) {
    if (n.id === id) return n;
    const found = findNode(n.children, id);
    if (found) return found;
  }
  return null;
}

interface TreeItem {
  key: number;
  title: string;
  children: TreeItem[];
}
interface SelectItem {
  value: number;
  title: string;
  children: SelectItem[];
}
const toSelectData = (n: OrgTreeNode): SelectItem => ({
  value: n.id,
  title: n.name,
  children: n.children.filter((c) => c.level !== 'grid').map(toSelectData),
});
const toTreeData = (n: OrgTreeNode): TreeItem => ({
  key: n.id,
  title: n.name,
  children: n.children.map(toTreeData),
});

export default function OrgPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [selected, setSelected] = useState<number | null>(null);
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [drawing, setDrawing] = useState<UnitFormValues | null>(null);
  const [moving, setMoving] = useState<number | null>(null);
  const [teamOpen, setTeamOpen] = useState(false);
  const writable = can('org:write');
  // 网格党支部 on the grid's page and as markers on the map (seed 004: 党建引领网格).
  const partyGrids = usePartyGrids();

  const tree = useQuery({ queryKey: ['org-tree'], queryFn: () => call('GET /api/org/tree') });
  const current = selected ?? tree.data?.[0]?.id ?? null;
  const unit = useQuery({
    enabled: current !== null,
    queryKey: ['org-unit', current],
    queryFn: () => call('GET /api/org/units/:id', { params: { id: current as number } }),
  });
  // Grids to draw: the unit's own subtree, or the siblings of a selected grid — when the
  // community is in the user's jurisdiction; a grid worker's tree starts at his grid.
  const parentVisible = useMemo(
    () => unit.data?.parentId != null && findNode(tree.data ?? [], unit.data.parentId) !== null,
    [tree.data, unit.data],
  );
  const mapRoot = unit.data?.level === 'grid' && parentVisible ? unit.data.parentId : current;
  const grids = useQuery({
    enabled: mapRoot !== null,
    queryKey: ['org-grids', mapRoot],
    queryFn: () => call('GET /api/org/units/:id/grids', { params: { id: mapRoot as number } }),
  });
  const config = useQuery({
    queryKey: ['config'],
    queryFn: () => get<{ mapTileUrl: string }>('/api/config/public'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const treeData = useMemo(
    () => filterTree(tree.data ?? [], search.trim()).map(toTreeData),
    [tree.data, search],
  );
  const expanded = useMemo(
    () => (search ? undefined : (tree.data ?? []).flatMap((d) => [d.id, ...d.children.map((s) => s.id)])),
    [tree.data, search],
  );

  const refresh = async () => {
    await Promise.all(
      ['org-tree', 'org-unit', 'org-grids'].map((k) => qc.invalidateQueries({ queryKey: [k] })),
    );
  };
  const submitUnit = async (v: UnitFormValues) => {
    if (!dialog || !unit.data) return;
    if (dialog.kind === 'create') {
      const created = await call('POST /api/org/units', {
        body: {
          parentId: unit.data.id,
          name: v.name,
          ...(v.code ? { code: v.code } : {}),
          ...(v.householdsTarget ? { householdsTarget: v.householdsTarget } : {}),
          ...(v.geometry ? { geometry: v.geometry } : {}),
        },
      });
      setSelected(created.id);
    } else {
      await call('PATCH /api/org/units/:id', {
        params: { id: unit.data.id },
        body: {
          name: v.name,
          ...(unit.data.level === 'grid'
            ? { householdsTarget: v.householdsTarget ?? null, geometry: v.geometry ?? null }
            : {}),
        },
      });
    }
    setDialog(null);
    message.success(t('common.saved'));
    await refresh();
  };
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      message.success(t('common.saved'));
      await refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const u = unit.data;
  const childIsGrid = u?.level === 'community';
  const dialogIsGrid = dialog?.kind === 'create' ? childIsGrid : u?.level === 'grid';
  return (
    <Row gutter={16}>
      <Col xs={24} md={8} lg={6}>
        <Card
          title={t('org.tree')}
          size="small"
          styles={{ body: { maxHeight: 'calc(100vh - 190px)', overflow: 'auto' } }}
        >
          <Input.Search
            placeholder={t('org.searchTree')}
            allowClear
            onChange={(e) => setSearch(e.target.value)}
            style={{ marginBottom: 8 }}
          />
          <QueryState
            loading={tree.isLoading}
            error={tree.error}
            empty={treeData.length === 0}
            onRetry={() => tree.refetch()}
          >
            <Tree
              key={search ? 'search' : 'full'}
              treeData={treeData}
              defaultExpandedKeys={expanded}
              defaultExpandAll={Boolean(search)}
              selectedKeys={current ? [current] : []}
              onSelect={(keys) => keys[0] !== undefined && setSelected(Number(keys[0]))}
              data-testid="org-tree"
            />
          </QueryState>
        </Card>
      </Col>
      <Col xs={24} md={16} lg={18}>
        <Space orientation="vertical" style={{ width: '100%' }} size={16}>
          <Card
            size="small"
            title={u ? `${u.name}` : t('org.details')}
            extra={
              u &&
              writable && (
                <Space wrap>
                  {u.level !== 'grid' && !u.retiredAt && (
                    <Button
                      type="primary"
                      size="small"
                      onClick={() => setDialog({ kind: 'create', values: { name: '' } })}
                      data-testid="unit-add-child"
                    >
                      {t('org.addChild')}
                    </Button>
                  )}
                  <Button
                    size="small"
                    onClick={() =>
                      setDialog({
                        kind: 'edit',
                        values: { name: u.name, householdsTarget: u.householdsTarget, geometry: u.geometry },
                      })
                    }
                  >
                    {t('common.edit')}
                  </Button>
                  {u.level === 'grid' && (
                    <Button size="small" onClick={() => setTeamOpen(true)}>
                      {t('org.editTeam')}
                    </Button>
                  )}
                  {u.parentId !== null && (
                    <Button size="small" onClick={() => setMoving(u.parentId)}>
                      {t('org.move')}
                    </Button>
                  )}
                  {u.parentId !== null && !u.retiredAt && (
                    <Popconfirm
                      title={t('org.retireConfirm', { name: u.name })}
                      onConfirm={() =>
                        act(async () => {
                          await call('POST /api/org/units/:id/retire', { params: { id: u.id } });
                          setSelected(u.parentId);
                        })
                      }
                    >
                      <Button size="small" danger>
                        {t('org.retire')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              )
            }
          >
            <QueryState loading={unit.isLoading} error={unit.error} empty={!u} onRetry={() => unit.refetch()}>
              {u && (
                <Descriptions size="small" column={{ xs: 1, md: 3 }}>
                  <Descriptions.Item label={t('common.code')}>{u.code}</Descriptions.Item>
                  <Descriptions.Item label={t('org.level')}>
                    <Tag color="blue">{t(`level.${u.level}`)}</Tag>
                    {u.retiredAt && <Tag>{t('org.retired')}</Tag>}
                  </Descriptions.Item>
                  {u.level === 'grid' && (
                    <Descriptions.Item label={t('org.households')}>
                      {u.householdsTarget ?? '—'}
                    </Descriptions.Item>
                  )}
                  {u.level !== 'grid' && (
                    <Descriptions.Item label={t('org.grids')}>
                      {grids.data?.items.length ?? '…'}
                    </Descriptions.Item>
                  )}
                  {u.level === 'grid' && (
                    <Descriptions.Item label={t('org.team')} span={3}>
                      {u.team.length === 0
                        ? '—'
                        : u.team.map((m) => (
                            <Tag
                              key={m.userId}
                              color={
                                m.role === 'gridManager'
                                  ? 'gold'
                                  : m.role === 'gridAssistant'
                                    ? 'blue'
                                    : 'default'
                              }
                            >
                              {t(`org.${m.role}`)}：{m.displayName}
                            </Tag>
                          ))}
                    </Descriptions.Item>
                  )}
                </Descriptions>
              )}
            </QueryState>
          </Card>
          {u?.level === 'grid' && can('partyOrg:read') && <GridPartyBranch gridId={u.id} />}
          <Card size="small" title={t('org.map')}>
            {drawing && (
              <Alert
                type="info"
                showIcon
                title={t('org.drawHint')}
                style={{ marginBottom: 8 }}
                action={
                  <Button
                    size="small"
                    onClick={() => {
                      setDialog((d) => d && { ...d, values: drawing });
                      setDrawing(null);
                    }}
                  >
                    {t('common.cancel')}
                  </Button>
                }
              />
            )}
            {grids.data && grids.data.items.length === 0 && !drawing && (
              <Empty description={t('org.noGeometry')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
            <GridMap
              grids={grids.data?.items ?? []}
              selectedId={u?.level === 'grid' ? u.id : null}
              partyGridIds={partyGrids}
              onSelect={(id) => setSelected(id)}
              drawing={drawing !== null}
              onDrawn={(g: AreaGeometry) => {
                setDialog(
                  (d) => d && { ...d, values: { ...drawing, name: drawing?.name ?? '', geometry: g } },
                );
                setDrawing(null);
              }}
              tileUrl={config.data?.mapTileUrl ?? ''}
            />
            {partyGrids.size > 0 && (
              <div style={{ marginTop: 6, fontSize: 12, color: '#888' }} data-testid="party-map-legend">
                <span style={{ color: '#cf1322' }}>●</span> {t('party.grid.legend')}
              </div>
            )}
          </Card>
        </Space>
      </Col>
      {u && (
        <UnitFormModal
          open={dialog !== null && drawing === null}
          title={
            dialog?.kind === 'create' ? `${t('org.addChild')} — ${u.name}` : `${t('common.edit')} — ${u.name}`
          }
          isNew={dialog?.kind === 'create'}
          isGrid={Boolean(dialogIsGrid)}
          initial={dialog?.values ?? { name: '' }}
          onCancel={() => setDialog(null)}
          onSubmit={submitUnit}
          onDraw={(values) => setDrawing(values)}
        />
      )}
      {u?.level === 'grid' && (
        <TeamModal
          grid={u}
          open={teamOpen}
          onClose={(saved) => {
            setTeamOpen(false);
            if (saved) void refresh();
          }}
        />
      )}
      <Modal
        open={moving !== null}
        title={`${t('org.move')} — ${u?.name ?? ''}`}
        onCancel={() => setMoving(null)}
        onOk={() =>
          u &&
          moving !== null &&
          act(async () => {
            await call('POST /api/org/units/:id/move', { params: { id: u.id }, body: { parentId: moving } });
            setMoving(null);
          })
        }
        destroyOnHidden
      >
        <TreeSelect
          style={{ width: '100%' }}
          value={moving ?? undefined}
          onChange={(v) => setMoving(v)}
          showSearch
          treeNodeFilterProp="title"
          treeData={(tree.data ?? []).map(toSelectData)}
          placeholder={t('org.newParent')}
        />
      </Modal>
    </Row>
  );
}
