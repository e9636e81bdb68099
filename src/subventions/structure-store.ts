import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { recordAudit } from '../platform/audit/store.ts';
import { createAccount, findAccountByEmail, insertRoleAssignment } from '../platform/auth/store.ts';
import { organisation } from '../contrat/schema.ts';
import { structure, type LocalisationStructure } from './schema.ts';
import type { ChampsProfil, Inscription } from './structure-form.ts';
import type { StructureRow } from './store.ts';

// An association's sign-up (account, organisation, profile and role, all or nothing) and the saves of
// its profile, each audited in the transaction that writes it.

export const SIRET_PRIS = 'Une association avec ce SIRET a déjà un espace sur Pilotis. Demandez à la personne qui l’a créé de vous donner accès, ou connectez-vous.';
export const COURRIEL_PRIS = 'Un compte Pilotis existe déjà avec cette adresse électronique : connectez-vous, ou choisissez une autre adresse.';
export const NOM_PRIS = 'Une organisation du contrat porte déjà ce nom : précisez-le, par exemple avec le quartier ou la ville.';

/** A refusal tied to one field of the form. */
export type Refus = { ok: false; champ: string; message: string };

function violationUnique(error: unknown): string | null {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const x = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (x.code === '23505') return String(x.constraint ?? x.constraint_name ?? '');
  }
  return null;
}

async function siretPris(db: DbOrTx, contratId: string, siret: string, sauf?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: structure.id })
    .from(structure)
    .where(and(eq(structure.contratId, contratId), eq(structure.siret, siret), sauf ? ne(structure.organisationId, sauf) : undefined));
  return Boolean(row);
}

/**
 * Creates the person's account, the association (organisation of type 'association'), its profile with
 * the address already located, and the person's 'association' role on it, in one transaction: a refusal
 * or an error leaves nothing behind. Checks that a SIRET, an address or a name is not taken first, and
 * again through the unique indexes when two sign-ups race.
 */
export async function inscrireAssociation(
  db: Db,
  by: AuditActor,
  x: { contratId: string; saisie: Inscription; localisation: LocalisationStructure },
): Promise<{ ok: true; accountId: string; organisationId: string } | Refus> {
  const s = x.saisie;
  if (await findAccountByEmail(db, s.email)) return { ok: false, champ: 'email', message: COURRIEL_PRIS };
  if (await siretPris(db, x.contratId, s.siret)) return { ok: false, champ: 'siret', message: SIRET_PRIS };
  const [homonyme] = await db
    .select({ id: organisation.id })
    .from(organisation)
    .where(and(eq(organisation.contratId, x.contratId), eq(organisation.nom, s.nomAssociation)));
  if (homonyme) return { ok: false, champ: 'nomAssociation', message: NOM_PRIS };
  try {
    return await db.transaction(async (tx) => {
      await verrouSiret(tx, x.contratId, s.siret);
      if (await siretPris(tx, x.contratId, s.siret)) throw new SiretPris();
      const compte = await createAccount(tx, by, { email: s.email, displayName: `${s.prenom} ${s.nom}`, password: s.motDePasse });
      const [org] = await tx.insert(organisation).values({ contratId: x.contratId, nom: s.nomAssociation, type: 'association', source: 'Inscription sur Pilotis' }).returning();
      await recordAudit(tx, by, { action: 'creation', objectType: 'organisation', objectId: org!.id, objectLabel: org!.nom, contratId: x.contratId, after: org });
      const [row] = await tx
        .insert(structure)
        .values({ contratId: x.contratId, organisationId: org!.id, siret: s.siret, rna: s.rna, adresse: s.adresse, localisation: x.localisation })
        .returning();
      await recordAudit(tx, by, { action: 'creation', objectType: 'structure', objectId: row!.id, objectLabel: org!.nom, contratId: x.contratId, after: row });
      await insertRoleAssignment(tx, by, {
        accountId: compte.id,
        contratId: x.contratId,
        role: 'association',
        scopeKind: 'organisation',
        scopeRef: org!.id,
        label: compte.email,
        scopeLabel: org!.nom,
      });
      return { ok: true as const, accountId: compte.id, organisationId: org!.id };
    });
  } catch (e) {
    if (e instanceof SiretPris) return { ok: false, champ: 'siret', message: SIRET_PRIS };
    const contrainte = violationUnique(e);
    if (contrainte === null) throw e;
    if (contrainte.includes('account')) return { ok: false, champ: 'email', message: COURRIEL_PRIS };
    if (contrainte.includes('organisation')) return { ok: false, champ: 'nomAssociation', message: NOM_PRIS };
    return { ok: false, champ: 'siret', message: SIRET_PRIS };
  }
}

class SiretPris extends Error {}

/**
 * Two writes of the same SIRET at once (the schema has no unique index on it) queue on this lock until
 * the first commits, so that the second one's check sees it.
 */
async function verrouSiret(tx: Tx, contratId: string, siret: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`structure-siret:${contratId}:${siret}`}))`);
}

export type StructureAvecNom = StructureRow & { nom: string };

/** An association's profile with its name, or undefined when it has none in this contract. */
export async function structureAvecNom(db: DbOrTx, contratId: string, organisationId: string): Promise<StructureAvecNom | undefined> {
  const [row] = await db
    .select({ s: structure, nom: organisation.nom })
    .from(structure)
    .innerJoin(organisation, eq(organisation.id, structure.organisationId))
    .where(and(eq(structure.contratId, contratId), eq(structure.organisationId, organisationId)));
  return row && { ...row.s, nom: row.nom };
}

export type ResultatProfil = { ok: true; structure: StructureRow } | { ok: false; conflit: StructureRow } | Refus;

/**
 * Saves the profile typed from version `versionLue`. When someone saved it since, nothing is written
 * and the current profile comes back (409 on the page, with what was typed kept).
 */
export async function enregistrerProfil(
  db: Db,
  by: AuditActor,
  x: { contratId: string; organisationId: string; versionLue: number; champs: ChampsProfil; localisation: LocalisationStructure; nom: string },
): Promise<ResultatProfil> {
  return db.transaction(async (tx) => {
    await verrouSiret(tx, x.contratId, x.champs.siret);
    if (await siretPris(tx, x.contratId, x.champs.siret, x.organisationId)) return { ok: false as const, champ: 'siret', message: SIRET_PRIS };
    const [avant] = await tx
      .select()
      .from(structure)
      .where(and(eq(structure.contratId, x.contratId), eq(structure.organisationId, x.organisationId)))
      .for('update');
    if (!avant) throw new Error('Profil introuvable');
    if (avant.version !== x.versionLue) return { ok: false as const, conflit: avant };
    const [apres] = await tx
      .update(structure)
      .set({ ...x.champs, localisation: x.localisation, version: avant.version + 1, modifieLe: new Date() })
      .where(eq(structure.id, avant.id))
      .returning();
    await recordAudit(tx, by, { action: 'modification', objectType: 'structure', objectId: avant.id, objectLabel: x.nom, contratId: x.contratId, before: avant, after: apres });
    return { ok: true as const, structure: apres! };
  });
}
