import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { titreNoeud } from '../src/contrat/model.ts';
import { aujourdhuiParis } from '../src/subventions/acces.ts';
import { etatCampagne } from '../src/subventions/model.ts';
import { campagneAap, financeurAap } from '../src/subventions/schema.ts';
import { adresseDeTest, chargerAdresses, chargerContours } from '../test/geo-load.ts';
import { startHarness, type Harness } from './harness.ts';
import {
  accepterEnComite,
  corrigerEtDeposer,
  creerDemande,
  demanderComplement,
  deposerPieces,
  deposerSansEquilibre,
  donnerAvis,
  enveloppe,
  filtrerAcceptes,
  franchirEtape,
  inscrireAssociation,
  lireDecisionEtLettre,
  lireReponse,
  ouvrirDossierAInstruire,
  remplirDemande,
  repondreAuComplement,
  texte,
  type Association,
  type Demande,
} from './aap-steps.ts';

// The whole loop of the call for projects, in the browser and through the pages only, in the open
// demonstration campaign the default ships: an association of the Goutte d'Or signs up (a wrong SIRET
// first), deposits its documents, files a request whose budget does not balance (refused, nothing lost),
// fixes it and submits; the instructor of the 18th arrondissement gives each funder's opinion and asks
// for a correction; the association edits its request and answers; the instructor proposes the file;
// the direction accepts it in committee with the amounts it grants; the association reads the decision
// and downloads its letter.

let h: Harness;
let campagne: { annee: number; titre: string };
let financeurs: { etat: string; ville: string };
let demande: Demande;

const ASSOCIATION: Association = {
  prenom: 'Fatou',
  nom: 'Keita',
  email: 'fatou@parents-goutte-dor.fr',
  nomAssociation: 'Parents solidaires de la Goutte d’Or',
  siretFaux: '482 013 570 00081',
  siret: '482 013 570 00080',
  rna: 'W751998877',
  adresse: "36 rue de la Goutte d'Or, 75018 Paris",
  qpv: 'QP075012',
};
const PIECES = [
  { type: 'Statuts en vigueur, datés et signés', fichier: 'statuts.pdf' },
  { type: 'Relevé d’identité bancaire (RIB)', fichier: 'rib.pdf' },
  { type: 'Derniers comptes approuvés', fichier: 'comptes-2025.pdf' },
  { type: 'Dernier rapport d’activité approuvé', fichier: 'rapport-activite-2025.pdf' },
];
const TITRE = 'Accompagnement scolaire des familles';
const CHARGES_PERSONNEL = '64 — Charges de personnel';
const COMPLEMENT = 'Précisez le nombre de séances et joignez le devis de la salle.';
const NOUVEAUX_LIEUX = 'Centre social Accueil Goutte d’Or, 26 rue de Laghouat';
const REPONSE = 'Quarante séances ; la salle est désormais le centre social, gratuit pour nous.';

beforeAll(async () => {
  h = await startHarness();
  const { database, contrat, app } = h.testApp;
  const { db } = database;
  // The association's address is located in its quartier by the territoires module.
  await chargerContours(db, contrat.id, ['qpv']);
  await chargerAdresses(db, contrat.id, adresseDeTest);

  const demos = await db.select().from(campagneAap).where(and(eq(campagneAap.contratId, contrat.id), isNotNull(campagneAap.demonstration)));
  const ouverte = demos.find((c) => etatCampagne(c, aujourdhuiParis()) === 'ouverte');
  if (!ouverte) throw new Error('Le contrat par défaut n’a pas de campagne de démonstration ouverte');
  campagne = { annee: ouverte.annee, titre: ouverte.titre };
  const [etat, ville] = await db.select().from(financeurAap).where(eq(financeurAap.campagneId, ouverte.id)).orderBy(asc(financeurAap.ordre));
  financeurs = { etat: etat!.nom, ville: ville!.nom };
  const [priorite] = await app.ctx.services.contrat.noeuds(contrat.id, [ouverte.prioriteRefs[0]!]);
  const goutteDor = (await app.ctx.services.territoires.lister(contrat.id, 'qpv')).find((q) => q.code === 'QP075012' && q.geographie === '2015')!;
  demande = {
    quartier: `${goutteDor.nom} (${goutteDor.code})`,
    priorite: titreNoeud(priorite!),
    thematique: ouverte.thematiques[0]!,
    // Charges 11 000,50 €; produits 4 000 + 5 000 + 1 000 = 10 000 €: 1 000,50 € apart.
    montants: [
      ['60 — Achats', '3 000'],
      [CHARGES_PERSONNEL, '8 000,50'],
      [`Montant demandé à ${financeurs.etat}`, '4 000'],
      [`Montant demandé à ${financeurs.ville}`, '5 000'],
    ],
    autreCofinanceur: { nom: 'Fondation de France', montant: '1 000' },
  };

  await h.account('agent18@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: await h.territoireId('75118') });
  await h.account('direction@exemple.fr', 'direction_projet');
});
afterAll(() => h?.close());

it('an association applies, answers the instructors’ request for a correction, and reads the committee’s decision and its letter', async () => {
  const { annee } = campagne;

  // 1. The association signs up, deposits its documents, and files its request.
  const association = await h.journey();
  await inscrireAssociation(association, ASSOCIATION, annee);
  await deposerPieces(association, PIECES);
  const { id, reference } = await creerDemande(association, campagne.titre, TITRE);
  expect(reference).toMatch(new RegExp(`^${annee}-\\d{4}$`));
  await remplirDemande(association.page, demande, annee);
  await deposerSansEquilibre(association.page, demande, '1 000,50');
  await corrigerEtDeposer(association.page, [CHARGES_PERSONNEL, '7 000'], reference);
  await association.done();

  // 2. The instructor of the 18th arrondissement opens it, gives each funder's opinion, asks for a correction.
  const instructeur = await h.journey();
  const pi = instructeur.page;
  await instructeur.signIn('agent18@exemple.fr');
  await ouvrirDossierAInstruire(instructeur, annee, campagne.titre, TITRE, reference);
  await franchirEtape(pi, 'Commencer l’instruction', 'En instruction');
  await donnerAvis(pi, financeurs.etat, 'Favorable', '3 500', 'Action utile, public bien ciblé.');
  await donnerAvis(pi, financeurs.ville, 'Réservé', '4 000', 'Le coût de la salle paraît élevé.');
  await demanderComplement(pi, COMPLEMENT);

  // 3. The association reads the request, edits its file and answers.
  const reponse = await h.journey();
  await reponse.signIn(ASSOCIATION.email);
  await repondreAuComplement(reponse, id, COMPLEMENT, NOUVEAUX_LIEUX, REPONSE);
  // What the instruction team keeps for itself never reaches the association.
  const vu = await texte(reponse.page.getByRole('main'));
  for (const prive of ['Avis par financeur', 'Annotations privées', 'Action utile', '3 500,00']) expect(vu).not.toContain(prive);
  await reponse.done();

  // 4. The instructor finds the answer and proposes the file to the committee.
  await lireReponse(instructeur, id, REPONSE, NOUVEAUX_LIEUX);
  await franchirEtape(pi, 'Proposer au comité de programmation', 'Proposé au comité');
  await instructeur.done();

  // 5. The direction accepts it in committee, granting the State less than proposed; the envelopes take it in.
  const direction = await h.journey();
  const pd = direction.page;
  await direction.signIn('direction@exemple.fr');
  await direction.visit(`/appels-a-projets/${annee}/programmation`);
  await pd.getByRole('heading', { level: 1, name: `Comité de programmation ${annee}` }).waitFor();
  const ligne = () => pd.getByRole('table', { name: /^Dossiers de la campagne/ }).getByRole('row', { name: new RegExp(reference) });
  await expect(texte(ligne())).resolves.toContain(`${ASSOCIATION.nomAssociation} ${TITRE} Proposé au comité Goutte d'Or`);
  await expect(texte(ligne())).resolves.toContain('4 000,00 € 3 500,00 €');
  const avant = { etat: await enveloppe(pd, financeurs.etat), ville: await enveloppe(pd, financeurs.ville) };
  await accepterEnComite(pd, reference, [
    { financeur: financeurs.etat, montant: '3 000' },
    { financeur: financeurs.ville, montant: '4 000' },
  ]);
  const apres = { etat: await enveloppe(pd, financeurs.etat), ville: await enveloppe(pd, financeurs.ville) };
  expect(apres.etat).toEqual({ accordeCampagne: avant.etat.accordeCampagne + 3_000_00, reste: avant.etat.reste - 3_000_00, enAttente: avant.etat.enAttente - 3_500_00 });
  expect(apres.ville).toEqual({ accordeCampagne: avant.ville.accordeCampagne + 4_000_00, reste: avant.ville.reste - 4_000_00, enAttente: avant.ville.enAttente - 4_000_00 });
  await filtrerAcceptes(pd, reference);
  await expect(texte(ligne())).resolves.toContain('Accepté');
  await expect(texte(ligne())).resolves.toContain('4 000,00 € 3 500,00 € 3 000,00 €');
  await expect(texte(pd.getByRole('table', { name: /^Enveloppes par financeur/ }).getByRole('row', { name: new RegExp(`^${financeurs.etat}`) }))).resolves.toContain(`${financeurs.etat} 1 4 000,00 € 3 500,00 € 3 000,00 €`);
  await direction.done();

  // 6. The association sees the decision and downloads its letter.
  const decision = await h.journey();
  await decision.signIn(ASSOCIATION.email);
  await lireDecisionEtLettre(decision, id, reference, [`${financeurs.etat} : 3 000,00 €`, `${financeurs.ville} : 4 000,00 €`], '7 000,00 €');
  await decision.done();
  // Four people and every page they see checked by axe: far longer than a one-page journey.
}, 240_000);
