import type { CaseCategory, CaseSummary } from '@civicgrid/core/api/cases';
import type { OrgTreeNode } from '@civicgrid/core/api/org';
import { type CaseState, caseStateNames } from '@civicgrid/core/cases/stateMachine';
import { useQuery } from '@tanstack/react-query';
import { Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';

export const stateColors: Record<CaseState, string> = {
  reported: 'orange',
  accepted: 'gold',
  dispatched: 'blue',
  in_progress: 'processing',
  resolved: 'cyan',
  rework: 'magenta',
  verified: 'geekblue',
  closed: 'green',
  rejected: 'default',
  cancelled: 'default',
  merged: 'default',
};

export function StateTag({ state, testId }: { state: CaseState; testId?: string }) {
  const { i18n } = useTranslation();
  return (
    <Tag color={stateColors[state]} data-testid={testId}>
      {caseStateNames[state][i18n.language === 'en-US' ? 'en' : 'zh']}
    </Tag>
  );
}

export const fmt = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

/** The current step's deadline, yellow from 80 %, red once passed. */
export function DueCell({ c }: { c: Pick<CaseSummary, 'deadlines' | 'warning' | 'overdue'> }) {
  const { t } = useTranslation();
  if (!c.deadlines.dueAt) return <span style={{ color: '#999' }}>—</span>;
  const color = c.overdue ? '#cf1322' : c.warning ? '#d48806' : undefined;
  return (
    <Tooltip title={t(`caseForms.due.${c.overdue ? 'overdue' : c.warning ? 'warning' : 'deadline'}`)}>
      <span style={{ color, fontWeight: c.overdue || c.warning ? 600 : undefined }}>
        {fmt(c.deadlines.dueAt)}
        {c.overdue ? t('caseForms.due.overdueSuffix') : c.warning ? t('caseForms.due.warningSuffix') : ''}
      </span>
    </Tooltip>
  );
}

export function useCategories() {
  return useQuery({
    queryKey: ['case-categories'],
    queryFn: () => call('GET /api/case-categories'),
    staleTime: 60_000,
  });
}

export type CategoryTreeNode = {
  value: string;
  title: string;
  selectable?: boolean;
  children?: CategoryTreeNode[];
};

/** Major classes with their minor classes; only minors are selectable when `leavesOnly`. */
export function categoryTree(items: CaseCategory[], leavesOnly: boolean): CategoryTreeNode[] {
  const active = items.filter((c) => !c.retired);
  const children = (code: string): CategoryTreeNode[] =>
    active
      .filter((c) => c.parentCode === code)
      .map((c) => {
        const kids = children(c.code);
        return {
          value: c.code,
          title: `${c.name}（${c.code}）`,
          ...(kids.length ? { children: kids, selectable: !leavesOnly } : {}),
        };
      });
  return active
    .filter((c) => c.parentCode === null)
    .map((c) => ({
      value: c.code,
      title: `${c.name}（${c.code}）`,
      selectable: !leavesOnly,
      children: children(c.code),
    }));
}

/** The org tree of the user's jurisdiction; nothing is asked without org:read (departments). */
export function useOrgTree() {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['org-tree'],
    queryFn: () => call('GET /api/org/tree'),
    staleTime: 60_000,
    enabled: can('org:read'),
  });
}

/**
 * The first of these units that the user's tree holds — a grid worker sees his grid, not
 * the community around it — so that nothing is asked outside the jurisdiction.
 */
export function useVisibleUnit(candidates: (number | null | undefined)[]): number | undefined {
  const tree = useOrgTree();
  const seen = useMemo(() => {
    const ids = new Set<number>();
    const walk = (n: OrgTreeNode) => {
      ids.add(n.id);
      n.children.forEach(walk);
    };
    (tree.data ?? []).forEach(walk);
    return ids;
  }, [tree.data]);
  return candidates.find((id): id is number => typeof id === 'number' && seen.has(id));
}

export type OrgTreeSelect = { value: number; title: string; children: OrgTreeSelect[] };
/** Areas down to communities (grids would make the picker thousands long). */
export const orgTreeSelect = (n: OrgTreeNode): OrgTreeSelect => ({
  value: n.id,
  title: n.name,
  children: n.level === 'community' ? [] : n.children.map(orgTreeSelect),
});

export type GridTreeSelect = {
  value: number;
  title: string;
  selectable: boolean;
  children: GridTreeSelect[];
};
const gridTreeSelect = (n: OrgTreeNode, any = false): GridTreeSelect => ({
  value: n.id,
  title: n.name,
  selectable: any || n.level === 'grid',
  children: n.children.map((c) => gridTreeSelect(c, any)),
});

/** Tree-select data from the org tree: areas (to communities), grids (only grids pickable), units (all). */
export function useTrees() {
  const tree = useOrgTree();
  return useMemo(
    () => ({
      areas: (tree.data ?? []).map(orgTreeSelect),
      grids: (tree.data ?? []).map((n) => gridTreeSelect(n)),
      /** Every unit down to the grids, all pickable: a filter within a community. */
      units: (tree.data ?? []).map((n) => gridTreeSelect(n, true)),
      root: tree.data?.[0]?.id,
    }),
    [tree.data],
  );
}

/** The grids under a unit, for drawing beneath cases. */
export function useGridsOf(unitId: number | null | undefined) {
  return useQuery({
    queryKey: ['grids-of', unitId],
    queryFn: () => call('GET /api/org/units/:id/grids', { params: { id: unitId as number } }),
    enabled: typeof unitId === 'number',
    staleTime: 300_000,
  });
}
