import { CsrfField, ErrorSummary, TextField, type FieldErrors } from '../ui/forms.tsx';
import { PASSWORD_MIN_LENGTH } from './model.ts';
import { assignmentText, type AssignmentView } from './scope-labels.ts';
import type { ApiTokenRow } from './tokens-store.ts';
import { momentParis } from '../dates.ts';

// The views of the account page; the routes and their checks are in account-routes.tsx.

export const TOKEN_LABELS = { nom: 'Nom du jeton' };
export const PASSWORD_LABELS = {
  motDePasseActuel: 'Mot de passe actuel',
  nouveauMotDePasse: 'Nouveau mot de passe',
  confirmation: 'Confirmation du nouveau mot de passe',
};

const formatDate = momentParis;

export type AccountPageProps = {
  csrf: string;
  displayName: string;
  email: string;
  hasPassword: boolean;
  roles: AssignmentView[];
  tokens: ApiTokenRow[];
  /** Shown once, right after creation, and never again. */
  newToken?: { name: string; token: string } | undefined;
  tokenForm?: { nom?: string | undefined };
  /** The errors of the one form that was posted. */
  errors?: { form: 'jeton' | 'mot-de-passe'; fields: FieldErrors } | undefined;
};

function TokenTable(props: { tokens: ApiTokenRow[]; csrf: string }) {
  if (!props.tokens.length) return <p>Vous n'avez encore créé aucun jeton.</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Jetons d’accès à l’API">
      <table>
        <caption>Vos jetons d'accès</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Début du jeton</th>
            <th scope="col">Créé le</th>
            <th scope="col">Dernière utilisation</th>
            <th scope="col">État</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((t) => (
            <tr>
              <th scope="row">{t.name}</th>
              <td>
                <code>{`${t.prefix}…`}</code>
              </td>
              <td>{formatDate(t.createdAt)}</td>
              <td>{t.lastUsedAt ? formatDate(t.lastUsedAt) : 'Jamais utilisé'}</td>
              <td>{t.revokedAt ? `Révoqué le ${formatDate(t.revokedAt)}` : 'Actif'}</td>
              <td>
                {!t.revokedAt && (
                  <form method="post" action={`/compte/jetons/${t.id}/revocation`} class="inline-form">
                    <CsrfField token={props.csrf} />
                    <button type="submit" class="button button-secondary">
                      Révoquer<span class="visually-hidden">{` le jeton ${t.name}`}</span>
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewToken(props: { name: string; token: string }) {
  return (
    <div class="notice notice-success" role="status" aria-labelledby="titre-nouveau-jeton">
      <h2 id="titre-nouveau-jeton">{`Jeton « ${props.name} » créé`}</h2>
      <p>
        <strong>Copiez ce jeton maintenant : il ne sera plus affiché.</strong> Pilotis n'en garde qu'une empreinte et ne pourra
        pas vous le redonner. Rangez-le comme un mot de passe.
      </p>
      <div class="field">
        <label for="champ-nouveau-jeton">Nouveau jeton</label>
        <input id="champ-nouveau-jeton" type="text" readonly value={props.token} autocomplete="off" spellcheck={false} class="token-value" />
      </div>
    </div>
  );
}

function PasswordForm(props: { csrf: string; errors: FieldErrors }) {
  return (
    <form method="post" action="/compte/mot-de-passe" novalidate>
      <CsrfField token={props.csrf} />
      <TextField
        name="motDePasseActuel"
        label={PASSWORD_LABELS.motDePasseActuel}
        type="password"
        autocomplete="current-password"
        errors={props.errors}
        required
      />
      <TextField
        name="nouveauMotDePasse"
        label={PASSWORD_LABELS.nouveauMotDePasse}
        hint={`Au moins ${PASSWORD_MIN_LENGTH} caractères. Une phrase de plusieurs mots est longue et facile à retenir.`}
        type="password"
        autocomplete="new-password"
        errors={props.errors}
        required
      />
      <TextField name="confirmation" label={PASSWORD_LABELS.confirmation} type="password" autocomplete="new-password" errors={props.errors} required />
      <button type="submit" class="button">
        Changer le mot de passe
      </button>
    </form>
  );
}

export function AccountPage(props: AccountPageProps) {
  const errors = props.errors?.fields ?? {};
  const tokenErrors = props.errors?.form === 'jeton' ? errors : {};
  const passwordErrors = props.errors?.form === 'mot-de-passe' ? errors : {};
  return (
    <>
      <h1>Mon compte</h1>
      <ErrorSummary errors={errors} labels={{ ...TOKEN_LABELS, ...PASSWORD_LABELS }} />
      {props.newToken && <NewToken {...props.newToken} />}

      <section class="card" aria-labelledby="titre-identite">
        <h2 id="titre-identite">Mes informations</h2>
        <dl>
          <dt>Nom</dt>
          <dd>{props.displayName}</dd>
          <dt>Adresse électronique</dt>
          <dd>{props.email}</dd>
          <dt>Rôles</dt>
          <dd>
            {props.roles.length ? (
              <ul>
                {props.roles.map((r) => (
                  <li>{assignmentText(r)}</li>
                ))}
              </ul>
            ) : (
              'Aucun rôle pour le moment.'
            )}
          </dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="jetons">
        <h2 id="jetons">Jetons d'accès à l'API</h2>
        <p>
          Un jeton permet à un programme (un tableur, un script, un autre logiciel) d'interroger l'API de Pilotis en votre nom,
          avec vos droits. Le programme l'envoie dans l'en-tête <code>{'Authorization: Bearer pil_…'}</code> de chaque requête.
          La liste des services est décrite dans <a href="/api/v1/openapi.json">la documentation OpenAPI de l'API</a>.
        </p>
        <p>Créez un jeton par usage, pour pouvoir en révoquer un sans toucher aux autres. Révoquez tout jeton que vous n'utilisez plus.</p>
        <TokenTable tokens={props.tokens} csrf={props.csrf} />
        <h3>Créer un jeton</h3>
        <form method="post" action="/compte/jetons" novalidate>
          <CsrfField token={props.csrf} />
          <TextField
            name="nom"
            label={TOKEN_LABELS.nom}
            hint="Entre 2 et 80 caractères, pour le reconnaître ensuite. Par exemple : tableau de bord du service."
            value={props.tokenForm?.nom}
            errors={tokenErrors}
            required
          />
          <button type="submit" class="button">
            Créer un jeton
          </button>
        </form>
      </section>

      <section class="card" aria-labelledby="titre-mot-de-passe">
        <h2 id="titre-mot-de-passe">Changer de mot de passe</h2>
        {props.hasPassword ? (
          <>
            <p>Changer de mot de passe ferme vos sessions ouvertes sur les autres appareils. Vos jetons d'accès restent valides.</p>
            <PasswordForm csrf={props.csrf} errors={passwordErrors} />
          </>
        ) : (
          <p>Vous vous connectez par un fournisseur d'identité (ProConnect) : votre compte Pilotis n'a pas de mot de passe.</p>
        )}
      </section>
    </>
  );
}
