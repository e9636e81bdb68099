import type { FastifyRequest } from 'fastify';
import { can, mayEver } from '../platform/auth/policy.ts';
import type { CampagneRow } from './store.ts';

// Who sees what of a campaign, for the pages and the API alike. A campaign in progress is shown to those
// who follow it (a partner's référent: its own organisation's sheets only); once the direction publishes
// the bilan, its validated sheets are public. The steps a sheet went through name the people who took
// them: they stay with those who follow the campaign.

type Fiche = { organisationId: string | null; organisationParentId?: string | null; statut: string };

// A CAF mission's sheet is also the CAF's: a référent of the CAF answers for it.
const ressource = (req: FastifyRequest, f: Fiche) => ({
  contratId: req.contrat.id,
  organisationId: f.organisationId ?? undefined,
  organisationParents: f.organisationParentId ? [f.organisationParentId] : [],
});

/** Whether the campaign appears at all: published, or followed by the person. */
export function campagneVisible(req: FastifyRequest, c: CampagneRow): boolean {
  return c.publiee || mayEver(req.actor, 'fiches.voir', req.contrat.id);
}

/** Whether the person follows this sheet of the campaign in progress (its history, its comments). */
export function suitFiche(req: FastifyRequest, f: Fiche): boolean {
  return can(req.actor, 'fiches.voir', ressource(req, f));
}

export function ficheVisible(req: FastifyRequest, c: CampagneRow, f: Fiche): boolean {
  return suitFiche(req, f) || (c.publiee && f.statut === 'validee');
}

/** The sheets the person fills in (a référent's organisation's; every sheet for the direction). */
export function saisitFiche(req: FastifyRequest, f: Fiche): boolean {
  return can(req.actor, 'fiches.saisir', ressource(req, f));
}

export function pilote(req: FastifyRequest): boolean {
  return can(req.actor, 'campagnes.piloter', { contratId: req.contrat.id });
}

const jourParis = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' });
/** Today in Paris, AAAA-MM-JJ: a campaign's deadline is a day of the contract's calendar. */
export function aujourdhui(): string {
  return jourParis.format(new Date());
}
