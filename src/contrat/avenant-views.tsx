import type { ComponentChildren } from 'preact';
import { TableWrap } from '../platform/ui/table.tsx';
import { CsrfField, ErrorSummary, SelectField, TextField, type FieldErrors } from '../platform/ui/forms.tsx';
import { dateFr, LIBELLES_NIVEAU, NIVEAUX, numeroComplet } from './model.ts';
import { Avenants, FilAriane, hrefAvenant, hrefNoeud, type Annonce, type AvenantVisible } from './commun-views.tsx';

// Amendments to the contract: the list, the form to draft one, and a draft's page where its changes
// are added (an item added, a label changed, an item withdrawn) before it is adopted.

export type AvenantVue = AvenantVisible & { objet: string };
export type Valeurs = Record<string, string | undefined>;

export const LABELS_AVENANT = { titre: 'Titre', objet: 'Objet' };
export const LABELS_CHANGEMENT = {
  parentRef: 'Référence de l’élément parent',
  niveau: 'Niveau',
  libelle: 'Libellé',
  ref: 'Référence de l’élément à modifier',
  nouveauLibelle: 'Nouveau libellé',
  refRetiree: 'Référence de l’élément à retirer',
  adopteLe: 'Date d’adoption',
};

const statut = (a: AvenantVisible) => (a.statut === 'adopte' ? `Adopté${a.adopteLe ? ` le ${dateFr(a.adopteLe)}` : ''}` : 'En projet');

export function AvenantsPage(props: {
  avenants: AvenantVue[];
  annonces: Annonce[];
  peutAmender: boolean;
  csrf: string;
  valeurs: Valeurs;
  erreurs: FieldErrors;
}) {
  return (
    <>
      <FilAriane miettes={[{ label: 'Le contrat', href: '/contrat' }, { label: 'Avenants' }]} />
      <h1>Les avenants au contrat</h1>
      <ErrorSummary errors={props.erreurs} labels={LABELS_AVENANT} />
      <p class="lead">Un avenant ajoute, modifie ou retire des éléments de la stratégie du contrat. Ses changements s’appliquent à son adoption.</p>
      {props.avenants.length ? (
        <TableWrap label="Liste des avenants">
          <table>
            <caption>Les avenants au contrat</caption>
            <thead>
              <tr>
                <th scope="col">Avenant</th>
                <th scope="col">Objet</th>
                <th scope="col">Statut</th>
              </tr>
            </thead>
            <tbody>
              {props.avenants.map((a) => (
                <tr>
                  <th scope="row">
                    <a href={hrefAvenant(a.numero)}>
                      Avenant n° {a.numero} — {a.titre}
                    </a>
                  </th>
                  <td>{a.objet}</td>
                  <td>{statut(a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p>Aucun avenant n’a encore été enregistré.</p>
      )}
      {props.peutAmender && (
        <section aria-labelledby="titre-nouvel-avenant">
          <h2 id="titre-nouvel-avenant">Préparer un avenant</h2>
          <form method="post" action="/contrat/avenants" class="narrow" novalidate>
            <CsrfField token={props.csrf} />
            <TextField name="titre" label={LABELS_AVENANT.titre} errors={props.erreurs} value={props.valeurs.titre} required />
            <TextField
              name="objet"
              label={LABELS_AVENANT.objet}
              hint="Ce que l’avenant change, et pourquoi : par exemple « Quatrième axe : valeurs de la République et citoyenneté »."
              errors={props.erreurs}
              value={props.valeurs.objet}
              required
            />
            <button type="submit" class="button">
              Créer l’avenant
            </button>
          </form>
        </section>
      )}
      <Avenants annonces={props.annonces} avenants={props.avenants} />
    </>
  );
}

export type ChangementVue = { rang: number; type: string; ref: string; avant: string | null; apres: string | null; existe: boolean };

function Changements(props: { changements: ChangementVue[] }) {
  if (!props.changements.length) return <p>Cet avenant ne contient encore aucun changement.</p>;
  return (
    <TableWrap label="Changements de l’avenant">
      <table>
        <caption>Les changements de l’avenant, dans l’ordre où ils s’appliquent</caption>
        <thead>
          <tr>
            <th scope="col">N°</th>
            <th scope="col">Changement</th>
            <th scope="col">Élément</th>
            <th scope="col">Avant</th>
            <th scope="col">Après</th>
          </tr>
        </thead>
        <tbody>
          {props.changements.map((c) => (
            <tr>
              <td>{c.rang}</td>
              <th scope="row">{c.type}</th>
              <td>{c.existe ? <a href={hrefNoeud(c.ref)}>{numeroComplet(c.ref)}</a> : numeroComplet(c.ref)}</td>
              <td>{c.avant ?? '—'}</td>
              <td>{c.apres ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Formulaire(props: { id: string; titre: string; action: string; csrf: string; type?: string; bouton: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={props.id}>
      <h3 id={props.id}>{props.titre}</h3>
      <form method="post" action={props.action} class="narrow" novalidate>
        <CsrfField token={props.csrf} />
        {props.type && <input type="hidden" name="type" value={props.type} />}
        {props.children}
        <button type="submit" class="button">
          {props.bouton}
        </button>
      </form>
    </section>
  );
}

export type AvenantData = {
  avenant: AvenantVue;
  changements: ChangementVue[];
  peutAmender: boolean;
  csrf: string;
  valeurs: Valeurs;
  erreurs: FieldErrors;
  aujourdhui: string;
  annonces: Annonce[];
  avenants: AvenantVisible[];
};

export function AvenantPage(props: { d: AvenantData }) {
  const { d } = props;
  const a = d.avenant;
  const ouvert = a.statut === 'projet' && d.peutAmender;
  const action = `${hrefAvenant(a.numero)}/changements`;
  const v = d.valeurs;
  return (
    <>
      <FilAriane miettes={[{ label: 'Le contrat', href: '/contrat' }, { label: 'Avenants', href: '/contrat/avenants' }, { label: `Avenant n° ${a.numero}` }]} />
      <h1>
        Avenant n° {a.numero} — {a.titre}
      </h1>
      <ErrorSummary errors={d.erreurs} labels={LABELS_CHANGEMENT} />
      <dl class="details">
        <dt>Objet</dt>
        <dd>{a.objet}</dd>
        <dt>Statut</dt>
        <dd>{statut(a)}</dd>
      </dl>
      {a.statut === 'adopte' && <p>Cet avenant est adopté : ses changements s’appliquent à l’arbre du contrat et il ne peut plus être modifié.</p>}
      <h2>Changements</h2>
      <Changements changements={d.changements} />
      {ouvert && d.changements.length > 0 && (
        <form method="post" action={`${hrefAvenant(a.numero)}/changements/dernier/retrait`} class="actions">
          <CsrfField token={d.csrf} />
          <button type="submit" class="button button-secondary">
            Retirer le dernier changement (n° {d.changements[d.changements.length - 1]!.rang})
          </button>
        </form>
      )}
      {ouvert && (
        <>
          <h2>Compléter l’avenant</h2>
          <Formulaire id="titre-ajout" titre="Ajouter un élément" action={action} type="ajout" csrf={d.csrf} bouton="Ajouter l’élément">
            <TextField
              name="parentRef"
              label={LABELS_CHANGEMENT.parentRef}
              hint="Par exemple 1.1.1/P1 pour une priorité ; laissez vide pour ajouter un axe. Sa référence est donnée à la suite de celles de ses voisins."
              errors={d.erreurs}
              value={v.parentRef}
            />
            <SelectField
              name="niveau"
              label={LABELS_CHANGEMENT.niveau}
              errors={d.erreurs}
              value={v.niveau}
              placeholder="Choisissez un niveau"
              options={NIVEAUX.map((n) => ({ value: n, label: LIBELLES_NIVEAU[n].un }))}
              required
            />
            <TextField name="libelle" label={LABELS_CHANGEMENT.libelle} errors={d.erreurs} value={v.libelle} required />
          </Formulaire>
          <Formulaire id="titre-modification" titre="Modifier le libellé d’un élément" action={action} type="modification" csrf={d.csrf} bouton="Modifier le libellé">
            <TextField name="ref" label={LABELS_CHANGEMENT.ref} hint="Par exemple 1.1.1/P1/OO1/A2." errors={d.erreurs} value={v.ref} required />
            <TextField name="nouveauLibelle" label={LABELS_CHANGEMENT.nouveauLibelle} errors={d.erreurs} value={v.nouveauLibelle} required />
          </Formulaire>
          <Formulaire id="titre-retrait" titre="Retirer un élément" action={action} type="retrait" csrf={d.csrf} bouton="Retirer l’élément">
            <TextField
              name="refRetiree"
              label={LABELS_CHANGEMENT.refRetiree}
              hint="Un élément qui a des éléments rattachés ne peut être retiré qu’après eux."
              errors={d.erreurs}
              value={v.refRetiree}
              required
            />
          </Formulaire>
          <h2>Adopter l’avenant</h2>
          <p>À l’adoption, les changements s’appliquent à l’arbre du contrat ; l’avenant ne peut plus être modifié ensuite.</p>
          <form method="post" action={`${hrefAvenant(a.numero)}/adoption`} class="narrow" novalidate>
            <CsrfField token={d.csrf} />
            <TextField name="adopteLe" type="date" label={LABELS_CHANGEMENT.adopteLe} errors={d.erreurs} value={v.adopteLe ?? d.aujourdhui} required />
            <button type="submit" class="button">
              Adopter l’avenant
            </button>
          </form>
        </>
      )}
      <Avenants annonces={d.annonces} avenants={d.avenants} />
    </>
  );
}
