import { consentMethodNames, consentMethods } from '@civicgrid/core/proxy/consent';
import { type ApplicationState, applicationStateNames } from '@civicgrid/core/services/stateMachine';
import { useEffect, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { type Reply, request } from './api.js';
import { type ServiceItem, services, showKept } from './kept.js';
import { ProxyRequestList } from './ProxyRequests.js';
import { cache, cached, enqueue } from './store.js';
import { syncNow } from './sync.js';
import { Field, fmtTime, PhotoPicker, toast } from './ui.js';
import { useOutbox } from './useOutbox.js';

/**
 * 帮办代办 in the field app (issue 15 item 4, seed 004: 1 resident : 1 grid worker : N
 * departments): the worker takes a matter in for a resident of his grid — the resident, the
 * item, the materials photographed, the resident's consent — and follows it to the end.
 * Saved in the outbox first, so it is never lost without a connection.
 */

type Mine = Reply<'GET /api/proxy-applications'>['items'][number];
type Item = ServiceItem;
type Person = Reply<'GET /api/residents'>['items'][number];

const stateName = (s: string) => applicationStateNames[s as ApplicationState]?.zh ?? s;
const stateColour = (s: string) =>
  s === 'incomplete' ? 'orange' : s === 'rejected' || s === 'withdrawn' ? 'red' : '';

export function ProxyListScreen({ startNew }: { startNew: () => void }) {
  const [items, setItems] = useState<Mine[] | null>(null);
  const [offline, setOffline] = useState(false);
  const pending = useOutbox().filter((e) => e.kind === 'proxyApplication');
  useEffect(() => {
    request('GET /api/proxy-applications', { query: { pageSize: 50 } })
      .then(async (r) => {
        await cache('proxy-mine', r.items);
        setItems(r.items);
      })
      .catch(async () => {
        setOffline(true);
        setItems((await cached<Mine[]>('proxy-mine')) ?? []);
      });
  }, []);
  return (
    <div className="screen" data-testid="m-proxy-list">
      <button type="button" className="primary" onClick={startNew} data-testid="m-proxy-new">
        为居民代办新事项
      </button>
      {!offline && <ProxyRequestList startNew={startNew} />}
      {offline && <p className="muted">离线：显示上次同步的状态</p>}
      {pending.length > 0 && (
        <ul className="list">
          {pending.map((e) => (
            <li key={e.id}>
              <div className="row">
                <b className="clip">{e.label}</b>
                <span className={`tag ${e.status === 'failed' ? 'red' : 'orange'}`}>
                  {e.status === 'failed' ? '发送失败' : '待发送'}
                </span>
              </div>
              {e.error && <div className="error">原因：{e.error}</div>}
            </li>
          ))}
        </ul>
      )}
      {items === null && <p className="muted">加载中…</p>}
      {items?.length === 0 && pending.length === 0 && <p className="empty">还没有代办的事项</p>}
      <ul className="list" data-testid="m-proxy-items">
        {items?.map((a) => (
          <li key={a.id} data-testid="m-proxy-item">
            <div className="row">
              <b className="clip">{a.serviceName}</b>
              <span
                className={`tag ${a.overdue ? 'red' : stateColour(a.status)}`}
                data-testid="m-proxy-state"
              >
                {a.overdue ? '已超期' : stateName(a.status)}
              </span>
            </div>
            <div className="muted">
              {a.applicantName} · {a.code}
            </div>
            <div className="muted small">
              受理 {fmtTime(a.createdAt)}
              {a.dueDate ? ` · 承诺 ${a.dueDate} 办结` : ''}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ResidentPicker({ value, onPick }: { value: Person | null; onPick: (p: Person | null) => void }) {
  const [term, setTerm] = useState('');
  const [found, setFound] = useState<Person[] | null>(null);
  if (value)
    return (
      <div className="row card" data-testid="m-proxy-resident">
        <span>
          <b>{value.name}</b> <span className="muted">{value.idNumber}</span>
        </span>
        <button type="button" className="link" onClick={() => onPick(null)}>
          重选
        </button>
      </div>
    );
  const search = async () => {
    if (!term.trim()) return toast('请输入姓名');
    try {
      setFound((await request('GET /api/residents', { query: { q: term.trim(), pageSize: 20 } })).items);
    } catch {
      toast('查找居民需要网络');
    }
  };
  return (
    <>
      <div className="row">
        <input
          placeholder="本网格居民姓名"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void search();
          }}
          data-testid="m-proxy-search"
        />
        <button type="button" className="link" onClick={() => void search()} data-testid="m-proxy-search-go">
          查找
        </button>
      </div>
      {found?.length === 0 && <p className="muted">本网格没有找到该居民</p>}
      <ul className="list">
        {found?.map((p) => (
          <li key={p.id}>
            <button type="button" onClick={() => onPick(p)} data-testid="m-proxy-person">
              <b>{p.name}</b> <span className="muted">{p.idNumber}</span>
              <div className="muted small">{p.gridName}</div>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The consent time as the datetime-local input shows it (the phone's own clock and zone). */
const localNow = () => {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export function ProxyNewScreen({ done }: { done: () => void }) {
  const [person, setPerson] = useState<Person | null>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [code, setCode] = useState('');
  const [provided, setProvided] = useState<Record<string, boolean>>({});
  const [photos, setPhotos] = useState<Record<string, Blob[]>>({});
  const [method, setMethod] = useState<(typeof consentMethods)[number]>('signedForm');
  const [consentAt, setConsentAt] = useState(localNow);
  const [consentPhoto, setConsentPhoto] = useState<Blob[]>([]);
  const [note, setNote] = useState('');
  const [phone, setPhone] = useState('');
  const [form, setForm] = useState<Record<string, string>>({});
  useEffect(() => {
    showKept(services(), setItems);
  }, []);
  const item = items.find((i) => i.code === code);
  const submit = async () => {
    if (!person) return toast('请选择居民');
    if (!item) return toast('请选择办理事项');
    if (method === 'signedForm' && !consentPhoto.length) return toast('请拍摄居民签字的委托书');
    if (method === 'verbal' && note.trim().length < 2) return toast('请记录居民的口头同意');
    if (phone && !/^1\d{10}$/.test(phone)) return toast('请输入 11 位手机号');
    const blank = item.formFields.find((f) => f.required && !form[f.key]?.trim());
    if (blank) return toast(`请填写“${blank.label}”`);
    const answers = Object.fromEntries(
      item.formFields
        .filter((f) => form[f.key]?.trim())
        .map((f) => [f.key, f.type === 'number' ? Number(form[f.key]) : (form[f.key] as string).trim()]),
    );
    const id = newUuid();
    const shots: Record<string, Blob[]> = { consent: consentPhoto };
    item.materials.forEach((m, i) => {
      if (photos[m.name]?.length) shots[`m${i}`] = photos[m.name] as Blob[];
    });
    await enqueue(
      {
        id,
        kind: 'proxyApplication',
        label: `代办 ${item.name}：${person.name}`,
        body: {
          serviceCode: item.code,
          residentId: person.id,
          materials: item.materials.map((m) => ({
            name: m.name,
            provided: provided[m.name] ?? Boolean(photos[m.name]?.length),
          })),
          consent: {
            method,
            at: new Date(consentAt).toISOString(),
            ...(note.trim() ? { note: note.trim() } : {}),
          },
          ...(phone ? { phone } : {}),
          ...(Object.keys(answers).length ? { form: answers } : {}),
        },
      },
      shots,
    );
    void syncNow();
    toast(navigator.onLine ? '已提交' : '已保存，联网后自动提交');
    done();
  };
  return (
    <div className="screen" data-testid="m-proxy-form">
      <Field label="居民（本网格）">
        <ResidentPicker value={person} onPick={setPerson} />
      </Field>
      <Field label="办理事项">
        <select value={code} onChange={(e) => setCode(e.target.value)} data-testid="m-proxy-item-select">
          <option value="">请选择</option>
          {items.map((i) => (
            <option key={i.code} value={i.code}>
              {i.name}
            </option>
          ))}
        </select>
      </Field>
      {item && (
        <Field label="申请材料" hint="勾选已收的材料，逐项拍照（自动压缩）">
          <ul className="list">
            {item.materials.map((m) => (
              <li key={m.name}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={provided[m.name] ?? Boolean(photos[m.name]?.length)}
                    onChange={(e) => setProvided({ ...provided, [m.name]: e.target.checked })}
                    data-testid="m-proxy-material"
                  />
                  {m.name}
                  {m.required ? '' : '（选交）'}
                </label>
                <PhotoPicker
                  value={photos[m.name] ?? []}
                  onChange={(b) => setPhotos({ ...photos, [m.name]: b })}
                  max={1}
                />
              </li>
            ))}
          </ul>
        </Field>
      )}
      {item?.formFields.map((f) => (
        <Field key={f.key} label={`${f.label}${f.required ? '' : '（选填）'}`}>
          {f.type === 'choice' ? (
            <select value={form[f.key] ?? ''} onChange={(e) => setForm({ ...form, [f.key]: e.target.value })}>
              <option value="">请选择</option>
              {f.options?.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          ) : (
            <input
              type={f.type === 'date' ? 'date' : 'text'}
              inputMode={f.type === 'number' || f.type === 'phone' ? 'numeric' : undefined}
              value={form[f.key] ?? ''}
              onChange={(e) => setForm({ ...form, [f.key]: e.target.value })}
              data-testid={`m-proxy-form-${f.key}`}
            />
          )}
        </Field>
      ))}
      <Field label="居民委托同意">
        <div className="seg">
          {consentMethods.map((c) => (
            <button
              type="button"
              key={c}
              className={method === c ? 'on' : ''}
              onClick={() => setMethod(c)}
              data-testid={`m-proxy-consent-${c}`}
            >
              {consentMethodNames[c]}
            </button>
          ))}
        </div>
      </Field>
      {method === 'signedForm' ? (
        <Field label="委托书照片">
          <PhotoPicker
            value={consentPhoto}
            onChange={setConsentPhoto}
            max={1}
            testId="m-proxy-consent-photo"
          />
        </Field>
      ) : (
        <Field label="同意内容记录">
          <textarea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="如：本人同意由网格员代为办理"
            data-testid="m-proxy-consent-note"
          />
        </Field>
      )}
      <Field label="同意时间">
        <input type="datetime-local" value={consentAt} onChange={(e) => setConsentAt(e.target.value)} />
      </Field>
      <Field label="联系电话（选填）">
        <input inputMode="tel" value={phone} onChange={(e) => setPhone(e.target.value.trim())} />
      </Field>
      <button type="button" className="primary" onClick={() => void submit()} data-testid="m-proxy-submit">
        提交代办
      </button>
    </div>
  );
}
