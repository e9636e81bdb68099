import { describe, expect, it } from 'vitest';
import { ETAPES_DOSSIER, STATUTS_DOSSIER, TRANSITIONS_DOSSIER, type RoleDossier } from './model.ts';
import { avisCourants, compterParStatut, filtrerDossiers, schemaAvis, schemaEtape, schemaFiltres, territoiresDuDossier, vueDossier, type LigneInstruction } from './instruction-model.ts';

describe('avisCourants', () => {
  it('keeps the latest opinion of each funder, whatever the order they come in', () => {
    const etat = 'f-etat';
    const ville = 'f-ville';
    const avis = [
      { financeurId: etat, avis: 'reserve', le: new Date('2026-03-02T10:00:00Z') },
      { financeurId: ville, avis: 'defavorable', le: new Date('2026-03-01T10:00:00Z') },
      { financeurId: etat, avis: 'favorable', le: new Date('2026-03-05T10:00:00Z') },
      { financeurId: etat, avis: 'defavorable', le: new Date('2026-03-01T09:00:00Z') },
    ];
    const courants = avisCourants(avis);
    expect(courants.get(etat)?.avis).toBe('favorable');
    expect(courants.get(ville)?.avis).toBe('defavorable');
    expect(courants.size).toBe(2);
  });
});

describe('vueDossier: what each role sees of a file', () => {
  const ROLES: (RoleDossier | null)[] = ['association', 'agent_territorial', 'direction_projet', null];

  it('shows opinions, annotations and proposed amounts to the instruction team only, in every state', () => {
    for (const statut of STATUTS_DOSSIER) {
      for (const role of ROLES) {
        expect(vueDossier(role, statut).instruction, `${role} ${statut}`).toBe(role === 'agent_territorial' || role === 'direction_projet');
      }
    }
  });

  it('shows the decision to everyone once the file is accepted or refused, and not before', () => {
    for (const statut of STATUTS_DOSSIER) {
      for (const role of ROLES) expect(vueDossier(role, statut).decision).toBe(statut === 'accepte' || statut === 'refuse');
    }
  });

  it('offers as buttons exactly the steps of the transition table the role may take, except submitting, completing and the committee’s decisions', () => {
    for (const statut of STATUTS_DOSSIER) {
      for (const role of ['agent_territorial', 'direction_projet'] as const) {
        const attendues = ETAPES_DOSSIER.filter((e) => TRANSITIONS_DOSSIER[e].de.includes(statut) && TRANSITIONS_DOSSIER[e].roles.includes(role) && !['deposer', 'completer', 'accepter', 'refuser'].includes(e));
        expect(vueDossier(role, statut).etapes).toEqual(attendues);
      }
      expect(vueDossier('association', statut).etapes).toEqual([]);
    }
    // Accepting and refusing, with the granted amounts, happen on the committee's table only.
    expect(vueDossier('direction_projet', 'propose').etapes).toEqual(['classer']);
    expect(vueDossier('agent_territorial', 'propose').avis).toBe(true);
    for (const statut of ['brouillon', 'accepte', 'refuse', 'sans_suite'] as const) expect(vueDossier('direction_projet', statut).avis).toBe(false);
    expect(vueDossier('agent_territorial', 'en_instruction').etapes).toEqual(['demander_complement', 'proposer']);
  });

  it('gives the association its answer form only while a correction is asked, and its draft a way back to the form', () => {
    for (const statut of STATUTS_DOSSIER) {
      expect(vueDossier('association', statut).complement).toBe(statut === 'complement_demande');
      expect(vueDossier('agent_territorial', statut).complement).toBe(false);
      expect(vueDossier('association', statut).brouillon).toBe(statut === 'brouillon');
    }
  });
});

describe('forms', () => {
  it('requires a message for a request for a correction, a motif for a refusal, and nothing for starting the instruction', () => {
    const sans = schemaEtape('demander_complement').safeParse({ version: '3', commentaire: '  ' });
    expect(sans.success).toBe(false);
    expect(sans.error?.issues[0]?.message).toBe('Écrivez à l’association ce qu’elle doit compléter ou corriger.');
    expect(schemaEtape('refuser').safeParse({ version: '3' }).error?.issues[0]?.message).toBe('Indiquez le motif du refus.');
    expect(schemaEtape('instruire').parse({ version: '3', commentaire: 'ignoré' })).toEqual({ version: 3, commentaire: null });
    expect(schemaEtape('completer').parse({ version: '4', commentaire: ' Budget corrigé. ' })).toEqual({ version: 4, commentaire: 'Budget corrigé.' });
  });

  it('reads a proposed amount in euros as cents, and says in French what is wrong', () => {
    const financeur = '5b0a3c1e-2f4d-4a6b-8c9d-0e1f2a3b4c5d';
    expect(schemaAvis.parse({ financeur, avis: 'favorable', propose: '4 500,50', commentaire: '' })).toEqual({ financeur, avis: 'favorable', propose: 450050, commentaire: '' });
    expect(schemaAvis.parse({ financeur, avis: 'reserve', propose: '' }).propose).toBeNull();
    const faux = schemaAvis.safeParse({ financeur, avis: 'peut-etre', propose: 'beaucoup' });
    expect(faux.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['avis', 'Choisissez un avis : favorable, réservé ou défavorable.'],
      ['propose', 'Saisissez un montant en euros, par exemple 4 500 ou 4 500,50.'],
    ]);
  });
});

describe('the instructors’ list', () => {
  it('extends a file’s QPV with the arrondissements they lie in, as the access rules do', () => {
    const territoires = [
      { id: 'qpv-goutte', parentIds: ['arr-18'] },
      { id: 'qpv-belleville', parentIds: ['arr-19', 'arr-20'] },
    ];
    expect(territoiresDuDossier(['qpv-belleville'], territoires).sort()).toEqual(['arr-19', 'arr-20', 'qpv-belleville']);
    expect(territoiresDuDossier([], territoires)).toEqual([]);
  });

  const ligne = (l: Partial<LigneInstruction>): LigneInstruction => ({
    id: 'x',
    reference: '2026-0001',
    association: 'Les Amis',
    fictive: false,
    titre: 'Projet',
    statut: 'depose',
    qpv: [],
    financeurIds: [],
    demandeCentimes: 0,
    avis: [],
    ...l,
  });
  const lignes = [
    ligne({ id: 'a', reference: '2026-0001', titre: 'Atelier d’écriture', statut: 'depose', qpv: [{ id: 'q1', nom: 'Goutte d’Or' }], financeurIds: ['etat'] }),
    ligne({ id: 'b', reference: '2026-0002', association: 'Élan sportif', titre: 'Football', statut: 'en_instruction', qpv: [{ id: 'q2', nom: 'Belleville' }], financeurIds: ['ville'] }),
    ligne({ id: 'c', reference: '2026-0003', titre: 'Soutien scolaire', statut: 'en_instruction', qpv: [{ id: 'q1', nom: 'Goutte d’Or' }], financeurIds: ['etat', 'ville'] }),
  ];

  it('filters by state, quartier, funder and text (accents and case ignored), all together', () => {
    const ids = (f: Parameters<typeof filtrerDossiers>[1]) => filtrerDossiers(lignes, f).map((l) => l.id);
    expect(ids({})).toEqual(['a', 'b', 'c']);
    expect(ids({ statut: 'en_instruction' })).toEqual(['b', 'c']);
    expect(ids({ qpv: 'q1' })).toEqual(['a', 'c']);
    expect(ids({ financeur: 'ville' })).toEqual(['b', 'c']);
    expect(ids({ texte: 'ELAN' })).toEqual(['b']);
    expect(ids({ texte: '0003' })).toEqual(['c']);
    expect(ids({ statut: 'en_instruction', qpv: 'q1', financeur: 'etat' })).toEqual(['c']);
  });

  it('counts files per state in the order of a file’s life, leaving out empty states', () => {
    expect(compterParStatut(lignes)).toEqual([
      { statut: 'depose', nombre: 1 },
      { statut: 'en_instruction', nombre: 2 },
    ]);
  });

  it('treats an empty filter as no filter, and refuses a state that is not one', () => {
    expect(schemaFiltres.parse({ statut: '', qpv: '', financeur: '', texte: '' })).toEqual({ texte: '' });
    expect(schemaFiltres.safeParse({ statut: 'brouillon' }).error?.issues[0]?.message).toBe('Choisissez un statut de la liste.');
  });
});
