import { describe, expect, it } from 'vitest';
import { lignesBan } from '../../../test/geo-load.ts';
import { Geocodeur, SEUIL_RESSEMBLANCE, type LigneAdresse } from './geocodeur.ts';
import { voieCle } from './adresse.ts';

// The geocoder over the real Paris BAN file (158 048 addresses), in memory, without a database.
const geocodeur = new Geocodeur(lignesBan());

const trouve = (texte: string) => {
  const g = geocodeur.geocoder(texte);
  if (g.statut !== 'trouve') throw new Error(`${texte} : ${g.motif}`);
  return g;
};

describe('the offline geocoder on the Paris address base', () => {
  it('holds every address of the file', () => {
    expect(geocodeur.taille).toBe(158_048);
  });

  it.each([
    ['12 rue de la Chapelle, 75018 Paris', '12 Rue de la Chapelle, 75018 Paris', '75118_1769_00012'],
    ['12 RUE DE LA CHAPELLE', '12 Rue de la Chapelle, 75018 Paris', '75118_1769_00012'],
    ['12 r. de la chapelle paris 18e', '12 Rue de la Chapelle, 75018 Paris', '75118_1769_00012'],
    ['10 rue de la Solidarité', '10 Rue de la Solidarité, 75019 Paris', '75119_9015_00010'],
    ['8 rue Léon 75018', '8 Rue Léon, 75018 Paris', '75118_5524_00008'],
    ['6S1 Avenue Joseph Bédier', '6S1 Avenue Joseph Bédier, 75013 Paris', '75113_es2lve_00006_s1'],
    ['59bP4 Rue de la Chapelle', '59bP4 Rue de la Chapelle, 75018 Paris', '75118_lit3e4_00059_bp4'],
    ['1 rue emile blemont', '1 Rue Emile Blémont, 75018 Paris', '75118_3213_00001'],
  ])('finds %s exactly', (texte, adresse, banId) => {
    const g = trouve(texte);
    expect(g.correspondance).toEqual({ methode: 'adresse_exacte', adresse, banId });
    expect(g.autresPositions).toEqual([]);
  });

  it('puts the exact match at the BAN position', () => {
    const row = lignesBan().find((l) => l.id === '75118_1769_00012')!;
    expect(trouve('12 rue de la Chapelle').point).toEqual({ lon: row.lon, lat: row.lat });
  });

  it('takes the number when the bis does not exist, and says so', () => {
    const g = trouve('12 bis rue de la Chapelle');
    expect(g.correspondance).toMatchObject({ methode: 'adresse_approchee', adresse: '12 Rue de la Chapelle, 75018 Paris', raison: 'Le 12 bis n’existe pas dans la base : position du 12' });
  });

  it('takes the sub-address when the plain number does not exist ("6 avenue Joseph Bédier" is only 6S1 in the BAN)', () => {
    const g = trouve('6 av Joseph Bédier');
    expect(g.correspondance).toMatchObject({ methode: 'adresse_approchee', adresse: '6S1 Avenue Joseph Bédier, 75013 Paris', raison: 'Le 6 n’existe pas dans la base : position du 6S1' });
  });

  it('takes the nearest number on the same side of the street, and keeps both neighbours as candidates', () => {
    // Rue Mouraud has 32 and 38, not 34.
    const g = trouve('34 rue Mouraud');
    expect(g.correspondance).toMatchObject({
      methode: 'adresse_approchee',
      adresse: '32 Rue Mouraud, 75020 Paris',
      raison: 'Le numéro 34 n’existe pas dans la base : position du 32, le numéro le plus proche du même côté de la voie',
    });
    const n38 = lignesBan().find((l) => l.voieCle === 'rue mouraud' && l.numero === 38 && !l.rep)!;
    expect(g.autresPositions).toEqual([{ lon: n38.lon, lat: n38.lat }]);
  });

  it('takes the whole street when no number is given', () => {
    const g = trouve('rue Emile Blémont');
    const street = lignesBan().filter((l) => l.voieCle === 'rue emile blemont');
    expect(g.correspondance).toMatchObject({ methode: 'adresse_approchee', adresse: 'Rue Emile Blémont, 75018 Paris', banId: null, raison: 'Aucun numéro : toute la voie est prise en compte' });
    expect(g.autresPositions).toHaveLength(street.length - 1);
  });

  it('completes a street name typed without its small words or with another type', () => {
    expect(trouve('3 rue Chapelle').correspondance).toMatchObject({ methode: 'adresse_approchee', adresse: '3 Rue de la Chapelle, 75018 Paris', raison: 'Nom de voie complété : « Rue de la Chapelle »' });
    expect(trouve('6S1 rue Joseph Bédier').correspondance).toMatchObject({ adresse: '6S1 Avenue Joseph Bédier, 75013 Paris', raison: 'Nom de voie complété : « Avenue Joseph Bédier »' });
  });

  it('finds a misspelt street by resemblance, above the threshold, and says how close it is', () => {
    const g = trouve('1 rue emile blemon');
    expect(g.correspondance).toMatchObject({ methode: 'adresse_approchee', adresse: '1 Rue Emile Blémont, 75018 Paris' });
    if (g.correspondance.methode !== 'adresse_approchee') throw new Error('approchée attendue');
    expect(g.correspondance.score).toBeGreaterThanOrEqual(SEUIL_RESSEMBLANCE);
    expect(g.correspondance.raison).toMatch(/^Voie la plus ressemblante : « Rue Emile Blémont » \(ressemblance \d+ %\)$/);
  });

  it('says when the postcode given is not the street’s', () => {
    expect(trouve('2 rue Pajol 75019').correspondance).toMatchObject({
      methode: 'adresse_approchee',
      adresse: '2 Rue Pajol, 75018 Paris',
      raison: 'Numéro trouvé (la voie n’est pas dans l’arrondissement indiqué)',
    });
  });

  it('answers introuvable for an unknown street, with at most 5 suggestions', () => {
    const g = geocodeur.geocoder('1 rue imaginaire des lilas');
    expect(g.statut).toBe('introuvable');
    if (g.statut !== 'introuvable') return;
    expect(g.motif).toBe('Aucune voie « rue imaginaire des lilas » dans la base d’adresses.');
    expect(g.suggestions.length).toBeGreaterThan(0);
    expect(g.suggestions.length).toBeLessThanOrEqual(5);
    expect(g.suggestions[0]).toBe('1 Rue des Lilas, 75019 Paris');
  });

  it('restricts suggestions to the arrondissement given', () => {
    const g = geocodeur.geocoder('rue imaginaire 75018');
    expect(g.statut).toBe('introuvable');
    if (g.statut === 'introuvable') for (const s of g.suggestions) expect(s).toMatch(/75018 Paris$/);
  });

  it('asks for a street when there is none', () => {
    expect(geocodeur.geocoder('75018 Paris')).toEqual({ statut: 'introuvable', motif: 'Indiquez au moins le nom de la voie.', suggestions: [] });
  });

  it('tells homonymous streets apart by postcode, and treats them as approximate without one', () => {
    const rows: LigneAdresse[] = [
      { id: 'a', numero: 1, rep: null, nomVoie: 'Villa Test', voieCle: voieCle('Villa Test'), codePostal: '75015', codeInsee: '75115', lon: 2.29, lat: 48.84 },
      { id: 'b', numero: 1, rep: null, nomVoie: 'Villa Test', voieCle: voieCle('Villa Test'), codePostal: '75020', codeInsee: '75120', lon: 2.4, lat: 48.86 },
    ];
    const small = new Geocodeur(rows);
    const precise = small.geocoder('1 villa Test 75020');
    expect(precise.statut === 'trouve' && precise.correspondance).toEqual({ methode: 'adresse_exacte', adresse: '1 Villa Test, 75020 Paris', banId: 'b' });
    const vague = small.geocoder('1 villa Test');
    expect(vague.statut === 'trouve' && vague.correspondance).toMatchObject({ methode: 'adresse_approchee', raison: 'Plusieurs voies portent ce nom : précisez le code postal' });
    expect(vague.statut === 'trouve' && vague.autresPositions).toHaveLength(1);
  });
});
