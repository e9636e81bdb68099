import type { FastifyRequest } from 'fastify';
import { can, type Action, type Resource } from '../platform/auth/policy.ts';
import type { RoleDossier } from './model.ts';
import { territoiresDuDossier } from './instruction-model.ts';

// Who may do what on a file, for every page and API of the call for projects. A file belongs to its
// association (organisation scope) and to the territories it acts in: its QPV and the arrondissements
// they lie in, so that an agent whose scope is an arrondissement instructs the files of its QPV.

type DossierAcces = { organisationId: string; territoireIds: string[] };

export async function ressourceDossier(req: FastifyRequest, d: DossierAcces): Promise<Resource> {
  const contratId = req.contrat.id;
  if (d.territoireIds.length === 0) return { contratId, organisationId: d.organisationId, territoireIds: [] };
  const { territoires } = req.server.ctx.services;
  const tous = [...(await territoires.lister(contratId, 'qpv')), ...(await territoires.lister(contratId, 'qva'))];
  return { contratId, organisationId: d.organisationId, territoireIds: territoiresDuDossier(d.territoireIds, tous) };
}

export async function peut(req: FastifyRequest, action: Action, d: DossierAcces): Promise<boolean> {
  return can(req.actor, action, await ressourceDossier(req, d));
}

/**
 * The role in which the person acts on this file, for the transition table: the direction de projet
 * (decides), an instructor of its territories, or its association; null when none applies.
 */
export async function roleSurDossier(req: FastifyRequest, d: DossierAcces): Promise<RoleDossier | null> {
  const r = await ressourceDossier(req, d);
  if (can(req.actor, 'dossiers.programmer', r)) return 'direction_projet';
  if (can(req.actor, 'dossiers.instruire', r)) return 'agent_territorial';
  if (can(req.actor, 'dossiers.deposer', r)) return 'association';
  return null;
}

const jourParis = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' });
/** Today in Paris, AAAA-MM-JJ: a campaign opens and closes on days of the contract's calendar. */
export function aujourdhuiParis(maintenant = new Date()): string {
  return jourParis.format(maintenant);
}
