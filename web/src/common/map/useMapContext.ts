import type { MapArea } from '@civicgrid/core/api/org';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api.js';
import { useAuth } from '../auth.js';
import { call } from '../client.js';

/**
 * What every console map draws beneath its own data: the tile URL (MAP_TILE_URL, empty =
 * no tiles) and the district, streets and communities of the user's jurisdiction. A user
 * without org:read (a department's handler) gets no areas rather than a refused request.
 */
export function useMapContext(): { tileUrl: string; areas: MapArea[] } {
  const { can } = useAuth();
  const config = useQuery({
    queryKey: ['config'],
    queryFn: () => get<{ mapTileUrl: string }>('/api/config/public'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const areas = useQuery({
    queryKey: ['map-areas'],
    queryFn: () => call('GET /api/org/areas'),
    enabled: can('org:read'),
    staleTime: 10 * 60_000,
  });
  return { tileUrl: config.data?.mapTileUrl ?? '', areas: areas.data?.items ?? emptyAreas };
}
const emptyAreas: MapArea[] = [];
