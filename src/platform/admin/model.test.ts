import { describe, expect, it } from 'vitest';
import {
  assignmentLabel,
  changesText,
  createAccountSchema,
  deactivationRefusal,
  describeChanges,
  DUPLICATE_ASSIGNMENT,
  editAccountSchema,
  formatParisDateTime,
  grantSchema,
  journalFilterSchema,
  journalQuery,
  LAST_ADMIN_DEACTIVATE,
  LAST_ADMIN_REVOKE,
  revocationRefusal,
  SELF_DEACTIVATE,
  SELF_REVOKE,
  type Directory,
} from './model.ts';

const T18 = '00000000-0000-4000-8000-000000000018';
const T19 = '00000000-0000-4000-8000-000000000019';
const CAF = '00000000-0000-4000-8000-0000000000ca';
const directory: Directory = {
  territoire: [
    { id: T18, label: '18e arrondissement (75118)' },
    { id: T19, label: '19e arrondissement (75119)' },
  ],
  organisation: [{ id: CAF, label: 'CAF de Paris' }],
};

function errorsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
}

describe('granting a role', () => {
  it('gives a scoped role the scope of its kind', () => {
    expect(grantSchema(directory, []).parse({ role: 'agent_territorial', territoire: T18, organisation: '' })).toEqual({
      role: 'agent_territorial',
      scopeKind: 'territoire',
      scopeRef: T18,
    });
    expect(grantSchema(directory, []).parse({ role: 'association', territoire: '', organisation: CAF })).toEqual({
      role: 'association',
      scopeKind: 'organisation',
      scopeRef: CAF,
    });
  });

  it('gives a role over the whole contract no scope', () => {
    expect(grantSchema(directory, []).parse({ role: 'direction_projet', territoire: '', organisation: '' })).toEqual({
      role: 'direction_projet',
      scopeKind: null,
      scopeRef: null,
    });
  });

  it('requires the scope of a scoped role', () => {
    const errors = errorsOf(grantSchema(directory, []).safeParse({ role: 'membre_conseil_citoyen', territoire: '', organisation: '' }));
    expect(errors).toEqual({ territoire: expect.stringContaining('Choisissez un territoire') });
    const org = errorsOf(grantSchema(directory, []).safeParse({ role: 'referent_partenaire' }));
    expect(org).toEqual({ organisation: expect.stringContaining('Choisissez une organisation') });
  });

  it('refuses a scope that is not in the directory of the contract', () => {
    const errors = errorsOf(grantSchema(directory, []).safeParse({ role: 'agent_territorial', territoire: CAF }));
    expect(errors.territoire).toBe("Ce territoire n'existe pas dans ce contrat : choisissez-en un dans la liste.");
    const orgErrors = errorsOf(grantSchema(directory, []).safeParse({ role: 'association', organisation: T18 }));
    expect(orgErrors.organisation).toBe("Cette organisation n'existe pas dans ce contrat : choisissez-en une dans la liste.");
  });

  it('wants the other select empty', () => {
    const errors = errorsOf(grantSchema(directory, []).safeParse({ role: 'agent_territorial', territoire: T18, organisation: CAF }));
    expect(errors).toEqual({ organisation: "Laissez ce champ vide : le rôle « Agent territorial » s'exerce sur un territoire." });
  });

  it('wants both selects empty for a role over the whole contract', () => {
    const errors = errorsOf(grantSchema(directory, []).safeParse({ role: 'admin', territoire: T18, organisation: CAF }));
    expect(Object.keys(errors).sort()).toEqual(['organisation', 'territoire']);
    expect(errors.territoire).toContain("s'exerce sur tout le contrat");
  });

  it('requires a known role', () => {
    expect(errorsOf(grantSchema(directory, []).safeParse({ role: '' }))).toEqual({ role: 'Choisissez un rôle.' });
    expect(errorsOf(grantSchema(directory, []).safeParse({ role: 'super_admin' }))).toEqual({ role: 'Choisissez un rôle.' });
  });

  it('refuses the same assignment twice, but not the same role elsewhere', () => {
    const existing = [{ role: 'agent_territorial' as const, scopeKind: 'territoire' as const, scopeRef: T18 }];
    expect(errorsOf(grantSchema(directory, existing).safeParse({ role: 'agent_territorial', territoire: T18 }))).toEqual({ role: DUPLICATE_ASSIGNMENT });
    expect(grantSchema(directory, existing).safeParse({ role: 'agent_territorial', territoire: T19 }).success).toBe(true);
    expect(grantSchema(directory, existing).safeParse({ role: 'membre_conseil_citoyen', territoire: T18 }).success).toBe(true);
    const admin = [{ role: 'admin' as const, scopeKind: null, scopeRef: null }];
    expect(errorsOf(grantSchema(directory, admin).safeParse({ role: 'admin' }))).toEqual({ role: DUPLICATE_ASSIGNMENT });
  });

  it('labels an assignment with its role and its scope', () => {
    expect(assignmentLabel({ role: 'agent_territorial', scopeKind: 'territoire', scopeRef: T18 }, directory)).toBe('Agent territorial — 18e arrondissement (75118)');
    expect(assignmentLabel({ role: 'direction_projet', scopeKind: null, scopeRef: null }, directory)).toBe('Direction de projet');
    expect(assignmentLabel({ role: 'association', scopeKind: 'organisation', scopeRef: T19 }, directory)).toContain('inconnu');
  });
});

describe('lock-out protection', () => {
  const admins = [
    { accountId: 'ana', active: true },
    { accountId: 'bob', active: true },
  ];

  it('never lets an admin remove their own admin role', () => {
    expect(revocationRefusal({ actorId: 'ana', target: { accountId: 'ana', role: 'admin' }, admins })).toBe(SELF_REVOKE);
  });

  it('lets an admin remove their own other roles, and another admin’s role while one remains', () => {
    expect(revocationRefusal({ actorId: 'ana', target: { accountId: 'ana', role: 'direction_projet' }, admins })).toBeNull();
    expect(revocationRefusal({ actorId: 'ana', target: { accountId: 'bob', role: 'admin' }, admins })).toBeNull();
  });

  it('keeps the last active admin of the contract', () => {
    const one = [
      { accountId: 'ana', active: true },
      { accountId: 'eve', active: false },
    ];
    expect(revocationRefusal({ actorId: null, target: { accountId: 'ana', role: 'admin' }, admins: one })).toBe(LAST_ADMIN_REVOKE);
    // An inactive admin's role can go: it protects nobody's access.
    expect(revocationRefusal({ actorId: null, target: { accountId: 'eve', role: 'admin' }, admins: one })).toBeNull();
  });

  it('never lets an admin deactivate their own account', () => {
    expect(deactivationRefusal({ actorId: 'ana', targetId: 'ana', active: false, admins })).toBe(SELF_DEACTIVATE);
    expect(deactivationRefusal({ actorId: 'ana', targetId: 'ana', active: true, admins })).toBeNull();
  });

  it('keeps the last active admin account active', () => {
    expect(deactivationRefusal({ actorId: 'ana', targetId: 'bob', active: false, admins })).toBeNull();
    expect(deactivationRefusal({ actorId: null, targetId: 'bob', active: false, admins: [{ accountId: 'bob', active: true }] })).toBe(LAST_ADMIN_DEACTIVATE);
    expect(deactivationRefusal({ actorId: null, targetId: 'carl', active: false, admins: [{ accountId: 'bob', active: true }] })).toBeNull();
  });
});

describe('account forms', () => {
  it('takes an optional initial password of at least 12 characters, untrimmed', () => {
    expect(createAccountSchema.parse({ displayName: ' Ana ', email: 'Ana@Exemple.FR', password: '' })).toEqual({ displayName: 'Ana', email: 'ana@exemple.fr' });
    expect(createAccountSchema.parse({ displayName: 'Ana', email: 'ana@exemple.fr', password: ' douze signes ' }).password).toBe(' douze signes ');
    const short = createAccountSchema.safeParse({ displayName: 'Ana', email: 'ana@exemple.fr', password: 'court' });
    expect(errorsOf(short)).toEqual({ password: 'Le mot de passe doit compter au moins 12 caractères.' });
  });

  it('reads the "active" checkbox: absent means unticked', () => {
    expect(editAccountSchema.parse({ displayName: 'Ana' }).active).toBe(false);
    expect(editAccountSchema.parse({ displayName: 'Ana', active: 'oui' }).active).toBe(true);
  });
});

describe('journal', () => {
  it('formats dates in Paris time, winter and summer', () => {
    expect(formatParisDateTime(new Date('2026-11-21T22:40:05Z'))).toBe('21/11/2026 23:40:05');
    expect(formatParisDateTime(new Date('2026-07-01T22:30:00Z'))).toBe('02/07/2026 00:30:00');
  });

  it('shows each changed field before and after, readable, secrets masked', () => {
    const before = { displayName: 'Ana', active: true, passwordHash: '$argon2id$old', lastLoginAt: null };
    const after = { displayName: 'Anne', active: false, passwordHash: '$argon2id$new', lastLoginAt: null };
    const changes = describeChanges(before, after);
    expect(changes).toEqual([
      { field: 'active', label: 'Actif', before: 'oui', after: 'non' },
      { field: 'displayName', label: 'Nom', before: 'Ana', after: 'Anne' },
      { field: 'passwordHash', label: 'Mot de passe', before: '(masqué)', after: '(masqué, modifié)' },
    ]);
    expect(JSON.stringify(describeChanges(null, after))).not.toContain('argon2');
    expect(describeChanges(null, { passwordHash: 'x', role: 'agent_territorial', createdAt: '2026-11-21T22:40:05.123Z' })).toEqual([
      { field: 'createdAt', label: 'Créé le', before: '(vide)', after: '21/11/2026 23:40:05' },
      { field: 'passwordHash', label: 'Mot de passe', before: '(vide)', after: '(masqué, modifié)' },
      { field: 'role', label: 'Rôle', before: '(vide)', after: 'Agent territorial' },
    ]);
    expect(changesText(describeChanges({ role: 'admin' }, null))).toBe('Rôle : Administrateur ou administratrice → (vide)');
  });

  it('keeps the filters in page links and leaves out empty ones', () => {
    expect(journalQuery({ personne: 'ana@exemple.fr', objet: undefined, du: '2026-01-01', au: '' }, 3)).toBe('?personne=ana%40exemple.fr&du=2026-01-01&page=3');
    expect(journalQuery({}, 1)).toBe('');
  });

  it('validates the filter: real days, in order', () => {
    expect(journalFilterSchema.parse({ du: '2026-01-31', au: '2026-01-31' })).toMatchObject({ du: '2026-01-31', au: '2026-01-31', page: 1 });
    expect(errorsOf(journalFilterSchema.safeParse({ du: '2026-02-30' }))).toEqual({ du: 'Saisissez une date au format AAAA-MM-JJ.' });
    expect(Object.keys(errorsOf(journalFilterSchema.safeParse({ du: '2026-02-02', au: '2026-02-01' })))).toEqual(['au']);
    expect(Object.keys(errorsOf(journalFilterSchema.safeParse({ page: '0' })))).toEqual(['page']);
  });
});
