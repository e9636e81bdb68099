import type { DocumentRapport, Table } from '../platform/exports/document-model.ts';
import { rapportEnPdf, type PdfOptions } from '../platform/exports/pdf.ts';
import { euros } from './model.ts';
import { mentionFictive } from './comite-model.ts';

// The letter that tells an association the committee's decision on its file: a tagged PDF in French,
// built as a small document so that it follows the same conventions as every other Pilotis PDF.

export type DonneesLettre = {
  contrat: string;
  campagne: { annee: number; titre: string };
  association: { nom: string; fictive: boolean; adresse: string | null };
  reference: string;
  titre: string;
  decision: 'accepte' | 'refuse';
  /** Paris day of the decision, AAAA-MM-JJ. */
  decideLe: string;
  motif: string | null;
  /** One per campaign funder the file asked: what was asked and what is granted. */
  financeurs: { nom: string; serviceInstructeur: string; demande: number; accorde: number }[];
};

export function lettreDecision(d: DonneesLettre): DocumentRapport {
  const accepte = d.decision === 'accepte';
  const total = d.financeurs.reduce((s, f) => s + f.accorde, 0);
  const montants: Table = {
    caption: 'Montants par financeur',
    columns: [
      { key: 'financeur', label: 'Financeur', type: 'text' },
      { key: 'demande', label: 'Montant demandé', type: 'text' },
      { key: 'accorde', label: 'Montant accordé', type: 'text' },
    ],
    rows: [
      ...d.financeurs.map((f) => ({ financeur: f.nom, demande: euros(f.demande), accorde: euros(f.accorde) })),
      { financeur: 'Total', demande: euros(d.financeurs.reduce((s, f) => s + f.demande, 0)), accorde: euros(total) },
    ],
  };
  const services = [...new Set(d.financeurs.map((f) => (f.serviceInstructeur ? `${f.nom} : ${f.serviceInstructeur}` : f.nom)))];
  const association = mentionFictive(d.association) ? `${d.association.nom} (association fictive de démonstration)` : d.association.nom;
  return {
    titre: `Décision du comité de programmation — dossier ${d.reference}`,
    sousTitre: `${d.campagne.titre} (${d.campagne.annee})`,
    auteur: `Direction de projet — ${d.contrat}`,
    date: d.decideLe,
    langue: 'fr-FR',
    sections: [
      {
        titre: 'Destinataire',
        blocks: [{ kind: 'keyValue', pairs: [{ label: 'Association', value: association }, { label: 'Adresse', value: d.association.adresse ?? 'Non renseignée' }] }],
      },
      {
        titre: 'Décision',
        blocks: [
          {
            kind: 'keyValue',
            pairs: [
              { label: 'Dossier', value: d.reference },
              { label: 'Projet', value: d.titre },
              { label: 'Décision', value: accepte ? 'Accepté' : 'Refusé' },
              { label: 'Date de la décision', value: d.decideLe.split('-').reverse().join('/') },
            ],
          },
          {
            kind: 'paragraph',
            text: accepte
              ? `Le comité de programmation a retenu votre projet « ${d.titre} ». Une subvention de ${euros(total)} au total vous est accordée, répartie entre les financeurs ci-dessous.`
              : `Le comité de programmation n’a pas retenu votre projet « ${d.titre} ».`,
            emphasis: 'strong',
          },
          ...(!accepte && d.motif ? [{ kind: 'paragraph' as const, text: `Motif : ${d.motif}` }] : []),
          ...(accepte && d.motif ? [{ kind: 'paragraph' as const, text: `Observation du comité : ${d.motif}` }] : []),
          { kind: 'table', table: montants },
        ],
      },
      {
        titre: 'Services instructeurs',
        blocks: [
          { kind: 'paragraph', text: 'Pour toute question sur cette décision, adressez-vous aux services qui ont instruit votre dossier :' },
          { kind: 'list', items: services },
        ],
      },
    ],
  };
}

export function lettreDecisionEnPdf(d: DonneesLettre, options: PdfOptions = {}): Promise<Buffer> {
  return rapportEnPdf(lettreDecision(d), options);
}
