import type { Role } from '../platform/auth/policy.ts';

export type Capability = { texte: string; lien?: { href: string; libelle: string } };

// What the home page tells each role it can do. A capability names only what exists today;
// later modules add theirs here as they arrive.
export const CAPACITES: Record<Role | 'public', Capability[]> = {
  public: [
    { texte: 'Découvrir les 20 quartiers prioritaires du contrat, leurs chiffres et leurs sources.', lien: { href: '/quartiers', libelle: 'Les quartiers prioritaires' } },
    { texte: 'Savoir si une adresse est en quartier prioritaire.', lien: { href: '/quartiers/adresse', libelle: 'Vérifier une adresse' } },
    { texte: 'Lire le contrat : axes, orientations, objectifs, actions et leviers, avec leurs sources.', lien: { href: '/contrat', libelle: 'Le contrat de ville' } },
    { texte: 'Voir les engagements chiffrés des partenaires et où les documents divergent.', lien: { href: '/engagements', libelle: 'Les engagements' } },
    { texte: 'Consulter les bilans annuels publiés, avec les taux recalculés par Pilotis.', lien: { href: '/suivi', libelle: 'Le suivi annuel' } },
    { texte: 'Connaître les appels à projets du contrat et, pour une association, y déposer une demande de subvention.', lien: { href: '/appels-a-projets', libelle: 'Les appels à projets' } },
    { texte: 'Se connecter pour accéder à son espace.', lien: { href: '/connexion', libelle: 'Se connecter' } },
  ],
  admin: [
    { texte: 'Créer des comptes et attribuer des rôles, par territoire ou par organisation.', lien: { href: '/admin/comptes', libelle: 'Gérer les comptes et les rôles' } },
    { texte: 'Lire le journal d’audit : qui a modifié quoi, quand, avant et après.', lien: { href: '/admin/journal', libelle: 'Consulter le journal d’audit' } },
  ],
  direction_projet: [
    { texte: 'Ouvrir la campagne annuelle des fiches de suivi, valider ou renvoyer les fiches, publier le bilan.', lien: { href: '/suivi', libelle: 'Le suivi annuel' } },
    { texte: 'Faire évoluer le contrat par avenant, en gardant l’historique.', lien: { href: '/contrat/avenants', libelle: 'Les avenants' } },
    { texte: 'Configurer l’appel à projets, suivre l’instruction et préparer le comité de programmation.', lien: { href: '/appels-a-projets', libelle: 'Les appels à projets' } },
  ],
  agent_territorial: [
    { texte: 'Instruire les dossiers de subvention de vos quartiers : avis par financeur, échanges avec les associations.', lien: { href: '/appels-a-projets', libelle: 'Les appels à projets' } },
    { texte: 'Animer les comités locaux et accompagner le conseil citoyen.' },
  ],
  referent_partenaire: [
    { texte: 'Renseigner et justifier chaque année les fiches de suivi des engagements de votre organisation.', lien: { href: '/suivi', libelle: 'Mes fiches de suivi' } },
  ],
  association: [
    { texte: 'Déposer une demande de subvention une seule fois et la réutiliser l’année suivante.', lien: { href: '/mes-dossiers', libelle: 'Mes dossiers' } },
    { texte: 'Tenir à jour le profil de votre association et ses pièces justificatives.', lien: { href: '/structure', libelle: 'Mon association' } },
    { texte: 'Suivre les décisions, les conventions et les versements ; rendre le compte rendu financier.' },
  ],
  membre_conseil_citoyen: [
    { texte: 'Voir ce qui est fait dans votre quartier et participer à l’évaluation du contrat.' },
    { texte: 'Décider avec le conseil citoyen des petits projets du fonds de participation des habitants.' },
  ],
};

export const ALL_USERS: Capability[] = [
  { texte: 'Gérer votre compte et vos jetons d’accès à l’API.', lien: { href: '/compte', libelle: 'Mon compte' } },
];

/** "En tant que direction…", "En tant qu’agent…": French elides "que" before a vowel. */
export function enTantQue(libelle: string): string {
  const lower = libelle.toLowerCase();
  return /^[aeiouyhéèêàâîôû]/.test(lower) ? `En tant qu’${lower}` : `En tant que ${lower}`;
}
