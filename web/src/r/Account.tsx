import { useEffect, useState } from 'react';
import { HttpError, type Me, type Reply, request, setCsrf } from '../m/api.js';
import { toast } from '../m/ui.js';
import { navigate } from './router.js';
import { s } from './strings.js';

type Profile = Reply<'GET /api/me/resident'>;

/** 我的: phone (masked), the privacy consent, optional real-name binding, sign-out and deletion. */
export function AccountPage({ me, signedOut }: { me: Me; signedOut: () => void }) {
  const [p, setP] = useState<Profile | null>(null);
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [error, setError] = useState<{ field?: string | undefined; text: string } | null>(null);
  useEffect(() => {
    request('GET /api/me/resident')
      .then(setP)
      .catch(() => setError({ text: s.failed }));
  }, []);

  const bind = async () => {
    setError(null);
    try {
      setP(
        await request('POST /api/me/resident/real-name', {
          body: { name: name.trim(), idNumber: idNumber.trim() },
        }),
      );
    } catch (e) {
      setError(e instanceof HttpError ? { field: e.field, text: e.message } : { text: s.failed });
    }
  };
  const leave = async () => {
    await request('POST /api/auth/logout').catch(() => undefined);
    setCsrf(null);
    signedOut();
    navigate('/r');
  };
  const remove = async () => {
    if (!confirm(s.deleteConfirm)) return;
    try {
      await request('DELETE /api/me/resident');
      setCsrf(null);
      toast(s.deleted);
      signedOut();
      navigate('/r');
    } catch (e) {
      toast(e instanceof HttpError ? e.message : s.failed);
    }
  };

  if (!p) return error ? <p className="error">{error.text}</p> : <p className="r-loading">{s.loading}</p>;
  return (
    <div className="r-form" data-testid="r-profile">
      <section className="r-box">
        <div className="r-row r-between">
          <span>{s.profilePhone}</span>
          <strong>{p.phone ?? me.displayName}</strong>
        </div>
        <div className="r-row r-between">
          <span>{s.consent}</span>
          <span className="r-card-meta">
            {p.consent
              ? s.consentAt(p.consent.version, new Date(p.consent.at).toLocaleDateString('zh-CN'))
              : '—'}
          </span>
        </div>
      </section>
      <section className="r-box">
        <h2>{s.realName}</h2>
        {p.realName ? (
          <p data-testid="r-real-name">
            {s.bound}：{p.realName.name} {p.realName.idNumber}
          </p>
        ) : (
          <>
            <p className="r-card-meta">{s.realNameNone}</p>
            <label className="field">
              <span className="field-label">{s.realNameName}</span>
              <input
                value={name}
                maxLength={40}
                onInput={(e) => setName((e.target as HTMLInputElement).value)}
              />
            </label>
            <label className="field">
              <span className="field-label">{s.idNumber}</span>
              <input
                value={idNumber}
                maxLength={18}
                className={error?.field === 'idNumber' ? 'bad' : ''}
                data-testid="r-id-number"
                onInput={(e) => setIdNumber((e.target as HTMLInputElement).value)}
              />
            </label>
            {error && (
              <p className="error" role="alert">
                {error.text}
              </p>
            )}
            <button type="button" className="r-secondary wide" data-testid="r-bind" onClick={bind}>
              {s.bind}
            </button>
          </>
        )}
      </section>
      <button type="button" className="r-secondary wide" data-testid="r-sign-out" onClick={leave}>
        {s.signOut}
      </button>
      {p.deletable && (
        <button type="button" className="r-danger wide" data-testid="r-delete" onClick={remove}>
          {s.deleteAccount}
        </button>
      )}
    </div>
  );
}
