import type { ServiceItem } from '@civicgrid/core/api/services';
import { useEffect, useRef, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { call, HttpError, type Reply, request } from '../m/api.js';
import { PhotoPicker, toast } from '../m/ui.js';
import { ProxyAsk } from './ProxyRequest.js';
import { navigate } from './router.js';
import { s } from './strings.js';
import { sv } from './svcStrings.js';

const categories = Object.keys(sv.categories);

/** 办事指南: the current catalogue, searched by name and filtered by category. Open to anyone. */
export function GuideList() {
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [list, setList] = useState<ServiceItem[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let gone = false;
    const timer = setTimeout(() => {
      request('GET /api/public/service-guide', {
        query: { ...(q.trim() ? { q: q.trim() } : {}), ...(category ? { category } : {}) } as never,
      })
        .then((r) => {
          if (gone) return;
          setList(r.items);
          setFailed(false);
        })
        .catch(() => !gone && setFailed(true));
    }, 250);
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [q, category]);
  return (
    <div className="r-form">
      <input
        type="search"
        value={q}
        placeholder={sv.guideSearch}
        data-testid="r-guide-search"
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
      />
      <div className="r-chips">
        {['', ...categories].map((c) => (
          <button
            key={c || 'all'}
            type="button"
            className={`r-chip${category === c ? ' on' : ''}`}
            aria-pressed={category === c}
            onClick={() => setCategory(c)}
          >
            {c ? sv.categories[c] : sv.allCategories}
          </button>
        ))}
      </div>
      {failed ? (
        <p className="error">{s.failed}</p>
      ) : !list ? (
        <p className="r-loading">{s.loading}</p>
      ) : list.length === 0 ? (
        <p className="r-empty">{sv.noItems}</p>
      ) : (
        <ul className="r-list" data-testid="r-guide-list">
          {list.map((i) => (
            <li key={i.code}>
              <button type="button" className="r-card" onClick={() => navigate(`/r/guide/${i.code}`)}>
                <span className="r-card-top">
                  <strong>{i.name}</strong>
                  <span className="r-tag">{sv.categories[i.category]}</span>
                </span>
                <span className="r-card-meta">
                  {sv.timeLimit} {sv.days(i.timeLimitDays)} · {i.fee}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function useItem(code: string) {
  const [item, setItem] = useState<ServiceItem | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    request('GET /api/public/services/:code', { params: { code } })
      .then(setItem)
      .catch(() => setFailed(true));
  }, [code]);
  return { item, failed };
}

/** One item's guide: conditions, materials, basis, time limits, fee, where to go; then apply. */
export function GuidePage({ code, signedIn }: { code: string; signedIn: boolean }) {
  const { item, failed } = useItem(code);
  if (failed) return <p className="error">{s.failed}</p>;
  if (!item) return <p className="r-loading">{s.loading}</p>;
  return (
    <div className="r-detail" data-testid="r-guide">
      <section className="r-box">
        <div className="r-card-top">
          <strong>{item.name}</strong>
          <span className="r-tag">{sv.categories[item.category]}</span>
        </div>
        {item.conditions && (
          <>
            <h2>{sv.conditions}</h2>
            <p>{item.conditions}</p>
          </>
        )}
        <h2>{sv.materials}</h2>
        <ol className="r-materials" data-testid="r-guide-materials">
          {item.materials.map((m) => (
            <li key={m.name}>
              {m.name}（{sv.forms[m.form]} {sv.copies(m.copies)}
              {m.required ? '' : `，${sv.optional}`}
              {m.waivable ? `，${sv.waivable}` : ''}）
              {m.note && <span className="r-card-meta"> {m.note}</span>}
            </li>
          ))}
        </ol>
        <h2>{sv.timeLimit}</h2>
        <p>
          {sv.days(item.timeLimitDays)}（{sv.statutory(item.statutoryDays)}）
        </p>
        <h2>{sv.fee}</h2>
        <p>{item.fee}</p>
        <h2>{sv.where}</h2>
        <p>{sv.whereText(item.level, item.departmentName)}</p>
        {item.legalBasis && (
          <>
            <h2>{sv.legalBasis}</h2>
            <p>{item.legalBasis}</p>
          </>
        )}
        {item.issuesCertificate && <p className="r-card-meta">{sv.certificateOut}</p>}
      </section>
      <button
        type="button"
        className="primary wide"
        data-testid="r-apply"
        onClick={() => navigate(signedIn ? `/r/apply/${item.code}` : '/r')}
      >
        {sv.applyOnline}
      </button>
      <ProxyAsk code={item.code} signedIn={signedIn} />
    </div>
  );
}

type Profile = Reply<'GET /api/me/resident'>;

/** 实名认证 inline: an online application is in the resident's own name. */
function RealName({ done }: { done: () => void }) {
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [error, setError] = useState<string | null>(null);
  const bind = async () => {
    try {
      await request('POST /api/me/resident/real-name', {
        body: { name: name.trim(), idNumber: idNumber.trim() },
      });
      done();
    } catch (e) {
      setError(e instanceof HttpError ? e.message : s.failed);
    }
  };
  return (
    <section className="r-box" data-testid="r-real-name">
      <p>{sv.realNameFirst}</p>
      <label className="field">
        <span className="field-label">{s.realNameName}</span>
        <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <label className="field">
        <span className="field-label">{s.idNumber}</span>
        <input
          value={idNumber}
          maxLength={18}
          onInput={(e) => setIdNumber((e.target as HTMLInputElement).value)}
        />
      </label>
      {error && <p className="error">{error}</p>}
      <button type="button" className="primary wide" onClick={bind}>
        {s.bind}
      </button>
    </section>
  );
}

/** 在线申办: the item's form, a photo per material (shrunk on the phone), his community. */
export function ApplyPage({ code }: { code: string }) {
  const { item, failed } = useItem(code);
  const [profile, setProfile] = useState<Profile | null>(null);
  const [communities, setCommunities] = useState<Reply<'GET /api/public/communities'>['items'] | null>(null);
  const [community, setCommunity] = useState('');
  const [form, setForm] = useState<Record<string, string>>({});
  const [files, setFiles] = useState<Record<string, Blob[]>>({});
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string | undefined; text: string } | null>(null);
  const key = useRef(newUuid());
  const loadProfile = () =>
    request('GET /api/me/resident')
      .then(setProfile)
      .catch(() => setError({ text: s.failed }));
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per page
  useEffect(() => {
    void loadProfile();
    request('GET /api/public/communities')
      .then((r) => setCommunities(r.items))
      .catch(() => setCommunities([]));
  }, []);
  if (failed) return <p className="error">{s.failed}</p>;
  if (!item || !profile || !communities) return <p className="r-loading">{s.loading}</p>;
  if (!profile.realName) return <RealName done={loadProfile} />;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const materials = [];
      for (const m of item.materials) {
        const blob = files[m.name]?.[0];
        let fileId: string | undefined;
        if (blob) {
          const data = new FormData();
          data.append('file', blob, 'material.jpg');
          fileId = (await call<{ id: string }>('POST', '/api/my/material-files', data)).id;
        }
        materials.push({ name: m.name, ...(fileId ? { fileId } : {}) });
      }
      const answers: Record<string, string | number> = {};
      for (const f of item.formFields) {
        const v = (form[f.key] ?? '').trim();
        if (v) answers[f.key] = f.type === 'number' ? Number(v) : v;
      }
      const created = await request('POST /api/my/applications', {
        body: {
          serviceCode: item.code,
          materials,
          form: answers,
          ...(community ? { orgUnitId: Number(community) } : {}),
          ...(phone.trim() ? { phone: phone.trim() } : {}),
          idempotencyKey: key.current,
        },
      });
      toast(sv.submitted(created.code));
      navigate(`/r/applications/${created.id}`);
    } catch (e) {
      setError(e instanceof HttpError ? { field: e.field, text: e.message } : { text: s.failed });
    } finally {
      setBusy(false);
    }
  };
  const bad = (f: string) => (error?.field === f ? 'bad' : '');
  return (
    <div className="r-form" data-testid="r-apply-form">
      <p className="r-box">
        <strong>{item.name}</strong>
        <br />
        <span className="r-card-meta">
          {profile.realName.name} · {profile.realName.idNumber}
        </span>
      </p>
      <label className="field">
        <span className="field-label">{sv.community}</span>
        <select
          value={community}
          className={bad('orgUnitId')}
          data-testid="r-community"
          onChange={(e) => setCommunity((e.target as HTMLSelectElement).value)}
        >
          <option value="">{sv.pickCommunity}</option>
          {communities.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.streetName} {c.name}
            </option>
          ))}
        </select>
      </label>
      {item.formFields.length > 0 && <span className="field-label">{sv.form}</span>}
      {item.formFields.map((f) => (
        <div className="field" key={f.key}>
          <span className="field-label">
            {f.label}
            {f.required ? ' *' : ''}
          </span>
          {f.type === 'choice' ? (
            <select
              value={form[f.key] ?? ''}
              aria-label={f.label}
              className={bad(`form.${f.key}`)}
              onChange={(e) => setForm({ ...form, [f.key]: (e.target as HTMLSelectElement).value })}
            >
              <option value="" />
              {(f.options ?? []).map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          ) : (
            <input
              type={f.type === 'date' ? 'date' : f.type === 'number' ? 'number' : 'text'}
              value={form[f.key] ?? ''}
              aria-label={f.label}
              className={bad(`form.${f.key}`)}
              data-testid={`r-form-${f.key}`}
              onInput={(e) => setForm({ ...form, [f.key]: (e.target as HTMLInputElement).value })}
            />
          )}
        </div>
      ))}
      <span className="field-label">{sv.materials}</span>
      {item.materials.map((m, i) => (
        <div className={`field r-material ${bad(`materials.${i}.fileId`)}`} key={m.name}>
          <span className="field-label">
            {m.name}
            {m.required ? ' *' : `（${sv.optional}）`}
          </span>
          <PhotoPicker
            value={files[m.name] ?? []}
            onChange={(b) => setFiles({ ...files, [m.name]: b })}
            max={1}
            testId={`r-material-${i}`}
          />
        </div>
      ))}
      <label className="field">
        <span className="field-label">{sv.phone}</span>
        <input
          type="tel"
          value={phone}
          maxLength={11}
          className={bad('phone')}
          onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
        />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="r-error">
          {error.text}
        </p>
      )}
      <button
        type="button"
        className="primary wide"
        disabled={busy}
        data-testid="r-apply-submit"
        onClick={submit}
      >
        {busy ? sv.submitting : sv.submit}
      </button>
    </div>
  );
}
