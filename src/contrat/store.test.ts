import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { describeEachDatabase, openTestDatabase } from '../platform/db/testing.ts';
import type { Database } from '../platform/db/connect.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { ensureContrat } from '../platform/tenancy/store.ts';
import { SYSTEM } from '../defaults.ts';
import { nouveauNoeud } from './model.ts';
import {
  adopterAvenant,
  ajouterChangement,
  ancetresDe,
  arbreSelonAvenant,
  avenantParNumero,
  chargerArbre,
  compterParNiveau,
  creerAvenant,
  descendantsDe,
  historiqueNoeud,
  listerAvenants,
  listerNoeuds,
  noeudParRef,
  noeudsDesNiveaux,
  rechercherNoeuds,
  type NoeudSaisi,
} from './store.ts';

// The strategy tree in the database, on both databases: loading the transcription, reading parts of
// it, French search, and amendments that add, rename and withdraw items while keeping their history.

const DIRECTION = { id: null, label: 'direction@example.fr' };

const item = (ref: string, niveau: NoeudSaisi['niveau'], parentRef: string | null, numero: string, libelle: string, lignes: number[]): NoeudSaisi => ({
  ref,
  niveau,
  numero,
  libelle,
  parentRef,
  document: '002',
  lignes,
});

const ARBRE: NoeudSaisi[] = [
  item('1', 'axe', null, '1', 'Accompagner les parcours et prévenir les ruptures', [1187, 1188]),
  item('1.1', 'orientation', '1', '1.1', 'Construire des trajectoires scolaires et éducatives positives', [1229]),
  item('1.1.1', 'objectif', '1.1', '1.1.1', 'Lutter contre le décrochage scolaire et favoriser la réussite éducative', [1559]),
  item('1.1.1/P1', 'priorite', '1.1.1', 'Priorité 1', 'Donner goût aux apprentissages', [1563, 1564]),
  item('1.1.1/P1/OO1', 'objectif_operationnel', '1.1.1/P1', 'OO1', 'Renforcement des passerelles et sécurisation des transitions', [1571]),
  item('1.1.1/P1/OO1/A1', 'action', '1.1.1/P1/OO1', 'A1', 'Accompagner l’entrée à l’école par des passerelles', [1576]),
  item('1.1.1/P1/OO1/A1/L1', 'levier', '1.1.1/P1/OO1/A1', 'L1', 'Flécher les postes vers les quartiers prioritaires', [1593, 1594]),
  item('1.1.1/P1/OO1/A1/L2', 'levier', '1.1.1/P1/OO1/A1', 'L2', 'S’appuyer sur le PRE', [1595]),
  item('2', 'axe', null, '2', 'Vivre sa ville et son quartier', [4610, 4611]),
  item('3', 'axe', null, '3', 'Dynamiser les quartiers dans la ville', [6702, 6703]),
];

describeEachDatabase('the strategy tree and its amendments', (kind) => {
  let database: Database;
  let contratId: string;
  const db = () => database.db;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const contrat = await ensureContrat(database.db, SYSTEM, { slug: 'essai', nom: 'Contrat d’essai', territoire: 'Paris', debut: '2015-01-01', fin: '2020-12-31' }, true);
    contratId = contrat.id;
    expect(await chargerArbre(database.db, SYSTEM, contratId, ARBRE)).toEqual({ ajoutes: ARBRE.length, modifies: 0 });
  });
  afterAll(() => database.close());

  it('loads the transcription once: a second load changes nothing', async () => {
    expect(await chargerArbre(db(), SYSTEM, contratId, ARBRE)).toEqual({ ajoutes: 0, modifies: 0 });
    expect((await listerNoeuds(db(), contratId)).map((n) => n.ref)).toEqual(ARBRE.map((n) => n.ref));
  });

  it('reads the outline, the counts per level, what lies below an item and the chain above it', async () => {
    expect((await noeudsDesNiveaux(db(), contratId, ['axe', 'orientation'])).map((n) => n.ref)).toEqual(['1', '1.1', '2', '3']);
    expect(await compterParNiveau(db(), contratId)).toEqual({ axe: 3, orientation: 1, objectif: 1, priorite: 1, objectif_operationnel: 1, action: 1, levier: 2 });
    expect((await descendantsDe(db(), contratId, '1.1.1')).map((n) => n.ref)).toEqual([
      '1.1.1/P1',
      '1.1.1/P1/OO1',
      '1.1.1/P1/OO1/A1',
      '1.1.1/P1/OO1/A1/L1',
      '1.1.1/P1/OO1/A1/L2',
    ]);
    expect(await descendantsDe(db(), contratId, '1.1.1/P1/OO1/A1/L2')).toEqual([]);
    const haut = await ancetresDe(db(), contratId, ['1.1.1/P1/OO1/A1/L2', '1.1']);
    expect(haut.map((n) => n.ref).sort()).toEqual(['1', '1.1', '1.1.1', '1.1.1/P1', '1.1.1/P1/OO1', '1.1.1/P1/OO1/A1', '1.1.1/P1/OO1/A1/L2']);
    expect(await ancetresDe(db(), contratId, ['inconnu'])).toEqual([]);
  });

  it('searches in French: a plural finds the singular, a word without its accents finds it', async () => {
    const r = await rechercherNoeuds(db(), contratId, 'décrochages');
    expect(r.total).toBe(1);
    expect(r.noeuds.map((n) => n.ref)).toEqual(['1.1.1']);
    expect((await rechercherNoeuds(db(), contratId, 'reussite educative')).noeuds.map((n) => n.ref)).toEqual(['1.1.1']);
    expect((await rechercherNoeuds(db(), contratId, 'quartiers')).noeuds.map((n) => n.ref).sort()).toEqual(['1.1.1/P1/OO1/A1/L1', '2', '3']);
    expect(await rechercherNoeuds(db(), contratId, 'introuvablement')).toEqual({ total: 0, noeuds: [] });
  });

  it('adds a fourth axe by amendment, with an orientation under it, and keeps where they come from', async () => {
    const a = await creerAvenant(db(), DIRECTION, contratId, { titre: 'Quatrième axe', objet: 'Valeurs de la République et citoyenneté' });
    expect(a).toMatchObject({ numero: 1, statut: 'projet' });

    const axe = nouveauNoeud(await arbreSelonAvenant(db(), contratId, a.id), null, 'axe', 'Valeurs de la République et citoyenneté');
    expect(axe.ref).toBe('4');
    expect(await ajouterChangement(db(), DIRECTION, contratId, a.id, { type: 'ajout', noeud: axe })).toEqual({ ok: true });
    // The orientation hangs on an axe that exists only in the draft so far.
    const orientation = nouveauNoeud(await arbreSelonAvenant(db(), contratId, a.id), '4', 'orientation', 'Promouvoir la citoyenneté');
    expect(orientation).toMatchObject({ ref: '4.1', numero: '4.1' });
    expect(await ajouterChangement(db(), DIRECTION, contratId, a.id, { type: 'ajout', noeud: orientation })).toEqual({ ok: true });

    // Nothing changes before adoption.
    expect(await noeudParRef(db(), contratId, '4')).toBeUndefined();
    expect(await adopterAvenant(db(), DIRECTION, contratId, a.id, '2016-03-01')).toEqual({ ok: true });

    const quatre = await noeudParRef(db(), contratId, '4');
    expect(quatre).toMatchObject({ niveau: 'axe', numero: '4', libelle: 'Valeurs de la République et citoyenneté', document: 'Avenant n° 1', avenantId: a.id });
    expect((await descendantsDe(db(), contratId, '4')).map((n) => n.ref)).toEqual(['4.1']);
    expect((await rechercherNoeuds(db(), contratId, 'république')).noeuds.map((n) => n.ref)).toEqual(['4']);
    const h = await historiqueNoeud(db(), contratId, '4');
    expect(h.map((c) => [c.type, c.applique, c.avenant.numero, c.avenant.adopteLe])).toEqual([['ajout', true, 1, '2016-03-01']]);
    expect((await listerAvenants(db(), contratId)).map((x) => [x.numero, x.statut])).toEqual([[1, 'adopte']]);
  });

  it('renames and withdraws items by amendment; the item keeps its old label in its history; reloading the transcription keeps the amendment', async () => {
    const a = await creerAvenant(db(), DIRECTION, contratId, { titre: 'Révision', objet: 'Libellé et levier' });
    expect(a.numero).toBe(2);
    expect(await ajouterChangement(db(), DIRECTION, contratId, a.id, { type: 'modification', ref: '1.1.1', libelle: 'Prévenir le décrochage et favoriser la persévérance scolaire' })).toEqual({ ok: true });
    expect(await ajouterChangement(db(), DIRECTION, contratId, a.id, { type: 'retrait', ref: '1.1.1/P1/OO1/A1/L2' })).toEqual({ ok: true });
    expect((await avenantParNumero(db(), contratId, 2))!.changements.map((c) => [c.rang, c.type, c.ref])).toEqual([
      [1, 'modification', '1.1.1'],
      [2, 'retrait', '1.1.1/P1/OO1/A1/L2'],
    ]);
    expect((await rechercherNoeuds(db(), contratId, 'PRE')).noeuds.map((n) => n.ref)).toEqual(['1.1.1/P1/OO1/A1/L2']);
    expect(await adopterAvenant(db(), DIRECTION, contratId, a.id, '2017-01-15')).toEqual({ ok: true });

    expect((await noeudParRef(db(), contratId, '1.1.1'))!.libelle).toBe('Prévenir le décrochage et favoriser la persévérance scolaire');
    const [modif] = await historiqueNoeud(db(), contratId, '1.1.1');
    expect(modif).toMatchObject({ type: 'modification', avant: { libelle: 'Lutter contre le décrochage scolaire et favoriser la réussite éducative' }, apres: { libelle: 'Prévenir le décrochage et favoriser la persévérance scolaire' } });
    expect((await rechercherNoeuds(db(), contratId, 'persévérance')).noeuds.map((n) => n.ref)).toEqual(['1.1.1']);

    // The withdrawn levier stays, dated by its amendment, out of the tree as it stands.
    const retire = await noeudParRef(db(), contratId, '1.1.1/P1/OO1/A1/L2');
    expect(retire!.retireParAvenantId).toBe(a.id);
    expect((await descendantsDe(db(), contratId, '1.1.1/P1/OO1/A1')).map((n) => n.ref)).toEqual(['1.1.1/P1/OO1/A1/L1']);
    expect((await listerNoeuds(db(), contratId)).some((n) => n.ref === retire!.ref)).toBe(false);
    expect((await listerNoeuds(db(), contratId, { avecRetires: true })).some((n) => n.ref === retire!.ref)).toBe(true);
    expect((await compterParNiveau(db(), contratId)).levier).toBe(1);
    expect((await rechercherNoeuds(db(), contratId, 'PRE')).total).toBe(0);

    await chargerArbre(db(), SYSTEM, contratId, ARBRE);
    expect((await noeudParRef(db(), contratId, '1.1.1'))!.libelle).toBe('Prévenir le décrochage et favoriser la persévérance scolaire');
  });

  it('refuses what would break the tree, in French, and writes nothing then', async () => {
    const a = await creerAvenant(db(), DIRECTION, contratId, { titre: 'Essai', objet: 'Changements refusés' });
    expect(await ajouterChangement(db(), DIRECTION, contratId, a.id, { type: 'retrait', ref: '1.1' })).toMatchObject({
      ok: false,
      problemes: expect.arrayContaining(['L’élément 1.1 a des éléments rattachés : retirez-les d’abord.']),
    });
    expect(await ajouterChangement(db(), DIRECTION, contratId, a.id, { type: 'ajout', noeud: { ref: '9.1', niveau: 'orientation', numero: '9.1', libelle: 'x', parentRef: '9' } })).toEqual({
      ok: false,
      problemes: ['9.1 : parent 9 introuvable'],
    });
    expect(await ajouterChangement(db(), DIRECTION, contratId, a.id, { type: 'modification', ref: '7', libelle: 'x' })).toEqual({ ok: false, problemes: ['L’élément 7 n’existe pas.'] });
    expect((await avenantParNumero(db(), contratId, a.numero))!.changements).toEqual([]);
    expect(await adopterAvenant(db(), DIRECTION, contratId, a.id, '2017-02-01')).toEqual({ ok: false, problemes: ['Un avenant sans changement ne peut pas être adopté.'] });
  });

  it('does not let an adopted amendment change', async () => {
    const { avenant } = (await avenantParNumero(db(), contratId, 1))!;
    const ajout = { type: 'ajout' as const, noeud: { ref: '5', niveau: 'axe' as const, numero: '5', libelle: 'Encore un axe', parentRef: null } };
    expect(await ajouterChangement(db(), DIRECTION, contratId, avenant.id, ajout)).toEqual({ ok: false, problemes: ['Cet avenant est déjà adopté : il ne peut plus changer.'] });
    expect(await adopterAvenant(db(), DIRECTION, contratId, avenant.id, '2018-01-01')).toEqual({ ok: false, problemes: ['Cet avenant est déjà adopté.'] });
    expect((await avenantParNumero(db(), contratId, 1))!.changements).toHaveLength(2);
    expect(await noeudParRef(db(), contratId, '5')).toBeUndefined();
  });

  it('journals every write of an amendment with its author', async () => {
    const rows = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'avenant'), eq(auditLog.actorLabel, DIRECTION.label)));
    // Three amendments created, four changes added, two adoptions.
    expect(rows.map((r) => r.action).sort()).toEqual(['adoption', 'adoption', 'creation', 'creation', 'creation', 'modification', 'modification', 'modification', 'modification']);
  });
});
