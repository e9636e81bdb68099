import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db/connect.ts';
import { recordAudit } from '../platform/audit/store.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { avenant, avenantChangement, noeud, organisation, type Citation } from './schema.ts';
import { appliquerChangements, texteRecherche, type ChangementArbre, type Niveau, type NoeudArbre } from './model.ts';

export type OrganisationRow = typeof organisation.$inferSelect;
export type NewOrganisation = { nom: string; type: string; source: string | null; aliases?: string[] };

export async function listOrganisations(db: DbOrTx, contratId: string): Promise<OrganisationRow[]> {
  return db.select().from(organisation).where(eq(organisation.contratId, contratId)).orderBy(asc(organisation.nom));
}

/** Adds the organisations a contract does not have yet (matched on name). */
export async function ensureOrganisations(db: Db, by: AuditActor, contratId: string, items: NewOrganisation[]): Promise<number> {
  return db.transaction(async (tx) => {
    const names = items.map((i) => i.nom);
    const existing = names.length
      ? await tx.select().from(organisation).where(and(eq(organisation.contratId, contratId), inArray(organisation.nom, names)))
      : [];
    const known = new Set(existing.map((o) => o.nom));
    const missing = items.filter((i) => !known.has(i.nom));
    if (!missing.length) return 0;
    const rows = await tx.insert(organisation).values(missing.map((i) => ({ ...i, contratId }))).returning();
    for (const row of rows) {
      await recordAudit(tx, by, { action: 'creation', objectType: 'organisation', objectId: row.id, objectLabel: row.nom, contratId, after: row });
    }
    return rows.length;
  });
}

// ——— The strategy tree ———

export type NoeudRow = typeof noeud.$inferSelect;
export type AvenantRow = typeof avenant.$inferSelect;
export type ChangementRow = typeof avenantChangement.$inferSelect;

export type NoeudSaisi = {
  ref: string;
  niveau: Niveau;
  numero: string;
  libelle: string;
  parentRef: string | null;
  document: string | null;
  lignes: number[];
  sommaire?: Citation | null;
  details?: Record<string, unknown> | null;
  note?: string | null;
};

const rechercheDe = (n: { numero: string; libelle: string; details?: Record<string, unknown> | null }) =>
  texteRecherche(`${n.numero} ${n.libelle} ${n.details ? JSON.stringify(Object.values(n.details).flat().map((d) => (d as { texte?: string }).texte ?? '')) : ''}`);

/**
 * Loads the transcribed tree: new items are added, items still as transcribed are refreshed from the
 * data file (a corrected transcription reaches existing installations), items an amendment changed or
 * withdrew are left as the amendment made them. One journal entry for the whole load.
 */
export async function chargerArbre(db: Db, by: AuditActor, contratId: string, noeuds: NoeudSaisi[]): Promise<{ ajoutes: number; modifies: number }> {
  return db.transaction(async (tx) => {
    const existants = await tx.select().from(noeud).where(eq(noeud.contratId, contratId));
    const parRef = new Map(existants.map((n) => [n.ref, n]));
    const touches = new Set(
      (
        await tx
          .select({ ref: avenantChangement.ref })
          .from(avenantChangement)
          .innerJoin(avenant, eq(avenant.id, avenantChangement.avenantId))
          .where(and(eq(avenant.contratId, contratId), eq(avenantChangement.applique, true)))
      ).map((c) => c.ref),
    );
    let ajoutes = 0;
    let modifies = 0;
    const nouveaux: (typeof noeud.$inferInsert)[] = [];
    for (const [ordre, n] of noeuds.entries()) {
      const valeurs = {
        niveau: n.niveau,
        numero: n.numero,
        libelle: n.libelle,
        parentRef: n.parentRef,
        ordre,
        document: n.document,
        lignes: n.lignes,
        sommaire: n.sommaire ?? null,
        details: n.details ?? null,
        note: n.note ?? null,
        recherche: rechercheDe(n),
      };
      const e = parRef.get(n.ref);
      if (!e) {
        nouveaux.push({ ...valeurs, contratId, ref: n.ref });
        ajoutes++;
      } else if (!touches.has(n.ref) && e.avenantId === null && canonique(pick(e)) !== canonique(pick(valeurs))) {
        await tx.update(noeud).set(valeurs).where(eq(noeud.id, e.id));
        modifies++;
      }
    }
    for (let i = 0; i < nouveaux.length; i += 500) await tx.insert(noeud).values(nouveaux.slice(i, i + 500));
    if (ajoutes || modifies) {
      await recordAudit(tx, by, { action: 'chargement', objectType: 'arbre', objectId: contratId, objectLabel: 'Arbre stratégique du contrat', contratId, after: { ajoutes, modifies } });
    }
    return { ajoutes, modifies };
  });
}
/** JSON with object keys sorted: PostgreSQL's jsonb does not keep the order keys were written in. */
function canonique(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}
const pick = (n: { niveau: string; numero: string; libelle: string; parentRef: string | null; ordre: number; lignes: number[]; sommaire: unknown; details: unknown; note: string | null }) => [
  n.niveau,
  n.numero,
  n.libelle,
  n.parentRef,
  n.ordre,
  n.lignes,
  n.sommaire,
  n.details,
  n.note,
];

/** The tree as it stands (withdrawn items left out), in the document's order. */
export async function listerNoeuds(db: DbOrTx, contratId: string, { avecRetires = false } = {}): Promise<NoeudRow[]> {
  const where = avecRetires ? eq(noeud.contratId, contratId) : and(eq(noeud.contratId, contratId), isNull(noeud.retireParAvenantId));
  return db.select().from(noeud).where(where).orderBy(asc(noeud.ordre), asc(noeud.ref));
}

export async function noeudParRef(db: DbOrTx, contratId: string, ref: string): Promise<NoeudRow | undefined> {
  const [n] = await db.select().from(noeud).where(and(eq(noeud.contratId, contratId), eq(noeud.ref, ref)));
  return n;
}

/** French full-text search (stemmed: "décrochages" finds "décrochage"), best matches first, with the number of matches. */
export async function rechercherNoeuds(db: DbOrTx, contratId: string, requete: string, limite = 50): Promise<{ total: number; noeuds: NoeudRow[] }> {
  const requeteTs = sql`plainto_tsquery('french', ${texteRecherche(requete)})`;
  const rows = await db
    .select({ noeud, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(noeud)
    .where(and(eq(noeud.contratId, contratId), isNull(noeud.retireParAvenantId), sql`${noeud.vecteur} @@ ${requeteTs}`))
    .orderBy(sql`ts_rank(${noeud.vecteur}, ${requeteTs}) desc`, asc(noeud.ordre))
    .limit(limite);
  return { total: rows[0]?.total ?? 0, noeuds: rows.map((r) => r.noeud) };
}

// ——— Amendments ———

export async function listerAvenants(db: DbOrTx, contratId: string): Promise<AvenantRow[]> {
  return db.select().from(avenant).where(eq(avenant.contratId, contratId)).orderBy(asc(avenant.numero));
}

export async function avenantParNumero(db: DbOrTx, contratId: string, numero: number): Promise<{ avenant: AvenantRow; changements: ChangementRow[] } | null> {
  const [a] = await db.select().from(avenant).where(and(eq(avenant.contratId, contratId), eq(avenant.numero, numero)));
  if (!a) return null;
  const changements = await db.select().from(avenantChangement).where(eq(avenantChangement.avenantId, a.id)).orderBy(asc(avenantChangement.rang));
  return { avenant: a, changements };
}

export async function creerAvenant(db: Db, by: AuditActor, contratId: string, v: { titre: string; objet: string }): Promise<AvenantRow> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from contrat where id = ${contratId} for update`);
    const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`coalesce(max(${avenant.numero}), 0)::int` }).from(avenant).where(eq(avenant.contratId, contratId));
    const [row] = await tx.insert(avenant).values({ contratId, numero: n + 1, titre: v.titre, objet: v.objet }).returning();
    await recordAudit(tx, by, { action: 'creation', objectType: 'avenant', objectId: row!.id, objectLabel: `Avenant n° ${row!.numero}`, contratId, after: row });
    return row!;
  });
}

/** Adds a change to a draft amendment, checked against the tree as the amendment would leave it. */
export async function ajouterChangement(db: Db, by: AuditActor, contratId: string, avenantId: string, c: ChangementArbre): Promise<{ ok: true } | { ok: false; problemes: string[] }> {
  return db.transaction(async (tx) => {
    const [a] = await tx.select().from(avenant).where(and(eq(avenant.id, avenantId), eq(avenant.contratId, contratId))).for('update');
    if (!a || a.statut !== 'projet') return { ok: false, problemes: ['Cet avenant est déjà adopté : il ne peut plus changer.'] };
    const deja = await tx.select().from(avenantChangement).where(eq(avenantChangement.avenantId, avenantId)).orderBy(asc(avenantChangement.rang));
    const arbre = (await listerNoeuds(tx, contratId)).map(versArbre);
    const essai = appliquerChangements(arbre, [...deja.map(versChangement), c]);
    if (!essai.ok) return essai;
    const avant = c.type === 'ajout' ? null : (arbre.find((n) => n.ref === c.ref) ?? null);
    const ref = c.type === 'ajout' ? c.noeud.ref : c.ref;
    const [row] = await tx
      .insert(avenantChangement)
      .values({ avenantId, rang: deja.length + 1, type: c.type, ref, avant, apres: c.type === 'retrait' ? null : c.type === 'ajout' ? c.noeud : { libelle: c.libelle } })
      .returning();
    await recordAudit(tx, by, { action: 'modification', objectType: 'avenant', objectId: avenantId, objectLabel: `Avenant n° ${a.numero}`, contratId, after: row });
    return { ok: true };
  });
}

/** Adopts an amendment: its changes apply to the tree, each item keeping what it was. */
export async function adopterAvenant(db: Db, by: AuditActor, contratId: string, avenantId: string, le: string): Promise<{ ok: true } | { ok: false; problemes: string[] }> {
  return db.transaction(async (tx) => {
    const [a] = await tx.select().from(avenant).where(and(eq(avenant.id, avenantId), eq(avenant.contratId, contratId))).for('update');
    if (!a || a.statut !== 'projet') return { ok: false, problemes: ['Cet avenant est déjà adopté.'] };
    const changements = await tx.select().from(avenantChangement).where(eq(avenantChangement.avenantId, avenantId)).orderBy(asc(avenantChangement.rang));
    if (!changements.length) return { ok: false, problemes: ['Un avenant sans changement ne peut pas être adopté.'] };
    const arbre = (await listerNoeuds(tx, contratId)).map(versArbre);
    const essai = appliquerChangements(arbre, changements.map(versChangement));
    if (!essai.ok) return essai;
    // "Before" is what the item reads at adoption: another amendment may have changed it since the draft.
    const courant = new Map(arbre.map((n) => [n.ref, n]));
    const [{ ordre } = { ordre: 0 }] = await tx.select({ ordre: sql<number>`coalesce(max(${noeud.ordre}), 0)::int` }).from(noeud).where(eq(noeud.contratId, contratId));
    for (const [i, c] of changements.entries()) {
      const ch = versChangement(c);
      if (ch.type === 'ajout') {
        const n = ch.noeud;
        await tx.insert(noeud).values({ contratId, ...n, ordre: ordre + i + 1, document: `Avenant n° ${a.numero}`, lignes: [], recherche: rechercheDe(n), avenantId });
      } else if (ch.type === 'modification') {
        const [n] = await tx.select().from(noeud).where(and(eq(noeud.contratId, contratId), eq(noeud.ref, ch.ref)));
        await tx
          .update(noeud)
          .set({ libelle: ch.libelle, recherche: rechercheDe({ numero: n!.numero, libelle: ch.libelle, details: n!.details }) })
          .where(eq(noeud.id, n!.id));
      } else {
        await tx.update(noeud).set({ retireParAvenantId: avenantId }).where(and(eq(noeud.contratId, contratId), eq(noeud.ref, ch.ref)));
      }
      const avant = ch.type === 'ajout' ? null : (courant.get(ch.ref) ?? null);
      if (ch.type === 'modification' && avant) courant.set(ch.ref, { ...avant, libelle: ch.libelle });
      await tx.update(avenantChangement).set({ applique: true, avant }).where(eq(avenantChangement.id, c.id));
    }
    const [apres] = await tx.update(avenant).set({ statut: 'adopte', adopteLe: le }).where(eq(avenant.id, avenantId)).returning();
    await recordAudit(tx, by, { action: 'adoption', objectType: 'avenant', objectId: avenantId, objectLabel: `Avenant n° ${a.numero}`, contratId, before: a, after: apres });
    return { ok: true };
  });
}

/** What amendments did to an item, oldest first. */
export async function historiqueNoeud(db: DbOrTx, contratId: string, ref: string): Promise<(ChangementRow & { avenant: AvenantRow })[]> {
  const rows = await db
    .select()
    .from(avenantChangement)
    .innerJoin(avenant, eq(avenant.id, avenantChangement.avenantId))
    .where(and(eq(avenant.contratId, contratId), eq(avenantChangement.ref, ref)))
    .orderBy(asc(avenant.numero), asc(avenantChangement.rang));
  return rows.map((r) => ({ ...r.avenant_changement, avenant: r.avenant }));
}

const versArbre = (n: NoeudRow): NoeudArbre => ({ ref: n.ref, niveau: n.niveau as Niveau, numero: n.numero, libelle: n.libelle, parentRef: n.parentRef });
function versChangement(c: ChangementRow): ChangementArbre {
  if (c.type === 'ajout') return { type: 'ajout', noeud: c.apres as NoeudArbre };
  if (c.type === 'modification') return { type: 'modification', ref: c.ref, libelle: (c.apres as { libelle: string }).libelle };
  return { type: 'retrait', ref: c.ref };
}

/** Sets the other names an organisation goes by in the documents, and the signatory it acts for. */
export async function definirAliases(db: Db, by: AuditActor, contratId: string, nom: string, aliases: string[], parentNom: string | null = null): Promise<void> {
  await db.transaction(async (tx) => {
    const [o] = await tx.select().from(organisation).where(and(eq(organisation.contratId, contratId), eq(organisation.nom, nom)));
    if (!o) return;
    const [parent] = parentNom ? await tx.select().from(organisation).where(and(eq(organisation.contratId, contratId), eq(organisation.nom, parentNom))) : [];
    if (parentNom && !parent) throw new Error(`Organisation « ${nom} » : signataire « ${parentNom} » inconnu`);
    const parentId = parent?.id ?? null;
    if (JSON.stringify(o.aliases) === JSON.stringify(aliases) && o.parentId === parentId) return;
    const [apres] = await tx.update(organisation).set({ aliases, parentId }).where(eq(organisation.id, o.id)).returning();
    await recordAudit(tx, by, { action: 'modification', objectType: 'organisation', objectId: o.id, objectLabel: o.nom, contratId, before: o, after: apres });
  });
}

// ——— Reading parts of the tree (the contract's pages, its API) ———

/** The items of some levels only (the contract's outline), withdrawn ones left out, in the document's order. */
export async function noeudsDesNiveaux(db: DbOrTx, contratId: string, niveaux: readonly Niveau[]): Promise<NoeudRow[]> {
  return db
    .select()
    .from(noeud)
    .where(and(eq(noeud.contratId, contratId), isNull(noeud.retireParAvenantId), inArray(noeud.niveau, [...niveaux])))
    .orderBy(asc(noeud.ordre), asc(noeud.ref));
}

/** How many items of each level the tree holds now (withdrawn ones left out). */
export async function compterParNiveau(db: DbOrTx, contratId: string): Promise<Partial<Record<Niveau, number>>> {
  const rows = await db
    .select({ niveau: noeud.niveau, n: sql<number>`count(*)::int` })
    .from(noeud)
    .where(and(eq(noeud.contratId, contratId), isNull(noeud.retireParAvenantId)))
    .groupBy(noeud.niveau);
  return Object.fromEntries(rows.map((r) => [r.niveau, r.n]));
}

const refsDe = (result: unknown) => (result as { rows: { ref: string }[] }).rows.map((r) => r.ref);

/** The items below an item, at any depth (withdrawn ones left out), in the document's order. */
export async function descendantsDe(db: DbOrTx, contratId: string, ref: string): Promise<NoeudRow[]> {
  const refs = refsDe(
    await db.execute(sql`
      with recursive d(ref) as (
        select ref from noeud where contrat_id = ${contratId} and parent_ref = ${ref} and retire_par_avenant_id is null
        union
        select n.ref from noeud n join d on n.parent_ref = d.ref where n.contrat_id = ${contratId} and n.retire_par_avenant_id is null
      ) select ref from d`),
  );
  if (!refs.length) return [];
  return db.select().from(noeud).where(and(eq(noeud.contratId, contratId), inArray(noeud.ref, refs))).orderBy(asc(noeud.ordre), asc(noeud.ref));
}

/** The given items and every item above them, withdrawn or not: enough to write each one's chain. */
export async function ancetresDe(db: DbOrTx, contratId: string, refs: readonly string[]): Promise<NoeudRow[]> {
  if (!refs.length) return [];
  const tous = refsDe(
    await db.execute(sql`
      with recursive a(ref, parent_ref) as (
        select ref, parent_ref from noeud where contrat_id = ${contratId} and ${inArray(noeud.ref, [...refs])}
        union
        select n.ref, n.parent_ref from noeud n join a on n.ref = a.parent_ref where n.contrat_id = ${contratId}
      ) select ref from a`),
  );
  if (!tous.length) return [];
  return db.select().from(noeud).where(and(eq(noeud.contratId, contratId), inArray(noeud.ref, tous)));
}

/** The tree as a draft amendment would leave it, to number what it adds next. */
export async function arbreSelonAvenant(db: DbOrTx, contratId: string, avenantId: string): Promise<NoeudArbre[]> {
  const arbre = (await listerNoeuds(db, contratId)).map(versArbre);
  const changements = await db.select().from(avenantChangement).where(eq(avenantChangement.avenantId, avenantId)).orderBy(asc(avenantChangement.rang));
  const essai = appliquerChangements(arbre, changements.filter((c) => !c.applique).map(versChangement));
  return essai.ok ? essai.noeuds : arbre;
}

/**
 * Takes back the last change of a draft amendment (a change added by mistake, or one that can no longer
 * apply because another amendment was adopted meanwhile). Only the last: later changes may rest on earlier ones.
 */
export async function retirerDernierChangement(db: Db, by: AuditActor, contratId: string, avenantId: string): Promise<{ ok: true } | { ok: false; problemes: string[] }> {
  return db.transaction(async (tx) => {
    const [a] = await tx.select().from(avenant).where(and(eq(avenant.id, avenantId), eq(avenant.contratId, contratId))).for('update');
    if (!a || a.statut !== 'projet') return { ok: false, problemes: ['Cet avenant est déjà adopté : il ne peut plus changer.'] };
    const [dernier] = await tx.select().from(avenantChangement).where(eq(avenantChangement.avenantId, avenantId)).orderBy(desc(avenantChangement.rang)).limit(1);
    if (!dernier) return { ok: false, problemes: ['Cet avenant ne contient aucun changement.'] };
    await tx.delete(avenantChangement).where(eq(avenantChangement.id, dernier.id));
    await recordAudit(tx, by, { action: 'modification', objectType: 'avenant', objectId: avenantId, objectLabel: `Avenant n° ${a.numero}`, contratId, before: dernier, after: null });
    return { ok: true };
  });
}

/** Items by reference, in the tree's order; references not found are left out. */
/** The items of some levels still in force (not withdrawn by an amendment), in the tree's order. */
export async function noeudsParNiveaux(db: DbOrTx, contratId: string, niveaux: readonly string[]): Promise<NoeudRow[]> {
  if (!niveaux.length) return [];
  return db
    .select()
    .from(noeud)
    .where(and(eq(noeud.contratId, contratId), inArray(noeud.niveau, [...niveaux]), isNull(noeud.retireParAvenantId)))
    .orderBy(asc(noeud.ordre));
}

export async function noeudsParRefs(db: DbOrTx, contratId: string, refs: readonly string[]): Promise<NoeudRow[]> {
  if (!refs.length) return [];
  return db
    .select()
    .from(noeud)
    .where(and(eq(noeud.contratId, contratId), inArray(noeud.ref, [...refs])))
    .orderBy(asc(noeud.ordre));
}
