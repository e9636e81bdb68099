import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { describeEachDatabase, openTestDatabase } from '../db/testing.ts';
import type { Database } from '../db/connect.ts';
import { loadDefaultContrat } from '../../defaults.ts';
import { scopeDirectory } from '../../server.ts';
import { listOrganisations } from '../../contrat/store.ts';
import { listTerritoires } from '../../territoires/store.ts';
import { auditLog } from '../audit/schema.ts';
import type { AuditActor } from '../audit/model.ts';
import { assignmentsOf, findAccountByEmail, signInWithPassword } from '../auth/store.ts';
import type { ContratRow } from '../tenancy/store.ts';
import { CliError, matchScope } from './model.ts';
import { cliActor, createUser, grantUser, listUsers } from './users.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CLI: AuditActor = { id: null, label: 'CLI (essai)' };

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return (error as CliError).message;
}

describeEachDatabase('pilotis user', (kind) => {
  let database: Database;
  let contrat: ContratRow;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    contrat = await loadDefaultContrat(database.db);
    await createUser(database.db, CLI, { email: 'Claire@Exemple.fr', name: 'Claire Martin', password: 'une phrase de passe solide' });
  });
  afterAll(() => database.close());

  it('creates an account with the given password, recorded in the audit log as the CLI', async () => {
    const out = await createUser(database.db, CLI, { email: 'ines@exemple.fr', name: 'Inès Dupont', password: 'une autre phrase solide' });
    expect(out).toContain('Compte créé : ines@exemple.fr (Inès Dupont).');
    expect(out).not.toContain('une autre phrase solide');
    expect((await signInWithPassword(database.db, 'ines@exemple.fr', 'une autre phrase solide', '127.0.0.1')).ok).toBe(true);
    const row = (await findAccountByEmail(database.db, 'ines@exemple.fr'))!;
    const [entry] = await database.db.select().from(auditLog).where(eq(auditLog.objectId, row.id));
    expect(entry).toMatchObject({ action: 'creation', actorId: null, actorLabel: 'CLI (essai)' });
  });

  it('generates a strong password when none is given, and prints it once', async () => {
    const out = await createUser(database.db, CLI, { email: 'bruno@exemple.fr', name: 'Bruno Petit' });
    const password = /^Mot de passe : (\S+)$/m.exec(out)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await signInWithPassword(database.db, 'bruno@exemple.fr', password!, '127.0.0.1')).ok).toBe(true);
  });

  it('refuses a second account with the same address, an invalid address or a short password, in French', async () => {
    expect(await failure(createUser(database.db, CLI, { email: 'claire@exemple.fr', name: 'Autre Claire' }))).toBe(
      "Un compte existe déjà avec l'adresse claire@exemple.fr.",
    );
    expect(await failure(createUser(database.db, CLI, { email: 'pas-une-adresse', name: 'Personne' }))).toContain('--email : Saisissez une adresse électronique valide');
    expect(await failure(createUser(database.db, CLI, { email: 'court@exemple.fr', name: 'Court', password: 'court' }))).toContain('au moins 12 caractères');
    expect(await findAccountByEmail(database.db, 'court@exemple.fr')).toBeUndefined();
  });

  it('grants a role scoped by a territory code', async () => {
    const out = await grantUser(database.db, CLI, scopeDirectory, { email: 'claire@exemple.fr', role: 'agent_territorial', scope: '75118' });
    expect(out).toMatch(/^Rôle attribué à claire@exemple\.fr : Agent territorial — .*\(75118\)/);
    const arr18 = (await listTerritoires(database.db, contrat.id)).find((x) => x.code === '75118')!;
    const claire = (await findAccountByEmail(database.db, 'claire@exemple.fr'))!;
    expect(await assignmentsOf(database.db, claire.id)).toContainEqual(
      expect.objectContaining({ role: 'agent_territorial', contratId: contrat.id, scopeKind: 'territoire', scopeRef: arr18.id }),
    );
    const again = await grantUser(database.db, CLI, scopeDirectory, { email: 'claire@exemple.fr', role: 'agent_territorial', scope: '75118' });
    expect(again).toContain("Rien n'a changé.");
    expect((await assignmentsOf(database.db, claire.id)).filter((a) => a.role === 'agent_territorial')).toHaveLength(1);
  });

  it('grants a role scoped by an organisation name, in the contract named by its slug', async () => {
    const out = await grantUser(database.db, CLI, scopeDirectory, {
      email: 'bruno@exemple.fr',
      role: 'referent_partenaire',
      scope: 'CAF de Paris',
      contrat: contrat.slug,
    });
    expect(out).toContain('Référent ou référente partenaire — CAF de Paris');
    const caf = (await listOrganisations(database.db, contrat.id)).find((o) => o.nom === 'CAF de Paris')!;
    const bruno = (await findAccountByEmail(database.db, 'bruno@exemple.fr'))!;
    expect(await assignmentsOf(database.db, bruno.id)).toEqual([
      expect.objectContaining({ role: 'referent_partenaire', scopeKind: 'organisation', scopeRef: caf.id }),
    ]);
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'attribution-role'), eq(auditLog.objectId, bruno.id)));
    expect(entry?.actorLabel).toBe('CLI (essai)');
  });

  it('lists the valid roles when the role is unknown', async () => {
    const message = await failure(grantUser(database.db, CLI, scopeDirectory, { email: 'claire@exemple.fr', role: 'chef', scope: '75118' }));
    expect(message).toContain('Rôle inconnu : « chef ». Rôles possibles :');
    for (const role of ['admin', 'direction_projet', 'agent_territorial', 'referent_partenaire', 'association', 'membre_conseil_citoyen']) {
      expect(message).toContain(role);
    }
  });

  it('suggests scopes when the one typed matches nothing', async () => {
    const near = await failure(grantUser(database.db, CLI, scopeDirectory, { email: 'bruno@exemple.fr', role: 'association', scope: 'Paris' }));
    expect(near).toContain('Aucune organisation ne correspond à « Paris »');
    expect(near).toContain('Vouliez-vous dire :');
    expect(near).toContain('CAF de Paris');

    const none = await failure(grantUser(database.db, CLI, scopeDirectory, { email: 'bruno@exemple.fr', role: 'agent_territorial', scope: '99999' }));
    expect(none).toContain('Aucun territoire ne correspond à « 99999 »');
    expect(none).toContain('Territoires du contrat :\n  1er arrondissement (75101)');
    expect(none).toContain('(75120)');

    const missing = await failure(grantUser(database.db, CLI, scopeDirectory, { email: 'bruno@exemple.fr', role: 'agent_territorial' }));
    expect(missing).toContain('précisez --scope');
    const extra = await failure(grantUser(database.db, CLI, scopeDirectory, { email: 'bruno@exemple.fr', role: 'admin', scope: '75118' }));
    expect(extra).toContain('retirez --scope');
    const contratInconnu = await failure(
      grantUser(database.db, CLI, scopeDirectory, { email: 'bruno@exemple.fr', role: 'admin', contrat: 'lyon-2024' }),
    );
    expect(contratInconnu).toContain(`Contrat inconnu : « lyon-2024 ». Contrats enregistrés :\n  ${contrat.slug}`);
    const nobody = await failure(grantUser(database.db, CLI, scopeDirectory, { email: 'personne@exemple.fr', role: 'admin' }));
    expect(nobody).toContain("Aucun compte avec l'adresse personne@exemple.fr");
  });

  it('lists the accounts with their roles and scopes', async () => {
    const out = await listUsers(database.db, scopeDirectory);
    const lines = out.split('\n');
    expect(lines[0]).toBe('3 comptes :');
    const claire = lines.findIndex((l) => l.startsWith('claire@exemple.fr  Claire Martin'));
    expect(lines[claire + 1]).toMatch(/^ {4}Agent territorial — .*\(75118\)$/);
    const bruno = lines.findIndex((l) => l.startsWith('bruno@exemple.fr  Bruno Petit'));
    expect(lines[bruno + 1]).toBe('    Référent ou référente partenaire — CAF de Paris');
    const ines = lines.findIndex((l) => l.startsWith('ines@exemple.fr  Inès Dupont'));
    expect(lines[ines + 1]).toBe('    aucun rôle');
  });
});

describe('scope matching', () => {
  const options = [
    { id: '11111111-1111-4111-8111-111111111111', label: '18e arrondissement (75118)' },
    { id: '22222222-2222-4222-8222-222222222222', label: 'Préfecture de Paris' },
    { id: '33333333-3333-4333-8333-333333333333', label: 'CAF de Paris' },
  ];
  it('finds a scope by id, territory code or organisation name, and tolerates case and accents only when unambiguous', () => {
    expect(matchScope(options, '33333333-3333-4333-8333-333333333333')).toEqual({ ok: true, option: options[2] });
    expect(matchScope(options, '75118')).toEqual({ ok: true, option: options[0] });
    expect(matchScope(options, 'CAF de Paris')).toEqual({ ok: true, option: options[2] });
    expect(matchScope(options, 'prefecture de paris')).toEqual({ ok: true, option: options[1] });
    expect(matchScope(options, 'paris')).toEqual({ ok: false, suggestions: [options[1], options[2]] });
    expect(matchScope(options, '7511')).toEqual({ ok: false, suggestions: [options[0]] });
  });

  it('names the person at the terminal in the audit actor', () => {
    expect(cliActor()).toEqual({ id: null, label: expect.stringMatching(/^CLI \(.+\)$/) });
  });
});

describe('npx pilotis', () => {
  it('lists its commands: serve, migrate, user (create, grant, list)', () => {
    const help = spawnSync(process.execPath, ['bin/pilotis.mjs', '--help'], { cwd: root, encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const command of ['serve', 'migrate', 'user']) expect(help.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    const user = spawnSync(process.execPath, ['bin/pilotis.mjs', 'user', '--help'], { cwd: root, encoding: 'utf8' });
    expect(user.status).toBe(0);
    for (const command of ['create', 'grant', 'list']) expect(user.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  });
});
