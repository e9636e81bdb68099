import { userInfo } from 'node:os';
import { grantRoleOnce } from '../admin/store.ts';
import type { Db } from '../db/connect.ts';
import type { AuditActor } from '../audit/model.ts';
import type { ScopeDirectory } from '../http/context.ts';
import { displayNameSchema, emailSchema, passwordSchema } from '../auth/model.ts';
import { ROLE_LABELS, ROLE_SCOPE } from '../auth/policy.ts';
import { assignmentText, describeAssignments } from '../auth/scope-labels.ts';
import { assignmentsOf, createAccount, findAccountByEmail, listAccounts } from '../auth/store.ts';
import { defaultContrat, findContratBySlug, listContrats } from '../tenancy/store.ts';
import { z } from '../validation.ts';
import { CliError, describeOptions, generatePassword, matchScope, parseRole } from './model.ts';

// `pilotis user …`: each command takes the database and returns the text to print, so that it is
// tested without starting a process. Errors are CliError with a French message.

/** Who the audit log names for a command typed at the terminal. */
export function cliActor(): AuditActor {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = 'inconnu';
  }
  return { id: null, label: `CLI (${name})` };
}

function valid<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError(`${option} : ${parsed.error.issues[0]?.message ?? 'valeur invalide'}`);
  return parsed.data;
}

export type CreateUserOptions = { email: string; name: string; password?: string | undefined };

export async function createUser(db: Db, by: AuditActor, options: CreateUserOptions): Promise<string> {
  const email = valid(emailSchema, options.email, '--email');
  const displayName = valid(displayNameSchema, options.name, '--name');
  const generated = options.password === undefined;
  const password = generated ? generatePassword() : valid(passwordSchema, options.password, '--password');
  if (await findAccountByEmail(db, email)) throw new CliError(`Un compte existe déjà avec l'adresse ${email}.`);
  const row = await createAccount(db, by, { email, displayName, password });
  const lines = [`Compte créé : ${row.email} (${row.displayName}).`];
  if (generated) {
    lines.push(`Mot de passe : ${password}`, 'Transmettez-le par un canal sûr : il ne sera plus affiché. La personne pourra le changer sur la page « Mon compte ».');
  }
  lines.push(`Attribuez-lui un rôle : pilotis user grant --email ${row.email} --role <rôle>`);
  return lines.join('\n');
}

export type GrantOptions = { email: string; role: string; scope?: string | undefined; contrat?: string | undefined };

async function contratFor(db: Db, slug: string | undefined) {
  if (slug === undefined) {
    const found = await defaultContrat(db);
    if (!found) throw new CliError("Aucun contrat par défaut n'est enregistré. Lancez d'abord : pilotis migrate");
    return found;
  }
  const found = await findContratBySlug(db, slug.trim());
  if (found) return found;
  const known = (await listContrats(db)).map((c) => `  ${c.slug.padEnd(24)} ${c.nom}`).join('\n');
  throw new CliError(`Contrat inconnu : « ${slug} ». Contrats enregistrés :\n${known}`);
}

export async function grantUser(db: Db, by: AuditActor, scopes: ScopeDirectory, options: GrantOptions): Promise<string> {
  const email = valid(emailSchema, options.email, '--email');
  const role = parseRole(options.role);
  const account = await findAccountByEmail(db, email);
  if (!account) {
    throw new CliError(`Aucun compte avec l'adresse ${email}. Créez-le d'abord : pilotis user create --email ${email} --name "Prénom Nom"`);
  }
  const contrat = await contratFor(db, options.contrat);
  const kind = ROLE_SCOPE[role];
  const [un, aucun] = kind === 'territoire' ? ['un territoire', 'Aucun territoire'] : ['une organisation', 'Aucune organisation'];
  let scope: { id: string; label: string } | null = null;
  if (kind === null) {
    if (options.scope !== undefined) {
      throw new CliError(`Le rôle ${role} (${ROLE_LABELS[role]}) vaut pour tout le contrat : retirez --scope.`);
    }
  } else {
    const choices = await scopes[kind](db, contrat.id);
    if (options.scope === undefined || options.scope.trim() === '') {
      throw new CliError(
        `Le rôle ${role} (${ROLE_LABELS[role]}) est limité à ${un} : précisez --scope (${kind === 'territoire' ? 'code du territoire' : "nom exact de l'organisation"} ou identifiant). Par exemple :\n${describeOptions(choices, 5)}`,
      );
    }
    const match = matchScope(choices, options.scope);
    if (!match.ok) {
      const hint = match.suggestions.length
        ? `Vouliez-vous dire :\n${describeOptions(match.suggestions)}`
        : `${kind === 'territoire' ? 'Territoires' : 'Organisations'} du contrat :\n${describeOptions(choices)}`;
      throw new CliError(`${aucun} ne correspond à « ${options.scope} » dans le contrat ${contrat.slug}. ${hint}`);
    }
    scope = match.option;
  }
  const text = `${ROLE_LABELS[role]}${scope ? ` — ${scope.label}` : ''}`;
  // The same store as the admin page: the duplicate check and the write under one lock.
  const granted = await grantRoleOnce(db, by, {
    accountId: account.id,
    contratId: contrat.id,
    role,
    scopeKind: kind,
    scopeRef: scope?.id ?? null,
    label: account.email,
    ...(scope && { scopeLabel: scope.label }),
  });
  if (!granted.ok) return `${account.email} a déjà ce rôle : ${text} (${contrat.nom}). Rien n'a changé.`;
  return `Rôle attribué à ${account.email} : ${text} (${contrat.nom}).`;
}

export async function listUsers(db: Db, scopes: ScopeDirectory): Promise<string> {
  const accounts = await listAccounts(db);
  if (!accounts.length) return 'Aucun compte. Créez-en un : pilotis user create --email <adresse> --name <nom>';
  const lines = [`${accounts.length} compte${accounts.length > 1 ? 's' : ''} :`];
  for (const a of accounts) {
    const flags = [!a.active && 'désactivé', a.isDemo && 'démonstration'].filter(Boolean);
    lines.push(`${a.email}  ${a.displayName}${flags.length ? `  (${flags.join(', ')})` : ''}`);
    const roles = await describeAssignments(db, scopes, await assignmentsOf(db, a.id));
    if (!roles.length) lines.push('    aucun rôle');
    for (const r of roles) lines.push(`    ${assignmentText(r)}`);
  }
  return lines.join('\n');
}
