import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { describeEachDatabase } from '../platform/db/testing.ts';
import { accountWithRole, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/app.ts';
import { TestClient } from '../../test/http-client.ts';
import { decodeEntities } from '../../test/html.ts';
import { adresseDeTest, chargerAdresses, chargerContours } from '../../test/geo-load.ts';
import { account, roleAssignment } from '../platform/auth/schema.ts';
import { auditLog } from '../platform/audit/schema.ts';
import { organisation } from '../contrat/schema.ts';
import { invalidateLocator } from '../territoires/locator.ts';
import { structure } from './schema.ts';

// Sign-up of an association (account, organisation, profile, role at once) and its profile page, on both databases.

const texte = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const valeur = (html: string, name: string) => decodeEntities(new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '');

const SIRET = '12345678200010';
const inscription = {
  prenom: 'Awa',
  nom: 'Diallo',
  email: 'awa@lesamisdelachapelle.fr',
  motDePasse: TEST_PASSWORD,
  confirmation: TEST_PASSWORD,
  nomAssociation: 'Les Amis de la Chapelle',
  siret: '123 456 782 00010',
  rna: 'W751234567',
  adresse: '1 rue Émile Blémont, 75018 Paris',
};

describeEachDatabase('subventions: an association signs up once, then keeps its profile', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  // The default contract ships fictitious associations of its demonstration campaign: count, do not assume none.
  const organisations = async () => t.database.db.select().from(organisation).where(eq(organisation.type, 'association'));
  const amis = async () => (await organisations()).filter((o) => o.nom === inscription.nomAssociation);

  it('shows the sign-up form to a visitor, with its labels and the password rule', async () => {
    const res = await new TestClient(t.app).get('/inscription/association');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Créer l’espace de votre association</h1>');
    for (const label of ['Votre prénom', 'Votre adresse électronique', 'SIRET du siège', 'Numéro RNA', 'Adresse du siège']) expect(res.body).toContain(`>${label}</label>`);
    expect(texte(res.body)).toContain('Au moins 12 caractères');
  });

  it('refuses a SIRET whose Luhn key is wrong: 400, the error in French, every value kept but the passwords', async () => {
    const avant = (await organisations()).length;
    const c = new TestClient(t.app);
    await c.get('/inscription/association');
    const res = await c.post('/inscription/association', { ...inscription, siret: '12345678200011' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="erreurs"');
    expect(texte(res.body)).toContain('SIRET du siège : Ce SIRET n’existe pas : sa clé de contrôle est fausse.');
    expect(res.body).toContain('aria-invalid="true"');
    for (const champ of ['prenom', 'nom', 'email', 'nomAssociation', 'rna', 'adresse']) expect(valeur(res.body, champ)).toBe(inscription[champ as keyof typeof inscription]);
    expect(valeur(res.body, 'siret')).toBe('12345678200011');
    expect(res.body).not.toContain(TEST_PASSWORD);
    expect(await organisations()).toHaveLength(avant);
  });

  it('refuses two different passwords and a wrong RNA, field by field', async () => {
    const c = new TestClient(t.app);
    await c.get('/inscription/association');
    const res = await c.post('/inscription/association', { ...inscription, confirmation: 'un autre mot de passe', rna: 'W12' });
    expect(res.statusCode).toBe(400);
    const body = texte(res.body);
    expect(body).toContain('Confirmation du mot de passe : Les deux mots de passe ne sont pas identiques.');
    expect(body).toContain('Numéro RNA : Le numéro RNA s’écrit W suivi de 9 chiffres');
  });

  it('creates the account, the association, its profile and its role at once; the person signs in and reaches /structure', async () => {
    const c = new TestClient(t.app);
    await c.get('/inscription/association');
    const res = await c.post('/inscription/association', inscription);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/connexion?retour=%2Fstructure');

    const [org] = await amis();
    expect(org).toMatchObject({ nom: 'Les Amis de la Chapelle', type: 'association', contratId: t.contrat.id });
    const [s] = await t.database.db.select().from(structure).where(eq(structure.organisationId, org!.id));
    // Identifiers kept without their spaces; without contours the address is not located, and the profile says so.
    expect(s).toMatchObject({ siret: SIRET, rna: 'W751234567', adresse: inscription.adresse, fictive: null, version: 1 });
    expect(s!.localisation).toEqual({ statut: 'non_localisee', qpvCode: null, qpvNom: null, phrase: 'Localisation impossible : les contours des quartiers ne sont pas chargés.' });
    const [compte] = await t.database.db.select().from(account).where(eq(account.email, inscription.email));
    expect(compte!.displayName).toBe('Awa Diallo');
    const roles = await t.database.db.select().from(roleAssignment).where(eq(roleAssignment.accountId, compte!.id));
    expect(roles.map((r) => [r.role, r.scopeKind, r.scopeRef, r.contratId])).toEqual([['association', 'organisation', org!.id, t.contrat.id]]);
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.actorLabel, inscription.email));
    expect(audit.map((a) => `${a.action} ${a.objectType}`).sort()).toEqual(['attribution-role compte', 'creation compte', 'creation organisation', 'creation structure']);

    const flash = await c.get('/connexion?retour=%2Fstructure');
    expect(texte(flash.body)).toContain('L’espace de « Les Amis de la Chapelle » est prêt.');
    const signIn = await c.post('/connexion', { email: inscription.email, motDePasse: TEST_PASSWORD, retour: '/structure' });
    expect(signIn.headers.location).toBe('/structure');
    const page = await c.get('/structure');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Les Amis de la Chapelle</h1>');
    expect(texte(page.body)).toContain('Localisation impossible : les contours des quartiers ne sont pas chargés.');
    expect(valeur(page.body, 'siret')).toBe(SIRET);
    // Signed in with an association, the sign-up page leads to its profile.
    expect((await c.get('/inscription/association')).headers.location).toBe('/structure');
  });

  it('refuses a SIRET already registered and an address already used, creating nothing', async () => {
    const avant = (await organisations()).length;
    const c = new TestClient(t.app);
    await c.get('/inscription/association');
    const siret = await c.post('/inscription/association', { ...inscription, email: 'autre@exemple.fr', nomAssociation: 'Autre nom' });
    expect(siret.statusCode).toBe(400);
    expect(texte(siret.body)).toContain('Une association avec ce SIRET a déjà un espace sur Pilotis');
    const courriel = await c.post('/inscription/association', { ...inscription, siret: '12345679000013', nomAssociation: 'Autre nom' });
    expect(courriel.statusCode).toBe(400);
    expect(texte(courriel.body)).toContain('Un compte Pilotis existe déjà avec cette adresse électronique');
    expect(await organisations()).toHaveLength(avant);
    expect(await t.database.db.select().from(account).where(eq(account.email, 'autre@exemple.fr'))).toEqual([]);
  });

  it('sends a visitor to sign in, and tells a signed-in person without association that none is theirs', async () => {
    const anonyme = await new TestClient(t.app).get('/structure');
    expect(anonyme.statusCode).toBe(302);
    expect(anonyme.headers.location).toBe('/connexion?retour=%2Fstructure');
    await accountWithRole(t, 'direction@exemple.fr', 'direction_projet');
    const c = new TestClient(t.app);
    await c.signIn('direction@exemple.fr', TEST_PASSWORD);
    const res = await c.get('/structure');
    expect(res.statusCode).toBe(404);
    expect(texte(res.body)).toContain('Votre compte n’est rattaché à aucune association.');
    await accountWithRole(t, 'agent@exemple.fr', 'agent_territorial', { kind: 'territoire', ref: (await amis())[0]!.id });
    const agent = new TestClient(t.app);
    await agent.signIn('agent@exemple.fr', TEST_PASSWORD);
    expect((await agent.get('/structure')).statusCode).toBe(403);
  });

  describe('once the contours and addresses are loaded', () => {
    let c: TestClient;
    beforeAll(async () => {
      await chargerContours(t.database.db, t.contrat.id, ['qpv']);
      await chargerAdresses(t.database.db, t.contrat.id, adresseDeTest);
      invalidateLocator(t.contrat.id);
      c = new TestClient(t.app);
      await c.signIn(inscription.email, TEST_PASSWORD);
    });

    const profil = {
      version: '1',
      sigle: 'AAC',
      siret: SIRET,
      rna: 'W751234567',
      objet: 'Soutien scolaire et sorties culturelles',
      adresse: '2 rue des Rosiers, 75004 Paris',
      courriel: 'contact@lesamisdelachapelle.fr',
      telephone: '01 42 00 00 00',
      rl_prenom: 'Marc',
      rl_nom: 'Lefèvre',
      rl_qualite: 'Président',
      rl_courriel: 'marc@lesamisdelachapelle.fr',
      rl_telephone: '06 00 00 00 01',
      cd_prenom: 'Awa',
      cd_nom: 'Diallo',
      cd_qualite: 'Coordinatrice',
      cd_courriel: '',
      cd_telephone: '',
    };

    it('saves the profile and locates the address again, then says where it lies in one sentence', async () => {
      await c.get('/structure');
      const res = await c.post('/structure', profil);
      expect(res.statusCode).toBe(303);
      const page = await c.get('/structure');
      expect(texte(page.body)).toContain('Non, l’adresse de l’association n’est dans aucun quartier prioritaire du contrat.');
      expect(valeur(page.body, 'rl_qualite')).toBe('Président');
      const [s] = await t.database.db.select().from(structure).where(eq(structure.siret, SIRET));
      expect(s).toMatchObject({ version: 2, sigle: 'AAC', objet: profil.objet, localisation: { statut: 'hors_qpv', qpvCode: null } });
      expect(s!.representants).toEqual([
        { prenom: 'Marc', nom: 'Lefèvre', qualite: 'Président', courriel: 'marc@lesamisdelachapelle.fr', telephone: '06 00 00 00 01' },
        { prenom: 'Awa', nom: 'Diallo', qualite: 'Coordinatrice', courriel: '', telephone: '' },
      ]);

      await c.get('/structure');
      const qpv = await c.post('/structure', { ...profil, version: '2', adresse: '1 rue Émile Blémont, 75018 Paris' });
      expect(qpv.statusCode).toBe(303);
      const [apres] = await t.database.db.select().from(structure).where(eq(structure.siret, SIRET));
      expect(apres!.localisation).toMatchObject({ statut: 'qpv', qpvCode: 'QP075009' });
      expect(texte((await c.get('/structure')).body)).toMatch(/Oui, l’adresse de l’association est dans le quartier prioritaire .+ \(QP075009\)\./);
      const modifs = await t.database.db.select().from(auditLog).where(and(eq(auditLog.objectType, 'structure'), eq(auditLog.action, 'modification')));
      expect(modifs).toHaveLength(2);
    });

    it('refuses a save made from an outdated page with 409, keeping what was typed', async () => {
      await c.get('/structure');
      const res = await c.post('/structure', { ...profil, version: '1', objet: 'Un objet tapé entre-temps' });
      expect(res.statusCode).toBe(409);
      expect(texte(res.body)).toContain('Quelqu’un a enregistré ce profil pendant que vous le modifiiez : rien n’a été enregistré.');
      expect(res.body).toContain('Un objet tapé entre-temps</textarea>');
      const [s] = await t.database.db.select().from(structure).where(eq(structure.siret, SIRET));
      expect(s!.version).toBe(3);
      expect(s!.objet).toBe(profil.objet);
    });

    it('refuses a representative without a name and a wrong SIRET, keeping the values', async () => {
      await c.get('/structure');
      const res = await c.post('/structure', { ...profil, version: '3', siret: '12345678200011', cd_nom: '' });
      expect(res.statusCode).toBe(400);
      const body = texte(res.body);
      expect(body).toContain('Nom (personne chargée du dossier) : Saisissez le nom de cette personne.');
      expect(body).toContain('SIRET du siège : Ce SIRET n’existe pas');
      expect(valeur(res.body, 'siret')).toBe('12345678200011');
      expect(valeur(res.body, 'cd_prenom')).toBe('Awa');
    });

    it('marks a fictitious association as such', async () => {
      await t.database.db.update(structure).set({ fictive: 'demonstration' }).where(eq(structure.siret, SIRET));
      const page = await c.get('/structure');
      expect(texte(page.body)).toContain('Association fictive, créée pour la démonstration');
      await t.database.db.update(structure).set({ fictive: null }).where(eq(structure.siret, SIRET));
    });
  });
});
