import type { DisputeDetail } from '@civicgrid/core/api/disputes';
import { type DisputeAction, type DisputeState, disputeActions } from '@civicgrid/core/disputes/stateMachine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  List,
  Row,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { call, href } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { fmt } from '../cases/shared.js';
import { DisputeActionModal } from './DisputeActionModal.js';
import { DisputeStateTag, RiskTag } from './disputeShared.js';

const primaryActions: readonly DisputeAction[] = [
  'accept',
  'assign',
  'session',
  'agree',
  'followUp',
  'close',
];

function EventItem({ e }: { e: DisputeDetail['events'][number] }) {
  const { t } = useTranslation();
  const state = (s: string | null) =>
    s ? t(`disputes.states.${s as DisputeState}`, { defaultValue: s }) : null;
  return (
    <div data-testid="dispute-event">
      <Space wrap size={6}>
        <Typography.Text strong>
          {t(`disputes.actions.${e.action}`, { defaultValue: e.action })}
        </Typography.Text>
        <Typography.Text type="secondary">{e.actorName}</Typography.Text>
        <Typography.Text type="secondary">{fmt(e.at)}</Typography.Text>
        {e.fromState !== e.toState && (
          <Typography.Text type="secondary">
            {e.fromState ? `${state(e.fromState)} → ` : ''}
            {state(e.toState)}
          </Typography.Text>
        )}
      </Space>
      {e.note && <div>{e.note}</div>}
    </div>
  );
}

/** One dispute: parties (masked), facts, sessions, agreement, trail; the allowed actions. */
export default function DisputeDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const [action, setAction] = useState<DisputeAction | null>(null);
  const detail = useQuery({
    queryKey: ['dispute', id],
    queryFn: () => call('GET /api/disputes/:id', { params: { id } }),
  });
  const d = detail.data;
  const actions = disputeActions.filter((x) => d?.allowedActions.includes(x));
  return (
    <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
      {d && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="dispute-detail">
          <Card
            title={
              <Space wrap>
                <span data-testid="dispute-code">{d.code}</span>
                <DisputeStateTag state={d.status} />
                <RiskTag level={d.riskLevel} />
                <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                  {t(`disputes.types.${d.type}`)}
                </Typography.Text>
              </Space>
            }
            extra={
              <Space wrap data-testid="dispute-actions">
                {actions.map((a) => (
                  <Button
                    key={a}
                    type={primaryActions.includes(a) ? 'primary' : 'default'}
                    danger={a === 'fail'}
                    onClick={() => setAction(a)}
                    data-testid={`action-${a}`}
                  >
                    {t(`disputes.actions.${a}`)}
                  </Button>
                ))}
              </Space>
            }
          >
            <Descriptions column={{ xs: 1, md: 3 }} size="small">
              <Descriptions.Item label={t('disputes.detail.source')}>
                {t(`disputes.sources.${d.source}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('disputes.detail.acceptedAt')}>
                {fmt(d.acceptedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('disputes.detail.deadline')}>
                <Space size={4}>
                  {d.deadline}
                  {d.overdue && <Tag color="red">{t('disputes.list.overdue')}</Tag>}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('disputes.detail.committee')}>
                {d.committeeName ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('disputes.detail.mediator')}>
                {d.mediatorName ?? '—'}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5}>{t('disputes.detail.facts')}</Typography.Title>
            <Typography.Paragraph>{d.description}</Typography.Paragraph>
            <Table
              size="small"
              rowKey={(p) => `${p.role}-${p.name}`}
              pagination={false}
              dataSource={d.parties}
              data-testid="dispute-parties"
              columns={[
                {
                  title: t('disputes.form.role'),
                  dataIndex: 'role',
                  render: (r: string) => t(`disputes.form.${r}`),
                },
                { title: t('disputes.form.name'), dataIndex: 'name' },
                { title: t('disputes.form.idNumber'), dataIndex: 'idNumber', render: (v) => v ?? '—' },
                { title: t('disputes.form.phone'), dataIndex: 'phone', render: (v) => v ?? '—' },
              ]}
            />
          </Card>
          <Row gutter={16}>
            <Col xs={24} lg={14}>
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                <Card title={t('disputes.detail.sessions')} size="small">
                  {d.sessions.length === 0 ? (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
                  ) : (
                    <List
                      dataSource={d.sessions}
                      renderItem={(s) => (
                        <List.Item data-testid="dispute-session">
                          <List.Item.Meta
                            title={`${fmt(s.at)} · ${s.place}`}
                            description={
                              <>
                                {s.attendees.length > 0 && <div>{s.attendees.join('、')}</div>}
                                <div>{s.notes}</div>
                              </>
                            }
                          />
                        </List.Item>
                      )}
                    />
                  )}
                </Card>
                {d.agreement && (
                  <Card
                    title={t('disputes.detail.agreement')}
                    size="small"
                    data-testid="dispute-agreement"
                    extra={
                      !d.agreement.oral && (
                        <a
                          href={href('GET /api/disputes/:id/agreement.pdf', { params: { id: d.id } })}
                          download
                          data-testid="agreement-pdf"
                        >
                          {t('disputes.detail.pdf')}
                        </a>
                      )
                    }
                  >
                    <ol style={{ paddingLeft: 20 }}>
                      {d.agreement.terms.map((x) => (
                        <li key={x}>{x}</li>
                      ))}
                    </ol>
                    <Descriptions size="small" column={1}>
                      <Descriptions.Item label={t('disputes.detail.performBy')}>
                        {d.agreement.performBy}
                      </Descriptions.Item>
                      {d.agreement.performance && (
                        <Descriptions.Item label={t('disputes.detail.performance')}>
                          {d.agreement.performance}
                        </Descriptions.Item>
                      )}
                      {d.agreement.oral && (
                        <Descriptions.Item label={t('disputes.detail.oral')}>✓</Descriptions.Item>
                      )}
                    </Descriptions>
                    {d.followUps.map((f) => (
                      <div key={f.at} data-testid="dispute-follow-up">
                        <Tag color={f.performed === 'yes' ? 'green' : 'orange'}>
                          {t(`disputes.performed.${f.performed}`)}
                        </Tag>
                        {fmt(f.at)} {f.note}
                      </div>
                    ))}
                  </Card>
                )}
                {d.failure && (
                  <Card title={t('disputes.detail.failure')} size="small">
                    <p>{d.failure.reason}</p>
                    {d.failure.referral && (
                      <p>
                        {t('disputes.detail.referral')}：{t(`disputes.referrals.${d.failure.referral.kind}`)}{' '}
                        · {d.failure.referral.unit}
                      </p>
                    )}
                  </Card>
                )}
              </Space>
            </Col>
            <Col xs={24} lg={10}>
              <Card title={t('disputes.detail.trail')} size="small">
                <Timeline items={d.events.map((e, i) => ({ key: i, content: <EventItem e={e} /> }))} />
              </Card>
            </Col>
          </Row>
          <DisputeActionModal
            d={d}
            action={action}
            onClose={() => setAction(null)}
            onDone={(r) => {
              setAction(null);
              qc.setQueryData(['dispute', id], r);
              void qc.invalidateQueries({ queryKey: ['disputes'] });
            }}
          />
        </Space>
      )}
    </QueryState>
  );
}
