import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Row, Select, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../common/api.js';
import { call, type Reply } from '../../common/client.js';

type Day = Reply<'GET /api/calendar/:year'>['days'][number];

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** 工作日历: holidays and 调休 days per year; a click cycles normal → 休 → 班. */
export default function CalendarPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [year, setYear] = useState(dayjs().year());
  const data = useQuery({
    queryKey: ['calendar', year],
    queryFn: () => call('GET /api/calendar/:year', { params: { year } }),
  });
  const [days, setDays] = useState<Map<string, Day>>(new Map());
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    setDays(new Map((data.data?.days ?? []).map((d) => [d.day, d])));
    setDirty(false);
  }, [data.data]);

  const cycle = (day: string) => {
    const next = new Map(days);
    const cur = next.get(day)?.kind;
    if (!cur) next.set(day, { day, kind: 'holiday' });
    else if (cur === 'holiday') next.set(day, { day, kind: 'workday' });
    else next.delete(day);
    setDays(next);
    setDirty(true);
  };
  const save = async () => {
    try {
      await call('PUT /api/calendar/:year', { params: { year }, body: { days: [...days.values()] } });
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['calendar', year] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Card
      title={t('caseForms.calendar.title')}
      extra={
        <Space>
          <Tag color="red">{t('caseForms.calendar.holidayTag')}</Tag>
          <Tag color="blue">{t('caseForms.calendar.workdayTag')}</Tag>
          <Select
            value={year}
            onChange={setYear}
            options={[2025, 2026, 2027, 2028].map((y) => ({
              value: y,
              label: t('caseForms.calendar.year', { year: y }),
            }))}
          />
          <Button type="primary" disabled={!dirty} onClick={save}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('caseForms.calendar.hint')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {Array.from({ length: 12 }, (_, m) => {
          const first = dayjs(new Date(year, m, 1));
          const lead = (first.day() + 6) % 7;
          const cells = Array.from({ length: lead + first.daysInMonth() }, (_, i) =>
            i < lead ? null : first.add(i - lead, 'day'),
          );
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the month number is the key
            <Col key={m} xs={24} sm={12} lg={8} xl={6}>
              <Card size="small" title={t(`caseForms.calendar.months.m${m + 1}`)}>
                <div
                  style={{
                    display: 'grid',
                    gridTemplateColumns: 'repeat(7, 1fr)',
                    gap: 2,
                    textAlign: 'center',
                  }}
                >
                  {weekdays.map((w) => (
                    <div key={w} style={{ fontSize: 12, color: '#999' }}>
                      {t(`caseForms.calendar.weekdays.${w}`)}
                    </div>
                  ))}
                  {cells.map((d, i) => {
                    // biome-ignore lint/suspicious/noArrayIndexKey: blank cells before the 1st have only a position
                    if (!d) return <div key={`e${i}`} />;
                    const key = d.format('YYYY-MM-DD');
                    const kind = days.get(key)?.kind;
                    const weekend = d.day() === 0 || d.day() === 6;
                    return (
                      <button
                        type="button"
                        key={key}
                        onClick={() => cycle(key)}
                        title={days.get(key)?.name ?? undefined}
                        style={{
                          border: 'none',
                          borderRadius: 4,
                          padding: '2px 0',
                          cursor: 'pointer',
                          fontSize: 12,
                          background:
                            kind === 'holiday' ? '#fff1f0' : kind === 'workday' ? '#e6f4ff' : 'transparent',
                          color:
                            kind === 'holiday'
                              ? '#cf1322'
                              : kind === 'workday'
                                ? '#0958d9'
                                : weekend
                                  ? '#999'
                                  : '#222',
                          fontWeight: kind ? 600 : 400,
                        }}
                      >
                        {d.date()}
                        {kind && (
                          <sup>
                            {kind === 'holiday'
                              ? t('caseForms.calendar.holidayMark')
                              : t('caseForms.calendar.workdayMark')}
                          </sup>
                        )}
                      </button>
                    );
                  })}
                </div>
              </Card>
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}
