import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { decodeEntities, tags, textOf } from '../../test/html.ts';
import { TestClient } from '../../test/http-client.ts';
import { listOrganisations } from '../contrat/store.ts';
import { SYSTEM } from '../defaults.ts';
import { ficheParNumero, ouvrirCampagne, type CampagneRow } from './store.ts';

// The campaign's pages and API over HTTP, on the default contract (its published 2015 campaign) with a
// 2016 campaign in progress: who sees and fills in which sheet, and what a person typing gets back.

const PETITE_ENFANCE = 'CAF de Paris – Mission petite enfance';
const INSERTION = 'CAF de Paris – Mission insertion, accès aux droits, vacances';

/** The text of the page's <main>, tags dropped, spaces collapsed. */
function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return decodeEntities(main.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
}
/** The value of the form field of that name as the page shows it (text input, checked radio, textarea). */
function champ(html: string, name: string): string | undefined {
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (area) return decodeEntities(area[1]!);
  const inputs = tags(html).filter((t) => t.name === 'input' && t.attrs.name === name);
  const input = inputs.length > 1 ? inputs.find((t) => 'checked' in t.attrs) : inputs[0];
  return input?.attrs.value;
}
const cochee = (html: string, name: string) => tags(html).some((t) => t.name === 'input' && t.attrs.name === name && 'checked' in t.attrs);
/** The sheet numbers linked from a campaign page, in the order shown. */
const numeros = (html: string) => [...html.matchAll(/href="\/suivi\/\d+\/fiches\/(\d+)"/g)].map((m) => Number(m[1]));

describeEachDatabase('engagements: the campaign pages and API', (kind) => {
  let t: TestApp;
  let c2016: CampagneRow;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const orgs = new Map((await listOrganisations(t.database.db, t.contrat.id)).map((o) => [o.nom, o.id]));
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
    await accountWithRole(t, 'petite-enfance@exemple.fr', 'referent_partenaire', { kind: 'organisation', ref: orgs.get(PETITE_ENFANCE)! });
    await accountWithRole(t, 'insertion@exemple.fr', 'referent_partenaire', { kind: 'organisation', ref: orgs.get(INSERTION)! });
    await accountWithRole(t, 'asso@exemple.fr', 'association', { kind: 'organisation', ref: orgs.get(PETITE_ENFANCE)! });
    const r = await ouvrirCampagne(t.database.db, SYSTEM, t.contrat.id, 2016, '2099-12-31');
    if (!r.ok) throw new Error(r.message);
    c2016 = r.campagne;
  });
  afterAll(() => t?.close());

  async function as(email: string): Promise<TestClient> {
    const c = new TestClient(t.app);
    expect((await c.signIn(email, TEST_PASSWORD)).statusCode).toBe(302);
    return c;
  }
  const version = async (numero: number) => (await ficheParNumero(t.database.db, c2016.id, numero))!.version;

  it('shows the public the published 2015 bilan and its validated sheets, without the steps or who took them', async () => {
    const liste = await t.app.inject({ url: '/suivi' });
    expect(liste.statusCode).toBe(200);
    expect(textOf(liste.body, 'h1')).toBe('Les campagnes de suivi des engagements');
    expect(liste.body).toContain('href="/suivi/2015"');
    expect(liste.body).not.toContain('href="/suivi/2016"');
    expect(liste.body).not.toContain('Ouvrir une campagne');

    const campagne = await t.app.inject({ url: '/suivi/2015' });
    expect(campagne.statusCode).toBe(200);
    expect(numeros(campagne.body)).toHaveLength(61);
    expect(mainText(campagne.body)).toContain('déclaré 113% ; calculé par Pilotis 112,8 %');
    const alertes = await t.app.inject({ url: '/suivi/2015?alertes=oui&statut=validee' });
    expect(mainText(alertes.body)).toMatch(/\d+ fiches sur 61\./);

    const fiche = await t.app.inject({ url: '/suivi/2015/fiches/1' });
    expect(fiche.statusCode).toBe(200);
    const texte = mainText(fiche.body);
    expect(texte).toContain('Source Bilan 2015 (document 004), l. 2437-2490');
    expect(texte).toContain('Résultat identique à celui d’une autre fiche (fiches n° 2, 3).');
    expect(texte).toContain('112,8 % Formule : résultat ÷ cible');
    expect(texte).not.toContain('Historique');
    expect(fiche.body).not.toContain('<form method="post" action="/suivi/2015/fiches/1"');
  });

  it('keeps a campaign in progress from the public: pages send to sign-in, the API answers 401, a signed-in stranger gets 403', async () => {
    const page = await t.app.inject({ url: '/suivi/2016' });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/connexion?retour=%2Fsuivi%2F2016');
    expect((await t.app.inject({ url: '/suivi/2016/fiches/52' })).statusCode).toBe(302);
    const api = await t.app.inject({ url: '/api/v1/campagnes/2016/fiches' });
    expect(api.statusCode).toBe(401);
    expect(JSON.parse(api.body).campagnes).toBeUndefined();
    expect(JSON.parse((await t.app.inject({ url: '/api/v1/campagnes' })).body).campagnes.map((c: { annee: number }) => c.annee)).toEqual([2015]);
    const asso = await as('asso@exemple.fr');
    expect((await asso.get('/suivi/2016')).statusCode).toBe(403);
    expect((await asso.get('/suivi/2016/fiches/52')).statusCode).toBe(403);
  });

  it('shows a référent its organisation’s sheets only, and refuses it another organisation’s sheet, to read or to write', async () => {
    const c = await as('petite-enfance@exemple.fr');
    const campagne = await c.get('/suivi/2016');
    expect(campagne.statusCode).toBe(200);
    expect(numeros(campagne.body)).toEqual([51, 52]);
    const api = JSON.parse((await c.get('/api/v1/campagnes/2016/fiches')).body) as { fiches: { numero: number }[] };
    expect(api.fiches.map((f) => f.numero)).toEqual([51, 52]);

    const sienne = await c.get('/suivi/2016/fiches/52');
    expect(sienne.statusCode).toBe(200);
    expect(champ(sienne.body, 'version')).toBe('1');
    expect((await c.get('/suivi/2016/fiches/1')).statusCode).toBe(403);
    const post = await c.post('/suivi/2016/fiches/1', { version: '1', action: 'enregistrer', resultat_1: '20 %' });
    expect(post.statusCode).toBe(403);
    expect(await version(1)).toBe(1);
    // Nor may it take the direction's steps on its own sheet.
    expect((await c.post('/suivi/2016/fiches/52/decision', { etape: 'valider', version: '1', commentaire: '' })).statusCode).toBe(403);
  });

  it('refuses a result that is not a figure with a 400 page that keeps everything typed and writes nothing', async () => {
    const c = await as('petite-enfance@exemple.fr');
    await c.get('/suivi/2016/fiches/52');
    const res = await c.post('/suivi/2016/fiches/52', {
      version: '1',
      action: 'soumettre',
      resultat_1: 'Trois crèches ouvertes',
      dateResultat_1: '2016-12-31',
      provisoire_1: 'oui',
      perimetre_1: 'qpv',
      resultat_2: 'beaucoup',
      tauxDeclare_2: '120 %',
      analyse: 'Une analyse à garder.',
    });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body, 'title')).toMatch(/^Erreur — Fiche n° 52/);
    expect(textOf(res.body, 'h2')).toBe('Le formulaire contient une erreur');
    expect(mainText(res.body)).toContain('Mesure 2 (b) : Résultat : Le résultat doit être un chiffre, par exemple 18,5 % ou 2 500.');
    expect(tags(res.body).find((x) => x.name === 'input' && x.attrs.name === 'resultat_2')!.attrs['aria-invalid']).toBe('true');
    for (const [name, value] of [
      ['resultat_1', 'Trois crèches ouvertes'],
      ['dateResultat_1', '2016-12-31'],
      ['perimetre_1', 'qpv'],
      ['resultat_2', 'beaucoup'],
      ['tauxDeclare_2', '120 %'],
      ['analyse', 'Une analyse à garder.'],
      ['version', '1'],
    ]) {
      expect(champ(res.body, name!), name).toBe(value);
    }
    expect(cochee(res.body, 'provisoire_1')).toBe(true);
    const stockee = (await ficheParNumero(t.database.db, c2016.id, 52))!;
    expect(stockee).toMatchObject({ version: 1, statut: 'a_remplir', analyse: null });
    expect(stockee.mesures.map((m) => m.resultat)).toEqual([null, null]);
  });

  it('saves, then answers a save from a stale version with a 409 page setting both versions side by side, the form keeping what was typed', async () => {
    const c = await as('insertion@exemple.fr');
    await c.get('/suivi/2016/fiches/59');
    const premier = await c.post('/suivi/2016/fiches/59', { version: '1', action: 'enregistrer', resultat_1: '900 accompagnements', analyse: 'Première analyse.' });
    expect(premier.statusCode).toBe(303);
    expect(premier.headers.location).toBe('/suivi/2016/fiches/59');
    const apres = await c.get('/suivi/2016/fiches/59');
    expect(mainText(apres.body)).toContain('Brouillon enregistré.');
    // 900 of the 1 000 accompaniments aimed at: 90 % by rule.
    expect(mainText(apres.body)).toContain('90 % Formule : résultat ÷ cible');
    expect(champ(apres.body, 'version')).toBe('2');

    // A colleague had the version 1 form open.
    const conflit = await c.post('/suivi/2016/fiches/59', { version: '1', action: 'enregistrer', resultat_1: '950 accompagnements', analyse: 'Autre analyse.' });
    expect(conflit.statusCode).toBe(409);
    const texte = mainText(conflit.body);
    expect(texte).toContain('Quelqu’un a modifié cette fiche pendant que vous la remplissiez');
    expect(texte).toContain('insertion@exemple.fr l’a enregistrée le');
    expect(texte).toMatch(/Résultat 900 accompagnements 950 accompagnements/);
    expect(texte).toContain('Analyse du taux Première analyse. Autre analyse.');
    expect(champ(conflit.body, 'resultat_1')).toBe('950 accompagnements');
    expect(champ(conflit.body, 'analyse')).toBe('Autre analyse.');
    expect(champ(conflit.body, 'version')).toBe('2');
    expect((await ficheParNumero(t.database.db, c2016.id, 59))!.mesures[0]!.resultat).toBe('900 accompagnements');

    // Merged, saved again from the version the conflict page carries.
    const fusion = await c.post('/suivi/2016/fiches/59', { version: '2', action: 'enregistrer', resultat_1: '950 accompagnements', analyse: 'Première analyse. Autre analyse.' });
    expect(fusion.statusCode).toBe(303);
    expect(await version(59)).toBe(3);
  });

  it('lets the direction send back a submitted sheet only with a comment, which the référent then reads above its form', async () => {
    const ref = await as('insertion@exemple.fr');
    await ref.get('/suivi/2016/fiches/59');
    expect((await ref.post('/suivi/2016/fiches/59', { version: String(await version(59)), action: 'soumettre', resultat_1: '950 accompagnements' })).statusCode).toBe(303);
    const soumise = await ref.get('/suivi/2016/fiches/59');
    expect(mainText(soumise.body)).toContain('Fiche soumise à la direction de projet.');
    expect(champ(soumise.body, 'resultat_1')).toBeUndefined();

    const dir = await as('direction@exemple.fr');
    const page = await dir.get('/suivi/2016/fiches/59');
    expect(mainText(page.body)).toContain('Décision de la direction de projet');
    const v = String(await version(59));
    const sans = await dir.post('/suivi/2016/fiches/59/decision', { etape: 'renvoyer', version: v, commentaire: '  ' });
    expect(sans.statusCode).toBe(400);
    expect(mainText(sans.body)).toContain('Commentaire pour le partenaire (obligatoire) : Un commentaire est obligatoire pour cette étape.');
    expect((await ficheParNumero(t.database.db, c2016.id, 59))!.statut).toBe('soumise');
    const avec = await dir.post('/suivi/2016/fiches/59/decision', { etape: 'renvoyer', version: v, commentaire: 'Précisez la date du chiffre.' });
    expect(avec.statusCode).toBe(303);

    const renvoyee = await ref.get('/suivi/2016/fiches/59');
    const texte = mainText(renvoyee.body);
    expect(texte).toContain('Commentaire de la direction de projet : Précisez la date du chiffre.');
    expect(texte).toContain('Renvoyée pour correction par direction@exemple.fr');
    expect(champ(renvoyee.body, 'resultat_1')).toBe('950 accompagnements');
  });

  it('closes entry at the deadline: no form, and a save sent meanwhile is refused with what was typed shown back', async () => {
    const dir = await as('direction@exemple.fr');
    await dir.get('/suivi/2016');
    const mauvaise = await dir.post('/suivi/2016/echeance', { echeance: '31/12/2016' });
    expect(mauvaise.statusCode).toBe(400);
    expect(champ(mauvaise.body, 'echeance')).toBe('31/12/2016');
    expect((await dir.post('/suivi/2016/echeance', { echeance: '2016-03-31' })).statusCode).toBe(303);

    const ref = await as('petite-enfance@exemple.fr');
    const page = await ref.get('/suivi/2016/fiches/51');
    expect(champ(page.body, 'resultat_1')).toBeUndefined();
    const refus = await ref.post('/suivi/2016/fiches/51', { version: '1', action: 'enregistrer', resultat_1: 'Deux relais ouverts' });
    expect(refus.statusCode).toBe(409);
    const texte = mainText(refus.body);
    expect(texte).toContain('Votre saisie n’a pas été enregistrée');
    expect(texte).toContain('La saisie est close : l’échéance de la campagne est passée.');
    expect(texte).toContain('(vide) Deux relais ouverts');
    await dir.get('/suivi/2016');
    expect((await dir.post('/suivi/2016/echeance', { echeance: '2099-12-31' })).statusCode).toBe(303);
  });

  it('lets the direction open a campaign: errors in French with the values kept, a year only once', async () => {
    const dir = await as('direction@exemple.fr');
    const liste = await dir.get('/suivi');
    expect(liste.body).toContain('href="/suivi/2016"');
    const faux = await dir.post('/suivi/campagnes', { annee: 'deux mille dix-sept', echeance: '' });
    expect(faux.statusCode).toBe(400);
    expect(mainText(faux.body)).toContain('Année : Saisissez une année, par exemple 2016.');
    expect(mainText(faux.body)).toContain('Échéance de la saisie : Saisissez la date d’échéance.');
    expect(champ(faux.body, 'annee')).toBe('deux mille dix-sept');
    const double = await dir.post('/suivi/campagnes', { annee: '2016', echeance: '2099-03-31' });
    expect(double.statusCode).toBe(400);
    expect(mainText(double.body)).toContain('Année : La campagne 2016 existe déjà.');
    const ok = await dir.post('/suivi/campagnes', { annee: '2017', echeance: '2099-03-31' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/suivi/2017');
    expect(mainText((await dir.get('/suivi/2017')).body)).toContain('Campagne 2017 ouverte : 61 fiches à remplir avant le 31 mars 2099.');
  });

  it('publishes a bilan: then everyone sees its validated sheets, and only those', async () => {
    const dir = await as('direction@exemple.fr');
    await dir.get('/suivi/2016/fiches/52');
    // Sheet 52 is submitted by its référent, then validated.
    const ref = await as('petite-enfance@exemple.fr');
    await ref.get('/suivi/2016/fiches/52');
    expect((await ref.post('/suivi/2016/fiches/52', { version: '1', action: 'soumettre', resultat_1: 'Trois crèches', resultat_2: '12 %' })).statusCode).toBe(303);
    await dir.get('/suivi/2016/fiches/52');
    expect((await dir.post('/suivi/2016/fiches/52/decision', { etape: 'valider', version: String(await version(52)), commentaire: '' })).statusCode).toBe(303);
    await dir.get('/suivi/2016');
    expect((await dir.post('/suivi/2016/publication', { valeur: 'oui' })).statusCode).toBe(303);

    expect(numeros((await t.app.inject({ url: '/suivi/2016' })).body)).toEqual([52]);
    expect((await t.app.inject({ url: '/suivi/2016/fiches/52' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/suivi/2016/fiches/59' })).statusCode).toBe(302);
    const api = JSON.parse((await t.app.inject({ url: '/api/v1/campagnes/2016/fiches' })).body) as { fiches: { numero: number; commentaire: string | null; mesures: { tauxCalcule: number | null }[] }[] };
    expect(api.fiches.map((f) => [f.numero, f.mesures[1]!.tauxCalcule])).toEqual([[52, 120]]);
    // A référent keeps its own sheets in progress, first, beside the published ones.
    expect(numeros((await (await as('insertion@exemple.fr')).get('/suivi/2016')).body)).toEqual([57, 59, 52]);
  });
});
