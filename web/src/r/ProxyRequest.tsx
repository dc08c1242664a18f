import { useEffect, useRef, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { HttpError, type Reply, request } from '../m/api.js';
import { toast } from '../m/ui.js';
import { px } from './proxyStrings.js';
import { navigate } from './router.js';
import { s } from './strings.js';

type Communities = Reply<'GET /api/public/communities'>['items'];

/**
 * 请网格员帮办 on an item's guide: a short note, when to call, his consent. It goes to his grid
 * (his real-name binding); when he has none on file the server asks for his community.
 */
export function ProxyAsk({ code, signedIn }: { code: string; signedIn: boolean }) {
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({ note: '', contactTime: '', phone: '', unit: '', consent: false });
  const [units, setUnits] = useState<Communities | null>(null);
  const [error, setError] = useState<{ field?: string | undefined; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newUuid());
  if (!open)
    return (
      <button
        type="button"
        className="wide"
        data-testid="r-proxy-ask"
        onClick={() => (signedIn ? setOpen(true) : navigate('/r'))}
      >
        {px.ask}
      </button>
    );
  const set = (k: keyof typeof f) => (e: { target: EventTarget | null }) => {
    const t = e.target as HTMLInputElement;
    setF({ ...f, [k]: t.type === 'checkbox' ? t.checked : t.value });
  };
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await request('POST /api/my/proxy-requests', {
        body: {
          serviceCode: code,
          note: f.note.trim(),
          contactTime: f.contactTime.trim(),
          ...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
          ...(f.unit ? { orgUnitId: Number(f.unit) } : {}),
          consent: f.consent as true,
          idempotencyKey: key.current,
        },
      });
      toast(px.sent);
      navigate('/r?tab=apps');
    } catch (e) {
      const err = e instanceof HttpError ? { field: e.field, text: e.message } : { text: s.failed };
      setError(err);
      if (err.field === 'orgUnitId' && !units)
        request('GET /api/public/communities')
          .then((r) => setUnits(r.items))
          .catch(() => setUnits([]));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="r-box r-form" data-testid="r-proxy-form">
      <p>{px.intro}</p>
      <label className="field">
        <span className="field-label">{px.note}</span>
        <textarea maxLength={200} value={f.note} onInput={set('note')} />
      </label>
      <label className="field">
        <span className="field-label">{px.contactTime}</span>
        <input maxLength={50} value={f.contactTime} onInput={set('contactTime')} />
      </label>
      <label className="field">
        <span className="field-label">{px.phone}</span>
        <input type="tel" maxLength={11} value={f.phone} onInput={set('phone')} />
      </label>
      {units && (
        <label className="field">
          <span className="field-label">{px.community}</span>
          <select value={f.unit} data-testid="r-proxy-community" onChange={set('unit')}>
            <option value="">{px.pickCommunity}</option>
            {units.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.streetName} {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="r-check">
        <input type="checkbox" checked={f.consent} data-testid="r-proxy-consent" onChange={set('consent')} />{' '}
        {px.consent}
      </label>
      {error && (
        <p className="error" role="alert">
          {error.text}
        </p>
      )}
      <button
        type="button"
        className="primary wide"
        disabled={busy}
        data-testid="r-proxy-send"
        onClick={send}
      >
        {px.send}
      </button>
    </section>
  );
}

/** 我的事项 › 帮办请求: his requests and where each stands; nothing shown when he has none. */
export function MyProxyRequests() {
  const [list, setList] = useState<Reply<'GET /api/my/proxy-requests'>['items'] | null>(null);
  const [failed, setFailed] = useState(false);
  const load = () =>
    request('GET /api/my/proxy-requests', { query: { page: 1, pageSize: 20 } })
      .then((r) => setList(r.items))
      .catch(() => setFailed(true));
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per page
  useEffect(() => void load(), []);
  if (failed) return <p className="error">{s.failed}</p>;
  if (!list) return <p className="r-loading">{s.loading}</p>;
  if (!list.length) return null;
  const cancel = (id: string) =>
    request('POST /api/proxy-requests/:id/actions/cancel', { params: { id } })
      .then(load)
      .catch((e) => toast(e instanceof HttpError ? e.message : s.failed));
  return (
    <section data-testid="r-proxy-requests">
      <h2>{px.mine}</h2>
      <ul className="r-list">
        {list.map((r) => (
          <li key={r.id} className="r-card" data-testid="r-proxy-request">
            <span className="r-card-top">
              <strong>{r.itemName}</strong>
              <span className="r-tag" data-testid="r-proxy-status">
                {px.status[r.status]}
              </span>
            </span>
            <span className="r-card-meta">
              {r.orgUnitName}
              {r.takenByName ? ` · ${px.takenBy(r.takenByName)}` : ''}
            </span>
            {(r.status === 'open' || r.status === 'taken') && (
              <button type="button" className="link" onClick={() => cancel(r.id)}>
                {px.cancel}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
