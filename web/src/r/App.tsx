import { useEffect, useState } from 'react';
import { type Me, request, setCsrf } from '../m/api.js';
import { AccountPage } from './Account.js';
import { CaseDetail, MyCases } from './MyCases.js';
import { RatePage } from './Rate.js';
import { ReportPage } from './Report.js';
import { navigate, usePath } from './router.js';
import { SignIn } from './SignIn.js';
import { s } from './strings.js';
import { VerifyPage } from './Verify.js';

/**
 * The resident portal (/r): sign in with a phone and a code, report a problem, follow it in
 * "my matters", rate it. /r/verify/{code} and /r/rate/{token} are open without signing in.
 */
export function PortalApp() {
  const path = usePath();
  const verify = /^\/r\/verify\/([^/]+)$/.exec(path);
  if (verify) return <VerifyPage code={decodeURIComponent(verify[1] as string)} />;
  const rate = /^\/r\/rate\/([^/]+)$/.exec(path);
  if (rate) return <RatePage token={decodeURIComponent(rate[1] as string)} />;
  return <SignedIn path={path} />;
}

function SignedIn({ path }: { path: string }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    request('GET /api/me')
      .then((m) => {
        setCsrf(m.csrfToken);
        setMe(m);
      })
      .catch(() => setMe(null));
  }, []);
  if (me === undefined) return <p className="r-loading">{s.loading}</p>;
  if (me === null)
    return (
      <SignIn
        done={(m) => {
          setCsrf(m.csrfToken);
          setMe(m);
        }}
      />
    );
  const detail = /^\/r\/cases\/([0-9a-f-]{36})$/.exec(path);
  let page = <MyCases />;
  let title: string = s.myCases;
  if (path === '/r/report') {
    page = <ReportPage />;
    title = s.report;
  } else if (path === '/r/account') {
    page = <AccountPage me={me} signedOut={() => setMe(null)} />;
    title = s.account;
  } else if (detail) {
    page = <CaseDetail id={detail[1] as string} />;
    title = s.caseDetail;
  }
  return (
    <div className="app">
      <header className="r-header">
        {path !== '/r' && path !== '/r/' ? (
          <button type="button" className="r-back" onClick={() => navigate('/r')} aria-label={s.back}>
            ‹
          </button>
        ) : (
          <span className="r-back" />
        )}
        <h1>{title}</h1>
        <button
          type="button"
          className="r-link"
          data-testid="r-account"
          onClick={() => navigate('/r/account')}
        >
          {s.account}
        </button>
      </header>
      <main className="r-main">{page}</main>
      {(path === '/r' || path === '/r/') && (
        <footer className="r-footer">
          <button
            type="button"
            className="primary wide"
            data-testid="r-new-report"
            onClick={() => navigate('/r/report')}
          >
            {s.reportButton}
          </button>
        </footer>
      )}
    </div>
  );
}
