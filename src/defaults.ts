import { existsSync, readFileSync } from 'node:fs';
import type { Config } from './config.ts';
import { fileURLToPath } from 'node:url';
import { z } from './platform/validation.ts';
import type { Db } from './platform/db/connect.ts';
import type { AuditActor } from './platform/audit/model.ts';
import { ensureContrat, type ContratRow } from './platform/tenancy/store.ts';
import { definirAliases, ensureOrganisations, listOrganisations } from './contrat/store.ts';
import { ciblesDuContrat, lireArbre, lireOrganisations } from './contrat/donnees.ts';
import { chargerEngagementsDuContrat } from './engagements/chargement.ts';
import { chargerArbreDuContrat } from './contrat/chargement.ts';
import { ajouterValeurs, ensureTerritoires, lierTerritoires, listTerritoires, upsertTerritoires, type LienSaisi, type ValeurSaisie } from './territoires/store.ts';
import { documentSource, lireGeographieContrat, sourceLignes, type GeographieContrat } from './territoires/donnees.ts';
import { parseNombreFr, validerCodeTerritoire } from './territoires/model.ts';
import type { Role, ScopeKind } from './platform/auth/policy.ts';
import { chargerDemonstration } from './subventions/demonstration.ts';

// The embedded default: the Paris contract 2015–2020, written as data files from the seed documents.
const dataDir = new URL('../data/paris-2015-2020/', import.meta.url);

const contratFile = z.object({
  slug: z.string(),
  nom: z.string(),
  territoire: z.string(),
  debut: z.iso.date(),
  fin: z.iso.date(),
  source: z.string(),
  organisations: z.array(z.object({ nom: z.string(), type: z.string(), source: z.string() })),
});
const territoiresFile = z.object({
  type: z.string(),
  territoires: z.array(z.object({ code: z.string(), nom: z.string(), source: z.string() })),
});

function readJson<T>(name: string, schema: z.ZodType<T>): T {
  return schema.parse(JSON.parse(readFileSync(fileURLToPath(new URL(name, dataDir)), 'utf8')));
}

export const SYSTEM: AuditActor = { id: null, label: 'Pilotis (installation)' };

/** Registers the Paris contract as the default contract, with what exists of its content so far. Idempotent. */
export async function loadDefaultContrat(db: Db): Promise<ContratRow> {
  const { organisations, ...c } = readJson('contrat.json', contratFile);
  const contrat = await ensureContrat(db, SYSTEM, c, true);
  await ensureOrganisations(db, SYSTEM, contrat.id, organisations);
  const arr = readJson('arrondissements.json', territoiresFile);
  await ensureTerritoires(db, SYSTEM, contrat.id, arr.territoires.map((t) => ({ ...t, type: arr.type })));
  await loadGeographie(db, SYSTEM, contrat.id, lireGeographieContrat(dataDir));
  await chargerArbreDuContrat(db, SYSTEM, contrat.id, dataDir);
  await chargerOrganisations(db, contrat.id);
  // A commitment names its owner as the document prints it ("CAF", "Etat"…): the aliases lead to the organisation.
  const organisationIds = new Map((await listOrganisations(db, contrat.id)).flatMap((o) => [o.nom, ...o.aliases].map((n) => [n.toLowerCase(), o.id] as const)));
  await chargerEngagementsDuContrat(db, SYSTEM, contrat.id, dataDir, ciblesDuContrat(lireArbre(dataDir)), organisationIds);
  await chargerDemonstrationDuContrat(db, contrat.id);
  return contrat;
}

/** The demonstration call for projects, in the contract's real quartiers (QPV 2015 and quartiers de veille active). */
async function chargerDemonstrationDuContrat(db: Db, contratId: string): Promise<void> {
  const quartiers = (await listTerritoires(db, contratId)).filter((t) => (t.type === 'qpv' && t.geographie === '2015') || t.type === 'qva');
  await chargerDemonstration(db, SYSTEM, contratId, {
    quartiers: new Map(quartiers.map((t) => [t.code, { id: t.id, nom: t.nom }])),
    organisations: async (items) => {
      await ensureOrganisations(db, SYSTEM, contratId, items);
      return new Map((await listOrganisations(db, contratId)).map((o) => [o.nom, o.id]));
    },
  });
}

/** The partners that run the commitments, beside the signatories, with the other names the documents use. */
async function chargerOrganisations(db: Db, contratId: string): Promise<void> {
  const transcrites = lireOrganisations(dataDir);
  const source = (o: (typeof transcrites)[number]) => o.sources.map((s) => `seed ${s.document} l.${s.lignes.join(',')}`).join(' ; ') || null;
  await ensureOrganisations(db, SYSTEM, contratId, transcrites.map((o) => ({ nom: o.nom, type: o.type, source: source(o), aliases: o.aliases })));
  for (const o of transcrites) await definirAliases(db, SYSTEM, contratId, o.nom, o.aliases, o.signataire);
}

const COG = 'INSEE, code officiel géographique';
const PARIS = { type: 'commune', geographie: 'cog', code: '75056', nom: 'Paris', source: COG };

function nombre(texte: string, source: string): number {
  const n = parseNombreFr(texte);
  if (n === null) throw new Error(`Chiffre illisible « ${texte} » (${source}) dans les données du contrat`);
  return n;
}

/**
 * The contract's priority geography: its 20 QPV (2015 geography, without contours — those come from
 * the official file, see `pilotis import qpv`), their figures as the contract's table prints them, the
 * arrondissements they touch, the quartiers de veille active it names, and the contract-level figures
 * printed in its text, attached to the commune (Paris, 75056) so that pages read them beside the totals
 * they compute. Everything is matched on its natural key: loading twice changes nothing.
 */
export async function loadGeographie(db: Db, by: AuditActor, contratId: string, { qpv, qva }: GeographieContrat): Promise<void> {
  const doc = documentSource(qpv.source);
  const docQva = documentSource(qva.source);
  const qpvs = qpv.quartiers.map((q) => ({
    type: 'qpv',
    geographie: qpv.geographie,
    code: q.code,
    nom: q.nom,
    nomOfficiel: q.nomOfficiel,
    source: `${doc} l.${q.ligne}`,
  }));
  const qvas = qva.quartiers.map((q) => ({ type: 'qva', geographie: qva.geographie, code: q.code, nom: q.nom, source: sourceLignes(docQva, q.lignes) }));
  for (const t of [...qpvs, ...qvas]) {
    const erreur = validerCodeTerritoire(t.type, t.geographie, t.code);
    if (erreur) throw new Error(`${erreur} (${t.source})`);
  }
  const { territoires } = await upsertTerritoires(db, by, contratId, [PARIS, ...qpvs, ...qvas]);
  const id = new Map(territoires.map((t) => [`${t.type}:${t.code}`, t.id]));
  const arrondissements = await listTerritoires(db, contratId, { type: 'arrondissement' });
  const arr = new Map(arrondissements.map((t) => [t.code, t.id]));
  const arrId = (code: string, source: string) => {
    const found = arr.get(code);
    if (!found) throw new Error(`Arrondissement ${code} inconnu (${source})`);
    return found;
  };
  const paris = id.get('commune:75056')!;

  const liens: LienSaisi[] = arrondissements.map((a) => ({ parentId: paris, enfantId: a.id, source: COG }));
  for (const q of qpv.quartiers) {
    const source = `${doc} l.${q.ligne}`;
    for (const code of q.arrondissements) liens.push({ parentId: arrId(code, source), enfantId: id.get(`qpv:${q.code}`)!, source });
  }
  for (const q of qva.quartiers) {
    const source = sourceLignes(docQva, q.lignes);
    for (const code of q.arrondissements) liens.push({ parentId: arrId(code, source), enfantId: id.get(`qva:${q.code}`)!, source });
  }
  await lierTerritoires(db, by, contratId, liens);

  const valeurs: ValeurSaisie[] = [];
  const millesime = qpv.tableau.millesime;
  for (const q of qpv.quartiers) {
    const source = `${doc} l.${q.ligne}`;
    const territoireId = id.get(`qpv:${q.code}`)!;
    valeurs.push({ territoireId, indicateur: 'population', texte: q.population, valeur: nombre(q.population, source), millesime, source });
    valeurs.push({ territoireId, indicateur: 'revenu_median', texte: q.revenuMedian, valeur: nombre(q.revenuMedian, source), millesime, source });
  }
  for (const c of [qpv.contrat.population, qpv.contrat.nombreQuartiers, qpv.contrat.seuilBasRevenus]) {
    valeurs.push({ territoireId: paris, indicateur: c.indicateur, texte: c.texte, valeur: nombre(c.texte, c.source), millesime: c.millesime, source: c.source });
  }
  await ajouterValeurs(db, by, contratId, valeurs);
}

/** Development only: scopes that make the demonstration accounts meaningful. */
export function demoScopes(db: Db, contratId: string) {
  return async (kind: ScopeKind, role: Role) => {
    if (kind === 'territoire') {
      const t = (await listTerritoires(db, contratId)).find((x) => x.code === DEMO_TERRITOIRE);
      return t && { id: t.id, label: `${t.nom} (${t.code})` };
    }
    if (role === 'association') {
      // No association appears in the seeds: a clearly fictitious one, created in development only.
      await ensureOrganisations(db, SYSTEM, contratId, [{ nom: DEMO_ASSOCIATION, type: 'association', source: null }]);
    }
    const wanted = role === 'association' ? DEMO_ASSOCIATION : DEMO_PARTENAIRE;
    const o = (await listOrganisations(db, contratId)).find((x) => x.nom === wanted);
    return o && { id: o.id, label: o.nom };
  };
}
const DEMO_TERRITOIRE = '75118';
const DEMO_PARTENAIRE = 'CAF de Paris';
const DEMO_ASSOCIATION = 'Association de démonstration (fictive)';

/**
 * Where the official open-data files sit beside a checkout of Pilotis (the project's shared folder).
 * In development, `npm start` imports them from there when PILOTIS_GEO_DIR is not set, so that the
 * Paris contract comes with its contours and its address base; they are never copied into the repository.
 */
export const SHARED_GEO_DIR = '../shared/data/geo';

export function withSharedGeoData(config: Config): Config {
  if (config.geo.dataDir || config.env === 'production' || !existsSync(SHARED_GEO_DIR)) return config;
  return { ...config, geo: { ...config.geo, dataDir: SHARED_GEO_DIR } };
}
