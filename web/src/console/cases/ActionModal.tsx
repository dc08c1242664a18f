import { ratingNames, ratings } from '@civicgrid/core/api/cases';
import type { CaseAction } from '@civicgrid/core/cases/stateMachine';
import { useQuery } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { applyFieldErrors, errorMessage, get, post } from '../../common/api.js';
import { PhotoUpload } from './PhotoUpload.js';

export const actionNames: Record<CaseAction, string> = {
  accept: '受理',
  reject: '不予受理',
  dispatch: '派遣',
  claim: '签收',
  note: '添加进展',
  resolve: '办结',
  verify: '核查',
  followUp: '回访',
  close: '结案',
  return: '退回',
  escalate: '上报上级',
  selfResolve: '自处置',
  supervise: '督办',
  requestExtension: '申请延期',
  approveExtension: '审批延期',
  merge: '合并',
  cancel: '撤销',
};

/** Destructive or final actions ask first. */
export const dangerActions: CaseAction[] = ['reject', 'cancel', 'merge', 'return'];

interface Assignees {
  departments: { id: number; name: string }[];
  units: { id: number; name: string; level: string }[];
  users: { id: string; name: string }[];
}

const levelNames: Record<string, string> = {
  district: '区',
  street: '街道',
  community: '社区',
  grid: '网格',
};

function AssigneeFields({ caseId }: { caseId: string }) {
  const form = Form.useFormInstance();
  const kind = Form.useWatch(['assignee', 'kind'], form) as 'department' | 'orgUnit' | 'user' | undefined;
  const choices = useQuery({
    queryKey: ['assignees', caseId],
    queryFn: () => get<Assignees>(`/api/cases/${caseId}/assignees`),
  });
  const options: { value: number | string; label: string }[] | undefined =
    kind === 'department'
      ? choices.data?.departments.map((d) => ({ value: d.id, label: d.name }))
      : kind === 'orgUnit'
        ? choices.data?.units.map((u) => ({
            value: u.id,
            label: `${u.name}（${levelNames[u.level] ?? u.level}）`,
          }))
        : choices.data?.users.map((u) => ({ value: u.id, label: u.name }));
  return (
    <>
      <Form.Item
        name={['assignee', 'kind']}
        label="派遣给"
        rules={[{ required: true, message: '请选择派遣对象类型' }]}
      >
        <Radio.Group
          onChange={() => form.setFieldValue(['assignee', 'id'], undefined)}
          options={[
            { value: 'department', label: '职能部门' },
            { value: 'orgUnit', label: '社区 / 网格' },
            { value: 'user', label: '指定人员' },
          ]}
        />
      </Form.Item>
      <Form.Item
        name={['assignee', 'id']}
        label="承办对象"
        rules={[{ required: true, message: '请选择承办对象' }]}
      >
        <Select
          showSearch
          optionFilterProp="label"
          loading={choices.isLoading}
          options={options ?? []}
          disabled={!kind}
          data-testid="dispatch-target"
          placeholder={kind ? '请选择' : '先选择类型'}
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
  const text = (name: string, label: string, required = true, rows = 3) => (
    <Form.Item
      name={name}
      label={label}
      rules={required ? [{ required: true, message: `请填写${label}` }] : []}
    >
      <Input.TextArea rows={rows} maxLength={1000} showCount data-testid={`field-${name}`} />
    </Form.Item>
  );
  const photos = (name = 'attachmentIds', label = '照片') => (
    <Form.Item name={name} label={label}>
      <PhotoUpload testId={`field-${name}`} />
    </Form.Item>
  );
  const deadline = (name: string, label: string, required: boolean) => (
    <Form.Item
      name={name}
      label={label}
      rules={required ? [{ required: true, message: `请选择${label}` }] : []}
    >
      <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
    </Form.Item>
  );
  switch (action) {
    case 'accept':
    case 'claim':
    case 'close':
      return text('note', '备注', false, 2);
    case 'reject':
      return text('reason', '不予受理理由');
    case 'return':
      return text('reason', '退回理由');
    case 'escalate':
      return text('reason', '上报理由');
    case 'cancel':
      return text('reason', '撤销理由');
    case 'dispatch':
      return (
        <>
          <AssigneeFields caseId={caseId} />
          {text('instructions', '派遣意见', false, 2)}
          {deadline('deadline', '办理时限（不填按分类默认）', false)}
        </>
      );
    case 'note':
      return (
        <>
          {text('note', '进展情况')}
          {photos()}
        </>
      );
    case 'resolve':
      return (
        <>
          {text('result', '处置结果')}
          {photos('attachmentIds', '处置后照片')}
        </>
      );
    case 'selfResolve':
      return (
        <>
          {text('result', '处置结果')}
          {photos('beforeAttachmentIds', '处置前照片')}
          {photos('afterAttachmentIds', '处置后照片')}
        </>
      );
    case 'verify':
      return (
        <>
          <Form.Item name="passed" label="核查结论" rules={[{ required: true, message: '请选择核查结论' }]}>
            <Radio.Group
              options={[
                { value: true, label: '通过' },
                { value: false, label: '不通过（返工）' },
              ]}
              data-testid="field-passed"
            />
          </Form.Item>
          {text('note', '核查意见', false, 2)}
          {photos()}
        </>
      );
    case 'followUp':
      return (
        <>
          <Form.Item name="rating" label="群众评价" rules={[{ required: true, message: '请选择评价' }]}>
            <Radio.Group
              options={ratings.map((r) => ({ value: r, label: ratingNames[r] }))}
              data-testid="field-rating"
            />
          </Form.Item>
          {text('comment', '回访记录', false, 2)}
        </>
      );
    case 'supervise':
      return (
        <>
          {text('order', '督办意见')}
          {deadline('deadline', '督办时限', true)}
        </>
      );
    case 'requestExtension':
      return (
        <>
          {text('reason', '延期理由')}
          {deadline('until', '延期至', true)}
        </>
      );
    case 'approveExtension':
      return (
        <>
          <Form.Item name="approved" label="审批结果" initialValue={true}>
            <Radio.Group
              options={[
                { value: true, label: '同意' },
                { value: false, label: '不同意' },
              ]}
            />
          </Form.Item>
          {text('note', '意见', false, 2)}
        </>
      );
    case 'merge':
      return (
        <>
          <Form.Item
            name="intoCaseId"
            label="合并到"
            rules={[{ required: true, message: '请选择要合并到的事件' }]}
          >
            <Select
              options={duplicates.map((d) => ({ value: d.id, label: `${d.code} ${d.description}` }))}
              notFoundContent="附近没有疑似重复的事件"
            />
          </Form.Item>
          {text('note', '说明', false, 2)}
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
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const submit = async (values: Record<string, unknown>) => {
    if (!action) return;
    const body: Record<string, unknown> = { ...values };
    for (const k of ['deadline', 'until']) if (body[k]) body[k] = iso(body[k] as Dayjs);
    for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === '') delete body[k];
    setBusy(true);
    try {
      await post(`/api/cases/${caseId}/actions/${action}`, body);
      message.success(`${actionNames[action]}成功`);
      form.resetFields();
      onClose(true);
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={action !== null}
      title={action ? actionNames[action] : ''}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText="提交"
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
  const [form] = Form.useForm();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const first = caseIds[0];
  return (
    <Modal
      open={open}
      title={`批量派遣（${caseIds.length} 件）`}
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
            const r = await post<{ succeeded: string[]; failed: { code: string; message: string }[] }>(
              '/api/cases/batch-dispatch',
              { caseIds, assignee: v.assignee, instructions: v.instructions || undefined },
            );
            if (r.failed.length)
              modal.warning({
                title: `已派遣 ${r.succeeded.length} 件，${r.failed.length} 件未能派遣`,
                content: r.failed.map((f) => f.message).join('；'),
              });
            else message.success(`已派遣 ${r.succeeded.length} 件`);
            onClose(true);
          } catch (e) {
            message.error(errorMessage(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {first && <AssigneeFields caseId={first} />}
        <Form.Item name="instructions" label="派遣意见">
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
