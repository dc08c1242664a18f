/** The screen's chart look: light text on the dark panels. */
export const axisStyle = {
  axisLine: { lineStyle: { color: 'rgba(120,170,230,0.35)' } },
  axisLabel: { color: '#9fc3ee', fontSize: 14 },
  splitLine: { lineStyle: { color: 'rgba(120,170,230,0.12)' } },
};
