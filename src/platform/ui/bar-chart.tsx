// A horizontal bar chart drawn on the server as SVG: prints, works without JavaScript, and carries
// each value as text at the end of its bar (length and text, never colour alone). Pages put the same
// figures in a table beside it.

export type Bar = { label: string; value: number | null; text: string };

export type BarChartProps = {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  /** A reference drawn as a dashed line across the bars (the city as a whole, say). */
  reference?: { value: number; label: string } | undefined;
  width?: number;
};

const ROW = 36;
const TOP = 28;
const LEFT = 8;
const VALUE_ROOM = 120;

export function BarChart(props: BarChartProps) {
  const width = props.width ?? 640;
  const plot = width - LEFT - VALUE_ROOM;
  const max = Math.max(0, props.reference?.value ?? 0, ...props.bars.map((b) => b.value ?? 0));
  const scale = (v: number) => (max > 0 ? Math.round((Math.max(0, v) / max) * plot * 10) / 10 : 0);
  const height = TOP + props.bars.length * ROW + 8;
  const ref = props.reference;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-labelledby={`${props.id}-titre`}
      aria-describedby={`${props.id}-desc`}
      class="graphique-svg"
      font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
      font-size="12"
    >
      <title id={`${props.id}-titre`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      <rect width={width} height={height} fill="#ffffff" />
      {props.bars.map((b, i) => {
        const y = TOP + i * ROW;
        const w = b.value === null ? 0 : scale(b.value);
        return (
          <g data-barre={b.label}>
            <text x={LEFT} y={y + 11} fill="#1b1f23">
              {b.label}
            </text>
            {b.value === null ? (
              <rect x={LEFT} y={y + 15} width="12" height="14" fill="#ffffff" stroke="#4a5560" stroke-dasharray="2 2" />
            ) : (
              <rect x={LEFT} y={y + 15} width={w} height="14" fill="#0b5566" />
            )}
            <text x={LEFT + (b.value === null ? 12 : w) + 6} y={y + 26} fill="#1b1f23" font-weight="700">
              {b.text}
            </text>
          </g>
        );
      })}
      {ref && (
        <g data-reference={ref.label}>
          <line
            x1={LEFT + scale(ref.value)}
            x2={LEFT + scale(ref.value)}
            y1={TOP - 6}
            y2={height - 4}
            stroke="#b34700"
            stroke-width="2"
            stroke-dasharray="6 4"
          />
          {/* The label reads away from the nearer edge, so that it always fits. */}
          <text x={LEFT + scale(ref.value)} y={TOP - 10} fill="#8a4b00" font-weight="700" text-anchor={scale(ref.value) > plot / 2 ? 'end' : 'start'}>
            {ref.label}
          </text>
        </g>
      )}
    </svg>
  );
}
