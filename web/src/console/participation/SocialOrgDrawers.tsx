import { CameraOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type {
  SocialOrgDetail,
  SocialProjectDetail,
  SocialProjectSummary,
} from '@civicgrid/core/api/socialOrgs';
import {
  type IncubationStage,
  incubationStages,
  incubationStepAllowed,
  type SocialProjectAction,
  socialOrgFields,
} from '@civicgrid/core/participation/socialOrgs';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  TreeSelect,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorMessage, upload } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { DetailDrawer } from '../common/DetailDrawer.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { useDefaultUnit } from './defaultUnit.js';

/** Fen as yuan for people: 1234500 → "12,345 元". */
export const yuanText = (fen: number) =>
  `${(fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;
const when = (v: string) => new Date(v).toLocaleString('zh-CN', { hour12: false });
const stageColors: Record<IncubationStage, string> = {
  incubating: 'gold',
  nurturing: 'cyan',
  graduated: 'green',
};
const stateColors: Record<SocialProjectSummary['status'], string> = {
  applied: 'gold',
  approved: 'blue',
  inProgress: 'processing',
  completed: 'green',
  terminated: 'default',
};

export function StageTag({ stage }: { stage: IncubationStage | null }) {
  const { t } = useTranslation();
  if (!stage) return <span style={{ color: '#999' }}>{t('socialOrgs.notIncubated')}</span>;
  return <Tag color={stageColors[stage]}>{t(`socialOrgs.stages.${stage}`)}</Tag>;
}

export function ProjectStateTag({ state }: { state: SocialProjectSummary['status'] }) {
  const { t } = useTranslation();
  return <Tag color={stateColors[state]}>{t(`socialOrgs.states.${state}`)}</Tag>;
}

/** One organization: its registration, people (phone masked; revealed on request, audited), incubation and projects. */
export function OrgDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [phone, setPhone] = useState<string | null>(null);
  const [project, setProject] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const [editing, setEditing] = useState(false);
  const detail = useQuery({
    queryKey: ['social-orgs', 'detail', id],
    queryFn: () => call('GET /api/social-orgs/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  const o = detail.data;
  return (
    <DetailDrawer
      id={id}
      onClose={() => {
        setPhone(null);
        onClose();
      }}
      detail={detail}
      width={720}
      title={o?.name ?? t('socialOrgs.detail')}
      testId="social-org-drawer"
    >
      {(o) => (
        <>
          {can('socialOrg:manage') && (
            <div style={{ textAlign: 'right', marginBottom: 8 }}>
              <Button size="small" onClick={() => setEditing(true)} data-testid="social-org-edit">
                {t('socialOrgs.edit')}
              </Button>
            </div>
          )}
          {editing && <EditModal org={o} onClose={() => setEditing(false)} />}
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('socialOrgs.type')} span={2}>
              {t(`socialOrgs.types.${o.type}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.form.creditCode')}>
              {o.creditCode ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.form.registeredOn')}>{o.registeredOn}</Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.form.authority')}>
              {o.registrationAuthority}
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.form.area')}>{o.orgUnitName}</Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.field')} span={2}>
              {o.fields.map((f) => (
                <Tag key={f}>{t(`socialOrgs.fields.${f}`)}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.form.services')} span={2}>
              {o.services}
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.form.legal')}>{o.legalRepresentative}</Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.form.contactName')}>
              <Space size={4} wrap>
                {o.contactName}
                <span data-testid="social-org-phone">{phone ?? o.contactPhone}</span>
                {can('pii:reveal') && !phone && (
                  <Button
                    size="small"
                    type="link"
                    onClick={async () => {
                      try {
                        setPhone(
                          (await call('POST /api/social-orgs/:id/reveal', { params: { id: o.id } }))
                            .contactPhone,
                        );
                      } catch (e) {
                        message.error(errorMessage(e));
                      }
                    }}
                  >
                    {t('socialOrgs.reveal')}
                  </Button>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.columns.people')} span={2}>
              {t('socialOrgs.peopleValue', { staff: o.staffCount, volunteers: o.volunteerCount })}
            </Descriptions.Item>
          </Descriptions>

          <h4 style={{ marginTop: 20 }}>
            {t('socialOrgs.incubationHistory')} <StageTag stage={o.incubationStage} />
          </h4>
          {o.incubations.length ? (
            <Timeline
              data-testid="social-org-incubations"
              items={o.incubations.map((i) => ({
                color: stageColors[i.stage],
                children: (
                  <>
                    <strong>{t(`socialOrgs.stages.${i.stage}`)}</strong> {i.on} {i.base ?? ''}
                    {i.note && <div style={{ color: '#666' }}>{i.note}</div>}
                  </>
                ),
              }))}
            />
          ) : (
            <p style={{ color: '#999' }}>{t('socialOrgs.noIncubation')}</p>
          )}
          {can('socialOrg:manage') && o.incubationStage !== 'graduated' && <IncubationForm org={o} />}

          <h4 style={{ marginTop: 20 }}>
            {t('socialOrgs.projects')}{' '}
            {can('socialOrg:manage') && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setApplying(true)}>
                {t('socialOrgs.apply')}
              </Button>
            )}
          </h4>
          <Table<SocialProjectSummary>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={o.projectList}
            locale={{ emptyText: t('socialOrgs.noProjects') }}
            data-testid="social-org-projects"
            onRow={(p) => ({ onClick: () => setProject(p.id), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('socialOrgs.project.title'), dataIndex: 'title' },
              {
                title: t('common.status'),
                dataIndex: 'status',
                width: 90,
                render: (v: SocialProjectSummary['status']) => <ProjectStateTag state={v} />,
              },
              {
                title: t('socialOrgs.project.budget'),
                key: 'budget',
                width: 120,
                render: (_, p) => yuanText(p.budgetFen ?? p.amountFen),
              },
              {
                title: t('socialOrgs.project.milestones'),
                key: 'm',
                width: 80,
                render: (_, p) => `${p.milestonesDone}/${p.milestones}`,
              },
            ]}
          />
          <ProjectDrawer id={project} onClose={() => setProject(null)} />
          {applying && (
            <ApplyModal
              orgId={o.id}
              onClose={(pid) => {
                setApplying(false);
                if (pid) setProject(pid);
              }}
            />
          )}
        </>
      )}
    </DetailDrawer>
  );
}

/** 修改: services, people and registration details; only the fields changed are sent. */
function EditModal({ org, onClose }: { org: SocialOrgDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const { send, busy } = useFormSubmit(
    form,
    (body: Record<string, unknown>) =>
      call('PATCH /api/social-orgs/:id', { params: { id: org.id }, body: body as never }),
    {
      success: t('socialOrgs.saved'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['social-orgs'] });
        onClose();
      },
    },
  );
  const submit = async () => {
    const v = (await form.validateFields()) as Record<string, unknown>;
    const body: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      const before = (org as unknown as Record<string, unknown>)[k];
      if (val !== undefined && val !== '' && JSON.stringify(val) !== JSON.stringify(before)) body[k] = val;
    }
    if (!Object.keys(body).length) return onClose();
    await send(body);
  };
  return (
    <Modal
      open
      title={t('socialOrgs.edit')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'social-org-edit-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          registrationAuthority: org.registrationAuthority,
          fields: org.fields,
          services: org.services,
          legalRepresentative: org.legalRepresentative,
          contactName: org.contactName,
          staffCount: org.staffCount,
          volunteerCount: org.volunteerCount,
        }}
      >
        <Form.Item
          name="registrationAuthority"
          label={t('socialOrgs.form.authority')}
          rules={[{ required: true, min: 2 }]}
        >
          <Input maxLength={60} />
        </Form.Item>
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
            tooltip={t('socialOrgs.phoneKept')}
            rules={[{ pattern: /^1[3-9]\d{9}$/, message: '请输入 11 位手机号' }]}
          >
            <Input maxLength={11} placeholder={org.contactPhone} />
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

function IncubationForm({ org }: { org: SocialOrgDetail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const next = incubationStages.filter((s) => incubationStepAllowed(org.incubationStage, s));
  const { submit, busy } = useFormSubmit(
    form,
    (v: { stage: IncubationStage; on: Dayjs; base?: string; note?: string }) =>
      call('POST /api/social-orgs/:id/incubations', {
        params: { id: org.id },
        body: { ...v, on: v.on.format('YYYY-MM-DD'), base: v.base || undefined, note: v.note || undefined },
      }),
    {
      success: t('socialOrgs.stageDone'),
      onDone: async () => {
        form.resetFields();
        await qc.invalidateQueries({ queryKey: ['social-orgs'] });
      },
    },
  );
  return (
    <Form
      form={form}
      layout="inline"
      initialValues={{ stage: next[0], on: dayjs() }}
      data-testid="social-org-incubation-form"
      style={{ rowGap: 8 }}
    >
      <Form.Item name="stage" rules={[{ required: true }]}>
        <Select
          style={{ width: 120 }}
          options={next.map((s) => ({ value: s, label: t(`socialOrgs.stages.${s}`) }))}
        />
      </Form.Item>
      <Form.Item name="on" rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="base">
        <Input placeholder={t('socialOrgs.base')} style={{ width: 180 }} maxLength={60} />
      </Form.Item>
      <Button onClick={submit} loading={busy} data-testid="social-org-incubation-submit">
        {t('socialOrgs.recordStage')}
      </Button>
    </Form>
  );
}

/** 申报: a project of an organization, bought by a street or community, with its milestones. */
export function ApplyModal({ orgId, onClose }: { orgId?: string; onClose: (id?: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const trees = useDefaultUnit(form);
  const [key] = useState(() => crypto.randomUUID());
  const orgs = useQuery({
    queryKey: ['social-orgs', 'pick'],
    queryFn: () => call('GET /api/social-orgs', { query: { pageSize: 200 } as never }),
    enabled: orgId === undefined,
  });
  const { submit, busy } = useFormSubmit(
    form,
    (v: {
      socialOrgId?: string;
      title: string;
      summary?: string;
      orgUnitId: number;
      amountYuan: number;
      period: [Dayjs, Dayjs];
      milestones: { title: string; dueOn: Dayjs }[];
    }) =>
      call('POST /api/social-projects', {
        body: {
          socialOrgId: orgId ?? (v.socialOrgId as string),
          title: v.title,
          summary: v.summary || undefined,
          orgUnitId: v.orgUnitId,
          amountFen: Math.round(v.amountYuan * 100),
          startsOn: v.period[0].format('YYYY-MM-DD'),
          endsOn: v.period[1].format('YYYY-MM-DD'),
          milestones: v.milestones.map((m) => ({ title: m.title, dueOn: m.dueOn.format('YYYY-MM-DD') })),
          idempotencyKey: key,
        },
      }),
    {
      success: t('socialOrgs.applied'),
      onDone: async (created) => {
        await qc.invalidateQueries({ queryKey: ['social-projects'] });
        await qc.invalidateQueries({ queryKey: ['social-orgs'] });
        onClose(created.id);
      },
    },
  );
  return (
    <Modal
      open
      width={640}
      title={t('socialOrgs.apply')}
      onCancel={() => onClose()}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'social-project-apply-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ milestones: [{}] }}
        data-testid="social-project-apply-form"
      >
        {orgId === undefined && (
          <Form.Item name="socialOrgId" label={t('socialOrgs.project.org')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={orgs.isLoading}
              options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('socialOrgs.project.title')} rules={[{ required: true, min: 2 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="summary" label={t('socialOrgs.project.summary')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="orgUnitId" label={t('socialOrgs.project.buyer')} rules={[{ required: true }]}>
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={trees.areas} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="amountYuan" label={t('socialOrgs.project.amount')} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="period" label={t('socialOrgs.project.period')} rules={[{ required: true }]}>
            <DatePicker.RangePicker />
          </Form.Item>
        </Space>
        <Form.List name="milestones">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'title']} rules={[{ required: true, min: 2 }]}>
                    <Input
                      placeholder={t('socialOrgs.project.milestoneTitle')}
                      style={{ width: 300 }}
                      maxLength={100}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'dueOn']} rules={[{ required: true }]}>
                    <DatePicker placeholder={t('socialOrgs.project.dueOn')} />
                  </Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add()}
                disabled={fields.length >= 20}
              >
                {t('socialOrgs.project.addMilestone')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** One project: budget against spending, milestones (ticked with photos), the allowed actions, the trail. */
export function ProjectDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [ticking, setTicking] = useState<SocialProjectDetail['milestoneList'][number] | null>(null);
  const detail = useQuery({
    queryKey: ['social-projects', 'detail', id],
    queryFn: () => call('GET /api/social-projects/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  const p = detail.data;
  const budget = p ? (p.budgetFen ?? p.amountFen) : 1;
  return (
    <DetailDrawer
      id={id}
      onClose={onClose}
      detail={detail}
      width={760}
      title={p?.title ?? t('socialOrgs.project.detail')}
      testId="social-project-drawer"
    >
      {(p) => (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('common.status')}>
              <span data-testid="social-project-status">
                <ProjectStateTag state={p.status} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.project.period')}>
              {p.startsOn} ~ {p.endsOn}
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.project.org')}>{p.socialOrgName}</Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.project.buyer')}>{p.orgUnitName}</Descriptions.Item>
            {p.summary && (
              <Descriptions.Item label={t('socialOrgs.project.summary')} span={2}>
                {p.summary}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('socialOrgs.project.amount')}>
              {yuanText(p.amountFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.project.budget')}>
              {p.budgetFen === null ? '—' : yuanText(p.budgetFen)}
            </Descriptions.Item>
            <Descriptions.Item label={t('socialOrgs.project.budgetVsSpent')} span={2}>
              <span data-testid="social-project-spent">
                {t('socialOrgs.project.spent')} {yuanText(p.spentFen)} / {yuanText(budget)}
              </span>
              <Progress percent={Math.round((p.spentFen / budget) * 100)} size="small" />
            </Descriptions.Item>
          </Descriptions>
          <ProjectActions project={p} />

          <h4 style={{ marginTop: 20 }}>
            {t('socialOrgs.project.milestones')} {p.milestonesDone}/{p.milestones}
          </h4>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={p.milestoneList}
            data-testid="social-project-milestones"
            columns={[
              { title: t('socialOrgs.project.milestoneTitle'), dataIndex: 'title' },
              { title: t('socialOrgs.project.dueOn'), dataIndex: 'dueOn', width: 110 },
              {
                title: t('socialOrgs.project.doneOn'),
                key: 'done',
                width: 230,
                render: (_, m) =>
                  m.doneOn ? (
                    <Space size={4} wrap>
                      <Tag color="green">{t('socialOrgs.project.done')}</Tag>
                      {m.doneOn}
                      {m.fileIds.map((f) => (
                        <a key={f} href={`/api/files/${f}`} target="_blank" rel="noreferrer">
                          <img src={`/api/files/${f}/thumb`} alt="" width={28} height={28} />
                        </a>
                      ))}
                    </Space>
                  ) : (
                    <Space size={4}>
                      {m.overdue && <Tag color="red">{t('socialOrgs.project.overdue')}</Tag>}
                      {p.mayRecord && (
                        <Button
                          size="small"
                          onClick={() => setTicking(m)}
                          data-testid="social-milestone-tick"
                        >
                          {t('socialOrgs.project.tick')}
                        </Button>
                      )}
                    </Space>
                  ),
              },
            ]}
          />
          {ticking && (
            <MilestoneModal projectId={p.id} milestone={ticking} onClose={() => setTicking(null)} />
          )}

          <h4 style={{ marginTop: 20 }}>{t('socialOrgs.project.spendings')}</h4>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={p.spendings}
            locale={{ emptyText: t('socialOrgs.project.noSpendings') }}
            columns={[
              { title: t('socialOrgs.project.item'), dataIndex: 'item' },
              { title: t('socialOrgs.project.spentOn'), dataIndex: 'spentOn', width: 110 },
              {
                title: t('socialOrgs.project.spendingAmount'),
                dataIndex: 'amountFen',
                width: 130,
                align: 'right',
                render: (v: number) => yuanText(v),
              },
            ]}
          />
          {p.mayRecord && <SpendingForm projectId={p.id} />}

          <h4 style={{ marginTop: 20 }}>{t('socialOrgs.project.trail')}</h4>
          <Timeline
            data-testid="social-project-trail"
            items={p.events.map((e) => ({
              children: (
                <>
                  <strong>{t(`socialOrgs.eventNames.${e.action}`, e.action)}</strong> {e.actorName ?? ''} ·{' '}
                  {when(e.at)}
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

/** The actions the server allows now; completing and terminating ask first and take a note. */
function ProjectActions({ project: p }: { project: SocialProjectDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const [budgetYuan, setBudgetYuan] = useState<number | null>(null);
  const [busy, setBusy] = useState<SocialProjectAction | null>(null);
  if (!p.allowedActions.length) return null;
  const run = async (action: SocialProjectAction) => {
    setBusy(action);
    try {
      const body: Record<string, unknown> = {};
      if (note.trim()) body.note = note.trim();
      if (action === 'approve' && budgetYuan !== null) body.budgetFen = Math.round(budgetYuan * 100);
      await call('POST /api/social-projects/:id/actions/:action', { params: { id: p.id, action }, body });
      message.success(t('socialOrgs.saved'));
      setNote('');
      await qc.invalidateQueries({ queryKey: ['social-projects'] });
      await qc.invalidateQueries({ queryKey: ['social-orgs'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 16 }} data-testid="social-project-actions">
      <Space wrap>
        {p.allowedActions.includes('approve') && (
          <InputNumber
            min={0.01}
            precision={2}
            placeholder={`${t('socialOrgs.project.budget')}（${(p.amountFen / 100).toFixed(2)}）`}
            style={{ width: 200 }}
            value={budgetYuan}
            onChange={(v) => setBudgetYuan(v)}
            data-testid="social-project-budget"
          />
        )}
        <Input
          placeholder={t(
            `socialOrgs.actionNote.${p.allowedActions.includes('complete') ? 'complete' : 'terminate'}`,
          )}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          style={{ width: 320 }}
          data-testid="social-project-note"
        />
      </Space>
      <Space wrap>
        {p.allowedActions.map((a) =>
          a === 'complete' || a === 'terminate' ? (
            <Popconfirm
              key={a}
              title={t(`socialOrgs.confirm.${a}`)}
              onConfirm={() => run(a)}
              okButtonProps={{ 'data-testid': `social-project-confirm-${a}` }}
            >
              <Button
                danger={a === 'terminate'}
                type={a === 'complete' ? 'primary' : 'default'}
                loading={busy === a}
                data-testid={`social-project-${a}`}
              >
                {t(`socialOrgs.actions.${a}`)}
              </Button>
            </Popconfirm>
          ) : (
            <Button
              key={a}
              type="primary"
              loading={busy === a}
              onClick={() => run(a)}
              data-testid={`social-project-${a}`}
            >
              {t(`socialOrgs.actions.${a}`)}
            </Button>
          ),
        )}
      </Space>
    </Space>
  );
}

function MilestoneModal({
  projectId,
  milestone,
  onClose,
}: {
  projectId: string;
  milestone: SocialProjectDetail['milestoneList'][number];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [photos, setPhotos] = useState<{ id: string }[]>([]);
  const [uploading, setUploading] = useState(false);
  const { submit, busy } = useFormSubmit(
    form,
    (v: { doneOn: Dayjs; note?: string }) =>
      call('POST /api/social-projects/:id/milestones/:milestoneId/done', {
        params: { id: projectId, milestoneId: milestone.id },
        body: {
          doneOn: v.doneOn.format('YYYY-MM-DD'),
          note: v.note || undefined,
          fileIds: photos.map((p) => p.id),
        },
      }),
    {
      success: t('socialOrgs.saved'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['social-projects'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('socialOrgs.project.tickTitle', { title: milestone.title })}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'social-milestone-submit', disabled: photos.length === 0 }}
    >
      <Form form={form} layout="vertical" initialValues={{ doneOn: dayjs() }}>
        <Form.Item name="doneOn" label={t('socialOrgs.project.doneOn')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="fileIds" label={t('socialOrgs.project.evidence')} required>
          <Upload
            accept="image/*"
            showUploadList={false}
            beforeUpload={async (file) => {
              setUploading(true);
              try {
                const f = await upload<{ id: string }>('/api/files', file);
                setPhotos((p) => [...p, f]);
              } catch (e) {
                message.error(errorMessage(e));
              } finally {
                setUploading(false);
              }
              return false;
            }}
          >
            <Button icon={<CameraOutlined />} loading={uploading} data-testid="social-milestone-photo">
              {t('socialOrgs.project.upload')}（{photos.length}）
            </Button>
          </Upload>
        </Form.Item>
        <Form.Item name="note" label={t('socialOrgs.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SpendingForm({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = (await form.validateFields()) as { item: string; amountYuan: number; spentOn: Dayjs };
    setBusy(true);
    try {
      await call('POST /api/social-projects/:id/spendings', {
        params: { id: projectId },
        body: {
          item: v.item,
          amountFen: Math.round(v.amountYuan * 100),
          spentOn: v.spentOn.format('YYYY-MM-DD'),
          idempotencyKey: key,
        },
      });
      message.success(t('socialOrgs.saved'));
      form.resetFields();
      setKey(crypto.randomUUID());
      await qc.invalidateQueries({ queryKey: ['social-projects'] });
    } catch (e) {
      // The server names amountFen; the form's field is in yuan.
      const fields = (e as { errors?: { field: string; message: string }[] }).errors;
      const over = fields?.find((f) => f.field === 'amountFen');
      if (over) form.setFields([{ name: 'amountYuan', errors: [over.message] }]);
      else if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form
      form={form}
      layout="inline"
      initialValues={{ spentOn: dayjs() }}
      style={{ marginTop: 8, rowGap: 8 }}
    >
      <Form.Item name="item" rules={[{ required: true, min: 2 }]}>
        <Input placeholder={t('socialOrgs.project.item')} style={{ width: 200 }} maxLength={100} />
      </Form.Item>
      <Form.Item name="amountYuan" rules={[{ required: true }]}>
        <InputNumber
          placeholder={t('socialOrgs.project.spendingAmount')}
          min={0.01}
          precision={2}
          style={{ width: 140 }}
        />
      </Form.Item>
      <Form.Item name="spentOn" rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Button onClick={submit} loading={busy} data-testid="social-spending-submit">
        {t('socialOrgs.project.addSpending')}
      </Button>
    </Form>
  );
}
