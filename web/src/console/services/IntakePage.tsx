import type { Resident } from '@civicgrid/core/api/residents';
import type { ServiceItem } from '@civicgrid/core/api/services';
import { parseIdNumber } from '@civicgrid/core/ids/idNumber';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Segmented,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, errorMessage, fieldMessage, get, type Page } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call, href } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { MaterialRow, type Ticked } from './MaterialRow.js';
import { type Newcomer, NewcomerModal } from './NewcomerModal.js';
import { freshProxyChoice, type ProxyChoice, ProxyIntakeCard, proxyPart } from './ProxyIntakeCard.js';
import { useServiceItems } from './shared.js';

type Lookup =
  | { kind: 'idle' }
  | { kind: 'found'; resident: Resident }
  | { kind: 'notFound' }
  | { kind: 'registered'; resident: Newcomer }
  | { kind: 'failed'; reason: string };

type FormValues = {
  idNumber: string;
  name: string;
  phone?: string;
  serviceCode?: string;
  form?: Record<string, string | number | Dayjs | null | undefined>;
};

const applicantFields = ['idNumber', 'name', 'phone'] as const;

/** The form field a server's field error names: `applicant.idNumber`, `form.purpose`, `serviceCode`. */
function fieldOf(path: string): ['form', string] | (typeof applicantFields)[number] | 'serviceCode' | null {
  const [head, key] = path.split('.');
  if (head === 'form') return key ? ['form', key] : null;
  if (head === 'serviceCode') return head;
  return (head === 'applicant' && applicantFields.find((f) => f === key)) || null;
}

type Created = {
  id: string;
  code: string;
  status: 'submitted' | 'accepted' | 'incomplete';
  dueDate: string | null;
};

/** The item's own form (a small schema in the catalogue), one input per field. */
function ItemFormFields({ fields }: { fields: ServiceItem['formFields'] }) {
  const { t } = useTranslation();
  return (
    <>
      {fields.map((f) => {
        const rules = [
          ...(f.required
            ? [{ required: true, message: t('services.intake.fieldRequired', { label: f.label }) }]
            : []),
          ...(f.type === 'phone'
            ? [{ pattern: /^1\d{10}$/, message: t('services.intake.phoneInvalid') }]
            : []),
          ...(f.type === 'idNumber'
            ? [
                {
                  validator: (_: unknown, v: string | undefined) => {
                    const parsed = parseIdNumber(v ?? '');
                    return !v || parsed.ok
                      ? Promise.resolve()
                      : Promise.reject(new Error(t(`services.intake.idInvalid.${parsed.problem}`)));
                  },
                },
              ]
            : []),
        ];
        const input =
          f.type === 'number' ? (
            <InputNumber style={{ width: '100%' }} />
          ) : f.type === 'date' ? (
            <DatePicker style={{ width: '100%' }} />
          ) : f.type === 'choice' ? (
            <Select options={(f.options ?? []).map((o) => ({ value: o, label: o }))} />
          ) : (
            <Input maxLength={f.type === 'idNumber' ? 18 : f.type === 'phone' ? 11 : 500} />
          );
        return (
          <Col xs={24} md={12} key={f.key}>
            <Form.Item
              name={['form', f.key]}
              label={f.label}
              rules={rules}
              data-testid={`intake-form-${f.key}`}
            >
              {input}
            </Form.Item>
          </Col>
        );
      })}
    </>
  );
}

/** 一窗受理: the applicant by ID number, the item, its materials; accepted or told what is missing. */
export default function IntakePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [form] = Form.useForm<FormValues>();
  const services = useServiceItems();
  // One key per form opened: a retry or a double click finds the same application.
  const [idempotencyKey, setKey] = useState(() => crypto.randomUUID());
  const [ticks, setTicks] = useState<Record<string, Ticked>>({});
  const [lookup, setLookup] = useState<Lookup>({ kind: 'idle' });
  const [registering, setRegistering] = useState(false);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  // 一窗受理 takes a matter in for the applicant in person, or carried for him (帮办代办).
  const [channel, setChannel] = useState<'window' | 'proxy'>('window');
  const [proxy, setProxy] = useState<ProxyChoice>(freshProxyChoice);
  const idNumber = Form.useWatch('idNumber', form) ?? '';
  const serviceCode = Form.useWatch('serviceCode', form);
  const item = services.data?.items.find((s) => s.code === serviceCode);

  // A card reader types the 18 characters and no Enter: the 18th fires the lookup.
  useEffect(() => {
    const parsed = parseIdNumber(idNumber);
    if (!parsed.ok) {
      setLookup({ kind: 'idle' });
      return;
    }
    if (!can('resident:read')) return;
    let stale = false;
    get<Page<Resident>>(`/api/residents?idNumber=${encodeURIComponent(parsed.normalized)}&pageSize=1`)
      .then((page) => {
        if (stale) return;
        const r = page.items[0];
        if (!r) {
          setLookup({ kind: 'notFound' });
          return;
        }
        setLookup({ kind: 'found', resident: r });
        form.setFieldsValue({ name: r.name });
      })
      .catch((e: unknown) => {
        if (!stale) setLookup({ kind: 'failed', reason: errorMessage(e) });
      });
    return () => {
      stale = true;
    };
  }, [idNumber, can, form]);

  const restart = () => {
    form.resetFields();
    setTicks({});
    setLookup({ kind: 'idle' });
    setCreated(null);
    setChannel('window');
    setProxy(freshProxyChoice());
    setKey(crypto.randomUUID());
  };

  const residentId =
    lookup.kind === 'found' ? lookup.resident.id : lookup.kind === 'registered' ? lookup.resident.id : null;
  // Another resident, other agents: the one picked for the last resident does not carry over.
  useEffect(() => {
    setProxy((p) => (residentId === null || p.agentId ? { ...p, agentId: undefined } : p));
  }, [residentId]);

  const submit = async (v: FormValues) => {
    if (!item) return;
    const answers = Object.fromEntries(
      Object.entries(v.form ?? {}).flatMap(([k, x]) =>
        x === undefined || x === null || x === '' ? [] : [[k, dayjs.isDayjs(x) ? x.format('YYYY-MM-DD') : x]],
      ),
    ) as Record<string, string | number>;
    const carried = channel === 'proxy' ? proxyPart(proxy) : null;
    if (carried && 'missing' in carried) {
      message.error(t(carried.missing));
      return;
    }
    setBusy(true);
    try {
      const res = await call('POST /api/applications', {
        body: {
          serviceCode: item.code,
          applicant: {
            idNumber: v.idNumber.trim().toUpperCase(),
            name: v.name.trim(),
            ...(v.phone ? { phone: v.phone.trim() } : {}),
          },
          materials: item.materials.map((m) => {
            const tick = ticks[m.name];
            const promised = tick?.promisedDate;
            return {
              name: m.name,
              provided: tick?.provided ?? false,
              ...(tick?.provided && tick.file ? { fileId: tick.file.id } : {}),
              ...(promised && !tick?.provided ? { promisedDate: promised.format('YYYY-MM-DD') } : {}),
            };
          }),
          form: answers,
          channel,
          ...(carried ? { proxy: carried.proxy } : {}),
          idempotencyKey,
        },
      });
      setCreated(res);
    } catch (e) {
      // A field error lands on its field (`form.purpose` on the item's form); any other is told.
      const fields =
        e instanceof ApiError
          ? e.errors.flatMap((err) => {
              const name = fieldOf(err.field);
              return name && form.getFieldInstance(name) ? [{ name, errors: [fieldMessage(err)] }] : [];
            })
          : [];
      if (fields.length) form.setFields(fields);
      else message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    const accepted = created.status === 'accepted';
    return (
      <Card data-testid="intake-result">
        <Result
          status={accepted ? 'success' : 'warning'}
          title={t(accepted ? 'services.intake.accepted' : 'services.intake.incomplete')}
          subTitle={
            accepted
              ? t('services.intake.acceptedSub', { code: created.code, due: created.dueDate ?? '—' })
              : t('services.intake.incompleteSub', { code: created.code })
          }
          extra={[
            accepted ? (
              <Button
                key="pdf"
                type="primary"
                href={href('GET /api/applications/:id/receipt.pdf', { params: { id: created.id } })}
                target="_blank"
                data-testid="intake-receipt"
              >
                {t('services.intake.receipt')}
              </Button>
            ) : (
              <Button
                key="pdf"
                type="primary"
                href={href('GET /api/applications/:id/notice.pdf', { params: { id: created.id } })}
                target="_blank"
                data-testid="intake-notice"
              >
                {t('services.intake.notice')}
              </Button>
            ),
            <Link key="view" to={`/applications/${created.id}`} data-testid="intake-view">
              <Button>{t('services.intake.view')}</Button>
            </Link>,
            <Button key="next" onClick={restart} data-testid="intake-next">
              {t('services.intake.reset')}
            </Button>,
          ]}
        />
      </Card>
    );
  }

  const idCheck = (_: unknown, value: string | undefined) => {
    const parsed = parseIdNumber(value ?? '');
    return parsed.ok
      ? Promise.resolve()
      : Promise.reject(new Error(t(`services.intake.idInvalid.${parsed.problem}`)));
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} data-testid="intake-form">
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card
            title={t('services.intake.applicant')}
            style={{ marginBottom: 16 }}
            extra={
              <Segmented
                value={channel}
                onChange={(v) => setChannel(v as 'window' | 'proxy')}
                options={[
                  { value: 'window', label: t('proxy.window.atWindow') },
                  { value: 'proxy', label: t('proxy.window.proxy') },
                ]}
                data-testid="intake-channel"
              />
            }
          >
            <Form.Item
              name="idNumber"
              label={t('services.intake.idNumber')}
              rules={[{ validator: idCheck }]}
              validateTrigger={['onBlur', 'onSubmit']}
            >
              <Input
                maxLength={18}
                autoFocus
                autoComplete="off"
                // Some card readers end with Enter: it must not submit a half-filled form.
                onPressEnter={(e) => {
                  e.preventDefault();
                  form.getFieldInstance('name')?.focus();
                }}
                placeholder={t('services.intake.idPlaceholder')}
                style={{ fontFamily: 'monospace', letterSpacing: 1 }}
                data-testid="intake-id"
              />
            </Form.Item>
            {lookup.kind === 'found' && (
              <Alert
                type="success"
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="intake-found"
                title={t('services.intake.found', {
                  name: lookup.resident.name,
                  grid: [lookup.resident.communityName, lookup.resident.gridName].filter(Boolean).join(' · '),
                })}
              />
            )}
            {lookup.kind === 'notFound' && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                title={t('services.intake.notFound')}
                data-testid="intake-not-found"
                action={
                  can('application:intake') && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => setRegistering(true)}
                      data-testid="intake-register"
                    >
                      {t('serviceDesk.newcomer.register')}
                    </Button>
                  )
                }
              />
            )}
            {lookup.kind === 'registered' && (
              <Alert
                type="success"
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="intake-registered"
                title={t('serviceDesk.newcomer.registered', {
                  name: lookup.resident.name,
                  address: lookup.resident.address,
                })}
              />
            )}
            {registering && (
              <NewcomerModal
                idNumber={idNumber.trim().toUpperCase()}
                name={form.getFieldValue('name')}
                phone={form.getFieldValue('phone')}
                onClose={() => setRegistering(false)}
                onDone={(r, phone) => {
                  setRegistering(false);
                  setLookup({ kind: 'registered', resident: r });
                  form.setFieldsValue({ name: r.name, ...(phone ? { phone } : {}) });
                  form.getFieldInstance('serviceCode')?.focus();
                }}
              />
            )}
            {lookup.kind === 'failed' && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                title={t('services.intake.lookupFailed', { reason: lookup.reason })}
              />
            )}
            <Form.Item
              name="name"
              label={t('services.intake.name')}
              rules={[{ required: true, whitespace: true, message: t('services.intake.nameRequired') }]}
            >
              <Input maxLength={50} data-testid="intake-name" />
            </Form.Item>
            <Form.Item
              name="phone"
              label={t('services.intake.phone')}
              rules={[{ pattern: /^1\d{10}$/, message: t('services.intake.phoneInvalid') }]}
            >
              <Input maxLength={11} data-testid="intake-phone" />
            </Form.Item>
          </Card>
          {channel === 'proxy' && (
            <ProxyIntakeCard residentId={residentId} value={proxy} onChange={setProxy} />
          )}
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('services.intake.service')} style={{ marginBottom: 16 }}>
            <QueryState
              loading={services.isLoading}
              error={services.error}
              onRetry={() => services.refetch()}
            >
              <Form.Item
                name="serviceCode"
                rules={[{ required: true, message: t('services.intake.serviceRequired') }]}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('services.intake.servicePlaceholder')}
                  options={(services.data?.items ?? []).map((s) => ({
                    value: s.code,
                    label: `${s.name}（${s.code}）`,
                  }))}
                  onChange={() => {
                    setTicks({});
                    form.setFieldValue('form', undefined);
                  }}
                  data-testid="intake-service"
                />
              </Form.Item>
              {item && (
                <>
                  <Space size={8} wrap style={{ marginBottom: 12 }}>
                    <Tag color="blue">{t(`services.categories.${item.category}`)}</Tag>
                    <Typography.Text type="secondary">
                      {item.timeLimitDays === 0
                        ? t('services.intake.onTheSpot')
                        : t('services.intake.timeLimit', { days: item.timeLimitDays })}
                    </Typography.Text>
                    <Typography.Text type="secondary">{item.fee}</Typography.Text>
                  </Space>
                  <Typography.Title level={5} style={{ marginTop: 0 }}>
                    {t('services.intake.materials')}
                  </Typography.Title>
                  <Typography.Paragraph type="secondary">
                    {t('services.intake.materialsHint')}
                  </Typography.Paragraph>
                  {item.materials.length === 0 ? (
                    <Empty
                      image={Empty.PRESENTED_IMAGE_SIMPLE}
                      description={t('services.intake.noMaterials')}
                    />
                  ) : (
                    <div data-testid="intake-materials">
                      {item.materials.map((m) => (
                        <MaterialRow
                          key={m.name}
                          m={m}
                          value={ticks[m.name] ?? { provided: false }}
                          onChange={(v) => setTicks((cur) => ({ ...cur, [m.name]: v }))}
                        />
                      ))}
                    </div>
                  )}
                </>
              )}
            </QueryState>
          </Card>
          {item && item.formFields.length > 0 && (
            <Card title={t('services.intake.form')} style={{ marginBottom: 16 }}>
              <Row gutter={16}>
                <ItemFormFields fields={item.formFields} />
              </Row>
            </Card>
          )}
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            loading={busy}
            disabled={!item}
            data-testid="intake-submit"
          >
            {t('services.intake.submit')}
          </Button>
        </Col>
      </Row>
    </Form>
  );
}
