import { lazy, Suspense } from 'react';
import type { ChartOption } from './EChart';

// ECharts (core with the line and bar charts) is its own chunk, fetched when a chart is first shown: the rest of
// 数据看板 (figures, filters, the export) does not wait for it.
const Chart = lazy(() => import('./EChart').then((m) => ({ default: m.EChart })));

/** EChart, its box held at the chart's size while ECharts loads. */
export function EChart(props: { option: ChartOption; height: number; label: string }) {
  return (
    <Suspense
      fallback={<div className="cpe-dash-chart" style={{ height: props.height }} role="img" aria-label={props.label} />}
    >
      <Chart {...props} />
    </Suspense>
  );
}
