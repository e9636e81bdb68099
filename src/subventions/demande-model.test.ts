import { describe, expect, it } from 'vitest';
import { budgetDossier, ceQuiManque, decalerAnnees, dupliquer, equilibreDossier, type ContenuDossier, type SituationDepot } from './demande-model.ts';
import { lireDemande, saisieDe, montantSaisi } from './demande-form.ts';

// What stops a request from being submitted, item by item; the budget with its co-funders' lines; last
// year's request carried over to a new campaign; the form read field by field.

const JOUR = '2026-11-22';
const SIRET_VALIDE = '73282932000074';

function complet(): SituationDepot {
  return {
    dossier: {
      titre: 'Ateliers numériques',
      objectifs: 'Réduire la fracture numérique',
      description: 'Deux ateliers par semaine',
      dateDebut: '2027-01-05',
      dateFin: '2027-12-15',
      lieux: 'Centre social de la Goutte d’Or',
      public: { nombre: 120, ages: '16-25 ans', femmes: 60, hommes: 60, partQpv: 80, description: 'Jeunes du quartier' },
      territoireIds: ['qpv-a'],
      noeudRefs: ['1.1/P1'],
      thematique: 'Numérique',
      charges: [
        { compte: '60', libelle: 'Achats', montantCentimes: 300_000 },
        { compte: '64', libelle: 'Charges de personnel', montantCentimes: 700_000 },
        { compte: '864', libelle: 'Personnel bénévole', montantCentimes: 50_000 },
      ],
      autresProduits: [
        { compte: '70', libelle: 'Ventes', montantCentimes: 100_000 },
        { compte: '870', libelle: 'Bénévolat', montantCentimes: 50_000 },
      ],
    },
    financements: [
      { financeurId: 'etat', libelle: 'État', demandeCentimes: 500_000 },
      { financeurId: null, libelle: 'Fondation', demandeCentimes: 400_000 },
    ],
    campagne: { territoireIds: ['qpv-a', 'qpv-b'], prioriteRefs: ['1.1/P1', '2.1/P3'], thematiques: ['Numérique', 'Emploi'] },
    financeurIds: ['etat', 'ville'],
    structure: { siret: SIRET_VALIDE },
    documents: ['statuts', 'rib', 'comptes', 'rapport_activite'].map((type) => ({ type, valideDu: '2026-01-01', valideJusquAu: null, retireLe: null })),
    aujourdhui: JOUR,
  };
}

const champs = (s: SituationDepot) => ceQuiManque(s).map((m) => m.champ);
const avecDossier = (p: Partial<ContenuDossier>): SituationDepot => {
  const s = complet();
  return { ...s, dossier: { ...s.dossier, ...p } };
};
const avecPublic = (p: Partial<ContenuDossier['public']>): SituationDepot => avecDossier({ public: { ...complet().dossier.public, ...p } });

describe('ceQuiManque', () => {
  it('finds nothing missing in a complete request', () => {
    expect(ceQuiManque(complet())).toEqual([]);
  });

  const cas: [string, SituationDepot, string, RegExp][] = [
    ['titre', avecDossier({ titre: '  ' }), '#champ-titre', /titre/],
    ['objectifs', avecDossier({ objectifs: '' }), '#champ-objectifs', /objectifs/],
    ['description', avecDossier({ description: '' }), '#champ-description', /Décrivez le projet/],
    ['dateDebut', avecDossier({ dateDebut: null }), '#champ-dateDebut', /date de début/],
    ['dateFin', avecDossier({ dateFin: null }), '#champ-dateFin', /date de fin/],
    ['dateFin', avecDossier({ dateFin: '2026-12-31' }), '#champ-dateFin', /doit suivre sa date de début/],
    ['lieux', avecDossier({ lieux: '' }), '#champ-lieux', /lieux/],
    ['publicNombre', avecPublic({ nombre: null }), '#champ-publicNombre', /nombre de personnes/],
    ['publicNombre', avecPublic({ nombre: 0 }), '#champ-publicNombre', /nombre de personnes/],
    ['publicAges', avecPublic({ ages: '' }), '#champ-publicAges', /tranches d’âge/],
    ['publicPartQpv', avecPublic({ partQpv: null }), '#champ-publicPartQpv', /part du public/],
    ['publicDescription', avecPublic({ description: '' }), '#champ-publicDescription', /Décrivez le public/],
    ['territoires', avecDossier({ territoireIds: [] }), '#section-quartiers', /au moins un quartier prioritaire/],
    ['territoires', avecDossier({ territoireIds: ['qpv-hors-appel'] }), '#section-quartiers', /au moins un quartier prioritaire/],
    ['noeuds', avecDossier({ noeudRefs: ['9.9/P9'] }), '#section-objectifs', /au moins un objectif du contrat/],
    ['thematique', avecDossier({ thematique: null }), '#champ-thematique', /thématique/],
    ['thematique', avecDossier({ thematique: 'Culture' }), '#champ-thematique', /thématique/],
  ];
  for (const [champ, situation, lien, message] of cas) {
    it(`names « ${champ} » with a link to ${lien}, and only it`, () => {
      const m = ceQuiManque(situation);
      expect(m).toHaveLength(1);
      expect(m[0]).toMatchObject({ champ, lien });
      expect(m[0]!.message).toMatch(message);
    });
  }

  it('needs no thématique when the campaign has none', () => {
    const s = avecDossier({ thematique: null });
    expect(champs({ ...s, campagne: { ...s.campagne, thematiques: [] } })).toEqual([]);
  });

  it('asks for a balanced budget, with the gap, counting the co-funders’ lines as produits', () => {
    const s = complet();
    const moins = { ...s, financements: [{ financeurId: 'etat', libelle: 'État', demandeCentimes: 400_000 }, s.financements[1]!] };
    const m = ceQuiManque(moins);
    expect(m.map((x) => x.champ)).toEqual(['budget']);
    expect(m[0]!.lien).toBe('#section-budget');
    expect(m[0]!.message).toBe('Le budget n’est pas équilibré : les charges font 10\u00a0000,00\u00a0€, les produits 9\u00a0000,00\u00a0€ (écart de 1\u00a0000,00\u00a0€).');
    // Fixing the gap with another co-funder makes the item disappear.
    expect(champs({ ...moins, financements: [...moins.financements, { financeurId: null, libelle: 'Région', demandeCentimes: 100_000 }] })).toEqual([]);
  });

  it('asks that voluntary contributions balance apart', () => {
    const s = avecDossier({ autresProduits: [{ compte: '70', libelle: 'Ventes', montantCentimes: 100_000 }] });
    const m = ceQuiManque(s);
    expect(m.map((x) => x.champ)).toEqual(['budget']);
    expect(m[0]!.message).toMatch(/contributions volontaires ne s’équilibrent pas/);
  });

  it('refuses an empty budget even though it balances', () => {
    const m = ceQuiManque({ ...avecDossier({ charges: [], autresProduits: [] }), financements: [{ financeurId: 'etat', libelle: 'État', demandeCentimes: 0 }] });
    expect(m.map((x) => x.champ)).toEqual(['budget', 'financeurs']);
    expect(m[0]!.message).toMatch(/aucune charge/);
  });

  it('asks for an amount asked of a funder of the campaign, not another co-funder only', () => {
    const s = complet();
    const sansAppel = { ...s, financements: [{ financeurId: null, libelle: 'Fondation', demandeCentimes: 900_000 }] };
    expect(champs(sansAppel)).toEqual(['financeurs']);
    expect(ceQuiManque(sansAppel)[0]!.lien).toBe('#section-subventions');
    const autreCampagne = { ...s, financements: [{ financeurId: 'financeur-d-un-autre-appel', libelle: 'État', demandeCentimes: 500_000 }, s.financements[1]!] };
    expect(champs(autreCampagne)).toEqual(['financeurs']);
  });

  it('sends to the association’s profile when it is missing or its SIRET is wrong', () => {
    expect(ceQuiManque({ ...complet(), structure: undefined })).toEqual([{ champ: 'structure', lien: '/structure', message: expect.stringMatching(/profil/) }]);
    const faux = ceQuiManque({ ...complet(), structure: { siret: '73282932000075' } });
    expect(faux).toEqual([{ champ: 'structure', lien: '/structure', message: expect.stringMatching(/SIRET.*clé de contrôle/) }]);
  });

  it('names each required document missing, withdrawn or expired today', () => {
    const s = complet();
    const docs = [
      { type: 'statuts', valideDu: '2026-01-01', valideJusquAu: null, retireLe: null },
      { type: 'rib', valideDu: '2026-01-01', valideJusquAu: null, retireLe: new Date('2026-06-01') },
      { type: 'comptes', valideDu: '2025-01-01', valideJusquAu: '2026-06-30', retireLe: null },
    ];
    const m = ceQuiManque({ ...s, documents: docs });
    expect(m.map((x) => x.champ)).toEqual(['document-rib', 'document-comptes', 'document-rapport_activite']);
    expect(m.every((x) => x.lien === '/structure/documents')).toBe(true);
    expect(m[0]!.message).toMatch(/RIB/);
  });

  it('lists everything for an empty draft, in the order of the form then the profile', () => {
    const s = complet();
    const vide: SituationDepot = {
      ...s,
      dossier: {
        titre: 'Brouillon',
        objectifs: '',
        description: '',
        dateDebut: null,
        dateFin: null,
        lieux: '',
        public: { nombre: null, ages: '', femmes: null, hommes: null, partQpv: null, description: '' },
        territoireIds: [],
        noeudRefs: [],
        thematique: null,
        charges: [],
        autresProduits: [],
      },
      financements: [],
      structure: null,
      documents: [],
    };
    expect(champs(vide)).toEqual([
      'objectifs',
      'description',
      'dateDebut',
      'dateFin',
      'lieux',
      'publicNombre',
      'publicAges',
      'publicPartQpv',
      'publicDescription',
      'territoires',
      'noeuds',
      'thematique',
      'budget',
      'financeurs',
      'structure',
      'document-statuts',
      'document-rib',
      'document-comptes',
      'document-rapport_activite',
    ]);
  });
});

describe('budgetDossier', () => {
  it('adds one produits line of account 74 per co-funder asked', () => {
    const s = complet();
    const b = budgetDossier(s.dossier, s.financements);
    expect(b.produits.filter((l) => l.compte === '74')).toEqual([
      { compte: '74', libelle: 'État', montantCentimes: 500_000 },
      { compte: '74', libelle: 'Fondation', montantCentimes: 400_000 },
    ]);
    const e = equilibreDossier(s.dossier, s.financements);
    expect(e).toMatchObject({ charges: 1_000_000, produits: 1_000_000, ecart: 0, contributionsCharges: 50_000, contributionsProduits: 50_000, equilibre: true });
  });
});

describe('dupliquer', () => {
  const cible = {
    annee: 2027,
    territoireIds: ['qpv-a'],
    prioriteRefs: ['1.1/P1'],
    thematiques: ['Emploi'],
    financeurs: [
      { id: 'etat-2027', code: 'etat-147', nom: 'État (programme 147)' },
      { id: 'ville-2027', code: 'ville', nom: 'Ville de Paris' },
    ],
  };
  const noms = { territoires: { 'qpv-b': 'Porte Montmartre (QP075006)' }, noeuds: { '2.1/P3': '« Priorité 3 — Emploi »' } };
  const source = () => {
    const s = complet().dossier;
    return {
      annee: 2026,
      contenu: { ...s, territoireIds: ['qpv-a', 'qpv-b'], noeudRefs: ['1.1/P1', '2.1/P3'], dateDebut: '2026-01-05', dateFin: '2026-12-15' },
      financements: [
        { financeurId: 'etat-2026', financeurCode: 'etat-147', libelle: 'État', demandeCentimes: 500_000 },
        { financeurId: 'region-2026', financeurCode: 'region', libelle: 'Région Île-de-France', demandeCentimes: 100_000 },
        { financeurId: null, financeurCode: null, libelle: 'Fondation', demandeCentimes: 400_000 },
      ],
    };
  };

  it('keeps what the new campaign has and names what it leaves out', () => {
    const d = dupliquer(source(), cible, noms);
    expect(d.contenu.territoireIds).toEqual(['qpv-a']);
    expect(d.contenu.noeudRefs).toEqual(['1.1/P1']);
    expect(d.contenu.thematique).toBeNull();
    expect(d.financements).toEqual([
      { financeurId: 'etat-2027', libelle: 'État (programme 147)', demandeCentimes: 500_000 },
      { financeurId: null, libelle: 'Fondation', demandeCentimes: 400_000 },
    ]);
    expect(d.nonRepris).toEqual([
      'le quartier Porte Montmartre (QP075006), qui n’est pas dans l’appel 2027',
      'l’objectif « Priorité 3 — Emploi », qui n’est pas une priorité de l’appel 2027',
      'la thématique « Numérique », absente de l’appel 2027',
      'la demande de 1\u00a0000,00\u00a0€ à Région Île-de-France, qui ne finance pas l’appel 2027',
    ]);
  });

  it('keeps the project, its public and its budget, and moves its dates by the years between the campaigns', () => {
    const s = source();
    const d = dupliquer(s, cible, noms);
    expect(d.contenu).toMatchObject({ titre: s.contenu.titre, objectifs: s.contenu.objectifs, lieux: s.contenu.lieux, public: s.contenu.public, charges: s.contenu.charges, autresProduits: s.contenu.autresProduits });
    expect([d.contenu.dateDebut, d.contenu.dateFin]).toEqual(['2027-01-05', '2027-12-15']);
  });

  it('reports nothing when everything carries over', () => {
    const s = source();
    const tout = { ...cible, territoireIds: ['qpv-a', 'qpv-b'], prioriteRefs: ['1.1/P1', '2.1/P3'], thematiques: ['Numérique'], financeurs: [...cible.financeurs, { id: 'region-2027', code: 'region', nom: 'Région' }] };
    const d = dupliquer(s, tout, noms);
    expect(d.nonRepris).toEqual([]);
    expect(d.financements.map((f) => f.financeurId)).toEqual(['etat-2027', 'region-2027', null]);
  });

  it('moves 29 February to 28 February in a year without it', () => {
    expect(decalerAnnees('2024-02-29', 1)).toBe('2025-02-28');
    expect(decalerAnnees('2024-02-29', 4)).toBe('2028-02-29');
    expect(decalerAnnees(null, 1)).toBeNull();
  });
});

describe('lireDemande', () => {
  const ctx = { campagne: complet().campagne, financeurs: [{ id: 'etat', nom: 'État' }] };
  const actuel = { contenu: complet().dossier, financements: complet().financements };

  it('reads French amounts and gives back the form as stored', () => {
    const saisie = saisieDe(actuel.contenu, actuel.financements, ctx);
    expect(saisie.valeurs.charge60).toBe('3 000,00');
    expect(saisie.valeurs['financeur-etat']).toBe('5 000,00');
    expect(saisie.valeurs.autre1Libelle).toBe('Fondation');
    const lu = lireDemande({ ...saisie.valeurs, version: '3', territoires: saisie.territoires, noeuds: saisie.noeuds, charge60: '12 500,50' }, ctx, actuel);
    expect(lu.erreurs).toEqual({});
    expect(lu.version).toBe(3);
    expect(lu.contenu.charges.find((l) => l.compte === '60')!.montantCentimes).toBe(1_250_050);
    expect(lu.contenu.public).toEqual(actuel.contenu.public);
    expect(lu.financements).toEqual(actuel.financements);
    expect(montantSaisi(1_250_050)).toBe('12 500,50');
  });

  it('keeps the stored value of a field that does not parse, and the raw text for redisplay', () => {
    const saisie = saisieDe(actuel.contenu, actuel.financements, ctx);
    const lu = lireDemande(
      { ...saisie.valeurs, version: '3', territoires: ['qpv-a'], noeuds: '1.1/P1', charge60: '12 500,5O', publicPartQpv: '140', dateFin: '2026-01-01', titre: 'Nouveau titre' },
      ctx,
      actuel,
    );
    expect(Object.keys(lu.erreurs).sort()).toEqual(['charge60', 'dateFin', 'publicPartQpv']);
    expect(lu.saisie.valeurs.charge60).toBe('12 500,5O');
    expect(lu.contenu.charges.find((l) => l.compte === '60')!.montantCentimes).toBe(300_000);
    expect(lu.contenu.public.partQpv).toBe(80);
    expect(lu.contenu.dateFin).toBe('2027-12-15');
    expect(lu.contenu.titre).toBe('Nouveau titre');
  });

  it('refuses quartiers and objectives outside the campaign, and a co-funder without its amount', () => {
    const lu = lireDemande({ titre: 'T', version: '1', territoires: ['ailleurs'], noeuds: ['9/P9'], autre1Libelle: 'Fondation' }, ctx, actuel);
    expect(lu.erreurs.territoires).toMatch(/quartiers de la liste/);
    expect(lu.erreurs.noeuds).toMatch(/objectifs de la liste/);
    expect(lu.erreurs.autre1Montant).toMatch(/montant/);
    expect(lu.contenu.territoireIds).toEqual(actuel.contenu.territoireIds);
  });
});
