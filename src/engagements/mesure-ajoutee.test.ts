import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { TestClient } from '../../test/http-client.ts';
import { listOrganisations } from '../contrat/store.ts';
import { ficheParNumero, ouvrirCampagne, type CampagneRow } from './store.ts';
import { ajouterMesure } from './saisie-store.ts';

// A référent reports a commitment again for another scope or date: a measure is added to the sheet,
// with the same target, after what was typed is saved, and never over someone else's save.

describeEachDatabase('engagements: adding a measure to a sheet being filled in', (kind) => {
  let t: TestApp;
  let c2016: CampagneRow;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const orgs = new Map((await listOrganisations(t.database.db, t.contrat.id)).map((o) => [o.nom, o.id]));
    await accountWithRole(t, 'caf@exemple.fr', 'referent_partenaire', { kind: 'organisation', ref: orgs.get('CAF de Paris')! });
    const r = await ouvrirCampagne(t.database.db, { id: null, label: 'direction@exemple.fr', ip: null }, t.contrat.id, 2016, '2099-12-31');
    if (!r.ok) throw new Error(r.message);
    c2016 = r.campagne;
  });
  afterAll(() => t?.close());

  it('saves what was typed, then adds a measure with the same target, to fill for another scope', async () => {
    const c = new TestClient(t.app);
    expect((await c.signIn('caf@exemple.fr', TEST_PASSWORD)).statusCode).toBe(302);
    const avant = (await ficheParNumero(t.database.db, c2016.id, 59))!;
    expect(avant.mesures).toHaveLength(1);
    const post = await c.post('/suivi/2016/fiches/59', { version: String(avant.version), action: 'ajouter_mesure', resultat_1: '900', perimetre_1: 'paris' });
    expect(post.statusCode).toBe(303);
    const apres = (await ficheParNumero(t.database.db, c2016.id, 59))!;
    expect(apres.mesures.map((m) => [m.rang, m.resultat, m.perimetre, m.cible])).toEqual([
      [1, '900', 'paris', avant.mesures[0]!.cible],
      [2, null, null, avant.mesures[0]!.cible],
    ]);
    expect(apres.mesures[1]!.engagementId).toBe(avant.mesures[0]!.engagementId);
    const page = await c.get('/suivi/2016/fiches/59');
    expect(page.body).toContain('name="resultat_2"');
  });

  it('refuses to add a measure from a stale version of the sheet', async () => {
    const f = (await ficheParNumero(t.database.db, c2016.id, 59))!;
    const r = await ajouterMesure(t.database.db, { id: null, label: 'caf@exemple.fr' }, { contratId: t.contrat.id, ficheId: f.id, versionLue: f.version - 1, aujourdhui: '2099-01-01' });
    expect(r.ok).toBe(false);
    expect('conflit' in r).toBe(true);
    expect((await ficheParNumero(t.database.db, c2016.id, 59))!.mesures).toHaveLength(2);
  });
});
