/**
 * The arithmetic of 综治统计 (issue 16 item 8), pure so server, screen and tests agree:
 * rates, the order statistics of acknowledgement times, mean days. The server counts rows;
 * these turn counts and samples into the figures shown.
 */

/** A share rounded to three decimals (0.667); null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 1000;
}

/**
 * The p-th percentile (0 < p ≤ 1) by the nearest-rank method: the smallest sample with at
 * least p of the samples at or below it. Nearest rank returns a value that happened (a real
 * acknowledgement time), not an interpolation between two. Null for no samples.
 */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  if (!(p > 0 && p <= 1)) throw new RangeError('p must lie in (0, 1]');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

/** The median: the mean of the two middle samples when their number is even. Null for none. */
export function median(samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The mean rounded to one decimal; null for none. */
export function mean1(samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  return Math.round((samples.reduce((s, x) => s + x, 0) / samples.length) * 10) / 10;
}

const dayMs = 86_400_000;
/** Calendar days (fractional) between two instants. */
export const daysBetweenInstants = (from: Date, to: Date) => (to.getTime() - from.getTime()) / dayMs;

/**
 * How a dispute's mediation ended, for 按结果: a written agreement (人民调解协议书), an oral
 * agreement, no agreement (with or without a referral: 诉调、警调、访调对接), or not yet ended.
 */
export type DisputeOutcome = 'agreed' | 'oral' | 'referred' | 'failed' | 'pending';
export const disputeOutcomes: readonly DisputeOutcome[] = ['agreed', 'oral', 'referred', 'failed', 'pending'];
export const disputeOutcomeNames: Record<DisputeOutcome, string> = {
  agreed: '达成书面协议',
  oral: '达成口头协议',
  referred: '调解不成·转交对接',
  failed: '调解不成',
  pending: '调解未终结',
};

export function disputeOutcome(d: {
  agreement: { oral: boolean } | null;
  failure: { referral: unknown } | null;
}): DisputeOutcome {
  if (d.agreement) return d.agreement.oral ? 'oral' : 'agreed';
  if (d.failure) return d.failure.referral ? 'referred' : 'failed';
  return 'pending';
}

/**
 * 调解成功率: agreements (written or oral) among the mediations that ended (agreed or not).
 * 协议履行率: agreements performed in full among those followed up (回访), by the last visit;
 * partly performed is its own bucket, counted in neither numerator.
 */
export function mediationRates(
  outcomes: readonly DisputeOutcome[],
  lastFollowUps: readonly ('yes' | 'partly' | 'no')[],
) {
  const agreed = outcomes.filter((o) => o === 'agreed' || o === 'oral').length;
  const ended = outcomes.filter((o) => o !== 'pending').length;
  const performed = lastFollowUps.filter((p) => p === 'yes').length;
  const partly = lastFollowUps.filter((p) => p === 'partly').length;
  const notPerformed = lastFollowUps.filter((p) => p === 'no').length;
  return {
    ended,
    agreed,
    successRate: rate(agreed, ended),
    followedUp: lastFollowUps.length,
    performed,
    partly,
    notPerformed,
    performanceRate: rate(performed, lastFollowUps.length),
    partlyShare: rate(partly, lastFollowUps.length),
  };
}
