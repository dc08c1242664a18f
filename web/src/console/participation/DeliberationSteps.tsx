import type { DeliberationDetail } from '@civicgrid/core/api/deliberations';
import type { DeliberationStep } from '@civicgrid/core/participation/deliberation';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, InputNumber, Popconfirm, Radio, Space, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorMessage } from '../../common/api.js';
import { call } from '../../common/client.js';
import { CouncilAttendanceFields, useConveneCouncil } from './CouncilAttendance.js';

/** The next step's form: only the steps the server allows the user now. */
export function StepForms({ deliberation: d }: { deliberation: DeliberationDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState<DeliberationStep | null>(null);
  const [step, setStep] = useState<DeliberationStep | null>(null);
  const allowed = d.allowedActions;
  const council = useConveneCouncil(d, allowed.includes('convene'));
  if (!allowed.length) return null;
  // The step that moves it on: the vote after a quorate meeting, the meeting again after one short of it.
  const onward = (
    allowed.includes('vote') && d.meeting?.quorate === false ? 'convene' : allowed.at(-1)
  ) as DeliberationStep;
  const current = step && allowed.includes(step) ? step : onward;
  // 街道议事会: the meeting's attendance is taken member by member.
  const members = current === 'convene' ? council.data : null;
  const run = async (s: DeliberationStep) => {
    const v = (await form.validateFields()) as Record<string, unknown>;
    const body: Record<string, unknown> = { ...v };
    if (s === 'convene') body.at = (v.at as Dayjs).toISOString();
    if (s === 'convene' && members) {
      const present = [...new Set(v.attendeeMemberIds as string[])];
      Object.assign(body, {
        attendeeMemberIds: present,
        attendees: present.length,
        representatives: members.members.length,
      });
    }
    for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === '') delete body[k];
    setBusy(s);
    try {
      await call('POST /api/deliberations/:id/actions/:step', {
        params: { id: d.id, step: s },
        body: body as never,
      });
      message.success(t('participation.deliberations.done'));
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ['deliberations'] });
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const submit = (
    <Button
      type="primary"
      loading={busy === current}
      disabled={current === 'convene' && council.isLoading}
      onClick={() => run(current)}
      data-testid={`deliberation-${current}`}
    >
      {t(`participation.deliberations.steps.${current}`)}
    </Button>
  );
  return (
    <div style={{ marginTop: 16 }} data-testid="deliberation-steps">
      {allowed.length > 1 && (
        <Radio.Group
          value={current}
          onChange={(e) => setStep(e.target.value)}
          optionType="button"
          style={{ marginBottom: 8 }}
          options={allowed.map((s) => ({ value: s, label: t(`participation.deliberations.steps.${s}`) }))}
        />
      )}
      <Form form={form} layout="vertical" key={current} data-testid={`deliberation-form-${current}`}>
        {current === 'convene' && council.isLoading && <Spin size="small" />}
        {current === 'convene' && !council.isLoading && (
          <>
            <Form.Item
              name="at"
              label={t('participation.deliberations.form.at')}
              rules={[{ required: true }]}
              initialValue={dayjs()}
            >
              <DatePicker showTime format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            {members ? (
              <CouncilAttendanceFields council={members} deliberation={d} form={form} />
            ) : (
              <Space>
                <Form.Item
                  name="representatives"
                  label={t('participation.deliberations.form.representatives')}
                  rules={[{ required: true }]}
                  initialValue={d.meeting?.representatives}
                >
                  <InputNumber min={1} max={100000} data-testid="deliberation-representatives" />
                </Form.Item>
                <Form.Item
                  name="attendees"
                  label={t('participation.deliberations.form.attendees')}
                  rules={[{ required: true }]}
                >
                  <InputNumber min={0} max={100000} data-testid="deliberation-attendees" />
                </Form.Item>
              </Space>
            )}
            <Form.Item name="place" label={t('participation.deliberations.form.place')}>
              <Input maxLength={100} />
            </Form.Item>
          </>
        )}
        {current === 'vote' && (
          <>
            <Space>
              {(['for', 'against', 'abstain'] as const).map((k) => (
                <Form.Item
                  key={k}
                  name={k}
                  label={t(`participation.deliberations.form.${k}`)}
                  rules={[{ required: true }]}
                  initialValue={0}
                >
                  <InputNumber min={0} max={100000} data-testid={`deliberation-vote-${k}`} />
                </Form.Item>
              ))}
            </Space>
            <Form.Item name="note" label={t('participation.deliberations.decision')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        )}
        {current === 'implement' && (
          <Form.Item
            name="note"
            label={t('participation.deliberations.implementation')}
            rules={[{ required: true, min: 2, max: 2000 }]}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="deliberation-implement-note" />
          </Form.Item>
        )}
        {current === 'review' && (
          <>
            <Form.Item
              name="passed"
              label={t('participation.deliberations.review')}
              rules={[{ required: true }]}
            >
              <Radio.Group
                options={[
                  { value: true, label: t('participation.deliberations.reviewPassed') },
                  { value: false, label: t('participation.deliberations.reviewReturned') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="note"
              label={t('participation.deliberations.form.reviewNote')}
              rules={[{ required: true, min: 2, max: 2000 }]}
            >
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        )}
        {current === 'publish' && (
          <Form.Item name="note" label={t('participation.deliberations.form.publishNote')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        )}
      </Form>
      {current === 'publish' ? (
        <Popconfirm
          title={t('participation.deliberations.confirmPublish')}
          onConfirm={() => run('publish')}
          okButtonProps={{ 'data-testid': 'deliberation-confirm-publish' }}
        >
          <Button type="primary" loading={busy === 'publish'} data-testid="deliberation-publish">
            {t('participation.deliberations.steps.publish')}
          </Button>
        </Popconfirm>
      ) : (
        submit
      )}
    </div>
  );
}
