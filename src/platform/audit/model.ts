import { createHash } from 'node:crypto';
import { z } from '../validation.ts';

export type AuditActor = { id: string | null; label: string; ip?: string | null };

export type AuditEntry = {
  action: string;
  objectType: string;
  objectId: string;
  objectLabel?: string | null;
  contratId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Fields never written to the audit log, whatever object they belong to. */
const SECRET_FIELDS = new Set(['passwordHash', 'password_hash', 'tokenHash', 'token_hash', 'idHash', 'id_hash', 'password']);

/**
 * A secret is never logged, but its change must show: the mask carries a short digest of the stored
 * value (itself a salted hash or digest), which differs when the secret changes and reveals nothing.
 */
function maskSecret(value: unknown): string | null {
  if (!value) return null;
  return `(masqué ${createHash('sha256').update(String(value)).digest('hex').slice(0, 6)})`;
}

/** Copies a value for the log, masking secrets and turning dates into ISO strings. */
export function auditable(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(auditable);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_FIELDS.has(k) ? maskSecret(v) : auditable(v);
    }
    return out;
  }
  return value;
}

/** The fields that changed between two versions of an object, for a readable "before → after". */
export function changedFields(before: unknown, after: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).sort();
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));
const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.iso.date({ error: 'Saisissez une date au format AAAA-MM-JJ.' }).optional());

export const auditFilterSchema = z.object({
  personne: optionalText,
  objet: optionalText,
  du: optionalDate,
  au: optionalDate,
  page: z.coerce.number().int().min(1).default(1),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;
export const AUDIT_PAGE_SIZE = 50;
