import { useEffect, useState } from 'react';
import { type Reply, request } from '../m/api.js';
import { s } from './strings.js';

/**
 * /r/verify/{code}: what a certificate's QR code opens. It says 有效 / 已撤销 / 无效 and shows
 * only the item, the issuing unit, the date and the holder as the server masks them.
 */
export function VerifyPage({ code }: { code: string }) {
  const [r, setR] = useState<Reply<'GET /api/public/certificates/:code'> | null | undefined>(undefined);
  useEffect(() => {
    request('GET /api/public/certificates/:code', { params: { code } })
      .then(setR)
      .catch(() => setR(null));
  }, [code]);
  const verdict = r?.valid ? (r.revokedAt ? 'revoked' : 'valid') : r?.revokedAt ? 'revoked' : 'invalid';
  return (
    <div className="app">
      <header className="r-header">
        <span className="r-back" />
        <h1>{s.verifyTitle}</h1>
        <span className="r-back" />
      </header>
      <main className="r-main">
        {r === undefined ? (
          <p className="r-loading">{s.loading}</p>
        ) : (
          <section className="r-box r-verify" data-testid="r-verify">
            <p className={`r-verdict r-verdict-${verdict}`} data-testid="r-verdict">
              {s[verdict]}
            </p>
            {r && (r.valid || r.revokedAt) ? (
              <dl>
                <dt>{s.item}</dt>
                <dd>{r.service ?? '—'}</dd>
                <dt>{s.issuer}</dt>
                <dd>{r.issuer ?? '—'}</dd>
                <dt>{s.issuedAt}</dt>
                <dd>{r.issuedAt ? new Date(r.issuedAt).toLocaleDateString('zh-CN') : '—'}</dd>
                <dt>{s.holder}</dt>
                <dd>{r.holder ?? '—'}</dd>
              </dl>
            ) : (
              <p className="r-card-meta">{s.invalidText}</p>
            )}
          </section>
        )}
      </main>
    </div>
  );
}
