import { describe, expect, it } from 'vitest';
import { ACTIONS, can, mayEver, ROLE_SCOPE, ROLES, type Action, type Actor, type Role } from './policy.ts';

// The expected matrix, written out independently of PERMISSIONS: a change to who may do what
// must change this table too, in review.
//   Y = allowed on any resource of the contract
//   S = allowed only inside the role's territory or organisation
//   O = allowed only on one's own objects
//   . = refused
// sans_role is a signed-in account that has no role yet.
const EXPECTED = `
action                  public sans_role admin direction_projet agent_territorial referent_partenaire association membre_conseil_citoyen
portail.voir            Y      Y         Y     Y                Y                 Y                   Y           Y
compte.gerer            .      O         O     O                O                 O                   O           O
admin.voir              .      .         Y     .                .                 .                   .           .
admin.comptes.gerer     .      .         Y     .                .                 .                   .           .
admin.roles.attribuer   .      .         Y     .                .                 .                   .           .
admin.audit.lire        .      .         Y     .                .                 .                   .           .
admin.imports           .      .         Y     .                .                 .                   .           .
territoire.piloter      .      .         Y     Y                S                 .                   .           .
conseil.participer      .      .         Y     Y                S                 .                   .           S
organisation.gerer      .      .         Y     Y                .                 S                   S           .
contrat.voir            Y      Y         Y     Y                Y                 Y                   Y           Y
contrat.amender         .      .         Y     Y                .                 .                   .           .
fiches.voir             .      .         Y     Y                Y                 S                   .           .
fiches.saisir           .      .         .     Y                .                 S                   .           .
campagnes.piloter       .      .         Y     Y                .                 .                   .           .
aap.configurer          .      .         Y     Y                .                 .                   .           .
dossiers.voir           .      .         Y     Y                S                 .                   S           .
dossiers.deposer        .      .         .     .                .                 .                   S           .
dossiers.instruire      .      .         Y     Y                S                 .                   .           .
dossiers.programmer     .      .         Y     Y                .                 .                   .           .
`;

type Cell = 'Y' | 'S' | 'O' | '.';
type Column = Role | 'public' | 'sans_role';
function parseMatrix(text: string): Map<Action, Record<Column, Cell>> {
  const [header, ...rows] = text.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const columns = header!.slice(1) as Column[];
  return new Map(
    rows.map(([action, ...cells]) => [action as Action, Object.fromEntries(columns.map((c, i) => [c, cells[i] as Cell])) as Record<Column, Cell>]),
  );
}
const matrix = parseMatrix(EXPECTED);

const CONTRAT = 'c-1';
const OTHER_CONTRAT = 'c-2';
const MINE = { territoire: 't-18', organisation: 'o-caf' };
const ELSEWHERE = { territoire: 't-19', organisation: 'o-ars' };

function actorWith(role: Role, contratId = CONTRAT): Actor {
  const kind = ROLE_SCOPE[role];
  return {
    id: 'me',
    email: 'me@exemple.fr',
    displayName: 'Moi',
    assignments: [{ role, contratId, scopeKind: kind, scopeRef: kind ? MINE[kind] : null }],
  };
}

// One resource per situation the matrix distinguishes.
const inScope = { contratId: CONTRAT, territoireIds: [MINE.territoire], organisationId: MINE.organisation, ownerId: 'someone-else' };
const outOfScope = { contratId: CONTRAT, territoireIds: [ELSEWHERE.territoire], organisationId: ELSEWHERE.organisation, ownerId: 'someone-else' };
const own = { contratId: CONTRAT, territoireIds: [ELSEWHERE.territoire], organisationId: ELSEWHERE.organisation, ownerId: 'me' };

describe('policy matrix', () => {
  it('covers exactly the declared actions', () => {
    expect([...matrix.keys()].sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS) {
    it(`${action}: public visitors`, () => {
      const allowed = matrix.get(action)!.public === 'Y';
      for (const resource of [inScope, outOfScope, own, {}]) expect(can(null, action, resource)).toBe(allowed);
    });
    for (const role of [...ROLES, 'sans_role'] as const) {
      it(`${action}: ${role}`, () => {
        const cell = matrix.get(action)![role];
        const actor: Actor = role === 'sans_role' ? { ...actorWith('admin'), assignments: [] } : actorWith(role);
        expect(can(actor, action, inScope)).toBe(cell === 'Y' || cell === 'S');
        expect(can(actor, action, outOfScope)).toBe(cell === 'Y');
        expect(can(actor, action, own)).toBe(cell === 'Y' || cell === 'O');
        expect(mayEver(actor, action, CONTRAT)).toBe(cell !== '.');
      });
    }
  }

  it('never grants a role of one contract on another contract', () => {
    for (const action of ACTIONS) {
      if (matrix.get(action)!.public === 'Y') continue;
      if (matrix.get(action)!.sans_role !== '.') continue;
      for (const role of ROLES) {
        const actor = actorWith(role, OTHER_CONTRAT);
        for (const r of [inScope, own]) expect(can(actor, action, r)).toBe(false);
        expect(mayEver(actor, action, CONTRAT)).toBe(false);
      }
    }
  });

  it('adds up the rights of several roles', () => {
    const actor: Actor = {
      ...actorWith('agent_territorial'),
      assignments: [...actorWith('agent_territorial').assignments, ...actorWith('referent_partenaire').assignments],
    };
    expect(can(actor, 'territoire.piloter', inScope)).toBe(true);
    expect(can(actor, 'organisation.gerer', inScope)).toBe(true);
    expect(can(actor, 'admin.voir')).toBe(false);
  });

  it('refuses a scoped role whose scope is missing', () => {
    const actor: Actor = { ...actorWith('agent_territorial'), assignments: [{ role: 'agent_territorial', contratId: CONTRAT, scopeKind: 'territoire', scopeRef: null }] };
    expect(can(actor, 'territoire.piloter', inScope)).toBe(false);
  });
});

describe('organisation scopes', () => {
  it('cover the services an organisation answers for, and no other', () => {
    const referent = actorWith('referent_partenaire');
    const mission = { contratId: CONTRAT, organisationId: 'o-caf-mission', organisationParents: [MINE.organisation] };
    const autre = { contratId: CONTRAT, organisationId: 'o-ars-dt', organisationParents: [ELSEWHERE.organisation] };
    expect(can(referent, 'fiches.saisir', mission)).toBe(true);
    expect(can(referent, 'fiches.saisir', autre)).toBe(false);
  });
});
