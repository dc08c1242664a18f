import { ratingLevelNames, type rectificationInfo } from '@civicgrid/core/api/services';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Segmented, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { canWrite } from '../access.js';
import { fmt } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

type Rectification = z.output<typeof rectificationInfo>;
const filterKeys = ['open'] as const;

/** The unit head reviews what was done and closes the rectification with a note. */
function CloseModal({ r, onClose, onDone }: { r: Rectification; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  const { send: save, busy } = useFormSubmit(
    form,
    (v: { note: string }) =>
      call('POST /api/rectifications/:id/close', {
        params: { id: r.id },
        body: { note: v.note.trim() },
      }),
    {
      success: t('serviceDesk.rectifications.closed_ok'),
      onDone: () => onDone(),
    },
  );
  return (
    <Modal
      open
      title={`${t('serviceDesk.rectifications.closeTitle')} · ${r.applicationCode}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'rectification-close-ok' }}
    >
      <Form form={form} layout="vertical" onFinish={save}>
        <Form.Item
          name="note"
          label={t('serviceDesk.rectifications.note')}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 2,
              message: t('serviceDesk.rectifications.noteRequired'),
            },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={2000}
            data-testid="rectification-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 整改任务: the rectifications bad ratings opened in the user's area, the most urgent open first. */
export default function RectificationsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [closing, setClosing] = useState<Rectification | null>(null);
  const list = usePagedList<Rectification, (typeof filterKeys)[number]>({
    url: '/api/rectifications',
    key: 'rectifications',
    filters: filterKeys,
  });
  const writable = canWrite('/rectifications', can);
  return (
    <ListPage<Rectification>
      title={t('serviceDesk.rectifications.title')}
      testId="rectifications-page"
      list={list}
      empty={t('serviceDesk.rectifications.empty')}
      filters={
        <Segmented
          value={list.filters.open ?? ''}
          onChange={(v) => list.setFilters({ open: (v as string) || undefined })}
          options={[
            { value: '', label: t('serviceDesk.rectifications.all') },
            { value: 'true', label: t('serviceDesk.rectifications.open') },
            { value: 'false', label: t('serviceDesk.rectifications.closed') },
          ]}
          data-testid="rectifications-open"
        />
      }
      table={{
        rowKey: 'id',
        'data-testid': 'rectifications-table',
        columns: [
          {
            title: t('serviceDesk.rectifications.columns.application'),
            width: 190,
            render: (_, r) => <Link to={`/applications/${r.applicationId}`}>{r.applicationCode}</Link>,
          },
          {
            // People know the item by its name; the code, small beneath, is what the catalogue files it under.
            title: t('serviceDesk.rectifications.columns.service'),
            width: 200,
            render: (_, r) => (
              <div data-testid="rectification-service">
                <div>{r.serviceName}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.serviceCode}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: t('serviceDesk.rectifications.columns.level'),
            width: 100,
            render: (_, r) => <Tag color="red">{ratingLevelNames[r.level - 1] ?? r.level}</Tag>,
          },
          {
            title: t('serviceDesk.rectifications.columns.comment'),
            dataIndex: 'comment',
            render: (c) => c ?? '—',
          },
          {
            title: t('serviceDesk.rectifications.columns.rectifyBy'),
            width: 150,
            render: (_, r) => fmt(r.rectifyBy),
          },
          {
            title: t('serviceDesk.rectifications.columns.state'),
            width: 100,
            render: (_, r) =>
              r.rectifiedAt ? (
                <Tag color="green">{t('serviceDesk.rectifications.closed')}</Tag>
              ) : r.overdue ? (
                <Tag color="red">{t('serviceDesk.rectifications.overdue')}</Tag>
              ) : (
                <Tag color="orange">{t('serviceDesk.rectifications.open')}</Tag>
              ),
          },
          {
            title: t('serviceDesk.rectifications.columns.note'),
            dataIndex: 'rectifyNote',
            render: (n) => n ?? '—',
          },
          ...(writable
            ? [
                {
                  title: t('serviceDesk.rectifications.columns.actions'),
                  width: 110,
                  render: (_: unknown, r: Rectification) =>
                    !r.rectifiedAt && (
                      <Button
                        type="link"
                        size="small"
                        onClick={() => setClosing(r)}
                        data-testid="rectification-close"
                      >
                        {t('serviceDesk.rectifications.close')}
                      </Button>
                    ),
                },
              ]
            : []),
        ],
      }}
    >
      {closing && (
        <CloseModal
          r={closing}
          onClose={() => setClosing(null)}
          onDone={() => {
            setClosing(null);
            void qc.invalidateQueries({ queryKey: ['rectifications'] });
          }}
        />
      )}
    </ListPage>
  );
}
