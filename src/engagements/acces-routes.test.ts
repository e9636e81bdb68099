import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { TestClient } from '../../test/http-client.ts';
import { listOrganisations } from '../contrat/store.ts';
import { SYSTEM } from '../defaults.ts';
import { ficheParNumero, listerEngagements, modifierCampagne, ouvrirCampagne, type CampagneRow } from './store.ts';

// Who reaches what of a campaign: a référent of a signatory (the CAF) answers for the sheets of the
// services acting for it (the CAF's missions), to save them and to follow them from their commitment's
// page; the public reading a published campaign learns nobody's e-mail.

describeEachDatabase('engagements: access to a campaign, a signatory’s référent, the public', (kind) => {
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

  it('lets the CAF’s référent save a sheet of a CAF mission it is shown the form of', async () => {
    const c = new TestClient(t.app);
    expect((await c.signIn('caf@exemple.fr', TEST_PASSWORD)).statusCode).toBe(302);
    const page = await c.get('/suivi/2016/fiches/59');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post" action="/suivi/2016/fiches/59"');
    const post = await c.post('/suivi/2016/fiches/59', { version: '1', action: 'enregistrer', resultat_1: '900 accompagnements' });
    expect(post.statusCode).toBe(303);
    const fiche = (await ficheParNumero(t.database.db, c2016.id, 59))!;
    expect(fiche.version).toBe(2);
    expect(fiche.mesures[0]!.resultat).toBe('900 accompagnements');
  });

  it('shows the CAF’s référent the mission’s sheet in progress in the follow-up of its commitment', async () => {
    const fiche = (await ficheParNumero(t.database.db, c2016.id, 59))!;
    const ref = (await listerEngagements(t.database.db, t.contrat.id)).find((e) => e.id === fiche.engagementId)!.ref;
    const c = new TestClient(t.app);
    expect((await c.signIn('caf@exemple.fr', TEST_PASSWORD)).statusCode).toBe(302);
    const api = JSON.parse((await c.get(`/api/v1/engagements/${ref}`)).body) as { suivi: { annee: number; fiche: number }[] };
    expect(api.suivi.filter((s) => s.annee === 2016).map((s) => s.fiche)).toContain(59);
    const anonyme = JSON.parse((await t.app.inject({ url: `/api/v1/engagements/${ref}` })).body) as { suivi: { annee: number }[] };
    expect(anonyme.suivi.some((s) => s.annee === 2016)).toBe(false);
  });

  it('does not show the public who opened a campaign once its bilan is published: no e-mail on the page or in the API', async () => {
    await modifierCampagne(t.database.db, SYSTEM, t.contrat.id, 2016, { publiee: true });
    const page = await t.app.inject({ url: '/suivi/2016' });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('direction@exemple.fr');
    expect((await t.app.inject({ url: '/api/v1/campagnes' })).body).not.toContain('direction@exemple.fr');
  });
});
