import type { DeliberationDetail } from '@civicgrid/core/api/deliberations';
import { councilMemberCategories } from '@civicgrid/core/participation/councils';
import { quorumOf } from '@civicgrid/core/participation/deliberation';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, type FormInstance, InputNumber, Space, Tag } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type Reply } from '../../common/client.js';

export type Council = Reply<'GET /api/street-councils/:id'>;

/**
 * The street council whose members are a street-level deliberation's representatives, as the
 * server picks it (councils.ts `councilConvene`): the council of the deliberation's own unit
 * when that unit is a street, and only while it has members. Null for a community's
 * deliberation (no council has its unit as street) or a street without a council or members:
 * the counts are then typed in, as for a 居民代表会议.
 */
export function useConveneCouncil(d: DeliberationDetail, enabled: boolean) {
  return useQuery({
    queryKey: ['street-councils', 'for-unit', d.orgUnitId],
    queryFn: async (): Promise<Council | null> => {
      const list = await call('GET /api/street-councils', { query: { orgUnitId: d.orgUnitId } });
      const mine = list.items.find((c) => c.streetId === d.orgUnitId);
      if (!mine) return null;
      const council = await call('GET /api/street-councils/:id', { params: { id: mine.id } });
      return council.members.length ? council : null;
    },
    enabled,
  });
}

/**
 * 街道议事会 at the meeting: every current member a checkbox, grouped by category; the
 * representatives are the members, those present the ones ticked (kept in `attendees` by the
 * form's onValuesChange, so a server refusal of either lands beside its number).
 */
export function CouncilAttendanceFields({
  council,
  deliberation: d,
  form,
}: {
  council: Council;
  deliberation: DeliberationDetail;
  form: FormInstance;
}) {
  const { t } = useTranslation();
  const ticked: string[] = Form.useWatch('attendeeMemberIds', form) ?? [];
  const total = council.members.length;
  const all = council.members.map((m) => m.id);
  useEffect(() => form.setFieldValue('attendees', ticked.length), [form, ticked.length]);
  const tick = (ids: string[]) => {
    form.setFieldValue('attendeeMemberIds', ids);
    void form.validateFields(['attendeeMemberIds']).catch(() => undefined);
  };
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={t('participation.deliberations.council.hint', { count: total })}
      />
      <Form.Item
        name="attendeeMemberIds"
        label={t('participation.deliberations.council.members', { name: council.name })}
        // Each meeting is ticked afresh: a meeting held again for want of quorum has others present.
        initialValue={[]}
        rules={[
          {
            required: true,
            type: 'array',
            min: 1,
            message: t('participation.deliberations.council.pickRequired'),
          },
        ]}
        extra={
          <Space size={8} style={{ marginTop: 4 }}>
            <span data-testid="council-ticked">
              {t('participation.deliberations.council.checked', {
                checked: ticked.length,
                count: total,
                quorum: quorumOf(d.rules, total),
              })}
            </span>
            <Button size="small" type="link" onClick={() => tick(all)} data-testid="council-tick-all">
              {t('participation.deliberations.council.all')}
            </Button>
            <Button size="small" type="link" onClick={() => tick([])}>
              {t('participation.deliberations.council.none')}
            </Button>
          </Space>
        }
      >
        <Checkbox.Group style={{ display: 'block' }} data-testid="council-attendees">
          {councilMemberCategories.map((cat) => {
            const members = council.members.filter((m) => m.category === cat);
            if (!members.length) return null;
            return (
              <div key={cat} style={{ marginBottom: 6 }}>
                <Tag style={{ minWidth: 96 }}>{t(`participation.councils.categories.${cat}`)}</Tag>
                {members.map((m) => (
                  <Checkbox key={m.id} value={m.id} data-testid="council-attendee">
                    {m.name}
                  </Checkbox>
                ))}
              </div>
            );
          })}
        </Checkbox.Group>
      </Form.Item>
      <Space>
        <Form.Item
          name="representatives"
          label={t('participation.deliberations.form.representatives')}
          initialValue={total}
        >
          <InputNumber disabled data-testid="deliberation-representatives" />
        </Form.Item>
        <Form.Item name="attendees" label={t('participation.deliberations.form.attendees')}>
          <InputNumber disabled data-testid="deliberation-attendees" />
        </Form.Item>
      </Space>
    </>
  );
}
