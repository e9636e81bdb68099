import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from './platform/validation.ts';
import type { Db } from './platform/db/connect.ts';
import type { AuditActor } from './platform/audit/model.ts';
import { ensureContrat, type ContratRow } from './platform/tenancy/store.ts';
import { ensureOrganisations, listOrganisations } from './contrat/store.ts';
import { ensureTerritoires, listTerritoires } from './territoires/store.ts';
import type { Role, ScopeKind } from './platform/auth/policy.ts';

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
  return contrat;
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
