import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  axeDe, filtrerLignes, mentionFictive, STATUTS_COMITE, totauxComite, validerDecisions,
  type DossierADecider, type FinanceurComite, type LigneComite, type MontantsFinanceur, type Totaux,
} from './comite-model.ts';
import { centimes } from './model.ts';

const ETAT: FinanceurComite = { id: 'etat', nom: 'État (programme 147)', enveloppeCentimes: 100_000_00 };
const VILLE: FinanceurComite = { id: 'ville', nom: 'Ville de Paris', enveloppeCentimes: 50_000_00 };

function ligne(over: Partial<LigneComite> & { id: string }): LigneComite {
  return {
    numero: 1,
    reference: `2026-${over.id}`,
    titre: 'Projet',
    statut: 'propose',
    version: 1,
    association: { id: 'a', nom: 'Association', fictive: false },
    territoireIds: [],
    axe: null,
    thematique: null,
    montants: {},
    ...over,
  };
}

const m = (demande: number, propose: number | null = null, accorde: number | null = null): MontantsFinanceur => ({ financementId: `f-${demande}-${propose}`, demande, propose, accorde });

describe('the axe of a file', () => {
  it('is the first segment of the first contract item it serves', () => {
    expect(axeDe(['1.2.3/P1', '2.1.1'])).toBe('1');
    expect(axeDe(['3.1.2/P2/OO1'])).toBe('3');
    expect(axeDe(['2'])).toBe('2');
    expect(axeDe([])).toBeNull();
  });
});

describe('the « fictive » mention', () => {
  it('marks a fictitious association once, not when its name already says so', () => {
    expect(mentionFictive({ nom: 'Élan Solidaire', fictive: true })).toBe(true);
    expect(mentionFictive({ nom: 'Jardins Partagés de Stalingrad (fictive)', fictive: true })).toBe(false);
    expect(mentionFictive({ nom: 'Les Ateliers du Nord', fictive: false })).toBe(false);
  });
});

describe('the committee table’s filters', () => {
  const lignes = [
    ligne({ id: '1', statut: 'propose', titre: 'Réussite éducative', territoireIds: ['q1'], axe: '1', thematique: 'Éducation', montants: { etat: m(1000) } }),
    ligne({ id: '2', statut: 'accepte', titre: 'Jardin partagé', territoireIds: ['q1', 'q2'], axe: '2', thematique: 'Cadre de vie', montants: { ville: m(500) } }),
    ligne({ id: '3', statut: 'en_instruction', titre: 'Emploi', association: { id: 'b', nom: 'Élan Solidaire', fictive: true }, montants: { etat: m(10), ville: m(20) } }),
  ];
  const ids = (f: Parameters<typeof filtrerLignes>[1]) => filtrerLignes(lignes, f).map((l) => l.id);

  it('keeps the chosen states only', () => {
    expect(ids({ statuts: ['propose'] })).toEqual(['1']);
    expect(ids({ statuts: STATUTS_COMITE })).toEqual(['1', '2', '3']);
  });

  it('narrows by funder asked, QPV, axe, thématique and text (accents and case ignored)', () => {
    const tous = { statuts: STATUTS_COMITE };
    expect(ids({ ...tous, financeur: 'ville' })).toEqual(['2', '3']);
    expect(ids({ ...tous, qpv: 'q2' })).toEqual(['2']);
    expect(ids({ ...tous, axe: '1' })).toEqual(['1']);
    expect(ids({ ...tous, thematique: 'Cadre de vie' })).toEqual(['2']);
    expect(ids({ ...tous, texte: 'REUSSITE' })).toEqual(['1']);
    expect(ids({ ...tous, texte: 'elan' })).toEqual(['3']);
    expect(ids({ ...tous, texte: '2026-2' })).toEqual(['2']);
  });
});

describe('the committee’s totals', () => {
  it('counts a file acting in several QPV in each QPV’s total, and once in each funder’s', () => {
    const l = ligne({ id: '1', territoireIds: ['q1', 'q2'], montants: { etat: m(1000_00, 800_00), ville: m(200_00, 100_00) } });
    const t = totauxComite([l], [l], [ETAT, VILLE]);
    expect(t.parQpv.get('q1')).toEqual({ dossiers: 1, demande: 1200_00, propose: 900_00, accorde: 0 });
    expect(t.parQpv.get('q2')).toEqual({ dossiers: 1, demande: 1200_00, propose: 900_00, accorde: 0 });
    expect(t.parFinanceur.map((f) => [f.financeur.id, f.dossiers, f.demande])).toEqual([['etat', 1, 1000_00], ['ville', 1, 200_00]]);
    expect(t.general).toEqual({ dossiers: 1, demande: 1200_00, propose: 900_00, accorde: 0 });
  });

  it('weighs each envelope against what the whole campaign granted, and warns beyond it', () => {
    const accepte = ligne({ id: '1', statut: 'accepte', montants: { etat: m(90_000_00, 90_000_00, 90_000_00), ville: m(10_000_00, 10_000_00, 10_000_00) } });
    const propose = ligne({ id: '2', statut: 'propose', montants: { etat: m(20_000_00, 15_000_00) } });
    const refuse = ligne({ id: '3', statut: 'refuse', montants: { ville: m(5_000_00, 5_000_00, 0) } });
    const campagne = [accepte, propose, refuse];
    // Only the proposed file is shown: the envelope still counts the accepted one.
    const [etat, ville] = totauxComite([propose], campagne, [ETAT, VILLE]).parFinanceur;
    expect(etat).toMatchObject({ dossiers: 1, accorde: 0, accordeCampagne: 90_000_00, reste: 10_000_00, proposeEnAttente: 15_000_00, depassement: 0, depassementSiPropositions: 5_000_00 });
    expect(ville).toMatchObject({ dossiers: 0, accordeCampagne: 10_000_00, reste: 40_000_00, depassement: 0, depassementSiPropositions: 0 });

    const trop = ligne({ id: '4', statut: 'accepte', montants: { ville: m(60_000_00, 60_000_00, 60_000_00) } });
    const [, villeDepassee] = totauxComite([], [...campagne, trop], [ETAT, VILLE]).parFinanceur;
    expect(villeDepassee).toMatchObject({ accordeCampagne: 70_000_00, reste: -20_000_00, depassement: 20_000_00 });
  });

  const arbLigne = fc.record({
    id: fc.uuid(),
    statut: fc.constantFrom(...STATUTS_COMITE),
    territoireIds: fc.uniqueArray(fc.constantFrom('q1', 'q2', 'q3'), { maxLength: 3 }),
    axe: fc.option(fc.constantFrom('1', '2', '3'), { nil: null }),
    thematique: fc.option(fc.constantFrom('Éducation', 'Emploi'), { nil: null }),
    montants: fc.dictionary(
      fc.constantFrom('etat', 'ville', 'region'),
      fc.record({ financementId: fc.uuid(), demande: fc.nat(10_000_000), propose: fc.option(fc.nat(10_000_000), { nil: null }), accorde: fc.option(fc.nat(10_000_000), { nil: null }) }),
      { noNullPrototype: true },
    ),
  });

  /** The same totals, added up the long way: for each group, every row and every campaign funder. */
  function naif(lignes: LigneComite[], financeurs: string[], dans: (l: LigneComite) => boolean): Totaux {
    const t = { dossiers: 0, demande: 0, propose: 0, accorde: 0 };
    for (const l of lignes.filter(dans)) {
      t.dossiers++;
      for (const f of financeurs) {
        t.demande += l.montants[f]?.demande ?? 0;
        t.propose += l.montants[f]?.propose ?? 0;
        t.accorde += l.montants[f]?.accorde ?? 0;
      }
    }
    return t;
  }

  it('equal a naive recomputation, per funder, QPV, axe and thématique', () => {
    fc.assert(
      fc.property(fc.array(arbLigne, { maxLength: 30 }), fc.nat(60_000_000), fc.nat(60_000_000), (brutes, envEtat, envVille) => {
        const campagne = brutes.map((b) => ligne(b));
        const affichees = campagne.filter((_, i) => i % 2 === 0);
        // 'region' is not a campaign funder here: its lines never count.
        const financeurs = [{ ...ETAT, enveloppeCentimes: envEtat }, { ...VILLE, enveloppeCentimes: envVille }];
        const ids = ['etat', 'ville'];
        const t = totauxComite(affichees, campagne, financeurs);
        expect(t.general).toEqual(naif(affichees, ids, () => true));
        for (const q of ['q1', 'q2', 'q3']) {
          const attendu = naif(affichees, ids, (l) => l.territoireIds.includes(q));
          expect(t.parQpv.get(q) ?? { dossiers: 0, demande: 0, propose: 0, accorde: 0 }).toEqual(attendu);
        }
        const sansQpv = naif(affichees, ids, (l) => l.territoireIds.length === 0);
        expect(t.parQpv.get('') ?? { dossiers: 0, demande: 0, propose: 0, accorde: 0 }).toEqual(sansQpv);
        for (const a of ['1', '2', '3', '']) {
          expect(t.parAxe.get(a) ?? { dossiers: 0, demande: 0, propose: 0, accorde: 0 }).toEqual(naif(affichees, ids, (l) => (l.axe ?? '') === a));
        }
        const sommeThematiques = [...t.parThematique.values()].reduce((s, x) => s + x.demande, 0);
        expect(sommeThematiques).toBe(t.general.demande);
        for (const f of t.parFinanceur) {
          expect({ dossiers: f.dossiers, demande: f.demande, propose: f.propose, accorde: f.accorde }).toEqual(naif(affichees, [f.financeur.id], (l) => f.financeur.id in l.montants));
          const accorde = campagne.filter((l) => l.statut === 'accepte').reduce((s, l) => s + (l.montants[f.financeur.id]?.accorde ?? 0), 0);
          const enAttente = campagne.filter((l) => l.statut === 'propose').reduce((s, l) => s + (l.montants[f.financeur.id]?.propose ?? 0), 0);
          expect(f.accordeCampagne).toBe(accorde);
          expect(f.reste).toBe(f.enveloppe - accorde);
          expect(f.depassement > 0).toBe(accorde > f.enveloppe);
          expect(f.depassementSiPropositions).toBe(Math.max(0, accorde + enAttente - f.enveloppe));
        }
        // The funder totals count each file once: they add up to the general total.
        expect(t.parFinanceur.reduce((s, f) => s + f.demande, 0)).toBe(t.general.demande);
      }),
    );
  });
});

describe('a batch decision read from the committee’s form', () => {
  const d = (over: Partial<DossierADecider> & { id: string }): DossierADecider => ({
    reference: `2026-${over.id}`,
    statut: 'propose',
    version: 3,
    financements: [{ id: `${over.id}-etat`, financeur: 'État' }, { id: `${over.id}-ville`, financeur: 'Ville' }],
    ...over,
  });
  const versions = { a: '3', b: '3' };

  it('accepts with the amounts typed, in cents', () => {
    const v = validerDecisions([d({ id: 'a' })], { decision: 'accepter', motif: '', montants: { 'a-etat': '1 500,50', 'a-ville': '0' }, versions }, centimes);
    expect(v).toEqual({ ok: true, decisions: [{ dossierId: 'a', accordes: [{ financementId: 'a-etat', accorde: 150050 }, { financementId: 'a-ville', accorde: 0 }] }] });
  });

  it('refuses with every granted amount at 0, and only with a motif', () => {
    const sans = validerDecisions([d({ id: 'a' })], { decision: 'refuser', motif: ' ', montants: {}, versions }, centimes);
    expect(sans.ok ? null : Object.keys(sans.erreurs)).toEqual(['motif']);
    const avec = validerDecisions([d({ id: 'a' })], { decision: 'refuser', motif: 'Hors priorités', montants: { 'a-etat': '900' }, versions }, centimes);
    expect(avec.ok && avec.decisions[0]!.accordes.map((a) => a.accorde)).toEqual([0, 0]);
  });

  it('says which file and which amount are wrong, for all of them at once', () => {
    const v = validerDecisions(
      [d({ id: 'a' }), d({ id: 'b', statut: 'accepte' }), d({ id: 'c', version: 4 })],
      { decision: 'accepter', motif: '', montants: { 'a-etat': '12,345', 'a-ville': '', 'c-etat': '1' }, versions: { ...versions, c: '3' } },
      centimes,
    );
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.erreurs['a-a-etat']).toContain('n’est pas un montant en euros');
    expect(v.erreurs['a-a-ville']).toContain('Indiquez le montant accordé par Ville au dossier 2026-a');
    expect(v.erreurs['d-b']).toContain('n’est plus proposé au comité');
    expect(v.erreurs['d-c']).toContain('a été modifié depuis l’affichage');
  });

  it('asks for a selection', () => {
    const v = validerDecisions([], { decision: 'accepter', motif: '', montants: {}, versions: {} }, centimes);
    expect(v.ok ? null : v.erreurs._).toBe('Sélectionnez au moins un dossier.');
  });
});
