import { useQuery } from '@tanstack/react-query';
import { Button, Form, Modal, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Body, call } from '../../common/client.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

/** A grid's team as the API takes it: each member with a team role. */
type Team = Body<'PUT /api/org/units/:id/team'>;

import type { OrgUnit } from './types.js';

interface Props {
  grid: OrgUnit;
  open: boolean;
  onClose(saved: boolean): void;
}

/** Picks the team of a grid among the accounts bound to it or its community. */
export function TeamModal({ grid, open, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Team>();
  const candidates = useQuery({
    enabled: open,
    queryKey: ['team-candidates', grid.id, grid.parentId],
    queryFn: async () => {
      const [own, parent] = await Promise.all([
        call('GET /api/users', { query: { orgUnitId: grid.id, pageSize: 200 } }),
        grid.parentId
          ? call('GET /api/users', { query: { orgUnitId: grid.parentId, pageSize: 200 } })
          : Promise.resolve({ items: [], total: 0 }),
      ]);
      return [...own.items, ...parent.items];
    },
  });
  const { send: save } = useFormSubmit(
    form,
    (v: Team) =>
      call('PUT /api/org/units/:id/team', { params: { id: grid.id }, body: { members: v.members } }),
    {
      onDone: () => onClose(true),
    },
  );
  const roles = ['gridManager', 'gridAssistant', 'gridInformant'].map((r) => ({
    value: r,
    label: t(`org.${r}`),
  }));
  return (
    <Modal
      open={open}
      width={560}
      title={`${t('org.editTeam')} — ${grid.name}`}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('org.teamRule')}</Typography.Paragraph>
      <Form
        form={form}
        onFinish={save}
        initialValues={{ members: grid.team.map((m) => ({ userId: m.userId, role: m.role })) }}
      >
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'userId']} rules={[{ required: true }]}>
                    <Select
                      showSearch
                      optionFilterProp="label"
                      style={{ width: 260 }}
                      placeholder={t('org.member')}
                      options={(candidates.data ?? []).map((u) => ({
                        value: u.id,
                        label: `${u.displayName}（${u.username}）`,
                      }))}
                      // Current members bound elsewhere still show their name.
                      labelRender={(p) =>
                        p.label ?? grid.team.find((m) => m.userId === p.value)?.displayName ?? p.value
                      }
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'role']} rules={[{ required: true }]}>
                    <Select style={{ width: 140 }} options={roles} />
                  </Form.Item>
                  <Button type="link" danger onClick={() => remove(f.name)}>
                    {t('common.delete')}
                  </Button>
                </Space>
              ))}
              <Button type="dashed" block onClick={() => add({ role: 'gridAssistant' })}>
                {t('org.addMember')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
