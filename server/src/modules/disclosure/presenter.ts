import type { CaseMetrics } from '@civicgrid/core/api/cases';
import type { Disclosure } from '@civicgrid/core/api/disclosure';

/**
 * A street's published line: counts and rates only — no case, no text, no name, no number
 * of anyone leaves through it.
 */
export function presentStreet(name: string, m: CaseMetrics): Disclosure['streets'][number] {
  return {
    street: name,
    cases: m.total,
    closed: m.byStatus.closed ?? 0,
    onTimeRate: m.onTimeRate,
    satisfactionRate: m.satisfactionRate,
    gridResolvedShare: m.gridResolvedShare,
  };
}
