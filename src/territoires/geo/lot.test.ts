import { describe, expect, it } from 'vitest';
import { csvResultat, decoder, detecterSeparateur, devinerColonnes, FichierInvalide, lireCsv, MAX_LIGNES, MAX_OCTETS, resultatLigne, resumer, texteAdresse, type ResultatLigne } from './lot.ts';
import type { Localisation } from './types.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('reading an address file', () => {
  it('reads `;` with a BOM and CRLF, as Excel writes it', () => {
    const t = lireCsv(bytes('\uFEFFNom;Adresse\r\nAmina;"12 rue de la Chapelle; 75018 Paris"\r\nBruno;3 rue Marcadet\r\n'));
    expect(t).toEqual({
      separateur: ';',
      entetes: ['Nom', 'Adresse'],
      lignes: [
        ['Amina', '12 rue de la Chapelle; 75018 Paris'],
        ['Bruno', '3 rue Marcadet'],
      ],
    });
  });

  it('reads `,` with quotes, doubled quotes and a line break in a field', () => {
    const t = lireCsv(bytes('nom,adresse\n"Dupont, ""Jo""","12 rue Ordener\n75018 Paris"\n'));
    expect(t.separateur).toBe(',');
    expect(t.lignes).toEqual([['Dupont, "Jo"', '12 rue Ordener\n75018 Paris']]);
  });

  it('reads Windows-1252 (accents from a French Excel) when the bytes are not UTF-8', () => {
    const latin1 = Uint8Array.from([...'Adresse\n1 rue '].map((c) => c.charCodeAt(0)).concat([0xc9], [...'mile Bl'].map((c) => c.charCodeAt(0)), [0xe9], [...'mont\n'].map((c) => c.charCodeAt(0))));
    expect(decoder(latin1)).toBe('Adresse\n1 rue Émile Blémont\n');
    expect(lireCsv(latin1).lignes).toEqual([['1 rue Émile Blémont']]);
  });

  it('detects the separator from the header line, ignoring quoted ones', () => {
    expect(detecterSeparateur('a;b;c')).toBe(';');
    expect(detecterSeparateur('a,b,c')).toBe(',');
    expect(detecterSeparateur('"nom; prénom",adresse,cp')).toBe(',');
    expect(detecterSeparateur('a\tb')).toBe('\t');
    expect(detecterSeparateur('adresse')).toBe(';');
  });

  it('skips blank lines, names unnamed columns', () => {
    expect(lireCsv(bytes('Adresse;\n\n1 rue Ordener;x\n;\n'))).toEqual({ separateur: ';', entetes: ['Adresse', 'Colonne 2'], lignes: [['1 rue Ordener', 'x']] });
  });

  it('refuses empty files, header-only files, too many lines and too many bytes, in French', () => {
    expect(() => lireCsv(bytes(''))).toThrow(new FichierInvalide('Le fichier est vide, ou sa première ligne (les noms des colonnes) est vide.'));
    expect(() => lireCsv(bytes('Adresse\n'))).toThrow('Le fichier ne contient que la ligne des noms de colonnes : aucune adresse à traiter.');
    const many = `Adresse\n${'1 rue Ordener\n'.repeat(MAX_LIGNES + 1)}`;
    expect(() => lireCsv(bytes(many))).toThrow('Le fichier compte plus de 50\u202f000 lignes : découpez-le en plusieurs fichiers.');
    expect(() => lireCsv(new Uint8Array(MAX_OCTETS + 1))).toThrow('Le fichier dépasse 5 Mo : découpez-le en plusieurs fichiers.');
  });
});

describe('choosing the columns', () => {
  it('guesses a whole-address column or the parts', () => {
    expect(devinerColonnes(['Nom', 'Adresse postale'])).toEqual({ mode: 'complete', adresse: 1 });
    expect(devinerColonnes(['Nom', 'N°', 'Voie', 'Code postal', 'Ville'])).toEqual({ mode: 'parties', numero: 1, voie: 2, codePostal: 3, commune: 4 });
    expect(devinerColonnes(['nom', 'numero', 'rue', 'cp'])).toEqual({ mode: 'parties', numero: 1, voie: 2, codePostal: 3, commune: null });
    expect(devinerColonnes(['Nom', 'Âge'])).toBeNull();
  });

  it('builds the address text from the chosen columns', () => {
    const ligne = ['Amina', '12', 'rue de la Chapelle', '75018', ''];
    expect(texteAdresse(ligne, { mode: 'parties', numero: 1, voie: 2, codePostal: 3, commune: 4 })).toBe('12 rue de la Chapelle 75018');
    expect(texteAdresse(ligne, { mode: 'complete', adresse: 2 })).toBe('rue de la Chapelle');
    expect(texteAdresse(['x'], { mode: 'complete', adresse: 3 })).toBe('');
  });
});

const loc = (statut: Localisation['statut'], qpv: string | null = null): Localisation => ({
  statut,
  qpv: qpv ? { code: qpv, nom: `Quartier ${qpv}` } : null,
  qpvProche: null,
  arrondissement: { code: '75118', nom: '18e arrondissement' },
  iris: { code: '751187205', nom: 'Chapelle 5' },
  point: { lon: 2.36, lat: 48.89 },
  correspondance: { methode: 'adresse_exacte', adresse: '12 Rue de la Chapelle, 75018 Paris', banId: 'x' },
  motif: statut === 'incertain' ? 'À 8 m de la limite du quartier Goutte d’Or (côté intérieur) : vérifiez sur la carte.' : null,
});

describe('the result file and the summary', () => {
  const resultats: ResultatLigne[] = [
    resultatLigne(loc('qpv', 'QP075012')),
    resultatLigne(loc('qpv', 'QP075012')),
    resultatLigne(loc('qpv', 'QP075009')),
    resultatLigne(loc('hors_qpv')),
    resultatLigne(loc('incertain')),
    resultatLigne({ statut: 'introuvable', motif: 'Aucune voie « rue x » dans la base d’adresses.', suggestions: ['Rue Ordener, 75018 Paris'] }),
  ];

  it('counts per status and per QPV, and the share sure to live in a QPV', () => {
    expect(resumer(resultats)).toEqual({
      total: 6,
      qpv: 3,
      horsQpv: 1,
      incertains: 1,
      introuvables: 1,
      part: 0.5,
      partMax: 5 / 6,
      parQpv: [
        { code: 'QP075012', nom: 'Quartier QP075012', nombre: 2 },
        { code: 'QP075009', nom: 'Quartier QP075009', nombre: 1 },
      ],
    });
    expect(resumer([]).part).toBe(0);
  });

  it('gives back the original columns and the answer, UTF-8 with BOM and `;`', () => {
    const csv = csvResultat({ entetes: ['Nom', 'Adresse'], lignes: [['Amina', '12 rue de la Chapelle'], ['=Bruno', 'rue x']] }, [resultats[0]!, resultats[5]!]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('Nom;Adresse;statut;qpv_code;qpv_nom;arrondissement;iris;correspondance;motif');
    expect(lines[1]).toBe('Amina;12 rue de la Chapelle;qpv;QP075012;Quartier QP075012;75118;751187205;adresse exacte : 12 Rue de la Chapelle, 75018 Paris;');
    // A cell that a spreadsheet would run as a formula is neutralised.
    expect(lines[2]).toBe("'=Bruno;rue x;introuvable;;;;;;Aucune voie « rue x » dans la base d’adresses. Suggestions : Rue Ordener, 75018 Paris.");
  });
});
