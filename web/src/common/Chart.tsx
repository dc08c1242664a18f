import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type ECharts, type EChartsCoreOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the chart kinds we draw: the whole of ECharts would triple the bundle.
use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/**
 * An ECharts chart made once per mount: new data goes through `setOption` on the same
 * instance (what keeps the big screen, which runs for days, from leaking canvases); it
 * resizes with its box and says which item was clicked.
 */
export function Chart({
  option,
  height = 260,
  className,
  merge = false,
  onClick,
  testId,
}: {
  option: EChartsCoreOption | null;
  /** Pixels; ignored when `className` sizes the box. */
  height?: number;
  className?: string;
  /** Merge a new option into the last one (animated updates) instead of replacing it. */
  merge?: boolean;
  onClick?: (p: { name: string; dataIndex: number; seriesIndex: number }) => void;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    if (!box.current) return;
    const c = init(box.current, null, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => click.current?.(p as never));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    if (!option) return;
    if (merge) chart.current?.setOption(option, { notMerge: false, lazyUpdate: true });
    else chart.current?.setOption(option, true);
  }, [option, merge]);
  return (
    <div
      ref={box}
      className={className}
      style={className ? undefined : { height, width: '100%' }}
      data-testid={testId}
    />
  );
}
