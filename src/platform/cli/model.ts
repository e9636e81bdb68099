import { randomBytes } from 'node:crypto';
import type { ScopeOption } from '../http/context.ts';
import { ROLE_LABELS, ROLES, type Role } from '../auth/policy.ts';

// Pure rules of the command line: reading a role and a scope as an administrator types them.

/** An error meant for the person at the terminal: printed as is, exit code 1. */
export class CliError extends Error {}

/** 144 random bits in 24 URL-safe characters: strong, and still copyable by hand. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function roleList(): string {
  return ROLES.map((r) => `  ${r.padEnd(24)} ${ROLE_LABELS[r]}`).join('\n');
}

/** `direction-projet` and `Direction_Projet` are read as `direction_projet`. */
export function parseRole(input: string): Role {
  const normalised = input.trim().toLowerCase().replaceAll('-', '_');
  const role = ROLES.find((r) => r === normalised);
  if (!role) throw new CliError(`Rôle inconnu : « ${input} ». Rôles possibles :\n${roleList()}`);
  return role;
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim();
}

export type ScopeMatch = { ok: true; option: ScopeOption } | { ok: false; suggestions: ScopeOption[] };

/**
 * Finds a scope by its id, by a territory code (labels end with "(code)"), or by the exact name
 * of an organisation. Otherwise suggests the options whose label contains what was typed.
 */
export function matchScope(options: ScopeOption[], input: string): ScopeMatch {
  const typed = input.trim();
  const exact =
    options.find((o) => o.id === typed) ??
    options.find((o) => o.label.endsWith(` (${typed})`)) ??
    options.find((o) => o.label === typed);
  if (exact) return { ok: true, option: exact };
  const folded = fold(typed);
  const near = folded ? options.filter((o) => fold(o.label).includes(folded)) : [];
  // Accents and case are not exact, but when they are the only difference there is no doubt.
  const same = near.filter((o) => fold(o.label) === folded);
  if (same.length === 1) return { ok: true, option: same[0]! };
  return { ok: false, suggestions: near };
}

export function describeOptions(options: ScopeOption[], shown = 40): string {
  const lines = options.slice(0, shown).map((o) => `  ${o.label}`);
  if (options.length > shown) lines.push(`  … et ${options.length - shown} autre(s)`);
  return lines.join('\n');
}
