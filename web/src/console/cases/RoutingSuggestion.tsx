import type { RoutingSuggestion } from '@civicgrid/core/api/routing';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Progress, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';

/** The stored (or, for an older case, freshly ranked) 智能派单 suggestion; dispatchers only. */
function useSuggestion(caseId: string) {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['routing-suggestion', caseId],
    queryFn: () => call('GET /api/cases/:id/routing-suggestion', { params: { id: caseId } }),
    enabled: can('case:dispatch'),
  });
}

function Candidates({ s, currentCode }: { s: RoutingSuggestion; currentCode?: string }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }} data-testid="routing-candidates">
      {s.candidates.map((c, i) => (
        <div key={c.categoryCode}>
          <Space size={6} wrap>
            <Typography.Text strong={i === 0}>{c.categoryName}</Typography.Text>
            <Typography.Text type="secondary">{c.categoryCode}</Typography.Text>
            {c.categoryCode === currentCode && <Tag>{t('cases.routing.current')}</Tag>}
          </Space>
          <Progress
            percent={Math.round(c.confidence * 100)}
            size="small"
            format={(p) => t('cases.routing.confidence', { value: p })}
          />
        </div>
      ))}
    </Space>
  );
}

/**
 * 采用建议: one click puts the case in the suggested category (the recategorise action; the
 * suggested department is then offered in the dispatch dialog). Shown only while the case may
 * still change category and the suggestion differs from it.
 */
function AdoptButton({
  caseId,
  code,
  name,
  onDone,
}: {
  caseId: string;
  code: string;
  name: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      type="primary"
      size="small"
      loading={busy}
      title={t('cases.routing.adoptTitle', { name })}
      data-testid="routing-adopt"
      onClick={async () => {
        setBusy(true);
        try {
          await call('POST /api/cases/:id/actions/:action', {
            params: { id: caseId, action: 'recategorise' },
            body: { categoryCode: code },
          });
          message.success(t('cases.routing.adopted', { name }));
          onDone();
        } catch (e) {
          message.error(errorMessage(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {t('cases.routing.adopt')}
    </Button>
  );
}

/** 智能派单 on the case page: the likeliest categories with their confidence and the department. */
export function RoutingSuggestionCard({
  caseId,
  currentCode,
  canRecategorise = false,
  onRecategorised = () => {},
}: {
  caseId: string;
  currentCode: string;
  canRecategorise?: boolean;
  onRecategorised?: () => void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const q = useSuggestion(caseId);
  if (!can('case:dispatch')) return null;
  const s = q.data;
  const top = s?.status === 'suggested' ? s.candidates[0] : undefined;
  return (
    <Card
      title={t('cases.routing.title')}
      size="small"
      data-testid="routing-suggestion"
      extra={
        canRecategorise &&
        top &&
        top.categoryCode !== currentCode && (
          <AdoptButton
            caseId={caseId}
            code={top.categoryCode}
            name={top.categoryName}
            onDone={onRecategorised}
          />
        )
      }
    >
      <QueryState loading={q.isLoading} error={q.error} onRetry={() => q.refetch()}>
        {s?.status === 'insufficientData' ? (
          <Typography.Text type="secondary" data-testid="routing-insufficient">
            {t('cases.routing.insufficient', { closed: s.closedCases, needed: s.needed })}
          </Typography.Text>
        ) : (
          s && (
            <Space orientation="vertical" size={8} style={{ width: '100%' }}>
              <Candidates s={s} currentCode={currentCode} />
              <Typography.Text data-testid="routing-department">
                {s.department
                  ? t('cases.routing.department', { name: s.department.name })
                  : t('cases.routing.noDepartment')}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {s.stored ? t('cases.routing.stored') : t('cases.routing.live')}
              </Typography.Text>
            </Space>
          )
        )}
      </QueryState>
    </Card>
  );
}

/**
 * The same suggestion inside the dispatch dialog: one click fills the assignee with the
 * suggested department (the dispatcher still confirms the dispatch).
 */
export function RoutingHint({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const { message } = App.useApp();
  const q = useSuggestion(caseId);
  const s = q.data;
  if (!s || s.status !== 'suggested' || s.candidates.length === 0) return null;
  const top = s.candidates[0];
  const dept = s.department;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="routing-hint"
      title={`${t('cases.routing.title')}：${top?.categoryName ?? ''}（${t('cases.routing.confidence', {
        value: Math.round((top?.confidence ?? 0) * 100),
      })}）`}
      action={
        dept && (
          <Button
            size="small"
            type="primary"
            data-testid="routing-apply"
            onClick={() => {
              form.setFieldsValue({ assignee: { kind: 'department', id: dept.id } });
              message.success(t('cases.routing.applied'));
            }}
          >
            {t('cases.routing.apply', { name: dept.name })}
          </Button>
        )
      }
    />
  );
}
