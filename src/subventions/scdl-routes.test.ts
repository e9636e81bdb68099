import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import type { DbOrTx } from '../platform/db/connect.ts';
import { CliError } from '../platform/cli/model.ts';
import { organisation } from '../contrat/schema.ts';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { TestClient } from '../../test/http-client.ts';
import { lireCsv } from '../../test/csv.ts';
import { cleLuhn } from './model.ts';
import { campagneAap, dossier, financement, financeurAap, structure } from './schema.ts';
import { CHAMPS_SCDL, SCDL_SEPARATEUR } from './scdl-model.ts';
import { exportScdlCommand } from './scdl-export.ts';

// The granted subsidies as open data over HTTP and from the command line, on both databases, with
// files at every stage inserted directly: only accepted files' granted amounts are published.

const avecCle = (debut: string) => debut + [...'0123456789'].find((d) => cleLuhn(debut + d))!;
const siret = (siren8: string, nic4: string) => avecCle(avecCle(siren8) + nic4);
const SIRET_ETAT = siret('13000171', '0001');
const SIRET_VILLE = siret('21750001', '0001');
const SIRET_LIRE = siret('45123456', '0002');
const SIRET_CANAL = siret('81234567', '0003');
const COURRIEL_PRESIDENTE = 'presidente.lire@exemple.fr';

// Years far from any campaign the default data could ship.
const ANNEE = 2041;
const AUTRE_ANNEE = 2042;

async function creerDonnees(db: DbOrTx, contratId: string) {
  const [lire, canal, autre] = await db
    .insert(organisation)
    .values([
      { contratId, nom: 'Lire en quartier', type: 'association' },
      { contratId, nom: 'Les Amis du Canal', type: 'association' },
      { contratId, nom: 'Sport, santé et quartiers', type: 'association' },
    ])
    .returning();
  await db.insert(structure).values([
    {
      contratId,
      organisationId: lire!.id,
      siret: SIRET_LIRE,
      rna: 'W751234567',
      adresse: '3 rue de la Lecture, 75019 Paris',
      representants: [{ qualite: 'Présidente', nom: 'Martin', prenom: 'Claire', courriel: COURRIEL_PRESIDENTE, telephone: '0600000000' }],
    },
    { contratId, organisationId: canal!.id, siret: SIRET_CANAL, adresse: '1 quai du Canal, 75010 Paris', fictive: 'Association fictive de démonstration' },
    { contratId, organisationId: autre!.id, siret: siret('52345678', '0004'), adresse: '5 rue du Stade, 75020 Paris' },
  ]);
  const [c1, c2] = await db
    .insert(campagneAap)
    .values([
      { contratId, annee: ANNEE, titre: `Appel à projets ${ANNEE}`, ouverture: `${ANNEE}-01-10`, cloture: `${ANNEE}-02-28` },
      { contratId, annee: AUTRE_ANNEE, titre: `Appel à projets ${AUTRE_ANNEE}`, ouverture: `${AUTRE_ANNEE}-01-10`, cloture: `${AUTRE_ANNEE}-02-28` },
    ])
    .returning();
  const [etat, ville, region, etat2] = await db
    .insert(financeurAap)
    .values([
      { contratId, campagneId: c1!.id, code: 'etat', nom: 'État — programme 147', siret: SIRET_ETAT, ordre: 1 },
      { contratId, campagneId: c1!.id, code: 'ville', nom: 'Ville de Paris', siret: SIRET_VILLE, ordre: 2 },
      { contratId, campagneId: c1!.id, code: 'region', nom: 'Région Île-de-France', siret: null, ordre: 3 },
      { contratId, campagneId: c2!.id, code: 'etat', nom: 'État — programme 147', siret: SIRET_ETAT, ordre: 1 },
    ])
    .returning();
  const base = { contratId, public: { nombre: 40, ages: '6-11 ans', femmes: null, hommes: null, partQpv: 80, description: '' }, creePar: 'test' };
  // 22:30 UTC on 12 June is already 13 June in Paris: the decision's day is the contract's calendar day.
  const decide = new Date(`${ANNEE}-06-12T22:30:00Z`);
  const dossiers = await db
    .insert(dossier)
    .values([
      { ...base, campagneId: c1!.id, organisationId: lire!.id, numero: 1, statut: 'accepte', titre: 'Ateliers de lecture au pied des immeubles', decideLe: decide },
      { ...base, campagneId: c1!.id, organisationId: autre!.id, numero: 2, statut: 'accepte', titre: 'Un match par mois', decideLe: decide },
      { ...base, campagneId: c1!.id, organisationId: autre!.id, numero: 3, statut: 'refuse', titre: 'Tournoi refusé', decideLe: decide },
      { ...base, campagneId: c1!.id, organisationId: lire!.id, numero: 4, statut: 'propose', titre: 'Projet encore au comité' },
      { ...base, campagneId: c1!.id, organisationId: canal!.id, numero: 5, statut: 'accepte', titre: 'Balades, lectures et "cafés" au bord du canal', decideLe: decide },
      { ...base, campagneId: c2!.id, organisationId: lire!.id, numero: 1, statut: 'accepte', titre: 'Ateliers de lecture, deuxième année', decideLe: new Date(`${AUTRE_ANNEE}-05-20T08:00:00Z`) },
    ])
    .returning();
  const [d1, d2, d3, d4, d5, d6] = dossiers;
  const ligne = (d: typeof d1, financeurId: string | null, accordeCentimes: number | null, ordre: number) => ({
    contratId,
    dossierId: d!.id,
    financeurId,
    libelle: 'Subvention',
    demandeCentimes: 500000,
    accordeCentimes,
    ordre,
  });
  await db.insert(financement).values([
    ligne(d1, etat!.id, 300000, 1),
    ligne(d1, ville!.id, 150050, 2),
    ligne(d1, region!.id, 50000, 3),
    ligne(d1, null, 10000, 4),
    ligne(d2, etat!.id, 0, 1),
    ligne(d2, ville!.id, null, 2),
    ligne(d3, etat!.id, 100000, 1),
    ligne(d4, etat!.id, 200000, 1),
    ligne(d5, etat!.id, 120000, 1),
    ligne(d6, etat2!.id, 320000, 1),
  ]);
}

const ligneLire = (financeur: string, idAttribuant: string, montant: string) => ({
  nomAttribuant: financeur,
  idAttribuant,
  dateConvention: `${ANNEE}-06-13`,
  referenceDecision: `${ANNEE}-0001`,
  nomBeneficiaire: 'Lire en quartier',
  idBeneficiaire: SIRET_LIRE,
  rnaBeneficiaire: 'W751234567',
  objet: 'Ateliers de lecture au pied des immeubles',
  montant,
  nature: 'aide en numéraire',
  conditionsVersement: 'unique',
  datesPeriodeVersement: `${ANNEE}-06-13/${ANNEE}-12-31`,
  idRAE: '',
  notificationUE: 'non',
  pourcentageSubvention: '1.00',
  dispositifAide: '',
});

const enObjets = (csv: string) => {
  const [entete, ...lignes] = lireCsv(csv, SCDL_SEPARATEUR);
  return { entete, lignes: lignes.map((l) => Object.fromEntries(entete!.map((c, i) => [c, l[i]]))) };
};

describeEachDatabase('granted subsidies as SCDL open data: the file, the API and the command', (kind) => {
  let t: TestApp;
  let visiteur: TestClient;
  let dossierSortie: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    visiteur = new TestClient(t.app);
    await creerDonnees(t.database.db, t.contrat.id);
    dossierSortie = mkdtempSync(join(tmpdir(), 'pilotis-scdl-'));
  });
  afterAll(async () => {
    rmSync(dossierSortie, { recursive: true, force: true });
    await t?.close();
  });

  it('gives anyone the campaign’s file: only accepted files’ granted amounts, header in schema order, comma separated', async () => {
    const r = await visiteur.get(`/appels-a-projets/${ANNEE}/subventions.csv`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="subventions-${t.contrat.slug}-${ANNEE}.csv"`);
    expect(r.body.startsWith('nomAttribuant,idAttribuant,')).toBe(true);
    const { entete, lignes } = enObjets(r.body);
    expect(entete).toEqual([...CHAMPS_SCDL]);
    expect(lignes).toEqual([
      ligneLire('État — programme 147', SIRET_ETAT, '3000.00'),
      ligneLire('Ville de Paris', SIRET_VILLE, '1500.50'),
      {
        ...ligneLire('État — programme 147', SIRET_ETAT, '1200.00'),
        referenceDecision: `${ANNEE}-0005`,
        nomBeneficiaire: 'Les Amis du Canal (association fictive)',
        idBeneficiaire: SIRET_CANAL,
        rnaBeneficiaire: '',
        objet: 'Balades, lectures et "cafés" au bord du canal',
      },
    ]);
  });

  it('publishes organisations only: no representative, no address, no e-mail', async () => {
    const r = await visiteur.get(`/appels-a-projets/${ANNEE}/subventions.csv`);
    for (const personnel of [COURRIEL_PRESIDENTE, 'Claire', 'rue de la Lecture', '0600000000']) expect(r.body).not.toContain(personnel);
  });

  it('answers 404 in French for a year without campaign or a malformed one', async () => {
    for (const url of ['/appels-a-projets/2099/subventions.csv', '/appels-a-projets/deux-mille/subventions.csv']) {
      const r = await visiteur.get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.body, url).toContain('Aucun appel à projets pour cette année.');
    }
  });

  it('gives the same rows through the API, and tells apart the line whose funder has no SIRET', async () => {
    const csv = enObjets((await visiteur.get(`/appels-a-projets/${ANNEE}/subventions.csv`)).body).lignes;
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/subventions?annee=${ANNEE}` });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.schema).toEqual({ nom: 'scdl/subventions', version: '2.1.1' });
    expect(body.annee).toBe(ANNEE);
    expect(body.subventions).toEqual(csv);
    expect(body.nonExportees).toEqual([
      {
        reference: `${ANNEE}-0001`,
        titre: 'Ateliers de lecture au pied des immeubles',
        financeur: 'Région Île-de-France',
        association: 'Lire en quartier',
        raisons: [`Le SIRET du financeur « Région Île-de-France » n’est pas renseigné dans la configuration de la campagne ${ANNEE}.`],
      },
    ]);
  });

  it('gives every campaign without a year, refuses a malformed year and says when a year has no campaign', async () => {
    const tous = (await t.app.inject({ method: 'GET', url: '/api/v1/subventions' })).json();
    expect(tous.annee).toBeNull();
    const references = tous.subventions.map((s: { referenceDecision: string }) => s.referenceDecision).filter((ref: string) => /^204[12]-/.test(ref));
    expect(references).toEqual([`${ANNEE}-0001`, `${ANNEE}-0001`, `${ANNEE}-0005`, `${AUTRE_ANNEE}-0001`]);
    const mal = await t.app.inject({ method: 'GET', url: '/api/v1/subventions?annee=deux' });
    expect(mal.statusCode).toBe(400);
    expect(mal.json().details[0].champ).toBe('annee');
    const absente = await t.app.inject({ method: 'GET', url: '/api/v1/subventions?annee=2099' });
    expect(absente.statusCode).toBe(404);
    expect(absente.json().message).toBe('Aucun appel à projets pour 2099.');
  });

  it('documents the endpoint as public in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const op = doc.paths['/api/v1/subventions'].get;
    expect(op.security).toEqual([]);
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['annee']);
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties.subventions.items.properties)).toEqual([...CHAMPS_SCDL]);
  });

  it('writes the same file from the command line to the terminal, the lines left out on the error output', async () => {
    let sortie = '';
    let erreurs = '';
    const texte = await exportScdlCommand(t.database.db, t.contrat.id, { annee: String(ANNEE), format: 'csv' }, {
      stdout: { write: (s: string) => (sortie += s) },
      stderr: { write: (s: string) => (erreurs += s) },
    });
    expect(texte).toBe('');
    expect(sortie).toBe((await visiteur.get(`/appels-a-projets/${ANNEE}/subventions.csv`)).body);
    expect(erreurs).toBe(
      `1 subvention accordée non exportée (elles ne respecteraient pas le schéma) :\n  ${ANNEE}-0001 « Ateliers de lecture au pied des immeubles » — Région Île-de-France : ` +
        `Le SIRET du financeur « Région Île-de-France » n’est pas renseigné dans la configuration de la campagne ${ANNEE}.\n`,
    );
  });

  it('writes a file when asked, and says what it wrote', async () => {
    const fichier = join(dossierSortie, 'subventions.csv');
    const silence = { write: () => undefined };
    const texte = await exportScdlCommand(t.database.db, t.contrat.id, { annee: String(AUTRE_ANNEE), format: 'csv' }, { sortie: fichier, stdout: silence, stderr: silence });
    expect(texte).toBe(`1 subvention accordée de l’appel à projets ${AUTRE_ANNEE} exportée dans ${fichier} (schéma SCDL scdl/subventions 2.1.1).`);
    const { lignes } = enObjets(readFileSync(fichier, 'utf8'));
    expect(lignes.map((l) => [l.referenceDecision, l.montant, l.dateConvention])).toEqual([[`${AUTRE_ANNEE}-0001`, '3200.00', `${AUTRE_ANNEE}-05-20`]]);
  });

  it('refuses an unknown format or year, saying what is possible', async () => {
    const silence = { write: () => undefined };
    const run = (annee: string | undefined, format: string) => exportScdlCommand(t.database.db, t.contrat.id, { annee, format }, { stdout: silence, stderr: silence });
    await expect(run(String(ANNEE), 'xlsx')).rejects.toThrow(new CliError('Format inconnu : « xlsx ». Format possible : csv.'));
    await expect(run('quarante', 'csv')).rejects.toThrow('Année invalide : « quarante ». Exemple : --annee 2021');
    await expect(run('2099', 'csv')).rejects.toThrow(/^Aucun appel à projets pour 2099\. Appels à projets : .*2042, 2041/);
  });
});
