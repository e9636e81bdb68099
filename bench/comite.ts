// What does the programming committee's table cost over the bare SQL it needs?
// A campaign of 1 000 files and 3 000 funding lines (three campaign funders each) on PGlite: the
// committee's rows read by lignesComite, filtered and totalled per funder, QPV, axe and thématique,
// against one bare SQL join returning the same files and lines, in the same run.
// Run: npx tsx bench/comite.ts
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../src/platform/db/testing.ts';
import { loadDefaultContrat } from '../src/defaults.ts';
import { listTerritoires } from '../src/territoires/store.ts';
import { lignesComite } from '../src/subventions/comite-store.ts';
import { filtrerLignes, STATUTS_COMITE, totauxComite } from '../src/subventions/comite-model.ts';
import type { StatutDossier } from '../src/subventions/model.ts';
import { creerAssociation, creerCampagneComite, creerDossiers, type DossierEssai } from '../test/comite-campagne.ts';

const N = 50;
const DOSSIERS = 1000;
const database = await openTestDatabase('pglite');
const db = database.db;
const contrat = await loadDefaultContrat(db);
const qpv = await listTerritoires(db, contrat.id, { type: 'qpv', geographie: '2015' });
const campagne = await creerCampagneComite(db, contrat.id, {
  annee: 2019,
  territoireIds: qpv.map((q) => q.id),
  financeurs: [
    { code: 'etat', nom: 'État (programme 147)', enveloppe: 4_000_000_00 },
    { code: 'ville', nom: 'Ville de Paris', enveloppe: 3_000_000_00 },
    { code: 'region', nom: 'Région Île-de-France', enveloppe: 500_000_00 },
  ],
});
const associations: string[] = [];
for (let i = 0; i < 200; i++) associations.push(await creerAssociation(db, contrat.id, `Association ${i + 1}`, { fictive: i % 10 === 0 }));
const STATUTS: StatutDossier[] = ['propose', 'propose', 'accepte', 'refuse', 'en_instruction'];
const AXES = ['1.1.1/P1', '1.2.1', '2.1.1/P2', '3.1.2'];
const dossiers: DossierEssai[] = Array.from({ length: DOSSIERS }, (_, i) => {
  const statut = STATUTS[i % STATUTS.length]!;
  const decide = statut === 'accepte' || statut === 'refuse';
  return {
    organisationId: associations[i % associations.length]!,
    titre: `Projet ${i + 1}`,
    statut,
    territoireIds: i % 7 === 0 ? [qpv[i % qpv.length]!.id, qpv[(i + 1) % qpv.length]!.id] : [qpv[i % qpv.length]!.id],
    noeudRefs: [AXES[i % AXES.length]!],
    thematique: ['Éducation', 'Emploi', 'Cadre de vie', null][i % 4]!,
    montants: ['etat', 'ville', 'region'].map((financeur, k) => {
      const demande = (1_000 + ((i * 37 + k * 11) % 9_000)) * 100;
      return { financeur, demande, propose: statut === 'en_instruction' ? null : demande - 10_000, accorde: decide ? (statut === 'accepte' ? demande - 20_000 : 0) : null };
    }),
  };
});
await creerDossiers(db, campagne, dossiers);
const financeurs = campagne.financeurs.map((f, i) => ({ id: f.id, nom: f.nom, enveloppeCentimes: [4_000_000_00, 3_000_000_00, 500_000_00][i]! }));

async function time(label: string, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await fn();
  const durees: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await fn();
    durees.push(performance.now() - t);
  }
  console.log(`${label.padEnd(48)} médiane ${mediane(durees).toFixed(2)} ms`);
  return durees;
}
const mediane = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// The same files and campaign funding lines, with nothing built from them: in one join (each file's
// columns repeated on its three lines), and in two statements as lignesComite reads them. The faster
// of the two is the floor.
const jointure = await time('tableau du comité : SQL brut, une jointure', () =>
  db.execute(sql`
    select d.id, d.numero, d.titre, d.statut, d.version, d.organisation_id, o.nom, s.fictive, d.territoire_ids, d.noeud_refs, d.thematique,
           f.id as financement_id, f.financeur_id, f.demande_centimes, f.propose_centimes, f.accorde_centimes
    from dossier d
    join organisation o on o.id = d.organisation_id
    left join structure s on s.organisation_id = d.organisation_id
    left join financement f on f.dossier_id = d.id and f.financeur_id is not null
    where d.campagne_id = ${campagne.id} and d.statut in ('propose', 'accepte', 'refuse', 'en_instruction')
    order by d.numero, f.ordre`),
);
const deuxRequetes = await time('tableau du comité : SQL brut, deux requêtes', async () => {
  await db.execute(sql`
    select d.id, d.numero, d.titre, d.statut, d.version, d.organisation_id, o.nom, s.fictive, d.territoire_ids, d.noeud_refs, d.thematique
    from dossier d
    join organisation o on o.id = d.organisation_id
    left join structure s on s.organisation_id = d.organisation_id
    where d.campagne_id = ${campagne.id} and d.statut in ('propose', 'accepte', 'refuse', 'en_instruction')
    order by d.numero`);
  return db.execute(sql`
    select f.id, f.dossier_id, f.financeur_id, f.demande_centimes, f.propose_centimes, f.accorde_centimes
    from financement f join dossier d on d.id = f.dossier_id
    where d.campagne_id = ${campagne.id} and d.statut in ('propose', 'accepte', 'refuse', 'en_instruction') and f.financeur_id is not null
    order by f.ordre`);
});
const plancher = mediane(jointure) <= mediane(deuxRequetes) ? jointure : deuxRequetes;
let lignes = 0;
const pilotis = await time('tableau du comité : lignes + totaux (Pilotis)', async () => {
  const toutes = await lignesComite(db, campagne);
  const affichees = filtrerLignes(toutes, { statuts: STATUTS_COMITE });
  lignes = affichees.length;
  return totauxComite(affichees, toutes, financeurs);
});
console.log(`${lignes} dossiers affichés, ${lignes * 3} lignes de financement`);
console.log(`ratio tableau du comité Pilotis / plancher (médianes) : ${(mediane(pilotis) / mediane(plancher)).toFixed(2)}`);
await database.close();
