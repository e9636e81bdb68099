// What do the contract's search and the 2015 bilan cost over the bare SQL they need?
//  - search: Pilotis's French full-text search (count + ranked page) against one bare SQL query that
//    matches and ranks the same rows on the same indexed column, on the same PGlite, in the same run;
//  - bilan: loading a campaign's sheets with their measures and signatory (what every bilan page and
//    export starts from) against the bare SQL join of the same rows.
// Run: npm run bench:contrat
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../src/platform/db/testing.ts';
import { loadDefaultContrat } from '../src/defaults.ts';
import { rechercherNoeuds } from '../src/contrat/store.ts';
import { texteRecherche } from '../src/contrat/model.ts';
import { campagneParAnnee, listerFiches } from '../src/engagements/store.ts';

const N = 300;
const database = await openTestDatabase('pglite');
const contrat = await loadDefaultContrat(database.db);
const campagne = (await campagneParAnnee(database.db, contrat.id, 2015))!;
const REQUETES = ['décrochage scolaire', 'emploi des jeunes', 'santé', 'logement social', 'médiation'];

async function time(label: string, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 30; i++) await fn(i);
  const t = performance.now();
  for (let i = 0; i < N; i++) await fn(i);
  const perCall = (performance.now() - t) / N;
  console.log(`${label.padEnd(40)} ${(perCall * 1000).toFixed(0)} µs/appel`);
  return perCall;
}

const q = (i: number) => texteRecherche(REQUETES[i % REQUETES.length]!);
const plancherRecherche = await time('recherche : SQL brut (plancher)', (i) =>
  database.db.execute(sql`
    select *, count(*) over () as total from noeud
    where contrat_id = ${contrat.id} and retire_par_avenant_id is null and vecteur @@ plainto_tsquery('french', ${q(i)})
    order by ts_rank(vecteur, plainto_tsquery('french', ${q(i)})) desc, ordre limit 50`),
);
// For the record: the same query stemming every text at each search, as before the indexed column.
await time('recherche : SQL sans vecteur indexé', (i) =>
  database.db.execute(sql`
    select *, count(*) over () as total from noeud
    where contrat_id = ${contrat.id} and retire_par_avenant_id is null
      and to_tsvector('french', recherche) @@ plainto_tsquery('french', ${q(i)})
    order by ts_rank(to_tsvector('french', recherche), plainto_tsquery('french', ${q(i)})) desc, ordre limit 50`),
);
const recherche = await time('recherche : rechercherNoeuds (Pilotis)', (i) => rechercherNoeuds(database.db, contrat.id, REQUETES[i % REQUETES.length]!));
console.log(`ratio recherche Pilotis / plancher : ${(recherche / plancherRecherche).toFixed(2)}`);

const plancherBilan = await time('bilan 2015 : SQL brut (plancher)', () =>
  database.db.execute(sql`
    select f.*, m.*, o.parent_id from fiche_suivi f
    join mesure m on m.fiche_id = f.id
    left join organisation o on o.id = f.organisation_id
    where f.campagne_id = ${campagne.id} order by f.numero, m.rang`),
);
const bilan = await time('bilan 2015 : listerFiches (Pilotis)', () => listerFiches(database.db, campagne.id));
console.log(`ratio bilan Pilotis / plancher : ${(bilan / plancherBilan).toFixed(2)}`);
await database.close();
