import { z } from '../validation.ts';
import { auditable, auditFilterSchema, changedFields, type AuditFilter } from '../audit/model.ts';
import { displayNameSchema, emailSchema, passwordSchema } from '../auth/model.ts';
import { ROLE_LABELS, ROLE_SCOPE, ROLES, type Assignment, type Role, type ScopeKind } from '../auth/policy.ts';
import type { ScopeOption } from '../http/context.ts';

// Pure rules of the administration pages: forms, role assignment, lock-out protection, journal display.

export type Errors = Record<string, string>;
export type Directory = Record<ScopeKind, ScopeOption[]>;
export const SCOPE_KINDS: ScopeKind[] = ['territoire', 'organisation'];

/** Empty inputs mean "not given". */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

// Passwords are never trimmed: spaces may be part of them.
const optionalPassword = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(passwordSchema.optional());

export const searchSchema = z.object({ q: optionalText.pipe(z.string().max(200).optional()).catch(undefined) });

export const createAccountSchema = z.object({
  displayName: displayNameSchema,
  email: emailSchema,
  password: optionalPassword,
});
export type CreateAccountInput = z.infer<typeof createAccountSchema>;
export const EMAIL_TAKEN = 'Un compte existe déjà avec cette adresse.';

export const editAccountSchema = z.object({
  displayName: displayNameSchema,
  // An unticked checkbox sends nothing at all.
  active: z
    .string()
    .optional()
    .transform((v) => v !== undefined && v !== ''),
  password: optionalPassword,
});
export type EditAccountInput = z.infer<typeof editAccountSchema>;

// --- Role assignment --------------------------------------------------------------------------

const SCOPE_TEXT: Record<ScopeKind, { choose: string; on: string; unknown: string }> = {
  territoire: { choose: 'Choisissez un territoire', on: 'un territoire', unknown: "Ce territoire n'existe pas dans ce contrat : choisissez-en un dans la liste." },
  organisation: {
    choose: 'Choisissez une organisation',
    on: 'une organisation',
    unknown: "Cette organisation n'existe pas dans ce contrat : choisissez-en une dans la liste.",
  },
};

export type Grant = { role: Role; scopeKind: ScopeKind | null; scopeRef: string | null };
export const DUPLICATE_ASSIGNMENT = 'Ce compte a déjà ce rôle sur cette portée.';

export function sameAssignment(a: Grant, b: Grant): boolean {
  return a.role === b.role && a.scopeKind === b.scopeKind && a.scopeRef === b.scopeRef;
}

/**
 * The "Attribuer un rôle" form. A scoped role needs a scope of its kind that exists in the
 * contract, and the other select empty; a role over the whole contract takes neither; a role the
 * account already holds on the same scope is refused. `existing` are the account's assignments in
 * this contract.
 */
export function grantSchema(directory: Directory, existing: readonly Grant[]) {
  return z
    .object({
      role: z.enum(ROLES, { error: 'Choisissez un rôle.' }),
      territoire: optionalText,
      organisation: optionalText,
    })
    .superRefine((v, ctx) => {
      const kind = ROLE_SCOPE[v.role];
      const label = ROLE_LABELS[v.role];
      let valid = true;
      const issue = (path: string, message: string) => {
        valid = false;
        ctx.addIssue({ code: 'custom', path: [path], message });
      };
      for (const k of SCOPE_KINDS) {
        const given = v[k];
        if (k === kind) {
          if (!given) issue(k, `${SCOPE_TEXT[k].choose} : le rôle « ${label} » s'exerce sur ${SCOPE_TEXT[k].on}.`);
          else if (!directory[k].some((o) => o.id === given)) issue(k, SCOPE_TEXT[k].unknown);
        } else if (given) {
          issue(k, kind ? `Laissez ce champ vide : le rôle « ${label} » s'exerce sur ${SCOPE_TEXT[kind].on}.` : `Laissez ce champ vide : le rôle « ${label} » s'exerce sur tout le contrat.`);
        }
      }
      if (valid && existing.some((e) => sameAssignment(e, { role: v.role, scopeKind: kind, scopeRef: kind ? v[kind]! : null }))) {
        issue('role', DUPLICATE_ASSIGNMENT);
      }
    })
    .transform((v): Grant => {
      const kind = ROLE_SCOPE[v.role];
      return { role: v.role, scopeKind: kind, scopeRef: kind ? v[kind]! : null };
    });
}

/** "Agent territorial — 18e arrondissement (75118)": the role and where it applies. */
export function scopeLabel(a: Pick<Assignment, 'scopeKind' | 'scopeRef'>, directory: Directory): string {
  if (!a.scopeKind || !a.scopeRef) return 'Tout le contrat';
  const found = directory[a.scopeKind]?.find((o) => o.id === a.scopeRef);
  return found ? found.label : `${a.scopeKind === 'territoire' ? 'Territoire inconnu' : 'Organisation inconnue'} (${a.scopeRef})`;
}

export function assignmentLabel(a: Pick<Assignment, 'role' | 'scopeKind' | 'scopeRef'>, directory: Directory): string {
  return a.scopeKind ? `${ROLE_LABELS[a.role]} — ${scopeLabel(a, directory)}` : ROLE_LABELS[a.role];
}

// --- Lock-out protection ----------------------------------------------------------------------

/** An admin assignment of the contract, with whether its account may still sign in. */
export type AdminSeat = { accountId: string; active: boolean };

export const SELF_REVOKE = "Vous ne pouvez pas retirer votre propre rôle d'administration : demandez-le à une autre personne qui administre le contrat.";
export const SELF_DEACTIVATE = 'Vous ne pouvez pas désactiver votre propre compte : demandez-le à une autre personne qui administre le contrat.';
export const LAST_ADMIN_REVOKE = "Ce compte est le dernier compte actif qui administre le contrat : attribuez d'abord ce rôle à un autre compte.";
export const LAST_ADMIN_DEACTIVATE = "Ce compte est le dernier compte actif qui administre le contrat : attribuez d'abord le rôle d'administration à un autre compte.";

function otherActiveAdmins(admins: readonly AdminSeat[], accountId: string): number {
  return new Set(admins.filter((a) => a.active && a.accountId !== accountId).map((a) => a.accountId)).size;
}

/** Why removing this assignment is refused, or null. `actorId` is null for the system. */
export function revocationRefusal(p: { actorId: string | null; target: { accountId: string; role: Role }; admins: readonly AdminSeat[] }): string | null {
  if (p.target.role !== 'admin') return null;
  if (p.actorId === p.target.accountId) return SELF_REVOKE;
  const targetActive = p.admins.some((a) => a.accountId === p.target.accountId && a.active);
  if (targetActive && otherActiveAdmins(p.admins, p.target.accountId) === 0) return LAST_ADMIN_REVOKE;
  return null;
}

/** Why setting the account's "active" flag is refused, or null. */
export function deactivationRefusal(p: { actorId: string | null; targetId: string; active: boolean; admins: readonly AdminSeat[] }): string | null {
  if (p.active) return null;
  if (p.actorId === p.targetId) return SELF_DEACTIVATE;
  const targetActiveAdmin = p.admins.some((a) => a.accountId === p.targetId && a.active);
  if (targetActiveAdmin && otherActiveAdmins(p.admins, p.targetId) === 0) return LAST_ADMIN_DEACTIVATE;
  return null;
}

// --- Journal ----------------------------------------------------------------------------------

export const journalFilterSchema = auditFilterSchema
  .extend({ page: z.coerce.number({ error: 'Numéro de page invalide.' }).int({ error: 'Numéro de page invalide.' }).min(1, { error: 'Numéro de page invalide.' }).max(1_000_000, { error: 'Numéro de page invalide.' }).default(1) })
  .refine((f) => !f.du || !f.au || f.du <= f.au, { path: ['au'], message: 'La date « Au » doit être le même jour que la date « Du » ou après.' });

/** The query string of a journal page or export, filters kept, empty ones left out. */
export function journalQuery(filter: Partial<AuditFilter>, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ['personne', 'objet', 'du', 'au'] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (page && page > 1) params.set('page', String(page));
  const q = params.toString();
  return q ? `?${q}` : '';
}

const parisDateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' });
/** 21/11/2026 23:40:05, in Paris time whatever the server's zone. */
export function formatParisDateTime(at: Date): string {
  return parisDateTime.format(at);
}

export const ACTION_LABELS: Record<string, string> = {
  creation: 'Création',
  modification: 'Modification',
  'attribution-role': 'Attribution de rôle',
  'retrait-role': 'Retrait de rôle',
  connexion: 'Connexion',
  deconnexion: 'Déconnexion',
  revocation: 'Révocation',
  'desactivation-demo': 'Désactivation d’un compte de démonstration',
  'liaison-oidc': 'Liaison à l’identité du fournisseur',
  import: 'Import',
};

export const OBJECT_LABELS: Record<string, string> = {
  compte: 'Compte',
  session: 'Session',
  'jeton-api': 'Jeton d’API',
  contrat: 'Contrat',
  territoire: 'Territoire',
  organisation: 'Organisation',
  import_geo: 'Import de données',
  territoire_lien: 'Lien entre territoires',
  territoire_valeur: 'Donnée d’un territoire',
};

const FIELD_LABELS: Record<string, string> = {
  displayName: 'Nom',
  email: 'Adresse électronique',
  active: 'Actif',
  passwordHash: 'Mot de passe',
  role: 'Rôle',
  scopeKind: 'Type de portée',
  scopeRef: 'Portée (identifiant)',
  scopeLabel: 'Portée',
  id: 'Identifiant',
  accountId: 'Compte (identifiant)',
  contratId: 'Contrat (identifiant)',
  createdAt: 'Créé le',
  lastLoginAt: 'Dernière connexion',
  revokedAt: 'Révoqué le',
  isDemo: 'Compte de démonstration',
  nom: 'Nom',
  code: 'Code',
  type: 'Type',
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
export const EMPTY_VALUE = '(vide)';

function displayValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (field === 'role' && typeof value === 'string' && value in ROLE_LABELS) return ROLE_LABELS[value as Role];
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? formatParisDateTime(new Date(value)) : value;
  return JSON.stringify(value);
}

export type Change = { field: string; label: string; before: string; after: string };

/**
 * What an audit entry changed, field by field, readable: "Actif : oui → non". Secrets are masked
 * again here, so an entry written before a field was known to be secret still shows no secret.
 */
const isMasked = (v: unknown) => typeof v === 'string' && v.startsWith('(masqué');

export function describeChanges(before: unknown, after: unknown): Change[] {
  const shown = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (auditable(value) as Record<string, unknown>) : {});
  const b = shown(before);
  const a = shown(after);
  return changedFields(b, a)
    .map((field) =>
      // A secret's masks differ when it changed: say so without showing the masks.
      isMasked(b[field]) || isMasked(a[field])
        ? { field, label: FIELD_LABELS[field] ?? field, before: b[field] ? '(masqué)' : '(vide)', after: a[field] ? '(masqué, modifié)' : '(vide)' }
        : { field, label: FIELD_LABELS[field] ?? field, before: displayValue(field, b[field]), after: displayValue(field, a[field]) },
    )
    .filter((c) => c.before !== c.after);
}

/** One text for a CSV cell: "Nom : Ana → Anne" per line. */
export function changesText(changes: readonly Change[]): string {
  return changes.map((c) => `${c.label} : ${c.before} → ${c.after}`).join('\n');
}
