import { describe, expect, it } from 'vitest';
import { documentSchema, inscriptionSchema, profilSchema } from './structure-form.ts';
import { associationDe, etatDocument, localisationDe, typeMimeDuContenu } from './structure-model.ts';

// The pure rules of the structure pages: forms, file types by content, validity wording, location.

const inscription = {
  prenom: ' Awa ',
  nom: 'Diallo',
  email: 'Awa@Exemple.FR',
  motDePasse: 'un mot de passe assez long',
  confirmation: 'un mot de passe assez long',
  nomAssociation: 'Les Amis de la Chapelle',
  siret: '123 456 782 00010',
  rna: 'w 751 234 567',
  adresse: '1 rue Émile Blémont, 75018 Paris',
};

const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));

describe('inscriptionSchema', () => {
  it('keeps identifiers without spaces, the RNA in capitals, the address as typed', () => {
    const r = inscriptionSchema.parse(inscription);
    expect(r).toMatchObject({ prenom: 'Awa', email: 'awa@exemple.fr', siret: '12345678200010', rna: 'W751234567', adresse: inscription.adresse });
  });

  it('accepts an association without RNA number', () => {
    expect(inscriptionSchema.parse({ ...inscription, rna: '' }).rna).toBeNull();
  });

  it('names each wrong field in French: Luhn key, RNA form, short password, confirmation', () => {
    const r = inscriptionSchema.safeParse({ ...inscription, siret: '12345678200011', rna: 'W12', motDePasse: 'court', confirmation: 'autre' });
    expect(messages(r)).toEqual({
      siret: 'Ce SIRET n’existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre.',
      rna: 'Le numéro RNA s’écrit W suivi de 9 chiffres, par exemple W751234567.',
      motDePasse: 'Le mot de passe doit compter au moins 12 caractères.',
      confirmation: 'Les deux mots de passe ne sont pas identiques.',
    });
  });
});

describe('profilSchema', () => {
  const base = { version: '4', siret: '12345678200010', adresse: '2 rue des Rosiers, 75004 Paris' };

  it('gives two representatives in a fixed order, empty when left blank', () => {
    const r = profilSchema.parse({ ...base, rl_nom: 'Lefèvre', rl_prenom: 'Marc', rl_qualite: 'Président' });
    expect(r.version).toBe(4);
    expect(r.champs.representants).toEqual([
      { nom: 'Lefèvre', prenom: 'Marc', qualite: 'Président', courriel: '', telephone: '' },
      { nom: '', prenom: '', qualite: '', courriel: '', telephone: '' },
    ]);
    expect(r.champs.sigle).toBeNull();
  });

  it('asks for the name and first name of a representative partly described, and checks addresses and phones', () => {
    const r = profilSchema.safeParse({ ...base, cd_courriel: 'pas une adresse', cd_telephone: '12', courriel: 'contact@exemple.fr' });
    expect(messages(r)).toEqual({
      cd_courriel: 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr.',
      cd_telephone: 'Saisissez un numéro de téléphone, par exemple 01 23 45 67 89.',
      cd_nom: 'Saisissez le nom de cette personne.',
      cd_prenom: 'Saisissez le prénom de cette personne.',
    });
  });
});

describe('documentSchema', () => {
  it('takes optional dates and refuses an end before the start or a day that does not exist', () => {
    expect(documentSchema.parse({ type: 'rib', valideDu: '', valideJusquAu: '' })).toEqual({ type: 'rib', valideDu: null, valideJusquAu: null });
    expect(messages(documentSchema.safeParse({ type: 'rib', valideDu: '2026-06-01', valideJusquAu: '2026-05-31' }))).toEqual({
      valideJusquAu: 'La fin de validité doit être le même jour que le début ou après.',
    });
    expect(messages(documentSchema.safeParse({ type: 'bulletin', valideDu: '2026-02-30' }))).toEqual({
      type: 'Choisissez le type de document.',
      valideDu: 'Saisissez une date réelle au format AAAA-MM-JJ.',
    });
  });
});

describe('typeMimeDuContenu', () => {
  it('knows PDF, JPEG and PNG by their first bytes, whatever the name', () => {
    expect(typeMimeDuContenu(Buffer.from('%PDF-1.7\n…'))).toBe('application/pdf');
    expect(typeMimeDuContenu(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(typeMimeDuContenu(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
  });

  it('refuses anything else, an HTML page or an empty file included', () => {
    expect(typeMimeDuContenu(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(typeMimeDuContenu(Buffer.from('PK\x03\x04'))).toBeNull();
    expect(typeMimeDuContenu(Buffer.alloc(0))).toBeNull();
    expect(typeMimeDuContenu(Buffer.from('%PD'))).toBeNull();
  });
});

describe('etatDocument', () => {
  const doc = { type: 'rib', valideDu: '2026-01-01', valideJusquAu: '2026-12-31', retireLe: null };
  it('says whether a document is valid, not yet, expired or withdrawn on a day', () => {
    expect(etatDocument(doc, '2026-06-01')).toEqual({ etat: 'valable', texte: 'Valable jusqu’au 31 décembre 2026' });
    expect(etatDocument(doc, '2025-12-31')).toEqual({ etat: 'a_venir', texte: 'Valable à partir du 1er janvier 2026' });
    expect(etatDocument(doc, '2027-01-01')).toEqual({ etat: 'expire', texte: 'Expiré depuis le 31 décembre 2026' });
    expect(etatDocument({ ...doc, retireLe: new Date() }, '2026-06-01').etat).toBe('retire');
    expect(etatDocument({ ...doc, valideDu: null, valideJusquAu: null }, '2030-01-01').texte).toBe('Valable, sans date de fin');
  });
});

describe('localisationDe', () => {
  const point = { lon: 2.35, lat: 48.89 };
  it('keeps the QPV of an address inside one, with the sentence the pages show', () => {
    const l = localisationDe({ statut: 'qpv', qpv: { code: 'QP075009', nom: 'Porte de Montmartre' }, qpvProche: null, arrondissement: null, iris: null, point, correspondance: { methode: 'coordonnees' }, motif: null });
    expect(l).toEqual({ statut: 'qpv', qpvCode: 'QP075009', qpvNom: 'Porte de Montmartre', phrase: 'Oui, l’adresse de l’association est dans le quartier prioritaire Porte de Montmartre (QP075009).' });
  });

  it('never guesses: an uncertain answer keeps no QPV, a missing geography says so', () => {
    const incertain = localisationDe({ statut: 'incertain', qpv: null, qpvProche: { code: 'QP075009', nom: 'X', distanceMetres: 4 }, arrondissement: null, iris: null, point, correspondance: { methode: 'coordonnees' }, motif: 'À 4 m de la limite.' });
    expect(incertain).toEqual({ statut: 'incertain', qpvCode: null, qpvNom: null, phrase: 'Incertain : À 4 m de la limite.' });
    expect(localisationDe(null).phrase).toBe('Localisation impossible : les contours des quartiers ne sont pas chargés.');
    expect(localisationDe({ statut: 'introuvable', motif: 'Aucune voie de ce nom.', suggestions: [] }).phrase).toBe('Adresse introuvable : Aucune voie de ce nom.');
  });
});

describe('associationDe', () => {
  it('finds the organisation of the person’s association role in this contract only', () => {
    const assignments = [
      { role: 'agent_territorial' as const, contratId: 'c1', scopeKind: 'territoire' as const, scopeRef: 't1' },
      { role: 'association' as const, contratId: 'c2', scopeKind: 'organisation' as const, scopeRef: 'o2' },
      { role: 'association' as const, contratId: 'c1', scopeKind: 'organisation' as const, scopeRef: 'o1' },
    ];
    expect(associationDe({ assignments }, 'c1')).toBe('o1');
    expect(associationDe({ assignments: assignments.slice(0, 2) }, 'c1')).toBeNull();
    expect(associationDe(null, 'c1')).toBeNull();
  });
});
