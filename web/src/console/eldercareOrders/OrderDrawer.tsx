import {
  type Order,
  type OrderAction,
  orderActionNames,
  orderStateNames,
  serviceKindNames,
} from '@civicgrid/core/api/eldercareOrders';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  List,
  Popconfirm,
  Rate,
  Space,
  Tag,
  Timeline,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';

export const stateColors: Record<Order['status'], string> = {
  pending: 'orange',
  dispatched: 'blue',
  accepted: 'cyan',
  arrived: 'geekblue',
  finished: 'green',
  closed: 'default',
  cancelled: 'default',
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');
const money = (v: number | null) => (v === null ? '—' : `¥${v.toFixed(2)}`);

/** 派单: the qualified providers, nearest first; one click dispatches. */
function DispatchList({ order, onDone }: { order: Order; onDone: (o: Order) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const suggestions = useQuery({
    queryKey: ['elder-orders', order.id, 'suggestions'],
    queryFn: () => call('GET /api/eldercare/orders/:id/suggestions', { params: { id: order.id } }),
  });
  const dispatch = useMutation({
    mutationFn: (providerId: number) =>
      call('POST /api/eldercare/orders/:id/actions/:action', {
        params: { id: order.id, action: 'dispatch' },
        body: { providerId },
      }),
    onSuccess: onDone,
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <QueryState
      loading={suggestions.isLoading}
      error={suggestions.error}
      onRetry={() => void suggestions.refetch()}
    >
      {suggestions.data && (
        <List
          size="small"
          header={<span style={{ color: '#888' }}>{t('elderOrders.dispatchHint')}</span>}
          data-testid="order-suggestions"
          locale={{ emptyText: <Empty description={t('elderOrders.noProvider')} /> }}
          dataSource={suggestions.data.items}
          renderItem={(p) => (
            <List.Item
              actions={[
                <Button
                  key="go"
                  type="primary"
                  size="small"
                  loading={dispatch.isPending && dispatch.variables === p.id}
                  onClick={() => dispatch.mutate(p.id)}
                  data-testid={`dispatch-${p.id}`}
                >
                  {t('elderOrders.dispatch')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={p.name}
                description={
                  <Space size="large">
                    <span>{p.phone}</span>
                    {p.distanceM !== null && (
                      <span>{t('elderOrders.distance', { km: (p.distanceM / 1000).toFixed(1) })}</span>
                    )}
                    <Rate disabled allowHalf value={p.rating ?? 0} style={{ fontSize: 12 }} />
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
    </QueryState>
  );
}

/** The operator's actions on an order that has been served or not yet: rate, follow up, cancel. */
function OperatorActions({ order, onDone }: { order: Order; onDone: (o: Order) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rating, setRating] = useState(0);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: ({ action, body }: { action: OrderAction; body: Record<string, unknown> }) =>
      call('POST /api/eldercare/orders/:id/actions/:action', { params: { id: order.id, action }, body }),
    onSuccess: (o) => {
      message.success(t('elderOrders.done'));
      onDone(o);
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const can = (a: OrderAction) => order.allowedActions.includes(a);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {can('rate') && (
        <Space>
          <span>{t('elderOrders.rate')}</span>
          <Rate value={rating} onChange={setRating} data-testid="order-rating" />
          <Button
            disabled={rating === 0}
            onClick={() => act.mutate({ action: 'rate', body: { rating } })}
            data-testid="order-rate"
          >
            {t('elderOrders.rate')}
          </Button>
        </Space>
      )}
      {can('followUp') && (
        <Form layout="vertical">
          <Form.Item label={t('elderOrders.followUp')}>
            <Input.TextArea
              rows={2}
              maxLength={500}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder={t('elderOrders.followUpPlaceholder')}
              data-testid="order-followup-note"
            />
          </Form.Item>
          <Button
            type="primary"
            disabled={!note.trim()}
            loading={act.isPending}
            onClick={() => act.mutate({ action: 'followUp', body: { note } })}
            data-testid="order-followup"
          >
            {t('elderOrders.followUp')}
          </Button>
        </Form>
      )}
      {can('cancel') && (
        <Space>
          <Input
            style={{ width: 260 }}
            maxLength={200}
            placeholder={t('elderOrders.cancelReason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <Popconfirm
            title={t('elderOrders.cancelConfirm')}
            onConfirm={() => act.mutate({ action: 'cancel', body: { reason } })}
            disabled={!reason.trim()}
          >
            <Button danger disabled={!reason.trim()}>
              {t('elderOrders.cancel')}
            </Button>
          </Popconfirm>
        </Space>
      )}
    </Space>
  );
}

/** One order: what was asked, for whom, by whom; its trail; what the operator may do now. */
export function OrderDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [phone, setPhone] = useState<string | null>(null);
  const detail = useQuery({
    queryKey: ['elder-orders', id],
    queryFn: () => call('GET /api/eldercare/orders/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  const reveal = useMutation({
    mutationFn: () => call('POST /api/eldercare/orders/:id/caller', { params: { id: id as string } }),
    onSuccess: (r) => setPhone(r.callerPhone),
    onError: (e) => message.error(errorMessage(e)),
  });
  const refresh = (o: Order) => {
    qc.setQueryData(['elder-orders', o.id], o);
    void qc.invalidateQueries({ queryKey: ['elder-orders'] });
  };
  return (
    <Drawer
      open={id !== null}
      width={640}
      title={detail.data ? `${t('elderOrders.no')} ${detail.data.no}` : t('elderOrders.title')}
      onClose={() => {
        setPhone(null);
        onClose();
      }}
      destroyOnHidden
    >
      <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => void detail.refetch()}>
        {detail.data && (
          <OrderBody
            o={detail.data}
            phone={phone}
            onReveal={() => reveal.mutate()}
            canReveal={can('pii:reveal')}
            onDone={refresh}
          />
        )}
      </QueryState>
    </Drawer>
  );
}

function OrderBody({
  o,
  phone,
  onReveal,
  canReveal,
  onDone: refresh,
}: {
  o: Order;
  phone: string | null;
  onReveal: () => void;
  canReveal: boolean;
  onDone: (o: Order) => void;
}) {
  const { t } = useTranslation();
  return (
    <div data-testid="order-drawer">
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label={t('elderOrders.status')} span={2}>
          <Tag color={stateColors[o.status]} data-testid="order-status">
            {orderStateNames[o.status]}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('elderOrders.elder')}>
          {o.elderName}（{t('elderOrders.age', { age: o.age })}）
        </Descriptions.Item>
        <Descriptions.Item label={t('elderOrders.careLevel')}>
          {t(`elderOrders.careLevels.${o.careLevel}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('elderOrders.area')} span={2}>
          {o.areaName} {o.address}
        </Descriptions.Item>
        <Descriptions.Item label={t('elderOrders.service')}>
          {serviceKindNames[o.kind]} · {o.serviceName}
        </Descriptions.Item>
        <Descriptions.Item label={t('elderOrders.requestedAt')}>{when(o.requestedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('elderOrders.caller')}>
          {o.callerName ?? '—'} {o.callerRelation ? `（${o.callerRelation}）` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('elderOrders.callerPhone')}>
          <Space>
            <span>{phone ?? o.callerPhone ?? '—'}</span>
            {o.callerPhone && !phone && canReveal && (
              <Button size="small" type="link" onClick={onReveal}>
                {t('elderOrders.reveal')}
              </Button>
            )}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('elderOrders.note')} span={2}>
          {o.note ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('elderOrders.provider')} span={2}>
          {o.providerName ?? '—'}
        </Descriptions.Item>
        {o.amount !== null && (
          <>
            <Descriptions.Item label={t('elderOrders.amount')}>{money(o.amount)}</Descriptions.Item>
            <Descriptions.Item label={t('elderOrders.subsidy')}>{money(o.subsidy)}</Descriptions.Item>
            <Descriptions.Item label={t('elderOrders.selfPaid')}>{money(o.selfPaid)}</Descriptions.Item>
            <Descriptions.Item label={t('elderOrders.rating')}>
              {o.rating ? <Rate disabled value={o.rating} style={{ fontSize: 12 }} /> : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('elderOrders.finishNote')} span={2}>
              {o.finishNote ?? '—'}
              {o.fileIds.map((f) => (
                <a
                  key={f}
                  href={`/api/files/${f}`}
                  target="_blank"
                  rel="noreferrer"
                  style={{ marginLeft: 8 }}
                >
                  <img src={`/api/files/${f}/thumb`} alt="" style={{ height: 48, verticalAlign: 'middle' }} />
                </a>
              ))}
            </Descriptions.Item>
          </>
        )}
        {o.followUpNote && (
          <Descriptions.Item label={t('elderOrders.followUpNote')} span={2}>
            {o.followUpNote}
          </Descriptions.Item>
        )}
      </Descriptions>
      {o.allowedActions.includes('dispatch') && (
        <div style={{ marginTop: 16 }}>
          <DispatchList order={o} onDone={refresh} />
        </div>
      )}
      {o.allowedActions.some((a) => a === 'rate' || a === 'followUp' || a === 'cancel') && (
        <div style={{ marginTop: 16 }}>
          <OperatorActions order={o} onDone={refresh} />
        </div>
      )}
      <h4 style={{ marginTop: 24 }}>{t('elderOrders.trail')}</h4>
      <Timeline
        items={o.events.map((e) => ({
          children: (
            <span>
              {e.action === 'create' ? '受理来电' : (orderActionNames[e.action as OrderAction] ?? e.action)} ·{' '}
              {e.actorName ?? '—'} · {when(e.at)}
            </span>
          ),
        }))}
      />
    </div>
  );
}
