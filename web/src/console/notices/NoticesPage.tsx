import { PushpinOutlined } from '@ant-design/icons';
import { type Notice, type NoticeKind, noticeKinds, noticeStatuses } from '@civicgrid/core/api/notices';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  type ButtonProps,
  DatePicker,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Switch,
  Tag,
  TreeSelect,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { canWrite } from '../access.js';
import { fmt, useTrees } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

const filterKeys = ['q', 'kind', 'status', 'orgUnitId'] as const;
const statusColors = { scheduled: 'blue', published: 'green', withdrawn: 'default' } as const;

interface FormValues {
  title: string;
  kind: NoticeKind;
  orgUnitId: number;
  body: string;
  when: 'now' | 'timed';
  publishAt?: Dayjs;
  pinned: boolean;
}

/** Write or edit a notice: title, kind, the area it goes to, plain text, now or at a time, pinned. */
function NoticeDrawer({
  notice,
  onClose,
  onDone,
}: {
  notice: Notice | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const trees = useTrees();
  const when = Form.useWatch('when', form);
  const { send: save, busy } = useFormSubmit(
    form,
    async (v: FormValues) => {
      const body = {
        title: v.title.trim(),
        kind: v.kind,
        orgUnitId: v.orgUnitId,
        body: v.body.trim(),
        pinned: v.pinned,
        ...(v.when === 'timed' && v.publishAt
          ? { publishAt: v.publishAt.toISOString() }
          : notice?.status === 'scheduled'
            ? { publishAt: new Date().toISOString() }
            : {}),
      };
      if (notice) await call('PATCH /api/notices/:id', { params: { id: notice.id }, body });
      else await call('POST /api/notices', { body });
    },
    {
      success: notice ? t('notices.saved') : t('notices.published'),
      onDone: () => onDone(),
    },
  );
  return (
    <Drawer
      open
      width={640}
      title={notice ? t('notices.edit') : t('notices.create')}
      onClose={onClose}
      extra={
        <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="notice-save">
          {notice ? t('notices.form.save') : t('notices.form.publish')}
        </Button>
      }
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={
          notice
            ? {
                title: notice.title,
                kind: notice.kind,
                orgUnitId: notice.orgUnitId,
                body: notice.body,
                when: notice.status === 'scheduled' ? 'timed' : 'now',
                publishAt: dayjs(notice.publishAt),
                pinned: notice.pinned,
              }
            : { kind: 'notice', when: 'now', pinned: false, orgUnitId: trees.root }
        }
      >
        <Form.Item
          name="title"
          label={t('notices.form.title')}
          rules={[{ required: true, whitespace: true, message: t('notices.form.titleRequired') }]}
        >
          <Input maxLength={100} showCount data-testid="notice-title" />
        </Form.Item>
        <Form.Item name="kind" label={t('notices.form.kind')}>
          <Radio.Group
            optionType="button"
            options={noticeKinds.map((k) => ({ value: k, label: t(`notices.kind.${k}`) }))}
            data-testid="notice-kind"
          />
        </Form.Item>
        <Form.Item
          name="orgUnitId"
          label={t('notices.form.area')}
          extra={t('notices.form.areaHint')}
          rules={[{ required: true, message: t('notices.form.areaRequired') }]}
        >
          <TreeSelect
            treeData={trees.areas}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
            data-testid="notice-area"
          />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('notices.form.body')}
          extra={t('notices.form.bodyHint')}
          rules={[{ required: true, whitespace: true, message: t('notices.form.bodyRequired') }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 8, maxRows: 20 }}
            maxLength={20_000}
            data-testid="notice-body"
          />
        </Form.Item>
        <Space size="large" align="start">
          <Form.Item name="when" label={t('notices.form.when')}>
            <Radio.Group
              options={[
                { value: 'now', label: t('notices.form.now') },
                { value: 'timed', label: t('notices.form.timed') },
              ]}
            />
          </Form.Item>
          {when === 'timed' && (
            <Form.Item
              name="publishAt"
              label={t('notices.form.publishAt')}
              rules={[{ required: true, message: t('notices.form.publishAtRequired') }]}
            >
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                disabledDate={(d) => d.isBefore(dayjs(), 'day')}
              />
            </Form.Item>
          )}
          <Form.Item name="pinned" label={t('notices.form.pinned')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
      </Form>
    </Drawer>
  );
}

/** 通知公告: the notices of the user's jurisdiction — write, edit, pin, withdraw, and who has read them. */
export default function NoticesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const trees = useTrees();
  const [editing, setEditing] = useState<Notice | 'new' | null>(null);
  const list = usePagedList<Notice, (typeof filterKeys)[number]>({
    url: '/api/notices',
    key: 'notices',
    filters: filterKeys,
  });
  const writable = canWrite('/notices', can);
  const refresh = () => qc.invalidateQueries({ queryKey: ['notices'] });
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      await refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <ListPage<Notice>
      title={t('notices.title')}
      testId="notices-page"
      list={list}
      empty={t('notices.empty')}
      search={{ filter: 'q', placeholder: t('notices.search'), testId: 'notices-search' }}
      actions={
        writable && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="notice-create">
            {t('notices.create')}
          </Button>
        )
      }
      filters={
        <>
          <Select
            allowClear
            placeholder={t('notices.allKinds')}
            style={{ width: 120 }}
            value={list.filters.kind}
            onChange={(v) => list.setFilters({ kind: v })}
            options={noticeKinds.map((k) => ({ value: k, label: t(`notices.kind.${k}`) }))}
            data-testid="notices-kind"
          />
          <Select
            allowClear
            placeholder={t('notices.allStatuses')}
            style={{ width: 120 }}
            value={list.filters.status}
            onChange={(v) => list.setFilters({ status: v })}
            options={noticeStatuses.map((s) => ({ value: s, label: t(`notices.status.${s}`) }))}
            data-testid="notices-status"
          />
          <TreeSelect
            allowClear
            placeholder={t('notices.allAreas')}
            style={{ width: 200 }}
            treeData={trees.areas}
            value={list.filters.orgUnitId ? Number(list.filters.orgUnitId) : undefined}
            onChange={(v) => list.setFilters({ orgUnitId: v === undefined ? undefined : String(v) })}
            data-testid="notices-area"
          />
        </>
      }
      table={{
        rowKey: 'id',
        'data-testid': 'notices-table',
        columns: [
          {
            title: t('notices.columns.title'),
            render: (_, n) => (
              <Space size={4}>
                {n.pinned && <PushpinOutlined style={{ color: '#fa541c' }} title={t('notices.pinned')} />}
                <Button
                  type="link"
                  size="small"
                  style={{ padding: 0 }}
                  onClick={() => setEditing(n)}
                  data-testid="notice-row-title"
                >
                  {n.title}
                </Button>
              </Space>
            ),
          },
          {
            title: t('notices.columns.kind'),
            width: 110,
            render: (_, n) => <Tag>{t(`notices.kind.${n.kind}`)}</Tag>,
          },
          { title: t('notices.columns.area'), width: 150, dataIndex: 'orgUnitName' },
          { title: t('notices.columns.publishAt'), width: 150, render: (_, n) => fmt(n.publishAt) },
          {
            title: t('notices.columns.status'),
            width: 90,
            render: (_, n) => <Tag color={statusColors[n.status]}>{t(`notices.status.${n.status}`)}</Tag>,
          },
          {
            title: t('notices.columns.reads'),
            width: 90,
            align: 'right',
            render: (_, n) => <span data-testid="notice-reads">{n.readCount}</span>,
          },
          { title: t('notices.columns.author'), width: 110, dataIndex: 'authorName' },
          {
            title: t('notices.columns.actions'),
            width: 200,
            render: (_, n) => (
              <Space size={0}>
                {n.allowedActions.includes('edit') && (
                  <Button type="link" size="small" onClick={() => setEditing(n)}>
                    {t('common.edit')}
                  </Button>
                )}
                {n.allowedActions.includes('pin') && (
                  <Button
                    type="link"
                    size="small"
                    onClick={() =>
                      act(
                        () =>
                          call('POST /api/notices/:id/actions/pin', {
                            params: { id: n.id },
                            body: { pinned: !n.pinned },
                          }),
                        t('notices.saved'),
                      )
                    }
                  >
                    {n.pinned ? t('notices.unpin') : t('notices.pin')}
                  </Button>
                )}
                {n.allowedActions.includes('withdraw') && (
                  <Popconfirm
                    title={t('notices.withdrawConfirm')}
                    okButtonProps={{ danger: true, 'data-testid': 'notice-withdraw-ok' } as ButtonProps}
                    onConfirm={() =>
                      act(
                        () =>
                          call('POST /api/notices/:id/actions/withdraw', { params: { id: n.id }, body: {} }),
                        t('notices.withdrawn'),
                      )
                    }
                  >
                    <Button type="link" size="small" danger data-testid="notice-withdraw">
                      {t('notices.withdraw')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ],
      }}
    >
      {editing && (
        <NoticeDrawer
          notice={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
    </ListPage>
  );
}
