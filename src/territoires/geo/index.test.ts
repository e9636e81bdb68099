import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { geoFile } from '../../../test/geo-data.ts';
import { bboxOf, distanceAuBord, prepareArea } from './geometry.ts';
import { buildZoneIndex, naiveLocator } from './index.ts';
import { classer, classerZone, metres } from './model.ts';
import type { AreaGeometry, Zone, ZoneType } from './types.ts';

type Feature = { properties: Record<string, string | number>; geometry: AreaGeometry };
function zonesFrom(file: string, type: ZoneType, code: string, nom: string): Zone[] {
  const fc = JSON.parse(readFileSync(geoFile(file), 'utf8')) as { features: Feature[] };
  return fc.features.map((f) => ({ id: String(f.properties[code]), type, code: String(f.properties[code]), nom: String(f.properties[nom]), geometry: f.geometry }));
}

const qpv = zonesFrom('qpv2015_paris.geojson', 'qpv', 'CODE_QP', 'NOM_QP');
const arrondissements = zonesFrom('paris_arrondissements.geojson', 'arrondissement', 'c_arinsee', 'l_aroff');
const iris = zonesFrom('iris_paris.geojson', 'iris', 'CODE_IRIS', 'NOM_IRIS');
const zones = [...qpv, ...arrondissements, ...iris];
const index = buildZoneIndex(zones, { toleranceMetres: 15 });
const naive = naiveLocator(zones, { toleranceMetres: 15 });
const bedier = qpv.find((z) => z.code === 'QP075001')!;

function codes(s: ReturnType<typeof index.locate>) {
  return {
    qpv: s.qpv?.zone.code ?? null,
    bord: s.bordProche ? [s.bordProche.zone.code, Math.round(s.bordProche.distanceMetres * 1000)] : null,
    arr: s.arrondissement?.code ?? null,
    iris: s.iris?.code ?? null,
  };
}

describe('the zone index on the real Paris contours', () => {
  it('holds the 20 QPV, the 20 arrondissements and the 992 IRIS', () => {
    expect(index.counts).toEqual({ qpv: 20, arrondissement: 20, iris: 992 });
  });

  it('finds the QPV, the arrondissement and the IRIS of a point well inside Bédier - Boutroux', () => {
    // 6 avenue Joseph Bédier (BAN): inside QP075001, in the 13th.
    const s = index.locate(2.377233, 48.821213);
    expect(s.qpv?.zone.code).toBe('QP075001');
    expect(s.qpv!.distanceBordMetres).toBeGreaterThan(15);
    expect(s.bordProche).toBeNull();
    expect(s.arrondissement?.code).toBe('75113');
    expect(s.iris?.code).toMatch(/^75113/);
    expect(classer(s)).toEqual({ statut: 'qpv', qpv: { code: 'QP075001', nom: 'Bédier - Boutroux' }, qpvProche: null, motif: null });
  });

  it('answers hors_qpv far from any QPV (Notre-Dame)', () => {
    const s = index.locate(2.3499, 48.853);
    expect(s.qpv).toBeNull();
    expect(s.arrondissement?.code).toBe('75104');
    expect(classer(s).statut).toBe('hors_qpv');
  });

  it('answers incertain a few metres from a boundary, on either side, with the distance and the quarter named', () => {
    // A vertex of the Bédier contour, then points 5 m east and west of it.
    const ring = (bedier.geometry.coordinates as [number, number][][])[0]!;
    const [vx, vy] = ring[Math.floor(ring.length / 3)]!;
    const area = prepareArea(bedier.geometry);
    const step = 5 / (111_195 * Math.cos((vy * Math.PI) / 180));
    for (const x of [vx - step, vx + step]) {
      const s = index.locate(x, vy);
      expect(s.bordProche?.zone.code).toBe('QP075001');
      expect(s.bordProche!.distanceMetres).toBeLessThanOrEqual(5.01);
      expect(s.bordProche!.distanceMetres).toBeCloseTo(distanceAuBord(area, x, vy), 6);
      const c = classer(s);
      expect(c.statut).toBe('incertain');
      expect(c.qpv).toBeNull();
      expect(c.qpvProche).toMatchObject({ code: 'QP075001', nom: 'Bédier - Boutroux' });
      expect(c.motif).toMatch(/^À \d m de la limite du quartier Bédier - Boutroux \(côté (intérieur|extérieur)\) : vérifiez sur la carte\.$/);
    }
  });

  it('gives exactly the naive loop’s answer for random points over Paris and around every QPV', () => {
    const [minX, minY, maxX, maxY] = bboxOf({ type: 'MultiPolygon', coordinates: arrondissements.map((a) => (a.geometry as { coordinates: [number, number][][] }).coordinates) });
    const nearQpv = fc.tuple(fc.constantFrom(...qpv), fc.double({ min: -0.002, max: 0.002, noNaN: true }), fc.double({ min: -0.002, max: 0.002, noNaN: true })).map(([z, dx, dy]) => {
      const [x0, y0, x1, y1] = bboxOf(z.geometry);
      return [(x0 + x1) / 2 + dx + (x1 - x0) * (dx * 100), (y0 + y1) / 2 + dy + (y1 - y0) * (dy * 100)] as const;
    });
    const anywhere = fc.tuple(fc.double({ min: minX - 0.01, max: maxX + 0.01, noNaN: true }), fc.double({ min: minY - 0.01, max: maxY + 0.01, noNaN: true }));
    fc.assert(
      fc.property(fc.oneof(nearQpv, anywhere), ([x, y]) => {
        expect(codes(index.locate(x, y))).toEqual(codes(naive(x, y)));
      }),
      { numRuns: 400 },
    );
  });

  it('finds the nearest QPV edge however far, for the map around an answer', () => {
    const inside = index.qpvLePlusProche(2.377233, 48.821213)!;
    expect(inside.zone.code).toBe('QP075001');
    expect(inside.dedans).toBe(true);
    const far = index.qpvLePlusProche(2.3499, 48.853)!;
    expect(far.dedans).toBe(false);
    expect(far.distanceMetres).toBeGreaterThan(1000);
    expect(far.distanceMetres).toBe(Math.min(...qpv.map((z) => distanceAuBord(prepareArea(z.geometry), 2.3499, 48.853))));
    expect(buildZoneIndex(arrondissements).qpvLePlusProche(2.35, 48.85)).toBeNull();
  });

  it('says "not loaded" by its counts when a geography is missing, and never finds a zone it does not hold', () => {
    const onlyArr = buildZoneIndex(arrondissements);
    expect(onlyArr.counts).toEqual({ qpv: 0, arrondissement: 20, iris: 0 });
    const s = onlyArr.locate(2.377233, 48.821213);
    expect(s.qpv).toBeNull();
    expect(s.arrondissement?.code).toBe('75113');
    expect(buildZoneIndex([]).locate(2.35, 48.85)).toEqual({ qpv: null, bordProche: null, arrondissement: null, iris: null });
  });
});

describe('the classification rule', () => {
  const z = (code: string, nom: string): Zone => ({ ...bedier, code, nom });
  it('writes distances for people', () => {
    expect(metres(0.4)).toBe('moins d’1 m');
    expect(metres(8.4)).toBe('8 m');
    expect(metres(1234)).toBe('1\u202f234 m');
  });

  it('keeps an approximate answer only when every candidate position agrees', () => {
    const inGoutte = { statut: 'qpv' as const, qpv: { code: 'QP075012', nom: "Goutte d'Or" }, qpvProche: null, motif: null };
    const outside = { statut: 'hors_qpv' as const, qpv: null, qpvProche: null, motif: null };
    expect(classerZone(inGoutte, [inGoutte], 'Numéro absent')).toBe(inGoutte);
    expect(classerZone(outside, [], 'Numéro absent')).toBe(outside);
    const mixed = classerZone(outside, [inGoutte], 'Numéro 13 absent de la base');
    expect(mixed.statut).toBe('incertain');
    expect(mixed.qpv).toBeNull();
    expect(mixed.motif).toBe(
      "Numéro 13 absent de la base : les positions possibles sont de part et d’autre de la limite du quartier Goutte d'Or. Précisez l’adresse ou vérifiez sur la carte.",
    );
    const near = classer({ qpv: null, bordProche: { zone: z('QP075012', "Goutte d'Or"), distanceMetres: 8.2, dedans: false }, arrondissement: null, iris: null });
    expect(near.motif).toBe("À 8 m de la limite du quartier Goutte d'Or (côté extérieur) : vérifiez sur la carte.");
    expect(classerZone(outside, [near], 'Rue entière').statut).toBe('incertain');
  });
});
