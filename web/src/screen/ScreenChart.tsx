import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { type ECharts, type EChartsCoreOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([LineChart, BarChart, PieChart, GridComponent, LegendComponent, CanvasRenderer]);

/**
 * A chart made once per mount: new data goes through `setOption` on the same instance,
 * which is what keeps a screen that runs for days from leaking canvases.
 */
export function ScreenChart({ option, testId }: { option: EChartsCoreOption | null; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const c = init(box.current, null, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    if (option) chart.current?.setOption(option, { notMerge: false, lazyUpdate: true });
  }, [option]);
  return <div ref={box} className="screen-chart" data-testid={testId} />;
}

/** The screen's chart look: light text on the dark panels. */
export const axisStyle = {
  axisLine: { lineStyle: { color: 'rgba(120,170,230,0.35)' } },
  axisLabel: { color: '#9fc3ee', fontSize: 14 },
  splitLine: { lineStyle: { color: 'rgba(120,170,230,0.12)' } },
};
