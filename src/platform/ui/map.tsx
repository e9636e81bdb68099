import type { ComponentChildren } from 'preact';
import { classOf, frame, quantileClasses, type AreaGeometry, type LonLat, type ValueClass } from './map-model.ts';

// Maps drawn on the server as SVG: they work without JavaScript, print, and go into reports.
// Colour is never the only cue: every fill has a pattern, and the legend repeats both.

export type MapFeature = {
  /** Stable identifier (a territory code): written as data-code, used for the highlight. */
  id: string;
  name: string;
  geometry: AreaGeometry;
  /** Short text drawn on the area (a number, a code) — the table beside the map says what it means. */
  label?: string;
  /** For a choropleth layer. */
  value?: number | null;
};

export type MapLayer = {
  features: MapFeature[];
  /** context: pale background (arrondissements) · zone: the areas the map is about · choropleth: filled by value. */
  kind: 'context' | 'zone' | 'choropleth';
  /** The legend entry of the layer (for a choropleth, the indicator's name). */
  legend: string;
  labels?: boolean;
};

export type MapPoint = { lon: number; lat: number; name: string };

export type MapOptions = {
  /** Unique on the page: prefixes the ids of the title, the description and the patterns. */
  id: string;
  title: string;
  description: string;
  width?: number;
  height?: number;
  layers: MapLayer[];
  /** Ids of the features the view is fitted to; by default every feature not in a context layer. */
  fitTo?: string[];
  /** Space left around the fitted features, in px (more shows more of the context around one area). */
  margin?: number;
  highlight?: { id: string; legend: string };
  points?: MapPoint[];
  /** For a choropleth layer: number of classes and how a value is written in the legend. */
  choropleth?: { classes?: number; format: (value: number) => string; missing?: string };
};

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
const TEXT = '#1b1f23';
const LINE = '#4a5560';
const CONTEXT_FILL = '#f5f8f9';
const ZONE_FILL = '#b3d8e0';
const ZONE_STROKE = '#0b5566';
const HIGHLIGHT_FILL = '#f4c7a1';
const HIGHLIGHT_STROKE = '#b34700';
/** Light to dark; with five distinct patterns below, the classes stay apart in black and white too. */
const SEQUENCE = ['#eef6f8', '#b3d8e0', '#6fb2c2', '#2f7f93', '#0b4a59'];
const MISSING_FILL = '#ffffff';

type Swatch = { fill: string; stroke: string; strokeWidth: number; dash?: string };
type LegendEntry = { swatch: Swatch; text: string; point?: boolean };

/** Pattern marks per class: none, dots, diagonal lines, cross-hatch, dense cross-hatch. */
function classPattern(id: string, index: number, colour: string): ComponentChildren {
  const mark = index >= 3 ? '#ffffff' : '#0b4a59';
  const marks = [
    null,
    <circle cx="3" cy="3" r="1" fill={mark} />,
    <path d="M0,6l6,-6" stroke={mark} stroke-width="1" />,
    <path d="M0,6l6,-6M0,0l6,6" stroke={mark} stroke-width="1" />,
    <path d="M0,3h6M3,0v6" stroke={mark} stroke-width="1" />,
  ][index % 5];
  return (
    <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse">
      <rect width="6" height="6" fill={colour} />
      {marks}
    </pattern>
  );
}

function SwatchShape(props: { x: number; y: number; swatch: Swatch; point?: boolean }) {
  const { x, y, swatch } = props;
  if (props.point) return <circle cx={x + 8} cy={y + 8} r="5" fill={swatch.fill} stroke={swatch.stroke} stroke-width={swatch.strokeWidth} />;
  return (
    <rect x={x} y={y} width="16" height="16" fill={swatch.fill} stroke={swatch.stroke} stroke-width={swatch.strokeWidth} stroke-dasharray={swatch.dash} />
  );
}

const LEGEND_ROW = 22;

/** The SVG map. Wrap it in <Carte> for a figure with a caption and the interactive enhancement. */
export function MapSvg(props: MapOptions) {
  const width = props.width ?? 640;
  const height = props.height ?? 480;
  const id = props.id;
  const pattern = (name: string) => `${id}-motif-${name}`;
  const all = props.layers.flatMap((l) => l.features);
  const wanted = props.fitTo ? new Set(props.fitTo) : null;
  const fitFeatures = wanted
    ? all.filter((f) => wanted.has(f.id))
    : props.layers.filter((l) => l.kind !== 'context').flatMap((l) => l.features);
  const view = frame((fitFeatures.length ? fitFeatures : all).map((f) => f.geometry), width, height, props.margin ?? 8);

  const choroplethLayer = props.layers.find((l) => l.kind === 'choropleth');
  const format = props.choropleth?.format ?? ((v: number) => String(v));
  const classes: ValueClass[] = choroplethLayer
    ? quantileClasses(
        choroplethLayer.features.map((f) => f.value).filter((v): v is number => typeof v === 'number'),
        props.choropleth?.classes ?? 5,
      )
    : [];

  const legend: LegendEntry[] = [];
  const defs: ComponentChildren[] = [];
  const highlighted = props.highlight && all.some((f) => f.id === props.highlight!.id) ? props.highlight : undefined;
  if (highlighted) {
    defs.push(
      <pattern id={pattern('surbrillance')} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill={HIGHLIGHT_FILL} />
        <path d="M0,0v6" stroke={HIGHLIGHT_STROKE} stroke-width="2" />
      </pattern>,
    );
  }
  defs.push(
    <pattern id={pattern('zone')} width="8" height="8" patternUnits="userSpaceOnUse">
      <rect width="8" height="8" fill={ZONE_FILL} />
      <circle cx="4" cy="4" r="0.9" fill={ZONE_STROKE} />
    </pattern>,
  );
  classes.forEach((_c, i) => defs.push(classPattern(pattern(`classe-${i}`), i, SEQUENCE[Math.min(i, SEQUENCE.length - 1)]!)));

  const layerShapes = props.layers.map((layer) => {
    const paths = layer.features.map((f) => {
      const shape = view.path(f.geometry);
      let fill: string;
      let stroke = LINE;
      let strokeWidth = 1;
      let dash: string | undefined;
      if (layer.kind === 'context') {
        fill = CONTEXT_FILL;
        stroke = '#6b7780';
        strokeWidth = 0.8;
        dash = '4 3';
      } else if (layer.kind === 'zone') {
        fill = `url(#${pattern('zone')})`;
        stroke = ZONE_STROKE;
        strokeWidth = 1.2;
      } else {
        const c = classOf(f.value, classes);
        fill = c === null ? MISSING_FILL : `url(#${pattern(`classe-${c}`)})`;
        stroke = c === null ? LINE : ZONE_STROKE;
        dash = c === null ? '2 2' : undefined;
      }
      const isHighlight = highlighted?.id === f.id;
      return {
        f,
        shape,
        el: (
          <path
            d={shape.d}
            data-code={f.id}
            fill={isHighlight ? `url(#${pattern('surbrillance')})` : fill}
            stroke={isHighlight ? HIGHLIGHT_STROKE : stroke}
            stroke-width={isHighlight ? 3 : strokeWidth}
            stroke-dasharray={isHighlight ? undefined : dash}
            stroke-linejoin="round"
          >
            <title>{f.value !== undefined && f.value !== null ? `${f.name} : ${format(f.value)}` : f.name}</title>
          </path>
        ),
        isHighlight,
      };
    });
    return { layer, paths };
  });

  for (const layer of props.layers) {
    if (layer.kind === 'context') legend.push({ swatch: { fill: CONTEXT_FILL, stroke: '#6b7780', strokeWidth: 0.8, dash: '4 3' }, text: layer.legend });
    if (layer.kind === 'zone') legend.push({ swatch: { fill: `url(#${pattern('zone')})`, stroke: ZONE_STROKE, strokeWidth: 1.2 }, text: layer.legend });
    if (layer.kind === 'choropleth') {
      classes.forEach((c, i) =>
        legend.push({
          swatch: { fill: `url(#${pattern(`classe-${i}`)})`, stroke: ZONE_STROKE, strokeWidth: 1 },
          text: `${layer.legend} : ${c.min === c.max ? format(c.min) : `de ${format(c.min)} à ${format(c.max)}`}`,
        }),
      );
      if (layer.features.some((f) => classOf(f.value, classes) === null)) {
        legend.push({ swatch: { fill: MISSING_FILL, stroke: LINE, strokeWidth: 1, dash: '2 2' }, text: props.choropleth?.missing ?? 'Donnée non disponible' });
      }
    }
  }
  if (highlighted) legend.push({ swatch: { fill: `url(#${pattern('surbrillance')})`, stroke: HIGHLIGHT_STROKE, strokeWidth: 2 }, text: highlighted.legend });
  const points = (props.points ?? []).map((p) => ({ p, xy: view.project([p.lon, p.lat] as LonLat) }));
  if (points.length) legend.push({ swatch: { fill: HIGHLIGHT_STROKE, stroke: '#ffffff', strokeWidth: 2 }, text: points.length === 1 ? points[0]!.p.name : 'Points', point: true });

  const legendHeight = legend.length ? legend.length * LEGEND_ROW + 12 : 0;
  const totalHeight = height + legendHeight;
  const legendText = legend.map((e) => e.text).join(' ; ');
  const description = legend.length ? `${props.description} Légende : ${legendText}.` : props.description;

  const labels = layerShapes.flatMap(({ layer, paths }) =>
    layer.labels
      ? paths
          .filter((p) => p.f.label && p.shape.centroid)
          .map((p) => (
            <text x={p.shape.centroid![0]} y={p.shape.centroid![1] + 4} stroke="#ffffff" stroke-width="3" paint-order="stroke" stroke-linejoin="round">
              {p.f.label}
            </text>
          ))
      : [],
  );

  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${width} ${totalHeight}`}
      width={width}
      height={totalHeight}
      role="img"
      aria-labelledby={`${id}-titre`}
      aria-describedby={`${id}-desc`}
      class="carte-svg"
      font-family={FONT}
    >
      <title id={`${id}-titre`}>{props.title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <defs>
        <clipPath id={`${id}-cadre`}>
          <rect width={width} height={height} />
        </clipPath>
        {defs}
      </defs>
      <rect width={width} height={height} fill="#ffffff" />
      <g clip-path={`url(#${id}-cadre)`}>
        {layerShapes.map(({ layer, paths }) => (
          <g data-couche={layer.kind}>
            {paths.filter((p) => !p.isHighlight).map((p) => p.el)}
            {/* Drawn last, so that its thick outline is not covered by its neighbours. */}
            {paths.filter((p) => p.isHighlight).map((p) => p.el)}
          </g>
        ))}
        <g data-couche="etiquettes" font-size="11" font-weight="700" text-anchor="middle" fill={TEXT}>
          {labels}
        </g>
        {points.map(({ p, xy }) =>
          xy ? (
            <g data-couche="point">
              <circle cx={xy[0]} cy={xy[1]} r="6" fill={HIGHLIGHT_STROKE} stroke="#ffffff" stroke-width="2" />
              <title>{p.name}</title>
            </g>
          ) : null,
        )}
      </g>
      {legend.length > 0 && (
        <g data-couche="legende" transform={`translate(8 ${height + 8})`} font-size="13" fill={TEXT}>
          {legend.map((e, i) => (
            <g transform={`translate(0 ${i * LEGEND_ROW})`}>
              <SwatchShape x={0} y={0} swatch={e.swatch} point={e.point} />
              <text x="24" y="13">
                {e.text}
              </text>
            </g>
          ))}
        </g>
      )}
    </svg>
  );
}

/**
 * A map as a figure: the SVG (kept when JavaScript is off, and for printing), a caption, and what
 * /static/carte.js needs to replace it on screen by an interactive map of the same contours.
 */
export function Carte(props: {
  map: MapOptions;
  caption: ComponentChildren;
  /** URL of a GeoJSON FeatureCollection (or Feature) of the same contours, for the interactive map. */
  geojsonUrl?: string;
  tileUrl?: string | undefined;
  tileAttribution?: string | undefined;
  /** Pattern of the link a click on an area leads to; `{code}` is replaced by the feature's id. */
  linkPattern?: string;
}) {
  return (
    <figure
      class="carte"
      data-geojson-url={props.geojsonUrl}
      data-tile-url={props.tileUrl}
      data-tile-attribution={props.tileAttribution}
      data-lien={props.linkPattern}
      data-surbrillance={props.map.highlight?.id}
      data-titre={props.map.title}
    >
      <MapSvg {...props.map} />
      <figcaption>{props.caption}</figcaption>
    </figure>
  );
}
