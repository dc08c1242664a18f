import type { Suggestion } from '@civicgrid/core/api/deliberationPublic';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Tag, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { useTrees } from '../cases/shared.js';

const day = (v: string) => new Date(v).toLocaleDateString('zh-CN');

/**
 * 居民建议、附议: what the residents of the jurisdiction suggested on the portal, most supported
 * first; the community turns one into a deliberation (转为议题) and it goes on from there.
 */
export function SuggestionsTab({ onOpen }: { onOpen: (deliberationId: string) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const trees = useTrees();
  const [proposing, setProposing] = useState<Suggestion | null>(null);
  // Its own URL names (s.q, s.page…): the deliberations tab reads q and status too.
  const list = usePagedList<Suggestion, 'q' | 'status' | 'orgUnitId' | 'sort'>({
    url: '/api/deliberation-suggestions',
    key: 'deliberation-suggestions',
    filters: ['q', 'status', 'orgUnitId', 'sort'],
    prefix: 's.',
  });
  return (
    <ListPage<Suggestion>
      title={t('participation.deliberations.suggestions.title')}
      testId="suggestions-page"
      list={list}
      empty={t('participation.deliberations.suggestions.empty')}
      totalText={(n) => t('participation.deliberations.suggestions.total', { count: n })}
      search={{
        filter: 'q',
        placeholder: t('participation.deliberations.suggestions.search'),
        width: 200,
        testId: 'suggestions-q',
      }}
      filters={
        <>
          <TreeSelect
            allowClear
            showSearch
            treeNodeFilterProp="title"
            placeholder={t('participation.deliberations.suggestions.community')}
            style={{ width: 180 }}
            treeData={trees.areas}
            value={list.filters.orgUnitId ? Number(list.filters.orgUnitId) : undefined}
            onChange={(v?: number) => list.setFilters({ orgUnitId: v === undefined ? undefined : String(v) })}
            data-testid="suggestions-unit"
          />
          <Select
            allowClear
            placeholder={t('participation.deliberations.suggestions.columns.status')}
            style={{ width: 120 }}
            value={list.filters.status}
            onChange={(v?: string) => list.setFilters({ status: v })}
            options={(['open', 'proposed'] as const).map((s) => ({
              value: s,
              label: t(`participation.deliberations.suggestions.states.${s}`),
            }))}
            data-testid="suggestions-status"
          />
          <Select
            style={{ width: 120 }}
            value={list.filters.sort ?? 'support'}
            onChange={(v: string) => list.setFilters({ sort: v === 'support' ? undefined : v })}
            options={(['support', 'recent'] as const).map((s) => ({
              value: s,
              label: t(`participation.deliberations.suggestions.sorts.${s}`),
            }))}
            data-testid="suggestions-sort"
          />
        </>
      }
      table={{
        rowKey: 'id',
        'data-testid': 'suggestions-table',
        scroll: { x: 960 },
        columns: [
          {
            title: t('participation.deliberations.suggestions.columns.title'),
            dataIndex: 'title',
            render: (v: string, s) => (
              <>
                <strong>{v}</strong>
                <Typography.Paragraph
                  type="secondary"
                  ellipsis={{ rows: 2, tooltip: s.body }}
                  style={{ margin: 0, fontSize: 12 }}
                >
                  {s.body}
                </Typography.Paragraph>
              </>
            ),
          },
          {
            title: t('participation.deliberations.suggestions.columns.community'),
            dataIndex: 'orgUnitName',
            width: 150,
          },
          {
            title: t('participation.deliberations.suggestions.columns.support'),
            dataIndex: 'supportCount',
            width: 90,
            align: 'right',
            render: (n: number) => <strong data-testid="suggestion-support">{n}</strong>,
          },
          {
            title: t('participation.deliberations.suggestions.columns.status'),
            dataIndex: 'status',
            width: 100,
            render: (v: Suggestion['status']) => (
              <Tag color={v === 'open' ? 'gold' : 'green'}>
                {t(`participation.deliberations.suggestions.states.${v}`)}
              </Tag>
            ),
          },
          {
            title: t('participation.deliberations.suggestions.columns.createdAt'),
            dataIndex: 'createdAt',
            width: 110,
            render: day,
          },
          {
            key: 'act',
            width: 110,
            render: (_, s) =>
              s.deliberationId ? (
                <Button
                  size="small"
                  type="link"
                  onClick={() => onOpen(s.deliberationId as string)}
                  data-testid="suggestion-view"
                >
                  {t('participation.deliberations.suggestions.view')}
                </Button>
              ) : (
                can('deliberation:manage') && (
                  <Button
                    size="small"
                    type="primary"
                    ghost
                    onClick={() => setProposing(s)}
                    data-testid="suggestion-propose"
                  >
                    {t('participation.deliberations.suggestions.propose')}
                  </Button>
                )
              ),
          },
        ],
      }}
    >
      {proposing && (
        <ProposeFromSuggestionModal
          suggestion={proposing}
          onClose={(id) => {
            setProposing(null);
            if (id) onOpen(id);
          }}
        />
      )}
    </ListPage>
  );
}

/** 转为议题: the suggestion's words as the proposal (staff may reword them) and who reviews. */
function ProposeFromSuggestionModal({
  suggestion: s,
  onClose,
}: {
  suggestion: Suggestion;
  onClose: (deliberationId?: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call('GET /api/departments') });
  const submit = async () => {
    const v = (await form.validateFields()) as {
      title: string;
      proposal: string;
      reviewDepartmentId?: number;
    };
    setBusy(true);
    try {
      const made = await call('POST /api/deliberation-suggestions/:id/actions/propose', {
        params: { id: s.id },
        body: {
          title: v.title.trim(),
          proposal: v.proposal.trim(),
          ...(v.reviewDepartmentId !== undefined ? { reviewDepartmentId: v.reviewDepartmentId } : {}),
        },
      });
      message.success(t('participation.deliberations.suggestions.proposed'));
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['deliberation-suggestions'] }),
        qc.invalidateQueries({ queryKey: ['deliberations'] }),
      ]);
      onClose(made.deliberationId);
    } catch (e) {
      if (!applyFieldErrors(form, e)) {
        message.error(errorMessage(e));
        // Proposed meanwhile by a colleague: the list shows it so.
        await qc.invalidateQueries({ queryKey: ['deliberation-suggestions'] });
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      width={600}
      title={t('participation.deliberations.suggestions.proposeTitle')}
      onCancel={() => onClose()}
      onOk={submit}
      okText={t('participation.deliberations.suggestions.propose')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'suggestion-propose-submit' }}
    >
      <Typography.Paragraph type="secondary">
        {t('participation.deliberations.suggestions.proposeHint', { title: s.title, count: s.supportCount })}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        data-testid="suggestion-propose-form"
        initialValues={{ title: s.title, proposal: s.body }}
      >
        <Form.Item
          name="title"
          label={t('participation.deliberations.columns.title')}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 2,
              max: 100,
              message: t('participation.deliberations.suggestions.titleRequired'),
            },
          ]}
        >
          <Input maxLength={100} showCount />
        </Form.Item>
        <Form.Item
          name="proposal"
          label={t('participation.deliberations.proposal')}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 5,
              max: 5000,
              message: t('participation.deliberations.suggestions.proposalRequired'),
            },
          ]}
        >
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Form.Item name="reviewDepartmentId" label={t('participation.deliberations.reviewDepartment')}>
          <Select
            allowClear
            placeholder={t('participation.deliberations.reviewByStreet')}
            loading={departments.isLoading}
            options={(departments.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
