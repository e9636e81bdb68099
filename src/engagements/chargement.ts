import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { z } from '../platform/validation.ts';
import { NATURES_CIBLE } from './model.ts';
import { lireBilan2015, lireLivret } from './donnees.ts';
import { preparerBilan, type CibleContrat, type EngagementLivretSource, type QualificationFiche } from './preparation.ts';
import { chargerBilan } from './store.ts';

// The commitments of the embedded contract and its first campaign (the 2015 bilan): the sheets as
// transcribed, qualified (kind of target, direction, owner, items of the tree) in bilan-2015/qualification.json.

const qualificationFile = z.object({
  fiches: z.array(
    z.object({
      numero: z.number().int().positive(),
      porteur: z.string(),
      noeuds: z.array(z.string()),
      dispositif: z.string().nullable(),
      thematique: z.string().nullable(),
      mesures: z.array(
        z.object({
          sousMesure: z.string().nullable(),
          nature: z.enum(NATURES_CIBLE),
          sens: z.enum(['hausse', 'baisse']),
          unite: z.string().nullable(),
          ciblesContrat: z.array(z.object({ orientation: z.string(), index: z.number().int().nonnegative() })).optional(),
          livret: z.array(z.string()).optional(),
        }),
      ),
      ciblesContrat: z.array(z.object({ orientation: z.string(), index: z.number().int().nonnegative() })),
      livret: z.array(z.string()).optional(),
      justification: z.string().optional(),
    }),
  ),
});

export function lireQualification(dataDir: URL): QualificationFiche[] {
  const f = new URL('bilan-2015/qualification.json', dataDir);
  if (!existsSync(fileURLToPath(f))) return [];
  return qualificationFile.parse(JSON.parse(readFileSync(fileURLToPath(f), 'utf8'))).fiches;
}

export function engagementsDuLivret(dataDir: URL): EngagementLivretSource[] {
  const livret = lireLivret(dataDir);
  return (livret?.dispositifs ?? []).flatMap((d) => d.engagements.map((e) => ({ ...e, dispositif: d.nom.texte })));
}

/** Everything the documents say about commitments and the 2015 campaign, ready to load. */
export function donneesEngagements(dataDir: URL, cibles: CibleContrat[]) {
  const { fiches } = lireBilan2015(dataDir);
  return preparerBilan(fiches, lireQualification(dataDir), cibles, engagementsDuLivret(dataDir));
}

export async function chargerEngagementsDuContrat(db: Db, by: AuditActor, contratId: string, dataDir: URL, cibles: CibleContrat[], organisations: ReadonlyMap<string, string>) {
  return chargerBilan(db, by, contratId, donneesEngagements(dataDir, cibles), organisations, {
    annee: 2015,
    source: 'Bilan 2015 de la mobilisation du droit commun (document 004, fiches de suivi)',
  });
}
