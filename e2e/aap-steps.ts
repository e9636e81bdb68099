import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { textesPdf } from '../test/pdf-texte.ts';
import { expectAccessible, expectFocused, TEST_PASSWORD, type Journey } from './harness.ts';

// The steps of the call for projects as people take them in the browser, for the journey of a file from
// the association's sign-up to its decision letter. Each step checks what the person relies on and the
// accessibility of every page it shows.

/** The text as a reader sees it, spaces (no-break ones included) collapsed. */
export const texte = async (l: Locator) => (await l.innerText()).replace(/\s+/gu, ' ').trim();
const champ = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const statut = (page: Page, message: string) => page.getByRole('status').filter({ hasText: message }).waitFor();
/** "1 250 000,00 €" → 125000000. */
const centimesDe = (s: string) => Math.round(Number(s.replace(/[^\d,]/g, '').replace(',', '.')) * 100);

/** A small but well-formed one-page PDF (catalog, page, font, content stream, cross-reference table). */
export function pdfMinimal(ligne: string): Buffer {
  const contenu = `BT /F1 12 Tf 72 770 Td (${ligne.replace(/[()\\]/g, '')}) Tj ET`;
  const objets = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(contenu, 'latin1')} >>\nstream\n${contenu}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const positions = objets.map((o, i) => {
    const position = Buffer.byteLength(pdf, 'latin1');
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return position;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objets.length + 1}\n0000000000 65535 f \n${positions.map((p) => `${String(p).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

// --- The association ---------------------------------------------------------------------------

export type Association = { prenom: string; nom: string; email: string; nomAssociation: string; siretFaux: string; siret: string; rna: string; adresse: string; qpv: string };

/**
 * From the open campaign's public page to the sign-up form: a wrong SIRET first (the summary takes the
 * focus, everything typed but the passwords is kept), then the right one; signed in, its profile says
 * its address lies in the quartier prioritaire.
 */
export async function inscrireAssociation(j: Journey, a: Association, annee: number): Promise<void> {
  const { page } = j;
  await j.visit(`/appels-a-projets/${annee}`);
  await page.getByRole('link', { name: 'Inscrire mon association' }).click();
  await page.getByRole('heading', { level: 1, name: 'Créer l’espace de votre association' }).waitFor();
  await expectAccessible(page);
  const saisie: [string, string][] = [
    ['Votre prénom', a.prenom],
    ['Votre nom', a.nom],
    ['Votre adresse électronique', a.email],
    ['Nom de l’association', a.nomAssociation],
    ['Numéro RNA', a.rna],
    ['Adresse du siège', a.adresse],
  ];
  for (const [label, valeur] of saisie) await champ(page, label).fill(valeur);
  await champ(page, 'SIRET du siège').fill(a.siretFaux);
  await champ(page, 'Mot de passe').fill(TEST_PASSWORD);
  await champ(page, 'Confirmation du mot de passe').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Créer l’espace de l’association' }).click();

  const resume = page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' });
  await expectFocused(resume);
  await expect(texte(resume)).resolves.toContain('SIRET du siège : Ce SIRET n’existe pas : sa clé de contrôle est fausse.');
  await expectAccessible(page);
  for (const [label, valeur] of saisie) await expect(champ(page, label).inputValue(), label).resolves.toBe(valeur);
  await expect(champ(page, 'SIRET du siège').inputValue()).resolves.toBe(a.siretFaux);

  await resume.getByRole('link', { name: /SIRET du siège/ }).click();
  await expectFocused(champ(page, 'SIRET du siège'));
  await champ(page, 'SIRET du siège').fill(a.siret);
  await champ(page, 'Mot de passe').fill(TEST_PASSWORD);
  await champ(page, 'Confirmation du mot de passe').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Créer l’espace de l’association' }).click();
  await page.getByRole('heading', { level: 1, name: 'Se connecter à Pilotis' }).waitFor();
  await statut(page, `L’espace de « ${a.nomAssociation} » est prêt.`);
  await expectAccessible(page);

  await champ(page, 'Adresse électronique').fill(a.email);
  await champ(page, 'Mot de passe').fill(TEST_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: a.nomAssociation }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/structure');
  await expectAccessible(page);
  await expect(texte(page.getByRole('region', { name: 'Situation' }))).resolves.toMatch(new RegExp(`Oui, l’adresse de l’association est dans le quartier prioritaire .+ \\(${a.qpv}\\)\\.`));
}

/** Deposits each required document as a tiny PDF; then none is missing. */
export async function deposerPieces(j: Journey, pieces: { type: string; fichier: string }[]): Promise<void> {
  const { page } = j;
  await page.getByRole('link', { name: 'Déposer les pièces' }).click();
  await page.getByRole('heading', { level: 1, name: 'Les pièces de l’association' }).waitFor();
  await expectAccessible(page);
  for (const p of pieces) {
    await champ(page, 'Type de document').selectOption({ label: p.type });
    await champ(page, 'Fichier').setInputFiles({ name: p.fichier, mimeType: 'application/pdf', buffer: pdfMinimal(p.type.normalize('NFD').replace(/[^\x20-\x7e]/g, '')) });
    await page.getByRole('button', { name: 'Déposer la pièce' }).click();
    await statut(page, `Pièce « ${p.fichier} » déposée.`);
    await expectAccessible(page);
  }
  await expect(texte(page.getByRole('main'))).resolves.toContain('Toutes les pièces demandées sont valables aujourd’hui.');
  for (const p of pieces) await expect(texte(page.getByRole('table', { name: /Pièces déposées/ }).getByRole('row', { name: new RegExp(p.fichier) }))).resolves.toContain('Valable');
}

/** « Mes dossiers » → the open campaign → a new request: its form, with its reference. */
export async function creerDemande(j: Journey, campagne: string, titre: string): Promise<{ id: string; reference: string }> {
  const { page } = j;
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes dossiers' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();
  await expectAccessible(page);
  const appel = page.getByRole('region', { name: new RegExp(`^${campagne.replace(/[()]/g, '\\$&')} — ouvert`) });
  await appel.getByLabel('Titre du projet', { exact: true }).fill(titre);
  await appel.getByRole('button', { name: 'Nouvelle demande' }).click();
  await page.waitForURL(/\/dossiers\/[0-9a-f-]{36}\/modifier$/);
  const h1 = await texte(page.getByRole('heading', { level: 1 }));
  await expectAccessible(page);
  const reference = /^Demande de subvention (\d{4}-\d{4})$/.exec(h1)?.[1];
  expect(reference, h1).toBeTruthy();
  return { id: page.url().split('/').at(-2)!, reference: reference! };
}

export type Demande = {
  quartier: string;
  priorite: string;
  thematique: string;
  /** Labels of the form's amount fields (charges, amounts asked) and what is typed in them. */
  montants: [string, string][];
  autreCofinanceur: { nom: string; montant: string };
};

/** The CERFA form filled in: project, public, quartier, objective, thématique, budget. */
export async function remplirDemande(page: Page, d: Demande, annee: number): Promise<void> {
  const textes: [string, string][] = [
    ['Objectifs du projet', 'Remettre les familles en lien avec l’école'],
    ['Description du projet', 'Des permanences deux soirs par semaine et des sorties'],
    ['Date de début', `${annee}-01-10`],
    ['Date de fin', `${annee}-12-10`],
    ['Lieux de réalisation', 'Salle paroissiale de la rue Léon'],
    ['Nombre de personnes', '80'],
    ['Tranches d’âge', '6-11 ans et leurs parents'],
    ['Nombre de femmes', '45'],
    ['Nombre d’hommes', '35'],
    ['Part habitant en quartier prioritaire (%)', '90'],
    ['Description du public', 'Familles de la Goutte d’Or'],
  ];
  for (const [label, valeur] of [...textes, ...d.montants]) await champ(page, label).fill(valeur);
  await page.getByLabel(d.quartier, { exact: true }).check();
  await page.getByLabel(d.priorite, { exact: true }).check();
  await champ(page, 'Thématique du projet').selectOption(d.thematique);
  await champ(page, 'Autre cofinanceur 1 : nom').fill(d.autreCofinanceur.nom);
  await champ(page, 'Autre cofinanceur 1 : montant demandé').fill(d.autreCofinanceur.montant);
}

/** Submitting an unbalanced budget: refused with the gap, focus on the summary, nothing typed lost. */
export async function deposerSansEquilibre(page: Page, d: Demande, ecart: string): Promise<void> {
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  const alerte = page.getByRole('alert').filter({ hasText: 'La demande n’a pas été déposée' });
  await expectFocused(alerte);
  await expectAccessible(page);
  await expect(texte(alerte)).resolves.toMatch(new RegExp(`Le budget n’est pas équilibré : .*\\(écart de ${ecart} €\\)\\.`));
  await expect(texte(page.getByRole('table', { name: /Totaux du budget prévisionnel/ }).getByRole('row', { name: /Écart/ }))).resolves.toContain(`${ecart} €`);
  for (const [label, valeur] of d.montants) await expect(champ(page, label).inputValue(), label).resolves.toBe(valeur);
  await expect(champ(page, 'Autre cofinanceur 1 : nom').inputValue()).resolves.toBe(d.autreCofinanceur.nom);
  await expect(champ(page, 'Lieux de réalisation').inputValue()).resolves.toBe('Salle paroissiale de la rue Léon');
  await expect(page.getByLabel(d.quartier, { exact: true }).isChecked()).resolves.toBe(true);
  await expect(page.getByLabel(d.priorite, { exact: true }).isChecked()).resolves.toBe(true);
  await expect(champ(page, 'Thématique du projet').inputValue()).resolves.toBe(d.thematique);
}

/** The budget balanced, the request submitted: the file's page says so. */
export async function corrigerEtDeposer(page: Page, correction: [string, string], reference: string): Promise<void> {
  await champ(page, correction[0]).fill(correction[1]);
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  await page.waitForURL(/\/dossiers\/[0-9a-f-]{36}$/);
  await statut(page, `Votre demande ${reference} est déposée.`);
  await expectAccessible(page);
  await expect(texte(page.getByRole('main'))).resolves.toContain('Statut Déposé');
}

/** The correction asked read on the file's page, the request edited, the answer sent with « Envoyer le complément ». */
export async function repondreAuComplement(j: Journey, dossierId: string, demandeDesInstructeurs: string, lieux: string, reponse: string): Promise<void> {
  const { page } = j;
  await j.visit(`/dossiers/${dossierId}`);
  const notice = () => page.getByRole('region', { name: 'L’équipe d’instruction vous demande un complément' });
  await expect(texte(notice())).resolves.toContain(demandeDesInstructeurs);
  await expect(texte(page.getByRole('main'))).resolves.toContain('Statut Complément demandé');

  await notice().getByRole('link', { name: 'Modifier la demande' }).click();
  await page.waitForURL(`**/dossiers/${dossierId}/modifier`);
  await expectAccessible(page);
  await champ(page, 'Lieux de réalisation').fill(lieux);
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await statut(page, 'Brouillon enregistré.');
  await expectAccessible(page);
  await expect(champ(page, 'Lieux de réalisation').inputValue()).resolves.toBe(lieux);

  await page.getByRole('navigation', { name: 'Fil d’Ariane' }).getByRole('link', { name: /^\d{4}-\d{4}$/ }).click();
  await page.waitForURL(`**/dossiers/${dossierId}`);
  await expectAccessible(page);
  await notice().getByLabel('Votre réponse').fill(reponse);
  await notice().getByRole('button', { name: 'Envoyer le complément' }).click();
  await statut(page, 'le dossier est maintenant « En instruction »');
  await expectAccessible(page);
  await expect(page.getByRole('region', { name: 'L’équipe d’instruction vous demande un complément' }).count()).resolves.toBe(0);
}

/** The decision on the file's page, then the letter downloaded: a PDF that gives each granted amount and the total. */
export async function lireDecisionEtLettre(j: Journey, dossierId: string, reference: string, accordes: string[], total: string): Promise<void> {
  const { page } = j;
  await j.visit(`/dossiers/${dossierId}`);
  await expect(texte(page.getByRole('main'))).resolves.toContain('Statut Accepté');
  const decision = page.getByRole('region', { name: 'Décision' });
  await expect(texte(decision)).resolves.toContain('Subvention accordée');
  for (const a of accordes) await expect(texte(decision)).resolves.toContain(a);

  const lien = decision.getByRole('link', { name: 'Lettre de décision (PDF)' });
  await expect(lien.getAttribute('href')).resolves.toBe(`/dossiers/${dossierId}/lettre.pdf`);
  const [reponse, telechargement] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/lettre.pdf')), page.waitForEvent('download'), lien.click()]);
  expect(reponse.status()).toBe(200);
  expect(reponse.headers()['content-type']).toBe('application/pdf');
  expect(telechargement.suggestedFilename()).toBe(`decision-${reference}.pdf`);
  const pdf = await readFile(await telechargement.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const lettre = textesPdf(pdf).join(' ').replace(/\s+/gu, ' ');
  expect(lettre).toContain(reference);
  expect(lettre).toContain('Accepté');
  for (const montant of [...accordes.map((a) => a.split(' : ').at(-1)!), total]) expect(lettre).toContain(montant);
}

// --- The instruction team ----------------------------------------------------------------------

/** The instructors' list of the campaign, narrowed to the file's title, then the file's page. */
export async function ouvrirDossierAInstruire(j: Journey, annee: number, titreCampagne: string, titre: string, reference: string): Promise<void> {
  const { page } = j;
  await j.visit(`/appels-a-projets/${annee}/dossiers`);
  await page.getByRole('heading', { level: 1, name: `Dossiers à instruire — ${titreCampagne}` }).waitFor();
  await champ(page, 'Texte').fill(titre);
  await page.getByRole('search', { name: 'Filtrer les dossiers' }).getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/texte=/);
  await expectAccessible(page);
  const ligne = page.getByRole('table', { name: /Dossiers à instruire/ }).getByRole('row', { name: new RegExp(reference) });
  await expect(texte(ligne)).resolves.toContain('Déposé');
  await ligne.getByRole('link', { name: reference }).click();
  await page.getByRole('heading', { level: 1, name: `Dossier ${reference} — ${titre}` }).waitFor();
  await expectAccessible(page);
}

/** Takes a step that needs no text, from the file's page. */
export async function franchirEtape(page: Page, bouton: string, statutAtteint: string): Promise<void> {
  await page.getByRole('region', { name: 'Étapes' }).getByRole('button', { name: bouton }).click();
  await statut(page, `le dossier est maintenant « ${statutAtteint} »`);
  await expectAccessible(page);
  await expect(texte(page.getByRole('main'))).resolves.toContain(`Statut ${statutAtteint}`);
}

/** One funder's opinion with the amount proposed to the committee. */
export async function donnerAvis(page: Page, financeur: string, avis: string, propose: string, commentaire: string): Promise<void> {
  const region = () => page.getByRole('region', { name: financeur, exact: true });
  await region().getByRole('radio', { name: avis, exact: true }).check();
  await region().getByLabel('Montant proposé, en euros (facultatif)').fill(propose);
  await region().getByLabel('Commentaire (facultatif)').fill(commentaire);
  await region().getByRole('button', { name: `Enregistrer l’avis pour ${financeur}` }).click();
  await statut(page, `Avis enregistré pour ${financeur}.`);
  await expectAccessible(page);
  await expect(texte(region())).resolves.toMatch(new RegExp(`Avis ${avis} Montant proposé ${propose},00 €`));
}

export async function demanderComplement(page: Page, message: string): Promise<void> {
  const etapes = page.getByRole('region', { name: 'Étapes' });
  await etapes.getByLabel('Message à l’association').fill(message);
  await etapes.getByRole('button', { name: 'Demander un complément' }).click();
  await statut(page, 'le dossier est maintenant « Complément demandé »');
  await expectAccessible(page);
}

/** The association's answer and its edit seen on the file's page. */
export async function lireReponse(j: Journey, dossierId: string, reponse: string, lieux: string): Promise<void> {
  const { page } = j;
  await j.visit(`/dossiers/${dossierId}`);
  await expect(texte(page.getByRole('main'))).resolves.toContain('Statut En instruction');
  await expect(texte(page.getByRole('region', { name: 'Échanges' }))).resolves.toContain(reponse);
  await expect(texte(page.getByRole('main'))).resolves.toContain(lieux);
  const historique = await texte(page.getByRole('table', { name: 'Historique du dossier' }));
  expect(historique).toMatch(/Envoyer le complément Complément demandé → En instruction/);
}

// --- The programming committee -----------------------------------------------------------------

export type LigneEnveloppe = { accordeCampagne: number; reste: number; enAttente: number };

/** A funder's row of the envelopes table: granted over the campaign, what remains, proposals awaiting. */
export async function enveloppe(page: Page, financeur: string): Promise<LigneEnveloppe> {
  const cellules = page.getByRole('table', { name: /^Enveloppes par financeur/ }).getByRole('row', { name: new RegExp(`^${financeur}`) }).getByRole('cell');
  const montant = async (i: number) => centimesDe(await texte(cellules.nth(i)));
  return { accordeCampagne: await montant(5), reste: await montant(6), enAttente: await montant(7) };
}

/** Selects the file in the committee table, sets the granted amounts, accepts it. */
export async function accepterEnComite(page: Page, reference: string, accordes: { financeur: string; montant: string }[]): Promise<void> {
  await page.getByLabel(`Sélectionner le dossier ${reference}`).check();
  for (const a of accordes) await page.getByLabel(`Montant accordé par ${a.financeur} au dossier ${reference}, en euros`).fill(a.montant);
  await page.getByRole('button', { name: 'Accepter la sélection' }).click();
  await statut(page, '1 dossier accepté.');
  await expectAccessible(page);
}

/** The accepted files matching a text, as the committee table shows them. */
export async function filtrerAcceptes(page: Page, recherche: string): Promise<void> {
  const filtres = page.getByRole('search', { name: 'Filtrer les dossiers' });
  await filtres.getByLabel('Proposé au comité', { exact: true }).uncheck();
  await filtres.getByLabel('Accepté', { exact: true }).check();
  await filtres.getByLabel('Référence, association ou titre').fill(recherche);
  await filtres.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/statut=accepte/);
  await expectAccessible(page);
}
