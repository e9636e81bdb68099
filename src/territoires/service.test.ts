import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { adresseDeTest, chargerAdresses, chargerContours } from '../../test/geo-load.ts';
import { phraseStatut } from './model.ts';
import { invalidateLocator } from './locator.ts';

// Other modules (subsidy files, commitments) ask "is this address in a QPV?" through app.ctx.services.
describeEachDatabase('address → QPV for other modules', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('answers null, never a guess, while the geography is not imported', async () => {
    const territoires = t.app.ctx.services.territoires;
    expect(await territoires.localiserAdresse(t.contrat.id, '12 avenue Joseph Bédier 75013 Paris')).toBeNull();
    expect(await territoires.localiserPoint(t.contrat.id, 2.37, 48.82)).toBeNull();
  });

  it('answers with the QPV and a French sentence once contours and addresses are imported', async () => {
    await chargerContours(t.database.db, t.contrat.id);
    await chargerAdresses(t.database.db, t.contrat.id, adresseDeTest);
    // The real importer does this when it finishes; the test loader writes the tables directly.
    invalidateLocator(t.contrat.id);
    const answer = await t.app.ctx.services.territoires.localiserAdresse(t.contrat.id, '12 avenue Joseph Bédier 75013 Paris');
    expect(answer).toMatchObject({ statut: 'qpv', qpv: { code: 'QP075001' } });
    expect(phraseStatut(answer!)).toMatch(/^Oui, cette adresse est dans le quartier prioritaire .* \(QP075001\)$/);
    const far = await t.app.ctx.services.territoires.localiserAdresse(t.contrat.id, '10 rue des Rosiers 75004 Paris');
    expect(far).toMatchObject({ statut: 'hors_qpv', qpv: null });
  });
});
