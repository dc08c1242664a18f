import { defineScope } from '../../platform/scope.js';
import { proxyPoints } from './tables.js';

/** A proxy point belongs to the grid (or community) it serves: that unit's jurisdiction sees it. */
export const proxyPointsScope = defineScope(proxyPoints, { id: proxyPoints.id, path: proxyPoints.orgPath });
