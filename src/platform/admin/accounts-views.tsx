import { ROLE_LABELS, ROLES } from '../auth/policy.ts';
import type { AccountRow } from '../auth/store.ts';
import { CsrfField, ErrorSummary, SelectField, TextField, type FieldErrors } from '../ui/forms.tsx';
import { formatParisDateTime, type Directory } from './model.ts';

export const CREATE_LABELS = { displayName: 'Nom', email: 'Adresse électronique', password: 'Mot de passe initial' };
export const GRANT_LABELS = {
  role: 'Rôle',
  territoire: 'Territoire (pour un agent territorial ou un membre de conseil citoyen)',
  organisation: 'Organisation (pour un référent partenaire ou une association)',
};
export const EDIT_LABELS = { displayName: 'Nom', active: 'Compte actif', password: 'Nouveau mot de passe' };

export type AccountListItem = { account: AccountRow; roles: string[] };

export function AccountsListPage(props: { q: string | undefined; items: AccountListItem[] }) {
  return (
    <>
      <h1>Comptes et rôles</h1>
      <p>
        <a class="button" href="/admin/comptes/nouveau">
          Créer un compte
        </a>
      </p>
      <form method="get" action="/admin/comptes" role="search" class="search-form">
        <TextField name="q" label="Rechercher un compte" type="search" value={props.q} hint="Une partie du nom ou de l'adresse électronique." errors={{}} />
        <button type="submit" class="button button-secondary">
          Rechercher
        </button>
      </form>
      <p role="status">
        {props.q
          ? `${props.items.length} compte${props.items.length > 1 ? 's' : ''} pour « ${props.q} ».`
          : `${props.items.length} compte${props.items.length > 1 ? 's' : ''}.`}
      </p>
      {props.items.length === 0 ? (
        <p>Aucun compte ne correspond à cette recherche.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Comptes">
          <table>
            <caption>Comptes</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Adresse électronique</th>
                <th scope="col">Rôles</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map(({ account, roles }) => (
                <tr>
                  <th scope="row">
                    <a href={`/admin/comptes/${account.id}`}>{account.displayName}</a>
                  </th>
                  <td>{account.email}</td>
                  <td>
                    {roles.length === 0 ? (
                      'Aucun rôle'
                    ) : (
                      <ul class="plain-list">
                        {roles.map((r) => (
                          <li>{r}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{account.active ? 'Actif' : 'Désactivé'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export type CreateValues = { displayName?: string | undefined; email?: string | undefined };

export function CreateAccountPage(props: { csrf: string; values: CreateValues; errors: FieldErrors; oidcLabel: string | undefined }) {
  const provider = props.oidcLabel ? `le fournisseur d'identité (${props.oidcLabel})` : "le fournisseur d'identité";
  return (
    <div class="narrow">
      <h1>Créer un compte</h1>
      <ErrorSummary errors={props.errors} labels={CREATE_LABELS} />
      <p>Le compte est créé sans rôle : attribuez-lui ensuite un ou plusieurs rôles sur sa page.</p>
      <form method="post" action="/admin/comptes/nouveau" novalidate>
        <CsrfField token={props.csrf} />
        <TextField name="displayName" label={CREATE_LABELS.displayName} autocomplete="off" value={props.values.displayName} errors={props.errors} required />
        <TextField name="email" label={CREATE_LABELS.email} type="email" autocomplete="off" value={props.values.email} errors={props.errors} required />
        <TextField
          name="password"
          label={CREATE_LABELS.password}
          type="password"
          autocomplete="new-password"
          hint={`Facultatif. Au moins 12 caractères. Laissez vide pour un compte qui se connecte uniquement par ${provider}.`}
          errors={props.errors}
        />
        <button type="submit" class="button">
          Créer le compte
        </button>
      </form>
      <p>
        <a href="/admin/comptes">Retour à la liste des comptes</a>
      </p>
    </div>
  );
}

export function CheckboxField(props: { name: string; label: string; checked: boolean; errors: FieldErrors; hint?: string }) {
  const error = props.errors[props.name];
  const ids = [props.hint ? `aide-${props.name}` : null, error ? `erreur-${props.name}` : null].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-checkbox field-error' : 'field field-checkbox'}>
      {error && (
        <p class="error-message" id={`erreur-${props.name}`}>
          <span class="visually-hidden">Erreur : </span>
          {error}
        </p>
      )}
      <label for={`champ-${props.name}`}>
        <input
          type="checkbox"
          id={`champ-${props.name}`}
          name={props.name}
          value="oui"
          checked={props.checked}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={ids || undefined}
        />{' '}
        {props.label}
      </label>
      {props.hint && (
        <p class="hint" id={`aide-${props.name}`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

export type AssignmentItem = { id: string; role: string; scope: string };
export type GrantValues = { role?: string | undefined; territoire?: string | undefined; organisation?: string | undefined };
export type EditValues = { displayName?: string | undefined; active: boolean };

export type AccountPageProps = {
  csrf: string;
  account: AccountRow;
  assignments: AssignmentItem[];
  directory: Directory;
  grant: { values: GrantValues; errors: FieldErrors };
  edit: { values: EditValues; errors: FieldErrors };
  /** A refusal not tied to a field (lock-out protection on a role). */
  refusal?: string | undefined;
};

function Details(props: { account: AccountRow }) {
  const a = props.account;
  return (
    <dl class="details">
      <dt>Adresse électronique</dt>
      <dd>{a.email}</dd>
      <dt>État</dt>
      <dd>{a.active ? 'Actif' : 'Désactivé'}</dd>
      <dt>Connexion</dt>
      <dd>
        {[a.passwordHash ? 'par mot de passe' : null, a.oidcSubject ? "par le fournisseur d'identité" : null].filter(Boolean).join(', ') ||
          "par le fournisseur d'identité uniquement (aucun mot de passe)"}
      </dd>
      <dt>Créé le</dt>
      <dd>{formatParisDateTime(a.createdAt)}</dd>
      <dt>Dernière connexion</dt>
      <dd>{a.lastLoginAt ? formatParisDateTime(a.lastLoginAt) : 'Jamais'}</dd>
      {a.isDemo && (
        <>
          <dt>Compte de démonstration</dt>
          <dd>Oui</dd>
        </>
      )}
    </dl>
  );
}

export function AccountPage(props: AccountPageProps) {
  const { account, grant, edit } = props;
  const errors = { ...(props.refusal ? { _: props.refusal } : {}), ...grant.errors, ...edit.errors };
  const base = `/admin/comptes/${account.id}`;
  return (
    <>
      <h1>{account.displayName}</h1>
      <ErrorSummary errors={errors} labels={{ ...GRANT_LABELS, ...EDIT_LABELS }} />
      <Details account={account} />
      <p>
        <a href={`/admin/journal?objet=${encodeURIComponent(account.email)}`}>Voir ce compte dans le journal d'audit</a>
      </p>

      <section aria-labelledby="titre-roles">
        <h2 id="titre-roles">Rôles</h2>
        {props.assignments.length === 0 ? (
          <p>Ce compte n'a aucun rôle dans ce contrat.</p>
        ) : (
          <ul class="assignments">
            {props.assignments.map((a) => (
              <li>
                <strong>{a.role}</strong> — {a.scope}{' '}
                <form method="post" action={`${base}/roles/${a.id}/retrait`} class="inline-form">
                  <CsrfField token={props.csrf} />
                  <button type="submit" class="button button-danger">
                    Retirer le rôle<span class="visually-hidden">{` ${a.role} — ${a.scope}`}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="titre-attribuer" class="card">
        <h2 id="titre-attribuer">Attribuer un rôle</h2>
        <form method="post" action={`${base}/roles`} novalidate>
          <CsrfField token={props.csrf} />
          <SelectField
            name="role"
            label={GRANT_LABELS.role}
            placeholder="Choisir un rôle"
            options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            value={grant.values.role}
            errors={grant.errors}
            required
          />
          <SelectField
            name="territoire"
            label={GRANT_LABELS.territoire}
            placeholder="Aucun"
            hint="Laissez « Aucun » pour les autres rôles."
            options={props.directory.territoire.map((o) => ({ value: o.id, label: o.label }))}
            value={grant.values.territoire}
            errors={grant.errors}
          />
          <SelectField
            name="organisation"
            label={GRANT_LABELS.organisation}
            placeholder="Aucune"
            hint="Laissez « Aucune » pour les autres rôles."
            options={props.directory.organisation.map((o) => ({ value: o.id, label: o.label }))}
            value={grant.values.organisation}
            errors={grant.errors}
          />
          <button type="submit" class="button">
            Attribuer le rôle
          </button>
        </form>
      </section>

      <section aria-labelledby="titre-modifier" class="card">
        <h2 id="titre-modifier">Modifier le compte</h2>
        <form method="post" action={base} novalidate>
          <CsrfField token={props.csrf} />
          <TextField name="displayName" label={EDIT_LABELS.displayName} autocomplete="off" value={edit.values.displayName} errors={edit.errors} required />
          <CheckboxField
            name="active"
            label={EDIT_LABELS.active}
            checked={edit.values.active}
            hint="Un compte désactivé ne peut plus se connecter ; ses sessions ouvertes sont fermées."
            errors={edit.errors}
          />
          <TextField
            name="password"
            label={EDIT_LABELS.password}
            type="password"
            autocomplete="new-password"
            hint="Facultatif. Au moins 12 caractères. Les sessions ouvertes du compte seront fermées."
            errors={edit.errors}
          />
          <button type="submit" class="button">
            Enregistrer les modifications
          </button>
        </form>
      </section>
      <p>
        <a href="/admin/comptes">Retour à la liste des comptes</a>
      </p>
    </>
  );
}
