// The one policy module: every route and every API endpoint asks `can(actor, action, resource)`.
// The permission matrix is data (PERMISSIONS), so it can be read, reviewed and tested exhaustively.

export const ROLES = [
  'admin',
  'direction_projet',
  'agent_territorial',
  'referent_partenaire',
  'association',
  'membre_conseil_citoyen',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role | 'public', string> = {
  admin: 'Administrateur ou administratrice',
  direction_projet: 'Direction de projet',
  agent_territorial: 'Agent territorial',
  referent_partenaire: 'Référent ou référente partenaire',
  association: 'Association',
  membre_conseil_citoyen: 'Membre de conseil citoyen',
  public: 'Public',
};

/** The kind of scope a role is narrowed to, if any. */
export type ScopeKind = 'territoire' | 'organisation';
export const ROLE_SCOPE: Record<Role, ScopeKind | null> = {
  admin: null,
  direction_projet: null,
  agent_territorial: 'territoire',
  referent_partenaire: 'organisation',
  association: 'organisation',
  membre_conseil_citoyen: 'territoire',
};

export type Assignment = {
  role: Role;
  contratId: string;
  scopeKind: ScopeKind | null;
  scopeRef: string | null;
};

export type Actor = {
  id: string;
  email: string;
  displayName: string;
  assignments: Assignment[];
};

/** What an action is about. Fields left out mean "not tied to that". */
export type Resource = {
  contratId?: string;
  /** Territories the object concerns (a file may concern several QPV). */
  territoireIds?: string[];
  organisationId?: string;
  /** The organisations the object's organisation acts for (a CAF mission acts for the CAF): a scope on one of them covers it. */
  organisationParents?: string[];
  /** The account that owns the object (an API token, one's own profile). */
  ownerId?: string;
};

/**
 * all   — granted whatever the resource (within the contract of the assignment);
 * scope — granted only when the resource falls in the assignment's territory or organisation;
 * own   — granted only on the actor's own objects.
 */
export type Grant = 'all' | 'scope' | 'own';
/** `public`: anyone, signed in or not. `compte`: any signed-in account, even one without a role yet. */
type Rule = { public?: boolean; compte?: 'own' } & Partial<Record<Role, Grant>>;

export const PERMISSIONS = {
  // Public pages: the home page, the contract as published.
  'portail.voir': { public: true, admin: 'all', direction_projet: 'all', agent_territorial: 'all', referent_partenaire: 'all', association: 'all', membre_conseil_citoyen: 'all' },
  // One's own account: profile, API tokens.
  'compte.gerer': { compte: 'own' },
  // Administration.
  'admin.voir': { admin: 'all' },
  'admin.comptes.gerer': { admin: 'all' },
  'admin.roles.attribuer': { admin: 'all' },
  'admin.audit.lire': { admin: 'all' },
  // Imports of official open-data files (contours, INSEE figures, address base): they change every contract's reference data.
  'admin.imports': { admin: 'all' },
  // Work tied to a territory (instruct files, run local committees): the direction everywhere, agents on theirs.
  'territoire.piloter': { admin: 'all', direction_projet: 'all', agent_territorial: 'scope' },
  // Citizen-council work space of a territory.
  'conseil.participer': { admin: 'all', direction_projet: 'all', agent_territorial: 'scope', membre_conseil_citoyen: 'scope' },
  // The contract as signed and amended: its strategy tree, its commitments, published bilans.
  'contrat.voir': { public: true, admin: 'all', direction_projet: 'all', agent_territorial: 'all', referent_partenaire: 'all', association: 'all', membre_conseil_citoyen: 'all' },
  // Draft and adopt amendments (avenants) to the tree; record commitments.
  'contrat.amender': { admin: 'all', direction_projet: 'all' },
  // The monitoring campaign in progress (sheets not yet validated): partners see their own organisation's.
  'fiches.voir': { admin: 'all', direction_projet: 'all', agent_territorial: 'all', referent_partenaire: 'scope' },
  // Fill in and submit a sheet: a partner's référent for its own organisation only.
  'fiches.saisir': { direction_projet: 'all', referent_partenaire: 'scope' },
  // Open a campaign, validate or send back a sheet, reopen entry, publish the bilan.
  'campagnes.piloter': { admin: 'all', direction_projet: 'all' },
  // An organisation's private space (its commitments, its subsidy files).
  'organisation.gerer': { admin: 'all', direction_projet: 'all', referent_partenaire: 'scope', association: 'scope' },
  // Configure a call for projects: dates, priorities, territories, funders and envelopes, instruction teams.
  'aap.configurer': { admin: 'all', direction_projet: 'all' },
  // Read a subsidy file: its association, the instruction team of its QPV, the direction.
  'dossiers.voir': { admin: 'all', direction_projet: 'all', agent_territorial: 'scope', association: 'scope' },
  // Fill in, submit, complete a request: the association itself only.
  'dossiers.deposer': { association: 'scope' },
  // Instruct a file (opinions per funder, private annotations, messages, steps): the team of its QPV.
  'dossiers.instruire': { admin: 'all', direction_projet: 'all', agent_territorial: 'scope' },
  // The programming committee: decisions, granted amounts, decision letters.
  'dossiers.programmer': { admin: 'all', direction_projet: 'all' },
} satisfies Record<string, Rule>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

function inScope(a: Assignment, resource: Resource): boolean {
  if (a.scopeRef === null) return false;
  if (a.scopeKind === 'territoire') return resource.territoireIds?.includes(a.scopeRef) ?? false;
  if (a.scopeKind === 'organisation') return resource.organisationId === a.scopeRef || (resource.organisationParents?.includes(a.scopeRef) ?? false);
  return false;
}

function grants(grant: Grant, a: Assignment, actor: Actor, resource: Resource): boolean {
  if (resource.contratId !== undefined && resource.contratId !== a.contratId) return false;
  switch (grant) {
    case 'all':
      return true;
    case 'scope':
      return inScope(a, resource);
    case 'own':
      return resource.ownerId === actor.id;
  }
}

export function can(actor: Actor | null, action: Action, resource: Resource = {}): boolean {
  const rule: Rule = PERMISSIONS[action];
  if (rule.public) return true;
  if (!actor) return false;
  if (rule.compte === 'own' && resource.ownerId === actor.id) return true;
  return actor.assignments.some((a) => {
    const grant = rule[a.role];
    return grant !== undefined && grants(grant, a, actor, resource);
  });
}

/**
 * True when the actor could be granted the action on some resource of the contract: the check a route
 * makes before it knows the object (the handler then asks `can` about the object), and menus use.
 */
export function mayEver(actor: Actor | null, action: Action, contratId?: string): boolean {
  const rule: Rule = PERMISSIONS[action];
  if (rule.public) return true;
  if (!actor) return false;
  if (rule.compte) return true;
  return actor.assignments.some((a) => rule[a.role] !== undefined && (contratId === undefined || a.contratId === contratId));
}

export function rolesOf(actor: Actor | null): Role[] {
  return [...new Set(actor?.assignments.map((a) => a.role) ?? [])];
}
