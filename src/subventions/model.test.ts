import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  centimes,
  cleLuhn,
  etatCampagne,
  equilibreBudget,
  erreurRna,
  erreurSiren,
  erreurSiret,
  ETAPES_DOSSIER,
  etapesPossibles,
  STATUTS_DOSSIER,
  TRANSITIONS_DOSSIER,
  type LigneBudget,
  type RoleDossier,
} from './model.ts';

/** The one digit that completes a number to a valid Luhn key: identifiers made up for the tests. */
function avecCle(debut: string): string {
  const chiffre = [...'0123456789'].find((d) => cleLuhn(debut + d))!;
  return debut + chiffre;
}

describe('SIREN, SIRET and RNA', () => {
  it('accepts exactly one key digit for any SIREN, and names what is wrong otherwise', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{8}$/), (debut) => {
        const valides = [...'0123456789'].filter((d) => erreurSiren(debut + d) === null);
        expect(valides).toHaveLength(1);
      }),
    );
    const siren = avecCle('12345678');
    expect(erreurSiren(`${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)}`)).toBeNull();
    expect(erreurSiren('12345678')).toBe('Le SIREN compte 9 chiffres.');
    const faux = siren.slice(0, 8) + ((Number(siren[8]) + 1) % 10);
    expect(erreurSiren(faux)).toMatch(/clé de contrôle est fausse/);
  });

  it('checks a SIRET as a whole and its SIREN', () => {
    const siren = avecCle('98765432');
    const siret = avecCle(`${siren}0001`);
    expect(erreurSiret(siret)).toBeNull();
    expect(erreurSiret(siret.slice(0, 13))).toMatch(/14 chiffres/);
    const sirenFaux = siren.slice(0, 8) + ((Number(siren[8]) + 1) % 10);
    expect(erreurSiret(avecCle(`${sirenFaux}0001`))).toMatch(/ne forment pas un SIREN valide/);
    const cleFausse = siret.slice(0, 13) + ((Number(siret[13]) + 1) % 10);
    expect(erreurSiret(cleFausse)).toMatch(/clé de contrôle est fausse/);
  });

  it('follows La Poste’s own rule for its establishments (digits adding up to a multiple of 5)', () => {
    expect(erreurSiret('35600000000001')).toBeNull();
    expect(erreurSiret('35600000000002')).toMatch(/clé de contrôle/);
  });

  it('reads an RNA number as W and 9 digits', () => {
    expect(erreurRna('W751234567')).toBeNull();
    expect(erreurRna('w751 234 567')).toBeNull();
    expect(erreurRna('751234567')).toMatch(/W suivi de 9 chiffres/);
    expect(erreurRna('W75123456')).toMatch(/W suivi de 9 chiffres/);
  });
});

describe('the budget of a request', () => {
  const l = (compte: string, montant: string): LigneBudget => ({ compte, libelle: `Compte ${compte}`, montantCentimes: centimes(montant)! });

  it('reads amounts as people type them', () => {
    expect([centimes('1234,5'), centimes('1 234,50 €'), centimes('12'), centimes('12,345'), centimes('douze')]).toEqual([123450, 123450, 1200, null, null]);
  });

  it('balances charges and produits, voluntary contributions apart', () => {
    const b = equilibreBudget({ charges: [l('60', '1000'), l('64', '4000'), l('86', '500')], produits: [l('74', '3000'), l('75', '2000'), l('87', '500')] });
    expect(b).toMatchObject({ charges: 500000, produits: 500000, contributionsCharges: 50000, contributionsProduits: 50000, equilibre: true, problemes: [] });
  });

  it('says by how much a budget is off, and when contributions do not match', () => {
    const b = equilibreBudget({ charges: [l('60', '1000'), l('86', '300')], produits: [l('74', '900,50'), l('87', '200')] });
    expect(b.equilibre).toBe(false);
    // Figures and their euro sign are held together by no-break spaces.
    expect(b.problemes.map((p) => p.replace(/\u00a0/g, ' '))).toEqual([
      'Le budget n’est pas équilibré : les charges font 1 000,00 €, les produits 900,50 € (écart de 99,50 €).',
      'Les contributions volontaires ne s’équilibrent pas : 300,00 € en emplois (86), 200,00 € en ressources (87).',
    ]);
  });

  it('adds amounts exactly, whatever the number of lines', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 40 }), (montants) => {
        const lignes = montants.map((m, i) => ({ compte: `6${i % 10}`, libelle: `L${i}`, montantCentimes: m }));
        const b = equilibreBudget({ charges: lignes, produits: [...lignes].reverse() });
        expect(b.equilibre).toBe(true);
      }),
    );
  });
});

describe('the life of a file', () => {
  // Every step, the states it leaves from, where it goes and who takes it: the whole table, written out.
  const ATTENDU = `
etape                de                                               vers                roles
deposer              brouillon                                        depose              association
instruire            depose                                           en_instruction      agent_territorial,direction_projet
demander_complement  en_instruction                                   complement_demande  agent_territorial,direction_projet
completer            complement_demande                               en_instruction      association
proposer             en_instruction                                   propose             agent_territorial,direction_projet
accepter             propose                                          accepte             direction_projet
refuser              propose                                          refuse              direction_projet
classer              depose,en_instruction,complement_demande,propose sans_suite          direction_projet`;
  const lignes = ATTENDU.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));

  it('declares exactly these steps', () => {
    expect(lignes.map((l) => l[0])).toEqual(ETAPES_DOSSIER);
    for (const [etape, de, vers, roles] of lignes) {
      const t = TRANSITIONS_DOSSIER[etape as (typeof ETAPES_DOSSIER)[number]];
      expect([t.de.join(','), t.vers, t.roles.join(',')], etape).toEqual([de, vers, roles]);
    }
  });

  const ROLES: RoleDossier[] = ['association', 'agent_territorial', 'direction_projet'];
  for (const statut of STATUTS_DOSSIER) {
    for (const role of ROLES) {
      it(`from ${statut}, ${role} may take exactly the steps the table gives`, () => {
        const attendues = lignes.filter(([, de, , roles]) => de!.split(',').includes(statut) && roles!.split(',').includes(role)).map((l) => l[0]);
        expect(etapesPossibles(statut, role)).toEqual(attendues);
      });
    }
  }

  it('leaves a decided file where it is: no step out of accepted, refused or closed', () => {
    for (const statut of ['accepte', 'refuse', 'sans_suite'] as const) for (const role of ROLES) expect(etapesPossibles(statut, role)).toEqual([]);
  });
});

describe('etatCampagne', () => {
  const c = { ouverture: '2021-01-04', cloture: '2021-02-15' };
  it('accepts requests from the opening day to the closing day included', () => {
    expect(etatCampagne(c, '2021-01-03')).toBe('a_venir');
    expect(etatCampagne(c, '2021-01-04')).toBe('ouverte');
    expect(etatCampagne(c, '2021-02-15')).toBe('ouverte');
    expect(etatCampagne(c, '2021-02-16')).toBe('close');
  });
});
