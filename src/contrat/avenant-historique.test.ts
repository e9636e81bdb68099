import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, openTestDatabase } from '../platform/db/testing.ts';
import type { Database } from '../platform/db/connect.ts';
import { ensureContrat } from '../platform/tenancy/store.ts';
import { SYSTEM } from '../defaults.ts';
import { lectureChangement } from './model.ts';
import { adopterAvenant, ajouterChangement, chargerArbre, creerAvenant, historiqueNoeud, type NoeudSaisi } from './store.ts';

// Two amendments drafted side by side that rename the same item: the history must read as a chain,
// each change's "before" being the wording the item had when that amendment was adopted.

const DIRECTION = { id: null, label: 'direction@example.fr' };
const ARBRE: NoeudSaisi[] = [
  { ref: '1', niveau: 'axe', numero: '1', libelle: 'Accompagner les parcours', parentRef: null, document: '002', lignes: [1187] },
  { ref: '1.1', niveau: 'orientation', numero: '1.1', libelle: 'Libellé signé', parentRef: '1', document: '002', lignes: [1229] },
];

describeEachDatabase('amendments drafted side by side', (kind) => {
  let database: Database;
  let contratId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contratId = (await ensureContrat(database.db, SYSTEM, { slug: 'essai', nom: 'Contrat d’essai', territoire: 'Paris', debut: '2015-01-01', fin: '2020-12-31' }, true)).id;
    await chargerArbre(database.db, SYSTEM, contratId, ARBRE);
  });
  afterAll(() => database.close());

  it('records as "before" the wording the item had at adoption, not when the change was drafted', async () => {
    const db = database.db;
    const a1 = await creerAvenant(db, DIRECTION, contratId, { titre: 'Premier', objet: 'Renommer' });
    const a2 = await creerAvenant(db, DIRECTION, contratId, { titre: 'Second', objet: 'Renommer encore' });
    expect(await ajouterChangement(db, DIRECTION, contratId, a1.id, { type: 'modification', ref: '1.1', libelle: 'Libellé de l’avenant 1' })).toEqual({ ok: true });
    expect(await ajouterChangement(db, DIRECTION, contratId, a2.id, { type: 'modification', ref: '1.1', libelle: 'Libellé de l’avenant 2' })).toEqual({ ok: true });
    expect(await adopterAvenant(db, DIRECTION, contratId, a1.id, '2016-03-01')).toEqual({ ok: true });
    expect(await adopterAvenant(db, DIRECTION, contratId, a2.id, '2017-03-01')).toEqual({ ok: true });
    const h = (await historiqueNoeud(db, contratId, '1.1')).map((c) => ({ avenant: c.avenant.numero, ...lectureChangement(c) }));
    expect(h.map(({ avenant, avant, apres }) => ({ avenant, avant, apres }))).toEqual([
      { avenant: 1, avant: 'Libellé signé', apres: 'Libellé de l’avenant 1' },
      { avenant: 2, avant: 'Libellé de l’avenant 1', apres: 'Libellé de l’avenant 2' },
    ]);
  });
});
