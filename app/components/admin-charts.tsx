import type { ReactNode } from "react";

// Small SVG charts rendered on the server, no chart library. Colours come from the theme's
// tokens through `currentColor` (a `text-*` class on a group, `fill`/`stroke="currentColor"`
// inside), so they follow light and dark mode. Every chart is one image with a title and a
// description; the pages that use them also show the same numbers as a table.

type ChartProps = { id: string; title: string; description: string };

const FONT = 13;

function Chart({
  id,
  title,
  description,
  width,
  height,
  children,
}: ChartProps & { width: number; height: number; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="h-auto w-full min-w-[34rem] text-ink"
        fontSize={FONT}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {children}
      </svg>
    </div>
  );
}

/** 1, 2 or 5 times a power of ten: the smallest such step of at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= rough) ?? 10 * power;
}

/** Whole-number axis ticks from 0 to at least `max`, at most about five of them. */
export function axisTicks(max: number): number[] {
  const step = max <= 4 ? 1 : niceStep(max / 4);
  const top = Math.max(1, Math.ceil(max / step) * step);
  return Array.from({ length: top / step + 1 }, (_, index) => index * step);
}

export type Column = { label: string; value: number };

/**
 * Vertical bars over time with a value axis, each bar labelled with its value. `formatValue`
 * writes the axis and bar labels (money, say); the axis then gets room for longer labels.
 */
export function ColumnChart({
  columns,
  formatValue = String,
  ...chart
}: ChartProps & { columns: Column[]; formatValue?: (value: number) => string }) {
  const width = 720;
  const height = 260;
  const plot = { left: formatValue === String ? 40 : 64, right: width - 8, top: 20, bottom: height - 32 };
  const ticks = axisTicks(Math.max(0, ...columns.map((column) => column.value)));
  const top = ticks.at(-1)!;
  const y = (value: number) => plot.bottom - (value / top) * (plot.bottom - plot.top);
  const slot = (plot.right - plot.left) / columns.length;
  const barWidth = slot * 0.6;
  return (
    <Chart {...chart} width={width} height={height}>
      <g className="text-line">
        {ticks.map((tick) => (
          <line key={tick} x1={plot.left} x2={plot.right} y1={y(tick)} y2={y(tick)} stroke="currentColor" />
        ))}
      </g>
      <g className="text-muted" fill="currentColor" textAnchor="end">
        {ticks.map((tick) => (
          <text key={tick} x={plot.left - 8} y={y(tick)} dy="0.35em">
            {formatValue(tick)}
          </text>
        ))}
      </g>
      {columns.map((column, index) => {
        const x = plot.left + index * slot + (slot - barWidth) / 2;
        const centre = x + barWidth / 2;
        return (
          <g key={column.label}>
            <rect
              className="text-accent"
              fill="currentColor"
              x={x}
              y={y(column.value)}
              width={barWidth}
              height={plot.bottom - y(column.value)}
              rx={3}
            />
            {column.value > 0 ? (
              <text x={centre} y={y(column.value) - 6} textAnchor="middle" fill="currentColor" fontWeight={600}>
                {formatValue(column.value)}
              </text>
            ) : null}
            <text className="text-muted" x={centre} y={plot.bottom + 20} textAnchor="middle" fill="currentColor">
              {column.label}
            </text>
          </g>
        );
      })}
    </Chart>
  );
}

export type BarGroup = { label: string; values: number[] };

// Later series are drawn stronger: the last step of a funnel stands out most. The faintest
// still has 3:1 contrast with the card in both themes (WCAG non-text contrast).
const SERIES_OPACITY = [0.7, 0.85, 1];

/**
 * Horizontal bars in groups (a funnel per module): each group is titled, each bar is named by
 * its series and ends with its value, so no colour has to be told apart.
 */
export function GroupedBarChart({ groups, series, ...chart }: ChartProps & { groups: BarGroup[]; series: string[] }) {
  const width = 720;
  const barHeight = 16;
  const gap = 6;
  const groupHeight = 26 + series.length * (barHeight + gap) + 12;
  const plot = { left: 96, right: width - 56 };
  const top = Math.max(1, ...groups.flatMap((group) => group.values));
  const length = (value: number) => (value / top) * (plot.right - plot.left);
  return (
    <Chart {...chart} width={width} height={groups.length * groupHeight}>
      {groups.map((group, groupIndex) => (
        <g key={group.label} transform={`translate(0 ${groupIndex * groupHeight})`}>
          <text x={0} y={18} fill="currentColor" fontWeight={600}>
            {group.label}
          </text>
          {series.map((name, index) => {
            const value = group.values[index] ?? 0;
            const barY = 26 + index * (barHeight + gap);
            return (
              <g key={name}>
                <text className="text-muted" x={0} y={barY + barHeight / 2} dy="0.35em" fill="currentColor">
                  {name}
                </text>
                <rect
                  className="text-accent"
                  fill="currentColor"
                  fillOpacity={SERIES_OPACITY[index] ?? 1}
                  x={plot.left}
                  y={barY}
                  width={Math.max(value > 0 ? 2 : 0, length(value))}
                  height={barHeight}
                  rx={3}
                />
                <text x={plot.left + length(value) + 6} y={barY + barHeight / 2} dy="0.35em" fill="currentColor">
                  {value}
                </text>
              </g>
            );
          })}
        </g>
      ))}
    </Chart>
  );
}

export type PercentBar = { label: string; percent: number | null; note: string };

/** One bar per row on a 0-100 % scale; a row without a percentage shows only its note. */
export function PercentBarChart({ bars, ...chart }: ChartProps & { bars: PercentBar[] }) {
  const width = 720;
  const rowHeight = 50;
  const barHeight = 16;
  // The note after each bar ("100% · 100 of 100 students passed") needs about 230 units.
  const plot = { left: 0, right: width - 240 };
  const length = (percent: number) => (percent / 100) * (plot.right - plot.left);
  return (
    <Chart {...chart} width={width} height={bars.length * rowHeight}>
      {bars.map((bar, index) => (
        <g key={bar.label} transform={`translate(0 ${index * rowHeight})`}>
          <text x={0} y={16} fill="currentColor" fontWeight={600}>
            {bar.label}
          </text>
          <rect
            className="text-line"
            fill="currentColor"
            x={plot.left}
            y={24}
            width={plot.right}
            height={barHeight}
            rx={3}
          />
          {bar.percent !== null ? (
            <rect
              className="text-accent"
              fill="currentColor"
              x={plot.left}
              y={24}
              width={Math.max(bar.percent > 0 ? 2 : 0, length(bar.percent))}
              height={barHeight}
              rx={3}
            />
          ) : null}
          <text x={plot.right + 8} y={24 + barHeight / 2} dy="0.35em" fill="currentColor">
            {bar.percent !== null ? `${bar.percent}% · ` : ""}
            <tspan className="text-muted" fill="currentColor">
              {bar.note}
            </tspan>
          </text>
        </g>
      ))}
    </Chart>
  );
}
