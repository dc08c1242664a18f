import type { HotlineCallback, HotlineMapping } from '@civicgrid/core/api/integrations';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Tabs,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { HotlineSettingsPanel } from './HotlineSettingsPanel.js';

const fmt = (s: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');

interface MappingForm {
  hotlineCategory: string;
  categoryCode: string;
  acceptHours?: number | null;
  replyHours?: number | null;
}

/** The category mapping: the hotline's words → a taxonomy leaf, with the hotline's limits. */
function Mappings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Partial<MappingForm> | null>(null);
  const [form] = Form.useForm<MappingForm>();
  const q = useQuery({
    queryKey: ['hotline-mappings'],
    queryFn: () => call('GET /api/integrations/hotline/mappings'),
  });
  const cats = useQuery({ queryKey: ['case-categories'], queryFn: () => call('GET /api/case-categories') });
  const rows = useWholeList(q, q.data?.items);
  const all = cats.data?.items ?? [];
  const leaves = all.filter((c) => !c.retired && !all.some((x) => x.parentCode === c.code && !x.retired));
  const refresh = () => qc.invalidateQueries({ queryKey: ['hotline-mappings'] });
  const save = useMutation({
    mutationFn: (v: MappingForm) =>
      call('PUT /api/integrations/hotline/mappings', {
        body: { ...v, acceptHours: v.acceptHours ?? null, replyHours: v.replyHours ?? null },
      }),
    onSuccess: () => {
      setEditing(null);
      void refresh();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (category: string) =>
      call('DELETE /api/integrations/hotline/mappings/:category', { params: { category } }),
    onSuccess: () => refresh(),
    onError: (e) => message.error(errorMessage(e)),
  });
  const hours = (v: number | null) => (v === null ? t('integrations.hotline.byCategory') : v);
  return (
    <>
      <Typography.Paragraph type="secondary">{t('integrations.hotline.mappingsHint')}</Typography.Paragraph>
      <ListView
        list={rows}
        actions={
          <Button type="primary" onClick={() => setEditing({})} data-testid="hotline-mapping-add">
            {t('integrations.hotline.add')}
          </Button>
        }
        table={{
          rowKey: 'hotlineCategory',
          columns: [
            { title: t('integrations.hotline.hotlineCategory'), dataIndex: 'hotlineCategory' },
            {
              title: t('integrations.hotline.category'),
              render: (_: unknown, r: HotlineMapping) => `${r.categoryName}（${r.categoryCode}）`,
            },
            { title: t('integrations.hotline.acceptHours'), dataIndex: 'acceptHours', render: hours },
            { title: t('integrations.hotline.replyHours'), dataIndex: 'replyHours', render: hours },
            { title: t('integrations.hotline.updatedAt'), dataIndex: 'updatedAt', render: fmt },
            {
              title: t('common.actions'),
              render: (_: unknown, r: HotlineMapping) => (
                <Space>
                  <Button size="small" onClick={() => setEditing(r)}>
                    {t('integrations.hotline.edit')}
                  </Button>
                  <Popconfirm
                    title={t('integrations.hotline.removeConfirm')}
                    onConfirm={() => remove.mutate(r.hotlineCategory)}
                  >
                    <Button size="small" danger>
                      {t('integrations.hotline.remove')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ],
        }}
      />
      <Modal
        open={editing !== null}
        title={editing?.hotlineCategory ? t('integrations.hotline.edit') : t('integrations.hotline.add')}
        okText={t('integrations.hotline.save')}
        confirmLoading={save.isPending}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={editing ?? {}}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item
            name="hotlineCategory"
            label={t('integrations.hotline.hotlineCategory')}
            rules={[{ required: true, whitespace: true, max: 60 }]}
          >
            <Input disabled={Boolean(editing?.hotlineCategory)} />
          </Form.Item>
          <Form.Item
            name="categoryCode"
            label={t('integrations.hotline.category')}
            rules={[{ required: true }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              loading={cats.isLoading}
              options={leaves.map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` }))}
            />
          </Form.Item>
          <Space>
            <Form.Item name="acceptHours" label={t('integrations.hotline.acceptHours')}>
              <InputNumber min={1} max={720} placeholder={t('integrations.hotline.byCategory')} />
            </Form.Item>
            <Form.Item name="replyHours" label={t('integrations.hotline.replyHours')}>
              <InputNumber min={1} max={2160} placeholder={t('integrations.hotline.byCategory')} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

/** The dead letters: callbacks that failed for a day, each resent by hand. */
function DeadLetters() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = usePagedList<HotlineCallback, never>({
    url: '/api/integrations/hotline/callbacks',
    key: 'hotline-callbacks',
    filters: [],
    prefix: 'dead.',
  });
  const resend = useMutation({
    mutationFn: (id: number) =>
      call('POST /api/integrations/hotline/callbacks/:id/resend', { params: { id } }),
    onSuccess: () => {
      message.success(t('integrations.hotline.resent'));
      void qc.invalidateQueries({ queryKey: ['hotline-callbacks'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <>
      <Typography.Paragraph type="secondary">{t('integrations.hotline.callbacksHint')}</Typography.Paragraph>
      <ListView
        list={list}
        table={{
          rowKey: 'id',
          columns: [
            { title: t('integrations.hotline.orderNo'), dataIndex: 'orderNo' },
            {
              title: t('integrations.hotline.kind'),
              dataIndex: 'kind',
              render: (k: string) => t(`integrations.hotline.kinds.${k}`),
            },
            { title: t('integrations.hotline.attempts'), dataIndex: 'attempts' },
            { title: t('integrations.hotline.lastError'), dataIndex: 'lastError' },
            { title: t('integrations.hotline.createdAt'), dataIndex: 'createdAt', render: fmt },
            {
              title: t('common.actions'),
              render: (_: unknown, r: HotlineCallback) => (
                <Button size="small" loading={resend.isPending} onClick={() => resend.mutate(r.id)}>
                  {t('integrations.hotline.resend')}
                </Button>
              ),
            },
          ],
        }}
      />
    </>
  );
}

/** 系统管理 → 12345 对接: the category mapping and the callbacks that could not be delivered. */
export default function HotlinePage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('settings');
  return (
    <Card title={t('integrations.hotline.title')} data-testid="hotline-page">
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'settings',
            label: t('integrations.hotlineSettings.tab'),
            children: <HotlineSettingsPanel onShowTab={setTab} />,
          },
          { key: 'mappings', label: t('integrations.hotline.mappingsTab'), children: <Mappings /> },
          { key: 'dead', label: t('integrations.hotline.callbacksTab'), children: <DeadLetters /> },
        ]}
      />
    </Card>
  );
}
