import { describe, expect, it } from 'vitest';
import { textesPdf } from '../../test/pdf-texte.ts';
import { lettreDecisionEnPdf, type DonneesLettre } from './lettre-decision.ts';

// The decision letter: a tagged PDF in French that says the decision, the amounts per funder, the
// motif of a refusal, and whom to ask.

const base: DonneesLettre = {
  contrat: 'Contrat de ville de Paris 2015-2020',
  campagne: { annee: 2026, titre: 'Appel à projets politique de la ville 2026' },
  association: { nom: 'Les Ateliers du Nord', fictive: false, adresse: '12 rue Myrha, 75018 Paris' },
  reference: '2026-0042',
  titre: 'Réussite éducative à la Goutte d’Or',
  decision: 'accepte',
  decideLe: '2026-04-15',
  motif: null,
  financeurs: [
    { nom: 'État (programme 147)', serviceInstructeur: 'Préfecture — DDCS', demande: 3_000_00, accorde: 2_400_00 },
    { nom: 'Ville de Paris', serviceInstructeur: 'DDCT', demande: 1_000_00, accorde: 1_000_50 },
  ],
};

const NBSP = '\u00a0';

describe('the decision letter', () => {
  it('is a tagged PDF in French with one title', async () => {
    const pdf = await lettreDecisionEnPdf(base, { compress: false });
    const source = pdf.toString('latin1');
    expect(source.startsWith('%PDF-1.7')).toBe(true);
    expect(source).toContain('/Lang (fr-FR)');
    expect(source).toContain('/StructTreeRoot');
    expect(source.match(/\/S \/H1\b/g)).toHaveLength(1);
  });

  it('tells an accepted file’s association what each funder grants, and whom to ask', async () => {
    const texte = textesPdf(await lettreDecisionEnPdf(base, { compress: false })).join(' ').replace(/ {2,}/g, ' ');
    expect(texte).toContain('Décision du comité de programmation — dossier 2026-0042');
    expect(texte).toContain('Les Ateliers du Nord');
    expect(texte).toContain('12 rue Myrha, 75018 Paris');
    expect(texte).toContain('15/04/2026');
    expect(texte).toContain(`2${NBSP}400,00${NBSP}€`);
    expect(texte).toContain(`1${NBSP}000,50${NBSP}€`);
    // Granted in total: 2 400 + 1 000,50.
    expect(texte).toContain(`3${NBSP}400,50${NBSP}€`);
    expect(texte).toContain('État (programme 147) : Préfecture — DDCS');
    expect(texte).toContain('Ville de Paris : DDCT');
    expect(texte).not.toContain('Motif');
  });

  it('gives a refusal’s motif, and marks a fictitious association', async () => {
    const refus: DonneesLettre = {
      ...base,
      decision: 'refuse',
      motif: 'Projet hors des priorités de l’appel.',
      association: { ...base.association, fictive: true },
      financeurs: base.financeurs.map((f) => ({ ...f, accorde: 0 })),
    };
    const texte = textesPdf(await lettreDecisionEnPdf(refus, { compress: false })).join(' ').replace(/ {2,}/g, ' ');
    expect(texte).toContain('Refusé');
    expect(texte).toContain('Motif : Projet hors des priorités de l’appel.');
    expect(texte).toContain('Les Ateliers du Nord (association fictive de démonstration)');
    expect(texte).toContain('n’a pas retenu');
  });
});
