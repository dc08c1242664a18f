import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, InputNumber, List, Row, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { call, href } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { BriefingModal } from './BriefingModal.js';

const kindColors = { dispute: 'red', grievance: 'orange', case: 'blue', hotspot: 'purple' } as const;
const kindLinks = {
  dispute: '/governance/disputes/',
  grievance: '/governance/grievances/',
  case: '/cases/',
} as const;

/**
 * 专项治理: the hot spots (the same category in one grid ≥3 times in the days chosen) with
 * their cases, beside the agenda the platform draws up for the next briefing (会商研判) and
 * the briefings held.
 */
export default function HotspotsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [days, setDays] = useState(30);
  const [holding, setHolding] = useState(false);
  const spots = useQuery({
    queryKey: ['hotspots', days],
    queryFn: () => call('GET /api/hotspots', { query: { days } }),
  });
  const agenda = useQuery({ queryKey: ['agenda'], queryFn: () => call('GET /api/briefings/agenda') });
  const briefings = useQuery({
    queryKey: ['briefings'],
    queryFn: () => call('GET /api/briefings', { query: { page: 1, pageSize: 10 } }),
  });
  return (
    <Row gutter={16} data-testid="hotspots-page">
      <Col xs={24} xl={14}>
        <Card
          title={t('gov.hotspots.title')}
          extra={
            <Space>
              {t('gov.hotspots.days')}
              <InputNumber min={1} max={365} value={days} onChange={(v) => setDays(v ?? 30)} />
            </Space>
          }
        >
          <Typography.Paragraph type="secondary">{t('gov.hotspots.note', { days })}</Typography.Paragraph>
          <QueryState loading={spots.isLoading} error={spots.error}>
            <Table
              size="small"
              rowKey={(h) => `${h.categoryCode}:${h.gridId}`}
              dataSource={spots.data?.items ?? []}
              locale={{ emptyText: t('gov.hotspots.empty') }}
              pagination={{ pageSize: 10 }}
              data-testid="hotspots-table"
              columns={[
                { title: t('gov.hotspots.grid'), dataIndex: 'gridName' },
                {
                  title: t('gov.hotspots.category'),
                  key: 'c',
                  render: (_, h) => h.categoryName ?? h.categoryCode,
                },
                {
                  title: t('gov.hotspots.count'),
                  dataIndex: 'count',
                  width: 70,
                  render: (n: number) => <Tag color={n >= 5 ? 'red' : 'orange'}>{n}</Tag>,
                },
                {
                  title: t('gov.hotspots.cases'),
                  key: 'cases',
                  render: (_, h) => (
                    <Space wrap size={4}>
                      {h.caseIds.slice(0, 6).map((id, i) => (
                        <Link key={id} to={`/cases/${id}`}>
                          #{i + 1}
                        </Link>
                      ))}
                    </Space>
                  ),
                },
              ]}
            />
            <Typography.Title level={5}>{t('gov.hotspots.byBuilding')}</Typography.Title>
            <Typography.Paragraph type="secondary">
              {t('gov.hotspots.buildingNote', { days })}
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey={(h) => `${h.categoryCode}:${h.buildingId ?? h.place}`}
              dataSource={spots.data?.buildings ?? []}
              locale={{ emptyText: t('gov.hotspots.empty') }}
              pagination={{ pageSize: 10 }}
              data-testid="building-hotspots-table"
              columns={[
                { title: t('gov.hotspots.place'), dataIndex: 'place' },
                {
                  title: t('gov.hotspots.grid'),
                  dataIndex: 'gridName',
                  render: (g: string | null) => g ?? '—',
                },
                {
                  title: t('gov.hotspots.category'),
                  key: 'c',
                  render: (_, h) => h.categoryName ?? h.categoryCode,
                },
                {
                  title: t('gov.hotspots.count'),
                  dataIndex: 'count',
                  width: 70,
                  render: (n: number) => <Tag color={n >= 5 ? 'red' : 'orange'}>{n}</Tag>,
                },
                {
                  title: t('gov.hotspots.cases'),
                  key: 'cases',
                  render: (_, h) => (
                    <Space wrap size={4}>
                      {h.caseIds.slice(0, 6).map((id, i) => (
                        <Link key={id} to={`/cases/${id}`}>
                          #{i + 1}
                        </Link>
                      ))}
                    </Space>
                  ),
                },
              ]}
            />
          </QueryState>
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={t('gov.hotspots.agenda')}
            size="small"
            extra={
              can('briefing:manage') && (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => setHolding(true)}
                  data-testid="briefing-hold"
                >
                  {t('gov.briefing.hold')}
                </Button>
              )
            }
          >
            <QueryState loading={agenda.isLoading} error={agenda.error}>
              <List
                size="small"
                dataSource={agenda.data?.items ?? []}
                locale={{ emptyText: t('gov.hotspots.agendaEmpty') }}
                pagination={{ pageSize: 8, size: 'small' }}
                data-testid="agenda-list"
                renderItem={(a) => (
                  <List.Item>
                    <Space orientation="vertical" size={0}>
                      <Space size={6}>
                        <Tag color={kindColors[a.kind]}>{t(`gov.hotspots.kinds.${a.kind}`)}</Tag>
                        {a.kind === 'hotspot' ? (
                          a.title
                        ) : (
                          <Link to={`${kindLinks[a.kind]}${a.refId}`}>{a.title}</Link>
                        )}
                      </Space>
                      <Typography.Text type="secondary">{a.reason}</Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </QueryState>
          </Card>
          <Card title={t('gov.hotspots.briefings')} size="small">
            <List
              size="small"
              dataSource={briefings.data?.items ?? []}
              renderItem={(b) => (
                <List.Item
                  extra={
                    <a
                      href={href('GET /api/briefings/:id/minutes.pdf', { params: { id: b.id } })}
                      target="_blank"
                      rel="noreferrer"
                    >
                      {t('gov.hotspots.minutes')}
                    </a>
                  }
                >
                  <Space orientation="vertical" size={0}>
                    <span>
                      {b.heldOn} {b.title}
                    </span>
                    <Typography.Text type="secondary">
                      {t('gov.hotspots.decisions', { done: b.done, count: b.decisions })}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Space>
      </Col>
      <BriefingModal open={holding} agenda={agenda.data?.items ?? []} onClose={() => setHolding(false)} />
    </Row>
  );
}
