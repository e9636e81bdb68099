import { geoMercator, geoPath, type GeoProjection } from 'd3-geo';

// The geometry behind the server-drawn maps: projection, compact path data, value classes.
// No business knowledge here: any module hands in features and gets SVG-ready shapes back.

export type LonLat = [number, number];
export type PolygonGeometry = { type: 'Polygon'; coordinates: LonLat[][] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: LonLat[][][] };
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** Twice the signed planar area of a ring in lon/lat (positive when counter-clockwise). */
function signedArea(ring: LonLat[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return sum;
}

function oriented(ring: LonLat[], clockwise: boolean): LonLat[] {
  const isClockwise = signedArea(ring) < 0;
  return isClockwise === clockwise ? ring : [...ring].reverse();
}

/**
 * d3-geo reads polygons on the sphere: an outer ring must turn clockwise, or the polygon is taken
 * as the whole globe minus the shape. Official files differ (RFC 7946 says counter-clockwise, the
 * Paris arrondissements file is clockwise), so every ring is set the way d3 expects.
 */
export function rewindForD3(geometry: AreaGeometry): AreaGeometry {
  const polygon = (rings: LonLat[][]) => rings.map((ring, i) => oriented(ring, i === 0));
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polygon(geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(polygon) };
}

/**
 * A d3 path context writing SVG path data rounded to 0.1 px, in relative steps, dropping points
 * closer than `minStep` px to the previous one: a city map stays a few kilobytes.
 */
export class CompactPath {
  private parts: string[] = [];
  private ring: [number, number][] = [];

  constructor(private minStep = 0.5) {}

  private flush(): void {
    // A ring smaller than a pixel or two is invisible at this scale.
    if (this.ring.length >= 3) {
      const [x0, y0] = this.ring[0]!;
      let out = `M${tenths(x0)},${tenths(y0)}`;
      for (let i = 1; i < this.ring.length; i++) {
        const [x, y] = this.ring[i]!;
        const [px, py] = this.ring[i - 1]!;
        out += `l${tenths(x - px)},${tenths(y - py)}`;
      }
      this.parts.push(`${out}z`);
    }
    this.ring = [];
  }

  moveTo(x: number, y: number): void {
    this.flush();
    this.ring.push([Math.round(x * 10), Math.round(y * 10)]);
  }

  lineTo(x: number, y: number): void {
    const p: [number, number] = [Math.round(x * 10), Math.round(y * 10)];
    const last = this.ring.at(-1);
    if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < this.minStep * 10) return;
    this.ring.push(p);
  }

  closePath(): void {
    this.flush();
  }

  beginPath(): void {
    // Each ring starts with moveTo.
  }

  arc(): void {
    // Points are drawn as SVG circles by the map, never through the path.
  }

  result(): string {
    this.flush();
    const d = this.parts.join('');
    this.parts = [];
    return d;
  }
}

/** A number of tenths written as the shortest decimal text: 12 → "1.2", -5 → "-0.5", 30 → "3". */
function tenths(n: number): string {
  return (n / 10).toString();
}

export type ProjectedFeature = { d: string; centroid: [number, number] | null };

export type Frame = {
  project(lonLat: LonLat): [number, number] | null;
  path(geometry: AreaGeometry): ProjectedFeature;
};

/** A Mercator projection fitted to the geometries given, inside width × height with a margin. */
export function frame(fitTo: AreaGeometry[], width: number, height: number, margin = 8): Frame {
  const projection: GeoProjection = geoMercator();
  const rewound = fitTo.map(rewindForD3);
  if (rewound.length) {
    projection.fitExtent(
      [
        [margin, margin],
        [width - margin, height - margin],
      ],
      { type: 'FeatureCollection', features: rewound.map((geometry) => ({ type: 'Feature', properties: {}, geometry })) },
    );
  }
  return {
    project: (lonLat) => {
      const p = projection(lonLat);
      return p ? [Math.round(p[0] * 10) / 10, Math.round(p[1] * 10) / 10] : null;
    },
    path: (geometry) => {
      const g = rewindForD3(geometry);
      const context = new CompactPath();
      geoPath(projection, context)(g);
      const c = geoPath(projection).centroid(g);
      const centroid: [number, number] | null = Number.isFinite(c[0]) ? [Math.round(c[0] * 10) / 10, Math.round(c[1] * 10) / 10] : null;
      return { d: context.result(), centroid };
    },
  };
}

export type ValueClass = { min: number; max: number };

/**
 * Up to `count` classes holding about as many values each (quantiles), so that a few extreme
 * values do not leave every other area in one colour. Equal values always share a class.
 */
export function quantileClasses(values: number[], count: number): ValueClass[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length || count < 1) return [];
  const classes: ValueClass[] = [];
  let start = 0;
  for (let i = 0; i < count && start < sorted.length; i++) {
    let end = Math.max(start + 1, Math.round(((i + 1) * sorted.length) / count));
    while (end < sorted.length && sorted[end] === sorted[end - 1]) end++;
    classes.push({ min: sorted[start]!, max: sorted[end - 1]! });
    start = end;
  }
  return classes;
}

/** The index of the class a value falls in, or null for a missing value. */
export function classOf(value: number | null | undefined, classes: ValueClass[]): number | null {
  if (value === null || value === undefined || !Number.isFinite(value) || !classes.length) return null;
  for (let i = classes.length - 1; i >= 0; i--) if (value >= classes[i]!.min) return i;
  return 0;
}

/**
 * The origin a tile URL loads images from, for the page's Content-Security-Policy img-src.
 * Leaflet's `{s}` subdomain placeholder becomes a CSP wildcard (`https://*.tile.example.org`).
 */
export function tileImageSources(tileUrl: string | undefined): string[] {
  if (!tileUrl) return [];
  const match = /^(https?):\/\/([^/?#]+)/i.exec(tileUrl);
  if (!match) return [];
  const host = match[2]!.replace(/^\{s\}\./, '*.');
  if (/[{}]/.test(host)) return [];
  return [`${match[1]!.toLowerCase()}://${host.toLowerCase()}`];
}
