import { describe, expect, it } from 'vitest';
import { ROLE_LABELS, ROLES } from '../platform/auth/policy.ts';
import { CAPACITES, enTantQue } from './model.ts';

describe('home page', () => {
  it('tells every role, and the public, something it can do', () => {
    for (const role of [...ROLES, 'public'] as const) expect(CAPACITES[role].length).toBeGreaterThan(0);
  });
  it('writes the role headings in correct French', () => {
    expect(enTantQue(ROLE_LABELS.agent_territorial)).toBe('En tant qu’agent territorial');
    expect(enTantQue(ROLE_LABELS.association)).toBe('En tant qu’association');
    expect(enTantQue(ROLE_LABELS.direction_projet)).toBe('En tant que direction de projet');
    expect(enTantQue(ROLE_LABELS.membre_conseil_citoyen)).toBe('En tant que membre de conseil citoyen');
  });
});
