import { type CaseDetail, type CaseEvent, caseChannelNames, ratingNames } from '@civicgrid/core/api/cases';
import { type CaseAction, type CaseState, caseStateNames } from '@civicgrid/core/cases/stateMachine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Image,
  Row,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { get } from '../../common/api.js';
import { QueryState } from '../../common/QueryState.js';
import { ActionModal, actionNames, dangerActions } from './ActionModal.js';
import { CaseMap } from './CaseMap.js';
import { DueCell, fmt, StateTag, useGridsOf } from './shared.js';

const eventNames: Record<string, string> = {
  ...actionNames,
  report: '上报',
  warning: '临期预警',
  overdue: '超期',
};

const primaryActions: CaseAction[] = [
  'accept',
  'dispatch',
  'claim',
  'resolve',
  'verify',
  'followUp',
  'selfResolve',
];

function EventItem({ e }: { e: CaseEvent }) {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const assignee = d.assignee as { name?: string } | undefined;
  const changed = e.fromState && e.toState && e.fromState !== e.toState;
  return (
    <div data-testid="case-event">
      <Space wrap size={6}>
        <Typography.Text strong>{eventNames[e.action] ?? e.action}</Typography.Text>
        <Typography.Text type="secondary">{e.actorName}</Typography.Text>
        <Typography.Text type="secondary">{fmt(e.at)}</Typography.Text>
        {changed && (
          <Typography.Text type="secondary">
            {caseStateNames[e.fromState as CaseState]?.zh} → {caseStateNames[e.toState as CaseState]?.zh}
          </Typography.Text>
        )}
      </Space>
      {assignee?.name && <div>派遣给：{assignee.name}</div>}
      {typeof d.passed === 'boolean' && <div>核查结论：{d.passed ? '通过' : '不通过'}</div>}
      {typeof d.rating === 'string' && <div>评价：{ratingNames[d.rating as keyof typeof ratingNames]}</div>}
      {typeof d.toUnitName === 'string' && <div>转至：{d.toUnitName}</div>}
      {typeof d.until === 'string' && <div>延期至：{fmt(d.until)}</div>}
      {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
      {e.attachments.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap style={{ marginTop: 6 }}>
            {e.attachments.map((a) => (
              <Image
                key={a.id}
                width={72}
                height={72}
                style={{ objectFit: 'cover' }}
                src={a.thumbUrl}
                preview={{ src: a.url }}
              />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
    </div>
  );
}

/** 事件详情: the case, its trail, its photos and place, and only the actions allowed now. */
export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [action, setAction] = useState<CaseAction | null>(null);
  const detail = useQuery({ queryKey: ['case', id], queryFn: () => get<CaseDetail>(`/api/cases/${id}`) });
  const events = useQuery({
    queryKey: ['case-events', id],
    queryFn: () => get<{ items: CaseEvent[] }>(`/api/cases/${id}/events`),
  });
  const c = detail.data;
  const grids = useGridsOf(c?.communityId);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['case', id] });
    void qc.invalidateQueries({ queryKey: ['case-events', id] });
    void qc.invalidateQueries({ queryKey: ['cases'] });
    void qc.invalidateQueries({ queryKey: ['case-counts'] });
  };
  return (
    <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
      {c && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={
              <Space wrap>
                <Button type="link" onClick={() => navigate('/cases')} style={{ padding: 0 }}>
                  ← 事件中心
                </Button>
                <Typography.Text code>{c.code}</Typography.Text>
                <StateTag state={c.status} testId="case-status" />
                <span>{c.categoryName}</span>
                {c.priority !== 'normal' && (
                  <Tag color="red">{c.priority === 'emergency' ? '特急' : '紧急'}</Tag>
                )}
                {c.supervised && <Tag color="volcano">督办</Tag>}
              </Space>
            }
            extra={
              <Space wrap>
                {c.allowedActions.length === 0 && (
                  <Typography.Text type="secondary">当前无可办理的操作</Typography.Text>
                )}
                {[...c.allowedActions]
                  .sort((a, b) => Number(primaryActions.includes(b)) - Number(primaryActions.includes(a)))
                  .map((a) => (
                    <Button
                      key={a}
                      type={primaryActions.includes(a) ? 'primary' : 'default'}
                      danger={dangerActions.includes(a)}
                      onClick={() => setAction(a)}
                      data-testid={`case-action-${a}`}
                    >
                      {actionNames[a]}
                    </Button>
                  ))}
              </Space>
            }
          >
            {c.supervision && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                message={`督办：${c.supervision.order}`}
                description={`督办人 ${c.supervision.by}，时限 ${fmt(c.supervision.deadline)}`}
              />
            )}
            {c.extension && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                message={`延期申请待审批：延期至 ${fmt(c.extension.until)}`}
                description={`${c.extension.requestedBy}：${c.extension.reason}`}
              />
            )}
            <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
              <Descriptions.Item label="问题描述" span={3}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{c.description}</span>
              </Descriptions.Item>
              <Descriptions.Item label="来源">{caseChannelNames[c.channel]}</Descriptions.Item>
              <Descriptions.Item label="上报时间">{fmt(c.reportedAt)}</Descriptions.Item>
              <Descriptions.Item label="当前时限">
                <DueCell c={c} />
              </Descriptions.Item>
              <Descriptions.Item label="地址">{c.address ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="所在网格">
                {[c.streetName, c.communityName, c.gridName].filter(Boolean).join(' / ') || '区级事件池'}
              </Descriptions.Item>
              <Descriptions.Item label="办理层级">{c.handlingUnitName}</Descriptions.Item>
              <Descriptions.Item label="承办">{c.assignee?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="反映人">
                {c.reporter ? `${c.reporter.name ?? ''} ${c.reporter.phone ?? ''}` : '—'}
              </Descriptions.Item>
              <Descriptions.Item label="评价">
                {c.rating
                  ? `${ratingNames[c.rating]}${c.ratingComment ? `（${c.ratingComment}）` : ''}`
                  : '—'}
              </Descriptions.Item>
              {c.reworkCount > 0 && <Descriptions.Item label="返工次数">{c.reworkCount}</Descriptions.Item>}
            </Descriptions>
            {c.duplicates.length > 0 && (
              <Alert
                style={{ marginTop: 12 }}
                type="warning"
                message={`附近有 ${c.duplicates.length} 件同类未办结事件，可能重复`}
                description={c.duplicates.map((d) => (
                  <div key={d.id}>
                    <Button type="link" size="small" onClick={() => navigate(`/cases/${d.id}`)}>
                      {d.code}
                    </Button>
                    {d.description}（{d.distanceM} 米）
                  </div>
                ))}
              />
            )}
          </Card>
          <Row gutter={16}>
            <Col xs={24} lg={14}>
              <Card title="办理过程" size="small">
                <QueryState loading={events.isLoading} error={events.error} onRetry={() => events.refetch()}>
                  <Timeline
                    items={(events.data?.items ?? []).map((e) => ({
                      color: e.action === 'overdue' ? 'red' : e.action === 'warning' ? 'orange' : 'blue',
                      children: <EventItem e={e} />,
                    }))}
                  />
                </QueryState>
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Space direction="vertical" size={16} style={{ width: '100%' }}>
                <Card title="现场照片" size="small">
                  {c.attachments.length === 0 ? (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无照片" />
                  ) : (
                    <Image.PreviewGroup>
                      <Space wrap>
                        {c.attachments.map((a) => (
                          <Image
                            key={a.id}
                            width={96}
                            height={96}
                            style={{ objectFit: 'cover' }}
                            src={a.thumbUrl}
                            preview={{ src: a.url }}
                          />
                        ))}
                      </Space>
                    </Image.PreviewGroup>
                  )}
                </Card>
                <Card title="位置" size="small">
                  {c.location ? (
                    <CaseMap marker={c.location} height={260} areas={grids.data?.items} />
                  ) : (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未标注位置" />
                  )}
                </Card>
              </Space>
            </Col>
          </Row>
          <ActionModal
            action={action}
            caseId={c.id}
            duplicates={c.duplicates}
            onClose={(done) => {
              setAction(null);
              if (done) refresh();
            }}
          />
        </Space>
      )}
    </QueryState>
  );
}
