import { useEffect, useState } from 'react';
import { request } from '../m/api.js';
import { ns } from './noticeStrings.js';
import { navigate } from './router.js';

/** On the home page: the way to the notices (with the unread count) and to the public map. */
export function NoticeBar() {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    request('GET /api/my/notices', { query: { page: 1, pageSize: 1 } })
      .then((l) => setUnread(l.unread))
      .catch(() => setUnread(0));
  }, []);
  return (
    <div className="r-row" style={{ marginBottom: 12 }}>
      <button
        type="button"
        className="r-secondary wide"
        data-testid="r-notices-link"
        onClick={() => navigate('/r/notices')}
      >
        {ns.notices}
        {unread > 0 && (
          <span className="r-badge" data-testid="r-notices-unread">
            {unread}
          </span>
        )}
      </button>
      <button
        type="button"
        className="r-secondary wide"
        data-testid="r-map-link"
        onClick={() => navigate('/r/map')}
      >
        {ns.map}
      </button>
    </div>
  );
}
