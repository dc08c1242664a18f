import { type CaseDetail, ratings } from '@civicgrid/core/api/cases';
import { type CaseAction, caseStateNames } from '@civicgrid/core/cases/stateMachine';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Modal, Radio, Select, TreeSelect } from 'antd';
import type { Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, refusalMessage } from '../../common/api.js';
import { type Body, call } from '../../common/client.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { PropertyHint } from '../participation/PropertyHint.js';
import { PhotoUpload } from './PhotoUpload.js';
import { RoutingHint } from './RoutingSuggestion.js';
import { categoryTree, useCategories } from './shared.js';

/** 改类: a minor category of the taxonomy (the routing suggestion has its own one-click button). */
function CategoryField() {
  const { t } = useTranslation();
  const categories = useCategories();
  const tree = useMemo(() => categoryTree(categories.data?.items ?? [], true), [categories.data]);
  return (
    <Form.Item
      name="categoryCode"
      label={t('cases.action.category')}
      rules={[
        { required: true, message: t('cases.action.requiredPick', { label: t('cases.action.category') }) },
      ]}
    >
      <TreeSelect
        showSearch
        treeNodeFilterProp="title"
        loading={categories.isLoading}
        treeData={tree}
        data-testid="case-recategorise-category"
      />
    </Form.Item>
  );
}

/** The action's button label: the trail's term, or a fuller one where that would mislead. */
export function actionLabel(t: TFunction, action: CaseAction): string {
  return t(`cases.actionButtons.${action}`, { defaultValue: t(`cases.actions.${action}`) });
}

/** What the action did, told after it succeeded, from the case as the server now has it. */
function doneMessage(
  t: TFunction,
  lang: 'zh' | 'en',
  action: CaseAction,
  body: Record<string, unknown>,
  after: CaseDetail,
): string {
  const vars = { state: caseStateNames[after.status][lang], unit: after.handlingUnitName };
  if (action === 'verify')
    return t(body.passed ? 'cases.done.verifyPassed' : 'cases.done.verifyFailed', vars);
  if (action === 'approveExtension')
    return t(
      body.approved === false ? 'cases.done.approveExtensionRefused' : 'cases.done.approveExtensionApproved',
      vars,
    );
  return t(`cases.done.${action}`, vars);
}

/** Destructive or final actions ask first. */
export const dangerActions: CaseAction[] = ['reject', 'cancel', 'merge', 'return'];

/**
 * 派遣对象: a department, a unit at or below the handling unit, or a person who can
 * handle cases there — people are searched by name on the server (a street has hundreds).
 */
function AssigneeFields({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const kind = Form.useWatch(['assignee', 'kind'], form) as 'department' | 'orgUnit' | 'user' | undefined;
  const [term, setTerm] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(term.trim()), 300);
    return () => clearTimeout(timer);
  }, [term]);
  const choices = useQuery({
    queryKey: ['assignees', caseId, kind === 'user' ? query : ''],
    queryFn: () =>
      call('GET /api/cases/:id/assignees', {
        params: { id: caseId },
        query: { q: kind === 'user' && query ? query : undefined },
      }),
    placeholderData: keepPreviousData,
  });
  const options: { value: number | string; label: string }[] | undefined =
    kind === 'department'
      ? choices.data?.departments.map((d) => ({ value: d.id, label: d.name }))
      : kind === 'orgUnit'
        ? choices.data?.units.map((u) => ({
            value: u.id,
            label: t('cases.action.unitWithLevel', {
              name: u.name,
              level: t(`level.${u.level}`, { defaultValue: u.level }),
            }),
          }))
        : choices.data?.users.map((u) => ({
            value: u.id,
            label: u.unitName ? t('cases.action.personOf', { name: u.name, unit: u.unitName }) : u.name,
          }));
  return (
    <>
      <Form.Item
        name={['assignee', 'kind']}
        label={t('cases.action.dispatchTo')}
        rules={[{ required: true, message: t('cases.action.dispatchToRequired') }]}
      >
        <Radio.Group
          onChange={() => {
            form.setFieldValue(['assignee', 'id'], undefined);
            setTerm('');
          }}
          options={[
            { value: 'department', label: t('cases.action.kindDepartment') },
            { value: 'orgUnit', label: t('cases.action.kindOrgUnit') },
            { value: 'user', label: t('cases.action.kindUser') },
          ]}
        />
      </Form.Item>
      <Form.Item
        name={['assignee', 'id']}
        label={t('cases.action.target')}
        rules={[{ required: true, message: t('cases.action.targetRequired') }]}
        extra={kind === 'user' ? t('cases.action.personHint') : undefined}
      >
        <Select
          showSearch
          {...(kind === 'user'
            ? { filterOption: false, onSearch: setTerm, searchValue: term }
            : { optionFilterProp: 'label' })}
          loading={choices.isFetching}
          options={options ?? []}
          disabled={!kind}
          data-testid="dispatch-target"
          placeholder={
            kind === 'user'
              ? t('cases.action.searchPerson')
              : kind
                ? t('cases.action.select')
                : t('cases.action.selectKindFirst')
          }
        />
      </Form.Item>
    </>
  );
}

const iso = (d: Dayjs | undefined) => (d ? d.toDate().toISOString() : undefined);

function Fields({
  action,
  caseId,
  duplicates,
}: {
  action: CaseAction;
  caseId: string;
  duplicates: { id: string; code: string; description: string }[];
}) {
  const { t } = useTranslation();
  const text = (name: string, label: string, required = true, rows = 3) => (
    <Form.Item
      name={name}
      label={label}
      rules={required ? [{ required: true, message: t('cases.action.required', { label }) }] : []}
    >
      <Input.TextArea rows={rows} maxLength={1000} showCount data-testid={`field-${name}`} />
    </Form.Item>
  );
  const photos = (name = 'attachmentIds', label = t('cases.action.photos')) => (
    <Form.Item name={name} label={label}>
      <PhotoUpload testId={`field-${name}`} />
    </Form.Item>
  );
  const deadline = (name: string, label: string, required: boolean) => (
    <Form.Item
      name={name}
      label={label}
      rules={required ? [{ required: true, message: t('cases.action.requiredPick', { label }) }] : []}
    >
      <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
    </Form.Item>
  );
  switch (action) {
    case 'accept':
    case 'claim':
    case 'close':
      return text('note', t('cases.action.note'), false, 2);
    case 'reject':
      return text('reason', t('cases.action.rejectReason'));
    case 'return':
      return text('reason', t('cases.action.returnReason'));
    case 'escalate':
      return text('reason', t('cases.action.escalateReason'));
    case 'cancel':
      return text('reason', t('cases.action.cancelReason'));
    case 'recategorise':
      return (
        <>
          <CategoryField />
          {text('note', t('cases.action.note'), false, 2)}
        </>
      );
    case 'dispatch':
      return (
        <>
          <RoutingHint caseId={caseId} />
          <PropertyHint caseId={caseId} />
          <AssigneeFields caseId={caseId} />
          {text('instructions', t('cases.action.instructions'), false, 2)}
          {deadline('deadline', t('cases.action.deadline'), false)}
        </>
      );
    case 'note':
      return (
        <>
          {text('note', t('cases.action.progress'))}
          {photos()}
        </>
      );
    case 'resolve':
      return (
        <>
          {text('result', t('cases.action.result'))}
          {photos('attachmentIds', t('cases.action.photosAfter'))}
        </>
      );
    case 'selfResolve':
      return (
        <>
          {text('result', t('cases.action.result'))}
          {photos('beforeAttachmentIds', t('cases.action.photosBefore'))}
          {photos('afterAttachmentIds', t('cases.action.photosAfter'))}
        </>
      );
    case 'verify':
      return (
        <>
          <Form.Item
            name="passed"
            label={t('cases.action.verification')}
            rules={[{ required: true, message: t('cases.action.verificationRequired') }]}
          >
            <Radio.Group
              options={[
                { value: true, label: t('cases.action.passed') },
                { value: false, label: t('cases.action.failed') },
              ]}
              data-testid="field-passed"
            />
          </Form.Item>
          {text('note', t('cases.action.verifyNote'), false, 2)}
          {photos()}
        </>
      );
    case 'followUp':
      return (
        <>
          <Form.Item
            name="rating"
            label={t('cases.action.rating')}
            rules={[{ required: true, message: t('cases.action.ratingRequired') }]}
          >
            <Radio.Group
              options={ratings.map((r) => ({ value: r, label: t(`cases.ratings.${r}`) }))}
              data-testid="field-rating"
            />
          </Form.Item>
          {text('comment', t('cases.action.followUpNote'), false, 2)}
        </>
      );
    case 'supervise':
      return (
        <>
          {text('order', t('cases.action.superviseOrder'))}
          {deadline('deadline', t('cases.action.superviseDeadline'), true)}
        </>
      );
    case 'requestExtension':
      return (
        <>
          {text('reason', t('cases.action.extensionReason'))}
          {deadline('until', t('cases.action.extendUntil'), true)}
        </>
      );
    case 'approveExtension':
      return (
        <>
          <Form.Item name="approved" label={t('cases.action.approval')} initialValue={true}>
            <Radio.Group
              options={[
                { value: true, label: t('cases.action.approve') },
                { value: false, label: t('cases.action.refuse') },
              ]}
            />
          </Form.Item>
          {text('note', t('cases.action.comment'), false, 2)}
        </>
      );
    case 'merge':
      return (
        <>
          <Form.Item
            name="intoCaseId"
            label={t('cases.action.mergeInto')}
            rules={[{ required: true, message: t('cases.action.mergeIntoRequired') }]}
          >
            <Select
              options={duplicates.map((d) => ({ value: d.id, label: `${d.code} ${d.description}` }))}
              notFoundContent={t('cases.action.noDuplicates')}
            />
          </Form.Item>
          {text('note', t('cases.action.explanation'), false, 2)}
        </>
      );
  }
}

/** One modal for every workflow action: the right fields, server errors on them, then refresh. */
export function ActionModal({
  action,
  caseId,
  duplicates,
  onClose,
}: {
  action: CaseAction | null;
  caseId: string;
  duplicates: { id: string; code: string; description: string }[];
  onClose: (done: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const { send, busy } = useFormSubmit(
    form,
    ({ action, body }: { action: CaseAction; body: Record<string, unknown> }) =>
      call('POST /api/cases/:id/actions/:action', {
        params: { id: caseId, action },
        // The form's fields are the action's; the server checks them against its schema.
        body: body as Body<'POST /api/cases/:id/actions/:action'>,
      }),
    {
      success: (after, { action, body }) =>
        doneMessage(t, i18n.language === 'en-US' ? 'en' : 'zh', action, body, after),
      onDone: () => {
        form.resetFields();
        onClose(true);
      },
    },
  );
  const submit = (values: Record<string, unknown>) => {
    if (!action) return;
    const body: Record<string, unknown> = { ...values };
    for (const k of ['deadline', 'until']) if (body[k]) body[k] = iso(body[k] as Dayjs);
    for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === '') delete body[k];
    void send({ action, body });
  };
  return (
    <Modal
      open={action !== null}
      title={action ? actionLabel(t, action) : ''}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText={t('cases.action.submit')}
      okButtonProps={{
        'data-testid': 'case-action-submit',
        danger: action ? dangerActions.includes(action) : false,
      }}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        {action && <Fields action={action} caseId={caseId} duplicates={duplicates} />}
      </Form>
    </Modal>
  );
}

/** Several accepted cases to one assignee; each case that fails is listed with its reason. */
export function BatchDispatchModal({
  open,
  caseIds,
  onClose,
}: {
  open: boolean;
  caseIds: string[];
  onClose: (done: boolean) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const first = caseIds[0];
  return (
    <Modal
      open={open}
      title={t('cases.batch.title', { count: caseIds.length })}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v: { assignee: unknown; instructions?: string }) => {
          setBusy(true);
          try {
            const r = await call('POST /api/cases/batch-dispatch', {
              body: {
                caseIds,
                assignee: v.assignee as Body<'POST /api/cases/batch-dispatch'>['assignee'],
                instructions: v.instructions || undefined,
              },
            });
            if (r.failed.length)
              modal.warning({
                title: t('cases.batch.partial', { ok: r.succeeded.length, failed: r.failed.length }),
                content: r.failed.map(refusalMessage).join(t('cases.batch.separator')),
              });
            else message.success(t('cases.batch.done', { count: r.succeeded.length }));
            onClose(true);
          } catch (e) {
            message.error(errorMessage(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {first && <AssigneeFields caseId={first} />}
        <Form.Item name="instructions" label={t('cases.action.instructions')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
