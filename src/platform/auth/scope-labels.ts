import type { Db } from '../db/connect.ts';
import type { ScopeDirectory, ScopeOption } from '../http/context.ts';
import { ROLE_LABELS, type Assignment, type Role, type ScopeKind } from './policy.ts';

/** A role as people read it: its label and the name of the territory or organisation it is narrowed to. */
export type AssignmentView = {
  role: Role;
  libelle: string;
  contratId: string;
  portee: { type: ScopeKind; id: string; libelle: string } | null;
};

/** Labels assignments through the scope directory (one lookup per contract and kind, not per assignment). */
export async function describeAssignments(db: Db, scopes: ScopeDirectory, assignments: Assignment[]): Promise<AssignmentView[]> {
  const cache = new Map<string, Promise<ScopeOption[]>>();
  const options = (kind: ScopeKind, contratId: string) => {
    const key = `${kind}:${contratId}`;
    if (!cache.has(key)) cache.set(key, scopes[kind](db, contratId));
    return cache.get(key)!;
  };
  return Promise.all(
    assignments.map(async (a) => {
      let portee: AssignmentView['portee'] = null;
      if (a.scopeKind && a.scopeRef) {
        const found = (await options(a.scopeKind, a.contratId)).find((o) => o.id === a.scopeRef);
        // A scope whose row has gone still shows, so that nobody holds a role they cannot see.
        portee = { type: a.scopeKind, id: a.scopeRef, libelle: found?.label ?? `${a.scopeKind === 'territoire' ? 'territoire inconnu' : 'organisation inconnue'} (${a.scopeRef})` };
      }
      return { role: a.role, libelle: ROLE_LABELS[a.role], contratId: a.contratId, portee };
    }),
  );
}

export function assignmentText(a: AssignmentView): string {
  return a.portee ? `${a.libelle} — ${a.portee.libelle}` : a.libelle;
}
