import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from '../platform/validation.ts';
import { can } from '../platform/auth/policy.ts';
import { lireArbre } from './donnees.ts';
import { listerAvenants, type AvenantRow } from './store.ts';
import type { Annonce, AvenantVisible } from './commun-views.tsx';

// What the contract's pages and API share: the texts read from its transcription files, who may see
// draft amendments, and how a reference in a URL is checked.

/** The contracts whose transcription ships with Pilotis, by slug. */
const DONNEES = { 'paris-2015-2020': new URL('../../data/paris-2015-2020/', import.meta.url) };

export type TextesContrat = { annonces: Annonce[]; prioritesTransversales: Annonce[] };

export type ContexteContrat = {
  /** The amendments the contract announces and its transversal priorities, as transcribed. */
  textes(req: FastifyRequest): TextesContrat;
  peutAmender(req: FastifyRequest): boolean;
  /** Adopted amendments for everyone; drafts only for those who draft them. */
  avenantsVisibles(req: FastifyRequest): Promise<AvenantRow[]>;
};

export const refSchema = z
  .string()
  .max(120, 'Référence trop longue')
  .regex(/^[A-Za-z0-9.]+(\/[A-Za-z0-9.]+)*$/, 'Référence invalide : par exemple 1.1.1/P1/OO1');

export const rechercheQuery = z.object({ q: z.string().trim().max(200, 'La recherche est limitée à 200 caractères.').default('') });

export const visible = (a: AvenantRow): AvenantVisible => ({ numero: a.numero, titre: a.titre, statut: a.statut, adopteLe: a.adopteLe });

export function contexteContrat(app: FastifyInstance): ContexteContrat {
  // Read once, at start: the files do not change while the server runs.
  const textes = new Map<string, TextesContrat>(
    Object.entries(DONNEES).map(([slug, dir]) => {
      const { axes } = lireArbre(dir);
      const cite = (c: { texte: string; lignes: number[] }) => ({ texte: c.texte, lignes: c.lignes, document: axes.source });
      return [slug, { annonces: axes.amendementsAnnonces.map(cite), prioritesTransversales: axes.prioritesTransversales.map(cite) }];
    }),
  );
  const peutAmender = (req: FastifyRequest) => can(req.actor, 'contrat.amender', { contratId: req.contrat.id });
  return {
    textes: (req) => textes.get(req.contrat.slug) ?? { annonces: [], prioritesTransversales: [] },
    peutAmender,
    avenantsVisibles: async (req) => (await listerAvenants(app.ctx.db, req.contrat.id)).filter((a) => a.statut === 'adopte' || peutAmender(req)),
  };
}
