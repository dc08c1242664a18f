import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../common/api.js';
import { useSetMe } from '../common/auth.js';
import { call } from '../common/client.js';

/**
 * The screen's own login: a wall display that lost its session signs in again where it
 * stands and goes on showing /screen, instead of landing in the console.
 */
export function ScreenLogin() {
  const { t } = useTranslation();
  const setMe = useSetMe();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setMe(
        // display: an account made for the wall (指挥大屏) gets a read-only session that lasts days.
        await call('POST /api/auth/login', {
          body: { username, password, display: true, ...(totp ? { totp: totp.trim() } : {}) },
        }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') setNeedTotp(true);
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="screen-viewport screen-center-message">
      <form className="screen-login" onSubmit={submit} data-testid="screen-login">
        <h2>{t('screen.login.title')}</h2>
        <p>{t('screen.login.hint')}</p>
        <input
          placeholder={t('screen.login.username')}
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          data-testid="screen-login-username"
          required
        />
        <input
          placeholder={t('screen.login.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="screen-login-password"
          required
        />
        {needTotp && (
          <input
            placeholder={t('screen.login.totp')}
            autoComplete="one-time-code"
            inputMode="numeric"
            value={totp}
            onChange={(e) => setTotp(e.target.value)}
            required
          />
        )}
        {error && <div className="screen-login-error">{error}</div>}
        <button type="submit" disabled={busy} data-testid="screen-login-submit">
          {busy ? t('screen.login.submitting') : t('screen.login.submit')}
        </button>
      </form>
    </div>
  );
}
