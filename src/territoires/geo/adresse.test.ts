import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyserAdresse, inseeDuCodePostal, libelleRepetition, normaliser, separerSousAdresse, squelette, voieCle } from './adresse.ts';

describe('normaliser', () => {
  it.each([
    ['Rue Émile Blémont', 'rue emile blemont'],
    ["Rue de l'Évangile", 'rue de l evangile'],
    ['Rue de l’Évangile', 'rue de l evangile'],
    ['Rue du Faubourg-Saint-Antoine', 'rue du faubourg saint antoine'],
    ['  AVENUE   Joseph   BÉDIER ', 'avenue joseph bedier'],
    ['Rue Saint-Œuvre, Cœur', 'rue saint oeuvre coeur'],
    ['Boulevard de la Chapelle – Paris', 'boulevard de la chapelle paris'],
    ['Villa d’Este', 'villa d este'],
    ['Square Ç à Ï', 'square c a i'],
  ])('%s → %s', (input, expected) => {
    expect(normaliser(input)).toBe(expected);
  });

  it('is idempotent and only ever yields lower-case letters, digits and single spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const n = normaliser(s);
        expect(normaliser(n)).toBe(n);
        expect(n).toMatch(/^([a-z0-9]+( [a-z0-9]+)*)?$/);
      }),
    );
  });
});

describe('voieCle: the key under which the address base files a street', () => {
  it.each([
    ['Avenue du Général Lemonnier', 'avenue du general lemonnier'],
    ['Rue Emile Blémont', 'rue emile blemont'],
    ['Rue de la Solidarité', 'rue de la solidarite'],
    ["Rue de la Goutte d'Or", 'rue de la goutte d or'],
    ['Rond-Point des Champs-Élysées Marcel Dassault', 'rond point des champs elysees marcel dassault'],
    ['Cité Napoléon', 'cite napoleon'],
    ['Villa la Fresnaye', 'villa la fresnaye'],
    ['Allée Alquier-Debrousse', 'allee alquier debrousse'],
    ['Avenue Sainte-Eugénie', 'avenue sainte eugenie'],
  ])('%s → %s', (nom, cle) => {
    expect(voieCle(nom)).toBe(cle);
  });

  it('drops the sub-address the BAN writes in the street name (1 177 rows of the Paris file)', () => {
    expect(voieCle('6S1 Avenue Joseph Bédier')).toBe('avenue joseph bedier');
    expect(voieCle('59bP4 Rue de la Chapelle')).toBe('rue de la chapelle');
    expect(voieCle('4AP2 Rue des Haies')).toBe('rue des haies');
    expect(voieCle('20P2 Rue de Rome')).toBe('rue de rome');
    expect(separerSousAdresse('59bP10 Rue de la Chapelle')).toEqual({ numero: 59, suffixe: 'bp10', voie: 'Rue de la Chapelle' });
    expect(separerSousAdresse('Rue du 8 Mai 1945')).toBeNull();
  });

  it.each([
    ['r de la Chapelle', 'Rue de la Chapelle'],
    ['av. Joseph Bédier', 'Avenue Joseph Bédier'],
    ['bd de la Villette', 'Boulevard de la Villette'],
    ['bld de Belleville', 'Boulevard de Belleville'],
    ['pl. de la République', 'Place de la République'],
    ['sq. Léon', 'Square Léon'],
    ['imp. Dupuy', 'Impasse Dupuy'],
    ['pass. Ramey', 'Passage Ramey'],
    ['qu. de Valmy', 'Quai de Valmy'],
    ['all. des Brouillards', 'Allée des Brouillards'],
    ['ch. du Parc de Charonne', 'Chemin du Parc de Charonne'],
    ['rte de la Pyramide', 'Route de la Pyramide'],
    ['r. du Fg St-Antoine', 'Rue du Faubourg Saint-Antoine'],
    ['r. Ste-Marthe', 'Rue Sainte-Marthe'],
    ['av. de la Pte de la Chapelle', 'Avenue de la Porte de la Chapelle'],
    ['bd du Gal Jean Simon', 'Boulevard du Général Jean Simon'],
    ['RUE ST-MAUR', 'Rue Saint-Maur'],
    ['hameau du Danube', 'Hameau du Danube'],
    ['sente des Dorées', 'Sente des Dorées'],
  ])('an abbreviation and the full name share a key: %s = %s', (abrege, complet) => {
    expect(voieCle(abrege)).toBe(voieCle(complet));
  });

  it('keeps the small words: "rue de la Chapelle" and "rue Chapelle" differ, their skeletons do not', () => {
    expect(voieCle('rue Chapelle')).not.toBe(voieCle('Rue de la Chapelle'));
    expect(squelette(voieCle('rue Chapelle'))).toBe(squelette(voieCle('Rue de la Chapelle')));
    expect(squelette(voieCle('Avenue de la Porte de la Chapelle'))).toBe('porte chapelle');
  });
});

describe('analyserAdresse', () => {
  it.each([
    ['12 rue de la Chapelle, 75018 Paris', { numero: 12, rep: null, voieCle: 'rue de la chapelle', codePostal: '75018', arrondissementInsee: '75118' }],
    ['12 bis, rue de la Chapelle 75018 Paris', { numero: 12, rep: 'b', voieCle: 'rue de la chapelle' }],
    ['12bis rue de la Chapelle', { numero: 12, rep: 'b' }],
    ['12 ter rue de la Chapelle', { numero: 12, rep: 't' }],
    ['12 quater rue de la Chapelle', { numero: 12, rep: 'q' }],
    ['12B r. de la chapelle', { numero: 12, rep: 'b', voieCle: 'rue de la chapelle' }],
    ['12 b bd de la Villette', { numero: 12, rep: 'b', voieCle: 'boulevard de la villette' }],
    ['12 T avenue Secrétan', { numero: 12, rep: 't', voieCle: 'avenue secretan' }],
    ['6S1 Avenue Joseph Bédier', { numero: 6, rep: 's1', voieCle: 'avenue joseph bedier' }],
    ['59bP4 Rue de la Chapelle', { numero: 59, rep: 'bp4', voieCle: 'rue de la chapelle' }],
    ['3 av Joseph Bedier Paris 13e', { numero: 3, voieCle: 'avenue joseph bedier', arrondissementInsee: '75113', commune: 'Paris' }],
    ['rue Émile Blémont, Paris 18ème arrondissement', { numero: null, voieCle: 'rue emile blemont', arrondissementInsee: '75118' }],
    ['8 rue de la Solidarité 75019', { numero: 8, voieCle: 'rue de la solidarite', codePostal: '75019', arrondissementInsee: '75119' }],
    ['1 place du Louvre, Paris 1er', { numero: 1, voieCle: 'place du louvre', arrondissementInsee: '75101' }],
    ['12-14 rue de Rivoli', { numero: 12, voieCle: 'rue de rivoli' }],
    ['5 place du 8 Mai 1945', { numero: 5, voieCle: 'place du 8 mai 1945' }],
    ['10 rue du Fbg St Antoine, 75011 Paris, France', { numero: 10, voieCle: 'rue du faubourg saint antoine', arrondissementInsee: '75111' }],
    ['3 rue de Paris', { numero: 3, voieCle: 'rue de paris', commune: null }],
    ['12r de la Chapelle', { numero: 12, rep: null, voieCle: 'rue de la chapelle' }],
    ['14 rue Ordener 75018 PARIS 18', { numero: 14, voieCle: 'rue ordener', arrondissementInsee: '75118' }],
    ['  27   RUE  DE   LA   GOUTTE-D’OR ', { numero: 27, voieCle: 'rue de la goutte d or' }],
    ['4 AP2 rue des Haies', { numero: 4, rep: 'ap2', voieCle: 'rue des haies' }],
    ['Villa d’Este 75013', { numero: null, voieCle: 'villa d este', arrondissementInsee: '75113' }],
    ['16 av. Foch 75116', { numero: 16, voieCle: 'avenue foch', arrondissementInsee: '75116' }],
    ['54 avenue de France 75013', { numero: 54, voieCle: 'avenue de france', arrondissementInsee: '75113' }],
    ['2 avenue Pierre Mendès France', { numero: 2, voieCle: 'avenue pierre mendes france' }],
    ['2 avenue Pierre Mendès France, 75013 Paris, France', { numero: 2, voieCle: 'avenue pierre mendes france', arrondissementInsee: '75113' }],
    ['20 BD Rue Pétrarque 75016', { numero: 20, rep: 'bd', voieCle: 'rue petrarque' }],
    ['1 V Souterrain Champerret', { numero: 1, rep: 'v', voieCle: 'souterrain champerret' }],
    ['30 X Grande avenue de la Villa de la Réunion', { numero: 30, rep: 'x', voieCle: 'grande avenue de la villa de la reunion' }],
    ['1 La Porte Jaune', { numero: 1, rep: null, voieCle: 'la porte jaune' }],
  ])('%s', (texte, expected) => {
    expect(analyserAdresse(texte)).toMatchObject(expected);
  });

  it('maps Paris postcodes to arrondissement codes, the 16th north included', () => {
    expect(inseeDuCodePostal('75001')).toBe('75101');
    expect(inseeDuCodePostal('75020')).toBe('75120');
    expect(inseeDuCodePostal('75116')).toBe('75116');
    expect(inseeDuCodePostal('75021')).toBeNull();
    expect(inseeDuCodePostal('93200')).toBeNull();
  });

  it('writes repetitions as people read them', () => {
    expect(libelleRepetition('b')).toBe('bis');
    expect(libelleRepetition('t')).toBe('ter');
    expect(libelleRepetition('s1')).toBe('S1');
    expect(libelleRepetition(null)).toBe('');
  });

  it('reads back any number and street it is given, whatever the spacing and case', () => {
    const streets = ['Rue de la Chapelle', 'Avenue Joseph Bédier', 'Rue Émile Blémont', 'Boulevard de la Villette'];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.constantFrom(...streets), fc.constantFrom('', ' ', ',  '), fc.boolean(), (n, street, sep, upper) => {
        const text = `${n}${sep} ${upper ? street.toUpperCase() : street}`;
        const parsed = analyserAdresse(text);
        expect(parsed.numero).toBe(n);
        expect(parsed.rep).toBeNull();
        expect(parsed.voieCle).toBe(voieCle(street));
      }),
    );
  });
});
