import { TableWrap } from '../platform/ui/table.tsx';
import type { CibleTranscrite, DetailsOrientation } from './donnees.ts';
import { hauteurGroupe, hauteurLigne, numeroComplet, titreNoeud, type TableauActions } from './model.ts';
import { hrefNoeud, Source } from './commun-views.tsx';
import type { NoeudVue } from './contrat-views.tsx';

// What an item's page shows below it: the contract's action tables (objectif opérationnel, actions,
// leviers) for an objectif or a priorité, and for an orientation its plan of action and targets.

function Cellule(props: { n: NoeudVue }) {
  return (
    <>
      <a href={hrefNoeud(props.n.ref)}>
        {props.n.numero} {props.n.libelle}
      </a>
      <br />
      <Source document={props.n.document} lignes={props.n.lignes} />
    </>
  );
}

/**
 * One table as the contract prints it. Cells span the rows of what they hold; each levier names its
 * objectif opérationnel and its action through `headers`, so that a screen reader gives the whole row.
 */
function TableauAction(props: { t: TableauActions<NoeudVue>; id: string; caption: string }) {
  const { t, id } = props;
  const col = (c: string) => `${id}-${c}`;
  return (
    <TableWrap label={props.caption}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" id={col('oo')}>
              Objectif opérationnel
            </th>
            <th scope="col" id={col('actions')}>
              Actions
            </th>
            <th scope="col" id={col('leviers')}>
              Leviers d’actions
            </th>
          </tr>
        </thead>
        {t.lignes.map((ligne, i) => {
          const ooId = `${id}-oo${i}`;
          return (
            <tbody>
              {ligne.groupes.flatMap((g, j) => {
                const actionId = `${ooId}-a${j}`;
                const leviers = g.leviers.length ? g.leviers : [null];
                return leviers.map((levier, k) => (
                  <tr>
                    {j === 0 && k === 0 && (
                      <th scope="rowgroup" id={ooId} headers={col('oo')} rowSpan={hauteurLigne(ligne)}>
                        <Cellule n={ligne.oo} />
                      </th>
                    )}
                    {k === 0 &&
                      (g.action ? (
                        <th id={actionId} headers={`${col('actions')} ${ooId}`} rowSpan={hauteurGroupe(g)}>
                          <Cellule n={g.action} />
                        </th>
                      ) : (
                        <td headers={`${col('actions')} ${ooId}`} rowSpan={hauteurGroupe(g)}>
                          <span aria-hidden="true">—</span>
                          <span class="visually-hidden">Pas d’action</span>
                        </td>
                      ))}
                    <td headers={[col('leviers'), ooId, ...(g.action ? [actionId] : [])].join(' ')}>
                      {levier ? (
                        <Cellule n={levier} />
                      ) : (
                        <>
                          <span aria-hidden="true">—</span>
                          <span class="visually-hidden">Pas de levier</span>
                        </>
                      )}
                    </td>
                  </tr>
                ));
              })}
            </tbody>
          );
        })}
      </table>
    </TableWrap>
  );
}

/** The tables under an objectif (one per Priorité block) or a priorité. */
export function TableauxActions(props: { racine: NoeudVue; tableaux: TableauActions<NoeudVue>[] }) {
  const { racine, tableaux } = props;
  if (!tableaux.some((t) => t.lignes.length)) return <p>Aucun objectif opérationnel n’est rattaché à cet élément.</p>;
  return (
    <>
      {tableaux.map((t, i) => {
        const caption = t.priorite
          ? `${titreNoeud(t.priorite)} : objectifs opérationnels, actions et leviers d’actions`
          : `Objectif ${racine.numero} : objectifs opérationnels, actions et leviers d’actions`;
        return (
          <>
            {t.priorite && t.priorite.ref !== racine.ref && (
              <h3>
                <a href={hrefNoeud(t.priorite.ref)}>{titreNoeud(t.priorite)}</a> <Source document={t.priorite.document} lignes={t.priorite.lignes} />
              </h3>
            )}
            {t.lignes.length ? <TableauAction t={t} id={`tableau${i}`} caption={caption} /> : <p>Aucun objectif opérationnel n’est rattaché à cette priorité.</p>}
          </>
        );
      })}
    </>
  );
}

export type DetailsVue = DetailsOrientation & { cibles?: CibleTranscrite[] | undefined };

function Liste(props: { titre: string; items: { texte: string; lignes: number[] }[] | undefined; document: string | null }) {
  if (!props.items?.length) return null;
  return (
    <>
      <h3>{props.titre}</h3>
      <ul>
        {props.items.map((c) => (
          <li>
            {c.texte} <Source document={props.document} lignes={c.lignes} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** An orientation's priorities, citizen contribution, plan of action (actors, publics, schemes), related plans and targets. */
export function DetailsOrientationVue(props: { d: DetailsVue; document: string | null; refs: ReadonlySet<string> }) {
  const { d, document } = props;
  return (
    <>
      {d.priorites?.length ? (
        <>
          <h2>Les priorités de l’orientation</h2>
          <ul>
            {d.priorites.map((p) => (
              <li>
                {p.numero}. {p.texte} <Source document={document} lignes={p.lignes} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {d.contributionCitoyenne && (
        <>
          <h2>Contribution citoyenne</h2>
          <blockquote>
            <p>{d.contributionCitoyenne.texte}</p>
          </blockquote>
          <p>
            <Source document={document} lignes={d.contributionCitoyenne.lignes} />
          </p>
        </>
      )}
      {Boolean(d.acteurs?.length || d.publics?.length || d.dispositifs?.length || d.interdependances?.length) && (
        <>
          <h2>Déclinaison du plan d’actions</h2>
          <Liste titre="Acteurs" items={d.acteurs} document={document} />
          <Liste titre="Publics cibles" items={d.publics} document={document} />
          <Liste titre="Dispositifs" items={d.dispositifs} document={document} />
          <Liste titre="Interdépendances" items={d.interdependances} document={document} />
        </>
      )}
      {d.cibles?.length ? <Cibles cibles={d.cibles} document={document} refs={props.refs} /> : null}
    </>
  );
}

function Cibles(props: { cibles: CibleTranscrite[]; document: string | null; refs: ReadonlySet<string> }) {
  return (
    <>
      <h2>Objectifs chiffrés</h2>
      <TableWrap label="Objectifs chiffrés de l’orientation">
        <table>
          <caption>Les objectifs chiffrés de l’orientation, tels que le contrat les énonce</caption>
          <thead>
            <tr>
              <th scope="col">Indicateur</th>
              <th scope="col">Valeur visée</th>
              <th scope="col">Échéance</th>
              <th scope="col">Situation de départ</th>
              <th scope="col">Engagé par</th>
              <th scope="col">Texte du contrat</th>
            </tr>
          </thead>
          <tbody>
            {props.cibles.map((c) => (
              <tr>
                <th scope="row">
                  {c.indicateur ?? 'Non précisé'}
                  {c.noeud && props.refs.has(c.noeud) && (
                    <>
                      <br />
                      <a href={hrefNoeud(c.noeud)}>Voir l’élément {numeroComplet(c.noeud)}</a>
                    </>
                  )}
                </th>
                <td>{c.valeur ?? '—'}</td>
                <td>{c.echeance ?? 'non précisée'}</td>
                <td>{c.reference ?? '—'}</td>
                <td>{c.organisation ?? '—'}</td>
                <td>
                  <q>{c.texte}</q> <Source document={props.document} lignes={c.lignes} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
