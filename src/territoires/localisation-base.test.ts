import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { chargerAdresses, chargerContours, lignesBan } from '../../test/geo-load.ts';
import { libelleRepetition } from './geo/adresse.ts';
import { getLocator, type Localisateur } from './locator.ts';

// The whole Paris address base (158 048 addresses) imported with `pilotis import adresses`, then
// read back by the locator: every address must be found again from its own label, and classified.

describeEachDatabase('the locator over the whole Paris address base', (kind) => {
  let t: TestApp;
  let loc: Localisateur;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await chargerContours(t.database.db, t.contrat.id);
    await chargerAdresses(t.database.db, t.contrat.id);
    loc = await getLocator(t.database.db, t.contrat.id, t.app.ctx.config.geo);
  }, 180_000);
  afterAll(() => t.close());

  it('loads the 20 QPV, 20 arrondissements, 992 IRIS and 158 048 addresses from the tables', () => {
    expect(loc.etat).toEqual({ qpv: 20, arrondissement: 20, iris: 992, adresses: 158_048 });
  });

  it('finds every address again from its label, exactly (one BAN oddity aside), and never loses one', async () => {
    let exactes = 0;
    const autres: string[] = [];
    for (const a of lignesBan()) {
      const label = /^\d/.test(a.nomVoie) ? a.nomVoie : `${a.numero ?? ''} ${libelleRepetition(a.rep)} ${a.nomVoie}`;
      const r = await loc.localiserAdresse(`${label}, ${a.codePostal} Paris`);
      if (r.statut === 'introuvable') throw new Error(`${label} : ${r.motif}`);
      if (r.correspondance.methode === 'adresse_exacte' && r.correspondance.banId === a.id) exactes++;
      else autres.push(`${a.id} ${label}`);
    }
    // "1 V La Porte Jaune": a one-letter suffix before a name without a street type reads as the name's start.
    expect(autres).toEqual(['75112_r610_00001_v 1 V La Porte Jaune']);
    expect(exactes).toBe(158_047);
  }, 120_000);

  it('classifies every address of the base: as many in QPV, outside and uncertain as the files give', () => {
    const counts = { qpv: 0, hors_qpv: 0, incertain: 0 };
    const parQpv = new Map<string, number>();
    for (const a of lignesBan()) {
      const r = loc.localiserPoint(a.lon, a.lat);
      counts[r.statut]++;
      if (r.qpv) parQpv.set(r.qpv.code, (parQpv.get(r.qpv.code) ?? 0) + 1);
    }
    expect(counts).toEqual({ qpv: 5435, hors_qpv: 148_828, incertain: 3785 });
    // Every one of the 20 QPV holds addresses.
    expect([...parQpv.keys()].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `QP0750${String(i + 1).padStart(2, '0')}`));
  });

  it('answers the examples of the open-data notes', async () => {
    for (const [adresse, code] of [
      ['6S1 Avenue Joseph Bédier', 'QP075001'],
      ['5 rue Émile Blémont 75018', 'QP075009'],
      ['10 rue de la Solidarité 75019', 'QP075016'],
    ] as const) {
      expect(await loc.localiserAdresse(adresse)).toMatchObject({ statut: 'qpv', qpv: { code } });
    }
  });
});
