import { readFileSync } from 'node:fs';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { geoFile } from '../../../test/geo-data.ts';
import { decodeEntities, tags } from '../../../test/html.ts';
import { MapSvg, type MapFeature } from './map.tsx';
import { classOf, CompactPath, frame, quantileClasses, rewindForD3, tileImageSources, type AreaGeometry, type LonLat } from './map-model.ts';

type Collection = { features: { properties: Record<string, string | number>; geometry: AreaGeometry }[] };
const readCollection = (name: string) => JSON.parse(readFileSync(geoFile(name), 'utf8')) as Collection;

const qpv: MapFeature[] = readCollection('qpv2015_paris.geojson').features.map((f) => ({
  id: String(f.properties.CODE_QP),
  name: String(f.properties.NOM_QP),
  label: String(Number(String(f.properties.CODE_QP).slice(-3))),
  geometry: f.geometry,
}));
const arrondissements: MapFeature[] = readCollection('paris_arrondissements.geojson').features.map((f) => ({
  id: String(f.properties.c_arinsee),
  name: String(f.properties.l_ar),
  geometry: f.geometry,
}));

/** Start and end tags pair up, in order: the markup is well formed (void SVG elements are self-closed). */
function expectWellFormed(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
}

function pathOf(svg: string, code: string): Record<string, string> | undefined {
  return tags(svg).find((t) => t.name === 'path' && t.attrs['data-code'] === code)?.attrs;
}

const square = (x: number, y: number, size: number, clockwise: boolean): AreaGeometry => {
  const ring: LonLat[] = [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ];
  return { type: 'Polygon', coordinates: [clockwise ? [...ring].reverse() : ring] };
};

describe('server-side SVG maps', () => {
  const overview = renderToString(
    <MapSvg
      id="carte-test"
      title="Les quartiers prioritaires de Paris"
      description="Les 20 quartiers prioritaires sur le fond des arrondissements."
      fitTo={arrondissements.map((a) => a.id)}
      layers={[
        { kind: 'context', features: arrondissements, legend: 'Arrondissements' },
        { kind: 'zone', features: qpv, legend: 'Quartiers prioritaires', labels: true },
      ]}
      highlight={{ id: 'QP075012', legend: 'Goutte d’Or (quartier de cette fiche)' }}
      points={[{ lon: 2.3545, lat: 48.8865, name: 'Adresse cherchée' }]}
    />,
  );

  it('is a well-formed SVG image named by its title and described by its legend', () => {
    expectWellFormed(overview);
    const root = tags(overview)[0]!;
    expect(root.name).toBe('svg');
    expect(root.attrs.role).toBe('img');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(root.attrs['aria-labelledby']).toBe('carte-test-titre');
    expect(decodeEntities(/<title id="carte-test-titre">([^<]*)<\/title>/.exec(overview)![1]!)).toBe('Les quartiers prioritaires de Paris');
    const desc = decodeEntities(/<desc id="carte-test-desc">([^<]*)<\/desc>/.exec(overview)![1]!);
    expect(desc).toContain('Les 20 quartiers prioritaires');
    // The legend is also written out, for screen readers and for print.
    expect(desc).toContain('Légende : Arrondissements ; Quartiers prioritaires ; Goutte d’Or (quartier de cette fiche) ; Adresse cherchée');
    for (const text of ['Arrondissements', 'Quartiers prioritaires', 'Goutte d’Or (quartier de cette fiche)']) {
      expect(decodeEntities(overview)).toContain(`>${text}</text>`);
    }
  });

  it('draws every area, the highlighted one apart with a pattern and a thick outline, and labels', () => {
    for (const f of [...qpv, ...arrondissements]) expect(pathOf(overview, f.id)?.d, f.id).toMatch(/^M[\d.-]+,[\d.-]+l/);
    const goutteDor = pathOf(overview, 'QP075012')!;
    const other = pathOf(overview, 'QP075011')!;
    expect(goutteDor.fill).toBe('url(#carte-test-motif-surbrillance)');
    expect(goutteDor['stroke-width']).toBe('3');
    expect(other.fill).toBe('url(#carte-test-motif-zone)');
    expect(overview).toContain('<pattern id="carte-test-motif-surbrillance"');
    // Text labels, so that no area is told from another by colour alone.
    expect(overview).toMatch(/<text[^>]*>12<\/text>/);
    expect(overview).toContain('<circle cx=');
  });

  it('stays light: coordinates rounded to a tenth of a pixel and inside the frame', () => {
    const numbers = [...overview.matchAll(/ d="([^"]+)"/g)].flatMap((m) => m[1]!.match(/-?\d+(?:\.\d+)?/g) ?? []);
    expect(numbers.length).toBeGreaterThan(1000);
    expect(numbers.filter((n) => /\.\d\d/.test(n))).toEqual([]);
    expect(overview.length).toBeLessThan(80_000);
    // Absolute starting points of every ring fall inside the 640 × 480 map.
    for (const m of overview.matchAll(/M(-?[\d.]+),(-?[\d.]+)/g)) {
      const [x, y] = [Number(m[1]), Number(m[2])];
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(640);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(480);
    }
  });

  it('fills a choropleth by classes, each with its own pattern and a legend line, missing values apart', () => {
    const values = qpv.map((f, i) => ({ ...f, value: i === 0 ? null : 10_000 + i * 100 }));
    const svg = renderToString(
      <MapSvg
        id="choro"
        title="Revenu médian"
        description="Revenu médian par quartier."
        layers={[{ kind: 'choropleth', features: values, legend: 'Revenu médian', labels: true }]}
        choropleth={{ classes: 4, format: (v) => `${v} €` }}
      />,
    );
    expectWellFormed(svg);
    const fills = new Set(values.map((f) => pathOf(svg, f.id)!.fill));
    expect([...fills].sort()).toEqual(['#ffffff', 'url(#choro-motif-classe-0)', 'url(#choro-motif-classe-1)', 'url(#choro-motif-classe-2)', 'url(#choro-motif-classe-3)']);
    expect(svg).toContain('Revenu médian : de 10100 € à 10500 €');
    expect(svg).toContain('Donnée non disponible');
    expect(decodeEntities(svg)).toContain(`<title>${values[1]!.name} : 10100 €</title>`);
  });

  it('fits the view to the features asked for, showing neighbours around them', () => {
    const svg = renderToString(
      <MapSvg
        id="fiche"
        title="Goutte d’Or"
        description="Contour du quartier."
        fitTo={['QP075012']}
        margin={60}
        layers={[
          { kind: 'context', features: arrondissements, legend: 'Arrondissements' },
          { kind: 'zone', features: qpv, legend: 'Autres quartiers prioritaires' },
        ]}
        highlight={{ id: 'QP075012', legend: 'Goutte d’Or' }}
      />,
    );
    const start = /M(-?[\d.]+),(-?[\d.]+)/.exec(pathOf(svg, 'QP075012')!.d!)!;
    expect(Number(start[1])).toBeGreaterThanOrEqual(60 - 1);
    expect(Number(start[1])).toBeLessThanOrEqual(640 - 60 + 1);
    expect(svg).toContain('clip-path="url(#fiche-cadre)"');
  });

  it('leaves the highlight out of the legend when the feature is not on the map', () => {
    const svg = renderToString(
      <MapSvg id="x" title="t" description="d." layers={[{ kind: 'zone', features: qpv.slice(0, 2), legend: 'Quartiers' }]} highlight={{ id: 'QP075012', legend: 'Goutte d’Or' }} />,
    );
    expect(svg).not.toContain('surbrillance');
  });
});

describe('map geometry', () => {
  it('turns outer rings clockwise and holes counter-clockwise, whatever the file says', () => {
    for (const clockwise of [true, false]) {
      const g = rewindForD3(square(2.3, 48.8, 0.01, clockwise)) as { coordinates: LonLat[][] };
      const ring = g.coordinates[0]!;
      // Going from the south-west corner, a clockwise ring (north up) heads north first.
      const i = ring.findIndex(([x, y]) => x === 2.3 && y === 48.8);
      expect(ring[i + 1]![0]).toBe(2.3);
    }
    const withHole: AreaGeometry = {
      type: 'Polygon',
      coordinates: [square(0, 0, 10, false).coordinates[0] as LonLat[], square(2, 2, 2, true).coordinates[0] as LonLat[]],
    };
    const rewound = rewindForD3(withHole) as { coordinates: LonLat[][] };
    expect(rewound.coordinates[0]).toEqual([...(withHole.coordinates[0] as LonLat[])].reverse());
    expect(rewound.coordinates[1]).toEqual([...(withHole.coordinates[1] as LonLat[])].reverse());
  });

  it('draws a counter-clockwise (RFC 7946) polygon as itself, not as the rest of the globe', () => {
    const view = frame([square(2.3, 48.8, 0.01, false)], 100, 100, 0);
    const { d } = view.path(square(2.3, 48.8, 0.01, false));
    const numbers = d.match(/-?[\d.]+/g)!.map(Number);
    expect(Math.max(...numbers.map(Math.abs))).toBeLessThanOrEqual(100);
  });

  it('writes relative path steps in tenths and drops points closer than half a pixel', () => {
    const p = new CompactPath();
    p.moveTo(10.04, 20.06);
    p.lineTo(10.2, 20.1);
    p.lineTo(15.26, 20.1);
    p.lineTo(15.26, 25.31);
    p.closePath();
    expect(p.result()).toBe('M10,20.1l5.3,0l0,5.2z');
    const tiny = new CompactPath();
    tiny.moveTo(0, 0);
    tiny.lineTo(0.1, 0.1);
    tiny.closePath();
    expect(tiny.result()).toBe('');
  });

  it('makes quantile classes that keep equal values together', () => {
    expect(quantileClasses([5, 1, 4, 2, 3, 6], 3)).toEqual([
      { min: 1, max: 2 },
      { min: 3, max: 4 },
      { min: 5, max: 6 },
    ]);
    const tied = quantileClasses([1, 2, 2, 2, 3], 2);
    expect(tied).toEqual([
      { min: 1, max: 2 },
      { min: 3, max: 3 },
    ]);
    expect(classOf(2, tied)).toBe(0);
    expect(classOf(3, tied)).toBe(1);
    expect(classOf(null, tied)).toBeNull();
    expect(quantileClasses([], 5)).toEqual([]);
    expect(quantileClasses([7, 7], 5)).toEqual([{ min: 7, max: 7 }]);
  });

  it('allows a tile server in the CSP by its origin, with Leaflet’s {s} as a wildcard', () => {
    expect(tileImageSources(undefined)).toEqual([]);
    expect(tileImageSources('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png')).toEqual(['https://*.tile.openstreetmap.org']);
    expect(tileImageSources('https://tuiles.exemple.fr:8443/{z}/{x}/{y}.png')).toEqual(['https://tuiles.exemple.fr:8443']);
    expect(tileImageSources('https://{x}.bad/{z}.png')).toEqual([]);
    expect(tileImageSources('/tuiles/{z}/{x}/{y}.png')).toEqual([]);
  });
});
