import type { OrgTreeNode } from '@civicgrid/core/api/org';
import type { PartyMember, PartyMemberPatch, PartyOrgDetail } from '@civicgrid/core/api/partyOrgs';
import {
  type PartyOrgLevel,
  parentLevelOf,
  partyMemberRoles,
  partyOrgLevels,
  partyOrgUnitLevel,
} from '@civicgrid/core/participation/partyOrgs';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';
import { useOrgTree } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

export type OrgDialog =
  | { kind: 'create'; parent: PartyOrgDetail | null }
  | { kind: 'edit'; org: PartyOrgDetail };

const childLevel = (l: PartyOrgLevel | undefined): PartyOrgLevel =>
  partyOrgLevels.find((x) => parentLevelOf(x) === (l ?? null)) ?? 'streetCommittee';
const suffix: Record<PartyOrgLevel, string> = {
  streetCommittee: '党工委',
  communityOrg: '党委',
  gridBranch: '党支部',
  buildingGroup: '党小组',
};

function flatten(nodes: OrgTreeNode[]): OrgTreeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined);

/** A new organization one level below `parent` (a 街道党工委 without one), or an edit of name and date. */
export function OrgModal({ dialog, onClose }: { dialog: OrgDialog; onClose: (id?: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const orgTree = useOrgTree();
  const parent = dialog.kind === 'create' ? dialog.parent : null;
  const level = dialog.kind === 'create' ? childLevel(parent?.level) : dialog.org.level;
  const units = useMemo(() => {
    const all = flatten(orgTree.data ?? []);
    const want = partyOrgUnitLevel[level];
    if (level === 'buildingGroup') return all.filter((u) => u.id === parent?.orgUnitId);
    const under = parent ? all.find((u) => u.id === parent.orgUnitId) : null;
    return (under ? flatten(under.children) : all).filter((u) => u.level === want);
  }, [orgTree.data, level, parent]);
  const blds = useQuery({
    enabled: dialog.kind === 'create' && level === 'buildingGroup' && parent !== null,
    queryKey: ['buildings', 'of', parent?.orgUnitId],
    queryFn: () =>
      call('GET /api/buildings', { query: { orgUnitId: parent?.orgUnitId as number, pageSize: 200 } }),
  });
  const { submit, busy } = useFormSubmit(
    form,
    async (v: { name: string; orgUnitId?: number; buildingId?: number; foundedOn?: Dayjs | null }) => {
      let id: string;
      if (dialog.kind === 'create') {
        const created = await call('POST /api/party-orgs', {
          body: {
            level,
            name: v.name,
            ...(parent ? { parentId: parent.id } : {}),
            orgUnitId: level === 'buildingGroup' ? (parent?.orgUnitId as number) : (v.orgUnitId as number),
            ...(v.buildingId ? { buildingId: v.buildingId } : {}),
            ...(v.foundedOn ? { foundedOn: day(v.foundedOn) } : {}),
          },
        });
        id = created.id;
      } else {
        await call('PATCH /api/party-orgs/:id', {
          params: { id: dialog.org.id },
          body: { name: v.name, foundedOn: day(v.foundedOn) ?? null },
        });
        id = dialog.org.id;
      }
      return id;
    },
    {
      success: t('party.saved'),
      onDone: async (id) => {
        await Promise.all(['party-orgs', 'party-org'].map((k) => qc.invalidateQueries({ queryKey: [k] })));
        onClose(id);
      },
    },
  );
  const nameAfter = (base: string | undefined) => {
    if (base && !form.getFieldValue('name')) form.setFieldValue('name', `${base}${suffix[level]}`);
  };
  return (
    <Modal
      open
      title={
        dialog.kind === 'create'
          ? `${t('party.addOrg')} — ${t(`party.levels.${level}`)}`
          : `${t('party.edit')} — ${dialog.org.name}`
      }
      onCancel={() => onClose()}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'party-org-submit' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        data-testid="party-org-form"
        initialValues={
          dialog.kind === 'edit'
            ? { name: dialog.org.name, foundedOn: dialog.org.foundedOn ? dayjs(dialog.org.foundedOn) : null }
            : {}
        }
      >
        {dialog.kind === 'create' && parent && (
          <Form.Item label={t('party.fields.parent')}>
            <Input value={parent.name} disabled />
          </Form.Item>
        )}
        {dialog.kind === 'create' && level !== 'buildingGroup' && (
          <Form.Item name="orgUnitId" label={t('party.fields.unit')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              data-testid="party-org-unit"
              options={units.map((u) => ({ value: u.id, label: u.name }))}
              onChange={(id: number) => nameAfter(units.find((u) => u.id === id)?.name)}
            />
          </Form.Item>
        )}
        {dialog.kind === 'create' && level === 'buildingGroup' && (
          <Form.Item name="buildingId" label={t('party.fields.building')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={blds.isLoading}
              data-testid="party-org-building"
              options={(blds.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))}
              onChange={(id: number) => nameAfter(blds.data?.items.find((b) => b.id === id)?.name)}
            />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('party.fields.name')} rules={[{ required: true, min: 2, max: 60 }]}>
          <Input maxLength={60} data-testid="party-org-name" />
        </Form.Item>
        <Form.Item name="foundedOn" label={t('party.fields.foundedOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type MemberValues = {
  residentId?: string;
  name?: string;
  role: (typeof partyMemberRoles)[number];
  joinedOn?: Dayjs | null;
  inService?: boolean;
};

/** What an edit changed: only those fields are sent (and named in the audit trail). */
function changesOf(m: PartyMember, v: MemberValues): PartyMemberPatch {
  const joinedOn = day(v.joinedOn) ?? null;
  return {
    ...(m.residentId === null && v.name !== undefined && v.name.trim() !== m.name
      ? { name: v.name.trim() }
      : {}),
    ...(v.role !== m.role ? { role: v.role } : {}),
    ...(joinedOn !== m.joinedOn ? { joinedOn } : {}),
    ...((v.inService ?? false) !== m.inService ? { inService: v.inService ?? false } : {}),
  };
}

/**
 * 登记党员: a resident of the organization's area (found by name), or a name not on file.
 * With `member`, 修改党员: his role, joining date and service (and the name of one not on file).
 */
export function MemberModal({
  org,
  member,
  onClose,
}: {
  org: PartyOrgDetail;
  member?: PartyMember;
  onClose: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [term, setTerm] = useState('');
  const residentId = Form.useWatch('residentId', form);
  const found = useQuery({
    enabled: term.length > 0,
    queryKey: ['party-resident-search', org.orgUnitId, term],
    queryFn: () => call('GET /api/residents', { query: { q: term, orgUnitId: org.orgUnitId, pageSize: 20 } }),
  });
  const { send, busy } = useFormSubmit(
    form,
    (v: MemberValues) =>
      member
        ? call('PATCH /api/party-orgs/:id/members/:memberId', {
            params: { id: org.id, memberId: member.id },
            body: changesOf(member, v),
          })
        : call('POST /api/party-orgs/:id/members', {
            params: { id: org.id },
            body: {
              ...(v.residentId ? { residentId: v.residentId } : { name: v.name }),
              role: v.role,
              inService: v.inService ?? false,
              ...(v.joinedOn ? { joinedOn: day(v.joinedOn) } : {}),
            },
          }),
    { success: t('party.saved'), onDone: () => onClose(true) },
  );
  const submit = async () => {
    const v = (await form.validateFields()) as MemberValues;
    if (member && Object.keys(changesOf(member, v)).length === 0) {
      message.info(t('party.members.unchanged'));
      return onClose(false);
    }
    await send(v);
  };
  return (
    <Modal
      open
      title={
        member
          ? `${t('party.members.editTitle')} — ${member.name}`
          : `${t('party.members.add')} — ${org.name}`
      }
      onCancel={() => onClose(false)}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'party-member-submit' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        data-testid="party-member-form"
        initialValues={
          member
            ? {
                name: member.name,
                role: member.role,
                joinedOn: member.joinedOn ? dayjs(member.joinedOn) : null,
                inService: member.inService,
              }
            : { role: 'member', inService: false }
        }
      >
        {member && (
          <Form.Item
            name="name"
            label={t('party.members.name')}
            extra={member.residentId ? t('party.members.nameOnFile') : undefined}
            rules={[{ required: true, min: 2, max: 30 }]}
          >
            <Input maxLength={30} disabled={member.residentId !== null} data-testid="party-member-name" />
          </Form.Item>
        )}
        {!member && (
          <Form.Item
            name="residentId"
            label={t('party.members.resident')}
            extra={t('party.members.residentHint')}
          >
            <Select
              showSearch
              allowClear
              filterOption={false}
              onSearch={(v) => setTerm(v.trim())}
              loading={found.isFetching}
              data-testid="party-member-resident"
              options={(found.data?.items ?? []).map((r) => ({
                value: r.id,
                label: `${r.name}（${r.age}岁 · ${r.gridName}）`,
              }))}
            />
          </Form.Item>
        )}
        {!member && !residentId && (
          <Form.Item name="name" label={t('party.members.plainName')} rules={[{ min: 2, max: 30 }]}>
            <Input maxLength={30} />
          </Form.Item>
        )}
        <Form.Item name="role" label={t('party.members.role')} rules={[{ required: true }]}>
          <Select
            data-testid="party-member-role"
            options={partyMemberRoles.map((r) => ({ value: r, label: t(`party.roles.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name="joinedOn" label={t('party.members.joinedOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="inService" label={t('party.members.inService')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const serviceIdeas = [
  '政策宣传',
  '邻里调解',
  '帮扶独居老人',
  '收集社情民意',
  '垃圾分类督导',
  '文明劝导',
  '代购代办',
];

/** 设立党员中心户: a member of this branch or group whose home is on his resident file. */
export function HouseholdModal({ org, onClose }: { org: PartyOrgDetail; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const members = useQuery({
    queryKey: ['party-members', org.id, 'all'],
    queryFn: () =>
      call('GET /api/party-orgs/:id/members', { params: { id: org.id }, query: { pageSize: 200 } }),
  });
  const { submit, busy } = useFormSubmit(
    form,
    (v: { memberId: string; services: string[]; neighbours?: number }) =>
      call('POST /api/party-orgs/:id/households', {
        params: { id: org.id },
        body: {
          memberId: v.memberId,
          services: v.services,
          ...(v.neighbours !== undefined && v.neighbours !== null ? { neighbours: v.neighbours } : {}),
        },
      }),
    {
      success: t('party.saved'),
      onDone: () => onClose(true),
    },
  );
  return (
    <Modal
      open
      title={`${t('party.households.mark')} — ${org.name}`}
      onCancel={() => onClose(false)}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'party-household-submit' }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="memberId" label={t('party.households.member')} rules={[{ required: true }]}>
          <Select
            loading={members.isLoading}
            data-testid="party-household-member"
            options={(members.data?.items ?? [])
              .filter((m) => m.residentId !== null && !m.household)
              .map((m) => ({ value: m.id, label: m.address ? `${m.name}（${m.address}）` : m.name }))}
          />
        </Form.Item>
        <Form.Item
          name="services"
          label={t('party.households.services')}
          extra={t('party.households.servicesHint')}
          rules={[{ required: true }]}
        >
          <Select mode="tags" options={serviceIdeas.map((s) => ({ value: s, label: s }))} />
        </Form.Item>
        <Form.Item name="neighbours" label={t('party.households.neighbours')}>
          <InputNumber min={0} max={500} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
