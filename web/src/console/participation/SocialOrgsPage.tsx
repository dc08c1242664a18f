import type { SocialOrg, SocialProjectSummary } from '@civicgrid/core/api/socialOrgs';
import {
  incubationStages,
  isFiledType,
  type SocialOrgType,
  socialOrgFields,
  socialOrgTypes,
  socialProjectStates,
} from '@civicgrid/core/participation/socialOrgs';
import { useQueryClient } from '@tanstack/react-query';
import {
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Tabs,
  Tag,
  TreeSelect,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { useDefaultUnit } from './defaultUnit.js';
import {
  ApplyModal,
  OrgDrawer,
  ProjectDrawer,
  ProjectStateTag,
  StageTag,
  yuanText,
} from './SocialOrgDrawers.js';

/**
 * 社会组织: the registry of the area's social organizations (type, registration, area served,
 * services, people, incubation) and the 公益创投 projects bought from them, each with its
 * milestones and spending.
 */
export default function SocialOrgsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('orgs');
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      destroyOnHidden
      items={[
        { key: 'orgs', label: t('socialOrgs.orgsTab'), children: <Orgs /> },
        { key: 'projects', label: t('socialOrgs.projectsTab'), children: <Projects /> },
      ]}
    />
  );
}

function Orgs() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const list = usePagedList<SocialOrg, 'q' | 'type' | 'field' | 'incubation'>({
    url: '/api/social-orgs',
    key: 'social-orgs',
    filters: ['q', 'type', 'field', 'incubation'],
  });
  return (
    <ListPage<SocialOrg>
      title={t('socialOrgs.title')}
      testId="social-orgs-page"
      list={list}
      empty={t('socialOrgs.empty')}
      totalText={(n) => t('socialOrgs.total', { count: n })}
      search={{ filter: 'q', placeholder: t('socialOrgs.search'), testId: 'social-orgs-q', width: 220 }}
      export={{
        url: '/api/social-orgs/export.xlsx',
        fileName: '社会组织名录.xlsx',
        testId: 'social-orgs-export',
      }}
      actions={
        can('socialOrg:manage') && (
          <Button type="primary" onClick={() => setAdding(true)} data-testid="social-org-register">
            {t('socialOrgs.register')}
          </Button>
        )
      }
      filters={
        <>
          <Select
            allowClear
            placeholder={t('socialOrgs.type')}
            style={{ width: 200 }}
            value={list.filters.type}
            onChange={(v?: string) => list.setFilters({ type: v })}
            options={socialOrgTypes.map((k) => ({ value: k, label: t(`socialOrgs.types.${k}`) }))}
          />
          <Select
            allowClear
            placeholder={t('socialOrgs.field')}
            style={{ width: 130 }}
            value={list.filters.field}
            onChange={(v?: string) => list.setFilters({ field: v })}
            options={socialOrgFields.map((k) => ({ value: k, label: t(`socialOrgs.fields.${k}`) }))}
          />
          <Select
            allowClear
            placeholder={t('socialOrgs.incubation')}
            style={{ width: 120 }}
            value={list.filters.incubation}
            onChange={(v?: string) => list.setFilters({ incubation: v })}
            options={[...incubationStages, 'none' as const].map((k) => ({
              value: k,
              label: t(`socialOrgs.stages.${k}`),
            }))}
            data-testid="social-orgs-incubation"
          />
        </>
      }
      table={{
        rowKey: 'id',
        'data-testid': 'social-orgs-table',
        scroll: { x: 1100 },
        onRow: (o) => ({ onClick: () => setOpen(o.id), style: { cursor: 'pointer' } }),
        columns: [
          {
            title: t('socialOrgs.columns.name'),
            key: 'name',
            render: (_, o) => (
              <Button type="link" size="small" style={{ padding: 0 }} data-testid="social-org-open">
                {o.name}
              </Button>
            ),
          },
          {
            title: t('socialOrgs.columns.type'),
            dataIndex: 'type',
            width: 200,
            render: (v: SocialOrgType) => (
              <Tag color={isFiledType(v) ? 'default' : 'blue'}>{t(`socialOrgs.types.${v}`)}</Tag>
            ),
          },
          { title: t('socialOrgs.columns.area'), dataIndex: 'orgUnitName', width: 130 },
          {
            title: t('socialOrgs.columns.fields'),
            dataIndex: 'fields',
            width: 180,
            render: (v: string[]) => v.map((f) => <Tag key={f}>{t(`socialOrgs.fields.${f}`)}</Tag>),
          },
          {
            title: t('socialOrgs.columns.people'),
            key: 'people',
            width: 200,
            render: (_, o) =>
              t('socialOrgs.peopleValue', { staff: o.staffCount, volunteers: o.volunteerCount }),
          },
          {
            title: t('socialOrgs.columns.incubation'),
            dataIndex: 'incubationStage',
            width: 100,
            render: (v: SocialOrg['incubationStage']) => <StageTag stage={v} />,
          },
          {
            title: t('socialOrgs.columns.projects'),
            key: 'projects',
            width: 130,
            render: (_, o) =>
              o.projects
                ? t('socialOrgs.projectsValue', { count: o.projects, active: o.activeProjects })
                : '—',
          },
        ],
      }}
    >
      <OrgDrawer id={open} onClose={() => setOpen(null)} />
      {adding && (
        <RegisterModal
          onClose={(id) => {
            setAdding(false);
            if (id) setOpen(id);
          }}
        />
      )}
    </ListPage>
  );
}

function RegisterModal({ onClose }: { onClose: (id?: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useDefaultUnit(form);
  const type = (Form.useWatch('type', form) ?? 'privateNonEnterprise') as SocialOrgType;
  const { submit, busy } = useFormSubmit(
    form,
    (v: Record<string, unknown> & { registeredOn: Dayjs }) => {
      const body = { ...v, registeredOn: v.registeredOn.format('YYYY-MM-DD') } as Record<string, unknown>;
      if (!body.creditCode) delete body.creditCode;
      return call('POST /api/social-orgs', { body: body as never });
    },
    {
      success: t('socialOrgs.registered'),
      onDone: async (org) => {
        await qc.invalidateQueries({ queryKey: ['social-orgs'] });
        onClose(org.id);
      },
    },
  );
  return (
    <Modal
      open
      width={640}
      title={t('socialOrgs.register')}
      onCancel={() => onClose()}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'social-org-register-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ type: 'privateNonEnterprise', staffCount: 0, volunteerCount: 0 }}
        data-testid="social-org-register-form"
      >
        <Form.Item
          name="name"
          label={t('socialOrgs.form.name')}
          rules={[{ required: true, min: 2, max: 60 }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="type" label={t('socialOrgs.type')} rules={[{ required: true }]}>
            <Select
              style={{ width: 240 }}
              options={socialOrgTypes.map((k) => ({ value: k, label: t(`socialOrgs.types.${k}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="creditCode"
            label={t('socialOrgs.form.creditCode')}
            tooltip={t('socialOrgs.form.creditCodeHint')}
            rules={[{ required: !isFiledType(type), len: 18 }]}
          >
            <Input maxLength={18} style={{ width: 240 }} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item
            name="registrationAuthority"
            label={t('socialOrgs.form.authority')}
            rules={[{ required: true, min: 2 }]}
          >
            <Input maxLength={60} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item
            name="registeredOn"
            label={t('socialOrgs.form.registeredOn')}
            rules={[{ required: true }]}
          >
            <DatePicker />
          </Form.Item>
          <Form.Item name="orgUnitId" label={t('socialOrgs.form.area')} rules={[{ required: true }]}>
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.areas} style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Form.Item name="fields" label={t('socialOrgs.field')} rules={[{ required: true }]}>
          <Select
            mode="multiple"
            options={socialOrgFields.map((k) => ({ value: k, label: t(`socialOrgs.fields.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="services" label={t('socialOrgs.form.services')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Space wrap>
          <Form.Item
            name="legalRepresentative"
            label={t('socialOrgs.form.legal')}
            rules={[{ required: true, min: 2 }]}
          >
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item
            name="contactName"
            label={t('socialOrgs.form.contactName')}
            rules={[{ required: true, min: 2 }]}
          >
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('socialOrgs.form.contactPhone')}
            rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: '请输入 11 位手机号' }]}
          >
            <Input maxLength={11} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="staffCount" label={t('socialOrgs.form.staff')} rules={[{ required: true }]}>
            <InputNumber min={0} precision={0} />
          </Form.Item>
          <Form.Item
            name="volunteerCount"
            label={t('socialOrgs.form.volunteers')}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} precision={0} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function Projects() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const list = usePagedList<SocialProjectSummary, 'q' | 'status'>({
    url: '/api/social-projects',
    key: 'social-projects',
    filters: ['q', 'status'],
  });
  return (
    <ListPage<SocialProjectSummary>
      title={t('socialOrgs.projectsTab')}
      testId="social-projects-page"
      list={list}
      empty={t('socialOrgs.project.empty')}
      totalText={(n) => t('socialOrgs.project.total', { count: n })}
      search={{ filter: 'q', placeholder: t('socialOrgs.project.search'), width: 200 }}
      actions={
        can('socialOrg:manage') && (
          <Button type="primary" onClick={() => setApplying(true)} data-testid="social-project-apply">
            {t('socialOrgs.apply')}
          </Button>
        )
      }
      filters={
        <Select
          allowClear
          placeholder={t('common.status')}
          style={{ width: 120 }}
          value={list.filters.status}
          onChange={(v?: string) => list.setFilters({ status: v })}
          options={socialProjectStates.map((s) => ({ value: s, label: t(`socialOrgs.states.${s}`) }))}
          data-testid="social-projects-status"
        />
      }
      table={{
        rowKey: 'id',
        'data-testid': 'social-projects-table',
        scroll: { x: 1100 },
        onRow: (p) => ({ onClick: () => setOpen(p.id), style: { cursor: 'pointer' } }),
        columns: [
          {
            title: t('socialOrgs.project.title'),
            dataIndex: 'title',
            render: (v: string) => (
              <Button type="link" size="small" style={{ padding: 0 }} data-testid="social-project-open">
                {v}
              </Button>
            ),
          },
          { title: t('socialOrgs.project.org'), dataIndex: 'socialOrgName', width: 200 },
          { title: t('socialOrgs.project.buyer'), dataIndex: 'orgUnitName', width: 120 },
          {
            title: t('common.status'),
            dataIndex: 'status',
            width: 90,
            render: (v: SocialProjectSummary['status']) => <ProjectStateTag state={v} />,
          },
          {
            title: t('socialOrgs.project.budgetVsSpent'),
            key: 'budget',
            width: 200,
            render: (_, p) => {
              const budget = p.budgetFen ?? p.amountFen;
              return (
                <div>
                  {yuanText(p.spentFen)} / {yuanText(budget)}
                  <Progress size="small" percent={Math.round((p.spentFen / budget) * 100)} showInfo={false} />
                </div>
              );
            },
          },
          {
            title: t('socialOrgs.project.milestones'),
            key: 'milestones',
            width: 90,
            render: (_, p) => `${p.milestonesDone}/${p.milestones}`,
          },
          {
            title: t('socialOrgs.project.period'),
            key: 'period',
            width: 200,
            render: (_, p) => `${p.startsOn} ~ ${p.endsOn}`,
          },
        ],
      }}
    >
      <ProjectDrawer id={open} onClose={() => setOpen(null)} />
      {applying && (
        <ApplyModal
          onClose={(id) => {
            setApplying(false);
            if (id) setOpen(id);
          }}
        />
      )}
    </ListPage>
  );
}
