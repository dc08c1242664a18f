import { commentHideReasons } from '@civicgrid/core/participation/councils';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call, type Reply } from '../../common/client.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

type Comment = Reply<'GET /api/deliberations/:id/comments'>['items'][number];
const when = (v: string) => new Date(v).toLocaleString('zh-CN', { hour12: false });
const pageSize = 10;

/**
 * 居民群众全程监督, as the staff see it: the residents' comments on the public page, hidden ones
 * too (greyed, with why); those who manage deliberations hide an abusive one, with a reason.
 */
export function DeliberationComments({ deliberationId }: { deliberationId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [page, setPage] = useState(1);
  const [hiding, setHiding] = useState<Comment | null>(null);
  const comments = useQuery({
    queryKey: ['deliberations', 'comments', deliberationId, page],
    queryFn: () =>
      call('GET /api/deliberations/:id/comments', {
        params: { id: deliberationId },
        query: { page, pageSize },
      }),
  });
  const moderate = can('deliberation:manage');
  return (
    <>
      <h4 style={{ marginTop: 16 }}>
        {t('participation.deliberations.comments.title')}
        {comments.data ? `（${comments.data.total}）` : ''}
      </h4>
      {comments.error ? (
        <Typography.Text type="danger">{errorMessage(comments.error)}</Typography.Text>
      ) : (
        <Table<Comment>
          size="small"
          rowKey="id"
          showHeader={false}
          data-testid="deliberation-comments"
          loading={comments.isFetching}
          dataSource={comments.data?.items ?? []}
          locale={{ emptyText: t('participation.deliberations.comments.empty') }}
          pagination={
            (comments.data?.total ?? 0) > pageSize && {
              current: page,
              pageSize,
              total: comments.data?.total ?? 0,
              size: 'small',
              onChange: setPage,
              showTotal: (n) => t('participation.deliberations.comments.total', { count: n }),
            }
          }
          columns={[
            {
              key: 'body',
              render: (_, c) => (
                <div
                  data-testid="deliberation-comment"
                  data-hidden={c.hidden}
                  style={c.hidden ? { color: '#aaa' } : undefined}
                >
                  <div
                    style={{ whiteSpace: 'pre-wrap', textDecoration: c.hidden ? 'line-through' : undefined }}
                  >
                    {c.body}
                  </div>
                  <div style={{ fontSize: 12, color: '#999', marginTop: 2 }}>
                    {when(c.at)}
                    {c.hidden && (
                      <>
                        {' '}
                        <Tag data-testid="comment-hidden-tag">
                          {t('participation.deliberations.comments.hidden')}
                          {c.hiddenReason &&
                            `：${t(`participation.deliberations.comments.reasons.${c.hiddenReason}`)}`}
                        </Tag>
                        {c.hiddenNote}
                      </>
                    )}
                  </div>
                </div>
              ),
            },
            ...(moderate
              ? [
                  {
                    key: 'act',
                    width: 64,
                    render: (_: unknown, c: Comment) =>
                      !c.hidden && (
                        <Button
                          size="small"
                          type="link"
                          danger
                          onClick={() => setHiding(c)}
                          data-testid="comment-hide"
                        >
                          {t('participation.deliberations.comments.hide')}
                        </Button>
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {hiding && (
        <HideCommentModal deliberationId={deliberationId} comment={hiding} onClose={() => setHiding(null)} />
      )}
    </>
  );
}

/** 屏蔽评论: the reason (a code, for the audit trail) and a note; the dialog is the confirmation. */
function HideCommentModal({
  deliberationId,
  comment,
  onClose,
}: {
  deliberationId: string;
  comment: Comment;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const { submit, busy } = useFormSubmit(
    form,
    (v: { reason: (typeof commentHideReasons)[number]; note?: string }) =>
      call('POST /api/deliberations/:id/comments/:commentId/actions/hide', {
        params: { id: deliberationId, commentId: comment.id },
        body: { reason: v.reason, ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
      }),
    {
      success: t('participation.deliberations.comments.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['deliberations', 'comments', deliberationId] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.deliberations.comments.hideTitle')}
      onCancel={onClose}
      onOk={submit}
      okText={t('participation.deliberations.comments.hideConfirm')}
      okButtonProps={{ danger: true, 'data-testid': 'comment-hide-submit' }}
      confirmLoading={busy}
    >
      <Typography.Paragraph type="secondary">
        {t('participation.deliberations.comments.hideHint')}
      </Typography.Paragraph>
      <blockquote
        style={{
          margin: '0 0 16px',
          padding: '8px 12px',
          background: '#fafafa',
          borderLeft: '3px solid #ddd',
        }}
      >
        {comment.body}
      </blockquote>
      <Form form={form} layout="vertical" data-testid="comment-hide-form">
        <Form.Item
          name="reason"
          label={t('participation.deliberations.comments.reason')}
          rules={[{ required: true, message: t('participation.deliberations.comments.reasonRequired') }]}
        >
          <Select
            data-testid="comment-hide-reason"
            options={commentHideReasons.map((r) => ({
              value: r,
              label: t(`participation.deliberations.comments.reasons.${r}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('participation.deliberations.comments.note')}>
          <Input maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
