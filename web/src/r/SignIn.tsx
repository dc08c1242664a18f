import { useEffect, useState } from 'react';
import { HttpError, type Me, request, setCsrf } from '../m/api.js';
import { toast } from '../m/ui.js';
import { s } from './strings.js';

/** 手机号 + 验证码, with the privacy notice agreed to before the first sign-in. */
export function SignIn({ done }: { done: (me: Me) => void }) {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string | undefined; text: string } | null>(null);
  const [showNotice, setShowNotice] = useState(false);

  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);

  const fail = (e: unknown) =>
    setError(e instanceof HttpError ? { field: e.field, text: e.message } : { text: s.failed });

  const sendCode = async () => {
    setError(null);
    try {
      await request('POST /api/resident-auth/code', { body: { phone: phone.trim() } });
      setWait(60);
      toast(s.codeSent);
    } catch (e) {
      fail(e);
    }
  };

  const signIn = async () => {
    if (!agreed) return setError({ field: 'agree', text: s.mustAgree });
    setBusy(true);
    setError(null);
    try {
      const me = await request('POST /api/resident-auth/login', {
        body: { phone: phone.trim(), code: code.trim() },
      });
      setCsrf(me.csrfToken);
      // The notice agreed to on this screen is recorded with its version and the time.
      const profile = await request('GET /api/me/resident');
      if (profile.consent?.version !== profile.privacyNoticeVersion)
        await request('POST /api/me/resident/consent', { body: { version: profile.privacyNoticeVersion } });
      done(me);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="r-signin">
      <h1>{s.signInTitle}</h1>
      <p className="r-lead">{s.signInLead}</p>
      <label className="field">
        <span className="field-label">{s.phone}</span>
        <input
          type="tel"
          inputMode="numeric"
          maxLength={11}
          autoComplete="tel"
          value={phone}
          className={error?.field === 'phone' ? 'bad' : ''}
          data-testid="r-phone"
          onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
        />
      </label>
      <div className="field">
        <span className="field-label">{s.code}</span>
        <div className="r-row">
          <input
            inputMode="numeric"
            maxLength={6}
            autoComplete="one-time-code"
            value={code}
            className={error?.field === 'code' ? 'bad' : ''}
            data-testid="r-code"
            aria-label={s.code}
            onInput={(e) => setCode((e.target as HTMLInputElement).value)}
          />
          <button
            type="button"
            className="r-secondary"
            disabled={wait > 0 || !/^1\d{10}$/.test(phone.trim())}
            data-testid="r-get-code"
            onClick={sendCode}
          >
            {wait > 0 ? s.resend(wait) : s.getCode}
          </button>
        </div>
      </div>
      <label className={`r-check${error?.field === 'agree' ? ' bad' : ''}`}>
        <input
          type="checkbox"
          checked={agreed}
          data-testid="r-agree"
          onChange={(e) => setAgreed((e.target as HTMLInputElement).checked)}
        />
        <span>
          {s.agree}
          <button type="button" className="r-inline-link" onClick={() => setShowNotice(!showNotice)}>
            {s.privacyNotice}
          </button>
        </span>
      </label>
      {showNotice && <p className="r-notice">{s.privacyText}</p>}
      {error && (
        <p className="error" role="alert" data-testid="r-error">
          {error.text}
        </p>
      )}
      <button
        type="button"
        className="primary wide"
        disabled={busy || code.trim().length !== 6}
        data-testid="r-sign-in"
        onClick={signIn}
      >
        {s.signIn}
      </button>
    </div>
  );
}
