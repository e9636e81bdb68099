import { dateFr } from '../contrat/model.ts';
import { CsrfField } from '../platform/ui/forms.tsx';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { euros, LIBELLES_STATUT_DOSSIER, type StatutDossier } from './model.ts';
import { hrefModifier } from './demande-views.tsx';

// An association's files across campaigns, and for each open campaign: a new request, or last year's taken up again.

export type LigneMesDossiers = { id: string; reference: string; titre: string; annee: number; statut: string; demandeCentimes: number; modifiable: boolean };
export type CampagneOuverte = { annee: number; titre: string; cloture: string; reprendre: { id: string; reference: string; titre: string; copie: { id: string; reference: string } | null }[] };
export type MesDossiers = {
  dossiers: LigneMesDossiers[];
  ouvertes: CampagneOuverte[];
  /** A new request refused for want of a title: its campaign, what was typed, why. */
  nouvelle: { annee: number; titre: string; erreur: string } | null;
};

function NouvelleDemande(props: { c: CampagneOuverte; nouvelle: MesDossiers['nouvelle']; csrf: string }) {
  const { c } = props;
  const id = `titre-${c.annee}`;
  const erreur = props.nouvelle?.annee === c.annee ? props.nouvelle : null;
  return (
    <form method="post" action={`/appels-a-projets/${c.annee}/demandes`} novalidate>
      <CsrfField token={props.csrf} />
      {erreur && (
        <div class="error-summary" role="alert" aria-labelledby={`erreur-titre-${c.annee}`} tabIndex={-1} autofocus>
          <h3 id={`erreur-titre-${c.annee}`}>La demande n’a pas été créée</h3>
          <p>
            <a href={`#${id}`}>{erreur.erreur}</a>
          </p>
        </div>
      )}
      <div class={erreur ? 'field field-error' : 'field'}>
        <label for={id}>Titre du projet</label>
        <p class="hint" id={`aide-${id}`}>
          Vous pourrez le changer ensuite ; le reste de la demande se remplit à votre rythme, brouillon après brouillon.
        </p>
        <input id={id} name="titre" type="text" value={erreur?.titre ?? ''} aria-describedby={`aide-${id}`} aria-invalid={erreur ? 'true' : undefined} />
      </div>
      <button type="submit" class="button">
        Nouvelle demande
      </button>
    </form>
  );
}

export function MesDossiersPage(props: { d: MesDossiers; csrf: string }) {
  const { d } = props;
  return (
    <>
      <FilAriane miettes={[{ label: 'Mes dossiers' }]} />
      <h1>Mes dossiers</h1>
      {d.ouvertes.length === 0 && (
        <p>
          Aucun appel à projets n’est ouvert aujourd’hui. Retrouvez leur calendrier sur la page <a href="/appels-a-projets">Appels à projets</a>.
        </p>
      )}
      {d.ouvertes.map((c) => (
        <section aria-labelledby={`appel-${c.annee}`}>
          <h2 id={`appel-${c.annee}`}>
            {c.titre} — ouvert jusqu’au {dateFr(c.cloture)} inclus
          </h2>
          <NouvelleDemande c={c} nouvelle={d.nouvelle} csrf={props.csrf} />
          {c.reprendre.length > 0 && (
            <>
              <h3>Reprendre une demande d’une année précédente</h3>
              <p>La nouvelle demande reprend le projet, son public et son budget ; vous ne changez que ce qui a changé.</p>
              <ul class="liste-actions">
                {c.reprendre.map((r) =>
                  r.copie ? (
                    <li>
                      {`${r.reference} — ${r.titre} : déjà reprise pour ${c.annee} dans la demande `}
                      <a href={`/dossiers/${r.copie.id}`}>{r.copie.reference}</a>
                    </li>
                  ) : (
                  <li>
                    <form method="post" action={`/dossiers/${r.id}/dupliquer`} class="inline-form">
                      <CsrfField token={props.csrf} />
                      <input type="hidden" name="annee" value={String(c.annee)} />
                      {`${r.reference} — ${r.titre} `}
                      <button type="submit" class="button button-secondary">
                        Reprendre cette demande pour {c.annee}
                        <span class="visually-hidden"> : {r.titre}</span>
                      </button>
                    </form>
                  </li>
                  ),
                )}
              </ul>
            </>
          )}
        </section>
      ))}
      <h2>Mes demandes</h2>
      {d.dossiers.length === 0 ? (
        <p>Votre association n’a encore fait aucune demande.</p>
      ) : (
        <TableWrap label="Mes demandes de subvention">
          <table>
            <caption>Les demandes de subvention de votre association, de la plus récente à la plus ancienne</caption>
            <thead>
              <tr>
                <th scope="col">Référence</th>
                <th scope="col">Titre</th>
                <th scope="col">Appel</th>
                <th scope="col">Statut</th>
                <th scope="col">Montant demandé</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {d.dossiers.map((x) => (
                <tr>
                  <th scope="row">
                    <a href={`/dossiers/${x.id}`}>{x.reference}</a>
                  </th>
                  <td>{x.titre}</td>
                  <td>{x.annee}</td>
                  <td>{LIBELLES_STATUT_DOSSIER[x.statut as StatutDossier] ?? x.statut}</td>
                  <td class="nombre">{euros(x.demandeCentimes)}</td>
                  <td>
                    {x.modifiable && (
                      <a href={hrefModifier(x.id)}>
                        Modifier<span class="visually-hidden"> la demande {x.reference}</span>
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
