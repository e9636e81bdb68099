import { CsrfField, ErrorSummary, TextAreaField, TextField, type FieldErrors } from '../platform/ui/forms.tsx';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { PASSWORD_MIN_LENGTH } from '../platform/auth/model.ts';
import { CHAMPS_REPRESENTANT, champRepresentant, LIBELLES_INSCRIPTION, LIBELLES_PROFIL, PREFIXES_REPRESENTANT } from './structure-form.ts';
import { QUALITES_REPRESENTANT } from './structure-model.ts';
import type { LocalisationStructure } from './schema.ts';

// The sign-up page of an association and its profile page (CERFA 12156 part 1).

export const TITRE_INSCRIPTION = 'Créer l’espace de votre association';
export const TITRE_PROFIL = 'Mon association';
export const MENTION_FICTIVE = 'Association fictive, créée pour la démonstration';

export type Valeurs = Record<string, string | undefined>;

export function InscriptionPage(props: { csrf: string; valeurs: Valeurs; errors: FieldErrors }) {
  const { valeurs: v, errors } = props;
  const champ = (name: keyof typeof LIBELLES_INSCRIPTION, extra: { type?: string; autocomplete?: string; hint?: string; required?: boolean } = {}) => (
    <TextField name={name} label={LIBELLES_INSCRIPTION[name]} value={v[name]} errors={errors} required={extra.required ?? true} {...extra} />
  );
  return (
    <div class="narrow">
      <FilAriane miettes={[{ label: 'Appels à projets', href: '/appels-a-projets' }, { label: TITRE_INSCRIPTION }]} />
      <h1>{TITRE_INSCRIPTION}</h1>
      <p class="lead">
        Une seule fois : votre compte, votre association et son adresse. Vous compléterez ensuite le profil et déposerez les pièces (statuts,
        RIB…), réutilisées pour chaque demande de subvention tant qu’elles sont valables.
      </p>
      <ErrorSummary errors={errors} labels={LIBELLES_INSCRIPTION} />
      <form method="post" action="/inscription/association" novalidate>
        <CsrfField token={props.csrf} />
        <fieldset>
          <legend>Vous</legend>
          {champ('prenom', { autocomplete: 'given-name' })}
          {champ('nom', { autocomplete: 'family-name' })}
          {champ('email', { type: 'email', autocomplete: 'email', hint: 'Elle vous servira à vous connecter.' })}
          {champ('motDePasse', {
            type: 'password',
            autocomplete: 'new-password',
            hint: `Au moins ${PASSWORD_MIN_LENGTH} caractères. Une phrase de plusieurs mots est longue et facile à retenir.`,
          })}
          {champ('confirmation', { type: 'password', autocomplete: 'new-password' })}
        </fieldset>
        <fieldset>
          <legend>Votre association</legend>
          {champ('nomAssociation', { autocomplete: 'organization' })}
          {champ('siret', { hint: '14 chiffres, sur l’avis de situation au répertoire SIRENE. Les espaces sont acceptés.' })}
          {champ('rna', { hint: 'Facultatif. W suivi de 9 chiffres, sur le récépissé de déclaration en préfecture.', required: false })}
          {champ('adresse', { autocomplete: 'street-address', hint: 'Par exemple : 12 rue de la Chapelle, 75018 Paris. Pilotis dit si elle est en quartier prioritaire.' })}
        </fieldset>
        <button type="submit" class="button">
          Créer l’espace de l’association
        </button>
      </form>
      <p>
        Déjà un compte ? <a href="/connexion">Connectez-vous</a>.
      </p>
    </div>
  );
}


export type ProfilProps = {
  csrf: string;
  nom: string;
  fictive: boolean;
  version: number;
  localisation: LocalisationStructure | null;
  valeurs: Valeurs;
  errors: FieldErrors;
  /** Saved by someone else since the page was opened: what is stored now, to compare. */
  conflit?: { adresse: string; siret: string } | undefined;
  documentsManquants: string[];
};

const AUTOCOMPLETE_REPRESENTANT = { prenom: 'given-name', nom: 'family-name', qualite: 'organization-title', courriel: 'email', telephone: 'tel' } as const;

export function ProfilPage(props: ProfilProps) {
  const { valeurs: v, errors } = props;
  const champ = (name: string, extra: { type?: string; autocomplete?: string; hint?: string; required?: boolean } = {}) => (
    <TextField name={name} label={LIBELLES_PROFIL[name]!} value={v[name]} errors={errors} {...extra} />
  );
  return (
    <>
      <FilAriane miettes={[{ label: TITRE_PROFIL }]} />
      <h1>{props.nom}</h1>
      {props.fictive && (
        <p class="notice notice-warning">
          <strong>{MENTION_FICTIVE}.</strong> Ses données ne désignent aucune association réelle.
        </p>
      )}
      <p class="lead">Le profil de l’association, saisi une fois et repris dans chacune de ses demandes de subvention.</p>
      {props.conflit && (
        <div class="notice notice-warning" role="alert">
          <p>
            Quelqu’un a enregistré ce profil pendant que vous le modifiiez : rien n’a été enregistré. Vos saisies sont conservées ci-dessous ;
            vérifiez-les puis enregistrez à nouveau. Actuellement enregistré : SIRET {props.conflit.siret}, adresse « {props.conflit.adresse} ».
          </p>
        </div>
      )}
      <section aria-labelledby="titre-situation" class="card">
        <h2 id="titre-situation">Situation</h2>
        <p>{props.localisation?.phrase ?? 'L’adresse n’a pas encore été localisée.'}</p>
        {props.documentsManquants.length > 0 ? (
          <p>
            Pièces à déposer avant votre prochaine demande : {props.documentsManquants.join(', ')}. <a href="/structure/documents">Déposer les pièces</a>
          </p>
        ) : (
          <p>
            Toutes les pièces demandées sont valables aujourd’hui. <a href="/structure/documents">Voir les pièces</a>
          </p>
        )}
      </section>
      <ErrorSummary errors={errors} labels={LIBELLES_PROFIL} />
      <form method="post" action="/structure" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={String(props.version)} />
        <fieldset>
          <legend>Identification</legend>
          <p>
            Nom : <strong>{props.nom}</strong>
          </p>
          {champ('sigle')}
          {champ('siret', { hint: '14 chiffres. Les espaces sont acceptés.', required: true })}
          {champ('rna', { hint: 'Facultatif. W suivi de 9 chiffres.' })}
          <TextAreaField name="objet" label={LIBELLES_PROFIL.objet!} value={v.objet} errors={errors} maxLength={2000} hint="Tel qu’il figure dans les statuts." />
        </fieldset>
        <fieldset>
          <legend>Coordonnées</legend>
          {champ('adresse', { autocomplete: 'street-address', hint: 'Localisée à nouveau à chaque enregistrement.', required: true })}
          {champ('courriel', { type: 'email', autocomplete: 'email' })}
          {champ('telephone', { type: 'tel', autocomplete: 'tel' })}
        </fieldset>
        {PREFIXES_REPRESENTANT.map((p, i) => (
          <fieldset>
            <legend>{QUALITES_REPRESENTANT[i]}</legend>
            {(Object.keys(CHAMPS_REPRESENTANT) as (keyof typeof CHAMPS_REPRESENTANT)[]).map((c) =>
              champ(champRepresentant(p, c), {
                autocomplete: `section-${p} ${AUTOCOMPLETE_REPRESENTANT[c]}`,
                ...(c === 'courriel' && { type: 'email' }),
                ...(c === 'telephone' && { type: 'tel' }),
              }),
            )}
          </fieldset>
        ))}
        <button type="submit" class="button">
          Enregistrer le profil
        </button>
      </form>
    </>
  );
}
