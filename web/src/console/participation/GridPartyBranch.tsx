import { HomeOutlined } from '@ant-design/icons';
import type { PartyOrgNode } from '@civicgrid/core/api/partyOrgs';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Empty, Space, Tag } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';

/** The grid page's card: its 网格党支部 with the secretary, building groups and 党员中心户. */
export function GridPartyBranch({ gridId }: { gridId: number }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['grid-party-branch', gridId],
    queryFn: () => call('GET /api/grids/:id/party-branch', { params: { id: gridId } }),
  });
  const b = q.data?.branch;
  return (
    <Card
      size="small"
      title={t('party.grid.title')}
      data-testid="grid-party-branch"
      extra={
        b && (
          <Link to="/participation/party">
            <Button size="small" type="link">
              {t('party.grid.open')}
            </Button>
          </Link>
        )
      }
    >
      <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
        {b ? (
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('party.fields.name')}>{b.name}</Descriptions.Item>
            <Descriptions.Item label={t('party.fields.secretary')}>
              {b.secretary?.name ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('party.fields.members')}>
              {b.members + b.children.reduce((n, c) => n + c.members, 0)}
            </Descriptions.Item>
            <Descriptions.Item label={t('party.grid.groups')} span={3}>
              {b.children.length === 0
                ? '—'
                : b.children.map((c) => (
                    <Tag key={c.id} color="gold">
                      {c.name}（{c.members}）
                    </Tag>
                  ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('party.households.title')} span={3}>
              {b.households.length === 0 ? (
                '—'
              ) : (
                <Space wrap size={4}>
                  {b.households.map((h) => (
                    <Tag key={h.id} icon={<HomeOutlined />} color="red">
                      {h.memberName}
                      {h.address ? ` · ${h.address}` : ''}
                    </Tag>
                  ))}
                </Space>
              )}
            </Descriptions.Item>
          </Descriptions>
        ) : (
          <Empty description={t('party.grid.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        )}
      </QueryState>
    </Card>
  );
}

function branchGrids(nodes: PartyOrgNode[]): number[] {
  return nodes.flatMap((n) => [
    ...(n.level === 'gridBranch' ? [n.orgUnitId] : []),
    ...branchGrids(n.children),
  ]);
}

/** The grids of the user's area that have a party branch, for the map's 党 markers. */
export function usePartyGrids(): Set<number> {
  const { can } = useAuth();
  const q = useQuery({
    queryKey: ['party-orgs'],
    queryFn: () => call('GET /api/party-orgs'),
    enabled: can('partyOrg:read'),
    staleTime: 60_000,
  });
  return useMemo(() => new Set(branchGrids(q.data?.items ?? [])), [q.data]);
}
