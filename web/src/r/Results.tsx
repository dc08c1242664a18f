import { useEffect, useState } from 'react';
import { type Reply, request } from '../m/api.js';
import { s } from './strings.js';

/** The portal's words for 共建共治成果 (zh-CN). */
export const rs = {
  title: '共建共治成果',
  link: '共建共治成果 ›',
  intro: '每月公开：微心愿实现情况、志愿服务时长和议事协商结果。',
  wishesFulfilled: '实现微心愿',
  wishesPosted: '新增心愿',
  rating: '平均评价',
  hours: '志愿服务时长（小时）',
  people: '参与志愿者',
  activities: '志愿活动',
  published: '公开议事',
  adopted: '通过并落实',
  outcomes: '议事协商结果',
  noOutcomes: '本月暂无公开的议事结果',
  communities: '各社区',
  adoptedTag: '已通过',
  rejectedTag: '未通过',
  prev: '‹ 上月',
  next: '下月 ›',
  unit: (w: number, h: number) => `实现心愿 ${w} 个 · 志愿服务 ${h} 小时`,
};

type Results = Reply<'GET /api/public/participation/results'>;

const monthOf = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
function shift(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/** /r/results: the month's figures and published deliberation outcomes; open without signing in. */
export function ResultsPage() {
  const now = monthOf(new Date());
  const [month, setMonth] = useState(now);
  const [data, setData] = useState<Results | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setData(null);
    setFailed(false);
    request('GET /api/public/participation/results', { query: { month } })
      .then((r) => live && setData(r))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [month]);
  const [y, m] = month.split('-');
  return (
    <div data-testid="r-results">
      <p className="r-card-meta">{rs.intro}</p>
      <div className="r-row r-month">
        <button type="button" className="r-secondary" onClick={() => setMonth(shift(month, -1))}>
          {rs.prev}
        </button>
        <strong data-testid="r-results-month">
          {y} 年 {Number(m)} 月
        </strong>
        <button
          type="button"
          className="r-secondary"
          disabled={month >= now}
          onClick={() => setMonth(shift(month, 1))}
        >
          {rs.next}
        </button>
      </div>
      {failed && <p className="error">{s.failed}</p>}
      {!failed && !data && <p className="r-loading">{s.loading}</p>}
      {data && (
        <>
          <div className="r-figures">
            <Figure label={rs.wishesFulfilled} value={data.wishes.fulfilled} id="wishes" />
            <Figure label={rs.wishesPosted} value={data.wishes.posted} />
            <Figure label={rs.rating} value={data.wishes.averageRating ?? '—'} />
            <Figure label={rs.hours} value={data.volunteers.hours} id="hours" />
            <Figure label={rs.people} value={data.volunteers.people} />
            <Figure label={rs.activities} value={data.volunteers.activities} />
            <Figure label={rs.published} value={data.deliberations.published} id="published" />
            <Figure label={rs.adopted} value={data.deliberations.adopted} />
          </div>
          <h2>{rs.outcomes}</h2>
          {data.outcomes.length === 0 && <p className="r-empty">{rs.noOutcomes}</p>}
          <ul className="r-list" data-testid="r-results-outcomes">
            {data.outcomes.map((o) => (
              <li key={o.id} className="r-card">
                <div className="r-card-top">
                  <strong>{o.title}</strong>
                  <span
                    className={`r-step${o.outcome === 'adopted' ? ' r-step-closed' : ' r-step-rejected'}`}
                  >
                    {o.outcome === 'adopted' ? rs.adoptedTag : rs.rejectedTag}
                  </span>
                </div>
                {o.decision && <div className="r-card-text">{o.decision}</div>}
                <div className="r-card-meta">
                  {o.orgUnitName} · {new Date(o.publishedAt).toLocaleDateString('zh-CN')}
                </div>
              </li>
            ))}
          </ul>
          {data.communities.length > 0 && (
            <>
              <h2>{rs.communities}</h2>
              <ul className="r-list">
                {data.communities.map((c) => (
                  <li key={c.name} className="r-card">
                    <strong>{c.name}</strong>
                    <div className="r-card-meta">{rs.unit(c.wishesFulfilled, c.volunteerHours)}</div>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}

function Figure({ label, value, id }: { label: string; value: number | string; id?: string }) {
  return (
    <div className="r-figure" data-testid={id ? `r-figure-${id}` : undefined}>
      <b>{value}</b>
      <span>{label}</span>
    </div>
  );
}
