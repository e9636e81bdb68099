import { describe, expect, it } from 'vitest';
import { coches, libellePriorite, lireChoix, lireFinanceur, lireGeneral, lireGroupe, lireNouvelle, lireThematiques, prioritesParAxe } from './campagne-form.ts';

// The direction de projet's forms of a call for projects, read without a server.

describe('a new campaign and its general section', () => {
  const base = { annee: '2021', titre: ' Appel à projets 2021 ', ouverture: '2021-01-04', cloture: '2021-02-05', presentation: '' };

  it('reads a valid campaign, trimmed, the year as a number', () => {
    expect(lireNouvelle(base)).toEqual({ ok: true, champs: { annee: 2021, titre: 'Appel à projets 2021', ouverture: '2021-01-04', cloture: '2021-02-05', presentation: '' } });
    // Closing on the opening day is allowed: a one-day campaign.
    expect(lireNouvelle({ ...base, cloture: '2021-01-04' }).ok).toBe(true);
  });

  it('refuses a closing day before the opening day, on the closing field', () => {
    expect(lireNouvelle({ ...base, cloture: '2021-01-03' })).toEqual({ ok: false, errors: { cloture: 'La clôture des dépôts doit être le jour de l’ouverture ou après.' } });
  });

  it('names every wrong field at once', () => {
    const r = lireNouvelle({ annee: '21', titre: '  ', ouverture: '2021-02-30', cloture: '' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      annee: 'Saisissez l’année sur 4 chiffres, par exemple 2021.',
      titre: 'Saisissez le titre de l’appel à projets.',
      ouverture: 'Saisissez une date réelle au format AAAA-MM-JJ, par exemple 2021-01-04.',
      cloture: 'Saisissez la date de clôture des dépôts.',
    });
  });

  it('needs the version the page was built from to save the general section', () => {
    const { annee: _, ...general } = base;
    expect(lireGeneral({ ...general, version: '3' })).toMatchObject({ ok: true, champs: { version: 3, titre: 'Appel à projets 2021' } });
    expect(lireGeneral({ ...general, version: '3', ouverture: '2021-03-01' })).toMatchObject({ ok: false, errors: { cloture: expect.stringContaining('ouverture') } });
  });
});

describe('choices, themes, funders and teams', () => {
  it('reads checkboxes posted as none, one or several, in the order offered', () => {
    expect(coches({}, 'x')).toEqual([]);
    expect(coches({ x: 'a' }, 'x')).toEqual(['a']);
    expect(coches({ x: ['b', 'a', 'b'] }, 'x')).toEqual(['b', 'a']);
    expect(lireChoix({ priorites: ['2.1.1/P1', '1.1.1/P2'] }, 'priorites', ['1.1.1/P1', '1.1.1/P2', '2.1.1/P1'])).toEqual({ ok: true, champs: ['1.1.1/P2', '2.1.1/P1'] });
    expect(lireChoix({ territoires: 'inconnu' }, 'territoires', ['a'])).toMatchObject({ ok: false, errors: { territoires: expect.stringContaining('rechargez la page') } });
  });

  it('reads themes one a line, each once', () => {
    expect(lireThematiques({ thematiques: 'Santé\r\n\n  Emploi \nSanté' })).toEqual({ ok: true, champs: ['Santé', 'Emploi'] });
    expect(lireThematiques({ thematiques: 'x'.repeat(101) }).ok).toBe(false);
  });

  it('reads a funder: code in lower case, amount in cents, SIRET checked only when typed', () => {
    expect(lireFinanceur({ code: 'Etat-P147', nom: 'État', service: 'Préfecture', siret: '', enveloppe: '1 500 000,50 €' })).toEqual({
      ok: true,
      champs: { code: 'etat-p147', nom: 'État', serviceInstructeur: 'Préfecture', siret: null, enveloppeCentimes: 150_000_050 },
    });
    // An establishment of La Poste, a valid SIRET, typed with spaces.
    expect(lireFinanceur({ code: 'poste', nom: 'La Poste', siret: '356 000 000 00001', enveloppe: '0' })).toMatchObject({ ok: true, champs: { siret: '35600000000001' } });
    const r = lireFinanceur({ code: 'état 147', nom: '', siret: '123', enveloppe: '12,345' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['code', 'enveloppe', 'nom', 'siret']);
    expect(r.errors.siret).toBe('Le SIRET compte 14 chiffres (le SIREN suivi de 5 chiffres).');
  });

  it('reads a team whose territories are among the eligible ones', () => {
    expect(lireGroupe({ nomGroupe: 'Nord', territoiresGroupe: ['b', 'a'], membres: 'Jeanne' }, ['a', 'b'])).toEqual({ ok: true, champs: { nom: 'Nord', territoireIds: ['a', 'b'], membres: 'Jeanne' } });
    expect(lireGroupe({ nomGroupe: 'Nord' }, ['a'])).toMatchObject({ ok: false, errors: { territoiresGroupe: expect.stringContaining('au moins un territoire') } });
    expect(lireGroupe({ nomGroupe: 'Nord', territoiresGroupe: 'z' }, ['a'])).toMatchObject({ ok: false, errors: { territoiresGroupe: expect.stringContaining('parmi ceux') } });
  });
});

describe('priorities under their axe', () => {
  const noeuds = [
    { ref: '1', niveau: 'axe', numero: '1', libelle: 'Parcours' },
    { ref: '1.1.1/P1', niveau: 'priorite', numero: 'Priorité 1', libelle: 'Apprendre' },
    { ref: '10', niveau: 'axe', numero: '10', libelle: 'Sans priorité' },
    { ref: '2', niveau: 'axe', numero: '2', libelle: 'Ville' },
    { ref: '2.1.1/P1', niveau: 'priorite', numero: 'Priorité', libelle: 'Animer' },
  ];

  it('puts each priority under the axe its reference starts with, and leaves out axes without one', () => {
    expect(prioritesParAxe(noeuds).map((g) => [g.axe.ref, g.priorites.map((p) => p.ref)])).toEqual([
      ['1', ['1.1.1/P1']],
      ['2', ['2.1.1/P1']],
    ]);
    expect(libellePriorite(noeuds[1]!)).toBe('Priorité 1 de l’objectif 1.1.1 : Apprendre');
  });
});
