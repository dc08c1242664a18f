import 'maplibre-gl/dist/maplibre-gl.css';
import type { Activity } from '@civicgrid/core/api/volunteers';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Tag, Typography } from 'antd';
import {
  type GeoJSONSource,
  type MapLayerMouseEvent,
  Map as MlMap,
  NavigationControl,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { type ComponentType, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';
import {
  addAreaLayers,
  addLabelLayers,
  baseStyle,
  localFonts,
  setAreas,
  setTiles,
} from '../../common/map/mapStyle.js';
import { useMapContext } from '../../common/map/useMapContext.js';
import { QueryState } from '../../common/QueryState.js';

setWorkerUrl(workerUrl);

const hm = (v: string) =>
  new Date(v).toLocaleString('zh-CN', {
    hour12: false,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
const running = (a: Activity) => Date.parse(a.startsAt) <= Date.now();
/** Kundulun district, when there is nothing to frame. */
const defaultCenter: [number, number] = [109.82, 40.64];

/**
 * 活动地图: the open activities that have not ended — under way (green) and upcoming (blue) — on
 * MapLibre over the district's areas, with the same list beside it; a marker or a row opens the
 * activity's drawer (the page's own, passed in).
 */
export function ActivityMapTab({
  Drawer,
}: {
  Drawer: ComponentType<{ id: string | null; onClose: () => void }>;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['volunteer-activities', 'map'],
    queryFn: () =>
      call('GET /api/volunteer-activities', { query: { when: 'upcoming', status: 'open', pageSize: 200 } }),
  });
  const items = [...(list.data?.items ?? [])].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  return (
    <Card
      title={t('volunteerTeams.mapTitle')}
      extra={<Typography.Text type="secondary">{t('volunteerTeams.mapHint')}</Typography.Text>}
      data-testid="activity-map-page"
    >
      <QueryState loading={list.isLoading} error={list.error} onRetry={() => list.refetch()}>
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <div style={{ flex: '3 1 520px', minWidth: 320 }}>
            <ActivityMap activities={items} onOpen={setOpen} />
          </div>
          <div style={{ flex: '1 1 260px', maxHeight: 520, overflow: 'auto' }}>
            {items.length ? (
              <List
                size="small"
                header={t('volunteerTeams.mapCount', { count: items.length })}
                dataSource={items}
                data-testid="activity-map-list"
                renderItem={(a) => (
                  <List.Item style={{ cursor: 'pointer' }} onClick={() => setOpen(a.id)}>
                    <List.Item.Meta
                      title={
                        <>
                          <Tag color={running(a) ? 'green' : 'blue'}>
                            {running(a) ? t('volunteerTeams.running') : t('volunteerTeams.upcoming')}
                          </Tag>
                          {a.title}
                        </>
                      }
                      description={`${hm(a.startsAt)} · ${a.placeName}${a.teamName ? ` · ${a.teamName}` : ''}`}
                    />
                  </List.Item>
                )}
              />
            ) : (
              <Empty description={t('volunteerTeams.mapEmpty')} />
            )}
          </div>
        </div>
      </QueryState>
      <Drawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

function ActivityMap({ activities, onOpen }: { activities: Activity[]; onOpen: (id: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<MlMap | null>(null);
  const [loaded, setLoaded] = useState(false);
  const opener = useRef(onOpen);
  opener.current = onOpen;
  const context = useMapContext();

  useEffect(() => {
    if (!box.current) return;
    const m = new MlMap({
      container: box.current,
      style: baseStyle('light'),
      center: defaultCenter,
      zoom: 11,
      attributionControl: false,
      localIdeographFontFamily: localFonts,
    });
    m.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    m.on('load', () => {
      addAreaLayers(m, 'light');
      addLabelLayers(m, 'light');
      m.addSource('activities', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      m.addLayer({
        id: 'activities',
        type: 'circle',
        source: 'activities',
        paint: {
          'circle-color': ['case', ['get', 'running'], '#389e0d', '#1677ff'],
          'circle-radius': 9,
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 2,
        },
      });
      m.addLayer({
        id: 'activity-titles',
        type: 'symbol',
        source: 'activities',
        layout: {
          'text-field': ['get', 'title'],
          'text-size': 12,
          'text-offset': [0, 1.4],
          'text-anchor': 'top',
        },
        paint: { 'text-color': '#1f1f1f', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
      });
      m.on('click', 'activities', (e: MapLayerMouseEvent) => {
        const id = e.features?.[0]?.properties.id;
        if (id) opener.current(String(id));
      });
      m.on('mouseenter', 'activities', () => {
        m.getCanvas().style.cursor = 'pointer';
      });
      m.on('mouseleave', 'activities', () => {
        m.getCanvas().style.cursor = '';
      });
      setLoaded(true);
    });
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    (m.getSource('activities') as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: activities.map((a) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [a.location.lng, a.location.lat] },
        properties: { id: a.id, title: a.title, running: running(a) },
      })),
    });
    if (activities.length) {
      const xs = activities.map((a) => a.location.lng);
      const ys = activities.map((a) => a.location.lat);
      m.fitBounds(
        [
          [Math.min(...xs), Math.min(...ys)],
          [Math.max(...xs), Math.max(...ys)],
        ],
        { padding: 100, maxZoom: 14, duration: 0 },
      );
    }
    // How many activities are drawn, for a test (or a script) to wait on.
    box.current?.setAttribute('data-activities', String(activities.length));
  }, [activities, loaded]);

  useEffect(() => {
    if (map.current && loaded) setTiles(map.current, context.tileUrl, 'light');
  }, [context.tileUrl, loaded]);

  useEffect(() => {
    if (map.current && loaded) setAreas(map.current, context.areas, []);
  }, [context.areas, loaded]);

  return (
    <div ref={box} style={{ height: 520, borderRadius: 6, overflow: 'hidden' }} data-testid="activity-map" />
  );
}
