import {
  type CaseChannel,
  type CaseSummary,
  type CaseView,
  caseChannels,
  caseViews,
} from '@civicgrid/core/api/cases';
import { caseStateNames, caseStates } from '@civicgrid/core/cases/stateMachine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Breakpoint } from 'antd';
import {
  Badge,
  Button,
  Card,
  DatePicker,
  Input,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { call, type Query } from '../../common/client.js';
import { ExportButton } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { QueryState } from '../../common/QueryState.js';
import { BatchDispatchModal } from './ActionModal.js';
import { CaseMap } from './CaseMap.js';
import {
  categoryTree,
  DueCell,
  fmt,
  orgTreeSelect,
  StateTag,
  useCategories,
  useGridsOf,
  useOrgTree,
} from './shared.js';

interface Filters {
  status?: string[];
  categoryCode?: string;
  channel?: string[];
  orgUnitId?: number;
  from?: string;
  to?: string;
  overdue?: boolean;
  supervised?: boolean;
  q?: string;
}

const filterKeys = [
  'view',
  'status',
  'categoryCode',
  'channel',
  'orgUnitId',
  'from',
  'to',
  'overdue',
  'supervised',
  'q',
] as const;
type FilterKey = (typeof filterKeys)[number];

/** The form's filters from the URL's: lists are comma-joined, switches are `true`. */
function draftOf(f: Partial<Record<FilterKey, string | undefined>>): Filters {
  return {
    ...(f.status ? { status: f.status.split(',') } : {}),
    ...(f.channel ? { channel: f.channel.split(',') } : {}),
    ...(f.categoryCode ? { categoryCode: f.categoryCode } : {}),
    ...(Number(f.orgUnitId) > 0 ? { orgUnitId: Number(f.orgUnitId) } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.overdue === 'true' ? { overdue: true } : {}),
    ...(f.supervised === 'true' ? { supervised: true } : {}),
    ...(f.q ? { q: f.q } : {}),
  };
}

/** The URL's filters from the form's. */
function urlOf(f: Filters): Record<Exclude<FilterKey, 'view'>, string | undefined> {
  return {
    status: f.status?.length ? f.status.join(',') : undefined,
    channel: f.channel?.length ? f.channel.join(',') : undefined,
    categoryCode: f.categoryCode,
    orgUnitId: f.orgUnitId ? String(f.orgUnitId) : undefined,
    from: f.from,
    to: f.to,
    overdue: f.overdue ? 'true' : undefined,
    supervised: f.supervised ? 'true' : undefined,
    q: f.q?.trim() || undefined,
  };
}

/** 事件中心: the to-do views each role works from, filters, the list or the map, export. */
export default function CaseListPage() {
  const navigate = useNavigate();
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en-US' ? 'en' : 'zh';
  const { can } = useAuth();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'list' | 'map'>('list');
  // A dashboard number opens the list with its filters in the address.
  const list = usePagedList<CaseSummary, FilterKey>({
    url: '/api/cases',
    key: 'cases',
    filters: filterKeys,
    enabled: mode === 'list',
  });
  const view = (list.filters.view as CaseView | undefined) ?? 'all';
  const filters = draftOf(list.filters);
  const [draft, setDraft] = useState<Filters>(filters);
  const [heat, setHeat] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [batchOpen, setBatchOpen] = useState(false);
  const categories = useCategories();
  const tree = useOrgTree();
  const { me } = useAuth();
  const areaId = filters.orgUnitId ?? me?.jurisdiction.orgUnitId ?? tree.data?.[0]?.id;
  const grids = useGridsOf(mode === 'map' ? areaId : undefined);

  const mapQs = list.filterQuery;
  const points = useQuery({
    queryKey: ['cases-map', mapQs],
    // The list's filters as the URL holds them (text); the server parses them as it does the list's.
    queryFn: () =>
      call('GET /api/cases/map', {
        query: Object.fromEntries(new URLSearchParams(mapQs)) as Query<'GET /api/cases/map'>,
      }),
    enabled: mode === 'map',
  });
  const counts = useQuery({
    queryKey: ['case-counts'],
    queryFn: () => call('GET /api/cases/counts'),
    refetchInterval: 60_000,
  });
  const catTree = useMemo(() => categoryTree(categories.data?.items ?? [], false), [categories.data]);
  const areaTree = useMemo(() => (tree.data ?? []).map(orgTreeSelect), [tree.data]);

  const apply = () => list.setFilters(urlOf(draft));

  return (
    <Card
      title={t('cases.list.title')}
      extra={
        <Space>
          {can('case:report') && (
            <Button type="primary" onClick={() => navigate('/cases/new')} data-testid="case-new">
              {t('cases.list.report')}
            </Button>
          )}
          <ExportButton
            url="/api/cases/export.xlsx"
            query={mapQs}
            fileName="事件清单.xlsx"
            label={t('cases.list.export')}
            testId="case-export"
          />
        </Space>
      }
    >
      <Tabs
        activeKey={view}
        onChange={(v) => {
          list.setFilters({ view: v === 'all' ? undefined : v });
          setSelected([]);
        }}
        items={caseViews.map((v) => ({
          key: v,
          label: (
            <span data-testid={`case-view-${v}`}>
              {t(`cases.views.${v}`)}{' '}
              {v !== 'all' && (counts.data?.[v] ?? 0) > 0 && (
                <Badge
                  count={counts.data?.[v]}
                  overflowCount={9999}
                  color={v === 'overdue' ? '#cf1322' : v === 'warning' ? '#d48806' : '#1677ff'}
                />
              )}
            </span>
          ),
        }))}
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder={t('cases.list.searchPlaceholder')}
          allowClear
          style={{ width: 220 }}
          value={draft.q}
          onChange={(e) => setDraft({ ...draft, q: e.target.value })}
          onSearch={apply}
          data-testid="case-search"
        />
        <Select
          mode="multiple"
          placeholder={t('cases.list.status')}
          allowClear
          style={{ minWidth: 140 }}
          value={draft.status}
          onChange={(v) => setDraft({ ...draft, status: v })}
          options={caseStates.map((s) => ({ value: s, label: caseStateNames[s][lang] }))}
          maxTagCount={2}
        />
        <TreeSelect
          placeholder={t('cases.list.category')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: 200 }}
          value={draft.categoryCode}
          onChange={(v) => setDraft({ ...draft, categoryCode: v })}
          treeData={catTree}
        />
        <Select
          mode="multiple"
          placeholder={t('cases.list.channel')}
          allowClear
          style={{ minWidth: 140 }}
          value={draft.channel}
          onChange={(v) => setDraft({ ...draft, channel: v })}
          options={caseChannels.map((c) => ({ value: c, label: t(`cases.channels.${c}`) }))}
          maxTagCount={1}
        />
        {can('org:read') && (
          <TreeSelect
            placeholder={t('cases.list.area')}
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: 180 }}
            value={draft.orgUnitId}
            onChange={(v) => setDraft({ ...draft, orgUnitId: v })}
            treeData={areaTree}
          />
        )}
        <DatePicker.RangePicker
          onChange={(r: [Dayjs | null, Dayjs | null] | null) =>
            setDraft({ ...draft, from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })
          }
        />
        <Space size={4}>
          <Switch
            size="small"
            checked={!!draft.overdue}
            onChange={(v) => setDraft({ ...draft, overdue: v || undefined })}
          />
          {t('cases.list.overdue')}
        </Space>
        <Space size={4}>
          <Switch
            size="small"
            checked={!!draft.supervised}
            onChange={(v) => setDraft({ ...draft, supervised: v || undefined })}
          />
          {t('cases.list.supervised')}
        </Space>
        <Button type="primary" onClick={apply}>
          {t('cases.list.query')}
        </Button>
        <Button
          onClick={() => {
            setDraft({});
            list.setFilters(urlOf({}));
          }}
        >
          {t('common.reset')}
        </Button>
      </Space>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Segmented
          value={mode}
          onChange={(v) => setMode(v as 'list' | 'map')}
          options={[
            { value: 'list', label: t('cases.list.modeList') },
            { value: 'map', label: t('cases.list.modeMap') },
          ]}
        />
        {mode === 'list' && can('case:dispatch') && (
          <Button
            disabled={selected.length === 0}
            onClick={() => setBatchOpen(true)}
            data-testid="case-batch-dispatch"
          >
            {selected.length
              ? t('cases.list.batchDispatchCount', { count: selected.length })
              : t('cases.list.batchDispatch')}
          </Button>
        )}
        {mode === 'map' && (
          <Space>
            <Switch checked={heat} onChange={setHeat} /> {t('cases.list.heat')}
            {points.data?.truncated && (
              <Typography.Text type="warning">{t('cases.list.truncated', { limit: 20000 })}</Typography.Text>
            )}
          </Space>
        )}
      </Space>
      {mode === 'list' ? (
        <QueryState loading={false} error={list.query.error} onRetry={() => list.query.refetch()}>
          <Table<CaseSummary>
            rowKey="id"
            size="middle"
            loading={list.query.isFetching}
            dataSource={list.items}
            rowSelection={
              can('case:dispatch')
                ? {
                    selectedRowKeys: selected,
                    onChange: (keys) => setSelected(keys as string[]),
                    getCheckboxProps: (r) => ({ disabled: r.status !== 'accepted' }),
                  }
                : undefined
            }
            onRow={(r) => ({ onClick: () => navigate(`/cases/${r.id}`), style: { cursor: 'pointer' } })}
            locale={{ emptyText: t('cases.list.empty') }}
            pagination={list.pagination}
            columns={[
              {
                title: t('cases.list.columns.code'),
                dataIndex: 'code',
                width: 170,
                render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
              },
              {
                title: t('cases.list.columns.category'),
                dataIndex: 'categoryName',
                width: 130,
                ellipsis: true,
              },
              {
                // The column takes the width the others leave; the text ends in an ellipsis
                // and shows whole on hover.
                title: t('cases.list.columns.description'),
                dataIndex: 'description',
                ellipsis: { showTitle: false },
                render: (v: string, r) => (
                  <Tooltip placement="topLeft" title={v} styles={{ root: { maxWidth: 480 } }}>
                    <span data-testid="case-description">
                      {r.supervised && (
                        <Badge
                          color="#cf1322"
                          title={t('cases.list.supervised')}
                          style={{ marginRight: 4 }}
                        />
                      )}
                      {r.priority !== 'normal' && (
                        <Typography.Text type="danger" style={{ marginRight: 4 }}>
                          {t('cases.list.priorityTag', { priority: t(`cases.priority.${r.priority}`) })}
                        </Typography.Text>
                      )}
                      {v}
                    </span>
                  </Tooltip>
                ),
              },
              {
                title: t('cases.list.columns.area'),
                width: 150,
                ellipsis: true,
                render: (_: unknown, r) => r.gridName ?? r.communityName ?? r.handlingUnitName,
              },
              {
                title: t('cases.list.columns.status'),
                dataIndex: 'status',
                width: 80,
                render: (s) => <StateTag state={s} />,
              },
              {
                title: t('cases.list.columns.due'),
                width: 160,
                render: (_: unknown, r) => <DueCell c={r} />,
              },
              {
                title: t('cases.list.columns.channel'),
                dataIndex: 'channel',
                width: 90,
                // Shown on wide screens only: the description needs the room more.
                responsive: ['xxl'] as Breakpoint[],
                render: (c: CaseChannel) => t(`cases.channels.${c}`),
              },
              { title: t('cases.list.columns.reportedAt'), dataIndex: 'reportedAt', width: 130, render: fmt },
            ]}
          />
        </QueryState>
      ) : (
        <QueryState loading={points.isLoading} error={points.error} onRetry={() => points.refetch()}>
          <CaseMap
            points={points.data?.items ?? []}
            areas={grids.data?.items}
            heat={heat}
            onOpen={(id) => navigate(`/cases/${id}`)}
            height={560}
          />
        </QueryState>
      )}
      <BatchDispatchModal
        open={batchOpen}
        caseIds={selected}
        onClose={(done) => {
          setBatchOpen(false);
          if (done) {
            setSelected([]);
            void qc.invalidateQueries({ queryKey: ['cases'] });
            void qc.invalidateQueries({ queryKey: ['case-counts'] });
          }
        }}
      />
    </Card>
  );
}
