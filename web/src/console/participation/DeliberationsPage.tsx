import type { DeliberationSummary } from '@civicgrid/core/api/deliberations';
import { deliberationStates } from '@civicgrid/core/participation/deliberation';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Form, Input, Modal, Select, Tabs, Tag, Timeline, TreeSelect } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { DetailDrawer } from '../common/DetailDrawer.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { DeliberationComments } from './DeliberationComments.js';
import { StepForms } from './DeliberationSteps.js';
import { SuggestionsTab } from './DeliberationSuggestions.js';
import { useDefaultUnit } from './defaultUnit.js';

type State = DeliberationSummary['status'];
const stateColors: Record<State, string> = {
  proposed: 'gold',
  convened: 'blue',
  adopted: 'cyan',
  rejected: 'red',
  implemented: 'purple',
  reviewed: 'green',
  published: 'default',
};
const when = (v: string) => new Date(v).toLocaleString('zh-CN', { hour12: false });

function StateTag({ state }: { state: State }) {
  const { t } = useTranslation();
  return <Tag color={stateColors[state]}>{t(`participation.deliberations.states.${state}`)}</Tag>;
}

/**
 * 议事协商 (五步民主议事): the deliberations of the user's area — proposed by the party branch,
 * decided at the representatives' meeting, implemented by the committee, reviewed by the
 * department, published for residents to follow — and the residents' suggestions they may
 * come from. Both tabs open a deliberation in the one drawer.
 */
export default function DeliberationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'suggestions' ? 'suggestions' : 'deliberations';
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <Tabs
        activeKey={tab}
        // A tab starts on its first page, without the other tab's filters.
        onChange={(k) => setParams(k === 'suggestions' ? { tab: k } : {})}
        destroyOnHidden
        items={[
          {
            key: 'deliberations',
            label: t('participation.deliberations.listTab'),
            children: <DeliberationList onOpen={setOpen} />,
          },
          {
            key: 'suggestions',
            label: t('participation.deliberations.suggestionsTab'),
            children: <SuggestionsTab onOpen={setOpen} />,
          },
        ]}
      />
      <DeliberationDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}

function DeliberationList({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [proposing, setProposing] = useState(false);
  const list = usePagedList<DeliberationSummary, 'status' | 'q'>({
    url: '/api/deliberations',
    key: 'deliberations',
    filters: ['status', 'q'],
  });
  return (
    <ListPage<DeliberationSummary>
      title={t('participation.deliberations.title')}
      testId="deliberations-page"
      list={list}
      empty={t('participation.deliberations.empty')}
      totalText={(n) => t('participation.deliberations.total', { count: n })}
      actions={
        can('deliberation:manage') && (
          <Button type="primary" onClick={() => setProposing(true)} data-testid="deliberations-propose">
            {t('participation.deliberations.propose')}
          </Button>
        )
      }
      search={{
        filter: 'q',
        placeholder: t('participation.deliberations.search'),
        width: 200,
        testId: 'deliberations-q',
      }}
      filters={
        <Select
          allowClear
          placeholder={t('participation.deliberations.columns.status')}
          style={{ width: 130 }}
          value={list.filters.status}
          onChange={(v?: string) => list.setFilters({ status: v })}
          options={deliberationStates.map((s) => ({
            value: s,
            label: t(`participation.deliberations.states.${s}`),
          }))}
          data-testid="deliberations-status"
        />
      }
      table={{
        rowKey: 'id',
        'data-testid': 'deliberations-table',
        scroll: { x: 960 },
        onRow: (d) => ({ onClick: () => onOpen(d.id), style: { cursor: 'pointer' } }),
        columns: [
          {
            title: t('participation.deliberations.columns.title'),
            dataIndex: 'title',
            render: (v: string) => (
              <Button type="link" size="small" style={{ padding: 0 }} data-testid="deliberation-open">
                {v}
              </Button>
            ),
          },
          { title: t('participation.deliberations.columns.unit'), dataIndex: 'orgUnitName', width: 160 },
          {
            title: t('participation.deliberations.columns.status'),
            dataIndex: 'status',
            width: 90,
            render: (v: State) => <StateTag state={v} />,
          },
          {
            title: t('participation.deliberations.columns.meeting'),
            key: 'meeting',
            width: 150,
            render: (_, d) =>
              d.meeting
                ? t('participation.deliberations.attendance', {
                    attendees: d.meeting.attendees,
                    representatives: d.meeting.representatives,
                  })
                : '—',
          },
          {
            title: t('participation.deliberations.columns.vote'),
            key: 'vote',
            width: 170,
            render: (_, d) =>
              d.vote ? t('participation.deliberations.voteShort', { ...d.vote, forCount: d.vote.for }) : '—',
          },
          {
            title: t('participation.deliberations.columns.updatedAt'),
            dataIndex: 'updatedAt',
            width: 150,
            render: when,
          },
        ],
      }}
    >
      {proposing && (
        <ProposeModal
          onClose={(id) => {
            setProposing(false);
            if (id) onOpen(id);
          }}
        />
      )}
    </ListPage>
  );
}

function DeliberationDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['deliberations', 'detail', id],
    queryFn: () => call('GET /api/deliberations/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  return (
    <DetailDrawer
      id={id}
      onClose={onClose}
      detail={detail}
      width={600}
      title={t('participation.deliberations.detail')}
      testId="deliberation-drawer"
    >
      {(d) => (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('participation.deliberations.columns.title')}>
              {d.title}
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.deliberations.columns.status')}>
              <span data-testid="deliberation-status">
                <StateTag state={d.status} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.deliberations.proposal')}>
              <div style={{ whiteSpace: 'pre-wrap' }}>{d.proposal}</div>
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.deliberations.columns.unit')}>
              {d.orgUnitName}
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.deliberations.proposedBy')}>
              {d.proposedByName ?? '—'}
            </Descriptions.Item>
            {d.suggestion && (
              <Descriptions.Item label={t('participation.deliberations.fromSuggestion')}>
                <span data-testid="deliberation-suggestion">
                  {t('participation.deliberations.fromSuggestionText', {
                    title: d.suggestion.title,
                    count: d.suggestion.supportCount,
                  })}
                </span>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('participation.deliberations.rules')}>
              {t('participation.deliberations.rulesText', {
                q: `${d.rules.quorum.numerator}/${d.rules.quorum.denominator}`,
                m: `${d.rules.majority.numerator}/${d.rules.majority.denominator}`,
                of: t(`participation.deliberations.majorityOf.${d.rules.majorityOf}`),
              })}
            </Descriptions.Item>
            <Descriptions.Item label={t('participation.deliberations.reviewDepartment')}>
              {d.reviewDepartmentName ?? t('participation.deliberations.reviewByStreet')}
            </Descriptions.Item>
            {d.meeting && (
              <Descriptions.Item
                label={t(
                  `participation.deliberations.${d.attendance ? 'councilMeeting' : 'columns.meeting'}`,
                )}
              >
                <span data-testid="deliberation-meeting">
                  {when(d.meeting.at)} {d.meeting.place ?? ''}{' '}
                  {t('participation.deliberations.attendance', {
                    attendees: d.meeting.attendees,
                    representatives: d.meeting.representatives,
                  })}{' '}
                  {d.meeting.quorate ? (
                    <Tag color="green">{t('participation.deliberations.quorate')}</Tag>
                  ) : (
                    <Tag color="red">
                      {t('participation.deliberations.notQuorate', { quorum: d.meeting.quorum })}
                    </Tag>
                  )}
                </span>
              </Descriptions.Item>
            )}
            {d.attendance && (
              <Descriptions.Item label={t('participation.deliberations.councilAttendance')}>
                <span data-testid="deliberation-attendance">
                  {d.attendance.map((a) => (
                    <Tag key={a.memberId}>{a.name}</Tag>
                  ))}
                </span>
              </Descriptions.Item>
            )}
            {d.vote && (
              <Descriptions.Item label={t('participation.deliberations.columns.vote')}>
                <span data-testid="deliberation-vote">
                  {t('participation.deliberations.voteLong', { ...d.vote, forCount: d.vote.for })}{' '}
                  <Tag color={d.vote.passed ? 'green' : 'red'}>
                    {t(`participation.deliberations.${d.vote.passed ? 'passed' : 'failed'}`)}
                  </Tag>
                </span>
              </Descriptions.Item>
            )}
            {d.decision && (
              <Descriptions.Item label={t('participation.deliberations.decision')}>
                {d.decision}
              </Descriptions.Item>
            )}
            {d.implementation && (
              <Descriptions.Item label={t('participation.deliberations.implementation')}>
                {d.implementation}
              </Descriptions.Item>
            )}
            {d.review && (
              <Descriptions.Item label={t('participation.deliberations.review')}>
                <Tag color={d.review.passed ? 'green' : 'orange'}>
                  {t(`participation.deliberations.${d.review.passed ? 'reviewPassed' : 'reviewReturned'}`)}
                </Tag>
                {d.review.note}
              </Descriptions.Item>
            )}
            {d.publishedAt && (
              <Descriptions.Item label={t('participation.deliberations.publishedAt')}>
                {when(d.publishedAt)}
              </Descriptions.Item>
            )}
          </Descriptions>
          <StepForms deliberation={d} />
          <DeliberationComments deliberationId={d.id} />
          <h4 style={{ marginTop: 16 }}>{t('participation.deliberations.trail')}</h4>
          <Timeline
            data-testid="deliberation-trail"
            items={d.events.map((e) => ({
              children: (
                <>
                  <strong>{t(`participation.deliberations.eventNames.${e.action}`, e.action)}</strong>{' '}
                  {e.actorName ?? ''} · {when(e.at)}
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

/** 党支部提出建议: the proposal, the body that decides it, and who reviews. */
function ProposeModal({ onClose }: { onClose: (id?: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useDefaultUnit(form);
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call('GET /api/departments') });
  const { submit, busy } = useFormSubmit(
    form,
    (v: { title: string; proposal: string; orgUnitId: number; reviewDepartmentId?: number }) =>
      call('POST /api/deliberations', { body: v }),
    {
      success: t('participation.deliberations.done'),
      onDone: async (created) => {
        await qc.invalidateQueries({ queryKey: ['deliberations'] });
        onClose(created.id);
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.deliberations.propose')}
      onCancel={() => onClose()}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'deliberation-propose-submit' }}
    >
      <Form form={form} layout="vertical" data-testid="deliberation-propose-form">
        <Form.Item
          name="title"
          label={t('participation.deliberations.columns.title')}
          rules={[{ required: true, min: 2, max: 100 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="proposal"
          label={t('participation.deliberations.proposal')}
          rules={[{ required: true, min: 5, max: 5000 }]}
        >
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Form.Item
          name="orgUnitId"
          label={t('participation.deliberations.form.unit')}
          rules={[{ required: true }]}
          initialValue={trees.root}
        >
          <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.areas} />
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
