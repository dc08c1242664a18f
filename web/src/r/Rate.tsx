import { useState } from 'react';
import { call, HttpError } from '../m/api.js';
import { s } from './strings.js';

/**
 * /r/rate/{token}: the service window's tablet (or the resident's phone, from the receipt's
 * QR code) rates an ended application on five levels, once. The token is the one the server
 * issues when the application ends; level 1 is 非常满意, 5 非常不满意.
 */
export function RatePage({ token }: { token: string }) {
  const [state, setState] = useState<'ask' | 'busy' | 'done' | 'used' | 'unknown' | 'failed'>('ask');
  const rate = async (level: number) => {
    setState('busy');
    try {
      await call('POST', `/api/public/ratings/${encodeURIComponent(token)}`, { level });
      setState('done');
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 0;
      setState(status === 409 ? 'used' : status === 404 || status === 400 ? 'unknown' : 'failed');
    }
  };
  const message = { done: s.rateThanks, used: s.rateUsed, unknown: s.rateUnknown, failed: s.failed };
  return (
    <div className="app">
      <header className="r-header">
        <span className="r-back" />
        <h1>{s.rateWindowTitle}</h1>
        <span className="r-back" />
      </header>
      <main className="r-main">
        {state === 'ask' || state === 'busy' ? (
          <div className="r-levels" data-testid="r-levels">
            {s.rateLevels.map((label, i) => (
              <button
                key={label}
                type="button"
                className={`r-level r-level-${i + 1}`}
                disabled={state === 'busy'}
                onClick={() => rate(i + 1)}
              >
                {label}
              </button>
            ))}
          </div>
        ) : (
          <p className="r-box r-verdict" data-testid="r-rate-result">
            {message[state]}
          </p>
        )}
      </main>
    </div>
  );
}
