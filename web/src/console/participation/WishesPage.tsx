import { CameraOutlined } from '@ant-design/icons';
import type { WishDetail, WishSummary } from '@civicgrid/core/api/wishes';
import { type WishAction, wishStates } from '@civicgrid/core/participation/wishes';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Rate,
  Select,
  Space,
  Tag,
  Timeline,
  TreeSelect,
  Upload,
} from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, upload } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { newUuid } from '../../common/retryKey.js';
import { useTrees } from '../cases/shared.js';
import { DetailDrawer } from '../common/DetailDrawer.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

const filterKeys = ['status', 'escalated'] as const;
const stateColors: Record<WishSummary['status'], string> = {
  submitted: 'gold',
  published: 'blue',
  claimed: 'cyan',
  fulfilled: 'green',
  rated: 'green',
  withdrawn: 'default',
};

export function WishStateTag({ state }: { state: WishSummary['status'] }) {
  const { t } = useTranslation();
  return <Tag color={stateColors[state]}>{t(`participation.wishes.states.${state}`)}</Tag>;
}

/**
 * 微心愿 (网格派单): the wishes of the user's area — a grid worker reviews and publishes his
 * grid's, the community follows those nobody claimed; a worker posts one for a resident.
 */
export default function WishesPage({ wall = false }: { wall?: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  const [posting, setPosting] = useState(false);
  const list = usePagedList<WishSummary, (typeof filterKeys)[number]>({
    url: '/api/wishes',
    key: 'wishes',
    filters: filterKeys,
  });
  return (
    <ListPage<WishSummary>
      title={t(wall ? 'participation.wishes.wallTitle' : 'participation.wishes.title')}
      testId={wall ? 'wish-wall-page' : 'wishes-page'}
      list={list}
      empty={t('participation.wishes.empty')}
      totalText={(n) => t('participation.wishes.total', { count: n })}
      actions={
        !wall &&
        can('wish:post') && (
          <Button type="primary" onClick={() => setPosting(true)} data-testid="wishes-post">
            {t('participation.wishes.post')}
          </Button>
        )
      }
      filters={
        <>
          <Select
            allowClear
            placeholder={t('participation.wishes.columns.status')}
            style={{ width: 130 }}
            value={list.filters.status}
            onChange={(v?: string) => list.setFilters({ status: v })}
            options={wishStates.map((s) => ({ value: s, label: t(`participation.wishes.states.${s}`) }))}
            data-testid="wishes-status"
          />
          {!wall && (
            <Checkbox
              checked={list.filters.escalated === 'true'}
              onChange={(e) => list.setFilters({ escalated: e.target.checked ? 'true' : undefined })}
            >
              {t('participation.wishes.escalatedOnly')}
            </Checkbox>
          )}
        </>
      }
      table={{
        rowKey: 'id',
        'data-testid': 'wishes-table',
        scroll: { x: 900 },
        onRow: (w) => ({ onClick: () => setOpen(w.id), style: { cursor: 'pointer' } }),
        columns: [
          {
            title: t('participation.wishes.columns.title'),
            dataIndex: 'title',
            render: (v: string, w) => (
              <Space size={4}>
                <Button type="link" size="small" style={{ padding: 0 }} data-testid="wish-open">
                  {v}
                </Button>
                {w.escalated && <Tag color="red">{t('participation.wishes.escalated')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('participation.wishes.columns.place'),
            key: 'place',
            width: 220,
            render: (_, w) => `${w.communityName} / ${w.gridName}`,
          },
          {
            title: t('participation.wishes.columns.forResident'),
            dataIndex: 'forResidentName',
            width: 100,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('participation.wishes.columns.status'),
            dataIndex: 'status',
            width: 90,
            render: (v: WishSummary['status']) => <WishStateTag state={v} />,
          },
          {
            title: t('participation.wishes.columns.claimedBy'),
            dataIndex: 'claimedByName',
            width: 110,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('participation.wishes.columns.rating'),
            dataIndex: 'rating',
            width: 140,
            render: (v: number | null) => (v ? <Rate disabled value={v} style={{ fontSize: 12 }} /> : '—'),
          },
          {
            title: t('participation.wishes.columns.createdAt'),
            dataIndex: 'createdAt',
            width: 150,
            render: (v: string) => new Date(v).toLocaleString('zh-CN', { hour12: false }),
          },
        ],
      }}
    >
      <WishDrawer id={open} onClose={() => setOpen(null)} />
      {posting && <PostWishModal onClose={() => setPosting(false)} />}
    </ListPage>
  );
}

/** One wish: what is wished, its trail, and the steps the user may take now. */
export function WishDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['wishes', 'detail', id],
    queryFn: () => call('GET /api/wishes/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  return (
    <DetailDrawer
      id={id}
      onClose={onClose}
      detail={detail}
      width={520}
      title={t('participation.wishes.detail')}
      testId="wish-drawer"
    >
      {(w) => (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('participation.wishes.columns.title')}>{w.title}</Descriptions.Item>
            <Descriptions.Item label={t('participation.wishes.columns.status')}>
              <WishStateTag state={w.status} />
              {w.escalated && <Tag color="red">{t('participation.wishes.escalated')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.wishes.description')}>
              {w.description}
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.wishes.columns.place')}>
              {w.communityName} / {w.gridName}
            </Descriptions.Item>
            {w.forResidentName && (
              <Descriptions.Item label={t('participation.wishes.columns.forResident')}>
                {w.forResidentName}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('participation.wishes.postedBy')}>
              {w.postedByName ?? '—'}
            </Descriptions.Item>
            {w.claimedByName && (
              <Descriptions.Item label={t('participation.wishes.columns.claimedBy')}>
                {w.claimedByName}
              </Descriptions.Item>
            )}
            {w.fulfilNote && (
              <Descriptions.Item label={t('participation.wishes.fulfilNote')}>
                {w.fulfilNote}
                <div>
                  {w.fileIds.map((f) => (
                    <a key={f} href={`/api/files/${f}`} target="_blank" rel="noreferrer">
                      <img
                        src={`/api/files/${f}/thumb`}
                        alt=""
                        style={{ width: 64, height: 64, objectFit: 'cover', marginRight: 4 }}
                      />
                    </a>
                  ))}
                </div>
              </Descriptions.Item>
            )}
            {w.rating !== null && (
              <Descriptions.Item label={t('participation.wishes.columns.rating')}>
                <Rate disabled value={w.rating} /> {w.ratingComment}
              </Descriptions.Item>
            )}
          </Descriptions>
          <WishActions wish={w} />
          <h4 style={{ marginTop: 16 }}>{t('participation.wishes.trail')}</h4>
          <Timeline
            data-testid="wish-trail"
            items={w.events.map((e) => ({
              children: (
                <>
                  <strong>{t(`participation.wishes.eventNames.${e.action}`, e.action)}</strong>{' '}
                  {e.actorName ?? ''} · {new Date(e.at).toLocaleString('zh-CN', { hour12: false })}
                  {e.note && <div style={{ color: '#666' }}>{e.note}</div>}
                </>
              ),
            }))}
          />
        </>
      )}
    </DetailDrawer>
  );
}

/** The buttons of the steps allowed now; a step that changes what others see asks first. */
function WishActions({ wish }: { wish: WishDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<WishAction | null>(null);
  const [fulfilNote, setFulfilNote] = useState('');
  const [photos, setPhotos] = useState<{ id: string; thumbUrl: string }[]>([]);
  const [uploading, setUploading] = useState(false);
  const [reason, setReason] = useState('');
  const [rating, setRating] = useState(5);
  const run = async (action: WishAction, body: Record<string, unknown> = {}) => {
    setBusy(action);
    try {
      await call('POST /api/wishes/:id/actions/:action', { params: { id: wish.id, action }, body });
      message.success(t('participation.wishes.done'));
      await qc.invalidateQueries({ queryKey: ['wishes'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  if (!wish.allowedActions.length) return null;
  const confirmed = (action: 'publish' | 'claim') => (
    <Popconfirm
      key={action}
      title={t(`participation.wishes.confirm.${action}`)}
      onConfirm={() => run(action)}
      okButtonProps={{ 'data-testid': `wish-confirm-${action}` }}
    >
      <Button type="primary" loading={busy === action} data-testid={`wish-${action}`}>
        {t(`participation.wishes.actions.${action}`)}
      </Button>
    </Popconfirm>
  );
  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 16 }} data-testid="wish-actions">
      {wish.allowedActions.includes('publish') && confirmed('publish')}
      {wish.allowedActions.includes('claim') && confirmed('claim')}
      {wish.allowedActions.includes('fulfil') && (
        <Space.Compact style={{ width: '100%' }}>
          <Input
            placeholder={t('participation.wishes.notePlaceholder')}
            value={fulfilNote}
            onChange={(e) => setFulfilNote(e.target.value)}
            data-testid="wish-fulfil-note"
          />
          <Upload
            accept="image/*"
            showUploadList={false}
            beforeUpload={async (file) => {
              setUploading(true);
              try {
                const f = await upload<{ id: string; thumbUrl: string }>('/api/files', file);
                setPhotos((p) => [...p, f]);
              } catch (e) {
                message.error(errorMessage(e));
              } finally {
                setUploading(false);
              }
              return false;
            }}
          >
            <Button icon={<CameraOutlined />} loading={uploading} data-testid="wish-fulfil-photo">
              {t('participation.wishes.photo', { count: photos.length })}
            </Button>
          </Upload>
          <Button
            type="primary"
            loading={busy === 'fulfil'}
            onClick={() =>
              run('fulfil', {
                note: fulfilNote.trim(),
                ...(photos.length ? { fileIds: photos.map((p) => p.id) } : {}),
              })
            }
            data-testid="wish-fulfil"
          >
            {t('participation.wishes.actions.fulfil')}
          </Button>
        </Space.Compact>
      )}
      {wish.allowedActions.includes('rate') && (
        <Space>
          <Rate value={rating} onChange={setRating} />
          <Button loading={busy === 'rate'} onClick={() => run('rate', { rating })} data-testid="wish-rate">
            {t('participation.wishes.actions.rate')}
          </Button>
        </Space>
      )}
      {wish.allowedActions.includes('withdraw') && (
        <Popconfirm
          title={
            <Space direction="vertical">
              {t('participation.wishes.confirm.withdraw')}
              <Input
                placeholder={t('participation.wishes.reason')}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </Space>
          }
          onConfirm={() => run('withdraw', reason.trim() ? { reason: reason.trim() } : {})}
        >
          <Button danger loading={busy === 'withdraw'} data-testid="wish-withdraw">
            {t('participation.wishes.actions.withdraw')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

/** 代居民提交: a worker posts a wish for a resident of his area (the resident picked from the file). */
function PostWishModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useTrees();
  const key = useRef(newUuid());
  const [q, setQ] = useState('');
  const people = useQuery({
    queryKey: ['wish-residents', q],
    queryFn: () => call('GET /api/residents', { query: { q, pageSize: 20 } }),
    enabled: q.length >= 1,
  });
  const { submit, busy } = useFormSubmit(
    form,
    (v: { title: string; description: string; gridId: number; forResidentId?: string }) =>
      call('POST /api/wishes', { body: { ...v, idempotencyKey: key.current } }),
    {
      success: t('participation.wishes.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['wishes'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.wishes.post')}
      onCancel={onClose}
      onOk={submit}
      okText={t('participation.wishes.form.submit')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'wish-post-submit' }}
    >
      <Form form={form} layout="vertical" data-testid="wish-post-form">
        <Form.Item
          name="title"
          label={t('participation.wishes.form.title')}
          rules={[{ required: true, min: 2, max: 50 }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('participation.wishes.form.description')}
          rules={[{ required: true, min: 2, max: 500 }]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        <Form.Item name="gridId" label={t('participation.wishes.form.grid')} rules={[{ required: true }]}>
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.grids} />
        </Form.Item>
        <Form.Item name="forResidentId" label={t('participation.wishes.form.resident')}>
          <Select
            allowClear
            showSearch
            filterOption={false}
            placeholder={t('participation.wishes.form.residentSearch')}
            onSearch={(v) => setQ(v.trim())}
            loading={people.isFetching}
            options={(people.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${p.name}（${p.gridName}）`,
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
